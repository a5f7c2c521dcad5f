"""Type I and Type II effects and multipliers for output, GVA, income and jobs.

Vocabulary as the ONS and the Scottish Government use it:

- an **effect** is the total (direct + indirect [+ induced]) change in a variable per
  unit of final demand for a sector's output (£ of GVA per £1 of demand; FTE per
  £1m of demand);
- a **multiplier** is that total divided by the *direct* change in the same variable
  (dimensionless).

Type I counts direct and indirect (supply-chain) effects, ``v' (I - A)^-1``. Type II
closes the model with households (Scottish Government method): households are an extra
sector that sells labour (row: compensation of employees per unit of output) and buys
goods (column: household consumption per £ of household income), so re-spent wages
add induced effects.

References
----------
Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed., ch. 6.
Scottish Government (2022). *Input-Output Methodology Guide*, "Multipliers and effects".
"""

from __future__ import annotations

import warnings
import weakref
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from kil_io.errors import KilIOWarning, ModelError, ZeroOutputWarning
from kil_io.model.leontief import LeontiefSystem
from kil_io.model.table import HOUSEHOLDS

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kil_io.model.table import IOTable

    FloatArray = NDArray[np.float64]

Kind = Literal["type_i", "type_ii"]
KINDS: tuple[str, ...] = ("type_i", "type_ii")
#: Measures in the order every internal (4, n) array uses, with their units.
MEASURES: tuple[str, ...] = ("output", "gva", "income", "employment")
UNITS: dict[str, str] = {"output": "£m", "gva": "£m", "income": "£m", "employment": "FTE"}
#: Columns of :func:`multipliers`, in order.
COLUMNS: tuple[str, ...] = (
    "output_multiplier",
    "gva_effect",
    "gva_multiplier",
    "income_effect",
    "income_multiplier",
    "employment_effect",
    "employment_multiplier",
)

_COLUMN_INDEX = pd.Index(COLUMNS)  # data shared by every frame; each gets a view (its own name)
_closed_cache: weakref.WeakKeyDictionary[IOTable, dict[float, LeontiefSystem]] = weakref.WeakKeyDictionary()
_direct_cache: weakref.WeakKeyDictionary[IOTable, FloatArray] = weakref.WeakKeyDictionary()
_notes_cache: weakref.WeakKeyDictionary[IOTable, tuple[tuple[str, type[Warning]], ...]] = weakref.WeakKeyDictionary()


def check_kind(kind: str) -> Kind:
    """Return ``kind`` if it is ``"type_i"`` or ``"type_ii"``, else raise ``ModelError``."""
    if kind not in KINDS:
        raise ModelError(f"unknown multiplier kind {kind!r}; expected one of {list(KINDS)}")
    return kind  # type: ignore[return-value]


def direct_coefficients(table: IOTable) -> FloatArray:
    """Direct change per unit of output, shape (4, n), rows in :data:`MEASURES` order.

    Output 1; GVA and income (compensation of employees) per £ of output; FTE per £ of
    output in the table's money unit (so FTE per £1m for a £m table). Sectors with zero
    output have zero coefficients; a table without employment has NaN FTE coefficients.
    Computed once per table (tables are immutable) and returned read-only.
    """
    cached = _direct_cache.get(table)
    if cached is None:
        emp = table.per_output(table.employment) if table.employment is not None else np.full(table.n, np.nan)
        ones = (table.output != 0).astype(np.float64)
        cached = np.vstack([ones, table.per_output(table.gva), table.per_output(table.income), emp])
        cached.flags.writeable = False
        _direct_cache[table] = cached
    return cached


def household_income_total(table: IOTable, household_income: float | None) -> float:
    """Total household income closing the Type II model (£m): CoE unless given."""
    if household_income is None:
        total = float(table.income.sum())
        if total <= 0:
            raise ModelError(
                f"table {table.label}: total compensation of employees is {total:g} {table.units}; "
                "a Type II model needs positive household income (pass household_income=)"
            )
        return total
    value = float(household_income) if isinstance(household_income, int | float | np.integer | np.floating) else np.nan
    if isinstance(household_income, bool) or not np.isfinite(value) or value <= 0:
        raise ModelError(
            f"table {table.label}: household_income must be a positive number of {table.units}, "
            f"got {household_income!r}"
        )
    return value


