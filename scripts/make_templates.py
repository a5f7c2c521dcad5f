"""Write the xlsx twins of the record templates and of the worked examples from their CSV files, and the shipped
tender cases made from the bids examples.

The CSV files are the source (reviewable as text); each ``X.csv`` in ``kil_io/records/templates``
and ``kil_io/records/templates/examples/*/`` gets an ``X.xlsx`` with the same cells, amounts, FTE and pay as numbers and
postcodes and SIC codes as text (so a leading zero survives). ``tests/test_records.py`` checks
that every xlsx reads as its CSV. Run: ``python scripts/make_templates.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import shlex
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


#: The shipped tender cases: name -> the new-case options that make them from the worked examples.
TENDERS: dict[str, dict[str, object]] = {
    "bristol_home_care": {
        "area": "Bristol", "value": 2_000_000, "title": "Bristol home care: three bids",
        "service": "Home care for adults in Bristol", "bids": "bristol_home_care/bids.csv",
    },
    "bradford_facilities": {
        "area": "Bradford", "value": 6_000_000, "title": "Bradford facilities management: one contract or three lots",
        "service": "Facilities management of the council's buildings", "bids": "bradford_facilities/bids.csv",
        "lots": "bradford_facilities/lots.csv", "award": "National FM Group plc",
    },
}  # fmt: skip


def tender_case(name: str) -> str:
    """The shipped tender case ``name``: ``kil-io new-case --contract`` on the worked example's bids (and lots).

    The command is kept and the records' paths are not: a shipped case names its bids by file and row in every
    source, and the examples are copied out by ``kil-io templates --examples``, where the command runs again.
    """
    from kil_io.records.templates import EXAMPLES
    from kil_io.records.tendercase import case_from_bids

    options = dict(TENDERS[name])
    files = {k: EXAMPLES / str(options.pop(k)) for k in ("bids", "lots") if k in options}
    command = ["kil-io", "new-case", name, "--contract", "--area", str(options["area"]), "--value",
               f"{options['value']:.0f}"]  # fmt: skip
    command += [x for k, p in files.items() for x in (f"--{k}", str(p.relative_to(EXAMPLES)))]
    command += [x for k in ("award", "service", "title") if k in options for x in (f"--{k}", str(options[k]))]
    made = case_from_bids(name, folder=EXAMPLES, command=shlex.join(command), **files, **options)  # type: ignore[arg-type]
    made.data["records"]["files"] = []
    return made.text()


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
    """Write every xlsx twin, then the shipped tender cases."""
    for folder in FOLDERS:
        for source in sorted(folder.glob("*.csv")):
            print(write_xlsx(source).relative_to(ROOT))
    for name in TENDERS:
        path = ROOT / "data" / "case_studies" / f"{name}.yaml"
        path.write_text(tender_case(name), encoding="utf-8")
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
