"""Named polygons: areas that changes refer to (data/areas/*.geojson) and hand-drawn zones (data/zones/).

Both are GeoJSON FeatureCollections whose features carry an ``id``; areas also say what they are (``kind``)
and how and from which source they were drawn (``note``). Neighbourhood areas and hand-drawn zones are
frames of the partition: they may not overlap one another.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ..model.errors import Problems
from ..model.records import Area
from .geojson import read_geojson
from .readers import ID_RE

AREA_KINDS = ("district", "governorate", "neighbourhood", "drawn", "cell")
FRAME_AREA_KINDS = ("neighbourhood",)  # areas that are also zones of the partition
OVERLAP_TOLERANCE = 1e-7  # deg²: shared edges digitised twice may overlap by a hair (~1,000 m²)


def polygon_features(path: Path, problems: Problems) -> Iterator[tuple[str, dict[str, Any], BaseGeometry]]:
    """(id, properties, polygon) for each good feature of a GeoJSON file; bad ones are reported."""
    doc = read_geojson(path, problems)  # within the limits (size, text, finite numbers)
    if doc is None:
        return
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        problems.add(path, 1, "must be a GeoJSON FeatureCollection")
        return
    for i, feat in enumerate(doc["features"]):
        props = feat.get("properties") if isinstance(feat, dict) else None
        props = props if isinstance(props, dict) else {}
        fid = str(props.get("id", ""))
        where = f"#{fid or i}"
        if not ID_RE.match(fid):
            problems.add(path, where, "feature needs an id property (lowercase, _ or -)")
            continue
        try:
            geom = shape(feat["geometry"])
        except Exception as exc:  # noqa: BLE001 - any malformed geometry is a data problem
            problems.add(path, where, f"invalid geometry: {exc}")
            continue
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.add(path, where, "geometry must be a non-empty Polygon or MultiPolygon")
            continue
        if not geom.is_valid:
            problems.add(path, where, "invalid geometry (self-intersecting or bad ring)")
            continue
        yield fid, props, geom


def load_explicit_zones(root: Path, problems: Problems) -> list[tuple[str, BaseGeometry, str]]:
    """Hand-drawn zones: (id, polygon, "drawn")."""
    return [(fid, geom, "drawn") for path in sorted((root / "zones").glob("*.geojson"))
            for fid, _, geom in polygon_features(path, problems)]


def load_areas(root: Path, problems: Problems) -> dict[str, Area]:
    areas: dict[str, Area] = {}
    for path in sorted((root / "areas").glob("*.geojson")):
        for fid, props, geom in polygon_features(path, problems):
            kind = str(props.get("kind", ""))
            note = str(props.get("note", "") or "").strip()
            if kind not in AREA_KINDS:
                problems.add(path, f"#{fid}", f"area kind must be one of {', '.join(AREA_KINDS)}, not {kind!r}")
            elif not note:
                problems.add(path, f"#{fid}", "area needs a note: how it was drawn and from which source")
            elif fid in areas:
                problems.add(path, f"#{fid}", f"duplicate area id {fid!r}")
            else:
                areas[fid] = Area(fid, kind, str(props.get("name_en", "") or fid), str(props.get("name_ar", "") or ""),
                                  geom, note)
    return areas


def check_frames_disjoint(frames: list[tuple[str, BaseGeometry, str]], root: Path, problems: Problems) -> None:
    """Frames (hand-drawn zones, neighbourhoods) may not overlap: their area would be counted twice."""
    geoms = [g for _, g, _ in frames]
    if len(geoms) < 2:
        return
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms)  # boxes that meet; then only pairs whose insides meet can overlap
    pairs = sorted((i, j) for i, j in zip(left.tolist(), right.tolist()) if i < j)
    if not pairs:
        return
    a, b = (np.asarray([geoms[k] for k in side], dtype=object) for side in zip(*pairs))
    shapely.prepare(a)
    shapely.prepare(b)
    inner = shapely.overlaps(a, b) | shapely.contains(a, b) | shapely.contains(b, a)
    for (i, j), meet in zip(pairs, inner.tolist()):
        if meet and geoms[i].intersection(geoms[j]).area > OVERLAP_TOLERANCE:
            where = "zones" if frames[i][2] == "drawn" else "areas"
            problems.add(root / where, f"#{frames[j][0]}", f"overlaps {frames[i][0]}: zones may not overlap")
