"""Exports of one day's state: images without a browser (matplotlib: vector polygons in SVG and PDF),
GeoJSON, GeoPackage, CSV, and GIF/MP4 time-lapses. Every export is written to a temporary file beside
the target and renamed into place, so a failed or interrupted export never leaves a partial file and
never replaces a good one.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import math
import os
import re
import tempfile
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry

from .credits import ATTRIBUTION
from .geometry import Edge, adjacency, area_km2, dissolve, front_lines
from .model import Dataset, Place
from .timeline import State, Timeline

IMAGE_FORMATS = (".png", ".svg", ".pdf")
DATA_FORMATS = (".geojson", ".gpkg", ".csv")
ANIMATION_FORMATS = (".gif", ".mp4")
SNAPSHOT_FORMATS = IMAGE_FORMATS + DATA_FORMATS
WIDTH_RANGE = (300, 8000)   # pixels
DPI_RANGE = (50, 600)
MAX_FRAMES = 2000
ARABIC_FONT = "Noto Sans Arabic"
LATIN_FONT = "DejaVu Sans"


class ExportError(ValueError):
    """An export request that cannot be met (bad format, size, frame, path): a one-line message."""


# ------------------------------------------------------------------ options and checks
@dataclass(frozen=True)
class ImageOptions:
    width_px: int = 1600
    dpi: int = 150
    frame: tuple[float, float, float, float] | None = None  # lon/lat bounding box
    title: str = "Northern Syria: who controls what"
    lang: str = "en"
    palette: str = "default"

    def check(self) -> ImageOptions:
        if not WIDTH_RANGE[0] <= self.width_px <= WIDTH_RANGE[1]:
            raise ExportError(f"width {self.width_px} px is out of range ({WIDTH_RANGE[0]}-{WIDTH_RANGE[1]})")
        if not DPI_RANGE[0] <= self.dpi <= DPI_RANGE[1]:
            raise ExportError(f"dpi {self.dpi} is out of range ({DPI_RANGE[0]}-{DPI_RANGE[1]})")
        if self.lang not in ("en", "ar"):
            raise ExportError(f"language {self.lang!r} must be en or ar")
        if self.palette not in ("default", "cb"):
            raise ExportError(f"palette {self.palette!r} must be default or cb")
        if self.frame is not None:
            x0, y0, x1, y1 = self.frame
            if not (all(map(math.isfinite, self.frame)) and x0 < x1 and y0 < y1 and x1 - x0 <= 20 and y1 - y0 <= 20):
                raise ExportError(f"frame {self.frame} must be min_lon,min_lat,max_lon,max_lat with min < max")
        return self


def parse_frame(text: str, ds: Dataset) -> tuple[float, float, float, float]:
    """A frame given as 'min_lon,min_lat,max_lon,max_lat' or as a place name or id (a 40 km box around it)."""
    parts = text.split(",")
    if len(parts) == 4:
        try:
            x0, y0, x1, y1 = (float(p) for p in parts)
        except ValueError:
            raise ExportError(f"frame {text!r} is not four numbers") from None
        return (x0, y0, x1, y1)
    place = find_place(ds, text)
    if place is None:
        raise ExportError(f"frame {text!r} is neither a bounding box nor a known place")
    half_lat, half_lon = 0.2, 0.2 / math.cos(math.radians(place.lat))
    return (place.lon - half_lon, place.lat - half_lat, place.lon + half_lon, place.lat + half_lat)


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9\u0600-\u06ff]", "", text.lower())


def find_place(ds: Dataset, name: str) -> Place | None:
    """A place by id, English or Arabic name, or another spelling (case and punctuation ignored)."""
    key = _fold(name)
    for p in ds.places:
        if key in {_fold(p.id), _fold(p.name_en), _fold(p.name_ar), *(_fold(o) for o in p.other_names)}:
            return p
    return None


def parse_every(text: str) -> dt.timedelta:
    """'7d', '2w', '1m' (30 days) -> a step between animation frames."""
    m = re.fullmatch(r"(\d{1,4})([dwm])", text.strip())
    if not m or int(m.group(1)) == 0:
        raise ExportError(f"--every {text!r} must be a number with d, w or m, such as 7d")
    return dt.timedelta(days=int(m.group(1)) * {"d": 1, "w": 7, "m": 30}[m.group(2)])


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place only if the block succeeds."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"cannot write {path}: folder {folder} is not writable")
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part" + path.suffix)
    os.close(fd)
    try:
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private: give it the usual mode
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# ------------------------------------------------------------------ the state of one day, as plain data
@dataclass
class DayView:
    """Everything an export of one day needs, derived from the timeline."""

    day: dt.date
    state: State
    areas: dict[str, BaseGeometry]
    lines: list[tuple[str, str, BaseGeometry]]
    km2: dict[str, float]
    sources: list[str] = field(default_factory=list)  # publishers behind the state, most used first


class Exporter:
    """Holds what every export of a dataset shares (zones, adjacency, base layers) and caches per state."""

    def __init__(self, ds: Dataset, timeline: Timeline):
        self.ds, self.timeline = ds, timeline
        self.edges: list[Edge] = adjacency(ds.zones)
        self.zone_km2 = {z.id: area_km2(z.geometry) for z in ds.zones}
        self.centers = {z.id: (ds.place_by_id[z.place_id].lon, ds.place_by_id[z.place_id].lat) if z.place_id
                        else z.geometry.representative_point().coords[0] for z in ds.zones}
        self._views: dict[int, DayView] = {}

    def view(self, day: dt.date) -> DayView:
        if not self.ds.start <= day <= self.ds.end:
            raise ExportError(f"date {day} is outside the data ({self.ds.start} .. {self.ds.end})")
        k = self.timeline.index(day)
        cached = self._views.get(k)
        if cached is None:
            state = self.timeline.states[k]
            areas = dissolve(self.ds.zones, state)
            km2: dict[str, float] = {}
            for zid, f in state.controller.items():
                if f is not None:
                    km2[f] = km2.get(f, 0.0) + self.zone_km2[zid]
            cached = DayView(day, state, areas, front_lines(self.edges, state), dict(km2), self._publishers(state))
            self._views[k] = cached
        return DayView(day, cached.state, cached.areas, cached.lines, cached.km2, cached.sources)

    def _publishers(self, state: State) -> list[str]:
        counts: Counter[str] = Counter()
        events = self.ds.event_by_id
        for cause in state.cause.values():
            sources = events[cause].sources if cause else self.ds.initial.sources
            for pub in {s.publisher.split(" (")[0] for s in sources}:
                counts[pub] += 1
        return [p for p, _ in counts.most_common()]

    # -------------------------------------------------------------- data formats
    def geojson(self, day: dt.date) -> dict[str, Any]:
        """RFC 7946: WGS84 lon/lat, exterior rings counter-clockwise, one feature per faction area."""
        v = self.view(day)
        features = []
        for f in self.ds.territorial:
            geom = v.areas.get(f.id)
            if geom is None or geom.is_empty:
                continue
            geom = shapely.orient_polygons(shapely.set_precision(geom, 1e-6), exterior_cw=False)
            features.append({"type": "Feature", "geometry": mapping(geom), "properties": {
                "faction": f.id, "name_en": f.name_en, "name_ar": f.name_ar, "color": f.color,
                "area_km2": round(v.km2.get(f.id, 0.0), 1), "date": day.isoformat()}})
        return {"type": "FeatureCollection", "features": features, "date": day.isoformat(),
                "attribution": ATTRIBUTION, "sources": v.sources}

    def write_geojson(self, day: dt.date, path: Path) -> None:
        doc = self.geojson(day)
        with atomic_output(path) as tmp:
            tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    def place_rows(self, day: dt.date) -> list[dict[str, Any]]:
        v, events = self.view(day), self.ds.event_by_id
        rows = []
        for p in self.ds.places:
            cause = v.state.cause.get(p.id)
            sources = events[cause].sources if cause else self.ds.initial.sources
            rows.append({"id": p.id, "name_en": p.name_en, "name_ar": p.name_ar, "lon": p.lon, "lat": p.lat,
                         "governorate": p.governorate, "controller": v.state.controller[p.id] or "",
                         "presence": "|".join(sorted(v.state.presence.get(p.id, ()))),
                         "since": v.state.since[p.id].isoformat(), "event_id": cause or "",
                         "sources": " ".join(s.url for s in sources), "coord_quality": p.coord_quality})
        return rows

    def write_csv(self, day: dt.date, path: Path) -> None:
        rows = self.place_rows(day)
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["id"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        with atomic_output(path) as tmp:
            tmp.write_text(buf.getvalue(), encoding="utf-8")

    def write_geopackage(self, day: dt.date, path: Path) -> None:
        """Layers control_areas, presence, front_lines, places (EPSG:4326): opens in QGIS."""
        import geopandas as gpd

        v = self.view(day)
        factions = {f.id: f for f in self.ds.factions}
        areas = gpd.GeoDataFrame(
            [{"faction": fid, "name_en": factions[fid].name_en, "name_ar": factions[fid].name_ar,
              "color": factions[fid].color, "area_km2": round(v.km2.get(fid, 0.0), 1), "date": day.isoformat(),
              "geometry": shapely.MultiPolygon([g for g in getattr(geom, "geoms", [geom])
                                                if g.geom_type == "Polygon"])}
             for fid, geom in v.areas.items()], crs="EPSG:4326")
        presence = gpd.GeoDataFrame(
            [{"place": zid, "faction": fid, "date": day.isoformat(), "geometry": Point(self.centers[zid])}
             for zid, fs in sorted(v.state.presence.items()) for fid in sorted(fs)],
            columns=["place", "faction", "date", "geometry"], geometry="geometry", crs="EPSG:4326")
        lines = gpd.GeoDataFrame(
            [{"faction_a": a, "faction_b": b, "date": day.isoformat(), "geometry": g} for a, b, g in v.lines],
            columns=["faction_a", "faction_b", "date", "geometry"], geometry="geometry", crs="EPSG:4326")
        rows = self.place_rows(day)
        places = gpd.GeoDataFrame(rows, geometry=[Point(r["lon"], r["lat"]) for r in rows], crs="EPSG:4326")
        with atomic_output(path) as tmp:
            tmp.unlink()  # the GeoPackage driver creates the file itself
            for name, frame in (("control_areas", areas), ("presence", presence), ("front_lines", lines),
                                ("places", places)):
                frame.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio")

    # -------------------------------------------------------------- images
    def render(self, day: dt.date, opts: ImageOptions) -> Any:
        """A matplotlib Figure of the day: map, title, date, legend, sources line, attribution, scale bar."""
        from .render import render_figure

        return render_figure(self, self.view(day), opts.check())

    def write_image(self, day: dt.date, path: Path, opts: ImageOptions) -> None:
        import matplotlib.pyplot as plt

        fig = self.render(day, opts)
        try:
            with atomic_output(path) as tmp:
                fig.savefig(tmp, format=path.suffix[1:], dpi=opts.dpi,
                            metadata=_metadata(path.suffix, day, opts.title))
        finally:
            plt.close(fig)

    def write(self, day: dt.date, path: Path, opts: ImageOptions | None = None) -> None:
        """Write the snapshot whose format the file extension names."""
        suffix = path.suffix.lower()
        if suffix in IMAGE_FORMATS:
            self.write_image(day, path, opts or ImageOptions())
        elif suffix == ".geojson":
            self.write_geojson(day, path)
        elif suffix == ".gpkg":
            self.write_geopackage(day, path)
        elif suffix == ".csv":
            self.write_csv(day, path)
        else:
            raise ExportError(f"unknown format {suffix or '(none)'!r}: use one of {' '.join(SNAPSHOT_FORMATS)}")

    # -------------------------------------------------------------- time-lapses
    def frame_days(self, start: dt.date, end: dt.date, every: dt.timedelta) -> list[dt.date]:
        for d in (start, end):
            if not self.ds.start <= d <= self.ds.end:
                raise ExportError(f"date {d} is outside the data ({self.ds.start} .. {self.ds.end})")
        if end <= start:
            raise ExportError(f"the end {end} must come after the start {start}")
        n = (end - start) // every + 1
        if n + 1 > MAX_FRAMES:
            raise ExportError(f"{n} frames is too many (at most {MAX_FRAMES}): use a longer --every")
        days = [start + i * every for i in range(n)]
        return days if days[-1] == end else days + [end]

    def write_animation(self, days: Sequence[dt.date], path: Path, opts: ImageOptions, fps: int = 4,
                        progress: Callable[[int, int, dt.date], None] | None = None) -> None:
        import matplotlib.pyplot as plt

        suffix = path.suffix.lower()
        if suffix not in ANIMATION_FORMATS:
            raise ExportError(f"unknown format {suffix or '(none)'!r}: use .gif or .mp4")
        if not 1 <= fps <= 30:
            raise ExportError(f"fps {fps} is out of range (1-30)")
        opts = opts.check()
        with atomic_output(path) as tmp:
            writer = _FrameWriter(tmp, suffix, fps)
            try:
                for i, day in enumerate(days):
                    fig = self.render(day, opts)
                    try:
                        writer.add(_rgb(fig, opts.dpi, i / max(1, len(days) - 1)))
                    finally:
                        plt.close(fig)
                    if progress:
                        progress(i + 1, len(days), day)
            finally:
                writer.close()


def _metadata(suffix: str, day: dt.date, title: str) -> dict[str, str]:
    description = f"{title}, {day.isoformat()}. {ATTRIBUTION}"
    if suffix == ".png":
        return {"Title": title, "Description": description, "Source": "controlmap"}
    if suffix == ".pdf":
        return {"Title": f"{title}, {day.isoformat()}", "Subject": description, "Creator": "controlmap"}
    return {"Title": f"{title}, {day.isoformat()}", "Description": description}


def _rgb(fig: Any, dpi: int, fraction: float) -> np.ndarray:
    """The rendered frame as an RGB array, with a progress bar along its bottom edge."""
    fig.set_dpi(dpi)
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[:, :, :3].copy()
    h, w = rgb.shape[:2]
    bar = max(3, h // 150)
    rgb[h - bar:, :, :] = (225, 221, 210)
    rgb[h - bar:, : int(round(w * fraction)), :] = (138, 28, 28)
    return rgb[: h - h % 2, : w - w % 2]  # even sizes for the video encoder


class _FrameWriter:
    def __init__(self, path: Path, suffix: str, fps: int):
        self.path, self.suffix, self.fps = path, suffix, fps
        self.frames: list[Any] = []
        self.video: Any = None

    def add(self, rgb: np.ndarray) -> None:
        if self.suffix == ".gif":
            from PIL import Image

            self.frames.append(Image.fromarray(rgb).quantize(colors=128, method=Image.Quantize.MEDIANCUT))
            return
        if self.video is None:
            import imageio.v2 as imageio

            self.video = imageio.get_writer(self.path, format="FFMPEG", mode="I", fps=self.fps, codec="libx264",
                                            quality=7, macro_block_size=2, ffmpeg_log_level="error")
        self.video.append_data(rgb)

    def close(self) -> None:
        if self.video is not None:
            self.video.close()
        elif self.frames:
            first, rest = self.frames[0], self.frames[1:]
            first.save(self.path, format="GIF", save_all=True, append_images=rest,
                       duration=int(1000 / self.fps), loop=0, disposal=1)


def wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) if text else ""


def geojson_areas(doc: dict[str, Any]) -> dict[str, BaseGeometry]:
    """Read back an exported GeoJSON: faction -> geometry (used by the tests and by import round-trips)."""
    return {f["properties"]["faction"]: shape(f["geometry"]) for f in doc["features"]}
