"""The dashboard: a thin Dash view over the pure core in layers/.

Run it with ``python app.py`` or ``controlmap serve``. All map work per slider step happens in the
browser (assets/controlmap.js) from a state table computed once here at start-up.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import logging
import math
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
from dash import (
    CeleryManager,
    ClientsideFunction,
    Dash,
    DiskcacheManager,
    Input,
    Output,
    State,
    ctx,
    dcc,
    html,
    no_update,
)
from dash._utils import to_json
from flask import Response, request
from flask_compress import Compress
from werkzeug.exceptions import HTTPException

from layers import DataError, Timeline, load_dataset
from layers.cache import cached_json
from layers.credits import ATTRIBUTION
from layers.export import Exporter, ImageOptions
from layers.figure import build_area_chart, build_base_figure
from layers.load import data_digest
from layers.model import Dataset
from layers.webdata import build_payload, day_offset

ROOT = Path(__file__).resolve().parent
app_log = logging.getLogger("controlmap")


class ID:
    """Component ids: one place, kebab-case; assets/controlmap.js uses the same strings."""

    URL = "url"
    GRAPH = "map-graph"
    DATA = "map-data"
    SLIDER = "date-slider"
    DATE = "date-display"
    PLAY = "play-button"
    TIMER = "play-timer"
    PREV = "prev-event"
    NEXT = "next-event"
    LAYERS = "layer-toggles"
    PALETTE = "palette-toggle"
    AREAS = "area-table"
    DETAILS = "details-card"
    EVENTS = "event-list"
    TICKS = "event-ticks"
    VIEW = "map-view"
    CHART = "chart-graph"
    MEASURE = "chart-measure"
    SEARCH = "place-search"
    SELECTED = "selected-zone"
    COMPARE = "compare-date"
    COMPARE_TABLE = "compare-table"
    LANG = "lang-toggle"
    EXPORT_WIDTH = "export-width"
    EXPORT_PNG = "export-png"
    EXPORT_SVG = "export-svg"
    EXPORT_GEOJSON = "export-geojson"
    EXPORT_GPKG = "export-gpkg"
    EXPORT_CSV = "export-csv"
    DOWNLOAD = "export-download"
    PROGRESS = "export-progress"
    STATUS = "export-status"


def default_view(ds: Dataset, layer_ids: list[str]) -> dict[str, Any]:
    """The view before the URL is read (in the browser: assets/controlmap.js, fromUrl)."""
    return {"day": day_offset(ds, ds.end), "layers": list(layer_ids), "palette": []}


def _swatch(color: str, kind: str) -> html.Span:
    shape = "swatch-dot" if kind == "presence" else "swatch"
    return html.Span(className=shape, style={"backgroundColor": color})


def layer_options(ds: Dataset) -> list[dict[str, Any]]:
    opts: list[dict[str, Any]] = [
        {"label": html.Span([_swatch(f.color, f.kind), html.Span(f.name_en, **{"data-i18n": f"faction:{f.id}"})],
                            className="legend-item"), "value": f.id}
        for f in ds.factions]
    opts.append({"label": html.Span([html.Span(className="swatch-line"),
                                     html.Span("Front lines", **{"data-i18n": "front"})], className="legend-item"),
                 "value": "front"})
    opts.append({"label": html.Span([html.Span(className="swatch-town"),
                                     html.Span("Towns", **{"data-i18n": "towns"})], className="legend-item"),
                 "value": "towns"})
    return opts


def area_table(ds: Dataset) -> html.Div:
    """Area per territorial faction; controlmap.js fills the numbers and hides factions holding nothing."""
    return html.Div(id=ID.AREAS, className="area-table", children=[
        html.Div(className="area-row", **{"data-faction": f.id}, children=[
            html.Span(className="swatch", style={"backgroundColor": f.color}),
            html.Span(f.name_en, className="area-name", **{"data-i18n": f"faction:{f.id}"}),
            html.Span(className="area-km2")])
        for f in ds.territorial])


def search_options(ds: Dataset) -> list[dict[str, str]]:
    """Type-ahead over English and Arabic names and other spellings (the dropdown searches the label)."""
    opts = []
    for p in sorted(ds.places, key=lambda p: p.name_en.lower()):
        extra = f" · {', '.join(p.other_names)}" if p.other_names else ""
        opts.append({"label": f"{p.name_en}{' — ' + p.name_ar if p.name_ar else ''}{extra}", "value": p.id})
    return opts


def export_panel() -> html.Div:
    """Image of the current view at a chosen width, and the same day's data files."""
    return html.Div(className="export-panel", children=[
        html.H2("Export this view", **{"data-i18n": "export"}),
        html.Div(className="export-row", children=[
            html.Label([html.Span("Width ", **{"data-i18n": "width"}),
                        dcc.Input(id=ID.EXPORT_WIDTH, type="number", min=EXPORT_WIDTHS[0], max=EXPORT_WIDTHS[1],
                                  step=100, value=1600, debounce=True, className="export-width"), " px"]),
            html.Button("PNG", id=ID.EXPORT_PNG, className="btn", n_clicks=0),
            html.Button("SVG", id=ID.EXPORT_SVG, className="btn", n_clicks=0),
        ]),
        html.Div(className="export-row", children=[
            html.Span("Data: ", **{"data-i18n": "data"}),
            html.Button("GeoJSON", id=ID.EXPORT_GEOJSON, className="btn", n_clicks=0),
            html.Button("GeoPackage", id=ID.EXPORT_GPKG, className="btn", n_clicks=0),
            html.Button("CSV", id=ID.EXPORT_CSV, className="btn", n_clicks=0),
        ]),
        html.Progress(id=ID.PROGRESS, value="0", max="3", className="export-progress"),
        html.Div(id=ID.STATUS, className="export-status", role="status"),
    ])


