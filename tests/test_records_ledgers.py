"""Ledgers as careless or hostile users write them: credit notes, empty files, spellings, stray cells, odd postcodes.

Every expected figure is summed by hand from the few rows each test writes; the postcodes are
chosen so that their place is plain (LS1 1AA is in Leeds, M1 1AE in Manchester).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kil_io.errors import RecordsError
from kil_io.records.accounts import read_accounts
from kil_io.records.areas import local_area
from kil_io.records.newcase import case_from_records
from kil_io.records.postcodes import PostcodeDirectory, parse_postcode
from kil_io.records.procurement import read_procurement
from kil_io.records.staff import read_staff
from kil_io.records.suppliers import read_suppliers

LEEDS = local_area("Leeds")


@pytest.fixture(scope="module")
def directory() -> PostcodeDirectory:
    return PostcodeDirectory()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_credit_note_cancels_only_its_own_suppliers_spending(tmp_path: Path, directory: PostcodeDirectory) -> None:
    # a local £3,000 credit that "cancels" an outside supplier's £3,000 of catering gave 40% local in the summary
    # (£2,000 of £5,000) and 100% in the lines; a credit belongs to its own supplier's invoices
    crossed = write(tmp_path, "crossed.csv", "supplier,amount,postcode,category\n"
                    "Local Caterer,-3000,LS1 1AA,catering\nFar Caterer,3000,M1 1AE,catering\n"
                    "Local Cleaner,5000,LS1 1AA,cleaning_and_facilities\n")  # fmt: skip
    with pytest.raises(RecordsError, match=r"row 2.*'Local Caterer' on the 'catering' line .*nets to £-3,000.00"):
        read_suppliers(crossed, LEEDS, directory=directory)
    # one supplier whose credit is placed in Leeds and whose invoice is in Manchester
    apart = write(tmp_path, "apart.csv", "supplier,amount,postcode,category\n"
                  "Far Caterer,3000,M1 1AE,catering\nFar Caterer,-3000,LS1 1AA,catering\n"
                  "Local Cleaner,5000,LS1 1AA,cleaning_and_facilities\n")  # fmt: skip
    with pytest.raises(RecordsError, match=r"'Far Caterer' .*\(rows 2, 3\).*in different places"):
        read_suppliers(apart, LEEDS, directory=directory)
    # a credit with its invoice's place nets: catering £3,000 - £1,000 = £2,000, none local; cleaning £5,000 local
    fine = write(tmp_path, "fine.csv", "supplier,amount,postcode,category\n"
                 "Far Caterer,3000,M1 1AE,catering\nFar Caterer,-1000,M1 1AE,catering\n"
                 "Local Cleaner,5000,LS1 1AA,cleaning_and_facilities\n")  # fmt: skip
    ledger = read_suppliers(fine, LEEDS, directory=directory)
    assert {line.label: (line.value, line.local_value) for line in ledger.lines} == {
        "catering": (2000, 0), "cleaning_and_facilities": (5000, 5000)
    }  # fmt: skip
    assert ledger.local_share == pytest.approx(5000 / 7000)
    assert ledger.local_share == pytest.approx(sum(x.local_value for x in ledger.lines) / 7000)


def test_a_spend_file_nets_credits_by_supplier_and_service_area(tmp_path: Path, directory: PostcodeDirectory) -> None:
    crossed = write(tmp_path, "spend.csv", "supplier,amount,postcode,service area\n"
                    "A,1000,LS1 1AA,Housing\nB,2000,M1 1AE,Housing\nB,-500,LS1 1AA,Housing\n"
                    "C,100,LS1 1AA,Parks\nC,-200,LS1 1AA,Waste\n")  # fmt: skip
    with pytest.raises(RecordsError) as caught:
        read_procurement(crossed, LEEDS, directory=directory)
    text = str(caught.value)
    assert "'B' (rows 3, 4) nets to £1,500.00, but £-500.00 of it would be local" in text
    assert "'C' (rows 5, 6) nets to £-100.00" in text
    assert "'Waste' nets to £-200.00" in text


def test_a_file_with_only_its_headings_is_refused(tmp_path: Path, directory: PostcodeDirectory) -> None:
    # it read as "0.0% (£0 of £0, 0 lines)", as if the organisation had bought nothing
    readers = {
        "supplier,amount,postcode,category\n": lambda p: read_suppliers(p, LEEDS, directory=directory),
        "Supplier Name,Amount,Supplier Postcode\n\n\n": lambda p: read_procurement(p, LEEDS, directory=directory),
        "role,fte,pay,home\n": lambda p: read_staff(p, LEEDS, directory=directory),
        "heading,amount\n": read_accounts,
    }
    for n, (text, read) in enumerate(readers.items()):
        with pytest.raises(RecordsError, match=r"row 1: the heading row has no rows below it"):
            read(write(tmp_path, f"empty{n}.csv", text))


def test_a_service_area_in_other_cases_or_spacing_is_one(tmp_path: Path, directory: PostcodeDirectory) -> None:
    path = write(tmp_path, "spend.csv", "supplier,amount,postcode,service area,expense type\n"
                 "A,1000,LS1 1AA,Adult Social Care,Fees\nB,2000,M1 1AE,Adult social care,fees\n"
                 "C,500,LS1 1AA, adult  SOCIAL care ,FEES\n")  # fmt: skip
    result = read_procurement(path, LEEDS, directory=directory)
    table = result.by_service_area
    assert list(table.index) == ["Adult Social Care"]
    assert (table.loc["Adult Social Care", "spend"], table.loc["Adult Social Care", "local_spend"]) == (3500, 1500)
    assert set(result.payments["expense_type"]) == {"Fees"}


def test_columns_the_reader_does_not_use_are_named_in_the_made_case(tmp_path: Path) -> None:
    suppliers = write(tmp_path, "suppliers.csv", "supplier,amount,postcode,category,Invoice No,Cost centre\n"
                      "A,1000,LS1 1AA,catering,17,CC1\n")  # fmt: skip
    staff = write(tmp_path, "staff.csv", "role,fte,pay,home,Start date\nCook,1,25000,LS1 1AA,2020-01-01\n")
    made = case_from_records("c", area="Leeds", folder=tmp_path, suppliers=suppliers, staff=staff)
    assert any("staff.csv: row 1: the staff list's column 'Start date' is not used" in c for c in made.checks)
    assert any("columns 'Invoice No', 'Cost centre' are not used" in c for c in made.checks)
    assert "'Invoice No', 'Cost centre' are not used" in made.text()


def test_an_unquoted_thousands_comma_is_named_not_the_cell_it_shifts(
    tmp_path: Path, directory: PostcodeDirectory
) -> None:
    path = write(tmp_path, "s.csv", "supplier,amount,postcode,category\nA,£1,234,LS1 1AA,catering\n"
                 "B,100,LS1 1AA,catering\n")  # fmt: skip
    with pytest.raises(RecordsError) as caught:
        read_suppliers(path, LEEDS, directory=directory)
    text = str(caught.value)
    assert "1 problem(s)" in text
    assert "s.csv, row 2: has 5 cells but the heading row has 4" in text
    assert "'£1' and '234' look like one amount, '£1,234'" in text
    assert "category" not in text.split("\n", 1)[1]  # the shifted 'LS1 1AA' is not blamed as a category
    spend = write(tmp_path, "p.csv", 'supplier,amount,postcode\nA,"1,234",LS1 1AA\nB,1,234,LS1 1AA\n')
    with pytest.raises(RecordsError, match=r"row 3: has 4 cells.*'1' and '234' look like one amount, '1,234'"):
        read_procurement(spend, LEEDS, directory=directory)


def test_real_postcodes_outside_the_pattern_count_as_not_local(tmp_path: Path, directory: PostcodeDirectory) -> None:
    assert parse_postcode("gir0aa") == ("postcode", "GIR 0AA")
    assert parse_postcode("FIQQ 1ZZ") == ("postcode", "FIQQ 1ZZ")
    assert parse_postcode("BFPO 57") == ("postcode", "BFPO 57")
    assert parse_postcode("GIR 0AB") is None
    path = write(tmp_path, "s.csv", "supplier,amount,postcode,category\nBank,100,GIR 0AA,banking\n"
                 "Local,300,LS1 1AA,banking\n")  # fmt: skip
    ledger = read_suppliers(path, LEEDS, directory=directory)  # was: the whole ledger refused
    assert (ledger.total, ledger.local_value) == (400, 300)
    assert [(u.row, u.value, u.amount) for u in ledger.unplaced] == [(2, "GIR 0AA", 100)]
