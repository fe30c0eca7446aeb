"""The typed records of a dataset: factions, places, zones, events, the initial state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from shapely.geometry.base import BaseGeometry

FactionKind = Literal["territorial", "presence"]
Confidence = Literal["high", "medium", "low"]
CONFIDENCES: tuple[Confidence, ...] = ("high", "medium", "low")


@dataclass(frozen=True)
class Faction:
    id: str
    kind: FactionKind
    name_en: str
    name_ar: str
    color: str
    color_cb: str
    description: str


@dataclass(frozen=True)
class Place:
    id: str
    name_en: str
    name_ar: str
    other_names: tuple[str, ...]
    lon: float
    lat: float
    governorate: str
    district: str
    population: int | None
    coord_source: str
    coord_quality: str
    label: bool = False
    rank: int = 4  # label priority: 1 cities .. 4 villages


ZoneKind = Literal["place", "neighbourhood", "drawn", "open"]


@dataclass(frozen=True)
class Zone:
    """A piece of ground control is assigned to: a place's capped cell, a neighbourhood or hand-drawn polygon
    (or a place's share of one), or a piece of open ground beyond every place's cap."""

    id: str
    geometry: BaseGeometry
    place_id: str | None
    kind: str = "place"
    anchor: tuple[float, float] = (0.0, 0.0)  # the point that area selection tests: the place, or inside the zone

    @property
    def open(self) -> bool:
        """Open ground: its controller is inferred from the towns and roads around it, not reported."""
        return self.kind == "open"


@dataclass(frozen=True)
class Area:
    """A named polygon that data refers to: a district, a neighbourhood, or one drawn for events."""

    id: str
    kind: str
    name_en: str
    name_ar: str
    geometry: BaseGeometry
    note: str


@dataclass(frozen=True)
class Source:
    url: str
    publisher: str
    published: dt.date | None
    title: str = ""
    read: str = ""  # yes: found and checked; known: known to the editor, not found; no: not found
    evidence: str = ""  # what the source says about this change, in our words
    via: str = ""  # the outlet this page reposts: reposts of one outlet count once
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Publisher:
    """A cited outlet, rated by kind (wire, state, local...) and lean (independent, pro-government...)."""

    name: str
    kind: str
    lean: str
    note: str


@dataclass(frozen=True)
class Change:
    """From the event's date on, ``zones`` are held by territorial faction ``to``.

    ``area_zones`` are the zones inside the change's named ``areas``; within one event every change's area
    zones are applied first and its listed zones after, so that a listed place overrides the area around it.

    With ``held_by`` the change is a rule: every zone held by one of those factions at that moment (and,
    when ``zones`` or ``area_zones`` is not empty, among them) passes to ``to``. Used for recodings such as
    the fall of the Assad government, where every government-held zone changes at once.
    """

    to: str | None  # None: no data for these zones from then on (not drawn)
    zones: tuple[str, ...]
    held_by: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    area_zones: tuple[str, ...] = ()

    def applies_to(self, zone: str, controller: str | None) -> bool:
        if self.held_by and controller not in self.held_by:
            return False
        return not (self.zones or self.area_zones) or zone in self.zones or zone in self.area_zones


@dataclass(frozen=True)
class PresenceChange:
    """A presence faction arrives (``add``), leaves, or is confirmed still there (``confirm``: no change)."""

    faction: str
    add: bool
    zones: tuple[str, ...]
    confirm: bool = False


@dataclass(frozen=True)
class Event:
    id: str
    date: dt.date
    title: str
    summary: str
    location: str | None
    confidence: Confidence
    sources: tuple[Source, ...]
    changes: tuple[Change, ...] = ()
    presence: tuple[PresenceChange, ...] = ()
    disputed: str = ""
    seq: int = 0  # position in the global file order: the tie-break for events on one day
    title_ar: str = ""
    summary_ar: str = ""

    @property
    def sort_key(self) -> tuple[dt.date, int]:
        return (self.date, self.seq)


@dataclass(frozen=True)
class InitialState:
    date: dt.date
    controller: dict[str, str | None]
    presence: dict[str, frozenset[str]]
    confidence: dict[str, str]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Dataset:
    root: str
    factions: tuple[Faction, ...]
    places: tuple[Place, ...]
    zones: tuple[Zone, ...]
    aoi: BaseGeometry
    initial: InitialState
    events: tuple[Event, ...]  # sorted by (date, seq)
    end: dt.date
    digest: str = ""
    base: dict[str, dict] = field(default_factory=dict)  # GeoJSON base layers by name
    areas: dict[str, Area] = field(default_factory=dict)  # named polygons that changes may refer to
    publishers: dict[str, Publisher] = field(default_factory=dict)  # empty: an unrated dataset
    meta: Any = None  # io.meta.DatasetMeta: title, attribution, as-of date (typed Any: model imports no io)

    @property
    def as_of(self) -> dt.date:
        """The last day the data speaks for: dataset.yaml's as_of, else the last event's day (or the start)."""
        stated = getattr(self.meta, "as_of", None)
        if stated is not None:
            return min(stated, self.end)
        return max((e.date for e in self.events), default=self.start)

    @property
    def start(self) -> dt.date:
        return self.initial.date

    def outside(self, day: dt.date) -> str | None:
        """The one check of a day against the data's span: why ``day`` is outside it, or None."""
        return None if self.start <= day <= self.end else f"date {day} is outside the data ({self.start} .. {self.end})"

    def sources_of(self, cause: str | None) -> tuple[Source, ...]:
        """The sources behind a zone's state: its cause event's, or the initial state's (cause None)."""
        return self.event_by_id[cause].sources if cause else self.initial.sources

    def faction(self, fid: str) -> Faction:
        return next(f for f in self.factions if f.id == fid)

    @property
    def territorial(self) -> tuple[Faction, ...]:
        return tuple(f for f in self.factions if f.kind == "territorial")

    @property
    def presence_factions(self) -> tuple[Faction, ...]:
        return tuple(f for f in self.factions if f.kind == "presence")

    @cached_property
    def place_by_id(self) -> dict[str, Place]:
        return {p.id: p for p in self.places}

    @cached_property
    def event_by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}
