"""Draw a named area around places the sources name, and add it to a data/areas file.

The area is the hull of the named places' points (concave where the points allow), grown by a margin so that
it takes in the ground around them, and clipped to the area of interest; with --within it is also cut to
another area (a district, say). The note records the places and the source, so a reviewer can redraw it.

Usage:
  python scripts/area_from_places.py ID --places a,b,c [--margin-km 2] [--within district_afrin]
      --note "the villages Reuters names on 20 Mar 2018" [--name "..."] [--file data/areas/drawn.geojson]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import shapely
from shapely.geometry import MultiPoint, mapping, shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layers.io.areas import polygon_features  # noqa: E402
from layers.io.readers import ID_RE  # noqa: E402
from layers.io.tables import load_base, load_places  # noqa: E402
from layers.model.errors import Problems  # noqa: E402

KM_PER_DEG = 110.9


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("id")
    ap.add_argument("--places", required=True, help="comma-separated place ids")
    ap.add_argument("--margin-km", type=float, default=2.0)
    ap.add_argument("--within", help="an area id to cut the result to")
    ap.add_argument("--note", required=True)
    ap.add_argument("--name", default="")
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--file", type=Path, help="areas file to add to (default DATA/areas/drawn.geojson)")
    args = ap.parse_args(argv)
    if not ID_RE.match(args.id):
        ap.error(f"area id {args.id!r}: lowercase letters, digits, _ and -")
    problems = Problems(args.data.resolve())
    aoi, _ = load_base(args.data.resolve(), problems)
    places = {p.id: p for p in load_places(args.data.resolve(), aoi, {}, problems)}
    wanted = [x.strip() for x in args.places.split(",") if x.strip()]
    unknown = [x for x in wanted if x not in places]
    if unknown:
        ap.error(f"unknown place ids: {', '.join(unknown)}")
    lat = sum(places[x].lat for x in wanted) / len(wanted)
    shrink = math.cos(math.radians(lat))  # work where a degree of longitude and of latitude are equally long
    pts = MultiPoint([(places[x].lon * shrink, places[x].lat) for x in wanted])
    hull = shapely.concave_hull(pts, ratio=0.5) if len(wanted) >= 4 else pts.convex_hull
    grown = shapely.affinity.scale(hull.buffer(args.margin_km / KM_PER_DEG, quad_segs=8), 1 / shrink, 1.0,
                                   origin=(0, 0))
    area = grown.intersection(aoi)
    if args.within:
        others = {fid: geom for path in sorted((args.data / "areas").glob("*.geojson"))
                  for fid, _, geom in polygon_features(path, problems)}
        if args.within not in others:
            ap.error(f"unknown area {args.within!r}")
        area = area.intersection(others[args.within])
    area = shapely.set_precision(shapely.make_valid(area), 1e-5)
    if area.is_empty or area.geom_type not in ("Polygon", "MultiPolygon"):
        ap.error("the area is empty or not a polygon")
    path = args.file or args.data / "areas" / "drawn.geojson"
    doc = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"type": "FeatureCollection",
                                                                               "features": []}
    doc["features"] = [f for f in doc["features"] if f["properties"].get("id") != args.id]
    doc["features"].append({"type": "Feature", "geometry": mapping(area), "properties": {
        "id": args.id, "kind": "drawn", "name_en": args.name or args.id, "name_ar": "",
        "note": f"{args.note} Drawn by scripts/area_from_places.py around {', '.join(wanted)} "
                f"(margin {args.margin_km:g} km{', within ' + args.within if args.within else ''})."}})
    doc["features"].sort(key=lambda f: f["properties"]["id"])
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).replace('},{"type"', '},\n{"type"')
                   + "\n", encoding="utf-8")
    tmp.replace(path)
    print(f"{args.id}: {shape(mapping(area)).area * KM_PER_DEG**2 * math.cos(math.radians(lat)):.0f} km² -> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
