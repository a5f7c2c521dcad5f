r"""The ONS UK Input-Output Analytical Tables reader.

* :func:`read_ons_iot` reads the ``IOT`` sheet of the ONS UK Input-Output Analytical
  Tables (industry by industry, domestic use at basic prices, £ million) from the xlsx
  workbook or from a CSV dump of that sheet. Rows and columns are found by their ONS
  codes (two rows without a code by their label), never by position, and every total
  the sheet publishes is checked against the cells it adds up.
  kil_io's own compact CSV format is in :mod:`kil_io.readers.tablecsv`.

Codes and names pass through :func:`normalise_label`: surrounding whitespace, including
non-breaking spaces, is removed and inner runs of whitespace become one space, so ONS's
``"F41, F42  & F43"`` becomes ``"F41, F42 & F43"``; ``"Q87 & Q88"`` is unchanged. The
rule is the same for every edition, so the 2019, 2020 and 2022 tables share one code set.

Every file that cannot be read as expected raises :class:`~kil_io.errors.ReaderError`
(a missing one :class:`~kil_io.errors.MissingFileError`, also a ``FileNotFoundError``).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from kil_io import limits
from kil_io.errors import LabelError, NonNumericError, ReaderError
from kil_io.model.table import IOTable

#: ONS final-demand column codes and the kil_io category each becomes, in table order.
#: ``P3 S1`` (= S13 + S14 + S15) and ``TU`` (total use) are totals: checked, not kept.
ONS_FINAL_DEMAND: Final[dict[str, str]] = {
    "P3 S13": "government",
    "P3 S14": "households",
    "P3 S15": "npish",
    "P51G": "gfcf",
    "P52": "inventories",
    "P53": "valuables",
    "P61EU": "exports_goods_eu",
    "P61RW": "exports_goods_row",
    "P62": "exports_services",
}
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
ONS_SHEET: Final = "IOT"
#: Relative tolerance of the checks against the sheet's own totals, on a scale floored
#: at £1m (ONS tables balance to about 1e-15 of the totals).
ONS_CHECK_RTOL: Final = 1e-6
_COLUMN_CODES: Final = frozenset({"_T", "P3 S1", "TU", *ONS_FINAL_DEMAND})
_ROW_CODES: Final = frozenset({"_T", "GVA", "P1", *ONS_PRIMARY_CODES})


def normalise_label(value: Any) -> str:
    r"""Strip a code or name and collapse inner whitespace (non-breaking spaces included).

    Parameters
    ----------
    value : Any
        A cell value; ``None`` and NaN become ``""``.

    Returns
    -------
    str

    Examples
    --------
    >>> normalise_label("F41, F42  & F43")
    'F41, F42 & F43'
    >>> normalise_label("Forestry And Logging \xa0")
    'Forestry And Logging'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return " ".join(str(value).split())


class _Sheet:
    """A sheet as a grid of raw cells, naming cells the way the file does."""

    def __init__(self, path: Path, cells: pd.DataFrame, kind: str) -> None:
        self.path, self.kind = path, kind
        self.cells = cells.to_numpy(dtype=object)
        self.labels = [[normalise_label(v) for v in row] for row in self.cells]

    def where(self, r: int, c: int) -> str:
        if self.kind == "xlsx":
            from openpyxl.utils import get_column_letter

            return f"cell {get_column_letter(c + 1)}{r + 1} of sheet '{ONS_SHEET}'"
        return f"line {r + 1}, field {c + 1}"

    def number(self, r: int, c: int, what: str) -> float:
        raw, value = self.cells[r, c], math.nan
        if isinstance(raw, int | float | np.integer | np.floating) and not isinstance(raw, bool | np.bool_):
            value = float(raw)
        elif isinstance(raw, str):
            try:
                value = float(raw)
            except ValueError:
                pass
        if not math.isfinite(value):
            shown = "an empty cell" if normalise_label(raw) == "" else repr(raw)
            raise NonNumericError(f"{self.path}: {what} ({self.where(r, c)}) is {shown}, not a finite number")
        return value

    def block(self, rows: dict[str, int], cols: dict[str, int], rk: list[str], ck: list[str]) -> np.ndarray:
        out = np.empty((len(rk), len(ck)))
        for i, r in enumerate(rk):
            for j, c in enumerate(ck):
                out[i, j] = self.number(rows[r], cols[c], f"row '{r}', column '{c}'")
        return out

    def once(self, cells: list[tuple[int, int]], what: str) -> tuple[int, int]:
        if len(cells) != 1:
            found = ", ".join(self.where(r, c) for r, c in cells[:5]) or "none"
            raise ReaderError(f"{self.path}: expected exactly one {what}, found {len(cells)} ({found})")
        return cells[0]


