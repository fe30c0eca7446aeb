"""The page: header, map, time bar, sidebar panels and footer, built from a loaded dataset."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dash import (
    dcc,
    html,
)

from ..model import credits
from ..model.records import Dataset
from .ids import ID
from .payload import day_offset

EXPORT_WIDTHS = (1200, 4000)
BUNDLED_TITLE = "Northern Syria control map"  # assets/controlmap.js has its Arabic header


def default_view(ds: Dataset, layer_ids: list[str]) -> dict[str, Any]:
    """The view before the URL is read (in the browser: assets/70-url.js, fromUrl)."""
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
    """Area per territorial faction; assets/50-panels.js fills the numbers and hides factions holding nothing."""
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



def page(self: Any) -> html.Div:
    """The whole page for a loaded model (a ControlMap)."""
    view = default_view(self.ds, self.layer_ids)
    ds, payload = self.ds, self.payload
    meta = ds.meta
    attribution = credits.attribution(meta)

    def i18n(key: str) -> dict[str, str]:  # the Arabic header is this project's own: only for its data
        return {"data-i18n": key} if credits.title(meta) in (BUNDLED_TITLE, credits.title(None)) else {}

    return html.Div(id="page", children=[
        dcc.Location(id=ID.URL, refresh=False),
        dcc.Store(id=ID.DATA, data=payload),
        dcc.Store(id=ID.VIEW),
        dcc.Store(id=ID.SELECTED),
        dcc.Download(id=ID.DOWNLOAD),
        dcc.Interval(id=ID.TIMER, interval=350, disabled=True),
        html.Header(className="topbar", children=[
            html.Div([html.H1(credits.title(meta), **i18n("title")),
                      html.P(meta.subtitle or meta.area, className="subtitle", **i18n("subtitle"))]),
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
                        # event ticks: drawn by assets/50-panels.js from the state table (see EVENTS)
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
                        # Filled once by assets/50-panels.js (buildEventPanel): hundreds of events as Dash
                        # components made Dash's renderer spend ~120 ms of every slider step on them.
                        children=[]),
            ]),
        ]),
        html.Footer(className="footer", children=[
            html.P([attribution] + ([" Source: ", html.A(meta.source_url, href=meta.source_url,
                                                                rel="noopener", target="_blank")]
                                         if meta.source_url else [])),
            html.P(" · ".join(([meta.area] if meta.area else []) + [
                f"Data version {ds.digest}", f"{len(ds.places)} places", f"{len(ds.events)} events",
                f"{ds.start} to {ds.end}"])),
        ]),
    ])

