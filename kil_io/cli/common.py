"""What the ``kil-io`` commands share: reporting written files and the exit status they give."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kil_io.errors import KilIOWarning


def print_written(written: dict[Path, str]) -> None:
    """One line per file: its write status and path."""
    for path, status in written.items():
        print(f"{status:>9}  {path}")


def kept_status(written: dict[Path, str]) -> int:
    """Exit status 1 (with a note) if an existing file differing from the new result was kept, else 0."""
    kept = [p for p, s in written.items() if s == "kept"]
    if kept:
        print(
            f"\n{len(kept)} existing file(s) differ from the new results and were kept; "
            "re-run with --force to replace them.",
            file=sys.stderr,
        )
        return 1
    return 0


@contextmanager
def warnings_to_stderr() -> Iterator[None]:
    """Show each kil_io warning raised inside as one line, ``kil-io: warning: ...``, on stderr (never a traceback).

    A column the reader does not use, a former area name: the command goes on, and says so.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", KilIOWarning)
        try:
            yield
        finally:
            for w in caught:
                if issubclass(w.category, KilIOWarning):
                    print(f"kil-io: warning: {w.message}", file=sys.stderr)
                else:
                    warnings.showwarning(w.message, w.category, w.filename, w.lineno)
