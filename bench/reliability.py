"""Reliability figures: print numbers, assert nothing. Writes nothing outside a temporary folder.

    .venv/bin/python bench/reliability.py [--seconds 20] [--connections 50]

1. kill -9 during `controlmap snapshot`, `animate` and `import`: is the old output intact, and are
   temporary files left (before and after the next run)?
2. gunicorn under load (wrk, the page-load mix): requests lost when a worker is killed, and when the
   master gets SIGHUP (graceful reload of the workers).
3. The broken-data corpus (tests/test_corpus.py): cases tried and refused.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent


def controlmap(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "layers", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def leftovers(folder: Path, name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != name)


def tree(out: Path) -> dict[str, bytes] | bytes | None:
    """The output's bytes: a file's, or every file's in a folder (a dataset)."""
    if out.is_file():
        return out.read_bytes()
    if out.is_dir():
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    return None


def kill_during(label: str, folder: Path, out: Path, args: list[str], wait_s: float, tries: int = 3) -> None:
    """Write ``out`` once, then start the same command again and kill -9 it once its temporary output
    exists (retried up to ``tries`` times if the writer finished or had written nothing yet); then
    compare the old output, count what is left, and run the command once more."""
    good = controlmap(*args)
    good.wait()
    before = tree(out)
    attempt = 0
    while attempt < tries:
        attempt += 1
        proc = controlmap(*args)
        t0 = time.monotonic()  # kill once the writer has a temporary file open (or after wait_s at the latest)
        while time.monotonic() - t0 < wait_s and proc.poll() is None and not leftovers(folder, out.name):
            time.sleep(0.02)
        time.sleep(0.1)
        waited = time.monotonic() - t0
        open_at_kill = leftovers(folder, out.name)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if open_at_kill and not finished:
            break
    intact = tree(out) == before
    left = leftovers(folder, out.name)
    again = controlmap(*args)
    again.wait()
    after = leftovers(folder, out.name)
    what = "with its temporary output present" if open_at_kill and not finished else (
        "after it had finished" if finished else "before it had written anything")
    print(f"kill -9 during {label}, {waited:.1f} s in, {what} (attempt {attempt}): old output intact: "
          f"{'yes' if intact else 'NO'}; temporary files left: {len(left)} {left[:3]}; "
          f"after the next run: {len(after)} {after[:3]}", flush=True)


def kills() -> None:
    from tests.synthetic import MAPPING, write_snapshots

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        snap = base / "snap"
        snap.mkdir()
        kill_during("snapshot (PNG, 4000 px)", snap, snap / "map.png",
                    ["snapshot", "2018-03-25", "--out", str(snap / "map.png"), "--width", "4000"], 120)
        anim = base / "anim"
        anim.mkdir()
        kill_during("animate (GIF, 53 frames)", anim, anim / "lapse.gif",
                    ["animate", "2016-01-01", "2017-01-01", "--every", "7d", "--out", str(anim / "lapse.gif")],
                    300)
        inputs = base / "fronts"
        write_snapshots(inputs, 40, vertices=200)
        imp = base / "imp"
        imp.mkdir()
        kill_during("import (40 daily files)", imp, imp / "ds",
                    ["import", str(inputs), "--out", str(imp / "ds"), "--map", MAPPING,
                     "--source-url", "https://example.org/fronts", "--publisher", "Synthetic"], 120)


def wrk(port: int, seconds: int, connections: int, body: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s",
                             str(ROOT / "bench" / "load.lua"), f"http://127.0.0.1:{port}", "--", "mix", str(body)],
                            stdout=subprocess.PIPE, text=True)


def under_load(seconds: int, connections: int) -> None:
    import psutil

    from bench.callback_body import csv_export_body
    from tests.test_browser import free_port

    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk): load figures skipped")
        return
    port = free_port()
    env = {**os.environ, "CONTROLMAP_WORKERS": "4", "CONTROLMAP_BIND": f"127.0.0.1:{port}"}
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null",
                               "wsgi:server"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        import json

        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump(csv_export_body(f"http://127.0.0.1:{port}"), fh)
        body = Path(fh.name)
        for label, action in (("no fault", None), ("a worker killed (SIGKILL) mid-run", "kill"),
                              ("SIGHUP to the master mid-run (workers reloaded)", "hup")):
            load = wrk(port, seconds, connections, body)
            time.sleep(seconds / 2)
            if action == "kill":
                psutil.Process(server.pid).children()[0].kill()
            elif action == "hup":
                server.send_signal(signal.SIGHUP)
            out, _ = load.communicate()
            lines = [ln for ln in out.splitlines() if ln.startswith(("requests:", "latency", "errors:"))]
            print(f"load mix, {connections} clients, {seconds} s, {label}: " + "; ".join(lines))
            time.sleep(3)
        body.unlink()
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def corpus() -> None:
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_corpus.py",
                          "tests/test_load.py", "-k", "corrupt or semantic or broken"], cwd=ROOT,
                         capture_output=True, text=True)
    print("corpus (tests/test_corpus.py, tests/data/broken):", res.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--skip", nargs="*", default=[], choices=["kills", "load", "corpus"])
    args = ap.parse_args()
    if "kills" not in args.skip:
        kills()
    if "load" not in args.skip:
        under_load(args.seconds, args.connections)
    if "corpus" not in args.skip:
        corpus()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
