"""Refresh data/vendor/ from the outside copies in ../shared/data and Debian's gmt-dcw package.

    python scripts/vendor_geodata.py --from ../shared/data [--dcw /usr/share/gmt-dcw/dcw-gmt.nc]

The app, the tests and the build scripts (build_boundaries.py, build_gazetteer.py) read data/vendor/
only, never ../shared. What is kept (see data/vendor/README.md):
  wof-sy/localities.csv        WOF/GeoNames localities inside FRAME, the columns the gazetteer uses, names
                               limited to Latin and Arabic script
  wof-sy/districts.geojson     WOF (Mesoshapes, after UN OCHA) district polygons meeting FRAME, 5 decimals
  wof-sy/governorates.geojson  the same for governorates
  ocha/aleppo-neighbourhoods.geojson  the 109 OCHA neighbourhood polygons of Aleppo city, 6 decimals
  opensyria/aleppo_idlib_subdistricts.csv  the 66 sub-districts (names, P-codes, centroids), unchanged
  syria-outline.geojson        Syria (and the Turkey and Lebanon parts of FRAME) from gmt-dcw's
                               Digital Chart of the World, simplified to ~30 m
Needs h5py for the gmt-dcw netCDF file (a build-time dependency: pip install '.[build]').
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
from pathlib import Path

from shapely.geometry import LinearRing, MultiPolygon, Point, Polygon, box, mapping, shape
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "data" / "vendor"
FRAME = box(34.6, 34.3, 40.2, 37.9)  # the frame of every base layer (as in build_basemap.VIEW)
LOCALITY_FRAME = box(35.5, 35.0, 39.2, 37.2)  # Aleppo + Idlib with a margin of 20-40 km
LOCALITY_COLUMNS = [
    "wof_id", "geonameid", "placetype", "name", "gn_name", "gn_asciiname", "name_ar", "name_ar_variants",
    "name_en", "other_names", "lon", "lat", "feature_code", "population", "is_current", "deprecated",
    "src_geom", "county", "region",
]
DCW_COUNTRIES = {"SY": "Syria", "TR": "Turkey", "LB": "Lebanon"}
OUTLINE_TOLERANCE_DEG = 0.0003  # ~30 m
LATIN_OR_ARABIC = re.compile(r"^[\s\u0000-\u024F\u1E00-\u1EFF\u2018\u2019\u02BB-\u02BF\u0600-\u06FF"
                             r"\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF\u200c-\u200f]+$")


def latin_or_arabic(name: str) -> bool:
    return bool(name.strip()) and bool(LATIN_OR_ARABIC.match(name))


def _round(geom_json: dict, ndigits: int) -> dict:
    def r(c):  # noqa: ANN001, ANN202 - nested coordinate lists
        return [round(c[0], ndigits), round(c[1], ndigits)] if isinstance(c[0], int | float) else [r(x) for x in c]
    return {"type": geom_json["type"], "coordinates": r(geom_json["coordinates"])}


def _write_json(path: Path, doc: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")


def vendor_localities(src: Path) -> None:
    out = VENDOR / "wof-sy" / "localities.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with (src / "wof-sy" / "localities.csv").open(encoding="utf-8") as fh, out.open("w", encoding="utf-8",
                                                                                      newline="") as oh:
        w = csv.DictWriter(oh, LOCALITY_COLUMNS, lineterminator="\n")
        w.writeheader()
        rows = sorted(csv.DictReader(fh), key=lambda r: int(r["wof_id"]))
        for row in rows:
            if not LOCALITY_FRAME.contains(Point(float(row["lon"]), float(row["lat"]))):
                continue
            for col in ("other_names", "name_ar_variants"):
                row[col] = "|".join(x for x in row[col].split("|") if latin_or_arabic(x))
            w.writerow({c: row[c] for c in LOCALITY_COLUMNS})
            n += 1
    print(f"wrote {out.relative_to(ROOT)} ({n} rows)")


def vendor_polygons(src_path: Path, out_path: Path, keep: list[str], ndigits: int = 5) -> None:
    doc = json.loads(src_path.read_text(encoding="utf-8"))
    feats = []
    for f in doc["features"]:
        g = shape(f["geometry"])
        if not g.intersects(FRAME):
            continue
        g = g.intersection(FRAME) if not FRAME.contains(g) else g
        feats.append({"type": "Feature", "properties": {k: f["properties"].get(k) for k in keep},
                      "geometry": _round(mapping(g), ndigits)})
    feats.sort(key=lambda f: str(f["properties"].get(keep[0])))
    _write_json(out_path, {"type": "FeatureCollection", "features": feats})


def _dcw_country(handle, code: str) -> MultiPolygon:  # noqa: ANN001 - an h5py File
    """Read one country from dcw-gmt.nc: uint16 lon/lat scaled by min and scale; 65535 separates rings."""
    import numpy as np

    lon_v, lat_v = handle[f"{code}_lon"], handle[f"{code}_lat"]
    lon_raw, lat_raw = np.asarray(lon_v[:]), np.asarray(lat_v[:])
    lon = float(lon_v.attrs["min"][0]) + lon_raw / float(lon_v.attrs["scale"][0])
    lat = float(lat_v.attrs["min"][0]) + lat_raw / float(lat_v.attrs["scale"][0])
    rings, cur = [], []
    for x, y, rx in zip(lon, lat, lon_raw):
        if rx == 65535:
            if len(cur) >= 4:
                rings.append(cur)
            cur = []
            continue
        cur.append((float(x), float(y)))
    if len(cur) >= 4:
        rings.append(cur)
    # DCW rings are outer boundaries (islands, exclaves) and holes; even-odd: xor of all ring polygons
    polys = [Polygon(LinearRing(r)).buffer(0) for r in rings]
    polys.sort(key=lambda p: -p.area)
    geom = Polygon()
    for p in polys:
        geom = geom.symmetric_difference(p)
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])


def vendor_outline(dcw: Path) -> None:
    import h5py

    feats = []
    with h5py.File(dcw, "r") as handle:
        for code, name in DCW_COUNTRIES.items():
            g = _dcw_country(handle, code).intersection(FRAME).simplify(OUTLINE_TOLERANCE_DEG)
            g = unary_union([p for p in getattr(g, "geoms", [g]) if p.area > 1e-6])  # drop specks < ~0.01 km2
            feats.append({"type": "Feature", "properties": {"name": name, "dcw_code": code},
                          "geometry": _round(mapping(g), 5)})
    _write_json(VENDOR / "syria-outline.geojson", {"type": "FeatureCollection", "features": feats})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--from", dest="src", required=True, type=Path, help="the shared data folder (../shared/data)")
    ap.add_argument("--dcw", type=Path, default=Path("/usr/share/gmt-dcw/dcw-gmt.nc"))
    args = ap.parse_args()
    src: Path = args.src
    vendor_localities(src)
    vendor_polygons(src / "wof-sy" / "districts.geojson", VENDOR / "wof-sy" / "districts.geojson",
                    ["wof_id", "name", "name_ar", "parent", "hasc"])
    vendor_polygons(src / "wof-sy" / "governorates.geojson", VENDOR / "wof-sy" / "governorates.geojson",
                    ["wof_id", "name", "name_ar", "hasc"])
    vendor_polygons(src / "ocha-aleppo-neighbourhoods" / "neighbourhoods.geojson",
                    VENDOR / "ocha" / "aleppo-neighbourhoods.geojson",
                    ["pCode", "nameEnglish", "nameArabic", "areaSquareKm"], ndigits=6)
    (VENDOR / "opensyria").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / "opensyria" / "aleppo_idlib_subdistricts.csv",
                    VENDOR / "opensyria" / "aleppo_idlib_subdistricts.csv")
    vendor_outline(args.dcw)


if __name__ == "__main__":
    main()
