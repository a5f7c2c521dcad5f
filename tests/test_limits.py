"""Bounded reading: sizes, expanded workbooks, cells, encodings, formulas without values, excerpts."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kil_io import limits
from kil_io.errors import LimitError, MissingFileError, ReaderError


def test_check_file_names_missing_folder_and_oversized(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match="no such ledger"):
        limits.check_file(tmp_path / "nope.csv", what="ledger")
    with pytest.raises(ReaderError, match="is a folder, not a ledger"):
        limits.check_file(tmp_path, what="ledger")
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(LimitError, match=r"2\.0 KB, over kil_io's limit of 1\.0 KB"):
        limits.check_file(big, max_bytes=1024)
    assert limits.check_file(big) == big


def test_read_text_reports_the_line_and_bytes_of_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes("name,pay\nAnn,30000\nJos\xe9,28000\n".encode("latin-1"))
    with pytest.raises(ReaderError, match=r"line 3 \(byte 22\) has b'\\xe9,28'.*save the staff list as UTF-8"):
        limits.read_text(path, what="staff list")
    path.write_bytes("\ufeffname\nJosé\n".encode())
    assert limits.read_text(path) == "name\nJosé\n"  # byte-order mark of Excel's "CSV UTF-8" dropped


def _book(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_read_xlsx_returns_rows_and_drops_trailing_empty_rows(tmp_path: Path) -> None:
    path = _book(tmp_path / "a.xlsx", [["supplier", "amount"], ["Acme", 1200.5], [None, None]])
    assert limits.read_xlsx(path) == [("supplier", "amount"), ("Acme", 1200.5)]
    with pytest.raises(ReaderError, match="no sheet 'Ledger'; sheets: \\['Sheet'\\]"):
        limits.read_xlsx(path, sheet="Ledger")


def test_a_formula_without_a_saved_value_names_its_cell(tmp_path: Path) -> None:
    # openpyxl writes formulas without cached values, as any program (not Excel) would
    path = _book(tmp_path / "f.xlsx", [["amount"], [10], [20], ["=SUM(A2:A3)"]])
    with pytest.raises(ReaderError, match=r"cell A4 holds the formula '=SUM\(A2:A3\)' with no saved value"):
        limits.read_xlsx(path)


def test_cells_are_counted_while_reading(tmp_path: Path) -> None:
    path = _book(tmp_path / "c.xlsx", [[1, 2, 3]] * 50)
    with pytest.raises(LimitError, match="more than 100 cells"):
        limits.read_xlsx(path, max_cells=100)


def test_a_highly_compressed_workbook_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    # a valid sheet followed by 200,000 rows of junk that compress about 1000:1
    valid = _book(tmp_path / "valid.xlsx", [["supplier", "amount"], ["Acme", 10]])
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(valid) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("sheet1.xml"):
                junk = b"<row><c t='inlineStr'><is><t>x</t></is></c></row>" * 200_000
                data = data.replace(b"</sheetData>", junk + b"</sheetData>")
            dst.writestr(info.filename, data)
    assert path.stat().st_size < 100_000
    start = time.perf_counter()
    with pytest.raises(LimitError, match=r"expands to .* of XML from .* on disk, over kil_io's limit"):
        limits.read_xlsx(path)
    assert time.perf_counter() - start < 1.0  # measured, not parsed


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ReaderError, match=r"not an \.xlsx workbook"):
        limits.read_xlsx(path)


def test_excerpt_is_short_whatever_the_value() -> None:
    assert len(limits.excerpt("x" * 10_000_000)) < 80
    assert len(limits.excerpt([["a" * 1000] * 1000] * 1000)) < 300
    assert limits.excerpt("£500") == "'£500'"
