"""Regenerate tests/data/broken/: one folder per kind of broken input, made by changing one file of the
synthetic mini dataset. Each folder holds the changed file at its path inside a dataset and `expected`,
the message the loader must give. Run on purpose when the table changes:

    python scripts/make_broken_corpus.py
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini"
OUT = ROOT / "tests" / "data" / "broken"


# (file inside the dataset, old text, new text, expected message): one row per kind of problem.
BROKEN = [
    ("places/mini.csv", "alpha,Alpha", "alpha,Alpha,extra", "mini/places/mini.csv:2: expected 11 fields, found 12"),
    ("places/mini.csv", "id,name_en", "ident,name_en", "mini/places/mini.csv:1: header must be id,name_en,name_ar,other_names,lon,lat,governorate,district,population,coord_source,coord_quality (optional after it: rank)"),
    ("places/mini.csv", "36.87,36.51", "36.87,x", "mini/places/mini.csv:2: place alpha: lon/lat must be numbers, not '36.87', 'x'"),
    ("places/mini.csv", "36.87,36.51", "44.00,33.30", "mini/places/mini.csv:2: place alpha: coordinates 44.0, 33.3 are outside the area of interest"),
    ("places/mini.csv", "bravo,Bravo", "alpha,Bravo", "mini/places/mini.csv:3: duplicate place id 'alpha' (first in mini/places/mini.csv:2)"),
    ("places/mini.csv", "bravo,Bravo", "Bravo X,Bravo", "mini/places/mini.csv:3: bad place id 'Bravo X': use lowercase letters, digits and _"),
    ("places/mini.csv", "37.07,36.45", "36.87,36.51", "mini/places/mini.csv:3: place bravo has the same coordinates as alpha"),
    ("places/mini.csv", "synthetic test place,sourced\nbravo", ",sourced\nbravo", "mini/places/mini.csv:2: place alpha: coord_source is empty (a GeoNames id or a URL)"),
    ("places/mini.csv", "1000,synthetic test place,sourced", "1000,synthetic test place,guessed", "mini/places/mini.csv:3: place bravo: coord_quality must be sourced or approximate"),
    ("factions.csv", "sdf,territorial", "sdf,territory", "mini/factions.csv:4: kind must be territorial or presence, not 'territory'"),
    ("factions.csv", "#f2d13a", "yellow", "mini/factions.csv:4: color must be #rrggbb, not 'yellow'"),
    ("factions.csv", "hts,territorial", "sdf,territorial", "mini/factions.csv:5: duplicate faction id 'sdf'"),
    ("events/a.yaml", "date: 2016-08-12", "date: 2016-02-30", "mini/events/a.yaml:1: event e1: date '2016-02-30' is not a real YYYY-MM-DD date"),
    ("events/a.yaml", "date: 2016-08-12", "date: 12/08/2016", "mini/events/a.yaml:1: event e1: date '12/08/2016' is not a real YYYY-MM-DD date"),
    ("events/a.yaml", "date: 2016-08-12", "date: 2031-01-01", "mini/events/a.yaml:1: event e1: date 2031-01-01 is outside the data's span (2016-01-01 .. 2026-11-26)"),
    ("events/a.yaml", "date: 2016-08-12", "date: 2015-06-01", "mini/events/a.yaml:1: event e1: date 2015-06-01 is outside the data's span (2016-01-01 .. 2026-11-26)"),
    ("events/a.yaml", "- to: sdf\n      places: [foxtrot]", "- to: kurds\n      places: [foxtrot]", "mini/events/a.yaml:12: event e1: unknown territorial faction 'kurds'"),
    ("events/a.yaml", "places: [foxtrot]", "places: [foxtrot, atlantis]", "mini/events/a.yaml:12: event e1: unknown place or zone 'atlantis'"),
    ("events/a.yaml", "- id: e2", "- id: e1", "mini/events/a.yaml:14: duplicate event id 'e1' (first in mini/events/a.yaml:1)"),
    ("events/a.yaml", "  sources:\n    - url: https://example.org/e1\n      publisher: Synthetic\n      published: 2016-08-12\n", "  sources: []\n", "mini/events/a.yaml:1: event e1: needs at least one source"),
    ("events/a.yaml", "url: https://example.org/e1", "url: example dot org", "mini/events/a.yaml:8: event e1: source url must be an http(s) URL, not 'example dot org'"),
    ("events/a.yaml", "      published: 2016-08-12\n", "", "mini/events/a.yaml:8: event e1: source https://example.org/e1 needs a published date"),
    ("events/a.yaml", "confidence: high", "confidence: certain", "mini/events/a.yaml:1: event e1: confidence must be high, medium or low, not 'certain'"),
    ("events/a.yaml", "title: Foxtrot taken by the SDF", "title: Foxtrot: taken: [", "mini/events/a.yaml:3: malformed YAML: mapping values are not allowed here"),
    ("events/a.yaml", "action: add\n      places: [alpha]", "action: toggle\n      places: [alpha]", "mini/events/a.yaml:28: event e2: presence action must be add, remove or confirm, not 'toggle'"),
    ("events/a.yaml", "faction: turkey", "faction: sdf", "mini/events/a.yaml:28: event e2: unknown presence faction 'sdf'"),
    ("events/a.yaml", "location: foxtrot", "location: nowhere", "mini/events/a.yaml:1: event e1: unknown location 'nowhere'"),
    ("initial/mini.csv", "alpha,sdf", "alpha,kurds", "mini/initial/mini.csv:2: alpha: unknown territorial faction 'kurds'"),
    ("initial/mini.csv", "bravo,opposition", "alpha,opposition", "mini/initial/mini.csv:3: alpha is given an initial controller twice (also mini/initial/mini.csv:2)"),
    ("initial/mini.csv", "foxtrot,isis,,high,\n", "", "mini/initial: place or zone 'foxtrot' has no initial controller"),
    ("initial.yaml", "date: 2016-01-01", "date: 2016-13-01", "mini/initial.yaml:1: date '2016-13-01' is not a real YYYY-MM-DD date"),
    ("initial.yaml", "publisher: Synthetic test data", "publisher: ''", "mini/initial.yaml:3: initial state: source https://example.org/synthetic has no publisher"),
    ("initial/mini.csv", "charlie,government,,high,", "charlie,government,klingons,high,", "mini/initial/mini.csv:4: charlie: unknown presence faction 'klingons'"),
    ("initial/mini.csv", "delta,hts,,medium,", "delta,hts,,sure,", "mini/initial/mini.csv:5: delta: confidence must be high, medium or low"),
    ("events/a.yaml", "- id: e1", "- id: E 1", "mini/events/a.yaml:1: event id 'E 1' must be lowercase letters, digits, - and _"),
    ("events/a.yaml", "title: Foxtrot taken by the SDF", "title: ''", "mini/events/a.yaml:1: event e1: title is empty"),
    ("events/a.yaml", "      published: 2016-08-12\n", "      published: 2016-08-32\n", "mini/events/a.yaml:8: event e1: source published date '2016-08-32' is not a real YYYY-MM-DD date"),
    ("events/a.yaml", "- id: e1", "- just a string\n- id: e1", "mini/events/a.yaml: event #1: each event must be a mapping"),
    ("places/mini.csv", "50000,synthetic", "many,synthetic", "mini/places/mini.csv:2: place alpha: population must be a number, not 'many'"),
]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    for i, (rel, old, new, expected) in enumerate(BROKEN, 1):
        text = (MINI / rel).read_text(encoding="utf-8")
        assert old in text, (rel, old)
        case = OUT / f"{i:02d}-{slug(expected.split(': ', 1)[-1])}"
        (case / rel).parent.mkdir(parents=True, exist_ok=True)
        (case / rel).write_text(text.replace(old, new, 1), encoding="utf-8")
        (case / "expected").write_text(expected + "\n", encoding="utf-8")
    print(f"wrote {len(BROKEN)} cases to {OUT}")


if __name__ == "__main__":
    main()
