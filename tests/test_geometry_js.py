"""The browser's geometry decoder (assets/05-geometry.js, run by node) gives back the shapes the payload
encoded (layers/web/payload.py), to the ~10 m grid they were rounded to."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, shape

from layers import Timeline
from layers.web.payload import COORD_DIGITS, _display, build_payload, quantise
from tests.conftest import ROOT

NODE = shutil.which("node") or shutil.which("nodejs")
SCRIPT = """
const G = require(process.argv[2]);
const data = JSON.parse(require("fs").readFileSync(process.argv[3], "utf8"));
G.expand(data);
process.stdout.write(JSON.stringify({zones: data.zones, edges: data.edges}));
"""

if NODE is None:
    pytest.skip("node is missing (apt-get install nodejs; make browser installs it)", allow_module_level=True)


@pytest.mark.parametrize("coords", [
    [(37.0, 36.0), (37.1, 36.0), (37.1, 36.1), (37.0, 36.0)],
    [(-0.00004, 0.00006), (0.00004, -0.00006)],            # around zero, rounding both ways
    [(37.00001, 36.0), (37.00002, 36.0), (37.5, 36.5)],    # a point repeated after rounding is dropped
])
def test_quantise_steps_back_to_the_rounded_points(coords):
    flat = quantise(coords)
    x = y = 0
    points = []
    for dx, dy in zip(flat[::2], flat[1::2]):
        x, y = x + dx, y + dy
        points.append((x / 10**COORD_DIGITS, y / 10**COORD_DIGITS))
    rounded = [(round(a, COORD_DIGITS), round(b, COORD_DIGITS)) for a, b in coords]
    assert points == [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]


def test_node_expands_every_zone_and_edge_to_its_shape(mini, tmp_path):
    payload = build_payload(mini, Timeline(mini))
    (tmp_path / "data.json").write_text(json.dumps(payload))
    (tmp_path / "run.js").write_text(SCRIPT)
    res = subprocess.run([NODE, str(tmp_path / "run.js"), str(ROOT / "assets" / "05-geometry.js"),
                          str(tmp_path / "data.json")], capture_output=True, text=True, check=True, timeout=120)
    out = json.loads(res.stdout)
    features = {f["id"]: f for f in out["zones"]["features"]}
    assert len(features) == sum(1 for z in mini.zones if not z.geometry.is_empty)
    for i, z in enumerate(mini.zones):
        drawn = shape(features[i]["geometry"])
        assert features[i]["properties"]["zone"] == z.id
        expected = _display(z.geometry)
        assert isinstance(drawn, MultiPolygon) and isinstance(expected, (Polygon, MultiPolygon))
        assert shapely.hausdorff_distance(drawn, expected) < 2 * 10**-COORD_DIGITS
    assert len(out["edges"]) == len(payload["edges_q"]) > 0
    for (a, b, parts), (qa, qb, _) in zip(out["edges"], payload["edges_q"]):
        assert (a, b) == (qa, qb) and all(len(p) >= 2 for p in parts)
        assert all(isinstance(LineString(p), LineString) for p in parts)
