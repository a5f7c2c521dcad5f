"""Multipliers of many regions at once: one regionalisation, one LAPACK solve per region."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from kil_io.errors import LabelError, NotProductiveError, RegionError
from kil_io.model.closure import Closure, check_propensity, closed_effects, household_income_total
from kil_io.model.leontief import _getrf, _getrs
from kil_io.model.multipliers import (
    Kind,
    check_kind,
    direct_coefficients,
    effects_frame,
    ratio_floor,
    warn_missing,
)
from kil_io.model.negative import exclude_outside
from kil_io.regional.quotients import DEFAULT_DELTA, HouseholdRule, Method, check_household_rule, check_method
from kil_io.regional.regioninputs import (
    _employment_matrix,
    _national_employment,
    _output_scale,
    _Regions,
    _regions,
    _rpc_array,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from kil_io.model.table import IOTable

    FloatArray = NDArray[np.float64]


def regional_multipliers(
    national: IOTable,
    regional_employment: pd.DataFrame,
    kind: Kind = "type_i",
    *,
    national_employment: pd.Series | str | None = None,
    method: Method = "flq",
    delta: float | Sequence[float] = DEFAULT_DELTA,
    household_income: float | None = None,
    household_rpc: pd.Series | None = None,
    closure: Closure = "household_income",
    resident_share: float | Sequence[float] = 1.0,
    output_scale: pd.Series | pd.DataFrame | None = None,
    stacklevel: int = 3,
    household_rule: HouseholdRule = "local_services",
) -> pd.DataFrame:
    """Type I or II multipliers for many regions at once (batched, one solve per region).

    Parameters
    ----------
    national : IOTable
    regional_employment : DataFrame
        One row per region (index = area names), one column per sector code; on the basis of
        ``national_employment`` [jobs] or [FTE].
    kind : {"type_i", "type_ii"}
    national_employment, method, household_income, household_rpc, household_rule
        As in :func:`regionalise` (one ``household_rpc`` for every region): employment [jobs]
        or [FTE], household income [£m], purchase coefficients [share].
    delta : float or sequence of float
        One delta for all regions, or one per region (row).
    closure : {"household_income", "coe"}
        Type II closure, as in :func:`kil_io.multipliers`: household consumption per £ of the
        national household income (``household_income`` or the national table's), or per £
        of national pay; each region's households spend that national share times its local
        purchase coefficients.
    resident_share : float or sequence of float
        Share of each region's pay going to its residents (one, or one per row), as in
        :func:`regionalise` [share].
    output_scale : Series, optional
        Factors on regional output, as in :func:`regionalise`, the same for every region [ratio].
    stacklevel : int
        Where warnings point (for wrappers).

    Returns
    -------
    DataFrame
        Index (area, sector), columns as :func:`kil_io.multipliers` ([£ per £1] effects,
        [FTE per £1m] employment effect, [ratio] multipliers); equal to
        ``multipliers(regionalise(national, row, ..., resident_share=s), kind, closure=closure)``
        for every row.

    Warns
    -----
    ZeroOutputWarning
        Sectors with no regional employment (NaN), named with their area.

    See Also
    --------
    regional_multipliers_by_kind : Type I and Type II of the same regions, regionalised once.
    """
    kind = check_kind(kind)
    return regional_multipliers_by_kind(
        national, regional_employment, (kind,), national_employment=national_employment, method=method,
        delta=delta, household_income=household_income, household_rpc=household_rpc, closure=closure,
        resident_share=resident_share, output_scale=output_scale, stacklevel=stacklevel + 1,
        household_rule=household_rule,
    )[kind]  # fmt: skip


def regional_multipliers_by_kind(
    national: IOTable,
    regional_employment: pd.DataFrame,
    kinds: Sequence[Kind] = ("type_i", "type_ii"),
    *,
    national_employment: pd.Series | str | None = None,
    method: Method = "flq",
    delta: float | Sequence[float] = DEFAULT_DELTA,
    household_income: float | None = None,
    household_rpc: pd.Series | None = None,
    closure: Closure = "household_income",
    resident_share: float | Sequence[float] = 1.0,
    output_scale: pd.Series | pd.DataFrame | None = None,
    stacklevel: int = 3,
    household_rule: HouseholdRule = "local_services",
) -> dict[str, pd.DataFrame]:
    """Type I and Type II multipliers for many regions, regionalising them once.

    The regional tables (the location quotients, the supply constraint) are the same for
    both kinds, and Type II follows from the Type I solve by a rank-one update
    (:func:`kil_io.model.closure.closed_effects`), so both kinds cost one factorisation per region.

    Parameters
    ----------
    national, regional_employment, national_employment, method, delta, household_income, household_rpc
    household_rule
        As in :func:`regional_multipliers`.
    closure, resident_share, output_scale, stacklevel
        As in :func:`regional_multipliers`.
    kinds : sequence of {"type_i", "type_ii"}
        Kinds to compute, each once.

    Returns
    -------
    dict
        Kind -> the DataFrame :func:`regional_multipliers` returns for that kind, in the
        order of ``kinds`` ([£ per £1], [FTE per £1m] and [ratio] columns).

    Warns
    -----
    ZeroOutputWarning
        Sectors with no regional employment (NaN), named with their area (once).
    """
    kinds = [check_kind(k) for k in kinds]
    household_rule = check_household_rule(household_rule)
    if not kinds or len(set(kinds)) != len(kinds):
        raise RegionError(f"kinds must name each of 'type_i', 'type_ii' at most once, got {kinds}")
    if not isinstance(regional_employment, pd.DataFrame) or regional_employment.empty:
        raise RegionError("regional_multipliers needs a DataFrame with one row of employment per area")
    given = np.atleast_1d(np.asarray(delta, dtype=object))
    if given.size not in (1, len(regional_employment)):
        raise RegionError(f"{given.size} deltas for {len(regional_employment)} areas; give one, or one per area")
    for d in given:
        check_method(method, d)
    deltas = np.broadcast_to(given.astype(float), (len(regional_employment),))
    shares = _resident_shares(resident_share, len(regional_employment))
    ne_series = _national_employment(national, national_employment, regional_employment)
    re, ne, areas = _employment_matrix(national.sectors, regional_employment, ne_series)
    # A^r <= A^n elementwise, so every regional system is productive if the national one is
    national.system  # noqa: B018
    income = None
    if "type_ii" in kinds:
        national.households  # noqa: B018  (no households column: the first thing to say)
        income = household_income_total(national, household_income, closure=closure)
        check_propensity(national, income, stacklevel=stacklevel)
    rpc_given = None
    if household_rpc is not None:
        rpc_given = _rpc_array(national.sectors, household_rpc, re)
    scale = None
    if output_scale is not None:
        scale = _output_scale(national.sectors, output_scale)
    reg = _regions(national, re, ne, method, deltas, rpc_given, scale, household_rule=household_rule)
    R, n = re.shape
    index = pd.MultiIndex.from_product([areas, national.sectors], names=["area", "sector"])
    type_i, direct, outside = _batched_effects(national, reg)
    flat_direct = direct.transpose(1, 0, 2).reshape(4, R * n)
    # every area against the nation's averages, as a regionalised table's multipliers are (ratio_floor)
    floor = np.repeat(ratio_floor(direct_coefficients(national), national.output)[:, None], R * n, axis=1)
    label = f"{national.label} regionalised ({method}, {R} rows)"
    totals = {"type_i": type_i}
    if income is not None:  # Type II asked for
        # each region's households spend the national share of their income (consumption per
        # £ of income), times the local purchase coefficients: rpc * C / Y
        closed = closed_effects(type_i, type_i[:, 2], reg.rpc * national.households, income, shares, label=label)
        totals["type_ii"] = closed[0]
    frames: dict[str, pd.DataFrame] = {}
    outside &= direct[:, 0, :] > 0  # a zero-output sector is NaN already, and said so
    text = ""
    if outside.any():  # ONS's '..', after the closure (which needs their figures); as multipliers() says
        codes = [national.sectors[j] for j in np.flatnonzero(outside.any(axis=0))]
        rows = int(outside.any(axis=1).sum())
        text = (f"{codes} left out of the Leontief system in {rows} of {R} rows, as ONS does: they buy a negative "
                "intermediate input (all values NaN, as ONS's '..')")  # fmt: skip
    for kind in kinds:
        total = np.where(outside[:, None, :], np.nan, totals[kind])
        frame = effects_frame(total.transpose(1, 0, 2).reshape(4, R * n), flat_direct, index, floor)
        frame.attrs.update(
            kind=kind, method=method, national=national.label.strip("'"), units=national.units,
            household_rule=None if household_rpc is not None else household_rule,
        )  # fmt: skip
        if kind == "type_ii":
            frame.attrs.update(closure=closure, household_income=income, resident_share=shares.tolist())
        frames[kind] = frame
    warn_missing(
        label,
        flat_direct,
        flat_direct[0] == 0,
        index.get_level_values("sector"),
        has_employment=national.employment is not None,
        rows=R,
        stacklevel=stacklevel,
        floor=floor,
        outside=outside.reshape(R * n),
        outside_text=text,
    )
    return frames


def _resident_shares(resident_share: float | Sequence[float], rows: int) -> FloatArray:
    given = np.atleast_1d(np.asarray(resident_share, dtype=object))
    if given.size not in (1, rows):
        raise RegionError(f"{given.size} resident shares for {rows} areas; give one, or one per area")
    for value in given:
        real = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
        if not real or not (np.isfinite(value) and 0 <= value <= 1):
            raise RegionError(f"resident_share must be a share in [0, 1], got {value!r}")
    return np.broadcast_to(given.astype(float), (rows,)).copy()


def _batched_effects(national: IOTable, reg: _Regions) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """Type I effects and direct coefficients, each (R, 4, n), by LAPACK solves region by region.

    Consumes ``reg.A``: it becomes ``I - A`` and then the LU factors, to spare an (R, n, n)
    copy, so ``reg.A`` must not be used afterwards (``regional_multipliers`` does not). Sectors
    with a negative input are left out of each system (:mod:`kil_io.model.negative`), as the
    regional table's own system leaves them out; they are returned as the (R, n) third value.
    """
    R, n = reg.share.shape
    V = direct_coefficients(national)
    present = (reg.share * national.output) > 0  # (R, n)
    direct = np.where(present[:, None, :], V[None, :, :], 0.0)
    rows = V.copy()
    rows[0] = 1.0
    has_emp = national.employment is not None
    if not has_emp:
        rows = rows[:3]
    outside = exclude_outside(reg.A)
    M = np.negative(reg.A, out=reg.A)  # I - A in place: the caller has no further use for reg.A
    M[:, np.arange(n), np.arange(n)] += 1.0
    rhs = rows.T
    effects = np.empty((R, rows.shape[0], n))
    for r in range(R):
        # (V L)' = (I - A)'^-1 V': one transposed solve per region, all measures at once.
        # M[r] is C-ordered, so M[r].T is the Fortran-ordered (I - A)' that LAPACK
        # factorises in place; a plain loop of getrf/getrs beats numpy's stacked solve,
        # which copies every matrix and right-hand side first.
        lu, piv, info = _getrf(M[r].T, overwrite_a=True)
        if info > 0:  # cannot happen for 0 <= A^r <= A^n with a productive nation; never trust it
            raise NotProductiveError(f"table {national.label} regionalised, row {r}: I - A is singular")
        effects[r] = _getrs(lu, piv, rhs)[0].T
    if not has_emp:
        effects = np.concatenate([effects, np.full((R, 1, n), np.nan)], axis=1)
    return effects, direct, outside


def delta_sensitivity(
    national: IOTable,
    regional_employment: pd.Series,
    *,
    national_employment: pd.Series | str | None = None,
    deltas: Sequence[float] = tuple(np.round(np.arange(0.0, 0.55, 0.05), 2)),
    method: Literal["flq", "aflq"] = "flq",
    kind: Kind = "type_i",
    sectors: Sequence[str] | None = None,
    household_income: float | None = None,
    household_rpc: pd.Series | None = None,
    closure: Closure = "household_income",
    resident_share: float = 1.0,
    output_scale: pd.Series | None = None,
    household_rule: HouseholdRule = "local_services",
) -> pd.DataFrame:
    """Multipliers over a grid of FLQ/AFLQ ``delta``: how much the uncertain delta matters.

    Parameters
    ----------
    national, regional_employment, national_employment, household_income, household_rpc, resident_share
    household_rule
        As in :func:`regionalise`: employment [jobs] or [FTE], household income [£m], purchase
        coefficients and resident share [share].
    output_scale : Series, optional
        As in :func:`regionalise` [ratio].
    closure : {"household_income", "coe"}
        Type II closure, as in :func:`kil_io.multipliers`.
    deltas : sequence of float
        Values in [0, 1); default 0 to 0.5 in steps of 0.05.
    method : {"flq", "aflq"}
    kind : {"type_i", "type_ii"}
    sectors : sequence of str, optional
        Sectors to keep (default all).

    Returns
    -------
    DataFrame
        Index (delta, sector), columns as :func:`kil_io.multipliers` ([£ per £1], [FTE per £1m]
        and [ratio]).
    """
    if method not in ("flq", "aflq"):
        raise RegionError(f"delta only affects 'flq' and 'aflq', not {method!r}")
    if isinstance(regional_employment, pd.DataFrame):
        raise RegionError("delta_sensitivity takes one area's employment (a Series)")
    if len(deltas) == 0:
        raise RegionError("delta_sensitivity needs at least one delta")
    for d in deltas:
        check_method(method, d)
    deltas = [float(d) for d in deltas]
    stacked = pd.DataFrame([regional_employment] * len(deltas), index=pd.Index(deltas, name="delta"))
    stacked.attrs = dict(regional_employment.attrs)
    frame = regional_multipliers(
        national,
        stacked,
        kind,
        national_employment=national_employment,
        method=method,
        delta=deltas,
        household_income=household_income,
        household_rpc=household_rpc,
        closure=closure,
        resident_share=resident_share,
        output_scale=output_scale,
        stacklevel=4,
        household_rule=household_rule,
    )
    frame.index = frame.index.set_levels(frame.index.levels[0].astype(float), level="area").rename("delta", level=0)
    if sectors is not None:
        missing = sorted(set(sectors) - set(national.sectors))
        if missing:
            raise LabelError(f"table {national.label} has no sectors {missing}")
        frame = frame.loc[(slice(None), list(sectors)), :]
    return frame
