"""The real app in headless Chromium: the server runs in a subprocess on a free port (like datasette's
Playwright tests), and every test fails on a browser console error.

On CI (CI=true) a missing browser is a failure; elsewhere these tests are skipped without one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from layers.cli import main as cli_main
from tests.conftest import FUZZ_SEED, MINI, ROOT, TODAY
from tests.servers import free_port, wait_until_up

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--enable-unsafe-swiftshader", "--disable-dev-shm-usage", "--disable-gpu", "--no-sandbox",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
MAP = "window.CM.map.get()"  # the MapLibre map (assets/38-map.js), null until made
SHOWN = "window.controlmapCore.shown()"
MARKERS = "window.controlmapCore.markers()"  # presence markers and town dots, as the map holds them

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI needs Debian's chromium at /usr/bin/chromium (see .ci/run)")
    pytest.skip("no /usr/bin/chromium on this machine", allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402


def start_server(data: Path, root: Path = ROOT,
                 env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """``controlmap serve`` of the code in ``root`` (this checkout, or another revision's: bench/first_map.py)
    on ``data``, with ``env`` over this process's environment."""
    port = free_port()
    env = {**os.environ, "DASH_DISABLE_VERSION_CHECK": "true", **(env or {})}
    # The server logs every request: to a file, since an unread pipe fills up and blocks the server.
    log = tempfile.NamedTemporaryFile(prefix="controlmap-server-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "layers", "--data", str(data), "serve", "--port", str(port)],
                            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    wait_until_up(url, proc, Path(log.name))
    return proc, url


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    proc, url = start_server(MINI)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Session:
    """One page with its console errors and the requests it made."""

    def __init__(self, page: Page):
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(f"{r.resource_type} {r.url}"))

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="networkidle")
        self.page.wait_for_selector(".maplibregl-canvas", timeout=30000)
        self.page.wait_for_function(f"{MAP} && window.controlmapCore.renders() > 0", timeout=30000)
        self.page.wait_for_function("window.controlmapCore.mapReady()", timeout=30000)  # the areas answer hover

    def date(self) -> str:
        return self.page.inner_text("#date-display").strip()

    def screen_point(self, lon: float, lat: float) -> tuple[float, float]:
        """Page coordinates of a longitude/latitude on the map (for hovering and clicking)."""
        return tuple(self.page.evaluate(
            f"([lon, lat]) => {{ const m = {MAP}; const p = m.project([lon, lat]);"
            f" const r = m.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }}",
            [lon, lat]))

    def wait_for_zone_at(self, lon: float, lat: float) -> tuple[float, float]:
        """The page point of a lon/lat once the map's control areas are drawn there: the areas' layer and its
        click and hover handlers are installed together, so a click after this reaches the handler."""
        x, y = self.screen_point(lon, lat)
        self.page.wait_for_function(
            f"([x, y]) => {{ const m = {MAP}; const r = m.getContainer()"
            f".getBoundingClientRect(); return m.getLayer('cm-zones-fill') && m.queryRenderedFeatures("
            f"[x - r.left, y - r.top], {{layers: ['cm-zones-fill']}}).length > 0; }}", arg=[x, y], timeout=30000)
        return x, y

    def held(self) -> dict[str, int]:
        """Zone id -> faction index of every area drawn on the map now."""
        return self.page.evaluate(f"() => {SHOWN}")


@pytest.fixture
def session(browser) -> Iterator[Session]:
    # Playwright evaluates its own test expressions with eval, which the app's CSP forbids: the tests'
    # pages bypass CSP, and test_strict_csp_page_renders_without_violations checks the real policy.
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    s = Session(page)
    yield s
    context.close()
    assert s.errors == [], s.errors


