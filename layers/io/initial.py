"""The initial state: the controller of every zone on the first day."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model.errors import Problems
from ..model.records import (
    CONFIDENCES,
    Faction,
    InitialState,
)
from .readers import FIRST_DAY, INITIAL_COLUMNS, controller, is_faction, parse_date, read_csv, read_yaml
from .sources import _parse_sources


def _initial_areas(path: Path, raw: Any, area_zones: Callable[[str], list[str] | None],
                   factions: dict[str, Faction], problems: Problems) -> dict[str, tuple[str | None, str]]:
    """``areas:`` of initial.yaml, in order: zone -> (controller, confidence); a later area overrides."""
    out: dict[str, tuple[str | None, str]] = {}
    if raw is None:
        return out
    if not isinstance(raw, list):
        problems.add(path, None, "areas must be a list of {area, controller, confidence, note}")
        return out
    for item in raw:
        line = item.get("__line__") if isinstance(item, dict) else None
        if not isinstance(item, dict):
            problems.add(path, line, "each initial area needs area, controller, confidence, note")
            continue
        aid, fid = str(item.get("area", "")), str(item.get("controller", ""))
        zones = area_zones(aid)
        if zones is None:
            problems.add(path, line, f"unknown area {aid!r}")
            continue
        assigned = _assignment(path, line, f"area {aid}", fid, str(item.get("confidence", "") or ""), factions,
                               problems)
        if assigned is None:
            continue
        if not str(item.get("note", "") or "").strip():
            problems.add(path, line, f"area {aid}: needs a note saying why (a source, or how it was inferred)")
            continue
        out.update(dict.fromkeys(zones, assigned))
    return out


def _assignment(path: Path, line: int | None, owner: str, fid: str, confidence: str,
                factions: dict[str, Faction], problems: Problems) -> tuple[str | None, str] | None:
    """(controller, confidence) of one initial assignment, an area's or a place's (confidence medium unless
    given); None, with the problem, if the controller or the confidence is not one."""
    ok, held = controller(fid, factions)
    if not ok:
        problems.add(path, line, f"{owner}: unknown territorial faction {fid!r}")
    conf = confidence or "medium"
    if conf not in CONFIDENCES:
        problems.add(path, line, f"{owner}: confidence must be high, medium or low")
        return None
    return (held, conf) if ok else None


def load_initial(root: Path, zones: set[str], factions: dict[str, Faction], problems: Problems,
                 area_zones: Callable[[str], list[str] | None] = lambda _: None,
                 groundless: frozenset[str] = frozenset()) -> InitialState:
    """The state on the first day. ``groundless`` zones (a place in a lake or off the map: no ground) need no
    controller; they have none unless the data gives one."""
    path = root / "initial.yaml"
    meta = read_yaml(path, problems) if path.exists() else None
    if path.exists() and meta is not None and not isinstance(meta, dict):
        problems.add(path, 1, "must be a mapping with date and sources")
    if not path.exists():
        problems.add(path, None, "missing file")
    meta = meta if isinstance(meta, dict) else {}
    date = parse_date(meta.get("date"))
    if meta and date is None:
        problems.add(path, meta.get("__line__"), f"date {meta.get('date')!r} is not a real YYYY-MM-DD date")
    sources = _parse_sources(path, meta.get("sources"), "initial state", meta.get("__line__"), problems) if meta else ()
    held: dict[str, str | None] = {}
    presence: dict[str, frozenset[str]] = {}
    confidence: dict[str, str] = {}
    seen: dict[str, str] = {}
    for zid, (fid, conf) in _initial_areas(path, meta.get("areas"), area_zones, factions, problems).items():
        held[zid], presence[zid], confidence[zid] = fid, frozenset(), conf
    for csv_path in sorted((root / "initial").glob("*.csv")):
        for line, row in read_csv(csv_path, INITIAL_COLUMNS, problems):
            zid, fid = row["place"], row["controller"]
            where = f"{problems.rel(csv_path)}:{line}"
            if zid not in zones:
                problems.add(csv_path, line, f"unknown place or zone {zid!r}")
                continue
            if zid in seen:
                problems.add(csv_path, line, f"{zid} is given an initial controller twice (also {seen[zid]})")
                continue
            pres = frozenset(p.strip() for p in row["presence"].split("|") if p.strip())
            bad = sorted(p for p in pres if not is_faction(p, factions, "presence"))
            if bad:
                problems.add(csv_path, line, f"{zid}: unknown presence faction {bad[0]!r}")
            assigned = _assignment(csv_path, line, zid, fid, row["confidence"], factions, problems)
            if assigned is None or bad:
                continue
            seen[zid] = where
            (held[zid], confidence[zid]), presence[zid] = assigned, pres
    for zid in groundless - held.keys():
        held[zid], presence[zid], confidence[zid] = None, frozenset(), "low"
    missing = sorted(zones - held.keys())
    for zid in missing[:20]:
        problems.add(root / "initial", None, f"place or zone {zid!r} has no initial controller")
    if len(missing) > 20:
        problems.add(root / "initial", None, f"... and {len(missing) - 20} more places without an initial controller")
    return InitialState(date or FIRST_DAY, held, presence, confidence, sources)

