r"""Where the table is in an ONS ``IOT`` sheet: the editions' two layouts, found by code or by label.

ONS has published its UK Input-Output Analytical Tables in two layouts (:data:`KNOWN_EDITIONS`):

* **coded** (2017 product by product; 2017-2023 industry by industry): a header row of codes,
  the industries (``A01`` ... or ``CPA_A01`` ...) then ``_T``, ``P3 S1``, ``P3 S13`` ... ``P62``
  and total use ``TU`` (``TD`` in 2017); the rows below carry the same industry codes and
  ``_T``, ``D1``, ``GOS & MI`` (``GOS`` in 2017), ``D29-D39``, ``GVA``, ``P1``; imports and
  taxes on products have no code and are found by their label;
* **labelled** (2010-2016 product by product, ``.xls``): a header row of product codes
  (``01``, ``06&07`` ... ``94n``) above a row of names, where the final uses have no code and
  are found by their label (``Households``, ``Central Government``, ``Exports of Services -
  Non EU``, ``Total Demand for Products at Basic Prices``), and so are the primary inputs
  below the products (``Total Consumption``, ``Imports of goods and services``, ``Gross
  operating surplus``, ``Total Output``).

Every row and column is found by its code or label, never by position; anything else is a
:class:`~kil_io.errors.ReaderError` that names the sheet, the cell where a code was expected and
the editions known.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from kil_io import limits
from kil_io.errors import NonNumericError, ReaderError

ONS_SHEET: Final = "IOT"
#: The editions whose layouts kil_io reads: (edition, file, where its header row is).
KNOWN_EDITIONS: Final[tuple[tuple[str, str, str], ...]] = (
    ("2019-2023 industry by industry (coded)", "nasu1719in.xlsx, iot2020industry.xlsx ... iot2023industry.xlsx",
     "codes in row 4: C4 'A01' ... '_T', 'P3 S1' ... 'TU'"),
    ("2017 product by product (coded)", "nasu1719pr.xlsx", "codes in row 4: C4 'CPA_A01' ... '_T' ... 'TD'"),
    ("2010-2016 product by product (labelled)", "2015detailedioatsbb18.xls and the other .xls editions",
     "product codes in row 6 from C6 '01', final uses by label in row 7 ('Total Intermediate Demand' ...)"),
)  # fmt: skip

#: Coded layout: final-use column codes and the kil_io category each becomes, in table order.
CODED_FINAL_DEMAND: Final[dict[str, str]] = {
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
#: Coded layout: codes of the totals (first spelling of each is the key used below), by row or column.
_CODED_TOTAL_COLUMNS: Final[dict[str, tuple[str, ...]]] = {"_T": ("_T",), "P3 S1": ("P3 S1",), "TU": ("TU", "TD")}
_CODED_ROWS: Final[dict[str, tuple[str, ...]]] = {
    "_T": ("_T",), "D1": ("D1",), "GOS": ("GOS & MI", "GOS"), "D29-D39": ("D29-D39",), "GVA": ("GVA",), "P1": ("P1",),
}  # fmt: skip
#: Rows without a code in either layout, found by the start of their label (lower case).
_LABELLED_ROWS: Final[dict[str, tuple[str, ...]]] = {
    "_T": ("total consumption", "total intermediate/final use at basic prices", "total intermediate use at basic"),
    "imports": ("use of imported products", "imports of goods and services"),
    "product_taxes": ("taxes less subsidies on products",),
    "D1": ("compensation of employees",),
    "GOS": ("gross operating surplus",),
    "D29-D39": ("taxes less subsidies on production",),
    "GVA": ("gross value added",),
    "P1": ("total output",),
}
#: Labelled layout: final-use column labels (lower case) and what each becomes.
LABELLED_COLUMNS: Final[dict[str, str]] = {
    "total intermediate demand": "_T",
    "households": "households",
    "non-profit institutions serving households": "npish",
    "npish": "npish",
    "central government": "government_central",
    "local authorities": "government_local",
    "local government": "government_local",
    "general government": "government",
    "gross fixed capital formation": "gfcf",
    "valuables": "valuables",
    "changes in inventories": "inventories",
    "exports of goods - eu": "exports_goods_eu",
    "exports of goods - non eu": "exports_goods_row",
    "exports of services - eu": "exports_services_eu",
    "exports of services - non eu": "exports_services_row",
    "exports of services": "exports_services",
    "total demand for products at basic prices": "TU",
}
Kind = Literal["coded", "labelled"]


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


class Sheet:
    """A sheet as a grid of raw cells, naming cells the way the file does."""

    def __init__(self, path: Path, cells: pd.DataFrame, kind: str) -> None:
        self.path, self.kind = path, kind
        self.cells = cells.to_numpy(dtype=object)
        self.labels = [[normalise_label(v) for v in row] for row in self.cells]

    def where(self, r: int, c: int) -> str:
        """A cell as the file's user finds it: ``cell DD4 of sheet 'IOT'`` or ``line 4, field 108``."""
        if self.kind in ("xlsx", "xls"):
            from openpyxl.utils import get_column_letter

            return f"cell {get_column_letter(c + 1)}{r + 1} of sheet '{ONS_SHEET}'"
        return f"line {r + 1}, field {c + 1}"

    def number(self, r: int, c: int, what: str) -> float:
        """The number in a cell; ``NonNumericError`` naming the cell and ``what`` otherwise."""
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
        """The numbers of rows ``rk`` by columns ``ck``, each cell checked."""
        out = np.empty((len(rk), len(ck)))
        for i, r in enumerate(rk):
            for j, c in enumerate(ck):
                out[i, j] = self.number(rows[r], cols[c], f"row '{r}', column '{c}'")
        return out

    def once(self, cells: list[tuple[int, int]], what: str) -> tuple[int, int]:
        """The one cell of ``cells``; ``ReaderError`` naming them when there are none or several."""
        if len(cells) != 1:
            found = ", ".join(self.where(r, c) for r, c in cells[:5]) or "none"
            raise ReaderError(f"{self.path}: expected exactly one {what}, found {len(cells)} ({found})")
        return cells[0]


