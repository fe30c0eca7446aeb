"""The parts that make the import fast and lean, each against the slow, obvious way: distinct segments, the
GeoJSON read without GDAL, the one sliver merge (noded and overlaid borders), the coverage union, and the
streamed, atomic writers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon, box, mapping

from layers.engine.geometry import join_small, tiled_union
from layers.io.areas import check_frames_disjoint
from layers.io.writers import write_csv, write_features, write_json_list
from layers.model.errors import Problems
from layers.tools.importer import plan_labels
from layers.tools.importing import read
from layers.tools.importing.overlay import distinct_segments
from layers.tools.importing.read import ReadTask, read_file


def _naive_segments(geoms: list) -> np.ndarray:
    rows = set()
    for ring in shapely.get_rings(shapely.get_parts(np.asarray(geoms, dtype=object))):
        c = np.round(shapely.get_coordinates(ring), 5)
        for (x0, y0), (x1, y1) in zip(c[:-1].tolist(), c[1:].tolist()):
            if (x0, y0) != (x1, y1):
                rows.add(tuple(sorted([(x0, y0), (x1, y1)])))
    return np.array(sorted((a + b for a, b in rows)), dtype=float).reshape(-1, 4)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-179, 179), st.floats(-89, 89), st.floats(0.00001, 0.5)), min_size=1,
                max_size=12), st.integers(1, 5))
def test_distinct_segments_are_each_segment_once_in_any_chunking(boxes, chunk):
    geoms = [box(x, y, x + w, y + w / 2).union(box(x + w / 3, y, x + w, y + w)) for x, y, w in boxes]
    got = distinct_segments(geoms, chunk=chunk)
    assert np.array_equal(got, _naive_segments(geoms))


def _daily(path: Path, geoms: list, extra: str = "") -> Path:
    doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": mapping(g)}
                                                     for g in geoms]}
    text = json.dumps(doc)
    path.write_text(text[:-1] + extra + "}" if extra else text)
    return path


def test_plain_geojson_read_by_geos_gives_what_gdal_gives(tmp_path, monkeypatch):
    shapes = [MultiPolygon([box(30, 40, 31, 41), box(32, 40, 33, 41)]),
              Polygon([(30, 40, 5), (31, 40, 5), (31.2, 40.7, 5), (30, 40, 5)]),  # 3-D: flattened
              Polygon([(30, 40), (31, 41), (31, 40), (30, 41), (30, 40)])]  # a bow tie: repaired
    path = _daily(tmp_path / "2024-01-02.geojson", shapes)
    task = ReadTask(path, plan_labels(None, "occupied", None), None, None)
    assert read._geometries_only(path) is not None
    fast = read_file(task)
    monkeypatch.setattr(read, "_geometries_only", lambda p: None)
    slow = read_file(task)
    assert fast.repaired == slow.repaired and fast.repaired  # the same report, naming the bow tie
    (day, areas), = fast.days.items()
    assert shapely.equals(shapely.from_wkb(areas["occupied"]), shapely.from_wkb(slow.days[day]["occupied"]))


@pytest.mark.parametrize("extra", [', "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}',
                                   ', "note": null'])
def test_geojson_with_a_crs_or_nulls_goes_through_gdal(tmp_path, extra):
    path = _daily(tmp_path / "2024-01-02.geojson", [box(0, 0, 1, 1)], extra)
    assert read._geometries_only(path) is None
    bad = tmp_path / "2024-01-03.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [')
    assert read._geometries_only(bad) is None


def _strip(n: int, width: float) -> list:
    """n unit squares in a row, then a thin strip along the top of all of them."""
    return [box(i, 0, i + 1, 1) for i in range(n)] + [box(0, 1, n, 1 + width)]


def test_a_small_piece_that_took_another_in_brings_it_along():
    # the strip (small) borders the tiny corner piece (small) and the big square: the corner joins the
    # strip, the strip then joins the square; no ground may be lost on the way
    big, strip, corner = box(0, 0, 10, 10), box(0, 10, 10, 10.1), box(10, 10, 10.1, 10.1)
    merged = join_small([big, strip, corner], [2, 1])
    assert merged[1] is None and merged[2] is None
    assert merged[0].area == pytest.approx(big.area + strip.area + corner.area)
    assert shapely.equals(merged[0], shapely.union_all([big, strip, corner]))


def test_small_pieces_never_take_others_in_when_told_not_to():
    big, strip, corner = box(0, 0, 10, 10), box(0, 10, 10, 10.1), box(10, 10, 10.1, 10.1)
    merged = join_small([big, strip, corner], [1, 2], into_small=False)
    assert merged[1] is None and merged[2] is not None  # the corner touches only the strip (at a point)
    assert merged[0].area == pytest.approx(big.area + strip.area)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=3, max_size=12, unique=True),
       st.integers(1, 3))
def test_matched_borders_choose_as_the_overlay_does(cells, n_small):
    # a noded tiling: unit cells, some shrunk into slivers by splitting them
    pieces = []
    for x, y in cells:
        pieces += [box(x, y, x + 1, y + 0.97), box(x, y + 0.97, x + 1, y + 1)]
    pieces = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(
        shapely.union_all(shapely.boundary(np.asarray(pieces, dtype=object)))))))
    small = sorted(range(len(pieces)), key=lambda i: pieces[i].area)[:n_small]
    noded = join_small(pieces, small, into_small=False, noded=True)
    overlaid = join_small(pieces, small, into_small=False)
    assert [g is None for g in noded] == [g is None for g in overlaid]
    assert all(a is None or shapely.equals(a, b) for a, b in zip(noded, overlaid))
    total = sum(p.area for p in pieces)
    assert sum(g.area for g in noded if g is not None) == pytest.approx(total)


def test_tiled_union_is_the_union_and_falls_back_for_overlaps():
    tiles = _strip(4, 0.5)
    tiles = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(
        shapely.union_all(shapely.boundary(np.asarray(tiles, dtype=object)))))))
    assert shapely.equals(tiled_union(tiles), shapely.union_all(tiles))
    overlapping = [box(0, 0, 2, 1), box(1, 0, 3, 1)]
    assert tiled_union(overlapping).area == pytest.approx(3.0)


def test_overlapping_frames_are_still_found(tmp_path):
    frames = [("a", box(0, 0, 1, 1), "drawn"), ("b", box(1, 0, 2, 1), "drawn"), ("c", box(0.5, 0.5, 0.6, 0.6), "drawn"),
              ("d", box(1.9, 0, 3, 1), "drawn")]
    problems = Problems(tmp_path)
    check_frames_disjoint(frames, tmp_path, problems)
    assert [str(p).split("/", 1)[1] for p in problems.items] == ["zones#c: overlaps a: zones may not overlap",
                                                             "zones#d: overlaps b: zones may not overlap"]


@pytest.mark.parametrize("items", [[], [{"a": 1}], [{"t": "two\nlines", "ar": "منبج", "n": [1, {"x": None}]},
                                                      [1, 2], "s"]])
def test_streamed_json_list_is_the_text_json_would_write(tmp_path, items):
    write_json_list(tmp_path / "x.yaml", iter(items))
    assert (tmp_path / "x.yaml").read_text(encoding="utf-8") == json.dumps(items, indent=1, ensure_ascii=False)


def test_streamed_features_load_back(tmp_path):
    geoms = [box(36.12345, 35.6, 36.2, 35.70001), MultiPolygon([box(0, 0, 1, 1), box(2, 2, 3, 3)])]
    write_features(tmp_path / "z.geojson", (({"id": f"z{i}"}, g) for i, g in enumerate(geoms)))
    doc = json.loads((tmp_path / "z.geojson").read_text())
    assert [f["properties"]["id"] for f in doc["features"]] == ["z0", "z1"]
    back = [shapely.geometry.shape(f["geometry"]) for f in doc["features"]]
    assert all(shapely.equals_exact(a, b, 0) for a, b in zip(geoms, back))


def test_a_failed_write_keeps_the_old_file_and_leaves_no_part(tmp_path):
    path = tmp_path / "f.csv"
    write_csv(path, ["a"], [[1]])

    def rows():
        yield [2]
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        write_csv(path, ["a"], rows())
    assert path.read_text() == "a\n1\n"
    assert sorted(os.listdir(tmp_path)) == ["f.csv"]
