"""The map's constant part: an offline MapLibre style with the project's own base layers, and the opening view.

The control areas, front lines (assets/40-zones.js), presence markers and towns (assets/42-markers.js) are
MapLibre layers of our own on the same map (assets/38-map.js makes it), restyled through feature-state from
the state table (payload.py): a slider step never reaches the server.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from typing import Any

import shapely

from ..model.records import Dataset

# The map opens on the data's extent, fitted into a map of about this size (px) with MapLibre's 512 px tiles.
FIT_PX = (700, 560)


def base_sources(ds: Dataset) -> dict[str, Any]:
    """The GeoJSON of each base layer by name: the dataset's base layers and Syria's own outline."""
    sources = dict(ds.base)
    if "countries" in sources:
        sources["syria"] = {**sources["countries"], "features": [f for f in sources["countries"]["features"]
                                                                 if f["properties"].get("name") == "Syria"]}
    return sources


def _base_layers(ds: Dataset, source: Callable[[str], Any]) -> list[dict[str, Any]]:
    """The base layers, each with its source as source(name): the GeoJSON itself or the URL it is served at."""
    base = ds.base
    layers: list[dict[str, Any]] = []
    if "countries" in base:
        layers.append({"source": source("countries"), "type": "fill", "color": "#e4e0d6", "below": "traces",
                       "sourceattribution": "Digital Chart of the World (gmt-dcw)"})
        layers.append({"source": source("syria"), "type": "fill", "color": "#f6f3ec", "below": "traces"})
        layers.append({"source": source("countries"), "type": "line", "color": "#4d4d4d",
                       "line": {"width": 1.6}})
    if "districts" in base:
        layers.append({"source": source("districts"), "type": "line", "color": "#b3ad9c",
                       "line": {"width": 0.5, "dash": [1, 2]}, "sourceattribution": "UN OCHA (via Who's On First)"})
    if "admin1" in base:  # world basemap of an imported area: admin-1 lines
        layers.append({"source": source("admin1"), "type": "line", "color": "#8a8577",
                       "line": {"width": 0.8, "dash": [3, 2]}, "sourceattribution": "Natural Earth"})
    if "cities" in base:  # its major cities (labelled by assets/45-labels.js)
        layers.append({"source": source("cities"), "type": "circle", "color": "#222222", "circle": {"radius": 3},
                       "sourceattribution": "GeoNames (CC BY 4.0)"})
    if "governorates" in base:
        layers.append({"source": source("governorates"), "type": "line", "color": "#8a8577",
                       "line": {"width": 0.9, "dash": [3, 2]}})
    if "lakes" in base:
        layers.append({"source": source("lakes"), "type": "fill", "color": "#9cc3e6",
                       "sourceattribution": "© OpenStreetMap contributors (ODbL)"})
    if "rivers" in base:
        layers.append({"source": source("rivers"), "type": "line", "color": "#6fa3d8", "line": {"width": 2.2}})
    if "roads" in base:
        layers.append({"source": source("roads"), "type": "line", "color": "#b8662e", "line": {"width": 1.2},
                       "opacity": 0.75})
    return layers


def initial_view(ds: Dataset) -> tuple[dict[str, float], float]:
    """Centre and zoom that show the whole of the data's zones (Web Mercator)."""
    x0, y0, x1, y1 = shapely.union_all([z.geometry for z in ds.zones]).bounds if ds.zones else ds.aoi.bounds
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        return {"lon": 0.0, "lat": 20.0}, 1.0

    def merc(lat: float) -> float:
        lat = max(-85.0, min(85.0, lat))
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    span_x, span_y = max(x1 - x0, 1e-3), max(merc(y1) - merc(y0), 1e-3)
    zoom = min(math.log2(360 * FIT_PX[0] / (512 * span_x)), math.log2(360 * FIT_PX[1] / (512 * span_y)))
    mid = math.degrees(2 * math.atan(math.exp(math.radians((merc(y0) + merc(y1)) / 2))) - math.pi / 2)
    return {"lon": round((x0 + x1) / 2, 4), "lat": round(mid, 4)}, round(max(1.0, min(zoom, 14.0)), 2)


def build_map_spec(ds: Dataset, source: Callable[[str], Any] | None = None) -> dict[str, Any]:
    """The constant map, as assets/38-map.js hands it to MapLibre: an offline style (a plain background and
    the base layers, nothing fetched from the network), the opening view and the first base layer our own
    layers go under ("over": the land fills come before it). What changes with the day is drawn by layers of
    our own (assets/40-zones.js and 42-markers.js). Each base layer's source is source(name): the served page
    gives URLs (MapLibre's worker fetches them itself), else the GeoJSON itself."""
    source = source or base_sources(ds).__getitem__
    center, zoom = initial_view(ds)
    sources: dict[str, Any] = {}
    layers: list[dict[str, Any]] = [{"id": "background", "type": "background",
                                     "paint": {"background-color": "#ffffff"}}]
    over = None
    for i, spec in enumerate(_base_layers(ds, lambda name: name)):
        name = spec["source"]
        if name not in sources:
            sources[name] = {"type": "geojson", "data": source(name)}
        if spec.get("sourceattribution"):
            sources[name]["attribution"] = html.escape(spec["sourceattribution"])
        layer: dict[str, Any] = {"id": f"base-{i}-{name}", "type": spec["type"], "source": name}
        paint = {f"{spec['type']}-color": spec["color"]}
        if "opacity" in spec:
            paint[f"{spec['type']}-opacity"] = spec["opacity"]
        if spec["type"] == "line":
            paint["line-width"] = spec["line"]["width"]
            if "dash" in spec["line"]:
                paint["line-dasharray"] = spec["line"]["dash"]
        if spec["type"] == "circle":
            paint["circle-radius"] = spec["circle"]["radius"]
        layer["paint"] = paint
        if over is None and spec.get("below") != "traces":
            over = layer["id"]
        layers.append(layer)
    return {"style": {"version": 8, "sources": sources, "layers": layers}, "center": center, "zoom": zoom,
            "over": over, "territorial": len(ds.territorial)}

