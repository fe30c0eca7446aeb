"""The scene of a day (what exports and the web view draw) and the point query (`controlmap at`), each
checked against a statement of its own: km² summed zone by zone, front lines from the zones' holders, the
publishers counted zone by zone, the answer for a point from the zone that contains it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import pytest
from shapely.geometry import Point

from layers import Timeline, load_dataset
from layers.engine.geometry import adjacency, area_km2
from layers.engine.query import ZoneLocator, control_at, source_json
from layers.engine.scene import Scenes
from layers.model.errors import ExportError
from layers.model.records import Publisher, Source
from tests.conftest import TODAY

DAYS = [dt.date(2016, 1, 1), dt.date(2016, 8, 11), dt.date(2016, 8, 12), dt.date(2018, 3, 18),
        dt.date(2019, 10, 15), dt.date(2024, 12, 7), dt.date(2024, 12, 8), TODAY]


@pytest.fixture(scope="module")
def scenes(mini) -> Scenes:
    return Scenes(mini, Timeline(mini))


def test_mini_spans_the_days(mini):
    assert (mini.start, mini.end) == (DAYS[0], DAYS[-1])


@pytest.mark.parametrize("day", DAYS)
def test_km2_per_faction_is_the_sum_of_its_zones(scenes, mini, day):
    view = scenes.view(day)
    expected: dict[str, float] = {}
    for z in mini.zones:
        holder = view.state.controller[z.id]
        if holder is not None:
            expected[holder] = expected.get(holder, 0.0) + area_km2(z.geometry)
    assert view.km2.keys() == expected.keys()
    for fid, km2 in expected.items():
        assert view.km2[fid] == pytest.approx(km2, rel=1e-9)
        assert area_km2(view.areas[fid]) == pytest.approx(km2, rel=1e-6)  # the drawn area is the same ground


@pytest.mark.parametrize("day", DAYS)
def test_front_lines_run_between_zones_of_different_holders(scenes, mini, day):
    view = scenes.view(day)
    holder = view.state.controller
    expected = sorted((tuple(sorted((holder[e.a], holder[e.b]))), round(e.line.length, 9))
                      for e in adjacency(mini.zones) if holder[e.a] != holder[e.b] and None not in
                      (holder[e.a], holder[e.b]))
    assert sorted(((a, b), round(line.length, 9)) for a, b, line in view.lines) == expected
    assert all(a < b for a, b, _ in view.lines)


def test_no_data_zones_have_no_area_and_no_front(mini):
    blank = dataclasses.replace(mini, initial=dataclasses.replace(
        mini.initial, controller={**mini.initial.controller, "foxtrot": None}))
    view = Scenes(blank, Timeline(blank)).view(dt.date(2016, 1, 1))
    assert view.state.controller["foxtrot"] is None
    assert "isis" not in view.km2 and "isis" not in view.areas  # foxtrot was the only ISIS zone
    assert None not in view.areas and set(view.areas) == set(view.km2)
    assert all("isis" not in (a, b) for a, b, _ in view.lines)


def test_sources_are_the_publishers_behind_the_zones_most_used_first(mini):
    def cite(publisher: str) -> tuple[Source, ...]:
        return (Source("https://example.org/p", publisher, dt.date(2016, 8, 12)),)

    events = tuple(dataclasses.replace(e, sources=cite("Second (after First)") if e.id == "e1" else
                                       cite("Third") if e.id == "e2" else e.sources) for e in mini.events)
    ds = dataclasses.replace(mini, events=events,
                             initial=dataclasses.replace(mini.initial, sources=cite("First") + cite("First")))
    view = Scenes(ds, Timeline(ds)).view(dt.date(2018, 3, 18))
    counts = Counter(ds.sources_of(view.state.cause[z.id])[0].publisher.split(" (")[0] for z in ds.zones)
    assert counts == Counter({"First": 4, "Second": 1, "Third": 1})
    assert view.sources[0] == "First" and sorted(view.sources[1:]) == ["Second", "Third"]
    assert Scenes(ds, Timeline(ds)).view(dt.date(2016, 1, 1)).sources == ["First"]


@pytest.mark.parametrize("day", [dt.date(2015, 12, 31), TODAY + dt.timedelta(days=1)])
def test_a_day_outside_the_data_is_refused(scenes, day):
    with pytest.raises(ExportError) as info:
        scenes.view(day)
    assert str(info.value) == f"date {day} is outside the data (2016-01-01 .. {TODAY})"


def test_views_share_a_state_but_carry_their_own_day(scenes):
    a, b = scenes.view(dt.date(2017, 1, 1)), scenes.view(dt.date(2017, 6, 1))
    assert (a.day, b.day) == (dt.date(2017, 1, 1), dt.date(2017, 6, 1))
    assert a.areas is b.areas and a.state is b.state
    assert scenes.view(dt.date(2016, 8, 12)).state is not scenes.view(dt.date(2016, 8, 11)).state


def test_centres_are_the_places_or_a_point_inside(scenes, mini):
    for z in mini.zones:
        x, y = scenes.centers[z.id]
        if z.place_id:
            place = mini.place_by_id[z.place_id]
            assert (x, y) == (place.lon, place.lat)
        else:
            assert z.geometry.contains(Point(x, y))


def test_a_drawn_zone_is_centred_on_a_point_inside_it(mini_copy):
    (mini_copy / "zones").mkdir()
    (mini_copy / "zones" / "box.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "box"},'
        ' "geometry": {"type": "Polygon", "coordinates": [[[37.3, 36.1], [37.5, 36.1], [37.5, 36.3],'
        ' [37.3, 36.3], [37.3, 36.1]]]}}]}')
    with (mini_copy / "initial" / "mini.csv").open("a", encoding="utf-8") as fh:
        fh.write("box,government,,high,\n")
    ds = load_dataset(mini_copy, today=TODAY, sealed=False)
    x, y = Scenes(ds, Timeline(ds)).centers["box"]
    assert 37.3 < x < 37.5 and 36.1 < y < 36.3


def test_base_layers_are_parsed_once_by_name(scenes, mini):
    base = scenes.base_geoms
    assert base.keys() == mini.base.keys()
    for name, doc in mini.base.items():
        assert len(base[name]) == sum(1 for f in doc["features"] if f.get("geometry"))
    assert scenes.base_geoms is base


# ------------------------------------------------------------------ the point query


def test_a_point_is_in_the_zone_that_contains_it(mini):
    locator = ZoneLocator(mini)
    for z in mini.zones:
        p = z.geometry.representative_point()
        assert locator.zone_at(p.x, p.y) == z.id
    assert locator.zone_at(30.0, 30.0) is None


def test_at_answers_holder_presence_since_event_and_sources(mini):
    timeline, locator = Timeline(mini), ZoneLocator(mini)
    answer = control_at(mini, timeline, locator, dt.date(2018, 3, 20), 36.87, 36.51)
    assert answer == {
        "date": "2018-03-20", "lon": 36.87, "lat": 36.51, "zone": "alpha", "controller": "opposition",
        "presence": ["turkey"], "since": "2018-03-18", "event_id": "e2", "as_of": "2024-12-08",
        "sources": [{"url": "https://example.org/e2", "publisher": "Synthetic", "published": "2018-03-19",
                     "title": None, "via": None, "read": None, "evidence": None, "kind": None, "lean": None}],
        "place": {"id": "alpha", "name_en": "Alpha", "name_ar": "ألفا"}}
    first = control_at(mini, timeline, locator, dt.date(2016, 1, 1), 36.87, 36.51)
    assert (first["controller"], first["since"], first["event_id"]) == ("sdf", "2016-01-01", None)
    assert [s["url"] for s in first["sources"]] == [s.url for s in mini.initial.sources]


def test_at_outside_every_zone_answers_nobody(mini):
    answer = control_at(mini, Timeline(mini), ZoneLocator(mini), dt.date(2018, 3, 20), 30.0, 30.0)
    assert answer == {"date": "2018-03-20", "lon": 30.0, "lat": 30.0, "controller": None, "presence": [],
                      "since": None, "event_id": None, "sources": [], "zone": None, "as_of": "2024-12-08"}


def test_at_after_the_as_of_date_says_so_from_the_next_day_on(mini):
    timeline, locator = Timeline(mini), ZoneLocator(mini)
    on = control_at(mini, timeline, locator, mini.as_of, 36.87, 36.51)
    after = control_at(mini, timeline, locator, mini.as_of + dt.timedelta(days=1), 36.87, 36.51)
    assert "note" not in on
    assert after["note"] == f"the data has no information after {mini.as_of}: this is the last known state"


def test_a_source_as_json_without_a_dataset_has_no_rating(mini):
    assert source_json(mini.events[0].sources[0]) == {
        "url": "https://example.org/e1", "publisher": "Synthetic", "published": "2016-08-12", "title": None,
        "via": None, "read": None, "evidence": None, "kind": None, "lean": None}


def test_a_source_is_rated_by_its_publisher_or_the_outlet_it_came_through(mini):
    rated = dataclasses.replace(mini, publishers={"Synthetic": Publisher("Synthetic", "wire", "independent", ""),
                                                  "Agency": Publisher("Agency", "state", "pro-government", "")})
    direct = mini.events[0].sources[0]
    relayed = dataclasses.replace(direct, publisher="Synthetic (after Agency)", via="Agency")
    assert (source_json(direct, rated)["kind"], source_json(direct, rated)["lean"]) == ("wire", "independent")
    assert (source_json(relayed, rated)["kind"], source_json(relayed, rated)["via"]) == ("state", "Agency")
