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
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from kil_io import __version__, datasets, yamlsafe
from kil_io.datasets.cases import CASES_FOLDER
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
