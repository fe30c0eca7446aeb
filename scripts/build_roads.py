"""Draw the M4 and M5 highways schematically through the coordinates of the towns they pass.

No registry has these roads (TECH-NOTES), so they are digitised through gazetteer points: the line is
right at each listed town and straight between them. Run after changing data/places:

    python scripts/build_roads.py
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"

# Towns in the order each road passes them (place ids from data/places).
ROADS = {
    "M5 (Aleppo - Hama)": ["aleppo_ramouseh", "zarbah", "khan_al_subul", "saraqib", "maar_hattat",
                           "maarat_al_numan", "hish", "khan_shaykhun", "morek"],
    "M4 (Saraqib - Latakia)": ["saraqib", "al_nayrab_idlib", "ariha", "mhambal", "urum_al_joz", "bsanqul",
                               "furaykah", "jisr_al_shughur", "badama"],
}


def main() -> None:
    coords: dict[str, list[float]] = {}
    for path in sorted((DATA / "places").glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                coords[row["id"]] = [round(float(row["lon"]), 5), round(float(row["lat"]), 5)]
    features = []
    for name, ids in ROADS.items():
        present = [coords[i] for i in ids if i in coords]
        missing = [i for i in ids if i not in coords]
        if missing:
            print(f"{name}: skipping towns not in the gazetteer: {', '.join(missing)}")
        features.append({"type": "Feature", "properties": {"name": name, "method": "schematic, through towns"},
                         "geometry": {"type": "LineString", "coordinates": present}})
    out = DATA / "base" / "roads.geojson"
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps({"type": "FeatureCollection", "features": features}, indent=1), encoding="utf-8")
    tmp.replace(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
