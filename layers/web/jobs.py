"""Exports started from the page: images as background callbacks (disk cache or Celery), data files."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
from dash import (
    Dash,
    Input,
    Output,
    State,
    ctx,
    dcc,
    no_update,
)

from ..export import ExportError, ImageOptions, checked_frame, whole_number
from .ids import ID
from .layout import EXPORT_SHAPES, EXPORT_WIDTHS
from .model import ControlMap, ModelHolder

IMAGE_DPI = 150
DATA_EXPORTS = {ID.EXPORT_GEOJSON: ".geojson", ID.EXPORT_GPKG: ".gpkg", ID.EXPORT_CSV: ".csv"}


def day_from_slider(model: ControlMap, value: Any) -> dt.date:
    """The slider's integer (days since the start) as a date, clamped to the data."""
    try:
        offset = int(value)
    except (TypeError, ValueError):
        offset = (model.ds.end - model.ds.start).days
    offset = max(0, min(offset, (model.ds.end - model.ds.start).days))
    return model.ds.start + dt.timedelta(days=offset)


def export_image(set_progress: Any, slider: Any, width: Any, view: Any, palette: Any, model: ControlMap,
                 fmt: str, shape: Any = "wide", title: Any = None, lang: Any = "en") -> tuple[Any, str]:
    """Render exactly the map frame on screen without a browser (same renderer as `controlmap snapshot`)."""
    try:
        width_px = whole_number(width, *EXPORT_WIDTHS)
    except ValueError as exc:
        return no_update, f"Width {exc} px."
    day = day_from_slider(model, slider)
    try:
        opts = ImageOptions(width_px=width_px, dpi=IMAGE_DPI, frame=checked_frame(view),
                            palette="cb" if palette else "default", aspect=EXPORT_SHAPES.get(str(shape), 0.66),
                            title=" ".join(str(title or "").split()), lang="ar" if lang == "ar" else "en").check()
    except ExportError as exc:
        return no_update, f"{str(exc)[:1].upper()}{str(exc)[1:]}."
    set_progress(("1", "3"))
    fig = model.exporter.render(day, opts)
    set_progress(("2", "3"))
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format=fmt, dpi=IMAGE_DPI)
    finally:
        plt.close(fig)
    set_progress(("3", "3"))
    name = f"controlmap-{day.isoformat()}.{fmt}"
    return dcc.send_bytes(buf.getvalue(), name), f"Exported {name} ({len(buf.getvalue()) // 1024} KiB)."


def export_data(trigger: str | None, slider: Any, model: ControlMap) -> tuple[Any, str]:
    """The day's state as GeoJSON, GeoPackage or CSV."""
    suffix = DATA_EXPORTS.get(str(trigger))
    if suffix is None:
        return no_update, ""
    day = day_from_slider(model, slider)
    name = f"controlmap-{day.isoformat()}{suffix}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        model.exporter.write(day, path)
        data = path.read_bytes()
    return dcc.send_bytes(data, name), f"Exported {name} ({len(data) // 1024} KiB)."



def register_export_callbacks(app: Dash, holder: ModelHolder) -> None:
    def run_image(set_progress: Any, png: Any, svg: Any, slider: Any, width: Any, view: Any,
                  palette: Any, shape: Any, title: Any, lang: Any) -> tuple[Any, str]:
        fmt = "svg" if ctx.triggered_id == ID.EXPORT_SVG else "png"
        return export_image(set_progress, slider, width, view, palette, holder.current(), fmt, shape, title, lang)

    app.callback(
        Output(ID.DOWNLOAD, "data", allow_duplicate=True), Output(ID.STATUS, "children", allow_duplicate=True),
        Input(ID.EXPORT_PNG, "n_clicks"), Input(ID.EXPORT_SVG, "n_clicks"),
        State(ID.SLIDER, "value"), State(ID.EXPORT_WIDTH, "value"), State(ID.VIEW, "data"),
        State(ID.PALETTE, "value"), State(ID.EXPORT_SHAPE, "value"), State(ID.EXPORT_TITLE, "value"),
        State(ID.LANG, "value"),
        background=True, prevent_initial_call=True,
        progress=[Output(ID.PROGRESS, "value"), Output(ID.PROGRESS, "max")],
        running=[(Output(ID.EXPORT_PNG, "disabled"), True, False), (Output(ID.EXPORT_SVG, "disabled"), True, False)],
    )(run_image)

    def run_data(geojson: Any, gpkg: Any, csv_: Any, slider: Any) -> tuple[Any, str]:
        return export_data(ctx.triggered_id, slider, holder.current())

    app.callback(
        Output(ID.DOWNLOAD, "data", allow_duplicate=True), Output(ID.STATUS, "children", allow_duplicate=True),
        Input(ID.EXPORT_GEOJSON, "n_clicks"), Input(ID.EXPORT_GPKG, "n_clicks"), Input(ID.EXPORT_CSV, "n_clicks"),
        State(ID.SLIDER, "value"), prevent_initial_call=True,
    )(run_data)
