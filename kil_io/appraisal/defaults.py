"""Ranges for the model's own choices, each from evidence rather than a flat band.

A case file's figures carry their own ranges (:mod:`kil_io.appraisal.distribution`); the
model's choices get these defaults, unless the case file gives one:

- **delta** of the FLQ: the spread of well-fitting delta in the Scotland calibration
  (:func:`kil_io.regional.calibration.calibrate_delta`, UK 2019 table regionalised to Scotland
  against the Scottish Government's 2019 table, FLQ, delta 0 to 0.5 in steps of 0.025).
  *Well fitting* = a weighted absolute percentage error (WAPE) within 25% of the best WAPE;
  over the four calibrations (Type I and Type II, output and GVA multipliers) that is delta
  0.125 to 0.325, the range (see :data:`DELTA_CALIBRATION` and :func:`delta_from_calibration`).
  Triangular, the case's delta the mode, as for every figure (the calibration's own best
  deltas, median 0.1875, are lower than kil_io's default 0.3: the range then lies mostly
  below it, so most draws give larger local effects than the central value). A case whose
  delta lies outside the range widens it to include it.
- **Gross-to-net rates**: triangular between the ``low`` and ``high`` preset scenarios
  (``data/additionality_presets.csv``), the case's rate the mode.
- **Resident share** (commuting): Census 2021 counts home workers apart (March 2021, when
  many worked from home for employers elsewhere), so the share of workplace jobs held by
  residents is between the share among those travelling to work (kil_io's value, the
  mode) and the share counting home workers where they live (:class:`kil_io.datasets.household.Commuting`);
  where the share is estimated (no Census flows), the interquartile range of England and
  Wales authorities.
- **Closure income** ``Y``: two estimates of the area's total household income, the
  regional table's (the national household income per £ of pay, times the area's pay: the
  mode) and the area's residents' own total resources in ONS's regional household
  accounts; where the area has no accounts, +-1.7%, the gap between kil_io's figure for
  Scotland and the Scottish Government's own (2019).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

import kil_io.appraisal.additionality as additionality
from kil_io import datasets
from kil_io.appraisal.distribution import Distribution
from kil_io.errors import DatasetError

if TYPE_CHECKING:
    from kil_io.model.table import IOTable
    from kil_io.regional.calibration import Calibration

#: The Scotland calibration behind the default delta distribution: (kind, measure) -> (best delta,
#: best WAPE %, lowest and highest well-fitting delta); recomputed by the tests from shipped data.
DELTA_CALIBRATION: dict[tuple[str, str], tuple[float, float, float, float]] = {
    ("type_i", "output_multiplier"): (0.2, 5.39, 0.15, 0.3),
    ("type_i", "gva_multiplier"): (0.225, 7.11, 0.15, 0.325),
    ("type_ii", "output_multiplier"): (0.175, 5.46, 0.15, 0.2),
    ("type_ii", "gva_multiplier"): (0.175, 7.96, 0.125, 0.225),
}
#: A delta fits well when its WAPE is at most this times the best one.
WELL_FITTING = 1.25
#: kil_io's household total resources for Scotland 2019 against the Scottish Government's closure income.
SG_INCOME_GAP = 0.017


def delta_from_calibration(calibrations: Sequence[Calibration], *, method: str = "flq") -> dict[str, float]:
    """Best and well-fitting delta of each calibration (see the module notes), pooled.

    Returns
    -------
    dict
        ``low``, ``mode``, ``high`` (the pooled range and the median best delta) and, for each
        calibration ``i``, ``best_i``, ``wape_i``, ``low_i``, ``high_i``.
    """
    out: dict[str, float] = {}
    bests, lows, highs = [], [], []
    for i, cal in enumerate(calibrations):
        wape = cal.errors.loc[method]["wape"]
        fit = wape[wape <= WELL_FITTING * wape.min()]
        bests.append(float(wape.idxmin()))
        lows.append(float(fit.index.min()))
        highs.append(float(fit.index.max()))
        out |= {f"best_{i}": bests[-1], f"wape_{i}": float(wape.min()), f"low_{i}": lows[-1], f"high_{i}": highs[-1]}
    return {"low": min(lows), "mode": float(np.median(bests)), "high": max(highs), **out}


def delta_spread(case_delta: float) -> tuple[Distribution, float, str]:
    """The default distribution of delta, its mode and its source (see the module notes)."""
    rows = DELTA_CALIBRATION.values()
    low, high = min(r[2] for r in rows), max(r[3] for r in rows)
    best = float(np.median([r[0] for r in rows]))
    mode = float(case_delta)
    source = (
        f"Scotland calibration (UK 2019 regionalised against the Scottish Government's 2019 table): FLQ delta with "
        f"a weighted error within {WELL_FITTING - 1:.0%} of the best, Type I and II output and GVA multipliers: "
        f"{low:g}-{high:g} (median best {best:.3g}); triangular, mode the case's {mode:g}"
    )
    if not low <= case_delta <= high:
        low, high = min(low, case_delta), max(high, case_delta)
        source += f"; widened to include the case's delta {case_delta:g}"
    return Distribution(low, high, "triangular"), mode, source


@cache
def _preset_bounds() -> dict[str, tuple[float, float]]:
    """Rate -> its values in the ``low`` and ``high`` presets (NaN: from commuting); read once."""
    low, high = additionality.preset("low"), additionality.preset("high")
    value = lambda fig: np.nan if fig is None else fig.value  # noqa: E731
    return {rate: (value(getattr(low, rate)), value(getattr(high, rate))) for rate in additionality.RATES}


def rate_spread(rate: str, value: float) -> tuple[Distribution | None, str]:
    """Triangular between the ``low`` and ``high`` presets, the case's value the mode (``None`` if they coincide)."""
    bounds = list(_preset_bounds()[rate])
    if np.isnan(bounds).any():
        return None, "from commuting"
    low, high = min(*bounds, value), max(*bounds, value)
    if high <= low:
        return None, f"fixed: the presets agree on {value:g}"
    return Distribution(low, high, "triangular"), (
        f"additionality presets: low {bounds[0]:g}, high {bounds[1]:g} (data/additionality_presets.csv), "
        f"mode the case's {value:g}"
    )


