"""A council's spend ledger as kil_io reads it: columns it does not use are named, never ignored silently.

Bad input stops with the file, row, column and value; an unused column is a warning naming it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from kil_io.cli import main
from kil_io.errors import KilIOError, RecordsError, UnusedColumnWarning
from kil_io.files import csv_text
from kil_io.records.areas import local_area
from kil_io.records.procurement import read_procurement

LEEDS = local_area("Leeds")
HEAD = "Payment Date,Supplier Name,Amount,Service Area,Expense Type,Supplier Postcode\n"


def write(tmp_path: Path, text: str, name: str = "spend.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_a_column_the_reader_does_not_use_is_named_in_a_warning(tmp_path: Path) -> None:
    head = "Date,Supplier Name,Amount,Expense Area,Expense Type,Supplier Postcode,Transaction No\n"
    spend = write(tmp_path, head + '03/04/2024,Armley Building Services,"12,450.00",Housing,Repairs,LS12 5EH,T1\n')
    with pytest.warns(UnusedColumnWarning) as caught:
        result = read_procurement(spend, LEEDS)
    message = str(caught[0].message)
    assert str(spend) in message
    assert "row 1" in message
    assert "'Expense Area'" in message
    assert "'Transaction No'" in message
    assert "'Expense Area' may be its 'service area'" in message  # the column it lacks, and how to use it
    assert result.unused == ("Expense Area", "Transaction No")
    assert result.payments.loc[0, "service_area"] == "(no service area)"  # read without it, as the warning says


def test_a_file_whose_columns_are_all_read_warns_nothing(tmp_path: Path) -> None:
    spend = write(tmp_path, HEAD + '03/04/2024,Armley Building Services,"12,450.00",Housing,Repairs,LS12 5EH\n')
    result = read_procurement(spend, LEEDS)  # filterwarnings = error: any warning fails here
    assert result.unused == ()


def test_a_ledger_with_no_usable_amount_column_names_the_file_row_and_column(tmp_path: Path) -> None:
    spend = write(tmp_path, "Spend over £500\nPayment Date,Supplier Name,Gross Pounds,Service Area,Supplier Postcode\n"
                            "03/04/2024,Armley Building Services,12450,Housing,LS12 5EH\n")  # fmt: skip
    with pytest.raises(RecordsError) as caught:
        read_procurement(spend, LEEDS)
    message = str(caught.value)
    assert str(spend) in message
    assert "row 2 has the headings" in message  # the heading row, not the council's title above it
    assert "missing: amount" in message
    assert isinstance(caught.value, KilIOError)


def test_an_amount_column_with_no_amount_in_it_names_each_cell(tmp_path: Path) -> None:
    spend = write(tmp_path, HEAD + "03/04/2024,Armley Building Services,twelve thousand,Housing,Repairs,LS12 5EH\n"
                                   "04/04/2024,Kirkstall Roofing,,Housing,Repairs,LS5 3BT\n")  # fmt: skip
    with pytest.raises(RecordsError) as caught:
        read_procurement(spend, LEEDS)
    message = str(caught.value)
    assert f"{spend}, row 2, column 'amount': 'twelve thousand' is not an amount in £" in message
    assert f"{spend}, row 3, column 'amount': is empty" in message


def test_a_category_or_sic_column_is_kept_as_written(tmp_path: Path) -> None:
    spend = write(tmp_path, "Supplier,Amount,Postcode,Category,SIC code\n"
                            "Armley Building Services,100,LS12 5EH,building_maintenance,\n"
                            "Kirkstall Roofing,50,LS5 3BT,,43910\n")  # fmt: skip
    result = read_procurement(spend, LEEDS)
    assert list(result.payments["category"]) == ["building_maintenance", ""]
    assert list(result.payments["sic"]) == ["", "43910"]


def test_csv_text_keeps_formulas_out_of_every_text_cell_and_numbers_as_numbers() -> None:
    frame = pd.DataFrame(
        {"supplier": ['=HYPERLINK("http://x","y")', "+44 Ltd", "@SUM(A1)", "-2+3", "\tTab", "Leeds", "a=b"],
         "amount": [-850.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]},
        index=pd.Index(["=cmd", "b", "c", "d", "e", "f", "g"], name="@who"),
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(csv_text(frame))))
    assert rows[0] == ["'@who", "supplier", "amount"]
    assert rows[1] == ["'=cmd", '\'=HYPERLINK("http://x","y")', "-850"]  # the amount stays a number
    assert [r[1] for r in rows[2:]] == ["'+44 Ltd", "'@SUM(A1)", "'-2+3", "'\tTab", "Leeds", "a=b"]


def test_procurement_csv_files_neutralise_the_councils_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spend = write(tmp_path, HEAD + '03/04/2024,"=HYPERLINK(""http://evil"",""x"")",100,@Housing,Repairs,LS12 5EH\n'
                                   "04/04/2024,Kirkstall Roofing,50,-Parks,Repairs,LS5 3BT\n")  # fmt: skip
    assert main(["procurement", str(spend), "--area", "Leeds", "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    areas = rows_of(tmp_path / "out" / "by_service_area.csv")
    assert sorted(r[0] for r in areas[1:]) == ["'-Parks", "'@Housing"]
    top = rows_of(tmp_path / "out" / "top_suppliers.csv")
    assert top[1][0] == '\'=HYPERLINK("http://evil","x")'
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in top + areas for cell in row[:1])
