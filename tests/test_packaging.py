"""`pip install .` gives a working program: the wheel carries the package, the bundled data and the browser
assets, and, installed into a fresh virtual environment outside the repository, `controlmap validate` checks
the bundled data and `controlmap serve` answers /healthz and serves the assets.

Offline and quick: the wheel is built without build isolation, installed with --no-deps, and the new
environment reaches the dependencies already installed here through a .pth file (never this checkout)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import urllib.request
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, TODAY
from tests.servers import free_port, wait_until_up


@pytest.fixture(scope="module")
def installed() -> Iterator[Path]:
    """The bin/ folder of a fresh virtual environment with the wheel installed (in a folder of its own: other
    pytest runs on this machine prune pytest's shared temporary folders)."""
    tmp = Path(tempfile.mkdtemp(prefix="controlmap-wheel-"))
    yield _install(tmp)
    shutil.rmtree(tmp, ignore_errors=True)


def _install(tmp: Path) -> Path:
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp / "dist"), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-3000:]
    wheel = next((tmp / "dist").glob("controlmap-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("layers/web/server.py", "layers/engine/timeline.py", "layers/bundled/data/factions.csv",
                   "layers/bundled/data/initial.yaml", "layers/bundled/assets/style.css"):
        assert needed in names, needed
    assert any(n.startswith("layers/bundled/data/events/") and n.endswith(".yaml") for n in names)
    assert any(n.startswith("layers/bundled/assets/") and n.endswith(".js") for n in names)
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    new_python = env_dir / "bin" / "python"
    site = subprocess.run([str(new_python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True, cwd=tmp, env=outside_env(tmp)).stdout.strip()
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(new_python), "install", "--no-deps",
                              "-q", str(wheel)], capture_output=True, text=True, timeout=600, cwd=tmp,
                             env=outside_env(tmp))
    assert install.returncode == 0, install.stderr[-3000:]
    # then the dependencies installed here, but not this checkout (an editable install's finder is not loaded)
    (Path(site) / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return env_dir / "bin"


def outside_env(tmp: Path) -> dict[str, str]:
    """No PYTHONPATH pointing into the checkout, and a working directory elsewhere."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CONTROLMAP_DATA")}
    return {**env, "HOME": str(tmp), "DASH_DISABLE_VERSION_CHECK": "true"}


@pytest.fixture
def elsewhere() -> Iterator[Path]:
    tmp = Path(tempfile.mkdtemp(prefix="controlmap-elsewhere-"))
    yield tmp
    shutil.rmtree(tmp, ignore_errors=True)


def test_the_installed_program_validates_its_bundled_data(installed, elsewhere):
    tmp_path = elsewhere
    res = subprocess.run([str(installed / "controlmap"), "validate"], capture_output=True, text=True,
                         cwd=tmp_path, env=outside_env(tmp_path), timeout=600)
    assert res.returncode == 0, res.stderr
    where = res.stdout.split(": ok: ")[0]
    assert where.startswith(str(installed.parent)) and where.endswith("layers/bundled/data"), res.stdout
    assert f".. {TODAY}" in res.stdout
    imported = subprocess.run([str(installed / "python"), "-c", "import layers.web.server as s; print(s.__file__)"],
                              capture_output=True, text=True, cwd=tmp_path, env=outside_env(tmp_path), check=True)
    assert imported.stdout.strip().startswith(str(installed.parent))


def test_the_installed_program_serves_the_dashboard(installed, elsewhere):
    tmp_path = elsewhere
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(installed / "controlmap"), "serve", "--port", str(port)], cwd=tmp_path,
                                env=outside_env(tmp_path), stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}/"
        wait_until_up(base + "healthz", proc, log, timeout=300)
        with urllib.request.urlopen(base, timeout=30) as page:  # noqa: S310 - loopback only
            html = page.read().decode()
        assert "Northern Syria control map" in html and "/assets/" in html
        with urllib.request.urlopen(base + "assets/style.css", timeout=30) as css:  # noqa: S310
            assert css.status == 200 and len(css.read()) > 100
    finally:
        proc.terminate()
        proc.wait(timeout=30)
