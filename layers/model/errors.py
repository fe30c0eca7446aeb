"""Problems found in data files, reported as ``path:line: message``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one data file. ``where`` is a line number or a ``#feature-id``."""

    path: str
    where: str
    message: str

    def __str__(self) -> str:
        sep = "" if self.where.startswith("#") else ":"
        loc = f"{self.path}{sep}{self.where}" if self.where else self.path
        return f"{loc}: {self.message}"


class DataError(Exception):
    """Raised when a dataset does not validate; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class Problems:
    """Collects problems while a dataset is read, so that all of them are reported at once."""

    def __init__(self, root: Path):
        self.root = root
        self.items: list[Problem] = []

    def rel(self, path: Path) -> str:
        if path == self.root:
            return str(path)
        try:
            return str(path.relative_to(self.root.parent)) if path.is_absolute() else str(path)
        except ValueError:
            return str(path)

    def add(self, path: Path, where: int | str | None, message: str) -> None:
        self.items.append(Problem(self.rel(path), "" if where is None else str(where), message))

    def raise_if_any(self) -> None:
        if self.items:
            raise DataError(self.items)


class ExportError(ValueError):
    """A request for an output that cannot be met (bad format, size, frame, path): a one-line message."""
