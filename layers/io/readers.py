"""The file formats of a dataset: constants, YAML with line numbers, CSV rows, dates."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ..model.errors import Problems
from ..model.records import Faction
from . import limits

FACTION_COLUMNS = ["id", "kind", "name_en", "name_ar", "color", "color_cb", "description"]
PLACE_COLUMNS = [
    "id", "name_en", "name_ar", "other_names", "lon", "lat", "governorate", "district",
    "population", "coord_source", "coord_quality",
]
PLACE_OPTIONAL_COLUMNS = ["rank"]  # label priority, 1 (cities) .. 4 (villages)
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


class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same on libyaml's C parser (~10x faster) where it is installed. A file it refuses is parsed again
    by the pure-Python loader, so that the error message does not depend on the installation."""


for _loader in (_LineLoader, _FastLineLoader):
    _loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, problems: Problems) -> Any:
    """The document, or None after a problem (see limits: size, text, alias expansion, field length). Parsed
    with libyaml where installed; a file it refuses is parsed again by the pure loader for the message."""
    text = limits.read_text(path, problems)
    if text is None:
        return None
    trial = Problems(problems.root)
    doc = limits.load_yaml(text, path, _FastLineLoader, trial)
    return doc if not trial.items else limits.load_yaml(text, path, _LineLoader, problems)


def read_csv(path: Path, columns: list[str], problems: Problems,
             optional: list[str] | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each well-formed row; report malformed ones. ``optional`` columns may
    follow the required ones (in that order); rows of files without them read them as empty."""
    text = limits.read_text(path, problems)
    if text is None:
        return
    reader = csv.reader(text.splitlines())
    try:
        header = next(reader, None)
        if header is None:
            problems.add(path, 1, "empty file: expected a header row")
            return
        header = [h.strip() for h in header]
        extra = header[len(columns):]
        if header[:len(columns)] != columns or extra != (optional or [])[:len(extra)]:
            after = f" (optional after it: {','.join(optional)})" if optional else ""
            problems.add(path, 1, f"header must be {','.join(columns)}{after}")
            return
        fill = dict.fromkeys((optional or [])[len(extra):], "")
        columns = header
        for row in reader:
            line = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(columns):
                problems.add(path, line, f"expected {len(columns)} fields, found {len(row)}")
                continue
            if not limits.check_csv_fields(path, line, row, problems):
                continue
            yield line, {**{k: v.strip() for k, v in zip(columns, row)}, **fill}
    except csv.Error as exc:
        problems.add(path, reader.line_num, f"malformed CSV: {exc}")


def today() -> dt.date:
    """Today, or the day CONTROLMAP_TODAY (YYYY-MM-DD) names: tests and reproducible runs set it."""
    fixed = parse_date(os.environ.get("CONTROLMAP_TODAY", ""))
    return fixed or dt.date.today()


HTTP_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


def is_http_url(text: str) -> bool:
    """The one URL rule for sources, import citations and links: http(s), a dotted host, no spaces."""
    return bool(HTTP_URL.match(text))


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None



# ---------------------------------------------------------------- faction references
def is_faction(fid: str, factions: dict[str, Faction], kind: str) -> bool:
    """Whether ``fid`` names a faction of this kind (territorial or presence)."""
    return fid in factions and factions[fid].kind == kind


def controller(fid: str, factions: dict[str, Faction]) -> tuple[bool, str | None]:
    """(valid, controller) of a controller as data writes it: a territorial faction, or ``none`` (no data,
    None). The one reading of a controller in the initial state and in changes."""
    if fid == NO_CONTROLLER:
        return True, None
    return is_faction(fid, factions, "territorial"), fid
