"""Import at scale: ~800 daily snapshots of ~80 KB each (synthetic, tests/synthetic.py), then the same
start-up and slider measurements as bench.py on the imported dataset. Prints numbers, asserts nothing.

    .venv/bin/python bench/import_bench.py [--days 800] [--vertices 500] [--no-browser]
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
from layers.tools.importer import ImportSource, collect_inputs, import_snapshots, parse_mapping  # noqa: E402
from tests.synthetic import MAPPING, write_snapshots  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=800)
    ap.add_argument("--vertices", type=int, default=500)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--keep", type=Path, help="write the imported dataset here and keep it (for bench.py --data)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        src, out = Path(folder) / "in", args.keep or Path(folder) / "dataset"
        t = time.perf_counter()
        write_snapshots(src, args.days, args.vertices)
        files = sorted(src.glob("*.geojson"))
        size = sum(p.stat().st_size for p in files)
        print(f"# import benchmark: {len(files)} files, {size / len(files) / 1024:.0f} KiB each on average, "
              f"{size / 1024 / 1024:.0f} MiB in all (generated in {time.perf_counter() - t:.0f} s)")
        t = time.perf_counter()
        report = import_snapshots(collect_inputs([src]), out, parse_mapping(MAPPING),
                                  ImportSource("https://example.org/synthetic", "Synthetic"), ROOT / "data",
                                  progress=lambda m: print(f"  {m} ({time.perf_counter() - t:.0f} s)"))
        took = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"import: {took:.0f} s, peak memory {peak:.0f} MiB; " + report.lines()[0])
        core(out)
        if not args.no_browser:
            browser(out, 20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
