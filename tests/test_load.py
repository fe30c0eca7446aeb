"""The loader: the bundled mini data loads; each kind of broken file gets its own path:line message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from layers import DataError, load_dataset
from tests.conftest import TODAY


def test_mini_loads(mini):
    assert [p.id for p in mini.places] == ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]
    assert [e.id for e in mini.events] == ["e1", "e2", "e3", "e4"]
    assert mini.start == dt.date(2016, 1, 1)
    assert mini.place_by_id["alpha"].other_names == ("Alfa", "Alpha Town")
    assert mini.initial.controller["foxtrot"] == "isis"
    assert mini.event_by_id["e2"].presence[0].faction == "turkey"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# (file, old text, new text, expected message): one row per kind of problem.
BROKEN = [
    ("places/mini.csv", "alpha,Alpha", "alpha,Alpha,extra", "mini/places/mini.csv:2: expected 11 fields, found 12"),
    ("places/mini.csv", "id,name_en", "ident,name_en", "mini/places/mini.csv:1: header must be"),
    ("places/mini.csv", "36.87,36.51", "36.87,x", "mini/places/mini.csv:2: place alpha: lon/lat must be numbers"),
    ("places/mini.csv", "36.87,36.51", "44.00,33.30", "mini/places/mini.csv:2: place alpha: coordinates 44.0, 33.3 are outside"),
    ("places/mini.csv", "bravo,Bravo", "alpha,Bravo", "mini/places/mini.csv:3: duplicate place id 'alpha'"),
    ("places/mini.csv", "bravo,Bravo", "Bravo X,Bravo", "mini/places/mini.csv:3: bad place id 'Bravo X'"),
    ("places/mini.csv", "37.07,36.45", "36.87,36.51", "mini/places/mini.csv:3: place bravo has the same coordinates as alpha"),
    ("places/mini.csv", "synthetic test place,sourced\nbravo", ",sourced\nbravo", "mini/places/mini.csv:2: place alpha: coord_source is empty"),
    ("places/mini.csv", "1000,synthetic test place,sourced", "1000,synthetic test place,guessed", "coord_quality must be sourced or approximate"),
    ("factions.csv", "sdf,territorial", "sdf,territory", "mini/factions.csv:4: kind must be territorial or presence"),
    ("factions.csv", "#f2d13a", "yellow", "mini/factions.csv:4: color must be #rrggbb"),
    ("factions.csv", "hts,territorial", "sdf,territorial", "mini/factions.csv:5: duplicate faction id 'sdf'"),
    ("events/a.yaml", "date: 2016-08-12", "date: 2016-02-30", "mini/events/a.yaml:1: event e1: date '2016-02-30' is not a real"),
    ("events/a.yaml", "date: 2016-08-12", "date: 12/08/2016", "mini/events/a.yaml:1: event e1: date '12/08/2016' is not a real"),
    ("events/a.yaml", "date: 2016-08-12", "date: 2031-01-01", "mini/events/a.yaml:1: event e1: date 2031-01-01 is outside"),
    ("events/a.yaml", "date: 2016-08-12", "date: 2015-06-01", "event e1: date 2015-06-01 is outside"),
    ("events/a.yaml", "- to: sdf\n      places: [foxtrot]", "- to: kurds\n      places: [foxtrot]", "mini/events/a.yaml:12: event e1: unknown territorial faction 'kurds'"),
    ("events/a.yaml", "places: [foxtrot]", "places: [foxtrot, atlantis]", "mini/events/a.yaml:12: event e1: unknown place or zone 'atlantis'"),
    ("events/a.yaml", "- id: e2", "- id: e1", "mini/events/a.yaml:14: duplicate event id 'e1'"),
    ("events/a.yaml", "  sources:\n    - url: https://example.org/e1\n      publisher: Synthetic\n      published: 2016-08-12\n", "  sources: []\n", "mini/events/a.yaml:1: event e1: needs at least one source"),
    ("events/a.yaml", "url: https://example.org/e1", "url: example dot org", "mini/events/a.yaml:8: event e1: source url must be an http(s) URL"),
    ("events/a.yaml", "      published: 2016-08-12\n", "", "event e1: source https://example.org/e1 needs a published date"),
    ("events/a.yaml", "confidence: high", "confidence: certain", "mini/events/a.yaml:1: event e1: confidence must be high, medium or low"),
    ("events/a.yaml", "title: Foxtrot taken by the SDF", "title: Foxtrot: taken: [", "mini/events/a.yaml:3: malformed YAML"),
    ("events/a.yaml", "action: add\n      places: [alpha]", "action: toggle\n      places: [alpha]", "event e2: presence action must be add or remove"),
    ("events/a.yaml", "faction: turkey", "faction: sdf", "event e2: unknown presence faction 'sdf'"),
    ("events/a.yaml", "location: foxtrot", "location: nowhere", "event e1: unknown location 'nowhere'"),
    ("initial/mini.csv", "alpha,sdf", "alpha,kurds", "mini/initial/mini.csv:2: alpha: unknown territorial faction 'kurds'"),
    ("initial/mini.csv", "bravo,opposition", "alpha,opposition", "mini/initial/mini.csv:3: alpha is given an initial controller twice"),
    ("initial/mini.csv", "foxtrot,isis,,high,\n", "", "mini/initial: place or zone 'foxtrot' has no initial controller"),
    ("initial.yaml", "date: 2016-01-01", "date: 2016-13-01", "mini/initial.yaml:1: date '2016-13-01' is not a real"),
]


@pytest.mark.parametrize("rel, old, new, expected", BROKEN, ids=[b[3][:60] for b in BROKEN])
def test_broken_data_is_reported_with_its_location(mini_copy, rel, old, new, expected):
    _replace(mini_copy / rel, old, new)
    with pytest.raises(DataError) as info:
        load_dataset(mini_copy, today=TODAY)
    messages = [str(p) for p in info.value.problems]
    assert any(expected in m for m in messages), messages


def test_two_controllers_for_one_zone_on_one_day(mini_copy):
    _append(mini_copy / "events" / "a.yaml", """
