"""The checks an :class:`~kil_io.model.table.IOTable` passes when it is built.

Labels (unique, the same in every frame), numbers (real, finite, non-negative where they must
be), balance (rows ``Z·1 + f`` and columns ``1'Z + primary inputs`` equal output ``x`` within a
relative tolerance) and zero-output sectors (a zero row and column). The checks take arrays and
labels, not the table, so that :mod:`kil_io.model.table` imports this module and never the other
way round. Every error names the table, the cell and the numbers, with their unit.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kil_io.errors import (
    BalanceError,
    LabelError,
    NegativeFlowError,
    NonNumericError,
    SectorError,
    TableError,
    ZeroOutputError,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]

#: Primary inputs that cannot be negative: pay, and imports (a negative import is a unit or sign
#: error; net taxes and operating surplus may be negative).
NON_NEGATIVE_PRIMARY_INPUTS: frozenset[str] = frozenset({"imports", "imports_rest_of_uk", "compensation_of_employees"})
#: Final-demand columns that cannot be negative (the ONS and SG readers' names); inventories,
#: valuables and capital formation may be (disposals, run-downs), and so may a residual column
#: such as a regional table's ``exports_and_other``.
NON_NEGATIVE_FINAL_DEMAND: frozenset[str] = frozenset(
    {
        "households", "npish", "government", "government_central", "government_local", "exports",
        "exports_goods_eu", "exports_goods_row", "exports_services", "exports_non_residents", "exports_rest_of_uk",
        "exports_rest_of_world",
    }
)  # fmt: skip


def fmt(value: float) -> str:
    """Format a figure for a message: thousands separators, no spurious exponent."""
    if value != 0 and (abs(value) >= 1e4 or abs(value) < 1e-3):
        return f"{value:,.2f}" if abs(value) >= 1e4 else f"{value:.3e}"
    return f"{value:.6g}"


def is_real(value: object) -> bool:
    """``value`` is a real number: an int or float (Python or numpy), not a bool."""
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_)


def check_unique(labels: tuple[str, ...], what: str) -> None:
    """Raise ``LabelError`` naming the labels given more than once; ``what`` says whose labels they are."""
    seen: set[str] = set()
    dupes: set[str] = set()
    for s in labels:
        (dupes if s in seen else seen).add(s)
    if dupes:
        raise LabelError(f"{what} are not unique: {sorted(dupes)}")


def suggest_sectors(
    names: Mapping[str, str], text: str, *, everyday: Mapping[str, tuple[str, ...]] | None = None, n: int = 4
) -> list[str]:
    """Sector codes a person may have meant by ``text``: a code, an industry's name, or everyday words.

    Tried in turn: ``everyday`` phrases found in the text (``"community centre"`` -> S94 ...); codes
    close to it (``Q88`` -> ``Q87 & Q88``); industry names close to it; then names that share a word
    with it (``"restaurants"`` -> *Food And Beverage Service Activities* only if a word matches).

    Parameters
    ----------
    names : mapping
        Code -> industry name.
    text : str
        What was given.
    everyday : mapping, optional
        Phrase (lower case) -> codes, for what people call an organisation (see
        :data:`kil_io.datasets.EVERYDAY_INDUSTRIES`).
    n : int
        Most codes returned.

    Returns
    -------
    list of str
        Codes of ``names``, best first (empty when nothing is close).
    """
    names = dict(names.items())
    given = str(text).strip()
    words = re.findall(r"[a-z0-9]+", given.casefold())
    phrase = " ".join(words)
    found = [c for key, codes in (everyday or {}).items() if re.search(rf"\b{re.escape(key)}s?\b", phrase)
             for c in codes]  # fmt: skip
    found += [c for c in names if given and given.upper() in c.upper().split(" & ")]
    found += difflib.get_close_matches(given, list(names), n=3, cutoff=0.5)
    by_name = {str(v).casefold(): c for c, v in names.items()}
    found += [by_name[v] for v in difflib.get_close_matches(phrase, list(by_name), n=2, cutoff=0.6)]
    generic = {"service", "activitie", "activity", "other", "manufacture", "product", "supplie", "work"}
    stems = {w.removesuffix("s") for w in words if len(w) >= 4} - generic
    shared = [(sum(any(x.startswith(s) for x in re.findall(r"[a-z]+", str(v).casefold())) for s in stems), c)
              for c, v in names.items()]  # fmt: skip
    found += [c for k, c in sorted(shared, key=lambda kc: -kc[0]) if k > 0]
    return [c for c in dict.fromkeys(found) if c in names][:n]


def check_sectors(names: Mapping[str, str], sectors: Iterable[str], table: str) -> list[str]:
    """The sector codes asked for, or ``SectorError`` naming the unknown ones with the nearest codes.

    Parameters
    ----------
    names : mapping
        Code -> industry name of the table's sectors.
    sectors : iterable of str
        Codes asked for (``"Q87 & Q88"``).
    table : str
        The table's label, for the message.

    Returns
    -------
    list of str
        ``sectors``, in the order given.
    """
    names = dict(names.items())  # a Series iterates its values, a dict its keys
    wanted = list(sectors)
    unknown = [s for s in wanted if s not in names]
    if not unknown:
        return wanted
    parts = []
    for s in unknown:
        close = suggest_sectors(names, str(s))
        close += [c for c in names if str(s) and len(str(s)) >= 2 and str(s) in c and c not in close][:3]
        hint = ", ".join(f"{c!r} ({names[c]})" for c in list(dict.fromkeys(close))[:4])
        parts.append(f"{s!r}" + (f" (did you mean {hint}?)" if hint else ""))
    raise SectorError(
        f"{table} has no sector {'; '.join(parts)}; list its sectors with table.sector_names "
        "or kil_io.datasets.uk_iot(year).sector_names"
    )


def same_labels(labels: pd.Index, expected: tuple[str, ...], what: str, against: str) -> None:
    """Raise ``LabelError`` at the first position where ``labels`` differ from ``expected``."""
    got = tuple(str(c) for c in labels)
    if got == expected:
        return
    extra = sorted(set(got) - set(expected))
    missing = sorted(set(expected) - set(got))
    if len(got) != len(expected):
        repeated = sorted({g for g in got if got.count(g) > 1}) if len(set(got)) != len(got) else []
        codes = [f"{name} {codes[:10]}" + (f" and {len(codes) - 10} more" if len(codes) > 10 else "")
                 for name, codes in (("missing", missing), (f"not in {against}", extra), ("repeated", repeated))
                 if codes]  # fmt: skip
        raise LabelError(f"{what} has {len(got)} labels but {against} has {len(expected)}: {'; '.join(codes)}")
    i = next(k for k, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
    detail = f"; not in {against}: {extra[:5]}; missing: {missing[:5]}" if extra or missing else " (order differs)"
    raise LabelError(f"{what} differ from {against} at position {i}: {got[i]!r} vs {expected[i]!r}{detail}")


def numeric(obj: pd.DataFrame | pd.Series, what: str) -> FloatArray:
    """Convert to float64, naming the first cell that is not a real number (text, bool, complex...)."""
    if not isinstance(obj, pd.DataFrame | pd.Series):
        raise TableError(f"{what} must be a pandas DataFrame or Series, got {type(obj).__name__}")
    frame = obj.to_frame() if isinstance(obj, pd.Series) else obj
    if all(pd.api.types.is_float_dtype(t) or pd.api.types.is_integer_dtype(t) for t in frame.dtypes):
        return np.asarray(obj.to_numpy(dtype=np.float64, na_value=np.nan))
    bad = ~frame.map(lambda v: is_real(v) or v is None or v is pd.NA)
    if not bad.to_numpy().any():
        return np.asarray(frame.astype(np.float64).to_numpy()).reshape(obj.shape)
    r, c = np.argwhere(bad.to_numpy())[0]
    raise NonNumericError(
        f"{what}: cell (row {frame.index[r]!r}, column {frame.columns[c]!r}) is {frame.iat[r, c]!r}, not a number"
    )


def frozen_array(values: Any, what: str) -> FloatArray:
    """``values`` as a read-only float64 array; ``NonNumericError`` naming ``what`` if they are not numbers."""
    try:
        arr = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise NonNumericError(f"{what} holds non-numeric values ({exc})") from None
    arr.flags.writeable = False
    return arr


def closure_figures(
    label: str, units: str, household_income: float | None, resident_share: float
) -> tuple[float | None, float]:
    """Check a table's Type II figures and return them as floats.

    Parameters
    ----------
    label : str
        The table, for messages.
    units : str
        The table's money unit, for messages.
    household_income : float or None
        Total income of the area's households, in the table's money unit; positive if given
        [£m].
    resident_share : float
        Share of the table's pay going to residents of the area [share].

    Returns
    -------
    household_income : float or None
        As given, as a float [£m].
    resident_share : float
        As given, as a float [share].

    Raises
    ------
    TableError
        A household income that is not a positive number, or a share outside [0, 1].
    """
    income: float | None = None
    if household_income is not None:
        if not is_real(household_income) or not np.isfinite(household_income) or household_income <= 0:
            raise TableError(
                f"table {label}: household_income must be a positive number of {units}, got {household_income!r}"
            )
        income = float(household_income)
    if not is_real(resident_share) or not (np.isfinite(resident_share) and 0 <= resident_share <= 1):
        raise TableError(f"table {label}: resident_share must be a share in [0, 1], got {resident_share!r}")
    return income, float(resident_share)


def check_flows(
    label: str,
    *,
    sectors: tuple[str, ...],
    Z: FloatArray,
    final_demand: FloatArray,
    final_demand_labels: tuple[str, ...],
    primary_inputs: FloatArray,
    primary_input_labels: tuple[str, ...],
    output: FloatArray,
    employment: FloatArray | None,
    units: str,
    balance_rtol: float,
    negative_flows: str = "raise",
) -> None:
    """Check a table's numbers: finite, signs, balance, and zero-output sectors.

    The arrays have the shapes of :class:`~kil_io.model.table.IOTable`'s fields (checked
    before); the labels name the cells in messages.

    Parameters
    ----------
    label : str
        The table, for messages (e.g. ``"'UK 2019'"``).
    sectors, final_demand_labels, primary_input_labels : tuple of str
        Labels of the rows and columns.
    Z, final_demand, primary_inputs, output : ndarray
        The table's flows, in ``units`` [£m].
    employment : ndarray or None
        Jobs by sector [FTE].
    units : str
        The money unit of the flows, for messages.
    balance_rtol : float
        Relative tolerance of the balance checks, a fraction of each sector's output [ratio].
    negative_flows : {"raise", "exclude"}
        ``"exclude"`` lets ``Z`` hold negative cells (their buyers are then outside the Leontief
        system, :mod:`kil_io.model.negative`); ``"raise"`` refuses them.

    Raises
    ------
    NonNumericError
        A cell that is NaN or infinite.
    NegativeFlowError
        A negative cell of ``Z`` (with ``negative_flows="raise"``), output or employment, or of a
        primary input or final-demand column that cannot be negative (:data:`NON_NEGATIVE_PRIMARY_INPUTS`,
        :data:`NON_NEGATIVE_FINAL_DEMAND`).
    BalanceError
        A row or column total that differs from output by more than ``balance_rtol`` of it.
    ZeroOutputError
        A sector with zero output but some flow or employment.
    """
    labels = (sectors, final_demand_labels, primary_input_labels)
    check_overflow(label, labels, Z, final_demand, primary_inputs, units)
    arrays = {"Z": Z, "final_demand": final_demand, "primary_inputs": primary_inputs, "output": output}
    if employment is not None:
        arrays["employment"] = employment
    for name, arr in arrays.items():
        bad = np.argwhere(~np.isfinite(arr))
        if bad.size:
            where = _cell(name, tuple(bad[0]), *labels)
            raise NonNumericError(
                f"table {label}: {name} {where} is {float(arr[tuple(bad[0])])}; "
                f"every cell must be a finite number ({len(bad)} such cells)"
            )
    for name in ("Z", "output", "employment"):
        if name not in arrays or (name == "Z" and negative_flows == "exclude"):
            continue
        arr = arrays[name]
        neg = np.argwhere(arr < 0)
        if neg.size:
            cell = tuple(neg[0])
            unit = "FTE" if name == "employment" else units
            hint = "; negative_flows='exclude' keeps it, outside the Leontief system (ONS's rule)"
            hint = hint if name == "Z" else ""
            raise NegativeFlowError(
                f"table {label}: {name} {_cell(name, cell, *labels)} is {arr[cell]:g} "
                f"{unit}; it must be non-negative ({len(neg)} negative cells){hint}"
            )

    signed = [
        ("primary_inputs", k, row) for k, row in enumerate(primary_input_labels) if row in NON_NEGATIVE_PRIMARY_INPUTS
    ] + [
        ("final_demand", k, column) for k, column in enumerate(final_demand_labels)
        if column in NON_NEGATIVE_FINAL_DEMAND
    ]  # fmt: skip
    for name, k, what in signed:
        values = primary_inputs[k] if name == "primary_inputs" else final_demand[:, k]
        below = np.flatnonzero(values < 0)
        if below.size:
            cell = (k, int(below[0])) if name == "primary_inputs" else (int(below[0]), k)
            raise NegativeFlowError(
                f"table {label}: {name} {_cell(name, cell, *labels)} is {values[below[0]]:g} {units}; "
                f"'{what}' cannot be negative ({below.size} negative cells; only net taxes, operating surplus, "
                "inventories, valuables and capital formation may be)"
            )

    x = output
    tol = balance_rtol * np.maximum(np.abs(x), np.finfo(float).eps * x.sum())
    rows = Z.sum(axis=1) + final_demand.sum(axis=1)
    cols = Z.sum(axis=0) + primary_inputs.sum(axis=0)
    for kind, total, formula in (("row", rows, "Z·1 + f"), ("column", cols, "1'Z + primary inputs")):
        gap = total - x
        off = np.flatnonzero(np.abs(gap) > tol)
        if off.size:
            j = off[np.argmax(np.abs(gap[off]))]
            rel = f" = {gap[j] / x[j]:.3g} of output" if x[j] else ""
            raise BalanceError(
                f"table {label}: {kind} '{sectors[j]}' does not balance: {formula} = "
                f"{fmt(total[j])} but output x = {fmt(x[j])} {units} (gap {fmt(gap[j])}"
                f"{rel}; tolerance {balance_rtol:g} of output; {off.size} sector(s) off)"
            )

    for j in np.flatnonzero(x == 0):
        parts = {
            "intermediate sales (row of Z)": np.abs(Z[j]).sum(),
            "intermediate purchases (column of Z)": np.abs(Z[:, j]).sum(),
            "primary inputs": np.abs(primary_inputs[:, j]).sum(),
            "final demand": np.abs(final_demand[j]).sum(),
        }
        if employment is not None:
            parts["employment (FTE)"] = employment[j]
        nonzero = {part: amount for part, amount in parts.items() if amount != 0}
        if nonzero:
            part, amount = next(iter(nonzero.items()))
            raise ZeroOutputError(
                f"table {label}: sector '{sectors[j]}' has zero output but its {part} "
                f"total {fmt(amount)}; a zero-output sector must have a zero row and column"
            )


def row_totals(Z: FloatArray, final_demand: FloatArray) -> FloatArray:
    """Output as the row totals ``Z·1 + f`` [£m]; one too large for a float is ``inf``, named by :func:`check_flows`."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(Z.sum(axis=1) + final_demand.sum(axis=1))