def _load_sheet(path: Path) -> _Sheet:
    # through kil_io.limits: size on disk, expanded XML and cells bounded before and while reading
    path = limits.check_file(path, what="file")
    suffix = path.suffix.lower()
    try:
        if suffix in {".xlsx", ".xlsm"}:
            rows = limits.read_xlsx(path, sheet=ONS_SHEET, what="table file")
            width = max((len(r) for r in rows), default=0)
            cells = pd.DataFrame([[*r, *[None] * (width - len(r))] for r in rows], dtype=object)
            return _Sheet(path, cells, "xlsx")
        if suffix == ".csv":
            text = limits.read_text(path, what="CSV dump of the ONS sheet")
            cells = pd.read_csv(
                io.StringIO(text), header=None, dtype=str, keep_default_na=False, skip_blank_lines=False
            )
            return _Sheet(path, cells, "csv")
    except ReaderError:
        raise
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:  # pandas' ParserError is a ValueError
        raise ReaderError(f"{path}: cannot be read as a {suffix[1:]} file ({exc})") from exc
    raise ReaderError(f"{path}: unsupported file type {suffix!r}; expected .xlsx or .csv (ONS IOT sheet)")


def _layout(sheet: _Sheet) -> tuple[dict[str, int], dict[str, int], list[str], int, int]:
    """Find the header row, the code column and every row and column by code or label."""
    labels = sheet.labels
    heads = [(r, 0) for r, row in enumerate(labels) if _COLUMN_CODES <= set(row)]
    if not heads:
        raise ReaderError(
            f"{sheet.path}: no header row holds the ONS column codes {sorted(_COLUMN_CODES)}; "
            f"is this the '{ONS_SHEET}' sheet of the ONS Input-Output Analytical Tables?"
        )
    hr = sheet.once(heads, "header row of column codes")[0]
    found = [(hr, c) for c in range(len(labels[hr])) if _ROW_CODES <= {row[c] for row in labels[hr + 1 :]}]
    if not found:
        raise ReaderError(
            f"{sheet.path}: no column holds the ONS row codes {sorted(_ROW_CODES)} below the header row "
            f"({sheet.where(hr, 0)})"
        )
    cc = sheet.once(found, "column of row codes")[1]  # names are in the next column
    cols: dict[str, int] = {}
    for c, code in enumerate(labels[hr]):
        if code and c not in (cc, cc + 1):
            if code in cols:
                raise ReaderError(
                    f"{sheet.path}: column code '{code}' appears twice in the header row "
                    f"({sheet.where(hr, cols[code])} and {sheet.where(hr, c)})"
                )
            cols[code] = c
    rows: dict[str, int] = {}
    for r in range(hr + 1, len(labels)):
        code = labels[r][cc]
        if code in rows and (code in cols or code in _ROW_CODES):
            raise ReaderError(
                f"{sheet.path}: row code '{code}' appears twice ({sheet.where(rows[code], cc)} and "
                f"{sheet.where(r, cc)})"
            )
        rows.setdefault(code, r)
    for prefix, name in ONS_PRIMARY_LABELS.items():
        hits = [(r, cc + 1) for r in range(hr + 1, len(labels)) if labels[r][cc + 1].startswith(prefix)]
        rows[name] = sheet.once(hits, f"row labelled '{prefix}...'")[0]
    industries = [code for code in cols if code not in _COLUMN_CODES]
    if not industries:
        raise ReaderError(f"{sheet.path}: the header row ({sheet.where(hr, 0)}) holds no industry codes")
    missing = [code for code in industries if code not in rows]
    if missing:
        raise ReaderError(
            f"{sheet.path}: industry columns {missing[:5]} have no row with the same code in the code "
            f"column (from {sheet.where(hr, cc)} down)"
        )
    return rows, cols, sorted(industries, key=rows.__getitem__), hr, cc


