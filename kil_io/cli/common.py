"""What the ``kil-io`` commands share: reporting written files and the exit status they give."""

from __future__ import annotations

import sys
from pathlib import Path


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
