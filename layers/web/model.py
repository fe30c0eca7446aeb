"""The served dataset: computed once, reloaded when the data folder changes and still validates."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import threading
import time
from pathlib import Path

from dash import (
    html,
)
from dash._utils import to_json
from flask import Response, request

from .. import DataError, Timeline, load_dataset
from ..export import Exporter
from ..io.cache import cached_json
from ..io.dataset import data_digest
from ..model.errors import render
from .figure import build_area_chart, build_base_figure
from .layout import page
from .payload import build_payload

app_log = logging.getLogger("controlmap")


class ControlMap:
    """Everything the dashboard needs, computed once from the dataset."""

    def __init__(self, data_dir: Path):
        self.ds = load_dataset(data_dir)
        self.timeline = Timeline(self.ds)
        digest = self.ds.digest
        self.payload = cached_json(digest, "payload", lambda: build_payload(self.ds, self.timeline))
        self.figure = cached_json(digest, "figure", lambda: json.loads(build_base_figure(self.ds).to_json()))
        self.chart = json.loads(build_area_chart(self.ds, self.payload["series"]).to_json())
        self.exporter = Exporter(self.ds, self.timeline)
        self.layer_ids = [f.id for f in self.ds.factions] + ["front", "towns"]

    def layout(self) -> html.Div:
        return page(self)


class ModelHolder:
    """The dataset being served. When files in the data folder change (checked at most every
    CONTROLMAP_RELOAD_SECONDS, default 10), the new data is loaded and served if it validates; if it does
    not, the last good data keeps being served and the problems are logged and shown at /healthz."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.model = ControlMap(data_dir)
        self.error: str | None = None
        self.checked = time.monotonic()
        self.interval = float(os.environ.get("CONTROLMAP_RELOAD_SECONDS", "10"))
        self._layout_cache: dict[str, tuple[bytes, bytes, str]] = {}
        self.lock = threading.Lock()

    def current(self) -> ControlMap:
        if time.monotonic() - self.checked >= self.interval and self.lock.acquire(blocking=False):
            try:
                self.checked = time.monotonic()
                self._reload_if_changed()
            finally:
                self.lock.release()
        return self.model

    def _reload_if_changed(self) -> None:
        try:
            digest = data_digest(self.data_dir.resolve())
        except OSError as exc:
            self.error = f"{self.data_dir}: cannot read: {exc}"
            return
        if digest == self.model.ds.digest:
            return
        try:
            model = ControlMap(self.data_dir)
        except DataError as exc:
            self.error = render(exc.problems, limit=20)
            app_log.error("data changed but does not validate; still serving %s:\n%s", self.model.ds.digest,
                          self.error)
            return
        self.model, self.error = model, None
        app_log.info("data reloaded: version %s", model.ds.digest)

    def layout(self) -> html.Div:
        return self.current().layout()

    def layout_response(self) -> Response | None:
        """/_dash-layout served from bytes serialised and compressed once per data version (Dash would
        serialise the whole geometry and state table on every page load), revalidated by ETag."""
        if request.path != "/_dash-layout" or request.method != "GET":
            return None
        model = self.current()
        cached = self._layout_cache.get(model.ds.digest)
        if cached is None:
            body = to_json(model.layout()).encode("utf-8")
            cached = (body, gzip.compress(body, 6), hashlib.sha256(body).hexdigest()[:20])
            self._layout_cache = {model.ds.digest: cached}
        body, compressed, etag = cached
        use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        response = Response(compressed if use_gzip else body, mimetype="application/json")
        if use_gzip:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = "no-cache"
        response.set_etag(etag)
        return response.make_conditional(request)  # type: ignore[return-value]

    def health(self) -> Response:
        model = self.current()
        body = {"status": "ok" if self.error is None else "serving last good data",
                "data_version": model.ds.digest, "events": len(model.ds.events), "reload_error": self.error}
        return Response(json.dumps(body), mimetype="application/json")
