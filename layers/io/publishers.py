"""Publishers and the confidence rule.

data/publishers.csv rates every cited publisher by kind and lean. A dataset that has it is a *rated*
dataset: every source must then say whether it was read and what it says (``read``, ``evidence``), and an
event's confidence may not be above what its sources allow (``allowed_confidence``, the rule written out in
data/README.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..model.errors import Problems
from ..model.records import Confidence, Publisher, Source
from .readers import read_csv

PUBLISHER_COLUMNS = ["name", "kind", "lean", "note"]
KINDS = ("wire", "international", "regional", "monitor", "local", "state", "encyclopedia", "research", "official",
         "aggregator")
LEANS = ("independent", "pro-government", "pro-opposition", "pro-hts", "sdf-aligned", "turkish-state",
         "russian-state", "iranian-state", "gulf-state", "us-state", "kurdish-krg", "transitional-government")
READ_VALUES = ("yes", "known", "no")  # found and checked / known to the editor / not found
RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2}


def load_publishers(root: Path, problems: Problems) -> dict[str, Publisher] | None:
    """The rated publishers, or None when the dataset has no publishers.csv (an unrated dataset)."""
    path = root / "publishers.csv"
    if not path.exists():
        return None
    out: dict[str, Publisher] = {}
    for line, row in read_csv(path, PUBLISHER_COLUMNS, problems):
        name = row["name"]
        if not name:
            problems.add(path, line, "publisher name is empty")
        elif name in out:
            problems.add(path, line, f"duplicate publisher {name!r}")
        elif row["kind"] not in KINDS:
            problems.add(path, line, f"{name}: kind must be one of {', '.join(KINDS)}, not {row['kind']!r}")
        elif row["lean"] not in LEANS:
            problems.add(path, line, f"{name}: lean must be one of {', '.join(LEANS)}, not {row['lean']!r}")
        else:
            out[name] = Publisher(name, row["kind"], row["lean"], row["note"])
    return out


def origin(source: Source) -> str:
    """Whose report it is: the outlet a repost names (``via``), else the publisher. Reposts count once."""
    return source.via or source.publisher


def allowed_confidence(sources: Iterable[Source], publishers: dict[str, Publisher]) -> Confidence:
    """The highest confidence the sources allow.

    Only sources read or known count, one per origin. ``high``: two origins that are not encyclopedias and
    not all of one partisan lean. ``medium``: one independent origin (an encyclopedia will do), or two
    origins of any lean. ``low``: anything else.
    """
    counted: dict[str, Publisher] = {}
    for s in sources:
        pub = publishers.get(origin(s))
        if s.read in ("yes", "known") and pub is not None:
            counted.setdefault(pub.name, pub)
    firsthand = [p for p in counted.values() if p.kind != "encyclopedia"]
    leans = {p.lean for p in firsthand}
    if len(firsthand) >= 2 and (len(leans) > 1 or leans == {"independent"}):
        return "high"
    if len(counted) >= 2 or any(p.lean == "independent" for p in counted.values()):
        return "medium"
    return "low"


def check_rated_sources(path: Path, line: int | None, owner: str, sources: Iterable[Source],
                        publishers: dict[str, Publisher], problems: Problems) -> None:
    """In a rated dataset every source names a rated publisher (and origin), says if it was read, and
    says in our words what it supports."""
    for s in sources:
        for name in filter(None, (s.publisher, s.via)):
            if name not in publishers:
                problems.add(path, s.line or line, f"{owner}: publisher {name!r} is not in publishers.csv")
        if s.read not in READ_VALUES:
            problems.add(path, s.line or line, f"{owner}: source {s.url} needs read: yes, known or no")
        elif not s.evidence:
            problems.add(path, s.line or line, f"{owner}: source {s.url} needs an evidence note (what it says)")


def check_confidence(path: Path, line: int | None, owner: str, stated: str, sources: Iterable[Source],
                     publishers: dict[str, Publisher], problems: Problems) -> None:
    allowed = allowed_confidence(sources, publishers)
    if RANK.get(stated, 0) > RANK[allowed]:
        problems.add(path, line, f"{owner}: confidence {stated} is above what its sources allow ({allowed})")
