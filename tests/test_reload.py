"""Data edited while the app runs: a sealed, valid change is served; anything else is reported at /healthz
while the last good data keeps being served, and the report clears when good data comes back."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from layers.io.manifest import write_manifest
from tests.servers import state_table_url


@pytest.fixture
def client(mini_copy, monkeypatch):
    monkeypatch.setenv("CONTROLMAP_RELOAD_SECONDS", "0")
    monkeypatch.setenv("CONTROLMAP_CACHE", str(mini_copy.parent / "cache"))
    monkeypatch.setenv("CONTROLMAP_JOBS", str(mini_copy.parent / "jobs"))
    from app import create_app

    app = create_app(mini_copy)
    return app.server.test_client(), mini_copy


def health(client) -> dict:
    return json.loads(client.get("/healthz").data)


def test_unsealed_edit_is_refused_until_sealed_and_a_revert_clears_the_report(client):
    c, folder = client
    first = health(c)
    assert first["status"] == "ok" and first["events"] == 4 and first["sealed"] is True
    events = folder / "events" / "a.yaml"
    good = events.read_text()
    events.write_text(good[: good.index("- id: e3")])  # half the file, as a killed editor leaves it
    broken = health(c)
    assert broken["status"] == "serving last good data" and broken["events"] == 4
    assert broken["reload_error"].startswith("mini/events/a.yaml: 2 events, manifest says 4 events\n")
    assert "controlmap seal --data" in broken["reload_error"]
    events.write_text(good)
    assert health(c) == {**first, "reload_error": None}  # the report clears
    events.write_text(good.replace("title: Fall of the government", "title: Fall of the Assad government"))
    assert health(c)["status"] == "serving last good data"
    write_manifest(folder)  # `controlmap seal`
    after = health(c)
    assert after["status"] == "ok" and after["data_version"] != first["data_version"]
    assert b"Fall of the Assad government" in c.get(state_table_url(c.get("/_dash-layout").data)).data


def test_broken_change_is_reported_and_the_last_good_data_served(client):
    c, folder = client
    events = folder / "events" / "a.yaml"
    good = events.read_text()
    events.write_text(good.replace("confidence: high", "confidence: certain", 1))
    write_manifest(folder)  # sealed by hand without validating: the loader still refuses it
    broken = health(c)
    assert broken["status"] == "serving last good data"
    assert "mini/events/a.yaml:1: event e1: confidence must be high, medium or low" in broken["reload_error"]
    layout = c.get("/_dash-layout")
    assert layout.status_code == 200 and b"Fall of the government" in c.get(state_table_url(layout.data)).data
    events.write_text(good)
    write_manifest(folder)
    assert health(c)["status"] == "ok"


def test_an_unexpected_reload_failure_is_reported_not_a_500(client, monkeypatch):
    c, folder = client
    import layers.web.model as model

    def explode(*args, **kwargs):
        raise MemoryError("out of memory while loading")

    monkeypatch.setattr(model, "load_dataset", explode)
    (folder / "labels.txt").write_text("alpha\n")
    page = c.get("/")
    assert page.status_code == 200
    report = health(c)
    assert report["status"] == "serving last good data"
    assert report["reload_error"] == "reload failed: MemoryError: out of memory while loading"


def test_a_new_day_reloads_so_the_last_day_moves(client, monkeypatch):
    c, _ = client
    today = dt.date.fromisoformat(health(c)["last_day"])
    monkeypatch.setenv("CONTROLMAP_TODAY", (today + dt.timedelta(days=1)).isoformat())
    assert health(c)["last_day"] == (today + dt.timedelta(days=1)).isoformat()


def test_layout_is_revalidated_by_etag(client):
    c, _ = client
    first = c.get("/_dash-layout")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = c.get("/_dash-layout", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
