"""The naive baseline for bench/compare.py: the same data and map, done the obvious way. Every slider
move goes to the server, which re-derives the faction layers with geopandas (dissolve) and sends a new
figure with the geometry. Not part of the product.

    python bench/naive_app.py --port 8060 [--data data]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
from dash import Dash, Input, Output, dcc, html  # noqa: E402

from layers import load_dataset, resolve_state  # noqa: E402
from layers.web.figure import initial_view  # noqa: E402

OFFLINE_STYLE = "white-bg"  # plotly's built-in style without tiles: nothing fetched from the network


def build(data: Path) -> Dash:
    ds = load_dataset(data)
    n_days = (ds.end - ds.start).days
    center, zoom = initial_view(ds)  # the same first view as ours
    app = Dash(__name__, update_title=None)

    def figure(offset: int) -> go.Figure:
        day = ds.start + dt.timedelta(days=int(offset))
        state = resolve_state(ds, day)
        frame = gpd.GeoDataFrame({"zone": [z.id for z in ds.zones],
                                  "controller": [state.controller[z.id] or "none" for z in ds.zones]},
                                 geometry=[z.geometry for z in ds.zones], crs="EPSG:4326")
        layers = frame.dissolve(by="controller").reset_index()
        fig = go.Figure()
        for _, row in layers.iterrows():
            if row["controller"] == "none":
                continue
            color = ds.faction(row["controller"]).color
            fig.add_trace(go.Choroplethmap(
                geojson=gpd.GeoSeries([row.geometry]).__geo_interface__, locations=["0"], z=[1],
                featureidkey="id", colorscale=[[0, color], [1, color]], showscale=False,
                marker={"opacity": 0.82}, name=row["controller"]))
        fig.update_layout(map={"style": OFFLINE_STYLE, "center": center, "zoom": zoom},
                          margin={"l": 0, "r": 0, "t": 0, "b": 0})
        return fig

    app.layout = html.Div([
        html.Div(id="date-display"),
        dcc.Graph(id="map-graph", style={"height": "80vh"}),
        dcc.Slider(id="date-slider", min=0, max=n_days, step=1, value=n_days // 10, updatemode="drag",
                   allow_direct_input=False),
    ])

    @app.callback(Output("map-graph", "figure"), Output("date-display", "children"),
                  Input("date-slider", "value"))
    def update(offset: int):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        fig = figure(offset)
        app.server.logger.info("callback %.1f ms", (time.perf_counter() - t) * 1000)
        return fig, (ds.start + dt.timedelta(days=int(offset))).isoformat()

    return app


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8060)
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    args = ap.parse_args()
    build(args.data).run(host="127.0.0.1", port=args.port, debug=False)
