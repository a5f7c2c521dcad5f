"""Run the case-study notebooks in batch with papermill, without ever losing a result.

The case list (``notebooks/case_studies.yaml``) names each case, its template notebook and
the template parameters to set; :mod:`kil_io.runner.caselist` reads it strictly (:func:`load_cases`)
and checks each case against its template and the shipped data before any kernel starts
(:func:`validate`; both are importable from here too). :func:`run_cases` executes the cases
in worker processes and lays the results out as::

    <out>/<name>/            a complete result: notebook.ipynb (executed), notebook.html,
                             case.json (template, parameters, seconds) and whatever the
                             notebook wrote (results.csv, *.png, headline.json)
    <out>/<name>.failed/     the latest failed attempt: failed.ipynb (partly executed, when a
                             kernel ran), failed.html, error.txt and case.json
    <out>/index.html         every case folder in <out>, with its headline figures and status

Nothing is lost:

* a case runs in ``<out>/.tmp-<name>-<random>/`` and is renamed to ``<out>/<name>`` only when
  complete (notebook executed and converted), so ``<out>/<name>`` is always a whole result;
* an existing ``<out>/<name>`` whose inputs are unchanged is never replaced without ``force``:
  the case is *skipped* before anything runs. Each result's ``case.json`` records the hash of
  its inputs (template, parameters, kil_io version, shipped data, case file and its records:
  :mod:`kil_io.runner.inputs`); a result whose inputs changed since is re-run, and replaced as
  with ``force`` (a result with no recorded hash, from an older kil_io, is skipped). With
  ``force`` the old folder is set aside (``.old-<name>-*``), the new one renamed in and only
  then the old one deleted. A run killed between the two renames leaves the set-aside folder as
  the only copy: the next run on ``<out>`` (whatever it runs) renames it back before anything
  else, and deletes a set-aside folder only once its target exists. A folder that no run made
  (no ``case.json``, e.g. tables written by ``kil-io multipliers``) is never replaced, even
  with ``force``;
* a failure never touches ``<out>/<name>``: it goes to ``<out>/<name>.failed/``, which holds
  only the latest attempt (it is replaced by the next failure and removed by the next success,
  since it is a diagnosis, not a result). The other cases carry on.

Where the notebooks execute is a :class:`Runner`: local worker processes by default
(:class:`ProcessRunner`, which write into ``<out>/.tmp-*`` directly), or a Dask cluster
(:mod:`kil_io.runner.distributed`), whose workers execute in folders of their own and send the files
back. Either way the temporary folders, the renames, the retries and the failure folders are
the work of the process that called :func:`run_cases`, which holds a lock on ``<out>``.

Examples
--------
>>> from kil_io import batch, index_page
>>> cases = batch.load_cases()  # doctest: +SKIP
>>> results = batch.run_cases(cases[:2], Path("outputs"), jobs=2)  # doctest: +SKIP
>>> index_page.write_index(Path("outputs"), results)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import re
import shutil
import sys
import warnings
from collections.abc import Generator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from kil_io._version import __version__
from kil_io.errors import BatchError, ResultRecoveryWarning
from kil_io.limits import excerpt
from kil_io.reporting.results import FAILED_SUFFIX
from kil_io.reporting.results import read_headline as _headline
from kil_io.runner import inputs
from kil_io.runner.caselist import (
    DATA_CHECKS,
    RUNNER_PARAMETERS,
    Case,
    _same_type,
    _type_name,
    default_cases_file,
    load_cases,
    parse_parameter,
    template_parameters,
    validate,
)
from kil_io.runner.execute import (
    CELL_TIMEOUT,
    Outcome,
    ProcessRunner,
    Runner,
    WorkerDied,
    _mkdtemp,
    _to_html,
    execute_case,
)
from kil_io.runner.folders import discard as _discard
from kil_io.runner.folders import move_into_place as _move_into_place
from kil_io.runner.reportfiles import REPORTS_ERROR, write_reports

#: Tries of a case whose worker process died running it alone (e.g. killed for memory).
MAX_ATTEMPTS = 2
#: Lock file in the output folder: one run at a time writes there.
LOCK_FILE = ".kil-io.lock"

Status = Literal["done", "skipped", "failed"]

__all__ = [
    "CELL_TIMEOUT", "LOCK_FILE", "MAX_ATTEMPTS", "REPORTS_ERROR", "RUNNER_PARAMETERS", "Case", "CaseResult",
    "Interrupted", "Outcome", "ProcessRunner", "Runner", "WorkerDied", "default_cases_file", "execute_case",
    "load_cases", "parse_parameter", "run_cases", "template_parameters", "validate",
]  # fmt: skip


@dataclass(frozen=True)
class CaseResult:
    """What happened to one case in :func:`run_cases`.

    Attributes
    ----------
    name : str
    status : {"done", "skipped", "failed"}
        ``skipped``: ``<out>/<name>`` existed and ``force`` was not given; nothing ran.
    seconds : float
        Wall time of the case (0 when skipped or rejected before a kernel started).
    headline : dict
        The case's ``headline.json`` (of the existing result when skipped); empty if none.
    error : str
        One-line reason for a failure or a skip; empty when done.
    folder : Path or None
        ``<out>/<name>`` (done, skipped) or ``<out>/<name>.failed`` (failed).
    """

    name: str
    status: Status
    seconds: float = 0.0
    headline: Mapping[str, Any] = field(default_factory=dict)
    error: str = ""
    folder: Path | None = None


def run_cases(
    cases: Sequence[Case],
    out: str | Path,
    *,
    jobs: int = 1,
    force: bool = False,
    overrides: Mapping[str, Any] | None = None,
    progress: bool | None = None,
    runner: Runner | None = None,
    pdf: bool = True,
) -> list[CaseResult]:
    """Execute cases with papermill in ``jobs`` worker processes and move each result into place.

    Cases whose folder exists are skipped unless ``force``; the others are validated
    (:func:`validate`) and, if valid, executed in a worker process (``jobs = 1`` too, so
    sequential and parallel runs take the same path). See the module docstring for the
    folders written and the rules that keep results safe. The index page is not written;
    call :func:`write_index`.

    Another ``runner`` executes the notebooks elsewhere (e.g. on a Dask cluster,
    :func:`kil_io.runner.distributed.dask_runner`); everything else, including moving results into
    place, stays in this process, under the output folder's lock.

    Parameters
    ----------
    cases : sequence of Case
    out : str or Path
        Output folder (created if needed).
    jobs : int
        Worker processes (>= 1) of the default runner (:class:`ProcessRunner`).
    force : bool
        Re-run cases whose result exists, replacing it only when the new run succeeds.
    overrides : mapping, optional
        Parameters set in every case (checked like the case's own).
    progress : bool, optional
        Progress bar over cases on stderr; default (None) only when stderr is a terminal.
    runner : Runner, optional
        Where the notebooks execute; default ``ProcessRunner(jobs)``.
    pdf : bool
        Print each organisation or contract case's ``brief.pdf`` (headless Chromium, a few seconds a
        case); with False the brief's HTML and the workbook are still written.

    Returns
    -------
    list of CaseResult
        In the order of ``cases``.

    Raises
    ------
    BatchError
        ``jobs`` < 1; :class:`~kil_io.errors.ResultCollisionError` for two cases with the same name
        or a result made by another case file (see :func:`kil_io.runner.inputs.check_collisions`).
    """
    if not isinstance(jobs, int) or jobs < 1:
        raise BatchError(f"jobs must be a whole number >= 1, got {jobs!r}")
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = (out / LOCK_FILE).open("a")
    except OSError as exc:
        raise BatchError(f"output folder {out} cannot be used: {exc}") from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BatchError(f"another kil-io run is writing to {out}; wait for it or use another --out") from None
        try:
            _remove_stale(out)  # we hold the lock: no other run is using them
            _check_overrides(cases, overrides or {})
            inputs.check_collisions(cases, out, force=force)  # no result replaced by another case file's
            return _run_locked(
                cases, out, runner=runner or ProcessRunner(jobs), force=force, overrides=overrides or {},
                progress=progress, pdf=pdf,
            )  # fmt: skip
        finally:
            _remove_stale(out)  # e.g. the folders of cases an interrupt stopped
            (out / LOCK_FILE).unlink(missing_ok=True)  # leave the output folder as the results alone


#: ``<out>/.old-<target>-<8 hex>``: a result set aside while its replacement is renamed in.
_ASIDE = re.compile(r"\.old-(?P<target>.+)-[0-9a-f]{8}")


def _remove_stale(out: Path) -> None:
    """Recover from a run that was interrupted or killed: restore set-aside results, then clear the rest.

    A run replaces ``<out>/<name>`` in two renames (old folder to ``.old-<name>-*``, new one
    from ``.tmp-<name>-*`` into place); killed between them, the set-aside folder is the only
    whole result, so it is renamed back, never deleted. A set-aside folder is deleted only when
    its target exists again, and one that cannot be restored stays where it is. A ``.tmp-*``
    folder never is the only copy of a result (it is renamed into place only when whole) and a
    ``.del-*`` folder is a superseded failure record: both are deleted.
    """
    children = sorted(out.iterdir(), key=_mtime, reverse=True)  # newest first: it is the one restored
    for child in children:
        match = _ASIDE.fullmatch(child.name)
        if not (match and child.is_dir()):
            continue
        target = out / match["target"]
        if not target.exists():
            try:
                os.rename(child, target)
            except OSError as exc:
                warnings.warn(
                    f"{child} holds the last result of {target.name} but could not be restored ({exc}); "
                    f"rename it to {target.name} by hand",
                    ResultRecoveryWarning,
                    stacklevel=2,
                )
            continue
        shutil.rmtree(child, ignore_errors=True)  # its target is back: a stale copy
    for child in children:
        if child.is_dir() and child.name.startswith((".tmp-", ".del-")):
            shutil.rmtree(child, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.lstat().st_mtime
    except OSError:
        return 0.0


def _check_overrides(cases: Sequence[Case], overrides: Mapping[str, Any]) -> None:
    """An override must be a parameter of every selected template: a typo fails the run, not every case."""
    for key in overrides:
        if key in RUNNER_PARAMETERS:
            raise BatchError(f"parameter {key!r} is set by the runner (results go to each case's own folder)")
        missing = sorted(
            {c.template.name for c in cases if c.template.is_file() and key not in template_parameters(c.template)}
        )
        if missing:
            raise BatchError(f"-p {key}=...: {key!r} is not a parameter of {', '.join(missing)}")
        value = overrides[key]
        for template in sorted({c.template for c in cases if c.template.is_file()}):
            default = template_parameters(template)[key]
            if not _same_type(value, default):
                raise BatchError(
                    f"-p {key}={excerpt(value)}: a {_type_name(value)}, but {template.name} expects a "
                    f"{_type_name(default)} (default {excerpt(default)})"
                )
        if key in DATA_CHECKS and (why := DATA_CHECKS[key](value)):
            raise BatchError(f"-p {key}={excerpt(value)}: {why}")


class Interrupted(KeyboardInterrupt):
    """The run was interrupted (Ctrl-C or SIGTERM); ``results`` holds every case's outcome so far."""

    def __init__(self, results: list[CaseResult]) -> None:
        super().__init__("interrupted")
        self.results = results


