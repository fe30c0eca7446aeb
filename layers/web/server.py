"""The Flask/Dash application: security headers, caching, error pages, and the app factory."""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import sys
import traceback
from pathlib import Path
from typing import Any

from dash import (
    Dash,
)
from flask import Response, request
from flask_compress import Compress
from werkzeug.exceptions import HTTPException

from .. import DataError
from ..io.bundled import bundled
from ..model import credits
from ..model.errors import render
from .about import about_page
from .callbacks import register_callbacks
from .jobs import register_export_callbacks
from .model import ModelHolder
from .queue import ExportQueue, JobQueueDown
from .responses import CACHEABLE_PREFIXES, FastPages, StaticCompressor, enable_static_compression_cache

app_log = logging.getLogger("controlmap")


MAX_BODY_BYTES = 256 * 1024  # the largest callback request (an export's options) is under 1 KiB


def cache_headers(response: Response) -> Response:
    if request.path.startswith(CACHEABLE_PREFIXES) and response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=86400"
    return response


EMBED_PATH = "/embed"


def content_security_policy(app: Dash, frame_ancestors: str = "'self'") -> str:
    """What the map needs and nothing else: our own scripts plus the hashes of Dash's inline boot scripts,
    inline styles (React and plotly set style attributes), blob: workers for MapLibre, data: images.
    Other sites may frame only the compact /embed view."""
    scripts = " ".join(app.csp_hashes())  # already quoted: 'sha256-...'
    return "; ".join([
        "default-src 'self'", f"script-src 'self' {scripts}", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'",
        "worker-src 'self' blob:", "child-src 'self' blob:", "object-src 'none'", "base-uri 'self'",
        "form-action 'self'", f"frame-ancestors {frame_ancestors}",
    ])


def security_headers(policy: str, embed_policy: str) -> Any:
    def add(response: Response) -> Response:
        embed = request.path.rstrip("/") == EMBED_PATH
        response.headers.setdefault("Content-Security-Policy", embed_policy if embed else policy)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin" if not embed else "strict-origin-when-cross-origin"
        if not embed:
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response
    return add


def about(holder: ModelHolder) -> Any:
    def page() -> Response:
        lang = "ar" if request.args.get("lang") == "ar" else "en"
        html = about_page(holder.current().ds, lang, request.host_url)
        return Response(html, mimetype="text/html")
    return page


def hide_errors(exc: Exception) -> Any:
    """No stack trace ever reaches a client: log it here, answer with a plain one-line error. The log gets
    the traceback's frames and at most 200 characters of the message: never a request body."""
    if isinstance(exc, HTTPException):
        code = exc.code or 500
        return Response(f"{code} {exc.name}\n", status=code, mimetype="text/plain")
    frames = "".join(traceback.format_tb(exc.__traceback__, limit=12))
    app_log.error("unhandled error on %s %s: %s: %.200s\n%s", request.method, request.path,
                  type(exc).__name__, str(exc), frames)
    return Response("Internal server error\n", status=500, mimetype="text/plain")


def limit_body(limit: int) -> Any:
    """Refuse a request body over ``limit`` bytes before reading it: 413 with one line."""
    def check() -> Response | None:
        length = request.content_length
        if length is not None and length > limit:
            return too_large(limit)
        return None
    return check


def too_large(limit: int) -> Response:
    response = Response(f"Request body too large: the limit is {limit // 1024} KiB\n", status=413,
                        mimetype="text/plain")
    response.headers["Connection"] = "close"  # the unread body is not drained
    return response


