"""The Dask runner: the results, failures and skips of local worker processes; clear errors when it cannot run."""

from __future__ import annotations

import gc
import json
import re
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from batch_cases import files, killer_template

from kil_io import datasets, regional
from kil_io.cli import RUN_EPILOG, main
from kil_io.errors import BatchError, RegionError, ZeroOutputWarning
from kil_io.reporting import index_page
from kil_io.runner import cluster as runner_cluster
from kil_io.runner import distributed
from kil_io.runner.batch import Case, CaseResult, Outcome, WorkerDied, load_cases, run_cases

# Dask's clients and clusters run tornado/asyncio loops in threads of their own; one they leave
# for the garbage collector warns "unclosed event loop" in whichever test the collector happens to
# run, which made an unrelated assertion fail at random. The loops are Dask's, not kil_io's: the
# warning is ignored in this module, and the collector runs at its end so that none reaches the
# next module.
pytestmark = pytest.mark.filterwarnings("ignore:unclosed event loop:ResourceWarning")


@pytest.fixture(scope="module", autouse=True)
def _collect_dask_loops() -> Iterator[None]:
    yield
    gc.collect()


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# --- without a cluster: missing Dask, another kil_io on a worker ------------------------------------
# (first in the file: hiding the distributed package must not overlap a running cluster's threads)