- id: e5
  date: 2016-08-12
  title: Foxtrot also taken by the government that day
  confidence: low
  sources:
    - url: https://example.org/e5
      publisher: Synthetic
      published: 2016-08-12
  changes:
    - to: government
      places: [foxtrot]
""")
    with pytest.raises(DataError) as info:
        load_dataset(mini_copy, today=TODAY)
    assert any("foxtrot has two controllers on 2016-08-12" in str(p) for p in info.value.problems)


def test_one_event_giving_a_zone_two_controllers(mini_copy):
    _replace(mini_copy / "events" / "a.yaml", "      places: [foxtrot]\n",
             "      places: [foxtrot]\n    - to: government\n      places: [foxtrot]\n")
    with pytest.raises(DataError) as info:
        load_dataset(mini_copy, today=TODAY)
    assert any("event e1: foxtrot is given two controllers" in str(p) for p in info.value.problems)


def test_invalid_explicit_zone_geometry(mini_copy):
    (mini_copy / "zones").mkdir()
    (mini_copy / "zones" / "bad.geojson").write_text(
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {"id": "bowtie"}, "geometry": {"type": "Polygon", "coordinates":'
        ' [[[37.0, 36.0], [37.1, 36.1], [37.1, 36.0], [37.0, 36.1], [37.0, 36.0]]]}},'
        '{"type": "Feature", "properties": {"id": "empty"}, "geometry": {"type": "Polygon", "coordinates": []}}]}',
        encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_dataset(mini_copy, today=TODAY)
    messages = [str(p) for p in info.value.problems]
    assert "mini/zones/bad.geojson#bowtie: invalid geometry (self-intersecting or bad ring)" in messages
    assert "mini/zones/bad.geojson#empty: geometry must be a non-empty Polygon or MultiPolygon" in messages


def test_malformed_geojson_names_the_line(mini_copy):
    (mini_copy / "zones").mkdir()
    (mini_copy / "zones" / "broken.geojson").write_text('{"type": "FeatureCollection",\n "features": [,]}')
    with pytest.raises(DataError) as info:
        load_dataset(mini_copy, today=TODAY)
    assert [str(p) for p in info.value.problems] == ["mini/zones/broken.geojson:2: malformed JSON: Expecting value"]


def test_explicit_zone_is_cut_out_of_the_place_cells(mini_copy):
    (mini_copy / "zones").mkdir()
    (mini_copy / "zones" / "box.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "box"},'
        ' "geometry": {"type": "Polygon", "coordinates": [[[37.1, 36.1], [37.3, 36.1], [37.3, 36.3],'
        ' [37.1, 36.3], [37.1, 36.1]]]}}]}')
    _append(mini_copy / "initial" / "mini.csv", "box,government,,high,\n")
    ds = load_dataset(mini_copy, today=TODAY)
    box = next(z for z in ds.zones if z.id == "box")
    assert box.place_id is None
    assert box.geometry.area == pytest.approx(0.04, rel=1e-6)
    others = [z.geometry for z in ds.zones if z.id != "box"]
    assert all(box.geometry.intersection(g).area < 1e-12 for g in others)


def test_every_problem_is_reported_not_only_the_first(mini_copy):
    _replace(mini_copy / "events" / "a.yaml", "confidence: high", "confidence: sure")
    _replace(mini_copy / "events" / "a.yaml", "confidence: medium", "confidence: maybe")
    with pytest.raises(DataError) as info:
        load_dataset(mini_copy, today=TODAY)
    assert len(info.value.problems) == 2


def test_held_by_rule_recodes_whatever_those_factions_hold(mini_copy):
    _replace(mini_copy / "events" / "a.yaml", "    - to: transitional\n      places: [charlie, delta]",
             "    - to: transitional\n      held_by: [government, hts]")
    ds = load_dataset(mini_copy, today=TODAY)
    from layers import resolve_state

    state = resolve_state(ds, dt.date(2025, 1, 1))
    assert state.controller["charlie"] == "transitional" and state.controller["delta"] == "transitional"
    assert state.controller["alpha"] == "opposition" and state.cause["charlie"] == "e4"


def test_held_by_must_name_territorial_factions(mini_copy):
    _replace(mini_copy / "events" / "a.yaml", "    - to: transitional\n      places: [charlie, delta]",
             "    - to: transitional\n      held_by: [government, russia]")
    with pytest.raises(DataError) as info:
        load_dataset(mini_copy, today=TODAY)
    assert any("held_by must list territorial factions, not ['russia']" in str(p) for p in info.value.problems)


def test_none_means_no_data_for_a_zone(mini_copy):
    _replace(mini_copy / "initial" / "mini.csv", "bravo,opposition", "bravo,none")
    _replace(mini_copy / "events" / "a.yaml", "    - to: sdf\n      places: [foxtrot]",
             "    - to: none\n      places: [foxtrot]")
    ds = load_dataset(mini_copy, today=TODAY)
    from layers import Timeline, resolve_state

    assert resolve_state(ds, dt.date(2016, 1, 1)).controller["bravo"] is None
    assert resolve_state(ds, dt.date(2017, 1, 1)).controller["foxtrot"] is None
    from layers.webdata import build_payload

    payload = build_payload(ds, Timeline(ds))
    assert payload["runs"][payload["zone_ids"].index("bravo")][0][1] == -1


def test_a_dataset_needs_places_or_zones(mini_copy):
    for path in (mini_copy / "places").glob("*.csv"):
        path.unlink()
    with pytest.raises(DataError) as info:
        load_dataset(mini_copy, today=TODAY)
    assert any("nothing to map" in str(p) for p in info.value.problems)