def load_sheet(path: Path) -> Sheet:
    """The ``IOT`` sheet of an ``.xlsx`` or ``.xls`` workbook, or a CSV dump of it, read within kil_io's limits."""
    path = limits.check_file(path, what="file")
    suffix = path.suffix.lower()
    try:
        if suffix in {".xlsx", ".xlsm", ".xls"}:
            read = limits.read_xls if suffix == ".xls" else limits.read_xlsx
            rows = read(path, sheet=ONS_SHEET, what="table file")
            width = max((len(r) for r in rows), default=0)
            cells = pd.DataFrame([[*r, *[None] * (width - len(r))] for r in rows], dtype=object)
            return Sheet(path, cells, "xls" if suffix == ".xls" else "xlsx")
        if suffix == ".csv":
            text = limits.read_text(path, what="CSV dump of the ONS sheet")
            cells = pd.read_csv(
                io.StringIO(text), header=None, dtype=str, keep_default_na=False, skip_blank_lines=False
            )
            return Sheet(path, cells, "csv")
    except ReaderError:
        raise
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:  # pandas' ParserError is a ValueError
        raise ReaderError(f"{path}: cannot be read as a {suffix[1:]} file ({exc})") from None
    raise ReaderError(f"{path}: unsupported file type {suffix!r}; expected .xlsx, .xls or .csv (ONS IOT sheet)")


@dataclass(frozen=True)
class Layout:
    """Where each part of the table is: row and column of every code, and what the final uses become."""

    kind: Kind
    header_row: int
    code_col: int
    industries: list[str]
    rows: dict[str, int]  # industry codes and "_T", "imports", "product_taxes", "D1", "GOS", "D29-D39", "P1" [, "GVA"]
    cols: dict[str, int]  # industry codes, "_T" [, "P3 S1"], the final uses (kil_io names), "TU"
    final_demand: dict[str, str]  # kil_io name -> the sheet's code or label
    shown: dict[str, str]  # a key above -> how the sheet writes it, for messages ("GOS" -> "GOS & MI")

    def show(self, key: str) -> str:
        """``key`` as the sheet writes it."""
        return self.shown.get(key, key)


