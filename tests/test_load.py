"""The loader: the bundled mini data loads; each kind of broken file gets its own path:line message."""

from __future__ import annotations

import datetime as dt
import json
import re
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


CORPUS = Path(__file__).resolve().parent / "data" / "broken"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())


def refused(root: Path) -> list[str]:
    """The problems the loader reports for the dataset at ``root``, which it must refuse."""
    with pytest.raises(DataError) as info:
        load_dataset(root, today=TODAY, sealed=False)
    return [str(p) for p in info.value.problems]


def test_the_corpus_has_thirty_kinds_of_broken_input():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_data_is_reported_with_its_location(mini_copy, case):
    """Each corpus folder replaces one file of the mini dataset; `expected` is the message it must give."""
    for path in case.rglob("*"):
        if path.is_file() and path.name != "expected":
            target = mini_copy / path.relative_to(case)
            target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    expected = (case / "expected").read_text(encoding="utf-8").strip()
    messages = refused(mini_copy)
    assert expected in messages
    assert LOCATED.match(expected), f"{expected!r} names no file (and line or feature)"


# A message starts with the dataset path: `mini/file:line: `, `mini/file#feature: ` or, for a problem of a whole
# file or folder, `mini/path: `.
LOCATED = re.compile(r"^mini/[\w./-]+(:\d+|#[\w-]+)?: \S")


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
    assert refused(mini_copy) == [
        "mini/events: foxtrot has two controllers on 2016-08-12: sdf (e1) and government (e5)"]


def test_one_event_giving_a_zone_two_controllers(mini_copy):
    _replace(mini_copy / "events" / "a.yaml", "      places: [foxtrot]\n",
             "      places: [foxtrot]\n    - to: government\n      places: [foxtrot]\n")
    assert refused(mini_copy) == [
        "mini/events/a.yaml:1: event e1: foxtrot is given two controllers (sdf, government)"]


def test_an_initial_row_reports_each_of_its_problems(mini_copy):
    _replace(mini_copy / "initial" / "mini.csv", "alpha,sdf,,high,", "alpha,rebels,ghosts,certain,")
    assert refused(mini_copy) == [
        "mini/initial: place or zone 'alpha' has no initial controller",
        "mini/initial/mini.csv:2: alpha: confidence must be high, medium or low",
        "mini/initial/mini.csv:2: alpha: unknown presence faction 'ghosts'",
        "mini/initial/mini.csv:2: alpha: unknown territorial faction 'rebels'"]


