"""Sources cited by events and by the initial state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.errors import Problems
from ..model.records import (
    Source,
)
from .readers import ENCYCLOPEDIAS, is_http_url, parse_date

MAX_EVIDENCE = 600  # a short paraphrase, never a copied paragraph


def _parse_source(path: Path, raw: Any, owner: str, problems: Problems) -> Source | None:
    line = raw.get("__line__") if isinstance(raw, dict) else None
    if not isinstance(raw, dict):
        problems.add(path, line, f"{owner}: each source must be a mapping with url, publisher, published")
        return None
    url, publisher = str(raw.get("url", "")).strip(), str(raw.get("publisher", "")).strip()
    if not is_http_url(url):
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
    read = raw.get("read", "")
    read = {True: "yes", False: "no", None: ""}.get(read, read) if isinstance(read, (bool, type(None))) else read
    evidence = str(raw.get("evidence", "") or "").strip()
    if len(evidence) > MAX_EVIDENCE:
        problems.add(path, line, f"{owner}: evidence for {url} is longer than {MAX_EVIDENCE} characters")
    return Source(url, publisher, published, str(raw.get("title", "") or "").strip(), str(read).strip(),
                  evidence, str(raw.get("via", "") or "").strip(), line)


def _parse_sources(path: Path, raw: Any, owner: str, line: int | None, problems: Problems) -> tuple[Source, ...]:
    if not isinstance(raw, list) or not raw:
        problems.add(path, line, f"{owner}: needs at least one source")
        return ()
    sources = [_parse_source(path, s, owner, problems) for s in raw]
    return tuple(s for s in sources if s is not None)

