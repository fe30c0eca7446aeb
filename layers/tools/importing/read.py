"""Read the inputs: any format pyogrio opens (GeoJSON, GeoPackage, Shapefile zipped or not, KML, KMZ), in
the file's own coordinate system, cleaned and grouped into dated snapshots. Files are read in parallel
worker processes; a first pass reads only the properties, so that a file with no date or a label with
no faction is refused before the geometry is touched."""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pyogrio
import shapely
from shapely.geometry.base import BaseGeometry

from .common import GRID, ImportProblem, ImportReport, Snapshot
from .dates import date_from_name, date_from_value
from .labels import LEFT_OUT, LabelPlan, fold

FORMATS = (".geojson", ".json", ".gpkg", ".shp", ".zip", ".kml", ".kmz")
LABEL_PROPERTIES = ("faction", "class", "label", "controller", "name")
SINGLE_LAYER = (".geojson", ".json", ".shp")  # formats that hold one layer (GPKG, zip, KML: any number)
DEGREES = ("EPSG:4326", "OGC:CRS84", "EPSG:4269", "EPSG:4258")
WORKERS = max(1, min(os.cpu_count() or 1, 4))
PARALLEL_FROM = 8  # fewer files are read in this process: starting workers would cost more

Progress = Callable[[str, int, int], None]
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class ReadTask:
    path: Path
    plan: LabelPlan
    date_property: str | None
    crs: str | None


@dataclass
class FileResult:
    name: str
    stem: str
    days: dict[dt.date, dict[str, bytes]] = field(default_factory=dict)  # day -> faction -> WKB
    unmapped: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    reprojected: str = ""
    problem: str = ""  # the file cannot be used: the import stops with this line


def collect_inputs(sources: list[Path]) -> list[Path]:
    paths: list[Path] = []
    for src in sources:
        if src.is_dir():
            found = sorted(p for p in src.iterdir() if p.suffix.lower() in FORMATS and not p.name.startswith("."))
            if not found:
                raise ImportProblem(f"{src}: no {', '.join(FORMATS)} files in this folder")
            paths += found
        elif src.is_file():
            if src.suffix.lower() not in FORMATS:
                raise ImportProblem(f"{src}: not a format import reads ({', '.join(FORMATS)})")
            paths.append(src)
        else:
            raise ImportProblem(f"{src}: no such file or folder")
    if not paths:
        raise ImportProblem("no input files")
    return paths


def _layers(path: Path) -> list[str | None]:
    if path.suffix.lower() in SINGLE_LAYER:
        return [None]  # opening the file only to list its one layer would parse it twice
    try:
        names = [str(row[0]) for row in pyogrio.list_layers(path)]
    except Exception as exc:  # noqa: BLE001 - GDAL's own message is the clearest line
        raise ImportProblem(f"{path}: cannot open: {str(exc).splitlines()[0]}") from None
    if not names:
        raise ImportProblem(f"{path}: no layers")
    return [None] if len(names) == 1 else list(names)


def _read_layer(task: ReadTask, layer: str | None, geometry: bool) -> tuple[dict[str, Any], Any, dict[str, Any]]:
    """(meta, geometries or None, property columns) of one layer."""
    path = task.path
    if geometry and layer is None and task.plan.label is not None and task.date_property is None:
        fast = _geometries_only(path)  # one label for all and dates from the name: properties are not needed
        if fast is not None:
            return {"crs": "EPSG:4326"}, fast, {}
    try:
        meta, _, wkb, values = pyogrio.raw.read(path, layer=layer, read_geometry=geometry, force_2d=True)
    except Exception as exc:  # noqa: BLE001
        raise ImportProblem(f"{path}: cannot read: {str(exc).splitlines()[0]}") from None
    fields = {str(name): column for name, column in zip(meta["fields"], values)}
    geoms = shapely.from_wkb(wkb) if wkb is not None else (np.array([], dtype=object) if geometry else None)
    return meta, geoms, fields


def _geometries_only(path: Path) -> Any:
    """The geometries of a plain GeoJSON FeatureCollection in degrees (no "crs" member, no null geometry)
    parsed by GEOS: four times faster than through GDAL, which also reads every property. None when the
    file is anything else: GDAL reads it, and says what is wrong with it."""
    if path.suffix.lower() not in (".geojson", ".json"):
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b'"FeatureCollection"' not in data or b'"crs"' in data or b"null" in data:
        return None
    try:
        collection = shapely.from_geojson(data)
    except Exception:  # noqa: BLE001 - not plain GeoJSON: GDAL gives the line to show
        return None
    if collection.geom_type != "GeometryCollection":
        return None
    return shapely.force_2d(shapely.get_parts(collection))