def resident_share_spread(table: IOTable) -> tuple[Distribution | None, float, str]:
    """The resident share's range, its mode and its source (see the module notes)."""
    share = float(table.resident_share)
    code = table.metadata.get("area_code")
    try:
        flows = datasets.commuting(str(code)) if code else None
    except DatasetError:
        flows = None
    if flows is None:
        return None, share, "fixed: no Census 2021 commuting for this area"
    if flows.estimated:
        low, high, mode = flows.low, flows.high, share
        source = "interquartile range of England and Wales authorities (Census 2021), no flows for this area"
    else:
        other = flows.resident_share_with_home_workers
        low, high, mode = min(share, other), max(share, other), share
        source = (
            f"Census 2021: {share:.3f} of workplace jobs held by residents among those travelling to work, "
            f"{other:.3f} counting home workers where they live"
        )
    low, high = min(low, share), max(high, share)
    if high <= low:
        return None, share, "fixed: " + source
    return Distribution(low, high, "triangular"), mode, source


def household_income_spread(table: IOTable) -> tuple[Distribution | None, str]:
    """The closure income's range (£m) and its source (see the module notes)."""
    income = float(table.household_income) if table.household_income is not None else np.nan
    if not np.isfinite(income):
        return None, "fixed: the table carries no household income"
    code, year = table.metadata.get("area_code"), table.year
    try:
        own = datasets.household_income(str(code), int(year or 0)) if code else np.nan
    except DatasetError:
        own = np.nan
    if np.isfinite(own) and abs(own - income) > 1e-9 * income:
        return Distribution(min(income, own), max(income, own), "triangular"), (
            f"£{income:,.0f}m (the table's: national household income per £ of pay x the area's pay, the mode) to "
            f"£{own:,.0f}m (the area's residents' total resources, ONS regional household accounts {year})"
        )
    return Distribution(income * (1 - SG_INCOME_GAP), income * (1 + SG_INCOME_GAP), "triangular"), (
        f"+-{SG_INCOME_GAP:.1%}: kil_io's Scotland 2019 household income against the Scottish Government's own"
    )
