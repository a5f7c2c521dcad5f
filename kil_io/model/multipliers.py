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
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from kil_io.errors import KilIOWarning, ModelError
from kil_io.model.closure import (
    Closure,
    check_closure,
    check_propensity,
    closed_effects,
    household_income_total,
    resident_share_of,
)
from kil_io.model.leontief import LeontiefSystem
from kil_io.model.negative import outside_note
from kil_io.model.ratios import (
    COLUMNS,
    MEASURES,
    RATIO_MIN_SHARE,
    UNITS,
    effects_frame,
    missing_notes,
    ratio_floor,
    table_floor,
    warn_missing,
)
from kil_io.model.table import HOUSEHOLDS
from kil_io.model.units import check_magnitudes
from kil_io.model.validation import check_sectors

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kil_io.model.table import IOTable

    FloatArray = NDArray[np.float64]

Kind = Literal["type_i", "type_ii"]
KINDS: tuple[Kind, ...] = ("type_i", "type_ii")

# the frame's columns, the ratio floor and the NaN notes live in kil_io.model.ratios; importable from here too
__all__ = [
    "COLUMNS", "HEADLINE_COLUMNS", "KINDS", "MEASURES", "RATIO_MIN_SHARE", "UNITS", "Kind", "check_kind",
    "closed_system", "closure_attrs", "compare", "consumption_output", "direct_coefficients", "effects_frame",
    "missing_notes", "multipliers", "ratio_floor", "table_floor", "total_effects", "type_i_effects", "warn_missing",
]  # fmt: skip

_Cache = weakref.WeakKeyDictionary
_closed_cache: _Cache[IOTable, dict[tuple[float, float], LeontiefSystem]] = weakref.WeakKeyDictionary()
_direct_cache: weakref.WeakKeyDictionary[IOTable, FloatArray] = weakref.WeakKeyDictionary()
_type_i_cache: weakref.WeakKeyDictionary[IOTable, FloatArray] = weakref.WeakKeyDictionary()
_consumption_cache: weakref.WeakKeyDictionary[IOTable, FloatArray] = weakref.WeakKeyDictionary()
_notes_cache: weakref.WeakKeyDictionary[IOTable, tuple[tuple[str, type[Warning]], ...]] = weakref.WeakKeyDictionary()


def check_kind(kind: str) -> Kind:
    """Return ``kind`` if it is ``"type_i"`` or ``"type_ii"``, else raise ``ModelError``."""
    if kind not in KINDS:
        raise ModelError(f"unknown multiplier kind {kind!r}; expected one of {list(KINDS)}")
    return kind


def direct_coefficients(table: IOTable) -> FloatArray:
    """Direct change per unit of output, shape (4, n), rows in :data:`MEASURES` order.

    Output 1; GVA and income (compensation of employees) per £ of output; FTE per £ of
    output in the table's money unit (so FTE per £1m for a £m table). Sectors with zero
    output have zero coefficients; a table without employment has NaN FTE coefficients.
    Computed once per table (tables are immutable) and returned read-only; the first call checks
    the table's magnitudes (:func:`kil_io.model.units.check_magnitudes`), so every impact and
    multiplier table is checked once, not once per draw.

    Parameters
    ----------
    table : IOTable

    Returns
    -------
    ndarray, shape (4, n)
        Rows output, GVA and income [£ per £1], and employment [FTE per £1m].
    """
    cached = _direct_cache.get(table)
    if cached is None:
        emp = table.per_output(table.employment) if table.employment is not None else np.full(table.n, np.nan)
        ones = (table.output != 0).astype(np.float64)
        cached = np.vstack([ones, table.per_output(table.gva), table.per_output(table.income), emp])
        cached.flags.writeable = False
        _direct_cache[table] = cached
        check_magnitudes(table, stacklevel=3)  # after caching: a warning turned error does not re-check
    return cached


