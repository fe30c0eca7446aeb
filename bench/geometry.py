"""The zone geometry sent once at page load: bytes and vertices of the shared arcs (layers/web/topology.py)
against the per-zone encoding they replaced (every zone's rings simplified on their own, and the front
edges sent apart), and the time the browser's decoder takes in node. Prints numbers, asserts nothing.

Run: .venv/bin/python bench/geometry.py [--data DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import brotli
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layers import Timeline, load_dataset  # noqa: E402
from layers.engine.geometry import adjacency  # noqa: E402
from layers.web.payload import DISPLAY_TOLERANCE_DEG, SCALE, build_payload, controller_histories  # noqa: E402
from layers.web.topology import build_topology  # noqa: E402

EXPAND = """
const G = require(process.argv[2]);
const data = JSON.parse(require("fs").readFileSync(process.argv[3], "utf8"));
const t = process.hrtime.bigint();
G.expand(data);
process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));
"""


def steps(coords: Any) -> list[int]:
    """The per-zone encoding: a ring as its first point and then steps, repeated points dropped."""
    out: list[int] = []
    px = py = 0
    for i, (x, y) in enumerate(coords):
        qx, qy = round(x * SCALE), round(y * SCALE)
        if i and (qx, qy) == (px, py):
            continue
        out += [qx - px, qy - py]
        px, py = qx, qy
    return out


def per_zone(ds: Any, timeline: Timeline) -> tuple[dict[str, Any], int]:
    """The encoding before shared arcs: each zone simplified on its own, the front edges apart."""
    zones = []
    for z in ds.zones:
        shape = shapely.simplify(z.geometry, DISPLAY_TOLERANCE_DEG, preserve_topology=True)
        polys = [p for p in getattr(shape, "geoms", [shape]) if p.geom_type == "Polygon" and not p.is_empty]
        zones.append([[steps(r.coords) for r in (p.exterior, *p.interiors)] for p in polys])
    index = {z.id: i for i, z in enumerate(ds.zones)}
    history = controller_histories(timeline)
    edges = []
    for e in adjacency(ds.zones):
        if history[e.a] != history[e.b]:
            line = shapely.simplify(e.line, DISPLAY_TOLERANCE_DEG)
            edges.append([index[e.a], index[e.b], [steps(p.coords) for p in getattr(line, "geoms", [line])]])
    vertices = sum(len(r) // 2 for z in zones for p in z for r in p) + sum(len(p) // 2 for e in edges for p in e[2])
    return {"zones_q": zones, "edges_q": edges}, vertices


def sizes(value: Any) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return (f"{len(raw) / 1000:6.0f} kB JSON, {len(gzip.compress(raw, 9)) / 1000:5.0f} kB gzip-9, "
            f"{len(brotli.compress(raw, quality=11)) / 1000:5.0f} kB brotli-11")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    args = ap.parse_args()
    ds = load_dataset(args.data)
    timeline = Timeline(ds)
    before, before_vertices = per_zone(ds, timeline)
    t = time.perf_counter()
    topo = build_topology([z.geometry for z in ds.zones], SCALE, DISPLAY_TOLERANCE_DEG * SCALE)
    t_topo = time.perf_counter() - t
    payload = build_payload(ds, timeline)
    after = {"zones_q": payload["zones_q"]}
    exact = int(shapely.get_num_coordinates([z.geometry for z in ds.zones]).sum())
    print(f"{len(ds.zones)} zones, {exact} vertices in the exact shapes")
    print(f"before, per zone + front edges: {sizes(before)}  ({before_vertices} vertices)")
    print(f"  of which zones:               {sizes(before['zones_q'])}")
    print(f"  of which front edges:         {sizes(before['edges_q'])}")
    print(f"after, shared arcs:             {sizes(after)}  ({sum(len(a) for a in topo.arcs)} vertices, "
          f"{len(topo.arcs)} arcs; front edges flagged in the arcs)")
    print(f"arcs built in {t_topo * 1000:.0f} ms (noding, cutting, simplifying once per arc)")
    node = shutil.which("node") or shutil.which("nodejs")
    if node:
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "data.json").write_text(json.dumps(payload))
            (Path(folder) / "run.js").write_text(EXPAND)
            runs = [float(subprocess.run([node, str(Path(folder) / "run.js"), str(ROOT / "assets" / "05-geometry.js"),
                                          str(Path(folder) / "data.json")], capture_output=True, text=True,
                                         check=True).stdout) for _ in range(5)]
        print(f"expand() in node, cold, 5 runs: min {min(runs):.0f} ms, median {sorted(runs)[2]:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
