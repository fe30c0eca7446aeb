"""Labels and factions of an import, all checked before any file is read.

``--map`` turns labels into faction ids; ``--label`` gives every polygon one label; ``--factions FILE.csv``
defines the factions (columns by name: id, name_en, name_ar, kind, color, color_cb, description optional).
Without ``--factions`` the factions are made from the ``--map`` values with the Okabe-Ito palette, which
stays distinct for the common kinds of colour blindness. A label mapped to ``none`` is left out.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...io.readers import COLOR_RE, ID_RE
from ...model.errors import Problem
from ...model.records import Faction
from .common import ImportProblem

# Okabe & Ito (2008), without black (the front lines are black): distinct under protanopia, deuteranopia
# and tritanopia. The order puts the strongest colours first.
PALETTE = ("#d55e00", "#0072b2", "#009e73", "#e69f00", "#cc79a7", "#56b4e9", "#f0e442", "#999999")
LEFT_OUT = "none"
FACTION_FILE_COLUMNS = ("id", "name_en", "name_ar", "kind", "color", "color_cb")


def fold(label: Any) -> str:
    return re.sub(r"[\W_]+", "", str(label).casefold())


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


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
                raise ImportProblem(f"{path}:{exc.lineno}: malformed JSON mapping: {exc.msg}") from None
            if not isinstance(doc, dict):
                raise ImportProblem(f"{path}: the JSON mapping must be an object of label: faction")
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
        raise ImportProblem(problems)
    mapping = {fold(label): fid.strip() for label, fid in pairs}
    if not mapping:
        raise ImportProblem("--map: the mapping is empty")
    return mapping


def read_factions(path: Path) -> list[Faction]:
    """The dataset's own factions from a CSV whose columns are found by name."""
    try:
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportProblem(f"--factions {path}: cannot read: {exc}") from None
    if not rows:
        raise ImportProblem(f"{path}:1: empty file: expected a header with {','.join(FACTION_FILE_COLUMNS)}")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in FACTION_FILE_COLUMNS if c not in header]
    if missing:
        raise ImportProblem(f"{path}:1: missing column {missing[0]!r} (needs {','.join(FACTION_FILE_COLUMNS)})")
    out: list[Faction] = []
    for line, cells in enumerate(rows[1:], 2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise ImportProblem(f"{path}:{line}: expected {len(header)} fields, found {len(cells)}")
        row = {h: c.strip() for h, c in zip(header, cells)}
        fid = row["id"]
        if not ID_RE.match(fid) or fid == LEFT_OUT:
            raise ImportProblem(f"{path}:{line}: bad faction id {fid!r}: use lowercase letters, digits, _ and -")
        if any(f.id == fid for f in out):
            raise ImportProblem(f"{path}:{line}: duplicate faction id {fid!r}")
        if row["kind"] not in ("territorial", "presence"):
            raise ImportProblem(f"{path}:{line}: kind must be territorial or presence, not {row['kind']!r}")
        for col in ("color", "color_cb"):
            if not COLOR_RE.match(row[col]):
                raise ImportProblem(f"{path}:{line}: {col} must be #rrggbb, not {row[col]!r}")
        out.append(Faction(fid, row["kind"], row["name_en"] or fid, row["name_ar"] or row["name_en"] or fid,  # type: ignore[arg-type]
                           row["color"], row["color_cb"], row.get("description", "")))
    if not out:
        raise ImportProblem(f"{path}: no factions")
    return out


def _name(fid: str) -> str:
    words = re.sub(r"[_\-]+", " ", fid).strip()
    return words.upper() if len(words) <= 3 else words[:1].upper() + words[1:]


def factions_from_mapping(mapping: dict[str, str]) -> list[Faction]:
    ids = list(dict.fromkeys(fid for fid in mapping.values() if fid != LEFT_OUT))
    if len(ids) > len(PALETTE):
        raise ImportProblem(f"--map names {len(ids)} factions and the palette has {len(PALETTE)}: "
                            "give their colours with --factions FILE.csv")
    for fid in ids:
        if not ID_RE.match(fid):
            raise ImportProblem(f"--map: faction id {fid!r} must be lowercase letters, digits, _ and -")
    return [Faction(fid, "territorial", _name(fid), _name(fid), color, color, "imported")
            for fid, color in zip(ids, PALETTE)]


@dataclass(frozen=True)
class LabelPlan:
    """How every polygon gets its faction: a fixed label or a property, then the mapping."""

    mapping: dict[str, str]  # folded label -> faction id (or LEFT_OUT)
    factions: tuple[Faction, ...]
    label: str | None = None  # --label: every polygon's label
    label_property: str | None = None  # --property


def plan_labels(map_text: str | None, label: str | None, factions_file: Path | None,
                label_property: str | None = None) -> LabelPlan:
    """Check the labels and factions before any work; raise one line naming what is wrong."""
    if label is not None and not fold(label):
        raise ImportProblem(f"--label {label!r} has no letters or digits")
    if map_text is None:
        if label is None:
            raise ImportProblem("give --map LABEL=FACTION,... (or --label TEXT to label every polygon)")
        mapping = {fold(label): slug(label) or "imported"}
    else:
        mapping = parse_mapping(map_text)
        if label is not None and fold(label) not in mapping:
            raise ImportProblem(f"--label {label!r} is not in --map (its labels: {', '.join(sorted(mapping))})")
    factions = read_factions(factions_file) if factions_file else factions_from_mapping(mapping)
    kinds = {f.id: f.kind for f in factions}
    for folded, fid in mapping.items():
        if fid == LEFT_OUT:
            continue
        if fid not in kinds:
            known = ", ".join(sorted(kinds))
            raise ImportProblem(f"--map: {folded!r} maps to unknown faction {fid!r} (factions: {known})")
        if kinds[fid] != "territorial":
            raise ImportProblem(f"--map: {folded!r} maps to {fid!r}, a presence faction: polygons need a "
                                "territorial one")
    return LabelPlan(mapping, tuple(factions), label, label_property)
