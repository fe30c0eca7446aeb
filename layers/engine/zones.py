"""The fixed partition of the area of interest that control is assigned to.

Each place gets the Voronoi cell of its point, computed separately on each bank of the Euphrates and
Lake Assad (a river is a line that no cell may cross), clipped to the area of interest. Explicit polygons
(data/zones/*.geojson) are cut out first and become zones of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import shapely
from shapely.geometry import MultiPoint, Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from ..model.records import Place, Zone

RIVER_HALF_WIDTH_DEG = 0.0015  # ~150 m each side: the drawn river strip that no zone covers


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
    return [g for g in getattr(geom, "geoms", [geom]) if not g.is_empty and g.area > 0]


def voronoi_cells(points: Sequence[Point], within: BaseGeometry) -> list[BaseGeometry]:
    """One cell per point (same order), clipped to ``within``; a single point gets all of it."""
    if len(points) == 1:
        return [within]
    cells = shapely.voronoi_polygons(MultiPoint(list(points)), extend_to=within.envelope.buffer(1.0),
                                     ordered=True)
    return [cell.intersection(within) for cell in cells.geoms]


def _assign_orphans(cells: dict[str, BaseGeometry], orphans: Iterable[BaseGeometry],
                    points: dict[str, Point]) -> None:
    """Bank pieces with no place of their own join the cell of the nearest place."""
    ids = list(points)
    tree = shapely.STRtree([points[i] for i in ids])
    for piece in orphans:
        nearest = ids[int(tree.nearest(piece.representative_point()))]
        cells[nearest] = cells.get(nearest, shapely.Polygon()).union(piece)


def build_zones(places: Sequence[Place], explicit: Sequence[tuple[str, BaseGeometry]],
                aoi: BaseGeometry, rivers: dict[str, Any] | None = None) -> list[Zone]:
    """Partition the area of interest into zones: explicit polygons plus one cell per place."""
    zones = [Zone(zid, shapely.make_valid(geom).intersection(aoi), None) for zid, geom in explicit]
    area = covered_area(aoi, rivers).difference(unary_union([z.geometry for z in zones]))
    points = {p.id: Point(p.lon, p.lat) for p in places}
    cells: dict[str, BaseGeometry] = {}
    orphans: list[BaseGeometry] = []
    banks = _parts(area)
    bank_tree = shapely.STRtree(banks)
    members: dict[int, list[str]] = {i: [] for i in range(len(banks))}
    for pid, pt in points.items():
        hits = bank_tree.query(pt, predicate="intersects")
        bank = int(hits[0]) if len(hits) else int(bank_tree.nearest(pt))
        members[bank].append(pid)
    for i, bank in enumerate(banks):
        ids = members[i]
        if not ids:
            orphans.append(bank)
            continue
        for pid, cell in zip(ids, voronoi_cells([points[p] for p in ids], bank)):
            cells[pid] = cell
    if points:
        _assign_orphans(cells, orphans, points)
    for p in places:
        geom = shapely.make_valid(cells.get(p.id, shapely.Polygon()))
        polys = [g for g in _parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
        zones.append(Zone(p.id, unary_union(polys) if polys else shapely.Polygon(), p.id))
    return zones