def closed_system(
    table: IOTable,
    household_income: float | None = None,
    *,
    closure: Closure = "household_income",
    resident_share: float | None = None,
) -> LeontiefSystem:
    """The factorised Type II system: ``A`` closed with a household row and column.

    Household row = the resident share ``s`` times compensation of employees / output by
    sector; household column = household final consumption / total household income ``Y``
    (see :mod:`kil_io.model.closure` for ``closure`` and ``household_income``). Cached per
    table, income and share. :func:`multipliers` and the impacts use the same closure through
    a rank-one update of the Type I system instead (:func:`kil_io.model.closure.closed_effects`);
    this explicit factorisation is for those who want the closed system itself.

    Parameters
    ----------
    table : IOTable
    household_income : float, optional
        Total household income ``Y``, as in :func:`multipliers` [£m].
    closure : {"household_income", "coe"}
        As in :func:`multipliers`.
    resident_share : float, optional
        Share of the table's pay going to local residents, as in :func:`multipliers` [share].

    Returns
    -------
    LeontiefSystem
        Of ``n + 1`` sectors, households last; its coefficients are [£ per £1].

    Raises
    ------
    ModelError
        No ``households`` final demand column, or no household income (see
        :func:`kil_io.model.closure.household_income_total`).
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
    table.households  # noqa: B018  (no households column: the first thing to say)
    income = household_income_total(table, household_income, closure=closure)
    share = resident_share_of(table, resident_share)
    cache = _closed_cache.setdefault(table, {})
    if (income, share) not in cache:
        check_propensity(table, income, share, stacklevel=3)
        cache[(income, share)] = LeontiefSystem._from_flows(
            table.system_flows,
            table.output,
            label=f"{table.label} (closed with households)",
            sectors=(*table.sectors, HOUSEHOLDS),
            household_row=share * table.per_output(table.income),
            household_column=table.households / income,
        )
    return cache[(income, share)]


def total_effects(
    table: IOTable,
    kind: Kind = "type_i",
    *,
    household_income: float | None = None,
    closure: Closure = "household_income",
    resident_share: float | None = None,
) -> FloatArray:
    """Total effects per unit of final demand, shape (4, n), rows in :data:`MEASURES` order.

    ``e_j = sum_i v_i L[i, j]`` for each measure's direct coefficients ``v``: one
    transposed solve with all four coefficient rows at once (cached per table). Type II is
    the sum over the industry rows of the household-closed inverse, obtained from the
    Type I effects by a rank-one update (:func:`kil_io.model.closure.closed_effects`).

    Parameters
    ----------
    table : IOTable
    kind : {"type_i", "type_ii"}
    household_income : float, optional
        As in :func:`multipliers` [£m].
    closure : {"household_income", "coe"}
        As in :func:`multipliers`.
    resident_share : float, optional
        As in :func:`multipliers` [share].

    Returns
    -------
    ndarray, shape (4, n)
        Rows output, GVA and income [£ per £1], and employment [FTE per £1m].
    """
    kind = check_kind(kind)
    return _total_effects(table, kind, direct_coefficients(table), household_income, closure, resident_share)


def type_i_effects(table: IOTable) -> FloatArray:
    """Type I effects ``v' L`` of the four measures, (4, n) (employment NaN without FTE); cached, read-only.

    Rows output, GVA and income [£ per £1], and employment [FTE per £1m].
    """
    cached = _type_i_cache.get(table)
    if cached is None:
        V = direct_coefficients(table).copy()
        V[0] = 1.0  # output effect: column sums of L, including zero-output sectors
        has_emp = table.employment is not None
        cached = table.system.solve_transposed(V if has_emp else V[:3])
        if not has_emp:
            cached = np.vstack([cached, np.full(table.n, np.nan)])
        cached.flags.writeable = False
        _type_i_cache[table] = cached
    return cached


def consumption_output(table: IOTable) -> FloatArray:
    """``L C``: output needed to meet the households' whole consumption ``C``, by sector; cached, read-only [£m]."""
    cached = _consumption_cache.get(table)
    if cached is None:
        cached = table.system.solve(table.households)
        cached.flags.writeable = False
        _consumption_cache[table] = cached
    return cached


def _total_effects(
    table: IOTable,
    kind: Kind,
    direct: FloatArray,
    household_income: float | None = None,
    closure: Closure = "household_income",
    resident_share: float | None = None,
) -> FloatArray:
    type_i = type_i_effects(table)
    if kind == "type_i":
        return type_i.copy()
    table.households  # noqa: B018  (no households column: the first thing to say)
    income = household_income_total(table, household_income, closure=closure)
    share = resident_share_of(table, resident_share)
    check_propensity(table, income, share, stacklevel=4)
    return closed_effects(type_i, type_i[2], table.households, income, share, label=table.label)[0]


