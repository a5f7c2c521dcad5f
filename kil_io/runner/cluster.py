"""Connect to a Dask distributed cluster, check its workers, and run case-study notebooks on it.

``kil-io run --dask`` starts a cluster of worker processes on this machine; ``kil-io run
--scheduler tcp://host:8786`` uses a running cluster, whose workers may be other machines with
file systems of their own. Each case goes to a worker together with its template's content; the
worker executes it in a scratch folder of its own (:func:`run_remote`) and sends the files back;
the process that started the run writes them into ``<out>/.tmp-*`` and moves them into place by
the rules of a local run (:mod:`kil_io.runner.batch`): one run per output folder (a lock), skip unless
``--force``, failures kept in ``<case>.failed/``, one more try for a case whose worker died.

A worker needs only the same kil_io as the client, installed with its data (checked when
connecting, :func:`check_workers`), not the client's files. A worker that dies under a case
(Dask's ``KilledWorker``) counts as a dying worker of a local run. The cluster started by
``--dask`` fails such a task at once, so the case gets exactly one more try; a running
cluster's scheduler first retries by its own ``distributed.scheduler.allowed-failures``
(default 3).

Dask is optional (``pip install -e ".[dask]"``) and imported inside functions only, so that
``import kil_io`` never needs it. :mod:`kil_io.runner.distributed` adds many areas' multipliers
and simulations on a cluster, and re-exports every public name of this module.
"""

from __future__ import annotations

import contextlib
import dataclasses
import secrets
import signal
import tempfile
import threading
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import CancelledError
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from kil_io import __version__
from kil_io.errors import BatchError
from kil_io.runner.caselist import Case
from kil_io.runner.execute import Outcome, WorkerDied, execute_case

if TYPE_CHECKING:
    from distributed import Client

#: Seconds to wait for a scheduler to answer: an address that cannot be reached fails soon.
CONNECT_TIMEOUT = 10.0
#: Seconds to wait for the first worker of a running cluster.
WORKER_TIMEOUT = 60.0
INSTALL = 'pip install -e ".[dask]"'


def _distributed() -> ModuleType:
    try:
        import distributed
    except ImportError as exc:
        raise BatchError(
            f"running on a Dask cluster needs dask.distributed, which cannot be imported ({exc}); "
            f"install it in the kil_io clone with: {INSTALL}"
        ) from None
    return distributed


@contextlib.contextmanager
def dask_runner(scheduler: str | None = None, *, workers: int = 1) -> Iterator[DaskRunner]:
    """A runner for :func:`kil_io.runner.batch.run_cases` on a Dask cluster, closed on leaving the block.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running cluster's scheduler (e.g. ``tcp://10.0.0.5:8786``). Default: start
        a ``LocalCluster`` on 127.0.0.1 of ``workers`` processes with one thread each.
    workers : int
        Worker processes of the local cluster (ignored with ``scheduler``).

    Yields
    ------
    DaskRunner
        Its client is connected and every worker checked (:func:`check_workers`).

    Raises
    ------
    BatchError
        Dask is not installed; the scheduler does not answer within :data:`CONNECT_TIMEOUT`
        seconds; no worker joins within :data:`WORKER_TIMEOUT`; a worker runs another kil_io.
    """
    distributed = _distributed()
    import dask

    with contextlib.ExitStack() as stack:
        target: Any = scheduler
        if scheduler is None:
            try:
                # a dying worker fails its task at once (KilledWorker), so that run_cases' own
                # rule (one more try) decides, as it does for local worker processes; the
                # scheduler's HTTP server (metrics, and the dashboard if bokeh is installed) takes
                # a free port, since 8787 may be another cluster's
                with dask.config.set({"distributed.scheduler.allowed-failures": 0}), _children_ignore_ctrl_c():
                    target = distributed.LocalCluster(
                        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address="127.0.0.1:0",
                    )  # fmt: skip
            except Exception as exc:
                raise BatchError(f"could not start a local Dask cluster of {workers} worker(s): {exc}") from None
            stack.callback(target.close)  # after the client's close (callbacks run last in, first out)
        client = _connect(distributed, target, scheduler)
        stack.callback(client.close)
        if scheduler is not None:  # a local cluster has started its workers already
            _wait_for_a_worker(client, scheduler)
        check_workers(client)
        yield DaskRunner(client)


