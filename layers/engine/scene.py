"""The scene of one day: control areas, front lines, km² and the publishers behind them, as plain data.

Exports and the web view draw from it, so both show the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ..model.errors import ExportError
from ..model.records import Dataset
from .geometry import Edge, adjacency, areas_by_faction, dissolve, front_lines, zone_areas_km2
from .timeline import State, Timeline


@dataclass
class DayView:
    """Everything an export of one day needs, derived from the timeline."""

    day: dt.date
    state: State
    areas: dict[str, BaseGeometry]
    lines: list[tuple[str, str, BaseGeometry]]
    km2: dict[str, float]
    sources: list[str] = field(default_factory=list)  # publishers behind the state, most used first


class Scenes:
    """What every view of a dataset shares (zones, adjacency, km², base layers), with one scene per state."""

    def __init__(self, ds: Dataset, timeline: Timeline):
        self.ds, self.timeline = ds, timeline
        self.edges: list[Edge] = adjacency(ds.zones)
        self.zone_km2 = zone_areas_km2(ds.zones)
        self.centers = {z.id: (ds.place_by_id[z.place_id].lon, ds.place_by_id[z.place_id].lat) if z.place_id
                        else z.geometry.representative_point().coords[0] for z in ds.zones}
        self._views: dict[int, DayView] = {}

    def view(self, day: dt.date) -> DayView:
        outside = self.ds.outside(day)
        if outside is not None:
            raise ExportError(outside)
        k = self.timeline.index(day)
        cached = self._views.get(k)
        if cached is None:
            state = self.timeline.states[k]
            areas = dissolve(self.ds.zones, state)
            cached = DayView(day, state, areas, front_lines(self.edges, state),
                             areas_by_faction(self.zone_km2, state), self._publishers(state))
            self._views[k] = cached
        return DayView(day, cached.state, cached.areas, cached.lines, cached.km2, cached.sources)

    def _publishers(self, state: State) -> list[str]:
        counts: Counter[str] = Counter()
        for cause in state.cause.values():
            for pub in {s.publisher.split(" (")[0] for s in self.ds.sources_of(cause)}:
                counts[pub] += 1
        return [p for p, _ in counts.most_common()]

    @cached_property
    def open_ground(self) -> BaseGeometry:
        """All open-ground zones as one shape: their controller is inferred, never reported."""
        from shapely.ops import unary_union

        return unary_union([z.geometry for z in self.ds.zones if z.open])

    @cached_property
    def base_geoms(self) -> dict[str, dict[str, BaseGeometry]]:
        """Base layers as {layer: {feature name: geometry}}, parsed once."""
        out: dict[str, dict[str, BaseGeometry]] = {}
        for name, doc in self.ds.base.items():
            feats = [f for f in doc.get("features", []) if f.get("geometry")]
            out[name] = {str(f.get("properties", {}).get("name", i)) + f"#{i}": shape(f["geometry"])
                         for i, f in enumerate(feats)}
        return out

