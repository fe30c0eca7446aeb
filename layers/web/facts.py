"""What the page says about the data itself: the as-of date, the counts, and the citation line."""

from __future__ import annotations

import datetime as dt

from ..model.records import Dataset

TITLE = "Northern Syria control map"


def as_of(ds: Dataset) -> dt.date:
    """The last day the data speaks for (dataset.yaml's as_of, else the last event's day)."""
    return ds.as_of


def source_count(ds: Dataset) -> int:
    """Distinct cited pages (URLs) behind the events and the initial state."""
    urls = {s.url for e in ds.events for s in e.sources} | {s.url for s in ds.initial.sources}
    return len(urls)


def citation(ds: Dataset, permalink: str = "<permalink>") -> str:
    return (f"{TITLE}, data as of {as_of(ds).isoformat()} (version {ds.digest}), {permalink}")
