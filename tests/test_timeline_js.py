"""The browser's timeline (assets/10-timeline.js, run by node) against the Python Timeline: on every
distinct state day, and the day before it, every zone has the same controller, presence, cause and since."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from layers import Dataset, Timeline, load_dataset
from layers.web.payload import build_payload
from tests.conftest import MINI, ROOT, TODAY

NODE = shutil.which("node") or shutil.which("nodejs")
SCRIPT = """
const T = require(process.argv[2]);
const input = JSON.parse(require("fs").readFileSync(process.argv[3], "utf8"));
const row = (r) => [r[1], r[2], r[3], T.isoDay(input.data, r[4])];
const out = input.days.map((day) => T.stateAt(input.data, day).map(row));
process.stdout.write(JSON.stringify(out));
"""

if NODE is None:
    pytest.skip("node is missing (apt-get install nodejs; make browser installs it)", allow_module_level=True)


def js_states(payload: dict, days: list[int], tmp: Path) -> list[list[list]]:
    keys = ("start", "n_days", "state_days", "runs")
    (tmp / "in.json").write_text(json.dumps({"data": {k: payload[k] for k in keys}, "days": days}))
    (tmp / "run.js").write_text(SCRIPT)
    res = subprocess.run([NODE, str(tmp / "run.js"), str(ROOT / "assets" / "10-timeline.js"), str(tmp / "in.json")],
                         capture_output=True, text=True, check=True, timeout=300)
    return json.loads(res.stdout)


def expected(ds: Dataset, tl: Timeline, payload: dict, day: dt.date) -> list[list]:
    st = tl.state(day)
    factions, presence, events = payload["faction_ids"], payload["presence_ids"], [e.id for e in ds.events]
    out = []
    for zid in payload["zone_ids"]:
        ctrl = st.controller[zid]
        mask = sum(1 << presence.index(p) for p in st.presence.get(zid, frozenset()))
        cause = st.cause.get(zid)
        out.append([factions.index(ctrl) if ctrl else -1, mask, events.index(cause) if cause else -1,
                    st.since[zid].isoformat()])
    return out


@pytest.mark.parametrize("data", [MINI, ROOT / "data"], ids=["mini", "bundled"])
def test_js_lookup_equals_the_python_timeline(data: Path, tmp_path: Path):
    ds = load_dataset(data, today=TODAY)
    tl = Timeline(ds)
    payload = build_payload(ds, tl)
    days = sorted({d + dt.timedelta(days=k) for d in tl.days for k in (-1, 0)} | {ds.start, ds.end})
    days = [d for d in days if ds.start <= d <= ds.end]
    got = js_states(payload, [(d - ds.start).days for d in days], tmp_path)
    assert len(got) == len(days)
    for day, state in zip(days, got):
        assert state == expected(ds, tl, payload, day), day
