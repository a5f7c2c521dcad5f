"""The ``kil-io`` command: parses, calls, prints; the work is done in the library.

One module per group of commands, each with an ``add_parsers(sub)``; :data:`COMMANDS` lists them in the
order ``kil-io --help`` shows them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kil_io import __version__
from kil_io.cli import records, run, tables
from kil_io.cli.run import RUN_EPILOG, summary_table
from kil_io.errors import KilIOError

COMMANDS = (tables, run, records)

__all__ = ["COMMANDS", "RUN_EPILOG", "build_parser", "main", "summary_table"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``kil-io`` (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="kil-io",
        description="Regional input-output multipliers for Keep it Local studies.",
        epilog="Main job: `kil-io run --all` executes every case study notebook into outputs/ with an index "
        "page. `kil-io COMMAND --help` explains each command.",
    )
    parser.add_argument("--version", action="version", version=f"kil_io {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kil-io`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KilIOError as exc:
        print(f"kil-io: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
