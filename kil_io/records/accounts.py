"""An organisation's accounts: income and expenditure under the Charities SORP headings, staff costs, surplus.

The template (``kil_io/records/templates/accounts.csv``) has one row per heading of the Statement of
Financial Activities that UK charities publish under the Charities SORP (FRS 102), plus three
figures from the notes to the accounts. Columns: ``heading`` and ``amount`` (£ a year; an
optional ``note`` column is ignored)::

    Income: donations and legacies          Expenditure: raising funds
    Income: charitable activities           Expenditure: charitable activities
    Income: other trading activities        Expenditure: other
    Income: investments                     Net gains (losses) on investments  (optional)
    Income: other                           Net income (expenditure)           (optional, checked)
    Staff costs                  (note: wages and salaries, employer's National Insurance, pension)
    Depreciation                 (optional: in expenditure, but not bought from suppliers)
    Employees (average FTE)      (optional: used when no staff list is given)

Other organisations fill the same headings (a company's turnover under "Income: charitable
activities" or "Income: other trading activities"). An empty amount means the heading does not
apply (nothing is guessed for it); "Total income" and "Total expenditure" rows may be given and are
checked against the headings. The surplus kil_io models is income less expenditure, before gains
on investments (they are not production in the area).

References
----------
Charity Commission and OSCR (2019). *Charities SORP (FRS 102)*, 2nd ed., module 4 (Statement of
Financial Activities) and module 9 (staff costs and employee benefits, 9.23 to 9.32).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kil_io.records.tables import Column, Layout, Problems, Sheet, normalise_heading, read_sheet, unused_note

INCOME: dict[str, str] = {
    "donations_and_legacies": "Income: donations and legacies",
    "charitable_activities": "Income: charitable activities",
    "other_trading_activities": "Income: other trading activities",
    "investments": "Income: investments",
    "other": "Income: other",
}
EXPENDITURE: dict[str, str] = {
    "raising_funds": "Expenditure: raising funds",
    "charitable_activities": "Expenditure: charitable activities",
    "other": "Expenditure: other",
}
NOTES: dict[str, str] = {
    "investment_gains": "Net gains (losses) on investments",
    "net_income": "Net income (expenditure)",
    "staff_costs": "Staff costs",
    "depreciation": "Depreciation",
    "employees_fte": "Employees (average FTE)",
    "total_income": "Total income",
    "total_expenditure": "Total expenditure",
}
#: Every heading of the template, in its order.
HEADINGS: tuple[str, ...] = (*INCOME.values(), *EXPENDITURE.values(), *NOTES.values())

LAYOUT = Layout(
    what="accounts",
    option="--accounts",
    columns=(
        Column("heading", ("item", "line", "sofa heading", "description")),
        Column("amount", ("amount", "value", "amount gbp", "gbp", "total", "this year", "current year")),
        Column("note", ("notes", "comment", "source"), required=False),
    ),
)
_TOLERANCE = 1.0  # £: totals and net income given in the file must agree with the headings to the pound


def _aliases() -> dict[str, tuple[str, str]]:
    """Normalised heading -> (section, key)."""
    out: dict[str, tuple[str, str]] = {}
    for key, label in INCOME.items():
        short = label.split(": ", 1)[1]
        for alias in (label, f"income from {short}", f"income {short}"):
            out[normalise_heading(alias)] = ("income", key)
    for key, label in EXPENDITURE.items():
        short = label.split(": ", 1)[1]
        for alias in (label, f"expenditure on {short}", f"expenditure {short}"):
            out[normalise_heading(alias)] = ("expenditure", key)
    for key, label in NOTES.items():
        out[normalise_heading(label)] = ("notes", key)
    extra = {
        "donations and legacies": ("income", "donations_and_legacies"),
        "other trading activities": ("income", "other_trading_activities"),
        "investments": ("income", "investments"),
        "raising funds": ("expenditure", "raising_funds"),
        "net income": ("notes", "net_income"),
        "net expenditure": ("notes", "net_income"),
        "surplus": ("notes", "net_income"),
        "surplus deficit": ("notes", "net_income"),
        "net gains on investments": ("notes", "investment_gains"),
        "staff costs total": ("notes", "staff_costs"),
        "total staff costs": ("notes", "staff_costs"),
        "employees": ("notes", "employees_fte"),
        "fte": ("notes", "employees_fte"),
        "average fte": ("notes", "employees_fte"),
    }
    out.update(extra)
    return out


@dataclass(frozen=True)
class Accounts:
    """An organisation's accounts for one year, as read from its file (£, FTE).

    Attributes
    ----------
    path : Path
    rows : int
        Data rows read.
    income, expenditure : mapping
        Heading key (:data:`INCOME`, :data:`EXPENDITURE`) -> amount, for the headings given [£].
    staff_costs, depreciation, investment_gains : float or None
        From the notes to the accounts, when given [£].
    employees_fte : float or None
        From the notes to the accounts, when given [FTE].
    unused : str
        What :func:`~kil_io.records.tables.unused_note` says of the file's columns the reader does
        not use (empty when there are none).
    """

    path: Path
    rows: int
    income: Mapping[str, float]
    expenditure: Mapping[str, float]
    staff_costs: float | None = None
    depreciation: float | None = None
    employees_fte: float | None = None
    investment_gains: float | None = None
    unused: str = ""

    @property
    def total_income(self) -> float:
        """Income under all headings [£]."""
        return float(sum(self.income.values()))

    @property
    def total_expenditure(self) -> float:
        """Expenditure under all headings [£]."""
        return float(sum(self.expenditure.values()))

    @property
    def surplus(self) -> float:
        """Income less expenditure, before gains on investments; negative for a deficit [£]."""
        return self.total_income - self.total_expenditure

    @property
    def bought_in(self) -> float:
        """Expenditure less staff costs and depreciation: what a purchase ledger should add up to [£]."""
        return self.total_expenditure - (self.staff_costs or 0.0) - (self.depreciation or 0.0)


def read_accounts(path: str | Path, *, others: tuple[Layout, ...] = ()) -> Accounts:
    """Read an accounts file (``.csv`` or ``.xlsx``) of the template's headings.

    Parameters
    ----------
    path : str or Path
    others : tuple of Layout
        The other kinds of records, to say which one a wrongly given file looks like.

    Returns
    -------
    Accounts
        Amounts in pounds [£], staff in full-time equivalents [FTE].

    Raises
    ------
    RecordsError
        The wrong shape; an unknown or repeated heading, an amount that is not £ (each naming the
        row, column and value); no income; totals or net income that disagree with the headings;
        staff costs or depreciation above expenditure.
    """
    sheet = read_sheet(path, LAYOUT, others=others)
    problems = Problems(sheet)
    aliases = _aliases()
    seen: dict[tuple[str, str], int] = {}
    values: dict[tuple[str, str], float] = {}
    for row, cells in sheet.rows:
        heading = problems.text(row, cells, "heading")
        if not heading:
            continue
        key = aliases.get(normalise_heading(heading))
        if key is None:
            problems.choice(row, "heading", heading, HEADINGS, "heading of the accounts template")
            continue
        if key in seen:
            problems.add(row, "heading", heading, f"is given twice (first in row {seen[key]})")
            continue
        seen[key] = row
        if key == ("notes", "employees_fte"):
            given = str(sheet.cell(cells, "amount") or "").strip()
            amount = problems.number(row, cells, "amount", what="a number of FTE") if given else None
        else:
            signed = key[1] in ("net_income", "investment_gains")
            amount = problems.money(row, cells, "amount", required=False, negative=signed)
        if amount is not None:
            values[key] = amount
    problems.check()
    accounts = Accounts(
        path=sheet.path,
        rows=len(sheet.rows),
        income={k: v for (s, k), v in values.items() if s == "income"},
        expenditure={k: v for (s, k), v in values.items() if s == "expenditure"},
        staff_costs=values.get(("notes", "staff_costs")),
        depreciation=values.get(("notes", "depreciation")),
        employees_fte=values.get(("notes", "employees_fte")),
        investment_gains=values.get(("notes", "investment_gains")),
        unused=unused_note(sheet),
    )
    _check(sheet, problems, accounts, values, seen)
    return accounts


def _check(sheet: Sheet, problems: Problems, a: Accounts, values: Mapping[tuple[str, str], float],
           rows: Mapping[tuple[str, str], int]) -> None:  # fmt: skip
    if a.total_income <= 0:
        headings = ", ".join(INCOME.values())
        problems.add(sheet.header_row, "", None, f"no income: give the amounts of the income headings ({headings})")
    checks = [
        (("notes", "total_income"), a.total_income, "the income headings add up to"),
        (("notes", "total_expenditure"), a.total_expenditure, "the expenditure headings add up to"),
        (("notes", "net_income"), a.surplus + (a.investment_gains or 0.0), "income less expenditure (and gains) is"),
    ]
    for key, computed, what in checks:
        if key in values and abs(values[key] - computed) > _TOLERANCE:
            problems.add(
                rows[key], "amount", values[key],
                f"disagrees with the headings: {what} £{computed:,.2f} (difference £{values[key] - computed:,.2f})",
            )  # fmt: skip
    used = (a.staff_costs or 0.0) + (a.depreciation or 0.0)
    if used > a.total_expenditure + _TOLERANCE:
        key = ("notes", "staff_costs") if ("notes", "staff_costs") in rows else ("notes", "depreciation")
        problems.add(
            rows[key], "amount", values[key],
            f"staff costs and depreciation (£{used:,.0f}) are more than expenditure (£{a.total_expenditure:,.0f})",
        )  # fmt: skip
    problems.check()
