"""Data edited while the app runs: a valid change is served, a broken one is reported and the last good
data keeps being served."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def client(mini_copy, monkeypatch):
    monkeypatch.setenv("CONTROLMAP_RELOAD_SECONDS", "0")
    monkeypatch.setenv("CONTROLMAP_CACHE", str(mini_copy.parent / "cache"))
    from app import create_app

    app = create_app(mini_copy)
    return app.server.test_client(), mini_copy


def health(client) -> dict:
    return json.loads(client.get("/healthz").data)


def test_valid_change_is_served_and_broken_change_is_reported(client):
    c, folder = client
    first = health(c)
    assert first["status"] == "ok" and first["events"] == 4
    events = folder / "events" / "a.yaml"
    good = events.read_text()
    events.write_text(good.replace("title: Fall of the government", "title: Fall of the Assad government"))
    after = health(c)
    assert after["status"] == "ok" and after["data_version"] != first["data_version"]
    assert b"Fall of the Assad government" in c.get("/_dash-layout").data
    events.write_text(good.replace("confidence: high", "confidence: certain", 1))
    broken = health(c)
    assert broken["status"] == "serving last good data"
    assert broken["data_version"] == after["data_version"]
    assert "mini/events/a.yaml:1: event e1: confidence must be high, medium or low" in broken["reload_error"]
    layout = c.get("/_dash-layout")
    assert layout.status_code == 200 and b"Fall of the Assad government" in layout.data
    events.write_text(good)
    assert health(c)["status"] == "ok"


def test_layout_is_revalidated_by_etag(client):
    c, _ = client
    first = c.get("/_dash-layout")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = c.get("/_dash-layout", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
