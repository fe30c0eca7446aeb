"""The broken-data corpus, beyond tests/data/broken: what a tired editor or a hostile file can do.

1. Format-agnostic: every data file of the bundled dataset truncated, replaced with garbage, emptied,
   deleted or given a NUL byte. Sealed, each is refused naming the file; unsealed (while editing), an
   empty, garbled or NUL file is still refused by the loader, and nothing ends in a traceback.
2. Semantic: dates, coordinates, ids, YAML tricks, CSV encodings, shapes of base layers. Each is refused
   with its ``path:line: message`` or, where the file is valid (BOM, CRLF), accepted.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from layers import DataError, load_dataset
from layers.io.manifest import data_files
from tests.conftest import MINI, ROOT, TODAY

DATA = ROOT / "data"
GARBAGE = bytes(range(256)) * 4


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "truncated": _truncate,
    "garbage": lambda p: p.write_bytes(GARBAGE),
    "emptied": lambda p: p.write_bytes(b""),
    "deleted": lambda p: p.unlink(),
    "nul": lambda p: p.write_bytes(p.read_bytes()[:100] + b"\x00" + p.read_bytes()[100:]),
}
FILES = [p.relative_to(DATA).as_posix() for p in data_files(DATA)]
MINI_FILES = [p.relative_to(MINI).as_posix() for p in data_files(MINI)]


def _copy(source: Path, dest: Path) -> Path:
    shutil.copytree(source, dest, symlinks=False)
    return dest


def test_the_corpus_covers_at_least_a_hundred_corruptions():
    assert len(FILES) * len(CORRUPTIONS) >= 100


@pytest.mark.parametrize("kind", CORRUPTIONS)
@pytest.mark.parametrize("rel", FILES)
def test_a_corrupted_file_of_the_sealed_data_is_refused_naming_it(tmp_path, rel, kind):
    folder = _copy(DATA, tmp_path / "data")
    CORRUPTIONS[kind](folder / rel)
    with pytest.raises(DataError) as info:
        load_dataset(folder, today=TODAY)
    messages = [str(p) for p in info.value.problems]
    assert any(m.startswith(f"data/{rel}: ") for m in messages), messages


@pytest.mark.parametrize("kind", CORRUPTIONS)
@pytest.mark.parametrize("rel", MINI_FILES)
def test_a_corrupted_file_while_editing_is_refused_or_valid_never_a_crash(tmp_path, rel, kind):
    folder = _copy(MINI, tmp_path / "mini")
    CORRUPTIONS[kind](folder / rel)
    try:
        load_dataset(folder, today=TODAY, sealed=False)
    except DataError as exc:
        messages = [str(p) for p in exc.problems]
        if kind in ("garbage", "emptied", "nul"):  # never taken as data, even unsealed
            assert any(m.startswith(f"mini/{rel}") for m in messages), messages
        return
    assert kind in ("truncated", "deleted"), "garbled files must not load"


# ---------------------------------------------------------------- semantic cases
BILLION_LAUGHS = "".join(
    [f"- &a0 [{', '.join(['lol'] * 9)}]\n"]
    + [f"- &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)])
SOURCE = "  sources:\n    - url: https://example.org/x\n      publisher: Synthetic\n      published: 2016-08-12\n"


def _event(eid: str = "e9", date: str = "2016-09-01", title: str = "T", extra: str = "") -> str:
    return (f"- id: {eid}\n  date: {date}\n  title: {title}\n  confidence: low\n{SOURCE}"
            f"  changes:\n    - to: sdf\n      places: [bravo]\n{extra}")


def _fc(features: str) -> str:
    return '{"type": "FeatureCollection", "features": [' + features + "]}"


def _feature(geometry: str, props: str = "{}") -> str:
    return f'{{"type": "Feature", "properties": {props}, "geometry": {geometry}}}'


SQUARE = '{"type": "Polygon", "coordinates": [[[36, 35], [39, 35], [39, 37], [36, 37], [36, 35]]]}'
LINE = '{"type": "LineString", "coordinates": [[37, 36], [38, 36.5]]}'

# (case, file, how: "replace" old->new | "write" text | "append" text | "bytes" data, expected or None if valid)
SEMANTIC: list[tuple[str, str, str, object, str | None]] = [
    ("future-event", "events/a.yaml", "replace", ("date: 2016-08-12", "date: 2031-01-01"),
     "mini/events/a.yaml:1: event e1: date 2031-01-01 is outside the data's span"),
    ("event-before-start", "events/a.yaml", "replace", ("date: 2016-08-12", "date: 2015-06-01"),
     "mini/events/a.yaml:1: event e1: date 2015-06-01 is outside the data's span"),
    ("february-30", "events/a.yaml", "replace", ("date: 2016-08-12", "date: 2016-02-30"),
     "mini/events/a.yaml:1: event e1: date '2016-02-30' is not a real YYYY-MM-DD date"),
    ("date-with-time", "events/a.yaml", "replace", ("date: 2016-08-12", "date: 2016-08-12T10:00"),
     "mini/events/a.yaml:1: event e1: date '2016-08-12T10:00' is not a real YYYY-MM-DD date"),
    ("date-as-number", "events/a.yaml", "replace", ("date: 2016-08-12", "date: 20160812"),
     "mini/events/a.yaml:1: event e1: date 20160812 is not a real YYYY-MM-DD date"),
    ("future-initial-date", "initial.yaml", "replace", ("date: 2016-01-01", "date: 2030-01-01"),
     "mini/initial.yaml: initial date 2030-01-01 is after today (2026-11-26)"),
    ("swapped-coordinates", "places/mini.csv", "replace", ("37.95,36.53", "36.53,37.95"),
     "mini/places/mini.csv:7: place foxtrot: coordinates 36.53, 37.95 are outside the area of interest"),
    ("nan-coordinates", "places/mini.csv", "replace", ("37.95,36.53", "nan,nan"),
     "mini/places/mini.csv:7: place foxtrot: lon/lat must be numbers, not 'nan', 'nan'"),
    ("infinite-coordinates", "places/mini.csv", "replace", ("37.95,36.53", "inf,36.53"),
     "mini/places/mini.csv:7: place foxtrot: lon/lat must be numbers, not 'inf', '36.53'"),
    ("decimal-comma", "places/mini.csv", "replace", ("37.95,36.53", "37,95,36,53"),
     "mini/places/mini.csv:7: expected 11 fields, found 13"),
    ("latitude-95", "places/mini.csv", "replace", ("37.95,36.53", "37.95,95"),
     "mini/places/mini.csv:7: place foxtrot: coordinates 37.95, 95.0 are outside the area of interest"),
    ("duplicate-event-in-file", "events/a.yaml", "replace", ("- id: e2", "- id: e1"),
     "mini/events/a.yaml:14: duplicate event id 'e1' (first in mini/events/a.yaml:1)"),
    ("duplicate-event-across-files", "events/b.yaml", "write", _event("e1"),
     "mini/events/b.yaml:1: duplicate event id 'e1' (first in mini/events/a.yaml:1)"),
    ("duplicate-place-across-files", "places/more.csv", "write",
     "id,name_en,name_ar,other_names,lon,lat,governorate,district,population,coord_source,coord_quality\n"
     "alpha,Alpha,ألفا,,37.5,36.3,aleppo,x,,synthetic,sourced\n",
     "mini/places/more.csv:2: duplicate place id 'alpha' (first in mini/places/mini.csv:2)"),
    ("duplicate-faction", "factions.csv", "replace", ("hts,territorial", "sdf,territorial"),
     "mini/factions.csv:5: duplicate faction id 'sdf'"),
    ("uppercase-event-id", "events/a.yaml", "replace", ("- id: e1", "- id: E1"),
     "mini/events/a.yaml:1: event id 'E1' must be lowercase letters, digits, - and _"),
    ("empty-place-id", "places/mini.csv", "replace", ("bravo,Bravo", ",Bravo"),
     "mini/places/mini.csv:3: bad place id ''"),
    ("numeric-event-id", "events/b.yaml", "write", _event("123"), None),
    ("alias-bomb", "events/b.yaml", "write", BILLION_LAUGHS,
     "mini/events/b.yaml:1: YAML aliases expand 19 nodes to 490329055"),
    ("recursive-alias", "events/b.yaml", "write", "- &a [*a]\n",
     "mini/events/b.yaml:1: a YAML alias refers to itself (recursive alias)"),
    ("ordinary-anchor", "events/b.yaml", "write",
     _event("e9").replace("  sources:\n", "  sources: &src\n") + _event("e10", "2016-09-02").split("  sources:")[0]
     + "  sources: *src\n  changes:\n    - to: sdf\n      places: [bravo]\n", None),
    ("title-is-a-list", "events/a.yaml", "replace", ("title: Foxtrot taken by the SDF", "title: [a, b]"),
     "mini/events/a.yaml:1: event e1: title must be text, not a list"),
    ("title-from-alias", "events/b.yaml", "write", "- &x [" + ", ".join(["word"] * 50) + "]\n"
     + _event("e9", title="*x"), "mini/events/b.yaml:2: event e9: title must be text, not a list"),
    ("mapping-not-list", "events/b.yaml", "write", "id: e9\ndate: 2016-09-01\n",
     "mini/events/b.yaml:1: must be a YAML list of events"),
    ("tab-indentation", "events/a.yaml", "replace", ("  summary: Synthetic.", "\tsummary: Synthetic."),
     "mini/events/a.yaml:4: malformed YAML"),
    ("huge-title", "events/a.yaml", "replace", ("title: Foxtrot taken by the SDF", "title: " + "x" * 30000),
     "mini/events/a.yaml:3: a value of 30000 characters is longer than 20000"),
    ("only-comments", "events/b.yaml", "write", "# nothing here yet\n", "mini/events/b.yaml: empty file"),
    ("duplicate-key", "events/a.yaml", "replace",
     ("  summary: Synthetic.\n", "  summary: Synthetic.\n  title: Other\n"),
     "mini/events/a.yaml:1: key 'title' is given twice in one mapping"),
    ("python-tag", "events/b.yaml", "write", "- !!python/object/apply:os.system [echo hi]\n",
     "mini/events/b.yaml:1: malformed YAML: could not determine a constructor"),
    ("two-documents", "events/b.yaml", "write", _event() + "---\n" + _event("e10"),
     "mini/events/b.yaml:12: malformed YAML: but found another document"),
    ("csv-with-bom", "places/mini.csv", "bom", None, None),
    ("csv-with-crlf", "initial/mini.csv", "crlf", None, None),
    ("yaml-with-bom-and-crlf", "events/a.yaml", "bom+crlf", None, None),
    ("latin-1-csv", "places/mini.csv", "bytes",
     "id,name_en,name_ar,other_names,lon,lat,governorate,district,population,coord_source,coord_quality\n"
     "alpha,Alph\xe9,x,,36.87,36.51,aleppo,afrin,,synthetic,sourced\n".encode("latin-1"),
     "mini/places/mini.csv:2: not UTF-8 text (byte 108)"),
    ("huge-csv-field", "places/mini.csv", "replace", ("Alfa|Alpha Town", "a" * 30000),
     "mini/places/mini.csv:2: a field of 30000 characters is longer than 20000"),
    ("base-bare-geometry", "base/lakes.geojson", "write", SQUARE,
     "mini/base/lakes.geojson: must be a GeoJSON FeatureCollection with a features list"),
    ("base-rivers-as-polygons", "base/rivers.geojson", "write", _fc(_feature(SQUARE)),
     "mini/base/rivers.geojson#0: geometry must be LineString or MultiLineString, not Polygon"),
    ("base-properties-null", "base/roads.geojson", "write", _fc(_feature(LINE, "null")), None),
    ("base-properties-list", "base/countries.geojson", "write", _fc(_feature(SQUARE, "[1]")),
     "mini/base/countries.geojson#0: properties must be an object"),
    ("base-no-features", "base/aoi.geojson", "write", _fc(""), "mini/base/aoi.geojson: has no features"),
    ("base-string-coordinates", "base/lakes.geojson", "write",
     _fc(_feature('{"type": "Polygon", "coordinates": [[["36", 35], [39, 35], [39, 37], [36, 35]]]}')),
     "mini/base/lakes.geojson#0: coordinates must be lists of finite numbers"),
    ("base-nan", "base/lakes.geojson", "write",
     _fc(_feature('{"type": "Polygon", "coordinates": [[[NaN, 35], [39, 35], [39, 37], [36, 35]]]}')),
     "mini/base/lakes.geojson: malformed JSON: NaN is not a JSON number"),
    ("aoi-as-a-line", "base/aoi.geojson", "write", _fc(_feature(LINE)),
     "mini/base/aoi.geojson#0: geometry must be Polygon or MultiPolygon, not LineString"),
    ("extra-base-layer-of-points", "base/wells.geojson", "write",
     _fc(_feature('{"type": "Point", "coordinates": [37, 36]}')), None),
    ("zone-feature-not-an-object", "zones/z.geojson", "write", _fc("[1, 2]"),
     "mini/zones/z.geojson#0: feature needs an id property"),
]


def _apply(folder: Path, rel: str, how: str, arg: object) -> None:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if how == "replace":
        old, new = arg  # type: ignore[misc]
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    elif how == "write":
        path.write_text(str(arg), encoding="utf-8")
    elif how == "bytes":
        path.write_bytes(arg)  # type: ignore[arg-type]
    else:
        text = path.read_text(encoding="utf-8")
        text = text.replace("\n", "\r\n") if "crlf" in how else text
        path.write_bytes((b"\xef\xbb\xbf" if "bom" in how else b"") + text.encode("utf-8"))


def test_the_semantic_corpus_has_at_least_43_cases():
    assert len(SEMANTIC) >= 43


@pytest.mark.parametrize("case, rel, how, arg, expected", SEMANTIC, ids=[c[0] for c in SEMANTIC])
def test_semantic_case(mini_copy, case, rel, how, arg, expected):
    _apply(mini_copy, rel, how, arg)
    if expected is None:
        load_dataset(mini_copy, today=TODAY, sealed=False)
        return
    with pytest.raises(DataError) as info:
        load_dataset(mini_copy, today=TODAY, sealed=False)
    messages = [str(p) for p in info.value.problems]
    assert any(m.startswith(expected) for m in messages), messages
