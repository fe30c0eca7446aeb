"""What the import steps share: the one-line problem, the report and a dated snapshot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from shapely.geometry.base import BaseGeometry

from ...model.errors import ExportError

GRID = 1e-5  # degrees (~1 m): coordinates snap to it so that unchanged lines are identical across days


class ImportProblem(ExportError):
    """An import that cannot go on (unreadable input, unmapped labels): a one-line message."""


@dataclass(frozen=True)
class ImportSource:
    url: str
    publisher: str
    published: dt.date | None = None


@dataclass
class Snapshot:
    day: dt.date
    source: str
    areas: dict[str, BaseGeometry]  # faction -> geometry


@dataclass
class ImportReport:
    files: int = 0
    snapshots: int = 0
    days: int = 0
    zones: int = 0
    slivers_merged: int = 0
    reprojected: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # snapshots overridden by a later one on the same day

    def lines(self) -> list[str]:
        out = [f"{self.snapshots} snapshots on {self.days} days -> {self.zones} zones "
               f"({self.slivers_merged} slivers merged)"]
        out += [f"reprojected: {r}" for r in self.reprojected[:20]]
        out += [f"repaired: {r}" for r in self.repaired[:20]]
        out += [f"skipped: {r}" for r in self.skipped[:20]]
        out += [f"replaced by a later snapshot of the same day: {r}" for r in self.replaced[:20]]
        return out
