"""Base layers for an imported area: the world basemap shipped in world/ (Natural Earth borders and admin-1
lines, GeoNames cities), clipped to the data's extent with a margin, plus this project's Syrian layers
(governorates, rivers, lakes, roads) when the area reaches Syria."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from ...io.bundled import bundled
from ...io.writers import write_features

WORLD = bundled("world")
SYRIAN_LAYERS = ("governorates", "lakes", "rivers", "roads")
MAX_CITIES = 400


def view_box(cover: BaseGeometry) -> BaseGeometry:
    x0, y0, x1, y1 = cover.bounds
    margin = max(0.5, 0.5 * max(x1 - x0, y1 - y0))
    return box(max(-180, x0 - margin), max(-85, y0 - margin), min(180, x1 + margin), min(85, y1 + margin))


def _world(name: str) -> list[dict[str, Any]]:
    path = WORLD / f"{name}.geojson.gz"
    if not path.exists():
        return []
    return list(json.loads(gzip.decompress(path.read_bytes()))["features"])


def _clipped(features: list[dict[str, Any]], frame: BaseGeometry) -> list[dict[str, Any]]:
    geoms = [shape(f["geometry"]) for f in features]
    tree = shapely.STRtree(geoms)
    out = []
    for i in sorted(tree.query(frame).tolist()):  # boxes that meet: testing whole countries costs more
        part = shapely.intersection(geoms[i], frame)
        if not part.is_empty:
            out.append({"type": "Feature", "properties": features[i]["properties"], "geometry": part})
    return out


def _save(path: Path, features: list[dict[str, Any]]) -> None:
    write_features(path, ((f["properties"], f["geometry"]) for f in features))


def write_base(folder: Path, cover: BaseGeometry, template: Path) -> None:
    folder.mkdir()
    write_features(folder / "aoi.geojson", [({"name": "imported coverage"}, cover)])
    frame = view_box(cover)
    countries = _clipped(_world("countries"), frame)
    if countries:
        _save(folder / "countries.geojson", countries)
        _save(folder / "admin1.geojson", _clipped(_world("admin1"), frame))
        cities = [f for f in _world("cities") if frame.contains(shape(f["geometry"]))][:MAX_CITIES]
        _save(folder / "cities.geojson", cities)
    elif (template / "base" / "countries.geojson").exists():
        shutil.copy(template / "base" / "countries.geojson", folder / "countries.geojson")
    syria = template / "base" / "aoi.geojson"
    if syria.exists():
        syria_frame = shape(json.loads(syria.read_text(encoding="utf-8"))["features"][0]["geometry"]).envelope
        if syria_frame.intersects(frame):  # the Syrian layers only where they mean something
            for layer in SYRIAN_LAYERS:
                if (template / "base" / f"{layer}.geojson").exists():
                    shutil.copy(template / "base" / f"{layer}.geojson", folder / f"{layer}.geojson")
