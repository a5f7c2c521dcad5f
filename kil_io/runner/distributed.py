"""Run the case-study notebooks, and many areas' multipliers, on a Dask distributed cluster.

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
``import kil_io`` never needs it.

Examples
--------
>>> from kil_io import batch, distributed
>>> with distributed.dask_runner("tcp://10.0.0.5:8786") as runner:  # doctest: +SKIP
...     results = batch.run_cases(batch.load_cases(), "outputs", runner=runner)
"""

from __future__ import annotations

import contextlib
import dataclasses
import secrets
import signal
import tempfile
import threading
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import CancelledError
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kil_io._version import __version__
from kil_io.errors import BatchError, RegionError
from kil_io.regional import regional_multipliers
from kil_io.runner.caselist import Case
from kil_io.runner.execute import Outcome, WorkerDied, execute_case
from kil_io.uncertainty.multipliers import area_ranges_chunk, plan_area_ranges
from kil_io.uncertainty.simulate import CHUNK, Simulation, combine, plan_chunks, run_chunk

if TYPE_CHECKING:
    from distributed import Client

    from kil_io.appraisal.casefile import CaseStudy
    from kil_io.model.closure import Closure
    from kil_io.model.multipliers import Kind
    from kil_io.model.table import IOTable
    from kil_io.regional import Method

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

    def run_round(self, cases: Sequence[Case], out: Path) -> Iterator[tuple[Case, Outcome | BaseException]]:
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


def regional_multipliers_on(
    client: Client,
    national: IOTable,
    regional_employment: pd.DataFrame,
    kind: Kind = "type_i",
    *,
    chunk_size: int = 50,
    national_employment: pd.Series | str | None = None,
    method: Method = "flq",
    delta: float | Sequence[float] = 0.3,
    household_income: float | None = None,
    household_rpc: pd.Series | None = None,
    closure: Closure = "household_income",
    resident_share: float | Sequence[float] = 1.0,
) -> pd.DataFrame:
    """:func:`kil_io.regional.regional_multipliers` with the areas split into chunks computed on a Dask cluster.

    Each chunk of ``chunk_size`` areas is one batched call on a worker; the national table is
    sent to every worker once. Regions are independent, so the result equals the local call
    (bit for bit with the same numpy and BLAS; a worker with another BLAS may differ by
    rounding). Worth it only for thousands of areas: one local call takes about 10 ms for the
    13 shipped authorities and under a second for 1000 areas (105 industries).

    Parameters
    ----------
    client : distributed.Client
    national, regional_employment, kind, national_employment, method, delta, household_income, household_rpc
        As in :func:`kil_io.regional.regional_multipliers` (``delta``: one, or one per area).
    closure, resident_share
        The Type II household closure, as in :func:`kil_io.regional.regional_multipliers`
        (``resident_share``: one, or one per area).
    chunk_size : int
        Areas per task (>= 1).

    Returns
    -------
    DataFrame
        Index (area, sector) in the order of ``regional_employment``; as the local function.

    Raises
    ------
    RegionError
        A bad ``chunk_size``, no areas, or as many deltas as neither 1 nor the areas.
    BatchError
        A worker runs another kil_io (:func:`check_workers`).
    KilIOError
        Whatever the local function raises for a chunk (messages name the area).

    Warns
    -----
    ZeroOutputWarning
        As the local function, once per chunk that has sectors without employment.

    Examples
    --------
    >>> from distributed import Client  # doctest: +SKIP
    >>> client = Client("tcp://10.0.0.5:8786")  # doctest: +SKIP
    >>> m = regional_multipliers_on(client, national, employment, "type_ii", chunk_size=100)  # doctest: +SKIP
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise RegionError(f"chunk_size must be a whole number >= 1 (areas per task), got {chunk_size!r}")
    if not isinstance(regional_employment, pd.DataFrame) or regional_employment.empty:
        raise RegionError("regional_multipliers_on needs a DataFrame with one row of employment per area")
    rows = len(regional_employment)
    deltas = None if np.ndim(delta) == 0 else list(delta)  # type: ignore[arg-type]
    if deltas is not None and len(deltas) not in (1, rows):
        raise RegionError(f"{len(deltas)} deltas for {rows} areas; give one, or one per area")
    shares = None if np.ndim(resident_share) == 0 else list(resident_share)  # type: ignore[arg-type]
    if shares is not None and len(shares) not in (1, rows):
        raise RegionError(f"{len(shares)} resident shares for {rows} areas; give one, or one per area")
    check_workers(client)
    table = client.scatter(national, broadcast=True, hash=False)
    futures = [
        client.submit(
            _chunk_multipliers, table, regional_employment.iloc[start : start + chunk_size], kind,
            national_employment=national_employment, method=method,
            delta=delta if deltas is None or len(deltas) == 1 else deltas[start : start + chunk_size],
            household_income=household_income, household_rpc=household_rpc, closure=closure,
            resident_share=resident_share if shares is None or len(shares) == 1 else shares[start : start + chunk_size],
            pure=False,
        )
        for start in range(0, rows, chunk_size)
    ]  # fmt: skip
    try:
        parts = client.gather(futures)
    finally:
        client.cancel([*futures, table])  # the other chunks, after an error; the table, in any case
    for category, message in dict.fromkeys(w for _, caught in parts for w in caught):
        warnings.warn(message, category, stacklevel=2)
    frame = pd.concat([part for part, _ in parts])
    frame.attrs = dict(parts[0][0].attrs)
    if isinstance(frame.attrs.get("resident_share"), list):  # one per area: every chunk's
        frame.attrs["resident_share"] = [v for part, _ in parts for v in part.attrs["resident_share"]]
    return frame


def _chunk_multipliers(
    national: IOTable,
    employment: pd.DataFrame,
    kind: Kind,
    *,
    national_employment: pd.Series | None,
    method: Method,
    delta: float | Sequence[float],
    household_income: float | None,
    household_rpc: pd.Series | None,
    closure: Closure = "household_income",
    resident_share: float | Sequence[float] = 1.0,
) -> tuple[pd.DataFrame, list[tuple[type[Warning], str]]]:
    """Worker side: one batched call; its warnings are returned, to be issued where the caller sees them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = regional_multipliers(
            national, employment, kind, national_employment=national_employment, method=method, delta=delta,
            household_income=household_income, household_rpc=household_rpc, closure=closure,
            resident_share=resident_share,
        )  # fmt: skip
    return frame, [(w.category, str(w.message)) for w in caught]


