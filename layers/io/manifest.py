"""The data manifest (data/MANIFEST): every data file with its record count and checksum, written on
purpose by ``controlmap seal`` like a lock file. A dataset that does not match it is refused, naming the
file and what differs ("data/events/2016.yaml: 41 events, manifest says 83"), so a missing, emptied,
truncated or garbled file is never taken as good data.

The manifest is generic over the data folder: it lists every file with a data suffix under it (not the
README, not hidden or backup files, not vendor/), so files added later (areas, publishers, dataset.yaml) are covered
without a change here. Counts are taken by a cheap reading of each format, independent of the loader.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from ..model.errors import Problems
from .writers import write_lines

MANIFEST_NAME = "MANIFEST"
DATA_SUFFIXES = (".csv", ".yaml", ".yml", ".geojson", ".json", ".txt")
NOT_DATA = ("vendor",)  # data/vendor: outside sources the build scripts read; the loader never does
HEADER = ("# controlmap data manifest: every data file, its record count and sha256.\n"
          "# Written by `controlmap seal` after a deliberate change; validate, serve and reload refuse data\n"
          "# that does not match it. Do not edit by hand.\n"
          "# sha256 count unit path\n")
_LINE = re.compile(r"^([0-9a-f]{64}) (\d+) ([a-z]+) (\S.*)$")


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the data folder, with forward slashes
    sha256: str
    count: int
    unit: str

    def line(self) -> str:
        return f"{self.sha256} {self.count} {self.unit} {self.path}"


def data_files(root: Path) -> list[Path]:
    """Every file the manifest covers, in a stable order."""
    out = []
    for folder, dirs, names in os.walk(root, followlinks=True):  # the loader follows links too
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (Path(folder) == root and d in NOT_DATA)]
        for name in names:
            path = Path(folder) / name
            if name.startswith(".") or name.endswith("~") or path.suffix.lower() not in DATA_SUFFIXES:
                continue
            if path.is_file():
                out.append(path)
    return sorted(out, key=lambda p: p.relative_to(root).as_posix())


def count_records(rel: str, data: bytes) -> tuple[int, str]:
    """(count, unit) of one file, read cheaply: top-level list items of a YAML file (events under
    events/), data rows of a CSV, features of a GeoJSON, non-blank lines of a text file."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    suffix = Path(rel).suffix.lower()
    if suffix in (".yaml", ".yml"):
        items = sum(1 for ln in text.splitlines() if ln.startswith("- ") or ln.rstrip() == "-")
        if items:
            return items, "events" if rel.startswith("events/") else "items"
        keys = sum(1 for ln in text.splitlines() if re.match(r"^[A-Za-z_][\w-]*\s*:", ln))
        return keys, "keys"
    if suffix == ".csv":
        rows = [ln for ln in text.splitlines() if ln.strip().strip(",")]
        return max(0, len(rows) - 1), "rows"
    if suffix in (".geojson", ".json"):
        return text.count('"Feature"'), "features"
    return sum(1 for ln in text.splitlines() if ln.split("#")[0].strip()), "lines"


def entry_for(root: Path, path: Path) -> Entry:
    data = path.read_bytes()
    rel = path.relative_to(root).as_posix()
    count, unit = count_records(rel, data)
    return Entry(rel, hashlib.sha256(data).hexdigest(), count, unit)


def build_manifest(root: Path) -> list[Entry]:
    return [entry_for(root, p) for p in data_files(root)]


def write_manifest(root: Path) -> Path:
    """Seal the folder: write MANIFEST atomically. The caller validates the data first."""
    target = root / MANIFEST_NAME
    write_lines(target, [HEADER, *(e.line() + "\n" for e in build_manifest(root))])
    return target


def read_manifest(root: Path, problems: Problems) -> dict[str, Entry] | None:
    path = root / MANIFEST_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.add(path, None, "missing: the data was never sealed")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(path, None, f"cannot read: {exc}")
        return None
    entries: dict[str, Entry] = {}
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        m = _LINE.match(line)
        if m is None:
            problems.add(path, i, "malformed line: expected 'sha256 count unit path'")
            continue
        entries[m[4]] = Entry(m[4], m[1], int(m[2]), m[3])
    if not entries:
        problems.add(path, None, "lists no files")
    return entries


def check_manifest(root: Path, problems: Problems) -> bool:
    """Compare the folder with its MANIFEST; add one problem per file that differs. True if it matches."""
    before = len(problems.items)
    sealed = read_manifest(root, problems)
    if sealed is None:
        return False
    present = {p.relative_to(root).as_posix(): p for p in data_files(root)}
    for rel, want in sorted(sealed.items()):
        path = root / rel
        if rel not in present:
            problems.add(path, None, f"missing, manifest says {want.count} {want.unit}")
            continue
        try:
            got = entry_for(root, path)
        except OSError as exc:
            problems.add(path, None, f"cannot read: {exc}")
            continue
        if got.sha256 == want.sha256:
            continue
        if (got.count, got.unit) != (want.count, want.unit):
            problems.add(path, None, f"{got.count} {got.unit}, manifest says {want.count} {want.unit}")
        else:
            problems.add(path, None, f"changed since sealed ({got.count} {got.unit}, checksum differs)")
    for rel in sorted(present.keys() - sealed.keys()):
        problems.add(present[rel], None, "not in the manifest")
    return len(problems.items) == before


def _data_option(root: Path | None) -> str:
    return "" if root is None else f" --data {shlex.quote(str(root))}"


def seal_command(root: Path | None) -> str:
    """The exact command that re-seals ``root`` (None: the bundled data/)."""
    return f"controlmap seal{_data_option(root)}"


def unsealed_hint(root: Path | None) -> str:
    """Printed after manifest problems: how to check a deliberate change, then seal it."""
    return (f"data differs from its MANIFEST: if the changes are intended, check them with "
            f"`controlmap validate --unsealed{_data_option(root)}`, then seal them with `{seal_command(root)}`")
