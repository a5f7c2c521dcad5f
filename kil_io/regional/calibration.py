"""Calibrating the FLQ's delta against a survey-based regional table.

Location-quotient methods are only as good as their fit to regions that do have a
survey-based table. Scotland has one (Scottish Government, 98 industries), so the UK
table is regionalised to Scotland with Scottish employment, both tables are aggregated
to a classification they share, and each method's multipliers are compared with
Scotland's own: the weighted absolute percentage error (WAPE, weights = survey output
shares) says how close each method and delta get.

References
----------
Flegg, A. T. & Tohmo, T. (2013). Regional input-output tables and the FLQ formula: a
case study of Finland. *Regional Studies* 47(5), 703-721 (calibrating delta against
survey tables).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kil_io.errors import KilIOWarning, LabelError, ModelError, ZeroOutputWarning
from kil_io.model.aggregation import aggregate
from kil_io.model.closure import Closure, check_closure
from kil_io.model.multipliers import COLUMNS, Kind, check_kind, multipliers
from kil_io.model.table import IOTable
from kil_io.regional.quotients import METHODS, Method, check_method
from kil_io.regional.regionalise import regionalise

#: Default grid of delta: 0 to 0.5 in steps of 0.025.
DELTAS: tuple[float, ...] = tuple(np.round(np.arange(0.0, 0.5001, 0.025), 3))
#: The shipped fit of delta over the Scottish Government's years (``scripts/delta_fit.py``).
FIT_FILE = "delta_calibration.csv"
#: Years fitted: those with Scottish employment consistent with the UK table's industries (see the script).
FIT_YEARS: tuple[int, ...] = (2015, 2016, 2017, 2019)
#: A delta fits well when its weighted error is at most this times the best one's.
WELL_FITTING = 1.25


def summarise_fit(grid: pd.DataFrame, method: str = "flq") -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """The best delta of each fitted year and measure, leave-one-year-out errors, and the pooled best delta.

    Parameters
    ----------
    grid : DataFrame
        Rows of ``data/delta_calibration.csv``: ``year``, ``kind``, ``measure``, ``method``, ``delta`` [ratio],
        ``wape`` [%] (as :func:`calibrate_delta`'s errors, one row per year, kind, measure and delta).
    method : {"flq", "aflq"}

    Returns
    -------
    by_fit : DataFrame
        Index (year, kind, measure): ``best`` delta, ``wape`` at it, ``low`` and ``high`` (the deltas whose
        WAPE is within :data:`WELL_FITTING` of the best) [ratio, %].
    held_out : DataFrame
        Index year: ``delta`` fitted on the other years (pooled mean WAPE over their fits), ``wape`` of the
        held-out year's fits at it, ``own_best_wape`` (at each fit's own best) and ``wape_at_0.3`` [%].
    pooled : float
        The delta with the least mean WAPE over every fit [ratio]: kil_io's default.
    """
    g = grid[grid["method"] == method]
    rows = {}
    for key, part in g.groupby(["year", "kind", "measure"]):
        w = part.set_index("delta")["wape"]
        fit = w[w <= WELL_FITTING * w.min()]
        rows[key] = {"best": float(w.idxmin()), "wape": float(w.min()), "low": float(fit.index.min()),
                     "high": float(fit.index.max())}  # fmt: skip
    by_fit = pd.DataFrame.from_dict(rows, orient="index")
    by_fit.index = pd.MultiIndex.from_tuples(list(rows), names=["year", "kind", "measure"])
    curves = g.pivot_table(index=["year", "kind", "measure"], columns="delta", values="wape")
    held = {}
    for year in sorted(set(g["year"])):
        others = curves.drop(index=year, level="year")
        mine = curves.xs(year, level="year", drop_level=False)
        delta = float(others.mean().idxmin())
        held[year] = {"delta": delta, "wape": float(mine[delta].mean()),
                      "own_best_wape": float(mine.min(axis=1).mean()),
                      "wape_at_0.3": float(mine[0.3].mean()) if 0.3 in mine.columns else np.nan}  # fmt: skip
    held_out = pd.DataFrame.from_dict(held, orient="index")
    held_out.index.name = "year"
    return by_fit, held_out, float(curves.mean().idxmin())


@dataclass(frozen=True, eq=False)
class Calibration:
    """Result of :func:`calibrate_delta` (read-only).

    Attributes
    ----------
    errors : DataFrame
        Index (method, delta) (delta NaN for SLQ and CILQ); columns ``wape`` (weighted
        absolute percentage error), ``mape`` (unweighted) and ``bias`` (weighted
        mean of estimate / survey - 1) [%].
    estimates : DataFrame
        Common sector x (method, delta): the estimated multiplier, in the unit of ``measure``
        ([£ per £1], [FTE per £1m] or [ratio]).
    survey : Series
        Common sector: the survey table's multiplier, in the unit of ``estimates``.
    weights : Series
        Common sector: survey output shares used by ``wape`` [share].
    kind, measure : str
    left_out : tuple of str
        Common sectors not compared (the measure is undefined in one of the tables, e.g.
        a sector with no output).
    """

    errors: pd.DataFrame
    estimates: pd.DataFrame
    survey: pd.Series
    weights: pd.Series
    kind: Kind
    measure: str
    left_out: tuple[str, ...] = ()

    def best(self) -> pd.DataFrame:
        """Best delta and its errors for each method (lowest WAPE); errors as in :attr:`errors` [%]."""
        rows = self.errors.reset_index().sort_values("wape").groupby("method", sort=False).head(1)
        return rows.set_index("method").reindex([m for m in METHODS if m in set(rows["method"])])

    def comparison(self, method: Method = "flq", delta: float | None = None) -> pd.DataFrame:
        """Survey vs estimated multiplier by common sector, for a method (default its best delta).

        Parameters
        ----------
        method : {"slq", "cilq", "flq", "aflq"}
        delta : float, optional
            FLQ/AFLQ exponent (unit-free); default the method's best.

        Returns
        -------
        DataFrame
            Columns ``survey`` and ``estimate`` (in the unit of :attr:`measure`), ``weight``
            [share] and ``error_pct``, estimate / survey - 1 [%].
        """
        if method in ("slq", "cilq"):  # no delta: their estimates are keyed with delta NaN
            key_delta = np.nan
        else:
            if delta is None:
                delta = float(self.best().loc[method, "delta"])
            key_delta = round(float(delta), 6)
        key = (method, key_delta)
        column = next((c for c in self.estimates.columns if c[0] == key[0] and _same(c[1], key[1])), None)
        if column is None:
            raise ModelError(f"no estimate for {method!r} with delta {delta!r}; calibrated: {list(self.estimates)}")
        out = pd.DataFrame({"survey": self.survey, "estimate": self.estimates[column], "weight": self.weights})
        out["error_pct"] = 100 * (out["estimate"] / out["survey"] - 1)
        return out


def _same(a: float, b: float) -> bool:
    return (np.isnan(a) and np.isnan(b)) or (not np.isnan(a) and not np.isnan(b) and abs(a - b) < 1e-9)


def calibrate_delta(
    national: IOTable,
    survey: IOTable,
    regional_employment: pd.Series,
    *,
    national_to_common: Mapping[str, str] | pd.Series,
    survey_to_common: Mapping[str, str] | pd.Series,
    national_employment: pd.Series | str | None = None,
    methods: Sequence[Method] = ("slq", "cilq", "flq", "aflq"),
    deltas: Sequence[float] = DELTAS,
    kind: Kind = "type_i",
    measure: str = "output_multiplier",
    closure: Closure = "household_income",
) -> Calibration:
    """Compare location-quotient estimates of a region's multipliers with a survey-based table.

    Parameters
    ----------
    national : IOTable
        The national table to regionalise (e.g. UK 2019).
    survey : IOTable
        The region's own survey-based table (e.g. Scottish Government 2019).
    regional_employment : Series
        The region's employment by national sector code [jobs] or [FTE].
    national_to_common, survey_to_common : mapping or Series
        Each table's sector code -> common sector (a classification both aggregate to).
    national_employment : Series, optional
        National employment on the same basis as ``regional_employment`` [jobs] or [FTE].
    methods : sequence of {"slq", "cilq", "flq", "aflq"}
    deltas : sequence of float
        Grid for FLQ and AFLQ, in [0, 1).
    kind : {"type_i", "type_ii"}
    measure : str
        A column of :func:`kil_io.multipliers`, e.g. ``"output_multiplier"`` or
        ``"gva_multiplier"``.
    closure : {"household_income", "coe"}
        Type II closure of both tables (each with its own household income), as in
        :func:`kil_io.multipliers`.

    Returns
    -------
    Calibration

    Raises
    ------
    ModelError
        Unknown measure or kind; the common classifications of the two tables differ.
    RegionError, LabelError
        As :func:`kil_io.regional.regionalise`.

    Notes
    -----
    Both tables are aggregated to the common sectors *before* multipliers are computed,
    so both sides are treated identically. WAPE is taken over common sectors where both
    multipliers are defined, weighted by the survey's output.
    """
    kind = check_kind(kind)
    closure = check_closure(closure)
    if measure not in COLUMNS:
        raise ModelError(f"unknown measure {measure!r}; expected one of {list(COLUMNS)}")
    grid = _grid(methods, deltas)
    for name, table in (("survey", survey), ("national", national)):
        if measure.startswith("employment") and table.employment is None:
            raise ModelError(f"the {name} table {table.label} has no employment, so {measure!r} cannot be compared")
    with warnings.catch_warnings():
        # sectors with NaN results (no output, no direct pay) are left out and counted below;
        # a survey table without employment only matters for the employment measures (checked above)
        warnings.simplefilter("ignore", ZeroOutputWarning)
        warnings.filterwarnings("ignore", message=".* has no employment", category=KilIOWarning)
        observed = _measure(aggregate(survey, survey_to_common), kind, measure, closure)
        estimates = {}
        for method, delta in grid:
            local = regionalise(
                national,
                regional_employment,
                national_employment=national_employment,
                method=method,
                delta=0.0 if np.isnan(delta) else delta,
            )
            estimates[(method, delta)] = _measure(aggregate(local, national_to_common), kind, measure, closure)
    if set(observed.index) != set(next(iter(estimates.values())).index):
        only_s = sorted(set(observed.index) - set(next(iter(estimates.values())).index))
        raise LabelError(f"the two common classifications differ: only in the survey's {only_s[:5]}")
    common = list(observed.index)
    est = pd.DataFrame({k: v.reindex(common) for k, v in estimates.items()})
    est.columns = pd.MultiIndex.from_tuples(list(estimates), names=["method", "delta"])
    x = pd.Series(aggregate(survey, survey_to_common).output, index=observed.index).reindex(common)
    ok = observed.notna() & est.notna().all(axis=1) & (observed != 0)
    if not ok.any():
        raise ModelError(f"no common sector has {measure!r} defined in both tables; nothing to compare")
    weights = (x[ok] / x[ok].sum()).rename("weight")
    rel = est[ok].div(observed[ok], axis=0) - 1
    errors = pd.DataFrame(
        {
            "wape": 100 * rel.abs().mul(weights, axis=0).sum(),
            "mape": 100 * rel.abs().mean(),
            "bias": 100 * rel.mul(weights, axis=0).sum(),
        }
    )
    errors.index = est.columns
    return Calibration(
        errors=errors,
        estimates=est,
        survey=observed.rename("survey"),
        weights=weights,
        kind=kind,
        measure=measure,
        left_out=tuple(str(c) for c in ok.index[~ok]),
    )


def _grid(methods: Sequence[str], deltas: Sequence[float]) -> list[tuple[Method, float]]:
    grid: list[tuple[Method, float]] = []
    for method in methods:
        if method in ("slq", "cilq"):
            grid.append((check_method(method, 0.0), np.nan))
        else:
            grid.extend((check_method(method, float(d)), round(float(d), 6)) for d in deltas)
    if not grid:
        raise ModelError("no methods to calibrate")
    return grid


def _measure(table: IOTable, kind: Kind, measure: str, closure: Closure) -> pd.Series:
    return multipliers(table, kind, closure=closure)[measure]
