r"""The ONS UK Input-Output Analytical Tables reader.

* :func:`read_ons_iot` reads the ``IOT`` sheet of the ONS UK Input-Output Analytical
  Tables (domestic use at basic prices, £ million), industry by industry or product by
  product, 2010-2023, from the ``.xlsx`` or ``.xls`` workbook or from a CSV dump of that
  sheet. Rows and columns are found by their ONS codes, or by their labels where an
  edition has none (:mod:`kil_io.readers.ons_layout`), never by position, and every total
  the sheet publishes is checked against the cells it adds up.
  kil_io's own compact CSV format is in :mod:`kil_io.readers.tablecsv`.

Codes and names pass through :func:`normalise_label`: surrounding whitespace, including
non-breaking spaces, is removed and inner runs of whitespace become one space, so ONS's
``"F41, F42  & F43"`` becomes ``"F41, F42 & F43"``; ``"Q87 & Q88"`` is unchanged. The
rule is the same for every edition, so the 2019, 2020 and 2022 tables share one code set
(2023 combines ``C254`` and ``C25OTHER`` into ``C25``).

A negative intermediate flow (2023: ``L68A`` buys -£20,771m of ``K64``) is read the way ONS
reads it (``negative_flows="exclude"``, :mod:`kil_io.model.negative`): its buyer stays in the
table and is left out of the Leontief system, with a
:class:`~kil_io.errors.NegativeFlowWarning` naming the cell; ``negative_flows="raise"``
refuses it.

Every file that cannot be read as expected raises :class:`~kil_io.errors.ReaderError`
(a missing one :class:`~kil_io.errors.MissingFileError`, also a ``FileNotFoundError``).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from kil_io import limits
from kil_io.errors import LabelError, NegativeFlowError, NegativeFlowWarning, ReaderError
from kil_io.model.negative import NegativeFlows, check_negative_flows, outside_note
from kil_io.model.table import IOTable
from kil_io.readers.ons_layout import (
    CODED_FINAL_DEMAND,
    KNOWN_EDITIONS,
    ONS_SHEET,
    Layout,
    Sheet,
    find_layout,
    load_sheet,
    normalise_label,
)

#: ONS final-demand column codes and the kil_io category each becomes, in table order.
#: ``P3 S1`` (= S13 + S14 + S15) and ``TU`` (total use) are totals: checked, not kept.
ONS_FINAL_DEMAND: Final[dict[str, str]] = CODED_FINAL_DEMAND  # final-use code -> kil_io category
#: Rows without a code in the ONS sheet, found by the start of their label.
ONS_PRIMARY_LABELS: Final[dict[str, str]] = {
    "Use of imported products": "imports",
    "Taxes less subsidies on products": "product_taxes",
}
#: ONS value-added row codes and the kil_io primary input each becomes.
ONS_PRIMARY_CODES: Final[dict[str, str]] = {
    "D1": "compensation_of_employees",
    "GOS & MI": "gross_operating_surplus",
    "D29-D39": "production_taxes",
}
#: Industries ONS's 2023 edition combines (for disclosure, Menu sheet note 3): code of the 2019-2022
#: editions -> the 2023 code that holds it. Employment on the older list sums onto the newer one.
ONS_COMBINED: Final[dict[str, str]] = {"C254": "C25", "C25OTHER": "C25"}
#: Relative tolerance of the checks against the sheet's own totals, on a scale floored
#: at £1m (ONS tables balance to about 1e-15 of the totals).
ONS_CHECK_RTOL: Final = 1e-6
#: The layout's keys of the primary-input rows and the kil_io primary input each becomes.
_PRIMARY: Final[dict[str, str]] = {
    "imports": "imports",
    "product_taxes": "product_taxes",
    "D1": "compensation_of_employees",
    "GOS": "gross_operating_surplus",
    "D29-D39": "production_taxes",
}
__all__ = [
    "KNOWN_EDITIONS", "ONS_CHECK_RTOL", "ONS_COMBINED", "ONS_FINAL_DEMAND", "ONS_PRIMARY_CODES", "ONS_PRIMARY_LABELS",
    "ONS_SHEET", "normalise_label", "read_ons_iot",
]  # fmt: skip


def _sheet_year(sheet: Sheet, header_row: int, year: int | None) -> int:
    pattern = re.compile(r"((?:19|20)\d\d) Input-Output Analytical Tables")
    found = {int(m[1]) for row in sheet.labels[:header_row] for text in row if (m := pattern.match(text))}
    if year is None:
        if len(found) != 1:
            raise ReaderError(f"{sheet.path}: no single year in the title rows (found {sorted(found)}); pass year=")
        return found.pop()
    if found and found != {year}:
        raise ReaderError(f"{sheet.path}: year={year} given but the sheet's title says {sorted(found)}")
    return year


def _basis(sheet: Sheet, header_row: int) -> str:
    """``"product by product"`` or ``"industry by industry"``, as the title rows say (the latter by default)."""
    title = " ".join(v.lower() for row in sheet.labels[:header_row] for v in row)
    return "product by product" if "product by product" in title else "industry by industry"


def read_ons_iot(
    path: str | Path,
    *,
    year: int | None = None,
    area: str = "UK",
    employment: pd.Series | None = None,
    negative_flows: NegativeFlows = "exclude",
) -> IOTable:
    """Read the ``IOT`` sheet of the ONS UK Input-Output Analytical Tables, any edition 2010-2023.

    Parameters
    ----------
    path : str or Path
        The ONS workbook (``.xlsx`` or ``.xls``, sheet ``IOT``) or a CSV dump of that sheet;
        industry by industry or product by product (:data:`KNOWN_EDITIONS`).
    year : int, optional
        Year of the table; read from the title ("2022 Input-Output Analytical Tables")
        when omitted, checked against it when given.
    area : str
        Area label of the table.
    employment : Series, optional
        Full-time equivalents by sector code, in any order; the codes must be the sheet's codes
        after :func:`normalise_label` [FTE].
    negative_flows : {"exclude", "raise"}
        A negative intermediate flow: ``"exclude"`` (default) reads it as ONS does, its buyer kept
        in the table and left out of the Leontief system (:mod:`kil_io.model.negative`), with a
        warning naming the cell; ``"raise"`` refuses the table.

    Returns
    -------
    IOTable
        Industries (or products) in sheet order, codes as the sheet writes them (105 industries
        in the 2019-2022 editions, 104 in 2023, ``CPA_A01`` ... in 2017 product by product,
        ``01`` ... ``94n`` in 2015); final demand named by :data:`ONS_FINAL_DEMAND` (the
        2010-2016 editions' labels by :data:`kil_io.readers.ons_layout.LABELLED_COLUMNS`, e.g.
        ``government_central``, ``exports_services_eu``); primary inputs ``imports``,
        ``product_taxes``, ``compensation_of_employees``, ``gross_operating_surplus``,
        ``production_taxes``; output = ``P1``; current prices, basic prices [£m];
        ``metadata["basis"]`` says industry or product by product.

    Raises
    ------
    ReaderError
        Missing file, unsupported file type, no sheet ``IOT``, a layout of no known edition
        (naming the sheet, the cell where a code was expected and the editions known), codes
        not found or duplicated, or a published total (``_T`` row and column, ``P3 S1``,
        ``TU``/``TD``, ``GVA``, ``P1``) off the cells it adds up by more than :data:`ONS_CHECK_RTOL`.
    NonNumericError
        A table cell that is empty or not a number (names the cell and its codes).
    NegativeFlowError
        A negative intermediate flow with ``negative_flows="raise"`` (names the cell).
    LabelError
        ``employment`` codes that differ from the sheet's.

    Warns
    -----
    NegativeFlowWarning
        A negative intermediate flow read with ``negative_flows="exclude"``: the sector left out.

    References
    ----------
    ONS, *UK input-output analytical tables: industry by industry* (and *product by product*),
    sheet ``IOT``; 2023 edition, Menu sheet, notes 3 (C25) and 4 (L68A).

    Examples
    --------
    >>> table = read_ons_iot("../shared/data-raw/ons-ioat-2022-ixi/iot_sheet.csv")  # doctest: +SKIP
    >>> round(table.output.sum())  # doctest: +SKIP
    4548357
    """
    path = Path(path)
    negative_flows = check_negative_flows(negative_flows)
    sheet = load_sheet(path)
    lay = find_layout(sheet)
    year = _sheet_year(sheet, lay.header_row, year)
    ind, fd = lay.industries, list(lay.final_demand)
    n = len(ind)
    rk = [*ind, "_T", *_PRIMARY, *(["GVA"] if "GVA" in lay.rows else []), "P1"]
    ck = [*ind, "_T", *(["P3 S1"] if "P3 S1" in lay.cols else []), *fd, "TU"]
    M = pd.DataFrame(np.nan, index=rk, columns=ck)  # the value-added x final-demand corner is not read
    M.iloc[: n + 1, :] = sheet.block(lay.rows, lay.cols, rk[: n + 1], ck)
    M.iloc[n + 1 :, : n + 1] = sheet.block(lay.rows, lay.cols, rk[n + 1 :], ck[: n + 1])
    _cross_check(sheet, M, lay)
    _nothing_outside(sheet, max(lay.rows[r] for r in rk), max(lay.cols[c] for c in ck))
    Z = M.loc[ind, ind].to_numpy()
    if negative_flows == "raise" and (Z < 0).any():
        i, j = np.argwhere(Z < 0)[0]
        raise NegativeFlowError(
            f"{path}: Z cell (supplier '{ind[i]}', buyer '{ind[j]}') is {Z[i, j]:g} £m "
            f"({sheet.where(lay.rows[ind[i]], lay.cols[ind[j]])}); it must be non-negative ({(Z < 0).sum()} negative "
            "cells); negative_flows='exclude' keeps it, outside the Leontief system (ONS's rule)"
        )

    idx = pd.Index(ind, name="sector")
    if employment is not None:
        got = [normalise_label(s) for s in employment.index]
        if sorted(got) != sorted(ind):
            raise LabelError(
                f"{path}: employment codes differ from the sheet's: not in the sheet "
                f"{sorted(set(got) - set(ind))[:5]}, missing {sorted(set(ind) - set(got))[:5]}"
            )
        employment = pd.Series(employment.to_numpy(), index=got).reindex(idx)
    basis = _basis(sheet, lay.header_row)
    table = IOTable.from_frames(
        pd.DataFrame(Z, index=idx, columns=idx),
        pd.DataFrame(M.loc[ind, fd].to_numpy(), index=idx, columns=fd),
        pd.DataFrame(M.loc[list(_PRIMARY), ind].to_numpy(), index=list(_PRIMARY.values()), columns=idx),
        output=pd.Series(M.loc["P1", ind].to_numpy(), index=idx),
        employment=employment,
        names={s: sheet.labels[lay.rows[s]][lay.code_col + 1] for s in ind},
        area=area,
        year=year,
        source=f"ONS UK Input-Output Analytical Tables {year}, {basis}, sheet {ONS_SHEET} ({path.name})",
        metadata={
            "publisher": "Office for National Statistics (ONS)",
            "licence": "Open Government Licence v3.0",
            "file": path.name,
            "basis": basis,
            "prices": "current prices, basic prices; domestic use",
        },
        negative_flows=negative_flows,
    )
    if table.excluded:
        note = outside_note(table.sectors, table.Z, table.units)
        warnings.warn(f"{path.name}: table {table.label}: {note}", NegativeFlowWarning, stacklevel=2)
    return table


def _nothing_outside(sheet: Sheet, last_row: int, last_col: int) -> None:
    """Refuse cells filled below or right of the table: data kil_io would otherwise silently ignore."""
    for r, row in enumerate(sheet.labels):
        start = 0 if r > last_row else last_col + 1
        filled = [c for c in range(start, len(row)) if row[c]]
        if filled:
            count = sum(bool(v) for row in sheet.labels[r:] for v in row[0 if r > last_row else last_col + 1 :])
            raise ReaderError(
                f"{sheet.path}: {sheet.where(r, filled[0])} holds {limits.excerpt(sheet.cells[r, filled[0]])} "
                f"outside the table (which ends at {sheet.where(last_row, last_col)}); about {count:,} such cells. "
                "kil_io reads only the table: remove what is beside or below it"
            )


def _cross_check(sheet: Sheet, M: pd.DataFrame, lay: Layout) -> None:
    """Check every total the sheet publishes against the cells it adds up."""
    ind, rows, cols = lay.industries, lay.rows, lay.cols
    both = [*ind, "_T"]
    fd = list(lay.final_demand)
    value_added = ["D1", "GOS", "D29-D39"]
    consumption = ["government", "households", "npish"]
    uses = ["_T", "P3 S1", *(k for k in fd if k not in consumption)] if "P3 S1" in cols else ["_T", *fd]
    checks: list[tuple[str, list[str], str, list[str]]] = [
        ("row", both, "_T", ind),
        ("row", both, "TU", uses),
        ("row", list(M.index[len(both) :]), "_T", ind),
        ("column", list(M.columns), "_T", ind),
        ("column", both, "P1", ["_T", "imports", "product_taxes", *(["GVA"] if "GVA" in rows else value_added)]),
    ]
    if "P3 S1" in cols:
        checks.insert(1, ("row", both, "P3 S1", consumption))
    if "GVA" in rows:
        checks.insert(-1, ("column", both, "GVA", value_added))
    for by, lines, target, terms in checks:
        frame, other = (M, "column") if by == "row" else (M.T, "row")
        many = terms is ind and len(terms) >= 10
        formula = f"sum of the {len(terms)} industry {other}s" if many else " + ".join(map(lay.show, terms))
        cells = [(rows[s], cols[target]) if by == "row" else (rows[target], cols[s]) for s in lines]
        _report(sheet, [f"{by} '{lay.show(s)}'" for s in lines], frame.loc[lines, terms].to_numpy().sum(axis=1),
                frame.loc[lines, target].to_numpy(), cells, formula, f"{other} '{lay.show(target)}'")  # fmt: skip
    _report(sheet, [f"industry '{s}'" for s in both], M.loc[both, "TU"].to_numpy(), M.loc["P1", both].to_numpy(),
            [(rows["P1"], cols[s]) for s in both], f"column '{lay.show('TU')}' (total use)",
            f"row '{lay.show('P1')}' (output)")  # fmt: skip


def _report(sheet: Sheet, lines: list[str], computed: np.ndarray, published: np.ndarray,
            cells: list[tuple[int, int]], formula: str, total: str) -> None:  # fmt: skip
    gap = computed - published
    bad = np.flatnonzero(np.abs(gap) > ONS_CHECK_RTOL * np.maximum(np.maximum(abs(computed), abs(published)), 1))
    if bad.size:
        j = bad[np.argmax(np.abs(gap[bad]))]
        raise ReaderError(
            f"{sheet.path}: totals disagree at {lines[j]}: {formula} = {computed[j]:,.6f} but {total} = "
            f"{published[j]:,.6f} £m ({sheet.where(*cells[j])}; gap {gap[j]:+,.6g}, tolerance "
            f"{ONS_CHECK_RTOL:g} relative; {bad.size} such disagreements)"
        )
