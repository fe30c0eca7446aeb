"""The served dataset: computed once, reloaded when the data folder changes and still validates."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dash import (
    html,
)
from dash._utils import to_json
from flask import Response, request

from .. import DataError, Timeline, load_dataset
from ..export import Exporter
from ..io.cache import cached_json
from ..io.dataset import data_digest
from ..io.readers import today as current_day
from ..model.errors import render
from .figure import base_sources, build_map_spec
from .layout import page
from .payload import TEXT_CHUNK, build_payload, event_texts, place_index
from .responses import VersionedResponses

app_log = logging.getLogger("controlmap")


class ControlMap:
    """Everything the dashboard needs, computed once from the dataset."""

    def __init__(self, data_dir: Path, sealed: bool = True, today: dt.date | None = None):
        self.today = today or current_day()
        self.ds = load_dataset(data_dir, today=self.today, sealed=sealed)
        self.timeline = Timeline(self.ds)
        # Everything the cached products depend on: the data, its span (the last day is today or the
        # data's as-of date) and the day they were built; the code's version is part of the file name.
        key = f"{self.ds.digest}-{self.ds.start}-{self.ds.end}-{self.today}"
        self.version = key
        self.payload = cached_json(key, "payload", lambda: build_payload(self.ds, self.timeline))
        # Where the browser fetches what the page itself leaves out, under a path that names the data version
        # (so that browsers may keep it): the state table (preloaded by the index page), the place index (on
        # the first search or the first zoom to villages) and the events' long texts (when shown).
        self.lazy_id = hashlib.sha256(key.encode()).hexdigest()[:16]
        self.payload["lazy"] = f"{LAZY_PREFIX}{self.lazy_id}/"
        self.payload["places_src"] = self.url("places")
        self.base = base_sources(self.ds)
        self.map_spec = cached_json(key, "mapspec", lambda: build_map_spec(
            self.ds, lambda name: self.url(f"base/{name}")))
        self.exporter = Exporter(self.ds, self.timeline)
        self.layer_ids = [f.id for f in self.ds.factions] + ["front", "towns"]

    def layout(self) -> html.Div:
        return page(self)

    def url(self, name: str) -> str:
        """Where the browser fetches one part of this version (ModelHolder.lazy_response serves it)."""
        return f"{LAZY_PREFIX}{self.lazy_id}/{name}.json"


LAZY_PREFIX = "/_controlmap/"
LAZY_PATH = re.compile(r"/_controlmap/([0-9a-f]{16})/(map|places|texts/(\d{1,6})|base/([a-z0-9_]{1,40}))\.json")
PRELOAD = '<link rel="preload" href="{src}" as="fetch" crossorigin="anonymous" data-state-table>'


class ModelHolder:
    """The dataset being served. When files in the data folder change (checked at most every
    CONTROLMAP_RELOAD_SECONDS, default 10) or the day changes, the data is loaded again and served if it
    validates (and matches its MANIFEST, unless CONTROLMAP_UNSEALED=1); if it does not, the last good data
    keeps being served, and the problems are logged and shown at /healthz until good data comes back."""

    def __init__(self, data_dir: Path, sealed: bool | None = None):
        self.data_dir = data_dir
        self.sealed = os.environ.get("CONTROLMAP_UNSEALED", "") not in ("1", "true") if sealed is None else sealed
        self.model = ControlMap(data_dir, self.sealed)
        self.digest = self.model.ds.digest
        self.error: str | None = None
        self.failed: tuple[str, dt.date] | None = None  # the data that failed to load, not retried
        self.checked = time.monotonic()
        self.interval = float(os.environ.get("CONTROLMAP_RELOAD_SECONDS", "10"))
        self.responses = VersionedResponses()
        self.lock = threading.Lock()
        self.checks: list[Callable[[], dict[str, Any]]] = []  # more health reports (the job queue)

    def current(self) -> ControlMap:
        if time.monotonic() - self.checked >= self.interval and self.lock.acquire(blocking=False):
            try:
                self.checked = time.monotonic()
                self._reload_if_changed()
            finally:
                self.lock.release()
        return self.model

    def _reload_if_changed(self) -> None:
        today = current_day()
        try:
            digest = data_digest(self.data_dir.resolve())
        except OSError as exc:
            self._failed(("", today), f"{self.data_dir}: cannot read: {exc.strerror or exc}")
            return
        if digest == self.digest and today == self.model.today:
            self.error = self.failed = None  # a broken edit was reverted: healthy again
            return
        if self.failed == (digest, today):
            return  # the same broken data: keep reporting it without reloading it every time
        try:
            model = ControlMap(self.data_dir, self.sealed, today)
        except DataError as exc:
            error = render(exc.problems, limit=20) + (f"\n{exc.hint}" if exc.hint else "")
            self._failed((digest, today), error)
            return
        except Exception as exc:  # noqa: BLE001 - any failure keeps the last good data and is reported
            app_log.exception("reloading %s failed", self.data_dir)
            self._failed((digest, today), f"reload failed: {type(exc).__name__}: {str(exc)[:200]}")
            return
        self.model, self.digest, self.error, self.failed = model, digest, None, None
        self.prepare()
        app_log.info("data reloaded: version %s", model.ds.digest)

    def _failed(self, key: tuple[str, dt.date], error: str) -> None:
        self.failed, self.error = key, error
        app_log.error("data changed but cannot be served; still serving %s:\n%s", self.model.ds.digest, error)

    def layout(self) -> html.Div:
        return self.current().layout()

    def layout_response(self) -> Response | None:
        """/_dash-layout served from bytes serialised and compressed once per data version (Dash would
        serialise the whole geometry and state table on every page load), revalidated by ETag."""
        if request.path != "/_dash-layout" or request.method != "GET":
            return None
        model = self.current()
        return self.responses.get("layout", model.version, lambda: layout_body(model), "application/json")

    def lazy_response(self) -> Response | None:
        """/_controlmap/<data version>/map.json (the state table and geometry: payload.build_payload),
        places.json (payload.place_index), texts/<chunk>.json (payload.event_texts) and base/<name>.json
        (the base layers, fetched by MapLibre): each compressed once per data version; the version in the
        path lets browsers keep them. Another version (a page loaded before a reload) or an unknown part
        gets a one-line 404."""
        if not request.path.startswith(LAZY_PREFIX) or request.method != "GET":
            return None
        match, model = LAZY_PATH.fullmatch(request.path), self.current()
        chunk = int(match.group(3)) if match and match.group(3) else 0
        if (not match or match.group(1) != model.lazy_id or chunk * TEXT_CHUNK >= max(1, len(model.ds.events))
                or (match.group(4) and match.group(4) not in model.base)):
            return Response("Not found: this page's data has changed; reload the page\n", status=404,
                            mimetype="text/plain")
        name = match.group(2).replace("/", "-")
        response = self.responses.get(name, model.version, lambda: lazy_body(model, name), "application/json")
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    def index_response(self, build: Callable[[], str]) -> Response:
        """The index page, built and compressed once per data version. Its head preloads the state table, so
        that it comes while the scripts load, not after Dash has asked for the layout."""
        model = self.current()
        preload = PRELOAD.format(src=model.url("map"))
        return self.responses.get("index", model.version, lambda: build().replace("</head>", f"{preload}</head>", 1)
                                  .encode("utf-8"), "text/html")

    def prepare(self) -> None:
        """Compress the layout and the state table at their best level before serving them (brotli 11 of the
        state table takes about 3 s, once per data version: kept on disk by content hash), so that no page
        load gets a quick, larger form."""
        model = self.model
        for name, build in (("layout", lambda: layout_body(model)), ("map", lambda: lazy_body(model, "map"))):
            self.responses.prepare(name, model.version, build, "application/json", wait=True)

    def health(self) -> Response:
        model = self.current()
        body: dict[str, Any] = {
            "status": "ok" if self.error is None else "serving last good data",
            "data_version": model.ds.digest, "sealed": self.sealed, "events": len(model.ds.events),
            "last_day": model.ds.end.isoformat(), "reload_error": self.error}
        for check in self.checks:
            body.update(check())
        if body.get("jobs", {}).get("status", "ok") != "ok" and body["status"] == "ok":
            body["status"] = "degraded: image exports unavailable"
        return Response(json.dumps(body), mimetype="application/json")


def layout_body(model: ControlMap) -> bytes:
    """Dash's /_dash-layout body for a model (ModelHolder.layout_response)."""
    return to_json(model.layout()).encode("utf-8")


def lazy_body(model: ControlMap, name: str) -> bytes:
    """The JSON body of one lazily fetched part of a model (ModelHolder.lazy_response)."""
    if name == "map":
        value: Any = model.payload
    elif name == "places":
        value = place_index(model.ds, model.payload["zone_ids"])
    elif name.startswith("base-"):
        value = model.base[name[len("base-"):]]
    else:
        value = event_texts(model.ds, int(name.split("-")[1]))
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
