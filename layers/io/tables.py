"""Factions, places, hand-drawn zones, labels and base layers: the tables under a dataset directory."""

from __future__ import annotations

import math
from pathlib import Path

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from ..model.errors import Problems
from ..model.records import (
    Faction,
    Place,
)
from . import limits
from .geojson import load_base_layers
from .readers import (
    AOI_TOLERANCE_DEG,
    COLOR_RE,
    COORD_QUALITIES,
    FACTION_COLUMNS,
    ID_RE,
    PLACE_COLUMNS,
    PLACE_OPTIONAL_COLUMNS,
    read_csv,
)


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
        lon = lat = math.nan
    if not (math.isfinite(lon) and math.isfinite(lat)):
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
    rank = row.get("rank") or "4"
    if rank not in ("1", "2", "3", "4"):
        problems.add(path, line, f"place {pid}: rank must be 1, 2, 3 or 4, not {rank!r}")
        return None
    return Place(pid, row["name_en"], row["name_ar"], others, lon, lat, row["governorate"],
                 row["district"], population, row["coord_source"], row["coord_quality"], rank=int(rank))


def load_places(root: Path, aoi: BaseGeometry, labels: dict[str, int], problems: Problems) -> list[Place]:
    places: list[Place] = []
    seen: dict[str, str] = {}
    at: dict[tuple[float, float], str] = {}
    files = sorted((root / "places").glob("*.csv"))
    for path in files:
        for line, row in read_csv(path, PLACE_COLUMNS, problems, PLACE_OPTIONAL_COLUMNS):
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


def read_labels(root: Path, problems: Problems) -> dict[str, int]:
    """Place ids to label on the map, with their line in labels.txt."""
    path = root / "labels.txt"
    if not path.exists():
        return {}
    text = limits.read_text(path, problems)
    lines = text.splitlines() if text else []
    return {ln.split("#")[0].strip(): i for i, ln in enumerate(lines, 1) if ln.split("#")[0].strip()}


def load_base(root: Path, problems: Problems) -> tuple[BaseGeometry, dict[str, dict]]:
    base = load_base_layers(root, problems)
    if "aoi" not in base:
        problems.add(root / "base" / "aoi.geojson", None, "missing or unreadable: the area of interest")
        return Point(0, 0).buffer(0), base
    try:
        aoi = shape(base["aoi"]["features"][0]["geometry"])
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        problems.add(root / "base" / "aoi.geojson", "#0", f"invalid geometry: {exc}")
        return Point(0, 0).buffer(0), base
    return aoi, base
