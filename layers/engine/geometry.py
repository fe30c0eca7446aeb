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


def join_small(geoms: Sequence[BaseGeometry], small: Sequence[int], into_small: bool = True,
               noded: bool = False) -> list[BaseGeometry | None]:
    """Each piece in ``small`` (in that order) joins the neighbour it shares the longest border with: the
    result has None for a piece that joined another and the union for a piece that took some in. With
    ``into_small=False`` no small piece takes another in; otherwise any may that has not joined one itself.
    A piece that took others in and then joins a neighbour brings them along. ``noded``: neighbours share
    the very same segments (faces of a polygonize), so borders are found by matching segments. The one
    sliver merge: the zones of a dataset and the faces of an import both use it."""
    small = list(small)
    if not small:
        return list(geoms)
    borders = _matched_borders(geoms, small) if noded else _overlaid_borders(geoms, small)
    into: dict[int, int] = {}
    barred = set(small) if not into_small else set()
    for i in small:
        best, best_len = -1, 0.0
        for j, shared in borders.get(i, ()):
            if j not in barred and j not in into and shared > best_len:
                best, best_len = j, shared
        if best >= 0:
            into[i] = best
    groups: dict[int, list[int]] = {}
    for i in into:
        root = into[i]
        while root in into:  # a piece that took others in has joined a neighbour since
            root = into[root]
        groups.setdefault(root, []).append(i)
    out: list[BaseGeometry | None] = list(geoms)
    for root, members in groups.items():
        out[root] = shapely.union_all([geoms[root], *(geoms[i] for i in members)])
    for i in into:
        out[i] = None
    return out


def _overlaid_borders(geoms: Sequence[BaseGeometry], small: list[int]) -> dict[int, list[tuple[int, float]]]:
    """For each small piece, its neighbours (in index order: a tie goes to the first) and the length of border
    it shares with each."""
    tree = shapely.STRtree(geoms)
    edges = shapely.boundary(np.asarray(geoms, dtype=object))  # once each: a large piece borders many small
    out = {}
    for i in small:
        near = sorted(j for j in tree.query(geoms[i], predicate="intersects").tolist() if j != i)
        lengths = shapely.length(shapely.intersection(edges[i], edges[near])) if near else []
        out[i] = list(zip(near, (float(x) for x in lengths)))
    return out


def _matched_borders(geoms: Sequence[BaseGeometry], small: list[int]) -> dict[int, list[tuple[int, float]]]:
    """The same for pieces whose neighbours share identical segments: segments are sorted so that equal ones
    meet, and each pair of pieces adds up the lengths of the segments they share."""
    parts, piece = shapely.get_parts(np.asarray(geoms, dtype=object), return_index=True)
    rings, part = shapely.get_rings(parts, return_index=True)
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    owner = piece[part[ring]]
    same = ring[:-1] == ring[1:]
    a, b, who = xy[:-1][same], xy[1:][same], owner[:-1][same]
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    a[swap], b[swap] = b[swap], a[swap].copy()
    order = np.lexsort((b[:, 1], b[:, 0], a[:, 1], a[:, 0]))
    a, b, who = a[order], b[order], who[order]
    twin = np.flatnonzero((a[1:] == a[:-1]).all(axis=1) & (b[1:] == b[:-1]).all(axis=1))
    p, q = who[twin], who[twin + 1]
    keep = p != q
    p, q, length = p[keep], q[keep], np.hypot(*(b[twin[keep]] - a[twin[keep]]).T)
    wanted = np.zeros(len(geoms), dtype=bool)
    wanted[small] = True
    shared: dict[int, dict[int, float]] = {i: {} for i in small}
    for x, y, n in zip(np.concatenate([p, q]).tolist(), np.concatenate([q, p]).tolist(),
                       np.concatenate([length, length]).tolist()):
        if wanted[x]:
            shared[x][y] = shared[x].get(y, 0.0) + n
    return {i: sorted(d.items()) for i, d in shared.items()}


def tiled_union(pieces: list[BaseGeometry]) -> BaseGeometry:
    """The union of pieces that do not overlap: a coverage union when they tile edge to edge (imported faces
    do; a hundred times cheaper) and it is whole (valid, with the pieces' total area), else an overlay union."""
    if len(pieces) > 1:
        try:
            tiled = shapely.coverage_union_all(pieces)
        except shapely.errors.GEOSException:  # edges that do not match: not a tiling
            tiled = None
        total = float(shapely.area(np.asarray(pieces, dtype=object)).sum())
        if tiled is not None and tiled.is_valid and abs(tiled.area - total) <= 1e-9 * max(total, 1e-12):
            return tiled
    return unary_union(pieces)
