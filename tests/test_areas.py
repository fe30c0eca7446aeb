"""Control by area and zones that do not invent ground.

Area selection is tested against plain point-in-polygon over a catalogue of awkward polygons (as shapely
tests its operations); the capped partition is tested for coverage, overlaps and the cap itself; changes and
the initial state given by area are tested end to end on a copy of the mini dataset.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from shapely.geometry import MultiPolygon, Point, Polygon, box

from layers import Timeline, load_dataset
from layers.engine.geometry import area_km2
from layers.engine.zones import build_zones, cap_disc, covered_area, zones_in
from layers.model.errors import DataError
from layers.model.records import Place, Zone
from tests.conftest import TODAY
from tests.strategies import points_in
from tests.test_zones import AOI, AREA, RIVERS, assert_partition, place

AWKWARD = {
    "square": box(37.0, 36.0, 37.4, 36.4),
    "with hole": box(37.0, 36.0, 37.4, 36.4).difference(box(37.1, 36.1, 37.3, 36.3)),
    "multipart": MultiPolygon([box(36.6, 35.8, 36.8, 36.0), box(37.5, 36.5, 37.7, 36.7)]),
    "sliver": box(37.0, 36.2, 37.4, 36.2005),
    "concave": Polygon([(36.8, 36.0), (37.6, 36.0), (37.6, 36.6), (37.2, 36.2), (36.8, 36.6)]),
    "touching corner": MultiPolygon([box(37.0, 36.0, 37.2, 36.2), box(37.2, 36.2, 37.4, 36.4)]),
    "bow-tie (invalid)": Polygon([(37.0, 36.0), (37.4, 36.4), (37.4, 36.0), (37.0, 36.4)]),
    "empty": Polygon(),
}
CAP_KM = 8.0  # the bundled data's zone_cap_km
MIN_PIECE_KM2 = 0.5  # slivers smaller than this join a neighbour (literal: a changed rule must show here)
GRID = [Zone(f"z{i}_{j}", Point(0, 0), None, "place", (36.5 + 0.05 * i, 35.8 + 0.05 * j))
        for i in range(30) for j in range(20)]


@pytest.mark.parametrize("name", sorted(AWKWARD))
def test_area_selection_is_point_in_polygon(name):
    area = AWKWARD[name]
    valid = shapely.make_valid(area)
    expected = [z.id for z in GRID if valid.covers(Point(z.anchor))]
    assert zones_in(area, GRID) == expected
    if name == "empty":
        assert expected == []
    if name == "with hole":  # anchors in the hole are not taken in
        assert not any(box(37.1, 36.1, 37.3, 36.3).contains(Point(z.anchor)) for z in GRID if z.id in expected)


def test_a_point_on_the_edge_belongs_to_the_area():
    zone = Zone("edge", Point(0, 0), None, "place", (37.0, 36.1))
    assert zones_in(box(37.0, 36.0, 37.4, 36.4), [zone]) == ["edge"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(points_in(AREA, 2, 30))
def test_capped_zones_partition_the_area_and_reach_no_further_than_the_cap(points):
    places = [place(f"p{i}", p.x, p.y) for i, p in enumerate(points)]
    zones = build_zones(places, [], AOI, RIVERS, cap_km=CAP_KM)
    assert_partition(zones)
    for z in zones:
        if z.kind == "place":
            beyond = z.geometry.difference(cap_disc(*z.anchor, CAP_KM))
            assert area_km2(beyond) < 3 * MIN_PIECE_KM2  # only slivers under MIN_PIECE_KM2 may join a cell
        else:
            assert z.kind == "open" and z.place_id is None
            x0, y0, x1, y1 = z.geometry.bounds
            assert x1 - x0 <= 0.25 + 0.05 and y1 - y0 <= 0.25 + 0.05  # one grid cell (plus absorbed slivers)


def test_one_village_in_the_steppe_carries_no_wedge_of_desert():
    lone = [place("lone", 38.0, 35.7), place("town", 37.16, 36.20)]
    capped = {z.id: z for z in build_zones(lone, [], AOI, RIVERS, cap_km=CAP_KM)}
    uncapped = {z.id: z for z in build_zones(lone, [], AOI, RIVERS)}
    assert area_km2(uncapped["lone"].geometry) > 2000
    assert area_km2(capped["lone"].geometry) <= math.pi * CAP_KM**2 * 1.02
    open_km2 = sum(area_km2(z.geometry) for z in capped.values() if z.open)
    assert open_km2 > 0.9 * (area_km2(covered_area(AOI, RIVERS)) - 2 * math.pi * CAP_KM**2)


def _areas_file(root, features):
    (root / "areas").mkdir(exist_ok=True)
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": fid, "kind": "drawn", "note": "test polygon"},
         "geometry": shapely.geometry.mapping(geom)} for fid, geom in features]}
    (root / "areas" / "test.geojson").write_text(json.dumps(doc))


def _capped(root, cap=8):
    (root / "dataset.yaml").write_text(f"title: Mini\nzone_cap_km: {cap}\n")


def test_initial_state_and_changes_by_area(mini_copy):
    _capped(mini_copy)
    whole = box(35.0, 34.0, 40.0, 38.0)
    north = box(36.5, 36.3, 38.5, 37.5)
    _areas_file(mini_copy, [("everything", whole), ("north", north)])
    text = (mini_copy / "initial.yaml").read_text()
    (mini_copy / "initial.yaml").write_text(text + "areas:\n  - area: everything\n    controller: government\n"
                                            "    confidence: low\n    note: inferred for the test\n")
    events = (mini_copy / "events" / "a.yaml").read_text()
    (mini_copy / "events" / "a.yaml").write_text(events + """
