"""The Scottish Government's supply, use and input-output tables reader (IxI, wide files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from kil_io import limits
from kil_io.errors import NonNumericError, ReaderError
from kil_io.model.table import IOTable
from kil_io.readers.ons import ONS_CHECK_RTOL, normalise_label

#: The 98 IOC098 industries of the Scottish Government tables: column code of the wide files
#: (``IOC098_001`` ...) -> row code (``ioc098_sic``, the SIC 2007 range SG labels the row with),
#: as in SG's ``_SIC(2007)_to_IOC098.xlsx`` (``IOC098_long``, ``IOC098_SIC``; the build script checks).
SG_IOC098: Final[dict[str, str]] = {
    f"IOC098_{k:03d}": code
    for k, code in enumerate(
        (
            "01|02.1, 02.4|02.2-3|03.1|03.2|05|06-08|09|10.1|10.2-3|10.4-5|10.6|10.7|10.8|10.9|11.01-04|11.05-06|"
            "11.07|12|13|14|15|16|17|18|19, 20B|20.3|20.4|20.5|20AC|21|22|23.5-6|23OTHER|24.1-3|24.4-5|25|26|27|"
            "28|29|30|31|32|33|35.1|35.2-3|36, 37|38, 39|41-43|45|46|47|49.1-2|49.3-5|50|51|52|53|55|56|58|59, 60|"
            "61|62|63|64|65|66|68.1-2|68.2IMP|68.3|69.1|69.2|70|71|72|73|74|75|77|78|79|80|81|82|84|85|86|87, 88|"
            "90|91|92|93|94|95|96|97"
        ).split("|"),
        start=1,
    )
}
#: SG final-use variables (``_MetaData.xlsx``) and the kil_io category each becomes, in file order.
SG_FINAL_DEMAND: Final[dict[str, str]] = {
    "HOUSEHOLD": "households",
    "NPISH": "npish",
    "FD_CENGOV": "government_central",
    "FD_LOCGOV": "government_local",
    "GFCF": "gfcf",
    "VALUABLES": "valuables",
    "INVENTORIES": "inventories",
    "EXPORTS_NONRES": "exports_non_residents",
    "EXPORTS_RUK": "exports_rest_of_uk",
    "EXPORTS_ROW": "exports_rest_of_world",
}
#: SG rows (``ioc098_sic``) below the industries that become primary inputs, in file order.
SG_PRIMARY: Final[dict[str, str]] = {
    "RUKImp": "imports_rest_of_uk",
    "RoWImp": "imports",
    "TlSPrds": "product_taxes",
    "TlSPrdn": "production_taxes",
    "CoE": "compensation_of_employees",
    "GOS": "gross_operating_surplus",
}
#: Totals of the wide file -> their parts: columns, then rows. Checked, never kept. ``TOT_IU``
#: (total intermediate use) and ``TDU`` (total domestic use) add up the industries.
SG_TOTALS: Final[dict[str, tuple[str, ...]]] = {
    "TOT_FC": ("HOUSEHOLD", "NPISH", "FD_CENGOV", "FD_LOCGOV"),
    "TOT_GCF": ("GFCF", "VALUABLES", "INVENTORIES"),
    "TOT_EXPORTS": ("EXPORTS_NONRES", "EXPORTS_RUK", "EXPORTS_ROW"),
    "TOT_FUSE": ("TOT_FC", "TOT_GCF", "TOT_EXPORTS"),
    "TOT_USE": ("TOT_IU", "TOT_FUSE"),
    "TIU": ("TDU", "RUKImp", "RoWImp"),
    "GVA": ("TlSPrdn", "CoE", "GOS"),
    "TOut": ("TIU", "TlSPrds", "GVA"),
}
#: Rows with final-use cells; the value-added rows after them fill the industry columns and TOT_IU only.
_SG_FULL_ROWS: Final = ("TDU", "RUKImp", "RoWImp", "TIU", "TlSPrds")
_SG_SHORT_ROWS: Final = ("TlSPrdn", "CoE", "GOS", "GVA", "TOut")
#: Balance tolerance of the SG tables (relative to output). SG's columns balance to 1e-16, but row
#: ``06-08`` (oil & gas extraction, metal ores & other mining) has total use above output in almost
#: every year of the 2022 release: by 2.6e-6 of output in 2019 (£0.0014m of £547.6m), 1.4e-5 at most
#: (2008); every other industry is within 1e-6. 2e-5 admits that and still catches a typo of
#: £0.01m in that industry.
SG_BALANCE_RTOL: Final = 2e-5


def read_sg_iot(
    path: str | Path,
    year: int,
    *,
    area: str = "Scotland",
    industries: dict[str, str] | None = None,
    balance_rtol: float = SG_BALANCE_RTOL,
) -> IOTable:
    """Read one year of the Scottish Government domestic industry-by-industry table (``IxI_wide.xlsx``).

    The wide file stacks every year (1998-2019 in the 2022 release) under one header row:
    ``table, pubdate, year, ioc098_sic, ioc098_short_description``, the industry columns
    ``IOC098_001`` ... ``IOC098_098``, then the final-use columns. Rows are found by their
    ``ioc098_sic`` code and columns by name, never by position; every total the file publishes
    (:data:`SG_TOTALS`, ``TOT_IU``, ``TDU``) is checked against its parts to :data:`ONS_CHECK_RTOL`,
    and each industry's total use ``TOT_USE`` against its output ``TOut`` to ``balance_rtol``.

    Parameters
    ----------
    path : str or Path
        SG's ``IxI_wide.xlsx`` (first sheet).
    year : int
        Year to read.
    area : str
        Area label of the table.
    industries : dict, optional
        Column code -> row code of each industry, in table order; :data:`SG_IOC098` by default.
    balance_rtol : float
        Tolerance of the row balance (``TOT_USE`` vs ``TOut``), a fraction of output, kept as the
        table's ``balance_rtol``; see :data:`SG_BALANCE_RTOL` for the gaps SG's tables have [ratio].

    Returns
    -------
    IOTable
        Sectors ``IOC098_001`` ... named by SG's short descriptions; final demand named by
        :data:`SG_FINAL_DEMAND`; primary inputs by :data:`SG_PRIMARY` (imports from the rest of
        the UK and of the world are primary inputs); output ``TOut``; ``balance_rtol`` as given;
        current basic prices [£m].

    Raises
    ------
    ReaderError
        Missing or unreadable file; not an SG wide file; not the industry-by-industry table
        (column ``table`` is not ``IxI``); no rows for ``year`` (lists the years there are); a
        row or column missing, repeated or unexpected; a published total off its parts by more
        than :data:`ONS_CHECK_RTOL` (relative, on a scale floored at £1m), or total use off output
        by more than ``balance_rtol``.
    NonNumericError
        An empty or non-numeric cell where the table has a value (names the cell).

    References
    ----------
    Scottish Government (2022). *Supply, Use and Input-Output Tables 1998-2019*,
    statistics.gov.scot data files: ``IxI_wide.xlsx``, ``_MetaData.xlsx``.

    Examples
    --------
    >>> table = read_sg_iot("../shared/data-raw/sg-io-1998-2019/IxI_wide.xlsx", 2019)  # doctest: +SKIP
    >>> table.n, round(table.output.sum(), 2)  # doctest: +SKIP
    (98, 268339.62)
    """
    path = Path(path)
    industries = dict(SG_IOC098 if industries is None else industries)
    ind, ind_rows = list(industries), list(industries.values())
    cells, rows, span = _sg_year_rows(path, year)
    expected = [*ind_rows, *_SG_FULL_ROWS, *_SG_SHORT_ROWS]
    if sorted(rows) != sorted(expected):
        raise ReaderError(
            f"{path}: year {year} rows (ioc098_sic) differ from the IxI layout: missing "
            f"{[r for r in expected if r not in rows][:5]}, unexpected {[r for r in rows if r not in expected][:5]}"
        )
    cols = [*ind, "TOT_IU", *SG_FINAL_DEMAND, *(t for t in SG_TOTALS if t.startswith("TOT_"))]
    if absent := [c for c in cols if c not in cells.columns]:
        raise ReaderError(f"{path}: columns {absent[:5]} missing; expected the SG IxI wide layout")
    full = [*ind_rows, *_SG_FULL_ROWS]
    M = pd.DataFrame(np.nan, index=expected, columns=cols)  # the value-added x final-use corner is blank
    M.loc[full, :] = _sg_numbers(path, cells, rows, full, cols)
    M.loc[list(_SG_SHORT_ROWS), [*ind, "TOT_IU"]] = _sg_numbers(path, cells, rows, _SG_SHORT_ROWS, [*ind, "TOT_IU"])
    # each row's own totals first, then the column sums (TDU, TIU, GVA, TOut) that build on them
    checks = [("row", expected, "TOT_IU", ind)]
    checks += [("row", full, total, list(parts)) for total, parts in SG_TOTALS.items() if total.startswith("TOT_")]
    checks.append(("column", cols, "TDU", ind_rows))
    for total in ("TIU", "GVA", "TOut"):
        checks.append(("column", cols if total == "TIU" else cols[: len(ind) + 1], total, list(SG_TOTALS[total])))
    for by, lines, total, parts in checks:
        frame = M if by == "row" else M.T
        what = " + ".join(parts) if len(parts) < 10 else f"the sum of the {len(parts)} industries"
        at = [(s, total) if by == "row" else (total, s) for s in lines]
        _sg_check(path, cells, rows, at, frame.loc[lines, parts].sum(axis=1), frame.loc[lines, total], what)
    at = [(r, "TOT_USE") for r in ind_rows]  # an industry's total use must equal its output
    _sg_check(path, cells, rows, at, M.loc["TOut", ind], M.loc[ind_rows, "TOT_USE"], "the column's output 'TOut'",
              balance_rtol)  # fmt: skip

    idx = pd.Index(ind, name="sector")
    pubdate = normalise_label(cells.at[rows[ind_rows[0]], "pubdate"]) if "pubdate" in cells.columns else "n/a"
    return IOTable.from_frames(
        pd.DataFrame(M.loc[ind_rows, ind].to_numpy(), index=idx, columns=idx),
        pd.DataFrame(M.loc[ind_rows, list(SG_FINAL_DEMAND)].to_numpy(), index=idx, columns=[*SG_FINAL_DEMAND.values()]),
        pd.DataFrame(M.loc[list(SG_PRIMARY), ind].to_numpy(), index=[*SG_PRIMARY.values()], columns=idx),
        output=pd.Series(M.loc["TOut", ind].to_numpy(), index=idx),
        names=[normalise_label(cells.at[rows[r], "ioc098_short_description"]) for r in ind_rows],
        area=area,
        year=year,
        source=(
            f"Scottish Government Supply, Use and Input-Output Tables {span} (published {pubdate}), domestic "
            f"industry-by-industry table at basic prices, {year} ({path.name})"
        ),
        balance_rtol=balance_rtol,
        metadata={
            "publisher": "Scottish Government",
            "licence": "Open Government Licence v3.0",
            "file": path.name,
            "prices": "current prices, basic prices; domestic use (imports from the rest of the UK and of the "
            "world are primary inputs)",
        },
    )


def _sg_year_rows(path: Path, year: int) -> tuple[pd.DataFrame, dict[str, int], str]:
    """The sheet (header = sheet row 1), ``{ioc098_sic code: frame row}`` for ``year``, the file's years."""
    # through kil_io.limits: size on disk, expanded XML and cells bounded before and while reading
    rows = limits.read_xlsx(limits.check_file(path, what="file"), sheet=0, what="SG workbook")
    if not rows:
        raise ReaderError(f"{path}: the first sheet is empty; expected the SG IxI wide file")
    width = max(len(r) for r in rows)
    cells = pd.DataFrame([[*r, *[None] * (width - len(r))] for r in rows[1:]], columns=range(width), dtype=object)
    cells.columns = [*rows[0], *[None] * (width - len(rows[0]))]
    cells.columns = [normalise_label(c) for c in cells.columns]
    ids = ["table", "year", "ioc098_sic", "ioc098_short_description"]
    if missing := [c for c in ids if c not in cells.columns]:
        raise ReaderError(
            f"{path}: columns {missing} missing from the header row; expected a Scottish Government Supply, "
            f"Use and Input-Output 'wide' file (columns {ids}, ...)"
        )
    if (tables := sorted({normalise_label(t) for t in cells["table"]})) != ["IxI"]:
        raise ReaderError(f"{path}: column 'table' holds {tables}; expected 'IxI' (the SG file IxI_wide.xlsx)")
    years = pd.to_numeric(cells["year"], errors="coerce")
    found = sorted(int(y) for y in years.dropna().unique())
    span = f"{found[0]}-{found[-1]}" if found else "none"
    if not (here := years == year).any():
        raise ReaderError(f"{path}: no rows for year {year!r}; years in the file: {span} ({len(found)} years)")
    codes = cells.loc[here, "ioc098_sic"].map(normalise_label)
    if dup := sorted(set(codes[codes.duplicated()])):
        raise ReaderError(f"{path}: year {year} has repeated ioc098_sic rows {dup[:5]}")
    return cells, {code: i for i, code in codes.items()}, span


