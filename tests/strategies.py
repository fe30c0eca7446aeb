"""Hypothesis strategies: random histories over the mini dataset's zones, random place sets in the AOI."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import strategies as st
from shapely.geometry import Point

from layers.model.records import Change, Dataset, Event, PresenceChange, Source

SOURCE = (Source("https://example.org/x", "Synthetic", dt.date(2020, 1, 1)),)


@st.composite
def histories(draw: st.DrawFn, ds: Dataset) -> Dataset:
    """The mini dataset with a random list of events, as validation would accept them.

    Events crowd onto a few days, so that several share a day and queries land on the boundaries. A change
    hands zones to a territorial faction or to "no data" (None); it may name an area (its zones applied
    before any listed zone of the event, so a listed zone overrides its area); now and then an event holds
    a rule (``held_by``), over all zones or limited to some. Two events of one day never give one zone
    different controllers (validation refuses that), and an event with a rule has its day to itself.
    """
    zones = [z.id for z in ds.zones]
    territorial = [f.id for f in ds.territorial]
    targets: list[str | None] = [*territorial, None]
    presence = [f.id for f in ds.presence_factions]
    some_zones = st.lists(st.sampled_from(zones), min_size=1, max_size=3, unique=True).map(tuple)
    span = (ds.end - ds.start).days
    pool = draw(st.lists(st.integers(1, span), min_size=1, max_size=6, unique=True))
    events, taken, days_used, rule_days = [], {}, set(), set()
    for seq in range(draw(st.integers(0, 25))):
        has_rule = draw(st.integers(0, 5)) == 0
        day = ds.start + dt.timedelta(days=draw(st.integers(1, span) if has_rule else st.sampled_from(pool)))
        if day in rule_days or (has_rule and day in days_used):
            continue
        changes = []
        for _ in range(draw(st.integers(0, 3))):
            to = draw(st.sampled_from(targets))
            area = draw(some_zones) if draw(st.booleans()) else ()
            changes.append(Change(to, draw(some_zones) if not area or draw(st.booleans()) else (),
                                  areas=("area",) if area else (), area_zones=area))
        net: dict[str, str | None] = {}  # what the event's listed and area zones end up with
        for ch in changes:
            net.update(dict.fromkeys(ch.area_zones, ch.to))
        for ch in changes:
            net.update(dict.fromkeys(ch.zones, ch.to))
        if any(taken.get((day, z), to) != to for z, to in net.items()):
            continue
        if has_rule:
            limited = draw(some_zones) if draw(st.booleans()) else ()
            changes.append(Change(draw(st.sampled_from(targets)), limited, tuple(
                draw(st.lists(st.sampled_from(territorial), min_size=1, max_size=2, unique=True)))))
            rule_days.add(day)
        taken.update({(day, z): to for z, to in net.items()})
        days_used.add(day)
        pres = [PresenceChange(draw(st.sampled_from(presence)), draw(st.booleans()), draw(some_zones))
                for _ in range(draw(st.integers(0, 2)))]
        events.append(Event(f"r{seq}", day, "random", "", None, "low", SOURCE, tuple(changes), tuple(pres), "",
                            len(events)))
    events.sort(key=lambda e: e.sort_key)
    return dataclasses.replace(ds, events=tuple(events))


def query_days(ds: Dataset) -> st.SearchStrategy[dt.date]:
    """Any day from before the start to after the end, and often an event's day or the day before it."""
    around = sorted({d for e in ds.events for d in (e.date, e.date - dt.timedelta(days=1))})
    anyday = st.integers(-30, (ds.end - ds.start).days + 30).map(lambda n: ds.start + dt.timedelta(days=n))
    return st.one_of(st.sampled_from(around), anyday) if around else anyday


def points_in(area, n_min: int = 1, n_max: int = 40) -> st.SearchStrategy[list[Point]]:
    """Distinct random points inside ``area``."""
    minx, miny, maxx, maxy = area.bounds
    pt = st.tuples(st.floats(minx, maxx), st.floats(miny, maxy)).map(lambda c: Point(round(c[0], 4), round(c[1], 4)))
    return st.lists(pt.filter(area.contains), min_size=n_min, max_size=n_max,
                    unique_by=lambda p: (p.x, p.y))
