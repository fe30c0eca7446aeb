"""What an export may be asked for: formats, sizes, frames, steps; each checked with a one-line error."""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from dataclasses import dataclass

from ..model.errors import ExportError, Problem
from ..model.records import Dataset, Place

IMAGE_FORMATS = (".png", ".svg", ".pdf")
DATA_FORMATS = (".geojson", ".gpkg", ".csv")
ANIMATION_FORMATS = (".gif", ".mp4")
SNAPSHOT_FORMATS = IMAGE_FORMATS + DATA_FORMATS
WIDTH_RANGE = (300, 8000)   # pixels
DPI_RANGE = (50, 600)
MAX_FRAMES = 2000
ARABIC_FONT = "Noto Sans Arabic"
LATIN_FONT = "DejaVu Sans"


# ------------------------------------------------------------------ options and checks
@dataclass(frozen=True)
class ImageOptions:
    width_px: int = 1600
    dpi: int = 150
    frame: tuple[float, float, float, float] | None = None  # lon/lat bounding box
    title: str = ""  # empty: the dataset's own title (dataset.yaml)
    lang: str = "en"
    palette: str = "default"
    aspect: float = 0.66  # height / width: 0.66 wide, 1.0 square, 0.5625 for 16:9

    def check(self) -> ImageOptions:
        """The options themselves, or ExportError naming every option out of range."""
        problems = []
        for name, value, (low, high) in (("width", self.width_px, WIDTH_RANGE), ("dpi", self.dpi, DPI_RANGE)):
            try:
                whole_number(value, low, high)
            except ValueError as exc:
                problems.append(f"{name} {value} {exc}")
        if self.lang not in ("en", "ar"):
            problems.append(f"language {self.lang!r} must be en or ar")
        if not (math.isfinite(self.aspect) and 0.4 <= self.aspect <= 1.5):
            problems.append(f"aspect {self.aspect} (height / width) must be from 0.4 to 1.5")
        if len(self.title) > 120:  # empty: the dataset's own title
            problems.append("title must be at most 120 characters")
        if self.palette not in ("default", "cb"):
            problems.append(f"palette {self.palette!r} must be default or cb")
        if self.frame is not None and checked_frame(self.frame) is None:
            problems.append(f"frame {self.frame} must be min_lon,min_lat,max_lon,max_lat with min < max")
        if problems:
            raise ExportError([Problem("", "", message) for message in problems])
        return self


def whole_number(value: object, low: int, high: int) -> int:
    """The one check of a size asked for (width, dpi, frames per second), from the command line, the page or
    code: a whole number (an int, an integral float or its digits as text) from ``low`` to ``high``.
    ValueError says why, to follow the name of what was asked: "must be a whole number from 300 to 8000"."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value)
    if number is None or not low <= number <= high:
        raise ValueError(f"must be a whole number from {low} to {high}")
    return number


def checked_frame(values: object) -> tuple[float, float, float, float] | None:
    """The one check of a map frame (an export's --frame, the box the page shows): four finite numbers
    min_lon, min_lat, max_lon, max_lat with min < max and at most 20 degrees a side; None if it is not one."""
    try:
        x0, y0, x1, y1 = (float(v) for v in values)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return None
    ok = all(map(math.isfinite, (x0, y0, x1, y1))) and x0 < x1 and y0 < y1 and x1 - x0 <= 20 and y1 - y0 <= 20
    return (x0, y0, x1, y1) if ok else None


def parse_frame(text: str, ds: Dataset) -> tuple[float, float, float, float]:
    """A frame given as 'min_lon,min_lat,max_lon,max_lat' or as a place name or id (a 40 km box around it)."""
    parts = text.split(",")
    if len(parts) == 4:
        try:
            x0, y0, x1, y1 = (float(p) for p in parts)
        except ValueError:
            raise ExportError(f"frame {text!r} is not four numbers") from None
        return (x0, y0, x1, y1)
    place = find_place(ds, text)
    if place is None:
        raise ExportError(f"frame {text!r} is neither a bounding box nor a known place")
    half_lat, half_lon = 0.2, 0.2 / math.cos(math.radians(place.lat))
    return (place.lon - half_lon, place.lat - half_lat, place.lon + half_lon, place.lat + half_lat)


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9\u0600-\u06ff]", "", text.lower())


def find_place(ds: Dataset, name: str) -> Place | None:
    """A place by id, English or Arabic name, or another spelling (case and punctuation ignored)."""
    key = _fold(name)
    for p in ds.places:
        if key in {_fold(p.id), _fold(p.name_en), _fold(p.name_ar), *(_fold(o) for o in p.other_names)}:
            return p
    return None


def parse_every(text: str) -> dt.timedelta:
    """'7d', '2w', '1m' (30 days) -> a step between animation frames."""
    m = re.fullmatch(r"(\d{1,4})([dwm])", text.strip())
    if not m or int(m.group(1)) == 0:
        raise ExportError(f"{text!r} must be a number with d, w or m, such as 7d", path="--every")
    return dt.timedelta(days=int(m.group(1)) * {"d": 1, "w": 7, "m": 30}[m.group(2)])




def wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) if text else ""
