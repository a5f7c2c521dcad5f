"""An organisation's own tables (CSV or Excel), read row by row with every problem located.

A :class:`Layout` names the columns a kind of file has (with the headings people actually
write: ``Amount (£)``, ``Net amount``, ``Supplier name`` ...); :func:`read_sheet` finds the
heading row, checks the file is of that kind (a payroll given as the supplier ledger is told
which columns were expected, and what it looks like instead), and returns the rows with their
spreadsheet row numbers. Cells are parsed by :class:`Problems`, which collects every bad cell as
"file, row, column: value, what is wrong" and raises them together, so one run shows them all.

Files are read through :mod:`kil_io.limits` (size, cells, strict UTF-8, formulas without values).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kil_io import limits
from kil_io.errors import ReaderError, RecordsError
from kil_io.limits import excerpt

#: Rows searched for the heading row (titles above it are allowed, as in councils' published files).
HEADER_ROWS = 20
#: Problems listed in one error message; the rest are counted.
MAX_LISTED = 25

_MONEY = re.compile(r"-?£?-?\d[\d,]*(?:\.\d+)?|-?£?-?\.\d+")
_COMMA_GROUPS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def normalise_heading(text: object) -> str:
    """A heading as compared: lower case, units in brackets dropped, runs of other characters as one space.

    ``"Amount (£)"`` -> ``"amount"``, ``"Supplier_Name"`` -> ``"supplier name"``, ``"Pay (£ a year)"`` -> ``"pay"``.
    """
    value = "" if text is None else str(text)
    value = re.sub(r"\([^)]*\)", " ", value.casefold())
    return re.sub(r"[^a-z0-9]+", " ", value).strip()


@dataclass(frozen=True)
class Column:
    """A column of a layout: its name, the headings accepted for it, and whether it must be there."""

    name: str
    headings: tuple[str, ...]
    required: bool = True

    def matches(self, heading: str) -> bool:
        """Whether a normalised heading is this column's."""
        return heading in {normalise_heading(h) for h in (self.name, *self.headings)}


@dataclass(frozen=True)
class Layout:
    """The shape of one kind of file.

    Attributes
    ----------
    what : str
        E.g. ``"supplier ledger"``.
    option : str
        How it is given on the command line, e.g. ``"--suppliers"``.
    columns : tuple of Column
    any_of : tuple of tuple of str
        Groups of optional columns of which at least one must be present (``("category", "sic")``).
    """

    what: str
    option: str
    columns: tuple[Column, ...]
    any_of: tuple[tuple[str, ...], ...] = ()

    def expected(self) -> str:
        """The columns as a message lists them."""
        need = [c.name for c in self.columns if c.required]
        groups = [" or ".join(g) for g in self.any_of]
        optional = [c.name for c in self.columns if not c.required and not any(c.name in g for g in self.any_of)]
        text = ", ".join(need + groups)
        return text + (f" (optional: {', '.join(optional)})" if optional else "")


@dataclass(frozen=True)
class Sheet:
    """The rows of a file of a known layout.

    Attributes
    ----------
    path : Path
    layout : Layout
    header_row : int
        Spreadsheet row number of the headings.
    positions : mapping
        Column name -> position of its cell in a row (columns the file lacks are absent).
    rows : tuple of (int, tuple)
        Spreadsheet row number and cells of each non-empty row below the headings.
    unused : tuple of str
        Headings of the heading row (as written) that are none of the layout's columns: the file's own
        columns, which the reader does not use (see :func:`unused_note`).
    width : int
        Cells up to the heading row's last heading: a row with text beyond it has a cell too many
        (an unquoted ``£1,234`` in a CSV is two cells).
    """

    path: Path
    layout: Layout
    header_row: int
    positions: Mapping[str, int]
    rows: tuple[tuple[int, tuple[Any, ...]], ...] = field(repr=False)
    unused: tuple[str, ...] = ()
    width: int = 0

    def cell(self, cells: tuple[Any, ...], column: str) -> Any:
        """The cell of ``column`` in a row (``None`` when the file has no such column or the row is short)."""
        at = self.positions.get(column)
        return cells[at] if at is not None and at < len(cells) else None


