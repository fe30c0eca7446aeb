"""The day's data as files: GeoJSON (RFC 7946), CSV of places, GeoPackage."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry

from ..engine.scene import Scenes
from ..io.atomic import atomic_output
from ..io.writers import write_json, write_text
from ..model import credits


def geojson(sc: Scenes, day: dt.date) -> dict[str, Any]:
    """RFC 7946: WGS84 lon/lat, exterior rings counter-clockwise, one feature per faction area."""
    v = sc.view(day)
    features = []
    for f in sc.ds.territorial:
        geom = v.areas.get(f.id)
        if geom is None or geom.is_empty:
            continue
        geom = shapely.orient_polygons(shapely.set_precision(geom, 1e-6), exterior_cw=False)
        features.append({"type": "Feature", "geometry": mapping(geom), "properties": {
            "faction": f.id, "name_en": f.name_en, "name_ar": f.name_ar, "color": f.color,
            "area_km2": round(v.km2.get(f.id, 0.0), 1), "date": day.isoformat()}})
    return {"type": "FeatureCollection", "features": features, "date": day.isoformat(),
            "title": credits.title(sc.ds.meta), "attribution": credits.attribution(sc.ds.meta), "sources": v.sources}

def write_geojson(sc: Scenes, day: dt.date, path: Path) -> None:
    write_json(path, geojson(sc, day))

def place_rows(sc: Scenes, day: dt.date) -> list[dict[str, Any]]:
    v = sc.view(day)
    rows = []
    for p in sc.ds.places:
        cause = v.state.cause.get(p.id)
        sources = sc.ds.sources_of(cause)
        rows.append({"id": p.id, "name_en": p.name_en, "name_ar": p.name_ar, "lon": p.lon, "lat": p.lat,
                     "governorate": p.governorate, "controller": v.state.controller[p.id] or "",
                     "presence": "|".join(sorted(v.state.presence.get(p.id, ()))),
                     "since": v.state.since[p.id].isoformat(), "event_id": cause or "",
                     "sources": " ".join(s.url for s in sources), "coord_quality": p.coord_quality})
    return rows

def write_csv(sc: Scenes, day: dt.date, path: Path) -> None:
    rows = place_rows(sc, day)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["id"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text(path, buf.getvalue())

def write_geopackage(sc: Scenes, day: dt.date, path: Path) -> None:
    """Layers control_areas, presence, front_lines, places (EPSG:4326): opens in QGIS."""
    import geopandas as gpd

    v = sc.view(day)
    factions = {f.id: f for f in sc.ds.factions}
    areas = gpd.GeoDataFrame(
        [{"faction": fid, "name_en": factions[fid].name_en, "name_ar": factions[fid].name_ar,
          "color": factions[fid].color, "area_km2": round(v.km2.get(fid, 0.0), 1), "date": day.isoformat(),
          "geometry": shapely.MultiPolygon([g for g in getattr(geom, "geoms", [geom])
                                            if g.geom_type == "Polygon"])}
         for fid, geom in v.areas.items()], crs="EPSG:4326")
    presence = gpd.GeoDataFrame(
        [{"place": zid, "faction": fid, "date": day.isoformat(), "geometry": Point(sc.centers[zid])}
         for zid, fs in sorted(v.state.presence.items()) for fid in sorted(fs)],
        columns=["place", "faction", "date", "geometry"], geometry="geometry", crs="EPSG:4326")
    lines = gpd.GeoDataFrame(
        [{"faction_a": a, "faction_b": b, "date": day.isoformat(), "geometry": g} for a, b, g in v.lines],
        columns=["faction_a", "faction_b", "date", "geometry"], geometry="geometry", crs="EPSG:4326")
    rows = place_rows(sc, day)
    places = gpd.GeoDataFrame(rows, geometry=[Point(r["lon"], r["lat"]) for r in rows], crs="EPSG:4326")
    with atomic_output(path) as tmp:
        tmp.unlink()  # the GeoPackage driver creates the file itself
        for name, frame in (("control_areas", areas), ("presence", presence), ("front_lines", lines),
                            ("places", places)):
            frame.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio")



def geojson_areas(doc: dict[str, Any]) -> dict[str, BaseGeometry]:
    """Read back an exported GeoJSON: faction -> geometry (used by the tests and by import round-trips)."""
    return {f["properties"]["faction"]: shape(f["geometry"]) for f in doc["features"]}