def test_missing_dask_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` raises ImportError
    status, _, err = cli(
        capsys, "run", "uk_small", "--cases", str(templates / "small.yaml"), "--out", str(tmp_path), "--dask"
    )
    assert status == 2
    assert "needs dask.distributed, which cannot be imported" in err
    assert 'pip install -e ".[dask]"' in err
    assert not any(tmp_path.iterdir())


def test_a_worker_with_another_kil_io_fails_the_case(templates: Path) -> None:
    case = load_cases(templates / "small.yaml")[0]
    outcome = distributed.run_remote(case, (templates / "uk_multipliers.ipynb").read_bytes(), "0.0.1")
    assert not outcome.ok
    assert re.fullmatch(r"this worker runs kil_io \S+, the client 0\.0\.1: install the same kil_io.*", outcome.brief)
    assert outcome.files == {}


def test_help_explains_running_on_a_cluster(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = capsys.readouterr().out
    for words in ("--dask", "--scheduler ADDRESS", "dask scheduler", "dask worker tcp://HOST:8786 --nthreads 1"):
        assert words in text
    assert "kil-io run --all --scheduler tcp://HOST:8786" in text
    assert 'pip install -e ".[dask]"' in text
    assert "OPENBLAS_NUM_THREADS" in text
    assert f"within {distributed.CONNECT_TIMEOUT:g} s" in RUN_EPILOG


# --- the run's side of a runner whose workers send the files back -------------------------------------


class SendsBack:
    """A runner whose 'workers' return the given outcomes in turn, without any kernel."""

    def __init__(self, *outcomes: Outcome | BaseException) -> None:
        self.outcomes = list(outcomes)

    def run_round(self, cases: Sequence[Case], out: Path) -> Iterator[tuple[Case, Outcome | BaseException]]:
        for case in cases:
            yield case, self.outcomes.pop(0)


def test_files_sent_back_are_moved_into_place_and_checked(templates: Path, tmp_path: Path) -> None:
    [case] = load_cases(templates / "small.yaml")[:1]
    sent = {"notebook.ipynb": b"{}", "notebook.html": b"<html>", "figures/a.png": b"png", "headline.json": b'{"x": 1}'}
    [done] = run_cases([case], tmp_path, runner=SendsBack(Outcome(True, 2.0, files=sent)))
    assert (done.status, done.seconds, done.headline) == ("done", 2.0, {"x": 1})
    assert files(tmp_path / "uk_small") == {**sent, "case.json": (tmp_path / "uk_small" / "case.json").read_bytes()}

    escaping = Outcome(True, 1.0, files={"../escaped.txt": b"x"})
    [failed] = run_cases([case], tmp_path / "again", runner=SendsBack(escaping))
    assert failed.status == "failed"
    assert "sent back the file '../escaped.txt', which is not a path inside the case folder" in failed.error
    assert not (tmp_path / "escaped.txt").exists()
    assert sorted(p.name for p in (tmp_path / "again").iterdir()) == ["uk_small.failed"]


def test_a_write_error_fails_that_case_and_the_run_carries_on(
    templates: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kil_io.runner import batch

    first, second = load_cases(templates / "small.yaml")[:2]
    write = batch._write_case_json

    def disk_full(folder: Path, case: Case, *args: object, **kwargs: object) -> None:
        if case.name == first.name and args and args[0] == "done":
            raise OSError(28, "No space left on device")
        write(folder, case, *args, **kwargs)

    monkeypatch.setattr(batch, "_write_case_json", disk_full)
    sent = {"notebook.ipynb": b"{}", "notebook.html": b"<html>"}
    runner = SendsBack(Outcome(True, 1.0, files=sent), Outcome(True, 1.0, files=sent))
    a, b = run_cases([first, second], tmp_path, runner=runner)
    assert a.status == "failed"
    assert "No space left on device" in a.error
    assert b.status == "done"
    assert not (tmp_path / first.name).exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_a_failure_that_cannot_be_written_points_to_no_folder(
    templates: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kil_io.runner import batch

    [case] = load_cases(templates / "small.yaml")[:1]

    def disk_full(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch, "_write_case_json", disk_full)  # the result and its failure folder both fail
    sent = {"notebook.ipynb": b"{}", "notebook.html": b"<html>"}
    [lost] = run_cases([case], tmp_path, runner=SendsBack(Outcome(True, 1.0, files=sent)))
    assert (lost.status, lost.folder) == ("failed", None)
    assert "could not write the result: [Errno 28] No space left on device" in lost.error
    broken = Outcome(False, 1.0, "ValueError: boom (cell 3)", "ValueError: boom\n", files=sent)
    [failed] = run_cases([case], tmp_path, runner=SendsBack(broken))
    assert (failed.status, failed.folder) == ("failed", None)
    assert failed.error.startswith("ValueError: boom (cell 3) [its notebook and error could not be kept")
    assert "nothing was written" in failed.error
    assert "No space left on device" in failed.error
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".failed") or p.name.startswith(".tmp-")]

    monkeypatch.setattr(batch, "run_cases", lambda *_, **__: [failed])
    assert main(["run", "calderdale", "--out", str(tmp_path), "--no-pdf"]) == 1
    err = capsys.readouterr().err
    assert ".failed/" not in err
    assert f"failed cases with nothing kept (see their errors above): {failed.name}" in err


def test_a_case_whose_worker_dies_twice_fails(templates: Path, tmp_path: Path) -> None:
    [case] = load_cases(templates / "small.yaml")[:1]
    runner = SendsBack(
        WorkerDied("Dask worker tcp://10.0.0.6:40000 died"), WorkerDied("Dask worker tcp://10.0.0.7:40000 died")
    )
    [failed] = run_cases([case], tmp_path, runner=runner)
    assert failed.error == "the worker process running it died 2 times (last: Dask worker tcp://10.0.0.7:40000 died)"
    assert (tmp_path / "uk_small.failed" / "error.txt").read_text().startswith("the worker process running it died")


# --- on a cluster -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    dd = pytest.importorskip("distributed")
    with dd.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address="127.0.0.1:0") as c:
        yield c


@pytest.fixture(scope="module")
def client(cluster: object) -> Iterator[object]:
    """Closed before the cluster (fixtures are torn down in reverse order)."""
    dd = pytest.importorskip("distributed")
    with dd.Client(cluster, set_as_default=False) as c:
        yield c


@pytest.fixture(scope="module")
def local_run(parallel_run: tuple[Path, list[CaseResult]]) -> tuple[Path, list[CaseResult]]:
    return parallel_run  # conftest: run once, and compared with a sequential run in test_batch


@pytest.fixture(scope="module")
def dask_run(
    templates: Path, client: object, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[CaseResult]]:
    out = tmp_path_factory.mktemp("dask")
    results = run_cases(load_cases(templates / "small.yaml"), out, runner=distributed.DaskRunner(client))
    index_page.write_index(out, results)
    return out, results


def outputs(notebook: bytes) -> list[tuple[str, list]]:
    """Each cell's source and outputs (not the metadata, which holds timings and paths)."""
    nb = nbformat.reads(notebook.decode(), as_version=4)
    return [(c.source, c.get("outputs", [])) for c in nb.cells]


def test_dask_run_gives_the_files_of_a_local_run(local_run: tuple, dask_run: tuple) -> None:
    (local, local_results), (spread, spread_results) = local_run, dask_run
    assert [(r.name, r.status, r.error) for r in spread_results] == [
        ("uk_small", "done", ""),
        ("leeds_small", "done", ""),
    ]
    assert [r.headline for r in spread_results] == [r.headline for r in local_results]
    assert sorted(p.name for p in spread.iterdir()) == ["index.html", "leeds_small", "uk_small"]  # no .tmp-*, no lock
    for name in ("uk_small", "leeds_small"):
        a, b = files(local / name), files(spread / name)
        assert a.keys() == b.keys()
        assert {"notebook.ipynb", "notebook.html", "case.json", "results.csv", "headline.json"} <= b.keys()
        for same in ("results.csv", "headline.json"):
            assert a[same] == b[same], same
        assert outputs(a["notebook.ipynb"]) == outputs(b["notebook.ipynb"])
        info_a, info_b = (json.loads(x["case.json"]) for x in (a, b))
        for info in (info_a, info_b):
            del info["seconds"], info["finished_utc"]
        assert info_a == info_b
    assert 'href="uk_small/notebook.html"' in (spread / "index.html").read_text()


def test_failure_force_and_skip_on_a_running_cluster(
    dask_run: tuple, templates: Path, cluster: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    out = tmp_path / "out"
    shutil.copytree(dask_run[0], out)
    (out / "uk_small" / "marker.txt").write_text("from an earlier run")
    leeds_before = files(out / "leeds_small")

    # Leeds now fails in the notebook (no BRES data for 2014): its good result stays, uk_small is re-run
    broken, small = str(templates / "broken.yaml"), str(templates / "small.yaml")
    status, text, _ = cli(
        capsys, "run", "--all", "--cases", broken, "--out", str(out), "--force", "--scheduler", address
    )
    assert status == 1
    assert re.search(r"leeds_small\s+failed\s+[\d.]+\s+AreaError: no BRES employment for Leeds in year 2014", text)
    assert re.search(r"uk_small\s+done", text)
    assert files(out / "leeds_small") == leeds_before
    failed = out / "leeds_small.failed"
    assert sorted(p.name for p in failed.iterdir()) == ["case.json", "error.txt", "failed.html", "failed.ipynb"]
    assert "AreaError: no BRES employment for Leeds in year 2014" in (failed / "error.txt").read_text()
    assert not (out / "uk_small" / "marker.txt").exists()  # replaced with --force
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "leeds_small", "leeds_small.failed", "uk_small"]

    # without --force an existing result is skipped: nothing runs, nothing changes
    before = files(out)
    status, text, _ = cli(capsys, "run", "--all", "--cases", small, "--out", str(out), "--scheduler", address)
    assert status == 0
    assert re.search(r"uk_small\s+skipped\s+—\s+\(exists; use --force\)", text)
    after = files(out)
    assert after.pop("index.html") is not None
    before.pop("index.html")
    assert after == before


def test_a_dying_worker_gets_its_case_one_more_try(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a cluster of its own (--dask): its scheduler leaves retries to the runner
    killer_template(tmp_path)
    marker = tmp_path / "marker"
    (tmp_path / "cases.yaml").write_text(
        f"cases:\n  - name: killer\n    template: killer.ipynb\n    parameters: {{marker: '{marker}'}}\n"
    )
    out = tmp_path / "out"
    status, text, err = cli(
        capsys, "run", "--all", "--cases", str(tmp_path / "cases.yaml"), "--out", str(out), "--dask", "--jobs", "1"
    )
    assert status == 0, text + err
    assert marker.read_text() == "killed once"
    assert "second try ran" in (out / "killer" / "notebook.ipynb").read_text()
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "killer"]


def test_unreachable_scheduler_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(runner_cluster, "CONNECT_TIMEOUT", 1.0)
    out = tmp_path / "out"
    status, _, err = cli(
        capsys, "run", "uk_small", "--cases", str(templates / "small.yaml"), "--out", str(out),
        "--scheduler", "tcp://127.0.0.1:1",
    )  # fmt: skip
    assert status == 2
    assert "cannot reach a Dask scheduler at 'tcp://127.0.0.1:1' within 1 s" in err
    assert "is `dask scheduler` running there" in err
    assert not out.exists()


def test_workers_with_another_kil_io_stop_the_run_before_it_starts(
    monkeypatch: pytest.MonkeyPatch, templates: Path, cluster: object, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setattr(runner_cluster, "__version__", "0.0.1")  # this client; the workers import the installed one
    out = tmp_path / "out"
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    status, _, err = cli(
        capsys, "run", "uk_small", "--cases", str(templates / "small.yaml"), "--out", str(out), "--scheduler", address
    )
    assert status == 2
    assert re.search(
        r"every Dask worker must run the kil_io of this client \(0\.0\.1\): tcp://127\.0\.0\.1:\d+ has", err
    )
    assert 'pip install -e ".[dask]"' in err
    assert not out.exists()


# --- many areas' multipliers ----------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "chunk_size", "per_area_delta"), [("type_ii", 5, True), ("type_i", 13, False)])
def test_regional_multipliers_on_a_cluster_equal_the_local_batch(
    client: object, kind: str, chunk_size: int, per_area_delta: bool
) -> None:
    chosen = datasets.areas("local_authority").query("itl1 == 'TLE'")  # Yorkshire and The Humber's 15
    employment = datasets.employment_table(list(chosen["code"]), 2021)
    national = datasets.uk_iot(datasets.national_year_for(2021))
    options = {
        "national_employment": datasets.national_employment(2021, basis="authorities"),
        "delta": list(np.linspace(0.1, 0.4, len(employment))) if per_area_delta else 0.3,
    }
    with pytest.warns(ZeroOutputWarning, match="zero output in"):
        local = regional.regional_multipliers(national, employment, kind, **options)  # type: ignore[arg-type]
    with pytest.warns(ZeroOutputWarning, match="zero output in"):
        spread = distributed.regional_multipliers_on(
            client,
            national,
            employment,
            kind,
            chunk_size=chunk_size,
            **options,  # type: ignore[arg-type]
        )
    pd.testing.assert_frame_equal(spread, local, check_exact=False, rtol=1e-12, atol=0)
    assert spread.attrs == local.attrs


def test_regional_multipliers_on_a_cluster_check_their_options(client: object, monkeypatch: pytest.MonkeyPatch) -> None:
    national = datasets.uk_iot(2022)
    employment = datasets.local_employment("E08000035", 2021).to_frame("Leeds").T
    gb = {"national_employment": datasets.national_employment(2021)}
    with pytest.raises(RegionError, match="chunk_size must be a whole number >= 1"):
        distributed.regional_multipliers_on(client, national, employment, chunk_size=0, **gb)
    with pytest.raises(RegionError, match="2 deltas for 1 areas"):
        distributed.regional_multipliers_on(client, national, employment, delta=[0.1, 0.2], **gb)
    monkeypatch.setattr(runner_cluster, "__version__", "0.0.1")
    with pytest.raises(BatchError, match="every Dask worker must run"):
        distributed.regional_multipliers_on(client, national, employment, **gb)


@pytest.mark.filterwarnings("ignore::kil_io.errors.ZeroOutputWarning")
def test_area_ranges_over_delta_on_a_cluster_equal_the_local_call(client: object) -> None:
    from kil_io import uncertainty

    areas = ["Calderdale", "York", "Leeds"]
    local = uncertainty.area_multiplier_ranges(areas, 2021, draws=150, seed=5)
    spread = distributed.area_multiplier_ranges_on(client, areas, 2021, chunk_size=2, draws=150, seed=5)
    pd.testing.assert_frame_equal(spread, local, check_exact=True)
    assert spread.attrs == local.attrs
    with pytest.raises(RegionError, match="chunk_size must be a whole number >= 1"):
        distributed.area_multiplier_ranges_on(client, areas, 2021, chunk_size=0)
