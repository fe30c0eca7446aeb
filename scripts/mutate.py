"""Mutation testing of the engine (`make mutation`): change one operator or constant at a time in
layers/engine and see whether the engine's tests notice. Prints each surviving mutant and the share that
survived (the target is at most 10%).

A small mutator of our own: mutmut copies the tree and rewrites every function behind a trampoline, which
this layout (a package reading data/ and tests/data/ at import) does not need. Here the modules and the
test libraries are imported once; each mutant runs in a forked child that executes the mutated module in
place (rebinding the names other modules imported from it) and runs the module's tests with -x.

    python scripts/mutate.py                    # every engine module
    python scripts/mutate.py timeline geometry  # some of them
"""

from __future__ import annotations

import ast
import contextlib
import copy
import importlib
import io
import os
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "layers" / "engine"

# The tests that exercise each engine module, fastest first (-x stops at the first failure).
TESTS: dict[str, list[str]] = {
    "timeline": ["tests/test_timeline.py", "tests/test_scene.py"],
    "geometry": ["tests/test_geometry.py", "tests/test_scene.py", "tests/test_zones.py",  # join_small, tiled_union
                 "tests/test_import_parts.py"],
    "scene": ["tests/test_scene.py"],
    "query": ["tests/test_scene.py"],
    "zones": ["tests/test_zones.py", "tests/test_areas.py"],
}
TIMEOUT_FACTOR = 4  # a mutant whose tests take this many times the clean run is killed (an endless loop)

# Mutants that behave exactly like the original, so no test can tell them apart: (module, the source line,
# the change) -> why. Keyed by the line's text, not its number, so that edits above it do not unlist it.
# Strict: a mutant that changes any outcome a caller could see does not belong here; write the test.
EQUIVALENT: dict[tuple[str, str, str], str] = {
    ("zones", "if len(points) == 1:", "1 -> 0"):
        "a shortcut: the Voronoi cell of a lone point, extended to the envelope and clipped to `within`, is `within`",
    ("zones", "cells = shapely.voronoi_polygons(MultiPoint(list(points)), extend_to=within.envelope.buffer(1.0),",
     "1.0 -> 0"): "GEOS extends the diagram to at least extend_to's envelope; any that holds `within` clips alike",
    ("zones", 'return [g for g in getattr(geom, "geoms", [geom]) if not g.is_empty and g.area > 0', "Gt -> GtE"):
        "make_valid and GEOS overlays return no non-empty polygon of zero area, so > 0 and >= 0 keep the same parts",
    ("geometry", "if line.length > 0:", "Gt -> GtE"):
        "GEOS returns boundaries that meet at a point as Points (dropped above): no merged line has length 0",
    ("geometry", "if len(pieces) > 1:", "Gt -> GtE"): "a shortcut: one valid piece is its own coverage union",
    ("geometry", "if len(pieces) > 1:", "1 -> 0"): "the same shortcut, for no pieces and one piece",
    ("geometry", "shared[x][y] = shared[x].get(y, 0.0) + n", "0.0 -> 1"):
        "every neighbour's total gains the same 1 once: the longest border, and ties, stay the same",
}

SWAPS: dict[type, type] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.And: ast.Or, ast.Or: ast.And,
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Mult,
}


@dataclass(frozen=True)
class Mutant:
    module: str
    line: int
    what: str
    tree: ast.Module
    source: str = ""  # the original line's text, stripped

    @property
    def equivalent(self) -> str | None:
        return EQUIVALENT.get((self.module, self.source, self.what))


