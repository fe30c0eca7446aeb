"""The overlay: every boundary any snapshot ever had splits the ground into fixed faces (zones); faces
smaller than a sliver join the neighbour they share most boundary with; then each snapshot gives every
face its controller."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ...engine.geometry import area_km2, join_small
from .common import GRID, ImportReport, Snapshot

SLIVER_KM2 = 0.05
KM_PER_DEG = 111.32


def digest(areas: dict[str, BaseGeometry]) -> str:
    h = hashlib.sha1(usedforsecurity=False)
    for fid in sorted(areas):
        h.update(fid.encode())
        h.update(shapely.to_wkb(shapely.normalize(areas[fid])))
    return h.hexdigest()


def distinct_segments(geoms: list[BaseGeometry], chunk: int = 64) -> np.ndarray:
    """Every boundary segment of the shapes, snapped to the grid, each once (n x 4: x0 y0 x1 y1, sorted).
    Most of a front is the same from one day to the next: this is what keeps the noding small. Each end
    is packed into one integer (grid steps of x and y), so that finding the distinct segments is a sort
    of two integer columns rather than of rows of floats; the shapes are taken ``chunk`` at a time, so
    that only the distinct segments so far and one chunk's are ever in memory."""
    a, b = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    for start in range(0, len(geoms), chunk):
        rings = shapely.get_rings(shapely.get_parts(np.asarray(geoms[start:start + chunk], dtype=object)))
        xy, ring = shapely.get_coordinates(rings, return_index=True)
        key = _pack(xy)
        same = ring[:-1] == ring[1:]  # consecutive points of one ring
        a0, b0 = key[:-1][same], key[1:][same]
        a, b = _distinct(np.concatenate([a, np.minimum(a0, b0)]), np.concatenate([b, np.maximum(a0, b0)]))
    if not len(a):
        return np.zeros((0, 4))
    return np.hstack([_unpack(a), _unpack(b)])


def _distinct(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (a, b) pairs with a != b, sorted."""
    keep = a != b
    a, b = a[keep], b[keep]
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    first = np.ones(len(a), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    return a[first], b[first]


_OFFSET = 1 << 25  # grid steps: |x| <= 180 degrees is 18,000,000 steps < 2**25
_STEPS = round(1 / GRID)


def _pack(xy: np.ndarray) -> np.ndarray:
    q = np.rint(xy * _STEPS).astype(np.int64) + _OFFSET
    return (q[:, 0] << 26) | q[:, 1]  # ordered as (x, y)


def _unpack(key: np.ndarray) -> np.ndarray:
    return np.column_stack([(key >> 26) - _OFFSET, (key & ((1 << 26) - 1)) - _OFFSET]) / _STEPS


def approx_km2(geoms: np.ndarray) -> np.ndarray:
    """Areas good enough to find slivers: degrees² scaled by the cosine of the latitude."""
    lat = shapely.get_y(shapely.centroid(geoms))
    return shapely.area(geoms) * KM_PER_DEG ** 2 * np.cos(np.radians(lat))


def partition(snapshots: list[Snapshot], report: ImportReport, progress: Callable[[str], None] | None = None,
              keys: list[str] | None = None) -> list[BaseGeometry]:
    """Faces of the overlay of every distinct snapshot's boundaries, with slivers merged away. ``keys``: the
    snapshots' digests, when the caller has them."""
    distinct: dict[str, Snapshot] = {}
    for snap, key in zip(snapshots, keys or [digest(s.areas) for s in snapshots]):
        distinct.setdefault(key, snap)
    shapes = [g for s in distinct.values() for g in s.areas.values()]
    seg = distinct_segments(shapes)
    if progress:
        progress(f"overlaying {len(distinct)} distinct snapshots ({len(seg)} distinct segments)")
    noded = shapely.union_all(shapely.linestrings(seg.reshape(-1, 2, 2)), grid_size=GRID)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    faces = faces[shapely.area(faces) > 0]
    # A face belongs to the map when some snapshot covers it (holes and the outside do not).
    return _merge_slivers(list(faces[covered(faces, shapes)]), report)


def _inside(geom: BaseGeometry, xy: np.ndarray) -> np.ndarray:
    shapely.prepare(geom)
    try:
        return shapely.contains_xy(geom, xy[:, 0], xy[:, 1])
    finally:
        shapely.destroy_prepared(geom)  # its index is as large as the shape: keep hundreds of them no longer


def covered(faces: np.ndarray, shapes: list[BaseGeometry]) -> np.ndarray:
    """Which faces some shape covers: each shape tests only the faces no earlier shape covered (prepared,
    vectorised), so the common case costs one pass."""
    xy = shapely.get_coordinates(shapely.point_on_surface(faces))
    todo = np.arange(len(faces))
    for geom in shapes:
        if not len(todo):
            break
        todo = todo[~_inside(geom, xy[todo])]
    mask = np.ones(len(faces), dtype=bool)
    mask[todo] = False
    return mask


def _merge_slivers(faces: list[BaseGeometry], report: ImportReport) -> list[BaseGeometry]:
    km2 = approx_km2(np.asarray(faces, dtype=object)) if faces else np.zeros(0)
    small = [i for i in np.flatnonzero(km2 < SLIVER_KM2 * 2).tolist() if area_km2(faces[i]) < SLIVER_KM2]
    merged = join_small(faces, small, into_small=False, noded=True)
    report.slivers_merged = sum(g is None for g in merged)
    return [g for g in merged if g is not None]


def assign(faces: list[BaseGeometry], snapshots: list[Snapshot],
           keys: list[str] | None = None) -> tuple[list[str | None], np.ndarray]:
    """For each snapshot, the faction covering each face: the factions' names (0: None, where no polygon
    covers the face) and a snapshots x faces array of their codes (small, however many snapshots)."""
    xy = shapely.get_coordinates(shapely.point_on_surface(np.asarray(faces, dtype=object)))
    names: list[str | None] = [None]
    code: dict[str, int] = {}
    codes = np.zeros((len(snapshots), len(faces)), dtype=np.uint16)
    done: dict[str, int] = {}
    for s, (snap, key) in enumerate(zip(snapshots, keys or [digest(x.areas) for x in snapshots])):
        if key in done:
            codes[s] = codes[done[key]]
            continue
        done[key] = s
        for fid, geom in snap.areas.items():  # overlapping polygons: the later faction in the file wins
            if fid not in code:
                code[fid] = len(names)
                names.append(fid)
            codes[s, _inside(geom, xy)] = code[fid]
    return names, codes
