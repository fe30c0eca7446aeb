"""Zone geometry as shared arcs (layers/web/topology.py): decoded, the zones keep their shape and neighbours
meet on the very same line; the browser's decoder (assets/05-geometry.js, run by node) gives exactly the
GeoJSON and front edges that the Python decoding gives, on the bundled data and on awkward shapes."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPoint, Point, Polygon, box

from layers import Timeline, load_dataset
from layers.web.payload import DISPLAY_TOLERANCE_DEG, SCALE, build_payload, controller_histories
from layers.web.topology import build_topology, decode, decode_line, decode_zone, encode, simplify_arc
from tests.conftest import ROOT
from tests.test_timeline_js import TODAY

NODE = shutil.which("node") or shutil.which("nodejs")
SCRIPT = """
const G = require(process.argv[2]);
const data = JSON.parse(require("fs").readFileSync(process.argv[3], "utf8"));
G.expand(data);
process.stdout.write(JSON.stringify({zones: data.zones, edges: data.edges}));
"""
TOLERANCE = DISPLAY_TOLERANCE_DEG * SCALE
SLACK = DISPLAY_TOLERANCE_DEG + 2 / SCALE  # how far a drawn border may lie from the exact one


def origins(centers: list[list[float]]) -> list[tuple[int, int]]:
    return [(round(x * SCALE), round(y * SCALE)) for x, y in centers]


def decoded(geoms: list[Any]) -> list[Any]:
    """Zones through build_topology, encode and decode (the Python twin of the browser's decoder)."""
    centers = [g.representative_point() if not g.is_empty else Point(0, 0) for g in geoms]
    keys = [(round(c.x * SCALE), round(c.y * SCALE)) for c in centers]
    topo = decode(encode(build_topology(geoms, SCALE, TOLERANCE), keys, lambda a, b: True), keys)
    return [decode_zone(z, topo.arcs, SCALE) for z in topo.zones]


def python_expand(payload: dict[str, Any], histories: list[Any]) -> dict[str, Any]:
    """What expand() must give: the GeoJSON of every zone with a shape and the borders between zones whose
    histories differ (so the payload's front flags are checked too), from topology.decode."""
    topo = decode(payload["zones_q"], origins(payload["zone_centers"]))

    def lonlat(points: list[tuple[int, int]]) -> list[list[float]]:
        return [[x / SCALE, y / SCALE] for x, y in points]

    features = [{"type": "Feature", "id": i, "properties": {"zone": payload["zone_ids"][i]},
                 "geometry": {"type": "MultiPolygon",
                              "coordinates": [[lonlat(decode_line(r, topo.arcs)) for r in poly] for poly in z]}}
                for i, z in enumerate(topo.zones) if z]
    fronts = {(a, b): lines for (a, b), lines in topo.borders().items() if histories[a] != histories[b]}
    assert topo.fronts == {arc for lines in fronts.values() for line in lines for arc in line}
    edges = [[a, b, [lonlat(decode_line(line, topo.arcs)) for line in lines]] for (a, b), lines in fronts.items()]
    return {"zones": {"type": "FeatureCollection", "features": features}, "edges": edges}


def node_expand(payload: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    if NODE is None:
        pytest.skip("node is missing (apt-get install nodejs; make browser installs it)")
    (tmp_path / "data.json").write_text(json.dumps(payload))
    (tmp_path / "run.js").write_text(SCRIPT)
    res = subprocess.run([NODE, str(tmp_path / "run.js"), str(ROOT / "assets" / "05-geometry.js"),
                          str(tmp_path / "data.json")], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(res.stdout)


def synthetic_payload(geoms: list[Any], factions: list[int]) -> dict[str, Any]:
    """The geometry part of a payload for bare shapes; zone i is held by factions[i] (the front flags)."""
    centers = [[round(c.x, 4), round(c.y, 4)] for c in (g.representative_point() for g in geoms)]
    topo = build_topology(geoms, SCALE, TOLERANCE)
    return {"geom_scale": SCALE, "zone_ids": [f"z{i}" for i in range(len(geoms))], "zone_centers": centers,
            "zones_q": encode(topo, origins(centers), lambda a, b: factions[a] != factions[b])}


@pytest.mark.parametrize("data", [ROOT / "tests" / "data" / "mini", ROOT / "data"], ids=["mini", "bundled"])
def test_node_expands_the_payload_as_python_decodes_it(data: Path, tmp_path: Path):
    ds = load_dataset(data, today=TODAY)
    timeline = Timeline(ds)
    payload = build_payload(ds, timeline)
    history = controller_histories(timeline)
    out = node_expand(payload, tmp_path)
    assert out == python_expand(payload, [history[z] for z in payload["zone_ids"]])
    assert len(out["zones"]["features"]) == sum(1 for z in ds.zones if not z.geometry.is_empty)
    assert out["edges"], "some neighbours have different histories"
    for i, z in enumerate(ds.zones):
        drawn = shapely.geometry.shape(out["zones"]["features"][i]["geometry"])
        assert drawn.is_valid
        # simplified by ~50 m, rounded to ~10 m (a zero-width spike of an exact zone is left out)
        assert shapely.distance(shapely.points(shapely.get_coordinates(drawn)), z.geometry).max() <= SLACK
        assert drawn.symmetric_difference(z.geometry).area <= z.geometry.length * SLACK


# Awkward shapes, each a small coverage (zone order is the state-table order).
RING = box(37.0, 36.0, 37.2, 36.2).difference(box(37.05, 36.05, 37.15, 36.15))
AWKWARD = {
    "hole filled by an island": [RING, box(37.05, 36.05, 37.15, 36.15)],
    "island first": [box(37.05, 36.05, 37.15, 36.15), RING],
    "hole left empty (a lake)": [RING, box(37.2, 36.0, 37.3, 36.2)],
    "multipolygon": [shapely.MultiPolygon([box(37.0, 36.0, 37.1, 36.1), box(37.2, 36.0, 37.3, 36.1)]),
                     box(37.1, 36.0, 37.2, 36.1)],
    "zone cut in two by a neighbour": [box(37.0, 36.0, 37.3, 36.1).difference(box(37.1, 35.9, 37.2, 36.2)),
                                       box(37.1, 36.0, 37.2, 36.1), box(37.0, 36.1, 37.3, 36.2)],
    "river gap between zones": [box(37.0, 36.0, 37.1, 36.1), box(37.1003, 36.0, 37.2, 36.1)],
    "four meeting at a point": [box(37.0, 36.0, 37.1, 36.1), box(37.1, 36.0, 37.2, 36.1),
                                box(37.0, 36.1, 37.1, 36.2), box(37.1, 36.1, 37.2, 36.2)],
    "vertex on one side only": [Polygon([(37.0, 36.0), (37.1, 36.0), (37.1, 36.05), (37.1, 36.1), (37.0, 36.1)]),
                                box(37.1, 36.0, 37.2, 36.1)],
    "curved border simplified": [Point(37.1, 36.1).buffer(0.05, quad_segs=64),
                                 box(37.0, 36.0, 37.2, 36.2).difference(Point(37.1, 36.1).buffer(0.05, quad_segs=64))],
}


@pytest.mark.parametrize("name", list(AWKWARD))
def test_node_expands_awkward_shapes_as_python_does(name: str, tmp_path: Path):
    geoms = AWKWARD[name]
    factions = list(range(len(geoms)))  # every zone its own faction: every border is an edge
    payload = synthetic_payload(geoms, factions)
    out = node_expand(payload, tmp_path)
    assert out == python_expand(payload, factions)
    shapes = [shapely.geometry.shape(f["geometry"]) for f in out["zones"]["features"]]
    assert len(shapes) == len(geoms) and all(s.is_valid for s in shapes)
    for drawn, exact in zip(shapes, geoms):
        assert abs(drawn.area - exact.area) < exact.length * SLACK
    for a, b in itertools.combinations(range(len(geoms)), 2):
        shared = geoms[a].boundary.intersection(geoms[b].boundary).length
        edge = [e for e in out["edges"] if e[:2] == [a, b]]
        assert bool(edge) == (shared > 0), (a, b)
        if edge:  # the edge is exactly where both zones are drawn
            line = shapely.MultiLineString(edge[0][2])
            assert line.difference(shapes[a].boundary.intersection(shapes[b].boundary)).length < 1e-9


def test_same_history_draws_no_edge(tmp_path: Path):
    geoms = AWKWARD["four meeting at a point"]
    out = node_expand(synthetic_payload(geoms, [0, 0, 1, 1]), tmp_path)
    assert [e[:2] for e in out["edges"]] == [[0, 2], [1, 3]]


@st.composite
def coverages(draw: st.DrawFn) -> list[Any]:
    """Voronoi cells of random villages in a box, one maybe holding a round island (a zone of its own) and
    one maybe left out (a gap, as a river or a lake leaves)."""
    n = draw(st.integers(2, 14))
    pts = draw(st.lists(st.tuples(st.floats(37.0, 37.4), st.floats(36.0, 36.3)), min_size=n, max_size=n,
                        unique_by=lambda p: (round(p[0], 3), round(p[1], 3))))
    frame = box(37.0, 36.0, 37.4, 36.3)
    cells = [c.intersection(frame) for c in shapely.voronoi_polygons(MultiPoint(pts), extend_to=frame,
                                                                      ordered=True).geoms]
    cells = [c for c in cells if c.area > 1e-5]
    if draw(st.booleans()):
        i = draw(st.integers(0, len(cells) - 1))
        centre = cells[i].representative_point()
        island = centre.buffer(draw(st.floats(0.002, 0.02)), quad_segs=draw(st.integers(2, 32))).intersection(
            cells[i])
        cells[i] = cells[i].difference(island)
        cells.append(island)
    if len(cells) > 2 and draw(st.booleans()):
        cells.pop(draw(st.integers(0, len(cells) - 1)))
    return [shapely.make_valid(c) for c in cells if c.area > 1e-5]


@settings(max_examples=60, deadline=None)
@given(geoms=coverages())
def test_shared_arcs_keep_shapes_and_leave_no_cracks(geoms: list[Any]):
    shapes = decoded(geoms)
    for drawn, exact in zip(shapes, geoms):
        assert drawn.is_valid
        assert abs(drawn.area - exact.area) <= exact.length * SLACK
        # a feature thinner than the grid (a zero-width spike the generator can make where circles touch) is
        # not drawn: the distance is to the exact shape on the grid, where such spikes collapse
        assert shapely.hausdorff_distance(drawn, shapely.set_precision(exact, 1 / SCALE)) <= SLACK
    # neighbours meet on the same line: no overlap, no crack narrower than a grid step or two
    assert shapely.coverage_is_valid(np.asarray(shapes, dtype=object), gap_width=3 / SCALE)
    for a in range(len(geoms)):
        for b in range(a + 1, len(geoms)):
            if geoms[a].boundary.intersection(geoms[b].boundary).length > 4 * SLACK:
                assert shapes[a].boundary.intersection(shapes[b].boundary).length > 0


@pytest.mark.parametrize("arc,expected", [
    (((0, 0), (5, 1), (10, 0)), ((0, 0), (10, 0))),                 # within tolerance: end points only
    (((0, 0), (5, 9), (10, 0)), ((0, 0), (5, 9), (10, 0))),         # beyond: kept
    (((0, 0), (9, 0), (9, 9), (0, 0)), ((0, 0), (9, 0), (9, 9), (0, 0))),  # a closed arc keeps four points
    (((0, 0), (1, 0)), ((0, 0), (1, 0))),
])
def test_simplify_arc_keeps_its_ends(arc, expected):
    assert simplify_arc(arc, TOLERANCE) == expected
