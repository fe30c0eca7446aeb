"""`controlmap compare-map`: how far an outside control map of one day agrees with ours, by area.

The outside map is any polygon file pyogrio reads (GeoJSON, GeoPackage, Shapefile...) whose features carry a
label that ``--map`` turns into our faction ids. Both maps are compared over the ground both cover: per class
the share of its outside area we give the same side (and the intersection over union), overall the share of
the common ground on which they agree, and the largest pieces of disagreement, named by the places in them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Point, mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from ..engine.geometry import area_km2
from ..engine.scene import Scenes
from ..engine.timeline import Timeline
from ..io.writers import write_json
from ..model.errors import ExportError
from ..model.records import Dataset
from .importer import LABEL_PROPERTIES, fold

TOP_DISAGREEMENTS = 10
MIN_DISAGREEMENT_KM2 = 0.5  # smaller pieces are digitising noise along shared lines


@dataclass(frozen=True)
class ClassAgreement:
    faction: str
    theirs_km2: float
    ours_km2: float
    both_km2: float

    @property
    def recall(self) -> float:
        return self.both_km2 / self.theirs_km2 if self.theirs_km2 else 0.0

    @property
    def iou(self) -> float:
        union = self.theirs_km2 + self.ours_km2 - self.both_km2
        return self.both_km2 / union if union else 0.0


@dataclass(frozen=True)
class Disagreement:
    theirs: str
    ours: str
    km2: float
    places: tuple[str, ...]
    geometry: BaseGeometry


@dataclass(frozen=True)
class Comparison:
    day: dt.date
    common_km2: float
    agree_km2: float
    classes: list[ClassAgreement]
    disagreements: list[Disagreement]

    @property
    def overall(self) -> float:
        return self.agree_km2 / self.common_km2 if self.common_km2 else 0.0


def read_outside_map(path: Path, labels: dict[str, str], label_property: str | None,
                     factions: set[str]) -> dict[str, BaseGeometry]:
    """faction -> the outside map's ground of that faction (lon/lat); every problem is one line."""
    import pyogrio

    try:
        frame = pyogrio.read_dataframe(path)
    except Exception as exc:  # noqa: BLE001 - whatever the driver says, the user gets one line
        raise ExportError(f"{path}: cannot read as a map: {str(exc).splitlines()[0]}") from None
    if frame.crs is not None and not frame.crs.is_geographic:
        frame = frame.to_crs("EPSG:4326")
    elif frame.crs is None and len(frame) and abs(frame.total_bounds).max() > 360:
        raise ExportError(f"{path}: coordinates are not degrees and the file names no coordinate system")
    elif frame.crs is not None and frame.crs.to_epsg() not in (4326, None):
        frame = frame.to_crs("EPSG:4326")
    prop = label_property or next((p for p in LABEL_PROPERTIES if p in frame.columns), None)
    if prop is None or prop not in frame.columns:
        raise ExportError(f"{path}: no label property (tried {label_property or ', '.join(LABEL_PROPERTIES)})")
    parts: dict[str, list[BaseGeometry]] = {}
    for i, (label, geom) in enumerate(zip(frame[prop], frame.geometry)):
        if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        fid = labels.get(fold(label))
        if fid is None:
            raise ExportError(f"{path}#{i}: label {label!r} is not in --map")
        if fid not in factions:
            raise ExportError(f"--map: {fid!r} is not a territorial faction of this dataset")
        parts.setdefault(fid, []).append(shapely.make_valid(geom))
    if not parts:
        raise ExportError(f"{path}: no polygons")
    return {fid: unary_union(gs) for fid, gs in parts.items()}


def _names(ds: Dataset, geom: BaseGeometry, limit: int = 4) -> tuple[str, ...]:
    shapely.prepare(geom)
    inside = [p for p in ds.places if geom.covers(Point(p.lon, p.lat))]
    inside.sort(key=lambda p: (p.rank, -(p.population or 0), p.name_en))
    return tuple(p.name_en for p in inside[:limit])


GRID = 1e-6  # degrees: both maps are overlaid on this grid (robust against near-coincident edges)


def _polys(g: BaseGeometry) -> BaseGeometry:
    """The polygonal part of a geometry snapped to the grid (overlays may leave lines and points)."""
    g = shapely.set_precision(shapely.make_valid(g), GRID)
    parts = [p for p in getattr(g, "geoms", [g]) if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty]
    return shapely.union_all(parts, grid_size=GRID) if parts else shapely.Polygon()


def _and(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    return _polys(shapely.intersection(a, b, grid_size=GRID))


def compare(ds: Dataset, timeline: Timeline, theirs: dict[str, BaseGeometry], day: dt.date) -> Comparison:
    outside = ds.outside(day)
    if outside is not None:
        raise ExportError(outside, path="--date")
    ours = {f: _polys(g) for f, g in Scenes(ds, timeline).view(day).areas.items()}
    theirs = {f: _polys(g) for f, g in theirs.items()}
    their_all = _and(shapely.union_all(list(theirs.values()), grid_size=GRID), _polys(ds.aoi))
    our_all = shapely.union_all(list(ours.values()), grid_size=GRID) if ours else shapely.Polygon()
    common = _and(their_all, our_all)
    classes, agree = [], 0.0
    disagreements = []
    for fid in sorted(set(theirs) | set(ours)):
        t = _and(theirs.get(fid, shapely.Polygon()), common)
        o = _and(ours.get(fid, shapely.Polygon()), common)
        both = area_km2(_and(t, o))
        agree += both
        classes.append(ClassAgreement(fid, area_km2(t), area_km2(o), both))
        for other, geom in ours.items():
            if other == fid:
                continue
            overlap = _and(t, geom)
            for piece in getattr(overlap, "geoms", [overlap]):
                km2 = area_km2(piece) if piece.geom_type in ("Polygon", "MultiPolygon") else 0.0
                if km2 >= MIN_DISAGREEMENT_KM2:
                    disagreements.append((fid, other, km2, piece))
    disagreements.sort(key=lambda d: -d[2])
    top = [Disagreement(t, o, km2, _names(ds, g), g) for t, o, km2, g in disagreements[:TOP_DISAGREEMENTS]]
    return Comparison(day, area_km2(common), agree, classes, top)


def format_comparison(c: Comparison) -> str:
    lines = [f"{c.day}: {c.common_km2:,.0f} km² mapped by both; agreement {c.overall:.1%}", "",
             f"{'faction':14} {'theirs km²':>11} {'ours km²':>10} {'agree km²':>10} {'recall':>7} {'IoU':>6}"]
    lines += [f"{k.faction:14} {k.theirs_km2:11,.0f} {k.ours_km2:10,.0f} {k.both_km2:10,.0f} "
              f"{k.recall:7.1%} {k.iou:6.1%}" for k in c.classes]
    lines += ["", "largest disagreements (theirs -> ours):"]
    lines += [f"  {d.km2:8,.0f} km²  {d.theirs} -> {d.ours}  {', '.join(d.places) or '(no named place)'}"
              for d in c.disagreements]
    return "\n".join(lines)


def write_disagreements(c: Comparison, path: Path) -> None:
    doc: dict[str, Any] = {"type": "FeatureCollection", "date": c.day.isoformat(), "features": [
        {"type": "Feature", "geometry": mapping(shapely.set_precision(d.geometry, 1e-6)),
         "properties": {"theirs": d.theirs, "ours": d.ours, "area_km2": round(d.km2, 1), "places": list(d.places)}}
        for d in c.disagreements]}
    write_json(path, doc)
