"""The file writers: text, CSV, JSON and GeoJSON feature collections, each written under a temporary name and
renamed into place (atomic.py), the large ones streamed piece by piece instead of built in memory first."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from .atomic import atomic_output


def write_text(path: Path, text: str) -> None:
    write_lines(path, [text])


def write_lines(path: Path, pieces: Iterable[str]) -> None:
    """Write the pieces one after another (each as it comes: nothing is joined in memory)."""
    with atomic_output(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        for piece in pieces:
            fh.write(piece)


def write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    with atomic_output(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_json(path: Path, doc: Any, indent: int | None = None, compact: bool = False) -> None:
    separators = (",", ":") if compact else None
    write_text(path, json.dumps(doc, ensure_ascii=False, indent=indent, separators=separators))


def write_json_list(path: Path, items: Iterable[Any], indent: int = 1) -> None:
    """A JSON list written item by item; the same text as ``json.dumps(list(items), indent=indent)``."""
    pad = " " * indent

    def pieces() -> Iterable[str]:
        first = True
        for item in items:
            # JSON escapes newlines inside strings: every newline here is between tokens
            yield ("[\n" if first else ",\n") + pad + json.dumps(item, ensure_ascii=False, indent=indent).replace(
                "\n", "\n" + pad)
            first = False
        yield "[]" if first else "\n]"

    write_lines(path, pieces())


def write_features(path: Path, features: Iterable[tuple[dict[str, Any], BaseGeometry | dict[str, Any]]]) -> None:
    """A GeoJSON FeatureCollection, one feature a line, each written as it comes; a geometry is a shapely
    geometry (written by GEOS) or a GeoJSON mapping."""

    def pieces() -> Iterable[str]:
        yield '{"type":"FeatureCollection","features":['
        sep = "\n"
        for props, geom in features:
            text = shapely.to_geojson(geom) if isinstance(geom, BaseGeometry) else json.dumps(geom)
            yield (f'{sep}{{"type":"Feature","properties":{json.dumps(props, ensure_ascii=False)},'
                   f'"geometry":{text}}}')
            sep = ",\n"
        yield "\n]}\n"

    write_lines(path, pieces())
