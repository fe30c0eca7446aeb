"""Dated events and the changes they make."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..engine.timeline import targets
from ..model.errors import Problems
from ..model.records import (
    CONFIDENCES,
    Change,
    Event,
    Faction,
    PresenceChange,
)
from .publishers import Publisher, check_confidence, check_rated_sources
from .readers import ID_RE, controller, is_faction, parse_date, read_yaml
from .sources import _parse_sources


class ZoneRefs:
    """What a change may name: zone (place) ids, and area ids with the zones inside each area."""

    def __init__(self, zones: set[str], area_zones: Callable[[str], list[str] | None] = lambda _: None):
        self.zones, self.area_zones = zones, area_zones

    def __contains__(self, zid: object) -> bool:
        return zid in self.zones

    def __iter__(self) -> Iterator[str]:
        return iter(self.zones)


def _area_list(path: Path, raw: Any, line: int | None, owner: str, refs: ZoneRefs,
               problems: Problems) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(area ids, zones inside them, in order without repeats) of a change's ``areas:``."""
    if not isinstance(raw, list) or not raw:
        problems.add(path, line, f"{owner}: areas must be a non-empty list of area ids")
        return (), ()
    ids, zones = [], {}
    for aid in (str(x) for x in raw):
        inside = refs.area_zones(aid)
        if inside is None:
            problems.add(path, line, f"{owner}: unknown area {aid!r}")
            continue
        ids.append(aid)
        zones.update(dict.fromkeys(inside))
    return tuple(ids), tuple(zones)


def _id_list(path: Path, raw: Any, line: int | None, owner: str, zones: ZoneRefs,
             problems: Problems) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        problems.add(path, line, f"{owner}: places must be a non-empty list of place ids")
        return ()
    ids = tuple(str(x) for x in raw)
    for zid in ids:
        if zid not in zones:
            problems.add(path, line, f"{owner}: unknown place or zone {zid!r}")
    return tuple(z for z in ids if z in zones)


def _held_by(path: Path, line: int | None, eid: str, raw: Any, factions: dict[str, Faction],
             problems: Problems) -> tuple[str, ...]:
    items = raw if isinstance(raw, list) else [raw]
    bad = [str(f) for f in items if not is_faction(str(f), factions, "territorial")]
    if not items or bad:
        problems.add(path, line, f"event {eid}: held_by must list territorial factions, not {bad or raw!r}")
        return ()
    return tuple(str(f) for f in items)


def _items(path: Path, raw: dict[str, Any], key: str, owner: str, needs: str,
           problems: Problems) -> Iterator[tuple[int | None, dict[str, Any]]]:
    """(line, item) of each mapping in the event's list under ``key``; a list that is not one, or an item that
    is not a mapping, is a problem (``needs`` says what an item needs)."""
    items = raw.get(key) or []
    if not isinstance(items, list):
        problems.add(path, raw["__line__"], f"{owner}: {key} must be a list")
        return
    for item in items:
        if isinstance(item, dict):
            yield item.get("__line__"), item
        else:
            problems.add(path, raw["__line__"], f"{owner}: {needs}")


def _parse_changes(path: Path, raw: dict[str, Any], eid: str, zones: ZoneRefs,
                   factions: dict[str, Faction], problems: Problems) -> tuple[Change, ...]:
    out = []
    for line, item in _items(path, raw, "changes", f"event {eid}", "each change needs to: and places:", problems):
        raw_to = str(item.get("to", ""))
        ok, to = controller(raw_to, factions)
        if not ok:
            problems.add(path, line, f"event {eid}: unknown territorial faction {raw_to!r}")
            continue
        held_by = item.get("held_by")
        listed = item.get("places", item.get("zones"))
        areas, area_zones = (_area_list(path, item["areas"], line, f"event {eid}", zones, problems)
                             if "areas" in item else ((), ()))
        if held_by is not None:
            rule = _held_by(path, line, eid, held_by, factions, problems)
            ids = _id_list(path, listed, line, f"event {eid}", zones, problems) if listed is not None else ()
            if rule:
                out.append(Change(to, ids, rule, areas, area_zones))
            continue
        if listed is None and "areas" in item:
            if areas:
                out.append(Change(to, (), (), areas, area_zones))
            continue
        ids = _id_list(path, listed, line, f"event {eid}", zones, problems)
        if ids or areas:
            out.append(Change(to, ids, (), areas, area_zones))
    seen: dict[str, str | None] = {}
    for ch in out:
        for zid in () if ch.held_by else ch.zones:
            if seen.setdefault(zid, ch.to) != ch.to:
                problems.add(path, raw["__line__"],
                             f"event {eid}: {zid} is given two controllers ({seen[zid]}, {ch.to})")
    return tuple(out)


