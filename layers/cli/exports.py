"""The commands that draw: snapshot (one day as an image or a data file) and animate (a time-lapse)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from ..engine.timeline import Timeline
from ..export import ANIMATION_FORMATS, SNAPSHOT_FORMATS, Exporter, ImageOptions, parse_every, parse_frame
from ..model.errors import UsageError
from ..model.records import Dataset
from .args import day, image_options, int_in, load, progress_bar


def _snapshot(sub: Any) -> None:
    snap = sub.add_parser("snapshot", help="export one day: .png .svg .pdf .geojson .gpkg .csv")
    snap.add_argument("date", type=day)
    snap.add_argument("--out", type=Path, required=True, help="output file; the extension picks the format")
    image_options(snap)
    snap.set_defaults(run=cmd_snapshot)


def _animate(sub: Any) -> None:
    anim = sub.add_parser("animate", help="time-lapse between two days: .gif or .mp4")
    anim.add_argument("start", type=day)
    anim.add_argument("end", type=day)
    anim.add_argument("--out", type=Path, required=True)
    anim.add_argument("--every", default="30d", help="step between frames: 7d, 2w, 1m (default 30d)")
    anim.add_argument("--fps", type=int_in(1, 30), default=4, help="frames per second (default 4)")
    image_options(anim, width=1000, dpi=100)
    anim.set_defaults(run=cmd_animate)


COMMANDS = {"snapshot": _snapshot, "animate": _animate}


def _options(args: argparse.Namespace, ds: Dataset) -> ImageOptions:
    frame = parse_frame(args.frame, ds) if args.frame else None
    return ImageOptions(args.width, args.dpi, frame, args.title, args.lang, args.palette).check()


def _format(out: Path, formats: tuple[str, ...], names: str) -> None:
    suffix = out.suffix.lower()
    if suffix not in formats:
        raise UsageError(f"unknown format {suffix or '(none)'!r}: use {names}", path="--out")


def cmd_snapshot(args: argparse.Namespace, out: TextIO) -> int:
    _format(args.out, SNAPSHOT_FORMATS, f"one of {' '.join(SNAPSHOT_FORMATS)}")
    ds = load(args)
    opts = _options(args, ds)
    Exporter(ds, Timeline(ds)).write(args.date, args.out, opts)
    print(f"wrote {args.out}", file=out)
    return 0


def cmd_animate(args: argparse.Namespace, out: TextIO) -> int:
    _format(args.out, ANIMATION_FORMATS, ".gif or .mp4")
    ds = load(args)
    every = parse_every(args.every)
    opts = _options(args, ds)
    exporter = Exporter(ds, Timeline(ds))
    days = exporter.frame_days(args.start, args.end, every)
    exporter.write_animation(days, args.out, opts, fps=args.fps,
                             progress=lambda done, total, when: progress_bar(done, total, after=f" {when}"))
    print(f"wrote {args.out} ({len(days)} frames)", file=out)
    return 0
