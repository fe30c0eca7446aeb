"""GeoJSON files of a dataset (base layers, zones, areas): read within the limits and checked for shape
at validate time, so a wrong-shaped file is refused with its path instead of crashing the server later."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from shapely.geometry import shape

from ..model.errors import Problems
from . import limits

POLYGONS = ("Polygon", "MultiPolygon")
LINES = ("LineString", "MultiLineString")
# The geometry each known base layer must have (others: any geometry).
BASE_SHAPES = {"aoi": POLYGONS, "countries": POLYGONS, "governorates": POLYGONS, "lakes": POLYGONS,
               "rivers": LINES, "roads": LINES}


def read_geojson(path: Path, problems: Problems) -> Any:
    text = limits.read_text(path, problems)
    if text is None:
        return None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        problems.add(path, exc.lineno, f"malformed JSON: {exc.msg}")
    except ValueError as exc:
        problems.add(path, None, f"malformed JSON: {exc}")
    except RecursionError:
        problems.add(path, None, "malformed JSON: nested too deeply")
    return None


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite(coords: Any) -> bool:
    if isinstance(coords, (int, float)) and not isinstance(coords, bool):
        return math.isfinite(coords)
    return isinstance(coords, list) and all(_finite(c) for c in coords)


def check_feature_collection(path: Path, doc: Any, allowed: tuple[str, ...] | None,
                             problems: Problems) -> bool:
    """A FeatureCollection whose features are Features with a valid, non-empty geometry of an allowed
    type and properties that are an object (or null, made {}). Reports the first few bad features."""
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(
            doc.get("features"), list):
        problems.add(path, None, "must be a GeoJSON FeatureCollection with a features list")
        return False
    if not doc["features"]:
        problems.add(path, None, "has no features")
        return False
    bad = 0
    for i, feat in enumerate(doc["features"]):
        message = _feature_problem(feat, allowed)
        if message:
            bad += 1
            if bad <= 5:
                problems.add(path, f"#{i}", message)
        elif feat.get("properties") is None:
            feat["properties"] = {}
    if bad > 5:
        problems.add(path, None, f"... and {bad - 5} more bad features")
    return bad == 0


def _feature_problem(feat: Any, allowed: tuple[str, ...] | None) -> str | None:
    if not isinstance(feat, dict) or feat.get("type") != "Feature":
        return "not a GeoJSON Feature"
    props = feat.get("properties")
    if props is not None and not isinstance(props, dict):
        return "properties must be an object"
    geom = feat.get("geometry")
    if not isinstance(geom, dict) or not isinstance(geom.get("type"), str):
        return "feature has no geometry"
    if allowed and geom["type"] not in allowed:
        return f"geometry must be {' or '.join(allowed)}, not {geom['type']}"
    if "coordinates" in geom and not _finite(geom["coordinates"]):
        return "coordinates must be lists of finite numbers"
    try:
        parsed = shape(geom)
    except Exception as exc:  # noqa: BLE001 - any malformed geometry is a data problem
        return f"invalid geometry: {str(exc)[:120]}"
    if parsed.is_empty:
        return "geometry is empty"
    return None


def load_base_layers(root: Path, problems: Problems) -> dict[str, dict]:
    """Every base/*.geojson, checked for shape; the ones that pass."""
    base: dict[str, dict] = {}
    for path in sorted((root / "base").glob("*.geojson")):
        doc = read_geojson(path, problems)
        if doc is not None and check_feature_collection(path, doc, BASE_SHAPES.get(path.stem), problems):
            base[path.stem] = doc
    return base
