"""`controlmap compare-map`: agreement by area with an outside map, per class and overall."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import MINI, ROOT

MAP = "government=government,opposition=opposition,sdf=sdf,hts=hts,isis=isis"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layers", "--data", str(MINI), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_our_own_map_agrees_fully_and_another_day_does_not(tmp_path):
    out = tmp_path / "ours.geojson"
    assert run("snapshot", "2016-01-01", "--out", str(out)).returncode == 0
    same = run("compare-map", str(out), "--date", "2016-01-01", "--map", MAP, "--property", "faction")
    assert same.returncode == 0, same.stderr
    assert "agreement 100.0%" in same.stdout
    later = run("compare-map", str(out), "--date", "2020-01-01", "--map", MAP, "--property", "faction",
                "--out", str(tmp_path / "dis.geojson"))
    assert later.returncode == 0, later.stderr
    share = float(later.stdout.split("agreement ")[1].split("%")[0])
    assert share < 100.0
    doc = json.loads((tmp_path / "dis.geojson").read_text())
    assert doc["features"] and {"theirs", "ours", "area_km2", "places"} <= set(doc["features"][0]["properties"])
    assert doc["features"][0]["properties"]["theirs"] != doc["features"][0]["properties"]["ours"]


def test_a_label_missing_from_the_mapping_is_one_line(tmp_path):
    out = tmp_path / "ours.geojson"
    run("snapshot", "2016-01-01", "--out", str(out))
    res = run("compare-map", str(out), "--date", "2016-01-01", "--map", "government=government", "--property",
              "faction")
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1 and "is not in --map" in res.stderr
