"""Ranges for the model's own choices, each from evidence rather than a flat band.

A case file's figures carry their own ranges (:mod:`kil_io.appraisal.distribution`); the
model's choices get these defaults, unless the case file gives one. As for every figure, the
central value is the median of the draws (:class:`~kil_io.appraisal.distribution.Distribution`):

- **delta** of the FLQ: kil_io's default, :data:`kil_io.regional.DEFAULT_DELTA` (0.2), is the delta
  with the least weighted error over every fit of the Scotland calibration across the Scottish
  Government's years (``data/delta_calibration.csv``, :func:`kil_io.regional.calibration.summarise_fit`):
  the UK table regionalised to Scotland with each year's employment against SG's table of that
  year, Type I output and GVA multipliers 2015, 2016, 2017 and 2019 and Type II 2019. The range
  runs from the lowest to the highest *well-fitting* delta of those fits (a weighted error within
  25% of each fit's best): 0.125 to 0.325. Triangular each side of the case's delta. A case whose
  delta lies outside the range widens it to include it.
- **Gross-to-net rates**: triangular between the ``low`` and ``high`` preset scenarios
  (``data/additionality_presets.csv``), the case's rate the median.
- **Resident share** (commuting): Census 2021 counts home workers apart (March 2021, when
  many worked from home for employers elsewhere). The share of workplace jobs held by residents
  among those travelling to work is kil_io's value; the share counting home workers where they
  live differs from it by ``d``: the range is the value +- ``d`` (within [0, 1]), so the evidence
  sets the width while the value stays its median. Where the share is estimated, the model's
  own range (:class:`kil_io.datasets.household.Commuting` ``low``/``high``).
- **Closure income** ``Y``: the regional table's (the national household income per £ of pay,
  times the area's pay) is the value; the area's residents' own total resources in ONS's regional
  household accounts differ from it by ``d``: the range is the value +- ``d``. Where the area has no
  accounts, +-1.7%, the gap between kil_io's figure for Scotland and the Scottish Government's own
  (2019).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np

import kil_io.appraisal.additionality as additionality
from kil_io import datasets
from kil_io.appraisal.distribution import Distribution
from kil_io.errors import DatasetError
from kil_io.regional.calibration import summarise_fit

if TYPE_CHECKING:
    from kil_io.model.table import IOTable

#: kil_io's household total resources for Scotland 2019 against the Scottish Government's closure income.
SG_INCOME_GAP = 0.017


@cache
def delta_range(method: str = "flq") -> tuple[float, float, float]:
    """Lowest and highest well-fitting delta over every fit, and the pooled best (``data/delta_calibration.csv``)."""
    by_fit, _, pooled = summarise_fit(datasets.delta_calibration(), "aflq" if method == "aflq" else "flq")
    return float(by_fit["low"].min()), float(by_fit["high"].max()), pooled


def delta_spread(case_delta: float, method: str = "flq") -> tuple[Distribution, float, str]:
    """The default distribution of delta, its median (the case's delta) and its source (see the module notes)."""
    low, high, best = delta_range(method)
    mode = float(case_delta)
    source = (
        f"Scotland calibration, every Scottish Government year fitted (data/delta_calibration.csv): {method.upper()} "
        f"delta with a weighted error within 25% of each fit's best: {low:g}-{high:g} (least error pooled: "
        f"{best:g}); triangular each side of the case's {mode:g}"
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
    """The resident share's range, its median (the table's share) and its source (see the module notes)."""
    share = float(table.resident_share)
    code = table.metadata.get("area_code")
    try:
        flows = datasets.commuting(str(code)) if code else None
    except DatasetError:
        flows = None
    if flows is None:
        return None, share, "fixed: no Census 2021 commuting for this area"
    if flows.estimated:
        low, high = float(flows.low), float(flows.high)
        source = flows.range_source or f"the estimate's own range ({flows.source})"
    else:
        d = abs(flows.resident_share_with_home_workers - share)
        low, high = share - d, share + d
        source = (
            f"Census 2021: {share:.3f} of workplace jobs held by residents among those travelling to work, "
            f"{flows.resident_share_with_home_workers:.3f} counting home workers where they live; the value +- "
            "their difference"
        )
    low, high = max(0.0, min(low, share)), min(1.0, max(high, share))
    if high <= low:
        return None, share, "fixed: " + source
    return Distribution(low, high, "triangular"), share, source


def household_income_spread(table: IOTable) -> tuple[Distribution | None, str]:
    """The closure income's range (£m) around the table's figure, and its source (see the module notes)."""
    income = float(table.household_income) if table.household_income is not None else np.nan
    if not np.isfinite(income):
        return None, "fixed: the table carries no household income"
    code, year = table.metadata.get("area_code"), table.year
    try:
        own = datasets.household_income(str(code), int(year or 0)) if code else np.nan
    except DatasetError:
        own = np.nan
    if np.isfinite(own) and abs(own - income) > 1e-9 * income:
        d = abs(own - income)
        return Distribution(max(income - d, 0.5 * income), income + d, "triangular"), (
            f"£{income:,.0f}m (the table's: national household income per £ of pay x the area's pay) +- its gap to "
            f"£{own:,.0f}m (the area's residents' total resources, ONS regional household accounts {year})"
        )
    return Distribution(income * (1 - SG_INCOME_GAP), income * (1 + SG_INCOME_GAP), "triangular"), (
        f"+-{SG_INCOME_GAP:.1%}: kil_io's Scotland 2019 household income against the Scottish Government's own"
    )
