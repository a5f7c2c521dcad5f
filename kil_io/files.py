"""Writing results safely: atomically, never over a different existing file unasked, and CSV text inert.

A CSV file opened in a spreadsheet runs any cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some, a tab or carriage return) as a formula ("CSV injection"); a supplier named
``=HYPERLINK(...)`` in a council's ledger would run on the reader's machine. :func:`csv_text` is the
one place kil_io writes user text into CSV: such text cells are prefixed with ``'``, as OWASP
advises, so they stay text; numbers are written as numbers.

References
----------
OWASP, *CSV Injection* (https://owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

WriteStatus = Literal["written", "replaced", "unchanged", "kept"]
#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, prefixed with ``'``; anything else as it is.

    Examples
    --------
    >>> inert("=HYPERLINK(1)"), inert("-£850 credit"), inert(-850.0), inert("Leeds")
    ("'=HYPERLINK(1)", "'-£850 credit", -850.0, 'Leeds')
    """
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def csv_text(frame: pd.DataFrame, *, index: bool = True, float_format: str = "%.10g") -> str:
    """A table as CSV text with every text cell, heading and index label made inert (:func:`inert`).

    Parameters
    ----------
    frame : DataFrame
        Numbers stay numbers (a negative amount is not text); text from users' files is made safe.
    index : bool
        Write the index, as ``DataFrame.to_csv``.
    float_format : str

    Returns
    -------
    str
    """
    out = frame.copy()
    out.columns = out.columns.map(lambda c: tuple(inert(v) for v in c) if isinstance(c, tuple) else inert(c))
    out.index = out.index.map(lambda i: tuple(inert(v) for v in i) if isinstance(i, tuple) else inert(i))
    out.index.names = [inert(n) for n in out.index.names]
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].map(inert)
    return out.to_csv(index=index, float_format=float_format)


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
