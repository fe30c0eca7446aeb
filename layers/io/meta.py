"""dataset.yaml: what a dataset says about itself (title, area, attribution, as-of date, zone cap).

Every key is optional; a dataset without the file gets the defaults below. The bundled data/ and every
imported dataset carry one, so pages and exports can name the area, credit the data and say how recent it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.errors import Problems
from .readers import parse_date, read_yaml

TEXT_KEYS = ("title", "subtitle", "area", "attribution", "source_url")
MAX_TEXT = 500


@dataclass(frozen=True)
class DatasetMeta:
    title: str = "Control map"
    subtitle: str = ""
    area: str = ""
    attribution: str = ""
    source_url: str = ""
    as_of: dt.date | None = None  # the last day the data speaks for; None: the last event's day
    zone_cap_km: float | None = None  # how far a place's zone reaches; None: uncapped Voronoi cells


def load_meta(root: Path, problems: Problems) -> DatasetMeta:
    path = root / "dataset.yaml"
    if not path.exists():
        return DatasetMeta()
    raw = read_yaml(path, problems)
    if raw is None:
        return DatasetMeta()
    if not isinstance(raw, dict):
        problems.add(path, 1, "must be a mapping (title, subtitle, area, attribution, source_url, as_of, zone_cap_km)")
        return DatasetMeta()
    line = raw.get("__line__")
    values: dict[str, Any] = {}
    for key in TEXT_KEYS:
        if key in raw:
            text = str(raw[key] if raw[key] is not None else "").strip()
            if len(text) > MAX_TEXT:
                problems.add(path, line, f"{key} is longer than {MAX_TEXT} characters")
                continue
            values[key] = text
    if "as_of" in raw:
        as_of = parse_date(raw["as_of"])
        if as_of is None:
            problems.add(path, line, f"as_of {raw['as_of']!r} is not a real YYYY-MM-DD date")
        values["as_of"] = as_of
    if raw.get("zone_cap_km") not in (None, "none"):
        try:
            cap = float(raw["zone_cap_km"])
        except (TypeError, ValueError):
            cap = -1.0
        if not 0.5 <= cap <= 100:
            problems.add(path, line, f"zone_cap_km must be a number of km from 0.5 to 100 or none, "
                                     f"not {raw['zone_cap_km']!r}")
        else:
            values["zone_cap_km"] = cap
    unknown = sorted(k for k in raw if k != "__line__" and k not in (*TEXT_KEYS, "as_of", "zone_cap_km"))
    if unknown:
        problems.add(path, line, f"unknown key {unknown[0]!r}")
    return DatasetMeta(**values)
