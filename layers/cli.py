"""The ``controlmap`` command line (also ``python -m layers``). See DESIGN.md for the contract.

Exit codes: 0 success, 1 invalid data (one ``path:line: message`` per problem), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import json
import math
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from .engine.query import ZoneLocator, control_at
from .engine.timeline import Timeline
from .export import (
    ANIMATION_FORMATS,
    DPI_RANGE,
    SNAPSHOT_FORMATS,
    WIDTH_RANGE,
    Exporter,
    ImageOptions,
    parse_every,
    parse_frame,
)
from .io.bundled import bundled
from .io.dataset import load_dataset
from .io.manifest import data_files, unsealed_hint, write_manifest
from .io.meta import DatasetMeta
from .io.readers import is_http_url, parse_date
from .model.errors import ControlMapError, DataError, Problem, UsageError, render
from .model.records import Dataset
from .tools.importer import LABEL_PROPERTIES, ImportSource, collect_inputs, import_snapshots, parse_mapping, plan_labels
from .tools.report import build_report, format_report
from .tools.stats import write_stats

DEFAULT_DATA = bundled("data")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _date(text: str) -> dt.date:
    day = parse_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)")
    return day


def _coordinate(limit: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value) or abs(value) > limit:
            raise argparse.ArgumentTypeError(f"{text!r} is out of range (±{limit:g})")
        return value
    return parse


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return int(text)


def _int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not text.strip().isdigit() or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from {low} to {high}")
        return int(text)
    return parse


def _image_options(p: argparse.ArgumentParser, width: int = 1600, dpi: int = 150) -> None:
    p.add_argument("--width", type=_int_in(*WIDTH_RANGE), default=width, help=f"image width in pixels ({width})")
    p.add_argument("--dpi", type=_int_in(*DPI_RANGE), default=dpi, help=f"resolution ({dpi}); fonts scale with it")
    p.add_argument("--frame", help="min_lon,min_lat,max_lon,max_lat or a place name (default: the whole area)")
    p.add_argument("--title", default=ImageOptions.title)
    p.add_argument("--lang", choices=("en", "ar"), default="en", help="language of the labels")
    p.add_argument("--palette", choices=("default", "cb"), default="default", help="cb: colour-blind-safe")


def _dataset_options(p: argparse.ArgumentParser, suppress: bool) -> None:
    """--data and --unsealed. A subcommand's copy sets nothing unless given (SUPPRESS), so
    `controlmap --data D validate` and `controlmap validate --data D` mean the same."""
    p.add_argument("--data", type=Path, default=argparse.SUPPRESS if suppress else DEFAULT_DATA,
                   help="dataset directory (default: bundled data/)")
    p.add_argument("--unsealed", action="store_true", default=argparse.SUPPRESS if suppress else False,
                   help="accept data that differs from its MANIFEST (while editing; seal when done)")


_COMMON = argparse.ArgumentParser(add_help=False)
_dataset_options(_COMMON, suppress=True)


class _CommandParser(_Parser):
    """A subcommand's parser: it also takes --data and --unsealed after the subcommand's name."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parents=[_COMMON], **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="controlmap", description="Northern Syria control map: data, queries, server.")
    _dataset_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_CommandParser)
    sub.add_parser("validate", help="check the dataset; exit 1 with path:line: message per problem")
    sub.add_parser("seal", help="write data/MANIFEST (file checksums and record counts) for valid data")
    sub.add_parser("report", help="list places that never change, events that change nothing, large jumps")
    at = sub.add_parser("at", help="who held a point on a day (JSON)")
    at.add_argument("date", nargs="?", type=_date)
    at.add_argument("lon", nargs="?", type=_coordinate(180))
    at.add_argument("lat", nargs="?", type=_coordinate(90))
    at.add_argument("--batch", type=Path, help="CSV with columns date,lon,lat: one JSON line per row")
    snap = sub.add_parser("snapshot", help="export one day: .png .svg .pdf .geojson .gpkg .csv")
    snap.add_argument("date", type=_date)
    snap.add_argument("--out", type=Path, required=True, help="output file; the extension picks the format")
    _image_options(snap)
    anim = sub.add_parser("animate", help="time-lapse between two days: .gif or .mp4")
    anim.add_argument("start", type=_date)
    anim.add_argument("end", type=_date)
    anim.add_argument("--out", type=Path, required=True)
    anim.add_argument("--every", default="30d", help="step between frames: 7d, 2w, 1m (default 30d)")
    anim.add_argument("--fps", type=_int_in(1, 30), default=4, help="frames per second (default 4)")
    _image_options(anim, width=1000, dpi=100)
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
    imp.add_argument("--published", type=_date, help="publication date of the source")
    imp.add_argument("--title", default="Control map", help="title of the map, its page and its exports")
    imp.add_argument("--subtitle", default="", help="line under the title")
    imp.add_argument("--area", default="", help="name of the area (e.g. 'Ukraine')")
    imp.add_argument("--attribution", default="", help="attribution line (default: publisher, URL, basemap)")
    stats = sub.add_parser("stats", help="CSV of area (km²) and population per faction per day")
    stats.add_argument("--from", dest="start", type=_date)
    stats.add_argument("--to", dest="end", type=_date)
    stats.add_argument("--every", default="1d", help="step: 1d, 7d, 1m (default 1d)")
    cmp_ = sub.add_parser("compare-map", help="agreement by area with an outside control map of one day")
    cmp_.add_argument("file", type=Path, help="the outside map: GeoJSON, GeoPackage or any polygon file")
    cmp_.add_argument("--date", type=_date, required=True, help="the day the outside map shows")
    cmp_.add_argument("--map", required=True, dest="mapping", help="label -> faction, as for import")
    cmp_.add_argument("--property", dest="label_property", help="feature property holding the label")
    cmp_.add_argument("--out", type=Path, help="write the largest disagreements as GeoJSON")
    serve = sub.add_parser("serve", help="run the dashboard")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8050)
    serve.add_argument("--debug", action="store_true", help="Dash debug mode (never in production)")
    return parser