def _skipped(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Docstrings, annotations, messages (f-strings, raise) and logging are not behaviour worth mutating."""
    while node in parents:
        parent = parents[node]
        if isinstance(parent, ast.JoinedStr | ast.Raise):
            return True
        if isinstance(parent, ast.AnnAssign) and node is parent.annotation:
            return True
        if isinstance(parent, ast.arg) or (isinstance(parent, ast.FunctionDef) and node is parent.returns):
            return True
        node = parent
    return False


def _sites(tree: ast.Module) -> Iterator[tuple[ast.AST, str]]:
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if _skipped(node, parents):
            continue
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in SWAPS:
                    yield node, f"ops[{i}]"
        elif isinstance(node, ast.BoolOp | ast.BinOp | ast.AugAssign) and type(node.op) in SWAPS:
            yield node, "op"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
            yield node, "drop"
        elif isinstance(node, ast.Constant) and type(node.value) in (bool, int, float):
            yield node, "const"


def _apply(node: ast.AST, how: str) -> str:
    if how.startswith("ops["):
        i = int(how[4:-1])
        old = node.ops[i]  # type: ignore[attr-defined]
        node.ops[i] = SWAPS[type(old)]()  # type: ignore[attr-defined]
        return f"{type(old).__name__} -> {type(node.ops[i]).__name__}"  # type: ignore[attr-defined]
    if how == "op":
        old = node.op  # type: ignore[attr-defined]
        node.op = SWAPS[type(old)]()  # type: ignore[attr-defined]
        return f"{type(old).__name__} -> {type(node.op).__name__}"  # type: ignore[attr-defined]
    if how == "drop":
        return f"drop {type(node.op).__name__}"  # type: ignore[attr-defined]
    value = node.value  # type: ignore[attr-defined]
    new = (not value) if isinstance(value, bool) else (1 if value == 0 else 0 if value == 1 else value * 2)
    node.value = new  # type: ignore[attr-defined]
    return f"{value!r} -> {new!r}"


class _DropUnary(ast.NodeTransformer):
    def __init__(self, target: ast.AST):
        self.target = target

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        return node.operand if node is self.target else self.generic_visit(node)


def mutants(module: str) -> Iterator[Mutant]:
    source = (ENGINE / f"{module}.py").read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    for k in range(len(list(_sites(tree)))):
        copy_ = copy.deepcopy(tree)
        node, how_ = list(_sites(copy_))[k]
        what = _apply(node, how_)
        if how_ == "drop":
            copy_ = _DropUnary(node).visit(copy_)
        line = getattr(node, "lineno", 0)
        yield Mutant(module, line, what, ast.fix_missing_locations(copy_), lines[line - 1].strip() if line else "")


def _install(m: Mutant) -> None:
    """Execute the mutant in the module's own namespace and rebind what other modules imported from it."""
    name = f"layers.engine.{m.module}"
    mod = sys.modules[name]
    old = dict(vars(mod))
    exec(compile(m.tree, str(ENGINE / f"{m.module}.py"), "exec"), vars(mod))  # noqa: S102 - our own source
    new = vars(mod)
    replaced = {id(v): new[k] for k, v in old.items() if k in new and new[k] is not v}
    for other in list(sys.modules.values()):
        if other is mod or not getattr(other, "__name__", "").startswith("layers"):
            continue
        for key, value in list(vars(other).items()):
            if id(value) in replaced:
                setattr(other, key, replaced[id(value)])


def _run_tests(m: Mutant | None, tests: list[str], timeout: float) -> tuple[bool, float]:
    """(tests passed, seconds) in a forked child with ``m`` installed."""
    import pytest

    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child
        code = 3
        try:
            if m is not None:
                _install(m)
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", "--no-header", "-W", "ignore", *tests])
        finally:
            os._exit(int(code))
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0, time.monotonic() - start
        if time.monotonic() - start > timeout:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return False, time.monotonic() - start
        time.sleep(0.05)


def engine_modules() -> list[str]:
    return sorted(p.stem for p in ENGINE.glob("*.py") if p.stem != "__init__")


def main(argv: list[str]) -> int:
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    untested = sorted(set(engine_modules()) - set(TESTS))
    if untested:
        print(f"engine modules without tests in TESTS: {', '.join(untested)}: every module is mutated")
        return 2
    modules = argv or engine_modules()
    for module in modules:
        importlib.import_module(f"layers.engine.{module}")
    import layers.cli  # noqa: F401 - everything the tests import, imported once before forking
    import tests.conftest  # noqa: F401

    rows: list[tuple[str, int, int, int, float]] = []
    began = time.monotonic()
    for module in modules:
        started = time.monotonic()
        ok, clean = _run_tests(None, TESTS[module], timeout=1800)
        if not ok:
            print(f"{module}: the tests fail without any mutant: fix them first")
            return 2
        found = list(mutants(module))
        print(f"{module}: {len(found)} mutants, tests {clean:.1f} s clean", flush=True)
        survived = equivalent = 0
        for m in found:
            if m.equivalent:
                equivalent += 1
                continue
            passed, _ = _run_tests(m, TESTS[module], timeout=max(30.0, clean * TIMEOUT_FACTOR))
            if passed:
                survived += 1
                print(f"  survived: layers/engine/{m.module}.py:{m.line}: {m.what}    {m.source}", flush=True)
        rows.append((module, len(found), equivalent, survived, time.monotonic() - started))
    print(f"\n{'module':10} {'mutants':>7} {'equivalent':>10} {'killed':>6} {'survived':>8} {'share':>6} "
          f"{'seconds':>7}")
    for module, n, eq, sv, sec in rows:
        tested = n - eq
        print(f"{module:10} {n:7} {eq:10} {tested - sv:6} {sv:8} {sv / tested if tested else 0:6.1%} {sec:7.0f}")
    total, eq, survived = (sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows))
    tested = total - eq
    share = survived / tested if tested else 0.0
    print(f"{'all':10} {total:7} {eq:10} {tested - survived:6} {survived:8} {share:6.1%} "
          f"{time.monotonic() - began:7.0f}")
    print(f"{survived} of {tested} mutants survived ({share:.1%}; {eq} listed as equivalent) in "
          f"{time.monotonic() - began:.0f} s (target: at most 10%)")
    return 0 if share <= 0.10 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
