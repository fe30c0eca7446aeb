"""Zone geometry as shared arcs (the idea of TopoJSON): every border is stored once.

1. **Noding.** All zone boundaries are overlaid on the integer grid of the payload (snap rounding), so that
   where two zones meet, both pass through the very same grid points (the zones' own vertices do not
   always match: one side of a border may have a vertex the other lacks). The faces of that linework are
   given back to the zone that holds them.
2. **Arcs.** Every ring is cut at its junctions (grid points where the neighbouring points differ between
   the rings through them: three zones meeting, or a border meeting the edge of the map). Each piece is an
   arc, stored once; a ring is a list of arc indices, ``~i`` for arc ``i`` walked backwards. A ring with no
   junction (an island, a zone inside another) is one closed arc that starts at its smallest point.
3. **Simplification.** Each arc is simplified once (Douglas-Peucker, its end points fixed), so both
   neighbours draw exactly the same line: no cracks. An arc whose simplification would make a zone
   invalid or let two zones overlap is kept whole.

4. **Encoding** (``encode``). Arcs travel inside the rings of the zone that meets them first, as steps from
   point to point; the zone on the other side names them by a small number (which of the arcs ending where
   it stands), with a flag when their border is a front edge, so the browser needs no list of edges.

assets/05-geometry.js ``expand`` and ``decode`` here rebuild the rings from the arcs, the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

Point = tuple[int, int]
Arc = tuple[Point, ...]
Refs = list[int]  # a ring or a line: signed arc indices, ~i for arc i walked backwards
ZoneRings = list[list[list[Point]]]  # polygons, each its rings (outer first), closed, in grid units
ZoneRefs = list[list[Refs]]  # polygons, each its rings (outer first) as signed arcs


@dataclass(frozen=True)
class Topology:
    """Arcs (grid points, simplified) and, per zone, its polygons as rings of signed arc indices."""

    arcs: list[Arc]
    zones: list[ZoneRefs]
    fronts: set[int] = field(default_factory=set)  # arcs on a front edge (as decoded)

    def borders(self) -> dict[tuple[int, int], list[Refs]]:
        """Per pair of neighbouring zones (a < b), their shared border as lines of arc indices, in the order
        zone a walks them (a walks them forwards: it is the first to use them)."""
        second: dict[int, int] = {}
        for z, polygons in enumerate(self.zones):
            second.update({~r: z for poly in polygons for ring in poly for r in ring if r < 0})
        shared: dict[tuple[int, int], list[int]] = {}
        for a, polygons in enumerate(self.zones):
            mine: dict[int, list[int]] = {}
            for r in (r for poly in polygons for ring in poly for r in ring if r >= 0 and r in second):
                mine.setdefault(second[r], []).append(r)
            shared.update({(a, b): mine[b] for b in sorted(mine)})
        return {pair: chain_arcs(refs, self.arcs) for pair, refs in shared.items()}


def chain_arcs(refs: Sequence[int], arcs: Sequence[Arc]) -> list[Refs]:
    """Arcs (walked forwards) joined into lines where one starts at the point where the one before ends;
    the last line joins the first when it leads into it (a border around the start of a ring)."""
    lines: list[Refs] = []
    for r in refs:
        if lines and arcs[lines[-1][-1]][-1] == arcs[r][0]:
            lines[-1].append(r)
        else:
            lines.append([r])
    if len(lines) > 1 and arcs[lines[-1][-1]][-1] == arcs[lines[0][0]][0]:
        lines[0] = lines.pop() + lines[0]
    return lines


def decode_line(refs: Sequence[int], arcs: Sequence[Arc]) -> list[Point]:
    """The points of a ring or line given as signed arcs (a joint point once)."""
    out: list[Point] = []
    for ref in refs:
        arc = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
        out.extend(arc[1:] if out else arc)
    return out


def decode_zone(polygons: Sequence[Sequence[Refs]], arcs: Sequence[Arc], scale: int) -> BaseGeometry:
    """A zone's shape in degrees, as assets/05-geometry.js rebuilds it (a MultiPolygon, maybe empty)."""
    rings = [[[(x / scale, y / scale) for x, y in decode_line(ring, arcs)] for ring in poly] for poly in polygons]
    return shapely.MultiPolygon([shapely.Polygon(r[0], r[1:]) for r in rings])