def read_sheet(path: str | Path, layout: Layout, *, others: Sequence[Layout] = ()) -> Sheet:
    """Read a ``.csv`` or ``.xlsx`` file of ``layout``: find its headings, check its shape, keep its rows.

    Parameters
    ----------
    path : str or Path
    layout : Layout
    others : sequence of Layout
        The other kinds of file, to say which one a wrongly given file looks like.

    Returns
    -------
    Sheet

    Raises
    ------
    RecordsError
        Not a CSV or xlsx file; no heading row with the layout's columns (the message lists the
        headings found, the columns expected, and the kind of file it looks like instead); a
        heading given twice.
    ReaderError, LimitError, MissingFileError
        As :mod:`kil_io.limits` (not UTF-8, formulas without values, over the limits, no such file).
    """
    path = Path(path)
    suffix = path.suffix.casefold()
    try:
        if suffix in (".xlsx", ".xlsm"):
            cells = limits.read_xlsx(path, what=layout.what)
        elif suffix in (".csv", ".txt"):
            cells = limits.read_csv(path, what=layout.what)
        else:
            hint = (
                "save it as .xlsx or 'CSV UTF-8'" if suffix in (".xls", ".ods", ".numbers") else "give a .csv or .xlsx"
            )
            raise RecordsError(
                f"{path}: a {layout.what} must be a .csv or .xlsx file, not {suffix or 'no suffix'}; {hint}"
            )
    except ReaderError as exc:
        if type(exc) is ReaderError:  # keep MissingFileError and LimitError as they are
            raise RecordsError(str(exc)) from None
        raise
    found = _find_header(cells, layout)
    if found is None:
        raise RecordsError(_wrong_shape(path, cells, layout, others))
    header_row, headings = found
    positions: dict[str, int] = {}
    unused: list[str] = []
    for at, heading in enumerate(headings):
        column = next((c for c in layout.columns if c.matches(heading)), None)
        if column is None:
            raw = _text(cells[header_row - 1][at])
            if raw:  # other columns (invoice numbers, notes) are the organisation's own: kept for a note
                unused.append(raw)
            continue
        if column.name in positions:
            first = cells[header_row - 1][positions[column.name]]
            raise RecordsError(
                f"{path}: row {header_row}: two columns are the {layout.what}'s '{column.name}' "
                f"({excerpt(first)} and {excerpt(cells[header_row - 1][at])}); keep one"
            )
        positions[column.name] = at
    rows = tuple(
        (number, row)
        for number, row in enumerate(cells[header_row:], start=header_row + 1)
        if any(_text(v) for v in row)
    )
    width = max((at + 1 for at, h in enumerate(cells[header_row - 1]) if _text(h)), default=0)
    return Sheet(path, layout, header_row, positions, rows, tuple(unused), width)


def unused_note(sheet: Sheet) -> str:
    """What a warning says of a sheet's unused columns (empty when it has none).

    Names the file, the heading row and each unused heading; a heading close to a column the
    file lacks (``Expense Area`` and ``service area``) is told which heading to write instead.

    Examples
    --------
    >>> unused_note(sheet)  # doctest: +SKIP
    "spend.csv: row 2: the columns 'Expense Area', 'Ref' are not used ... 'Expense Area' may be its 'service area'"
    """
    if not sheet.unused:
        return ""
    lacking = {h: c for c in sheet.layout.columns if c.name not in sheet.positions
               for h in (c.name.replace("_", " "), *c.headings)}  # fmt: skip
    hints = []
    for heading in sheet.unused:
        close = difflib.get_close_matches(normalise_heading(heading), list(lacking), n=1, cutoff=0.55)
        if close:
            name = lacking[close[0]].name.replace("_", " ")
            hints.append(f"{heading!r} may be its {name!r}: rename the heading to {name.title()!r} to use it")
    names = ", ".join(repr(h) for h in sheet.unused)
    used = ", ".join(c.name.replace("_", " ") for c in sheet.layout.columns if c.name in sheet.positions)
    text = (
        f"{sheet.path}: row {sheet.header_row}: the {sheet.layout.what}'s column{'s' if len(sheet.unused) > 1 else ''} "
        f"{names} {'are' if len(sheet.unused) > 1 else 'is'} not used (kil_io reads {used}; it knows "
        f"{sheet.layout.expected()})"
    )
    return text + ("; " + "; ".join(hints) if hints else "")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _headings(row: Sequence[Any]) -> list[str]:
    return [normalise_heading(v) for v in row]