- id: by-area
  date: 2019-05-01
  title: The north changes hands
  confidence: low
  sources:
    - url: https://example.org/north
      publisher: Synthetic
      published: 2019-05-01
  changes:
    - to: isis
      areas: [north]
    - to: sdf
      places: [foxtrot]
""")
    ds = load_dataset(mini_copy, today=TODAY, sealed=False)
    tl = Timeline(ds)
    opened = [z for z in ds.zones if z.open]
    assert opened, "a capped mini dataset has open ground"
    first = tl.state(ds.start)
    assert all(first.controller[z.id] == "government" for z in opened)  # initial by area
    assert first.controller["alpha"] == "sdf" and first.controller["foxtrot"] == "isis"  # the CSV rows win
    after = tl.state(TODAY)
    north_zones = set(zones_in(north, ds.zones))
    assert {"alpha", "foxtrot", "echo"} <= north_zones
    assert after.controller["foxtrot"] == "sdf"  # listed in the same event: overrides the area
    assert after.controller["echo"] == "isis" and after.cause["echo"] == "by-area"
    assert all(after.controller[z] == "isis" for z in north_zones - {"foxtrot", "alpha"})
    assert after.since["foxtrot"] == tl.state(dt.date(2019, 4, 30)).since["foxtrot"]  # still sdf: since stays


def test_unknown_area_is_reported_with_its_line(mini_copy):
    events = (mini_copy / "events" / "a.yaml").read_text()
    (mini_copy / "events" / "a.yaml").write_text(events + """
- id: nowhere
  date: 2019-05-01
  title: Nowhere
  confidence: low
  sources:
    - url: https://example.org/n
      publisher: Synthetic
      published: 2019-05-01
  changes:
    - to: isis
      areas: [atlantis]
""")
    with pytest.raises(DataError) as info:
        load_dataset(mini_copy, today=TODAY, sealed=False)
    line = next(i for i, t in enumerate((mini_copy / "events" / "a.yaml").read_text().splitlines(), 1)
                if t.strip() == "- to: isis" and i > len(events.splitlines()))
    expected = f"mini/events/a.yaml:{line}: event nowhere: unknown area 'atlantis'"
    assert [str(p) for p in info.value.problems] == [expected]


def test_area_without_note_is_refused(mini_copy):
    (mini_copy / "areas").mkdir()
    (mini_copy / "areas" / "x.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "x", "kind": "drawn"},
         "geometry": shapely.geometry.mapping(box(37, 36, 37.1, 36.1))}]}))
    with pytest.raises(DataError) as info:
        load_dataset(mini_copy, today=TODAY, sealed=False)
    assert [str(p) for p in info.value.problems] == [
        "mini/areas/x.geojson#x: area needs a note: how it was drawn and from which source"]


def test_every_place_gets_a_zone_of_its_own(mini):
    assert {p.id for p in mini.places} <= {z.id for z in mini.zones}
    assert all(isinstance(p, Place) for p in mini.places)