def check_overflow(
    label: str,
    labels: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]],
    Z: FloatArray,
    final_demand: FloatArray,
    primary_inputs: FloatArray,
    units: str,
) -> None:
    """Raise ``NonNumericError`` naming the cell at which a row or column total of finite cells overflows a float."""
    n = len(labels[0])
    with np.errstate(over="ignore", invalid="ignore"):
        for kind, cells in (("row", np.hstack([Z, final_demand])), ("column", np.vstack([Z, primary_inputs]).T)):
            finite = np.isfinite(cells).all(axis=1)
            over = np.flatnonzero(finite & ~np.isfinite(cells.sum(axis=1)))
            if not over.size:
                continue
            i = int(over[0])
            j = int(np.argmax(~np.isfinite(np.cumsum(cells[i]))))
            if kind == "row":
                where = _cell(*(("Z", (i, j)) if j < n else ("final_demand", (i, j - n))), *labels)
                what = "Z·1 + f, its output where none was given"
            else:
                where = _cell(*(("Z", (j, i)) if j < n else ("primary_inputs", (j - n, i))), *labels)
                what = "1'Z + primary inputs"
            raise NonNumericError(
                f"table {label}: the {kind} total of sector '{labels[0][i]}' ({what}) overflows at {where}, "
                f"{cells[i, j]:.4g} {units}: a float holds at most {np.finfo(float).max:.3g}; are the flows in {units}?"
            )


def _cell(
    name: str,
    index: tuple[int, ...],
    sectors: tuple[str, ...],
    final_demand_labels: tuple[str, ...],
    primary_input_labels: tuple[str, ...],
) -> str:
    if name == "Z":
        return f"cell (supplier '{sectors[index[0]]}', buyer '{sectors[index[1]]}')"
    if name == "final_demand":
        return f"cell (sector '{sectors[index[0]]}', '{final_demand_labels[index[1]]}')"
    if name == "primary_inputs":
        return f"cell ('{primary_input_labels[index[0]]}', sector '{sectors[index[1]]}')"
    return f"sector '{sectors[index[0]]}'"
