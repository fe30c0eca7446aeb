"""The ``controlmap`` command line (also ``python -m layers``). See DESIGN.md for the contract.

- ``args``: argument types, shared options, loading the dataset or exiting with its problems
- ``data``: validate, seal, report, at, stats, serve
- ``exports``: snapshot, animate
- ``tools``: import, compare-map
- ``main``: the parser made of the commands above, and the one place errors become exit codes
"""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
