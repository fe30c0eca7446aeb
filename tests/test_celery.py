"""Background exports on Celery with a real Redis server (REDIS_URL): the browser's PNG export is run by a
Celery worker. On CI (.ci/run installs redis-server) a missing Redis is a failure, elsewhere a skip."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import MINI, ROOT
from tests.servers import free_port
from tests.test_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.browser
REDIS = shutil.which("redis-server")
if REDIS is None or not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI needs redis-server and chromium (see .ci/run)")
    pytest.skip("no redis-server or chromium on this machine", allow_module_level=True)


def _wait_port(port: int, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def test_png_export_runs_on_a_celery_worker(tmp_path):
    from playwright.sync_api import sync_playwright

    redis_port, web_port = free_port(), free_port()
    env = {**os.environ, "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "CONTROLMAP_DATA": str(MINI),
           "CONTROLMAP_WORKERS": "1", "CONTROLMAP_BIND": f"127.0.0.1:{web_port}",
           "DASH_DISABLE_VERSION_CHECK": "true"}
    bin_dir = Path(sys.executable).parent
    logs = {name: (tmp_path / f"{name}.log").open("w") for name in ("redis", "celery", "web")}
    procs = [subprocess.Popen([REDIS, "--port", str(redis_port), "--save", "", "--appendonly", "no"],
                              stdout=logs["redis"], stderr=subprocess.STDOUT)]
    try:
        _wait_port(redis_port)
        procs.append(subprocess.Popen([str(bin_dir / "celery"), "-A", "wsgi:celery_app", "worker", "--pool", "solo",
                                       "--loglevel", "info"], cwd=ROOT, env=env, stdout=logs["celery"],
                                      stderr=subprocess.STDOUT))
        procs.append(subprocess.Popen([str(bin_dir / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:server"],
                                      cwd=ROOT, env=env, stdout=logs["web"], stderr=subprocess.STDOUT))
        _wait_port(web_port, 60)
        url = f"http://127.0.0.1:{web_port}/"
        urllib.request.urlopen(url + "healthz", timeout=30)  # noqa: S310 - loopback only
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True).new_page()
            page.goto(url + "?date=2018-03-20", wait_until="networkidle")
            page.wait_for_selector(".maplibregl-canvas", timeout=30000)
            with page.expect_download(timeout=90000) as info:
                page.click("#export-png")
            assert info.value.suggested_filename == "controlmap-2018-03-20.png"
            path = tmp_path / "map.png"
            info.value.save_as(path)
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            browser.close()
        for log in logs.values():
            log.flush()
        assert "succeeded" in (tmp_path / "celery.log").read_text()  # the worker ran the export
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs.values():
            log.close()
