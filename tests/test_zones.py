"""The partition: zones cover the area of interest less the river strip, without overlaps, for any places.

Like shapely's own tests, the builder runs over a catalogue of awkward inputs as well as random ones.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from shapely.geometry import Point
from shapely.ops import unary_union

from layers import load_dataset
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
