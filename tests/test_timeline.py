"""The timeline engine: the state on D is the initial state plus every change dated on or before D."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from layers import Timeline, load_dataset, resolve_state
from layers.engine.timeline import events_in_force
from layers.model.records import Dataset
from layers.web.payload import build_payload
from tests.conftest import MINI, TODAY
from tests.strategies import histories

MINI_DS = load_dataset(MINI, today=TODAY)
DAYS = st.integers(-30, (TODAY - MINI_DS.start).days + 30).map(lambda n: MINI_DS.start + dt.timedelta(days=n))


def brute_force(ds: Dataset, day: dt.date) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """An independent statement of the rule: per zone, the last listing on or before the day wins."""
    controller = dict(ds.initial.controller)
    presence = {z.id: set(ds.initial.presence.get(z.id, ())) for z in ds.zones}
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
            for pc in ev.presence:
                for z in () if pc.confirm else pc.zones:
                    (presence[z].add if pc.add else presence[z].discard)(pc.faction)
    return controller, {z: frozenset(p) for z, p in presence.items()}


def payload_lookup(payload: dict, day: dt.date, start: dt.date) -> dict[str, str]:
    """The browser's lookup (assets/10-timeline.js stateAt), restated in Python."""
    offset = (day - start).days
    k = max(0, max((i for i, d in enumerate(payload["state_days"]) if d <= offset), default=0))
    out = {}
    for zid, runs in zip(payload["zone_ids"], payload["runs"]):
        run = [r for r in runs if r[0] <= k][-1]
        out[zid] = payload["faction_ids"][run[1]]
    return out


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


def test_before_the_start_is_the_initial_state(mini):
    assert resolve_state(mini, dt.date(2010, 1, 1)).controller == mini.initial.controller


def test_events_in_force_newest_first(mini):
    assert [e.id for e in events_in_force(mini, dt.date(2019, 12, 31))] == ["e3", "e2", "e1"]


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
    ds = data.draw(histories(MINI_DS))
    timeline = Timeline(ds)
    payload = build_payload(ds, timeline)
    for _ in range(5):
        day = data.draw(DAYS)
        resolved = resolve_state(ds, day)
        controller, presence = brute_force(ds, day)
        assert resolved.controller == controller
        assert resolved.presence == presence
        assert timeline.state(day).controller == controller
        assert timeline.state(day).presence == presence
        assert payload_lookup(payload, day, ds.start) == controller


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_exactly_one_territorial_controller_per_zone_per_day(data):
    ds = data.draw(histories(MINI_DS))
    territorial = {f.id for f in ds.territorial}
    state = resolve_state(ds, data.draw(DAYS))
    assert set(state.controller) == {z.id for z in ds.zones}
    assert set(state.controller.values()) <= territorial
    assert all(state.since[z] <= state.day or state.day < ds.start for z in state.controller)
