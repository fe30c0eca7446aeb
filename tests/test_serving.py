"""Production serving: gunicorn with several workers answers with compressed, secured, cacheable responses."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import MINI, ROOT
from tests.servers import free_port, state_table_url, wait_until_up


def test_gunicorn_serves_with_workers_compression_headers_and_survives_a_killed_worker(tmp_path):
    port = free_port()
    env = {**os.environ, "CONTROLMAP_DATA": str(MINI), "CONTROLMAP_WORKERS": "2",
           "CONTROLMAP_BIND": f"127.0.0.1:{port}"}
    log = (tmp_path / "gunicorn.log").open("w")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:server"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_up(url, proc, tmp_path / "gunicorn.log")
        page = urllib.request.urlopen(url, timeout=10)  # noqa: S310
        assert "frame-ancestors" in page.headers["Content-Security-Policy"]
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        request = urllib.request.Request(url + "_dash-layout", headers={"Accept-Encoding": "gzip"})  # noqa: S310
        layout = urllib.request.urlopen(request, timeout=10)  # noqa: S310
        assert layout.headers["Content-Encoding"] == "gzip"
        table = urllib.request.Request(url.rstrip("/") + state_table_url(gzip.decompress(layout.read())),  # noqa: S310
                                       headers={"Accept-Encoding": "gzip"})
        assert b"zones_q" in gzip.decompress(urllib.request.urlopen(table, timeout=10).read())  # noqa: S310
        assert (tmp_path / "gunicorn.log").read_text().count("Booting worker") == 2
        # a worker killed mid-flight: the others keep serving and the master starts a new one
        import psutil

        workers = psutil.Process(proc.pid).children()
        assert len(workers) == 2
        workers[0].kill()
        for _ in range(20):
            assert urllib.request.urlopen(url + "healthz", timeout=10).status == 200  # noqa: S310
        for _ in range(100):
            if len(psutil.Process(proc.pid).children()) == 2 and workers[0].pid not in {
                    p.pid for p in psutil.Process(proc.pid).children()}:
                break
            time.sleep(0.1)
        assert workers[0].pid not in {p.pid for p in psutil.Process(proc.pid).children()}
        assert len(psutil.Process(proc.pid).children()) == 2
    finally:
        proc.terminate()
        proc.wait(timeout=90)  # a graceful stop waits for the worker started after the kill to boot
        log.close()