def find_layout(sheet: Sheet) -> Layout:
    """The layout of an ``IOT`` sheet (:data:`KNOWN_EDITIONS`), every part found by code or label.

    Raises
    ------
    ReaderError
        A layout kil_io does not know (naming the sheet, the cell where a code was expected and the
        editions known), a code given twice, or a part missing.
    """
    labels = sheet.labels
    need = {"_T", "P3 S14", "P51G", "P62"}
    coded = [r for r, row in enumerate(labels) if need <= set(row) and {"TU", "TD"} & set(row)]
    if coded:
        return _coded(sheet, sheet.once([(r, 0) for r in coded], "header row of column codes")[0])
    lower = [[v.lower() for v in row] for row in labels]
    named = [r for r, row in enumerate(lower) if r > 0 and {"total intermediate demand", "households"} <= set(row)]
    if named:
        return _labelled(sheet, sheet.once([(r, 0) for r in named], "row of final-use labels")[0] - 1)
    raise ReaderError(_unknown(sheet))


def _unknown(sheet: Sheet) -> str:
    """What was expected where, for a sheet of no known layout."""
    codes = ["_T", "P3 S14", "P51G", "P62", "TU"]
    best = max(range(len(sheet.labels)), key=lambda r: sum(c in sheet.labels[r] for c in codes), default=0)
    found = [c for c in codes if c in sheet.labels[best]] if sheet.labels else []
    if found:
        missing = [c for c in codes if c not in found and not (c == "TU" and "TD" in sheet.labels[best])]
        last = max(k for k, v in enumerate(sheet.labels[best]) if v)
        where = (
            f"its row {best + 1} holds {found} but not {missing}: a code was expected in that row, e.g. at "
            f"{sheet.where(best, last + 1)}"
        )
    else:
        where = f"no row holds ONS's final-use codes ({', '.join(codes)}): a code was expected at {sheet.where(3, 2)}"
    known = "; ".join(f"{e} ({f}: {h})" for e, f, h in KNOWN_EDITIONS)
    return (
        f"{sheet.path}: sheet '{ONS_SHEET}' is not a layout kil_io knows: {where}, nor does a row hold the final-use "
        f"labels 'Total Intermediate Demand' and 'Households' of the older editions. Editions known: {known}"
    )


def _coded(sheet: Sheet, hr: int) -> Layout:
    labels = sheet.labels
    row_codes = {c for codes in _CODED_ROWS.values() for c in codes}
    found = [(hr, c) for c in range(len(labels[hr])) if {"_T", "D1", "P1"} <= {row[c] for row in labels[hr + 1 :]}]
    if not found:
        raise ReaderError(
            f"{sheet.path}: no column holds the ONS row codes {sorted(row_codes)} below the header row "
            f"({sheet.where(hr, 0)})"
        )
    cc = sheet.once(found, "column of row codes")[1]  # names are in the next column
    cols: dict[str, int] = {}
    totals = {code: key for key, codes in _CODED_TOTAL_COLUMNS.items() for code in codes}
    shown = {}
    for c, code in enumerate(labels[hr]):
        if not code or c in (cc, cc + 1):
            continue
        key = totals.get(code, code)
        shown[key] = code
        if key in cols:
            raise ReaderError(
                f"{sheet.path}: column code '{code}' appears twice in the header row "
                f"({sheet.where(hr, cols[key])} and {sheet.where(hr, c)})"
            )
        cols[key] = c
    missing = [c for c in CODED_FINAL_DEMAND if c not in cols]
    if missing:
        raise ReaderError(f"{sheet.path}: the header row ({sheet.where(hr, cc)}) has no column coded {missing}")
    industries = [c for c in cols if c not in CODED_FINAL_DEMAND and c not in _CODED_TOTAL_COLUMNS]
    for code, name in CODED_FINAL_DEMAND.items():
        cols[name] = cols.pop(code)
        shown[name] = code
    by_code = {code: key for key, codes in _CODED_ROWS.items() for code in codes}
    shown |= {key: code for code, key in by_code.items() if code in {v for row in labels[hr + 1 :] for v in row}}
    rows = _rows(sheet, hr, cc, industries, by_code, {k: _LABELLED_ROWS[k] for k in ("imports", "product_taxes")})
    industries.sort(key=rows.__getitem__)  # in the order of the rows
    final_demand = {v: k for k, v in CODED_FINAL_DEMAND.items()}
    return Layout("coded", hr, cc, industries, rows, cols, final_demand, shown)


