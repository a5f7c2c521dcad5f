"""Moving a case's folder into place in the output folder without ever leaving half of one under its name."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from kil_io.errors import BatchError


def move_into_place(tmp: Path, target: Path, *, force: bool) -> None:
    """Rename the folder ``tmp`` to ``target``; an existing target is replaced only with ``force``."""
    if not target.exists():
        os.rename(tmp, target)  # fails if a non-empty target appeared meanwhile: nothing is overwritten
        return
    if not force:
        raise BatchError(f"{target} appeared during the run and was kept; use --force to replace it")
    aside = target.with_name(f".old-{target.name}-{secrets.token_hex(4)}")
    os.rename(target, aside)
    try:
        os.rename(tmp, target)
    except OSError:
        os.rename(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)  # the new result is in place; an undeletable old copy is harmless


def discard(folder: Path) -> None:
    """Delete a folder that is no result (a superseded failure) so that no half of it is ever left under its name."""
    if not folder.exists():
        return
    doomed = folder.with_name(f".del-{folder.name}-{secrets.token_hex(4)}")
    try:
        os.rename(folder, doomed)
    except OSError:
        return  # kept as it was, whole
    shutil.rmtree(doomed, ignore_errors=True)
