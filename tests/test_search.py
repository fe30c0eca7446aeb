"""Place search: a table of queries and the place each must find first, and the browser's folding
(assets/15-fold.js, run by node) equal to Python's on every name of the bundled data."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from layers import load_dataset
from layers.tools.search import fold, fold_light, fold_rules_json, search
from tests.conftest import ROOT, TODAY

BUNDLED = load_dataset(ROOT / "data", today=TODAY)

FIRST = [
    ("Kobane", "kobani"), ("Kobani", "kobani"), ("Ayn al-Arab", "kobani"), ("عين العرب", "kobani"),
    ("Kobanê", "kobani"),
    ("Minbij", "manbij"), ("Manbij", "manbij"), ("Menbij", "manbij"), ("منبج", "manbij"), ("manbej", "manbij"),
    ("tal rifat", "tal_rifaat"), ("Tell Rifaat", "tal_rifaat"), ("Tal Refaat", "tal_rifaat"),
    ("تل رفعت", "tal_rifaat"), ("Aleppo", "aleppo"), ("aleppo", "aleppo"), ("حلب", "aleppo"), ("Halab", "aleppo"),
    ("Bab", "al_bab"), ("al-Bab", "al_bab"), ("el Bab", "al_bab"), ("Azaz", "azaz"), ("Aazaz", "azaz"),
    ("Jarablus", "jarabulus"), ("Saraqeb", "saraqib"), ("Jisr Shughur", "jisr_al_shughur"),
    ("jisr el-shoghour", "jisr_al_shughur"), ("Idlib", "idlib"), ("Idleb", "idlib"), ("Jindiris", "jindires"),
]


@pytest.mark.parametrize(("query", "place"), FIRST)
def test_search_lists_the_place_first(query: str, place: str):
    hits = search(BUNDLED.places, query)
    assert hits and hits[0].place_id == place, [h.place_id for h in hits[:5]]


@pytest.mark.parametrize("query", ["", "   ", "-", "xqvxqvxqv"])
def test_search_of_nothing_finds_nothing(query: str):
    assert search(BUNDLED.places, query) == []


@pytest.mark.parametrize(("a", "b"), [("Kobane", "Kobani"), ("Minbij", "Manbij"), ("tal rifat", "Tell Rifaat"),
                                      ("Shaykh Maqsud", "Sheikh Maqsoud"), ("أعزاز", "اعزاز"), ("Qabasin", "Kabasin")])
def test_spellings_fold_together(a: str, b: str):
    assert fold(a) == fold(b)


NODE = shutil.which("node") or shutil.which("nodejs")


@pytest.mark.skipif(NODE is None, reason="node is missing (make browser installs it)")
def test_the_browser_folds_every_name_like_python(tmp_path: Path):
    names = sorted({n for p in BUNDLED.places for n in (p.name_en, p.name_ar, *p.other_names) if n}
                   | {q for q, _ in FIRST} | {"Ça Ünïcödé", "Dayr  Ḥāfir", "ٱلباب"})
    (tmp_path / "in.json").write_text(json.dumps({"rules": fold_rules_json(), "names": names}), encoding="utf-8")
    script = ("const F = require(process.argv[1]).folder; const i = JSON.parse(require('fs').readFileSync("
              "process.argv[2], 'utf8')); const f = F(i.rules); process.stdout.write(JSON.stringify("
              "i.names.map((n) => [f.light(n), f.fold(n)])));")
    res = subprocess.run([NODE, "-e", script, str(ROOT / "assets" / "15-fold.js"), str(tmp_path / "in.json")],
                         capture_output=True, text=True, check=True, timeout=120)
    got = json.loads(res.stdout)
    assert got == [[fold_light(n), fold(n)] for n in names]
