"""Bounded serving: request bodies, the export queue, Redis down, --debug, the page sent once, caches and
temporary files that do not pile up."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import subprocess
import sys
import time

import pytest

from layers.io.atomic import atomic_output, remove_stale_parts
from layers.io.cache import cached_json, prune
from tests.test_browser import free_port


@pytest.fixture
def app(mini_copy, monkeypatch, tmp_path):
    monkeypatch.setenv("CONTROLMAP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("CONTROLMAP_JOBS", str(tmp_path / "jobs"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    from app import create_app

    return create_app(mini_copy)


def test_a_large_body_gets_413_with_one_line_and_is_never_logged(app, caplog):
    client = app.server.test_client()
    body = b'{"output": "' + b"A" * (2 * 1024 * 1024) + b'"}'
    with caplog.at_level(logging.DEBUG):
        res = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert res.status_code == 413
    assert res.data.decode().splitlines() == ["Request body too large: the limit is 256 KiB"]
    assert "AAAAAAAAAA" not in caplog.text


def test_a_broken_callback_body_logs_no_body(app, caplog):
    client = app.server.test_client()
    with caplog.at_level(logging.DEBUG):
        res = client.post("/_dash-update-component", data=b'{"output": "' + b"B" * 100_000,
                          content_type="application/json")
    assert res.status_code in (400, 500) and len(res.data.splitlines()) == 1
    assert "B" * 300 not in caplog.text


def test_the_index_page_does_not_carry_the_layout_and_is_compressed_once(app):
    client = app.server.test_client()
    first = client.get("/", headers={"Accept-Encoding": "gzip"})
    again = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "gzip"
    assert first.data == again.data and first.headers["ETag"] == again.headers["ETag"]
    page = client.get("/").data
    assert b"validation_layout" not in page and b"map-data" not in page and len(page) < 20_000
    assert client.get("/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    scripts = re.findall(rb'<script src="([^"]+)"', page)
    assert any(b"/maplibre.min.js" in s for s in scripts)  # MapLibre itself, and no plotly.js at all
    assert not [s for s in scripts if b"plotly" in s]


def test_health_reports_the_export_queue(app):
    report = json.loads(app.server.test_client().get("/healthz").data)
    assert report["status"] == "ok"
    assert report["jobs"] == {"backend": "diskcache", "status": "ok", "running": 0, "limit": 2}


def _sleeper(key, progress_key, args, context):  # a job that holds its slot
    time.sleep(30)


def test_the_export_queue_refuses_beyond_its_limit_without_a_process(tmp_path):
    import diskcache
    import psutil

    from layers.web.queue import BUSY_JOB, BoundedDiskcacheManager

    manager = BoundedDiskcacheManager(diskcache.Cache(str(tmp_path / "jobs")), limit=1, expire=60)
    pid = manager.call_job_fn("k1", _sleeper, [], {})
    try:
        before = len(psutil.Process().children())
        assert manager.call_job_fn("k2", _sleeper, [], {}) == BUSY_JOB
        assert len(psutil.Process().children()) == before
        assert manager.get_result("k2", BUSY_JOB)[1].startswith("Busy: 1 exports are running. Try again")
        assert manager.job_running(BUSY_JOB) is False
        manager.terminate_job(BUSY_JOB)  # never turns into a kill of pid 0
    finally:
        manager.terminate_job(pid)
    assert manager.running() == []


def test_redis_configured_but_down_fails_fast_and_shows_in_health(mini_copy, monkeypatch, tmp_path):
    monkeypatch.setenv("CONTROLMAP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    from app import create_app
    from layers.web.queue import JobQueueDown

    app = create_app(mini_copy)
    report = json.loads(app.server.test_client().get("/healthz").data)
    assert report["status"] == "degraded: image exports unavailable"
    assert report["jobs"] == {"backend": "celery", "status": "redis unreachable"}
    queue = app.server.config["CONTROLMAP_QUEUE"]
    with pytest.raises(JobQueueDown):
        queue.manager.call_job_fn("k", None, [], {})


def test_debug_binds_loopback_only_and_warns(monkeypatch, capsys, mini_copy, tmp_path):
    monkeypatch.setenv("CONTROLMAP_CACHE", str(tmp_path / "cache"))
    from dash import Dash

    from layers.web import server

    calls = []
    monkeypatch.setattr(Dash, "run", lambda self, **kw: calls.append(kw))
    server.run(mini_copy, host="0.0.0.0", port=8999, debug=True)  # noqa: S104 - the point of the test
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["debug"] is True
    assert "binding 127.0.0.1 instead of 0.0.0.0" in capsys.readouterr().err


def test_jobs_folders_of_dead_servers_are_removed(monkeypatch, tmp_path):
    import tempfile

    from layers.web import queue

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    (tmp_path / f"controlmap-jobs-{dead}").mkdir()
    (tmp_path / f"controlmap-jobs-{os.getppid()}").mkdir()  # a live server's folder stays
    folder = queue.fresh_jobs_folder()
    assert folder == tmp_path / f"controlmap-jobs-{os.getpid()}"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"controlmap-jobs-{os.getppid()}", f"controlmap-jobs-{os.getpid()}"])


def test_cache_entries_are_pruned(tmp_path):
    for day in range(12):
        cached_json(f"digest-2026-11-{day:02d}", "payload", lambda: [1], tmp_path)
    assert len(list(tmp_path.glob("payload-*.json.gz"))) == 8
    old = next(tmp_path.glob("payload-*.json.gz"))
    os.utime(old, (time.time() - 30 * 86400, time.time() - 30 * 86400))
    prune(tmp_path, "payload")
    assert not old.exists()


def test_temporary_files_of_a_killed_writer_are_removed_by_the_next_write(tmp_path):
    target = tmp_path / "map.png"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    left = tmp_path / f".map.png.{dead}.abc123.part.png"
    left.write_bytes(b"half an image")
    mine = tmp_path / f".map.png.{os.getpid()}.xyz.part.png"
    mine.write_bytes(b"being written")
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"png")
    assert target.read_bytes() == b"png" and not left.exists() and mine.exists()
    assert remove_stale_parts(target) == []


def test_the_page_and_layout_are_replayed_with_their_headers(app):
    client = app.server.test_client()
    first = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    again = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Content-Encoding", "Vary"):
        assert again.headers[name] == first.headers[name]
    cached = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert cached.status_code == 304 and cached.data == b""
    plain = client.get("/")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers


@pytest.mark.parametrize("width, title, message", [
    (99999, "", "Width must be a whole number from 1200 to 4000 px."),
    ("wide", "", "Width must be a whole number from 1200 to 4000 px."),
    (None, "", "Width must be a whole number from 1200 to 4000 px."),
    (1600, "x" * 121, "Title must be at most 120 characters."),
])
def test_the_page_export_refuses_a_bad_size_or_title_in_one_line_before_drawing(width, title, message):
    import datetime as dt
    from types import SimpleNamespace

    from dash import no_update

    from layers.web.jobs import export_image

    steps: list[object] = []
    model = SimpleNamespace(ds=SimpleNamespace(start=dt.date(2016, 1, 1), end=dt.date(2016, 2, 1)))
    assert export_image(steps.append, 3, width, None, None, model, "png", title=title) == (no_update, message)
    assert steps == []  # nothing was drawn


def test_static_files_are_sent_at_the_best_compression_and_only_the_scripts_the_app_uses(app, tmp_path):
    import gzip
    import re

    import brotli

    from layers.io.bundled import bundled

    client = app.server.test_client()
    page = client.get("/").data.decode()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    names = [s.split("?")[0].rsplit("/", 1)[-1] for s in scripts]
    assert not [n for n in names if "polyfill" in n or "bundle.v" in n]  # Babel's polyfill, dash_table
    # MapLibre's shared code first: the page's part and the worker take it from there
    assert names.index("maplibre-shared.min.js") < names.index("maplibre.min.js")
    assert names.index("regenerator-runtime.min.js") < next(i for i, n in enumerate(names) if "dash_renderer" in n)
    vendor = bundled("assets") / "vendor"
    for name in ("maplibre-shared.min.js", "maplibre.min.js", "regenerator-runtime.min.js"):
        body, br = (vendor / name).read_bytes(), (vendor / f"{name}.br").read_bytes()
        assert brotli.decompress(br) == body  # scripts/build_maplibre.sh wrote both
        url = next(s for s in scripts if f"/{name}?" in s)
        sent = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
        assert sent.headers["Content-Encoding"] == "br" and sent.data == br
        assert "max-age" in sent.headers["Cache-Control"]
        zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped.data) == body
        assert client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": sent.headers["ETag"]}
                          ).status_code == 304
    # a Dash bundle: a quick brotli at once, the best one built in the background and kept on disk
    url = next(s for s in scripts if "dash_renderer" in s)
    first = client.get(url, headers={"Accept-Encoding": "br"})
    plain = client.get(url).data
    assert first.headers["Content-Encoding"] == "br" and brotli.decompress(first.data) == plain
    import time

    for _ in range(200):
        if (tmp_path / "cache" / "static" / f"{hashlib.sha256(plain).hexdigest()[:32]}.br").exists():
            break
        time.sleep(0.1)
    best = client.get(url, headers={"Accept-Encoding": "br"})
    assert brotli.decompress(best.data) == plain and len(best.data) < len(first.data)


def test_the_state_table_places_base_layers_and_texts_come_from_versioned_routes_not_the_layout(app):
    client = app.server.test_client()
    layout = client.get("/_dash-layout").get_json()
    stores, specs = {}, []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Store":
                stores[node["props"]["id"]] = node["props"].get("data")
            if isinstance(node.get("props"), dict) and "data-spec" in node["props"]:
                specs.append(json.loads(node["props"]["data-spec"]))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(layout)
    # the layout names where the state table is and does not carry it; the index page preloads it
    assert stores["map-data"] is None and "place-index" not in stores
    src = stores["map-data-src"]
    assert f'<link rel="preload" href="{src}" as="fetch"' in client.get("/").get_data(as_text=True)
    table = client.get(src, headers={"Accept-Encoding": "br"})
    assert table.status_code == 200 and "immutable" in table.headers["Cache-Control"]
    data = client.get(src).get_json()
    assert data["zones_q"] and data["runs"] and data["labels"]
    assert all(p[4] <= 2 and p[3] == [] for p in data["labels"])  # cities and towns, without other names
    places = client.get(data["places_src"]).get_json()
    # the base layers are URLs MapLibre fetches, not GeoJSON in the map's style in the layout
    (spec,) = specs
    sources = [s["data"] for s in spec["style"]["sources"].values()]
    assert all(s.startswith("/_controlmap/") for s in sources)
    assert {layer["source"] for layer in spec["style"]["layers"] if "source" in layer} == set(spec["style"]["sources"])
    assert sources and all(client.get(s).get_json()["type"] == "FeatureCollection" for s in set(sources))
    assert len(client.get("/_dash-layout").data) < 200_000
    assert data["events"] and all("summary" not in e and "summary_ar" not in e and "disputed" not in e
                                  and all("evidence" not in s and "url" not in s for s in e["sources"])
                                  for e in data["events"])
    assert all(s["publisher"] for e in data["events"] for s in e["sources"])  # the hover names them at once
    texts = client.get(data["lazy"] + "texts/0.json")
    assert texts.status_code == 200 and "immutable" in texts.headers["Cache-Control"]
    chunk = texts.get_json()
    model = app.server.config["CONTROLMAP"].current()
    assert len(chunk) == min(data["text_chunk"], len(model.ds.events))
    first = model.ds.events[0]
    assert chunk[0]["summary"] == first.summary and chunk[0]["summary_ar"] == first.summary_ar
    assert [s["url"] for s in chunk[0]["sources"]] == [s.url for s in first.sources]
    assert any(p[3] for p in places["places"])  # the search's other names stay in the page
    for bad in (data["lazy"] + "texts/999.json", "/_controlmap/0123456789abcdef/texts/0.json",
                data["lazy"] + "texts/x.json", data["lazy"] + "base/nothing.json", data["lazy"] + "base/../map.json",
                "/_controlmap/0123456789abcdef/map.json"):
        res = client.get(bad)
        assert res.status_code == 404 and len(res.data.splitlines()) == 1


def test_best_forms_stay_bounded_and_keep_the_prebuilt_ones(tmp_path):
    """Many data versions come and go: memory keeps at most `size` bodies, and never drops a prebuilt .br."""
    import brotli

    from layers.web.responses import BestForms

    forms = BestForms(tmp_path / "static", size=3)
    plotly = b"prebuilt " * 1000
    forms.pin(("p", "br"), brotli.compress(plotly))
    for i in range(10):
        body = f"version {i} ".encode() * 500
        assert brotli.decompress(forms.compressed(body, f"v{i}", "br", wait=True)) == body
    assert len(forms._kept) == 3
    assert brotli.decompress(forms.compressed(plotly, "p", "br")) == plotly
