"""Screenshot the running dashboard in headless Chromium (Debian's /usr/bin/chromium via Playwright).

    python scripts/screenshot.py http://127.0.0.1:8050/?date=2018-03-25 out.png [--width 1400 --height 900]

Prints the browser console errors it saw (none is the goal).
"""

from __future__ import annotations

import argparse
import sys

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--enable-unsafe-swiftshader", "--disable-dev-shm-usage", "--disable-gpu", "--no-sandbox",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("out")
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--wait", type=float, default=2.5, help="seconds to let MapLibre paint")
    args = ap.parse_args()
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(args.url, wait_until="networkidle", timeout=120000)
        page.wait_for_selector("#map-graph .maplibregl-canvas", timeout=120000)
        page.wait_for_timeout(int(args.wait * 1000))
        page.screenshot(path=args.out)
        browser.close()
    for e in errors:
        print("console error:", e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