def use_lean_scripts(app: Dash) -> None:
    """The scripts a page loads, without what the app never uses (scripts/build_maplibre.sh builds the
    replacements in assets/vendor/):
    - plotly.js, which Dash registers for dcc.Graph: the app has no plotly graph (the map is MapLibre used
      directly, assets/38-map.js; the chart is SVG, assets/48-chart.js);
    - Babel's polyfill (core-js 2 for old browsers, 100 KB): regenerator-runtime.min.js defines the one
      global of it that Dash's renderer and dcc use;
    - dash_table, which the app does not use (Dash registers it for every app)."""
    from dash import _dash_renderer, dash_table, dcc

    vendor = bundled("assets") / "vendor"
    dcc._js_dist[:] = [d for d in dcc._js_dist if d.get("namespace") != "plotly"]  # type: ignore[attr-defined]
    if (vendor / "regenerator-runtime.min.js").exists():
        for dist in _dash_renderer._js_dist_dependencies:
            for paths in (*dist["external_url"].values(), *dist["relative_package_path"].values()):
                paths[:] = [p for p in paths if "polyfill" not in p]
    dash_table._js_dist[:] = []  # type: ignore[attr-defined]


def create_app(data_dir: Path | str | None = None) -> Dash:
    data = Path(data_dir or os.environ.get("CONTROLMAP_DATA") or bundled("data"))
    holder = ModelHolder(data)
    holder.prepare()
    queue = ExportQueue.from_env()
    app = Dash(__name__, title=credits.title(holder.model.ds.meta), assets_folder=str(bundled("assets")),
               update_title=None, serve_locally=True, background_callback_manager=queue.manager)
    use_lean_scripts(app)
    limit = int(os.environ.get("CONTROLMAP_MAX_BODY", MAX_BODY_BYTES))
    app.server.config["MAX_CONTENT_LENGTH"] = limit  # a chunked body is cut off at the limit too
    enable_static_compression_cache(app.server.config)
    Compress(app.server)
    app.server.before_request(limit_body(limit))
    app.server.register_error_handler(413, lambda _exc: too_large(limit))
    app.server.after_request(StaticCompressor(prebuilt=bundled("assets") / "vendor"))  # before flask-compress
    app.server.after_request(cache_headers)
    app.server.after_request(security_headers(content_security_policy(app), content_security_policy(app, "*")))
    app.server.register_error_handler(Exception, hide_errors)
    app.layout = holder.layout
    # Dash keeps a copy of a function layout to validate callbacks and embeds it in every index page: a
    # second copy of the whole geometry, stale after a reload. Every component is in the layout itself.
    app.validation_layout = None
    register_callbacks(app)
    register_export_callbacks(app, holder)
    holder.checks.append(queue.health)
    app.server.add_url_rule("/healthz", "healthz", holder.health)
    app.server.add_url_rule("/about", "about", about(holder))
    app.server.before_request(holder.layout_response)
    app.server.before_request(holder.lazy_response)
    app.server.before_request(index_page(app, holder))
    app.server.register_error_handler(JobQueueDown, lambda exc: Response(
        f"Image exports are unavailable: {exc}. Try again later.\n", status=503, mimetype="text/plain"))
    app.server.config["CONTROLMAP"] = holder
    app.server.config["CONTROLMAP_QUEUE"] = queue
    app.server.wsgi_app = FastPages(app.server.wsgi_app, lambda: holder.current().version)  # type: ignore[method-assign]
    return app


def index_page(app: Dash, holder: ModelHolder) -> Any:
    def serve() -> Response | None:
        if request.path == "/" and request.method == "GET":
            return holder.index_response(app.index)
        return None
    return serve


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        return False


def run(data_dir: Path | str | None = None, host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    os.environ.setdefault("DASH_DISABLE_VERSION_CHECK", "true")
    if debug and not _is_loopback(host):
        print(f"controlmap: warning: --debug serves the Werkzeug debugger; binding 127.0.0.1 instead of "
              f"{host}", file=sys.stderr)
        host = "127.0.0.1"
    elif debug:
        print("controlmap: warning: --debug serves the Werkzeug debugger: never expose it", file=sys.stderr)
    try:
        app = create_app(data_dir)
    except DataError as exc:
        print(render(exc.problems), file=sys.stderr)
        raise SystemExit(1) from None
    app.run(host=host, port=port, debug=debug)

