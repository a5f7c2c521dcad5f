"""The ``kil-io`` command: parses, calls, prints; the work is done in the library.

One module per group of commands, each with an ``add_parsers(sub)``; :data:`COMMANDS` lists them in the
order ``kil-io --help`` shows them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from kil_io._version import __version__
from kil_io.cli import areas, brief, interregional, notebook, records, run, spend, tables
from kil_io.cli.run import RUN_EPILOG, summary_table
from kil_io.errors import KilIOError
from kil_io.limits import excerpt

COMMANDS = (tables, areas, run, brief, records, spend, interregional, notebook)

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
    """Entry point of the ``kil-io`` command; returns the exit status.

    Every failure ends in one message on stderr, never a traceback: a kil_io error (status 2),
    a file-system error such as a read-only folder or a full disk, naming the path (status 2),
    and anything else as an internal error to report (status 3; ``KIL_IO_DEBUG=1`` shows the
    traceback).
    """
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args))
    except KilIOError as exc:
        print(f"kil-io: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"kil-io: error: {describe_os_error(exc)}", file=sys.stderr)
        return 2
    except UnicodeError as exc:
        print(f"kil-io: error: a file is not UTF-8 text ({exc})", file=sys.stderr)
        return 2
    except Exception as exc:
        if os.environ.get("KIL_IO_DEBUG"):
            raise
        print(
            f"kil-io: internal error: {type(exc).__name__}: {excerpt(str(exc))[1:-1]}; please report it "
            "(set KIL_IO_DEBUG=1 to see the traceback)",
            file=sys.stderr,
        )
        return 3


def describe_os_error(exc: OSError) -> str:
    """``"outputs/x.csv: read-only file system"``: the path, then what the system said."""
    what = exc.strerror or str(exc) or type(exc).__name__
    path = exc.filename if exc.filename is not None else ""
    return f"{path}: {what.lower()}" if path else what


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
