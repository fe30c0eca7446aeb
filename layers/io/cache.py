"""An on-disk cache of start-up products (the browser state table, the base figure), keyed by everything
that changes them (the caller's key: the data's hash, its first and last day, the day it was built) and
the code's version; old entries are pruned. A corrupt or unreadable entry is rebuilt, never trusted."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _code_digest() -> str:
    """A hash of the package's source (the loader, engine and payload all shape the cached products), so
    that a code change never serves a stale cached product."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:10]


FORMAT_VERSION = _code_digest()
KEEP_ENTRIES = 8  # per product: a few datasets and days
MAX_AGE_DAYS = 14


def cache_dir() -> Path:
    base = os.environ.get("CONTROLMAP_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "controlmap")
    return Path(base)


def cached_json(digest: str, name: str, build: Callable[[], Any], directory: Path | None = None) -> Any:
    """The JSON value stored for (digest, name), or ``build()``'s result, stored atomically for next time."""
    folder = directory or cache_dir()
    path = folder / f"{name}-{digest}-v{FORMAT_VERSION}.json.gz"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            entry = json.load(fh)
        if isinstance(entry, dict) and entry.get("digest") == digest and "value" in entry:
            os.utime(path)  # recently used: kept by prune()
            return entry["value"]
    except (OSError, EOFError, ValueError, zlib.error):
        pass  # missing or corrupt: rebuild below
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=5) as fh:
            fh.write(json.dumps({"digest": digest, "value": value}, separators=(",", ":")).encode("utf-8"))
        os.replace(tmp, path)
        prune(folder, name)
    except OSError:
        pass  # a read-only disk only costs the rebuild next time
    return value


def prune(folder: Path, name: str, keep: int = KEEP_ENTRIES, max_age_days: float = MAX_AGE_DAYS) -> None:
    """Drop old entries of ``name``: beyond the ``keep`` most recently used, or unused for
    ``max_age_days``; and temporary files left by a writer that was killed."""
    now = time.time()
    entries = sorted(folder.glob(f"{name}-*.json.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    stale = entries[keep:] + [p for p in entries[:keep] if now - p.stat().st_mtime > max_age_days * 86400]
    stale += [p for p in folder.glob(f"{name}-*.tmp") if now - p.stat().st_mtime > 3600]
    for path in stale:
        with contextlib.suppress(OSError):
            path.unlink()
