"""Executing a case's notebook: papermill in a worker process, its output kept, its failure described.

:func:`execute_case` runs one case's template into a folder and converts it to HTML; it never
raises for a failing notebook. A :class:`Runner` executes many: :class:`ProcessRunner` in local
worker processes that die with the run, or a Dask cluster (:mod:`kil_io.runner.distributed`).
Moving results into place, retries and failure folders are :mod:`kil_io.runner.batch`'s.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Generator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, as_completed, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kil_io.reporting.notebook_page import readable
from kil_io.runner.caselist import Case

__all__ = ["CELL_TIMEOUT", "Outcome", "ProcessRunner", "Runner", "WorkerDied", "execute_case"]

#: Seconds a notebook cell may run before its case fails (a hung cell must not hang the batch).
CELL_TIMEOUT = 600


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


_KERNEL_NOISE = "Kernel is running over TCP without encryption"  # ipykernel 7 says so at every start


@dataclass(frozen=True)
class Outcome:
    """How executing one case's notebook went, as a worker sends it back to the run.

    Attributes
    ----------
    ok : bool
        The notebook ran to the end and was converted to HTML.
    seconds : float
        Wall time of the execution.
    brief, full : str
        On failure: one line for the summary, and the text for ``error.txt``.
    folder : Path or None
        The temporary folder in the output folder holding the files (a worker that shares the
        run's file system writes there directly).
    files : dict
        Otherwise the files themselves, relative path -> content, for the run to write.
    """

    ok: bool
    seconds: float
    brief: str = ""
    full: str = ""
    folder: Path | None = None
    files: Mapping[str, bytes] = field(default_factory=dict, repr=False)


class WorkerDied(Exception):
    """A runner's worker died while running a case (e.g. killed for memory, or its machine was lost)."""


class Runner(Protocol):
    """Where :func:`run_cases` executes cases: local worker processes, or a cluster (:mod:`kil_io.runner.distributed`).

    A runner only executes notebooks. Validation, skipping, retries, moving results into place
    and recording failures stay with :func:`run_cases`, in the process that holds the output
    folder's lock, so every runner keeps the same rules.
    """

    def run_round(
        self, cases: Sequence[Case], out: Path
    ) -> Generator[tuple[Case, Outcome | BaseException], None, None]:
        """Start every case; yield each with its :class:`Outcome` (or the exception) as it finishes.

        :class:`WorkerDied` means the worker running the case died: the case may be retried in
        the next round. Closing the iterator early (an interrupt) stops the cases still running.
        """
        ...


class ProcessRunner:
    """Run cases in ``jobs`` local worker processes (spawned), writing into the output folder directly."""

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = jobs

    def run_round(
        self, cases: Sequence[Case], out: Path
    ) -> Generator[tuple[Case, Outcome | BaseException], None, None]:
        """See :meth:`Runner.run_round`; a dying worker breaks the pool: every unfinished case gets WorkerDied."""
        pool = _pool(min(self.jobs, len(cases)))
        finished = False
        try:
            futures = {pool.submit(_run_local, case, out): case for case in cases}
            for future in as_completed(futures):
                try:
                    got: Outcome | BaseException = future.result()
                except BrokenProcessPool:
                    got = WorkerDied()
                except Exception as exc:
                    got = exc
                yield futures[future], got
            finished = True
        finally:
            if not finished:
                for process in list(getattr(pool, "_processes", {}).values()):
                    process.terminate()  # stop the kernels' parents now rather than after every queued case
            pool.shutdown(wait=finished, cancel_futures=not finished)

    def run_alone(
        self, cases: Sequence[Case], out: Path
    ) -> Generator[tuple[Case, Outcome | BaseException], None, None]:
        """As :meth:`run_round`, but each case in a pool of its own, ``jobs`` at a time.

        A worker that dies takes only its own case with it, so the case that killed it is known.
        """
        pending = list(cases)
        running: dict[Any, tuple[Case, ProcessPoolExecutor]] = {}
        try:
            while pending or running:
                while pending and len(running) < self.jobs:
                    case = pending.pop(0)
                    pool = _pool(1)
                    running[pool.submit(_run_local, case, out)] = (case, pool)
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    case, pool = running.pop(future)
                    try:
                        got: Outcome | BaseException = future.result()
                    except BrokenProcessPool:
                        got = WorkerDied()
                    except Exception as exc:
                        got = exc
                    pool.shutdown(wait=True)
                    yield case, got
        finally:
            for _, pool in running.values():
                for process in list(getattr(pool, "_processes", {}).values()):
                    process.terminate()
                pool.shutdown(wait=False, cancel_futures=True)


def _pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes that exit when the run's process dies (so their resource tracker does too)."""
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=_spawn(), initializer=_die_with_parent, initargs=(os.getpid(),)
    )