def _label_column(fields: dict[str, Any], plan: LabelPlan) -> Any:
    if plan.label is not None:
        return None
    by_fold = {name.casefold(): col for name, col in fields.items()}
    if plan.label_property is not None:
        return by_fold.get(plan.label_property.casefold())
    return next((by_fold[k] for k in LABEL_PROPERTIES if k in by_fold), None)


def _features(task: ReadTask, result: FileResult, geometry: bool) -> Iterator[tuple[str, dt.date, str, Any]]:
    """(where, day, faction, geometry or None) for every feature with a date and a mapped label."""
    path, plan = task.path, task.plan
    file_day = date_from_name(path) if task.date_property is None else None
    if task.date_property is None and file_day is None:
        raise ImportProblem(f"{path}: no date in the file name (YYYYMMDD, YYYY-MM-DD or a unix time); "
                            "or give --date-property")
    for layer in _layers(path):
        meta, geoms, fields = _read_layer(task, layer, geometry)
        if geometry:
            geoms = _degrees(task, meta, layer, geoms, result)
        labels = _label_column(fields, plan)
        dates = fields.get(task.date_property) if task.date_property else None
        if task.date_property and dates is None:
            raise ImportProblem(f"{path}: no property {task.date_property!r} (--date-property)")
        n = len(next(iter(fields.values()))) if fields else (len(geoms) if geoms is not None else 0)
        n = max(n, len(geoms) if geoms is not None else 0)
        for i in range(n):
            where = f"{path.name}#{i}" if layer is None else f"{path.name}:{layer}#{i}"
            day = file_day if dates is None else date_from_value(dates[i])
            if day is None:
                result.skipped.append(f"{where}: no valid {task.date_property!r} date")
                continue
            label = plan.label if plan.label is not None else (labels[i] if labels is not None else None)
            if label is None or (isinstance(label, float) and label != label):
                result.skipped.append(f"{where}: no label property ({', '.join(LABEL_PROPERTIES)}): "
                                      "give --label TEXT to label every polygon, or --property NAME")
                continue
            fid = plan.mapping.get(fold(label))
            if fid is None:
                result.unmapped[str(label).strip()] += 1
                continue
            if fid != LEFT_OUT:
                yield where, day, fid, geoms[i] if geometry else None


def scan_file(task: ReadTask) -> FileResult:
    """The first pass: properties only (dates and labels)."""
    result = FileResult(task.path.name, task.path.stem)
    try:
        for _ in _features(task, result, geometry=False):
            pass
    except ImportProblem as exc:
        result.problem = str(exc)
    return result


def _degrees(task: ReadTask, meta: dict[str, Any], layer: str | None, geoms: Any, result: FileResult) -> Any:
    source = task.crs or meta.get("crs")
    transformer = _to_degrees(source) if source else None
    if transformer is not None:
        geoms = shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
        result.reprojected = f"{task.path.name}: from {source} to EPSG:4326"
    valid = geoms[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)]
    if len(valid):
        x0, y0, x1, y1 = shapely.total_bounds(valid)
        if not (np.isfinite([x0, y0, x1, y1]).all() and -180.5 <= x0 and x1 <= 180.5 and -90.5 <= y0 and y1 <= 90.5):
            where = task.path if layer is None else f"{task.path}:{layer}"
            raise ImportProblem(f"{where}: coordinates reach ({x1:.6g}, {y1:.6g}), which are not longitude and "
                                "latitude in degrees: the file looks projected; give its coordinate system "
                                "with --crs (for example --crs EPSG:3857)")
    return geoms


@functools.lru_cache(maxsize=16)
def _to_degrees(source: str) -> Any:
    """A transformer to WGS 84 longitude/latitude, or None when the coordinates already are."""
    if source.upper() in DEGREES:
        return None
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        crs = CRS.from_user_input(source)
    except CRSError as exc:
        raise ImportProblem(f"unknown coordinate system {source!r}: {exc}") from None
    datum = crs.datum.name.upper() if crs.datum else ""
    if crs.is_geographic and ("WGS" in datum or "WORLD GEODETIC SYSTEM" in datum):
        return None
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


