"""The partition: zones cover the area of interest less the river strip, without overlaps, for any places.

Like shapely's own tests, the builder runs over a catalogue of awkward inputs as well as random ones.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from shapely.geometry import MultiPolygon, Point, box
from shapely.ops import unary_union

from layers import load_dataset
from layers.engine.geometry import area_km2
from layers.engine.zones import build_zones, covered_area, river_strip
from layers.model.records import Place
from tests.conftest import MINI, TODAY
from tests.strategies import points_in

DS = load_dataset(MINI, today=TODAY)
AOI, RIVERS = DS.aoi, DS.base["rivers"]
AREA = covered_area(AOI, RIVERS)


def place(pid: str, lon: float, lat: float) -> Place:
    return Place(pid, pid, "", (), lon, lat, "aleppo", "", None, "test", "sourced")


def assert_partition(zones, area=AREA, tol=1e-6):
    geoms = [z.geometry for z in zones]
    total = sum(g.area for g in geoms)
    union = unary_union(geoms)
    assert union.symmetric_difference(area).area < tol * max(area.area, 1)
    assert total == pytest.approx(union.area, rel=1e-6)  # no overlaps: the sum equals the union
    assert all(g.is_valid for g in geoms)


CATALOGUE = {
    "one place": [place("a", 37.2, 36.2)],
    "two places": [place("a", 37.2, 36.2), place("b", 36.7, 35.9)],
    "collinear": [place(f"p{i}", 36.5 + 0.2 * i, 36.0) for i in range(6)],
    "very close": [place("a", 37.2, 36.2), place("b", 37.2001, 36.2001)],
    "both banks": [place("west", 38.0, 36.6), place("east", 38.3, 36.7)],
    "on the border, outside": [place("kobani", 38.355, 36.889), place("a", 37.2, 36.2)],
    "on the river": [place("river", 38.03, 36.7), place("a", 37.2, 36.2)],
}


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_catalogue_partitions_the_area(name):
    places = CATALOGUE[name]
    zones = build_zones(places, [], AOI, RIVERS)
    assert [z.id for z in zones] == [p.id for p in places]
    assert all(not z.geometry.is_empty for z in zones)
    assert_partition(zones)


def test_each_place_lies_in_its_own_cell():
    zones = build_zones(DS.places, [], AOI, RIVERS)
    for z, p in zip(zones, DS.places):
        if AREA.contains(Point(p.lon, p.lat)):
            assert z.geometry.covers(Point(p.lon, p.lat)), p.id


def test_no_cell_crosses_the_euphrates():
    zones = build_zones(CATALOGUE["both banks"], [], AOI, RIVERS)
    strip = river_strip(RIVERS, AOI)
    assert strip.area > 0
    assert all(z.geometry.intersection(strip).area < 1e-9 for z in zones)


def test_explicit_zone_with_hole_and_multipart():
    from shapely.geometry import MultiPolygon, Polygon

    ring = Polygon([(36.9, 36.0), (37.5, 36.0), (37.5, 36.4), (36.9, 36.4)], [[(37.1, 36.1), (37.3, 36.1),
                                                                              (37.3, 36.3), (37.1, 36.3)]])
    multi = MultiPolygon([Polygon([(36.5, 35.6), (36.6, 35.6), (36.6, 35.7), (36.5, 35.7)]),
                          Polygon([(36.7, 35.6), (36.8, 35.6), (36.8, 35.7), (36.7, 35.7)])])
    zones = build_zones(CATALOGUE["two places"], [("ring", ring, "drawn"), ("multi", multi, "drawn")], AOI, RIVERS)
    assert [z.id for z in zones] == ["ring", "multi", "a", "b"]
    assert_partition(zones)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(points=points_in(AREA, 1, 60))
def test_random_places_partition_the_area(points):
    places = [place(f"p{i}", p.x, p.y) for i, p in enumerate(points)]
    zones = build_zones(places, [], AOI, RIVERS)
    assert_partition(zones)
    for z, p in zip(zones, points):
        assert z.geometry.distance(p) < 1e-9


# The rules of the partition in their own units (km, km²), with literal numbers: a constant changed in
# layers/engine/zones.py must show here, not move the test's bounds along with it.
def _km_per_deg_lon(lat: float) -> float:
    return 111.32 * math.cos(math.radians(lat))


def _river(x: float) -> dict:
    return {"features": [{"geometry": {"type": "LineString", "coordinates": [[x, 30.0], [x, 80.0]]}}]}


def test_the_river_strip_is_about_300_m_wide_and_no_zone_crosses_it():
    aoi = box(37.0, 35.9, 37.2, 36.1)
    west, east = build_zones([place("w", 37.05, 36.0), place("e", 37.15, 36.0)], [], aoi, _river(37.1))
    assert west.geometry.bounds[2] < 37.1 < east.geometry.bounds[0]
    assert west.geometry.distance(east.geometry) * _km_per_deg_lon(36.0) == pytest.approx(0.27, abs=0.02)


@pytest.mark.parametrize("rivers", [None, {}, {"features": []}], ids=["none", "no layer", "no features"])
def test_without_rivers_the_zones_cover_the_whole_area(rivers):
    aoi = box(37.0, 35.9, 37.2, 36.1)
    zones = build_zones([place("w", 37.05, 36.0), place("e", 37.15, 36.0)], [], aoi, rivers)
    assert [z.id for z in zones] == ["w", "e"]
    assert_partition(zones, area=aoi)
    assert river_strip(rivers, aoi).is_empty


@pytest.mark.parametrize("lat", [36.0, 70.0])
def test_a_lone_place_with_a_cap_holds_a_disc_of_that_radius_in_km(lat):
    aoi = box(36.0, lat - 1.0, 38.0, lat + 1.0)
    zones = build_zones([place("lone", 37.0, lat)], [], aoi, None, cap_km=8.0)
    lone = zones[0]
    assert lone.id == "lone" and lone.kind == "place" and lone.anchor == (37.0, lat)
    x0, y0, x1, y1 = lone.geometry.bounds
    assert (y1 - y0) * 110.9 == pytest.approx(16.0, rel=0.01)  # 8 km north and south
    assert (x1 - x0) * _km_per_deg_lon(lat) == pytest.approx(16.0, rel=0.01)  # and east and west
    assert area_km2(lone.geometry) == pytest.approx(math.pi * 8.0**2, rel=0.02)  # (far from 36°N the km² bend)
    assert len(lone.geometry.exterior.coords) <= 70  # a 64-gon: thousands of discs stay light in the payload
    assert all(z.kind == "open" and z.place_id is None for z in zones[1:])
    assert_partition(zones, area=aoi)


def test_open_ground_smaller_than_half_a_km2_joins_the_neighbour_with_the_longest_border():
    """Open ground is cut along districts; a district's piece under 0.5 km² is a sliver and joins its
    neighbour, one of 0.7 km² stays a zone."""
    aoi = box(37.0, 36.0, 37.25, 36.25)  # one grid cell
    strip_km2 = 0.25 * 110.9 * _km_per_deg_lon(36.125)  # km² of a strip one degree wide
    small, kept = box(37.0, 36.0, 37.0 + 0.3 / strip_km2, 36.25), box(37.25 - 0.7 / strip_km2, 36.0, 37.25, 36.25)
    main = aoi.difference(small).difference(kept)
    zones = build_zones([], [], aoi, None, [("Main", main), ("Small", small), ("Kept", kept)], cap_km=8.0)
    assert [z.id for z in zones] == ["open_main_1", "open_kept_1"]
    assert area_km2(zones[1].geometry) == pytest.approx(0.7, rel=0.02)
    assert area_km2(zones[0].geometry) == pytest.approx(area_km2(main) + 0.3, rel=1e-3)
    assert_partition(zones, area=aoi)


def test_open_ground_outside_every_district_is_still_cut_into_zones():
    aoi = box(37.0, 36.0, 37.5, 36.25)
    zones = build_zones([], [], aoi, None, [("West", box(37.0, 36.0, 37.25, 36.25))], cap_km=8.0)
    assert [z.id for z in zones] == ["open_west_1", "open_other_1"]
    assert zones[1].geometry.equals(box(37.25, 36.0, 37.5, 36.25))
    assert_partition(zones, area=aoi)


def test_a_place_beyond_frames_that_cover_the_whole_area_gets_an_empty_zone():
    aoi = box(37.0, 36.0, 37.2, 36.2)
    zones = build_zones([place("in", 37.1, 36.1), place("beyond", 37.3, 36.1)], [("all", aoi, "drawn")], aoi, None)
    assert [(z.id, z.kind) for z in zones] == [("in", "drawn"), ("beyond", "place")]
    assert zones[0].geometry.equals(aoi) and zones[1].geometry.is_empty and zones[1].anchor == (37.3, 36.1)


@pytest.mark.parametrize("x0, y0", [(37.0, 36.0), (-60.0, -36.5)], ids=["north-east", "south-west"])
def test_open_ground_is_cut_into_grid_cells_of_a_quarter_degree_numbered_north_to_south_west_to_east(x0, y0):
    aoi = box(x0, y0, x0 + 0.5, y0 + 0.5)
    zones = {z.id: z.geometry for z in build_zones([], [], aoi, None, cap_km=8.0)}
    assert list(zones) == ["open_aoi_1", "open_aoi_2", "open_aoi_3", "open_aoi_4"]
    corners = [(x0, y0 + 0.25), (x0 + 0.25, y0 + 0.25), (x0, y0), (x0 + 0.25, y0)]
    for geom, (x, y) in zip(zones.values(), corners):
        assert geom.equals(box(x, y, x + 0.25, y + 0.25))


def test_a_sliver_touching_nothing_or_only_a_corner_stays_a_zone_of_its_own():
    big = box(37.0, 36.0, 37.25, 36.25)
    corner = box(37.25, 36.25, 37.253, 36.26)  # ~0.3 km², meets the big piece at one point
    island = box(37.1, 36.5, 37.103, 36.51)  # ~0.3 km², touches nothing
    aoi = MultiPolygon([big, corner, island])
    zones = build_zones([], [], aoi, None, cap_km=8.0)
    assert [z.id for z in zones] == ["open_aoi_1", "open_aoi_2", "open_aoi_3"]
    assert [z.geometry.equals(g) for z, g in zip(zones, [island, corner, big])] == [True, True, True]
    assert all(area_km2(g) < 0.5 for g in (corner, island))


def test_pieces_in_one_grid_row_are_numbered_west_to_east_even_when_their_shapes_differ_slightly():
    west, east = box(37.0, 36.0, 37.2, 36.25), box(37.3, 36.00002, 37.5, 36.25)  # the east piece 2 m shorter
    zones = build_zones([], [], MultiPolygon([west, east]), None, cap_km=8.0)
    assert [(z.id, z.geometry.equals(g)) for z, g in zip(zones, [west, east])] == [("open_aoi_1", True),
                                                                                  ("open_aoi_2", True)]


def test_uncapped_a_bank_without_places_joins_the_nearest_place_and_frames_keep_their_drawn_shape():
    aoi = box(37.0, 35.9, 37.2, 36.1)
    frame = box(37.05, 35.95, 37.09, 36.05)  # nearer to the empty east bank than the place is
    zones = {z.id: z for z in build_zones([place("w", 37.01, 36.0)], [("frame", frame, "drawn")], aoi,
                                          _river(37.1))}
    assert zones["frame"].geometry.equals(frame)
    assert zones["w"].geometry.covers(Point(37.15, 36.0))  # the east bank is the place's
    assert_partition(list(zones.values()), area=covered_area(aoi, _river(37.1)))

