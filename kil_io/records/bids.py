"""Bids for a contract (and its lots), read from a commissioner's table: what each bidder commits to.

A bids file (template ``bids.csv``) has one row per figure of a bid: ``bid`` (the bidder's name),
``item``, ``category`` (for a spending line), ``amount``, ``local_share`` (for a spending line),
``low`` and ``high`` (a range, optional) and ``source`` (where in the bid it is said). Items:

========================  ==================================================================
``staff_fte``             FTE delivering the contract [FTE]
``staff_cost_per_fte``    staff cost per FTE, pay with employer's NI and pension [£ a year]
``staff_costs``           or the staff costs in total [£ a year] (one of the two)
``staff_local_share``     share of the staff costs paid to staff living in the area [share]
``spending``              a spending line: ``category`` (as a case file's), ``amount`` [£ a
                          year] and ``local_share`` bought from suppliers in the area [share]
``overheads``             head-office or central charges, spent outside the area [£ a year]
``surplus``               surplus or profit [£ a year]
``surplus_local_share``   share of the surplus kept in the area [share] (a local charity's
                          reinvested surplus 1, a national firm's profit 0)
========================  ==================================================================

Every bid needs ``staff_fte``, a staff cost, ``staff_local_share``, ``overheads`` and ``surplus``
(write 0 where there are none), and ``surplus_local_share`` where the surplus is above 0: a
missing figure is an error naming the bid, never a silent zero. ``low``/``high`` give the range of
a share, or of the staff cost per FTE; of a spending line, its local share's. What a bid's
figures leave of the contract's value is unallocated and counts as leaving the area (said as a
check); figures above the value are an error.

A lots file (template ``lots.csv``) has one row per lot: ``lot``, ``value`` [£ a year], ``bids``
(the bidders for it, separated by ``;``), ``award`` (optional: who won it) and ``source``.

What is scored in a procurement is what a bidder commits to (local hires, local supply-chain
spending, staff living locally), not where it is based: these files hold commitments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from kil_io.appraisal.casestudy import CATEGORIES
from kil_io.errors import RecordsError
from kil_io.records.tables import Column, Layout, Problems, Sheet, parse_number, read_sheet, unused_note

BIDS = Layout(
    what="bids file",
    option="--bids",
    columns=(
        Column("bid", ("bidder", "bid name", "provider", "tenderer", "supplier")),
        Column("item", ("figure", "what", "line")),
        Column("amount", ("value", "number", "amount gbp")),
        Column("category", ("spending category", "category of spending"), required=False),
        Column("local_share", ("local share", "share local", "local"), required=False),
        Column("low", ("range low", "low end", "minimum"), required=False),
        Column("high", ("range high", "high end", "maximum"), required=False),
        Column("source", ("evidence", "reference", "where in the bid", "notes"), required=False),
    ),
)
LOTS = Layout(
    what="lots file",
    option="--lots",
    columns=(
        Column("lot", ("lot name", "name")),
        Column("value", ("amount", "lot value", "value gbp")),
        Column("bids", ("bidders", "bid", "bidder")),
        Column("award", ("awarded to", "winner"), required=False),
        Column("source", ("evidence", "reference", "notes"), required=False),
    ),
)
#: The items of a bid; the unit each amount is in.
ITEMS: Final = {
    "staff_fte": "FTE",
    "staff_cost_per_fte": "£ a year",
    "staff_costs": "£ a year",
    "staff_local_share": "share",
    "spending": "£ a year",
    "overheads": "£ a year",
    "surplus": "£ a year",
    "surplus_local_share": "share",
}
#: Items that may carry a range (``low``, ``high``).
RANGED: Final = ("staff_cost_per_fte", "staff_local_share", "surplus_local_share", "spending")
#: Figures a bid is made of, one each.
SINGLE: Final = tuple(i for i in ITEMS if i != "spending")
#: A bid's figures may exceed the contract's value by this share before it is an error (rounding in a bid).
OVER_TOLERANCE: Final = 0.005


@dataclass(frozen=True)
class BidFigure:
    """One figure of a bid: its value, optional range, and where it comes from (file, row, the bid's words)."""

    value: float
    source: str
    row: int
    low: float | None = None
    high: float | None = None
    category: str = ""
    local_share: float | None = None


@dataclass(frozen=True)
class Bid:
    """A bid as its file gives it (money [£ a year], staff [FTE], shares [share])."""

    name: str
    figures: dict[str, BidFigure]
    spending: tuple[BidFigure, ...]
    first_row: int

    def staff_costs(self) -> float:
        """Staff costs [£ a year]: given, or FTE x cost per FTE."""
        if "staff_costs" in self.figures:
            return self.figures["staff_costs"].value
        return self.figures["staff_fte"].value * self.figures["staff_cost_per_fte"].value

    def cost_per_fte(self) -> float:
        """Staff cost per FTE [£ a year]: given, or staff costs / FTE."""
        if "staff_cost_per_fte" in self.figures:
            return self.figures["staff_cost_per_fte"].value
        return self.figures["staff_costs"].value / self.figures["staff_fte"].value

    def committed(self) -> float:
        """Staff, spending, overheads and surplus together [£ a year]."""
        money = self.staff_costs() + sum(s.value for s in self.spending)
        return money + self.figures["overheads"].value + self.figures["surplus"].value


@dataclass(frozen=True)
class BidsFile:
    """The bids of one file, in its order (``unused``: what the file's columns the reader does not use are)."""

    path: Path
    rows: int
    bids: tuple[Bid, ...]
    unused: str = ""


@dataclass(frozen=True)
class LotRow:
    """One lot of a lots file."""

    name: str
    value: float
    bids: tuple[str, ...]
    award: str
    source: str


@dataclass(frozen=True)
class LotsFile:
    """The lots of one file, in its order (``unused``: what the file's columns the reader does not use are)."""

    path: Path
    rows: int
    lots: tuple[LotRow, ...]
    unused: str = ""


def _item(raw: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", raw.casefold()).strip("_")


def read_bids(path: str | Path, *, others: Sequence[Layout] = ()) -> BidsFile:
    """Read a bids file (see the module notes): every problem named by file, row, column and value.

    Raises
    ------
    RecordsError
        A missing column, an unknown item or category, a share outside [0, 1], a figure given twice or
        missing from a bid, a range that does not hold its value, fewer than two bids.
    """
    sheet = read_sheet(path, BIDS, others=(LOTS, *others))
    problems = Problems(sheet)
    found: dict[str, dict[str, BidFigure]] = {}
    spending: dict[str, list[BidFigure]] = {}
    first: dict[str, int] = {}
    for row, cells in sheet.rows:
        name = problems.text(row, cells, "bid")
        item_text = problems.text(row, cells, "item")
        if not name or not item_text:
            continue
        item = _item(item_text)
        if item not in ITEMS:
            problems.choice(row, "item", item_text, list(ITEMS), "bid item")
            continue
        first.setdefault(name, row)
        figure = _figure(problems, sheet, row, cells, name, item)
        if figure is None:
            continue
        if item == "spending":
            spending.setdefault(name, []).append(figure)
        elif item in found.setdefault(name, {}):
            problems.add(row, "item", item_text, f"is given twice for bid '{name}' (first on row "
                                                 f"{found[name][item].row})")  # fmt: skip
        else:
            found[name][item] = figure
    bids = []
    for name, row in first.items():
        figures = found.get(name, {})
        missing = [i for i in ("staff_fte", "staff_local_share", "overheads", "surplus") if i not in figures]
        if "staff_cost_per_fte" not in figures and "staff_costs" not in figures:
            missing.append("staff_cost_per_fte (or staff_costs)")
        if "staff_cost_per_fte" in figures and "staff_costs" in figures:
            problems.add(row, "item", None, f"bid '{name}' gives both staff_cost_per_fte and staff_costs: keep one")
        if figures.get("surplus") is not None and figures["surplus"].value > 0 and "surplus_local_share" not in figures:
            missing.append("surplus_local_share (its surplus is above 0)")
        if missing:
            problems.add(row, "bid", name, f"misses {', '.join(missing)} (write 0 where there are none)")
            continue
        if figures["staff_fte"].value <= 0:
            problems.add(figures["staff_fte"].row, "amount", figures["staff_fte"].value,
                         f"bid '{name}': staff_fte must be above 0")  # fmt: skip
            continue
        bids.append(Bid(name, figures, tuple(spending.get(name, ())), row))
    if not problems.errors and len(bids) < 2:
        problems.add(sheet.header_row, "bid", None, f"holds {len(bids)} bid(s); a tender compares two or more")
    problems.check()
    return BidsFile(sheet.path, len(sheet.rows), tuple(bids), unused_note(sheet))


def _figure(problems: Problems, sheet: Sheet, row: int, cells: tuple[Any, ...], bid: str, item: str
            ) -> BidFigure | None:  # fmt: skip
    unit = ITEMS[item]
    if unit == "share":
        value = problems.number(row, cells, "amount", what="a share between 0 and 1")
        if value is not None and value > 1:
            problems.add(row, "amount", sheet.cell(cells, "amount"), "is a share above 1 (write 0.85 for 85%)")
            return None
    elif unit == "FTE":
        value = problems.number(row, cells, "amount", what="a number of FTE")
    else:
        value = problems.money(row, cells, "amount")
    if value is None:
        return None
    given = problems.text(row, cells, "source", required=False)
    source = f"records: {sheet.path.name}, row {row}: bid '{bid}'" + (f", {given}" if given else "")
    category, local_share = "", None
    if item == "spending":
        category = problems.text(row, cells, "category")
        if category and category not in CATEGORIES:
            problems.choice(row, "category", category, sorted(CATEGORIES), "spending category")
            return None
        local_share = problems.number(row, cells, "local_share", what="a share between 0 and 1")
        if local_share is None:
            return None
        if local_share > 1:
            problems.add(row, "local_share", sheet.cell(cells, "local_share"), "is a share above 1")
            return None
    elif problems.text(row, cells, "category", required=False) or _filled(sheet, cells, "local_share"):
        problems.add(row, "category", None, f"category and local_share are for spending lines, not {item}")
        return None
    low, high = (parse_number(sheet.cell(cells, c)) for c in ("low", "high"))
    if _filled(sheet, cells, "low") or _filled(sheet, cells, "high"):
        ranged = local_share if item == "spending" else value
        if item not in RANGED:
            problems.add(row, "low", None, f"a range is for {', '.join(RANGED)} (of a spending line: its local "
                                           f"share), not {item}")  # fmt: skip
            return None
        if low is None or high is None or not low <= ranged <= high:  # type: ignore[operator]
            problems.add(row, "low", f"{sheet.cell(cells, 'low')}-{sheet.cell(cells, 'high')}",
                         f"is not a range [low, high] around {ranged:g}")  # fmt: skip
            return None
        if (unit == "share" or item == "spending") and not (0 <= low and high <= 1):
            problems.add(row, "high", high, "a share's range must lie in [0, 1]")
            return None
    return BidFigure(float(value), source, row, low, high, category, local_share)


def _filled(sheet: Sheet, cells: tuple[Any, ...], column: str) -> bool:
    value = sheet.cell(cells, column)
    return value is not None and str(value).strip() != ""


def read_lots(path: str | Path, bids: Sequence[str], *, others: Sequence[Layout] = ()) -> LotsFile:
    """Read a lots file (see the module notes), its bidders checked against the bids file's.

    Raises
    ------
    RecordsError
        A missing column, a value that is not an amount, a bidder or award not in the bids file, two lots of
        one name.
    """
    sheet = read_sheet(path, LOTS, others=(BIDS, *others))
    problems = Problems(sheet)
    lots: list[LotRow] = []
    for row, cells in sheet.rows:
        name = problems.text(row, cells, "lot")
        value = problems.money(row, cells, "value")
        bidders = tuple(b.strip() for b in re.split(r"[;|]", problems.text(row, cells, "bids")) if b.strip())
        unknown = [b for b in bidders if b not in bids]
        if unknown:
            problems.add(row, "bids", "; ".join(unknown), f"are not bids of the bids file ({'; '.join(bids)})")
        award = problems.text(row, cells, "award", required=False)
        if award and award not in bidders:
            problems.add(row, "award", award, f"did not bid for lot '{name}' ({'; '.join(bidders)})")
        if name and any(lot.name == name for lot in lots):
            problems.add(row, "lot", name, "is the name of another lot")
        if value is not None and value <= 0:
            problems.add(row, "value", value, "is not above £0")
        if name and value and bidders and not unknown:
            given = problems.text(row, cells, "source", required=False)
            source = f"records: {sheet.path.name}, row {row}: lot '{name}'" + (f", {given}" if given else "")
            lots.append(LotRow(name, value, bidders, award, source))
    if not sheet.rows:
        problems.add(sheet.header_row, "lot", None, "no lots below the headings")
    problems.check()
    return LotsFile(sheet.path, len(sheet.rows), tuple(lots), unused_note(sheet))


def check_value(bids: BidsFile, value: float) -> list[str]:
    """The checks of a bids file against the contract's value: unallocated £ of each bid, said as a sentence.

    Raises
    ------
    RecordsError
        A bid whose staff, spending, overheads and surplus add to more than the contract's value.
    """
    checks = []
    for bid in bids.bids:
        used = bid.committed()
        if used > value * (1 + OVER_TOLERANCE):
            raise RecordsError(
                f"{bids.path}: bid '{bid.name}' (from row {bid.first_row}) commits £{used:,.0f} of staff, spending, "
                f"overheads and surplus, more than the contract's £{value:,.0f}: check its figures or --value"
            )
        gap = value - used
        if gap > max(1.0, 0.01 * value):
            checks.append(f"{bids.path.name}: bid '{bid.name}' accounts for £{used:,.0f} of the £{value:,.0f} "
                          f"contract; the other £{gap:,.0f} ({gap / value:.1%}) is unallocated and counts as leaving "
                          "the area")  # fmt: skip
    return checks


__all__ = [
    "BIDS",
    "ITEMS",
    "LOTS",
    "Bid",
    "BidFigure",
    "BidsFile",
    "LotRow",
    "LotsFile",
    "check_value",
    "read_bids",
    "read_lots",
]
