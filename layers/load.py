"""Read and validate a dataset directory. Every problem is reported as ``path:line: message``.

Layout of a dataset directory (see data/README.md):
    factions.csv, places/*.csv, zones/*.geojson (optional), initial.yaml, initial/*.csv,
    events/*.yaml, labels.txt (optional), base/*.geojson (aoi, borders, rivers, lakes, roads).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from .errors import Problems
from .model import (
    CONFIDENCES,
    Change,
    Dataset,
    Event,
    Faction,
    InitialState,
    Place,
    PresenceChange,
    Source,
    Zone,
)
from .zones import build_zones

FACTION_COLUMNS = ["id", "kind", "name_en", "name_ar", "color", "color_cb", "description"]
PLACE_COLUMNS = [
    "id", "name_en", "name_ar", "other_names", "lon", "lat", "governorate", "district",
    "population", "coord_source", "coord_quality",
]
INITIAL_COLUMNS = ["place", "controller", "presence", "confidence", "note"]
COORD_QUALITIES = ("sourced", "approximate")
NO_CONTROLLER = "none"  # in initial/*.csv and in changes: no data for the zone (not drawn)
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
FIRST_DAY = dt.date(2011, 1, 1)
# Border towns (Kobani, Jarabulus, Atmeh) sit within the ~1.5 km error of the Natural Earth border:
# a place may lie this close outside the area of interest; its zone is still clipped to the area.
AOI_TOLERANCE_DEG = 0.05
ENCYCLOPEDIAS = ("wikipedia",)


# ---------------------------------------------------------------- YAML with line numbers
class _LineLoader(yaml.SafeLoader):
    """A safe loader that keeps dates as strings and records each mapping's line."""


_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, problems: Problems) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problems.add(path, mark.line + 1 if mark else None, f"malformed YAML: {exc.problem}")
    except (UnicodeDecodeError, OSError) as exc:
        problems.add(path, None, f"cannot read: {exc}")
    return None


def read_csv(path: Path, columns: list[str], problems: Problems) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each well-formed row; report malformed ones."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError) as exc:
        problems.add(path, None, f"cannot read: {exc}")
        return
    reader = csv.reader(text.splitlines())
    try:
        header = next(reader, None)
        if header is None:
            problems.add(path, 1, "empty file: expected a header row")
            return
        header = [h.strip() for h in header]
        if header != columns:
            problems.add(path, 1, f"header must be {','.join(columns)}")
            return
        for row in reader:
            line = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(columns):
                problems.add(path, line, f"expected {len(columns)} fields, found {len(row)}")
                continue
            yield line, {k: v.strip() for k, v in zip(columns, row)}
    except csv.Error as exc:
        problems.add(path, reader.line_num, f"malformed CSV: {exc}")


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


# ---------------------------------------------------------------- pieces
def load_factions(root: Path, problems: Problems) -> list[Faction]:
    path = root / "factions.csv"
    factions: list[Faction] = []
    seen: set[str] = set()
    if not path.exists():
        problems.add(path, None, "missing file")
        return factions
    for line, row in read_csv(path, FACTION_COLUMNS, problems):
        fid = row["id"]
        if not ID_RE.match(fid):
            problems.add(path, line, f"bad faction id {fid!r}")
            continue
        if fid in seen:
            problems.add(path, line, f"duplicate faction id {fid!r}")
            continue
        if row["kind"] not in ("territorial", "presence"):
            problems.add(path, line, f"kind must be territorial or presence, not {row['kind']!r}")
            continue
        bad = [c for c in ("color", "color_cb") if not COLOR_RE.match(row[c])]
        if bad:
            problems.add(path, line, f"{bad[0]} must be #rrggbb, not {row[bad[0]]!r}")
            continue
        seen.add(fid)
        factions.append(Faction(fid, row["kind"], row["name_en"], row["name_ar"],  # type: ignore[arg-type]
                                row["color"], row["color_cb"], row["description"]))
    return factions