@contextlib.contextmanager
def _children_ignore_ctrl_c() -> Iterator[None]:
    """Processes started meanwhile ignore SIGINT; the run stops them itself when interrupted.

    A terminal's Ctrl-C reaches the whole process group: the local cluster's workers would
    each print a traceback while the run is writing its index and summary.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _connect(distributed: ModuleType, target: Any, address: str | None) -> Client:
    try:
        return distributed.Client(target, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:  # refused, unknown host, not a scheduler, unknown scheme: no cluster to use
        if address is None:
            raise BatchError(f"could not connect to the local Dask cluster: {exc}") from None
        raise BatchError(
            f"cannot reach a Dask scheduler at {address!r} within {CONNECT_TIMEOUT:g} s "
            f"({type(exc).__name__}: {exc}); is `dask scheduler` running there and its port open to this machine?"
        ) from None


def _wait_for_a_worker(client: Client, address: str) -> None:
    try:
        client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except TimeoutError:
        raise BatchError(
            f"no Dask worker joined the scheduler at {address} within {WORKER_TIMEOUT:g} s; "
            f"start workers with: dask worker {address} --nthreads 1"
        ) from None


def _kil_io_version() -> str:
    import kil_io

    return kil_io.__version__


def check_workers(client: Client) -> None:
    """Check that every worker of the cluster imports the same kil_io version as this process.

    Parameters
    ----------
    client : distributed.Client

    Raises
    ------
    BatchError
        A worker that cannot import kil_io or has another version (names the worker and both
        versions), or workers that do not answer.
    """
    try:
        found = client.run(_kil_io_version, on_error="return")
    except Exception as exc:
        raise BatchError(f"could not ask the Dask workers which kil_io they run: {exc}") from None
    problems = []
    for worker, version in sorted(found.items()):
        if isinstance(version, BaseException):
            problems.append(f"{worker} cannot import kil_io ({type(version).__name__}: {version})")
        elif version != __version__:
            problems.append(f"{worker} has kil_io {version}")
    if problems:
        raise BatchError(
            f"every Dask worker must run the kil_io of this client ({__version__}): {'; '.join(problems)}. "
            f"Install the same kil_io on each worker machine (a clone of the repository at the same commit, "
            f"{INSTALL}) and restart the workers"
        )


class DaskRunner:
    """Run cases on the workers of a Dask cluster (a :class:`kil_io.runner.batch.Runner`).

    Parameters
    ----------
    client : distributed.Client
        Connected to the cluster; see :func:`dask_runner` for one that starts or checks it.
    """

    def __init__(self, client: Client) -> None:
        self.client = client

    def run_round(
        self, cases: Sequence[Case], out: Path
    ) -> Generator[tuple[Case, Outcome | BaseException], None, None]:
        """Submit every case with its template's content; yield each case's outcome as it finishes.

        ``out`` is not used on the workers: they send the files back (:attr:`Outcome.files`).
        """
        distributed = _distributed()
        futures: dict[Any, Case] = {}
        finished = False
        try:
            for case in cases:
                try:
                    template = case.template.read_bytes()
                except OSError as exc:
                    yield case, BatchError(f"template {case.template} cannot be read: {exc}")
                    continue
                key = f"kil-io-{case.name}-{secrets.token_hex(4)}"  # readable in the Dask dashboard
                futures[self.client.submit(run_remote, case, template, __version__, key=key, pure=False)] = case
            for future in distributed.as_completed(list(futures), loop=self.client.loop):
                try:
                    got: Outcome | BaseException = future.result()
                    if isinstance(got, Outcome):
                        # the files come back as bytes; a worker never names a folder on this machine
                        got = dataclasses.replace(got, folder=None)
                except distributed.KilledWorker as exc:
                    got = WorkerDied(f"Dask worker {exc.last_worker.address} died")
                except CancelledError as exc:
                    got = BatchError(f"the Dask cluster dropped the case (scheduler lost?): {exc}")
                except Exception as exc:
                    got = exc
                future.release()
                yield futures[future], got
            finished = True
        finally:
            if not finished and futures:
                # notebooks already running finish on their workers; their results are dropped
                self.client.cancel(list(futures), force=True)


def _scratch() -> str | None:
    """The Dask worker's own folder (Dask clears those of dead workers), else the system's temporary folder."""
    try:
        from distributed import get_worker

        return get_worker().local_directory
    except (ImportError, ValueError):
        return None


def run_remote(case: Case, template: bytes, version: str) -> Outcome:
    """Worker side: execute a case from its template's content in a scratch folder and return the files.

    Parameters
    ----------
    case : Case
        Validated by the client; its ``template`` path is used only for the file name.
    template : bytes
        The template notebook (the client's path may not exist on this machine).
    version : str
        The client's kil_io version; another one fails the case.

    Returns
    -------
    Outcome
        With :attr:`~kil_io.runner.batch.Outcome.files`: every file the case wrote (notebook, HTML,
        results), by path relative to the case folder.
    """
    if version != __version__:
        why = f"this worker runs kil_io {__version__}, the client {version}: install the same kil_io on every worker"
        return Outcome(False, 0.0, why, why + "\n")
    with tempfile.TemporaryDirectory(prefix="kil-io-", dir=_scratch()) as work:
        copy = Path(work) / case.template.name
        copy.write_bytes(template)
        folder = Path(work) / "case"
        folder.mkdir()
        outcome = execute_case(dataclasses.replace(case, template=copy), folder)
        files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    return dataclasses.replace(outcome, files=files)
