"""Reading user and official files within bounds: size, expanded size and cells, with short excerpts.

A small file must never cost unbounded memory or time: a spreadsheet of 263 KB can expand
to hundreds of megabytes of XML. Every reader of a file kil_io did not write goes through
:func:`check_file` and then :func:`read_text`, :func:`read_csv`, :func:`read_xlsx` or :func:`read_xls` (old
``.xls`` workbooks, through xlrd), which refuse what is
over the limits with a :class:`~kil_io.errors.LimitError` naming the file, the limit and
the size, and report (never guess) undecodable text and formulas saved without values.
Messages quote bad values through :func:`excerpt`, so a huge value is never echoed whole.

Limits (module constants; a reader may pass tighter ones):

- :data:`MAX_FILE_BYTES` 64 MB on disk (the largest shipped official table is 3.5 MB);
- :data:`MAX_XLSX_EXPANDED_BYTES` 128 MB of XML inside a workbook, and at most
  :data:`MAX_XLSX_RATIO` (100) times its size on disk (official workbooks: 3 to 7);
- :data:`MAX_CELLS` 2,000,000 cells read from one sheet (a 105-industry table has 15,000).
"""

from __future__ import annotations

import csv
import io
import reprlib
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from kil_io.errors import CaseError, LimitError, MissingFileError, ReaderError

MAX_FILE_BYTES = 64 * 2**20
MAX_XLSX_EXPANDED_BYTES = 128 * 2**20
MAX_XLSX_RATIO = 100
MAX_CELLS = 2_000_000
#: Longest quotation of a bad value in a message.
EXCERPT_CHARS = 100

_repr = reprlib.Repr()
_repr.maxstring = 40
_repr.maxother = 40
_repr.maxlist = _repr.maxdict = _repr.maxtuple = _repr.maxset = 4
_repr.maxlevel = 2


def excerpt(value: object) -> str:
    """A short ``repr`` of ``value`` for an error message: at most :data:`EXCERPT_CHARS` characters."""
    text = _repr.repr(value)
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 3] + "..."


def _size(n: float) -> str:
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{n / 2**10:,.1f} KB" if n >= 2**10 else f"{n:,.0f} bytes"


def check_file(path: str | Path, *, what: str = "file", max_bytes: int = MAX_FILE_BYTES) -> Path:
    """``path`` as a Path if it is an existing regular file within ``max_bytes``.

    Raises
    ------
    MissingFileError
        No such file.
    ReaderError
        A folder or other non-file.
    LimitError
        Larger than ``max_bytes``.
    """
    path = Path(path)
    if not path.exists():
        raise MissingFileError(2, f"no such {what}", str(path))
    if not path.is_file():
        raise ReaderError(f"{path}: is a {'folder' if path.is_dir() else 'special file'}, not a {what}")
    size = path.stat().st_size
    if size > max_bytes:
        raise LimitError(f"{path}: {what} is {_size(size)}, over kil_io's limit of {_size(max_bytes)}")
    return path


def read_text(
    path: str | Path, *, what: str = "file", max_bytes: int = MAX_FILE_BYTES, encoding: str = "utf-8-sig"
) -> str:
    """The text of a file within ``max_bytes``, decoded strictly (a UTF-8 byte-order mark is dropped).

    Raises
    ------
    ReaderError
        Bytes that are not ``encoding``: the message gives the line, the byte offset and the bytes, and
        suggests saving as UTF-8 (spreadsheets' "CSV UTF-8").
    MissingFileError, LimitError
        As :func:`check_file`.
    """
    path = check_file(path, what=what, max_bytes=max_bytes)
    data = path.read_bytes()
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReaderError(
            f"{path}: line {line} (byte {exc.start}) has {data[exc.start : exc.start + 4]!r}, which is not "
            f"{encoding.removesuffix('-sig').upper()} text; save the {what} as UTF-8 "
            "(e.g. 'CSV UTF-8' in a spreadsheet)"
        ) from None


