"""Geometry derived from a state: dissolved faction areas, front lines, areas in km²."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from ..engine.timeline import State
from ..model.records import Zone

# Lambert azimuthal equal-area centred on the area of interest: areas in m² without distortion.
EQUAL_AREA = "+proj=laea +lat_0=36.2 +lon_0=37.3 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
_TO_EQUAL_AREA = Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True)


def area_km2(geom: BaseGeometry) -> float:
    """Area of a lon/lat geometry in square kilometres (equal-area projection)."""
    if geom.is_empty:
        return 0.0
    projected = shapely.transform(geom, _project, interleaved=True)
    return float(projected.area) / 1e6


def _project(xy: np.ndarray) -> np.ndarray:
    x, y = _TO_EQUAL_AREA.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


@dataclass(frozen=True)
class Edge:
    """The boundary shared by two adjacent zones."""

    a: str
    b: str
    line: BaseGeometry


def adjacency(zones: Sequence[Zone]) -> list[Edge]:
    """Every pair of zones that share a boundary of positive length, with that boundary."""
    geoms = [z.geometry for z in zones]
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    edges = []
    for i, j in zip(left.tolist(), right.tolist()):
        if i >= j:
            continue
        shared = shapely.line_merge(geoms[i].boundary.intersection(geoms[j].boundary))
        lines = [g for g in getattr(shared, "geoms", [shared]) if g.geom_type in ("LineString", "MultiLineString")]
        if lines:
            line = shapely.line_merge(unary_union(lines))
            if line.length > 0:
                edges.append(Edge(zones[i].id, zones[j].id, line))
    return edges


def front_lines(edges: Sequence[Edge], state: State) -> list[tuple[str, str, BaseGeometry]]:
    """Boundaries between zones held by different territorial factions: (faction a, faction b, line)."""
    out = []
    for e in edges:
        fa, fb = state.controller.get(e.a), state.controller.get(e.b)
        if fa != fb and fa is not None and fb is not None:
            a, b = sorted((fa, fb))
            out.append((a, b, e.line))
    return out


def dissolve(zones: Sequence[Zone], state: State) -> dict[str, BaseGeometry]:
    """One (multi)polygon per territorial faction holding ground in ``state``."""
    parts: dict[str, list[BaseGeometry]] = {}
    for z in zones:
        fid = state.controller.get(z.id)
        if fid is not None and not z.geometry.is_empty:
            parts.setdefault(fid, []).append(z.geometry)
    return {fid: shapely.make_valid(unary_union(geoms)) for fid, geoms in parts.items()}


def zone_areas_km2(zones: Sequence[Zone]) -> dict[str, float]:
    """km² of every zone, by id: computed once per dataset, summed per faction by ``areas_by_faction``."""
    return {z.id: area_km2(z.geometry) for z in zones}


def areas_by_faction(zone_km2: Mapping[str, float], state: State) -> dict[str, float]:
    """km² (or any per-zone figure, such as population) per territorial faction, summed over the zones it
    holds in ``state`` (zones do not overlap); zones with no data count for no one."""
    out: dict[str, float] = {}
    for zid, km2 in zone_km2.items():
        fid = state.controller.get(zid)
        if fid is not None:
            out[fid] = out.get(fid, 0.0) + km2
    return out
