"""`controlmap import` on the inputs people have: unlabelled daily polygons, their own factions, any
format pyogrio reads, projected coordinates, dates in any common form, multi-class files; the dataset's
own metadata and basemap; exports on a day with no data. Every input is a small file made here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import MultiPolygon, Polygon, box, mapping

from layers import Timeline, load_dataset
from layers.engine.geometry import area_km2
from layers.engine.query import ZoneLocator
from layers.export import Exporter, ImageOptions
from layers.model.errors import ExportError
from layers.tools.importer import ImportProblem, ImportSource, collect_inputs, import_snapshots, plan_labels
from layers.tools.importing.dates import date_from_name, date_from_value
from layers.tools.importing.labels import PALETTE
from tests.conftest import ROOT

SOURCE = ImportSource("https://example.org/daily", "Daily maps")
# Near Donetsk: far from Syria, so the import must bring its own basemap.
DAY1 = MultiPolygon([box(37.5, 47.8, 38.2, 48.3), box(38.4, 47.9, 38.7, 48.1)])
DAY2 = MultiPolygon([box(37.5, 47.8, 38.3, 48.3), box(38.4, 47.9, 38.7, 48.1)])


def _geojson(path: Path, geoms: list, props: list[dict] | None = None, crs: str | None = None) -> Path:
    doc: dict = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": (props or [{}] * len(geoms))[i], "geometry": mapping(g)}
        for i, g in enumerate(geoms)]}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    return path


def _import(folder: Path, out: Path, **kw):
    plan = kw.pop("plan", None) or plan_labels(None, "occupied", None)
    report = import_snapshots(collect_inputs([folder]), out, plan, SOURCE, ROOT / "data", **kw)
    return report, load_dataset(out)


@pytest.mark.parametrize("name, day", [
    ("20220224.geojson", dt.date(2022, 2, 24)), ("occupied-2022-02-24.gpkg", dt.date(2022, 2, 24)),
    ("map_2022_02_24_v2.kml", dt.date(2022, 2, 24)), ("1645660800.geojson", dt.date(2022, 2, 24)),
    ("1645660800000.json", dt.date(2022, 2, 24)), ("front.geojson", None), ("20221345.geojson", None),
])
def test_dates_from_file_names(name, day):
    assert date_from_name(Path(name)) == day


@pytest.mark.parametrize("value, day", [
    ("2022-02-24T10:00:00Z", dt.date(2022, 2, 24)), (1645660800, dt.date(2022, 2, 24)),
    (1645660800000, dt.date(2022, 2, 24)), (np.datetime64("2022-02-24T10:00"), dt.date(2022, 2, 24)),
    ("20220224", dt.date(2022, 2, 24)), ("", None), (None, None), (float("nan"), None),
])
def test_dates_from_property_values(value, day):
    assert date_from_value(value) == day


def test_unlabelled_daily_polygons_get_one_label_and_their_own_faction(tmp_path):
    _geojson(tmp_path / "in" / "20220224.geojson", [DAY1])
    _geojson(tmp_path / "in" / "20220226.geojson", [DAY2])
    report, ds = _import(tmp_path / "in", tmp_path / "ds")
    assert [(f.id, f.name_en, f.color) for f in ds.factions] == [("occupied", "Occupied", PALETTE[0])]
    timeline = Timeline(ds)
    from layers.tools.stats import Tally
    km2 = Tally(ds).of(timeline.state(dt.date(2022, 2, 25)))["occupied"][0]
    assert km2 == pytest.approx(area_km2(DAY1), rel=1e-3)
    held = Tally(ds).of(timeline.state(dt.date(2022, 2, 26)))["occupied"][0]
    assert held == pytest.approx(area_km2(DAY2), rel=1e-3)
    assert ds.meta.as_of == dt.date(2022, 2, 26) and ds.meta.source_url == SOURCE.url
    assert "Daily maps" in ds.meta.attribution and "Natural Earth" in ds.meta.attribution


def test_the_area_gets_the_world_basemap_and_not_the_syrian_layers(tmp_path):
    _geojson(tmp_path / "in" / "20220224.geojson", [DAY1])
    _, ds = _import(tmp_path / "in", tmp_path / "ds")
    names = {f["properties"]["name"] for f in ds.base["countries"]["features"]}
    assert {"Ukraine", "Russia"} <= names and "Syria" not in names
    assert ds.base["admin1"]["features"]
    cities = {f["properties"]["name"] for f in ds.base["cities"]["features"]}
    assert "Donetsk" in cities
    assert not {"governorates", "roads", "rivers"} & set(ds.base)
    from layers.web.figure import initial_view
    center, zoom = initial_view(ds)
    assert 37.5 < center["lon"] < 38.7 and 47.8 < center["lat"] < 48.3 and 6 < zoom < 11


def test_metadata_is_used_by_exports(tmp_path):
    from layers.io.meta import DatasetMeta

    _geojson(tmp_path / "in" / "20220224.geojson", [DAY1])
    _, ds = _import(tmp_path / "in", tmp_path / "ds", meta=DatasetMeta("Donbas control map", "", "Donbas"))
    assert ds.meta.title == "Donbas control map" and ds.meta.area == "Donbas"
    exporter = Exporter(ds, Timeline(ds))
    exporter.write(dt.date(2022, 2, 24), tmp_path / "a.geojson", ImageOptions())
    doc = json.loads((tmp_path / "a.geojson").read_text())
    assert doc["title"] == "Donbas control map" and "Daily maps" in doc["attribution"]
    exporter.write(dt.date(2022, 2, 24), tmp_path / "a.svg", ImageOptions(width_px=1200))
    svg = (tmp_path / "a.svg").read_text()
    assert "Donbas control map" in svg and "Syria" not in svg


def test_a_day_with_no_data_exports_an_image_that_says_so(tmp_path):
    _geojson(tmp_path / "in" / "20220224.geojson", [DAY1])
    _, ds = _import(tmp_path / "in", tmp_path / "ds")
    exporter = Exporter(ds, Timeline(ds))
    fig = exporter.render(ds.start, ImageOptions(width_px=1200))  # the day before the first snapshot
    assert "No data for this day" in [t.get_text() for ax in fig.axes for t in ax.texts]
    exporter.write(ds.start, tmp_path / "empty.png", ImageOptions(width_px=1200))
    assert (tmp_path / "empty.png").stat().st_size > 1000
    broken = Exporter(dataclasses.replace(ds, aoi=Polygon()), Timeline(ds))
    with pytest.raises(ExportError, match="no area to draw"):
        broken.write(ds.start, tmp_path / "nan.png", ImageOptions(width_px=1200))
    assert not (tmp_path / "nan.png").exists()


def _factions_csv(path: Path) -> Path:
    path.write_text("color,id,kind,name_en,name_ar,color_cb\n#aa0000,russia,territorial,Russian forces,"
                    "القوات الروسية,#d55e00\n#0000aa,ukraine,territorial,Ukraine,أوكرانيا,#0072b2\n", encoding="utf-8")
    return path


def test_factions_file_columns_by_name_and_multi_class_files(tmp_path):
    classes = [("occupied", box(37.5, 47.8, 37.9, 48.3)), ("liberated", box(37.9, 47.8, 38.2, 48.3)),
               ("contested", box(38.2, 47.8, 38.4, 48.3))]
    _geojson(tmp_path / "in" / "2022-09-10.geojson", [g for _, g in classes], [{"status": c} for c, _ in classes])
    plan = plan_labels("occupied=russia,liberated=ukraine,contested=none", None, _factions_csv(tmp_path / "f.csv"),
                       "status")
    _, ds = _import(tmp_path / "in", tmp_path / "ds", plan=plan)
    assert [(f.id, f.name_en, f.color) for f in ds.factions] == [("russia", "Russian forces", "#aa0000"),
                                                                  ("ukraine", "Ukraine", "#0000aa")]
    state, locator = Timeline(ds).state(dt.date(2022, 9, 10)), ZoneLocator(ds)
    assert state.controller[locator.zone_at(37.7, 48.0)] == "russia"
    assert state.controller[locator.zone_at(38.0, 48.0)] == "ukraine"
    contested = locator.zone_at(38.3, 48.0)
    assert contested is None or state.controller[contested] is None


@pytest.mark.parametrize("args, message", [
    (("occupied=russia", None), "--map: 'occupied' maps to unknown faction 'russia' (factions: ukraine2)"),
    ((None, None), "give --map LABEL=FACTION"),
    (("a=x", "Occupied"), "--label 'Occupied' is not in --map"),
])
def test_unknown_faction_or_label_is_refused_before_any_work(tmp_path, args, message):
    factions = tmp_path / "f.csv"
    factions.write_text("id,name_en,name_ar,kind,color,color_cb\nukraine2,U,U,territorial,#0000aa,#0072b2\n")
    with pytest.raises(ImportProblem) as info:
        plan_labels(args[0], args[1], factions if args[0] == "occupied=russia" else None)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_cli_refuses_an_unknown_faction_in_one_line_and_writes_nothing(tmp_path):
    _geojson(tmp_path / "in" / "20220224.geojson", [DAY1])
    factions = _factions_csv(tmp_path / "f.csv")
    res = subprocess.run([sys.executable, "-m", "layers", "import", str(tmp_path / "in"), "--out", str(tmp_path / "o"),
                          "--label", "occupied", "--map", "occupied=wagner", "--factions", str(factions),
                          "--source-url", "https://e.org", "--publisher", "p"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        "controlmap: error: --map: 'occupied' maps to unknown faction 'wagner' (factions: russia, ukraine)"]
    assert not (tmp_path / "o").exists()


def test_unlabelled_polygons_without_label_say_why(tmp_path):
    _geojson(tmp_path / "in" / "20220224.geojson", [DAY1])
    with pytest.raises(ImportProblem, match="no usable polygons in the input: 20220224.geojson#0: no label property"):
        _import(tmp_path / "in", tmp_path / "ds", plan=plan_labels("occupied=occupied", None, None))


def _frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": ["occupied"]}, geometry=[DAY1], crs=4326)


def _zip(path: Path, files: list[Path], names: list[str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for f, n in zip(files, names or [f.name for f in files]):
            zf.write(f, n)
    return path


@pytest.mark.parametrize("fmt", ["gpkg", "shp", "shp.zip", "kml", "kmz", "geojson-3857"])
def test_formats_and_declared_coordinate_systems(tmp_path, fmt):
    src = tmp_path / "in"
    src.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    if fmt == "gpkg":
        _frame().to_crs(3857).to_file(src / "20220224.gpkg", driver="GPKG")  # declared metres: reprojected
    elif fmt == "shp":
        _frame().to_file(src / "20220224.shp")
    elif fmt == "shp.zip":
        _frame().to_file(work / "occupied.shp")
        _zip(src / "20220224.zip", sorted(work.glob("occupied.*")))
    elif fmt in ("kml", "kmz"):
        _frame().to_file(work / "doc.kml", driver="KML")
        if fmt == "kml":
            (src / "20220224.kml").write_bytes((work / "doc.kml").read_bytes())
        else:
            _zip(src / "20220224.kmz", [work / "doc.kml"])
    else:
        _geojson(src / "20220224.geojson", [_frame().to_crs(3857).geometry[0]], crs="urn:ogc:def:crs:EPSG::3857")
    report, ds = _import(src, tmp_path / "ds")
    from layers.tools.stats import Tally
    km2 = Tally(ds).of(Timeline(ds).state(dt.date(2022, 2, 24)))["occupied"][0]
    assert km2 == pytest.approx(area_km2(DAY1), rel=2e-3), fmt
    assert bool(report.reprojected) == (fmt in ("gpkg", "geojson-3857"))


def test_geojson_in_metres_is_refused_or_reprojected_with_crs(tmp_path):
    metres = _frame().to_crs(3857).geometry[0]
    _geojson(tmp_path / "in" / "20220224.geojson", [metres])  # no crs member: RFC 7946 says degrees
    with pytest.raises(ImportProblem) as info:
        _import(tmp_path / "in", tmp_path / "ds")
    line = str(info.value)
    assert "20220224.geojson" in line and "not longitude and latitude" in line and "--crs" in line
    assert not (tmp_path / "ds").exists()
    report, ds = _import(tmp_path / "in", tmp_path / "ds", crs="EPSG:3857")
    assert report.reprojected
    assert ds.aoi.bounds == pytest.approx(DAY1.bounds, abs=1e-4)
    assert all(math.isfinite(v) for v in ds.aoi.bounds)


def test_cli_import_shows_a_progress_bar(tmp_path):
    for i in range(9):  # enough files for the parallel readers
        day = dt.date(2022, 2, 24) + dt.timedelta(days=i)
        _geojson(tmp_path / "in" / f"{day:%Y%m%d}.geojson", [DAY1 if i % 2 else DAY2])
    res = subprocess.run([sys.executable, "-m", "layers", "import", str(tmp_path / "in"), "--out", str(tmp_path / "o"),
                          "--label", "occupied", "--title", "Donbas", "--source-url", "https://e.org/d",
                          "--publisher", "p"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "reading [##############################] 9/9" in res.stderr
    assert "9 events" in res.stdout
    assert "title: Donbas" in (tmp_path / "o" / "dataset.yaml").read_text()
