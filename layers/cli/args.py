"""What every command shares: argument types (each a one-line error naming the argument), the --data and
image options, loading the dataset or exiting with its problems, and the progress bar."""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from ..export import DPI_RANGE, WIDTH_RANGE, ImageOptions, whole_number
from ..io.bundled import bundled
from ..io.dataset import load_dataset
from ..io.manifest import unsealed_hint
from ..io.readers import parse_date
from ..model.errors import DataError, UsageError
from ..model.records import Dataset

DEFAULT_DATA = bundled("data")


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def day(text: str) -> dt.date:
    value = parse_date(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)")
    return value


def coordinate(limit: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value) or abs(value) > limit:
            raise argparse.ArgumentTypeError(f"{text!r} is out of range (±{limit:g})")
        return value
    return parse


def port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return int(text)


def int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            return whole_number(text, low, high)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{text!r} {exc}") from None
    return parse


def image_options(p: argparse.ArgumentParser, width: int = 1600, dpi: int = 150) -> None:
    p.add_argument("--width", type=int_in(*WIDTH_RANGE), default=width, help=f"image width in pixels ({width})")
    p.add_argument("--dpi", type=int_in(*DPI_RANGE), default=dpi, help=f"resolution ({dpi}); fonts scale with it")
    p.add_argument("--frame", help="min_lon,min_lat,max_lon,max_lat or a place name (default: the whole area)")
    p.add_argument("--title", default=ImageOptions.title)
    p.add_argument("--lang", choices=("en", "ar"), default="en", help="language of the labels")
    p.add_argument("--palette", choices=("default", "cb"), default="default", help="cb: colour-blind-safe")


def dataset_options(p: argparse.ArgumentParser, suppress: bool) -> None:
    """--data and --unsealed. A subcommand's copy sets nothing unless given (SUPPRESS), so
    `controlmap --data D validate` and `controlmap validate --data D` mean the same."""
    p.add_argument("--data", type=Path, default=argparse.SUPPRESS if suppress else DEFAULT_DATA,
                   help="dataset directory (default: bundled data/)")
    p.add_argument("--unsealed", action="store_true", default=argparse.SUPPRESS if suppress else False,
                   help="accept data that differs from its MANIFEST (while editing; seal when done)")


_COMMON = argparse.ArgumentParser(add_help=False)
dataset_options(_COMMON, suppress=True)


class CommandParser(Parser):
    """A subcommand's parser: it also takes --data and --unsealed after the subcommand's name."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parents=[_COMMON], **kwargs)


def load_or_exit(data: Path, sealed: bool = True) -> Dataset:
    try:
        return load_dataset(data, sealed=sealed)
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        if exc.hint:
            print(unsealed_hint(None if Path(data) == DEFAULT_DATA else data), file=sys.stderr)
        raise SystemExit(1) from None


def load(args: argparse.Namespace) -> Dataset:
    """The dataset of a command's --data, sealed unless --unsealed."""
    return load_or_exit(args.data, sealed=not args.unsealed)


def progress_bar(done: int, total: int, before: str = "", after: str = "") -> None:
    """One line on stderr redrawn in place, ended when the work is done."""
    filled = int(30 * done / total) if total else 0
    print(f"\r{before}[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}{after}", end="\n" if done == total else "",
          file=sys.stderr, flush=True)
