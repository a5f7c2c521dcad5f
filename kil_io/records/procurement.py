"""A council's published "spend over £500" file -> the local share of its spending, weighted by £.

English councils publish every payment over £500 (Local Government Transparency Code 2015):
date, supplier, amount, service area and expense type, one row per payment. Supplier postcodes
come from a column of the file or from a second file (``supplier``, ``postcode``), as councils'
spend analyses (CLES's "Preston" method) match suppliers to addresses.

The local share is weighted by £, ``sum(amount_i * local_i) / sum(amount_i)``, overall, by
service area and by supplier. An average of shares is not the same figure: a service area with
£10,000 of spend, all local, and one with £990,000, none local, average 50% unweighted but
spend 1% locally. Both are reported, so they are never confused (Greater Manchester's ten
councils average 53.8% unweighted but 61.7% weighted). LM3's round 2 for the spend is the £
spent locally; the LM3 of two rounds is ``(R1 + R2) / R1`` with R1 the spend.

Payments whose supplier has no postcode (or an unknown one) count as not local and are listed by
row, with the £ behind them; nothing is dropped. A credit note nets with its own supplier's
payments, and must be placed where they are. A service area or expense type written in different
cases or spacings is one (``Adult Social Care`` and ``Adult social care``), shown as first
written. A column the reader does not use (``Expense Area`` where it reads ``service area``, a
transaction number) is named in an
:class:`~kil_io.errors.UnusedColumnWarning`, never ignored silently. An optional ``category`` (one of
:data:`kil_io.appraisal.CATEGORIES`, an IOAT code or the council's own words) or ``sic`` column is
kept for :mod:`kil_io.records.spend_impact`, which turns the local spend into local jobs and GVA.

References
----------
DCLG (2015). *Local Government Transparency Code 2015*, part 2, expenditure exceeding £500.
Sacks, J. (2002). *The Money Trail*. New Economics Foundation (LM3 rounds).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kil_io.errors import UnusedColumnWarning
from kil_io.records.areas import LocalArea
from kil_io.records.postcodes import PostcodeDirectory
from kil_io.records.staff import Unplaced
from kil_io.records.tables import Column, Layout, Problems, read_sheet, unused_note

SPEND = Layout(
    what="spend over £500 file",
    option="SPEND.csv",
    columns=(
        Column("date", ("payment date", "transaction date", "date paid", "invoice date", "paid date"), required=False),
        Column("supplier", ("supplier name", "payee", "vendor", "beneficiary", "creditor", "merchant", "vendor name")),
        Column(
            "amount",
            (
                "value",
                "net amount",
                "amount gbp",
                "total",
                "net",
                "gbp",
                "amount paid",
                "line amount",
                "amount excl vat",
                "amount excluding vat",
                "net value",
                "value excl vat",
                "transaction amount",
                "invoice amount",
                "payment amount",
            ),
        ),
        Column(
            "service_area",
            (
                "service area",
                "service",
                "department",
                "directorate",
                "service division",
                "service area categorisation",
                "portfolio",
            ),
            required=False,
        ),
        Column(
            "expense_type",
            (
                "expense type",
                "expenditure type",
                "expense category",
                "expenses type",
                "purpose",
                "account description",
                "subjective",
            ),
            required=False,
        ),
        Column("postcode", ("supplier postcode", "post code", "postal code"), required=False),
        Column(
            "category",
            ("spend category", "spending category", "procurement category", "kil io category"),
            required=False,
        ),
        Column("sic", ("sic code", "sic 2007", "sic2007", "sic07", "supplier sic"), required=False),
    ),
)
LOOKUP = Layout(
    what="supplier postcode lookup",
    option="--postcodes",
    columns=(
        Column("supplier", ("supplier name", "payee", "vendor", "beneficiary", "creditor", "vendor name")),
        Column("postcode", ("supplier postcode", "post code", "postal code", "location")),
    ),
)
#: Suppliers shown in the top suppliers table.
TOP = 10


def _key(supplier: str) -> str:
    return " ".join(supplier.casefold().split())


@dataclass(frozen=True)
class Procurement:
    """Where a council's spending went, for one area.

    Attributes
    ----------
    path : Path
    rows : int
    area : LocalArea
    payments : DataFrame
        One row per payment: ``row``, ``supplier``, ``amount`` [£], ``service_area``,
        ``expense_type``, ``postcode``, ``local`` (share of the supplier's place in the area) [share],
        ``category``, ``sic`` and ``date`` (as written; empty when the file has no such column).
    unplaced : tuple of Unplaced
        Payments whose supplier has no known place (counted as not local).
    unused : tuple of str
        The file's columns the reader does not use, as headed (each named in an
        :class:`~kil_io.errors.UnusedColumnWarning` when the file is read).
    """

    path: Path
    rows: int
    area: LocalArea
    payments: pd.DataFrame
    unplaced: tuple[Unplaced, ...]
    unused: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        """Spend in all payments [£]."""
        return float(self.payments["amount"].sum())

    @property
    def local_value(self) -> float:
        """Spend with suppliers in the area: LM3's round 2 [£]."""
        return float((self.payments["amount"] * self.payments["local"]).sum())

    @property
    def local_share(self) -> float:
        """Share of spend with suppliers in the area, weighted by £ [share]."""
        return self.local_value / self.total if self.total > 0 else 0.0

    def by(self, column: str) -> pd.DataFrame:
        """Spend [£], local spend [£], local share (by £) [share], payments and suppliers per value of ``column``."""
        p = self.payments.assign(local_spend=self.payments["amount"] * self.payments["local"])
        out = p.groupby(column, sort=False).agg(
            spend=("amount", "sum"), local_spend=("local_spend", "sum"), payments=("amount", "size"),
            suppliers=("supplier_key", "nunique"),
        )  # fmt: skip
        out["local_share"] = out["local_spend"] / out["spend"].where(out["spend"] > 0)
        return out.sort_values("spend", ascending=False)

    @property
    def by_service_area(self) -> pd.DataFrame:
        """:meth:`by` service area, largest spend first."""
        return self.by("service_area")

    @property
    def unweighted_share(self) -> float:
        """The plain mean of the service areas' local shares: not the local share, shown beside it [share]."""
        return float(self.by_service_area["local_share"].mean())

    @property
    def supplier_share(self) -> float:
        """Share of suppliers (by count, not £) that are in the area [share]."""
        per = self.payments.groupby("supplier_key")["local"].max()
        return float((per > 0.5).mean()) if len(per) else 0.0

    def top_suppliers(self, n: int = TOP) -> pd.DataFrame:
        """The ``n`` suppliers paid most: spend [£], local spend [£], local share [share], payments, postcode."""
        out = self.by("supplier_key").head(n)
        first = self.payments.drop_duplicates("supplier_key").set_index("supplier_key")
        out.insert(0, "postcode", first.loc[out.index, "postcode"].to_numpy())
        out.index = pd.Index(first.loc[out.index, "supplier"].to_numpy(), name="supplier")
        return out.drop(columns="suppliers")

    @property
    def lm3_round2(self) -> float:
        """LM3 of two rounds, ``(R1 + R2) / R1``: R1 the spend, R2 the part of it spent locally [ratio]."""
        return 1.0 + self.local_share


