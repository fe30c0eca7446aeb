"""Synthetic dated control polygons for the import tests and benchmark: four factions separated by three
wavy north-south fronts; each day one stretch of one front moves (as daily front-line maps do), now and then
with messy labels, 3-D coordinates, an empty geometry, a self-intersecting ring, a repeated day or a gap."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from pathlib import Path

BOX = (36.4, 35.5, 38.2, 36.7)  # inside the bundled area of interest
LABELS = {"government": ["Regime", "regime ", "REGIME", "Syrian Army"], "opposition": ["Opposition", "opp."],
          "sdf": ["SDF", "S.D.F."], "hts": ["HTS", "hts"]}
MAPPING = "Regime=government,Syrian Army=government,Opposition=opposition,Opp=opposition,SDF=sdf,HTS=hts"


class Fronts:
    def __init__(self, vertices: int, seed: int = 1):
        self.rng = random.Random(seed)
        x0, y0, x1, y1 = BOX
        self.ys = [y0 + (y1 - y0) * i / (vertices - 1) for i in range(vertices)]
        self.xs = [[x0 + (x1 - x0) * (k + 1) / 4 + 0.05 * math.sin(i / 7 + k) for i in range(vertices)]
                   for k in range(3)]

    def step(self) -> None:
        k = self.rng.randrange(3)
        n = len(self.ys)
        start = self.rng.randrange(n - n // 10)
        shift = self.rng.uniform(-0.03, 0.03)
        for i in range(start, start + n // 10):
            bump = math.sin(math.pi * (i - start) / (n // 10))
            self.xs[k][i] += shift * bump
        for i in range(n):  # keep the fronts in order
            self.xs[1][i] = max(self.xs[1][i], self.xs[0][i] + 0.01)
            self.xs[2][i] = max(self.xs[2][i], self.xs[1][i] + 0.01)

    def polygons(self) -> dict[str, list[list[float]]]:
        x0, y0, x1, y1 = BOX
        left = [[x0, y] for y in self.ys]
        right = [[x1, y] for y in self.ys]
        cols = [left] + [[[x, y] for x, y in zip(xs, self.ys)] for xs in self.xs] + [right]
        out = {}
        for fid, a, b in zip(("government", "opposition", "sdf", "hts"), cols, cols[1:]):
            ring = [[round(x, 5), round(y, 5)] for x, y in a + b[::-1]]
            out[fid] = ring + [ring[0]]
        return out


def write_snapshots(folder: Path, days: int, vertices: int = 500, start: dt.date = dt.date(2022, 1, 1),
                    messy: bool = True, seed: int = 1) -> dict[dt.date, dict[str, list[list[float]]]]:
    """Write one file per day; return the rings that should be in force on each day (the truth)."""
    folder.mkdir(parents=True, exist_ok=True)
    fronts, rng, truth = Fronts(vertices, seed), random.Random(seed), {}
    for d in range(days):
        day = start + dt.timedelta(days=d)
        fronts.step()
        rings = fronts.polygons()
        if messy and d % 9 == 4:
            continue  # a missing day: the state holds
        feats = []
        for fid, ring in rings.items():
            coords = [[x, y, 0.0] for x, y in ring] if messy and d % 5 == 0 else ring  # 3-D now and then
            label = rng.choice(LABELS[fid]) if messy else LABELS[fid][0]
            feats.append({"type": "Feature", "properties": {"class": label},
                          "geometry": {"type": "Polygon", "coordinates": [coords]}})
        if messy and d % 11 == 3:
            feats.append({"type": "Feature", "properties": {"class": "SDF"},
                          "geometry": {"type": "Polygon", "coordinates": []}})
        if messy and d % 13 == 6:  # a tiny self-intersecting bow-tie inside the SDF area
            x = fronts.xs[1][len(fronts.ys) // 2] + 0.02
            y = fronts.ys[len(fronts.ys) // 2]
            feats.append({"type": "Feature", "properties": {"class": "SDF"}, "geometry": {"type": "Polygon",
                          "coordinates": [[[x, y], [x + .01, y + .01], [x + .01, y], [x, y + .01], [x, y]]]}})
        name = folder / f"front-{day.isoformat()}.geojson"
        name.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
        truth[day] = rings
        if messy and d % 17 == 8:  # a second, corrected snapshot of the same day: it wins
            fronts.step()
            rings = fronts.polygons()
            fix = [{"type": "Feature", "properties": {"class": LABELS[f][0]},
                    "geometry": {"type": "Polygon", "coordinates": [r]}} for f, r in rings.items()]
            (folder / f"front-{day.isoformat()}-v2.geojson").write_text(
                json.dumps({"type": "FeatureCollection", "features": fix}))
            truth[day] = rings
    return truth


def write_daily_multipolygons(folder: Path, days: int, vertices: int = 1000, start: dt.date = dt.date(2022, 2, 24),
                              properties: dict | None = None, seed: int = 2) -> dict[dt.date, list]:
    """The shape of a real daily occupied-area series: one file per day (``YYYYMMDD.geojson``) holding one
    MultiPolygon and no properties (``properties`` adds some). Two parts: the ground west of the first front
    and the strip between the second and third. About 80 KB a file with the default 1000 vertices.
    Returns each day's parts (lists of rings) for the tests."""
    folder.mkdir(parents=True, exist_ok=True)
    fronts, truth = Fronts(vertices, seed), {}
    for d in range(days):
        day = start + dt.timedelta(days=d)
        fronts.step()
        rings = fronts.polygons()
        parts = [[rings["government"]], [rings["sdf"]]]
        doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": properties or {},
               "geometry": {"type": "MultiPolygon", "coordinates": parts}}]}
        (folder / f"{day:%Y%m%d}.geojson").write_text(json.dumps(doc))
        truth[day] = parts
    return truth