def closed_system(table: IOTable, household_income: float | None = None) -> LeontiefSystem:
    """The factorised Type II system: ``A`` closed with a household row and column.

    Household row = compensation of employees / output by sector; household column =
    household final consumption / total household income (``household_income``, £m,
    default total compensation of employees). Cached per table and income.

    Raises
    ------
    ModelError
        No ``households`` final demand column, or no household income.
    NotProductiveError
        The closed matrix is not productive (spectral radius >= 1), e.g. when household
        income is set so low that re-spending never dies away.

    Warns
    -----
    KilIOWarning
        Households buy at least £1 of domestic output per £1 of income: the model is
        then productive only through the rest of the matrix, and Type II effects are
        very large.
    """
    income = household_income_total(table, household_income)
    cache = _closed_cache.setdefault(table, {})
    if income not in cache:
        propensity = table.households.sum() / income
        if propensity >= 1:
            warnings.warn(
                f"table {table.label}: households buy £{propensity:.2f} of domestic output per £1 of household "
                f"income ({income:,.6g} {table.units}); Type II effects will be very large. Is household_income "
                "(or the households column) right?",
                KilIOWarning,
                stacklevel=3,
            )
        cache[income] = LeontiefSystem._from_flows(
            table.Z,
            table.output,
            label=f"{table.label} (closed with households)",
            sectors=(*table.sectors, HOUSEHOLDS),
            household_row=table.per_output(table.income),
            household_column=table.households / income,
        )
    return cache[income]


def total_effects(table: IOTable, kind: Kind = "type_i", *, household_income: float | None = None) -> FloatArray:
    """Total effects per unit of final demand, shape (4, n), rows in :data:`MEASURES` order.

    ``e_j = sum_i v_i L[i, j]`` for each measure's direct coefficients ``v``: one
    transposed solve with all four coefficient rows at once. For Type II the sum runs
    over the industry rows of the closed inverse only.
    """
    return _total_effects(table, check_kind(kind), household_income, direct_coefficients(table))


def _total_effects(table: IOTable, kind: Kind, household_income: float | None, direct: FloatArray) -> FloatArray:
    V = direct.copy()
    V[0] = 1.0  # output effect: column sums of L, including zero-output sectors
    has_emp = table.employment is not None
    rows = V if has_emp else V[:3]
    if kind == "type_i":
        out = table.system.solve_transposed(rows)
    else:
        system = closed_system(table, household_income)
        out = system.solve_transposed(np.hstack([rows, np.zeros((rows.shape[0], 1))]))[:, : table.n]
    if not has_emp:
        out = np.vstack([out, np.full(table.n, np.nan)])
    return out


def multipliers(table: IOTable, kind: Kind = "type_i", *, household_income: float | None = None) -> pd.DataFrame:
    """Type I or Type II effects and multipliers by sector.

    Parameters
    ----------
    table : IOTable
    kind : {"type_i", "type_ii"}
        Type I: direct + indirect. Type II: + induced (households closed in).
    household_income : float, optional
        Total household income (£m) for the Type II household column; default the
        table's total compensation of employees.

    Returns
    -------
    DataFrame
        Indexed by sector code, with columns :data:`COLUMNS`:
        ``output_multiplier`` (£ output per £ final demand); ``gva_effect`` and
        ``income_effect`` (£ per £ final demand); ``employment_effect`` (FTE per £1m of
        final demand for a £m table); and the ``*_multiplier`` ratios (total / direct).
        ``attrs`` records the kind, area, year and units.

    Warns
    -----
    ZeroOutputWarning
        Sectors with zero output (all values NaN) or zero direct GVA, income or FTE
        (that ratio multiplier NaN) are named.
    KilIOWarning
        The table has no employment: the employment columns are NaN.

    Raises
    ------
    ModelError
        Unknown ``kind``; Type II without household consumption or income.
    NotProductiveError
        The open or closed system is not productive.

    References
    ----------
    Miller & Blair (2009), sections 6.2 (output, income, employment multipliers) and
    6.3 (Type II); Scottish Government Input-Output Methodology Guide.

    Examples
    --------
    >>> from kil_io import datasets
    >>> m = multipliers(datasets.uk_iot(2019), "type_ii")  # doctest: +SKIP
    >>> m.loc["P85", "employment_effect"]  # FTE per £1m of demand  # doctest: +SKIP
    """
    kind = check_kind(kind)
    direct = direct_coefficients(table)
    total = _total_effects(table, kind, household_income, direct)
    frame = effects_frame(total, direct, table.sector_index)
    frame.attrs.update(
        kind=kind,
        area=table.area,
        year=table.year,
        units=table.units,
        employment_effect_units=f"FTE per {table.units.replace('£m', '£1m')} of final demand",
    )
    notes = _notes_cache.get(table)
    if notes is None:  # the same for both kinds: worked out once per table
        has_employment = table.employment is not None
        notes = missing_notes(table.label, direct, table.output == 0, table.sectors, has_employment=has_employment)
        _notes_cache[table] = notes
    for message, category in notes:
        warnings.warn(message, category, stacklevel=2)
    return frame


