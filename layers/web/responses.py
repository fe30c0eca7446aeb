"""Responses built and compressed once per data version: the index page and the layout (Dash would build
and flask-compress would recompress them on every request), and static files (MapLibre, the component
bundles, assets/) compressed once per machine at the best level, so that a page load never recompresses
megabytes."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import tempfile
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import Request, Response, request

from ..io.cache import cache_dir

try:
    import brotli
except ImportError:  # brotli is optional: gzip is always there
    brotli = None

CACHEABLE_PREFIXES = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")
_NO_CACHE = "nocache:"


class Compressed:
    """One body with an ETag, sent as brotli or gzip in the best form ``forms`` has of it so far."""

    def __init__(self, body: bytes, mimetype: str, forms: BestForms):
        self.body, self.mimetype, self.forms = body, mimetype, forms
        self.digest = hashlib.sha256(body).hexdigest()[:32]
        self.etag = self.digest[:20]

    def response(self, req: Request) -> Response:
        encoding = accepted_encoding(req.headers.get("Accept-Encoding", ""))
        body = self.forms.compressed(self.body, self.digest, encoding) if encoding else self.body
        response = Response(body, mimetype=self.mimetype)
        if encoding:
            response.headers["Content-Encoding"] = encoding
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = "no-cache"
        response.set_etag(self.etag)
        return response.make_conditional(req)  # type: ignore[return-value]


def accepted_encoding(accepted: str) -> str | None:
    """brotli if the client takes it (and brotli is installed), else gzip if it takes that, else None."""
    return "br" if brotli is not None and "br" in accepted else "gzip" if "gzip" in accepted else None


class VersionedResponses:
    """Compressed responses keyed by (name, data version); building one version drops the older ones."""

    def __init__(self, forms: BestForms | None = None) -> None:
        self._items: dict[tuple[str, str], Compressed] = {}
        self._lock = threading.Lock()
        self.forms = forms or BestForms()

    def get(self, name: str, version: str, build: Callable[[], bytes], mimetype: str) -> Response:
        return self.item(name, version, build, mimetype).response(request)

    def item(self, name: str, version: str, build: Callable[[], bytes], mimetype: str) -> Compressed:
        key = (name, version)
        item = self._items.get(key)
        if item is None:
            item = Compressed(build(), mimetype, self.forms)
            with self._lock:
                self._items = {k: v for k, v in self._items.items() if k[1] == version}
                self._items[key] = item
        return item

    def prepare(self, name: str, version: str, build: Callable[[], bytes], mimetype: str, wait: bool = False) -> None:
        """Build the best brotli form of a response now, before anyone asks: in the background, or before
        returning if ``wait``."""
        item = self.item(name, version, build, mimetype)
        if brotli is not None:
            self.forms.compressed(item.body, item.digest, "br", wait=wait)


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


STATIC_TYPES = ("application/javascript", "text/javascript", "text/css", "image/x-icon", "image/vnd.microsoft.icon",
                "application/json", "image/svg+xml")


class BestForms:
    """The best compressed form of a body (brotli 11, gzip 9: about 20% smaller than per-request levels),
    built once per machine, by content hash, in a background thread and kept in the cache folder
    (``static/``); until it is there, a quick one (brotli 5, gzip 6) is kept in memory. At most ``size``
    bodies are kept in memory (least recently used dropped: older data versions)."""

    BEST = {"br": lambda b: brotli.compress(b, quality=11), "gzip": lambda b: gzip.compress(b, 9, mtime=0)}
    QUICK = {"br": lambda b: brotli.compress(b, quality=5), "gzip": lambda b: gzip.compress(b, 6, mtime=0)}

    def __init__(self, folder: Any = None, size: int = 128):
        self.folder = folder or cache_dir() / "static"
        self.size = size
        self._kept: OrderedDict[tuple[str, str], tuple[bytes, bool]] = OrderedDict()  # -> (body, best)
        self._pinned: dict[tuple[str, str], bytes] = {}  # prebuilt best forms (StaticCompressor): never dropped
        self._building: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def pin(self, key: tuple[str, str], body: bytes) -> None:
        """A best form built elsewhere (a prebuilt ``.br``), kept for the life of the process."""
        self._pinned[key] = body

    def keep(self, key: tuple[str, str], body: bytes, best: bool) -> None:
        with self._lock:
            self._kept[key] = (body, best)
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def compressed(self, body: bytes, digest: str, encoding: str, wait: bool = False) -> bytes:
        """The best form kept (in memory or on disk); else the quick one, the best being built meanwhile in
        the background (or now, if ``wait``)."""
        key = (digest, encoding)
        if key in self._pinned:
            return self._pinned[key]
        kept = self._kept.get(key)
        if kept is not None and kept[1]:
            return kept[0]
        path = self.folder / f"{digest}.{encoding}"
        with contextlib.suppress(OSError):
            best = path.read_bytes()
            if _decodes_to(best, encoding, body):
                self.keep(key, best, True)
                return best
        if wait:
            self._build_best(body, key, path)
            return self._kept[key][0]
        if kept is None:
            kept = (self.QUICK[encoding](body), False)
            self.keep(key, *kept)
        with self._lock:
            start = key not in self._building
            self._building.add(key)
        if start:
            threading.Thread(target=self._build_best, args=(body, key, path), daemon=True).start()
        return kept[0]

    def _build_best(self, body: bytes, key: tuple[str, str], path: Any) -> None:
        try:
            best = self.BEST[key[1]](body)
            self.keep(key, best, True)
            with contextlib.suppress(OSError):
                self.folder.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{path.name}.", suffix=".tmp")
                with os.fdopen(fd, "wb") as fh:
                    fh.write(best)
                os.replace(tmp, path)
        finally:
            with self._lock:
                self._building.discard(key)


class StaticCompressor:
    """after_request: a static file (under CACHEABLE_PREFIXES) sent in its best compressed form (BestForms).
    A ``NAME.br`` beside a file of ``prebuilt`` (scripts/build_maplibre.sh writes them for assets/vendor/) is
    used from the start if it decompresses to that file."""

    def __init__(self, folder: Any = None, prebuilt: Any = None, forms: BestForms | None = None):
        self.forms = forms or BestForms(folder)
        for br in sorted(prebuilt.glob("*.br")) if prebuilt is not None and brotli is not None else []:
            plain = br.with_suffix("")
            with contextlib.suppress(OSError):
                body, data = plain.read_bytes(), br.read_bytes()
                if _decodes_to(data, "br", body):
                    self.forms.pin((hashlib.sha256(body).hexdigest()[:32], "br"), data)

    def __call__(self, response: Response) -> Response:
        encoding = accepted_encoding(request.headers.get("Accept-Encoding", ""))
        if (encoding is None or request.method != "GET" or response.status_code != 200
                or not request.path.startswith(CACHEABLE_PREFIXES) or "Content-Encoding" in response.headers
                or response.mimetype not in STATIC_TYPES):
            return response
        response.direct_passthrough = False
        body = response.get_data()
        digest = hashlib.sha256(body).hexdigest()[:32]
        response.set_data(self.forms.compressed(body, digest, encoding))
        response.headers["Content-Encoding"] = encoding
        response.headers["Vary"] = "Accept-Encoding"
        response.set_etag(f"{digest}-{encoding}")
        return response.make_conditional(request)  # type: ignore[return-value]


def _decodes_to(data: bytes, encoding: str, body: bytes) -> bool:
    """A kept file is used only if it decompresses to the body (a torn or foreign file is rebuilt)."""
    try:
        return (brotli.decompress(data) if encoding == "br" else gzip.decompress(data)) == body
    except Exception:  # noqa: BLE001 - any decoding error means: rebuild it
        return False


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
        encoding = accepted_encoding(environ.get("HTTP_ACCEPT_ENCODING", "")) or ""
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