def _die_with_parent(parent: int) -> None:
    """Worker start-up: exit as soon as ``parent`` is gone, however it died (SIGKILL, OOM killer).

    Otherwise a killed run leaves its workers (about 200 MB each) blocked on their pipe for
    ever, and the multiprocessing resource tracker, which waits for every holder of its pipe.
    On Linux the kernel sends SIGKILL on the parent's death (``PR_SET_PDEATHSIG``); elsewhere,
    and as a backstop, a daemon thread polls the parent's pid once a second.
    """
    import signal

    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    if os.getppid() != parent:  # died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="kil-io-parent-watch", daemon=True).start()


def _spawn() -> Any:
    import multiprocessing

    # spawn, not fork: the parent may hold threads (tqdm, zmq) that fork would copy half-way
    return multiprocessing.get_context("spawn")


def _run_local(case: Case, out: Path) -> Outcome:
    """Worker process: execute one case in a new temporary folder of ``out``."""
    tmp = _mkdtemp(out, case.name)
    return dataclasses.replace(execute_case(case, tmp), folder=tmp)


def execute_case(case: Case, folder: Path) -> Outcome:
    """Execute a case's template into ``folder`` with papermill and convert it to HTML.

    Runs wherever the notebook runs (a local worker process or a cluster worker). ``folder``
    is the kernel's working directory, so it receives whatever the notebook writes.

    Parameters
    ----------
    case : Case
        Already validated; its parameters are used as they are (plus ``results_folder = "."``).
    folder : Path
        An empty folder; on success it holds ``notebook.ipynb`` and ``notebook.html``, on
        failure ``failed.ipynb`` when a kernel ran.

    Returns
    -------
    Outcome
        Never raises for a failing notebook: the failure is described in the outcome.
    """
    import papermill

    start = time.perf_counter()
    notebook = folder / "notebook.ipynb"
    log = _KernelLog()
    try:
        with log:
            papermill.execute_notebook(
                str(case.template), str(notebook), parameters={**case.parameters, "results_folder": "."},
                kernel_name="python3", language="python", cwd=str(folder), progress_bar=False,
                execution_timeout=CELL_TIMEOUT,
            )  # fmt: skip
        _to_html(notebook, folder / "notebook.html")
    except Exception as exc:
        brief, full = _describe(exc)
        if kernel := "\n".join(line for line in log.text.splitlines() if _KERNEL_NOISE not in line):
            full += f"\nKernel process output (stdout/stderr):\n{kernel}\n"
        if notebook.exists():
            os.replace(notebook, folder / "failed.ipynb")
            (folder / "notebook.html").unlink(missing_ok=True)
        return Outcome(False, time.perf_counter() - start, brief, full)
    return Outcome(True, time.perf_counter() - start)


def _mkdtemp(out: Path, name: str) -> Path:
    """A new ``<out>/.tmp-<name>-<random>`` with the usual permissions (``mkdtemp`` makes 0700)."""
    while True:
        tmp = out / f".tmp-{name}-{secrets.token_hex(4)}"
        try:
            tmp.mkdir()
        except FileExistsError:  # pragma: no cover (2**32 names)
            continue
        return tmp


class _KernelLog:
    """Send this process's stdout/stderr (inherited by the kernel) to a temporary file meanwhile.

    Keeps kernel start-up chatter off the terminal, and a crashing kernel's last words for
    ``error.txt`` (in :attr:`text` after the block).
    """

    text = ""
    # file descriptors 1 and 2 belong to the whole process: a worker with several threads (a
    # Dask worker started with --nthreads > 1) must not interleave redirects, so it runs one
    # notebook at a time
    _lock = threading.Lock()

    def __enter__(self) -> _KernelLog:
        self._lock.acquire()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            self.file = tempfile.TemporaryFile(mode="w+b")
            self.saved = [os.dup(1), os.dup(2)]
        except BaseException:
            self._lock.release()
            raise
        os.dup2(self.file.fileno(), 1)
        os.dup2(self.file.fileno(), 2)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            for fd, saved in zip((1, 2), self.saved, strict=True):
                os.dup2(saved, fd)
                os.close(saved)
            self.file.seek(0)
            self.text = self.file.read().decode("utf-8", errors="replace").strip()
            self.file.close()
        finally:
            self._lock.release()


def _describe(exc: BaseException) -> tuple[str, str]:
    """One line for the summary, and the full text for ``error.txt`` (ANSI colours removed)."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        brief = f"{exc.ename}: {exc.evalue} (cell {exc.exec_count})"
    else:
        brief = f"{type(exc).__name__}: {exc}"
    brief = _ANSI.sub("", brief).strip().splitlines()[0] if brief.strip() else type(exc).__name__
    return brief, _ANSI.sub("", f"{type(exc).__name__}: {exc}") + "\n"


def _to_html(notebook: Path, html: Path) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    # self-contained: figures embedded, no CDN scripts (MathJax, require.js, mermaid), so a
    # page opens offline and at once on a network that blackholes outside addresses
    offline = dict.fromkeys(("mathjax_url", "require_js_url", "mermaid_js_url", "mermaid_layout_elk_js_url"), "")
    exporter = HTMLExporter(embed_images=True, **offline)
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
    html.write_text(readable(body), encoding="utf-8")
