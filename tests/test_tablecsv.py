"""kil_io's table CSV format: exact round trips and clear errors for damaged files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from examples import assert_same_table
from hypothesis import given, settings
from hypothesis import strategies as st

from kil_io.errors import LabelError, NonNumericError, ReaderError, TableError
from kil_io.model.table import IOTable
from kil_io.readers.tablecsv import read_table_csv, write_table_csv

REPO = Path(__file__).resolve().parents[1]


def small_table(**changes: object) -> IOTable:
    s = ["1", "2"]
    Z = pd.DataFrame([[150.0, 500.0], [200.0, 100.0]], index=s, columns=s)
    f = pd.DataFrame({"households": [350.0, 1700.0]}, index=s)
    v = pd.DataFrame([[650.0, 1400.0]], index=["compensation_of_employees"], columns=s)
    table = IOTable.from_frames(Z, f, v, area="M&B 2.3", names=["Agriculture, forestry", 'Manufacturing "all"'])
    return table.replace(**changes) if changes else table


def test_round_trip_with_employment_and_metadata(tmp_path: Path) -> None:
    table = small_table(employment=np.array([10.5, 0.1]), year=None, source="Miller & Blair (2009), Table 2.3")
    table = table.replace(metadata={"note": '£, commas, "quotes"\nand a newline', "n": [1, 2.5]}, balance_rtol=1e-9)
    path = write_table_csv(table, tmp_path / "t.csv")
    assert_same_table(read_table_csv(path), table)


def test_round_trip_of_a_shipped_table(tmp_path: Path) -> None:
    table = read_table_csv(REPO / "data" / "uk_iot_2022.csv")
    table = table.replace(employment=np.linspace(0.0, 1e5, table.n) / 3)
    again = read_table_csv(write_table_csv(table, tmp_path / "uk.csv"))
    assert_same_table(again, table)
    assert (tmp_path / "uk.csv").read_bytes() == write_table_csv(again, tmp_path / "uk2.csv").read_bytes()


finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.0, max_value=1e12, allow_nan=False, allow_infinity=False)


@settings(derandomize=True, max_examples=60, deadline=None)
@given(st.data())
def test_round_trip_is_exact_for_any_floats(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 4))
    Z = np.array(data.draw(st.lists(positive, min_size=n * n, max_size=n * n))).reshape(n, n)
    f = np.array(data.draw(st.lists(finite, min_size=n, max_size=n)))[:, None]
    x = Z.sum(axis=1) + f[:, 0]
    if (x <= 0).any():
        f[:, 0] += 1.0 - x.min() + 1e-3 * np.abs(f).max()
        x = Z.sum(axis=1) + f[:, 0]
    v = (x - Z.sum(axis=0))[None, :]
    table = IOTable(
        sectors=tuple(f"s{i}" for i in range(n)),
        Z=Z,
        final_demand=f,
        final_demand_labels=("inventories",),  # any sign
        primary_inputs=v,
        primary_input_labels=("gross_operating_surplus",),
        output=x,
        area="random",
        year=data.draw(st.integers(1990, 2030)),
        balance_rtol=1e-3,
    )
    path = tmp_path_factory.mktemp("rt") / "t.csv"
    assert_same_table(read_table_csv(write_table_csv(table, path)), table)


def edited(tmp_path: Path, old: str, new: str) -> Path:
    path = write_table_csv(small_table(), tmp_path / "t.csv")
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "error", "message"),
    [
        ("# kil_io table v1", "# kil_io table v9", ReaderError, "expected '# kil_io table v1'"),
        ('# units: "£m"\n', "", ReaderError, r"header lines \['units'\] are missing"),
        ("# year: null", "# year: 2O22", ReaderError, r"line 3 .* is not '# key: <JSON value>'"),
        ("# year: null", "# colour: 1", ReaderError, "is not '# key: <JSON value>'"),
        (",1700.0,2000.0\n", ",1700.0,2000.0,1\n", ReaderError, r"cannot be parsed as CSV.*saw 7"),
        (",200.0,100.0,", ",200.0,1OO,", NonNumericError, r"cell \(row '2', column '2'\) is '1OO'"),
        (",200.0,100.0,", ",200.0,,", NonNumericError, r"cell \(row '2', column '2'\) is empty"),
        # a row one field short once reported "output sector '2' is nan"
        (
            ",200.0,100.0,1700.0,2000.0\n",
            ",200.0,1700.0,2000.0\n",
            ReaderError,
            r"line 10 \(row '2'\) has 5 fields but the heading \(line 8\) has 6: no value for \['output'\]",
        ),
        (
            "compensation_of_employees,,650.0,1400.0,,",
            "compensation_of_employees,,650.0,1400.0,5,",
            ReaderError,
            r"row 'compensation_of_employees' must fill the sector columns only",
        ),
        (
            "compensation_of_employees,",
            "wages,",
            LabelError,
            r"columns of Z differ from its index.*missing: \['wages'\]",
        ),
    ],
)
def test_malformed_table_csv(tmp_path: Path, old: str, new: str, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        read_table_csv(edited(tmp_path, old, new))


def test_unbalanced_table_csv_is_a_table_error(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="does not balance"):
        read_table_csv(edited(tmp_path, ",200.0,100.0,", ",200.0,150.0,"))


def test_missing_table_csv(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="no such file"):
        read_table_csv(tmp_path / "none.csv")


def test_write_refuses_what_it_cannot_read_back(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="metadata cannot be written as JSON"):
        write_table_csv(small_table(metadata={"when": object()}), tmp_path / "t.csv")
    s = ["output", "2"]
    Z = pd.DataFrame([[1.0, 0.0], [0.0, 1.0]], index=s, columns=s)
    f = pd.DataFrame({"households": [1.0, 1.0]}, index=s)
    v = pd.DataFrame([[1.0, 1.0]], index=["imports"], columns=s)
    with pytest.raises(LabelError, match=r"labels \['output'\] clash"):
        write_table_csv(IOTable.from_frames(Z, f, v), tmp_path / "t.csv")


def test_windows_line_endings_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    # a table file saved on Windows was refused: "first line is '# kil_io table v1\\r'"
    table = small_table(employment=np.array([10.5, 0.1]), metadata={"note": "two\nlines"})
    path = write_table_csv(table, tmp_path / "t.csv")
    crlf = path.read_bytes().replace(b"\n", b"\r\n")
    for name, data in (("crlf.csv", crlf), ("bom.csv", b"\xef\xbb\xbf" + crlf)):
        (tmp_path / name).write_bytes(data)
        assert_same_table(read_table_csv(tmp_path / name), table)