def _sheet_year(sheet: _Sheet, header_row: int, year: int | None) -> int:
    pattern = re.compile(r"((?:19|20)\d\d) Input-Output Analytical Tables")
    found = {int(m[1]) for row in sheet.labels[:header_row] for text in row if (m := pattern.match(text))}
    if year is None:
        if len(found) != 1:
            raise ReaderError(f"{sheet.path}: no single year in the title rows (found {sorted(found)}); pass year=")
        return found.pop()
    if found and found != {year}:
        raise ReaderError(f"{sheet.path}: year={year} given but the sheet's title says {sorted(found)}")
    return year


def read_ons_iot(
    path: str | Path, *, year: int | None = None, area: str = "UK", employment: pd.Series | None = None
) -> IOTable:
    """Read the ``IOT`` sheet of the ONS UK Input-Output Analytical Tables (industry by industry).

    Parameters
    ----------
    path : str or Path
        The ONS workbook (``.xlsx``, sheet ``IOT``) or a CSV dump of that sheet.
    year : int, optional
        Year of the table; read from the title ("2022 Input-Output Analytical Tables")
        when omitted, checked against it when given.
    area : str
        Area label of the table.
    employment : Series, optional
        Full-time equivalents by sector code, in any order; the codes must be the sheet's codes
        after :func:`normalise_label` [FTE].

    Returns
    -------
    IOTable
        Industries in sheet order (105 in the 2019-2022 editions); final demand named by
        :data:`ONS_FINAL_DEMAND`; primary inputs ``imports``, ``product_taxes``,
        ``compensation_of_employees``, ``gross_operating_surplus``, ``production_taxes``;
        output = ``P1``; current prices, basic prices [£m].

    Raises
    ------
    ReaderError
        Missing file, unsupported file type, no sheet ``IOT``, codes not found or
        duplicated, or a published total (``_T`` row and column, ``P3 S1``, ``TU``,
        ``GVA``, ``P1``) off the cells it adds up by more than :data:`ONS_CHECK_RTOL`.
    NonNumericError
        A table cell that is empty or not a number (names the cell and its codes).
    LabelError
        ``employment`` codes that differ from the sheet's.

    References
    ----------
    ONS, *UK input-output analytical tables: industry by industry*, sheet ``IOT``.

    Examples
    --------
    >>> table = read_ons_iot("../shared/data-raw/ons-ioat-2022-ixi/iot_sheet.csv")  # doctest: +SKIP
    >>> round(table.output.sum())  # doctest: +SKIP
    4548357
    """
    path = Path(path)
    sheet = _load_sheet(path)
    rows, cols, ind, hr, cc = _layout(sheet)
    year = _sheet_year(sheet, hr, year)
    n = len(ind)
    rk = [*ind, "_T", *ONS_PRIMARY_LABELS.values(), *ONS_PRIMARY_CODES, "GVA", "P1"]
    ck = [*ind, "_T", "P3 S1", *ONS_FINAL_DEMAND, "TU"]
    M = pd.DataFrame(np.nan, index=rk, columns=ck)  # the value-added x final-demand corner is blank
    M.iloc[: n + 1, :] = sheet.block(rows, cols, rk[: n + 1], ck)
    M.iloc[n + 1 :, : n + 1] = sheet.block(rows, cols, rk[n + 1 :], ck[: n + 1])
    _cross_check(sheet, M, rows, cols, ind)
    _nothing_outside(sheet, max(rows[r] for r in rk), max(cols[c] for c in ck))

    idx = pd.Index(ind, name="sector")
    if employment is not None:
        got = [normalise_label(s) for s in employment.index]
        if sorted(got) != sorted(ind):
            raise LabelError(
                f"{path}: employment codes differ from the sheet's: not in the sheet "
                f"{sorted(set(got) - set(ind))[:5]}, missing {sorted(set(ind) - set(got))[:5]}"
            )
        employment = pd.Series(employment.to_numpy(), index=got).reindex(idx)
    pi_rows = [*ONS_PRIMARY_LABELS.values(), *ONS_PRIMARY_CODES]
    pi_names = [*ONS_PRIMARY_LABELS.values(), *ONS_PRIMARY_CODES.values()]
    return IOTable.from_frames(
        pd.DataFrame(M.loc[ind, ind].to_numpy(), index=idx, columns=idx),
        pd.DataFrame(M.loc[ind, list(ONS_FINAL_DEMAND)].to_numpy(), index=idx, columns=[*ONS_FINAL_DEMAND.values()]),
        pd.DataFrame(M.loc[pi_rows, ind].to_numpy(), index=pi_names, columns=idx),
        output=pd.Series(M.loc["P1", ind].to_numpy(), index=idx),
        employment=employment,
        names={s: sheet.labels[rows[s]][cc + 1] for s in ind},
        area=area,
        year=year,
        source=f"ONS UK Input-Output Analytical Tables {year}, industry by industry, sheet IOT ({path.name})",
        metadata={
            "publisher": "Office for National Statistics (ONS)",
            "licence": "Open Government Licence v3.0",
            "file": path.name,
            "prices": "current prices, basic prices; domestic use",
        },
    )