def read_csv(
    path: str | Path, *, what: str = "file", max_bytes: int = MAX_FILE_BYTES, max_cells: int = MAX_CELLS
) -> list[tuple[str, ...]]:
    """The cells of a CSV file (UTF-8, comma-separated), record by record, within bounds.

    The text is read by :func:`read_text` (strict UTF-8), parsed by the standard :mod:`csv` module
    (quoted fields may hold commas and line breaks) and counted while it is parsed. Record *k*
    (from 1) is row *k* of the file opened in a spreadsheet. Trailing empty records are dropped.

    Returns
    -------
    list of tuple of str
        One tuple per record, from the first.

    Raises
    ------
    ReaderError
        Not UTF-8 text, or not parseable as CSV (e.g. a NUL byte or an unclosed quote), naming the line.
    LimitError
        More than ``max_cells`` cells, or as :func:`check_file`.
    """
    text = read_text(path, what=what, max_bytes=max_bytes)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[str, ...]] = []
    cells = 0
    try:
        for row in reader:
            cells += len(row)
            if cells > max_cells:
                raise LimitError(
                    f"{path}: more than {max_cells:,} cells (row {len(rows) + 1}), over kil_io's limit; "
                    f"remove what is not the {what}'s table"
                )
            rows.append(tuple(row))
    except csv.Error as exc:
        raise ReaderError(
            f"{path}: line {reader.line_num} is not CSV ({excerpt(str(exc))}); save the {what} "
            "as 'CSV UTF-8' from a spreadsheet"
        ) from None
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    return rows


def read_xlsx(
    path: str | Path,
    *,
    sheet: str | int = 0,
    what: str = "workbook",
    max_bytes: int = MAX_FILE_BYTES,
    max_cells: int = MAX_CELLS,
) -> list[tuple[Any, ...]]:
    """The cell values of one sheet of an ``.xlsx`` file, row by row, within bounds.

    The workbook's XML is measured before it is parsed (size and compression ratio), cells are
    counted while they are read, and a formula whose value was never saved (a file written by a
    program, not by Excel) is an error naming its cell rather than an empty cell. Trailing empty
    rows are dropped; everything else is returned for the caller to check.

    Parameters
    ----------
    sheet : str or int
        Sheet name, or position (0 = first).

    Returns
    -------
    list of tuple
        One tuple of values (``None`` for an empty cell) per row, from the first row.

    Raises
    ------
    ReaderError
        Not an ``.xlsx`` workbook, no such sheet, or a formula without a saved value.
    LimitError
        Expanded XML or cells over the limits.
    """
    import openpyxl

    path = check_file(path, what=what, max_bytes=max_bytes)
    try:
        with zipfile.ZipFile(path) as book:
            expanded = sum(info.file_size for info in book.infolist())
    except (zipfile.BadZipFile, OSError):
        raise ReaderError(f"{path}: not an .xlsx workbook (an .xls or .csv saved with the wrong name?)") from None
    limit = min(MAX_XLSX_EXPANDED_BYTES, max(path.stat().st_size, 1) * MAX_XLSX_RATIO)
    if expanded > limit:
        raise LimitError(
            f"{path}: the {what} expands to {_size(expanded)} of XML from {_size(path.stat().st_size)} on disk, over "
            f"kil_io's limit of {_size(limit)} (at most {MAX_XLSX_RATIO}x, {_size(MAX_XLSX_EXPANDED_BYTES)}); "
            "save only the table you need"
        )
    values = _sheet_rows(openpyxl, path, sheet, what, max_cells, data_only=True)
    # the second pass (formulas) only for a workbook that has any: it doubles the time
    formulas = _sheet_rows(openpyxl, path, sheet, what, max_cells, data_only=False) if _has_formulas(path) else []
    for r, (got, written) in enumerate(zip(values, formulas, strict=False)):
        for c, (value, formula) in enumerate(zip(got, written, strict=False)):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                cell = f"{openpyxl.utils.get_column_letter(c + 1)}{r + 1}"
                raise ReaderError(
                    f"{path}: cell {cell} holds the formula {excerpt(formula)} with no saved value; open the {what} "
                    "in a spreadsheet and save it (or paste the values) so the numbers are in the file"
                )
    while values and all(v is None for v in values[-1]):
        values.pop()
    return values