def load_or_exit(data: Path, sealed: bool = True) -> Dataset:
    try:
        return load_dataset(data, sealed=sealed)
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        if exc.hint:
            print(unsealed_hint(None if Path(data) == DEFAULT_DATA else data), file=sys.stderr)
        raise SystemExit(1) from None


def cmd_validate(args: argparse.Namespace) -> int:
    ds = load_or_exit(args.data, sealed=not args.unsealed)
    print(f"{ds.root}: ok: {len(ds.places)} places, {len(ds.zones)} zones, {len(ds.events)} events, "
          f"{ds.start} .. {ds.end}{' (unsealed)' if args.unsealed else ''}")
    return 0


def cmd_seal(args: argparse.Namespace) -> int:
    """Validate the data as it is, then record it in MANIFEST: the deliberate step after an edit."""
    ds = load_or_exit(args.data, sealed=False)
    path = write_manifest(Path(ds.root))
    print(f"wrote {path}: {len(data_files(Path(ds.root)))} files, {len(ds.events)} events")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    ds = load_or_exit(args.data, sealed=not args.unsealed)
    print(format_report(ds, build_report(ds, Timeline(ds))))
    return 0


def _check_day(ds: Dataset, day: dt.date, where: str) -> None:
    outside = ds.outside(day)
    if outside is not None:
        raise UsageError(f"{where}{outside}")


