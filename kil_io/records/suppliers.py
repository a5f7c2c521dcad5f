"""An organisation's purchase ledger: what it spends, with whom, where they are -> spending lines by category.

The template (``kil_io/records/templates/suppliers.csv``) has one row per invoice or per supplier and
year. Columns: ``supplier``, ``amount`` (£; a credit note is negative, and nets with its own
supplier's rows on its line), ``postcode`` (the
supplier's: a full postcode, sector, district or local authority, as for staff) and a spending
``category`` (one of :data:`kil_io.appraisal.CATEGORIES`) or a ``sic`` code (SIC 2007, 2-5
digits; :func:`kil_io.datasets.ioat_for_sic`). Other columns (dates, invoice numbers) are not
read, and named in the made case's checks.

Rows are grouped into spending lines, one per category (or per IOAT industry for SIC codes); a
line's local share is weighted by £: ``sum(amount_i * local_i) / sum(amount_i)``. Rows without a
known location count as not local and are listed by row. This is the CLES "Preston" method of
spend analysis: suppliers' addresses weighted by spend.

References
----------
CLES and Preston City Council (2019). *How we built community wealth in Preston*, spend analysis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kil_io import datasets
from kil_io.appraisal.casefile import CATEGORIES
from kil_io.errors import DatasetError
from kil_io.records.areas import LocalArea
from kil_io.records.postcodes import PostcodeDirectory
from kil_io.records.staff import Unplaced
from kil_io.records.tables import Column, Layout, Problems, read_sheet, unused_note

LAYOUT = Layout(
    what="supplier ledger",
    option="--suppliers",
    columns=(
        Column("supplier", ("supplier name", "payee", "vendor", "beneficiary", "creditor", "merchant")),
        Column("amount", ("value", "net amount", "amount gbp", "spend", "total", "net", "gbp")),
        Column("postcode", ("supplier postcode", "post code", "location", "address postcode")),
        Column("category", ("spending category", "kil io category", "spend category"), required=False),
        Column("sic", ("sic code", "sic 2007", "sic2007", "sic07", "industry sic"), required=False),
    ),
    any_of=(("category", "sic"),),
)


@dataclass(frozen=True)
class SpendLine:
    """Spending on one category (or IOAT industry) from the ledger (£).

    Attributes
    ----------
    label : str
        The category, or the IOAT industry's name for rows given by SIC code.
    sector : str
        IOAT industry code.
    category : str or None
        The category (``None`` for a SIC line).
    value : float
        Spend on the line [£].
    local_value : float
        The part of ``value`` spent with suppliers in the area [£].
    rows, suppliers : int
        Ledger rows and distinct suppliers behind it.
    """

    label: str
    sector: str
    category: str | None
    value: float
    local_value: float
    rows: int
    suppliers: int

    @property
    def local_share(self) -> float:
        """Share bought in the area, by £ (0 for an empty line) [share]."""
        return self.local_value / self.value if self.value > 0 else 0.0


@dataclass(frozen=True)
class SupplierLedger:
    """What a purchase ledger says, for the area it was read for.

    Attributes
    ----------
    path : Path
    rows, suppliers : int
    lines : tuple of SpendLine
        By category, largest first.
    area : LocalArea
    unplaced : tuple of Unplaced
        Rows with an empty or unknown supplier location (counted as not local).
    credits : int
        Rows with negative amounts (credit notes), netted with their supplier's rows on their line.
    unused : str
        What :func:`~kil_io.records.tables.unused_note` says of the file's columns the reader does
        not use (empty when there are none).
    """

    path: Path
    rows: int
    suppliers: int
    lines: tuple[SpendLine, ...]
    area: LocalArea
    unplaced: tuple[Unplaced, ...]
    credits: int
    unused: str = ""

    @property
    def total(self) -> float:
        """Spend on all lines [£]."""
        return float(sum(line.value for line in self.lines))

    @property
    def local_value(self) -> float:
        """Spend with suppliers in the area [£]."""
        return float(sum(line.local_value for line in self.lines))

    @property
    def local_share(self) -> float:
        """Share of spending with suppliers in the area, by £ [share]."""
        return self.local_value / self.total if self.total > 0 else 0.0


def read_suppliers(
    path: str | Path, area: LocalArea, *, directory: PostcodeDirectory | None = None, others: tuple[Layout, ...] = ()
) -> SupplierLedger:
    """Read a purchase ledger (``.csv`` or ``.xlsx``) into spending lines with local shares for ``area``.

    Parameters
    ----------
    path : str or Path
    area : LocalArea
    directory : PostcodeDirectory, optional
    others : tuple of Layout
        The other kinds of records, to say which one a wrongly given file looks like.

    Returns
    -------
    SupplierLedger
        Spending in pounds [£], with local shares [share].

    Raises
    ------
    RecordsError
        The wrong shape; a row with an amount that is not £, an unknown category, a SIC code that
        names no single industry, a category and a SIC code that disagree, or a location that is not
        a postcode, sector, district or authority (each naming the file, row, column and value); a
        supplier whose credit notes on a line exceed its spending there, or are placed apart from its
        invoices (a local credit cannot cancel an outside invoice); rows that add up to no spending.
    """
    sheet = read_sheet(path, LAYOUT, others=others)
    directory = directory or PostcodeDirectory()
    problems = Problems(sheet)
    known = sorted(CATEGORIES)
    names = datasets.sic_industries().drop_duplicates("ioat").set_index("ioat")["name"]
    # summed by line and supplier: a credit note cancels its own supplier's invoices, so each supplier's
    # net spend on a line, and the part of it that is local, must each lie between 0 and what it nets to
    sums: dict[tuple[tuple[str, str, str | None], str], list[float]] = {}
    rows_of: dict[tuple[tuple[str, str, str | None], str], list[int]] = {}
    names_of: dict[str, str] = {}
    unplaced: list[Unplaced] = []
    credits = 0
    for row, cells in sheet.rows:
        supplier = problems.text(row, cells, "supplier")
        amount = problems.money(row, cells, "amount", negative=True)
        line = _line(problems, row, cells, known, names)
        where_text = problems.text(row, cells, "postcode", required=False)
        if amount is None or line is None or not supplier:
            continue
        share = 0.0
        if not where_text:
            unplaced.append(Unplaced(sheet.path, row, "postcode", "", amount, "is empty: counted as not local"))
        else:
            where = directory.locate(where_text)
            if isinstance(where, str):
                problems.add(row, "postcode", where_text, where)
                continue
            if where.found:
                share = area.share(where.shares)
            else:
                why = f"is not in the {directory.source}: counted as not local"
                unplaced.append(Unplaced(sheet.path, row, "postcode", where_text, amount, why))
        credits += amount < 0
        key = " ".join(supplier.casefold().split())
        names_of.setdefault(key, supplier)
        s = sums.setdefault((line, key), [0.0, 0.0])
        s[0] += amount
        s[1] += amount * share
        rows_of.setdefault((line, key), []).append(row)
    totals: dict[tuple[str, str, str | None], list[float]] = {}
    who: dict[tuple[str, str, str | None], set[str]] = {}
    for (line, key), (value, local) in sums.items():
        _check_net(problems, rows_of[(line, key)], names_of[key], line[0], value, local)
        t = totals.setdefault(line, [0.0, 0.0, 0])
        t[0] += value
        t[1] += local
        t[2] += len(rows_of[(line, key)])
        who.setdefault(line, set()).add(key)
    if sums and sum(t[0] for t in totals.values()) <= 0:
        problems.add(sheet.header_row, "amount", None, "the rows add up to no spending (£0 or less)")
    suppliers = set(names_of)
    problems.check()
    lines = sorted(
        (SpendLine(label, sector, category, v, lv, int(n), len(who[(label, sector, category)]))
         for (label, sector, category), (v, lv, n) in totals.items()),
        key=lambda s: (-s.value, s.label),
    )  # fmt: skip
    return SupplierLedger(
        sheet.path, len(sheet.rows), len(suppliers), tuple(lines), area, tuple(unplaced), credits, unused_note(sheet)
    )


def _check_net(problems: Problems, rows: list[int], supplier: str, line: str, value: float, local: float) -> None:
    """Record a supplier whose credits on a line exceed its spending there, or are placed apart from it [£]."""
    where = f"rows {', '.join(map(str, rows))}" if len(rows) > 1 else f"row {rows[0]}"
    tolerance = 0.005  # half a penny
    if value < -tolerance:
        problems.add(rows[0], "amount", None, f"{supplier!r} on the '{line}' line ({where}) nets to £{value:,.2f}: "
                                              "its credits exceed its spending; check the signs")  # fmt: skip
    elif not -tolerance <= local <= value + tolerance:
        problems.add(rows[0], "postcode", None, f"{supplier!r} on the '{line}' line ({where}) nets to £{value:,.2f}, "
                                                f"but £{local:,.2f} of it would be local: its credit notes and "
                                                "invoices are in different places; give a credit note its invoice's "
                                                "postcode")  # fmt: skip


def _line(problems: Problems, row: int, cells: tuple, known: list[str], names: Mapping[str, str]) -> tuple | None:
    """(label, IOAT sector, category or None) of a row, or ``None`` with the problem recorded."""
    category = problems.text(row, cells, "category", required=False)
    sic_cell = problems.sheet.cell(cells, "sic")
    sic = problems.text(row, cells, "sic", required=False)
    if not category and not sic:
        problems.add(row, "category", None, "is empty, and so is 'sic': give a spending category or a SIC code")
        return None
    sector = None
    if category:
        key = "_".join(category.casefold().replace("-", " ").split())
        if key not in CATEGORIES:
            problems.choice(row, "category", category, known, "spending category")
            return None
        sector = CATEGORIES[key]
    if sic:
        if isinstance(sic_cell, int | float) and not isinstance(sic_cell, bool) and len(sic) < 5:
            problems.add(row, "sic", sic_cell, "is a number of fewer than 5 digits, so a leading zero may have been "
                                               "lost: format the column as text (e.g. 01110)")  # fmt: skip
            return None
        try:
            by_sic = datasets.ioat_for_sic(sic)
        except DatasetError as exc:
            problems.add(row, "sic", sic, str(exc).split(": ", 1)[-1].replace(f"SIC code {sic!r} ", ""))
            return None
        if sector is not None and by_sic != sector:
            problems.add(row, "sic", sic, f"is industry {by_sic}, but category '{category}' buys from {sector}: "
                                          "give one of them, or make them agree")  # fmt: skip
            return None
        if sector is None:
            return (str(names.get(by_sic, by_sic)), by_sic, None)
    return (key, sector, key)