def _fits(headings: Sequence[str], layout: Layout) -> bool:
    have = {c.name for c in layout.columns if any(c.matches(h) for h in headings)}
    required = all(c.name in have for c in layout.columns if c.required)
    return required and all(any(name in have for name in group) for group in layout.any_of)


def _find_header(cells: Sequence[Sequence[Any]], layout: Layout) -> tuple[int, list[str]] | None:
    for number, row in enumerate(cells[:HEADER_ROWS], start=1):
        headings = _headings(row)
        if _fits(headings, layout):
            return number, headings
    return None


def _matched(row: Sequence[Any], layout: Layout) -> int:
    headings = _headings(row)
    return sum(any(c.matches(h) for h in headings) for c in layout.columns)


def _wrong_shape(path: Path, cells: Sequence[Sequence[Any]], layout: Layout, others: Sequence[Layout]) -> str:
    filled = [(n, row) for n, row in enumerate(cells[:HEADER_ROWS], start=1) if any(_text(v) for v in row)]
    if not filled:
        return f"{path}: the {layout.what} is empty; expected a heading row with {layout.expected()}"
    # the heading row is the one with most of the layout's columns (a council's title row sits above it)
    number, row = max(filled, key=lambda item: (_matched(item[1], layout), -item[0]))
    given = [_text(v) for v in row if _text(v)]
    message = (
        f"{path}: not a {layout.what}: row {number} has the headings {excerpt(given)}, but a {layout.what} needs "
        f"the columns {layout.expected()}"
    )
    missing = [c.name for c in layout.columns if c.required and not any(c.matches(h) for h in _headings(row))]
    message += f" (missing: {', '.join(missing)})" if missing else ""
    like = [o for o in others if _find_header(cells, o) is not None]
    if like:
        message += f"; it looks like a {like[0].what} (give it with {like[0].option})"
    return message


@dataclass(frozen=True)
class Problem:
    """One bad cell or row: where it is and what is wrong."""

    path: Path
    row: int
    column: str
    value: Any
    message: str

    def __str__(self) -> str:
        where = f"{self.path}, row {self.row}" + (f", column '{self.column}'" if self.column else "")
        return (
            f"{where}: {excerpt(self.value)} {self.message}" if self.value is not None else f"{where}: {self.message}"
        )


class Problems:
    """Collects the problems of a file while its cells are parsed; :meth:`check` raises them together.

    Two problems are the file's before any cell is parsed: no rows below the headings, and a row
    with text beyond the last heading (an unquoted ``£1,234`` in a CSV).
    """

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.errors: list[Problem] = []
        self.shifted: set[int] = set()
        # a heading alone would read as £0 of £0 and 0%, as if nothing had been spent (row 0: options, no file)
        if sheet.header_row and not sheet.rows:
            self.add(sheet.header_row, "", None, "the heading row has no rows below it: fill in at least one row, "
                                                 "or leave the file out")  # fmt: skip
        for row, cells in sheet.rows:
            extra = [v for v in cells[sheet.width :] if _text(v)]
            if sheet.width and extra:
                self.add(row, "", None, _too_many_cells(sheet, cells, extra))
                self.shifted.add(row)  # its cells are out of place: the row's one problem, not each moved cell

    def add(self, row: int, column: str, value: Any, message: str) -> None:
        """Record a problem (``value`` ``None`` when the row, not a cell, is wrong).

        A row with a cell too many has that problem only: its other cells are shifted, and naming
        them (a category that reads ``LS1 1AA``) would blame the wrong cell.
        """
        if row in self.shifted and column:
            return
        self.errors.append(Problem(self.sheet.path, row, column, value, message))

    def check(self) -> None:
        """Raise :class:`RecordsError` listing every problem (at most :data:`MAX_LISTED`), if any."""
        if not self.errors:
            return
        lines = [str(p) for p in self.errors[:MAX_LISTED]]
        more = len(self.errors) - len(lines)
        head = f"{self.sheet.path}: {len(self.errors)} problem(s) in the {self.sheet.layout.what}"
        tail = [f"... and {more} more"] if more else []
        raise RecordsError("\n  ".join([head, *lines, *tail]))

    def text(self, row: int, cells: tuple[Any, ...], column: str, *, required: bool = True) -> str:
        """The cell as text; empty text is a problem when ``required``."""
        value = _text(self.sheet.cell(cells, column))
        if isinstance(self.sheet.cell(cells, column), float) and value.endswith(".0"):
            value = value[:-2]  # a whole number a spreadsheet stored as a float
        if required and not value:
            self.add(row, column, None, "is empty")
        return value

    def money(self, row: int, cells: tuple[Any, ...], column: str, *, required: bool = True,
              negative: bool = False) -> float | None:  # fmt: skip
        """An amount in £: a number, or text such as ``1,250.00``, ``£1,250`` or ``(1,250)`` (negative) [£]."""
        raw = self.sheet.cell(cells, column)
        value = parse_money(raw)
        if value is None:
            if _text(raw):
                self.add(row, column, raw, "is not an amount in £ (write it in digits, e.g. 1250 or 1,250.00)")
            elif required:
                self.add(row, column, None, "is empty: write an amount in £")
            return None
        if value < 0 and not negative:
            self.add(row, column, raw, "is negative; amounts here are £ spent or paid (0 or more)")
            return None
        return value

    def number(self, row: int, cells: tuple[Any, ...], column: str, *, what: str = "a number") -> float | None:
        """A non-negative number; empty is a problem."""
        raw = self.sheet.cell(cells, column)
        value = parse_number(raw)
        if value is None or value < 0:
            self.add(row, column, raw, f"is not {what} (0 or more)" if _text(raw) else f"is empty: write {what}")
            return None
        return value

    def choice(self, row: int, column: str, value: str, known: Sequence[str], what: str) -> None:
        """Record an unknown value of a fixed list, with the nearest known one."""
        close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        self.add(row, column, value, f"is not a {what}{hint}; known: {', '.join(known)}")