def simulate_on(
    client: Client,
    case: CaseStudy,
    draws: int = 10_000,
    seed: int | None = None,
    *,
    contract_value: float | None = None,
    model_defaults: bool = True,
    fixed: Sequence[str] = (),
    chunk_size: int = CHUNK,
) -> Simulation:
    """:func:`kil_io.uncertainty.simulate` with its chunks of draws computed on a Dask cluster.

    The draws are sampled here, chunk by chunk from the seed (one ``SeedSequence`` child per
    chunk), and every distinct regional table is factorised here once; the plan (tables and
    inputs) is sent to every worker once and each chunk is one task. The result equals the
    local call with the same seed and ``chunk_size``, bit for bit with the same numpy and BLAS
    (each chunk is the same computation wherever it runs). Worth it for many draws of many
    cases: one local call takes well under a second for 10,000 draws of a case study.

    Parameters
    ----------
    client : distributed.Client
    case, draws, seed, contract_value, model_defaults, fixed, chunk_size
        As in :func:`kil_io.uncertainty.simulate`.

    Returns
    -------
    Simulation

    Raises
    ------
    BatchError
        A worker runs another kil_io (:func:`check_workers`).
    CaseError
        As :func:`kil_io.uncertainty.simulate`.
    """
    plan, chunks = plan_chunks(case, draws, seed, contract_value=contract_value, model_defaults=model_defaults,
                               fixed=fixed, chunk_size=chunk_size)  # fmt: skip
    check_workers(client)
    shared = client.scatter(plan, broadcast=True, hash=False)
    futures = [client.submit(run_chunk, shared, chunk, pure=False) for chunk in chunks]
    try:
        results = client.gather(futures)
    finally:
        client.cancel([*futures, shared])
    return combine(plan, chunks, results, seed)


def area_multiplier_ranges_on(
    client: Client,
    areas: Sequence[str] | None,
    year: int,
    *,
    chunk_size: int = 10,
    draws: int = 1000,
    seed: int | None = None,
    delta: float = 0.3,
    kinds: Sequence[Kind] = ("type_i", "type_ii"),
) -> pd.DataFrame:
    """:func:`kil_io.uncertainty.area_multiplier_ranges` with chunks of areas computed on a Dask cluster.

    Delta is drawn here, once, from ``seed``; the plan (the draws) goes to every worker once and
    each chunk of ``chunk_size`` areas is one task, each area computed exactly as locally, so the
    result equals the local call with the same seed (bit for bit with the same numpy and BLAS).
    Worth it for every GB authority with many draws: locally about 0.2 s an area at 1,000 draws.

    Raises
    ------
    RegionError
        A bad ``chunk_size``.
    BatchError
        A worker runs another kil_io (:func:`check_workers`).
    CaseError, AreaError
        As the local function.
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise RegionError(f"chunk_size must be a whole number >= 1 (areas per task), got {chunk_size!r}")
    plan = plan_area_ranges(areas, year, draws=draws, seed=seed, delta=delta, kinds=kinds)
    check_workers(client)
    shared = client.scatter(plan, broadcast=True, hash=False)
    codes = plan.codes
    futures = [
        client.submit(area_ranges_chunk, shared, codes[start : start + chunk_size], pure=False)
        for start in range(0, len(codes), chunk_size)
    ]
    try:
        parts = client.gather(futures)
    finally:
        client.cancel([*futures, shared])
    return plan.combine(parts)