def _place_from_row(path: Path, line: int, row: dict[str, str], aoi: BaseGeometry,
                    problems: Problems) -> Place | None:
    pid = row["id"]
    if not ID_RE.match(pid):
        problems.add(path, line, f"bad place id {pid!r}: use lowercase letters, digits and _")
        return None
    try:
        lon, lat = float(row["lon"]), float(row["lat"])
    except ValueError:
        problems.add(path, line, f"place {pid}: lon/lat must be numbers, not {row['lon']!r}, {row['lat']!r}")
        return None
    if aoi.distance(Point(lon, lat)) > AOI_TOLERANCE_DEG:
        problems.add(path, line, f"place {pid}: coordinates {lon}, {lat} are outside the area of interest")
        return None
    population: int | None = None
    if row["population"]:
        try:
            population = int(float(row["population"]))
        except ValueError:
            problems.add(path, line, f"place {pid}: population must be a number, not {row['population']!r}")
            return None
    if not row["coord_source"]:
        problems.add(path, line, f"place {pid}: coord_source is empty (a GeoNames id or a URL)")
        return None
    if row["coord_quality"] not in COORD_QUALITIES:
        problems.add(path, line, f"place {pid}: coord_quality must be sourced or approximate")
        return None
    others = tuple(o.strip() for o in row["other_names"].split("|") if o.strip())
    return Place(pid, row["name_en"], row["name_ar"], others, lon, lat, row["governorate"],
                 row["district"], population, row["coord_source"], row["coord_quality"])


def load_places(root: Path, aoi: BaseGeometry, labels: dict[str, int], problems: Problems) -> list[Place]:
    places: list[Place] = []
    seen: dict[str, str] = {}
    at: dict[tuple[float, float], str] = {}
    files = sorted((root / "places").glob("*.csv"))
    for path in files:
        for line, row in read_csv(path, PLACE_COLUMNS, problems):
            place = _place_from_row(path, line, row, aoi, problems)
            if place is None:
                continue
            if place.id in seen:
                problems.add(path, line, f"duplicate place id {place.id!r} (first in {seen[place.id]})")
                continue
            key = (round(place.lon, 4), round(place.lat, 4))
            if key in at:
                problems.add(path, line, f"place {place.id} has the same coordinates as {at[key]}")
                continue
            seen[place.id] = f"{problems.rel(path)}:{line}"
            at[key] = place.id
            if place.id in labels or (place.population or 0) >= 40000:
                place = Place(**{**place.__dict__, "label": True})
            places.append(place)
    return places


