"""Write the xlsx twins of the record templates and of the worked examples from their CSV files.

The CSV files are the source (reviewable as text); each ``X.csv`` in ``kil_io/records/templates``
and ``kil_io/records/templates/examples/*/`` gets an ``X.xlsx`` with the same cells, amounts, FTE and pay as numbers and
postcodes and SIC codes as text (so a leading zero survives). ``tests/test_records.py`` checks
that every xlsx reads as its CSV. Run: ``python scripts/make_templates.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from kil_io.records.tables import parse_money

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "kil_io" / "records" / "templates"
FOLDERS = [TEMPLATES, *sorted((TEMPLATES / "examples").glob("*/"))]
#: Columns written as numbers; every other column stays text.
NUMERIC = {"amount", "fte", "pay"}
#: A fixed time stamp, so that re-running the script does not change the files' properties.
STAMP = dt.datetime(2026, 1, 1)


def write_xlsx(source: Path) -> Path:
    """Write ``source``'s ``.xlsx`` twin and return its path."""
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    book = Workbook()
    sheet = book.active
    sheet.title = source.stem
    header = next((k for k, row in enumerate(rows) if len([c for c in row if c]) > 1), 0)
    numeric = {k for k, name in enumerate(rows[header]) if name.strip().casefold() in NUMERIC}
    for k, row in enumerate(rows):
        cells = []
        for j, value in enumerate(row):
            number = parse_money(value) if k > header and j in numeric and value else None
            cells.append(number if number is not None else value)
        sheet.append(cells)
    for cell in sheet[header + 1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column[header:])
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    book.properties.created = book.properties.modified = STAMP
    target = source.with_suffix(".xlsx")
    book.save(target)
    return target


def main() -> None:
    """Write every xlsx twin."""
    for folder in FOLDERS:
        for source in sorted(folder.glob("*.csv")):
            print(write_xlsx(source).relative_to(ROOT))


if __name__ == "__main__":
    main()
