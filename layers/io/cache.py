"""An on-disk cache of start-up products (the browser state table, the base figure), keyed by the hash of
the data directory and the format version. A corrupt or unreadable entry is rebuilt, never trusted."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _code_digest() -> str:
    """A hash of the core's source, so that a code change never serves a stale cached product."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:10]


FORMAT_VERSION = _code_digest()


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
    except OSError:
        pass  # a read-only disk only costs the rebuild next time
    return value
