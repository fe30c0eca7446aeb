"""When the first map is on screen, measured inside the page (bench.py and compare.py).

An init script polls at every animation frame from the start of navigation and records, in ms since the
navigation started (performance.now()), the first frame at which a readiness test holds. Playwright's own
polling (a round trip per check) would add its latency to the figure."""

from __future__ import annotations

from typing import Any

# Our app: the control areas' source is on the map and every tile of it in view is loaded (the frame after
# draws them); "settled": every source of the map loaded, nothing left to draw.
OURS_FIRST = ("(function () { var m = window.CM && CM.map && CM.map.get();"
              " return !!(m && window.controlmapCore && controlmapCore.mapReady() && m.getSource('cm-zones')"
              " && m.isSourceLoaded('cm-zones')); })()")
OURS_SETTLED = "!!(window.controlmapCore && controlmapCore.mapSettled())"
# The app as it was when issue 9 was filed (dfdb252, 447 zones: bench/first_map.py): its areas were a layer of
# our own on plotly's MapLibre map, in a source of the same name.
THEN_FIRST = ("(function () { var gd = document.querySelector('#map-graph .js-plotly-plot');"
              " var sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;"
              " var m = sub && sub.map; return !!(m && m.getSource('cm-zones') && m.isSourceLoaded('cm-zones')); })()")
# The first round's measure of the first map (its bench/compare.py), for both: the first repaint has run and
# the map's canvas exists (its tiles may still be coming).
RENDERED = ("!!(window.controlmapCore && window.controlmapCore.renders() > 0"
            " && document.querySelector('.maplibregl-canvas'))")
# The naive app (bench/naive_app.py): its figure's areas are plotly choropleth traces; the map is drawn
# when its MapLibre map has loaded every source (its only sources are those areas).
NAIVE_FIRST = ("(function () { var gd = document.querySelector('#map-graph .js-plotly-plot');"
               " var sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;"
               " return !!(gd && gd.data && gd.data.length && sub && sub.map && sub.map.loaded()); })()")


def init_script(tests: dict[str, str]) -> str:
    """JavaScript recording window.__marks[name] = ms when tests[name] first holds."""
    checks = ",".join(f"[{name!r}, function () {{ try {{ return {test}; }} catch (e) {{ return false; }} }}]"
                      for name, test in tests.items())
    return ("window.__marks = {}; (function () { var tests = [" + checks + "];"
            " (function poll() { var left = 0; tests.forEach(function (t) {"
            " if (!(t[0] in window.__marks)) { if (t[1]()) { window.__marks[t[0]] = performance.now(); }"
            " else { left++; } } }); if (left) { requestAnimationFrame(poll); } })(); })();")


def wait_marks(page: Any, names: list[str], timeout_ms: int = 120000) -> dict[str, float]:
    """Seconds from the start of navigation to each mark, once all are recorded."""
    cond = " && ".join(f"window.__marks && {name!r} in window.__marks" for name in names)
    page.wait_for_function(cond, timeout=timeout_ms, polling=100)
    marks = page.evaluate("window.__marks")
    return {name: marks[name] / 1000 for name in names}
