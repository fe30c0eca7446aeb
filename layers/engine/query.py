"""Point questions: who held this longitude/latitude on this day, since when, and on whose word."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from shapely.geometry import Point

from ..engine.timeline import Timeline
from ..model.records import Dataset, Source


class ZoneLocator:
    """Finds the zone that covers a point (None outside the area, or on a river)."""

    def __init__(self, ds: Dataset):
        self.ids = [z.id for z in ds.zones]
        self.tree = shapely.STRtree([z.geometry for z in ds.zones])

    def zone_at(self, lon: float, lat: float) -> str | None:
        hits = self.tree.query(Point(lon, lat), predicate="intersects")
        return self.ids[int(min(hits))] if len(hits) else None


def source_json(s: Source, ds: Dataset | None = None) -> dict[str, str | None]:
    """A source as JSON, with what it says, whether it was read, and its publisher's kind and lean."""
    rated = ds.publishers.get(s.via or s.publisher) if ds is not None else None
    return {"url": s.url, "publisher": s.publisher,
            "published": s.published.isoformat() if s.published else None, "title": s.title or None,
            "via": s.via or None, "read": s.read or None, "evidence": s.evidence or None,
            "kind": rated.kind if rated else None, "lean": rated.lean if rated else None}


def control_at(ds: Dataset, timeline: Timeline, locator: ZoneLocator, day: dt.date,
               lon: float, lat: float) -> dict[str, Any]:
    """The answer of ``controlmap at``: one JSON-ready object."""
    zid = locator.zone_at(lon, lat)
    out: dict[str, Any] = {"date": day.isoformat(), "lon": lon, "lat": lat, "controller": None,
                           "presence": [], "since": None, "event_id": None, "sources": [], "zone": zid,
                           "as_of": ds.as_of.isoformat()}
    if day > ds.as_of:
        out["note"] = f"the data has no information after {ds.as_of.isoformat()}: this is the last known state"
    if zid is None:
        return out
    state = timeline.state(day)
    cause = state.cause.get(zid)
    sources = ds.sources_of(cause)
    place = ds.place_by_id.get(zid)
    out.update(controller=state.controller.get(zid), presence=sorted(state.presence.get(zid, ())),
               since=state.since[zid].isoformat(), event_id=cause,
               sources=[source_json(s, ds) for s in sources],
               place={"id": place.id, "name_en": place.name_en, "name_ar": place.name_ar} if place else None)
    return out