def year_marks(ds: Dataset) -> dict[int, str]:
    return {day_offset(ds, dt.date(y, 1, 1)): str(y) for y in range(ds.start.year, ds.end.year + 1)
            if ds.start <= dt.date(y, 1, 1) <= ds.end}


class ControlMap:
    """Everything the dashboard needs, computed once from the dataset."""

    def __init__(self, data_dir: Path):
        self.ds = load_dataset(data_dir)
        self.timeline = Timeline(self.ds)
        digest = self.ds.digest
        self.payload = cached_json(digest, "payload", lambda: build_payload(self.ds, self.timeline))
        self.figure = cached_json(digest, "figure", lambda: json.loads(build_base_figure(self.ds).to_json()))
        self.chart = json.loads(build_area_chart(self.ds, self.payload["series"]).to_json())
        self.exporter = Exporter(self.ds, self.timeline)
        self.layer_ids = [f.id for f in self.ds.factions] + ["front", "towns"]

    def layout(self) -> html.Div:
        view = default_view(self.ds, self.layer_ids)
        ds, payload = self.ds, self.payload
        return html.Div(id="page", children=[
            dcc.Location(id=ID.URL, refresh=False),
            dcc.Store(id=ID.DATA, data=payload),
            dcc.Store(id=ID.VIEW),
            dcc.Store(id=ID.SELECTED),
            dcc.Download(id=ID.DOWNLOAD),
            dcc.Interval(id=ID.TIMER, interval=350, disabled=True),
            html.Header(className="topbar", children=[
                html.Div([html.H1("Northern Syria control map", **{"data-i18n": "title"}),
                          html.P("Who held each part of Aleppo and Idlib, day by day, with the sources behind "
                                 "every change.", className="subtitle", **{"data-i18n": "subtitle"})]),
                html.Div(className="topbar-right", children=[
                    dcc.RadioItems(id=ID.LANG, value="en", className="lang-toggle", inline=True,
                                   options=[{"label": "English", "value": "en"},
                                            {"label": "العربية", "value": "ar"}]),
                    html.Div(id=ID.DATE, className="date-display"),
                ]),
            ]),
            html.Main(className="main", children=[
                html.Section(className="map-column", dir="ltr", children=[
                    html.Div(className="map-wrap", children=[
                        dcc.Graph(id=ID.GRAPH, figure=self.figure, className="map-graph",
                                  config={"displaylogo": False, "showSendToCloud": False, "scrollZoom": True,
                                          "toImageButtonOptions": {"filename": "controlmap"}}),
                    ]),
                    html.Div(className="timebar", children=[
                        html.Button("▶ Play", id=ID.PLAY, className="btn play", n_clicks=0),
                        html.Button("◀ Event", id=ID.PREV, className="btn", n_clicks=0,
                                    title="Previous event"),
                        html.Button("Event ▶", id=ID.NEXT, className="btn", n_clicks=0, title="Next event"),
                        html.Div(className="slider-wrap", children=[
                            dcc.Slider(id=ID.SLIDER, min=0, max=payload["n_days"], step=1, value=view["day"],
                                       marks=year_marks(ds), updatemode="drag", allow_direct_input=False,
                                       included=True),
                            # event ticks: drawn by controlmap.js from the state table (see EVENTS)
                            html.Div(id=ID.TICKS, className="event-ticks"),
                        ]),
                    ]),
                ]),
                html.Aside(className="sidebar", children=[
                    dcc.Dropdown(id=ID.SEARCH, options=search_options(ds), placeholder="Find a place: Tal Rifaat, "
                                 "Tell Rifaat, تل رفعت …", className="place-search", clearable=True,
                                 searchable=True),
                    html.H2("Layers", **{"data-i18n": "layers"}),
                    dcc.Checklist(id=ID.LAYERS, options=layer_options(ds), value=view["layers"],
                                  className="layer-toggles", inputClassName="layer-input"),
                    dcc.Checklist(id=ID.PALETTE, options=[{"label": html.Span(" Colour-blind-safe palette",
                                                                            **{"data-i18n": "palette"}),
                                                           "value": "cb"}],
                                  value=view["palette"], className="palette-toggle"),
                    area_table(ds),
                    html.Details(className="panel", open=True, children=[
                        html.Summary("Control over time", **{"data-i18n": "chart"}),
                        dcc.RadioItems(id=ID.MEASURE, value="km2", inline=True, className="chart-measure",
                                       options=[{"label": html.Span("Area (km²)", **{"data-i18n": "area"}),
                                                 "value": "km2"},
                                                {"label": html.Span("Population (known places)",
                                                                    **{"data-i18n": "population"}),
                                                 "value": "population"}]),
                        dcc.Graph(id=ID.CHART, figure=self.chart, className="chart-graph",
                                  config={"displayModeBar": False}),
                    ]),
                    html.Details(className="panel", children=[
                        html.Summary("Compare two dates", **{"data-i18n": "compare"}),
                        html.Label([html.Span("Changes since ", **{"data-i18n": "since"}),
                                    dcc.Input(id=ID.COMPARE, type="date", min=ds.start.isoformat(),
                                              max=ds.end.isoformat(), debounce=True, className="compare-date")]),
                        html.Div(id=ID.COMPARE_TABLE, className="compare-table"),
                    ]),
                    export_panel(),
                    html.Div(id=ID.DETAILS, className="details-card",
                             children=html.P("Click an area or a town for its history and sources.",
                                             className="hint")),
                    html.H2("Events in force", **{"data-i18n": "events"}),
                    html.Ol(id=ID.EVENTS, className="event-list",
                            # Filled once by controlmap.js (buildEventPanel): hundreds of events as Dash
                            # components made Dash's renderer spend ~120 ms of every slider step on them.
                            children=[]),
                ]),
            ]),
            html.Footer(className="footer", children=[
                html.P(ATTRIBUTION),
                html.P(f"Data version {ds.digest} · {len(ds.places)} places · {len(ds.events)} events · "
                       f"{ds.start} to {ds.end}"),
            ]),
        ])


