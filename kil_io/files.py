"""Writing results safely: atomically, and never over a different existing file unasked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Literal

WriteStatus = Literal["written", "replaced", "unchanged", "kept"]


def write_text_atomic(path: Path, text: str, *, force: bool = False) -> WriteStatus:
    """Write ``text`` (UTF-8) to ``path``; see :func:`write_atomic`."""
    return write_atomic(path, text.encode("utf-8"), force=force)


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> WriteStatus:
    """Write ``data`` to ``path`` via a temporary file and an atomic rename.

    Parameters
    ----------
    path : Path
        Destination; its folder is created if needed.
    data : bytes
        Content.
    force : bool
        Replace an existing file whose content differs. Without it such a file is kept.

    Returns
    -------
    {"written", "replaced", "unchanged", "kept"}
        ``written``: new file; ``replaced``: a different file was overwritten (only with
        ``force``); ``unchanged``: the file already held exactly these bytes; ``kept``: a
        different file exists and was left alone.
    """
    path = Path(path)
    if path.exists():
        if path.read_bytes() == data:
            return "unchanged"
        if not force:
            return "kept"
    status: WriteStatus = "replaced" if path.exists() else "written"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes the file private (0600); results are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return status
