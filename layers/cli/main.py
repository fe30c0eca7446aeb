"""The ``controlmap`` parser, made of each command module's arguments, and ``main``: the one place where an
error becomes a message and an exit status.

Exit codes: 0 success, 1 invalid data (one ``path:line: message`` per problem), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..model.errors import ControlMapError, DataError, render
from . import data, exports, tools
from .args import CommandParser, Parser, dataset_options

# The subcommands in the order --help and errors list them (part of the contract: DESIGN.md).
ORDER = ("validate", "seal", "report", "at", "snapshot", "animate", "import", "stats", "compare-map", "serve")

def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="controlmap", description="Northern Syria control map: data, queries, server.")
    dataset_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=CommandParser)
    commands = {**data.COMMANDS, **exports.COMMANDS, **tools.COMMANDS}
    assert sorted(commands) == sorted(ORDER), "a command without its place in ORDER"
    for name in ORDER:
        commands[name](sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.run(args, sys.stdout))
    except ControlMapError as exc:
        # data problems stand alone (path:line: message), usage problems after the program's name
        prefix = "" if isinstance(exc, DataError) else "controlmap: error: "
        print(render(exc.problems, prefix=prefix), file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
