"""The one error model: a Problem names where (a file and line or ``#feature``, or a parameter) and what.

Every failure the program reports is a ControlMapError carrying every Problem it found, and is rendered by
``render`` alone: one ``path:line: message`` (or ``--parameter: message``) per line. Its kinds only say
what went wrong and so which exit status a command gives: DataError (a dataset that does not validate,
status 1), UsageError (a bad argument, request or input file, status 2) and ExportError (an output that
cannot be made, a UsageError).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One problem. ``path`` is a file, a folder or a parameter (``--width``), or empty; ``where`` a line
    number, a ``#feature-id`` or empty."""

    path: str
    where: str
    message: str

    def __str__(self) -> str:
        sep = "" if self.where.startswith("#") else ":"
        loc = f"{self.path}{sep}{self.where}" if self.where else self.path
        return f"{loc}: {self.message}" if loc else self.message


def render(problems: Iterable[Problem], limit: int | None = None, prefix: str = "") -> str:
    """The one rendering of problems: one per line after ``prefix``, at most ``limit`` of them (and how
    many more)."""
    items = list(problems)
    shown = items if limit is None else items[:limit]
    more = [f"... and {len(items) - len(shown)} more"] if len(shown) < len(items) else []
    return "\n".join(prefix + line for line in [str(p) for p in shown] + more)


class ControlMapError(Exception):
    """Every problem found by one operation. Raise it with Problems, or with one message and its place:
    ``UsageError("must be an http(s) URL", path="--source-url")``."""

    exit_status = 1

    def __init__(self, problems: str | Problem | Iterable[Problem], *, path: Path | str = "",
                 where: int | str | None = None):
        if isinstance(problems, str):
            problems = [Problem(str(path), "" if where is None else str(where), problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(dict.fromkeys(problems))  # in the order found, each once
        super().__init__(render(self.problems))


class DataError(ControlMapError):
    """A dataset that does not validate (exit status 1); its problems are sorted by file and line."""

    def __init__(self, problems: str | Problem | Iterable[Problem], *, path: Path | str = "",
                 where: int | str | None = None, hint: str = ""):
        super().__init__(problems, path=path, where=where)
        self.problems.sort()
        self.hint = hint  # what to do about them, e.g. the command that re-seals a stale manifest
        self.args = (render(self.problems),)


class UsageError(ControlMapError, ValueError):
    """A bad argument, request or input file: exit status 2."""

    exit_status = 2


class ExportError(UsageError):
    """A request for an output that cannot be met (bad format, size, frame, path)."""


class Problems:
    """Collects problems while something is read, so that all of them are reported at once."""

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

    def add(self, path: Path | str, where: int | str | None, message: str) -> None:
        name = self.rel(path) if isinstance(path, Path) else path
        self.items.append(Problem(name, "" if where is None else str(where), message))

    def raise_if_any(self, kind: type[ControlMapError] = DataError) -> None:
        if self.items:
            raise kind(self.items)
