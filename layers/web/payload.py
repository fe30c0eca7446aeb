"""What the browser receives once: zone geometry and a compact state table.

The slider repaints in the browser from this table alone (assets/10-timeline.js): per zone, a list of
runs ``[state index, faction index, presence bitmask, cause event index, since-day offset]``; the run in
force on day D is the last one whose state index is at most the index of D in ``state_days``.
Everything here derives from ``Timeline``, which tests prove equal to ``resolve_state``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..engine.geometry import zone_areas_km2
from ..engine.query import source_json
from ..engine.timeline import Timeline
from ..model.records import Dataset
from ..tools.search import fold_rules_json, importance
from ..tools.stats import Tally
from .topology import build_topology, encode

COORD_DIGITS = 4  # ~10 m: finer than any coordinate in the gazetteer
SCALE = 10**COORD_DIGITS
# The events' long texts (about 85% of the events' bytes) are sent by chunks of events, on demand.
TEXT_CHUNK = 32
SOURCE_TEXTS = ("url", "title", "via", "evidence")
# Zones and front lines are simplified for drawing (~50 m); queries, areas and exports use the exact shapes.
DISPLAY_TOLERANCE_DEG = 0.0005
# Places of importance 1 and 2 (cities, towns) are labelled from the opening zoom (assets/45-labels.js MIN_ZOOM).
LABEL_RANKS = 2


def zone_shapes(ds: Dataset, timeline: Timeline, origins: list[list[float]]) -> list[Any]:
    """Per zone (in state-table order) its polygons as shared arcs (layers/web/topology.py: each border once,
    simplified once, so neighbours meet with no crack), each ring starting from the zone's centre; the borders
    between zones whose controller histories differ are marked as front edges."""
    topo = build_topology([z.geometry for z in ds.zones], SCALE, DISPLAY_TOLERANCE_DEG * SCALE)
    history = controller_histories(timeline)
    ids = [z.id for z in ds.zones]
    return encode(topo, [(round(x * SCALE), round(y * SCALE)) for x, y in origins],
                  lambda a, b: history[ids[a]] != history[ids[b]])


def controller_histories(timeline: Timeline) -> dict[str, tuple[tuple[int, str | None], ...]]:
    """Per zone, its controllers over time as (first state index, controller) pairs: two zones with the same
    history never hold different sides, so the boundary between them is never a front line."""
    out = {}
    for zid, runs in timeline.runs.items():
        merged: list[tuple[int, str | None]] = []
        for r in runs:
            if not merged or merged[-1][1] != r.controller:
                merged.append((r.start, r.controller))
        out[zid] = tuple(merged)
    return out


def day_offset(ds: Dataset, day: dt.date) -> int:
    return (day - ds.start).days


def build_payload(ds: Dataset, timeline: Timeline) -> dict[str, Any]:
    """The state table and lookup lists for the browser (JSON-ready)."""
    faction_ids = [f.id for f in ds.factions]
    territorial = {f.id: i for i, f in enumerate(ds.factions) if f.kind == "territorial"}
    presence_bit = {f.id: 1 << i for i, f in enumerate(ds.presence_factions)}
    event_index = {e.id: i for i, e in enumerate(ds.events)}
    zone_ids = [z.id for z in ds.zones]
    zindex = {z: i for i, z in enumerate(zone_ids)}
    runs = []
    for zid in zone_ids:
        zone_runs = []
        for run in timeline.runs[zid]:
            state = timeline.states[run.start]
            mask = sum(presence_bit[p] for p in run.presence)
            cause = event_index[run.cause] if run.cause else -1
            zone_runs.append([run.start, territorial[run.controller] if run.controller else -1, mask, cause,
                              day_offset(ds, state.since[zid])])
        runs.append(zone_runs)
    places = ds.place_by_id
    centers = []
    for z in ds.zones:
        p = places.get(z.place_id or "")
        pt = (p.lon, p.lat) if p else z.geometry.representative_point().coords[0]
        centers.append([round(pt[0], COORD_DIGITS), round(pt[1], COORD_DIGITS)])
    return {
        "digest": ds.digest,
        "start": ds.start.isoformat(),
        "end": ds.end.isoformat(),
        "as_of": ds.as_of.isoformat(),
        "n_days": day_offset(ds, ds.end),
        "factions": [{"id": f.id, "kind": f.kind, "name_en": f.name_en, "name_ar": f.name_ar,
                      "color": f.color, "color_cb": f.color_cb} for f in ds.factions],
        "faction_ids": faction_ids,
        "presence_ids": [f.id for f in ds.presence_factions],
        "zone_ids": zone_ids,
        "zone_centers": centers,
        "zone_km2": [round(km2, 2) for km2 in zone_areas_km2(ds.zones).values()],
        "zone_inferred": [1 if z.open else 0 for z in ds.zones],  # open ground: controller inferred, not reported
        "zone_coord": [places[z.place_id].coord_quality if z.place_id in places else "polygon" for z in ds.zones],
        "towns": [zindex[p.id] for p in ds.places if p.label and p.id in zindex],
        # the places labelled at the opening zooms (cities and towns); villages and the search come with the
        # place index, fetched when first needed (place_index)
        "labels": [p[:3] + [[]] + p[4:] for p in place_rows(ds, zone_ids) if p[4] <= LABEL_RANKS],
        "state_days": [day_offset(ds, d) for d in timeline.days],
        "runs": runs,
        # events without their long texts (event_texts: fetched by the browser when it shows them)
        "events": [{"id": e.id, "date": e.date.isoformat(), "day": day_offset(ds, e.date), "title": e.title,
                    "confidence": e.confidence, "location": zindex.get(e.location or "", -1),
                    "title_ar": e.title_ar,
                    "sources": [{k: v for k, v in source_json(s, ds).items() if k not in SOURCE_TEXTS}
                                for s in e.sources]} for e in ds.events],
        "text_chunk": TEXT_CHUNK,
        "initial_sources": [source_json(s, ds) for s in ds.initial.sources],
        "geom_scale": SCALE,
        "series": area_series(ds, timeline),
        # zone geometry and front edges (assets/05-geometry.js expands them)
        "zones_q": zone_shapes(ds, timeline, centers),
        # major cities of the world basemap (imported areas), labelled by assets/45-labels.js
        "cities": [[f["properties"].get("name", ""), f["properties"].get("name_ar", ""),
                    *f["geometry"]["coordinates"][:2]] for f in ds.base.get("cities", {}).get("features", [])],
    }


def place_index(ds: Dataset, zone_ids: list[str]) -> dict[str, Any]:
    """What the browser's place search, village labels, tooltips and cards need, fetched when first wanted:
    the folding rules (layers/tools/search.py); per place, [zone index, English, Arabic, other names,
    importance, population]; per zone (in state-table order), its [English, Arabic] name."""
    return {"rules": fold_rules_json(), "places": place_rows(ds, zone_ids), "zone_names": zone_names(ds)}


def place_rows(ds: Dataset, zone_ids: list[str]) -> list[list[Any]]:
    """Per place with a zone: [zone index, English, Arabic, other names, importance, population]."""
    zindex = {z: i for i, z in enumerate(zone_ids)}
    return [[zindex[p.id], p.name_en, p.name_ar, list(p.other_names), importance(p)[0], p.population or 0]
            for p in ds.places if p.id in zindex]


def zone_names(ds: Dataset) -> list[list[str]]:
    """Per zone, the [English, Arabic] name of its place (an open-ground or area zone: its id and "")."""
    places = ds.place_by_id
    out = []
    for z in ds.zones:
        p = places.get(z.place_id or "")
        out.append([p.name_en, p.name_ar] if p else [z.id, ""])
    return out


def event_texts(ds: Dataset, chunk: int) -> list[dict[str, Any]]:
    """The long texts of events chunk*TEXT_CHUNK ... (chunk+1)*TEXT_CHUNK - 1: summary, Arabic summary, the
    dispute note and, per source, its link, title, relay and evidence. assets/52-lazy.js merges them into
    the events of the state table when a list page or a card shows them."""
    return [{"summary": e.summary, "summary_ar": e.summary_ar, "disputed": e.disputed,
             "sources": [{k: v for k, v in source_json(s, ds).items() if k in SOURCE_TEXTS} for s in e.sources]}
            for e in ds.events[chunk * TEXT_CHUNK:(chunk + 1) * TEXT_CHUNK]]


def area_series(ds: Dataset, timeline: Timeline) -> dict[str, Any]:
    """km² and known population per territorial faction at every distinct state (the chart's data)."""
    tally = Tally(ds)
    values = [tally.of(st) for st in timeline.states]
    opened = [tally.open_km2(st) for st in timeline.states]
    return {"days": [d.isoformat() for d in timeline.days],
            "km2": {f: [round(v[f][0], 1) for v in values] for f in tally.factions},
            "km2_open": {f: [round(v[f], 1) for v in opened] for f in tally.factions},
            "population": {f: [v[f][1] for v in values] for f in tally.factions}}