def noded_rings(geoms: Sequence[BaseGeometry], scale: int) -> list[ZoneRings]:
    """Per zone its polygons (outer ring counter-clockwise, holes clockwise) in grid units, noded together."""
    zones = np.asarray(geoms, dtype=object)
    out: list[ZoneRings] = [[] for _ in geoms]
    present = ~shapely.is_empty(zones)
    if not present.any():
        return out
    lines = shapely.union_all(shapely.boundary(zones[present]), grid_size=1 / scale)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    owners = _owners(zones, faces)
    for z in np.unique(owners[owners >= 0]).tolist():
        mine = faces[owners == z]
        shape = mine[0] if len(mine) == 1 else shapely.coverage_union_all(mine)
        shape = shapely.orient_polygons(shape, exterior_cw=False)
        for poly in getattr(shape, "geoms", [shape]):
            rings = [_grid(r.coords, scale) for r in (poly.exterior, *poly.interiors)]
            if len(rings[0]) >= 4:
                out[z].append([r for r in rings if len(r) >= 4])
    return out


def _grid(coords: Sequence[tuple[float, float]], scale: int) -> list[Point]:
    pts = [(int(x), int(y)) for x, y in np.rint(np.asarray(coords) * scale)]
    return [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]


def _owners(zones: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Per face of the noded linework, the zone it belongs to (-1: a gap, such as a river or outside):
    the zone holding a point inside the face, or, for a face on a border or in a gap, the zone covering
    most of it, if any covers more than half."""
    tree = shapely.STRtree(zones)
    face_i, zone_i = tree.query(shapely.point_on_surface(faces), predicate="within")
    hits = np.bincount(face_i, minlength=len(faces))
    owners = np.full(len(faces), -1)
    single = hits[face_i] == 1
    owners[face_i[single]] = zone_i[single]
    for f in np.flatnonzero(hits != 1).tolist():
        candidates = tree.query(faces[f], predicate="intersects")
        if len(candidates):
            areas = shapely.area(shapely.intersection(zones[candidates], faces[f]))
            if areas.max() > 0.5 * faces[f].area:
                owners[f] = candidates[int(areas.argmax())]
    return owners


def cut_arcs(zones: Sequence[ZoneRings]) -> Topology:
    """Rings cut at their junctions into arcs, each stored once (unsimplified)."""
    around: dict[Point, set[Point]] = defaultdict(set)
    for ring in (r for poly in (p for z in zones for p in z) for r in poly):
        for i in range(len(ring) - 1):
            around[ring[i]].add(ring[i - 1] if i else ring[-2])
            around[ring[i]].add(ring[i + 1])
    junctions = {p for p, near in around.items() if len(near) > 2}
    arcs: list[Arc] = []
    index: dict[Arc, int] = {}

    def ref(arc: Arc) -> int:
        if arc in index:
            return index[arc]
        if arc[::-1] in index:
            return ~index[arc[::-1]]
        index[arc] = len(arcs)
        arcs.append(arc)
        return len(arcs) - 1

    out = []
    for polygons in zones:
        out.append([[[ref(a) for a in _split(ring, junctions)] for ring in poly] for poly in polygons])
    return Topology(arcs, out)


def _split(ring: list[Point], junctions: set[Point]) -> list[Arc]:
    """A closed ring as arcs from junction to junction; a ring with none as one closed arc from its
    smallest point (so that the zone around it finds the same arc)."""
    pts = ring[:-1]
    cuts = [i for i, p in enumerate(pts) if p in junctions] or [pts.index(min(pts))]
    turned = pts[cuts[0]:] + pts[:cuts[0]]
    turned.append(turned[0])
    ends = [c - cuts[0] for c in cuts] + [len(pts)]
    return [tuple(turned[a:b + 1]) for a, b in zip(ends, ends[1:])]


def simplify_arc(arc: Arc, tolerance: float) -> Arc:
    """Douglas-Peucker (GEOS's, through shapely) with the end points fixed; a closed arc keeps at least four
    points."""
    if len(arc) <= 2 or tolerance <= 0:
        return arc
    line = shapely.simplify(shapely.LineString(arc), tolerance, preserve_topology=False)
    out = tuple((int(x), int(y)) for x, y in line.coords)  # a subset of the arc's own (integer) points
    return out if len(out) >= 2 and (arc[0] != arc[-1] or len(out) >= 4) else arc


def simplified(topo: Topology, tolerance: float, scale: int) -> Topology:
    """Every arc simplified once; arcs of a zone that would come out invalid, or overlap a neighbour, are
    kept whole (repeated until every zone is sound)."""
    whole: set[int] = set()
    while True:
        arcs = [arc if i in whole else simplify_arc(arc, tolerance) for i, arc in enumerate(topo.arcs)]
        decoded: list[BaseGeometry | None] = [decode_zone(p, arcs, scale) if _rings_close(p, arcs) else None
                                              for p in topo.zones]
        shapes = np.asarray(decoded, dtype=object)
        bad = ~shapely.is_valid(shapes)
        if not bad.any():
            bad = ~shapely.is_empty(shapely.coverage_invalid_edges(shapes))
        more = {r if r >= 0 else ~r for z in np.flatnonzero(bad).tolist()
                for ring in (r for poly in topo.zones[z] for r in poly) for r in ring} - whole
        if not more:
            return Topology(arcs, topo.zones)
        whole |= more


def _rings_close(polygons: Sequence[Sequence[Refs]], arcs: Sequence[Arc]) -> bool:
    """Every ring still has at least three distinct points (two arcs simplified to one segment do not)."""
    return all(len(decode_line(ring, arcs)) >= 4 for poly in polygons for ring in poly)


def build_topology(geoms: Sequence[BaseGeometry], scale: int, tolerance: float) -> Topology:
    """Zones (in degrees) as simplified shared arcs on a grid of 1/scale degree; tolerance in grid units."""
    return simplified(cut_arcs(noded_rings(geoms, scale)), tolerance, scale)


def encode(topo: Topology, origins: Sequence[Point], front: Callable[[int, int], bool]) -> list[list[list[list[int]]]]:
    """The zones as sent (``zones_q``): per zone its polygons, each a list of rings, each ring one flat list
    of integers: ``sx, sy``, its first point as a step from the zone's origin (its centre on the grid), then
    per arc either ``n`` and ``2n`` steps (an arc met for the first time, walked forwards: its n points after
    the current one, each from the one before) or ``-(2k + f)`` (an arc met before, walked backwards by the
    zone on its other side: the k-th, in the order they were met, of the arcs that end at the current point
    and that no ring has walked back yet, nearly always 0; f is 1 when the border between the two zones is a
    front edge, ``front(a, b)`` for the zone a that met it first and the zone b walking it back)."""
    ends: dict[Point, list[int]] = defaultdict(list)
    owner: list[int] = []
    out: list[list[list[list[int]]]] = []
    for z, ((ox, oy), polygons) in enumerate(zip(origins, topo.zones)):
        zone = []
        for poly in polygons:
            rings = []
            for ring in poly:
                x, y = decode_line(ring[:1], topo.arcs)[0]
                flat = [x - ox, y - oy]
                for r in ring:
                    arc = topo.arcs[r if r >= 0 else ~r]
                    if r == len(owner):  # first met: arcs are numbered in the order they are first met
                        flat.append(len(arc) - 1)
                        for px, py in arc[1:]:
                            flat += [px - x, py - y]
                            x, y = px, py
                        ends[arc[-1]].append(r)
                        owner.append(z)
                    else:
                        if r >= 0 or arc[-1] != (x, y):
                            raise ValueError(f"arc {r if r >= 0 else ~r} walked twice the same way: zones overlap")
                        waiting = ends[(x, y)]
                        flat.append(-(2 * waiting.index(~r) + int(front(owner[~r], z))))
                        waiting.remove(~r)
                        x, y = arc[0]
                rings.append(flat)
            zone.append(rings)
        out.append(zone)
    return out


def decode(zones_q: Sequence[Sequence[Sequence[Sequence[int]]]], origins: Sequence[Point]) -> Topology:
    """``encode`` reversed: the arcs (grid points) and each zone's rings as signed arc indices, as
    assets/05-geometry.js decodes them."""
    arcs: list[Arc] = []
    ends: dict[Point, list[int]] = defaultdict(list)
    fronts: set[int] = set()
    zones = []
    for (ox, oy), polygons in zip(origins, zones_q):
        zone = []
        for poly in polygons:
            rings = []
            for flat in poly:
                x, y = ox + flat[0], oy + flat[1]
                refs, j = [], 2
                while j < len(flat):
                    n = flat[j]
                    if n <= 0:
                        i = ends[(x, y)].pop(-n // 2)
                        if -n % 2:
                            fronts.add(i)
                        refs.append(~i)
                        x, y = arcs[i][0]
                        j += 1
                        continue
                    pts = [(x, y)]
                    for dx, dy in zip(flat[j + 1:j + 1 + 2 * n:2], flat[j + 2:j + 2 + 2 * n:2]):
                        x, y = x + dx, y + dy
                        pts.append((x, y))
                    refs.append(len(arcs))
                    ends[(x, y)].append(len(arcs))
                    arcs.append(tuple(pts))
                    j += 1 + 2 * n
                rings.append(refs)
            zone.append(rings)
        zones.append(zone)
    return Topology(arcs, zones, fronts)
