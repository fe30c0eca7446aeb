"""The commands that bring in outside maps: import (dated polygons into a dataset) and compare-map (how far an
outside map of one day agrees with ours)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from ..engine.timeline import Timeline
from ..io.meta import DatasetMeta
from ..io.readers import is_http_url
from ..model.errors import UsageError
from ..tools.importer import (
    LABEL_PROPERTIES,
    ImportSource,
    collect_inputs,
    import_snapshots,
    parse_mapping,
    plan_labels,
)
from .args import day, load, load_or_exit, progress_bar


def _import(sub: Any) -> None:
    imp = sub.add_parser("import", help="dated control polygons (GeoJSON, GeoPackage, Shapefile, KML) -> a dataset")
    imp.add_argument("inputs", nargs="+", type=Path, help="files or folders (.geojson .gpkg .shp .zip .kml .kmz); "
                     "the date in each file name (YYYYMMDD, YYYY-MM-DD or a unix time)")
    imp.add_argument("--out", type=Path, required=True, help="dataset folder to write (empty or an earlier import)")
    imp.add_argument("--map", dest="mapping",
                     help="label -> faction: 'occupied=russia,contested=contested' or a CSV (label,faction) or JSON")
    imp.add_argument("--label", help="one label for every polygon (for files whose polygons have no properties)")
    imp.add_argument("--factions", type=Path, help="CSV of the dataset's factions (columns id,name_en,name_ar,kind,"
                     "color,color_cb); default: made from the --map values with a colour-blind-safe palette")
    imp.add_argument("--property", dest="label_property", help="feature property holding the label "
                     f"(default: the first of {', '.join(LABEL_PROPERTIES)})")
    imp.add_argument("--date-property", help="feature property holding the date (instead of the file name)")
    imp.add_argument("--crs", help="coordinate system of the input when the files do not say (e.g. EPSG:3857)")
    imp.add_argument("--source-url", required=True, help="where the polygons come from (cited by every change)")
    imp.add_argument("--publisher", required=True, help="who published them")
    imp.add_argument("--published", type=day, help="publication date of the source")
    imp.add_argument("--title", default="Control map", help="title of the map, its page and its exports")
    imp.add_argument("--subtitle", default="", help="line under the title")
    imp.add_argument("--area", default="", help="name of the area (e.g. 'Ukraine')")
    imp.add_argument("--attribution", default="", help="attribution line (default: publisher, URL, basemap)")
    imp.set_defaults(run=cmd_import)


def _compare_map(sub: Any) -> None:
    cmp_ = sub.add_parser("compare-map", help="agreement by area with an outside control map of one day")
    cmp_.add_argument("file", type=Path, help="the outside map: GeoJSON, GeoPackage or any polygon file")
    cmp_.add_argument("--date", type=day, required=True, help="the day the outside map shows")
    cmp_.add_argument("--map", required=True, dest="mapping", help="label -> faction, as for import")
    cmp_.add_argument("--property", dest="label_property", help="feature property holding the label")
    cmp_.add_argument("--out", type=Path, help="write the largest disagreements as GeoJSON")
    cmp_.set_defaults(run=cmd_compare_map)


COMMANDS = {"import": _import, "compare-map": _compare_map}


def _import_progress(message: str, done: int | None = None, total: int | None = None) -> None:
    if total:
        progress_bar(done or 0, total, before=f"{message} ")
    else:
        print(message, file=sys.stderr, flush=True)


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    if not is_http_url(args.source_url):
        raise UsageError(f"{args.source_url!r} must be an http(s) URL", path="--source-url")
    if args.crs is not None:
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        try:
            CRS.from_user_input(args.crs)
        except CRSError:
            raise UsageError(f"{args.crs!r} is not a coordinate system (try EPSG:3857)", path="--crs") from None
    plan = plan_labels(args.mapping, args.label, args.factions, args.label_property)
    paths = collect_inputs(args.inputs)
    meta = DatasetMeta(args.title, args.subtitle, args.area, args.attribution)
    report = import_snapshots(paths, args.out, plan, ImportSource(args.source_url, args.publisher, args.published),
                              args.data, date_property=args.date_property, progress=_import_progress,
                              crs=args.crs, meta=meta)
    for line in report.lines():
        print(line, file=sys.stderr)
    ds = load_or_exit(args.out)
    print(f"wrote {args.out}: {len(ds.zones)} zones, {len(ds.events)} events, {ds.start} .. {ds.end}", file=out)
    return 0


def cmd_compare_map(args: argparse.Namespace, out: TextIO) -> int:
    from ..tools.compare import compare, format_comparison, read_outside_map, write_disagreements

    ds = load(args)
    labels = parse_mapping(args.mapping)
    theirs = read_outside_map(args.file, labels, args.label_property, {f.id for f in ds.territorial})
    result = compare(ds, Timeline(ds), theirs, args.date)
    if args.out:
        write_disagreements(result, args.out)
    print(format_comparison(result), file=out)
    return 0
