"""The chart's axis helpers (assets/48-chart.js, run by node): tick labels as plotly's "~s" wrote them, y axes
that start at 0 and reach past the largest value in steps of 1, 2 or 5, time ticks on the first of a month
whose labels keep apart, and step lines that hold each value until the next one."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

NODE = shutil.which("node") or shutil.which("nodejs")
SCRIPT = """
const A = require(process.argv[1]);
const calls = JSON.parse(process.argv[2]);
process.stdout.write(JSON.stringify(calls.map(([name, args]) => A[name](...args))));
"""

if NODE is None:
    pytest.skip("node is missing (apt-get install nodejs; make browser installs it)", allow_module_level=True)


def run(*calls: tuple[str, list]) -> list:
    res = subprocess.run([NODE, "-e", SCRIPT, str(ROOT / "assets" / "48-chart.js"), json.dumps(calls)],
                         capture_output=True, text=True, check=True, timeout=60)
    return json.loads(res.stdout)


SI = [(0, "0"), (7, "7"), (500, "500"), (1000, "1k"), (2500, "2.5k"), (10000, "10k"), (30000, "30k"),
      (250000, "250k"), (1_250_000, "1.25M"), (1_500_000, "1.5M"), (2e9, "2G"), (0.5, "0.5")]


def test_tick_labels_read_like_plotly_si():
    assert run(*[("si", [v]) for v, _ in SI]) == [text for _, text in SI]


@pytest.mark.parametrize("top", [0.0, 0.3, 1.0, 7.0, 99.0, 100.0, 30383.9, 229426.0, 1_323_520.0, 987_654_321.0])
@pytest.mark.parametrize("count", [3, 5])
def test_the_y_axis_starts_at_zero_and_holds_the_largest_value(top, count):
    axis, step = run(("yAxis", [top, count]), ("niceStep", [top, count]))
    ticks = axis["ticks"]
    assert ticks[0] == 0 and axis["top"] >= top and ticks[-1] <= axis["top"] + 1e-9
    assert 2 <= len(ticks) <= count + 2
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in (1, 2, 5)
    assert all(abs((b - a) - step) < step * 1e-9 for a, b in zip(ticks, ticks[1:], strict=False))


@pytest.mark.parametrize(("xs", "ys", "end", "path"), [
    ([0], [5], 30, "M0.0 5.0H30.0"),
    ([0, 10, 20], [5, 5, 3], 30, "M0.0 5.0H20.0V3.0H30.0"),  # equal runs merged: one corner per change
    ([0, 10, 20], [5, 1, 5], 20, "M0.0 5.0H10.0V1.0H20.0V5.0H20.0"),  # a change on the last day
    ([], [], 10, ""),
])
def test_step_lines_hold_each_value_until_the_next(xs, ys, end, path):
    assert run(("stepPath", [xs, ys, end])) == [path]


@pytest.mark.parametrize(("start", "end", "width", "labels"), [
    ("2016-01-01", "2026-11-28", 600, [str(y) for y in range(2016, 2027)]),
    ("2016-01-01", "2026-11-28", 300, ["2016", "2018", "2020", "2022", "2024", "2026"]),  # every other year
    ("1990-01-01", "2026-11-28", 280, ["1990", "1995", "2000", "2005", "2010", "2015", "2020", "2025"]),
    ("2022-02-24", "2022-06-30", 300, ["2022-03", "2022-04", "2022-05", "2022-06"]),  # months for a short span
    ("2022-02-24", "2022-02-27", 300, []),  # no first of a month inside: no label rather than a wrong one
])
def test_time_ticks_fall_on_firsts_and_keep_apart(start, end, width, labels):
    ticks = run(("timeTicks", [start, end, width]))[0]
    assert [t["label"] for t in ticks] == labels
    span = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days
    for t in ticks:  # each at the first day of its month, inside the span
        day = dt.date.fromisoformat(start) + dt.timedelta(days=t["day"])
        assert day.day == 1 and day.isoformat().startswith(t["label"]) and 0 <= t["day"] <= span
    assert all(width * (b["day"] - a["day"]) / span >= 34 for a, b in zip(ticks, ticks[1:], strict=False))
