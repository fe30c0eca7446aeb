"""The commands on the dataset itself: validate, seal, report, at (a point on a day), stats, serve."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from ..engine.query import ZoneLocator, control_at
from ..engine.timeline import Timeline
from ..export import parse_every
from ..io.manifest import data_files, write_manifest
from ..model.errors import Problem, UsageError
from ..tools.report import build_report, format_report
from ..tools.stats import write_stats
from .args import coordinate, day, load, load_or_exit, port


def _validate(sub: Any) -> None:
    sub.add_parser("validate", help="check the dataset; exit 1 with path:line: message per problem"
                   ).set_defaults(run=cmd_validate)


def _seal(sub: Any) -> None:
    sub.add_parser("seal", help="write data/MANIFEST (file checksums and record counts) for valid data"
                   ).set_defaults(run=cmd_seal)


def _report(sub: Any) -> None:
    sub.add_parser("report", help="list places that never change, events that change nothing, large jumps"
                   ).set_defaults(run=cmd_report)


def _at(sub: Any) -> None:
    at = sub.add_parser("at", help="who held a point on a day (JSON)")
    at.add_argument("date", nargs="?", type=day)
    at.add_argument("lon", nargs="?", type=coordinate(180))
    at.add_argument("lat", nargs="?", type=coordinate(90))
    at.add_argument("--batch", type=Path, help="CSV with columns date,lon,lat: one JSON line per row")
    at.set_defaults(run=cmd_at)


def _stats(sub: Any) -> None:
    stats = sub.add_parser("stats", help="CSV of area (km²) and population per faction per day")
    stats.add_argument("--from", dest="start", type=day)
    stats.add_argument("--to", dest="end", type=day)
    stats.add_argument("--every", default="1d", help="step: 1d, 7d, 1m (default 1d)")
    stats.set_defaults(run=cmd_stats)


def _serve(sub: Any) -> None:
    serve = sub.add_parser("serve", help="run the dashboard")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=port, default=8050)
    serve.add_argument("--debug", action="store_true", help="Dash debug mode (never in production)")
    serve.set_defaults(run=cmd_serve)


COMMANDS = {"validate": _validate, "seal": _seal, "report": _report, "at": _at, "stats": _stats, "serve": _serve}


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    ds = load(args)
    print(f"{ds.root}: ok: {len(ds.places)} places, {len(ds.zones)} zones, {len(ds.events)} events, "
          f"{ds.start} .. {ds.end}{' (unsealed)' if args.unsealed else ''}", file=out)
    return 0


def cmd_seal(args: argparse.Namespace, out: TextIO) -> int:
    """Validate the data as it is, then record it in MANIFEST: the deliberate step after an edit."""
    ds = load_or_exit(args.data, sealed=False)
    path = write_manifest(Path(ds.root))
    print(f"wrote {path}: {len(data_files(Path(ds.root)))} files, {len(ds.events)} events", file=out)
    return 0


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    ds = load(args)
    print(format_report(ds, build_report(ds, Timeline(ds))), file=out)
    return 0


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
            when = day(row[0].strip())
            lon, lat = coordinate(180)(row[1].strip()), coordinate(90)(row[2].strip())
        except argparse.ArgumentTypeError as exc:
            yield reader.line_num, str(exc)
            continue
        yield reader.line_num, (when, lon, lat)


def cmd_at(args: argparse.Namespace, out: TextIO) -> int:
    if args.batch is None and None in (args.date, args.lon, args.lat):
        raise UsageError("at needs DATE LON LAT, or --batch FILE.csv")
    if args.batch is not None and args.date is not None:
        raise UsageError("give either DATE LON LAT or --batch FILE.csv, not both")
    rows = _batch_rows(args.batch) if args.batch else None
    first = next(rows, None) if rows is not None else None  # a bad header is refused before loading data
    ds = load(args)
    timeline, locator = Timeline(ds), ZoneLocator(ds)
    if rows is None:
        outside = ds.outside(args.date)
        if outside is not None:
            raise UsageError(outside)
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


def cmd_stats(args: argparse.Namespace, out: TextIO) -> int:
    ds = load(args)
    start, end = args.start or ds.start, args.end or ds.end
    problems = [Problem(flag, "", message) for when, flag in ((start, "--from"), (end, "--to"))
                if (message := ds.outside(when)) is not None]
    if not problems and end < start:
        problems.append(Problem("--to", "", f"{end} comes before --from {start}"))
    if problems:
        raise UsageError(problems)
    every = parse_every(args.every)
    write_stats(ds, Timeline(ds), start, end, every, out)
    return 0


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    load(args)  # refuse invalid data with its messages before starting anything
    from ..web.server import run

    run(data_dir=args.data, host=args.host, port=args.port, debug=args.debug)
    return 0
