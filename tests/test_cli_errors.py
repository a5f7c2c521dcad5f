"""Every kil-io path ends in a clear message, and -p overrides are checked before any kernel starts."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kil_io.cli import main
from kil_io.reporting import index_page
from kil_io.runner import batch
from kil_io.runner.caselist import Case


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(
    ("override", "match"),
    [
        ("sectors=[]", r"-p sectors=\[\]: is empty: name at least one IOAT sector code"),
        ("sectors=[P99]", r"-p sectors=\['P99'\]: names \['P99'\], not IOAT sector codes"),
        ("sectors=[P58]", r"not IOAT sector codes of the shipped tables \(did you mean: P85 \(Education\)"),
        ("delta=1.5", r"-p delta=1.5: is not in \[0, 1\)"),
        ("method=xlq", r"-p method='xlq': is not a regionalisation method"),
        ("area=Atlantis", r"-p area='Atlantis': is not a shipped area"),
        ("year=twenty", r"-p year='twenty': a str, but regional_multipliers.ipynb expects a int"),
    ],
)
def test_bad_overrides_fail_the_run_before_anything_starts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, override: str, match: str
) -> None:
    status, _, err = cli(capsys, "run", "calderdale", "-p", override, "--out", str(tmp_path))
    assert status == 2
    assert re.search(match, err), err
    assert not any(p.name != batch.LOCK_FILE for p in tmp_path.iterdir())  # nothing ran, nothing written


def test_an_override_that_changes_a_case_changes_its_title() -> None:
    case = Case("calderdale", Path("t.ipynb"), {"area": "Calderdale", "year": 2021}, "Calderdale local multipliers")
    assert case.with_parameters({"area": "UKK1"}).title == "Calderdale local multipliers (run with area=UKK1)"
    assert case.with_parameters({"area": "Calderdale"}).title == "Calderdale local multipliers"


def test_files_and_folders_that_cannot_be_used_are_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "latin1.yaml").write_bytes("cases:\n  - name: caf\xe9\n".encode("latin-1"))
    status, _, err = cli(capsys, "list", "--cases", str(tmp_path / "latin1.yaml"))
    assert (status, "Traceback" in err) == (2, False)
    assert "line 2" in err
    assert "not UTF-8 text" in err
    status, _, err = cli(capsys, "list", "--cases", str(tmp_path))
    assert status == 2
    assert "is a folder, not a case list" in err
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        status, _, err = cli(capsys, "multipliers", "--year", "2022", "--out", str(locked / "uk"))
        assert status == 2
        assert "permission denied" in err


def test_no_data_folder_still_gives_help_and_version(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIL_IO_DATA", "/nowhere/at/all")
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    status, _, err = cli(capsys, "cases")
    assert status == 2
    assert "kil_io data folder /nowhere/at/all not found" in err


def test_a_full_disk_at_the_index_keeps_the_summary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index_page, "write_index", full)
    monkeypatch.setattr(batch, "run_cases", lambda *a, **k: [batch.CaseResult("calderdale", "skipped", error="x")])
    status, out, err = cli(capsys, "run", "calderdale", "--out", str(tmp_path))
    assert "calderdale" in out  # the summary
    assert "could not write" in err
    assert "No space left on device" in err
    assert status == 0


def test_run_says_what_a_path_is_and_hints_at_a_case_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder.yaml").mkdir()
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "hub.yaml").write_text("kind: organisation\n")
    status, _, err = cli(capsys, "run", "folder.yaml", "--out", "o")
    assert (status, "case file folder.yaml is a folder: give the case file inside it" in err) == (2, True)
    status, _, err = cli(capsys, "run", "pipe.yaml", "--out", "o")
    assert (status, "case file pipe.yaml is not a regular file (a pipe or device?)" in err) == (2, True)
    status, _, err = cli(capsys, "run", "hub", "--out", "o")
    assert status == 2
    assert "unknown case(s): hub (to run your case file, give its name with .yaml: kil-io run hub.yaml)" in err
    assert not (tmp_path / "o").exists()