def _run_locked(
    cases: Sequence[Case], out: Path, *, runner: Runner, force: bool, overrides: Mapping[str, Any],
    progress: bool | None, pdf: bool = True,
) -> list[CaseResult]:  # fmt: skip
    from tqdm import tqdm

    names = [c.name for c in cases]
    results: dict[str, CaseResult] = {}
    todo = []
    stale: set[str] = set()  # results whose inputs changed: re-run and replaced, as with force
    for case in cases:
        target = out / case.name
        if target.exists() and not (target / "case.json").is_file():
            results[case.name] = CaseResult(
                case.name, "failed", folder=None, error=(
                    f"{target} exists but is not a kil-io run result (no case.json): it is never replaced; "
                    "move it away or choose another --out"
                ),
            )  # fmt: skip
            continue
        case = case.with_parameters(overrides)
        digest = inputs.inputs_hash(case)
        if target.exists() and not force:
            before = inputs.recorded_hash(target)
            if before is None or before == digest:
                results[case.name] = CaseResult(
                    case.name, "skipped", headline=_headline(target), error="exists; use --force", folder=target
                )
                continue
            stale.add(case.name)
        case = dataclasses.replace(case, inputs_sha256=digest)
        try:
            validate(case)
        except BatchError as exc:
            results[case.name] = _record_failure(case, out, None, str(exc), str(exc), 0.0)
            continue
        todo.append(case)
    disable = None if progress is None else not progress  # None: only on a terminal
    attempts = dict.fromkeys((c.name for c in todo), 0)
    alone: set[str] = set()  # cases whose shared pool broke: retried each in a worker of its own
    with tqdm(total=len(cases), desc="cases", unit="case", file=sys.stderr, disable=disable) as bar:
        bar.update(len(results))
        try:
            while todo:
                todo = _round(runner, todo, out, force, results, attempts, alone, bar, stale, pdf=pdf)
        except KeyboardInterrupt:
            for name in names:
                results.setdefault(name, CaseResult(name, "failed", error="interrupted before it finished"))
            raise Interrupted([results[name] for name in names]) from None
    return [results[name] for name in names]