def _batch_rows(path: Path) -> Iterator[tuple[int, tuple[dt.date, float, float] | str]]:
    """(line, (date, lon, lat)) for each row, or (line, error message) for a bad one: one bad row among
    thousands gets its own answer and never stops the batch. A bad header or file is a usage error."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--batch: cannot read {path}: {exc}") from None
    reader = csv.reader(text.splitlines())
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise UsageError(f"{path}:1: {exc}") from None
    if header != ["date", "lon", "lat"]:
        raise UsageError(f"{path}:1: header must be date,lon,lat")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, f"malformed CSV: {exc}"
            continue
        if not row or all(not c.strip() for c in row):
            continue
        try:
            if len(row) != 3:
                raise argparse.ArgumentTypeError(f"expected date,lon,lat, found {len(row)} fields")
            day = _date(row[0].strip())
            lon, lat = _coordinate(180)(row[1].strip()), _coordinate(90)(row[2].strip())
        except argparse.ArgumentTypeError as exc:
            yield reader.line_num, str(exc)
            continue
        yield reader.line_num, (day, lon, lat)


def cmd_at(args: argparse.Namespace, out: TextIO) -> int:
    if args.batch is None and None in (args.date, args.lon, args.lat):
        raise UsageError("at needs DATE LON LAT, or --batch FILE.csv")
    if args.batch is not None and args.date is not None:
        raise UsageError("give either DATE LON LAT or --batch FILE.csv, not both")
    rows = _batch_rows(args.batch) if args.batch else None
    first = next(rows, None) if rows is not None else None  # a bad header is refused before loading data
    ds = load_or_exit(args.data, sealed=not args.unsealed)
    timeline, locator = Timeline(ds), ZoneLocator(ds)
    if rows is None:
        _check_day(ds, args.date, "")
        out.write(json.dumps(control_at(ds, timeline, locator, args.date, args.lon, args.lat),
                             ensure_ascii=False, indent=2) + "\n")
        return 0
    bad = total = 0
    for line, row in itertools.chain([first] if first else [], rows):
        total += 1
        if isinstance(row, tuple) and ds.outside(row[0]) is not None:
            row = str(ds.outside(row[0]))
        if isinstance(row, str):
            bad += 1
            answer: dict[str, object] = {"line": line, "error": row}
        else:
            answer = control_at(ds, timeline, locator, *row)
        out.write(json.dumps(answer, ensure_ascii=False) + "\n")
    if bad:
        print(f"controlmap: {bad} of {total} rows in {args.batch} had errors (see their \"error\")", file=sys.stderr)
    return 0


def _options(args: argparse.Namespace, ds: Dataset) -> ImageOptions:
    frame = parse_frame(args.frame, ds) if args.frame else None
    return ImageOptions(args.width, args.dpi, frame, args.title, args.lang, args.palette).check()


def cmd_snapshot(args: argparse.Namespace) -> int:
    suffix = args.out.suffix.lower()
    if suffix not in SNAPSHOT_FORMATS:
        raise UsageError(f"unknown format {suffix or '(none)'!r}: use one of {' '.join(SNAPSHOT_FORMATS)}",
                         path="--out")
    ds = load_or_exit(args.data, sealed=not args.unsealed)
    opts = _options(args, ds)
    Exporter(ds, Timeline(ds)).write(args.date, args.out, opts)
    print(f"wrote {args.out}")
    return 0


def _progress_bar(done: int, total: int, day: dt.date) -> None:
    width = 30
    filled = int(width * done / total)
    end = "\n" if done == total else ""
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {day}", end=end, file=sys.stderr, flush=True)


def cmd_animate(args: argparse.Namespace) -> int:
    suffix = args.out.suffix.lower()
    if suffix not in ANIMATION_FORMATS:
        raise UsageError(f"unknown format {suffix or '(none)'!r}: use .gif or .mp4", path="--out")
    ds = load_or_exit(args.data, sealed=not args.unsealed)
    every = parse_every(args.every)
    opts = _options(args, ds)
    exporter = Exporter(ds, Timeline(ds))
    days = exporter.frame_days(args.start, args.end, every)
    exporter.write_animation(days, args.out, opts, fps=args.fps, progress=_progress_bar)
    print(f"wrote {args.out} ({len(days)} frames)")
    return 0


def _import_progress(message: str, done: int | None = None, total: int | None = None) -> None:
    if total:
        width = 30
        filled = int(width * done / total) if done else 0
        print(f"\r{message} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="\n" if done == total else "",
              file=sys.stderr, flush=True)
    else:
        print(message, file=sys.stderr, flush=True)


def cmd_import(args: argparse.Namespace) -> int:
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
    print(f"wrote {args.out}: {len(ds.zones)} zones, {len(ds.events)} events, {ds.start} .. {ds.end}")
    return 0


def cmd_compare_map(args: argparse.Namespace, out: TextIO) -> int:
    from .tools.compare import compare, format_comparison, read_outside_map, write_disagreements

    ds = load_or_exit(args.data, sealed=not args.unsealed)
    labels = parse_mapping(args.mapping)
    theirs = read_outside_map(args.file, labels, args.label_property, {f.id for f in ds.territorial})
    result = compare(ds, Timeline(ds), theirs, args.date)
    if args.out:
        write_disagreements(result, args.out)
    print(format_comparison(result), file=out)
    return 0


def cmd_stats(args: argparse.Namespace, out: TextIO) -> int:
    ds = load_or_exit(args.data, sealed=not args.unsealed)
    start, end = args.start or ds.start, args.end or ds.end
    problems = [Problem(flag, "", message) for day, flag in ((start, "--from"), (end, "--to"))
                if (message := ds.outside(day)) is not None]
    if not problems and end < start:
        problems.append(Problem("--to", "", f"{end} comes before --from {start}"))
    if problems:
        raise UsageError(problems)
    every = parse_every(args.every)
    write_stats(ds, Timeline(ds), start, end, every, out)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    load_or_exit(args.data, sealed=not args.unsealed)  # refuse invalid data with its messages before starting anything
    from .web.server import run

    run(data_dir=args.data, host=args.host, port=args.port, debug=args.debug)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "validate":
            return cmd_validate(args)
        if args.command == "seal":
            return cmd_seal(args)
        if args.command == "report":
            return cmd_report(args)
        if args.command == "at":
            return cmd_at(args, sys.stdout)
        if args.command == "serve":
            return cmd_serve(args)
        if args.command == "import":
            return cmd_import(args)
        if args.command == "stats":
            return cmd_stats(args, sys.stdout)
        if args.command == "compare-map":
            return cmd_compare_map(args, sys.stdout)
        if args.command == "snapshot":
            return cmd_snapshot(args)
        if args.command == "animate":
            return cmd_animate(args)
    except ControlMapError as exc:
        # data problems stand alone (path:line: message), usage problems after the program's name
        prefix = "" if isinstance(exc, DataError) else "controlmap: error: "
        print(render(exc.problems, prefix=prefix), file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        return 130
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
