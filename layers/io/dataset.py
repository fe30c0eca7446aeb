"""Read and validate a dataset directory. Every problem is reported as ``path:line: message``.

Layout of a dataset directory (see data/README.md):
    factions.csv, places/*.csv, zones/*.geojson (optional), initial.yaml, initial/*.csv,
    events/*.yaml, labels.txt (optional), base/*.geojson (aoi, borders, rivers, lakes, roads).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

from ..engine.zones import AnchorIndex, build_zones
from ..model.errors import DataError, Problems
from ..model.records import (
    Area,
    Dataset,
    Zone,
)
from . import readers
from .areas import FRAME_AREA_KINDS, check_frames_disjoint, load_areas, load_explicit_zones
from .events import ZoneRefs, load_events
from .initial import load_initial
from .manifest import MANIFEST_NAME, check_manifest, data_files, unsealed_hint
from .meta import load_meta
from .publishers import load_publishers
from .tables import load_base, load_factions, load_places, read_labels


def data_digest(root: Path) -> str:
    """A hash of every data file and the manifest: a new digest means new data to load."""
    h = hashlib.sha256()
    manifest = root / MANIFEST_NAME
    for path in data_files(root) + ([manifest] if manifest.is_file() else []):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def load_dataset(root: Path | str, today: dt.date | None = None, sealed: bool = True) -> Dataset:
    """Read, validate and assemble the dataset in ``root``; raise DataError listing every problem.
    ``sealed``: the folder must match its MANIFEST first (``controlmap seal``); False while editing."""
    root = Path(root).resolve()
    problems = Problems(root)
    if not root.is_dir():
        problems.add(root, None, "not a directory")
        problems.raise_if_any()
    if sealed and not check_manifest(root, problems):
        raise DataError(problems.items, hint=unsealed_hint(root))
    end = today or readers.today()
    meta = load_meta(root, problems)
    factions = load_factions(root, problems)
    fmap = {f.id: f for f in factions}
    aoi, base = load_base(root, problems)
    problems.raise_if_any()
    labels = read_labels(root, problems)
    places = load_places(root, aoi, labels, problems)
    known = {p.id for p in places}
    for pid, line in labels.items():
        if pid not in known:
            problems.add(root / "labels.txt", line, f"unknown place {pid!r}")
    areas = load_areas(root, problems)
    explicit = load_explicit_zones(root, problems)
    frames = explicit + [(a.id, a.geometry, a.kind) for a in areas.values() if a.kind in FRAME_AREA_KINDS]
    check_frames_disjoint(frames, root, problems)
    if not places and not frames:
        problems.add(root / "places", None, "no places/*.csv rows and no zones/*.geojson: nothing to map")
    place_ids = {p.id for p in places}
    for zid, _, kind in frames:
        if zid in place_ids:
            problems.add(root / ("zones" if kind == "drawn" else "areas"), f"#{zid}", "zone id is also a place id")
    problems.raise_if_any()
    districts = [(a.id.removeprefix("district_"), a.geometry) for a in areas.values() if a.kind == "district"]
    zones: list[Zone] = build_zones(places, frames, aoi, base.get("rivers"), districts, meta.zone_cap_km)
    refs = ZoneRefs({z.id for z in zones}, area_resolver(areas, zones))
    groundless = frozenset(z.id for z in zones if z.geometry.is_empty)
    initial = load_initial(root, refs.zones, fmap, problems, refs.area_zones, groundless)
    if initial.date > end:
        problems.add(root / "initial.yaml", None, f"initial date {initial.date} is after today ({end})")
    publishers = load_publishers(root, problems)
    events = load_events(root, refs, fmap, initial.date, end, problems, publishers)
    problems.raise_if_any()
    return Dataset(str(root), tuple(factions), tuple(places), tuple(zones), aoi, initial,
                   tuple(events), end, data_digest(root), base, areas, publishers or {}, meta)


def area_resolver(areas: dict[str, Area], zones: list[Zone]) -> Callable[[str], list[str] | None]:
    """Area id -> the zones whose anchor lies in it (computed once per area), or None for an unknown id."""
    memo: dict[str, list[str]] = {}
    index = AnchorIndex(zones)

    def resolve(aid: str) -> list[str] | None:
        if aid not in areas:
            return None
        if aid not in memo:
            memo[aid] = index.inside(areas[aid].geometry)
        return memo[aid]

    return resolve