def _round(
    runner: Runner, todo: list[Case], out: Path, force: bool, results: dict[str, CaseResult],
    attempts: dict[str, int], alone: set[str], bar: Any, stale: Set[str] = frozenset(), *, pdf: bool = True,
) -> list[Case]:  # fmt: skip
    """Run cases through the runner once; return those to retry because a worker died under them.

    A worker that dies with several cases in its pool breaks the pool: every case not yet finished
    hears of it, though one killed it. So a death counts against a case only when it ran alone;
    the cases of a shared round that died are retried each in a worker of its own
    (:meth:`ProcessRunner.run_alone`, or one round per case), where the culprit dies alone and the
    others finish. A case that kills its own worker :data:`MAX_ATTEMPTS` times fails.
    """
    retry: list[Case] = []
    isolated = [c for c in todo if c.name in alone]
    shared = [c for c in todo if c.name not in alone]
    rounds: list[Generator[tuple[Case, Outcome | BaseException], None, None]] = []
    if shared:
        rounds.append(runner.run_round(shared, out))
    if isolated and isinstance(runner, ProcessRunner):
        rounds.append(runner.run_alone(isolated, out))
    else:
        rounds += [runner.run_round([case], out) for case in isolated]
    for one in rounds:
        retry += _one_round(one, len(shared) > 1, out, force, results, attempts, alone, bar, stale, pdf=pdf)
    _remove_stale(out)  # a dead worker leaves its temporary folder behind
    return retry


