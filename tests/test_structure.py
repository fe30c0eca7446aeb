"""The house rules, checked: a pure core without Dash, an engine that writes no files and draws nothing,
no import cycles, no module past about 400 lines."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ROOT / "layers"
CORE = ("model", "io", "engine", "export", "tools", "cli")
MAX_LINES = 420


def modules(package: str = "") -> list[str]:
    base = LAYERS / package if package else LAYERS
    return sorted(".".join(("layers",) + p.relative_to(LAYERS).with_suffix("").parts).removesuffix(".__init__")
                  for p in base.rglob("*.py"))


def test_core_and_cli_never_import_dash_or_plotly():
    core = [m for pkg in CORE for m in modules(pkg)] + ["layers"]
    code = (f"import importlib, sys\nfor m in {core!r}: importlib.import_module(m)\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'dash', 'plotly', 'flask'}))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert res.stdout.strip() == "[]"


@pytest.mark.parametrize("path", sorted((LAYERS / "engine").rglob("*.py")), ids=lambda p: p.name)
def test_engine_is_pure(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {(n.module or "").split(".")[0] for n in ast.walk(tree)
                 if isinstance(n, ast.ImportFrom) and not n.level}
    assert not imported & {"plotly", "matplotlib", "dash", "flask", "os", "tempfile", "shutil"}
    calls = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    assert not calls & {"write_text", "write_bytes", "to_file", "savefig", "unlink", "mkdir"}
    assert not any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "open"
                   for n in ast.walk(tree))


def _imports(module: str, path: Path) -> set[str]:
    out = set()
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(n, ast.ImportFrom) and n.level:
            base = package[: len(package) - n.level + 1]
            target = ".".join(base + ([n.module] if n.module else []))
            out |= {target} | {f"{target}.{a.name}" for a in n.names}
        elif isinstance(n, ast.ImportFrom) and (n.module or "").startswith("layers"):
            out |= {n.module or ""} | {f"{n.module}.{a.name}" for a in n.names}
    return out


def test_no_import_cycles():
    paths = {m: (LAYERS.parent / m.replace(".", "/")).with_suffix(".py") for m in modules()}
    paths = {m: p if p.exists() else p.with_suffix("") / "__init__.py" for m, p in paths.items()}
    graph = {m: {t for t in _imports(m, p) if t in paths and t != m and not paths[t].name == "__init__.py"}
             for m, p in paths.items() if p.name != "__init__.py"}
    seen: dict[str, int] = {}

    def visit(m: str, stack: list[str]) -> None:
        seen[m] = 1
        for t in graph.get(m, ()):
            assert seen.get(t) != 1, f"import cycle: {' -> '.join(stack + [m, t])}"
            if t not in seen:
                visit(t, stack + [m])
        seen[m] = 2

    for m in graph:
        if m not in seen:
            visit(m, [])


def test_no_module_is_too_long():
    files = list(LAYERS.rglob("*.py")) + [ROOT / "app.py"] + list((ROOT / "assets").glob("*.js"))
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in files}
    long = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert not long, f"split these along their jobs: {long}"
