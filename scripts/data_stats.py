"""Print the figures quoted in data/README.md (sources by publisher, confidence, coordinates) as Markdown."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from layers import load_dataset  # noqa: E402


def main() -> None:
    ds = load_dataset(Path(__file__).resolve().parent.parent / "data")
    conf = Counter(e.confidence for e in ds.events)
    coords = Counter(p.coord_quality for p in ds.places)
    geonames = sum(p.coord_source.startswith("geonames:") for p in ds.places)
    publishers = Counter(s.publisher.split(" (")[0] for e in ds.events for s in e.sources)
    years = Counter(e.date.year for e in ds.events)
    print(f"- {len(ds.places)} places, {len(ds.events)} events, "
          f"{sum(len(e.sources) for e in ds.events)} source citations from {len(publishers)} publishers.")
    print("- Events per year: " + ", ".join(f"{y}: {n}" for y, n in sorted(years.items())) + ".")
    print(f"- Confidence: high {conf['high']}, medium {conf['medium']}, low {conf['low']}.")
    print(f"- Coordinates: {coords['sourced']} sourced ({geonames} from GeoNames, the rest read on a cited page), "
          f"{coords['approximate']} approximate.")
    print(f"- Disputed notes: {sum(bool(e.disputed) for e in ds.events)} events say where reports disagree.")
    print()
    print("| publisher | citations |\n| --- | --- |")
    for name, n in publishers.most_common(30):
        print(f"| {name} | {n} |")
    rest = sum(n for _, n in publishers.most_common()[30:])
    print(f"| {len(publishers) - 30} others | {rest} |")


if __name__ == "__main__":
    main()
