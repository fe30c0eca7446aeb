"""Turn dated control polygons from elsewhere into a dataset the dashboard, exports and stats work on.

Input: one GeoJSON file per date (the date in the file name, e.g. ``front-2024-03-01.geojson``), or files
whose features carry a date property. Each feature's class or faction label is mapped to a faction id by
a mapping the user gives. The snapshots are overlaid into one fixed partition (every boundary that ever
existed splits the ground; faces smaller than a sliver threshold join their neighbour), and each snapshot
becomes the controller of every face it covers. The dataset written has those faces as explicit zones,
the first snapshot as the initial state and one event per later snapshot listing the faces that changed.

Rules: several snapshots on one day: the last one wins, by file name (a name that extends another, such
as ``x-2024-01-01-v2``, comes after it), then by feature order. Days with no
snapshot: the state holds. 3-D coordinates are flattened. Empty geometries are skipped and invalid rings
repaired; both are reported. Labels are compared ignoring case, spaces and punctuation.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from ..io.dataset import load_dataset
from ..io.manifest import write_manifest
from ..io.readers import parse_date
from ..model.errors import DataError, Problem, UsageError

GRID = 1e-5  # degrees (~1 m): coordinates snap to it so that unchanged lines are identical across days
SLIVER_KM2 = 0.05
LABEL_PROPERTIES = ("faction", "class", "label", "controller", "name")
DATE_IN_NAME = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


def fold(label: Any) -> str:
    return re.sub(r"[\W_]+", "", str(label).casefold())


def parse_mapping(text: str) -> dict[str, str]:
    """A mapping given inline ('Regime=government, SDF=sdf') or as a file (CSV label,faction or JSON)."""
    path = Path(text)
    pairs: list[tuple[str, str]] = []
    problems: list[Problem] = []
    if path.is_file():
        body = path.read_text(encoding="utf-8")
        if path.suffix.lower() == ".json":
            try:
                doc = json.loads(body)
            except json.JSONDecodeError as exc:
                raise UsageError(f"malformed JSON mapping: {exc.msg}", path=path, where=exc.lineno) from None
            if not isinstance(doc, dict):
                raise UsageError("the JSON mapping must be an object of label: faction", path=path)
            pairs = [(str(k), str(v)) for k, v in doc.items()]
        else:
            for i, row in enumerate(csv.reader(body.splitlines()), 1):
                if not row or row[0].strip().lower() in ("label", "#") or row[0].startswith("#"):
                    continue
                if len(row) != 2:
                    problems.append(Problem(str(path), str(i), "expected label,faction"))
                    continue
                pairs.append((row[0], row[1]))
    else:
        for item in filter(None, (x.strip() for x in text.split(","))):
            if "=" not in item:
                problems.append(Problem("--map", "", f"{item!r} is not label=faction (or give a mapping file)"))
                continue
            label, fid = item.split("=", 1)
            pairs.append((label, fid))
    if problems:
        raise UsageError(problems)
    mapping_ = {fold(label): fid.strip() for label, fid in pairs}
    if not mapping_:
        raise UsageError("the mapping is empty", path="--map")
    return mapping_


@dataclass
class Snapshot:
    day: dt.date
    source: str
    areas: dict[str, BaseGeometry]  # faction -> geometry


@dataclass
class ImportReport:
    snapshots: int = 0
    days: int = 0
    zones: int = 0
    slivers_merged: int = 0
    repaired: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # snapshots overridden by a later one on the same day

    def lines(self) -> list[str]:
        out = [f"{self.snapshots} snapshots on {self.days} days -> {self.zones} zones "
               f"({self.slivers_merged} slivers merged)"]
        out += [f"repaired: {r}" for r in self.repaired[:20]]
        out += [f"skipped: {r}" for r in self.skipped[:20]]
        out += [f"replaced by a later snapshot of the same day: {r}" for r in self.replaced[:20]]
        return out


def _features(path: Path) -> list[dict[str, Any]]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise UsageError(f"malformed JSON: {exc.msg}", path=path, where=exc.lineno) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read: {exc}", path=path) from None
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        return list(doc.get("features") or [])
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        return [doc]
    raise UsageError("not a GeoJSON FeatureCollection", path=path)


def _clean(geom_json: Any, where: str, report: ImportReport) -> BaseGeometry | None:
    try:
        geom = shape(geom_json) if geom_json else None
    except Exception as exc:  # noqa: BLE001 - any malformed geometry is reported and skipped
        report.skipped.append(f"{where}: unreadable geometry ({exc})")
        return None
    if geom is None or geom.is_empty:
        report.skipped.append(f"{where}: empty geometry")
        return None
    geom = shapely.force_2d(geom)
    if not geom.is_valid:
        report.repaired.append(f"{where}: {shapely.is_valid_reason(geom)}")
        geom = shapely.make_valid(geom)
    polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not polys:
        report.skipped.append(f"{where}: not a polygon ({geom.geom_type})")
        return None
    return shapely.set_precision(shapely.union_all(polys), GRID)


def read_snapshots(paths: Iterable[Path], labels: dict[str, str], factions: set[str], report: ImportReport,
                   label_property: str | None = None, date_property: str | None = None) -> list[Snapshot]:
    """Read, clean and group the input into dated snapshots (faction -> polygons), sorted by day."""
    unmapped: dict[str, int] = defaultdict(int)
    problems: list[Problem] = []
    grouped: dict[tuple[dt.date, str, str], dict[str, list[BaseGeometry]]] = {}
    for path in sorted(paths, key=lambda p: (p.stem, p.name)):  # "x-2024-01-01" before "x-2024-01-01-v2"
        file_day = _day_from_name(path) if date_property is None else None
        if date_property is None and file_day is None:
            problems.append(Problem(str(path), "", "no date (YYYY-MM-DD) in the file name; or give --date-property"))
            continue
        try:
            features = _features(path)
        except UsageError as exc:
            problems += exc.problems
            continue
        for i, feat in enumerate(features):
            props = feat.get("properties") or {}
            where = f"{path.name}#{i}"
            day = file_day
            if date_property is not None:
                day = parse_date(str(props.get(date_property, ""))[:10])
                if day is None:
                    report.skipped.append(f"{where}: no valid {date_property!r} date")
                    continue
            label = props.get(label_property) if label_property else next(
                (props[k] for k in LABEL_PROPERTIES if k in props), None)
            if label is None:
                report.skipped.append(f"{where}: no label property")
                continue
            fid = labels.get(fold(label))
            if fid is None:
                unmapped[str(label).strip()] += 1
                continue
            if fid not in factions:
                problems.append(Problem("--map", "", f"{label!r} maps to unknown faction {fid!r}"))
                continue
            geom = _clean(feat.get("geometry"), where, report)
            if geom is not None:
                assert day is not None
                grouped.setdefault((day, path.stem, path.name), {}).setdefault(fid, []).append(geom)
    if unmapped:
        shown = ", ".join(f"{k!r} ({n})" for k, n in sorted(unmapped.items(), key=lambda kv: -kv[1])[:6])
        problems.append(Problem("--map", "", f"labels with no faction: {shown}"))
    if problems:
        raise UsageError(problems)
    by_day: dict[dt.date, Snapshot] = {}
    for (day, _, source), areas in sorted(grouped.items()):
        if day in by_day:
            report.replaced.append(f"{by_day[day].source} ({day})")
        by_day[day] = Snapshot(day, source, {f: shapely.union_all(g) for f, g in areas.items()})
    report.snapshots, report.days = len(grouped), len(by_day)
    if not by_day:
        raise UsageError("no usable polygons in the input")
    return [by_day[d] for d in sorted(by_day)]


def _day_from_name(path: Path) -> dt.date | None:
    m = DATE_IN_NAME.search(path.stem)
    return parse_date(f"{m.group(1)}-{m.group(2)}-{m.group(3)}") if m else None


def _digest(areas: dict[str, BaseGeometry]) -> str:
    h = hashlib.sha1(usedforsecurity=False)
    for fid in sorted(areas):
        h.update(fid.encode())
        h.update(shapely.to_wkb(shapely.normalize(areas[fid])))
    return h.hexdigest()


def partition(snapshots: list[Snapshot], report: ImportReport,
              progress: Callable[[str], None] | None = None) -> list[BaseGeometry]:
    """Faces of the overlay of every distinct snapshot's boundaries, with slivers merged away."""
    distinct: dict[str, Snapshot] = {}
    for snap in snapshots:
        distinct.setdefault(_digest(snap.areas), snap)
    # Most of a front is the same from one day to the next: keep each snapped segment once before noding.
    segments: set[tuple[tuple[float, float], tuple[float, float]]] = set()
    for snap in distinct.values():
        for geom in snap.areas.values():
            for ring in shapely.get_parts(shapely.boundary(geom)):
                coords = shapely.get_coordinates(ring).round(5).tolist()
                for a, b in zip(coords, coords[1:]):
                    if a != b:
                        segments.add((tuple(a), tuple(b)) if a < b else (tuple(b), tuple(a)))  # type: ignore[arg-type]
    if progress:
        progress(f"overlaying {len(distinct)} distinct snapshots ({len(segments)} distinct segments)")
    noded = shapely.union_all(shapely.linestrings(list(segments)), grid_size=GRID)
    faces = [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))) if f.area > 0]
    coverage = shapely.union_all([g for s in distinct.values() for g in s.areas.values()], grid_size=GRID)
    faces = [f for f in faces if coverage.contains(f.representative_point())]
    return _merge_slivers(faces, report)


