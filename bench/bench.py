"""Benchmarks: print numbers, assert nothing. Run: .venv/bin/python bench/bench.py [--data DIR] [--no-browser]

Measures the start-up build, one day's state, and, in headless Chromium against a real server, the bytes
sent at page load and per slider step and the JavaScript main-thread time per slider step.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.marks import OURS_FIRST, OURS_SETTLED, init_script, wait_marks  # noqa: E402
from layers import Timeline, load_dataset, resolve_state  # noqa: E402
from layers.web.figure import build_map_spec  # noqa: E402
from layers.web.payload import build_payload  # noqa: E402


def timed(fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return result, statistics.median(times)


def core(data: Path) -> None:
    ds, t_load = timed(lambda: load_dataset(data))
    tl, t_tl = timed(lambda: Timeline(ds))
    payload, t_pay = timed(lambda: build_payload(ds, tl))
    fig, t_fig = timed(lambda: build_map_spec(ds))
    mid = ds.start + (ds.end - ds.start) / 2
    _, t_resolve = timed(lambda: resolve_state(ds, mid), repeat=20)
    _, t_lookup = timed(lambda: tl.state(mid), repeat=200)
    pay_bytes = len(json.dumps(payload, separators=(",", ":")).encode())
    fig_bytes = len(json.dumps(fig, separators=(",", ":"), default=str).encode())
    print(f"dataset: {len(ds.places)} places, {len(ds.zones)} zones, {len(ds.events)} events, "
          f"{len(tl.days)} distinct states")
    print(f"load + validate + zones:     {t_load * 1000:8.1f} ms")
    print(f"timeline (all states):       {t_tl * 1000:8.1f} ms")
    print(f"browser state table:         {t_pay * 1000:8.1f} ms  ({pay_bytes / 1024:.0f} KiB JSON, "
          f"{len(gzip.compress(json.dumps(payload).encode())) / 1024:.0f} KiB gzip)")
    geom_json = json.dumps(payload["zones_q"], separators=(",", ":")).encode()
    print(f"  of which geometry (sent once): {len(geom_json) / 1024:.0f} KiB JSON, "
          f"{len(gzip.compress(geom_json)) / 1024:.0f} KiB gzip (shared arcs; bench/geometry.py compares)")
    print(f"map spec (style, view):      {t_fig * 1000:8.1f} ms  ({fig_bytes / 1024:.0f} KiB JSON)")
    print(f"start-up total:              {(t_load + t_tl + t_pay + t_fig) * 1000:8.1f} ms")
    print(f"resolve_state (replay) 1 day:{t_resolve * 1000:8.2f} ms")
    print(f"Timeline.state lookup 1 day: {t_lookup * 1e6:8.1f} µs")


def exports(data: Path, frames: int) -> None:
    import tempfile

    from layers.export import Exporter, ImageOptions

    ds = load_dataset(data)
    exporter, t_setup = timed(lambda: Exporter(ds, Timeline(ds)))
    day = ds.start + (ds.end - ds.start) / 2
    exporter.view(day)  # warm the per-state cache the way the app does after its first export
    print(f"exporter setup (adjacency, km²): {t_setup * 1000:6.0f} ms")
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".png", ".svg", ".pdf", ".geojson", ".gpkg", ".csv"):
            path = Path(folder) / f"snap{suffix}"
            _, t = timed(lambda p=path: exporter.write(day, p, ImageOptions()), repeat=3)
            print(f"snapshot {suffix:<8} 1600 px: {t * 1000:7.0f} ms  ({path.stat().st_size / 1024:.0f} KiB)")
        days = [ds.start + (ds.end - ds.start) * i / (frames - 1) for i in range(frames)]
        gif = Path(folder) / "lapse.gif"
        _, t = timed(lambda: exporter.write_animation(days, gif, ImageOptions(width_px=1000, dpi=100)))
        print(f"GIF of {frames} frames, 1000 px: {t:.1f} s ({gif.stat().st_size / 1024 / 1024:.1f} MiB)")


def browser(data: Path, steps: int, url: str | None = None) -> None:
    from playwright.sync_api import sync_playwright

    cache = os.environ.get("CONTROLMAP_CACHE")
    from tests.test_browser import ARGS, CHROMIUM, start_server  # its conftest sets a throw-away cache

    # The server measured uses the real cache folder, as a server in production does: compressed static
    # files (built once per machine) and start-up products are found there from the second run on.
    os.environ.pop("CONTROLMAP_CACHE", None) if cache is None else os.environ.__setitem__("CONTROLMAP_CACHE", cache)

    ds = load_dataset(data)
    first_day = ds.start + (ds.end - ds.start) / 10  # steps go forward from here
    proc = None
    if url is None:  # else a server already running on that data (its start-up cache warm)
        proc, url = start_server(data)
    try:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = b.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True).new_page()
            sizes: list[int] = []
            urls: dict[str, str] = {}  # request id -> url, for requests started in the current phase
            kinds: dict[str, list[int]] = {}  # page load: kind of response -> [bytes, count]
            cdp = page.context.new_cdp_session(page)
            cdp.send("Network.enable")
            pending: set[str] = set()  # requests sent and not finished yet

            def sent(e: dict) -> None:  # type: ignore[type-arg]
                urls[e["requestId"]] = e["request"]["url"]
                if not e["request"]["url"].startswith(("data:", "blob:")):
                    pending.add(e["requestId"])

            cdp.on("Network.requestWillBeSent", sent)
            cdp.on("Network.loadingFailed", lambda e: pending.discard(e["requestId"]))

            def finished(e: dict) -> None:  # type: ignore[type-arg]
                pending.discard(e["requestId"])
                if e["requestId"] in urls:
                    sizes.append(int(e["encodedDataLength"]))
                    kind = kinds.setdefault(response_kind(urls[e["requestId"]]), [0, 0])
                    kind[0] += int(e["encodedDataLength"])
                    kind[1] += 1

            cdp.on("Network.loadingFinished", finished)
            page.add_init_script(init_script({"first": OURS_FIRST, "settled": OURS_SETTLED}))
            page.goto(url + f"?date={first_day.isoformat()}", wait_until="commit")
            marks = wait_marks(page, ["first", "settled"])
            t_first, t_settled = marks["first"], marks["settled"]
            # the favicon is fetched after the first paint, the event list's texts after it: the page load ends
            # when nothing has been pending for 1.5 s
            quiet, t_end = 0, time.monotonic() + 30
            while quiet < 15 and time.monotonic() < t_end:
                page.wait_for_timeout(100)
                quiet = 0 if pending else quiet + 1
            # MapLibre's worker fetches the base layers itself, out of sight of the page's Network events: each
            # source URL is fetched here, compressed as the server sends it, and counted the same way (once:
            # two layers of one URL share the browser's cache, the answer being immutable)
            seen = set(urls.values())
            layer_sources = page.evaluate("Object.values(JSON.parse(document.getElementById('map-graph')"
                                          ".dataset.spec).style.sources).map(s => s.data)"
                                          ".filter(s => typeof s === 'string')")
            for src in dict.fromkeys(layer_sources):
                full = urllib.parse.urljoin(url, src)
                if full not in seen:
                    req = urllib.request.Request(full, headers={"Accept-Encoding": "br, gzip"})  # noqa: S310
                    with urllib.request.urlopen(req, timeout=30) as res:  # noqa: S310 - our own server
                        kind = kinds.setdefault(response_kind(full), [0, 0])
                        n = len(res.read())
                        kind[0] += n
                        kind[1] += 1
                        sizes.append(n)
            load_bytes, load_count = sum(sizes), len(sizes)
            load_kinds = dict(kinds)
            sizes.clear()
            kinds.clear()
            urls.clear()
            cdp.send("Performance.enable")
            thumb = page.locator("[role=slider]")
            thumb.focus()

            def metrics() -> dict[str, float]:
                return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}

            start_text = page.inner_text("#date-display")
            before = metrics()
            t0 = time.perf_counter()
            for i in range(steps):
                thumb.press("PageDown" if i % 2 == 0 else "ArrowRight")  # the next event, then a day
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            wall = (time.perf_counter() - t0) / steps
            after = metrics()
            moved = f"{start_text} -> {page.inner_text('#date-display')}"
            step_bytes = sum(sizes)
            if urls:
                print("requests during slider steps:", sorted(set(urls.values())))
            script_ms = (after["ScriptDuration"] - before["ScriptDuration"]) * 1000 / steps
            task_ms = (after["TaskDuration"] - before["TaskDuration"]) * 1000 / steps
            print(f"page load: {load_bytes:,} bytes ({load_bytes / 1024:.0f} KiB) over {load_count} responses "
                  f"(compressed as sent), first map (areas drawn) at {t_first:.2f} s from navigation "
                  f"(every tile drawn at {t_settled:.2f} s)")
            for kind, (n, count) in sorted(load_kinds.items(), key=lambda kv: -kv[1][0]):
                print(f"  {kind:<44} {n / 1024:7.1f} KiB  ({count} responses)")
            print(f"GOAL page load under 1 MB (1,000,000 bytes) compressed: {load_bytes:,} bytes: "
                  f"{'met' if load_bytes < 1_000_000 else 'NOT met'}")
            print(f"slider steps: {steps} ({moved}), bytes sent per step: {step_bytes / steps:.0f}")
            print(f"JavaScript per step: {script_ms:.1f} ms script, {task_ms:.1f} ms main-thread tasks "
                  f"(incl. software WebGL repaint), {wall * 1000:.0f} ms wall per step; goal (issue 9) at most 10 ms "
                  f"script: {'met' if script_ms <= 10 else 'NOT met'}")
            b.close()
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)


def response_kind(url: str) -> str:
    path = url.split("?")[0]
    for part, kind in (("/assets/vendor/", "MapLibre (assets/vendor/)"),
                       ("/_dash-component-suites/", "Dash and React (component suites)"),
                       ("/assets/", "the app's scripts and style (assets/)"),
                       ("/_dash-layout", "Dash's layout (the page's components)"),
                       ("/map.json", "state table and geometry (map.json)"),
                       ("/places.json", "place index (places.json)"),
                       ("/texts/", "events' texts (texts/N.json)"),
                       ("/base/", "base layers (base/*.json, fetched by MapLibre's worker)")):
        if part in path:
            return kind
    return "index page, dependencies, other" if path.startswith("http") else "inline (data: URLs)"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--url", help="measure a server already running on --data (e.g. http://127.0.0.1:8050/)")
    ap.add_argument("--no-exports", action="store_true")
    ap.add_argument("--frames", type=int, default=100, help="frames in the GIF benchmark")
    args = ap.parse_args()
    print(f"# controlmap benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}, data {args.data}")
    core(args.data)
    if not args.no_exports:
        exports(args.data, args.frames)
    if not args.no_browser:
        browser(args.data, args.steps, args.url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
