"""Print the largest zones of a dataset and how much ground is open (inferred) ground: for before/after
comparisons of the partition. Usage: python bench/zones_report.py [DATA_DIR ...]"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from layers import load_dataset  # noqa: E402
from layers.engine.geometry import area_km2  # noqa: E402


def main(paths: list[str]) -> int:
    for path in paths or [str(Path(__file__).resolve().parent.parent / "data")]:
        ds = load_dataset(path)
        km2 = sorted(((area_km2(z.geometry), z) for z in ds.zones), key=lambda t: -t[0])
        total = sum(k for k, _ in km2)
        opened = sum(k for k, z in km2 if z.open)
        print(f"{path}: {len(ds.zones)} zones, {total:,.0f} km²; open ground {opened:,.0f} km² "
              f"({opened / total:.1%}) in {sum(1 for _, z in km2 if z.open)} zones")
        for k, z in km2[:10]:
            name = ds.place_by_id[z.place_id].name_en if z.place_id in ds.place_by_id else z.id
            print(f"  {k:8,.0f} km²  {z.kind:13} {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
