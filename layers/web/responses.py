"""Responses built and compressed once per data version: the index page and the layout (Dash would build
and flask-compress would recompress them on every request), and a small cache of compressed static files
(plotly.js and the component bundles) so that a page load never recompresses megabytes."""

from __future__ import annotations

import gzip
import hashlib
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import Request, Response, request

try:
    import brotli
except ImportError:  # brotli is optional: gzip is always there
    brotli = None

CACHEABLE_PREFIXES = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")
_NO_CACHE = "nocache:"


class Compressed:
    """One body with its gzip (and brotli) forms and an ETag."""

    def __init__(self, body: bytes, mimetype: str):
        self.body, self.mimetype = body, mimetype
        self.gzip = gzip.compress(body, 6)
        self.br = brotli.compress(body, quality=9) if brotli is not None else None
        self.etag = hashlib.sha256(body).hexdigest()[:20]

    def response(self, req: Request) -> Response:
        accepted = req.headers.get("Accept-Encoding", "")
        body, encoding = self.body, None
        if self.br is not None and "br" in accepted:
            body, encoding = self.br, "br"
        elif "gzip" in accepted:
            body, encoding = self.gzip, "gzip"
        response = Response(body, mimetype=self.mimetype)
        if encoding:
            response.headers["Content-Encoding"] = encoding
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = "no-cache"
        response.set_etag(self.etag)
        return response.make_conditional(req)  # type: ignore[return-value]


class VersionedResponses:
    """Compressed responses keyed by (name, data version); building one version drops the older ones."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], Compressed] = {}
        self._lock = threading.Lock()

    def get(self, name: str, version: str, build: Callable[[], bytes], mimetype: str) -> Response:
        key = (name, version)
        item = self._items.get(key)
        if item is None:
            item = Compressed(build(), mimetype)
            with self._lock:
                self._items = {k: v for k, v in self._items.items() if k[1] == version}
                self._items[key] = item
        return item.response(request)


class StaticCompressionCache:
    """A COMPRESS_CACHE_BACKEND for flask-compress: keeps the compressed bytes of versioned static files
    (at most ``size`` entries), and nothing else (callback answers are never cached)."""

    def __init__(self, size: int = 64):
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        if _NO_CACHE in key:
            return None
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: str, value: Any) -> None:
        if _NO_CACHE in key:
            return
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def static_cache_key(req: Request) -> str:
    """Versioned static files by their full path and query; anything else gets a key that is never kept."""
    if req.method == "GET" and req.path.startswith(CACHEABLE_PREFIXES):
        return req.full_path
    return f"{_NO_CACHE}{uuid.uuid4().hex}"


def enable_static_compression_cache(config: Any) -> None:
    config["COMPRESS_CACHE_BACKEND"] = StaticCompressionCache
    config["COMPRESS_CACHE_KEY"] = static_cache_key
    config["COMPRESS_ALGORITHM"] = ["br", "gzip", "deflate"] if brotli is not None else ["gzip", "deflate"]


class FastPages:
    """WSGI middleware: GET / and GET /_dash-layout answered from bytes kept per data version and
    encoding, without entering Flask and Dash (whose per-request work was most of their cost). The first
    request of each version and encoding goes through the app; its status, headers (security headers
    included) and body are kept and replayed; If-None-Match gets a 304."""

    PATHS = ("/", "/_dash-layout")

    def __init__(self, wsgi_app: Callable[..., Any], version: Callable[[], str]):
        self.wsgi_app, self.version = wsgi_app, version
        self._kept: dict[tuple[str, str], tuple[str, str, list[tuple[str, str]], bytes, str]] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") != "GET" or path not in self.PATHS or environ.get("QUERY_STRING"):
            return self.wsgi_app(environ, start_response)
        accepted = environ.get("HTTP_ACCEPT_ENCODING", "")
        encoding = "br" if brotli is not None and "br" in accepted else "gzip" if "gzip" in accepted else ""
        version, key = self.version(), (path, encoding)
        kept = self._kept.get(key)
        if kept is None or kept[0] != version:
            return self._through_the_app(environ, start_response, key, version)
        _, status, headers, body, etag = kept
        if etag and etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 Not Modified", [(k, v) for k, v in headers if k.lower() != "content-length"]
                           + [("Content-Length", "0")])
            return [b""]
        start_response(status, headers)
        return [body]

    def _through_the_app(self, environ: dict[str, Any], start_response: Callable[..., Any],
                         key: tuple[str, str], version: str) -> Any:
        environ = {**environ, "HTTP_IF_NONE_MATCH": ""}  # a full response to keep
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            seen.update(status=status, headers=list(headers))
            return lambda _data: None

        chunks = self.wsgi_app(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        status, headers = seen["status"], seen["headers"]
        if status.startswith("200"):
            etag = next((v for k, v in headers if k.lower() == "etag"), "")
            self._kept[key] = (version, status, headers, body, etag)
        start_response(status, headers)
        return [body]
