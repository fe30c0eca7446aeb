"""A data report that makes gaps visible: places that never change hands, events that change nothing,
large jumps, and coordinates that are only approximate."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine.geometry import adjacency, zone_areas_km2
from ..engine.timeline import Timeline, apply_event, initial_state
from ..model.records import Dataset

LARGE_JUMP_ZONES = 25
LARGE_JUMP_KM2 = 1500.0
POCKET_MAX_ZONES = 4
POCKET_MIN_DAYS = 120


@dataclass(frozen=True)
class Pocket:
    """A few zones of one faction wholly surrounded by others, for a long time: real (a siege) or a gap."""

    zones: tuple[str, ...]
    faction: str
    surrounded_by: tuple[str, ...]
    days: int


@dataclass(frozen=True)
class Report:
    never_changing: list[str]
    no_effect: list[str]
    large_jumps: list[tuple[str, int, float]]  # event id, zones changed, km² changed
    approximate: list[str]
    pockets: list[Pocket]
    unread: list[str] = field(default_factory=list)  # events whose changes rest only on sources not read


def _components(controller: dict[str, str], neighbours: dict[str, set[str]]) -> list[set[str]]:
    seen: set[str] = set()
    out = []
    for start in controller:
        if start in seen:
            continue
        comp, stack = {start}, [start]
        while stack:
            for b in neighbours.get(stack.pop(), ()):
                if b not in comp and controller.get(b) == controller[start]:
                    comp.add(b)
                    stack.append(b)
        seen |= comp
        out.append(comp)
    return out


def pockets(ds: Dataset, timeline: Timeline) -> list[Pocket]:
    """Small enclosed components, summed over the days they exist, longest first."""
    neighbours: dict[str, set[str]] = {}
    for e in adjacency(ds.zones):
        neighbours.setdefault(e.a, set()).add(e.b)
        neighbours.setdefault(e.b, set()).add(e.a)
    days: dict[tuple[tuple[str, ...], str, tuple[str, ...]], int] = {}
    for i, st in enumerate(timeline.states):
        end = timeline.days[i + 1] if i + 1 < len(timeline.days) else ds.end
        span = (end - timeline.days[i]).days
        held = {z: f for z, f in st.controller.items() if f is not None}
        for comp in _components(held, neighbours):
            if len(comp) > POCKET_MAX_ZONES:
                continue
            faction = held[next(iter(comp))]
            around = {held[b] for a in comp for b in neighbours.get(a, ()) if b in held} - {faction}
            if around:
                key = (tuple(sorted(comp)), faction, tuple(sorted(around)))
                days[key] = days.get(key, 0) + span
    found = [Pocket(z, f, a, d) for (z, f, a), d in days.items() if d >= POCKET_MIN_DAYS]
    return sorted(found, key=lambda p: (-p.days, p.zones))


def build_report(ds: Dataset, timeline: Timeline) -> Report:
    km2 = zone_areas_km2(ds.zones)
    never = sorted(z for z, runs in timeline.runs.items() if len({r.controller for r in runs}) == 1)
    no_effect, jumps = [], []
    state = initial_state(ds)
    for ev in ds.events:
        after = apply_event(state, ev)
        changed = [z for z in after.controller if after.controller[z] != state.controller[z]]
        presence_changed = any(after.presence[z] != state.presence[z] for z in after.presence)
        if not changed and not presence_changed:
            no_effect.append(ev.id)
        area = sum(km2[z] for z in changed)
        if len(changed) >= LARGE_JUMP_ZONES or area >= LARGE_JUMP_KM2:
            jumps.append((ev.id, len(changed), area))
        state = after
    approximate = sorted(p.id for p in ds.places if p.coord_quality == "approximate")
    unread = [ev.id for ev in ds.events if (ev.changes or ev.presence)
              and not any(s.read in ("yes", "known") for s in ev.sources)]
    return Report(never, no_effect, jumps, approximate, pockets(ds, timeline), unread)


def format_report(ds: Dataset, report: Report) -> str:
    lines = [f"{len(ds.places)} places, {len(ds.events)} events, {ds.start} .. {ds.end}", ""]
    lines.append(f"places whose controller never changes ({len(report.never_changing)}):")
    lines += [f"  {pid}" for pid in report.never_changing]
    lines.append(f"events that change nothing on the map ({len(report.no_effect)}):")
    lines += [f"  {eid}" for eid in report.no_effect]
    lines.append(f"large jumps (>= {LARGE_JUMP_ZONES} zones or >= {LARGE_JUMP_KM2:.0f} km² in one event) "
                 f"({len(report.large_jumps)}):")
    lines += [f"  {eid}: {n} zones, {km:.0f} km²" for eid, n, km in report.large_jumps]
    lines.append(f"enclosed pockets of <= {POCKET_MAX_ZONES} zones lasting >= {POCKET_MIN_DAYS} days in all "
                 f"({len(report.pockets)}): a siege, or a gap in the events")
    lines += [f"  {p.days:5d} days  {p.faction} at {', '.join(p.zones)} inside {', '.join(p.surrounded_by)}"
              for p in report.pockets]
    lines.append(f"changes resting only on sources not read (found and checked) or known ({len(report.unread)}):")
    lines += [f"  {eid}" for eid in report.unread]
    lines.append(f"places with approximate coordinates ({len(report.approximate)} of {len(ds.places)})")
    return "\n".join(lines)
