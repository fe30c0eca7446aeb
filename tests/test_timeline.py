"""The timeline engine: the state on D is the initial state plus every change dated on or before D."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layers import Timeline, load_dataset, resolve_state
from layers.engine.timeline import events_in_force
from layers.model.records import Dataset
from layers.web.payload import build_payload
from tests.conftest import MINI, TODAY
from tests.strategies import histories, query_days

MINI_DS = load_dataset(MINI, today=TODAY)



class Replay(NamedTuple):
    controller: dict[str, str | None]
    presence: dict[str, frozenset[str]]
    since: dict[str, dt.date]
    cause: dict[str, str | None]


def brute_force(ds: Dataset, day: dt.date) -> Replay:
    """An independent statement of the rule: per zone, the last listing on or before the day wins; since and
    cause are the day and event of the last event that changed the zone's controller."""
    controller = dict(ds.initial.controller)
    presence = {z.id: set(ds.initial.presence.get(z.id, ())) for z in ds.zones}
    since = dict.fromkeys(controller, ds.start)
    cause: dict[str, str | None] = dict.fromkeys(controller)
    for ev in sorted(ds.events, key=lambda e: (e.date, e.seq)):
        if ev.date <= day:
            before = dict(controller)
            for ch in ev.changes:  # areas first: a listed place overrides the area around it
                if not ch.held_by:
                    controller.update(dict.fromkeys(ch.area_zones, ch.to))
            for ch in ev.changes:
                if ch.held_by:  # a rule: whatever those factions hold at this moment (of the zones named)
                    named = set(ch.zones) | set(ch.area_zones)
                    controller.update({z: ch.to for z, f in controller.items()
                                       if f in ch.held_by and (not named or z in named)})
                else:
                    controller.update(dict.fromkeys(ch.zones, ch.to))
            assert set(before) == set(controller)
            for z in controller:
                if controller[z] != before[z]:
                    since[z], cause[z] = ev.date, ev.id
            for pc in ev.presence:
                for z in () if pc.confirm else pc.zones:
                    (presence[z].add if pc.add else presence[z].discard)(pc.faction)
    return Replay(controller, {z: frozenset(p) for z, p in presence.items()}, since, cause)


def payload_lookup(payload: dict, day: dt.date, start: dt.date) -> Replay:
    """The browser's lookup (assets/10-timeline.js stateAt), restated in Python: the run in force is the last
    whose state index is at most the day's; controller (-1: no data), presence bits, cause (-1: the initial
    state) and since."""
    offset = (day - start).days
    k = max(0, max((i for i, d in enumerate(payload["state_days"]) if d <= offset), default=0))
    controller, presence, since, cause = {}, {}, {}, {}
    for zid, runs in zip(payload["zone_ids"], payload["runs"]):
        _, faction, mask, event, since_day = [r for r in runs if r[0] <= k][-1]
        controller[zid] = payload["faction_ids"][faction] if faction >= 0 else None
        presence[zid] = frozenset(p for i, p in enumerate(payload["presence_ids"]) if mask >> i & 1)
        cause[zid] = payload["events"][event]["id"] if event >= 0 else None
        since[zid] = start + dt.timedelta(days=since_day)
    return Replay(controller, presence, since, cause)


def test_known_days_of_the_mini_history(mini):
    assert resolve_state(mini, dt.date(2016, 8, 11)).controller["foxtrot"] == "isis"
    assert resolve_state(mini, dt.date(2016, 8, 12)).controller["foxtrot"] == "sdf"
    st_2020 = resolve_state(mini, dt.date(2020, 1, 1))
    assert st_2020.controller["alpha"] == "opposition"
    assert st_2020.since["alpha"] == dt.date(2018, 3, 18) and st_2020.cause["alpha"] == "e2"
    assert st_2020.presence["foxtrot"] == {"russia"} and st_2020.presence["alpha"] == {"turkey"}
    st_2025 = resolve_state(mini, dt.date(2025, 1, 1))
    assert st_2025.controller["charlie"] == "transitional" and st_2025.presence["foxtrot"] == frozenset()
    assert st_2025.since["bravo"] == mini.start and st_2025.cause["bravo"] is None


