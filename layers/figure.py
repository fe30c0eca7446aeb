"""The plotly map figure: an offline MapLibre map with the project's own base layers.

The figure holds the constant parts (zone geometry, base layers, styling). The per-day parts (which
zones each faction holds, front lines, presence markers, hover text) are filled by the browser from the
state table (webdata.py), so a slider step never reaches the server.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from .model import Dataset

# Trace order is a contract with assets/controlmap.js.
TRACE_AREAS, TRACE_FRONT, TRACE_RUSSIA, TRACE_TURKEY, TRACE_TOWNS = range(5)
CENTER = {"lon": 37.25, "lat": 36.22}
ZOOM = 7.4

# plotly's built-in "white-bg" style has no tile sources: nothing is fetched from the network (no text
# layers either, so its glyph URL is never used). A style given as a dict is re-applied by plotly on every
# Plotly.react and MapLibre's style diff then fails ("Map error."), so the named style is used.
OFFLINE_STYLE = "white-bg"


def _base_layers(ds: Dataset) -> list[dict[str, Any]]:
    base = ds.base
    layers: list[dict[str, Any]] = []
    if "countries" in base:
        layers.append({"source": base["countries"], "type": "fill", "color": "#e4e0d6", "below": "traces",
                       "sourceattribution": "Natural Earth"})
        syria = {**base["countries"], "features": [f for f in base["countries"]["features"]
                                                   if f["properties"].get("name") == "Syria"]}
        layers.append({"source": syria, "type": "fill", "color": "#f6f3ec", "below": "traces"})
        layers.append({"source": base["countries"], "type": "line", "color": "#4d4d4d",
                       "line": {"width": 1.6}, "sourceattribution": "Natural Earth"})
    if "governorates" in base:
        layers.append({"source": base["governorates"], "type": "line", "color": "#8a8577",
                       "line": {"width": 0.9, "dash": [3, 2]}})
    if "lakes" in base:
        layers.append({"source": base["lakes"], "type": "fill", "color": "#9cc3e6",
                       "sourceattribution": "© OpenStreetMap contributors (ODbL)"})
    if "rivers" in base:
        layers.append({"source": base["rivers"], "type": "line", "color": "#6fa3d8", "line": {"width": 2.2}})
    if "roads" in base:
        layers.append({"source": base["roads"], "type": "line", "color": "#b8662e", "line": {"width": 1.2},
                       "opacity": 0.75})
    return layers


def build_base_figure(ds: Dataset, zones_fc: dict[str, Any]) -> go.Figure:
    """The constant map: empty per-day traces in their fixed order, base layers, offline style."""
    n = len(ds.territorial)
    fig = go.Figure()
    fig.add_trace(go.Choroplethmap(
        geojson=zones_fc, featureidkey="id", locations=[], z=[], zmin=-0.5, zmax=len(ds.factions) - 0.5,
        colorscale=[[0, "#ffffff"], [1, "#ffffff"]], showscale=False,
        marker={"line": {"width": 0.25, "color": "rgba(255,255,255,0.35)"}, "opacity": 0.82},
        hovertemplate="%{hovertext}<extra></extra>", hovertext=[], name="control", showlegend=False))
    fig.add_trace(go.Scattermap(lon=[], lat=[], mode="lines", line={"width": 1.8, "color": "#1b1b1b"},
                                hoverinfo="skip", name="front lines", showlegend=False))
    for fid in ("russia", "turkey"):
        f = next((x for x in ds.presence_factions if x.id == fid), None)
        fig.add_trace(go.Scattermap(lon=[], lat=[], mode="markers", name=f.name_en if f else fid,
                                    marker={"size": 11, "color": f.color if f else "#000", "opacity": 0.9},
                                    hovertemplate="%{hovertext}<extra></extra>", hovertext=[], showlegend=False))
    fig.add_trace(go.Scattermap(lon=[], lat=[], mode="markers", name="towns",
                                marker={"size": 6, "color": "#222222"},
                                hovertemplate="%{hovertext}<extra></extra>", hovertext=[], showlegend=False))
    fig.update_layout(
        map={"style": OFFLINE_STYLE, "center": CENTER, "zoom": ZOOM, "layers": _base_layers(ds)},
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False, uirevision="keep-view",
        hoverlabel={"bgcolor": "white", "font": {"size": 13, "family": "Noto Sans, DejaVu Sans, sans-serif"}},
        meta={"territorial": n},
    )
    return fig
