"""The page: header, map, time bar, sidebar panels and footer, built from a loaded dataset."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from dash import (
    dcc,
    html,
)

from ..model import credits
from ..model.records import Dataset
from .facts import TITLE, as_of, source_count
from .ids import ID
from .payload import day_offset

EXPORT_WIDTHS = (1200, 4000)


def default_view(ds: Dataset, layer_ids: list[str]) -> dict[str, Any]:
    """The view before the URL is read (in the browser: assets/70-url.js, fromUrl)."""
    return {"day": day_offset(ds, ds.end), "layers": list(layer_ids), "palette": []}


def _swatch(color: str, kind: str, faction: str) -> html.Span:
    """A legend swatch; assets/25-palette.js recolours it with the palette in use."""
    shape = "swatch-dot" if kind == "presence" else "swatch"
    return html.Span(className=shape, style={"backgroundColor": color}, **{"data-swatch": faction})


def layer_options(ds: Dataset) -> list[dict[str, Any]]:
    opts: list[dict[str, Any]] = [
        {"label": html.Span([_swatch(f.color, f.kind, f.id), html.Span(f.name_en, **{"data-i18n": f"faction:{f.id}"})],
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
    """Area per territorial faction; assets/50-panels.js fills the numbers and hides factions holding nothing."""
    return html.Div(id=ID.AREAS, className="area-table", children=[
        html.Div(className="area-row", **{"data-faction": f.id}, children=[
            _swatch(f.color, f.kind, f.id),
            html.Span(f.name_en, className="area-name", **{"data-i18n": f"faction:{f.id}"}),
            html.Span(className="area-km2")])
        for f in ds.territorial])


EXPORT_SHAPES = {"wide": 0.66, "square": 1.0, "169": 0.5625}


def export_panel() -> html.Div:
    """Image of exactly the map frame on screen at a chosen width and shape, and the day's data files."""
    shapes = [("wide", "Wide", "shape_wide"), ("square", "Square", "shape_square"), ("169", "16:9", "shape_169")]
    return html.Div(className="export-panel", children=[
        html.H2("Export this view", **{"data-i18n": "export"}),
        html.Div(className="export-row", children=[
            html.Label([html.Span("Width ", **{"data-i18n": "width"}),
                        dcc.Input(id=ID.EXPORT_WIDTH, type="number", min=EXPORT_WIDTHS[0], max=EXPORT_WIDTHS[1],
                                  step=100, value=1600, debounce=True, className="export-width"), " px"]),
            dcc.RadioItems(id=ID.EXPORT_SHAPE, value="wide", inline=True, className="export-shape",
                           options=[{"label": html.Span(text, **{"data-i18n": key}), "value": v}
                                    for v, text, key in shapes]),
        ]),
        html.Label(className="export-row", children=[
            html.Span("Title ", **{"data-i18n": "export_title"}),
            dcc.Input(id=ID.EXPORT_TITLE, type="text", maxLength=120, debounce=True, className="export-title",
                      placeholder="Northern Syria: who controls what")]),
        html.Div(className="export-row", children=[
            html.Button("PNG", id=ID.EXPORT_PNG, className="btn", n_clicks=0),
            html.Button("SVG", id=ID.EXPORT_SVG, className="btn", n_clicks=0),
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



SPEEDS = [("30", "1 month/s", "speed_month"), ("91", "3 months/s", "speed_quarter"),
          ("365", "1 year/s", "speed_year")]
SHORTCUTS = [("← →", "a day", "key_day"), ("PageUp PageDown", "previous / next event", "key_event"),
             ("Home End", "first / last day", "key_ends"), ("Space", "play / pause", "key_play"),
             ("?", "this help", "key_help"), ("Esc", "close", "key_close")]


def i18n(text: str, key: str, tag: Any = html.Span, **kw: Any) -> Any:
    return tag(text, **{"data-i18n": key}, **kw)


def _title_lines(ds: Dataset) -> list[Any]:
    """The dataset's own title and subtitle (dataset.yaml); the bundled map's are translated in Arabic."""
    meta = ds.meta
    own = str(getattr(meta, "title", "") or "")
    bundled = own in ("", credits.title(None), TITLE)  # no title of its own: the project's, translated
    title = TITLE if bundled else own
    subtitle = (getattr(meta, "subtitle", "") or getattr(meta, "area", "")) if meta is not None else ""
    h1 = i18n(title, "title", html.H1) if bundled else html.H1(title)
    sub = subtitle or "Who held each part of Aleppo and Idlib, day by day, with the sources behind every change."
    p = i18n(sub, "subtitle", html.P, className="subtitle") if bundled else html.P(sub, className="subtitle")
    return [h1, p]


def footer_credit(ds: Dataset) -> list[Any]:
    """The dataset's attribution, and a link to its source when dataset.yaml gives one."""
    url = getattr(ds.meta, "source_url", "") if ds.meta is not None else ""
    link: list[Any] = [" Source: ", html.A(url, href=url, rel="noopener", target="_blank")] if url else []
    return [credits.attribution(ds.meta), *link]


def header(ds: Dataset) -> html.Header:
    freshness = html.P(className="freshness", children=[
        i18n("Data as of ", "asof"), html.Bdi(as_of(ds).isoformat(), className="nowrap"), " · ",
        html.Bdi(f"{len(ds.events):,}"), i18n(" events", "n_events"), " · ",
        html.Bdi(f"{source_count(ds):,}"), i18n(" sources", "n_sources")])
    help_pop = html.Div(id="help-popover", className="popover", hidden=True, role="dialog", children=[
        i18n("Keyboard", "keyboard", html.H3),
        html.Dl([c for keys, text, key in SHORTCUTS for c in (html.Dt(html.Kbd(keys)), i18n(text, key, html.Dd))])])
    share_pop = html.Div(id="share-popover", className="popover", hidden=True, role="dialog", children=[
        i18n("Link to this view", "share_link", html.H3),
        dcc.Input(id="share-url", type="text", readOnly=True, className="share-field"),
        i18n("Cite", "cite", html.H3),
        html.Textarea(id="share-cite", readOnly=True, className="share-field", rows=3),
        i18n("Embed", "embed", html.H3),
        html.Textarea(id="share-embed", readOnly=True, className="share-field", rows=3),
        html.P(id="share-status", className="hint", role="status")])
    return html.Header(className="topbar", children=[
        html.Div(className="topbar-title", children=[
            *_title_lines(ds)]),
        html.Div(className="topbar-right", children=[
            html.Div(className="date-box", children=[html.Div(id=ID.DATE, className="date-display"), freshness]),
            html.Div(className="topbar-buttons", children=[
                dcc.RadioItems(id=ID.LANG, value="en", className="lang-toggle", inline=True,
                               options=[{"label": "English", "value": "en"}, {"label": "العربية", "value": "ar"}]),
                i18n("Share", "share", html.Button, id=ID.SHARE, className="btn"),
                i18n("About", "about", html.A, href="/about", className="btn", id="about-link"),
                html.Button("?", id=ID.HELP, className="btn help", title="Keyboard shortcuts",
                            **{"aria-label": "Keyboard shortcuts"}),
                help_pop, share_pop]),
        ]),
    ])


def map_column(self: Any, day: int) -> html.Section:
    ds, payload = self.ds, self.payload
    return html.Section(className="map-column", dir="ltr", children=[
        html.Div(className="map-wrap", children=[
            # the map: made by assets/38-map.js from this spec as soon as the element exists (it does not
            # wait for the state table), never re-rendered by Dash
            html.Div(id=ID.GRAPH, className="map-graph", role="region", **{
                "aria-label": "Map", "data-spec": json.dumps(self.map_spec, separators=(",", ":"))}),
            html.Div(id="stale-note", className="stale-note", hidden=True, role="status",
                     **{"data-asof": as_of(ds).isoformat()}),
            html.Div(id=ID.CARD, className="map-card", role="dialog", **{"aria-label": "Selected place"},
                     children=[html.Button("×", id="card-close", className="card-close", title="Close",
                                           **{"aria-label": "Close"}),
                               html.Div(id=ID.DETAILS, className="details-card",
                                        children=html.P("Click an area or a town for its history and sources.",
                                                        className="hint"))]),
        ]),
        html.Div(className="timebar", children=[
            html.Div(className="timebar-buttons", children=[
                html.Button("▶ Play", id=ID.PLAY, className="btn play", n_clicks=0),  # text set by 80-play.js
                dcc.RadioItems(id=ID.SPEED, value="91", inline=True, className="play-speed",
                               options=[{"label": i18n(text, key), "value": v} for v, text, key in SPEEDS]),
                i18n("◀ Event", "prev", html.Button, id=ID.PREV, className="btn", n_clicks=0, title="Previous event"),
                i18n("Event ▶", "next", html.Button, id=ID.NEXT, className="btn", n_clicks=0, title="Next event"),
            ]),
            html.Div(className="slider-wrap", children=[
                dcc.Slider(id=ID.SLIDER, min=0, max=payload["n_days"], step=1, value=day,
                           marks=year_marks(ds), updatemode="drag", allow_direct_input=False, included=True),
                # event ticks: drawn by assets/50-panels.js from the state table (see EVENTS)
                html.Div(id=ID.TICKS, className="event-ticks"),
            ]),
        ]),
    ])


def sidebar(self: Any, view: dict[str, Any]) -> html.Aside:
    ds = self.ds
    return html.Aside(className="sidebar", children=[
        html.Div(className="place-search", role="search", children=[
            dcc.Input(id=ID.SEARCH, type="search", className="search-input", autoComplete="off", debounce=False,
                      placeholder="Find a place: Tal Rifaat, Kobane, منبج …"),
            html.Ul(id="search-results", className="search-results", role="listbox", hidden=True)]),
        html.Details(id="legend-panel", className="panel legend-panel", open=True, children=[
            i18n("Legend and layers", "layers", html.Summary),
            dcc.Checklist(id=ID.LAYERS, options=layer_options(ds), value=view["layers"],
                          className="layer-toggles", inputClassName="layer-input"),
            html.P(id="inferred-note", className="legend-item inferred-note", hidden=True, children=[
                html.Span(className="swatch swatch-hatch"),
                i18n("Hatched: controller inferred from the surrounding roads and towns, not sourced",
                     "inferred")]),
            dcc.Checklist(id=ID.PALETTE, options=[{"label": i18n(" Colour-blind-safe palette", "palette"),
                                                   "value": "cb"}],
                          value=view["palette"], className="palette-toggle"),
            area_table(ds),
        ]),
        html.Details(className="panel", open=True, children=[
            i18n("Control over time", "chart", html.Summary),
            dcc.RadioItems(id=ID.MEASURE, value="km2", inline=True, className="chart-measure",
                           options=[{"label": i18n("Area (km²)", "area"), "value": "km2"},
                                    {"label": i18n("Population (known places)", "population"),
                                     "value": "population"}]),
            # drawn as inline SVG by assets/48-chart.js from the state table's series (payload.py area_series)
            html.Div(id=ID.CHART, className="chart-graph"),
        ]),
        html.Details(className="panel", children=[
            i18n("Compare two dates", "compare", html.Summary),
            html.Label([i18n("Changes since ", "since"),
                        # a text field: Dash's date-type input throws on setSelectionRange as one types
                        dcc.Input(id=ID.COMPARE, type="text", debounce=False, className="compare-date",
                                  placeholder="YYYY-MM-DD", pattern="\\d{4}-\\d{2}-\\d{2}", maxLength=10,
                                  inputMode="numeric")]),
            html.Div(id=ID.COMPARE_TABLE, className="compare-table"),
        ]),
        export_panel(),
        i18n("Events in force", "events", html.H2),
        # Filled once by assets/50-panels.js (buildEventPanel) and paged there: hundreds of events as Dash
        # components made Dash's renderer spend ~120 ms of every slider step on them.
        html.Ol(id=ID.EVENTS, className="event-list", children=[]),
        i18n("Show more events", "more", html.Button, id="events-more", className="btn events-more", hidden=True),
    ])


def page(self: Any) -> html.Div:
    """The whole page for a loaded model (a ControlMap)."""
    view = default_view(self.ds, self.layer_ids)
    ds = self.ds
    return html.Div(id="page", children=[
        dcc.Location(id=ID.URL, refresh=False),
        # the state table and geometry: fetched by the browser from a versioned URL (assets/03-data.js),
        # which the index page preloads; the store holds it once it is there
        dcc.Store(id=ID.DATA),
        dcc.Store(id=ID.DATA_SRC, data=self.url("map")),
        dcc.Store(id=ID.VIEW),
        dcc.Store(id=ID.SELECTED),
        dcc.Download(id=ID.DOWNLOAD),
        dcc.Interval(id=ID.TIMER, interval=250, disabled=True),
        header(ds),
        html.Main(className="main", children=[map_column(self, view["day"]), sidebar(self, view)]),
        html.Footer(className="footer", children=[
            html.P(footer_credit(ds)),
            html.P([f"Data version {ds.digest} · {len(ds.places)} places · {len(ds.events)} events · "
                    f"{ds.start} to {ds.end} · ", html.A("About, method and how to cite", href="/about")]),
        ]),
    ])
