"""Shared fixtures: published worked examples as validated tables, and one parallel batch run."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from examples import eurostat_frames, local_frames, miller_blair_frames

from kil_io import IOTable

if TYPE_CHECKING:
    from kil_io.runner.batch import CaseResult


#: End-to-end checks (a real browser, a Dask cluster, runs killed with SIGKILL, the data rebuilt from the raw files):
#: `make e2e` runs them, CI too; `make test` leaves them out to stay within its five minutes on two cores.
E2E_FILES = frozenset({"test_browser.py", "test_distributed.py", "test_worker_exit.py"})
E2E_TESTS = frozenset({"test_build_script_reproduces_data_byte_for_byte"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in E2E_FILES or item.name in E2E_TESTS:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def mb_table() -> IOTable:
    return IOTable.from_frames(**miller_blair_frames(), area="Miller & Blair Table 2.3")


@pytest.fixture
def eurostat_table() -> IOTable:
    return IOTable.from_frames(**eurostat_frames())


@pytest.fixture
def local() -> IOTable:
    """Miller & Blair Table 2.3 as a local economy (see examples.local_frames)."""
    return IOTable.from_frames(**local_frames(), area="local")


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two templates and case lists beside them, for the batch and Dask runner tests (see batch_cases)."""
    from batch_cases import copy_templates

    return copy_templates(tmp_path_factory.mktemp("templates"))


@pytest.fixture(scope="session")
def parallel_run(templates: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[CaseResult]]:
    """small.yaml run by two local worker processes, once: the batch tests compare it with a sequential
    run, the Dask tests with a cluster's run (the same papermill executions, read only)."""
    from kil_io.runner.batch import load_cases, run_cases

    out = tmp_path_factory.mktemp("parallel")
    return out, run_cases(load_cases(templates / "small.yaml"), out, jobs=2)


#: tests/lab/ starts JupyterLab and a browser (about a minute): `make lab-test` runs it, a plain `pytest` does not.
collect_ignore = ["lab"]
