"""Every ONS edition's IOT layout: 2023 (104 industries, a negative flow), 2017 product by product (TD, GOS), the
2010-2016 labelled ``.xls`` layout, and what the reader says about a layout it does not know.

The raw workbooks are tested where ``../shared/data-raw`` has them (skipped otherwise); the 2017 codes and the
labelled ``.xls`` layout are also tested on small tables made here or shipped in ``tests/fixtures``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_readers import RAW, ons_grid, save

from kil_io import NegativeFlowError, NegativeFlowWarning
from kil_io.errors import ReaderError
from kil_io.readers import read_ons_iot

FIXTURES = Path(__file__).parent / "fixtures"
LABELLED = FIXTURES / "ons_iot_labelled_tiny.xls"
RAW_2023 = RAW / "ons-ioat-2023-ixi" / "iot2023industry.xlsx"
RAW_2017 = RAW / "ons-ioat-2017-pxp" / "nasu1719pr.xlsx"
RAW_2015 = RAW / "ons-ioat-2015-pxp" / "2015detailedioatsbb18.xls"


def raw(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"raw ONS workbook not present at {path}")
    return path


# ---------------------------------------------------------------------- 2023: 104 industries and ONS's rule for L68A
def test_2023_workbook_reads_as_ons_does() -> None:
    with pytest.warns(NegativeFlowWarning, match=r"iot2023industry.xlsx: .*\['L68A'\] left out of the Leontief system"
                      r", as ONS does: 'L68A' buys -20,771 £m from 'K64'"):  # fmt: skip
        table = read_ons_iot(raw(RAW_2023))
    assert (table.year, table.n, table.excluded) == (2023, 104, ("L68A",))
    assert "C25" in table.sectors
    assert "C254" not in table.sectors
    assert "C25OTHER" not in table.sectors
    assert table.metadata["basis"] == "industry by industry"
    assert round(table.output.sum()) == 4_819_806  # ONS's P1 total, cell DC119 of sheet IOT


def test_2023_workbook_in_strict_mode_names_the_cell() -> None:
    with pytest.raises(NegativeFlowError, match=r"Z cell \(supplier 'K64', buyer 'L68A'\) is -20771 £m \(cell "
                       r"[A-Z]+\d+ of sheet 'IOT'\); it must be non-negative"):  # fmt: skip
        read_ons_iot(raw(RAW_2023), negative_flows="raise")


# ---------------------------------------------------------------------- 2017 product by product: TD and GOS
def test_2017_codes_td_and_gos(tmp_path: Path) -> None:
    """The 2017 product-by-product sheet writes total use ``TD`` and operating surplus ``GOS``."""
    grid, where = ons_grid(col_order=[0, 1, 2], row_order=[0, 1, 2])
    (r, c), (g, _) = where[("X1", "TU")], where[("GOS & MI", "X1")]
    grid[(r - 3, c)], grid[(g, 0)] = "TD", "GOS"  # the header row is 3 above the first industry's row
    table = read_ons_iot(save(grid, tmp_path / "pxp.xlsx"))
    assert table.n == 3
    assert "gross_operating_surplus" in table.primary_input_labels
    broken = dict(grid)
    broken[where[("X1", "TU")]] = 1.0
    with pytest.raises(ReaderError, match=r"row 'X1': _T \+ P3 S1 .* but column 'TD' = 1.000000"):
        read_ons_iot(save(broken, tmp_path / "broken.xlsx"))


def test_2017_workbook() -> None:
    table = read_ons_iot(raw(RAW_2017))
    assert (table.year, table.n, table.sectors[0]) == (2017, 105, "CPA_A01")
    assert table.metadata["basis"] == "product by product"


# ---------------------------------------------------------------------- 2010-2016: labels, not codes; .xls
def test_labelled_xls_layout() -> None:
    """A tiny table in the 2015 workbook's layout (scripts/ons_layout_fixture.py): made-up numbers that balance."""
    table = read_ons_iot(LABELLED)
    assert (table.year, table.sectors, table.metadata["basis"]) == (2015, ("01", "06&07", "94n"), "product by product")
    assert table.final_demand_labels == (
        "households", "npish", "government_central", "government_local", "gfcf", "valuables", "inventories",
        "exports_goods_eu", "exports_goods_row", "exports_services_eu", "exports_services_row",
    )  # fmt: skip
    np.testing.assert_array_equal(table.Z, [[10.0, 2.0, 0.5], [3.0, 20.0, 1.5], [0.0, 1.0, 4.0]])
    np.testing.assert_array_equal(table.income, [20.0, 15.0, 30.0])
    # output: Z row + final uses of the fixture (scripts/ons_layout_fixture.py), by hand
    np.testing.assert_array_equal(table.output, [12.5 + 52.0, 24.5 + 53.5, 5.0 + 44.5])


def test_2015_workbook() -> None:
    table = read_ons_iot(raw(RAW_2015))
    assert (table.year, table.n, table.sectors[:2], table.sectors[-1]) == (2015, 129, ("01", "02"), "94n")
    # ONS's total use of products at basic prices: 'Total Consumption' row, last column (cell EN137)
    assert round(table.output.sum()) == 3_238_681


# ---------------------------------------------------------------------- a layout of no known edition
def test_unknown_layout_names_sheet_cell_and_editions(tmp_path: Path) -> None:
    grid, where = ons_grid(col_order=[0, 1, 2], row_order=[0, 1, 2])
    r, c = where[("X1", "TU")]
    del grid[(r - 3, c)]  # no total-use code: neither TU nor TD
    with pytest.raises(ReaderError, match=r"sheet 'IOT' is not a layout kil_io knows: its row 4 holds \['_T', 'P3 S14'"
                       r", 'P51G', 'P62'\] but not \['TU'\]: a code was expected in that row, e\.g\. at cell [A-Z]+4 "
                       r"of sheet 'IOT'.*Editions known: 2019-2023 industry by industry"):  # fmt: skip
        read_ons_iot(save(grid, tmp_path / "odd.xlsx"))


def test_xls_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xls"
    path.write_bytes(b"PK\x03\x04 not an old Excel file")
    with pytest.raises(ReaderError, match=r"cannot be read as an \.xls table file"):
        read_ons_iot(path)


def test_xls_cells_are_bounded() -> None:
    """An .xls sheet is measured before its cells are read, as an .xlsx one is (kil_io.limits)."""
    from kil_io import limits
    from kil_io.errors import LimitError

    rows = limits.read_xls(LABELLED, sheet="IOT")
    assert rows[0][0] == "2015 Input-Output Analytical Tables"
    with pytest.raises(LimitError, match=r"sheet 'IOT' has 17 x 18 cells, more than kil_io's limit of 100"):
        limits.read_xls(LABELLED, sheet="IOT", max_cells=100)
    with pytest.raises(ReaderError, match=r"no sheet 'Mults'; sheets: \['IOT'\]"):
        limits.read_xls(LABELLED, sheet="Mults")