def clean(geom: Any, where: str, result: FileResult) -> BaseGeometry | None:
    """A polygon snapped to the grid and valid, or None (the reason is reported)."""
    if geom is None or geom.is_empty:
        result.skipped.append(f"{where}: empty geometry")
        return None
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
        if not parts:
            result.skipped.append(f"{where}: not a polygon ({geom.geom_type})")
            return None
        geom = shapely.union_all(parts)
    if not geom.is_valid:
        result.repaired.append(f"{where}: {shapely.is_valid_reason(geom)}")
        geom = shapely.make_valid(geom)
        geom = shapely.union_all([g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")])
        return shapely.set_precision(geom, GRID)
    # Rounding to the grid is enough for a valid shape, and ten times cheaper than snap-rounding it.
    snapped = shapely.transform(geom, lambda xy: np.round(xy, 5))
    return snapped if snapped.is_valid else shapely.set_precision(geom, GRID)


def read_file(task: ReadTask) -> FileResult:
    """The second pass: dated, cleaned areas per faction (as WKB, cheap to send between processes)."""
    result = FileResult(task.path.name, task.path.stem)
    grouped: dict[dt.date, dict[str, list[BaseGeometry]]] = defaultdict(lambda: defaultdict(list))
    try:
        for where, day, fid, geom in _features(task, result, geometry=True):
            g = clean(geom, where, result)
            if g is not None and not g.is_empty:
                grouped[day][fid].append(g)
    except ImportProblem as exc:
        result.problem = str(exc)
        return result
    for day, areas in grouped.items():
        result.days[day] = {fid: shapely.to_wkb(gs[0] if len(gs) == 1 else shapely.union_all(gs, grid_size=GRID))
                            for fid, gs in areas.items()}
    return result


def _run(job: Callable[[T], R], tasks: list[T], progress: Callable[[int], None]) -> Iterator[R]:
    if len(tasks) < PARALLEL_FROM or WORKERS == 1:
        for i, task in enumerate(tasks, 1):
            yield job(task)
            progress(i)
        return
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(WORKERS) as pool:
        for i, res in enumerate(pool.imap(job, tasks, chunksize=4), 1):
            yield res
            progress(i)


def check_inputs(tasks: list[ReadTask], progress: Progress | None = None) -> None:
    """Refuse, before any geometry is read, a file with no date or labels that map to no faction."""
    if tasks and tasks[0].plan.label is not None and tasks[0].date_property is None:
        for task in tasks:  # one label for all: only the file names need a date
            if date_from_name(task.path) is None:
                raise ImportProblem(f"{task.path}: no date in the file name (YYYYMMDD, YYYY-MM-DD or a unix "
                                    "time); or give --date-property")
        return
    unmapped: Counter[str] = Counter()
    first: dict[str, str] = {}
    tick = (lambda i: progress("checking labels and dates", i, len(tasks))) if progress else (lambda i: None)
    for res in _run(scan_file, tasks, tick):
        if res.problem:
            raise ImportProblem(res.problem)
        unmapped.update(res.unmapped)
        for label in res.unmapped:
            first.setdefault(label, res.name)
    if unmapped:
        shown = ", ".join(f"{k!r} ({n}, first in {first[k]})" for k, n in unmapped.most_common(6))
        raise ImportProblem(f"labels with no faction in --map: {shown}")


def read_snapshots(tasks: list[ReadTask], report: ImportReport, progress: Progress | None = None) -> list[Snapshot]:
    """Read, clean and group the input into dated snapshots (faction -> polygons), sorted by day."""
    # "x-2024-01-01" before "x-2024-01-01-v2": a name that extends another comes after it
    tasks = sorted(tasks, key=lambda t: (t.path.stem, t.path.name))
    tick = (lambda i: progress("reading", i, len(tasks))) if progress else (lambda i: None)
    by_day: dict[dt.date, Snapshot] = {}
    for res in _run(read_file, tasks, tick):
        if res.problem:
            raise ImportProblem(res.problem)
        report.files += 1
        report.skipped += res.skipped
        report.repaired += res.repaired
        report.reprojected += [res.reprojected] if res.reprojected else []
        for day, areas in sorted(res.days.items()):
            report.snapshots += 1
            if day in by_day:
                report.replaced.append(f"{by_day[day].source} ({day})")
            by_day[day] = Snapshot(day, res.name, {fid: shapely.from_wkb(w) for fid, w in areas.items()})
    report.days = len(by_day)
    if not by_day:
        reason = f": {report.skipped[0]}" if report.skipped else ""
        raise ImportProblem(f"no usable polygons in the input{reason}")
    return [by_day[d] for d in sorted(by_day)]


def tasks_for(paths: Iterable[Path], plan: LabelPlan, date_property: str | None, crs: str | None) -> list[ReadTask]:
    return [ReadTask(p, plan, date_property, crs) for p in paths]