def load_explicit_zones(root: Path, problems: Problems) -> list[tuple[str, BaseGeometry]]:
    out: list[tuple[str, BaseGeometry]] = []
    for path in sorted((root / "zones").glob("*.geojson")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            problems.add(path, line, f"malformed JSON: {getattr(exc, 'msg', exc)}")
            continue
        for i, feat in enumerate(doc.get("features", []) if isinstance(doc, dict) else []):
            zid = str((feat.get("properties") or {}).get("id", ""))
            where = f"#{zid or i}"
            if not ID_RE.match(zid):
                problems.add(path, where, "feature needs an id property (lowercase, _ or -)")
                continue
            try:
                geom = shape(feat["geometry"])
            except Exception as exc:  # noqa: BLE001 - any malformed geometry is a data problem
                problems.add(path, where, f"invalid geometry: {exc}")
                continue
            if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
                problems.add(path, where, "geometry must be a non-empty Polygon or MultiPolygon")
                continue
            if not geom.is_valid:
                problems.add(path, where, "invalid geometry (self-intersecting or bad ring)")
                continue
            out.append((zid, geom))
    return out


def _parse_source(path: Path, raw: Any, owner: str, problems: Problems) -> Source | None:
    line = raw.get("__line__") if isinstance(raw, dict) else None
    if not isinstance(raw, dict):
        problems.add(path, line, f"{owner}: each source must be a mapping with url, publisher, published")
        return None
    url, publisher = str(raw.get("url", "")).strip(), str(raw.get("publisher", "")).strip()
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
        problems.add(path, line, f"{owner}: source url must be an http(s) URL, not {url!r}")
        return None
    if not publisher:
        problems.add(path, line, f"{owner}: source {url} has no publisher")
        return None
    published = None
    if "published" in raw and str(raw["published"]).strip().lower() not in ("", "unknown"):
        published = parse_date(raw["published"])
        if published is None:
            problems.add(path, line,
                         f"{owner}: source published date {raw['published']!r} is not a real YYYY-MM-DD date")
            return None
    elif not publisher.lower().startswith(ENCYCLOPEDIAS):
        problems.add(path, line, f"{owner}: source {url} needs a published date")
        return None
    return Source(url, publisher, published, str(raw.get("title", "") or "").strip())


def _parse_sources(path: Path, raw: Any, owner: str, line: int | None, problems: Problems) -> tuple[Source, ...]:
    if not isinstance(raw, list) or not raw:
        problems.add(path, line, f"{owner}: needs at least one source")
        return ()
    sources = [_parse_source(path, s, owner, problems) for s in raw]
    return tuple(s for s in sources if s is not None)


def load_initial(root: Path, zones: set[str], factions: dict[str, Faction], problems: Problems) -> InitialState:
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
    controller: dict[str, str | None] = {}
    presence: dict[str, frozenset[str]] = {}
    confidence: dict[str, str] = {}
    seen: dict[str, str] = {}
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
            if fid != NO_CONTROLLER and (fid not in factions or factions[fid].kind != "territorial"):
                problems.add(csv_path, line, f"{zid}: unknown territorial faction {fid!r}")
                continue
            pres = frozenset(p.strip() for p in row["presence"].split("|") if p.strip())
            bad = sorted(p for p in pres if p not in factions or factions[p].kind != "presence")
            if bad:
                problems.add(csv_path, line, f"{zid}: unknown presence faction {bad[0]!r}")
                continue
            if row["confidence"] and row["confidence"] not in CONFIDENCES:
                problems.add(csv_path, line, f"{zid}: confidence must be high, medium or low")
                continue
            seen[zid] = where
            controller[zid] = None if fid == NO_CONTROLLER else fid
            presence[zid] = pres
            confidence[zid] = row["confidence"] or "medium"
    missing = sorted(zones - controller.keys())
    for zid in missing[:20]:
        problems.add(root / "initial", None, f"place or zone {zid!r} has no initial controller")
    if len(missing) > 20:
        problems.add(root / "initial", None, f"... and {len(missing) - 20} more places without an initial controller")
    return InitialState(date or FIRST_DAY, controller, presence, confidence, sources)


def _id_list(path: Path, raw: Any, line: int | None, owner: str, zones: set[str],
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
    bad = [str(f) for f in items if str(f) not in factions or factions[str(f)].kind != "territorial"]
    if not items or bad:
        problems.add(path, line, f"event {eid}: held_by must list territorial factions, not {bad or raw!r}")
        return ()
    return tuple(str(f) for f in items)


def _parse_changes(path: Path, raw: dict[str, Any], eid: str, zones: set[str],
                   factions: dict[str, Faction], problems: Problems) -> tuple[Change, ...]:
    out = []
    items = raw.get("changes") or []
    if not isinstance(items, list):
        problems.add(path, raw["__line__"], f"event {eid}: changes must be a list")
        return ()
    for item in items:
        line = item.get("__line__") if isinstance(item, dict) else raw["__line__"]
        if not isinstance(item, dict):
            problems.add(path, line, f"event {eid}: each change needs to: and places:")
            continue
        raw_to = str(item.get("to", ""))
        if raw_to != NO_CONTROLLER and (raw_to not in factions or factions[raw_to].kind != "territorial"):
            problems.add(path, line, f"event {eid}: unknown territorial faction {raw_to!r}")
            continue
        to = None if raw_to == NO_CONTROLLER else raw_to
        held_by = item.get("held_by")
        if held_by is not None:
            rule = _held_by(path, line, eid, held_by, factions, problems)
            listed = item.get("places", item.get("zones"))
            ids = _id_list(path, listed, line, f"event {eid}", zones, problems) if listed is not None else ()
            if rule:
                out.append(Change(to, ids, rule))
            continue
        ids = _id_list(path, item.get("places", item.get("zones")), line, f"event {eid}", zones, problems)
        if ids:
            out.append(Change(to, ids))
    seen: dict[str, str | None] = {}
    for ch in out:
        for zid in () if ch.held_by else ch.zones:
            if seen.setdefault(zid, ch.to) != ch.to:
                problems.add(path, raw["__line__"],
                             f"event {eid}: {zid} is given two controllers ({seen[zid]}, {ch.to})")
    return tuple(out)


def _parse_presence(path: Path, raw: dict[str, Any], eid: str, zones: set[str],
                    factions: dict[str, Faction], problems: Problems) -> tuple[PresenceChange, ...]:
    out = []
    items = raw.get("presence") or []
    if not isinstance(items, list):
        problems.add(path, raw["__line__"], f"event {eid}: presence must be a list")
        return ()
    for item in items:
        line = item.get("__line__") if isinstance(item, dict) else raw["__line__"]
        if not isinstance(item, dict):
            problems.add(path, line, f"event {eid}: each presence item needs faction, action, places")
            continue
        fid, action = str(item.get("faction", "")), str(item.get("action", ""))
        if fid not in factions or factions[fid].kind != "presence":
            problems.add(path, line, f"event {eid}: unknown presence faction {fid!r}")
            continue
        if action not in ("add", "remove"):
            problems.add(path, line, f"event {eid}: presence action must be add or remove, not {action!r}")
            continue
        ids = _id_list(path, item.get("places", item.get("zones")), line, f"event {eid}", zones, problems)
        if ids:
            out.append(PresenceChange(fid, action == "add", ids))
    return tuple(out)


def _parse_event(path: Path, raw: Any, seq: int, zones: set[str], factions: dict[str, Faction],
                 start: dt.date, end: dt.date, problems: Problems) -> Event | None:
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
    return Event(eid, date, title, str(raw.get("summary", "") or "").strip(),
                 str(location) if location is not None else None, confidence,  # type: ignore[arg-type]
                 sources, changes, presence, str(raw.get("disputed", "") or "").strip(), seq)


def load_events(root: Path, zones: set[str], factions: dict[str, Faction], start: dt.date,
                end: dt.date, problems: Problems) -> list[Event]:
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
            ev = _parse_event(path, raw, seq, zones, factions, start, end, problems)
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
    """Two events on one day that give one zone two different controllers make the day ambiguous."""
    by_day: dict[tuple[dt.date, str], dict[str, str | None]] = defaultdict(dict)
    for ev in events:
        for ch in ev.changes:
            for zid in () if ch.held_by else ch.zones:
                held = by_day[(ev.date, zid)]
                other = next((e for e, f in held.items() if f != ch.to), None)
                if other is not None:
                    first = f"{held[other]} ({other})"
                    message = f"{zid} has two controllers on {ev.date}: {first} and {ch.to} ({ev.id})"
                    problems.add(root / "events", None, message)
                held[ev.id] = ch.to


def read_labels(root: Path) -> dict[str, int]:
    """Place ids to label on the map, with their line in labels.txt."""
    path = root / "labels.txt"
    if not path.exists():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    return {ln.split("#")[0].strip(): i for i, ln in enumerate(lines, 1) if ln.split("#")[0].strip()}


def load_base(root: Path, problems: Problems) -> tuple[BaseGeometry, dict[str, dict]]:
    base: dict[str, dict] = {}
    for path in sorted((root / "base").glob("*.geojson")):
        try:
            base[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            problems.add(path, getattr(exc, "lineno", None), f"malformed JSON: {getattr(exc, 'msg', exc)}")
    if "aoi" not in base:
        problems.add(root / "base" / "aoi.geojson", None, "missing or unreadable: the area of interest")
        return Point(0, 0).buffer(0), base
    try:
        aoi = shape(base["aoi"]["features"][0]["geometry"])
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        problems.add(root / "base" / "aoi.geojson", "#0", f"invalid geometry: {exc}")
        return Point(0, 0).buffer(0), base
    return aoi, base


def data_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".csv", ".yaml", ".geojson", ".txt")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def load_dataset(root: Path | str, today: dt.date | None = None) -> Dataset:
    """Read, validate and assemble the dataset in ``root``; raise DataError listing every problem."""
    root = Path(root).resolve()
    problems = Problems(root)
    if not root.is_dir():
        problems.add(root, None, "not a directory")
        problems.raise_if_any()
    end = today or dt.date.today()
    factions = load_factions(root, problems)
    fmap = {f.id: f for f in factions}
    aoi, base = load_base(root, problems)
    problems.raise_if_any()
    labels = read_labels(root)
    places = load_places(root, aoi, labels, problems)
    known = {p.id for p in places}
    for pid, line in labels.items():
        if pid not in known:
            problems.add(root / "labels.txt", line, f"unknown place {pid!r}")
    explicit = load_explicit_zones(root, problems)
    if not places and not explicit:
        problems.add(root / "places", None, "no places/*.csv rows and no zones/*.geojson: nothing to map")
    clash = {zid for zid, _ in explicit} & {p.id for p in places}
    for zid in sorted(clash):
        problems.add(root / "zones", f"#{zid}", "zone id is also a place id")
    problems.raise_if_any()
    zones: list[Zone] = build_zones(places, explicit, aoi, base.get("rivers"))
    zone_ids = {z.id for z in zones}
    initial = load_initial(root, zone_ids, fmap, problems)
    if initial.date > end:
        problems.add(root / "initial.yaml", None, f"initial date {initial.date} is after today ({end})")
    events = load_events(root, zone_ids, fmap, initial.date, end, problems)
    problems.raise_if_any()
    return Dataset(str(root), tuple(factions), tuple(places), tuple(zones), aoi, initial,
                   tuple(events), end, data_digest(root), base)