def _sg_cell(cells: pd.DataFrame, row: int, column: str) -> str:
    from openpyxl.utils import get_column_letter

    return f"cell {get_column_letter(cells.columns.get_loc(column) + 1)}{row + 2}"  # +2: header is sheet row 1


def _sg_numbers(path: Path, cells: pd.DataFrame, rows: dict[str, int], rk: Any, ck: list[str]) -> np.ndarray:
    raw = cells.loc[[rows[r] for r in rk], ck]
    values = raw.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(values) | raw.map(lambda v: isinstance(v, bool)).to_numpy()
    if bad.any():
        i, j = np.argwhere(bad)[0]
        shown = "an empty cell" if normalise_label(raw.iat[i, j]) == "" else repr(raw.iat[i, j])
        raise NonNumericError(
            f"{path}: row '{rk[i]}', column '{ck[j]}' ({_sg_cell(cells, raw.index[i], ck[j])}) is {shown}, "
            f"not a finite number ({int(bad.sum())} such cells)"
        )
    return values


def _sg_check(path: Path, cells: pd.DataFrame, rows: dict[str, int], at: list[tuple[str, str]],
              computed: pd.Series, published: pd.Series, what: str, rtol: float = ONS_CHECK_RTOL) -> None:  # fmt: skip
    """Raise if a published total (cell ``at[k]`` = (row code, column)) is off the value computed from its parts."""
    a, b = computed.to_numpy(), published.to_numpy()
    gap = a - b
    bad = np.flatnonzero(np.abs(gap) > rtol * np.maximum(np.maximum(np.abs(a), np.abs(b)), 1))
    if bad.size:
        j = bad[np.argmax(np.abs(gap[bad]))]
        r, c = at[j]
        raise ReaderError(
            f"{path}: totals disagree at row '{r}', column '{c}' ({_sg_cell(cells, rows[r], c)}): published "
            f"{b[j]:,.6f} £m but {what} = {a[j]:,.6f} (gap {gap[j]:+,.6g}, tolerance {rtol:g} relative; "
            f"{bad.size} such disagreements)"
        )