def test_states_are_values_no_caller_can_change(mini):
    """The Timeline hands the same State objects to every view, export and query: they must be frozen."""
    state = Timeline(mini).state(dt.date(2020, 1, 1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.day = dt.date(2021, 1, 1)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Timeline(mini).runs["alpha"][0].start = 5  # type: ignore[misc]


def test_before_the_start_is_the_initial_state(mini):
    assert resolve_state(mini, dt.date(2010, 1, 1)).controller == mini.initial.controller


def test_events_in_force_newest_first(mini):
    assert [e.id for e in events_in_force(mini, dt.date(2019, 12, 31))] == ["e3", "e2", "e1"]
    assert [e.id for e in events_in_force(mini, dt.date(2018, 3, 18))] == ["e2", "e1"]  # in force on its day
    assert [e.id for e in events_in_force(mini, dt.date(2018, 3, 17))] == ["e1"]


def test_history_of_a_zone(mini):
    periods = Timeline(mini).history("foxtrot")
    assert [(a, b, r.controller, sorted(r.presence)) for a, b, r in periods] == [
        (dt.date(2016, 1, 1), dt.date(2016, 8, 11), "isis", []),
        (dt.date(2016, 8, 12), dt.date(2019, 10, 14), "sdf", []),
        (dt.date(2019, 10, 15), dt.date(2024, 12, 7), "sdf", ["russia"]),
        (dt.date(2024, 12, 8), None, "sdf", []),
    ]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_state_equals_brute_force_replay(data):
    """resolve_state, the Timeline and the browser's table all give the replay's controller, presence, since
    and cause, on random days and on the days events fall on and the days before them."""
    ds = data.draw(histories(MINI_DS))
    timeline = Timeline(ds)
    assert timeline.days == sorted(set(timeline.days))  # one state per change day, events of a day merged
    payload = build_payload(ds, timeline)
    for _ in range(6):
        day = data.draw(query_days(ds))
        expected = brute_force(ds, day)
        for got in (resolve_state(ds, day), timeline.state(day)):
            assert (got.controller, got.presence) == (expected.controller, expected.presence)
            if day >= ds.start:
                assert (got.since, got.cause) == (expected.since, expected.cause)
        assert payload_lookup(payload, max(day, ds.start), ds.start) == brute_force(ds, max(day, ds.start))


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_one_controller_or_no_data_per_zone_per_day(data):
    ds = data.draw(histories(MINI_DS))
    territorial = {f.id for f in ds.territorial}
    day = data.draw(query_days(ds))
    state = resolve_state(ds, day)
    assert set(state.controller) == {z.id for z in ds.zones}
    assert set(state.controller.values()) <= territorial | {None}
    assert all(ds.start <= state.since[z] <= max(day, ds.start) for z in state.controller)
    changed = {z for z in state.controller if state.cause[z] is not None}
    assert all(ds.event_by_id[state.cause[z]].date == state.since[z] for z in changed)


def test_the_strategy_reaches_every_kind_of_change():
    """The replay property only proves what the histories contain: no data, areas, limited and unlimited
    rules, and events that share a day all occur."""
    seen: set[str] = set()

    @settings(max_examples=150, deadline=None, database=None)
    @given(histories(MINI_DS))
    def collect(ds):
        for ev in ds.events:
            for ch in ev.changes:
                seen.update(k for k, hit in (("none", ch.to is None), ("area", bool(ch.area_zones)),
                                             ("rule", bool(ch.held_by)),
                                             ("limited rule", bool(ch.held_by) and bool(ch.zones))) if hit)
        if len({e.date for e in ds.events}) < len(ds.events):
            seen.add("shared day")

    collect()
    assert seen == {"none", "area", "rule", "limited rule", "shared day"}
