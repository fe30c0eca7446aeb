"""Ours against a naive baseline (bench/naive_app.py), side by side in one run, in headless Chromium:
time to first map, server time and bytes per slider step, JavaScript time per step.

    .venv/bin/python bench/compare.py [--steps 15] [--write docs/performance.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.marks import NAIVE_FIRST, OURS_FIRST, init_script, wait_marks  # noqa: E402
from layers import load_dataset  # noqa: E402
from tests.test_browser import ARGS, CHROMIUM, free_port, start_server  # noqa: E402


def start_naive(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="naive-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "naive_app.py"), "--port", str(port), "--data",
                             str(data)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback only
            return proc, url
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("naive server did not start")


def measure(url: str, first_ready: str, start: dt.date, steps: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        # Both servers are measured as a reader meets them: up and having served a page before (compressed
        # static files built, caches warm), by a browser that has never seen the page (a fresh context).
        warm = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True).new_page()
        warm.add_init_script(init_script({"first": first_ready}))
        warm.goto(url, wait_until="commit")
        wait_marks(warm, ["first"])
        warm.wait_for_load_state("networkidle")
        warm.context.close()
        time.sleep(5)  # the server's background compression of what that page asked for
        page = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True).new_page()
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        requests: dict[str, dict[str, Any]] = {}
        cdp.on("Network.requestWillBeSent", lambda e: requests.setdefault(e["requestId"], {"url": e["request"]["url"]}))
        cdp.on("Network.responseReceived", lambda e: requests.get(e["requestId"], {}).update(
            timing=e["response"].get("timing")))
        cdp.on("Network.loadingFinished", lambda e: requests.get(e["requestId"], {}).update(
            bytes=e["encodedDataLength"]))
        # from the start of navigation to the first frame with the areas drawn (bench/marks.py)
        page.add_init_script(init_script({"first": first_ready}))
        page.goto(url, wait_until="commit")
        first_map = wait_marks(page, ["first"])["first"]
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1000)
        requests.clear()
        cdp.send("Performance.enable")

        def script() -> float:
            return next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]
                        if m["name"] == "ScriptDuration")

        thumb = page.locator("[role=slider]")
        thumb.focus()
        before, t0 = script(), time.perf_counter()
        for i in range(steps):
            thumb.press("PageUp" if i % 2 == 0 else "ArrowRight")
            value = int(thumb.get_attribute("aria-valuenow") or 0)
            day = (start_of_data + dt.timedelta(days=value)).isoformat()
            page.wait_for_function(f"document.querySelector('#date-display').innerText.trim() === '{day}'",
                                   timeout=60000)
            page.wait_for_load_state("networkidle")
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        wall = (time.perf_counter() - t0) / steps
        js = (script() - before) * 1000 / steps
        calls = [r for r in requests.values() if "_dash-update-component" in r["url"]]
        server = [r["timing"]["receiveHeadersEnd"] - r["timing"]["sendEnd"] for r in calls if r.get("timing")]
        browser.close()
    return {"first_map_s": first_map, "requests_per_step": len(calls) / steps,
            "bytes_per_step": sum(r.get("bytes", 0) for r in requests.values()) / steps,
            "server_ms_per_step": sum(server) / steps if server else 0.0,
            "server_ms_median": statistics.median(server) if server else 0.0,
            "js_ms_per_step": js, "wall_ms_per_step": wall * 1000}


start_of_data = dt.date(2016, 1, 1)


def main() -> int:
    global start_of_data
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--steps", type=int, default=15)
    ap.add_argument("--write", type=Path, help="write the results as Markdown to this file")
    args = ap.parse_args()
    ds = load_dataset(args.data)
    start_of_data = ds.start
    first_day = ds.start + dt.timedelta(days=(ds.end - ds.start).days // 10)
    results = {}
    proc, url = start_server(args.data)
    try:
        results["ours"] = measure(url + f"?date={first_day.isoformat()}", OURS_FIRST, first_day, args.steps)
    finally:
        proc.terminate()
    proc, url = start_naive(args.data)
    try:
        results["naive"] = measure(url, NAIVE_FIRST, first_day, args.steps)
    finally:
        proc.terminate()
    rows = [("time to first map (s)", "first_map_s", "{:.2f}"),
            ("server requests per slider step", "requests_per_step", "{:.1f}"),
            ("bytes over the network per step", "bytes_per_step", "{:,.0f}"),
            ("server time per step (ms, request sent to response headers)", "server_ms_per_step", "{:.0f}"),
            ("JavaScript time per step (ms)", "js_ms_per_step", "{:.0f}"),
            ("wall time per step, incl. software WebGL repaint (ms)", "wall_ms_per_step", "{:.0f}")]
    lines = ["| measure | ours | naive baseline | naive / ours |", "| --- | --- | --- | --- |"]
    for label, key, fmt in rows:
        a, b = results["ours"][key], results["naive"][key]
        ratio = f"{b / a:.1f}x" if a > 0 else ("no request: none" if b == 0 else "ours: none")
        lines.append(f"| {label} | {fmt.format(a)} | {fmt.format(b)} | {ratio} |")
    table = "\n".join(lines)
    print(table)
    ours, naive = results["ours"]["first_map_s"], results["naive"]["first_map_s"]
    print(f"GOAL first map faster than the naive app in the same run: ours {ours:.2f} s, naive {naive:.2f} s "
          f"({naive / ours:.2f}x): {'met' if ours < naive else 'NOT met'}")
    if args.write:
        header = (f"# Performance: ours against a naive baseline\n\nMeasured by `.venv/bin/python bench/compare.py "
                  f"--steps {args.steps} --write {args.write}` on {dt.date.today()}: 2 cores, headless Chromium "
                  "with software WebGL (SwiftShader), both apps on the Flask development server, bundled data "
                  f"({len(ds.zones)} zones, {len(ds.events)} events), {args.steps} slider steps (PageUp and "
                  "ArrowRight in turn) from the same day.\n\n"
                  "The naive baseline (`bench/naive_app.py`) sends every slider move to the server. The server "
                  "replays the events, dissolves the zones per faction with geopandas, and returns a new figure "
                  "with the geometry. Ours computes every state once at start-up. The browser gets the geometry "
                  "and a compact state table once, then recolours the zones itself through MapLibre "
                  "feature-state.\n\n")
        args.write.write_text(header + table + "\n\nOther measurements:\n\n"
                              "- `make bench`: start-up, lookup, exports, and bytes and JavaScript per step.\n"
                              "- `.venv/bin/python bench/import_bench.py`: 800 imported daily snapshots.\n"
                              "- `bash bench/load.sh 60 50`: gunicorn with 4 workers, 50 clients for 60 s.\n",
                              encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
