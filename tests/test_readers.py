"""Tests of kil_io.readers: the ONS IOT reader and kil_io's table CSV format."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter

from kil_io.errors import LabelError, NonNumericError, ReaderError
from kil_io.readers import ONS_FINAL_DEMAND, normalise_label, read_ons_iot
from kil_io.readers.tablecsv import read_table_csv

REPO = Path(__file__).resolve().parents[1]
RAW = Path(__file__).resolve().parents[2] / "shared" / "data-raw"
needs_raw = pytest.mark.skipif(
    not RAW.is_dir(), reason=f"raw ONS files not present at {RAW} (../shared/data-raw); conversion checks skipped"
)
RAW_IOT = {
    2019: "ons-ioat-2019-ixi/nasu1719in-IOT-only.xlsx",
    2020: "ons-ioat-2020-ixi/iot2020industry-IOT-only.xlsx",
    2022: "ons-ioat-2022-ixi/iot_sheet.csv",
}
# ONS's published 2022 totals (PROVENANCE.md), £m; compared to 1 £m.
PUBLISHED_2022 = {"output": 4_548_357, "gva": 2_266_082, "income": 1_243_584}


# ---------------------------------------------------------------------- a small table in the ONS layout
IND = ["X1", "Y2 & Y3", "Z4,  Z5"]  # the last has a double space, as ONS's "F41, F42  & F43"
Z_SYN = np.array([[10.0, 20.5, 3.0], [4.0, 50.0, 6.25], [7.0, 8.0, 90.0]])
FD_SYN = {  # per industry, in ONS_FINAL_DEMAND order except households, which closes the rows
    "P3 S13": [1.0, 2.0, 3.0],
    "P3 S15": [0.5, 0.0, 0.25],
    "P51G": [5.0, 6.0, 7.0],
    "P52": [-1.0, 0.5, -2.0],
    "P53": [0.0, 0.0, 0.125],
    "P61EU": [3.0, 4.0, 5.0],
    "P61RW": [2.0, 2.0, 2.0],
    "P62": [1.0, 9.0, 4.0],
}
PRIM_SYN = {"imports": [9.0, 8.0, 7.0], "taxes": [1.0, -0.5, 2.0], "D1": [30.0, 40.0, 50.0]}
PRIM_SYN |= {"GOS & MI": [20.0, 25.0, 35.5], "D29-D39": [0.5, -1.0, 1.5]}


def ons_grid(
    *, col_order: list[int], row_order: list[int], dr: int = 0, dc: int = 0, fd_reverse: bool = False
) -> tuple[dict[tuple[int, int], object], dict[tuple[str, str], tuple[int, int]]]:
    """Cells of a 3-industry sheet in the ONS IOT layout, and the (row, column) of each (row code, column code)."""
    x = Z_SYN.sum(axis=0) + sum(np.array(v) for v in PRIM_SYN.values())  # column totals = output
    fd = {k: np.array(v) for k, v in FD_SYN.items()}
    fd["P3 S14"] = x - Z_SYN.sum(axis=1) - sum(fd.values())
    assert (fd["P3 S14"] > 0).all()
    fd["P3 S1"] = fd["P3 S13"] + fd["P3 S14"] + fd["P3 S15"]
    right = {"_T": Z_SYN.sum(axis=1), **fd}
    right["TU"] = right["_T"] + sum(fd[c] for c in ["P3 S1", "P51G", "P52", "P53", "P61EU", "P61RW", "P62"])
    gva = np.array(PRIM_SYN["D1"]) + np.array(PRIM_SYN["GOS & MI"]) + np.array(PRIM_SYN["D29-D39"])
    below = {"_T": Z_SYN.sum(axis=0), "imports": PRIM_SYN["imports"], "taxes": PRIM_SYN["taxes"]}
    below |= {k: PRIM_SYN[k] for k in ("D1", "GOS & MI", "D29-D39")} | {"GVA": gva, "P1": x}

    fd_codes = ["P3 S1", *ONS_FINAL_DEMAND]
    fd_codes = fd_codes[::-1] if fd_reverse else fd_codes
    col_codes = [IND[i] for i in col_order] + ["_T", *fd_codes, "TU"]
    hr, cc = 3 + dr, dc
    grid: dict[tuple[int, int], object] = {(0, 0): "2021 Input-Output Analytical Tables", (1, 0): "£ million"}
    grid[(hr, cc + 1)], grid[(hr + 2, cc)], grid[(hr + 2, cc + 1)] = "SIC", "SIC", "Industry"
    col_at = {code: cc + 2 + k + (k >= 3) for k, code in enumerate(col_codes)}  # a blank column after the industries
    for code, c in col_at.items():
        grid[(hr, c)], grid[(hr + 1, c)] = f" {code}\xa0", f"name of {code}"
    row_codes = [IND[i] for i in row_order] + ["_T", "imports", "taxes", "purchasers", "D1", "GOS & MI"]
    row_codes += ["D29-D39", "GVA", "P1"]
    labels = {"_T": "Total intermediate use", "imports": "Use of imported products, cif"}
    labels |= {"taxes": "Taxes less subsidies on products", "purchasers": "Total at purchasers' prices"}
    labels |= {"D29-D39": "Taxes less subsidies on production", "GVA": "Gross value added", "P1": "Total output"}
    row_at = {code: hr + 3 + k for k, code in enumerate(row_codes)}
    where: dict[tuple[str, str], tuple[int, int]] = {}
    for code, r in row_at.items():
        if code not in ("imports", "taxes", "purchasers"):
            grid[(r, cc)] = code
        grid[(r, cc + 1)] = labels.get(code, f"Industry {code} \xa0")
        for cname, c in col_at.items():
            where[(code, cname)] = (r, c)
    for i, code in enumerate(IND):
        for j, other in enumerate(IND):
            grid[where[(code, other)]] = Z_SYN[i, j]
        for cname, values in right.items():
            grid[where[(code, cname)]] = values[i]
    for cname, values in right.items():
        grid[where[("_T", cname)]] = values.sum()
    for rname, values in below.items():
        for j, other in enumerate(IND):
            grid[where[(rname, other)]] = values[j]
        grid[where[(rname, "_T")]] = float(np.sum(values))
    return grid, where


def save(grid: dict[tuple[int, int], object], path: Path, *, sheet: str = "IOT") -> Path:
    if path.suffix == ".csv":
        height, width = max(r for r, _ in grid) + 1, max(c for _, c in grid) + 1
        rows = [["" for _ in range(width)] for _ in range(height)]
        for (r, c), v in grid.items():
            rows[r][c] = repr(float(v)) if isinstance(v, float | np.floating) else str(v)
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
        return path
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for (r, c), v in grid.items():
        ws.cell(row=r + 1, column=c + 1, value=v)
    book.save(path)
    return path


def synthetic(tmp_path: Path, suffix: str = ".xlsx", **changes: object) -> Path:
    """An ONS-layout file with industries permuted; ``changes`` maps (row code, column code) to a new value."""
    grid, where = ons_grid(col_order=[2, 0, 1], row_order=[1, 2, 0], dr=2, dc=1, fd_reverse=True)
    for key, value in changes.items():
        grid[where[tuple(key.split("|"))]] = value  # type: ignore[index]
    return save(grid, tmp_path / f"synthetic{suffix}")


def cell_name(path: Path, key: tuple[str, str]) -> str:
    _, where = ons_grid(col_order=[2, 0, 1], row_order=[1, 2, 0], dr=2, dc=1, fd_reverse=True)
    r, c = where[key]
    return f"cell {get_column_letter(c + 1)}{r + 1}" if path.suffix == ".xlsx" else f"line {r + 1}, field {c + 1}"


# ---------------------------------------------------------------------- the reader finds everything by code
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize(
    "layout",
    [
        {"col_order": [0, 1, 2], "row_order": [0, 1, 2]},
        {"col_order": [2, 0, 1], "row_order": [1, 2, 0], "dr": 2, "dc": 1, "fd_reverse": True},
        {"col_order": [1, 2, 0], "row_order": [2, 1, 0], "dr": 7, "dc": 4},
    ],
)
def test_synthetic_sheet_is_read_by_code(tmp_path: Path, suffix: str, layout: dict) -> None:
    grid, _ = ons_grid(**layout)
    table = read_ons_iot(save(grid, tmp_path / f"iot{suffix}"), area="Testland")
    codes = [normalise_label(IND[i]) for i in layout["row_order"]]
    assert table.sectors == tuple(codes)
    assert "Z4, Z5" in table.sectors
    assert table.names == tuple(normalise_label(f"Industry {IND[i]} \xa0") for i in layout["row_order"])
    assert (table.year, table.area, table.units) == (2021, "Testland", "£m")
    order = layout["row_order"]
    np.testing.assert_array_equal(table.Z, Z_SYN[np.ix_(order, order)])
    assert table.final_demand_labels == tuple(ONS_FINAL_DEMAND.values())
    f = table.to_frames()["final_demand"]
    for ons, ours in ONS_FINAL_DEMAND.items():
        if ons != "P3 S14":
            np.testing.assert_array_equal(f[ours].to_numpy(), np.array(FD_SYN[ons])[order])
    assert table.primary_input_labels == (
        "imports",
        "product_taxes",
        "compensation_of_employees",
        "gross_operating_surplus",
        "production_taxes",
    )
    np.testing.assert_array_equal(table.primary_input("product_taxes"), np.array(PRIM_SYN["taxes"])[order])
    np.testing.assert_array_equal(table.income, np.array(PRIM_SYN["D1"])[order])
    x = Z_SYN.sum(axis=0) + sum(np.array(v) for v in PRIM_SYN.values())
    np.testing.assert_array_equal(table.output, x[order])


def test_year_given_must_match_title(tmp_path: Path) -> None:
    path = synthetic(tmp_path)
    assert read_ons_iot(path, year=2021).year == 2021
    with pytest.raises(ReaderError, match=r"year=2019 given but the sheet's title says \[2021\]"):
        read_ons_iot(path, year=2019)


def test_employment_is_attached_by_code(tmp_path: Path) -> None:
    fte = pd.Series([3.0, 1.0, 2.0], index=["Z4, Z5", "X1", "Y2 & Y3"])
    table = read_ons_iot(synthetic(tmp_path), employment=fte)
    assert dict(zip(table.sectors, table.employment, strict=True)) == {"X1": 1.0, "Y2 & Y3": 2.0, "Z4, Z5": 3.0}
    with pytest.raises(LabelError, match=r"not in the sheet \['W0'\], missing \['X1'\]"):
        read_ons_iot(synthetic(tmp_path), employment=pd.Series([1.0, 2.0, 3.0], index=["W0", "Y2 & Y3", "Z4, Z5"]))


# ---------------------------------------------------------------------- files that are not the ONS IOT sheet
def test_missing_file_is_a_reader_error(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="no such file") as info:
        read_ons_iot(tmp_path / "nope.xlsx")
    assert isinstance(info.value, FileNotFoundError)


def test_workbook_without_iot_sheet(tmp_path: Path) -> None:
    grid, _ = ons_grid(col_order=[0, 1, 2], row_order=[0, 1, 2])
    path = save(grid, tmp_path / "wrong.xlsx", sheet="Sheet1")
    with pytest.raises(ReaderError, match=r"no sheet 'IOT'; sheets: \['Sheet1'\]"):
        read_ons_iot(path)


def test_sheet_without_codes(tmp_path: Path) -> None:
    path = save({(0, 0): "Some other table", (2, 1): "A01", (3, 1): 1.0}, tmp_path / "other.xlsx")
    # the message names the sheet, the cell where a code was expected, and the editions kil_io knows
    with pytest.raises(ReaderError, match=r"sheet 'IOT' is not a layout kil_io knows: no row holds ONS's final-use "
                       r"codes .* expected at cell C4 of sheet 'IOT'.*Editions known: 2019-2023 industry by industry.*"
                       r"2017 product by product.*2010-2016 product by product"):  # fmt: skip
        read_ons_iot(path)


def test_sheet_without_row_codes(tmp_path: Path) -> None:
    grid, where = ons_grid(col_order=[0, 1, 2], row_order=[0, 1, 2])
    r, _ = where[("D1", "_T")]
    del grid[(r, 0)]
    with pytest.raises(ReaderError, match="no column holds the ONS row codes"):
        read_ons_iot(save(grid, tmp_path / "nod1.xlsx"))


def test_duplicated_column_code(tmp_path: Path) -> None:
    grid, where = ons_grid(col_order=[0, 1, 2], row_order=[0, 1, 2])
    _, c = where[("X1", "Y2 & Y3")]
    grid[(3, c)] = "X1"
    with pytest.raises(ReaderError, match="column code 'X1' appears twice in the header row"):
        read_ons_iot(save(grid, tmp_path / "dup.xlsx"))


@pytest.mark.parametrize(("name", "content"), [("bad.xlsx", b"not a zip file"), ("table.txt", b"a,b\n")])
def test_unreadable_or_unsupported_file(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReaderError, match=r"not an .xlsx workbook|unsupported file type '.txt'"):
        read_ons_iot(path)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("value", ["n/a", "NA", "..", None, float("nan")])
def test_non_numeric_cell_is_named(tmp_path: Path, suffix: str, value: object) -> None:
    path = synthetic(tmp_path, suffix, **{"Y2 & Y3|X1": value})
    where = cell_name(path, ("Y2 & Y3", "X1"))
    with pytest.raises(NonNumericError, match=rf"row 'Y2 & Y3', column 'X1' \({where}.*\) is .*not a finite number"):
        read_ons_iot(path)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"Y2 & Y3|X1": 4.0 + 46}, r"row 'Y2 & Y3': Y2 & Y3 \+ Z4, Z5 \+ X1 = 106.250000 but column '_T' = 60.250000"),
        ({"GVA|X1": 50.0, "GVA|_T": 201.0}, r"column 'X1': D1 \+ GOS & MI \+ D29-D39 = 50.500000 but row 'GVA' = 50.0"),
        ({"X1|TU": 300.0}, r"row 'X1': _T \+ P3 S1 \+ P51G .* but column 'TU' = 300.000000"),
        ({"P1|_T": 1.0}, r"row 'P1': Y2 & Y3 \+ Z4, Z5 \+ X1 = .* but column '_T' = 1.000000"),
    ],
)
def test_totals_that_disagree_are_named(tmp_path: Path, changes: dict[str, float], message: str) -> None:
    path = synthetic(tmp_path, **changes)
    with pytest.raises(ReaderError, match=message) as info:
        read_ons_iot(path)
    assert "totals disagree" in str(info.value)
    assert str(path) in str(info.value)


def test_tiny_rounding_in_totals_is_accepted(tmp_path: Path) -> None:
    grid, where = ons_grid(col_order=[0, 1, 2], row_order=[0, 1, 2])
    grid[where[("X1", "_T")]] = float(grid[where[("X1", "_T")]]) * (1 + 1e-9)  # type: ignore[arg-type]
    assert read_ons_iot(save(grid, tmp_path / "ok.xlsx")).n == 3


# ---------------------------------------------------------------------- the real ONS files
@needs_raw
@pytest.mark.parametrize("year", sorted(RAW_IOT))
def test_raw_file_converts_to_the_shipped_table(year: int) -> None:
    raw = read_ons_iot(RAW / RAW_IOT[year])
    shipped = read_table_csv(REPO / "data" / f"uk_iot_{year}.csv")
    assert raw.year == shipped.year == year
    for field in ("sectors", "names", "final_demand_labels", "primary_input_labels", "area", "units"):
        assert getattr(raw, field) == getattr(shipped, field), field
    for field in ("Z", "final_demand", "primary_inputs", "output"):
        np.testing.assert_array_equal(getattr(raw, field), getattr(shipped, field), err_msg=field)
    assert raw.n == 105


@needs_raw
def test_raw_2022_matches_published_totals() -> None:
    table = read_ons_iot(RAW / RAW_IOT[2022])
    assert table.output.sum() == pytest.approx(PUBLISHED_2022["output"], abs=1)
    assert table.gva.sum() == pytest.approx(PUBLISHED_2022["gva"], abs=1)
    assert table.income.sum() == pytest.approx(PUBLISHED_2022["income"], abs=1)


@needs_raw
def test_raw_editions_share_one_code_set() -> None:
    codes = {year: read_ons_iot(RAW / path).sectors for year, path in RAW_IOT.items()}
    assert codes[2019] == codes[2020] == codes[2022]
    assert codes[2022][0] == "A01"
    assert codes[2022][-1] == "T97"
    assert {"F41, F42 & F43", "Q87 & Q88", "K65.1-2 & K65.3"} <= set(codes[2022])


# ---------------------------------------------------------------------- kil_io's table CSV
