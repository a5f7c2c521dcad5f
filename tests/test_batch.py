"""The batch runner: strict case lists, checks before any kernel starts, real papermill runs that lose nothing."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from batch_cases import NOTEBOOKS, files, killer_template

from kil_io import datasets
from kil_io.cli import main
from kil_io.errors import BatchError, KilIOError
from kil_io.reporting import index_page
from kil_io.runner import batch
from kil_io.runner.batch import Case, load_cases, run_cases, validate


@pytest.fixture(scope="module")
def sequential(templates: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[batch.CaseResult]]:
    out = tmp_path_factory.mktemp("sequential")
    results = run_cases(load_cases(templates / "small.yaml"), out, jobs=1)
    index_page.write_index(out, results)
    return out, results


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# --- the shipped case list -------------------------------------------------------------------------


def test_shipped_case_list_covers_the_issue_and_validates() -> None:
    cases = {c.name: c for c in load_cases()}
    assert {"halifax_opportunities_trust", "jubilee_childrens_centre", "jubilee_commissioning", "calderdale"} <= set(
        cases
    )
    assert cases["jubilee_commissioning"].parameters == {"case": "jubilee_childrens_centre", "contract_value": 1000000}
    regional = {c.parameters["area"] for c in cases.values() if c.template.name == "regional_multipliers.ipynb"}
    # the six Keep it Local pilot areas, the rest of West Yorkshire, York and North Yorkshire (2023)
    pilots = {"Bradford", "Bristol, City of", "Calderdale", "Dorset", "Hackney", "Shropshire"}
    assert {datasets.area(a).code for a in regional} == {
        datasets.area(a).code for a in [*pilots, "Kirklees", "Leeds", "Wakefield", "York", "E06000065"]
    }
    for case in cases.values():
        validate(case)  # templates exist, parameters match their parameters cell, areas and case studies exist


# --- the case list is read strictly ----------------------------------------------------------------

GOOD = "  - name: ok\n    template: uk_multipliers.ipynb\n"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (GOOD + "    paramters: {year: 2020}\n", r"case 1 \('ok'\): unknown key\(s\) 'paramters'; allowed: name"),
        (GOOD + GOOD, r"case names must be unique; given more than once: ok"),
        ("  - name: ../x\n    template: uk_multipliers.ipynb\n", r"case name '\.\./x' is not lower_snake"),
        ("  - name: Leeds Study\n    template: uk_multipliers.ipynb\n", r"'Leeds Study' is not lower_snake"),
        ("  - name: x\n    template: ../../etc/uk_multipliers.ipynb\n", r"must be a notebook file name in"),
        ("  - name: x\n", r"case 1 \('x'\): missing key\(s\) template"),
        (GOOD + "    parameters: [1, 2]\n", r"parameters must be a mapping"),
        (GOOD + "    parameters: {year: 2020, year: 2021}\n", r"keys given more than once: \['year'\]"),
        ("  - just a string\n", r"case 1: expected a mapping"),
    ],
    ids=[
        "unknown-key",
        "duplicate-name",
        "traversal",
        "not-snake",
        "template-path",
        "missing",
        "params",
        "dup-key",
        "scalar",
    ],
)
def test_bad_case_list_is_rejected_with_the_case_and_key(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text("cases:\n" + text)
    with pytest.raises(BatchError, match=match):
        load_cases(path)


def test_case_list_needs_a_cases_key_and_must_exist(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text("- name: x\n  template: a.ipynb\n")
    with pytest.raises(BatchError, match="one top-level key 'cases'"):
        load_cases(path)
    with pytest.raises(BatchError, match=r"not found \(give one with --cases\)"):
        load_cases(tmp_path / "missing.yaml")


# --- parameters are checked against the template and the data before any kernel starts -------------


@pytest.mark.parametrize(
    ("template", "parameters", "match"),
    [
        ("uk_multipliers", {"yaer": 2020}, r"'yaer' is not a parameter of uk_multipliers.ipynb \(it has: year"),
        ("uk_multipliers", {"year": "2020"}, r"'year' = '2020' is a str, but uk_multipliers.ipynb expects a int"),
        ("uk_multipliers", {"year": 2020.0}, r"'year' = 2020.0 is a float, but .* expects a int"),
        ("uk_multipliers", {"year": True}, r"'year' = True is a bool"),
        ("uk_multipliers", {"sectors": "P85"}, r"'sectors' = 'P85' is a str, but .* expects a list of str"),
        ("uk_multipliers", {"sectors": [85]}, r"'sectors' = \[85\] is a list of int, but .* expects a list of str"),
        ("regional_multipliers", {"area": "Leds"}, r"'Leds' is not a shipped area: .*did you mean: Leeds \(E08000035"),
        ("regional_multipliers", {"delta": "0.2"}, r"'delta' = '0.2' is a str, but .* expects a float"),
        ("organisation_impact", {"case": "nope"}, r"'case' = 'nope' is not a shipped case study; shipped: bradford_f"),
        ("no_such_template", {}, r"template .*no_such_template.ipynb not found"),
        ("regional_multipliers", {"results_folder": "/tmp"}, r"'results_folder' is set by the runner"),
    ],
)  # fmt: skip
def test_bad_parameters_name_case_parameter_and_value(template: str, parameters: dict, match: str) -> None:
    case = Case("my_case", NOTEBOOKS / f"{template}.ipynb", parameters)
    with pytest.raises(BatchError, match=r"case 'my_case': .*" + match):
        validate(case)


def test_good_parameters_pass() -> None:
    # an int may stand for a float; areas by name or code, any case
    validate(Case("a", NOTEBOOKS / "regional_multipliers.ipynb", {"delta": 0, "area": "e08000035", "year": 2015}))
    validate(Case("b", NOTEBOOKS / "regional_multipliers.ipynb", {"area": "TLE4", "sectors": ["P85"]}))


def test_case_names_are_checked_at_construction() -> None:
    with pytest.raises(BatchError, match="not lower_snake"):
        Case("x/../../y", NOTEBOOKS / "uk_multipliers.ipynb")
    with pytest.raises(BatchError, match="not a Python identifier"):
        Case("x", NOTEBOOKS / "uk_multipliers.ipynb", {"not-a-name": 1})
    assert isinstance(BatchError("x"), KilIOError | ValueError)


def test_overrides_are_read_as_yaml() -> None:
    assert batch.parse_parameter("year=2019") == ("year", 2019)
    assert batch.parse_parameter("delta=0.2") == ("delta", 0.2)
    assert batch.parse_parameter("sectors=[P85, Q86]") == ("sectors", ["P85", "Q86"])
    assert batch.parse_parameter("area=Leeds") == ("area", "Leeds")
    with pytest.raises(BatchError, match="not key=value"):
        batch.parse_parameter("year2019")


def test_invalid_case_fails_without_a_kernel_and_others_are_unaffected(tmp_path: Path) -> None:
    bad = Case("bad_area", NOTEBOOKS / "regional_multipliers.ipynb", {"area": "Atlantis"})
    [result] = run_cases([bad], tmp_path)
    assert result.status == "failed"
    assert result.seconds == 0
    assert "'area' = 'Atlantis' is not a shipped area" in result.error
    assert sorted(p.name for p in (tmp_path / "bad_area.failed").iterdir()) == ["case.json", "error.txt"]
    assert not (tmp_path / "bad_area").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad_area.failed"]  # no temporary folder or lock left


def test_force_never_replaces_a_folder_the_runner_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "uk_small").mkdir()
    (tmp_path / "uk_small" / "uk_2022_type_i.csv").write_text("tables from kil-io multipliers\n")
    case = Case("uk_small", NOTEBOOKS / "uk_multipliers.ipynb", {"sectors": ["P85"]})
    for force in (False, True):  # not "skipped (use --force)": --force would not replace it either
        [failed] = run_cases([case], tmp_path, force=force)
        assert failed.status == "failed"
        assert "is not a kil-io run result (no case.json): it is never replaced" in failed.error
    assert (tmp_path / "uk_small" / "uk_2022_type_i.csv").read_text() == "tables from kil-io multipliers\n"
    assert not (tmp_path / "uk_small.failed").exists()
    index_page.write_index(tmp_path, [failed])
    assert "is not a kil-io run result" in (tmp_path / "index.html").read_text()


# --- real runs ---------------------------------------------------------------------------------------


def test_run_writes_executed_notebook_html_results_and_index(sequential: tuple[Path, list]) -> None:
    out, results = sequential
    assert [(r.name, r.status, r.error) for r in results] == [("uk_small", "done", ""), ("leeds_small", "done", "")]
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "leeds_small", "uk_small"]  # no .tmp-* left
    for r in results:
        folder = out / r.name
        assert r.folder == folder
        assert {"notebook.ipynb", "notebook.html", "case.json"} <= {p.name for p in folder.iterdir()}
        nb = nbformat.read(folder / "notebook.ipynb", as_version=4)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert 'sectors = ["P85"]' in injected[0].source
        assert all(c.get("execution_count") for c in nb.cells if c.cell_type == "code" and c.source.strip())
        html = (folder / "notebook.html").read_text()
        assert "data:image/png;base64" in html
        info = json.loads((folder / "case.json").read_text())
        assert info["parameters"]["sectors"] == ["P85"]
        assert info["status"] == "done"
        if (folder / "headline.json").exists():
            assert r.headline == json.loads((folder / "headline.json").read_text())
    index = (out / "index.html").read_text()
    links = re.findall(r'href="([^"]+)"', index)
    assert "uk_small/notebook.html" in links
    assert "leeds_small/notebook.html" in links
    assert all((out / link).is_file() for link in links)  # relative links that resolve
    assert "UK, education only" in index
    assert not re.search(r'(src|href)="(https?:)?//', index)  # no external resources


def test_parallel_run_equals_sequential_run(sequential: tuple[Path, list], parallel_run: tuple[Path, list]) -> None:
    seq, seq_results = sequential
    par, par_results = parallel_run  # conftest: the run the Dask tests compare with too
    assert [(r.name, r.status, r.headline) for r in par_results] == [
        (r.name, r.status, r.headline) for r in seq_results
    ]
    for name in ("uk_small", "leeds_small"):
        a, b = files(seq / name), files(par / name)
        assert a.keys() == b.keys()
        for same in ("results.csv", "headline.json"):
            if same in a:
                assert a[same] == b[same], same
        nb_a, nb_b = (nbformat.reads(x["notebook.ipynb"].decode(), as_version=4) for x in (a, b))
        assert [c.source for c in nb_a.cells] == [c.source for c in nb_b.cells]


def test_failure_keeps_old_result_force_replaces_and_skip_touches_nothing(
    sequential: tuple[Path, list], templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    shutil.copytree(sequential[0], out)
    (out / "uk_small" / "marker.txt").write_text("from an earlier run")
    leeds_before = files(out / "leeds_small")

    # Leeds now fails in the notebook (no BRES data for 2014): its good result stays, uk_small is re-run
    broken, small = str(templates / "broken.yaml"), str(templates / "small.yaml")
    status, text, err = cli(capsys, "run", "--all", "--cases", broken, "--out", str(out), "--jobs", "2", "--force")
    assert status == 1
    assert re.search(r"leeds_small\s+failed\s+[\d.]+\s+AreaError: no BRES employment for Leeds in year 2014", text)
    assert re.search(r"uk_small\s+done", text)
    assert "leeds_small.failed" in err or "<case>.failed" in err
    assert files(out / "leeds_small") == leeds_before  # nothing overwritten
    failed = out / "leeds_small.failed"
    assert {"failed.ipynb", "error.txt", "case.json"} <= {p.name for p in failed.iterdir()}
    assert "AreaError: no BRES employment for Leeds in year 2014" in (failed / "error.txt").read_text()
    assert "\x1b[" not in (failed / "error.txt").read_text()
    nb = nbformat.read(failed / "failed.ipynb", as_version=4)
    assert any(o.get("ename") == "AreaError" for c in nb.cells for o in c.get("outputs", []))
    assert not (out / "uk_small" / "marker.txt").exists()  # replaced with --force
    assert (out / "uk_small" / "notebook.ipynb").is_file()
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "leeds_small", "leeds_small.failed", "uk_small"]
    index = (out / "index.html").read_text()
    assert "failed (previous result kept)" in index
    assert "leeds_small.failed/error.txt" in index

    # without --force an existing result is skipped: nothing runs, nothing changes
    (out / "uk_small" / "marker.txt").write_text("keep me")
    before = files(out)
    status, text, err = cli(capsys, "run", "uk_small", "leeds_small", "--cases", small, "--out", str(out))
    assert status == 0
    assert re.search(r"uk_small\s+skipped\s+—\s+\(exists; use --force\)", text)
    assert "--force" in err
    after = files(out)
    assert after.pop("index.html") is not None
    before.pop("index.html")
    assert after == before


def test_cli_lists_cases_and_rejects_bad_selections(templates: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = str(templates / "small.yaml")
    status, text, _ = cli(capsys, "list", "--cases", cases)
    assert status == 0
    assert re.search(r"leeds_small\s+regional_multipliers.ipynb\s+area=Leeds year=2021 sectors=\[P85\]", text)
    status, _, err = cli(capsys, "run", "nope", "--cases", cases)
    assert status == 2
    assert "unknown case(s): nope; available: uk_small, leeds_small" in err
    status, _, err = cli(capsys, "run", "--cases", cases)
    assert status == 2
    assert "name the cases to run, or use --all" in err
    status, _, err = cli(capsys, "run", "--all", "-p", "year", "--cases", cases)
    assert status == 2
    assert "not key=value" in err


def test_help_documents_run(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = capsys.readouterr().out
    for word in ("--all", "--jobs", "--force", "KEY=VALUE", "--cases", "<case>.failed", "index.html", "exit status"):
        assert word in text


# --- what must not happen: typos, concurrent runs, leftovers, dying workers, Ctrl-C ----------------


def test_parameter_typo_fails_the_run_before_anything_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    status, _, err = cli(capsys, "run", "calderdale", "regional_leeds", "-p", "yaer=2019", "--out", str(out))
    assert status == 2
    assert "'yaer' is not a parameter of regional_multipliers.ipynb" in err
    assert not any(out.iterdir())


def test_one_run_at_a_time_and_leftovers_are_cleared(tmp_path: Path) -> None:
    import fcntl

    case = Case("bad_area", NOTEBOOKS / "regional_multipliers.ipynb", {"area": "Atlantis"})
    (tmp_path / ".tmp-old-case-deadbeef").mkdir()  # left by a killed run
    with (tmp_path / batch.LOCK_FILE).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(BatchError, match="another kil-io run is writing to"):
            run_cases([case], tmp_path)
    run_cases([case], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad_area.failed"]


def test_a_dying_worker_gets_its_case_one_more_try(tmp_path: Path) -> None:
    template = killer_template(tmp_path)
    case = Case("killer", template, {"marker": str(tmp_path / "marker")})
    # a case queued behind it in the one worker's pool hears of the death too: both re-run, each in its own worker
    (tmp_path / "marker_other").write_text("exists: never kills")
    other = Case("other", template, {"marker": str(tmp_path / "marker_other")})
    out = tmp_path / "out"
    result, behind = run_cases([case, other], out, jobs=1)
    assert (tmp_path / "marker").read_text() == "killed once"
    assert result.status == "done", result.error
    assert behind.status == "done", behind.error
    assert "second try ran" in (out / "killer" / "notebook.ipynb").read_text()
    assert sorted(p.name for p in out.iterdir()) == ["killer", "other"]  # the dead worker's temporary folder is gone


class SharedPool:
    """A runner like a process pool: a case named 'culprit' kills its worker, and every case sharing it hears so."""

    def __init__(self) -> None:
        self.rounds: list[list[str]] = []

    def run_round(self, cases: list[Case], out: Path) -> Iterator[tuple[Case, batch.Outcome | BaseException]]:
        self.rounds.append([c.name for c in cases])
        dies = any(c.name == "culprit" for c in cases)
        for case in cases:
            sent = {"notebook.ipynb": b"{}", "notebook.html": b"<html>"}
            yield case, batch.WorkerDied() if dies else batch.Outcome(True, 1.0, files=sent)


def test_a_dying_worker_takes_only_its_own_case(templates: Path, tmp_path: Path) -> None:
    # a worker that died broke the pool: every case sharing it was retried together, died again and failed
    # with "the worker process running it died 2 times"; survivors now re-run each alone
    [small, *_] = load_cases(templates / "small.yaml")
    cases = [dataclasses.replace(small, name=name) for name in ("first", "culprit", "last")]
    runner = SharedPool()
    results = {r.name: r for r in run_cases(cases, tmp_path, runner=runner)}
    assert runner.rounds == [["first", "culprit", "last"], ["first"], ["culprit"], ["last"], ["culprit"]]
    assert (results["first"].status, results["last"].status) == ("done", "done")
    assert (results["culprit"].status, results["culprit"].error) == (
        "failed", "the worker process running it died 2 times"
    )  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "culprit.failed", "first", "last"
    ]  # fmt: skip


def test_ctrl_c_stops_the_run_and_still_writes_the_index(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    # --no-pdf: printing briefs (a few seconds a case, in this process) is no part of stopping a run
    cmd = [sys.executable, "-m", "kil_io", "run", "--all", "--jobs", "1", "--no-pdf", "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # a case has started once its worker makes its .tmp-* folder: then interrupt (a fixed sleep
        # was either longer than needed or, on a loaded machine, too short)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if out.is_dir() and any(p.name.startswith(".tmp-") for p in out.iterdir()):
                break
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr
    assert (out / "index.html").is_file()
    assert "interrupted before it finished" in stdout
    assert not [p for p in out.iterdir() if p.name.startswith((".tmp-", ".old-", ".kil-io"))]


def test_case_pages_are_self_contained(sequential: tuple[Path, list]) -> None:
    out, _ = sequential
    html = (out / "uk_small" / "notebook.html").read_text(encoding="utf-8")
    assert not re.findall(r"""<script[^>]+src=["']https?://""", html)
    assert "data:image/png;base64" in html
