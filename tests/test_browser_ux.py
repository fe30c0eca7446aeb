"""What a reader sees and touches (issue 11) and labels and search that read like a map (issue 9), in the
real app in headless Chromium; every test fails on a browser console error (tests/test_browser.py)."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest

from tests.conftest import TODAY
from tests.test_browser import MAP, SHOWN, Session, browser, real_server, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser) -> Iterator[Session]:  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True, is_mobile=True,
                                  has_touch=True, device_scale_factor=1)
    s = Session(context.new_page())
    yield s
    context.close()
    assert s.errors == [], s.errors


@pytest.fixture
def desk(browser) -> Iterator[Session]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)
    s = Session(context.new_page())
    yield s
    context.close()
    assert s.errors == [], s.errors


def date_is(s: Session, iso: str) -> None:
    s.page.wait_for_function(f"document.querySelector('#date-display').innerText.trim() === '{iso}'")


def test_a_phone_gets_a_phone_map(phone, real_server):  # noqa: F811
    phone.open(real_server + "?date=2018-03-25")
    page = phone.page
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width} px)"
    mapbox = page.locator("#map-graph").bounding_box()
    assert mapbox["width"] >= 380 and mapbox["height"] >= 450  # the map fills the screen
    slider = page.locator("#date-slider").bounding_box()
    assert slider["x"] >= 0 and slider["x"] + slider["width"] <= 390 and slider["width"] >= 330
    assert slider["y"] + slider["height"] <= 844  # reachable without scrolling
    zoom = page.evaluate(f"() => {MAP}.getZoom()")
    assert zoom < 7.2, "the map opens on the whole area, not at desktop zoom (7.4)"
    assert page.evaluate("() => document.documentElement.scrollHeight") < 6000  # the event list is paged
    thumb = page.locator("[role=slider]")  # 2025-2026 are reachable
    thumb.focus()
    thumb.press("End")
    assert phone.date() == TODAY.isoformat()
    assert page.locator(".freshness").is_visible()
    # legend and layers: a sheet over the map, closed at first, that opens within the screen
    sheet = page.locator("#legend-panel")
    page.evaluate("() => window.scrollTo(0, 0)")
    mapbox = page.locator("#map-graph").bounding_box()
    assert not page.evaluate("() => document.getElementById('legend-panel').open")
    box = sheet.bounding_box()
    assert mapbox["y"] <= box["y"] and box["y"] + box["height"] <= mapbox["y"] + mapbox["height"]
    sheet.locator("summary").click()
    page.wait_for_function("() => document.getElementById('legend-panel').open")
    toggle = page.locator("#layer-toggles input, .layer-toggles input").first.bounding_box()
    assert toggle is not None and 0 <= toggle["x"] and toggle["x"] + toggle["width"] <= 390
    assert mapbox["y"] <= toggle["y"] <= mapbox["y"] + mapbox["height"]  # the toggles are over the map


def test_a_tap_opens_a_card_from_the_bottom_on_a_phone(phone, server):  # noqa: F811
    phone.open(server + "?date=2020-01-01")
    x, y = phone.screen_point(36.80, 36.56)
    phone.page.mouse.click(x, y)
    phone.page.wait_for_selector("#map-card.open h3")
    card = phone.page.locator("#map-card").bounding_box()
    assert abs(card["y"] + card["height"] - 844) < 2 and card["width"] >= 388
    phone.page.click("#card-close")
    phone.page.wait_for_selector("#map-card.open", state="detached")


def test_a_tap_on_the_chart_moves_the_date_in_arabic_on_a_phone(phone, server):  # noqa: F811
    phone.open(server + "?date=2020-01-01&lang=ar")
    frame = phone.page.locator("#chart-graph .chart-frame")
    frame.scroll_into_view_if_needed()
    assert phone.page.locator("#chart-graph svg").get_attribute("height") == "200"
    box = frame.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the right-to-left page keeps it on screen
    phone.page.touchscreen.tap(box["x"] + box["width"] * 0.25, box["y"] + box["height"] / 2)
    n_days = int(phone.page.get_attribute("#date-slider [role=slider]", "aria-valuemax"))
    phone.page.wait_for_function(f"Math.abs(Number(document.querySelector('#date-slider [role=slider]')"
                                 f".getAttribute('aria-valuenow')) - {round(n_days * 0.25)}) <= "
                                 f"{n_days / box['width'] + 1}")  # a click's clientX is whole pixels
    # time runs left to right in the chart as on the slider, in Arabic too
    assert phone.page.locator("#chart-graph svg").get_attribute("dir") == "ltr"


def test_a_click_shows_the_result_over_the_map_and_scrolls_to_its_event(desk, server):  # noqa: F811
    desk.open(server + "?date=2020-01-01")
    x, y = desk.screen_point(36.80, 36.56)
    desk.page.mouse.move(x, y)
    desk.page.wait_for_selector(".zone-tip", state="visible")
    named = desk.page.inner_text(".zone-tip")
    assert desk.page.locator("#map-graph .hoverlayer .hovertext").count() == 0  # one tooltip only
    desk.page.mouse.click(x, y)
    desk.page.wait_for_selector("#map-card.open h3")
    title = desk.page.inner_text("#map-card h3")
    assert title in named  # the click selects what the tooltip names
    card = desk.page.locator("#map-card").bounding_box()
    assert card["y"] < 900 and card["y"] + 100 < 900  # where the eye is
    desk.page.wait_for_selector("#event-list li.selected")
    assert "Alpha taken by the opposition" in desk.page.inner_text("#event-list li.selected")
    desk.page.keyboard.press("Escape")
    desk.page.wait_for_selector("#map-card.open", state="detached")


def test_play_from_the_last_day_starts_at_the_beginning(desk, server):  # noqa: F811
    desk.open(server)
    assert desk.date() == TODAY.isoformat()
    desk.page.click("#play-speed >> text=1 year/s")
    desk.page.click("#play-button")
    desk.page.wait_for_function("document.querySelector('#date-display').innerText.trim() < '2017-06-01'")
    assert "Pause" in desk.page.inner_text("#play-button")
    desk.page.click("#play-button")
    desk.page.wait_for_function("document.querySelector('#play-button').innerText.trim().endsWith('Play')")


def test_play_from_the_last_day_with_a_compare_date_starts_there(desk, server):  # noqa: F811
    desk.open(server + "?compare=2019-10-01")
    desk.page.click("#play-button")
    desk.page.wait_for_function("document.querySelector('#date-display').innerText.trim() < '2020-06-01'")
    assert desk.date() >= "2019-10-01"
    desk.page.keyboard.press(" ")  # space pauses
    desk.page.wait_for_function("document.querySelector('#play-button').innerText.trim().endsWith('Play')")


def test_keyboard_shortcuts_and_their_help(desk, server):  # noqa: F811
    desk.open(server + "?date=2017-01-01")
    desk.page.locator("h1").click()
    desk.page.keyboard.press("ArrowRight")
    date_is(desk, "2017-01-02")
    desk.page.keyboard.press("PageDown")
    date_is(desk, "2018-03-18")
    desk.page.keyboard.press("PageUp")
    date_is(desk, "2016-08-12")
    desk.page.keyboard.press("Home")
    date_is(desk, "2016-01-01")
    desk.page.keyboard.press("End")
    date_is(desk, TODAY.isoformat())
    desk.page.click("#help-button")
    assert "PageUp" in desk.page.inner_text("#help-popover")


def test_the_palette_reaches_the_legend_the_chart_and_the_tooltip(desk, server):  # noqa: F811
    desk.open(server + "?date=2020-01-01&palette=cb")
    sdf = desk.page.evaluate("() => window.CM.s.data.factions.find(f => f.id === 'sdf').color_cb")
    desk.page.wait_for_function("getComputedStyle(document.querySelector('#layer-toggles [data-swatch=sdf]'))"
                                ".backgroundColor !== ''")
    color = "(sel) => document.querySelector(sel).style.backgroundColor"
    legend = desk.page.evaluate(color, "#layer-toggles [data-swatch=sdf]")
    area = desk.page.evaluate(color, "#area-table [data-swatch=sdf]")
    assert legend == area and legend == desk.page.evaluate(f"() => {{ const d = document.createElement('i'); "
                                                           f"d.style.backgroundColor = '{sdf}'; "
                                                           f"return d.style.backgroundColor; }}")
    line = "document.querySelector('#chart-graph path.chart-line[data-faction=sdf]')"
    desk.page.wait_for_function(f"{line} && {line}.getAttribute('stroke') === '{sdf}'")
    assert desk.page.evaluate(f"getComputedStyle({line}).stroke") == legend
    desk.page.click("#palette-toggle input")  # back to the usual palette: the chart follows
    usual = desk.page.evaluate("() => window.CM.s.data.factions.find(f => f.id === 'sdf').color")
    desk.page.wait_for_function(f"{line}.getAttribute('stroke') === '{usual}'")


def test_typing_a_compare_date_keeps_the_console_clean(desk, server):  # noqa: F811
    desk.open(server + "?date=2019-01-01")
    desk.page.click("text=Compare two dates")
    desk.page.click("#compare-date")
    desk.page.keyboard.type("2016-01-01")
    desk.page.keyboard.press("Enter")
    desk.page.wait_for_function("window.controlmapCore.changed().length === 2")


def test_search_forgives_transliteration_and_zooms(desk, real_server):  # noqa: F811
    desk.open(real_server + "?date=2020-01-01")
    for query, first in [("Minbij", "Manbij"), ("Kobane", "Kobani"), ("tal rifat", "Tal Rifaat"), ("منبج", "Manbij"),
                         ("Aleppo", "Aleppo (city centre)")]:
        desk.page.fill("#place-search", "")
        desk.page.type("#place-search", query)
        first_js = first.replace("'", "\\'")
        desk.page.wait_for_function("document.querySelector('#search-results li[data-zone] span')?.textContent === "
                                    f"'{first_js}'")
    desk.page.keyboard.press("Enter")
    desk.page.wait_for_selector("#map-card.open h3")
    assert desk.page.inner_text("#map-card h3") == "Aleppo (city centre)"
    desk.page.wait_for_function(f"Math.abs({MAP}.getCenter().lng - 37.16) < 0.01")


def test_zooming_in_shows_village_labels_that_do_not_overlap(desk, real_server):  # noqa: F811
    desk.open(real_server + "?date=2020-01-01")
    boxes = "() => [...document.querySelectorAll('.map-label')].map(e => { const r = e.getBoundingClientRect(); " \
            "return [r.left, r.top, r.right, r.bottom, e.classList.contains('minor')]; })"
    desk.page.wait_for_selector(".map-label")
    opening = desk.page.evaluate(boxes)
    assert opening and not any(b[4] for b in opening)  # towns only at the opening zoom
    # zoom in as a reader's wheel or pinch does, once the map has finished loading
    desk.page.wait_for_function("window.controlmapCore.mapSettled()", timeout=60000)
    desk.page.evaluate("() => window.CM.map.get().jumpTo({center: [36.75, 36.0], zoom: 10.5})")
    desk.page.wait_for_function("document.querySelectorAll('.map-label.minor').length > 10")
    labels = desk.page.evaluate(boxes)
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            overlap = min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1
            assert not overlap, (a, b)


def test_share_and_embed(desk, server):  # noqa: F811
    desk.open(server + "?date=2018-03-20")
    desk.page.evaluate("() => window.dash_clientside.set_props('date-slider', {value: "
                       "window.CM.timeline.dayOf(window.CM.s.data, '2018-03-25')})")
    desk.page.wait_for_function("document.querySelector('#date-display').innerText.trim() === '2018-03-25'")
    desk.page.click("#share-button")  # at once: the link carries the day on screen, not the last one written
    desk.page.wait_for_selector("#share-popover:not([hidden])")
    assert "date=2018-03-25" in desk.page.input_value("#share-url")
    cite = desk.page.input_value("#share-cite")
    assert "data as of" in cite and "date=2018-03-25" in cite
    assert "/embed?" in desk.page.input_value("#share-embed")
    with urllib.request.urlopen(server + "embed?date=2018-03-25", timeout=10) as resp:  # noqa: S310 - loopback
        assert "frame-ancestors *" in resp.headers["Content-Security-Policy"]
        assert "X-Frame-Options" not in resp.headers
    with urllib.request.urlopen(server, timeout=10) as resp:  # noqa: S310 - loopback
        assert "frame-ancestors 'self'" in resp.headers["Content-Security-Policy"]
    desk.open(server + "embed?date=2018-03-25")
    assert desk.page.evaluate("() => document.body.classList.contains('embed')")
    assert not desk.page.locator(".sidebar").is_visible() and desk.date() == "2018-03-25"


def test_about_page_says_how_to_cite(desk, server):  # noqa: F811
    desk.page.goto(server + "about")
    text = desk.page.inner_text("body")
    assert "How to cite" in text and "data as of" in text and "What confidence means" in text
    desk.page.goto(server + "about?lang=ar")
    assert desk.page.evaluate("() => document.documentElement.dir") == "rtl"


def test_after_the_as_of_date_the_map_says_it_has_no_newer_information(desk, server):  # noqa: F811
    desk.open(server)
    desk.page.wait_for_selector("#stale-note:not([hidden])")
    assert "No newer information after" in desk.page.inner_text("#stale-note")
    desk.open(server + "?date=2018-03-25")
    assert desk.page.locator("#stale-note").is_hidden()


def test_arabic_interface_has_no_english_buttons(desk, server):  # noqa: F811
    desk.open(server + "?date=2018-03-25&lang=ar")
    desk.page.wait_for_function("document.documentElement.dir === 'rtl'")
    assert desk.page.inner_text("#play-button") == "▶ تشغيل"
    for sel in ("#share-button", "#about-link", "#prev-event", "#next-event", "#play-speed", ".export-panel h2",
                ".freshness", ".legend-panel summary"):
        text = desk.page.inner_text(sel)
        assert not any("a" <= c.lower() <= "z" for c in text.replace("km", "")), (sel, text)
    assert desk.page.evaluate("() => getComputedStyle(document.querySelector('.map-column')).direction") == "ltr"