def effects_frame(total: FloatArray, direct: FloatArray, index: pd.Index) -> pd.DataFrame:
    """Assemble effects and ratio multipliers, shape (4, m) each, into a :data:`COLUMNS` frame.

    A column whose direct output coefficient is 0 is a sector with zero output: all its
    values are NaN. A ratio whose direct coefficient is 0 is NaN (never ``inf``).
    """
    ratio = np.full_like(total, np.nan)
    np.divide(total, direct, out=ratio, where=direct != 0)
    total = np.where(direct[0] == 0, np.nan, total)
    ratio[:, direct[0] == 0] = np.nan
    # one (m, 7) block in COLUMNS order: a single allocation instead of seven columns
    values = np.stack([total[0], total[1], ratio[1], total[2], ratio[2], total[3], ratio[3]], axis=1)
    return pd.DataFrame(values, index=index, columns=_COLUMN_INDEX.view(), copy=False)


def warn_missing(
    label: str,
    direct: FloatArray,
    zero_output: NDArray[np.bool_],
    names: Sequence[str],
    *,
    has_employment: bool,
    rows: int = 1,
    stacklevel: int = 3,
) -> None:
    """Warn once about NaN results: no employment, zero output, zero direct GVA/income/FTE.

    ``names`` are the sector codes of the columns; with ``rows > 1`` (stacked regions or
    deltas) each sector is named once with the number of rows it is NaN in.
    """
    for message, category in missing_notes(label, direct, zero_output, names, has_employment=has_employment, rows=rows):
        warnings.warn(message, category, stacklevel=stacklevel)


def missing_notes(
    label: str,
    direct: FloatArray,
    zero_output: NDArray[np.bool_],
    names: Sequence[str],
    *,
    has_employment: bool,
    rows: int = 1,
) -> tuple[tuple[str, type[Warning]], ...]:
    """The (message, category) pairs :func:`warn_missing` warns with; empty when nothing is NaN."""
    notes: list[tuple[str, type[Warning]]] = []
    if not has_employment:
        notes.append(
            (f"table {label} has no employment: employment_effect and employment_multiplier are NaN", KilIOWarning)
        )
    zero_direct = direct[1 : 4 if has_employment else 3] == 0
    if not (zero_output.any() or zero_direct.any()):
        return tuple(notes)
    names = np.asarray(names, dtype=object)
    parts = []
    if zero_output.any():
        parts.append(f"zero output in {_listing(names[zero_output], rows)} (all values NaN)")
    for k, measure in enumerate(MEASURES[1:], start=1):
        if measure == "employment" and not has_employment:
            continue
        none = (direct[k] == 0) & ~zero_output
        if none.any():
            parts.append(f"zero direct {measure} in {_listing(names[none], rows)} ({measure}_multiplier NaN)")
    if parts:
        notes.append((f"table {label}: " + "; ".join(parts), ZeroOutputWarning))
    return tuple(notes)


def _listing(names: NDArray[np.object_], rows: int = 1, most: int = 12) -> str:
    if rows == 1:  # one table: each sector is named once already
        shown = [str(c) for c in names]
    else:
        counts = Counter(str(c) for c in names)  # first-seen order
        shown = [f"{c} ({k} of {rows})" for c, k in counts.items()]
    text = str(shown[:most]).replace('"', "'")
    return text if len(shown) <= most else f"{text[:-1]} and {len(shown) - most} more]"


#: The columns a summary shows by default: output, GVA and jobs.
HEADLINE_COLUMNS: tuple[str, ...] = (
    "output_multiplier",
    "gva_effect",
    "gva_multiplier",
    "employment_effect",
    "employment_multiplier",
)


def compare(
    tables: Mapping[str, IOTable],
    sectors: Sequence[str] | None = None,
    *,
    kinds: Sequence[Kind] = ("type_i", "type_ii"),
    columns: Sequence[str] = HEADLINE_COLUMNS,
) -> pd.DataFrame:
    """Multipliers of several tables side by side, for reports.

    Parameters
    ----------
    tables : mapping
        Label -> table (e.g. ``{"Calderdale": local, "UK": uk}``), same sector codes.
    sectors : sequence of str, optional
        Sectors to show (default all).
    kinds : sequence of {"type_i", "type_ii"}
    columns : sequence of str
        Columns of :func:`multipliers`.

    Returns
    -------
    DataFrame
        Rows (sector, name); columns (table label, kind, measure). NaN results are
        explained in ``attrs["notes"]`` (the text of the warnings :func:`multipliers`
        would give), so a report can print them once.
    """
    frames, notes = {}, {}
    for label, table in tables.items():
        for kind in kinds:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", KilIOWarning)
                m = multipliers(table, kind)
            notes.update(dict.fromkeys(str(w.message) for w in caught))
            chosen = m if sectors is None else m.loc[list(sectors)]
            frames[(label, kind)] = chosen[list(columns)]
    out = pd.concat(frames, axis=1, names=["table", "kind", "measure"])
    first = next(iter(tables.values()))
    out.index = pd.MultiIndex.from_arrays(
        [out.index, first.sector_names[out.index].to_numpy()], names=["sector", "name"]
    )
    out.attrs["notes"] = list(notes)
    return out
