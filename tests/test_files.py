"""Atomic writes that never replace a different file unasked."""

from __future__ import annotations

from pathlib import Path

import pytest

from kil_io.files import write_text_atomic


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
