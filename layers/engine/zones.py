"""The fixed partition of the area of interest that control is assigned to.

Four kinds of zone, in this order of precedence:
- **frames**: polygons given in data (Aleppo's neighbourhoods, hand-drawn zones). A frame holding places is
  split among them (each place takes the part of the frame nearest to it); an empty frame is one zone.
- **place cells**: every other place gets the Voronoi cell of its point, computed separately on each bank of
  the Euphrates and Lake Assad (a river is a line no cell crosses) and cut to a disc of ``cap_km`` around the
  place, so that no village carries a wedge of empty steppe.
- **open ground**: what lies beyond every cap (steppe, desert, lake shores), cut along district lines and a
  coarse grid into pieces no larger than a grid cell. Its controller is given in data by area and drawn as
  inferred ground.
Pieces smaller than ``MIN_PIECE_KM2`` (slivers between caps and frames) join the neighbour they share the
longest border with.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from ..model.records import Place, Zone
from .geometry import area_km2, join_small, tiled_union

RIVER_HALF_WIDTH_DEG = 0.0015  # ~150 m each side: the drawn river strip that no zone covers
OPEN_GRID_DEG = 0.25  # open ground is cut into pieces of at most one grid cell (~25 x 28 km)
MIN_PIECE_KM2 = 0.5  # smaller leftovers join a neighbour
KM_PER_DEG_LAT = 110.9


def river_strip(rivers: dict[str, Any] | None, area: BaseGeometry) -> BaseGeometry:
    """The strip along the rivers that separates the banks (empty when there are no rivers)."""
    if not rivers or not rivers.get("features"):
        return shapely.Polygon()
    lines = unary_union([shape(f["geometry"]) for f in rivers["features"] if f.get("geometry")])
    return lines.buffer(RIVER_HALF_WIDTH_DEG).intersection(area)


def covered_area(aoi: BaseGeometry, rivers: dict[str, Any] | None) -> BaseGeometry:
    """The ground that the zones partition: the area of interest less the river strip."""
    return aoi.difference(river_strip(rivers, aoi))


def _parts(geom: BaseGeometry) -> list[BaseGeometry]:
    return [g for g in getattr(geom, "geoms", [geom]) if not g.is_empty and g.area > 0
            and g.geom_type in ("Polygon", "MultiPolygon")]


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    parts = _parts(shapely.make_valid(geom))
    return unary_union(parts) if parts else shapely.Polygon()


def cap_disc(lon: float, lat: float, km: float) -> BaseGeometry:
    """A disc of ``km`` around a point, in degrees (an ellipse: a degree of longitude is shorter)."""
    ry = km / KM_PER_DEG_LAT
    rx = ry / max(0.2, math.cos(math.radians(lat)))
    return shapely.affinity.scale(Point(lon, lat).buffer(ry, quad_segs=16), rx / ry, 1.0)


def voronoi_cells(points: Sequence[Point], within: BaseGeometry) -> list[BaseGeometry]:
    """One cell per point (same order), clipped to ``within``; a single point gets all of it."""
    if len(points) == 1:
        return [within]
    cells = shapely.voronoi_polygons(MultiPoint(list(points)), extend_to=within.envelope.buffer(1.0),
                                     ordered=True)
    return [cell.intersection(within) for cell in cells.geoms]


def _split_among(points: dict[str, Point], area: BaseGeometry) -> dict[str, BaseGeometry]:
    """Voronoi cells of ``points`` on each separate part (bank) of ``area``; parts with no point are left out."""
    banks = _parts(area)
    if not banks or not points:
        return {}
    tree = shapely.STRtree(banks)
    members: dict[int, list[str]] = {}
    for pid, pt in points.items():
        hits = tree.query(pt, predicate="intersects")
        bank = int(hits[0]) if len(hits) else int(tree.nearest(pt))
        members.setdefault(bank, []).append(pid)
    cells: dict[str, BaseGeometry] = {}
    for i, ids in members.items():
        for pid, cell in zip(ids, voronoi_cells([points[p] for p in ids], banks[i])):
            cells[pid] = cell
    return cells


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "area"


def _open_pieces(open_ground: BaseGeometry,
                 districts: Sequence[tuple[str, BaseGeometry]]) -> list[tuple[str, BaseGeometry]]:
    """Open ground cut along district lines and the grid, named ``open_<district>_<n>``."""
    regions = [(_slug(name), geom) for name, geom in districts] or [("aoi", open_ground)]
    covered = unary_union([g for _, g in regions]) if districts else open_ground
    rest = open_ground.difference(covered)
    if not rest.is_empty:
        regions.append(("other", rest))
    x0, y0, x1, y1 = open_ground.bounds  # not empty: build_zones cuts only open ground there is
    grid = [box(x, y, x + OPEN_GRID_DEG, y + OPEN_GRID_DEG)
            for x in np.arange(math.floor(x0 / OPEN_GRID_DEG) * OPEN_GRID_DEG, x1, OPEN_GRID_DEG)
            for y in np.arange(math.floor(y0 / OPEN_GRID_DEG) * OPEN_GRID_DEG, y1, OPEN_GRID_DEG)]
    out: list[tuple[str, BaseGeometry]] = []
    for name, region in regions:
        ground = open_ground.intersection(region)
        if ground.is_empty:
            continue
        pieces = [p for cell in grid for p in _parts(ground.intersection(cell)) for p in getattr(p, "geoms", [p])]
        pieces.sort(key=lambda g: (round(-g.representative_point().y, 4), round(g.representative_point().x, 4)))
        out += [(f"open_{name}_{i + 1}", p) for i, p in enumerate(pieces)]
    return out


def _absorb_slivers(zones: list[Zone]) -> list[Zone]:
    """Zones without a place smaller than MIN_PIECE_KM2 join the neighbour they share the longest border with."""
    small = [i for i, z in enumerate(zones) if z.place_id is None and z.kind == "open"
             and area_km2(z.geometry) < MIN_PIECE_KM2]
    if not small:
        return zones
    merged = join_small([z.geometry for z in zones], small)
    return [Zone(z.id, z.geometry if g is z.geometry else _polygonal(g), z.place_id, z.kind, z.anchor)
            for z, g in zip(zones, merged) if g is not None]


def _anchor(geom: BaseGeometry, pt: Point) -> tuple[float, float]:
    """The place's point, or a point inside its zone when the point lies off the mapped ground (in a river,
    over the border): area selection must find a zone where the zone is."""
    if geom.is_empty or geom.covers(pt):
        return (pt.x, pt.y)
    inner = geom.representative_point()
    return (inner.x, inner.y)


def build_zones(places: Sequence[Place], frames: Sequence[tuple[str, BaseGeometry, str]], aoi: BaseGeometry,
                rivers: dict[str, Any] | None = None, districts: Sequence[tuple[str, BaseGeometry]] = (),
                cap_km: float | None = None) -> list[Zone]:
    """Partition the area of interest: frames (split among their places), capped place cells, open ground.

    ``frames`` are (id, polygon, kind); they must not overlap (the loader refuses overlaps). ``cap_km=None``
    gives uncapped cells (no open ground), the partition of the first version.
    """
    area = covered_area(aoi, rivers)
    points = {p.id: Point(p.lon, p.lat) for p in places}
    zones: list[Zone] = []
    framed: set[str] = set()
    frame_geoms = []
    valid = shapely.make_valid(np.asarray([g for _, g, _ in frames] or [shapely.Polygon()], dtype=object))
    shapely.prepare(area)
    whole = shapely.covers(area, valid)  # a frame inside the area needs no overlay (thousands when imported)
    for (fid, _, kind), geom, inside_area in zip(frames, valid, whole):
        fg = _polygonal(geom if inside_area else geom.intersection(area))
        if fg.is_empty:
            continue
        frame_geoms.append(fg)
        inside = {pid: pt for pid, pt in points.items() if pid not in framed and fg.covers(pt)}
        if not inside:
            pt = fg.representative_point()
            zones.append(Zone(fid, fg, None, kind, (pt.x, pt.y)))
            continue
        framed |= inside.keys()
        cells = _split_among(inside, fg)
        for pid, pt in inside.items():
            cell = _polygonal(cells.get(pid, shapely.Polygon()))
            zones.append(Zone(pid, cell, pid, kind, _anchor(cell, pt)))
    rest = area.difference(tiled_union(frame_geoms)) if frame_geoms else area
    free = {pid: pt for pid, pt in points.items() if pid not in framed}
    cells = _split_among(free, rest)
    placed = []
    for pid, pt in free.items():
        cell = cells.get(pid, shapely.Polygon())
        if cap_km is not None:
            cell = cell.intersection(cap_disc(pt.x, pt.y, cap_km))
        cell = _polygonal(cell)
        placed.append(cell)
        zones.append(Zone(pid, cell, pid, "place", _anchor(cell, pt)))
    open_ground = _polygonal(rest.difference(unary_union(placed))) if placed else _polygonal(rest)
    if cap_km is None and placed:
        _give_orphans(zones, open_ground)
    elif not open_ground.is_empty:
        for oid, geom in _open_pieces(open_ground, districts):
            pt = geom.representative_point()
            zones.append(Zone(oid, geom, None, "open", (pt.x, pt.y)))
    return _absorb_slivers(zones)


def _give_orphans(zones: list[Zone], orphans: BaseGeometry) -> None:
    """Uncapped: bank pieces with no place of their own join the zone of the nearest place."""
    cells = [i for i, z in enumerate(zones) if z.kind == "place"]  # frames keep their drawn shape
    tree = shapely.STRtree([Point(zones[i].anchor) for i in cells])
    for piece in _parts(orphans):
        i = cells[int(tree.nearest(piece.representative_point()))]
        z = zones[i]
        zones[i] = Zone(z.id, _polygonal(z.geometry.union(piece)), z.place_id, z.kind, z.anchor)


class AnchorIndex:
    """The zones' anchors in a spatial index: which zones an area takes in, for many areas quickly."""

    def __init__(self, zones: Sequence[Zone]):
        self.ids = [z.id for z in zones]
        self.tree = shapely.STRtree([Point(z.anchor) for z in zones])

    def inside(self, area: BaseGeometry) -> list[str]:
        """The zones whose anchor lies in ``area`` or on its edge, in zone order."""
        area = shapely.make_valid(area)
        if area.is_empty:
            return []
        return [self.ids[i] for i in sorted(self.tree.query(area, predicate="covers").tolist())]


def zones_in(area: BaseGeometry, zones: Sequence[Zone]) -> list[str]:
    """The zones an area takes in: those whose anchor (the place's point, or a point inside the zone) lies in
    the area or on its edge."""
    return AnchorIndex(zones).inside(area)