def multipliers(
    table: IOTable,
    kind: Kind = "type_i",
    *,
    household_income: float | None = None,
    closure: Closure = "household_income",
    resident_share: float | None = None,
) -> pd.DataFrame:
    """Type I or Type II effects and multipliers by sector.

    Parameters
    ----------
    table : IOTable
    kind : {"type_i", "type_ii"}
        Type I: direct + indirect. Type II: + induced (households closed in).
    household_income : float, optional
        Total household income for the Type II household column, instead of the
        figure the table carries (``table.household_income``) [£m].
    closure : {"household_income", "coe"}
        ``"household_income"`` (default): household consumption per £ of total household
        income, the Scottish Government's closure (``household_income`` or the table's
        figure; without either, a ``ModelError`` says what to pass). ``"coe"``: per £ of the
        table's compensation of employees (households spend from pay alone: larger induced
        effects). See :mod:`kil_io.model.closure`.
    resident_share : float, optional
        Share of the table's pay going to local residents, in [0, 1] (default
        ``table.resident_share``: Census 2021 commuting for a local authority, 1 for a nation);
        only their pay is re-spent locally. 1 gives the usual Type II, 0 gives Type I [share].

    Returns
    -------
    DataFrame
        Indexed by sector code, with columns :data:`COLUMNS`:
        ``output_multiplier`` (output per £ of final demand) [£ per £1]; ``gva_effect`` and
        ``income_effect`` (per £ of final demand) [£ per £1]; ``employment_effect`` (for a £m
        table) [FTE per £1m]; and the ``*_multiplier`` ratios, total / direct [ratio].
        ``attrs`` records the kind, area, year, units and industry names (``names``: code -> name), and
        for Type II the closure, the household income [£m] and the resident share [share] with their sources.

    Warns
    -----
    NegativeFlowWarning
        Sectors outside the Leontief system (:attr:`IOTable.excluded`, a negative intermediate input):
        all their values NaN, as ONS's ``..``; the message names the cell, and holds the notes a
        ``ZeroOutputWarning`` would (it is one), so one warning says everything NaN about a table.
    ZeroOutputWarning
        Sectors with zero output (all values NaN), and ratio multipliers left NaN because
        their direct coefficient is zero, negative or below :data:`RATIO_MIN_SHARE` of the
        table's average (ONS publishes ``..`` for such ratios), are named.
    KilIOWarning
        The table has no employment: the employment columns are NaN.
    ImplausibleValueWarning
        FTE per £1m of output or pay per FTE far outside any UK table's (:func:`kil_io.model.units.check_magnitudes`):
        a unit slip, named in the message; checked once per table.

    Raises
    ------
    ModelError
        Unknown ``kind`` or ``closure``; Type II without household consumption or income.
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
    check_closure(closure)
    direct = direct_coefficients(table)
    total = _total_effects(table, kind, direct, household_income, closure, resident_share)
    floor = table_floor(table, direct)
    if table.excluded:  # outside the Leontief system: ONS's '..' (after the closure, which needs their figures)
        total = np.where(np.isin(table.sectors, table.excluded), np.nan, total)
    frame = effects_frame(total, direct, table.sector_index, floor)
    frame.attrs.update(
        kind=kind,
        area=table.area,
        year=table.year,
        units=table.units,
        employment_effect_units=f"FTE per {table.units.replace('£m', '£1m')} of final demand",
        names=dict(zip(table.sectors, table.names, strict=True)),  # code -> industry, for reading (model.display)
    )
    if kind == "type_ii":
        frame.attrs.update(closure_attrs(table, closure, household_income, resident_share))
    notes = _notes_cache.get(table)
    if notes is None:  # the same for both kinds: worked out once per table
        has_employment = table.employment is not None
        outside = np.isin(table.sectors, table.excluded)
        text = outside_note(table.sectors, table.Z, table.units)
        notes = missing_notes(table.label, direct, table.output == 0, table.sectors, has_employment=has_employment,
                              floor=floor, outside=outside, outside_text=text)  # fmt: skip
        _notes_cache[table] = notes
    for message, category in notes:
        warnings.warn(message, category, stacklevel=2)
    return frame


def closure_attrs(
    table: IOTable, closure: Closure, household_income: float | None, resident_share: float | None
) -> dict[str, object]:
    """What closed a Type II result: closure, household income, resident share, and their sources.

    Parameters
    ----------
    table : IOTable
    closure : {"household_income", "coe"}
    household_income : float or None
        As given to :func:`multipliers` [£m].
    resident_share : float or None
        As given to :func:`multipliers` [share].

    Returns
    -------
    dict
        ``closure``; ``household_income`` [£m]; ``resident_share`` [share]; and the sources of
        the two figures.
    """
    income = household_income_total(table, household_income, closure=closure)
    if household_income is not None:
        income_source = "given (household_income=)"
    elif closure == "coe":
        income_source = "the table's total compensation of employees"
    else:
        income_source = str(table.metadata.get("household_income_source", "carried by the table"))
    share = resident_share_of(table, resident_share)
    if resident_share is not None:
        share_source = "given (resident_share=)"
    else:
        share_source = str(table.metadata.get("resident_share_source", "the table's (all pay to residents)"))
    return {
        "closure": closure,
        "household_income": income,
        "household_income_source": income_source,
        "resident_share": share,
        "resident_share_source": share_source,
    }


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
    closure: Closure = "household_income",
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
    closure : {"household_income", "coe"}
        Type II closure of every table (each with its own household income and resident share).

    Returns
    -------
    DataFrame
        Rows (sector, name); columns (table label, kind, measure), each measure in the unit
        :func:`multipliers` gives it ([£ per £1], [FTE per £1m] or [ratio]). NaN results are
        explained in ``attrs["notes"]`` (the text of the warnings :func:`multipliers`
        would give), so a report can print them once.
    """
    frames, notes = {}, {}
    for label, table in tables.items():
        for kind in kinds:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", KilIOWarning)
                m = multipliers(table, kind, closure=closure)
            notes.update(dict.fromkeys(str(w.message) for w in caught))
            chosen = m if sectors is None else m.loc[check_sectors(table.sector_names, sectors, table.label)]
            frames[(label, kind)] = chosen[list(columns)]
    out = pd.concat(frames, axis=1, names=["table", "kind", "measure"])
    first = next(iter(tables.values()))
    out.index = pd.MultiIndex.from_arrays(
        [out.index, first.sector_names[out.index].to_numpy()], names=["sector", "name"]
    )
    out.attrs["notes"] = list(notes)
    return out