def _one_spelling(payments: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Each text written in several cases or spacings (``Adult Social Care``, ``adult social  care``) as its first."""
    out = payments.copy()
    for column in columns:
        keys = out[column].map(_key)
        first = dict(zip(keys[::-1], out[column][::-1], strict=True))  # the last write of a key is its first row's
        out[column] = keys.map(first)
    return out


def _check_credits(problems: Problems, payments: pd.DataFrame) -> None:
    """Record suppliers and service areas whose credit notes exceed their spending, or are placed apart from it.

    A credit note cancels its own supplier's invoices: each supplier's net spend [£], and the part of
    it that is local [£], must each lie between 0 and what it nets to. A service area that nets
    below £0 has no local share to show.
    """
    tolerance = 0.005  # half a penny
    local = payments["amount"] * payments["local"]
    for rows in payments.groupby("supplier_key", sort=False).groups.values():
        net, here = float(payments.loc[rows, "amount"].sum()), float(local[rows].sum())
        at = payments.loc[rows, "row"].tolist()
        where = f"rows {', '.join(map(str, at))}" if len(at) > 1 else f"row {at[0]}"
        name = payments.loc[rows[0], "supplier"]
        if net < -tolerance:
            problems.add(at[0], "amount", None, f"{name!r} ({where}) nets to £{net:,.2f}: its credit notes exceed "
                                                "its payments; check the signs")  # fmt: skip
        elif not -tolerance <= here <= net + tolerance:
            problems.add(at[0], "postcode", None, f"{name!r} ({where}) nets to £{net:,.2f}, but £{here:,.2f} of it "
                                                  "would be local: its credit notes and payments are in different "
                                                  "places; give a credit note its payment's postcode")  # fmt: skip
    for area, rows in payments.groupby("service_area", sort=False).groups.items():
        net = float(payments.loc[rows, "amount"].sum())
        if net < -tolerance:
            first = int(payments.loc[rows, "row"].min())
            problems.add(first, "service_area", area, f"nets to £{net:,.2f} over {len(rows)} payment(s): its credit "
                                                      "notes exceed its payments; check the signs")  # fmt: skip


def read_lookup(path: str | Path) -> dict[str, tuple[int, str]]:
    """A supplier -> postcode file: normalised supplier name -> (row, postcode as written).

    Raises
    ------
    RecordsError
        The wrong shape, an empty supplier, or a supplier given twice with different postcodes.
    """
    sheet = read_sheet(path, LOOKUP, others=(SPEND,))
    problems = Problems(sheet)
    out: dict[str, tuple[int, str]] = {}
    for row, cells in sheet.rows:
        supplier = problems.text(row, cells, "supplier")
        postcode = problems.text(row, cells, "postcode", required=False)  # empty: not known, reported per payment
        if not supplier or not postcode:
            continue
        key = _key(supplier)
        if key in out and " ".join(out[key][1].upper().split()) != " ".join(postcode.upper().split()):
            problems.add(row, "postcode", postcode, f"differs from row {out[key][0]}'s {out[key][1]!r} for the "
                                                    f"same supplier {supplier!r}")  # fmt: skip
            continue
        out.setdefault(key, (row, postcode))
    problems.check()
    return out


def read_procurement(
    path: str | Path,
    area: LocalArea,
    *,
    lookup: str | Path | None = None,
    directory: PostcodeDirectory | None = None,
) -> Procurement:
    """Read a spend over £500 file (``.csv`` or ``.xlsx``) and place each payment's supplier in or out of ``area``.

    Parameters
    ----------
    path : str or Path
        Columns: supplier, amount [£], and optionally date, service area, expense type, postcode,
        category and SIC code.
    area : LocalArea
    lookup : str or Path, optional
        Supplier -> postcode file, for files without postcodes (a postcode in the spend file wins).
    directory : PostcodeDirectory, optional

    Returns
    -------
    Procurement
        Payments in pounds [£], each with the share of its supplier's place in ``area`` [share].

    Warns
    -----
    UnusedColumnWarning
        The file has columns the reader does not use (named, with the heading to write where one
        looks like a column it lacks).

    Raises
    ------
    RecordsError
        The wrong shape (a file with no amount column is told which columns it has and needs);
        a file with neither a postcode column nor a lookup; an amount that is not
        £ or a place that is not a postcode, sector, district or authority (each naming the file,
        row, column and value); a supplier or service area whose credit notes exceed its payments, or
        a supplier's credit notes placed apart from its payments; no spending.
    """
    sheet = read_sheet(path, SPEND, others=(LOOKUP,))
    if sheet.unused:
        warnings.warn(unused_note(sheet), UnusedColumnWarning, stacklevel=2)
    problems = Problems(sheet)
    places = read_lookup(lookup) if lookup else {}
    if "postcode" not in sheet.positions and lookup is None:
        problems.add(sheet.header_row, "", None, "has no postcode column: give the suppliers' postcodes in a column "
                                                 "'postcode' or in a second file (--postcodes FILE)")  # fmt: skip
        problems.check()
    directory = directory or PostcodeDirectory()
    records, unplaced = [], []
    for row, cells in sheet.rows:
        supplier = problems.text(row, cells, "supplier")
        amount = problems.money(row, cells, "amount", negative=True)
        if not supplier or amount is None:
            continue
        given = problems.text(row, cells, "postcode", required=False)
        column = "postcode"
        if not given and _key(supplier) in places:
            given, column = places[_key(supplier)][1], "supplier (lookup)"
        share = 0.0
        if not given:
            unplaced.append(Unplaced(sheet.path, row, "postcode", "", amount, "no postcode in the file or the lookup: "
                                                                              "counted as not local"))  # fmt: skip
        else:
            where = directory.locate(given)
            if isinstance(where, str):
                problems.add(row, column, given, where)
                continue
            if where.found:
                share = area.share(where.shares)
            else:
                why = f"is not in the {directory.source}: counted as not local"
                unplaced.append(Unplaced(sheet.path, row, column, given, amount, why))
        records.append({
            "row": row, "supplier": supplier, "supplier_key": _key(supplier), "amount": amount,
            "service_area": problems.text(row, cells, "service_area", required=False) or "(no service area)",
            "expense_type": problems.text(row, cells, "expense_type", required=False) or "(no expense type)",
            "postcode": given, "local": share, "category": problems.text(row, cells, "category", required=False),
            "sic": problems.text(row, cells, "sic", required=False),
            "date": problems.text(row, cells, "date", required=False),
        })  # fmt: skip
    problems.check()
    columns = ["row", "supplier", "supplier_key", "amount", "service_area", "expense_type", "postcode", "local",
               "category", "sic", "date"]  # fmt: skip
    payments = _one_spelling(pd.DataFrame(records, columns=columns), ("service_area", "expense_type", "category"))
    _check_credits(problems, payments)
    if not len(payments) or payments["amount"].sum() <= 0:
        problems.add(sheet.header_row, "amount", None, "the payments add up to no spending (£0 or less)")
    problems.check()
    return Procurement(sheet.path, len(sheet.rows), area, payments, tuple(unplaced), sheet.unused)
