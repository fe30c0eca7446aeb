"""Shared fixtures: the synthetic mini dataset (tests/data/README.md) and copies to break."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest

from layers import Dataset, load_dataset

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini"
TODAY = dt.date(2026, 11, 26)

# Every test, and every server or command a test starts, sees the same "today" and a cache of its own: a
# run never depends on the calendar or on what an earlier run (or the user) left in ~/.cache.
os.environ["CONTROLMAP_TODAY"] = TODAY.isoformat()
os.environ["CONTROLMAP_CACHE"] = tempfile.mkdtemp(prefix="controlmap-test-cache-")
# Commands the tests start run this checkout's code, whatever their working directory (a relative
# PYTHONPATH=. would fall through to whichever copy of the package the environment has installed).
_PATHS = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *_PATHS])

# The URL fuzz draws new examples on every run from this seed, printed in the header of every run;
# CONTROLMAP_FUZZ_SEED=<seed> replays one.
FUZZ_SEED = int(os.environ.get("CONTROLMAP_FUZZ_SEED") or random.SystemRandom().randrange(2**32))


def pytest_report_header() -> str:
    return f"URL fuzz seed: {FUZZ_SEED} (replay with CONTROLMAP_FUZZ_SEED={FUZZ_SEED})"


@pytest.fixture(scope="session")
def mini() -> Dataset:
    return load_dataset(MINI, today=TODAY)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini dataset (base layers copied too, not linked)."""
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest, symlinks=False)
    return dest