def _one_round(
    finished_cases: Generator[tuple[Case, Outcome | BaseException], None, None], shared: bool, out: Path,
    force: bool, results: dict[str, CaseResult], attempts: dict[str, int], alone: set[str], bar: Any,
    stale: Set[str], *, pdf: bool,
) -> list[Case]:  # fmt: skip
    """Record what one round of the runner yields; return the cases to retry because a worker died under them.

    ``shared``: the round ran several cases in one pool, so a death there names no culprit.
    """
    retry: list[Case] = []
    with contextlib.closing(finished_cases) as finished:
        for case, got in finished:
            if isinstance(got, WorkerDied):
                if shared:
                    alone.add(case.name)  # not known to be the culprit: once more, in a worker of its own
                    retry.append(case)
                    continue
                # it ran alone, so it killed its worker (e.g. for memory): one more try; a second death fails
                attempts[case.name] += 1
                if attempts[case.name] < MAX_ATTEMPTS:
                    retry.append(case)
                    continue
                why = f"the worker process running it died {attempts[case.name]} times"
                why += f" (last: {got})" if str(got) else ""
                result = _record_failure(case, out, None, why, why, 0.0)
            elif isinstance(got, BaseException):
                why = str(got) if isinstance(got, BatchError) else f"worker process failed: {got!r}"
                result = _record_failure(case, out, None, why, why, 0.0)
            else:
                try:
                    result = _finish(case, out, got, force or case.name in stale, pdf=pdf)
                except OSError as exc:  # e.g. the disk filled up: this case fails, the others carry on
                    why = f"could not write the result: {exc}"
                    result = CaseResult(case.name, "failed", got.seconds, error=why)
            results[case.name] = result
            bar.set_postfix_str(f"{case.name}: {result.status}")
            bar.update()
    return retry


