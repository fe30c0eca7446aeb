"""Import at scale, then the same start-up and slider measurements as bench.py on the imported dataset.
Prints numbers, asserts nothing.

The default input has the shape of a real daily occupied-area series: 769 files of about 80 KB, one
MultiPolygon per day and no properties, imported with ``--label occupied`` (tests/synthetic.py,
write_daily_multipolygons). ``--shape fronts`` gives the older four-faction files with messy labels.

    .venv/bin/python bench/import_bench.py [--days 769] [--shape daily|fronts] [--import-only] [--no-browser]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench import browser, core  # noqa: E402
from layers.tools.importer import ImportSource, collect_inputs, import_snapshots, plan_labels  # noqa: E402
from layers.tools.importing.read import WORKERS  # noqa: E402
from tests.synthetic import MAPPING, write_daily_multipolygons, write_snapshots  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=769)
    ap.add_argument("--shape", choices=("daily", "fronts"), default="daily")
    ap.add_argument("--vertices", type=int, default=1000, help="vertices per front (1000: ~80 KB a daily file)")
    ap.add_argument("--import-only", action="store_true", help="stop after the import")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--input", type=Path, help="reuse (or create) the generated input here")
    ap.add_argument("--keep", type=Path, help="write the imported dataset here and keep it (for bench.py --data)")
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
        t, cpu = time.perf_counter(), time.process_time()

        def progress(message: str, done: int | None = None, total: int | None = None) -> None:
            if total is None or done == total:
                print(f"  {message}{f' {total}' if total else ''} ({time.perf_counter() - t:.1f} s)", flush=True)

        report = import_snapshots(collect_inputs([src]), out, plan, ImportSource("https://example.org/synthetic",
                                  "Synthetic"), ROOT / "data", progress=progress)
        took = time.perf_counter() - t
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = time.process_time() - cpu + children.ru_utime + children.ru_stime
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"import: {took:.1f} s wall, {cpu:.1f} s CPU (all processes), peak memory {peak:.0f} MiB "
              f"(largest reader process {children.ru_maxrss / 1024:.0f} MiB); " + report.lines()[0])
        if not args.import_only:
            core(out)
            if not args.no_browser:
                browser(out, 20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
