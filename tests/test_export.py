"""Exports, checked by looking at the output: pixels, parsed SVG/PDF, GeoJSON read back, GeoPackage layers,
GIF frames; and bad requests or interrupted writes never leave a partial or broken file."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import shapely
from PIL import Image

from layers import Timeline, resolve_state
from layers.engine.geometry import dissolve
from layers.export import (
    Exporter,
    ExportError,
    ImageOptions,
    checked_frame,
    geojson_areas,
    parse_every,
    parse_frame,
    whole_number,
)
from tests.conftest import MINI, ROOT, TODAY

DAY = dt.date(2018, 3, 20)


@pytest.fixture(scope="module")
def exporter(mini):
    return Exporter(mini, Timeline(mini))


def _hex(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def test_png_pixel_at_a_place_has_its_controllers_colour(exporter, mini, tmp_path):
    opts = ImageOptions(width_px=1200, dpi=100)
    out = tmp_path / "map.png"
    exporter.write(DAY, out, opts)
    img = np.asarray(Image.open(out).convert("RGB")).astype(float)
    fig = exporter.render(DAY, opts)
    ax = fig.axes[0]
    state = resolve_state(mini, DAY)
    paper = _hex("#f6f3ec")
    for zone in mini.zones:
        # a point inside the zone, away from its labelled place, its edges and the legend
        inner = zone.geometry.buffer(-0.08)
        pt = (inner if not inner.is_empty else zone.geometry).representative_point()
        x, y = ax.transData.transform((pt.x, pt.y))
        px, py = int(round(x)), int(round(img.shape[0] - y))
        expected = 0.88 * _hex(mini.faction(state.controller[zone.id]).color) + 0.12 * paper
        assert np.abs(img[py, px] - expected).max() < 12, (zone.id, img[py, px], expected)


def test_png_metadata_carries_date_and_attribution(exporter, tmp_path):
    out = tmp_path / "map.png"
    exporter.write(DAY, out, ImageOptions(width_px=1200, dpi=100))
    info = Image.open(out).info
    assert "2018-03-20" in info["Description"] and "Natural Earth" in info["Description"]


def test_svg_is_vector_and_carries_the_texts(exporter, tmp_path):
    out = tmp_path / "map.svg"
    exporter.write(DAY, out, ImageOptions(width_px=1200, dpi=100))
    root = ET.parse(out).getroot()  # noqa: S314 - our own output
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert len(root.findall(f".//{ns}path")) > 50  # polygons, lines and glyphs as paths: no embedded raster
    assert root.findall(f".//{ns}image") == []
    text = out.read_text()
    assert "2018-03-20" in text and "Natural Earth" in text


def test_pdf_parses_with_one_vector_page(exporter, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "map.pdf"
    exporter.write(DAY, out, ImageOptions(width_px=1200, dpi=100))
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 1
    assert "2018-03-20" in reader.metadata.title
    content = reader.pages[0].extract_text()
    assert "2018-03-20" in content and "Sources" in content


def test_geojson_is_rfc7946_and_reads_back_equal(exporter, mini, tmp_path):
    out = tmp_path / "state.geojson"
    exporter.write(DAY, out)
    doc = json.loads(out.read_text())
    assert doc["type"] == "FeatureCollection" and "crs" not in doc and doc["date"] == "2018-03-20"
    expected = dissolve(mini.zones, resolve_state(mini, DAY))
    got = geojson_areas(doc)
    assert set(got) == set(expected)
    for fid, geom in got.items():
        assert geom.is_valid
        for poly in getattr(geom, "geoms", [geom]):
            assert shapely.is_ccw(poly.exterior)  # RFC 7946: exterior rings counter-clockwise
            assert all(not shapely.is_ccw(ring) for ring in poly.interiors)
        # coordinates are rounded to 1e-6 degrees: the error is bounded by the outline's length times that
        assert geom.symmetric_difference(expected[fid]).area < expected[fid].length * 1e-6
    import geopandas as gpd

    frame = gpd.read_file(out)
    assert sorted(frame["faction"]) == sorted(expected)


def test_geopackage_opens_with_its_layers(exporter, mini, tmp_path):
    import geopandas as gpd
    import pyogrio

    out = tmp_path / "state.gpkg"
    exporter.write(dt.date(2019, 11, 1), out)
    layers = dict(pyogrio.list_layers(out))
    assert set(layers) == {"control_areas", "presence", "front_lines", "places"}
    places = gpd.read_file(out, layer="places")
    assert len(places) == len(mini.places) and places.crs.to_epsg() == 4326
    presence = gpd.read_file(out, layer="presence")
    assert set(zip(presence["place"], presence["faction"])) == {("alpha", "turkey"), ("echo", "russia"),
                                                                 ("foxtrot", "russia")}
    areas = gpd.read_file(out, layer="control_areas")
    assert set(areas["faction"]) == {"opposition", "government", "hts", "sdf"}
    assert len(gpd.read_file(out, layer="front_lines")) > 0


def test_csv_has_every_place_with_controller_presence_and_since(exporter, mini, tmp_path):
    out = tmp_path / "state.csv"
    exporter.write(DAY, out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == [p.id for p in mini.places]
    alpha = rows[0]
    assert (alpha["controller"], alpha["presence"], alpha["since"], alpha["event_id"]) == (
        "opposition", "turkey", "2018-03-18", "e2")
    assert alpha["sources"] == "https://example.org/e2"


def test_gif_has_the_expected_frames_and_they_change(exporter, tmp_path):
    out = tmp_path / "lapse.gif"
    days = exporter.frame_days(dt.date(2016, 1, 1), dt.date(2019, 1, 1), parse_every("180d"))
    assert len(days) == 8 and days[-1] == dt.date(2019, 1, 1)
    seen = []
    exporter.write_animation(days, out, ImageOptions(width_px=600, dpi=60), fps=5,
                             progress=lambda i, n, d: seen.append((i, n)))
    assert seen[-1] == (8, 8)
    with Image.open(out) as gif:
        assert gif.n_frames == 8
        gif.seek(0)
        first = np.asarray(gif.convert("RGB")).copy()
        gif.seek(gif.n_frames - 1)
        last = np.asarray(gif.convert("RGB")).copy()
    assert np.abs(first.astype(int) - last.astype(int)).sum() > 0


def test_mp4_is_a_video_with_the_frames(exporter, tmp_path):
    import imageio.v2 as imageio

    out = tmp_path / "lapse.mp4"
    days = exporter.frame_days(dt.date(2016, 1, 1), dt.date(2017, 1, 1), parse_every("3m"))
    exporter.write_animation(days, out, ImageOptions(width_px=600, dpi=60), fps=2)
    reader = imageio.get_reader(out, format="FFMPEG")
    assert reader.count_frames() == len(days)
    reader.close()


def test_failed_export_leaves_no_partial_file_and_keeps_the_old_one(exporter, tmp_path, monkeypatch):
    out = tmp_path / "map.png"
    out.write_bytes(b"the good old file")
    import matplotlib.figure

    def broken_savefig(self, fname, **kwargs):
        Path(fname).write_bytes(b"half a png")
        raise OSError("disk full")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", broken_savefig)
    with pytest.raises(OSError):
        exporter.write(DAY, out, ImageOptions(width_px=600, dpi=60))
    assert out.read_bytes() == b"the good old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png"]


def test_interrupted_animation_leaves_nothing(exporter, tmp_path):
    out = tmp_path / "lapse.gif"

    def interrupt(i, n, day):
        if i == 2:
            raise KeyboardInterrupt

    days = exporter.frame_days(dt.date(2016, 1, 1), dt.date(2018, 1, 1), parse_every("90d"))
    with pytest.raises(KeyboardInterrupt):
        exporter.write_animation(days, out, ImageOptions(width_px=400, dpi=50), progress=interrupt)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("opts, message", [
    (ImageOptions(width_px=20), "width 20 must be a whole number from 300 to 8000"),
    (ImageOptions(dpi=5000), "dpi 5000 must be a whole number from 50 to 600"),
    (ImageOptions(lang="fr"), "language 'fr' must be en or ar"),
    (ImageOptions(frame=(38.0, 36.0, 37.0, 37.0)), "must be min_lon,min_lat,max_lon,max_lat"),
    (ImageOptions(frame=(float("nan"), 36.0, 37.0, 37.0)), "must be min_lon,min_lat,max_lon,max_lat"),
])
def test_absurd_image_options_are_refused(opts, message):
    with pytest.raises(ExportError, match=message):
        opts.check()


@pytest.mark.parametrize("value, expected", [
    (300, 300), ("8000", 8000), (" 1600 ", 1600), (1600.0, 1600),
    (299, None), ("8001", None), (True, None), (1600.5, None), ("1e3", None), ("-400", None), ("٣٠٠", None),
    ("", None), (None, None), ([1600], None),
])
def test_one_check_of_a_size_for_the_command_line_the_page_and_the_options(value, expected):
    if expected is None:
        with pytest.raises(ValueError, match="^must be a whole number from 300 to 8000$"):
            whole_number(value, 300, 8000)
    else:
        assert whole_number(value, 300, 8000) == expected


@pytest.mark.parametrize("values, expected", [
    ([36.0, 35.5, 37.0, 36.5], (36.0, 35.5, 37.0, 36.5)), (("36", "35.5", "56", "36.5"), (36.0, 35.5, 56.0, 36.5)),
    ([37.0, 35.5, 36.0, 36.5], None), ([36.0, 36.5, 37.0, 36.5], None), ([36.0, 35.5, 56.1, 36.5], None),
    ([36.0, 15.0, 37.0, 35.5], None), ([36.0, 35.5, float("inf"), 36.5], None), ([36.0, 35.5, 37.0], None),
    (None, None), ("abcd", None),
])
def test_one_check_of_a_map_frame(values, expected):
    assert checked_frame(values) == expected


def test_frames_by_place_name_and_spelling(mini):
    assert parse_frame("Alfa", mini) == parse_frame("alpha", mini)
    x0, y0, x1, y1 = parse_frame("36.5,35.9,37.5,36.6", mini)
    assert (x0, y1) == (36.5, 36.6)
    with pytest.raises(ExportError):
        parse_frame("Atlantis", mini)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "layers", "--data", str(MINI), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_cli_snapshot_and_animate(tmp_path):
    res = run("snapshot", "2018-03-20", "--out", str(tmp_path / "a.png"), "--width", "800", "--frame", "Alpha",
              "--lang", "ar", "--title", "Test")
    assert res.returncode == 0, res.stderr
    assert Image.open(tmp_path / "a.png").size[0] == 800
    res = run("animate", "2016-01-01", "2017-01-01", "--every", "4m", "--out", str(tmp_path / "a.gif"),
              "--width", "400", "--dpi", "50")
    assert res.returncode == 0, res.stderr
    assert "5/5 2017-01-01" in res.stderr  # every 120 days, plus the end day; the bar reached its end
    assert Image.open(tmp_path / "a.gif").n_frames == 5


@pytest.mark.parametrize("args, message", [
    (["snapshot", "2018-03-20", "--out", "x.bmp"], "--out: unknown format '.bmp': use one of .png .svg .pdf .geojson "
                                                  ".gpkg .csv"),
    (["snapshot", "2018-03-20", "--out", "x"], "--out: unknown format '(none)': use one of .png .svg .pdf .geojson "
                                              ".gpkg .csv"),
    (["snapshot", "2031-01-01", "--out", "x.png"], f"date 2031-01-01 is outside the data (2016-01-01 .. {TODAY})"),
    (["snapshot", "2018-03-20", "--out", "/nonexistent/dir/x.png"],
     "cannot write /nonexistent/dir/x.png: folder /nonexistent/dir does not exist"),
    (["snapshot", "2018-03-20", "--out", "x.png", "--width", "99999"],
     "argument --width: '99999' must be a whole number from 300 to 8000"),
    (["snapshot", "2018-03-20", "--out", "x.png", "--dpi", "0"],
     "argument --dpi: '0' must be a whole number from 50 to 600"),
    (["snapshot", "2018-03-20", "--out", "x.png", "--frame", "1,2,3"],
     "frame '1,2,3' is neither a bounding box nor a known place"),
    (["snapshot", "2018-03-20", "--out", "x.png", "--lang", "fr"],
     "argument --lang: invalid choice: 'fr' (choose from 'en', 'ar')"),
    (["animate", "2018-01-01", "2017-01-01", "--out", "x.gif"], "the end 2017-01-01 must come after the start "
                                                               "2018-01-01"),
    (["animate", "2016-01-01", "2026-01-01", "--every", "1d", "--out", "x.gif"],
     "3654 frames is too many (at most 2000): use a longer --every"),
    (["animate", "2016-01-01", "2017-01-01", "--every", "soon", "--out", "x.gif"],
     "--every: 'soon' must be a number with d, w or m, such as 7d"),
    (["animate", "2016-01-01", "2017-01-01", "--out", "x.avi"], "--out: unknown format '.avi': use .gif or .mp4"),
])
def test_cli_bad_export_requests_exit_2_with_one_line(args, message, tmp_path):
    res = subprocess.run([sys.executable, "-m", "layers", "--data", str(MINI), *args], capture_output=True,
                         text=True, cwd=tmp_path, timeout=120)
    assert res.returncode == 2, res.stderr
    assert res.stderr.splitlines() == [f"controlmap: error: {message}"]
    assert list(tmp_path.iterdir()) == []


def test_kill_9_during_an_animation_keeps_the_old_file(tmp_path):
    import os
    import signal

    out = tmp_path / "lapse.gif"
    out.write_bytes(b"GIF89a the good old file")
    proc = subprocess.Popen([sys.executable, "-m", "layers", "--data", str(MINI), "animate", "2016-01-01",
                             "2026-01-01", "--every", "30d", "--out", str(out), "--width", "400", "--dpi", "50"],
                            cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    assert proc.stderr is not None
    seen = b""
    while b"3/" not in seen:  # a few frames are written: the export is under way
        chunk = proc.stderr.read(1)
        assert chunk, "the animation ended before it could be killed"
        seen += chunk
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert out.read_bytes() == b"GIF89a the good old file"