def test_invalid_explicit_zone_geometry(mini_copy):
    (mini_copy / "zones").mkdir()
    (mini_copy / "zones" / "bad.geojson").write_text(
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {"id": "bowtie"}, "geometry": {"type": "Polygon", "coordinates":'
        ' [[[37.0, 36.0], [37.1, 36.1], [37.1, 36.0], [37.0, 36.1], [37.0, 36.0]]]}},'
        '{"type": "Feature", "properties": {"id": "empty"}, "geometry": {"type": "Polygon", "coordinates": []}}]}',
        encoding="utf-8")
    messages = refused(mini_copy)
    assert "mini/zones/bad.geojson#bowtie: invalid geometry (self-intersecting or bad ring)" in messages
    assert "mini/zones/bad.geojson#empty: geometry must be a non-empty Polygon or MultiPolygon" in messages


def test_malformed_geojson_names_the_line(mini_copy):
    (mini_copy / "zones").mkdir()
    (mini_copy / "zones" / "broken.geojson").write_text('{"type": "FeatureCollection",\n "features": [,]}')
    assert refused(mini_copy) == ["mini/zones/broken.geojson:2: malformed JSON: Expecting value"]


def test_explicit_zone_is_cut_out_of_the_place_cells(mini_copy):
    (mini_copy / "zones").mkdir()
    (mini_copy / "zones" / "box.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "box"},'
        ' "geometry": {"type": "Polygon", "coordinates": [[[37.3, 36.1], [37.5, 36.1], [37.5, 36.3],'
        ' [37.3, 36.3], [37.3, 36.1]]]}}]}')
    _append(mini_copy / "initial" / "mini.csv", "box,government,,high,\n")
    ds = load_dataset(mini_copy, today=TODAY, sealed=False)
    box = next(z for z in ds.zones if z.id == "box")
    assert box.place_id is None
    assert box.geometry.area == pytest.approx(0.04, rel=1e-6)
    others = [z.geometry for z in ds.zones if z.id != "box"]
    assert all(box.geometry.intersection(g).area < 1e-12 for g in others)


def test_a_frame_holding_a_place_becomes_that_places_zone(mini_copy):
    """A neighbourhood or drawn polygon with places inside is shared among them: charlie's zone is the box."""
    (mini_copy / "zones").mkdir()
    (mini_copy / "zones" / "box.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "box"},'
        ' "geometry": {"type": "Polygon", "coordinates": [[[37.1, 36.1], [37.3, 36.1], [37.3, 36.3],'
        ' [37.1, 36.3], [37.1, 36.1]]]}}]}')
    ds = load_dataset(mini_copy, today=TODAY, sealed=False)
    assert "box" not in {z.id for z in ds.zones}
    charlie = next(z for z in ds.zones if z.id == "charlie")
    assert charlie.kind == "drawn" and charlie.geometry.area == pytest.approx(0.04, rel=1e-6)


def test_overlapping_drawn_zones_are_refused(mini_copy):
    (mini_copy / "zones").mkdir()
    feats = [{"type": "Feature", "properties": {"id": zid}, "geometry": {"type": "Polygon", "coordinates": [
        [[x, 36.1], [x + 0.2, 36.1], [x + 0.2, 36.3], [x, 36.3], [x, 36.1]]]}}
        for zid, x in (("a1", 37.3), ("a2", 37.4))]
    (mini_copy / "zones" / "two.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    assert refused(mini_copy) == ["mini/zones#a2: overlaps a1: zones may not overlap"]


def test_every_problem_is_reported_not_only_the_first(mini_copy):
    _replace(mini_copy / "events" / "a.yaml", "confidence: high", "confidence: sure")
    _replace(mini_copy / "events" / "a.yaml", "confidence: medium", "confidence: maybe")
    assert refused(mini_copy) == [
        "mini/events/a.yaml:1: event e1: confidence must be high, medium or low, not 'sure'",
        "mini/events/a.yaml:14: event e2: confidence must be high, medium or low, not 'maybe'"]


def test_held_by_rule_recodes_whatever_those_factions_hold(mini_copy):
    _replace(mini_copy / "events" / "a.yaml", "    - to: transitional\n      places: [charlie, delta]",
             "    - to: transitional\n      held_by: [government, hts]")
    ds = load_dataset(mini_copy, today=TODAY, sealed=False)
    from layers import resolve_state

    state = resolve_state(ds, dt.date(2025, 1, 1))
    assert state.controller["charlie"] == "transitional" and state.controller["delta"] == "transitional"
    assert state.controller["alpha"] == "opposition" and state.cause["charlie"] == "e4"


def test_held_by_must_name_territorial_factions(mini_copy):
    _replace(mini_copy / "events" / "a.yaml", "    - to: transitional\n      places: [charlie, delta]",
             "    - to: transitional\n      held_by: [government, russia]")
    assert refused(mini_copy) == [
        "mini/events/a.yaml:57: event e4: held_by must list territorial factions, not ['russia']"]


def test_none_means_no_data_for_a_zone(mini_copy):
    _replace(mini_copy / "initial" / "mini.csv", "bravo,opposition", "bravo,none")
    _replace(mini_copy / "events" / "a.yaml", "    - to: sdf\n      places: [foxtrot]",
             "    - to: none\n      places: [foxtrot]")
    ds = load_dataset(mini_copy, today=TODAY, sealed=False)
    from layers import Timeline, resolve_state

    assert resolve_state(ds, dt.date(2016, 1, 1)).controller["bravo"] is None
    assert resolve_state(ds, dt.date(2017, 1, 1)).controller["foxtrot"] is None
    from layers.web.payload import build_payload

    payload = build_payload(ds, Timeline(ds))
    assert payload["runs"][payload["zone_ids"].index("bravo")][0][1] == -1


def test_a_dataset_needs_places_or_zones(mini_copy):
    for path in (mini_copy / "places").glob("*.csv"):
        path.unlink()
    assert refused(mini_copy) == [
        "mini/places: no places/*.csv rows and no zones/*.geojson: nothing to map"]
