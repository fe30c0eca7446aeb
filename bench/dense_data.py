"""A copy of the bundled data with synthetic villages added, to measure the browser at the zone count the
coming gazetteer brings (about 3,300). Run: python bench/dense_data.py OUT_DIR [--zones 3300], then
python bench/bench.py --data OUT_DIR --no-exports.

Each synthetic village takes, in the initial state, the controller of the nearest real place; events leave
them alone, so the map's history is today's, spread over many more zones.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layers import load_dataset  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--zones", type=int, default=3300)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    ds = load_dataset(ROOT / "data")
    if args.out.exists():
        shutil.rmtree(args.out)
    shutil.copytree(ROOT / "data", args.out)
    for manifest in args.out.glob("MANIFEST*"):
        manifest.unlink()
    rng = random.Random(args.seed)
    aoi = ds.aoi
    x0, y0, x1, y1 = aoi.bounds
    real = [(p.lon, p.lat, ds.initial.controller.get(p.id)) for p in ds.places]
    from shapely.geometry import Point

    places, initial = [], []
    while len(places) < args.zones - len(ds.zones):
        lon, lat = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if not aoi.contains(Point(lon, lat)):
            continue
        near = min(real, key=lambda r: math.hypot(r[0] - lon, r[1] - lat))
        if near[2] is None:
            continue
        pid = f"synthetic_{len(places)}"
        places.append([pid, f"Synthetic {len(places)}", "", "", f"{lon:.5f}", f"{lat:.5f}", "aleppo", "", "",
                       "synthetic", "approximate"])
        initial.append([pid, near[2], "", "low", "synthetic village for the benchmark"])
    with (args.out / "places" / "zz-synthetic.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name_en", "name_ar", "other_names", "lon", "lat", "governorate", "district",
                    "population", "coord_source", "coord_quality"])
        w.writerows(places)
    with (args.out / "initial" / "zz-synthetic.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["place", "controller", "presence", "confidence", "note"])
        w.writerows(initial)
    dense = load_dataset(args.out)
    print(f"{args.out}: {len(dense.zones)} zones, {len(dense.events)} events")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