def _nothing_outside(sheet: _Sheet, last_row: int, last_col: int) -> None:
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


def _cross_check(sheet: _Sheet, M: pd.DataFrame, rows: dict[str, int], cols: dict[str, int], ind: list[str]) -> None:
    """Check every total the sheet publishes against the cells it adds up."""
    both = [*ind, "_T"]
    uses = ["_T", "P3 S1", "P51G", "P52", "P53", "P61EU", "P61RW", "P62"]
    checks: list[tuple[str, list[str], str, list[str]]] = [
        ("row", both, "_T", ind),
        ("row", both, "P3 S1", ["P3 S13", "P3 S14", "P3 S15"]),
        ("row", both, "TU", uses),
        ("row", list(M.index[len(both) :]), "_T", ind),
        ("column", list(M.columns), "_T", ind),
        ("column", both, "GVA", list(ONS_PRIMARY_CODES)),
        ("column", both, "P1", ["_T", *ONS_PRIMARY_LABELS.values(), "GVA"]),
    ]
    for by, lines, target, terms in checks:
        frame, other = (M, "column") if by == "row" else (M.T, "row")
        formula = " + ".join(terms) if len(terms) < 10 else f"sum of the {len(terms)} industry {other}s"
        cells = [(rows[s], cols[target]) if by == "row" else (rows[target], cols[s]) for s in lines]
        _report(sheet, [f"{by} '{s}'" for s in lines], frame.loc[lines, terms].to_numpy().sum(axis=1),
                frame.loc[lines, target].to_numpy(), cells, formula, f"{other} '{target}'")  # fmt: skip
    _report(sheet, [f"industry '{s}'" for s in both], M.loc[both, "TU"].to_numpy(), M.loc["P1", both].to_numpy(),
            [(rows["P1"], cols[s]) for s in both], "column 'TU' (total use)", "row 'P1' (output)")  # fmt: skip


def _report(sheet: _Sheet, lines: list[str], computed: np.ndarray, published: np.ndarray,
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
