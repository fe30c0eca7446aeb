"""Draw one day's map with matplotlib: the browser-free renderer behind PNG, SVG, PDF, GIF and MP4.

The look follows the app: the same colours, legend, town labels, front lines and presence markers, plus
what a printed map needs: title, date, sources line, attribution and a scale bar. Sizes scale with the
figure, so a 4000 px export looks like a 1200 px one, only sharper.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, PathPatch  # noqa: E402
from matplotlib.path import Path as MPath  # noqa: E402
from shapely.geometry.base import BaseGeometry  # noqa: E402

from ..model import credits  # noqa: E402
from ..model.errors import ExportError  # noqa: E402
from .options import wrap  # noqa: E402

if TYPE_CHECKING:
    from ..engine.scene import DayView, Scenes
    from .options import ImageOptions

REFERENCE_WIDTH_IN = 1600 / 150  # sizes below are tuned for a 1600 px image at 150 dpi
PAPER, LAND, SYRIA, WATER, INK = "#f3f0e8", "#e4e0d6", "#f6f3ec", "#9cc3e6", "#1d1d1b"


def _base(ex: Scenes) -> dict[str, dict[str, BaseGeometry]]:
    return ex.base_geoms


def _ring_path(coords: Any) -> tuple[list[tuple[float, float]], list[int]]:
    pts = [(float(c[0]), float(c[1])) for c in coords]
    codes = [int(MPath.MOVETO)] + [int(MPath.LINETO)] * (len(pts) - 2) + [int(MPath.CLOSEPOLY)]
    return pts, codes


def _polygon_patch(geom: BaseGeometry, **kw: Any) -> PathPatch | None:
    """One compound path for a (multi)polygon with holes: drawn as a single vector shape."""
    verts: list[tuple[float, float]] = []
    codes: list[int] = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            v, c = _ring_path(ring.coords)
            verts += v
            codes += c
    return PathPatch(MPath(verts, codes), **kw) if verts else None


def _fill(ax: Any, geoms: Iterable[BaseGeometry], **kw: Any) -> None:
    for g in geoms:
        patch = _polygon_patch(g, **kw)
        if patch is not None:
            ax.add_patch(patch)


def _lines(ax: Any, geoms: Iterable[BaseGeometry], **kw: Any) -> None:
    segments = []
    for g in geoms:
        for part in getattr(g, "geoms", [g]):
            if part.geom_type in ("Polygon",):
                segments += [list(r.coords) for r in [part.exterior, *part.interiors]]
            elif part.geom_type == "LineString":
                segments.append(list(part.coords))
            elif part.geom_type in ("MultiLineString", "GeometryCollection"):
                _lines(ax, [part], **kw)
    if segments:
        ax.add_collection(LineCollection(segments, **kw))


def default_frame(ex: Scenes) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = ex.ds.aoi.bounds
    return (x0 - 0.08, y0 - 0.05, x1 + 0.08, y1 + 0.05)


def _font(lang: str) -> list[str]:
    """Font families in fallback order: glyph by glyph, so mixed Arabic and Latin text renders."""
    return ["Noto Sans Arabic", "DejaVu Sans"] if lang == "ar" else ["DejaVu Sans", "Noto Sans Arabic"]


def render_figure(ex: Scenes, view: DayView, opts: ImageOptions) -> Any:
    width_in = opts.width_px / opts.dpi
    k = width_in / REFERENCE_WIDTH_IN  # scale for fonts, lines and markers
    fig = plt.figure(figsize=(width_in, width_in * opts.aspect), dpi=opts.dpi, facecolor="white")
    ax = fig.add_axes((0.012, 0.105, 0.70, 0.80))
    legend_ax = fig.add_axes((0.728, 0.105, 0.265, 0.80))
    legend_ax.axis("off")
    frame = opts.frame or default_frame(ex)
    x0, y0, x1, y1 = frame
    if not (all(math.isfinite(v) for v in frame) and x0 < x1 and y0 < y1 and -90 <= y0 and y1 <= 90):
        plt.close(fig)
        raise ExportError(f"{view.day}: no area to draw (the data's extent is empty or not in degrees)")
    _draw_map(ex, view, opts, ax, frame, k)
    if not any(math.isfinite(km2) and km2 > 0 for km2 in view.km2.values()):
        ax.text(0.5, 0.5, T[opts.lang]["nodata"], transform=ax.transAxes, ha="center", va="center",
                fontsize=16 * k, fontweight="bold", color="#6b675e", fontfamily=_font(opts.lang), zorder=10,
                path_effects=[patheffects.withStroke(linewidth=3 * k, foreground="white")])
    _draw_legend(ex, view, opts, legend_ax, k)
    _draw_texts(ex, view, opts, fig, k)
    _scale_bar(ax, frame, k)
    return fig


def _color(ex: Scenes, fid: str, palette: str) -> str:
    f = next(x for x in ex.ds.factions if x.id == fid)
    return f.color_cb if palette == "cb" else f.color


def _draw_map(ex: Scenes, view: DayView, opts: ImageOptions, ax: Any, frame: tuple[float, ...], k: float) -> None:
    base = _base(ex)
    ax.set_facecolor(PAPER)
    countries = base.get("countries", {})
    _fill(ax, countries.values(), facecolor=LAND, linewidth=0)
    _fill(ax, [g for name, g in countries.items() if name.startswith("Syria#")], facecolor=SYRIA, linewidth=0)
    for fid, geom in view.areas.items():
        _fill(ax, [geom], facecolor=_color(ex, fid, opts.palette), alpha=0.88, linewidth=0)
    if not ex.open_ground.is_empty:  # inferred ground: hatched, so that it reads apart from reported ground
        _fill(ax, [ex.open_ground], facecolor="none", edgecolor="#ffffffb0", hatch="////", linewidth=0)
    _lines(ax, base.get("districts", {}).values(), colors="#b3ad9c", linewidths=0.4 * k, linestyles=":")
    _lines(ax, base.get("admin1", {}).values(), colors="#8a8577", linewidths=0.6 * k, linestyles=[(0, (3, 2))])
    _lines(ax, base.get("governorates", {}).values(), colors="#8a8577", linewidths=0.7 * k,
           linestyles=[(0, (3, 2))])
    _fill(ax, base.get("lakes", {}).values(), facecolor=WATER, linewidth=0)
    _lines(ax, base.get("rivers", {}).values(), colors="#6fa3d8", linewidths=1.6 * k)
    _lines(ax, base.get("roads", {}).values(), colors="#b8662e", linewidths=0.9 * k, alpha=0.75)
    _lines(ax, countries.values(), colors="#4d4d4d", linewidths=1.2 * k)
    segments = [list(part.coords) for _, _, line in view.lines for part in getattr(line, "geoms", [line])]
    ax.add_collection(LineCollection(segments, colors=INK, linewidths=1.1 * k, zorder=4))
    for i, f in enumerate(ex.ds.presence_factions):
        pts = [ex.centers[z] for z, fs in view.state.presence.items() if f.id in fs]
        if pts:
            ax.scatter([p[0] + 0.012 * i for p in pts], [p[1] for p in pts], s=38 * k * k,
                       color=_color(ex, f.id, opts.palette), edgecolors="white", linewidths=0.8 * k, zorder=6)
    x0, y0, x1, y1 = frame
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.apply_aspect()
    _labels(ex, opts, ax, frame, k)
    for spine in ax.spines.values():
        spine.set_linewidth(0.8 * k)
        spine.set_color("#8a8577")


def _labels(ex: Scenes, opts: ImageOptions, ax: Any, frame: tuple[float, ...], k: float) -> None:
    x0, y0, x1, y1 = frame
    zoomed = (x1 - x0) < 1.2  # a close frame labels every place, the whole area only the main towns
    outline = [patheffects.withStroke(linewidth=2.4 * k, foreground="white")]
    points_to_px = ax.figure.dpi / 72
    taken: list[tuple[float, float, float, float]] = []  # label boxes in pixels: skip labels that overlap
    ranked = sorted(ex.ds.places, key=lambda p: (not p.label, p.rank, -(p.population or 0), p.name_en))
    max_rank = 4 if zoomed else 1  # villages only in a close frame; labels.txt towns always
    labels = [((p.name_ar or p.name_en) if opts.lang == "ar" else p.name_en, p.lon, p.lat, p.label)
              for p in ranked if p.label or p.rank <= max_rank]
    labels += [(key.rsplit("#", 1)[0], g.x, g.y, True) for key, g in _base(ex).get("cities", {}).items()]
    for name, lon, lat, main in labels:
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            continue
        size = (6.6 if zoomed and not main else 7.6) * k
        px, py = ax.transData.transform((lon, lat))
        box = (px, py - size * points_to_px * 0.6, px + (len(name) * 0.6 + 1.5) * size * points_to_px,
               py + size * points_to_px * 0.6)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
            continue
        taken.append(box)
        ax.plot([lon], [lat], marker="o", markersize=2.6 * k, color=INK, zorder=7)
        ax.annotate(name, (lon, lat), xytext=(3.5 * k, 0), textcoords="offset points", va="center",
                    ha="left", fontsize=size, fontfamily=_font(opts.lang),
                    fontweight="bold" if main else "normal", color=INK, zorder=8, path_effects=outline)


T = {
    "en": {"legend": "Control", "presence": "Presence", "front": "Front line", "town": "Town",
           "sources": "Sources (events behind this map)", "and": "and {n} more", "km2": "km²",
           "events": "Latest event", "scale": "km", "open": "Open ground: controller inferred",
           "as_of": "Data as of {d}", "stale": "No information after {d}: the last known state",
           "nodata": "No data for this day"},
    "ar": {"legend": "السيطرة", "presence": "الوجود العسكري", "front": "خط الجبهة", "town": "بلدة",
           "sources": "المصادر", "and": "و{n} غيرها", "km2": "كم²", "events": "آخر حدث", "scale": "كم",
           "open": "أرض مفتوحة: السيطرة مستنتجة", "as_of": "البيانات حتى {d}",
           "stale": "لا معلومات بعد {d}: آخر حالة معروفة", "nodata": "لا بيانات لهذا اليوم"},
}


def _draw_legend(ex: Scenes, view: DayView, opts: ImageOptions, ax: Any, k: float) -> None:
    t = T[opts.lang]
    name = (lambda f: f.name_ar) if opts.lang == "ar" else (lambda f: f.name_en)
    handles: list[Any] = [Patch(facecolor=_color(ex, f.id, opts.palette), edgecolor="#00000055", alpha=0.88,
                     label=f"{name(f)}  {view.km2[f.id]:,.0f} {t['km2']}")
               for f in ex.ds.territorial if view.km2.get(f.id, 0) > 0]
    present = {p for fs in view.state.presence.values() for p in fs}
    handles += [Line2D([], [], marker="o", linestyle="", markersize=6 * k, markeredgecolor="white",
                       markerfacecolor=_color(ex, f.id, opts.palette), label=name(f))
                for f in ex.ds.presence_factions if f.id in present]
    handles.append(Line2D([], [], color=INK, linewidth=1.2 * k, label=t["front"]))
    if not ex.open_ground.is_empty:
        handles.append(Patch(facecolor="#b9b4a6", edgecolor="#ffffff", hatch="////", label=t["open"]))
    font = {"family": _font(opts.lang), "size": 7.8 * k}
    legend = ax.legend(handles=handles, loc="upper left", frameon=False, prop=font, title=t["legend"],
                       title_fontproperties={"family": _font(opts.lang), "size": 9.5 * k, "weight": "bold"},
                       alignment="left", handlelength=1.6, borderaxespad=0)
    legend.set_in_layout(False)
    latest = [e for e in ex.ds.events if e.date <= view.day]
    if latest:
        e = latest[-1]

        ax.text(0, 0.0, f"{t['events']}: {e.date.isoformat()}\n{wrap(e.title, 40)}", transform=ax.transAxes,
                va="bottom", ha="left", fontsize=7.2 * k, color="#4d4a43", fontfamily=_font("en"))


def _draw_texts(ex: Scenes, view: DayView, opts: ImageOptions, fig: Any, k: float) -> None:

    t = T[opts.lang]
    title = opts.title or credits.title(ex.ds.meta)
    fig.text(0.012, 0.955, title, fontsize=13 * k, fontweight="bold", va="center", ha="left",
             fontfamily=_font(opts.lang if any("\u0600" <= c <= "\u06ff" for c in title) else "en"), color=INK)
    fig.text(0.988, 0.955, view.day.isoformat(), fontsize=17 * k, fontweight="bold", va="center", ha="right",
             fontfamily=_font("en"), color=INK)
    as_of = ex.ds.as_of.isoformat()
    fresh = t["as_of"].format(d=as_of) if view.day <= ex.ds.as_of else t["stale"].format(d=as_of)
    fig.text(0.988, 0.915, fresh, fontsize=7.5 * k, va="center", ha="right", fontfamily=_font(opts.lang),
             color="#8a1c1c" if view.day > ex.ds.as_of else "#4d4a43")
    pubs = view.sources[:12]
    more = len(view.sources) - len(pubs)
    line = f"{t['sources']}: " + ", ".join(pubs) + (f", {t['and'].format(n=more)}" if more > 0 else "")
    fig.text(0.012, 0.062, wrap(line, 190), fontsize=6.4 * k, va="center", ha="left", color="#4d4a43",
             fontfamily=_font(opts.lang))
    fig.text(0.012, 0.022, wrap(credits.attribution(ex.ds.meta) + f" Data version {ex.ds.digest}.", 215),
             fontsize=5.6 * k,
             va="center", ha="left", color="#6b675e", fontfamily=_font("en"))


def _nice(km: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if step >= km:
            return float(step)
    return 1000.0


def _scale_bar(ax: Any, frame: tuple[float, ...], k: float) -> None:
    x0, y0, x1, y1 = frame
    lat = (y0 + y1) / 2
    km_per_deg = 111.32 * math.cos(math.radians(lat))
    km = _nice((x1 - x0) * km_per_deg / 6)
    length = km / km_per_deg
    bx, by = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.04
    ax.plot([bx, bx + length], [by, by], color=INK, linewidth=2.2 * k, solid_capstyle="butt", zorder=9)
    for x in (bx, bx + length):
        ax.plot([x, x], [by, by + (y1 - y0) * 0.008], color=INK, linewidth=1.2 * k, zorder=9)
    ax.text(bx + length / 2, by + (y1 - y0) * 0.014, f"{km:g} km", ha="center", va="bottom", fontsize=7 * k,
            color=INK, zorder=9, path_effects=[patheffects.withStroke(linewidth=2 * k, foreground="white")])
