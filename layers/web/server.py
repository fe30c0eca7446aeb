"""The Flask/Dash application: security headers, caching, error pages, and the app factory."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from dash import (
    Dash,
)
from flask import Response, request
from flask_compress import Compress
from werkzeug.exceptions import HTTPException

from .. import DataError
from ..model.errors import render
from .callbacks import register_callbacks
from .jobs import background_manager, register_export_callbacks
from .model import ModelHolder

ROOT = Path(__file__).resolve().parent.parent.parent  # the repository (or installed tree): assets/, data/
app_log = logging.getLogger("controlmap")


# Versioned URLs (Dash adds ?v= / ?m= to component suites, assets and the favicon) may be cached by browsers.
CACHEABLE_PREFIXES = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")


def cache_headers(response: Response) -> Response:
    if request.path.startswith(CACHEABLE_PREFIXES) and response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def content_security_policy(app: Dash) -> str:
    """What the map needs and nothing else: our own scripts plus the hashes of Dash's inline boot scripts,
    inline styles (React and plotly set style attributes), blob: workers for MapLibre, data: images."""
    scripts = " ".join(app.csp_hashes())  # already quoted: 'sha256-...'
    return "; ".join([
        "default-src 'self'", f"script-src 'self' {scripts}", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'",
        "worker-src 'self' blob:", "child-src 'self' blob:", "object-src 'none'", "base-uri 'self'",
        "form-action 'self'", "frame-ancestors 'self'",
    ])


def security_headers(policy: str) -> Any:
    def add(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response
    return add


def hide_errors(exc: Exception) -> Any:
    """No stack trace ever reaches a client: log it here, answer with a plain 500 (HTTP errors pass through)."""
    if isinstance(exc, HTTPException):
        return exc
    app_log.exception("unhandled error on %s", request.path)
    return Response("Internal server error\n", status=500, mimetype="text/plain")



def create_app(data_dir: Path | str | None = None) -> Dash:
    data = Path(data_dir or os.environ.get("CONTROLMAP_DATA") or ROOT / "data")
    holder = ModelHolder(data)
    app = Dash(__name__, title="Northern Syria control map", assets_folder=str(ROOT / "assets"),
               update_title=None, serve_locally=True, background_callback_manager=background_manager())
    Compress(app.server)
    app.server.after_request(cache_headers)
    app.server.after_request(security_headers(content_security_policy(app)))
    app.server.register_error_handler(Exception, hide_errors)
    app.layout = holder.layout
    register_callbacks(app)
    register_export_callbacks(app, holder)
    app.server.add_url_rule("/healthz", "healthz", holder.health)
    app.server.before_request(holder.layout_response)
    app.server.config["CONTROLMAP"] = holder
    return app


def run(data_dir: Path | str | None = None, host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    os.environ.setdefault("DASH_DISABLE_VERSION_CHECK", "true")
    try:
        app = create_app(data_dir)
    except DataError as exc:
        print(render(exc.problems), file=sys.stderr)
        raise SystemExit(1) from None
    app.run(host=host, port=port, debug=debug)

