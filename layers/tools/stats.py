"""Area (km²) and population held by each faction, day by day: the series behind the chart and `stats`."""

from __future__ import annotations

import csv
import datetime as dt
from typing import TextIO

from ..engine.geometry import areas_by_faction, zone_areas_km2
from ..engine.timeline import State, Timeline
from ..model.records import Dataset


class Tally:
    """km² and known population per faction for any state, from per-zone figures computed once."""

    def __init__(self, ds: Dataset):
        self.factions = [f.id for f in ds.territorial]
        self.km2 = zone_areas_km2(ds.zones)
        places = ds.place_by_id
        self.population = {z.id: places[z.place_id].population or 0 for z in ds.zones if z.place_id in places}
        self.open = {z.id for z in ds.zones if z.open}  # open ground: its controller is inferred

    def open_km2(self, state: State) -> dict[str, float]:
        """km² of open ground (inferred, not reported) per faction: part of the area ``of`` gives."""
        out = dict.fromkeys(self.factions, 0.0)
        for zid in self.open:
            fid = state.controller.get(zid)
            if fid is not None:
                out[fid] += self.km2[zid]
        return out

    def of(self, state: State) -> dict[str, tuple[float, int]]:
        km2 = areas_by_faction(self.km2, state)
        people = areas_by_faction(self.population, state)  # the same sum, over known populations
        return {f: (km2.get(f, 0.0), int(people.get(f, 0))) for f in self.factions}


def series(ds: Dataset, timeline: Timeline, start: dt.date, end: dt.date,
           every: dt.timedelta) -> list[tuple[dt.date, dict[str, tuple[float, int]]]]:
    tally, out, day = Tally(ds), [], start
    cache: dict[int, dict[str, tuple[float, int]]] = {}
    while day <= end:
        k = timeline.index(day)
        if k not in cache:
            cache[k] = tally.of(timeline.states[k])
        out.append((day, cache[k]))
        day += every
    return out


def write_stats(ds: Dataset, timeline: Timeline, start: dt.date, end: dt.date, every: dt.timedelta,
                out: TextIO) -> None:
    """CSV: date, faction, area_km2, population, open_km2 (added last, for scripts that read by position).

    area_km2 counts all ground; open_km2 is the part of it that is open ground, whose controller is inferred;
    population sums the known populations of places."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "faction", "area_km2", "population", "open_km2"])
    has_population = any(p.population for p in ds.places)
    tally = Tally(ds)
    for day, values in series(ds, timeline, start, end, every):
        open_km2 = tally.open_km2(timeline.state(day))
        for fid, (km2, pop) in values.items():
            writer.writerow([day.isoformat(), fid, f"{km2:.1f}", pop if has_population else "", f"{open_km2[fid]:.1f}"])
