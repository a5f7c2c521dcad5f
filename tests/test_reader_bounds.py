"""Readers of official tables go through kil_io.limits and report what lies outside the expected table."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from test_readers import ons_grid, save

from kil_io.errors import LimitError, ReaderError
from kil_io.readers import read_ons_iot, read_sg_iot
from kil_io.readers.tablecsv import read_table_csv


def _bomb(valid: Path, path: Path, sheet: str) -> Path:
    """``valid`` with 200,000 junk rows appended to ``sheet``: about 1000:1 compression."""
    with zipfile.ZipFile(valid) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(sheet):
                junk = b"<row><c t='inlineStr'><is><t>x</t></is></c></row>" * 200_000
                data = data.replace(b"</sheetData>", junk + b"</sheetData>")
            dst.writestr(info.filename, data)
    return path


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_content_below_or_beside_the_table_is_reported(tmp_path: Path, suffix: str) -> None:
    grid, _ = ons_grid(col_order=[0, 1, 2], row_order=[0, 1, 2])
    last_row = max(r for r, _ in grid)
    last_col = max(c for _, c in grid)
    read_ons_iot(save(grid, tmp_path / f"ok{suffix}"))
    for extra in [(last_row + 3, 2), (4, last_col + 2)]:
        bad = {**grid, extra: 123.0}
        with pytest.raises(ReaderError, match=r"holds .*123.* outside the table .*remove what is beside or below"):
            read_ons_iot(save(bad, tmp_path / f"bad{suffix}"))


def test_a_compressed_junk_workbook_is_refused_at_once(tmp_path: Path) -> None:
    grid, _ = ons_grid(col_order=[0, 1, 2], row_order=[0, 1, 2])
    valid = save(grid, tmp_path / "valid.xlsx")
    start = time.perf_counter()
    with pytest.raises(LimitError, match=r"expands to .* of XML .* over kil_io's limit"):
        read_ons_iot(_bomb(valid, tmp_path / "ons.xlsx", "sheet1.xml"))  # took 155 s and 0.5 GB, then passed
    with pytest.raises(LimitError, match=r"expands to"):
        read_sg_iot(_bomb(valid, tmp_path / "IxI_wide.xlsx", "sheet1.xml"), 2019)
    assert time.perf_counter() - start < 2.0


def test_a_folder_is_not_a_table_file(tmp_path: Path) -> None:
    for read in (read_ons_iot, read_table_csv, lambda p: read_sg_iot(p, 2019)):
        with pytest.raises(ReaderError, match=r"is a folder, not a file"):
            read(tmp_path)
    with pytest.raises(ReaderError, match=r"nope.csv: no such file$"):
        read_table_csv(tmp_path / "nope.csv")