def _parse_presence(path: Path, raw: dict[str, Any], eid: str, zones: ZoneRefs,
                    factions: dict[str, Faction], problems: Problems) -> tuple[PresenceChange, ...]:
    out = []
    needs = "each presence item needs faction, action, places"
    for line, item in _items(path, raw, "presence", f"event {eid}", needs, problems):
        fid, action = str(item.get("faction", "")), str(item.get("action", ""))
        if not is_faction(fid, factions, "presence"):
            problems.add(path, line, f"event {eid}: unknown presence faction {fid!r}")
            continue
        if action not in ("add", "remove", "confirm"):
            problems.add(path, line, f"event {eid}: presence action must be add, remove or confirm, not {action!r}")
            continue
        ids = _id_list(path, item.get("places", item.get("zones")), line, f"event {eid}", zones, problems)
        if ids:
            out.append(PresenceChange(fid, action == "add", ids, action == "confirm"))
    return tuple(out)


def _parse_event(path: Path, raw: Any, seq: int, zones: ZoneRefs, factions: dict[str, Faction],
                 start: dt.date, end: dt.date, problems: Problems,
                 publishers: dict[str, Publisher] | None = None) -> Event | None:
    if not isinstance(raw, dict):
        problems.add(path, None, f"event #{seq + 1}: each event must be a mapping")
        return None
    line = raw["__line__"]
    eid = str(raw.get("id", "")).strip()
    if not ID_RE.match(eid):
        problems.add(path, line, f"event id {eid!r} must be lowercase letters, digits, - and _")
        return None
    date = parse_date(raw.get("date"))
    if date is None:
        problems.add(path, line, f"event {eid}: date {raw.get('date')!r} is not a real YYYY-MM-DD date")
        return None
    if not start < date <= end:
        problems.add(path, line, f"event {eid}: date {date} is outside the data's span ({start} .. {end})")
        return None
    if not isinstance(raw.get("title", ""), str):
        problems.add(path, line, f"event {eid}: title must be text, not a {type(raw['title']).__name__}")
        return None
    title = str(raw.get("title", "")).strip()
    if not title:
        problems.add(path, line, f"event {eid}: title is empty")
        return None
    confidence = str(raw.get("confidence", ""))
    if confidence not in CONFIDENCES:
        problems.add(path, line, f"event {eid}: confidence must be high, medium or low, not {confidence!r}")
        return None
    sources = _parse_sources(path, raw.get("sources"), f"event {eid}", line, problems)
    if not sources:
        return None
    location = raw.get("location")
    if location is not None and str(location) not in zones:
        problems.add(path, line, f"event {eid}: unknown location {location!r}")
        location = None
    changes = _parse_changes(path, raw, eid, zones, factions, problems)
    presence = _parse_presence(path, raw, eid, zones, factions, problems)
    if publishers is not None:
        check_rated_sources(path, line, f"event {eid}", sources, publishers, problems)
        check_confidence(path, line, f"event {eid}", confidence, sources, publishers, problems)
        if not str(raw.get("title_ar", "") or "").strip():
            problems.add(path, line, f"event {eid}: title_ar is empty (an Arabic title)")
    return Event(eid, date, title, str(raw.get("summary", "") or "").strip(),
                 str(location) if location is not None else None, confidence,  # type: ignore[arg-type]
                 sources, changes, presence, str(raw.get("disputed", "") or "").strip(), seq,
                 str(raw.get("title_ar", "") or "").strip(), str(raw.get("summary_ar", "") or "").strip())


def load_events(root: Path, zones: ZoneRefs, factions: dict[str, Faction], start: dt.date,
                end: dt.date, problems: Problems,
                publishers: dict[str, Publisher] | None = None) -> list[Event]:
    events: list[Event] = []
    seen: dict[str, str] = {}
    seq = 0
    files = sorted((root / "events").glob("*.yaml"))
    for path in files:
        doc = read_yaml(path, problems)
        if doc is None:
            continue
        if not isinstance(doc, list):
            problems.add(path, 1, "must be a YAML list of events")
            continue
        for raw in doc:
            ev = _parse_event(path, raw, seq, zones, factions, start, end, problems, publishers)
            seq += 1
            if ev is None:
                continue
            if ev.id in seen:
                problems.add(path, raw["__line__"], f"duplicate event id {ev.id!r} (first in {seen[ev.id]})")
                continue
            seen[ev.id] = f"{problems.rel(path)}:{raw['__line__']}"
            events.append(ev)
    check_same_day_conflicts(events, root, problems)
    return sorted(events, key=lambda e: e.sort_key)


def check_same_day_conflicts(events: list[Event], root: Path, problems: Problems) -> None:
    """Two events on one day that give one zone two different controllers make the day ambiguous. Within one
    event a listed place may override the area around it; across events nothing may."""
    by_day: dict[tuple[dt.date, str], dict[str, str | None]] = defaultdict(dict)
    for ev in events:
        for zid, to in targets(ev).items():  # rules (held_by) depend on the day's state: never a conflict
            held = by_day[(ev.date, zid)]
            other = next((e for e, f in held.items() if f != to), None)
            if other is not None:
                message = f"{zid} has two controllers on {ev.date}: {held[other]} ({other}) and {to} ({ev.id})"
                problems.add(root / "events", None, message)
            held[ev.id] = to
