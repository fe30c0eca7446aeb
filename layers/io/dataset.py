"""Read and validate a dataset directory. Every problem is reported as ``path:line: message``.

Layout of a dataset directory (see data/README.md):
    factions.csv, places/*.csv, zones/*.geojson (optional), initial.yaml, initial/*.csv,
    events/*.yaml, labels.txt (optional), base/*.geojson (aoi, borders, rivers, lakes, roads).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from ..engine.zones import build_zones
from ..model.errors import Problems
from ..model.records import (
    Dataset,
    Zone,
)
from .events import load_events
from .initial import load_initial
from .tables import load_base, load_explicit_zones, load_factions, load_places, read_labels


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
