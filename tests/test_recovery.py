"""A batch run killed at any step loses no result: fault injection at every file-system step, and the next run."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from kil_io.reporting import index_page
from kil_io.runner import batch
from kil_io.runner.batch import Case, Outcome, run_cases

RESULT_FILES = ("notebook.ipynb", "notebook.html", "results.csv", "headline.json")


class Killed(BaseException):
    """The run's process died here (SIGKILL, power loss): nothing after it touches the disk."""


class FaultyDisk:
    """Counts file-system changes and kills the process at the ``kill_at``-th; every later one dies too."""

    def __init__(self, kill_at: int) -> None:
        self.kill_at, self.steps, self.dead = kill_at, 0, False

    def wrap(self, function):
        def step(*args, **kwargs):
            if self.dead or self.steps == self.kill_at:
                self.dead = True
                raise Killed(f"killed at step {self.steps}: {function.__qualname__}{args[:2]}")
            self.steps += 1
            return function(*args, **kwargs)

        return step

    @classmethod
    def patch(cls, monkeypatch: pytest.MonkeyPatch, kill_at: int) -> FaultyDisk:
        disk = cls(kill_at)
        for module, name in [
            (os, "rename"), (os, "replace"), (os, "mkdir"), (os, "unlink"), (os, "rmdir"), (tempfile, "mkstemp"),
            (pathlib.Path, "write_text"), (pathlib.Path, "write_bytes"),
        ]:  # fmt: skip
            monkeypatch.setattr(module, name, disk.wrap(getattr(module, name)))
        return disk


class FakeRunner:
    """Executes a case without a kernel: writes its files (each a step) into a temporary folder of the run."""

    def run_round(self, cases: Sequence[Case], out: Path) -> Iterator[tuple[Case, Outcome]]:
        for case in cases:
            tmp = batch._mkdtemp(out, case.name)
            version = case.parameters["version"]
            if case.parameters.get("fails"):
                (tmp / "partial.txt").write_text(f"{version} {case.name}")
                yield case, Outcome(False, 0.1, "ValueError: boom (cell 3)", "ValueError: boom\n", folder=tmp)
                continue
            for file in RESULT_FILES:
                (tmp / file).write_text(json.dumps({"version": version, "case": case.name}))
            yield case, Outcome(True, 0.1, folder=tmp)


def _old_result(folder: Path, name: str) -> None:
    folder.mkdir()
    for file in RESULT_FILES:
        (folder / file).write_text(json.dumps({"version": "old", "case": name}))
    (folder / "case.json").write_text(json.dumps({"name": name, "status": "done", "parameters": {"version": "old"}}))


def _old_failure(folder: Path, name: str) -> None:
    folder.mkdir()
    (folder / "error.txt").write_text("old failure\n")
    (folder / "case.json").write_text(json.dumps({"name": name, "status": "failed", "parameters": {"version": "old"}}))


def _version(folder: Path) -> str | None:
    """'old' or 'new' for a complete result (every file present and of one run), None if there is none."""
    if not folder.exists():
        return None
    info = json.loads((folder / "case.json").read_text())
    versions = {json.loads((folder / file).read_text())["version"] for file in RESULT_FILES}
    assert info["status"] == "done"
    assert versions == {info["parameters"]["version"]}, f"{folder.name} mixes runs: {versions}"
    return info["parameters"]["version"]


def _setup(out: Path) -> list[Case]:
    out.mkdir()
    _old_result(out / "kept", "kept")  # re-run with --force and succeeds: replaced
    _old_result(out / "broken", "broken")  # re-run with --force and fails: kept, failure recorded
    _old_failure(out / "fixed.failed", "fixed")  # failed before, succeeds now: the failure is removed
    _old_failure(out / "again.failed", "again")  # failed before, fails again: the failure is replaced
    template = out.parent / "t.ipynb"  # never read: the fake runner executes nothing
    new = {"version": "new"}
    return [
        Case("kept", template, new),
        Case("broken", template, {**new, "fails": True}),
        Case("fixed", template, new),
        Case("again", template, {**new, "fails": True}),
        Case("first", template, new),  # never ran before
    ]


def test_a_run_killed_at_any_step_leaves_every_case_old_or_new_and_the_next_run_restores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "validate", lambda case: None)
    kill_at, completed = 0, False
    while not completed:
        out = tmp_path / f"run{kill_at}"
        cases = _setup(out)
        with monkeypatch.context() as faults:
            disk = FaultyDisk.patch(faults, kill_at)
            try:
                results = run_cases(cases, out, force=True, runner=FakeRunner())
                index_page.write_index(out, results)
                completed = not disk.dead
            except Killed:
                pass
        page = (out / "index.html").read_text() if (out / "index.html").exists() else ""
        assert not page or page.rstrip().endswith("</html>"), f"step {kill_at}: half an index"
        # the next run, even one that only skips a case, must restore and never delete the only copy
        run_cases([Case("kept", out.parent / "t.ipynb", {"version": "new"})], out, runner=FakeRunner())
        leftovers = sorted(p.name for p in out.iterdir() if p.name.startswith((".old-", ".tmp-", ".del-")))
        assert not leftovers, f"step {kill_at}: {leftovers}"
        assert _version(out / "kept") in {"old", "new"}, f"step {kill_at}: lost"
        assert _version(out / "broken") == "old", f"step {kill_at}"
        assert _version(out / "fixed") in {None, "new"}
        assert _version(out / "first") in {None, "new"}
        for name in ("again", "broken", "fixed"):
            failed = out / f"{name}.failed"
            if failed.exists():  # a whole failure record, old or new, or none once superseded
                info = json.loads((failed / "case.json").read_text())
                assert info["status"] == "failed"
                assert (failed / "error.txt").is_file()
        assert (out / "again.failed").exists(), f"step {kill_at}: a failure record lost"
        if completed:
            assert [_version(out / n) for n in ("kept", "broken", "fixed", "first")] == ["new", "old", "new", "new"]
            assert not (out / "fixed.failed").exists()
        shutil.rmtree(out)
        kill_at += 1
    assert kill_at > 40  # every rename, write and delete of the run and the index was a kill point


def test_a_result_that_cannot_be_restored_is_kept_and_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kil_io.errors import ResultRecoveryWarning

    _old_result(tmp_path / ".old-kept-0123abcd", "kept")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    with pytest.warns(ResultRecoveryWarning, match=r"\.old-kept-0123abcd holds the last result of kept"):
        batch._remove_stale(tmp_path)
    assert _version(tmp_path / ".old-kept-0123abcd") == "old"
