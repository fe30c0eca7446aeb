"""Build the gazetteer data/places/*.csv from data/vendor/ and the hand-placed places.

    python scripts/build_gazetteer.py            # rebuild and print the checks
    python scripts/build_gazetteer.py --check    # only print the checks of the current output

Inputs (nothing outside data/):
  data/gazetteer/hand-places.csv   places added by hand (ids, names, coordinates, citations): the 447 places of
                                   the first rounds. Add hand places here, not in data/places/.
  data/vendor/wof-sy/localities.csv  Who's On First / GeoNames localities (see data/vendor/README.md)
  data/vendor/opensyria/aleppo_idlib_subdistricts.csv  sub-district seats (rank 3)
  data/base/aoi.geojson, data/base/districts.geojson, data/areas/aleppo-neighbourhoods.geojson
                                   (built by build_boundaries.py), data/labels.txt
Outputs: data/places/{aleppo,idlib,margins,hand-added}.csv, sorted by id.

Method (data/README.md, "The gazetteer"):
 1. Localities: WOF placetype locality (and neighbourhood), not deprecated, not PPLQ (abandoned); those of
    Aleppo and Idlib plus those of the margins that fall inside the area of interest. Records of one
    GeoNames id are merged, then records of the same normalised name within 1 km.
 2. Localities inside Aleppo city's OCHA neighbourhood polygons are left out: the polygons stand for the city.
 3. Each hand place is matched to a locality (same GeoNames id; or the same normalised Arabic name, or the
    same folded Latin spelling, within 15 km). A matched approximate place takes the locality's point
    (coord_quality sourced); a matched sourced place keeps its point unless the two are > 2 km apart. The
    locality's names go into other_names and the locality is not emitted again. Facilities (airbases, dams,
    camps, crossings...) are never matched to villages. Old Aleppo-city places (aleppo_*) move to the
    representative point of the OCHA neighbourhood of the same name (coord_source ocha:<pcode>).
 4. governorate and district come from the district polygon containing the point.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import statistics
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
VENDOR = DATA / "vendor"
PLACES = DATA / "places"
HAND = DATA / "gazetteer" / "hand-places.csv"
COLUMNS = ["id", "name_en", "name_ar", "other_names", "lon", "lat", "governorate", "district", "population",
           "coord_source", "coord_quality", "rank"]
CORE_REGIONS = ("Aleppo", "Idlib")
MATCH_KM = 15.0
SKELETON_MATCH_KM = 5.0  # a consonant skeleton of 4+ letters; 3 letters within SHORT_SKELETON_KM
SHORT_SKELETON_KM = 3.0
UNIQUE_MATCH_KM = 25.0  # a name that only one locality of the whole set carries may match this far away
SOURCED_MOVE_KM = 2.0
DUPLICATE_KM = 1.0
MAX_OTHER_NAMES = 12
MIN_POPULATION = 100  # WOF carries 2 as a placeholder on some Manbij villages: not a population
# Places that stand for a facility, not a village: never matched to a locality of the same name.
FACILITY = re.compile(r"airbase|airport|_dam$|university|citadel|old_city|artillery|apartments|castello|camp"
                      r"|crossing|power_plant|qalaat_samaan|tal_al_eis|tal_hadiya|mastumah|wadi_al_deif|farms"
                      r"|association|bab_al_salameh|bab_al_hawa|handarat_camp")
# GeoNames points known to be wrong: the hand place keeps its coordinates, with this reason.
KNOWN_WRONG = {
    "167596": "GeoNames puts Ma'arrin/Menagh (geonames:167596) 11 km north of the village and its airbase",
}
# Reference points (from general knowledge, ~1 km) of famous places, to check the result: id -> (lon, lat).
FAMOUS = {
    "menagh_airbase": (37.041, 36.521), "kuweires_airbase": (37.583, 36.187), "abu_al_duhur_airbase": (37.104, 35.732),
    "taftanaz_airbase": (36.783, 35.972), "jirah_airbase": (37.937, 36.097), "nairab_airbase": (37.213, 36.185),
    "tishreen_dam": (38.183, 36.381), "kobani": (38.354, 36.891), "jarabulus": (38.011, 36.817),
    "manbij": (37.955, 36.528), "al_bab": (37.518, 36.370), "azaz": (37.046, 36.586), "afrin": (36.869, 36.512),
    "idlib": (36.634, 35.930), "saraqib": (36.806, 35.864), "maarat_al_numan": (36.677, 35.648),
    "khan_shaykhun": (36.651, 35.442), "jisr_al_shughur": (36.321, 35.814), "tal_rifaat": (37.097, 36.473),
    "dabiq": (37.272, 36.537), "maskanah": (38.036, 35.962), "deir_hafer": (37.708, 36.157),
    "khanasser": (37.500, 35.783), "safira": (37.372, 36.077), "sarmada": (36.722, 36.177),
    "atmeh": (36.687, 36.310), "harem": (36.519, 36.208), "darat_izza": (36.852, 36.280), "ariha": (36.608, 35.813),
    "menagh": (37.050, 36.522), "aleppo": (37.162, 36.200),
}
GOVERNORATE_SEATS = {"aleppo", "idlib"}
# Old Aleppo-city places whose OCHA neighbourhood goes by another name.
NEIGHBOURHOOD_ALIASES = {"aleppo_hellok": "N0126", "aleppo_aqyul": "N0155", "aleppo_mashhad": "N0218",
                         "aleppo_ramouseh": "N0226"}
# District seats that WOF does not mark PPLA2 (ids after matching): rank 2.
DISTRICT_SEATS = {"azaz", "afrin", "al_bab", "manbij", "jarabulus", "kobani", "safira", "jisr_al_shughur",
                  "harem", "ariha", "maarat_al_numan", "mhardeh", "al_suqaylabiyah"}
ARTICLES = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "es", "et", "ez", "er", "en", "ul", "l",
            "adh", "ath", "aj", "ak"}
TOKEN_FOLD = {
    "tall": "tal", "tell": "tal", "tel": "tal", "til": "tal", "kfar": "kafr", "kafar": "kafr", "kefr": "kafr",
    "kfr": "kafr", "kefer": "kafr", "deir": "dayr", "dair": "dayr", "der": "dayr", "dier": "dayr", "ain": "ayn",
    "ein": "ayn", "aain": "ayn", "jebel": "jabal", "jabl": "jabal", "khirbet": "khirbat", "khirbeh": "khirbat",
    "kherbet": "khirbat", "khirbit": "khirbat", "khurbat": "khirbat", "um": "umm", "om": "umm", "oum": "umm",
    "abou": "abu", "sheikh": "shaykh", "shaikh": "shaykh", "sheik": "shaykh", "shekh": "shaykh", "shikh": "shaykh",
    "qalaat": "qalat", "qala": "qalat", "borj": "burj", "mazraat": "mazraa", "maarrat": "maarat",
    "maaret": "maarat", "marat": "maarat", "maarret": "maarat", "kabir": "kabira", "kabirah": "kabira",
    "saghir": "saghira", "saghirah": "saghira",
}
ARABIC_DIACRITICS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")
LATIN = re.compile(r"^[\s\u0000-\u024F\u1E00-\u1EFF\u2018\u2019\u02BB-\u02BF]+$")
ARABIC = re.compile(r"[\u0600-\u06FF]")


# ---------------------------------------------------------------- names
def ascii_fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", ascii_fold(s).lower()).strip("_")


def arabic_key(s: str) -> str:
    s = ARABIC_DIACRITICS.sub("", unicodedata.normalize("NFC", s))
    s = re.sub("[أإآٱ]", "ا", s).replace("ة", "ه").replace("ى", "ي").replace("ؤ", "و").replace("ئ", "ي")
    s = s.replace("ء", "").replace("ک", "ك").replace("ی", "ي")
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in re.split(r"[\s\-_]+", s) if w]
    return "".join(words)


def latin_tokens(s: str) -> list[str]:
    s = re.sub(r"\(.*?\)", " ", s)
    s = ascii_fold(s.replace("‘", "").replace("’", "").replace("`", "").replace("'", "").replace("ʿ", "")
                   .replace("ʾ", "")).lower()
    toks = [t for t in re.split(r"[^a-z0-9]+", s) if t]
    toks = [t for t in toks if t not in ARTICLES]
    out = []
    for t in toks:
        t = re.sub(r"^(al|el)(?=[a-z]{3,})", "", t) if t.startswith(("al", "el")) and len(t) > 5 and t[2:4] in (
            "sh", "sa", "ta", "ra", "za", "da", "na", "th", "dh") else t
        out.append(TOKEN_FOLD.get(t, t))
    return out


def latin_key(s: str) -> str:
    """Folded Latin spelling: articles, hamza/ayn marks, doubled letters and common transliteration variants out."""
    t = "".join(latin_tokens(s))
    for a, b in (("kh", "k"), ("q", "k"), ("ck", "k"), ("c", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"),
                 ("ph", "f"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ei", "ay"), ("ai", "ay"), ("ey", "ay"),
                 ("w", "u"), ("o", "u"), ("e", "a"), ("y", "i"), ("j", "j")):
        t = t.replace(a, b)
    t = re.sub(r"(.)\1+", r"\1", t)
    t = re.sub(r"(?<=[aiu])h$", "", t)  # ta marbuta: -ah, -eh
    return t


def skeleton(s: str) -> str:
    k = latin_key(s)
    return k[0] + re.sub(r"[aiuh]", "", k[1:]) if k else ""


def is_latin(s: str) -> bool:
    return bool(s.strip()) and bool(LATIN.match(s)) and bool(re.search(r"[A-Za-z]", ascii_fold(s)))


def is_arabic(s: str) -> bool:
    return bool(s.strip()) and bool(ARABIC.search(s)) and not re.search(r"[A-Za-z]", s)


def split_names(s: str) -> list[str]:
    return [x.strip() for x in s.split("|") if x.strip()]


def dedupe_names(names: list[str], exclude: tuple[str, ...] = ()) -> list[str]:
    seen = {n.strip().casefold() for n in exclude if n}
    out = []
    for n in names:
        n = n.strip()
        if not n or n.casefold() in seen or not (is_latin(n) or is_arabic(n)):
            continue
        seen.add(n.casefold())
        out.append(n)
    return out


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (x1, y1), (x2, y2) = a, b
    dx = (x2 - x1) * 111.32 * math.cos(math.radians((y1 + y2) / 2))
    return math.hypot(dx, (y2 - y1) * 110.57)


# ---------------------------------------------------------------- records
@dataclass
class Locality:
    wof_id: str
    gid: str
    name: str
    ascii: str
    name_ar: str
    names: list[str]
    lon: float
    lat: float
    fcode: str
    population: int | None
    src: str
    region: str
    merged: list[str] = field(default_factory=list)

    @property
    def pt(self) -> tuple[float, float]:
        return (self.lon, self.lat)

    @property
    def coord_source(self) -> str:
        return f"geonames:{self.gid}" if self.src == "geonames" and self.gid else f"wof:{self.wof_id}"

    def priority(self) -> tuple:
        return (self.src != "geonames", self.fcode == "", -(self.population or 0), not self.name_ar, int(self.wof_id))

    def latin_keys(self) -> set[str]:
        return {latin_key(n) for n in self.names if is_latin(n)} - {""}

    def arabic_keys(self) -> set[str]:
        return {arabic_key(n) for n in self.names + [self.name_ar] if is_arabic(n)} - {""}

    def skeletons(self) -> set[str]:
        return {skeleton(n) for n in self.names if is_latin(n) and len(skeleton(n)) >= 3}


def read_localities(stats: Counter) -> list[Locality]:
    out = []
    with (VENDOR / "wof-sy" / "localities.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["placetype"] not in ("locality", "neighbourhood"):
                continue
            core = r["region"] in CORE_REGIONS
            if r["deprecated"]:
                stats["deprecated left out" + (" (Aleppo+Idlib)" if core else "")] += 1
                continue
            if r["feature_code"] == "PPLQ":
                stats["PPLQ (abandoned) left out" + (" (Aleppo+Idlib)" if core else "")] += 1
                continue
            arabic = [n for n in [r["name_ar"], *split_names(r["name_ar_variants"]), *split_names(r["other_names"])]
                      if is_arabic(n)]
            name_ar = r["name_ar"] if is_arabic(r["name_ar"]) else (arabic[0] if arabic else "")
            if r["name_ar"] and not is_arabic(r["name_ar"]):
                stats["name_ar in Latin script replaced" if name_ar else "name_ar in Latin script emptied"] += 1
            pop = int(float(r["population"])) if r["population"] else 0
            names = [r["gn_name"], r["name_en"], r["name"], r["gn_asciiname"], r["name_ar"],
                     *split_names(r["name_ar_variants"]), *split_names(r["other_names"])]
            best = next((n for n in (r["gn_name"], r["name_en"], r["name"]) if is_latin(n)), "") or \
                next((n for n in names if is_latin(n)), r["name"])
            out.append(Locality(r["wof_id"], r["geonameid"], best, r["gn_asciiname"] or ascii_fold(best), name_ar,
                                [n for n in names if n], float(r["lon"]), float(r["lat"]), r["feature_code"],
                                pop if pop >= MIN_POPULATION else None, r["src_geom"], r["region"]))
    return out


def merge_into(keep: Locality, drop: Locality) -> None:
    keep.names += [drop.name, *drop.names]
    keep.merged.append(drop.wof_id)
    if not keep.name_ar and drop.name_ar:
        keep.name_ar = drop.name_ar
    if not keep.population and drop.population:
        keep.population = drop.population
    if not keep.fcode and drop.fcode:
        keep.fcode = drop.fcode
    if not keep.gid and drop.gid:
        keep.gid = drop.gid


def dedupe(locs: list[Locality], stats: Counter) -> list[Locality]:
    by_gid: dict[str, list[Locality]] = defaultdict(list)
    rest = []
    for loc in locs:
        (by_gid[loc.gid] if loc.gid else rest).append(loc)
    out = []
    for group in by_gid.values():
        group.sort(key=Locality.priority)
        for other in group[1:]:
            merge_into(group[0], other)
            stats["duplicates merged (one GeoNames id)"] += 1
        out.append(group[0])
    out += rest
    out.sort(key=Locality.priority)
    # near-duplicates: the same folded name (Latin or Arabic) within 1 km; the better record is kept
    kept: list[Locality] = []
    tree_pts: list[Locality] = []
    for loc in out:
        dup = None
        for k in tree_pts:
            if abs(k.lat - loc.lat) > 0.02 or abs(k.lon - loc.lon) > 0.02:
                continue
            same = (latin_key(k.name) == latin_key(loc.name) or bool(k.arabic_keys() & {arabic_key(loc.name_ar)}
                                                                     - {""}))
            if (same and km(k.pt, loc.pt) <= DUPLICATE_KM) or (round(k.lon, 4), round(k.lat, 4)) == (
                    round(loc.lon, 4), round(loc.lat, 4)):
                dup = k
                break
        if dup is not None:
            merge_into(dup, loc)
            stats["near-duplicates merged (same name within 1 km)"] += 1
            continue
        kept.append(loc)
        tree_pts.append(loc)
    return kept


# ---------------------------------------------------------------- geometry helpers
def load_geo(path: Path) -> list[tuple[dict, object]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [(f["properties"], shape(f["geometry"])) for f in doc["features"]]


class Districts:
    def __init__(self) -> None:
        self.items = load_geo(DATA / "base" / "districts.geojson")
        self.tree = STRtree([g for _, g in self.items])

    def of(self, lon: float, lat: float) -> tuple[dict, float]:
        """The district containing the point (or the nearest one) and the distance outside it in km."""
        p = Point(lon, lat)
        hits = [int(i) for i in self.tree.query(p, predicate="intersects")]
        if hits:
            return self.items[min(hits)][0], 0.0
        i = int(self.tree.nearest(p))
        return self.items[i][0], self.items[i][1].distance(p) * 100


# ---------------------------------------------------------------- the build
def read_hand() -> list[dict[str, str]]:
    with HAND.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def hand_names(row: dict[str, str]) -> list[str]:
    return [row["name_en"], *split_names(row["other_names"]), row["name_ar"]]


def match_hand(hand: list[dict[str, str]], locs: list[Locality]) -> dict[str, tuple[Locality, str, float]]:
    by_gid = {loc.gid: loc for loc in locs if loc.gid}
    lkeys = [(loc, loc.latin_keys(), loc.arabic_keys(), loc.skeletons()) for loc in locs]
    key_count: Counter = Counter()
    for _, llk, lak, _ in lkeys:
        key_count.update(llk | lak)
    candidates: list[tuple[tuple, str, Locality, str, float]] = []
    for row in hand:
        pid = row["id"]
        if FACILITY.search(pid) or pid.startswith("aleppo_"):
            continue
        pt = (float(row["lon"]), float(row["lat"]))
        m = re.match(r"geonames:(\d+)", row["coord_source"])
        if m and m.group(1) in by_gid:
            loc = by_gid[m.group(1)]
            candidates.append(((0, km(pt, loc.pt)), pid, loc, "geonames id", km(pt, loc.pt)))
        names = hand_names(row)
        ak = {arabic_key(n) for n in names if is_arabic(n)} - {""}
        lk = {latin_key(n) for n in names if is_latin(n)} - {""}
        sk = {skeleton(n) for n in names if is_latin(n) and len(skeleton(n)) >= 3}
        for loc, llk, lak, lsk in lkeys:
            if abs(loc.lat - pt[1]) > 0.25 or abs(loc.lon - pt[0]) > 0.3:
                continue
            d = km(pt, loc.pt)
            if d > UNIQUE_MATCH_KM:
                continue
            if d > MATCH_KM:
                unique = {k for k in (ak & lak) | (lk & llk) if key_count[k] == 1}
                if unique:
                    candidates.append(((4, d), pid, loc, "unique name, far", d))
                continue
            if ak & lak:
                candidates.append(((1, d), pid, loc, "Arabic name", d))
            elif lk & llk:
                candidates.append(((2, d), pid, loc, "Latin spelling", d))
            elif sk & lsk and any(d <= (SKELETON_MATCH_KM if len(k) >= 4 else SHORT_SKELETON_KM) for k in sk & lsk):
                candidates.append(((3, d), pid, loc, "consonant skeleton", d))
    candidates.sort(key=lambda c: (c[0], c[1]))
    taken_place: dict[str, tuple[Locality, str, float]] = {}
    taken_loc: set[str] = set()
    for _, pid, loc, how, d in candidates:
        if pid in taken_place or loc.wof_id in taken_loc:
            continue
        taken_place[pid] = (loc, how, d)
        taken_loc.add(loc.wof_id)
    return taken_place


def rank_of(pid: str, fcode: str, population: int | None, labels: set[str], seat3: set[str]) -> int:
    pop = population or 0
    if pid in GOVERNORATE_SEATS or fcode in ("PPLA", "PPLC") or pop >= 100_000:
        return 1
    if fcode == "PPLA2" or pid in DISTRICT_SEATS or pop >= 20_000 or pid in labels:
        return 2
    if fcode == "PPLA3" or pid in seat3 or pop >= 5_000:
        return 3
    return 4


def subdistrict_seats(places: list[dict]) -> set[str]:
    """Places that are sub-district (nahiya) seats per OpenSyria: same Arabic name, nearest to the centroid."""
    seats = set()
    with (VENDOR / "opensyria" / "aleppo_idlib_subdistricts.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            key = arabic_key(re.sub(r"^مركز\s+", "", r["name_ar"]))
            c = (float(r["centroid_lon"]), float(r["centroid_lat"]))
            best = None
            for p in places:
                names = [p["name_ar"], *split_names(p["other_names"])]
                if key in {arabic_key(n) for n in names if is_arabic(n)}:
                    d = km(c, (p["lon"], p["lat"]))
                    if d <= 30 and (best is None or d < best[0]):
                        best = (d, p["id"])
            if best:
                seats.add(best[1])
    return seats


def build(write: bool = True) -> None:
    stats: Counter = Counter()
    aoi = load_geo(DATA / "base" / "aoi.geojson")[0][1]
    nbhd = load_geo(DATA / "areas" / "aleppo-neighbourhoods.geojson")
    city = unary_union([g for _, g in nbhd])
    districts = Districts()
    labels = {ln.split("#")[0].strip() for ln in (DATA / "labels.txt").read_text(encoding="utf-8").splitlines()}
    labels.discard("")

    raw = read_localities(stats)
    locs = dedupe(raw, stats)
    core = [loc for loc in locs if loc.region in CORE_REGIONS]
    core_in = [loc for loc in core if aoi.contains(Point(loc.lon, loc.lat))]
    stats["Aleppo+Idlib localities (after dedupe)"] = len(core)
    stats["Aleppo+Idlib localities inside the AOI"] = len(core_in)
    outside_core = [loc for loc in core if loc not in core_in]

    hand = read_hand()
    matches = match_hand(hand, locs)
    matched_loc = {m[0].wof_id for m in matches.values()}

    # localities to emit: inside the AOI, not matched, not inside Aleppo city's neighbourhoods
    emit = []
    in_city = []
    for loc in locs:
        if loc.wof_id in matched_loc:
            continue
        p = Point(loc.lon, loc.lat)
        # Only points inside the AOI: the 13 Aleppo and Idlib villages the 1-km lake polygons cover would
        # have no ground of their own, and areas given by their anchor point would never hold them.
        if not aoi.contains(p):
            core = " (Aleppo+Idlib)" if loc.region in CORE_REGIONS else ""
            stats["localities outside the AOI left out" + core] += 1
            continue
        if city.contains(p):
            in_city.append(loc)
            continue
        emit.append(loc)
    stats["localities inside Aleppo city's neighbourhood polygons left out"] = len(in_city)
    print(f"left out inside Aleppo city's neighbourhoods: {sorted(f'{x.name} ({x.coord_source})' for x in in_city)}")

    out: list[dict] = []
    moves: list[tuple[str, str, float, str]] = []
    # neighbourhood matching for old Aleppo-city places
    nb_keys = []
    for props, g in nbhd:
        nb_keys.append((props, g, {arabic_key(props["name_ar"])}, {latin_key(props["name_en"])}))
    used_nb: set[str] = set()
    unmatched_city: list[str] = []
    for row in hand:
        rec = {k: row[k] for k in COLUMNS if k != "rank"}
        rec["lon"], rec["lat"] = float(row["lon"]), float(row["lat"])
        rec["population"] = int(float(row["population"])) if row["population"] else None
        rec["fcode"] = ""
        rec["hand"] = True
        pid = row["id"]
        if pid.startswith("aleppo_") and city.distance(Point(rec["lon"], rec["lat"])) < 0.02 \
                and not FACILITY.search(pid):
            names = hand_names(row)
            ak = {arabic_key(n) for n in names if is_arabic(n)}
            lk = {latin_key(n) for n in names if is_latin(n)}
            alias = NEIGHBOURHOOD_ALIASES.get(pid)
            hit = next(((p, g) for p, g, a, latin in nb_keys
                        if (a & ak or latin & lk or p["pcode"] == alias) and p["pcode"] not in used_nb), None)
            if hit:
                p, g = hit
                rp = g.representative_point()
                d = km((rec["lon"], rec["lat"]), (rp.x, rp.y))
                used_nb.add(p["pcode"])
                rec["lon"], rec["lat"] = round(rp.x, 5), round(rp.y, 5)
                rec["coord_source"], rec["coord_quality"] = f"ocha:{p['pcode']}", "sourced"
                rec["other_names"] = "|".join(dedupe_names(
                    [*split_names(row["other_names"]), p["name_en"], p["name_ar"]], (row["name_en"], row["name_ar"])))
                moves.append((pid, f"OCHA neighbourhood {p['name_en']} ({p['pcode']})", d, row["coord_quality"]))
                rec["matched"] = "neighbourhood"
            else:
                unmatched_city.append(pid)
        elif pid in matches:
            loc, how, d = matches[pid]
            rec["matched"] = how
            rec["fcode"] = loc.fcode
            others = [*split_names(row["other_names"]), loc.name, *loc.names]
            if not rec["name_ar"] and loc.name_ar:
                rec["name_ar"] = loc.name_ar
            rec["other_names"] = "|".join(dedupe_names(others, (rec["name_en"], rec["name_ar"]))[:MAX_OTHER_NAMES])
            if rec["population"] is None and loc.population:
                rec["population"] = loc.population
            wrong = KNOWN_WRONG.get(loc.gid)
            if wrong:
                rec["coord_source"] = f"{row['coord_source']} (kept: {wrong})"
                stats["matched, GeoNames point known wrong: kept ours"] += 1
            elif row["coord_quality"] == "approximate" or d > SOURCED_MOVE_KM:
                rec["lon"], rec["lat"] = loc.lon, loc.lat
                rec["coord_source"], rec["coord_quality"] = loc.coord_source, "sourced"
                moves.append((pid, f"{loc.name} ({loc.coord_source}, by {how})", d, row["coord_quality"]))
            stats[f"hand places matched ({row['coord_quality']})"] += 1
        out.append(rec)

    # new ids for emitted localities
    existing = {r["id"] for r in out}
    new = []
    for loc in emit:
        dprops, _ = districts.of(loc.lon, loc.lat)
        new.append((slug(loc.ascii) or f"wof_{loc.wof_id}", dprops["id"], loc))
    base_count = Counter(s for s, _, _ in new)
    dist_count = Counter((s, d) for s, d, _ in new)
    for s, d, loc in new:
        if base_count[s] == 1 and s not in existing:
            pid = s
        elif dist_count[(s, d)] == 1 and f"{s}_{d}" not in existing:
            pid = f"{s}_{d}"
        else:
            pid = f"{s}_{d}_{loc.gid or loc.wof_id}"
        assert pid not in existing, pid
        existing.add(pid)
        out.append({"id": pid, "name_en": loc.name, "name_ar": loc.name_ar,
                    "other_names": "|".join(dedupe_names(loc.names, (loc.name, loc.name_ar))[:MAX_OTHER_NAMES]),
                    "lon": loc.lon, "lat": loc.lat, "population": loc.population,
                    "coord_source": loc.coord_source, "coord_quality": "sourced", "fcode": loc.fcode, "hand": False})

    # districts, governorates, ranks
    far = []
    for r in out:
        dprops, off = districts.of(r["lon"], r["lat"])
        r["district"], r["governorate"] = dprops["id"], dprops["governorate"]
        if off > 1.0:
            far.append((r["id"], round(off, 2)))
    seat3 = subdistrict_seats(out)
    for r in out:
        r["rank"] = rank_of(r["id"], r["fcode"], r["population"], labels, seat3)

    # unique coordinates (the loader refuses two places at one rounded point)
    at: dict[tuple, str] = {}
    for r in sorted(out, key=lambda r: (not r["hand"], r["id"])):
        key = (round(r["lon"], 4), round(r["lat"], 4))
        while key in at:
            stats["points nudged by 0.0001 deg to keep coordinates unique"] += 1
            r["lat"] = round(r["lat"] + 0.0001, 5)
            key = (round(r["lon"], 4), round(r["lat"], 4))
        at[key] = r["id"]

    def file_of(r: dict) -> str:
        if r["hand"] and not r.get("matched"):
            return "hand-added.csv"
        return {"aleppo": "aleppo.csv", "idlib": "idlib.csv"}.get(r["governorate"], "margins.csv")

    if write:
        for f in PLACES.glob("*.csv"):
            f.unlink()
        groups: dict[str, list[dict]] = defaultdict(list)
        for r in out:
            groups[file_of(r)].append(r)
        for name, rows in sorted(groups.items()):
            rows.sort(key=lambda r: r["id"])
            with (PLACES / name).open("w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, lineterminator="\n")
                w.writerow(COLUMNS)
                for r in rows:
                    w.writerow([r["id"], r["name_en"], r["name_ar"], r["other_names"], f"{r['lon']:.5f}",
                                f"{r['lat']:.5f}", r["governorate"], r["district"],
                                "" if r["population"] is None else r["population"], r["coord_source"],
                                r["coord_quality"], r["rank"]])
            print(f"wrote {(PLACES / name).relative_to(ROOT)} ({len(rows)} places)")

    report(out, stats, moves, far, unmatched_city, outside_core, core, aoi, matches, hand)


def report(out, stats, moves, far, unmatched_city, outside_core, core, aoi, matches, hand) -> None:  # noqa: ANN001
    print("\n== counts")
    by_gov = Counter(r["governorate"] for r in out)
    sourced = sum(r["coord_quality"] == "sourced" for r in out)
    print(f"total places {len(out)}; per governorate {dict(sorted(by_gov.items()))}; "
          f"Aleppo+Idlib {by_gov['aleppo'] + by_gov['idlib']}")
    print(f"sourced {sourced} ({100 * sourced / len(out):.1f}%), approximate {len(out) - sourced}")
    print(f"ranks {dict(sorted(Counter(r['rank'] for r in out).items()))}")
    for k, v in sorted(stats.items()):
        print(f"  {k}: {v}")
    share = stats["Aleppo+Idlib localities inside the AOI"] / max(1, stats["Aleppo+Idlib localities (after dedupe)"])
    outside = [(loc.name, loc.lon, loc.lat, round(aoi.distance(Point(loc.lon, loc.lat)) * 100, 2))
               for loc in outside_core]
    print(f"share of Aleppo+Idlib localities inside the AOI: {100 * share:.2f}% (outside, km: {outside})")
    print(f"Kobani's point (38.3535 36.891) inside the AOI: {aoi.contains(Point(38.3535, 36.891))}")
    print(f"\n== places > 1 km outside their district: {len(far)} {far}")
    n_loc = sum(1 for r in out if r.get("matched") not in (None, "neighbourhood"))
    n_nb = sum(1 for r in out if r.get("matched") == "neighbourhood")
    print(f"\n== hand places: {len(hand)}; matched to a locality {n_loc} "
          f"({dict(Counter(m[1] for m in matches.values()))}); to an OCHA neighbourhood {n_nb}")
    real_moves = sorted(moves, key=lambda m: -m[2])
    d_all = [m[2] for m in moves]
    if d_all:
        print(f"moved {len(moves)}; median move {statistics.median(d_all):.2f} km; "
              f"mean {statistics.mean(d_all):.2f} km")
    print("\n== moved places (largest first)")
    for pid, what, d, q in real_moves:
        print(f"  {pid:28s} {d:6.2f} km  ({q}) -> {what}")
    print(f"\n== Aleppo-city places matching no OCHA neighbourhood: {unmatched_city}")
    unmatched = sorted(r["id"] for r in out if r["hand"] and not r.get("matched"))
    print(f"\n== hand places matching nothing (data/places/hand-added.csv): {len(unmatched)}\n  {' '.join(unmatched)}")
    print("\n== famous places against reference points (km)")
    byid = {r["id"]: r for r in out}
    for pid, ref in FAMOUS.items():
        r = byid.get(pid)
        if r is None:
            print(f"  {pid}: MISSING")
            continue
        d = km(ref, (r["lon"], r["lat"]))
        print(f"  {pid:22s} {d:5.2f} {'CHECK' if d > 3 else 'ok':5s} {r['coord_source'][:90]}")
    tabqa = Point(38.55, 35.84)
    print(f"  Tabqa (38.55 35.84) inside the AOI: {aoi.contains(tabqa)} (expected False)")
    ids = [r["id"] for r in out]
    assert len(ids) == len(set(ids)), "duplicate ids"
    outside = [r["id"] for r in out if aoi.distance(Point(r["lon"], r["lat"])) > 0.05]
    print(f"\n== checks: unique ids {len(ids) == len(set(ids))}; places > 0.05 deg outside the AOI {outside}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="print the checks without writing data/places")
    args = ap.parse_args()
    if not HAND.exists():
        sys.exit(f"missing {HAND}")
    build(write=not args.check)
