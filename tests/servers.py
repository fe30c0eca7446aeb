"""Starting a real server in a subprocess and waiting until it answers: shared by the serving, browser,
Celery and packaging tests (none of which needs a browser for this part)."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 300.0) -> None:
    """Poll ``url`` until it answers 200; fail with the end of the server's log if it exits or never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - loopback only
                if resp.status == 200:
                    return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace")[-2000:]) from None
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s: {log.read_text(errors='replace')[-2000:]}")


def state_table_url(layout: bytes) -> str:
    """Where the page's state table is (the layout's map-data-src store): it is not in the layout itself."""
    import json

    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Store" and node.get("props", {}).get("id") == "map-data-src":
                found.append(node["props"]["data"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(layout))
    return found[0]
