"""Write the imported dataset (the format of data/): zones, factions, dataset.yaml, base layers, the
initial state and one event per snapshot. ``out`` is replaced only by a complete dataset that loads."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from collections import defaultdict
from pathlib import Path

import shapely
import yaml
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from ...io.dataset import load_dataset
from ...io.manifest import write_manifest
from ...io.meta import DatasetMeta
from ...io.readers import FACTION_COLUMNS
from ...model.errors import DataError, Problem
from ...model.records import Faction
from .basemap import write_base
from .common import GRID, ImportProblem, ImportSource, Snapshot

MARKER = Path("zones") / "imported.geojson"  # what tells an earlier import from any other folder


def write_dataset(out: Path, faces: list[BaseGeometry], snapshots: list[Snapshot],
                  controllers: list[list[str | None]], source: ImportSource, factions: tuple[Faction, ...],
                  meta: DatasetMeta, template: Path) -> None:
    """Write the imported dataset (same format as data/), replacing ``out`` only when complete."""
    old = out.with_name(f".{out.name}.old")
    if not out.exists() and old.exists():
        old.rename(out)  # an earlier import was killed between its two renames: put the old dataset back
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise ImportProblem(f"--out {out} exists and is not an imported dataset: choose an empty folder")
    staging = out.with_name(f".{out.name}.importing")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        _write_into(staging, faces, snapshots, controllers, source, factions, meta, template)
        try:
            load_dataset(staging, sealed=False)  # never put a dataset in place that would not load
        except DataError as exc:  # every problem, each still naming its file and line
            raise ImportProblem([Problem("--out", "", "the imported dataset does not validate:"),
                                 *exc.problems]) from None
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


def cover_of(faces: list[BaseGeometry]) -> BaseGeometry:
    """The ground the faces cover. They tile it edge to edge, so a coverage union does (a hundred times
    cheaper than an overlay union); faces that do not quite tile it get the overlay union."""
    try:
        return shapely.coverage_union_all(faces)
    except shapely.errors.GEOSException:
        return shapely.union_all(faces, grid_size=GRID)


def _write_meta(folder: Path, meta: DatasetMeta) -> None:
    doc = {"title": meta.title, "subtitle": meta.subtitle, "area": meta.area, "attribution": meta.attribution,
           "source_url": meta.source_url, "as_of": meta.as_of.isoformat() if meta.as_of else None}
    text = yaml.safe_dump({k: v for k, v in doc.items() if v}, allow_unicode=True, sort_keys=False, width=100)
    (folder / "dataset.yaml").write_text("# Written by controlmap import: edit freely.\n" + text, encoding="utf-8")


def _write_factions(folder: Path, factions: tuple[Faction, ...]) -> None:
    with (folder / "factions.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(FACTION_COLUMNS)
        writer.writerows([f.id, f.kind, f.name_en, f.name_ar, f.color, f.color_cb, f.description]
                         for f in factions)


def _write_into(folder: Path, faces: list[BaseGeometry], snapshots: list[Snapshot],
                controllers: list[list[str | None]], source: ImportSource, factions: tuple[Faction, ...],
                meta: DatasetMeta, template: Path) -> None:
    ids = [f"z{i:05d}" for i in range(len(faces))]
    _write_meta(folder, meta)
    _write_factions(folder, factions)
    cover = cover_of(faces)
    write_base(folder / "base", cover, template)
    (folder / "zones").mkdir()
    (folder / MARKER).write_text(json.dumps({"type": "FeatureCollection", "features": [
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