def register_callbacks(app: Dash) -> None:
    """Every per-step callback is clientside: a slider move never reaches the server. Clicks on events and
    event ticks are handled by one delegated listener in controlmap.js (hundreds of pattern-matching inputs
    made Dash's renderer spend most of a step on bookkeeping)."""
    app.clientside_callback(
        ClientsideFunction("controlmap", "render"),
        Output(ID.GRAPH, "figure"), Output(ID.DATE, "children"),
        Input(ID.SLIDER, "value"), Input(ID.LAYERS, "value"), Input(ID.PALETTE, "value"),
        Input(ID.COMPARE, "value"), Input(ID.LANG, "value"),
        State(ID.DATA, "data"), State(ID.GRAPH, "figure"),  # the figure is the template it fills
    )
    app.clientside_callback(
        ClientsideFunction("controlmap", "chartMeasure"),
        Output(ID.CHART, "figure"), Input(ID.MEASURE, "value"), State(ID.CHART, "figure"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("controlmap", "chartClick"),
        Output(ID.SLIDER, "value", allow_duplicate=True), Input(ID.CHART, "clickData"), State(ID.DATA, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("controlmap", "findPlace"),
        Output(ID.SELECTED, "data", allow_duplicate=True), Input(ID.SEARCH, "value"), State(ID.DATA, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("controlmap", "fromUrl"),
        Output(ID.SLIDER, "value", allow_duplicate=True), Output(ID.LAYERS, "value"), Output(ID.PALETTE, "value"),
        Output(ID.COMPARE, "value"), Output(ID.LANG, "value"),
        Input(ID.URL, "search"), State(ID.DATA, "data"),
        prevent_initial_call="initial_duplicate",
    )
    app.clientside_callback(
        ClientsideFunction("controlmap", "jump"),
        Output(ID.SLIDER, "value", allow_duplicate=True),
        Input(ID.PREV, "n_clicks"), Input(ID.NEXT, "n_clicks"),
        State(ID.SLIDER, "value"), State(ID.DATA, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("controlmap", "togglePlay"),
        Output(ID.TIMER, "disabled"), Output(ID.PLAY, "children"),
        Input(ID.PLAY, "n_clicks"), State(ID.TIMER, "disabled"), State(ID.SLIDER, "value"), State(ID.DATA, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("controlmap", "tick"),
        Output(ID.SLIDER, "value", allow_duplicate=True), Output(ID.TIMER, "disabled", allow_duplicate=True),
        Output(ID.PLAY, "children", allow_duplicate=True),
        Input(ID.TIMER, "n_intervals"), State(ID.SLIDER, "value"), State(ID.DATA, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("controlmap", "selectClicked"),
        Output(ID.SELECTED, "data"), Input(ID.GRAPH, "clickData"), State(ID.DATA, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("controlmap", "details"),
        Output(ID.DETAILS, "children"),
        Input(ID.SELECTED, "data"), Input(ID.SLIDER, "value"), Input(ID.LANG, "value"), State(ID.DATA, "data"),
        prevent_initial_call=True,
    )


# Versioned URLs (Dash adds ?v= / ?m= to component suites, assets and the favicon) may be cached by browsers.
CACHEABLE_PREFIXES = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")


def cache_headers(response: Response) -> Response:
    if request.path.startswith(CACHEABLE_PREFIXES) and response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def content_security_policy(app: Dash) -> str:
    """What the map needs and nothing else: our own scripts plus the hashes of Dash's inline boot scripts,
    inline styles (React and plotly set style attributes), blob: workers for MapLibre, data: images."""
    scripts = " ".join(app.csp_hashes())  # already quoted: 'sha256-...'
    return "; ".join([
        "default-src 'self'", f"script-src 'self' {scripts}", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'",
        "worker-src 'self' blob:", "child-src 'self' blob:", "object-src 'none'", "base-uri 'self'",
        "form-action 'self'", "frame-ancestors 'self'",
    ])


def security_headers(policy: str) -> Any:
    def add(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response
    return add


def hide_errors(exc: Exception) -> Any:
    """No stack trace ever reaches a client: log it here, answer with a plain 500 (HTTP errors pass through)."""
    if isinstance(exc, HTTPException):
        return exc
    app_log.exception("unhandled error on %s", request.path)
    return Response("Internal server error\n", status=500, mimetype="text/plain")


EXPORT_WIDTHS = (1200, 4000)
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


def frame_from_view(view: Any) -> tuple[float, float, float, float] | None:
    """The map's visible box (stored by the browser from relayout events), if it is a sane one."""
    try:
        x0, y0, x1, y1 = (float(v) for v in view)
    except (TypeError, ValueError):
        return None
    ok = all(map(math.isfinite, (x0, y0, x1, y1))) and x0 < x1 and y0 < y1 and x1 - x0 <= 20 and y1 - y0 <= 20
    return (x0, y0, x1, y1) if ok else None


def export_image(set_progress: Any, png_clicks: Any, svg_clicks: Any, slider: Any, width: Any, view: Any,
                 palette: Any, model: ControlMap, fmt: str) -> tuple[Any, str]:
    """Render the current view without a browser (same renderer as `controlmap snapshot`)."""
    try:
        width_px = int(width)
    except (TypeError, ValueError):
        width_px = -1
    if not EXPORT_WIDTHS[0] <= width_px <= EXPORT_WIDTHS[1]:
        return no_update, f"Width must be a whole number from {EXPORT_WIDTHS[0]} to {EXPORT_WIDTHS[1]} px."
    day = day_from_slider(model, slider)
    opts = ImageOptions(width_px=width_px, dpi=IMAGE_DPI, frame=frame_from_view(view),
                        palette="cb" if palette else "default")
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


class ModelHolder:
    """The dataset being served. When files in the data folder change (checked at most every
    CONTROLMAP_RELOAD_SECONDS, default 10), the new data is loaded and served if it validates; if it does
    not, the last good data keeps being served and the problems are logged and shown at /healthz."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.model = ControlMap(data_dir)
        self.error: str | None = None
        self.checked = time.monotonic()
        self.interval = float(os.environ.get("CONTROLMAP_RELOAD_SECONDS", "10"))
        self._layout_cache: dict[str, tuple[bytes, bytes, str]] = {}
        self.lock = threading.Lock()

    def current(self) -> ControlMap:
        if time.monotonic() - self.checked >= self.interval and self.lock.acquire(blocking=False):
            try:
                self.checked = time.monotonic()
                self._reload_if_changed()
            finally:
                self.lock.release()
        return self.model

    def _reload_if_changed(self) -> None:
        try:
            digest = data_digest(self.data_dir.resolve())
        except OSError as exc:
            self.error = f"{self.data_dir}: cannot read: {exc}"
            return
        if digest == self.model.ds.digest:
            return
        try:
            model = ControlMap(self.data_dir)
        except DataError as exc:
            self.error = "\n".join(str(p) for p in exc.problems[:20])
            app_log.error("data changed but does not validate; still serving %s:\n%s", self.model.ds.digest,
                          self.error)
            return
        self.model, self.error = model, None
        app_log.info("data reloaded: version %s", model.ds.digest)

    def layout(self) -> html.Div:
        return self.current().layout()

    def layout_response(self) -> Response | None:
        """/_dash-layout served from bytes serialised and compressed once per data version (Dash would
        serialise the whole geometry and state table on every page load), revalidated by ETag."""
        if request.path != "/_dash-layout" or request.method != "GET":
            return None
        model = self.current()
        cached = self._layout_cache.get(model.ds.digest)
        if cached is None:
            body = to_json(model.layout()).encode("utf-8")
            cached = (body, gzip.compress(body, 6), hashlib.sha256(body).hexdigest()[:20])
            self._layout_cache = {model.ds.digest: cached}
        body, compressed, etag = cached
        use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        response = Response(compressed if use_gzip else body, mimetype="application/json")
        if use_gzip:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = "no-cache"
        response.set_etag(etag)
        return response.make_conditional(request)

    def health(self) -> Response:
        model = self.current()
        body = {"status": "ok" if self.error is None else "serving last good data",
                "data_version": model.ds.digest, "events": len(model.ds.events), "reload_error": self.error}
        return Response(json.dumps(body), mimetype="application/json")


def register_export_callbacks(app: Dash, holder: ModelHolder) -> None:
    def run_image(set_progress: Any, png: Any, svg: Any, slider: Any, width: Any, view: Any,
                  palette: Any) -> tuple[Any, str]:
        fmt = "svg" if ctx.triggered_id == ID.EXPORT_SVG else "png"
        return export_image(set_progress, png, svg, slider, width, view, palette, holder.current(), fmt)

    app.callback(
        Output(ID.DOWNLOAD, "data", allow_duplicate=True), Output(ID.STATUS, "children", allow_duplicate=True),
        Input(ID.EXPORT_PNG, "n_clicks"), Input(ID.EXPORT_SVG, "n_clicks"),
        State(ID.SLIDER, "value"), State(ID.EXPORT_WIDTH, "value"), State(ID.VIEW, "data"),
        State(ID.PALETTE, "value"),
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
    app.clientside_callback(
        ClientsideFunction("controlmap", "rememberView"),
        Output(ID.VIEW, "data"), Input(ID.GRAPH, "relayoutData"), prevent_initial_call=True,
    )


# The Celery application when REDIS_URL is set; a worker runs it with `celery -A wsgi:celery_app worker`.
celery_app: Any = None


def background_manager() -> Any:
    """Long exports run as background callbacks: with Celery and Redis when REDIS_URL is set (several
    servers share the job queue), else in a disk cache (CONTROLMAP_JOBS, or a temporary folder)."""
    global celery_app
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        from celery import Celery

        celery_app = Celery("controlmap", broker=redis_url, backend=redis_url)
        return CeleryManager(celery_app)
    import diskcache

    folder = Path(os.environ.get("CONTROLMAP_JOBS") or tempfile.mkdtemp(prefix="controlmap-jobs-"))
    return DiskcacheManager(diskcache.Cache(str(folder)))


def create_app(data_dir: Path | str | None = None) -> Dash:
    data = Path(data_dir or os.environ.get("CONTROLMAP_DATA") or ROOT / "data")
    holder = ModelHolder(data)
    app = Dash(__name__, title="Northern Syria control map", assets_folder=str(ROOT / "assets"),
               update_title=None, serve_locally=True, background_callback_manager=background_manager())
    Compress(app.server)
    app.server.after_request(cache_headers)
    app.server.after_request(security_headers(content_security_policy(app)))
    app.server.register_error_handler(Exception, hide_errors)
    app.layout = holder.layout
    register_callbacks(app)
    register_export_callbacks(app, holder)
    app.server.add_url_rule("/healthz", "healthz", holder.health)
    app.server.before_request(holder.layout_response)
    app.server.config["CONTROLMAP"] = holder
    return app


def run(data_dir: Path | str | None = None, host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    os.environ.setdefault("DASH_DISABLE_VERSION_CHECK", "true")
    try:
        app = create_app(data_dir)
    except DataError as exc:
        for problem in exc.problems:
            print(problem)
        raise SystemExit(1) from None
    app.run(host=host, port=port, debug=debug)


if __name__ == "__main__":
    run()
