"""Which faction held each zone on a given day, and why.

The rule (DESIGN.md): the state on day D is the initial state plus every change dated on or before D,
applied in (date, seq) order, where seq is the event's position in the sorted file order. Two events on
one day may not give one zone different controllers (validation refuses it), so the tie-break only
orders presence changes and repeated identical assignments.

``resolve_state`` is the one pure definition. ``Timeline`` precomputes the same answer for every change
day (tests prove they agree) so that lookups and the browser's state table are cheap.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ..model.records import Dataset, Event


@dataclass(frozen=True)
class State:
    """The map on one day: territorial controller and presence set of every zone."""

    day: dt.date
    controller: dict[str, str | None]  # None: no data for the zone that day
    presence: dict[str, frozenset[str]]
    since: dict[str, dt.date]  # the day the zone's current controller took it (or the start)
    cause: dict[str, str | None]  # the event that gave the zone its current controller


def targets(event: Event, controller: Mapping[str, str | None] | None = None) -> dict[str, str | None]:
    """zone -> the controller ``event`` gives it: the area zones of every change first, then in order each
    change's listed zones or, for a rule (``held_by``), the zones it takes given ``controller`` (the state
    before the event; without it rules are left out). So a listed place overrides the area around it."""
    target: dict[str, str | None] = {}
    for change in event.changes:
        if not change.held_by:
            target.update(dict.fromkeys(change.area_zones, change.to))
    for change in event.changes:
        if not change.held_by:
            target.update(dict.fromkeys(change.zones, change.to))
        elif controller is not None:
            target.update({z: change.to for z, f in controller.items() if change.applies_to(z, target.get(z, f))})
    return target


def apply_event(state: State, event: Event) -> State:
    """The state after one event (a new object; ``state`` is not changed)."""
    controller = dict(state.controller)
    presence = dict(state.presence)
    since = dict(state.since)
    cause = dict(state.cause)
    for zid, to in targets(event, controller).items():
        if controller.get(zid) != to:
            controller[zid] = to
            since[zid] = event.date
            cause[zid] = event.id
    for pc in event.presence:
        for zid in () if pc.confirm else pc.zones:
            current = presence.get(zid, frozenset())
            presence[zid] = current | {pc.faction} if pc.add else current - {pc.faction}
    return State(event.date, controller, presence, since, cause)


def initial_state(ds: Dataset) -> State:
    init = ds.initial
    return State(init.date, dict(init.controller), {z.id: init.presence.get(z.id, frozenset()) for z in ds.zones},
                 {z: init.date for z in init.controller}, {z: None for z in init.controller})


def resolve_state(ds: Dataset, day: dt.date) -> State:
    """The state on ``day``: the initial state and every event dated on or before it, in order."""
    state = initial_state(ds)
    for event in sorted(ds.events, key=lambda e: e.sort_key):
        if event.date > day:
            break
        state = apply_event(state, event)
    return State(day, state.controller, state.presence, state.since, state.cause)


def events_in_force(ds: Dataset, day: dt.date) -> list[Event]:
    """Events dated on or before ``day``, newest first."""
    return sorted((e for e in ds.events if e.date <= day), key=lambda e: e.sort_key, reverse=True)


@dataclass(frozen=True)
class Run:
    """A zone's period with one controller and presence set, from state index ``start``."""

    start: int
    controller: str | None
    presence: frozenset[str]
    cause: str | None


class Timeline:
    """Every distinct state of a dataset, computed once, looked up by day."""

    def __init__(self, ds: Dataset):
        self.ds = ds
        self.days: list[dt.date] = [ds.start]
        self.states: list[State] = [initial_state(ds)]
        state = self.states[0]
        for event in ds.events:
            state = apply_event(state, event)
            if event.date == self.days[-1]:
                self.states[-1] = state
            else:
                self.days.append(event.date)
                self.states.append(state)
        self.runs: dict[str, list[Run]] = {z.id: [] for z in ds.zones}
        for i, st in enumerate(self.states):
            for zid, runs in self.runs.items():
                ctrl, pres = st.controller[zid], st.presence.get(zid, frozenset())
                if not runs or runs[-1].controller != ctrl or runs[-1].presence != pres:
                    runs.append(Run(i, ctrl, pres, st.cause.get(zid)))

    def index(self, day: dt.date) -> int:
        """Index of the state in force on ``day`` (days before the start map to the start)."""
        return max(0, bisect.bisect_right(self.days, day) - 1)

    def state(self, day: dt.date) -> State:
        st = self.states[self.index(day)]
        return State(day, st.controller, st.presence, st.since, st.cause)

    def history(self, zone_id: str) -> list[tuple[dt.date, dt.date | None, Run]]:
        """The zone's periods as (first day, last day or None if current, run)."""
        runs = self.runs[zone_id]
        out = []
        for i, run in enumerate(runs):
            nxt = runs[i + 1].start if i + 1 < len(runs) else None
            last = self.days[nxt] - dt.timedelta(days=1) if nxt is not None else None
            out.append((self.days[run.start], last, run))
        return out

