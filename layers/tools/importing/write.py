"""Write the imported dataset (the format of data/): zones, factions, dataset.yaml, base layers, the
initial state and one event per snapshot. ``out`` is replaced only by a complete dataset that loads. The
zones and events are streamed to their files (io/writers.py), never built whole in memory."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from shapely.geometry.base import BaseGeometry

from ...engine.geometry import tiled_union
from ...io.dataset import load_dataset
from ...io.manifest import write_manifest
from ...io.meta import DatasetMeta
from ...io.readers import FACTION_COLUMNS
from ...io.writers import write_csv, write_features, write_json, write_json_list, write_text
from ...model.errors import DataError, Problem
from ...model.records import Faction
from .basemap import write_base
from .common import ImportProblem, ImportSource, Snapshot

MARKER = Path("zones") / "imported.geojson"  # what tells an earlier import from any other folder
Controllers = tuple[Sequence[str | None], np.ndarray]  # names (0: nobody), and a code per snapshot and zone


def stage(out: Path, faces: Sequence[BaseGeometry], snapshots: Sequence[Snapshot], controllers: Controllers,
          source: ImportSource, factions: tuple[Faction, ...], meta: DatasetMeta, template: Path) -> Path:
    """Write the dataset into a staging folder beside ``out`` and return it (nothing is left of it on failure).
    The caller may drop the shapes before ``put_in_place`` loads the dataset back to validate it."""
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
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def put_in_place(staging: Path, out: Path) -> None:
    """Validate the staged dataset, seal it and rename it to ``out`` (the old one goes only then)."""
    old = out.with_name(f".{out.name}.old")
    try:
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


def _write_meta(folder: Path, meta: DatasetMeta) -> None:
    doc = {"title": meta.title, "subtitle": meta.subtitle, "area": meta.area, "attribution": meta.attribution,
           "source_url": meta.source_url, "as_of": meta.as_of.isoformat() if meta.as_of else None}
    text = yaml.safe_dump({k: v for k, v in doc.items() if v}, allow_unicode=True, sort_keys=False, width=100)
    write_text(folder / "dataset.yaml", "# Written by controlmap import: edit freely.\n" + text)


def _write_factions(folder: Path, factions: tuple[Faction, ...]) -> None:
    write_csv(folder / "factions.csv", FACTION_COLUMNS,
              ([f.id, f.kind, f.name_en, f.name_ar, f.color, f.color_cb, f.description] for f in factions))


def _write_into(folder: Path, faces: Sequence[BaseGeometry], snapshots: Sequence[Snapshot],
                controllers: Controllers, source: ImportSource, factions: tuple[Faction, ...],
                meta: DatasetMeta, template: Path) -> None:
    ids = [f"z{i:05d}" for i in range(len(faces))]
    _write_meta(folder, meta)
    _write_factions(folder, factions)
    write_base(folder / "base", tiled_union(list(faces)), template)
    (folder / "zones").mkdir()
    write_features(folder / MARKER, (({"id": zid}, face) for zid, face in zip(ids, faces)))
    (folder / "places").mkdir()

    def src(day: dt.date) -> list[dict[str, str]]:
        # a daily map is published on its day unless the user says otherwise
        return [{"url": source.url, "publisher": source.publisher,
                 "published": (source.published or day).isoformat()}]

    first = snapshots[0]
    write_json(folder / "initial.yaml", {"date": (first.day - dt.timedelta(days=1)).isoformat(),
                                         "sources": src(first.day)}, indent=1)
    (folder / "initial").mkdir()
    write_csv(folder / "initial" / "imported.csv", ["place", "controller", "presence", "confidence", "note"],
              ([zid, "none", "", "medium", "before the first snapshot"] for zid in ids))

    def events() -> Iterator[dict[str, Any]]:
        names, codes = controllers
        previous = np.zeros(len(ids), dtype=codes.dtype)  # nobody, before the first snapshot
        for snap, row in zip(snapshots, codes):
            changed = np.flatnonzero(row != previous)
            previous = row
            by_code: dict[str, list[str]] = {}
            for code, zi in zip(row[changed].tolist(), changed.tolist()):
                by_code.setdefault(names[code] or "none", []).append(ids[zi])
            yield {"id": f"snapshot-{snap.day.isoformat()}", "date": snap.day.isoformat(),
                   "title": f"Snapshot {snap.source}", "summary": f"Control polygons of {snap.day} imported from "
                   f"{snap.source}.", "confidence": "medium", "sources": src(snap.day),
                   "changes": [{"to": to, "places": zs} for to, zs in sorted(by_code.items())]}

    (folder / "events").mkdir()
    # JSON is valid YAML: the loader reads it with line numbers like any events file.
    write_json_list(folder / "events" / "imported.yaml", events())
