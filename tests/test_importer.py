"""`controlmap import`: synthetic dated polygons become a dataset whose every day matches its source."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from shapely.geometry import Polygon

from layers import Timeline, load_dataset
from layers.engine.query import ZoneLocator
from layers.model.errors import UsageError
from layers.tools.importer import ImportSource, collect_inputs, fold, import_snapshots, parse_mapping
from layers.tools.stats import series
from tests.conftest import ROOT, TODAY
from tests.synthetic import MAPPING, write_snapshots

SOURCE = ImportSource("https://example.org/fronts", "Synthetic fronts", dt.date(2022, 3, 1))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("snapshots")
    truth = write_snapshots(folder / "in", days=30, vertices=120)
    out = folder / "dataset"
    report = import_snapshots(collect_inputs([folder / "in"]), out, parse_mapping(MAPPING), SOURCE, ROOT / "data")
    ds = load_dataset(out)
    return truth, report, ds, Timeline(ds), folder


def test_every_snapshot_day_matches_its_source(imported):
    truth, _, ds, timeline, _ = imported
    locator = ZoneLocator(ds)
    for day, rings in truth.items():
        state = timeline.state(day)
        for fid, ring in rings.items():
            poly = Polygon(ring)
            for probe in (poly.representative_point(), poly.buffer(-0.02).centroid):
                zone = locator.zone_at(probe.x, probe.y)
                assert zone is not None and state.controller[zone] == fid, (day, fid)


def test_missing_days_hold_and_the_last_snapshot_of_a_day_wins(imported):
    truth, report, ds, timeline, _ = imported
    missing = dt.date(2022, 1, 5)  # day index 4 has no file
    assert missing not in truth
    assert timeline.state(missing).controller == timeline.state(missing - dt.timedelta(days=1)).controller
    assert any("front-2022-01-09.geojson" in r for r in report.replaced)  # its -v2 file came later


def test_report_names_repairs_and_skips(imported):
    _, report, _, _, _ = imported
    assert any("front-2022-01-04.geojson" in r and "empty geometry" in r for r in report.skipped)
    assert any("front-2022-01-07.geojson" in r and "Self-intersection" in r for r in report.repaired)
    assert report.zones > 4


def test_areas_match_the_source_polygons(imported):
    truth, _, ds, timeline, _ = imported
    from layers.engine.geometry import area_km2

    day = max(truth)
    (_, values), = series(ds, timeline, day, day, dt.timedelta(days=1))
    for fid, ring in truth[day].items():
        assert values[fid][0] == pytest.approx(area_km2(Polygon(ring)), rel=0.01)


def test_every_change_cites_the_source(imported):
    _, _, ds, _, _ = imported
    assert all(e.sources[0].url == "https://example.org/fronts" for e in ds.events)
    assert ds.initial.controller and set(ds.initial.controller.values()) == {None}


def test_messy_labels_fold():
    assert fold(" S.D.F. ") == fold("sdf") == "sdf"
    labels = parse_mapping("Regime=government, SDF=sdf")
    assert labels == {"regime": "government", "sdf": "sdf"}


def test_unmapped_labels_are_named(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x-2022-01-01.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"class": "Wagner"},
         "geometry": {"type": "Polygon", "coordinates": [[[37, 36], [37.1, 36], [37.1, 36.1], [37, 36]]]}}]}))
    with pytest.raises(UsageError, match=r"labels with no faction in --map: 'Wagner' \(1, first in x-2022-01-01"):
        import_snapshots(collect_inputs([tmp_path / "in"]), tmp_path / "out", parse_mapping("SDF=sdf"), SOURCE,
                         ROOT / "data")
    assert not (tmp_path / "out").exists()


def test_cli_import_then_serve_ready_dataset(tmp_path):
    write_snapshots(tmp_path / "in", days=6, vertices=60, messy=False)
    res = subprocess.run([sys.executable, "-m", "layers", "import", str(tmp_path / "in"), "--out",
                          str(tmp_path / "ds"), "--map", MAPPING, "--source-url", "https://example.org/fronts",
                          "--publisher", "Synthetic"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "wrote" in res.stdout and "6 events" in res.stdout
    res = subprocess.run([sys.executable, "-m", "layers", "--data", str(tmp_path / "ds"), "stats", "--every", "2d"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    rows = res.stdout.strip().splitlines()
    assert rows[0] == "date,faction,area_km2,population,open_km2" and len(rows) > 6


@pytest.mark.parametrize("args, messages", [
    (["import", "/nonexistent", "--out", "x", "--map", "a=sdf", "--source-url", "https://e.org", "--publisher", "p"],
     ["/nonexistent: no such file or folder"]),
    (["import", "tests", "--out", "x", "--map", "nonsense,a=sdf,b", "--source-url", "https://e.org", "--publisher",
      "p"], ["--map: 'nonsense' is not label=faction (or give a mapping file)",
             "--map: 'b' is not label=faction (or give a mapping file)"]),
    (["import", "tests", "--out", "x", "--map", "a=sdf", "--source-url", "file:///x", "--publisher", "p"],
     ["--source-url: 'file:///x' must be an http(s) URL"]),
    (["--data", "/nowhere", "import", "/nonexistent", "--out", "x", "--map", "a=sdf", "--source-url", "e.org",
      "--publisher", "p"], ["--source-url: 'e.org' must be an http(s) URL"]),
    (["stats", "--from", "2030-01-01"], [f"--from: date 2030-01-01 is outside the data (2016-01-01 .. {TODAY})"]),
    (["stats", "--from", "2031-01-01", "--to", "2015-01-01"],
     [f"--from: date 2031-01-01 is outside the data (2016-01-01 .. {TODAY})",
      f"--to: date 2015-01-01 is outside the data (2016-01-01 .. {TODAY})"]),
    (["stats", "--from", "2020-01-01", "--to", "2019-01-01"], ["--to: 2019-01-01 comes before --from 2020-01-01"]),
    (["stats", "--every", "often"], ["--every: 'often' must be a number with d, w or m, such as 7d"]),
])
def test_bad_import_and_stats_arguments(args, messages):
    """Every problem of the arguments is reported, each on its own line naming the parameter."""
    res = subprocess.run([sys.executable, "-m", "layers", *args], capture_output=True, text=True, cwd=ROOT,
                         timeout=120)
    assert res.returncode == 2, res.stderr
    assert res.stderr.splitlines() == [f"controlmap: error: {m}" for m in messages]


def test_kill_9_during_an_import_keeps_the_old_dataset(tmp_path):
    import os
    import signal

    write_snapshots(tmp_path / "small", days=4, vertices=40, messy=False)
    args = ["--map", MAPPING, "--source-url", "https://example.org/fronts", "--publisher", "Synthetic"]
    res = subprocess.run([sys.executable, "-m", "layers", "import", str(tmp_path / "small"), "--out",
                          str(tmp_path / "ds"), *args], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    before = {p.relative_to(tmp_path / "ds"): p.read_bytes() for p in (tmp_path / "ds").rglob("*") if p.is_file()}
    write_snapshots(tmp_path / "big", days=120, vertices=300, messy=False)
    proc = subprocess.Popen([sys.executable, "-m", "layers", "import", str(tmp_path / "big"), "--out",
                             str(tmp_path / "ds"), *args], cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    assert proc.stderr is not None
    proc.stderr.readline()  # "overlaying ...": the import is under way
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    after = {p.relative_to(tmp_path / "ds"): p.read_bytes() for p in (tmp_path / "ds").rglob("*") if p.is_file()}
    assert after == before
    load_dataset(tmp_path / "ds")  # still a valid dataset
