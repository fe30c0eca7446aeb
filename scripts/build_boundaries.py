"""Build the border, area of interest, governorates, districts and named areas from data/vendor/ alone.

    python scripts/build_boundaries.py

Reads  data/vendor/syria-outline.geojson (gmt-dcw), data/vendor/wof-sy/{districts,governorates}.geojson
       (Who's On First / Mesoshapes, lines after UN OCHA), data/vendor/ocha/aleppo-neighbourhoods.geojson
       (UN OCHA) and data/base/lakes.geojson (built by build_basemap.py; the lakes are cut out of the AOI).
Writes data/base/{aoi,countries,governorates,districts}.geojson and
       data/areas/{governorates,districts,aleppo-neighbourhoods}.geojson.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import geopandas as gpd
from shapely import make_valid, set_precision
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "data" / "vendor"
BASE = ROOT / "data" / "base"
AREAS = ROOT / "data" / "areas"
METRIC = 32637  # UTM 37N: metres over northern Syria
AOI_GOVERNORATES = ("Aleppo", "Idlib")
AOI_MARGIN_M = 12_000
# Towards Hama the margin is wider, so that the northern Hama front the events name (Mhardeh 16 km,
# Shathah, Halfaya, Taybat al-Imam 14 km, Suqaylabiyah 12 km from Idlib governorate) lies inside.
AOI_MARGIN_HAMA_M = 18_000
AOI_SIMPLIFY_DEG = 0.0005  # ~50 m
DISPLAY_SIMPLIFY_DEG = 0.001  # ~100 m for the base layers
AREA_SIMPLIFY_DEG = 0.0003  # ~30 m for the named areas (they are drawn and referenced by data)

# WOF governorate name -> (slug, Arabic name)
GOVERNORATES = {
    "Aleppo": ("aleppo", "حلب"), "Idlib": ("idlib", "إدلب"), "Hamah": ("hama", "حماة"),
    "Lattakia": ("latakia", "اللاذقية"), "Ar Raqqah": ("raqqa", "الرقة"), "Tartus": ("tartus", "طرطوس"),
    "Homs (Hims)": ("homs", "حمص"), "Hasaka (Al Haksa)": ("hasakah", "الحسكة"),
    "Days Az Zawr": ("deir_ez_zor", "دير الزور"),
}
GOVERNORATE_EN = {"Hamah": "Hama", "Lattakia": "Latakia", "Ar Raqqah": "Raqqa", "Homs (Hims)": "Homs",
                  "Hasaka (Al Haksa)": "Hasakah", "Days Az Zawr": "Deir ez-Zor"}
# WOF/OCHA district name -> (slug used in places.district and area ids, English, Arabic). The slugs keep the
# spellings the gazetteer already used (jabal_saman, harem, maarat_al_numan, safira, mhardeh...).
DISTRICTS = {
    "Jebel Saman": ("jabal_saman", "Jabal Saman", "جبل سمعان"),
    "A'zaz": ("azaz", "Azaz", "أعزاز"),
    "Afrin": ("afrin", "Afrin", "عفرين"),
    "Al Bab": ("al_bab", "Al-Bab", "الباب"),
    "Menbij": ("manbij", "Manbij", "منبج"),
    "Jarablus": ("jarabulus", "Jarabulus", "جرابلس"),
    "Ain Al Arab": ("ain_al_arab", "Ain al-Arab (Kobani)", "عين العرب"),
    "As-Safira": ("safira", "As-Safira", "السفيرة"),
    "Idleb": ("idlib", "Idlib", "إدلب"),
    "Harim": ("harem", "Harem", "حارم"),
    "Ariha": ("ariha", "Ariha", "أريحا"),
    "Jisr-Ash-Shugur": ("jisr_al_shughur", "Jisr al-Shughur", "جسر الشغور"),
    "Al Ma'ra": ("maarat_al_numan", "Maarat al-Numan", "معرة النعمان"),
    "Muhradah": ("mhardeh", "Mhardeh", "محردة"),
    "As-Suqaylabiyah": ("al_suqaylabiyah", "Al-Suqaylabiyah", "السقيلبية"),
    "Hama": ("hama", "Hama", "حماة"),
    "Masyaf": ("masyaf", "Masyaf", "مصياف"),
    "As-Salamiyeh": ("salamiyah", "Salamiyah", "السلمية"),
    "Al-Haffa": ("al_haffah", "Al-Haffah", "الحفة"),
    "Lattakia": ("latakia", "Latakia", "اللاذقية"),
    "Jablah": ("jablah", "Jableh", "جبلة"),
    "Al-Qardaha": ("qardaha", "Qardaha", "القرداحة"),
    "Ath-Thawrah": ("al_thawrah", "Al-Thawrah (Tabqa)", "الثورة"),
    "Tell Abiad": ("tal_abyad", "Tell Abyad", "تل أبيض"),
    "Ar-Raqqa": ("raqqa", "Raqqa", "الرقة"),
}
WOF_NOTE = ("Who's On First district polygon (Mesoshapes, lines after UN OCHA COD-AB), simplified to ~30 m "
            "and clipped to the area of interest by scripts/build_boundaries.py")


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def polygons(g: BaseGeometry) -> BaseGeometry:
    """Only the polygonal part of a geometry (intersections can leave lines and points)."""
    if isinstance(g, Polygon | MultiPolygon):
        return g
    if isinstance(g, GeometryCollection):
        parts = [p for p in g.geoms if isinstance(p, Polygon | MultiPolygon)]
        return unary_union(parts) if parts else Polygon()
    return Polygon()


def read(path: Path) -> list[tuple[dict, BaseGeometry]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [(f["properties"], make_valid(shape(f["geometry"]))) for f in doc["features"]]


def rounded(g: BaseGeometry, ndigits: int = 5) -> dict:
    def r(c):  # noqa: ANN001, ANN202
        return [round(c[0], ndigits), round(c[1], ndigits)] if isinstance(c[0], int | float) else [r(x) for x in c]
    m = mapping(g)
    return {"type": m["type"], "coordinates": r(m["coordinates"])}


def on_grid(g: BaseGeometry, ndigits: int) -> BaseGeometry:
    """Snap to the grid of the written decimals so that the written polygon stays valid."""
    g = set_precision(g, 10.0 ** -ndigits)
    return g if g.is_valid else polygons(make_valid(g))


def write(path: Path, features: list[tuple[dict, BaseGeometry]], ndigits: int = 5) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    features = [(props, on_grid(geom, ndigits)) for props, geom in features]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": rounded(geom, ndigits)} for props, geom in features]}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    tmp.replace(path)
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes, {len(features)} features)")


def km2(g: BaseGeometry) -> float:
    return float(gpd.GeoSeries([g], crs=4326).to_crs(METRIC).area.iloc[0]) / 1e6


def clean(g: BaseGeometry, tol: float) -> BaseGeometry:
    return polygons(make_valid(g.simplify(tol, preserve_topology=True)))


def build() -> dict[str, BaseGeometry]:
    outline = {p["name"]: g for p, g in read(VENDOR / "syria-outline.geojson")}
    govs = read(VENDOR / "wof-sy" / "governorates.geojson")
    dists = read(VENDOR / "wof-sy" / "districts.geojson")
    lakes = unary_union([g for _, g in read(BASE / "lakes.geojson")])
    core = unary_union([g for p, g in govs if p["name"] in AOI_GOVERNORATES])

    # Syria: the gmt-dcw outline (Digital Chart of the World: far better than Natural Earth on the Turkish
    # border, Kobani inside), plus Aleppo and Idlib as OCHA draws them. DCW's line runs up to ~2 km inside
    # OCHA's along the Orontes and the Afrin/Kilis border: 43 of 3,046 Aleppo+Idlib localities (Hammam near
    # Jindires, Qushlah, Azaz's border villages) would fall outside it. Turkey loses that sliver.
    syria = polygons(make_valid(outline["Syria"].union(core)))
    syria = max(getattr(syria, "geoms", [syria]), key=lambda p: p.area) if isinstance(syria, MultiPolygon) else syria
    outline = {**outline, "Syria": syria, "Turkey": polygons(outline["Turkey"].difference(syria)),
               "Lebanon": polygons(outline["Lebanon"].difference(syria))}
    write(BASE / "countries.geojson", [({"name": n}, clean(g, AREA_SIMPLIFY_DEG)) for n, g in sorted(outline.items())])

    # Area of interest: Aleppo + Idlib, buffered 12 km (metric) into the neighbours, clipped to Syria, lakes out.
    hama = next(g for p, g in govs if p["name"] == "Hamah")
    metric = gpd.GeoSeries([core, hama], crs=4326).to_crs(METRIC)
    wide = metric.iloc[0].buffer(AOI_MARGIN_HAMA_M).intersection(metric.iloc[1])
    buffered = gpd.GeoSeries([metric.iloc[0].buffer(AOI_MARGIN_M).union(wide)], crs=METRIC).to_crs(4326).iloc[0]
    aoi = polygons(buffered.intersection(syria).difference(lakes))
    aoi = clean(aoi, AOI_SIMPLIFY_DEG)
    aoi = max(getattr(aoi, "geoms", [aoi]), key=lambda p: p.area) if isinstance(aoi, MultiPolygon) else aoi
    write(BASE / "aoi.geojson", [({"name": "area of interest"}, aoi)])

    # Base layers for display (~100 m), clipped to Syria.
    gov_rows, gov_areas = [], []
    for p, g in sorted(govs, key=lambda x: x[0]["name"]):
        if p["name"] not in GOVERNORATES:
            continue
        gslug, name_ar = GOVERNORATES[p["name"]]
        name_en = GOVERNORATE_EN.get(p["name"], p["name"])
        inside = polygons(g.intersection(syria))
        gov_rows.append(({"id": gslug, "name_en": name_en, "name_ar": name_ar, "hasc": p["hasc"]},
                         clean(inside, DISPLAY_SIMPLIFY_DEG)))
        part = clean(polygons(inside.intersection(aoi)), AREA_SIMPLIFY_DEG)
        if part.area > 0:
            gov_areas.append(({"id": f"governorate_{gslug}", "name_en": name_en, "name_ar": name_ar,
                               "kind": "governorate", "hasc": p["hasc"],
                               "note": WOF_NOTE.replace("district", "governorate")}, part))
    write(BASE / "governorates.geojson", gov_rows, 4)

    dist_rows, dist_areas = [], []
    for p, g in sorted(dists, key=lambda x: x[0]["hasc"]):
        if p["name"] not in DISTRICTS:
            continue
        dslug, name_en, name_ar = DISTRICTS[p["name"]]
        gslug = GOVERNORATES[p["parent"]][0]
        inside = polygons(g.intersection(syria))
        props = {"id": dslug, "name_en": name_en, "name_ar": name_ar, "governorate": gslug, "hasc": p["hasc"]}
        dist_rows.append((props, clean(inside, DISPLAY_SIMPLIFY_DEG)))
        part = clean(polygons(inside.intersection(aoi)), AREA_SIMPLIFY_DEG)
        if km2(part) > 1:
            dist_areas.append(({"id": f"district_{dslug}", "name_en": name_en, "name_ar": name_ar,
                                "kind": "district", "governorate": gslug, "hasc": p["hasc"],
                                "ocha_name": p["name"], "note": WOF_NOTE}, part))
    write(BASE / "districts.geojson", dist_rows, 4)
    write(AREAS / "governorates.geojson", sorted(gov_areas, key=lambda x: x[0]["id"]))
    write(AREAS / "districts.geojson", sorted(dist_areas, key=lambda x: x[0]["id"]))

    nb = build_neighbourhoods(aoi)
    return {"aoi": aoi, "syria": syria, "neighbourhoods": nb}


def build_neighbourhoods(aoi: BaseGeometry) -> BaseGeometry:
    feats = read(VENDOR / "ocha" / "aleppo-neighbourhoods.geojson")
    feats.sort(key=lambda x: x[0]["pCode"])
    taken = Polygon()
    out = []
    used: dict[str, int] = {}
    overlap_km2 = 0.0
    for p, g in feats:  # in P-code order: a later polygon loses what an earlier one already covers
        g = polygons(make_valid(g)).intersection(aoi)
        clipped = polygons(g.difference(taken))
        overlap_km2 += km2(g) - km2(clipped)
        taken = taken.union(clipped)
        base = "nbhd_" + slug(p["nameEnglish"])
        used[base] = used.get(base, 0) + 1
        out.append((base, p, clipped))
    rows = []
    for base, p, g in out:
        nid = base if used[base] == 1 else f"{base}_{p['pCode'].lower()}"
        rows.append(({"id": nid, "name_en": p["nameEnglish"].strip(), "name_ar": p["nameArabic"].strip(),
                      "pcode": p["pCode"], "kind": "neighbourhood", "area_km2": round(km2(g), 4),
                      "note": "UN OCHA Aleppo city neighbourhoods (COD, CC BY 3.0 IGO); made valid, overlaps with a "
                              "neighbourhood of lower P-code cut away, clipped to the area of interest"},
                     polygons(make_valid(g))))
    rows.sort(key=lambda x: x[0]["id"])
    write(AREAS / "aleppo-neighbourhoods.geojson", rows, 6)
    total = sum(r[0]["area_km2"] for r in rows)
    print(f"neighbourhoods: {len(rows)}, total {total:.1f} km2, overlaps cut away {overlap_km2:.3f} km2, "
          f"duplicate names disambiguated: {sorted(b for b, n in used.items() if n > 1)}")
    return unary_union([g for _, g in rows])


if __name__ == "__main__":
    build()
