"""Where the bundled dataset (data/) and the browser assets (assets/) are: in a checkout (or an editable
install) at the top of the repository; in an installed wheel inside the package, as ``layers/bundled/``
(setup.py copies them there when the wheel is built)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent.parent


def bundled(name: str) -> Path:
    """The folder ``name`` ("data", "assets" or "world") of the checkout, or the one packaged in the wheel."""
    here = REPOSITORY / name
    if (REPOSITORY / "pyproject.toml").is_file() and here.is_dir():
        return here
    return Path(str(files("layers") / "bundled" / name))
