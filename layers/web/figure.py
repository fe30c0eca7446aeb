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


# The base layers, bottom to top, as MapLibre layers on the source of that name: (source, type, paint, the
# attribution its source carries). LAND: how many come before our own layers (the land fills).
LAND = 2
_BASE: list[tuple[str, str, dict[str, Any], str | None]] = [
    ("countries", "fill", {"fill-color": "#e4e0d6"}, "Digital Chart of the World (gmt-dcw)"),
    ("syria", "fill", {"fill-color": "#f6f3ec"}, None),
    ("countries", "line", {"line-color": "#4d4d4d", "line-width": 1.6}, None),
    ("districts", "line", {"line-color": "#b3ad9c", "line-width": 0.5, "line-dasharray": [1, 2]},
     "UN OCHA (via Who's On First)"),
    ("admin1", "line", {"line-color": "#8a8577", "line-width": 0.8, "line-dasharray": [3, 2]}, "Natural Earth"),
    ("cities", "circle", {"circle-color": "#222222", "circle-radius": 3}, "GeoNames (CC BY 4.0)"),
    ("governorates", "line", {"line-color": "#8a8577", "line-width": 0.9, "line-dasharray": [3, 2]}, None),
    ("lakes", "fill", {"fill-color": "#9cc3e6"}, "© OpenStreetMap contributors (ODbL)"),
    ("rivers", "line", {"line-color": "#6fa3d8", "line-width": 2.2}, None),
    ("roads", "line", {"line-color": "#b8662e", "line-width": 1.2, "line-opacity": 0.75}, None),
]


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
    the base layers the data has, nothing fetched from the network), the opening view and the first base
    layer our own layers go under ("over": the land fills come before it). What changes with the day is drawn
    by layers of our own (assets/40-zones.js and 42-markers.js). Each base layer's source is source(name):
    the served page gives URLs (MapLibre's worker fetches them itself), else the GeoJSON itself."""
    source = source or base_sources(ds).__getitem__
    have = set(ds.base) | ({"syria"} if "countries" in ds.base else set())
    center, zoom = initial_view(ds)
    sources: dict[str, Any] = {}
    layers: list[dict[str, Any]] = [{"id": "background", "type": "background",
                                     "paint": {"background-color": "#ffffff"}}]
    over = None
    for i, (name, kind, paint, credit) in enumerate(_BASE):
        if name not in have:
            continue
        sources.setdefault(name, {"type": "geojson", "data": source(name)})
        if credit:
            sources[name]["attribution"] = html.escape(credit)
        layers.append({"id": f"base-{i}-{name}", "type": kind, "source": name, "paint": paint})
        if over is None and i >= LAND:
            over = layers[-1]["id"]
    return {"style": {"version": 8, "sources": sources, "layers": layers}, "center": center, "zoom": zoom,
            "over": over}