def _labelled(sheet: Sheet, hr: int) -> Layout:
    labels = sheet.labels
    names = [v.lower() for v in labels[hr + 1]]
    first = names.index("total intermediate demand")
    codes = {c: v for c, v in enumerate(labels[hr][:first]) if v}
    found = [(hr, c) for c in range(len(labels[hr])) if set(codes.values()) <= {row[c] for row in labels[hr + 1 :]}]
    if not codes or not found:
        raise ReaderError(
            f"{sheet.path}: no column holds the product codes of the header row ({sheet.where(hr, 0)}) below it"
        )
    cc = sheet.once(found, "column of product codes")[1]
    cols: dict[str, int] = {}
    for c, code in codes.items():
        if c in (cc, cc + 1):
            continue
        if code in cols:
            raise ReaderError(
                f"{sheet.path}: product code '{code}' appears twice in the header row "
                f"({sheet.where(hr, cols[code])} and {sheet.where(hr, c)})"
            )
        cols[code] = c
    industries = list(cols)
    final_demand: dict[str, str] = {}
    for c in range(first, len(names)):
        if not names[c]:
            continue
        key = LABELLED_COLUMNS.get(names[c])
        if key is None or key in cols:
            why = "appears twice" if key else f"is not a final use kil_io knows ({sorted(LABELLED_COLUMNS)})"
            raise ReaderError(
                f"{sheet.path}: the column labelled '{labels[hr + 1][c]}' ({sheet.where(hr + 1, c)}) {why}"
            )
        cols[key] = c
        if key not in ("_T", "TU"):
            final_demand[key] = labels[hr + 1][c]
    if "TU" not in cols:
        raise ReaderError(
            f"{sheet.path}: no column labelled 'Total Demand for Products at Basic Prices' in row {hr + 2} "
            f"(expected right of {sheet.where(hr + 1, first)})"
        )
    rows = _rows(sheet, hr, cc, industries, {}, _LABELLED_ROWS)
    industries.sort(key=rows.__getitem__)
    shown = {**final_demand, **{k: labels[r][cc + 1] for k, r in rows.items() if k in _LABELLED_ROWS}}
    shown |= {k: labels[hr + 1][cols[k]] for k in ("_T", "TU")}
    return Layout("labelled", hr, cc, industries, rows, cols, final_demand, shown)


def _rows(
    sheet: Sheet, hr: int, cc: int, industries: list[str], by_code: dict[str, str], by_label: dict[str, tuple[str, ...]]
) -> dict[str, int]:
    """Rows of the industries (by code) and of the totals and primary inputs (by code, else by label)."""
    labels = sheet.labels
    rows: dict[str, int] = {}
    for r in range(hr + 1, len(labels)):
        code = by_code.get(labels[r][cc], labels[r][cc])
        if code in rows and (code in industries or code in by_code.values()):
            raise ReaderError(
                f"{sheet.path}: row code '{labels[r][cc]}' appears twice ({sheet.where(rows[code], cc)} and "
                f"{sheet.where(r, cc)})"
            )
        if code:
            rows.setdefault(code, r)
    for key, prefixes in by_label.items():
        if key in by_code.values():
            continue
        hits = [(r, cc + 1) for r in range(hr + 1, len(labels)) if labels[r][cc + 1].lower().startswith(prefixes)]
        if not hits and key == "GVA":
            continue  # the 2015 edition has no GVA row: its parts are checked instead
        rows[key] = sheet.once(hits, f"row labelled {' or '.join(repr(p + '...') for p in prefixes)}")[0]
    missing = [code for code in industries if code not in rows]
    if missing:
        raise ReaderError(
            f"{sheet.path}: industry columns {missing[:5]} have no row with the same code in the code "
            f"column (from {sheet.where(hr, cc)} down)"
        )
    absent = [k for k in ("_T", "D1", "GOS", "D29-D39", "P1") if k not in rows]
    if absent:
        raise ReaderError(f"{sheet.path}: no row coded {absent} in the code column (from {sheet.where(hr, cc)} down)")
    return rows
