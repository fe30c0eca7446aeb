"""Bounds on what a data file may be, checked before it is parsed: size per format, text (UTF-8, no NUL
byte, not empty), the length of one field, and YAML aliases (a "billion laughs" file of 1 KB must not
expand to gigabytes). Each breach is one ``path:line: message``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..model.errors import Problems

MIB = 1024 * 1024
# Largest file read per format. The bundled events files are about 0.2 MiB; an imported dataset's zones
# can reach tens of MiB. Larger files are refused before they are read.
MAX_FILE_BYTES = {".yaml": 8 * MIB, ".yml": 8 * MIB, ".csv": 32 * MIB, ".txt": 1 * MIB,
                  ".geojson": 96 * MIB, ".json": 96 * MIB}
MAX_FIELD_CHARS = 20_000  # one YAML scalar or CSV field (a summary is a paragraph)
# Aliases may repeat a node, but the expanded document may hold at most this many nodes more than it
# spells out: ordinary anchors pass, exponential expansion is refused.
MAX_ALIAS_EXPANSION = 10_000


def read_text(path: Path, problems: Problems) -> str | None:
    """The file's text, or None with one problem: missing, too large, empty, binary, not UTF-8.
    A byte-order mark is dropped; line endings are left to the parsers (all accept CRLF)."""
    try:
        size = path.stat().st_size
        limit = MAX_FILE_BYTES.get(path.suffix.lower(), 8 * MIB)
        if size > limit:
            problems.add(path, None, f"{size / MIB:.1f} MiB is larger than the limit of {limit // MIB} MiB "
                                     f"for {path.suffix} files")
            return None
        data = path.read_bytes()
    except FileNotFoundError:
        problems.add(path, None, "missing file")
        return None
    except OSError as exc:
        problems.add(path, None, f"cannot read: {exc.strerror or exc}")
        return None
    if b"\x00" in data:
        problems.add(path, data[: data.index(b"\x00")].count(b"\n") + 1, "NUL byte: the file is binary or corrupt")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.add(path, data[: exc.start].count(b"\n") + 1, f"not UTF-8 text (byte {exc.start})")
        return None
    if not text.strip():
        problems.add(path, None, "empty file")
        return None
    return text


def _expansion(node: yaml.Node, seen: dict[int, int], stack: set[int]) -> int:
    """Nodes in the document once every alias is expanded (memoised: linear in the distinct nodes)."""
    key = id(node)
    if key in seen:
        return seen[key]
    if key in stack:
        raise ValueError("recursive alias")
    stack.add(key)
    total = 1
    if isinstance(node, yaml.SequenceNode):
        total += sum(_expansion(child, seen, stack) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        total += sum(_expansion(k, seen, stack) + _expansion(v, seen, stack) for k, v in node.value)
    stack.discard(key)
    seen[key] = total
    return total


def _check_tree(node: yaml.Node, path: Path, problems: Problems) -> bool:
    seen: dict[int, int] = {}
    try:
        expanded = _expansion(node, seen, set())
    except ValueError:
        problems.add(path, node.start_mark.line + 1, "a YAML alias refers to itself (recursive alias)")
        return False
    except RecursionError:
        problems.add(path, node.start_mark.line + 1, "YAML nested too deeply")
        return False
    if expanded > len(seen) + MAX_ALIAS_EXPANSION:
        problems.add(path, node.start_mark.line + 1,
                     f"YAML aliases expand {len(seen)} nodes to {expanded} (at most "
                     f"{MAX_ALIAS_EXPANSION} more allowed)")
        return False
    ok = True
    stack = [node]
    visited: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in visited:
            continue
        visited.add(id(item))
        if isinstance(item, yaml.ScalarNode) and len(item.value) > MAX_FIELD_CHARS:
            problems.add(path, item.start_mark.line + 1,
                         f"a value of {len(item.value)} characters is longer than {MAX_FIELD_CHARS}")
            ok = False
        elif isinstance(item, yaml.SequenceNode):
            stack.extend(item.value)
        elif isinstance(item, yaml.MappingNode):
            stack.extend(n for kv in item.value for n in kv)
            keys: set[str] = set()
            twice = None
            for k, _ in item.value:
                if isinstance(k, yaml.ScalarNode):
                    twice = twice or (k.value if k.value in keys else None)
                    keys.add(k.value)
            if twice is not None:
                problems.add(path, item.start_mark.line + 1, f"key {twice!r} is given twice in one mapping")
                ok = False
    return ok


def load_yaml(text: str, path: Path, loader_class: type[yaml.SafeLoader], problems: Problems) -> Any:
    """Compose the document, check its aliases and field sizes, then construct it; None after a problem."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            problems.add(path, None, "empty file")
            return None
        if not _check_tree(node, path, problems):
            return None
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problems.add(path, mark.line + 1 if mark else None, f"malformed YAML: {exc.problem}")
    except yaml.YAMLError as exc:
        problems.add(path, None, f"malformed YAML: {exc}")
    except RecursionError:
        problems.add(path, None, "YAML nested too deeply")
    finally:
        loader.dispose()
    return None


def check_csv_fields(path: Path, line: int, row: list[str], problems: Problems) -> bool:
    long = next((c for c in row if len(c) > MAX_FIELD_CHARS), None)
    if long is not None:
        problems.add(path, line, f"a field of {len(long)} characters is longer than {MAX_FIELD_CHARS}")
        return False
    return True
