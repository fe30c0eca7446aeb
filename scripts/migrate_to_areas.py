"""Carry the first version's history over to the dense gazetteer, explicitly, in data/.

The first version of this map had 447 places and gave each the Voronoi cell of its point: an event that named
a place changed that whole cell. With ~3,100 places that ground is now shared among many villages, so this
script writes what the first version meant as data a reviewer can read:
- data/areas/cells.geojson: the cell of each of the 447 first-version places (river-aware Voronoi of those
  places at their corrected coordinates), as areas of kind ``cell``;
- in data/events/*.yaml, every change that lists first-version places gets ``areas: [cell_<place>, ...]``
  right after its place list: the ground around the named place changes with it, and any place listed
  explicitly (in this or a later edit) overrides its cell;
- in data/initial.yaml, ``areas:`` gives each cell its place's controller on the first day.
Run it once after the gazetteer grows (it is idempotent: existing ``areas:`` lines are left alone). Later
edits refine the cells by hand or replace them with areas drawn from the sources.

Usage: python scripts/migrate_to_areas.py [DATA_DIR]
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import shapely
from shapely.geometry import mapping

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layers.engine.zones import build_zones  # noqa: E402
from layers.io.readers import read_yaml  # noqa: E402
from layers.io.tables import load_base, load_places  # noqa: E402
from layers.model.errors import Problems  # noqa: E402

CELL_NOTE = ("The ground nearer to {name} than to any other of the 447 places of the map's first version "
             "(river-aware Voronoi of those places at their corrected coordinates): what the first version's "
             "events meant by naming {name}. A first step, to be refined from the sources.")


def legacy_ids(data: Path) -> dict[str, tuple[str, str]]:
    """The first version's places (those the per-place initial state lists): id -> (controller, confidence)."""
    out = {}
    for path in sorted((data / "initial").glob("*.csv")):
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
            out[row["place"]] = (row["controller"], row["confidence"] or "medium")
    return out


def write_cells(data: Path, legacy: dict[str, tuple[str, str]]) -> dict[str, str]:
    problems = Problems(data)
    aoi, base = load_base(data, problems)
    places = [p for p in load_places(data, aoi, {}, problems) if p.id in legacy]
    zones = build_zones(places, [], aoi, base.get("rivers"))  # uncapped: the first version's partition
    names = {p.id: p.name_en for p in places}
    feats = []
    for z in zones:
        geom = shapely.set_precision(shapely.simplify(z.geometry, 0.0002), 1e-5)
        if geom.is_empty or geom.area <= 0:
            continue  # a place outside the area of interest: its events still name it
        feats.append({"type": "Feature", "geometry": mapping(geom), "properties": {
            "id": f"cell_{z.id}", "kind": "cell", "name_en": f"Cell of {names[z.id]}", "name_ar": "",
            "note": CELL_NOTE.format(name=names[z.id])}})
    (data / "areas").mkdir(exist_ok=True)
    out = data / "areas" / "cells.geojson"
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False,
                              separators=(",", ":")).replace('},{"type"', '},\n{"type"') + "\n", encoding="utf-8")
    tmp.replace(out)
    print(f"{len(feats)} cells -> {out}")
    return {f["properties"]["id"][5:]: f["properties"]["id"] for f in feats}


def add_event_areas(path: Path, cells: dict[str, str]) -> int:
    """Insert ``areas: [cell_...]`` after the place list of every change that names first-version places."""
    doc = read_yaml(path, Problems(path.parent))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    inserts: list[tuple[int, str]] = []
    for ev in doc or []:
        for ch in ev.get("changes") or []:
            if not isinstance(ch, dict) or "held_by" in ch or "areas" in ch:
                continue
            listed = [cells[p] for p in ch.get("places") or [] if p in cells]
            if not listed:
                continue
            i = ch["__line__"] - 1  # the change's first line ("- to: ..." or "- places: ...")
            j = next(k for k in range(i, len(lines)) if re.match(r"\s*(- )?places:", lines[k]))
            key = lines[j].index("places:")
            indent = " " * key
            k = j
            if lines[j][key + len("places:"):].strip().startswith("["):  # flow list: up to its "]"
                while "]" not in lines[k]:
                    k += 1
                k += 1
            else:  # block list: its "- item" lines, at the key's indentation or deeper
                k += 1
                while k < len(lines) and re.match(rf"{indent}(- |\s)", lines[k]) and lines[k].strip():
                    k += 1
            inserts.append((k, _flow_list(indent, "areas", listed)))
    for at, text in sorted(inserts, reverse=True):
        lines.insert(at, text)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    tmp.replace(path)
    return len(inserts)


def _flow_list(indent: str, key: str, items: list[str], width: int = 110) -> str:
    """``key: [a, b, ...]`` wrapped like the place lists around it."""
    lines, line = [], f"{indent}{key}: ["
    for i, item in enumerate(items):
        piece = item + (", " if i < len(items) - 1 else "]")
        if len(line) + len(piece) > width and not line.endswith("["):
            lines.append(line.rstrip())
            line = indent + "  "
        line += piece
    return "\n".join(lines + [line]) + "\n"


def add_initial_areas(data: Path, legacy: dict[str, tuple[str, str]], cells: dict[str, str]) -> None:
    path = data / "initial.yaml"
    text = path.read_text(encoding="utf-8")
    if "\nareas:" in text:
        return
    rows = ["", "# The ground around each first-version place starts with that place's controller (see",
            "# data/areas/cells.geojson); the per-place rows in initial/*.csv then apply on top.", "areas:"]
    for pid, cell in sorted(cells.items()):
        fid, conf = legacy[pid]
        rows += [f"  - area: {cell}", f"    controller: {fid}", f"    confidence: {conf}",
                 f"    note: the first version's initial controller of {pid}, over its cell"]
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text.rstrip("\n") + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    tmp.replace(path)


def main(data: Path) -> int:
    legacy = legacy_ids(data)
    cells = write_cells(data, legacy)
    total = sum(add_event_areas(p, cells) for p in sorted((data / "events").glob("*.yaml")))
    add_initial_areas(data, legacy, cells)
    print(f"{total} changes now carry the cells of the places they name")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data"))
