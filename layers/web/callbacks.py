"""Clientside callbacks: every per-step update runs in the browser (assets/*.js)."""

from __future__ import annotations

from dash import (
    ClientsideFunction,
    Dash,
    Input,
    Output,
    State,
)

from .ids import ID


def register_callbacks(app: Dash) -> None:
    """Every per-step callback is clientside: a slider move never reaches the server. Clicks on events and
    event ticks are handled by one delegated listener in assets/50-panels.js, the place search by
    assets/55-search.js (hundreds of pattern-matching inputs
    made Dash's renderer spend most of a step on bookkeeping)."""
    app.clientside_callback(
        ClientsideFunction("controlmap", "render"),
        Output(ID.GRAPH, "figure"), Output(ID.DATE, "children"),
        Input(ID.SLIDER, "value"), Input(ID.LAYERS, "value"), Input(ID.PALETTE, "value"),
        Input(ID.COMPARE, "value"), Input(ID.LANG, "value"),
        State(ID.DATA, "data"), State(ID.GRAPH, "figure"),  # the figure is the template it fills
        State(ID.PLACES, "data"),  # the place index of the search and the labels
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
        Output(ID.TIMER, "disabled"), Output(ID.PLAY, "children"), Output(ID.SLIDER, "value", allow_duplicate=True),
        Input(ID.PLAY, "n_clicks"), State(ID.TIMER, "disabled"), State(ID.SLIDER, "value"), State(ID.DATA, "data"),
        State(ID.COMPARE, "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("controlmap", "tick"),
        Output(ID.SLIDER, "value", allow_duplicate=True), Output(ID.TIMER, "disabled", allow_duplicate=True),
        Output(ID.PLAY, "children", allow_duplicate=True),
        Input(ID.TIMER, "n_intervals"), State(ID.SLIDER, "value"), State(ID.DATA, "data"), State(ID.SPEED, "value"),
        State(ID.TIMER, "interval"),
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

