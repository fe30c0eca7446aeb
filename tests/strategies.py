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
    """The mini dataset with a random list of events (same-day conflicts excluded, as validation does)."""
    zones = [z.id for z in ds.zones]
    territorial = [f.id for f in ds.territorial]
    presence = [f.id for f in ds.presence_factions]
    n = draw(st.integers(0, 25))
    events, taken = [], {}
    for seq in range(n):
        day = ds.start + dt.timedelta(days=draw(st.integers(1, (ds.end - ds.start).days)))
        changes = []
        for _ in range(draw(st.integers(0, 3))):
            to = draw(st.sampled_from(territorial))
            picked = tuple(draw(st.lists(st.sampled_from(zones), min_size=1, max_size=3, unique=True)))
            picked = tuple(z for z in picked if taken.setdefault((day, z), to) == to)
            if picked:
                changes.append(Change(to, picked))
        if draw(st.integers(0, 9)) == 0:  # now and then a rule: all that some factions hold
            changes.append(Change(draw(st.sampled_from(territorial)), (),
                                  tuple(draw(st.lists(st.sampled_from(territorial), min_size=1, max_size=2,
                                                      unique=True)))))
        pres = [PresenceChange(draw(st.sampled_from(presence)), draw(st.booleans()),
                               tuple(draw(st.lists(st.sampled_from(zones), min_size=1, max_size=2, unique=True))))
                for _ in range(draw(st.integers(0, 2)))]
        events.append(Event(f"r{seq}", day, "random", "", None, "low", SOURCE, tuple(changes), tuple(pres), "", seq))
    events.sort(key=lambda e: e.sort_key)
    return dataclasses.replace(ds, events=tuple(events))


def points_in(area, n_min: int = 1, n_max: int = 40) -> st.SearchStrategy[list[Point]]:
    """Distinct random points inside ``area``."""
    minx, miny, maxx, maxy = area.bounds
    pt = st.tuples(st.floats(minx, maxx), st.floats(miny, maxy)).map(lambda c: Point(round(c[0], 4), round(c[1], 4)))
    return st.lists(pt.filter(area.contains), min_size=n_min, max_size=n_max,
                    unique_by=lambda p: (p.x, p.y))
