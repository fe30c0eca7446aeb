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


def _clientside() -> list[tuple[str, list[Output | Input | State], bool | str | None]]:
    """(function of assets/*.js, its outputs, inputs and states, prevent_initial_call) of every callback."""
    slider = State(ID.SLIDER, "value")

    def moves(component: str, prop: str) -> Output:  # an output that other callbacks also set
        return Output(component, prop, allow_duplicate=True)

    return [
        ("render", [Output(ID.DATE, "children"),
                    Input(ID.LAYERS, "value"), Input(ID.PALETTE, "value"), Input(ID.COMPARE, "value"),
                    Input(ID.LANG, "value"),
                    # the state table: fetched by the browser (assets/03-data.js), it arrives after the page
                    Input(ID.DATA, "data"),
                    # the slider is a State: a move repaints without Dash (assets/90-render.js, watchSlider)
                    slider,
                    State(ID.DATA_SRC, "data")], None),  # where the state table comes from
        ("fromUrl", [moves(ID.SLIDER, "value"), Output(ID.LAYERS, "value"), Output(ID.PALETTE, "value"),
                     Output(ID.COMPARE, "value"), Output(ID.LANG, "value"), Input(ID.URL, "search"),
                     Input(ID.DATA, "data")],
         "initial_duplicate"),
        # the callbacks below read the state table from the page (assets/03-data.js, CM.data.table), not
        # through Dash's store: it is there before any of them can run
        ("jump", [moves(ID.SLIDER, "value"), Input(ID.PREV, "n_clicks"), Input(ID.NEXT, "n_clicks"), slider], True),
        ("togglePlay", [Output(ID.TIMER, "disabled"), Output(ID.PLAY, "children"), moves(ID.SLIDER, "value"),
                        Input(ID.PLAY, "n_clicks"), State(ID.TIMER, "disabled"), slider,
                        State(ID.COMPARE, "value")], True),
        ("tick", [moves(ID.SLIDER, "value"), moves(ID.TIMER, "disabled"), moves(ID.PLAY, "children"),
                  Input(ID.TIMER, "n_intervals"), slider, State(ID.SPEED, "value"), State(ID.TIMER, "interval")],
         True),
        ("details", [Output(ID.DETAILS, "children"), Input(ID.SELECTED, "data"), Input(ID.LANG, "value"), slider],
         True),
    ]


def register_callbacks(app: Dash) -> None:
    """Every per-step callback is clientside: a slider move never reaches the server. Clicks on events and
    event ticks are handled by one delegated listener in assets/50-panels.js, the chart (its measure, its
    clicks) by assets/48-chart.js, the place search by assets/55-search.js (hundreds of pattern-matching
    inputs made Dash's renderer spend most of a step on bookkeeping)."""
    for name, dependencies, prevent_initial_call in _clientside():
        app.clientside_callback(ClientsideFunction("controlmap", name), *dependencies,
                                prevent_initial_call=prevent_initial_call)
