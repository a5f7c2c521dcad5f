"""Write the fixtures of ONS's published Type I multipliers and effects, which kil_io's own computation must reproduce.

ONS's workbooks publish, beside the ``IOT`` sheet kil_io reads, the multipliers it computes from it.
They are expected results, never inputs: this script copies them, cell by cell, into

* ``tests/fixtures/ons_type_i_multipliers_2023.csv``: the 2023 industry-by-industry workbook
  (``iot2023industry.xlsx``), sheets ``Multipliers`` (columns G, I, J: compensation of employees,
  GVA and output multipliers) and ``Effects`` (columns G, J: compensation and GVA effects), rows 8-111
  (the 104 industries; ``L68A``, row 84, is ``..`` on both: ONS leaves it out);
* ``tests/fixtures/ons_type_i_multipliers_2015_2017.csv``: a few rows of the older product-by-product
  workbooks, one per layout: 2017 ``nasu1719pr.xlsx`` sheet ``Multipliers`` (columns G, I, J) and 2015
  ``2015detailedioatsbb18.xls`` sheet ``Mults`` (columns C output multiplier, I employment-cost
  effect, K GVA effect).

Run from the repository root with the raw files in ``../shared/data-raw`` (or ``--raw``)::

    python scripts/ons_multipliers_fixture.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

import openpyxl
import xlrd

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
DEFAULT_RAW = REPO.parent / "shared" / "data-raw"
FILE_2023 = "ons-ioat-2023-ixi/iot2023industry.xlsx"
FILE_2017 = "ons-ioat-2017-pxp/nasu1719pr.xlsx"
FILE_2015 = "ons-ioat-2015-pxp/2015detailedioatsbb18.xls"
#: kil_io's column -> (sheet, column letter) of the 2023 and 2017 workbooks.
COLUMNS = {
    "output_multiplier": ("Multipliers", "J"),
    "gva_effect": ("Effects", "J"),
    "gva_multiplier": ("Multipliers", "I"),
    "income_effect": ("Effects", "G"),
    "income_multiplier": ("Multipliers", "G"),
}
HEADER_2023 = (
    "# ONS, UK input-output analytical tables: industry by industry, 2023 (consistent with Blue Book 2025 and Pink "
    "Book 2025), workbook iot2023industry.xlsx; Open Government Licence v3.0\n"
    "# Copy used: Emily-coding/supply-chain, data/iot2023industry.xlsx, "
    "commit 3f325765c670d5fcc68226abd27b4596a59764f5 (../shared/data-raw/ons-ioat-2023-ixi/)\n"
    "# Cells: sector = column A, rows 8-111 of sheets Multipliers and Effects; output_multiplier = Multipliers!J, "
    "gva_multiplier = Multipliers!I, income_multiplier = Multipliers!G (compensation of employees), gva_effect = "
    "Effects!J, income_effect = Effects!G. '..' and '.' as ONS writes them (L68A: left out by ONS).\n"
    "# Written by scripts/ons_multipliers_fixture.py; compared with kil_io's own Type I in tests/test_golden.py\n"
)
HEADER_OLDER = (
    "# ONS, UK input-output analytical tables, product by product: 2017 (Blue Book 2020, nasu1719pr.xlsx, sheet "
    "Multipliers, columns J output, I GVA, G compensation multiplier) and 2015 (Blue Book 2018, "
    "2015detailedioatsbb18.xls, sheet Mults, columns C output multiplier, I employment (compensation) effect, K GVA "
    "effect); Open Government Licence v3.0\n"
    "# Copies used: griff-rees/estios regional_input_output/uk_data/data/nasu1719pr.xlsx; dan-fahey/ukio "
    "2015detailedioatsbb18.xls commit 46bddc8f5a524827c09fafcc05895331cb86f641 (../shared/data-raw/)\n"
    "# One row per (edition, sector, measure) with the cell it comes from; "
    "written by scripts/ons_multipliers_fixture.py\n"
)
OLDER_2017 = ("CPA_A01", "CPA_Q86")
OLDER_2015 = ("01", "85", "87-88g")


def _text(value: object) -> str:
    return repr(float(value)) if isinstance(value, int | float) else str(value).strip()


def write_2023(raw: Path) -> None:
    book = openpyxl.load_workbook(raw / FILE_2023, read_only=True, data_only=True)
    sheets = {name: list(book[name].iter_rows(values_only=True)) for name in ("Multipliers", "Effects")}
    lines = ["sector," + ",".join(COLUMNS)]
    for r in range(7, 111):  # rows 8-111
        code = " ".join(str(sheets["Multipliers"][r][0]).split())
        if " ".join(str(sheets["Effects"][r][0]).split()) != code:
            raise SystemExit(f"{FILE_2023}: row {r + 1} names different industries on Multipliers and Effects")
        cells = [_text(sheets[s][r][openpyxl.utils.column_index_from_string(c) - 1]) for s, c in COLUMNS.values()]
        lines.append(f'"{code}",' + ",".join(cells))
    if len(lines) != 105:
        raise SystemExit(f"{FILE_2023}: expected 104 industries, found {len(lines) - 1}")
    (FIXTURES / "ons_type_i_multipliers_2023.csv").write_text(HEADER_2023 + "\n".join(lines) + "\n", encoding="utf-8")


def write_older(raw: Path) -> None:
    lines = ["edition,sector,measure,cell,value"]
    rows = list(openpyxl.load_workbook(raw / FILE_2017, read_only=True, data_only=True)["Multipliers"].iter_rows(
        values_only=True))  # fmt: skip
    for code in OLDER_2017:
        r = next(k for k, row in enumerate(rows) if row[0] == code)
        for measure in ("output_multiplier", "gva_multiplier", "income_multiplier"):
            col = COLUMNS[measure][1]
            value = rows[r][openpyxl.utils.column_index_from_string(col) - 1]
            lines.append(f"2017,{code},{measure},Multipliers!{col}{r + 1},{_text(value)}")
    sheet = xlrd.open_workbook(str(raw / FILE_2015), on_demand=True).sheet_by_name("Mults")
    codes = [str(v).strip() for v in sheet.col_values(0)]
    for code in OLDER_2015:
        r = codes.index(code)
        for measure, col in (("output_multiplier", "C"), ("income_effect", "I"), ("gva_effect", "K")):
            value = sheet.cell_value(r, openpyxl.utils.column_index_from_string(col) - 1)
            lines.append(f"2015,{code},{measure},Mults!{col}{r + 1},{_text(value)}")
    (FIXTURES / "ons_type_i_multipliers_2015_2017.csv").write_text(
        HEADER_OLDER + "\n".join(lines) + "\n", encoding="utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="folder of the raw files (data-raw)")
    raw = parser.parse_args().raw
    write_2023(raw)
    write_older(raw)


if __name__ == "__main__":
    main()
