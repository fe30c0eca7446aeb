"""Import at scale, then the same start-up and slider measurements as bench.py on the imported dataset.
Prints numbers, asserts nothing.

The default input has the shape of a real daily occupied-area series: 769 files of about 80 KB, one
MultiPolygon per day and no properties, imported with ``--label occupied`` (tests/synthetic.py,
write_daily_multipolygons). ``--shape fronts`` gives the older four-faction files with messy labels.

    .venv/bin/python bench/import_bench.py [--days 769] [--shape daily|fronts] [--import-only] [--no-browser]
        [--baseline REV]

``--baseline REV`` also times the importer of git revision REV (581e4fb^: the code issue 13 measured) on
the same files, in the same run on the same machine, and prints both side by side. That old importer
cannot import unlabelled polygons, so it reads a copy of the files that gives each polygon the property
``label: occupied``; otherwise the files are the same. Issue 13's own figures (135 s wall, 57 s CPU, 230 MiB
on the real 769 files, on a machine and load we do not know) are printed too, marked as such: wall time
on this shared machine moves with the other work on it (the load average is printed), CPU time less so.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench import browser, core  # noqa: E402
from layers.tools.importer import ImportSource, collect_inputs, import_snapshots, plan_labels  # noqa: E402
from layers.tools.importing.read import WORKERS  # noqa: E402
from tests.synthetic import MAPPING, write_daily_multipolygons, write_snapshots  # noqa: E402


def _rss_mib() -> float:
    """This process's resident memory now (Linux), in MiB."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return float("nan")


def _peak_mib() -> float:
    """This process's peak resident memory since ``_reset_peak`` (VmHWM), else since it started, in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Sampler(threading.Thread):
    """The resident memory of this process and its reader processes together, every 0.1 s (shared pages
    counted in each process that maps them: an upper bound). Linux /proc; elsewhere nothing."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak, self.stop = 0.0, threading.Event()

    def run(self) -> None:
        page = resource.getpagesize() / 2**20
        while not self.stop.wait(0.1):
            total = 0.0
            try:
                kids = " ".join(p.read_text() for p in Path("/proc/self/task").glob("*/children")).split()
            except OSError:
                kids = []
            for pid in ["self", *kids]:
                try:
                    total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
                except (OSError, IndexError, ValueError):
                    pass
            self.peak = max(self.peak, total)


def _reset_peak() -> None:
    """Start the peak afresh, so that making the input does not count (Linux: clear_refs 5)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


ISSUE = (135.0, 57.0, 230.0)  # issue 13's report on the real 769 files: wall s, CPU s, MiB (not measured here)
BASELINE_RUN = """
import json, resource, sys, time
from pathlib import Path
from layers.tools.importer import ImportSource, collect_inputs, import_snapshots
t = time.perf_counter()
import_snapshots(collect_inputs([Path(sys.argv[1])]), Path(sys.argv[2]), {"occupied": "government"},
                 ImportSource("https://example.org/synthetic", "Synthetic"), Path("data"))
use, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
# VmHWM: this process's own peak (ru_maxrss would carry the parent's over from the fork)
hwm = next(int(x.split()[1]) / 1024 for x in open("/proc/self/status") if x.startswith("VmHWM:"))
print(json.dumps([time.perf_counter() - t, use.ru_utime + use.ru_stime + kids.ru_utime + kids.ru_stime, hwm]))
"""


def baseline(rev: str, src: Path, folder: Path) -> tuple[float, float, float]:
    """Wall s, CPU s and peak MiB of revision ``rev``'s importer on a labelled copy of ``src``."""
    tree, labelled = folder / "baseline", folder / "labelled"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "layers", "data"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    labelled.mkdir()
    for path in sorted(src.glob("*.geojson")):
        (labelled / path.name).write_bytes(path.read_bytes().replace(b'"properties": {}',
                                                                     b'"properties": {"label": "occupied"}'))
    run = subprocess.run([sys.executable, "-c", BASELINE_RUN, str(labelled), str(folder / "baseline-out")],
                         cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(f"--baseline {rev}: the old importer failed: {run.stderr.strip().splitlines()[-1]}")
    wall, cpu, peak = map(float, run.stdout.strip().splitlines()[-1].strip("[]").split(","))
    return wall, cpu, peak


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=769)
    ap.add_argument("--shape", choices=("daily", "fronts"), default="daily")
    ap.add_argument("--vertices", type=int, default=1000, help="vertices per front (1000: ~80 KB a daily file)")
    ap.add_argument("--import-only", action="store_true", help="stop after the import")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--input", type=Path, help="reuse (or create) the generated input here")
    ap.add_argument("--keep", type=Path, help="write the imported dataset here and keep it (for bench.py --data)")
    ap.add_argument("--baseline", metavar="REV", help="also time this git revision's importer on the same files "
                    "(581e4fb^: the code issue 13 measured)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        src, out = args.input or Path(folder) / "in", args.keep or Path(folder) / "dataset"
        t = time.perf_counter()
        if not src.exists():
            if args.shape == "daily":
                write_daily_multipolygons(src, args.days, args.vertices)
            else:
                write_snapshots(src, args.days, args.vertices // 2)
        files = sorted(src.glob("*.geojson"))
        size = sum(p.stat().st_size for p in files)
        print(f"# import benchmark ({args.shape}): {len(files)} files, {size / len(files) / 1024:.0f} KiB each on "
              f"average, {size / 1024 / 1024:.0f} MiB in all (ready in {time.perf_counter() - t:.0f} s); "
              f"{WORKERS} reader processes")
        plan = plan_labels(None, "occupied", None) if args.shape == "daily" else plan_labels(MAPPING, None, None)
        _reset_peak()
        sampler = Sampler()
        sampler.start()
        t, cpu = time.perf_counter(), time.process_time()

        def progress(message: str, done: int | None = None, total: int | None = None) -> None:
            if total is None or done == total:
                print(f"  {message}{f' {total}' if total else ''} ({time.perf_counter() - t:.1f} s, "
                      f"{_rss_mib():.0f} MiB now, peak {_peak_mib():.0f} MiB)", flush=True)

        report = import_snapshots(collect_inputs([src]), out, plan, ImportSource("https://example.org/synthetic",
                                  "Synthetic"), ROOT / "data", progress=progress)
        took = time.perf_counter() - t
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = time.process_time() - cpu + children.ru_utime + children.ru_stime
        peak = _peak_mib()
        sampler.stop.set()
        print(f"import: {took:.1f} s wall, {cpu:.1f} s CPU (all processes), peak memory {peak:.0f} MiB "
              f"(largest reader process {children.ru_maxrss / 1024:.0f} MiB; all processes together at most "
              f"{sampler.peak:.0f} MiB, sampled); " + report.lines()[0])
        print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        rows = [("this code, this run", took, cpu, peak)]
        if args.baseline:
            print(f"# baseline: {args.baseline}'s importer on the same files (labelled copy), this machine, now")
            rows.append((f"{args.baseline}, this run", *baseline(args.baseline, src, Path(folder))))
            print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        rows.append(("issue 13's report (real files; NOT measured here)", *ISSUE))
        print(f"{'':52} {'wall s':>7} {'CPU s':>7} {'peak MiB':>9}")
        for name, w, c, m in rows:
            print(f"{name:52} {w:7.1f} {c:7.1f} {m:9.0f}")
        for name, w, c, _ in rows[1:]:
            print(f"speed-up against {name}: {w / took:.1f}x wall, {c / cpu:.1f}x CPU")
        if not args.import_only:
            core(out)
            if not args.no_browser:
                browser(out, 20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
