"""A council's shift scenario: a share of chosen categories, expense types or service areas moved to local suppliers.

A shift names what moves and how much of it: ``Repairs and maintenance=0.25`` moves a quarter of the
spend on repairs and maintenance that now goes to suppliers outside the area to suppliers inside it.
For each payment with local share ``l`` (the share of its supplier's place in the area), a shift of
share ``a`` makes it ``l + a (1 - l)``: ``a = 0`` changes nothing, ``a = 1`` makes it all local, and
more never makes it less. What is moved is named

- on the command line, ``--shift "WHAT=SHARE"`` (the share as ``0.25`` or ``25%``), optionally with
  its kind: ``--shift "service area: Housing=0.2"``;
- in a file (``.csv`` or ``.xlsx``), one shift a row: ``what``, ``share`` and optional ``kind``
  (``category``, ``expense type`` or ``service area``) and ``source`` (who decided it, or why).

``WHAT`` is a category of the ledger's payments (``building maintenance``, ``social_care``, an IOAT
code), an expense type or a service area, as the ledger writes it (case and spacing aside). A name
that is none of these, a share outside [0, 1], or a name that is two kinds at once with different
payments is a :class:`~kil_io.errors.RecordsError` naming the file (or ``--shift``), the row, the
column and the value. Where two shifts cover one payment, the larger share applies (shares are not
compounded), and the result says so.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kil_io.errors import RecordsError
from kil_io.limits import excerpt
from kil_io.records.spend_categories import UNMAPPED, category_label
from kil_io.records.tables import MAX_LISTED, Column, Layout, Problem, Problems, Sheet, parse_number, read_sheet

#: What a shift can name, in the order a bare name is looked up.
KINDS: tuple[str, ...] = ("category", "expense type", "service area")
#: Where the command line's shifts are said to come from in messages.
OPTION = "--shift"

SHIFTS = Layout(
    what="spend shifts file",
    option="--shifts",
    columns=(
        Column("what", ("target", "shift", "name", "moves", "category or expense type")),
        Column("share", ("share moved", "share to local", "shift share", "share shifted", "local share moved")),
        Column("kind", ("type", "of", "column"), required=False),
        Column("source", ("note", "why", "basis", "decided by"), required=False),
    ),
)


@dataclass(frozen=True)
class ShiftSpec:
    """One shift as given: what it names, the share of the non-local spend moved, and where it was written.

    Attributes
    ----------
    what : str
        As written.
    share : float
        Share of the spend now outside the area that moves to local suppliers [share].
    kind : str
        One of :data:`KINDS`, or "" (looked up in each).
    source : str
        The user's note (empty if none).
    path : str
        The shifts file, or where they were written (``--shift``, a notebook's ``shifts``).
    row : int
        Its row (the file's, or its position among the others, from 1).
    """

    what: str
    share: float
    kind: str
    source: str
    path: str
    row: int

    @property
    def where(self) -> str:
        """``"shifts.csv, row 3"`` or ``"--shift 1"``."""
        return f"{Path(self.path).name}, row {self.row}" if _is_file(self.path) else f"{self.path} {self.row}"


def _is_file(path: str) -> bool:
    """Whether shifts came from a file (or from ``--shift`` options or a notebook's list)."""
    return Path(path).suffix.casefold() in (".csv", ".txt", ".xlsx", ".xlsm")


def parse_share(raw: Any) -> float | None:
    """A share from a cell or text: ``0.25``, ``"0.25"`` or ``"25%"`` -> 0.25; ``None`` if it is not a number."""
    text = str(raw).strip() if raw is not None else ""
    if text.endswith("%"):
        value = parse_number(text[:-1])
        return None if value is None else value / 100
    return parse_number(raw)


def _kind(text: str) -> str | None:
    key = " ".join(text.casefold().replace("_", " ").split())
    return key if key in KINDS else None


def _spec(problems: Problems, row: int, cells: tuple[Any, ...], path: str) -> ShiftSpec | None:
    what = problems.text(row, cells, "what")
    raw = problems.sheet.cell(cells, "share")
    kind_text = problems.text(row, cells, "kind", required=False)
    source = problems.text(row, cells, "source", required=False)
    share = parse_share(raw)
    if share is None:
        problems.add(row, "share", raw, "is not a share: write 0.25 or 25% to move a quarter")
    elif not 0 <= share <= 1:
        problems.add(row, "share", raw, "is not a share in [0, 1] (0: nothing moves; 1: all of it is bought locally)")
        share = None
    kind = _kind(kind_text) if kind_text else ""
    if kind is None:
        problems.choice(row, "kind", kind_text, KINDS, "kind of shift")
    if not what or share is None or kind is None:
        return None
    return ShiftSpec(what, float(share), kind, source, path, row)


def shifts_from_text(items: Sequence[str | Sequence[Any]], *, option: str = OPTION) -> tuple[ShiftSpec, ...]:
    """Shifts written as ``WHAT=SHARE`` (``"Home care=0.25"``, ``"service area: Housing=20%"``) or as pairs.

    Parameters
    ----------
    items : sequence
        Each ``"WHAT=SHARE"`` (the command line's ``--shift``) or a pair ``[WHAT, SHARE]`` (a notebook's
        parameter, which papermill cannot read with an ``=`` inside it).
    option : str
        What messages call them: ``--shift`` on the command line, ``shifts`` in a notebook.

    Raises
    ------
    RecordsError
        Text without ``=``, an empty name, a share that is not a number in [0, 1] or an unknown kind
        (naming ``option``, the shift's position, the column and the value).
    """
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for k, item in enumerate(items, start=1):
        if isinstance(item, str):
            what, sep, share = item.rpartition("=")
            share_cell: Any = share.strip() if sep else None
        elif len(item) == 2:
            what, share_cell = str(item[0]), item[1]
        else:
            what, share_cell = str(item), None
        kind = ""
        head, colon, rest = what.partition(":")
        if colon and _kind(head) is not None:
            kind, what = head, rest
        rows.append((k, (what.strip(), share_cell, kind.strip())))
    sheet = Sheet(Path(option), SHIFTS, 0, {"what": 0, "share": 1, "kind": 2}, tuple(rows))
    problems = Problems(sheet)
    out = []
    for row, cells in sheet.rows:
        if cells[1] is None:
            problems.add(row, "what", items[row - 1], "is not WHAT=SHARE (e.g. 'Repairs and maintenance=0.25')")
            continue
        spec = _spec(problems, row, cells, option)
        if spec is not None:
            out.append(spec)
    problems.check()
    return tuple(out)


def read_shifts(path: str | Path) -> tuple[ShiftSpec, ...]:
    """A shifts file (``.csv`` or ``.xlsx``): ``what``, ``share`` and optional ``kind`` and ``source`` a row.

    Raises
    ------
    RecordsError
        The wrong shape, or a row with an empty name, a share that is not a number in [0, 1] or an
        unknown kind (naming the file, row, column and value).
    """
    sheet = read_sheet(path, SHIFTS)
    problems = Problems(sheet)
    out = [spec for row, cells in sheet.rows if (spec := _spec(problems, row, cells, str(sheet.path))) is not None]
    problems.check()
    return tuple(out)


def _key(text: str) -> str:
    return " ".join(str(text).casefold().replace("&", " and ").replace("_", " ").split())


def _names(payments: pd.DataFrame, names: Mapping[str, str]) -> dict[str, dict[str, np.ndarray]]:
    """Kind -> normalised name -> which payments it covers."""
    out: dict[str, dict[str, np.ndarray]] = {kind: {} for kind in KINDS}
    for category in payments["category"].unique():
        mask = (payments["category"] == category).to_numpy()
        for name in {category, category_label(str(category), names)}:
            out["category"][_key(name)] = mask
    for kind, column in (("expense type", "expense_type"), ("service area", "service_area")):
        for value in payments[column].unique():
            if str(value).startswith("(no "):
                continue
            key = _key(value)
            mask = (payments[column] == value).to_numpy()
            out[kind][key] = out[kind][key] | mask if key in out[kind] else mask
    return out


def resolve_shifts(
    specs: Sequence[ShiftSpec], payments: pd.DataFrame, names: Mapping[str, str]
) -> tuple[pd.DataFrame, np.ndarray]:
    """The ledger's payments each shift covers, the share moved from each payment, and what each shift moves.

    Parameters
    ----------
    specs : sequence of ShiftSpec
    payments : DataFrame
        The ledger's payments with their ``category`` (:func:`kil_io.records.spend_categories.place`):
        ``amount`` [£], ``local`` [share], ``category``, ``expense_type``, ``service_area``.
    names : mapping
        IOAT code -> industry name (a category named by its industry).

    Returns
    -------
    table : DataFrame
        One row per shift: ``what``, ``kind``, ``share`` [share], ``source``, ``where``, ``payments``,
        ``spend``, ``non_local`` (the spend outside the area before the shift), ``moved`` (``share x
        non_local``) and ``moved_counted`` (the part of it in payments placed in an industry) [£],
        ``shared`` (its payments that another shift covers too; the larger share applies).
    share : ndarray
        Share of each payment's non-local spend moved (the largest of the shifts covering it) [share].

    Raises
    ------
    RecordsError
        A name that is no category, expense type or service area of the ledger (with the closest
        one), a name that is two kinds with different payments, or a shift given twice (naming the
        file or ``--shift``, row, column ``what`` and the value).
    """
    known = _names(payments, names)
    problems: list[Problem] = []
    share = np.zeros(len(payments))
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], ShiftSpec] = {}
    masks: list[np.ndarray] = []
    amount, local = payments["amount"].to_numpy(float), payments["local"].to_numpy(float)
    counted = (payments["category"] != UNMAPPED).to_numpy()
    for spec in specs:
        key = _key(spec.what)
        kinds = [spec.kind] if spec.kind else list(KINDS)
        found = {kind: known[kind][key] for kind in kinds if key in known[kind]}
        problem = _problem(spec, key, kinds, found, known, seen)
        if problem:
            problems.append(Problem(Path(spec.path), spec.row, "what", spec.what, problem))
            continue
        kind, mask = next(iter(found.items()))
        seen[(kind, key)] = spec
        share = np.where(mask, np.maximum(share, spec.share), share)
        non_local = amount * (1 - local) * mask
        masks.append(mask)
        rows.append({
            "what": spec.what, "kind": kind, "share": spec.share, "source": spec.source, "where": spec.where,
            "payments": float(mask.sum()), "spend": float((amount * mask).sum()), "non_local": float(non_local.sum()),
            "moved": float(spec.share * non_local.sum()), "moved_counted": float(spec.share * non_local[counted].sum()),
        })  # fmt: skip
    if problems:
        lines = [str(p) for p in problems[:MAX_LISTED]]
        paths = sorted({p.path.name if _is_file(str(p.path)) else str(p.path) for p in problems})
        raise RecordsError("\n  ".join([f"{', '.join(paths)}: {len(problems)} shift(s) name nothing in the ledger",
                                        *lines]))  # fmt: skip
    columns = ["what", "kind", "share", "source", "where", "payments", "spend", "non_local", "moved", "moved_counted",
               "shared"]  # fmt: skip
    covers = np.sum(masks, axis=0) if masks else np.zeros(len(payments))
    for row, mask in zip(rows, masks, strict=True):
        row["shared"] = float((mask & (covers > 1)).sum())  # its payments another shift covers too
    return pd.DataFrame(rows, columns=columns), share


def _problem(
    spec: ShiftSpec,
    key: str,
    kinds: list[str],
    found: dict[str, np.ndarray],
    known: dict[str, dict[str, np.ndarray]],
    seen: dict[tuple[str, str], ShiftSpec],
) -> str:
    """Why a shift names nothing (or too much), or ""."""
    if not found:
        every = [name for kind in kinds for name in known[kind]]
        close = difflib.get_close_matches(key, every, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        plural = {"category": "categories", "expense type": "expense types", "service area": "service areas"}
        lists = "; ".join(f"{plural[kind]}: {excerpt(sorted(known[kind]))}" for kind in kinds if known[kind])
        return f"is not a {' or '.join(kinds)} of this ledger{hint}; its {lists}"
    masks = list(found.values())
    if any(not np.array_equal(masks[0], m) for m in masks[1:]):
        both = " and ".join(found)
        return (
            f"names a {both}, which cover different payments: write it as '{next(iter(found))}: {spec.what}="
            f"{spec.share:g}' (or another kind)"
        )
    kind = next(iter(found))
    if (kind, key) in seen:
        return f"is shifted twice (also at {seen[(kind, key)].where}): give it once"
    return ""


__all__ = [
    "KINDS",
    "OPTION",
    "SHIFTS",
    "ShiftSpec",
    "parse_share",
    "read_shifts",
    "resolve_shifts",
    "shifts_from_text",
]
