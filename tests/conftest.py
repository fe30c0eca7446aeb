"""Shared fixtures: the synthetic mini dataset (tests/data/README.md) and copies to break."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from layers import Dataset, load_dataset

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini"
TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="session")
def mini() -> Dataset:
    return load_dataset(MINI, today=TODAY)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini dataset (base layers copied too, not linked)."""
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest, symlinks=False)
    return dest