def read_xls(
    path: str | Path,
    *,
    sheet: str,
    what: str = "workbook",
    max_bytes: int = MAX_FILE_BYTES,
    max_cells: int = MAX_CELLS,
) -> list[tuple[Any, ...]]:
    """The cell values of one sheet of an old Excel ``.xls`` (BIFF) file, row by row, within bounds.

    The file's size is checked before it is opened; xlrd then loads only the sheet asked for
    (``on_demand``), whose cells are counted before any is read. Values as :func:`read_xlsx`
    gives them: text, float, bool, ``None`` for an empty cell; an Excel error cell becomes its
    text (``"#N/A"``), which a reader then reports as not a number.

    Parameters
    ----------
    sheet : str
        Sheet name.

    Returns
    -------
    list of tuple
        One tuple of values per row, from the first row; trailing empty rows dropped.

    Raises
    ------
    ReaderError
        Not an ``.xls`` workbook, or no such sheet.
    LimitError
        More cells than ``max_cells``.
    """
    import xlrd

    path = check_file(path, what=what, max_bytes=max_bytes)
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error... on a damaged or other file
        raise ReaderError(
            f"{path}: cannot be read as an .xls {what} ({type(exc).__name__}: {excerpt(exc)}); an .xlsx or .csv "
            "saved with the wrong name?"
        ) from None
    try:
        if sheet not in book.sheet_names():
            raise ReaderError(f"{path}: no sheet {sheet!r}; sheets: {excerpt(book.sheet_names())}")
        ws = book.sheet_by_name(sheet)
        if ws.nrows * ws.ncols > max_cells:
            raise LimitError(
                f"{path}: sheet {sheet!r} has {ws.nrows:,} x {ws.ncols:,} cells, more than kil_io's limit of "
                f"{max_cells:,}; remove what is not the {what}'s table"
            )
        empty, error = (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK), xlrd.XL_CELL_ERROR
        rows = [
            tuple(
                None if c.ctype in empty else xlrd.error_text_from_code.get(c.value, "#ERROR") if c.ctype == error
                else bool(c.value) if c.ctype == xlrd.XL_CELL_BOOLEAN else c.value
                for c in ws.row(r)
            )
            for r in range(ws.nrows)
        ]  # fmt: skip
    finally:
        book.release_resources()
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet's XML holds a formula element (``<f>``), scanned in chunks without parsing."""
    import re

    tag = re.compile(rb"<(?:\w+:)?f[ >/]")
    with zipfile.ZipFile(path) as book:
        for info in book.infolist():
            if not info.filename.startswith("xl/worksheets/"):
                continue
            with book.open(info) as xml:
                tail = b""
                while chunk := xml.read(2**20):
                    if tag.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _sheet_rows(
    openpyxl: Any, path: Path, sheet: str | int, what: str, max_cells: int, *, data_only: bool
) -> list[tuple[Any, ...]]:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ReaderError(f"{path}: cannot be read as an .xlsx {what} ({type(exc).__name__}: {excerpt(exc)})") from None
    try:
        names = book.sheetnames
        if isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise ReaderError(f"{path}: has {len(names)} sheet(s), no sheet {sheet + 1}")
            ws = book[names[sheet]]
        elif sheet in names:
            ws = book[sheet]
        else:
            raise ReaderError(f"{path}: no sheet {sheet!r}; sheets: {excerpt(names)}")
        rows: list[tuple[Any, ...]] = []
        cells = 0
        for row in ws.iter_rows(values_only=True):
            cells += len(row)
            if cells > max_cells:
                raise LimitError(
                    f"{path}: sheet {ws.title!r} has more than {max_cells:,} cells (row {len(rows) + 1}), over "
                    f"kil_io's limit; remove what is not the {what}'s table"
                )
            rows.append(tuple(row))
        return rows
    finally:
        book.close()


#: Most memory the draws of one simulation may take [bytes] (estimated before any is drawn).
MAX_DRAW_BYTES = 4 * 2**30


def check_seed(seed: object) -> int | None:
    """``seed`` as a seed of numpy's ``SeedSequence``: None or a whole number >= 0.

    Raises
    ------
    CaseError
        Naming ``seed`` and the value (``-1``, ``1.5``, ``nan``, ``"abc"``, ``True``).
    """
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise CaseError(f"seed must be a whole number >= 0 (or None for fresh draws), got {excerpt(seed)}")
    return int(seed)


def check_draw_memory(draws: int, per_draw: float, *, how_to_chunk: str) -> None:
    """Refuse ``draws`` whose arrays would take more than :data:`MAX_DRAW_BYTES`, before any is drawn.

    Parameters
    ----------
    draws : int
    per_draw : float
        Memory a draw takes in the largest arrays held at once [bytes].
    how_to_chunk : str
        How to get as many draws in parts, for the message.

    Raises
    ------
    LimitError
        With the estimate, the limit, the most draws allowed and ``how_to_chunk``.
    """
    need = float(draws) * per_draw
    if need > MAX_DRAW_BYTES:
        most = int(MAX_DRAW_BYTES // per_draw)
        raise LimitError(
            f"draws={int(draws):,} would need about {_size(need)} of memory, over the limit of "
            f"{_size(MAX_DRAW_BYTES)} (at most {most:,} draws at once); {how_to_chunk}"
        )