def _finish(case: Case, out: Path, outcome: Outcome, force: bool, *, pdf: bool = True) -> CaseResult:
    """Run side: move an executed case into place, or record its failure; the temporary folder never stays."""
    tmp = outcome.folder if outcome.folder is not None else _mkdtemp(out, case.name)
    try:
        if outcome.folder is None:
            try:
                _unpack(outcome.files, tmp)
            except (OSError, BatchError) as exc:
                why = f"could not write the worker's files: {exc}"
                return _record_failure(case, out, tmp, why, repr(exc), outcome.seconds)
        if not outcome.ok:
            return _record_failure(case, out, tmp, outcome.brief, outcome.full, outcome.seconds)
        _write_case_json(tmp, case, "done", outcome.seconds)
        write_reports(tmp, pdf=pdf)
        target = out / case.name
        try:
            _move_into_place(tmp, target, force=force)
        except (OSError, BatchError) as exc:
            why = f"could not move the result into place: {exc}"
            return _record_failure(case, out, tmp, why, repr(exc), outcome.seconds)
        _discard(out / f"{case.name}{FAILED_SUFFIX}")  # a stale failure is superseded
        return CaseResult(case.name, "done", outcome.seconds, _headline(target), folder=target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _unpack(files: Mapping[str, bytes], folder: Path) -> None:
    """Write files a worker sent back (relative path -> content) into ``folder``."""
    for name, content in files.items():
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise BatchError(f"a worker sent back the file {name!r}, which is not a path inside the case folder")
        path = folder.joinpath(*relative.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def _write_case_json(folder: Path, case: Case, status: Status, seconds: float, error: str = "") -> None:
    info = {
        "name": case.name,
        "title": case.title or case.name,
        "template": case.template.name,
        "parameters": case.parameters,
        "status": status,
        "seconds": round(seconds, 1),
        "finished_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "kil_io": __version__,
    }
    if case.inputs_sha256:
        info[inputs.KEY] = case.inputs_sha256
    if made_by := inputs.case_file_record(case):
        info["case_file"] = made_by  # which file made it: another file of the same name is refused
    if error:
        info["error"] = error
    (folder / "case.json").write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _record_failure(case: Case, out: Path, tmp: Path | None, brief: str, full: str, seconds: float) -> CaseResult:
    """Move a failed attempt to ``<out>/<name>.failed`` (replacing an older failure); ``<out>/<name>`` is untouched.

    When that folder cannot be written (a full disk, no permission) the result names no folder
    and its error says nothing was kept, rather than point to a folder that does not hold it.
    """
    target = out / f"{case.name}{FAILED_SUFFIX}"
    try:
        tmp = tmp or _mkdtemp(out, case.name)
        (tmp / "error.txt").write_text(full if full.endswith("\n") else full + "\n", encoding="utf-8")
        if (tmp / "failed.ipynb").exists():
            with contextlib.suppress(Exception):
                _to_html(tmp / "failed.ipynb", tmp / "failed.html")
        _write_case_json(tmp, case, "failed", seconds, brief)
        _move_into_place(tmp, target, force=True)
    except OSError as exc:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        why = f"{brief} [its notebook and error could not be kept, nothing was written to {out}: {exc}]"
        return CaseResult(case.name, "failed", seconds, error=why, folder=None)
    return CaseResult(case.name, "failed", seconds, error=brief, folder=target)
