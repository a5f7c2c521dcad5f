"""Tests of kil_io.readers.read_sg_iot: the Scottish Government IxI wide file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kil_io.errors import MissingFileError, NonNumericError, ReaderError
from kil_io.readers import SG_FINAL_DEMAND, SG_IOC098, read_sg_iot
from kil_io.readers.tablecsv import read_table_csv

REPO = Path(__file__).resolve().parents[1]
RAW_SG = Path(__file__).resolve().parents[2] / "shared" / "data-raw" / "sg-io-1998-2019" / "IxI_wide.xlsx"
needs_raw = pytest.mark.skipif(
    not RAW_SG.is_file(), reason=f"raw SG file not present at {RAW_SG} (../shared/data-raw); conversion checks skipped"
)
#: SG IxI_wide.xlsx, 2019: row TOut, column TOT_IU (total output, £m); row CoE, column TOT_IU.
SG_2019 = {"output": 268_339.618882, "income": 84_040.255897}

# ---------------------------------------------------------------------- a 3-industry file in the SG wide layout
INDUSTRIES = {"IOC098_001": "01", "IOC098_002": "10.1", "IOC098_003": "97"}
Z = np.array([[10.0, 20.5, 0.0], [4.0, 30.0, 0.0], [0.0, 0.0, 0.0]])
FD = {  # per industry, the 10 final-use columns
    "HOUSEHOLD": [5.0, 40.0, 6.0],
    "NPISH": [0.0, 1.0, 0.0],
    "FD_CENGOV": [0.5, 2.0, 0.0],
    "FD_LOCGOV": [0.25, 1.0, 0.0],
    "GFCF": [1.0, 0.0, 0.0],
    "VALUABLES": [0.0, 0.125, 0.0],
    "INVENTORIES": [-1.0, 0.5, 0.0],
    "EXPORTS_NONRES": [0.0, 3.0, 0.0],
    "EXPORTS_RUK": [20.0, 10.0, 0.0],
    "EXPORTS_ROW": [6.0, 4.0, 0.0],
}
#: primary-input rows over the industry columns (GOS closes each column), and over the final-use columns
PRIMARY = {"RUKImp": [3.0, 5.0, 0.0], "RoWImp": [2.0, 1.0, 0.0], "TlSPrds": [0.5, 0.5, 0.0]}
PRIMARY |= {"TlSPrdn": [-4.0, 1.0, 0.0], "CoE": [10.0, 20.0, 6.0]}
FD_IMPORTS = {"RUKImp": 7.0, "RoWImp": 3.0, "TlSPrds": 2.0}  # in every final-use column


def sg_rows(year: int, imbalance: float = 0.0, **changes: float) -> list[dict[str, object]]:
    """One year of the synthetic table as sheet rows.

    ``imbalance`` is added to the exports of industry '10.1' after its output is fixed, so its
    row adds up to more than its column (as SG's row 06-08); ``changes`` overwrite cells named
    'row|column' after every total is computed.
    """
    ind = list(INDUSTRIES)
    fd = pd.DataFrame(FD, index=list(INDUSTRIES.values()))
    x = Z.sum(axis=1) + fd.sum(axis=1).to_numpy()
    cells = pd.DataFrame(Z, index=fd.index, columns=ind).join(fd)
    for code, values in PRIMARY.items():
        cells.loc[code, ind] = values
        cells.loc[code, list(FD)] = FD_IMPORTS.get(code, np.nan)
    cells.loc["GOS", ind] = x - Z.sum(axis=0) - sum(np.array(v) for v in PRIMARY.values())
    cells.loc["10.1", "EXPORTS_ROW"] += imbalance
    rows = list(INDUSTRIES.values())
    cells.loc["TDU"] = cells.loc[rows].sum()
    cells.loc["TIU"] = cells.loc[["TDU", "RUKImp", "RoWImp"]].sum(min_count=1)
    cells.loc["GVA", ind] = cells.loc[["TlSPrdn", "CoE", "GOS"], ind].sum()
    cells.loc["TOut", ind] = cells.loc[["TIU", "TlSPrds", "GVA"], ind].sum()
    cells["TOT_IU"] = cells[ind].sum(axis=1)
    cells["TOT_FC"] = cells[["HOUSEHOLD", "NPISH", "FD_CENGOV", "FD_LOCGOV"]].sum(axis=1, min_count=1)
    cells["TOT_GCF"] = cells[["GFCF", "VALUABLES", "INVENTORIES"]].sum(axis=1, min_count=1)
    cells["TOT_EXPORTS"] = cells[["EXPORTS_NONRES", "EXPORTS_RUK", "EXPORTS_ROW"]].sum(axis=1, min_count=1)
    cells["TOT_FUSE"] = cells[["TOT_FC", "TOT_GCF", "TOT_EXPORTS"]].sum(axis=1, min_count=1)
    cells["TOT_USE"] = cells[["TOT_IU", "TOT_FUSE"]].sum(axis=1, min_count=1)
    order = [*rows, "TDU", "RUKImp", "RoWImp", "TIU", "TlSPrds", "TlSPrdn", "CoE", "GOS", "GVA", "TOut"]
    cells = cells.loc[order].astype(object)
    for key, value in changes.items():
        r, c = key.split("|")
        cells.loc[r, c] = value
    names = dict(zip(rows, ["Agriculture", "Meat processing", "Households as employers"], strict=True))
    ids = {"table": "IxI", "pubdate": "26/10/2022", "year": year}
    return [
        {**ids, "ioc098_sic": code, "ioc098_short_description": names.get(code, code), **row.to_dict()}
        for code, row in cells.iterrows()
    ]


def write_sg(tmp_path: Path, years: tuple[int, ...] = (2018, 2019), imbalance: float = 0.0, **changes: object) -> Path:
    """The synthetic file; changes named 'row|column' are cells, others whole identifier columns."""
    cells = {k: v for k, v in changes.items() if "|" in k}
    rows = [row for year in years for row in sg_rows(year, imbalance, **cells)]
    frame = pd.DataFrame(rows)
    for key, value in changes.items():
        if "|" not in key:
            frame[key] = value
    path = tmp_path / "IxI_wide.xlsx"
    frame.to_excel(path, sheet_name="IxI_wide", index=False)
    return path


def test_synthetic_file_is_read_by_code(tmp_path: Path) -> None:
    table = read_sg_iot(write_sg(tmp_path), 2019, industries=INDUSTRIES)
    assert table.sectors == tuple(INDUSTRIES)
    assert table.names == ("Agriculture", "Meat processing", "Households as employers")
    np.testing.assert_array_equal(table.Z, Z)
    assert table.final_demand_labels == tuple(SG_FINAL_DEMAND.values())
    np.testing.assert_array_equal(table.final_demand, pd.DataFrame(FD).to_numpy())
    v = table.to_frames()["primary_inputs"]
    assert list(v.index) == [
        "imports_rest_of_uk", "imports", "product_taxes", "production_taxes", "compensation_of_employees",
        "gross_operating_surplus",
    ]  # fmt: skip
    assert v.loc["imports_rest_of_uk"].tolist() == PRIMARY["RUKImp"]
    assert v.loc["imports"].tolist() == PRIMARY["RoWImp"]
    np.testing.assert_allclose(table.output, Z.sum(axis=1) + pd.DataFrame(FD).sum(axis=1))
    assert (table.area, table.year) == ("Scotland", 2019)
    assert "Tables 2018-2019 (published 26/10/2022)" in table.source


def test_rows_are_found_by_code_not_position(tmp_path: Path) -> None:
    path = write_sg(tmp_path)
    frame = pd.read_excel(path, dtype=object)
    frame.iloc[::-1].to_excel(path, sheet_name="IxI_wide", index=False)  # every row in reverse order
    reversed_ = read_sg_iot(path, 2019, industries=INDUSTRIES)
    np.testing.assert_array_equal(reversed_.Z, Z)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match="no such file"):
        read_sg_iot(tmp_path / "IxI_wide.xlsx", 2019)


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "IxI_wide.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(ReaderError, match=r"not an \.xlsx workbook"):
        read_sg_iot(path, 2019)


def test_not_an_sg_wide_file(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    pd.DataFrame({"a": [1], "b": [2]}).to_excel(path, index=False)
    with pytest.raises(ReaderError, match=r"columns \['table', 'year', 'ioc098_sic', .*Scottish Government"):
        read_sg_iot(path, 2019)


def test_product_by_product_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match=r"column 'table' holds \['PxP'\]; expected 'IxI'"):
        read_sg_iot(write_sg(tmp_path, table="PxP"), 2019, industries=INDUSTRIES)


def test_unknown_year_lists_the_years(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match=r"no rows for year 2020; years in the file: 2017-2019 \(3 years\)"):
        read_sg_iot(write_sg(tmp_path, (2017, 2018, 2019)), 2020, industries=INDUSTRIES)


def test_missing_industry_row(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match=r"rows \(ioc098_sic\) differ .*missing \['12'\], unexpected \['97'\]"):
        read_sg_iot(write_sg(tmp_path), 2019, industries={**dict(list(INDUSTRIES.items())[:2]), "IOC098_003": "12"})


def test_default_classification_needs_all_98(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match=r"missing \['02.1, 02.4', '02.2-3'"):
        read_sg_iot(write_sg(tmp_path), 2019)


def test_non_numeric_cell_is_named(tmp_path: Path) -> None:
    path = write_sg(tmp_path, **{"10.1|IOC098_001": "n/a"})
    with pytest.raises(NonNumericError, match=r"row '10.1', column 'IOC098_001' \(cell F\d+\) is 'n/a'"):
        read_sg_iot(path, 2019, industries=INDUSTRIES)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("01|TOT_IU", r"row '01', column 'TOT_IU'.*IOC098_001 \+ IOC098_002 \+ IOC098_003"),
        ("TDU|IOC098_001 TDU|TOT_IU TDU|TOT_USE", r"row 'TDU', column 'IOC098_001'.*01 \+ 10.1 \+ 97"),
        ("10.1|TOT_FC", r"row '10.1', column 'TOT_FC'.*HOUSEHOLD \+ NPISH \+ FD_CENGOV \+ FD_LOCGOV"),
        ("GVA|IOC098_002 GVA|TOT_IU", r"row 'GVA', column 'IOC098_002'.*TlSPrdn \+ CoE \+ GOS"),
    ],
)
def test_totals_that_disagree_are_named(tmp_path: Path, cell: str, message: str) -> None:
    rows = {row["ioc098_sic"]: row for row in sg_rows(2019)}
    changes = {key: float(rows[key.split("|")[0]][key.split("|")[1]]) + 1.0 for key in cell.split()}
    path = write_sg(tmp_path, **changes)
    with pytest.raises(ReaderError, match=f"totals disagree at {message}"):
        read_sg_iot(path, 2019, industries=INDUSTRIES)


def test_row_balance_tolerance(tmp_path: Path) -> None:
    """Total use above output (as SG's row 06-08): within balance_rtol it is read, beyond it is refused."""
    output = float(next(row for row in sg_rows(2019) if row["ioc098_sic"] == "TOut")["IOC098_002"])
    path = write_sg(tmp_path, imbalance=1e-5 * output)
    assert read_sg_iot(path, 2019, industries=INDUSTRIES).balance_rtol == 2e-5
    with pytest.raises(ReaderError, match=r"row '10.1', column 'TOT_USE'.*column's output 'TOut'.*tolerance 5e-06"):
        read_sg_iot(path, 2019, industries=INDUSTRIES, balance_rtol=5e-6)


def test_classification_matches_sg() -> None:
    assert len(SG_IOC098) == 98
    assert (SG_IOC098["IOC098_001"], SG_IOC098["IOC098_071"], SG_IOC098["IOC098_098"]) == ("01", "68.2IMP", "97")


@needs_raw
def test_raw_file_converts_to_the_shipped_table() -> None:
    table = read_sg_iot(RAW_SG, 2019)
    shipped = read_table_csv(REPO / "data" / "sg_iot_2019.csv")
    assert table.sectors == shipped.sectors
    assert table.names == shipped.names
    for name in ("Z", "final_demand", "primary_inputs", "output"):
        np.testing.assert_array_equal(getattr(table, name), getattr(shipped, name))
    assert table.output.sum() == pytest.approx(SG_2019["output"], abs=1e-6)
    assert table.income.sum() == pytest.approx(SG_2019["income"], abs=1e-6)


@needs_raw
def test_raw_file_other_years_and_errors() -> None:
    assert read_sg_iot(RAW_SG, 1998).n == 98
    with pytest.raises(ReaderError, match=r"no rows for year 2020; years in the file: 1998-2019 \(22 years\)"):
        read_sg_iot(RAW_SG, 2020)