def _too_many_cells(sheet: Sheet, cells: tuple[Any, ...], extra: list[Any]) -> str:
    """Why a row has cells beyond the headings, naming an amount split at its thousands comma if there is one."""
    n = max(at + 1 for at, v in enumerate(cells) if _text(v))
    text = (
        f"has {n} cells but the heading row has {sheet.width}: the cell(s) {excerpt(extra)} are beyond the last column"
    )
    for at in range(min(len(cells), n) - 1):
        left, right = _text(cells[at]), _text(cells[at + 1])
        joined = f"{left},{right}"
        if re.fullmatch(r"\d{3}(?:\.\d+)?\)?", right) and parse_money(joined) is not None:
            return (
                f"{text}; {left!r} and {right!r} look like one amount, {joined!r}, split at its thousands comma; "
                f'put it in quotes ("{joined}") or write it without the comma'
            )
    return text + " (a text with a comma must be in quotes)"


def parse_money(raw: Any) -> float | None:
    """An amount of £ from a cell, or ``None`` if it is empty or not an amount.

    Accepts numbers, and text of digits with an optional ``£``, thousands commas in groups of
    three, a decimal point, a leading minus or accounting brackets ``(1,250.00)``. Refuses
    ``1.2m``, ``12k``, ``1,25`` and the like rather than guessing what they mean.

    Parameters
    ----------
    raw : object
        A cell as read from the file.

    Returns
    -------
    float or None
        The amount [£].
    """
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        return float(raw) if raw == raw and abs(raw) != float("inf") else None
    text = str(raw).strip().replace(" ", "")
    negative = text.startswith("(") and text.endswith(")")
    text = text[1:-1] if negative else text
    if not text or not _MONEY.fullmatch(text) or text.count("-") > 1 or (negative and "-" in text):
        return None
    sign = -1.0 if negative or "-" in text else 1.0
    digits = text.replace("£", "").replace("-", "")
    if "," in digits and not _COMMA_GROUPS.fullmatch(digits):
        return None
    return sign * float(digits.replace(",", ""))


def parse_number(raw: Any) -> float | None:
    """A plain number from a cell (``0.5``, ``1``, ``"0.8"``), or ``None``."""
    if isinstance(raw, bool) or raw is None or isinstance(raw, datetime | date):
        return None
    if isinstance(raw, int | float):
        return float(raw) if raw == raw and abs(raw) != float("inf") else None
    try:
        value = float(str(raw).strip())
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None