def _merge_slivers(faces: list[BaseGeometry], report: ImportReport) -> list[BaseGeometry]:
    from ..engine.geometry import area_km2

    small = {i for i, f in enumerate(faces) if area_km2(f) < SLIVER_KM2}
    if not small:
        return faces
    tree = shapely.STRtree(faces)
    merged: dict[int, list[int]] = defaultdict(list)
    for i in sorted(small):
        best, best_len = None, 0.0
        for j in tree.query(faces[i], predicate="intersects").tolist():
            if j == i or j in small:
                continue
            shared = faces[i].boundary.intersection(faces[j].boundary).length
            if shared > best_len:
                best, best_len = j, shared
        if best is not None:
            merged[best].append(i)
    absorbed = {i for group in merged.values() for i in group}
    out = []
    for j, face in enumerate(faces):
        if j in absorbed:
            continue
        if j in merged:
            face = shapely.union_all([face] + [faces[i] for i in merged[j]], grid_size=GRID)
        out.append(face)
    report.slivers_merged = len(absorbed)
    return out


def assign(faces: list[BaseGeometry], snapshots: list[Snapshot]) -> list[list[str | None]]:
    """For each snapshot, the faction covering each face (None where no polygon covers it)."""
    points = [f.representative_point() for f in faces]
    cache: dict[str, list[str | None]] = {}
    out = []
    for snap in snapshots:
        key = _digest(snap.areas)
        if key not in cache:
            fids = list(snap.areas)
            tree = shapely.STRtree([snap.areas[f] for f in fids])
            row: list[str | None] = [None] * len(faces)
            face_idx, poly_idx = tree.query(points, predicate="within")
            for fi, pi in zip(face_idx.tolist(), poly_idx.tolist()):
                row[fi] = fids[pi]  # overlapping polygons: the later faction in the file wins
            cache[key] = row
        out.append(cache[key])
    return out