def test_strict_csp_page_renders_without_violations(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(server + "?date=2018-03-25", wait_until="networkidle")
    headers = response.headers if response else {}
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert "unsafe-eval" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    page.wait_for_selector(".map-label", timeout=30000)  # labels appear once the map has rendered
    page.wait_for_selector("#date-display:has-text('2018-03-25')")
    page.close()
    assert errors == [], errors


def test_server_errors_carry_no_stack_trace(server):
    import urllib.error

    request = urllib.request.Request(server + "_dash-update-component", data=b"{not json",  # noqa: S310
                                     method="POST", headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310 - loopback only
    body = info.value.read().decode()
    assert info.value.code in (400, 500) and "Traceback" not in body and 'File "' not in body


def faction_index(fid: str) -> int:
    return ["government", "opposition", "sdf", "hts", "isis", "transitional", "russia", "turkey"].index(fid)


def test_page_loads_with_the_latest_day(session, server):
    session.open(server)
    assert session.date() == TODAY.isoformat()  # servers run with CONTROLMAP_TODAY (conftest)
    held = session.held()
    assert held["charlie"] == faction_index("transitional")
    assert held["alpha"] == faction_index("opposition")
    assert session.page.evaluate("() => window.controlmapCore.frontCount()") > 0  # front lines drawn
    assert session.page.locator(".map-label", has_text="Charlie").count() == 1


def test_slider_steps_repaint_without_server_requests(session, server):
    session.open(server + "?date=2016-08-13")
    assert session.date() == "2016-08-13"
    assert session.held()["foxtrot"] == faction_index("sdf")
    before = len(session.requests)
    thumb = session.page.locator("[role=slider]")
    thumb.focus()
    thumb.press("ArrowLeft")
    session.page.wait_for_function("document.querySelector('#date-display').innerText.trim() === '2016-08-12'")
    thumb.press("ArrowLeft")
    session.page.wait_for_function("document.querySelector('#date-display').innerText.trim() === '2016-08-11'")
    session.page.wait_for_function(f"{SHOWN}.foxtrot === {faction_index('isis')}")
    assert session.held()["foxtrot"] == faction_index("isis")
    # the URL is written once the view rests (1 s): no history write per step
    session.page.wait_for_function("window.location.search.includes('date=2016-08-11')")
    server_calls = [r for r in session.requests[before:] if r.split()[0] in ("xhr", "fetch", "document")]
    assert server_calls == []
    # key steps reach Dash's slider when something may read it: here at once, by "◀ Event" (from 2016-08-11,
    # not from the 2016-08-13 Dash had: that would give the event of 2016-08-12)
    thumb.press("ArrowRight")
    session.page.wait_for_function("document.querySelector('#date-display').innerText.trim() === '2016-08-12'")
    thumb.press("ArrowLeft")
    session.page.click("#prev-event")
    session.page.wait_for_function("document.querySelector('#date-display').innerText.trim() < '2016-08-11'")
    shown = session.date()
    session.page.wait_for_timeout(2000)  # past the rest after which a key step is handed to Dash anyway
    assert session.date() == shown
    assert session.page.locator("[role=slider]").get_attribute("aria-valuenow") == str(
        (dt.date.fromisoformat(shown) - dt.date(2016, 1, 1)).days)


def test_presence_markers_follow_the_day_the_layers_and_the_palette(session, server):
    """Russian and Turkish markers are a layer of the map itself: drawn at the zones
    the state gives them, off with their layer, recoloured with the palette, and the zone tooltip names them."""
    session.open(server + "?date=2020-01-01")
    page = session.page
    assert page.locator("#map-graph .maplibregl-canvas").count() == 1  # markers are layers of the one map
    assert page.evaluate(f"() => {MARKERS}") == {
        "presence": {"alpha": ["turkey"], "echo": ["russia"], "foxtrot": ["russia"]}, "towns": True}
    x, y = session.wait_for_zone_at(36.87, 36.51)  # Alpha's centre
    marker_at = ("([x, y, layer]) => { const m = " + MAP + "; const r = m.getContainer()"
                 ".getBoundingClientRect(); return m.queryRenderedFeatures([x - r.left, y - r.top], {layers: [layer]})"
                 ".filter(f => f.state.p1).length; }")
    assert page.evaluate(marker_at, [x, y, "cm-presence-1"]) == 1
    color = f"{MAP}.getPaintProperty('cm-presence-1', 'circle-color')"
    assert page.evaluate(f"() => {color}") == "#b0125b"
    page.mouse.move(x, y)
    page.wait_for_selector(".zone-tip", state="visible", timeout=10000)
    assert "Turkish army" in (page.locator(".zone-tip").text_content() or "")
    page.click("#palette-toggle input")
    page.wait_for_function(f"{color} === '#cc79a7'")
    page.locator("#layer-toggles").get_by_text("Turkish army", exact=True).click()
    page.wait_for_function(f"!('alpha' in {MARKERS}.presence)")
    assert page.evaluate(f"() => {MARKERS}.presence") == {"echo": ["russia"], "foxtrot": ["russia"]}
    page.locator("[role=slider]").focus()
    page.keyboard.press("End")  # the Russians left echo and foxtrot on 2024-12-08
    page.wait_for_function(f"Object.keys({MARKERS}.presence).length === 0")


def test_layer_toggle_hides_a_faction(session, server):
    session.open(server + "?date=2020-01-01")
    assert "alpha" in session.held()
    session.page.locator("#layer-toggles").get_by_text("Syrian opposition / SNA", exact=True).click()
    session.page.wait_for_function(f"!('alpha' in {SHOWN})")
    assert set(session.held()) == {"charlie", "delta", "echo", "foxtrot"}
    session.page.wait_for_function("new URLSearchParams(window.location.search).has('layers')")
    assert "opposition" not in session.page.url.split("layers=")[1]


def test_permalink_reproduces_the_view(session, server):
    session.open(server + "?date=2016-03-01&layers=isis,sdf,front&palette=cb")
    assert session.date() == "2016-03-01"
    assert set(session.held()) == {"alpha", "echo", "foxtrot"}
    assert session.page.is_checked("#palette-toggle input")
    assert session.page.evaluate(f"() => {MARKERS}.towns") is False  # towns were not in the layers


@pytest.mark.parametrize("query", ["?date=2016-02-30", "?date=garbage&layers=%3Cscript%3E", "?date=1900-01-01",
                                   "?layers=,,,", "?palette=" + "x" * 5000])
def test_odd_url_parameters_fall_back_cleanly(session, server, query):
    session.open(server + query)
    assert session.date() == TODAY.isoformat()  # servers run with CONTROLMAP_TODAY (conftest)
    assert len(session.held()) == 6


def test_hover_on_a_town_shows_controller_and_sources(session, server):
    session.open(server + "?date=2018-03-25")
    x, y = session.screen_point(36.87, 36.51)
    session.page.mouse.move(x, y)
    session.page.wait_for_selector(".zone-tip", state="visible", timeout=10000)  # the one tooltip
    # the holder at once; the place's names once the place index has come (fetched at the first pointer move)
    session.page.wait_for_function("(document.querySelector('.zone-tip').textContent || '').includes('Alpha')")
    text = session.page.locator(".zone-tip").text_content() or ""
    assert "Alpha" in text and "ألفا" in text
    assert "Syrian opposition / SNA since 2018-03-18" in text
    assert "Sources: Synthetic" in text


def test_clicking_an_event_moves_the_slider(session, server):
    session.open(server)
    session.page.click("text=Foxtrot taken by the SDF")
    session.page.wait_for_function("document.querySelector('#date-display').innerText.trim() === '2016-08-12'")
    assert session.page.get_attribute("[role=slider]", "aria-valuenow") == str((dt.date(2016, 8, 12) -
                                                                               dt.date(2016, 1, 1)).days)
    assert session.page.locator(".event.current", has_text="Foxtrot taken by the SDF").count() == 1
    assert session.page.locator(".event:not(.future)").count() == 1


def test_prev_and_next_event_buttons(session, server):
    session.open(server + "?date=2017-01-01")
    session.page.click("#next-event")
    session.page.wait_for_function("document.querySelector('#date-display').innerText.trim() === '2018-03-18'")
    session.page.click("#prev-event")
    session.page.wait_for_function("document.querySelector('#date-display').innerText.trim() === '2016-08-12'")


def test_play_advances_the_date(session, server):
    session.open(server + "?date=2016-01-01")
    session.page.click("#play-button")
    session.page.wait_for_function("document.querySelector('#date-display').innerText.trim() > '2016-03-01'",
                                   timeout=20000)
    session.page.click("#play-button")
    session.page.wait_for_function("document.querySelector('#play-button').innerText.trim().endsWith('Play')")
    # Paused means the timer is off (no tick can move the day any more), not "nothing moved for a while".
    session.page.wait_for_function("window.dash_component_api.getLayout('play-timer').props.disabled === true")
    stopped = session.date()
    session.page.click("#next-event")  # the next step starts from the day play stopped on
    following = min(d for d in ("2016-08-12", "2018-03-18", "2019-10-15", "2024-12-08") if d > stopped)
    session.page.wait_for_function(f"document.querySelector('#date-display').innerText.trim() === '{following}'")


def test_event_html_is_shown_as_text(session, server):
    session.open(server + "?date=2019-01-01")
    session.page.locator("#event-list").scroll_into_view_if_needed()  # the summaries come when in view
    session.page.wait_for_function("document.querySelector('#event-list').innerText.includes('alert(1)')")
    assert session.page.locator("script", has_text="alert(1)").count() == 0
    assert "<script>alert(1)</script>" in session.page.inner_text("#event-list")


def test_browser_state_matches_the_cli(session, server, capsys):
    """The client-side lookup agrees with `controlmap at` on sampled days."""
    session.open(server)
    for day in ["2016-01-01", "2016-08-11", "2016-08-12", "2018-03-18", "2019-10-15", "2024-12-08"]:
        offset = (dt.date.fromisoformat(day) - dt.date(2016, 1, 1)).days
        ids = session.page.evaluate("(off) => window.controlmapCore.controllersOn(off)", offset)
        for zid, lon, lat in [("alpha", 36.87, 36.51), ("foxtrot", 37.95, 36.53), ("charlie", 37.16, 36.2)]:
            assert cli_main(["--data", str(MINI), "at", day, str(lon), str(lat)]) == 0
            answer = json.loads(capsys.readouterr().out)
            assert ids[zid] == answer["controller"], (day, zid)


def test_area_table_follows_the_day(session, server):
    session.open(server + "?date=2016-01-01")
    rows = session.page.locator("#area-table .area-row:visible")
    names = [t.strip() for t in rows.locator(".area-name").all_inner_texts()]
    assert "Syrian transitional government" not in names and "Islamic State" in names
    assert all(t.endswith("km²") and t[0].isdigit() for t in rows.locator(".area-km2").all_inner_texts())
    session.page.click("#next-event")
    session.page.wait_for_function("document.querySelector('#date-display').innerText.trim() === '2016-08-12'")
    names = [t.strip() for t in session.page.locator("#area-table .area-row:visible .area-name").all_inner_texts()]
    assert "Islamic State" not in names  # foxtrot, the only ISIS zone, fell that day


def test_clicking_an_area_shows_its_history_with_links(session, server):
    session.open(server + "?date=2020-01-01")
    x, y = session.wait_for_zone_at(36.80, 36.56)
    session.page.mouse.click(x, y)
    session.page.wait_for_selector("#details-card h3")
    card = session.page.inner_text("#details-card")
    assert "Alpha" in card and "Control history" in card and "since 2018-03-18" in card
    assert session.page.get_attribute("#details-card a[href='https://example.org/e2']", "target") == "_blank"


def test_clicking_an_event_tick_moves_the_slider(session, server):
    session.open(server + "?date=2026-01-01")
    session.page.locator(".tick[title^='2019-10-15']").click()
    session.page.wait_for_function("document.querySelector('#date-display').innerText.trim() === '2019-10-15'")


@pytest.fixture(scope="module")
def real_server() -> Iterator[str]:
    proc, url = start_server(ROOT / "data")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_the_bundled_history_renders_afrin_after_olive_branch(session, real_server):
    session.open(real_server + "?date=2018-03-25")
    assert session.date() == "2018-03-25"
    assert len(session.held()) > 400
    x, y = session.wait_for_zone_at(36.8686, 36.5119)
    session.page.mouse.move(x, y)
    session.page.wait_for_selector(".zone-tip", state="visible", timeout=10000)  # the one tooltip
    text = session.page.locator(".zone-tip").text_content() or ""
    assert "Syrian opposition / SNA since 2018-03-18" in text


def test_every_source_shows_its_publishers_kind_and_lean(session, real_server):
    """The event panel rates each source by its publisher (data/publishers.csv) and keeps the evidence."""
    session.open(real_server + "?date=2016-02-05")
    # the events in force that day cite 11 sources (their texts fetched when the list comes into view)
    session.page.locator("#event-list").scroll_into_view_if_needed()
    session.page.wait_for_function("document.querySelectorAll('.event-sources li').length > 8")
    rated = session.page.evaluate("""() => Array.from(document.querySelectorAll('.event-sources li'))
        .map((li) => [li.querySelector('.source-lean') ? li.querySelector('.source-lean').textContent : '',
                      li.title || ''])""")
    assert all(lean for lean, _ in rated), "a source without its kind and lean"
    assert any("wire · independent" == lean for lean, _ in rated)
    assert all(evidence for _, evidence in rated)


def test_export_png_of_the_current_view_downloads_an_image(session, server, tmp_path):
    session.open(server + "?date=2018-03-20")
    session.page.fill("#export-width", "1200")
    session.page.press("#export-width", "Enter")
    with session.page.expect_download(timeout=60000) as info:
        session.page.click("#export-png")
    download = info.value
    assert download.suggested_filename == "controlmap-2018-03-20.png"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    from PIL import Image

    with Image.open(path) as img:
        assert img.size[0] == 1200 and img.format == "PNG"
    session.page.wait_for_function("document.querySelector('#export-status').innerText.includes('Exported')")


def test_export_data_downloads_the_days_csv(session, server, tmp_path):
    session.open(server + "?date=2018-03-20")
    with session.page.expect_download(timeout=30000) as info:
        session.page.click("#export-csv")
    path = tmp_path / "state.csv"
    info.value.save_as(path)
    rows = path.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("id,name_en,name_ar,lon,lat") and len(rows) == 7
    assert rows[1].startswith("alpha,Alpha,ألفا") and ",opposition,turkey,2018-03-18,e2," in rows[1]


def test_export_refuses_an_absurd_width(session, server):
    session.open(server)
    session.page.fill("#export-width", "99999")
    session.page.press("#export-width", "Enter")
    session.page.click("#export-png")
    session.page.wait_for_function(
        "document.querySelector('#export-status').innerText.includes('Width must be a whole number')")


def test_compare_two_dates_outlines_changes_and_lists_them(session, server):
    session.open(server + "?date=2019-01-01&compare=2016-01-01")
    session.page.wait_for_function("window.controlmapCore.changed().length === 2")
    assert sorted(session.page.evaluate("() => window.controlmapCore.changed()")) == ["alpha", "foxtrot"]
    table = session.page.inner_text("#compare-table")
    assert "2 changed hands, 2016-01-01 → 2019-01-01" in table
    assert "Alpha" in table and "Alpha taken by the opposition" in table
    assert "compare=2016-01-01" in session.page.url
    session.page.click("#compare-table .event-go >> text=Foxtrot taken by the SDF")
    session.page.wait_for_function("document.querySelector('#date-display').innerText.trim() === '2016-08-12'")


def test_search_finds_a_place_by_another_spelling_and_arabic(session, server):
    session.open(server + "?date=2020-01-01")
    for query in ("Alfa", "ألفا"):
        session.page.fill("#place-search", "")
        session.page.type("#place-search", query)
        session.page.wait_for_function("document.querySelector('#search-results li[data-zone] span')?.textContent "
                                       "=== 'Alpha'")
    session.page.fill("#place-search", "")
    session.page.click("#place-search")
    session.page.keyboard.type("Alfa")
    session.page.wait_for_selector("#search-results li[data-zone]")
    session.page.keyboard.press("Enter")
    session.page.wait_for_selector("#details-card h3")
    assert session.page.inner_text("#details-card h3") == "Alpha"
    session.page.wait_for_function(f"Math.abs({MAP}.getCenter().lng - 36.87) < 0.01")
    strip = session.page.locator("#details-card .strip-period")
    assert strip.count() == 2  # sdf, then opposition from 2018-03-18
    strip.nth(1).click()
    session.page.wait_for_function("document.querySelector('#date-display').innerText.trim() === '2018-03-18'")


CHART_GEOMETRY = """() => {
    const frame = document.querySelector('#chart-graph .chart-frame').getBoundingClientRect();
    const cursor = document.querySelector('#chart-graph .chart-cursor').getBoundingClientRect();
    const thumb = document.querySelector('#date-slider [role=slider]');
    return {left: frame.left, top: frame.top, width: frame.width, height: frame.height,
            cursor: cursor.left + cursor.width / 2, day: Number(thumb.getAttribute('aria-valuenow')),
            n_days: Number(thumb.getAttribute('aria-valuemax'))};
}"""
CHART_LINES = ("() => [...document.querySelectorAll('#chart-graph path.chart-line')]"
               ".map(p => [p.dataset.faction, p.dataset.measure])")
HELD = ("(m) => { const s = window.CM.s.data.series; "
        "return window.CM.s.data.faction_ids.filter(f => (s[m][f] || []).some(v => v > 0)); }")


def test_chart_has_a_cursor_and_a_click_moves_the_slider(session, server):
    session.open(server + "?date=2018-03-25")
    cursor = "document.querySelector('#chart-graph svg .chart-cursor')"
    session.page.wait_for_function(f"{cursor} && {cursor}.dataset.date === '2018-03-25'")
    svg = session.page.locator("#chart-graph svg")
    assert svg.get_attribute("role") == "img" and "Control over time" in svg.get_attribute("aria-label")
    # one step line per faction that held ground, in the area measure
    lines = session.page.evaluate(CHART_LINES)
    held = session.page.evaluate(HELD, "km2")
    assert len(held) >= 2 and [f for f, _ in lines] == held and {m for _, m in lines} == {"km2"}
    # the cursor stands where the slider's date falls on the time axis
    geo = session.page.evaluate(CHART_GEOMETRY)
    assert abs(geo["cursor"] - (geo["left"] + geo["width"] * geo["day"] / geo["n_days"])) < 1.5
    # focused, the chart reads out each faction's value on the slider's date: the area table's figures
    session.page.focus("#chart-graph")
    session.page.wait_for_selector("#chart-graph .chart-tip:not([hidden])")
    assert session.page.inner_text("#chart-graph .chart-tip-date") == "2018-03-25"
    tip = session.page.evaluate("() => Object.fromEntries([...document.querySelectorAll('#chart-graph "
                                ".chart-tip-row')].map(r => [r.querySelector('[data-faction]').dataset.faction, "
                                "Number(r.dataset.value)]))")
    table = session.page.evaluate("() => Object.fromEntries([...document.querySelectorAll('#area-table "
                                  ".area-row')].filter(r => r.style.display !== 'none').map(r => "
                                  "[r.dataset.faction, Number(r.querySelector('.area-km2').textContent"
                                  ".replace(/[^0-9]/g, ''))]))")
    assert len(table) >= 2 and {f: round(v) for f, v in tip.items() if v > 0} == pytest.approx(table, abs=1)
    # the arrow keys move the date, and the cursor and the readout with it
    session.page.keyboard.press("ArrowRight")
    session.page.wait_for_function(f"{cursor}.dataset.date === '2018-03-26'")
    assert session.page.inner_text("#chart-graph .chart-tip-date") == "2018-03-26"
    # a click moves the slider to the day under the pointer, as a slider move that the URL follows
    session.page.mouse.click(geo["left"] + geo["width"] * 0.1, geo["top"] + geo["height"] / 2)
    wanted = round(geo["n_days"] * 0.1)
    session.page.wait_for_function(f"Math.abs(Number(document.querySelector('#date-slider [role=slider]')"
                                   f".getAttribute('aria-valuenow')) - {wanted}) <= "
                                   f"{geo['n_days'] / geo['width'] + 1}")  # a click's clientX is whole pixels
    clicked = session.date()
    assert clicked < "2018-01-01"
    session.page.wait_for_function(f"{cursor}.dataset.date === '{clicked}'")
    session.page.wait_for_function(f"window.location.search.includes('date={clicked}')")
    # the measure switch redraws the lines in the page, with no request to the server
    before = len(session.requests)
    session.page.click("#chart-measure >> text=Population (known places)")
    session.page.wait_for_function("document.querySelector('#chart-graph svg').dataset.measure === 'population'")
    lines = session.page.evaluate(CHART_LINES)
    assert [f for f, _ in lines] == session.page.evaluate(HELD, "population") and lines
    assert {m for _, m in lines} == {"population"}
    assert [r for r in session.requests[before:] if r.split()[0] in ("xhr", "fetch", "document")] == []
    assert session.page.evaluate(f"{cursor}.dataset.date") == clicked  # the cursor stays where the slider is


def test_arabic_interface_is_right_to_left_and_kept_in_the_url(session, server):
    session.open(server + "?date=2018-03-25")
    session.page.click("#lang-toggle >> text=العربية")
    session.page.wait_for_function("document.documentElement.dir === 'rtl'")
    assert session.page.inner_text("h1") == "خريطة السيطرة في شمال سوريا"
    session.page.wait_for_function("window.location.search.includes('lang=ar')")  # written once the view rests
    assert session.page.locator(".map-label", has_text="ألفا").count() == 1
    assert "المعارضة السورية" in session.page.inner_text("#layer-toggles")
    session.open(session.page.url)
    session.page.wait_for_function("document.documentElement.dir === 'rtl'")


URL_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
URL_PARAMS = st.fixed_dictionaries({}, optional={
    "date": st.one_of(URL_TEXT, st.dates().map(str)),
    "compare": st.one_of(URL_TEXT, st.dates().map(str)),
    "layers": st.one_of(URL_TEXT, st.lists(st.sampled_from(
        ["government", "sdf", "isis", "russia", "front", "towns", "<script>", "", "x" * 300]),
        max_size=6).map(",".join)),
    "lang": st.one_of(URL_TEXT, st.sampled_from(["en", "ar", "AR", "fr"])),
    "palette": st.one_of(URL_TEXT, st.just("cb")),
    "view": st.one_of(URL_TEXT, st.tuples(st.floats(allow_nan=True), st.floats(allow_nan=True),
                                          st.floats(-5, 30)).map(lambda t: ",".join(map(str, t)))),
})


@seed(FUZZ_SEED)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          database=None)
@given(params=URL_PARAMS)
def test_fuzzed_url_parameters_never_break_the_page(browser, server, params):
    """Any query string: the page renders a valid day from the data, with no error in the console."""
    print(f"URL fuzz seed {FUZZ_SEED} (CONTROLMAP_FUZZ_SEED={FUZZ_SEED} replays it): {params!r}")
    context = browser.new_context(viewport={"width": 1200, "height": 800}, bypass_csp=True)
    page = context.new_page()
    session = Session(page)
    try:
        session.open(server + "?" + urllib.parse.urlencode(params))
        shown = session.date()
        assert dt.date(2016, 1, 1) <= dt.date.fromisoformat(shown) <= TODAY
        expected = params.get("date", "")
        try:
            if dt.date(2016, 1, 1) <= dt.date.fromisoformat(expected) <= TODAY and len(expected) == 10:
                assert shown == expected
        except ValueError:
            pass
        assert page.locator("script:has-text('alert')").count() == 0
    finally:
        context.close()
    assert session.errors == [], session.errors


def test_the_map_view_is_kept_in_the_url(session, server):
    session.open(server + "?date=2018-03-20&view=36.9,36.5,9.5")
    session.page.wait_for_function(f"Math.abs({MAP}.getZoom() - 9.5) < 0.01")
    assert abs(session.page.evaluate(f"() => {MAP}.getCenter().lng") - 36.9) < 0.01
    # the linked view has reached the map itself (and the URL) before the reader moves it
    session.page.wait_for_function("decodeURIComponent(window.location.search).includes('view=36.9000,36.5000,9.50')")
    # the reader moves the map once it has finished loading
    session.page.wait_for_function("window.controlmapCore.mapSettled()", timeout=60000)
    session.page.evaluate("() => window.CM.map.get().jumpTo({center: [37.1, 36.2], zoom: 8})")
    session.page.wait_for_function("decodeURIComponent(window.location.search).includes('view=37.1000,36.2000,8.00')")
