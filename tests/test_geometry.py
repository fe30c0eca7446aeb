"""Derived geometry: areas in km², dissolved faction areas, front lines, adjacency."""

from __future__ import annotations

import datetime as dt

import pytest
from shapely.geometry import Polygon, box

from layers import Timeline, resolve_state
from layers.engine.geometry import adjacency, area_km2, areas_by_faction, dissolve, front_lines, join_small


@pytest.mark.parametrize("geom, km2", [
    (box(0, 0, 1, 1), 12308),          # one degree square at the equator
    (box(37, 36, 38, 37), 9941),       # one degree square in the area of interest
    (box(37, 36, 37, 36), 0),          # degenerate
])
def test_area_km2(geom, km2):
    assert area_km2(geom) == pytest.approx(km2, abs=2)


def test_an_empty_shape_has_no_area():
    assert area_km2(Polygon()) == 0.0


def test_dissolve_gives_one_shape_per_faction(mini):
    state = resolve_state(mini, dt.date(2017, 1, 1))
    shapes = dissolve(mini.zones, state)
    assert set(shapes) == {"sdf", "opposition", "government", "hts"}
    total = sum(area_km2(z.geometry) for z in mini.zones)
    assert sum(area_km2(g) for g in shapes.values()) == pytest.approx(total, rel=1e-6)


def test_areas_by_faction_match_dissolved_areas(mini):
    state = resolve_state(mini, dt.date(2017, 1, 1))
    km2 = {z.id: area_km2(z.geometry) for z in mini.zones}
    by_faction = areas_by_faction(km2, state)
    for fid, geom in dissolve(mini.zones, state).items():
        assert by_faction[fid] == pytest.approx(area_km2(geom), rel=1e-6)


def test_adjacency_is_symmetric_and_shared(mini):
    edges = adjacency(mini.zones)
    pairs = {(e.a, e.b) for e in edges}
    assert ("echo", "foxtrot") in pairs and ("alpha", "bravo") in pairs
    assert ("alpha", "echo") not in pairs and ("echo", "alpha") not in pairs
    assert all(e.a != e.b for e in edges) and len(pairs) == len(edges)  # no zone borders itself, each pair once
    assert len(set(edges)) == len(edges)  # edges are values: hashable, usable as keys
    for e in edges:
        a = next(z.geometry for z in mini.zones if z.id == e.a)
        assert e.line.length > 0 and a.boundary.buffer(1e-9).contains(e.line)


def test_front_lines_follow_the_state(mini):
    edges = adjacency(mini.zones)
    before = {(a, b) for a, b, _ in front_lines(edges, resolve_state(mini, dt.date(2016, 1, 1)))}
    after = {(a, b) for a, b, _ in front_lines(edges, resolve_state(mini, dt.date(2016, 9, 1)))}
    assert ("isis", "sdf") in before   # echo (sdf) faced foxtrot (isis)
    assert ("isis", "sdf") not in after  # foxtrot became sdf on 2016-08-12
    state = Timeline(mini).state(dt.date(2016, 9, 1))
    assert all(a != b for a, b, _ in front_lines(edges, state))


def test_a_small_piece_joins_a_neighbour_whose_edge_has_no_vertex_where_they_meet():
    """Zones come from overlays, not one noding: by default borders are found by overlay, so a sliver on the
    middle of a long edge (no shared vertex) still joins its neighbour."""
    big, small = box(0, 0, 1, 1), box(1, 0.4, 1.01, 0.6)
    merged = join_small([big, small], [1])
    assert merged[1] is None and merged[0] is not None and merged[0].equals(big.union(small))


@pytest.mark.parametrize("small", [box(1, 0, 1.1, 1), box(0, 1, 1, 1.1)], ids=["beside", "above"])
def test_noded_pieces_find_a_shared_vertical_or_horizontal_edge_whichever_way_their_rings_run(small):
    big = box(0, 0, 1, 1)
    merged = join_small([big, small], [1], noded=True)
    assert merged[1] is None and merged[0] is not None and merged[0].equals(big.union(small))