@dataclass(frozen=True)
class ImportSource:
    url: str
    publisher: str
    published: dt.date | None = None


def write_dataset(out: Path, faces: list[BaseGeometry], snapshots: list[Snapshot],
                  controllers: list[list[str | None]], source: ImportSource, template: Path) -> None:
    """Write the imported dataset (same format as data/), replacing ``out`` only when complete."""
    old = out.with_name(f".{out.name}.old")
    if not out.exists() and old.exists():
        old.rename(out)  # an earlier import was killed between its two renames: put the old dataset back
    if out.exists() and any(out.iterdir()) and not (out / "zones" / "imported.geojson").exists():
        raise UsageError(f"{out} exists and is not an imported dataset: choose an empty folder", path="--out")
    staging = out.with_name(f".{out.name}.importing")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        _write_into(staging, faces, snapshots, controllers, source, template)
        try:
            load_dataset(staging, sealed=False)  # never put a dataset in place that would not load
        except DataError as exc:  # every problem, each still naming its file and line
            raise UsageError([Problem("--out", "", "the imported dataset does not validate:"), *exc.problems]) from None
        write_manifest(staging)  # it validates: seal it, so that later damage to it is refused
        if out.exists():
            if old.exists():
                shutil.rmtree(old)
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old)
        else:
            staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _write_into(folder: Path, faces: list[BaseGeometry], snapshots: list[Snapshot],
                controllers: list[list[str | None]], source: ImportSource, template: Path) -> None:
    ids = [f"z{i:05d}" for i in range(len(faces))]
    shutil.copy(template / "factions.csv", folder / "factions.csv")
    (folder / "base").mkdir()
    for layer in ("countries", "governorates", "lakes", "rivers", "roads"):
        if (template / "base" / f"{layer}.geojson").exists():
            shutil.copy(template / "base" / f"{layer}.geojson", folder / "base" / f"{layer}.geojson")
    cover = shapely.union_all(faces, grid_size=GRID)
    (folder / "base" / "aoi.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "imported coverage"}, "geometry": mapping(cover)}]}))
    (folder / "zones").mkdir()
    (folder / "zones" / "imported.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": zid}, "geometry": mapping(face)} for zid, face in zip(ids, faces)]}))
    (folder / "places").mkdir()
    def src(day: dt.date) -> list[dict[str, str]]:
        # a daily map is published on its day unless the user says otherwise
        return [{"url": source.url, "publisher": source.publisher,
                 "published": (source.published or day).isoformat()}]

    first = snapshots[0]
    (folder / "initial.yaml").write_text(json.dumps({"date": (first.day - dt.timedelta(days=1)).isoformat(),
                                                     "sources": src(first.day)}, indent=1))
    (folder / "initial").mkdir()
    with (folder / "initial" / "imported.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["place", "controller", "presence", "confidence", "note"])
        writer.writerows([zid, "none", "", "medium", "before the first snapshot"] for zid in ids)
    events = []
    previous: list[str | None] = [None] * len(faces)
    for snap, row in zip(snapshots, controllers):
        changes: dict[str, list[str]] = defaultdict(list)
        for zid, before, after in zip(ids, previous, row):
            if before != after:
                changes[after or "none"].append(zid)
        previous = row
        events.append({
            "id": f"snapshot-{snap.day.isoformat()}", "date": snap.day.isoformat(),
            "title": f"Snapshot {snap.source}", "summary": f"Control polygons of {snap.day} imported from "
            f"{snap.source}.", "confidence": "medium", "sources": src(snap.day),
            "changes": [{"to": to, "places": zs} for to, zs in sorted(changes.items())]})
    (folder / "events").mkdir()
    # JSON is valid YAML: the loader reads it with line numbers like any events file.
    (folder / "events" / "imported.yaml").write_text(json.dumps(events, indent=1, ensure_ascii=False))


def import_snapshots(paths: list[Path], out: Path, labels: dict[str, str], source: ImportSource,
                     template: Path, label_property: str | None = None, date_property: str | None = None,
                     progress: Callable[[str], None] | None = None) -> ImportReport:
    factions = {row.split(",")[0] for row in (template / "factions.csv").read_text().splitlines()[1:] if row}
    report = ImportReport()
    snapshots = read_snapshots(paths, labels, factions, report, label_property, date_property)
    faces = partition(snapshots, report, progress)
    if progress:
        progress(f"assigning {len(faces)} zones in {len(snapshots)} snapshots")
    controllers = assign(faces, snapshots)
    report.zones = len(faces)
    write_dataset(out, faces, snapshots, controllers, source, template)
    return report


def collect_inputs(sources: list[Path]) -> list[Path]:
    paths: list[Path] = []
    problems: list[Problem] = []
    for src in sources:
        if src.is_dir():
            paths += sorted(p for p in src.iterdir() if p.suffix.lower() in (".geojson", ".json"))
        elif src.is_file():
            paths.append(src)
        else:
            problems.append(Problem(str(src), "", "no such file or folder"))
    if problems:
        raise UsageError(problems)
    if not paths:
        raise UsageError("no .geojson files in the input")
    return paths


