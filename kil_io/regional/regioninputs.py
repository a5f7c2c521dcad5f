"""The inputs of regionalisation, aligned to the national table's sectors.

Areas' employment, output scales and household purchase coefficients, each checked and named in its error; used by
:mod:`kil_io.regional.regionalise`, its batched twin and the uncertainty tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kil_io.errors import LabelError, ModelError, NegativeFlowError, NonNumericError, RegionError
from kil_io.limits import excerpt
from kil_io.model.multipliers import household_income_total
from kil_io.model.table import IOTable
from kil_io.readers.ons import ONS_COMBINED
from kil_io.regional.quotients import (
    HouseholdRule,
    Method,
    _regional_coefficients,
    _slq,
    flq_lambda,
    household_purchase_coefficients,
    household_services,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class _Regions:
    """Everything regionalisation derives from employment, stacked over R regions."""

    slq: FloatArray  # (R, n)
    lam: FloatArray  # (R,)
    share: FloatArray  # (R, n): regional output / national output
    A: FloatArray  # (R, n, n) regional technical coefficients
    rpc: FloatArray  # (R, n) household regional purchase coefficients
    capped: FloatArray  # (R, n) factor applied to a row to keep local use within output (1 = none)


def _regions(
    national: IOTable,
    re: FloatArray,
    ne: FloatArray,
    method: Method,
    deltas: FloatArray,
    household_rpc: FloatArray | None = None,
    output_scale: FloatArray | None = None,
    household_rule: HouseholdRule = "local_services",
) -> _Regions:
    slq = _slq(re, ne)
    lam = flq_lambda(re.sum(axis=1), ne.sum(), deltas)
    A = _regional_coefficients(national.A, slq, lam, method)
    share = slq * (re.sum(axis=1, keepdims=True) / ne.sum())
    if output_scale is not None:  # output levels from another source (e.g. regional GVA); quotients unchanged
        share = share * output_scale
    # a negative input (of a sector outside the Leontief system, kil_io.model.negative) is bought locally in
    # full where the supplier is present: scaled, the rest would be a negative purchase from the rest of the UK.
    # Where it is absent (the Isles of Scilly have no K64 jobs) the area's table has no negative flow, so its
    # buyer is inside the area's system (a zero-output supplier cannot sell, so the cell cannot be kept)
    negative = national.A < 0
    if negative.any():
        A[:, negative] = np.where(share[:, negative.nonzero()[0]] > 0, national.A[negative], 0.0)
    if household_rpc is not None:
        rpc = np.broadcast_to(household_rpc, slq.shape).copy()
    else:
        services = household_services(national.sectors)
        rpc = household_purchase_coefficients(slq, lam, household_rule, method, services)
    # Supply constraint: local intermediate and household use of a sector's output cannot
    # exceed that output (else "exports and other" would be negative). Where it would,
    # the sector's local purchase coefficients (row of A, household rpc) are scaled down.
    # Household use is national consumption per £ of national pay at the area's pay: a level
    # that does not depend on the Type II closure chosen later (see regionalise).
    x = share * national.output
    hc = national.households / household_income_total(national, closure="coe")
    pay = x @ national.per_output(national.income)
    use = np.einsum("rij,rj->ri", A, x) + rpc * hc * pay[:, None]
    capped = np.ones_like(use)
    np.divide(x, use, out=capped, where=use > x * (1 + 1e-12))
    if (capped < 1).any():
        A *= np.where(negative, 1.0, capped[:, :, None])
        rpc *= capped
    return _Regions(slq=slq, lam=lam, share=share, A=A, rpc=rpc, capped=capped)


#: ``national_employment="table"``: compare the regional employment with the national table's own.
TABLE_EMPLOYMENT = "table"


def _national_employment(
    national: IOTable, national_employment: pd.Series | str | None, regional: pd.Series | pd.DataFrame
) -> pd.Series:
    """The national employment the regional one is compared with: always the caller's explicit choice.

    Location quotients compare an area's share of each industry's jobs with the nation's, so both
    must be counted the same way (BRES headcount with BRES GB, not with the table's LFS FTE: that
    moves Calderdale's Q87 & Q88 Type I output multiplier from 1.0817 to 1.1172). A Series read
    back from a CSV carries no trace of its basis, so the basis is an argument, never guessed.
    """
    if isinstance(national_employment, pd.Series):
        return national_employment
    if national_employment is None:
        raise RegionError(
            "say which national employment the regional employment is compared with, on the same basis: "
            "national_employment=<Series> (e.g. kil_io.datasets.national_employment(year), BRES GB, for BRES "
            "counts such as kil_io.datasets.local_employment) or national_employment='table' for figures on the "
            "national table's own basis (its FTE)"
        )
    if national_employment != TABLE_EMPLOYMENT:
        raise RegionError(f"national_employment must be a Series or 'table', got {excerpt(national_employment)}")
    basis = getattr(regional, "attrs", {}).get("basis")
    if basis:
        raise RegionError(
            f"regional employment is {basis}; pass national_employment= on the same basis (e.g. "
            "kil_io.datasets.national_employment(year)) rather than the national table's own FTE"
        )
    if national.employment is None:
        raise ModelError(
            f"table {national.label} has no employment; pass national_employment= (same basis as the regional)"
        )
    return pd.Series(national.employment, index=national.sectors)


def _employment_matrix(
    sectors: tuple[str, ...], regional: pd.Series | pd.DataFrame, national: pd.Series
) -> tuple[FloatArray, FloatArray, list[str]]:
    """Validate and align employment: regional (R, n), national (n,), area names."""
    if isinstance(regional, pd.DataFrame):
        frame, areas = regional, [str(a) for a in regional.index]
    else:
        frame, areas = regional.to_frame().T, [str(regional.name or "region")]
    ne = _aligned(national.to_frame().T, sectors, ["national employment"])[0]
    re = _aligned(frame, sectors, [f"regional employment of '{a}'" for a in areas])
    if ne.sum() <= 0:
        raise RegionError("national employment is zero in every sector")
    bigger = re > ne * (1 + 1e-9) + 1e-9
    if bigger.any():
        r, i = np.argwhere(bigger)[0]
        raise RegionError(
            f"'{areas[r]}' has more employment in sector '{sectors[i]}' ({re[r, i]:,.6g}) than the "
            f"nation ({ne[i]:,.6g}); a region must be part of the nation (same basis and year?)"
        )
    totals = re.sum(axis=1)
    empty = np.flatnonzero(totals <= 0)
    if empty.size:
        raise RegionError(f"'{areas[empty[0]]}' has no employment in any sector")
    if (totals >= ne.sum()).any():
        r = int(np.argmax(totals))
        raise RegionError(
            f"'{areas[r]}' employs {totals[r]:,.6g}, not less than the nation's {ne.sum():,.6g}; "
            "a region must be smaller than the nation"
        )
    return re, ne, areas


def _aligned(frame: pd.DataFrame, sectors: tuple[str, ...], what: list[str], noun: str = "employment") -> FloatArray:
    """Rows of ``frame`` as floats in ``sectors`` order; clear errors for bad codes or values.

    Jobs on the 2019-2022 industries for a table of 2023's (which combines ``C254`` and ``C25OTHER``
    into ``C25``, :data:`kil_io.readers.ons.ONS_COMBINED`) are summed onto it.
    """
    got = [str(s) for s in frame.columns]
    combine = [c for c, g in ONS_COMBINED.items() if c in got and c not in sectors and g in sectors and g not in got]
    if combine and noun in ("employment", "FTE"):
        frame = frame.set_axis(got, axis=1)
        parts = [pd.to_numeric(frame[c], errors="coerce") for c in combine]
        frame = pd.concat(
            [frame.drop(columns=combine), sum(parts[1:], parts[0]).rename(ONS_COMBINED[combine[0]])], axis=1
        )
        got = [str(s) for s in frame.columns]
    if sorted(got) != sorted(sectors) or len(set(got)) != len(got):
        extra = sorted(set(got) - set(sectors))
        missing = sorted(set(sectors) - set(got))
        raise LabelError(
            f"{what[0]}: sector codes differ from the table's: not in the table {extra[:5]}, "
            f"missing {missing[:5]}" + ("; codes repeated" if len(set(got)) != len(got) else "")
        )
    frame = frame.set_axis(got, axis=1)[list(sectors)]
    try:
        values = frame.to_numpy(dtype=float)
    except (TypeError, ValueError):
        values = frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        r, i = np.argwhere(bad)[0]
        value = frame.iat[r, i]
        shown = repr(value) if isinstance(value, str) else str(value)
        raise NonNumericError(f"{what[r]}: sector '{sectors[i]}' is {shown}, not a finite number")
    if (values < 0).any():
        r, i = np.argwhere(values < 0)[0]
        raise NegativeFlowError(f"{what[r]}: sector '{sectors[i]}' is {values[r, i]:g}; {noun} cannot be negative")
    return values


def _output_scale(sectors: tuple[str, ...], output_scale: pd.Series | pd.DataFrame) -> FloatArray:
    """``output_scale`` (a Series, or a frame with a row per region) as (R, n) in ``sectors`` order; all positive."""
    frame = output_scale.to_frame().T if isinstance(output_scale, pd.Series) else output_scale
    what = ["output_scale"] if isinstance(output_scale, pd.Series) else [f"output_scale of {r}" for r in frame.index]
    scale = _aligned(frame, sectors, what, "an output scale")
    if (scale <= 0).any():
        raise RegionError(f"output_scale of sector '{sectors[int(np.argmin(scale))]}' is "
                          f"{scale.min():g}; scale factors must be positive")  # fmt: skip
    return scale


def _rpc_array(sectors: tuple[str, ...], household_rpc: pd.Series | None, re: FloatArray) -> FloatArray | None:
    if household_rpc is None:
        return None
    rpc = _aligned(household_rpc.to_frame().T, sectors, ["household_rpc"], "a purchase coefficient")[0]
    if (rpc > 1).any():
        s = sectors[int(np.argmax(rpc))]
        raise RegionError(f"household_rpc for sector '{s}' is {rpc.max():g}; purchase coefficients are in [0, 1]")
    absent = (rpc[None, :] > 0) & (re == 0)
    if absent.any():
        r, i = np.argwhere(absent)[0]
        raise RegionError(
            f"household_rpc buys {rpc[i]:g} of sector '{sectors[i]}' locally, but region {r} has no "
            "employment (so no output) in it"
        )
    return rpc
