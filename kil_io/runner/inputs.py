"""What a case's result was made from, as one hash: a result is up to date while its inputs are unchanged.

:func:`inputs_hash` hashes everything a case's notebook reads: the template notebook, the
parameters, kil_io's version, the shipped data (every file under :func:`kil_io.datasets.data_dir`,
1.6 MB, hashed in about 10 ms), and for a ``case`` parameter the case file and the record files it
was made from (its ``records.files``, relative to the case file); for a ``portfolio`` file of your
own, the file and every case file (and its records) its entries name. :mod:`kil_io.runner.batch` writes
it into ``case.json`` and re-runs a case whose result holds another hash, so an edited case file,
ledger or template is never skipped as "exists".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

from kil_io import __version__, datasets, yamlsafe
from kil_io.datasets.cases import CASES_FOLDER
from kil_io.errors import ResultCollisionError
from kil_io.runner.caselist import Case

#: Key of the hash in ``case.json``.
KEY = "inputs_sha256"


def _file(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


@cache
def _data(folder: str, stamp: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _, _ in stamp:
        digest.update(name.encode() + b"\0" + _file(Path(folder) / name).encode())
    return digest.hexdigest()


def data_version() -> str:
    """Hash of the shipped data (names and bytes of every file), recomputed when a file changes."""
    folder = datasets.data_dir()
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    stamp = tuple((p.relative_to(folder).as_posix(), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return _data(str(folder), stamp)


def _case_files(value: object) -> Iterator[tuple[str, str]]:
    """(name, hash) of the case file a ``case`` parameter names and of the records it lists."""
    from kil_io.appraisal.casefile import is_case_path

    if not isinstance(value, str):
        return
    path = Path(value) if is_case_path(value) else datasets.data_dir() / CASES_FOLDER / f"{value}.yaml"
    yield "case file", _file(path)
    try:
        raw = yamlsafe.load(path.read_text(encoding="utf-8"))
        files = raw.get("records", {}).get("files", []) if isinstance(raw, dict) else []
    except Exception:  # an unreadable case file fails in the notebook, with its own message
        return
    for entry in files if isinstance(files, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("file"), str):
            yield f"record {entry['file']}", _file(path.parent / entry["file"])


def _portfolio_files(value: object) -> Iterator[tuple[str, str]]:
    """(name, hash) of a user's portfolio file and of the case files (and their records) its entries name."""
    from kil_io.appraisal.casefile import is_case_path

    if not isinstance(value, str) or not is_case_path(value):
        return  # a shipped portfolio: its files are in the shipped data's hash
    path = Path(value)
    yield "portfolio file", _file(path)
    try:
        raw = yamlsafe.load(path.read_text(encoding="utf-8"))
        entries = raw.get("entries", []) if isinstance(raw, dict) else []
    except Exception:  # an unreadable portfolio fails in the notebook, with its own message
        return
    for k, entry in enumerate(entries if isinstance(entries, list) else []):
        case = entry.get("case") if isinstance(entry, dict) else None
        if isinstance(case, str) and is_case_path(case):
            for name, digest in _case_files(str(path.parent / case)):
                yield f"entries[{k}] {name}", digest


def inputs_hash(case: Case) -> str:
    """sha256 of a case's inputs: template, parameters, kil_io version, shipped data, case file and records.

    Parameters
    ----------
    case : Case
        With the parameters it runs with (overrides applied).

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    parts = {
        "template": _file(case.template),
        "parameters": json.dumps(dict(case.parameters), sort_keys=True, default=str),
        "kil_io": __version__,
        "data": data_version(),
        **dict(_case_files(case.parameters.get("case"))),
        **dict(_portfolio_files(case.parameters.get("portfolio"))),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def recorded_hash(folder: Path) -> str | None:
    """The inputs hash a result folder's ``case.json`` recorded (``None``: none, e.g. made by an older kil_io)."""
    try:
        value = json.loads((folder / "case.json").read_text(encoding="utf-8")).get(KEY)
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def case_file_record(case: Case) -> dict[str, str] | None:
    """The case file a case runs, as ``case.json`` records it: ``{"path": ..., "sha256": ...}``.

    ``None`` for a case of the case list that names no case file by path (a shipped case by name,
    an area case).
    """
    from kil_io.appraisal.casefile import is_case_path

    value = case.parameters.get("case")
    if not isinstance(value, str) or not is_case_path(value):
        return None
    path = Path(value).resolve()
    return {"path": str(path), "sha256": _file(path)}


def recorded_case_file(folder: Path) -> tuple[bool, dict[str, str] | None]:
    """Whether ``folder/case.json`` is readable, and the case file it records (as :func:`case_file_record`)."""
    try:
        info = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, None
    if not isinstance(info, dict):
        return False, None
    record = info.get("case_file")
    if isinstance(record, dict) and isinstance(record.get("path"), str):
        return True, {"path": record["path"], "sha256": str(record.get("sha256", ""))}
    value = (info.get("parameters") or {}).get("case") if isinstance(info.get("parameters"), dict) else None
    if isinstance(value, str) and Path(value).is_absolute():  # written before case_file was recorded
        return True, {"path": value, "sha256": ""}
    return True, None


def check_collisions(cases: Sequence[Case], out: Path, *, force: bool) -> None:
    """Refuse a result folder name that two different case files map to.

    A case file's result is ``<out>/<name>``, its name made from the file name
    (:func:`~kil_io.runner.caselist.case_from_file`), so ``a-b.yaml`` and ``a_b.yaml``, or
    ``My Case.yaml`` and ``my_case.yaml``, would share one folder and the second run would
    replace the first's result. Each result's ``case.json`` records its case file (path and
    sha256); a case whose file differs from the one recorded, in path *and* content, is refused
    unless ``force`` (a file moved unchanged, or the same file edited, is the same case). Two
    cases of one run with the same name are always refused.

    Raises
    ------
    ResultCollisionError
        Naming both case files and the result folder, and what to do.
    """
    seen: dict[str, Case] = {}
    for case in cases:
        mine = case_file_record(case)
        if case.name in seen:
            other = case_file_record(seen[case.name])
            first = other["path"] if other else f"the case list's {case.name!r}"
            second = mine["path"] if mine else f"the case list's {case.name!r}"
            raise ResultCollisionError(
                f"{first} and {second} both make the result {out / case.name}: rename one of the files "
                "(case names are lower_snake: a-b, A B and a_b are one name) or run them with different --out"
            )
        seen[case.name] = case
        target = out / case.name
        readable, theirs = recorded_case_file(target) if target.is_dir() else (False, None)
        if force or not readable:
            continue
        if theirs is None and mine is None:
            continue
        if theirs is not None and mine is not None:
            if theirs["path"] == mine["path"] or (theirs["sha256"] and theirs["sha256"] == mine["sha256"]):
                continue
        made_by = theirs["path"] if theirs else f"the case list's {case.name!r} (no case file)"
        given = mine["path"] if mine else f"the case list's {case.name!r} (no case file)"
        raise ResultCollisionError(
            f"{target} holds the result of {made_by}, not of {given}: both map to the name {case.name!r}. "
            "Rename the case file (or run it with another --out), or use --force to replace that result"
        )
