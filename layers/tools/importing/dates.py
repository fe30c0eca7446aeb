"""Dates of snapshots: from a file name (YYYYMMDD, YYYY-MM-DD, YYYY_MM_DD, unix seconds or milliseconds) or
from a property value (ISO text, a date, a datetime or a unix timestamp)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import numpy as np

from ...io.readers import parse_date

DATE_IN_TEXT = re.compile(r"(?<!\d)(\d{4})([-_.]?)(\d{2})\2(\d{2})(?!\d)")
UNIX_IN_TEXT = re.compile(r"(?<!\d)(\d{10}|\d{13})(?!\d)")
PLAUSIBLE = (dt.date(1900, 1, 1), dt.date(2200, 1, 1))


def _from_unix(seconds: float) -> dt.date | None:
    try:
        day = dt.datetime.fromtimestamp(seconds, dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        return None
    return day if PLAUSIBLE[0] <= day < PLAUSIBLE[1] else None


def date_in_text(text: str) -> dt.date | None:
    for m in DATE_IN_TEXT.finditer(text):
        day = parse_date(f"{m.group(1)}-{m.group(3)}-{m.group(4)}")
        if day is not None and PLAUSIBLE[0] <= day < PLAUSIBLE[1]:
            return day
    for m in UNIX_IN_TEXT.finditer(text):
        digits = m.group(1)
        day = _from_unix(int(digits) / (1000 if len(digits) == 13 else 1))
        if day is not None:
            return day
    return None


def date_from_name(path: Path) -> dt.date | None:
    return date_in_text(path.name.split(".")[0]) or date_in_text(path.stem)


def date_from_value(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        value = value.astype("datetime64[D]").item()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if value != value:  # NaN
            return None
        number = float(value)
        return _from_unix(number / (1000 if abs(number) >= 1e11 else 1))
    return date_in_text(str(value).strip())
