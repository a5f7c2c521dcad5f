"""An area's multipliers with their range over delta, the FLQ parameter no one observes.

Delta is drawn from its default distribution (:func:`kil_io.appraisal.defaults.delta_spread`:
the spread of well-fitting delta in the Scotland calibration, the area's delta the mode) or
a given one, rounded to :data:`~kil_io.uncertainty.tables.DELTA_STEP`; the area is
regionalised once per distinct delta, all in one batched call
(:func:`kil_io.regional.regional_multipliers_by_kind`), and each draw reads its delta's
multipliers.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kil_io import datasets, limits
from kil_io.appraisal.defaults import delta_spread
from kil_io.appraisal.distribution import Distribution
from kil_io.errors import CaseError, ZeroOutputWarning
from kil_io.model.multipliers import COLUMNS, Kind
from kil_io.regional.batched import regional_multipliers_by_kind
from kil_io.regional.quotients import DEFAULT_DELTA
from kil_io.uncertainty.simulate import LEVEL, MIN_DRAWS, _quantiles
from kil_io.uncertainty.tables import round_delta

if TYPE_CHECKING:
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]
    IntArray = NDArray[np.intp]

#: Multiplier columns :func:`multiplier_ranges` reports by default.
MEASURES: tuple[str, ...] = ("output_multiplier", "gva_effect", "employment_effect")


def multiplier_ranges(
    area: str,
    year: int,
    *,
    draws: int = 1000,
    seed: int | None = None,
    delta: float = DEFAULT_DELTA,
    spread: Distribution | None = None,
    kinds: Sequence[Kind] = ("type_i", "type_ii"),
    measures: Sequence[str] = MEASURES,
    level: float = LEVEL,
) -> pd.DataFrame:
    """An area's FLQ multipliers at its ``delta`` and their range over the uncertain delta.

    Parameters
    ----------
    area : str
        A local authority or ITL2 region (:func:`kil_io.datasets.areas`).
    year : int
        BRES employment year.
    draws : int
        Draws of delta, at least 100.
    seed : int, optional
    delta : float
        The central delta (its multipliers are the ``central`` column and the mode of the
        default distribution).
    spread : Distribution, optional
        Delta's distribution (mode ``delta``); default the Scotland calibration's.
    kinds : sequence of {"type_i", "type_ii"}
    measures : sequence of str
        Columns of :func:`kil_io.multipliers`.
    level : float
        0.9: the 5th to 95th percentile.

    Returns
    -------
    DataFrame
        Index (kind, sector); columns ``name`` and, for each measure, ``<measure>`` (central),
        ``<measure>_low``, ``<measure>_median``, ``<measure>_high``. ``attrs`` records the
        distribution, draws and seed.

    Raises
    ------
    CaseError
        Fewer than 100 draws, an unknown measure, a distribution that excludes ``delta``.
    """
    grid, which, spread, source = draw_deltas(draws, seed, delta, spread)
    unknown = sorted(set(measures) - set(COLUMNS))
    if unknown:
        raise CaseError(f"unknown multiplier columns {unknown}; known: {list(COLUMNS)}")
    central = datasets.regional_iot(area, year, delta=delta)
    where = datasets.area(str(central.metadata["area_code"]))
    national_year = int(str(central.metadata["national_table"]).rsplit(" ", 1)[-1])
    result = _area_ranges(
        where, year, national_year, grid, which, kinds, measures, level, float(central.resident_share)
    )
    result.attrs.update(
        area=central.area, year=year, delta=delta, distribution=spread.describe(delta), source=source,
        draws=int(draws), seed=seed, level=level, distinct_deltas=len(grid), national_table=f"UK {national_year}",
    )  # fmt: skip
    return result


def draw_deltas(
    draws: int, seed: int | None, delta: float = DEFAULT_DELTA, spread: Distribution | None = None
) -> tuple[FloatArray, IntArray, Distribution, str]:
    """Draws of delta on the :data:`~kil_io.uncertainty.tables.DELTA_STEP` grid, from ``seed``.

    Returns
    -------
    grid : ndarray
        The distinct deltas, ``delta`` itself among them, sorted.
    which : ndarray of int
        Position in ``grid`` of ``delta`` (``which[0]``) and of each draw (``which[1:]``).
    spread : Distribution
        Delta's distribution (the Scotland calibration's unless given), and its ``source``.
    """
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < MIN_DRAWS:
        raise CaseError(f"draws must be a whole number >= {MIN_DRAWS}, got {draws!r}")
    seed = limits.check_seed(seed)
    limits.check_draw_memory(  # the draws, their grid positions, and each sector's value at every draw (twice)
        int(draws), 8 * (6 + 2 * 105),
        how_to_chunk="give fewer --draws (the ranges are percentiles over the draws of delta)",
    )  # fmt: skip
    source = "given"
    if spread is None:
        spread, _, source = delta_spread(delta)
    spread.check_value(delta, "delta")
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    drawn = round_delta(spread.sample(rng, delta, int(draws)))
    grid, which = np.unique(np.concatenate([[delta], drawn]), return_inverse=True)
    return grid, which, spread, source


def _area_ranges(
    where: datasets.Area,
    year: int,
    national_year: int,
    grid: FloatArray,
    which: IntArray,
    kinds: Sequence[Kind],
    measures: Sequence[str],
    level: float,
    resident_share: float,
) -> pd.DataFrame:
    """One area's multipliers at each distinct delta (one batched call), summarised over the draws."""
    q = _quantiles(level)
    national = datasets.uk_iot(national_year)
    local = datasets.local_employment(where, year)
    gb = datasets.national_employment(year, area=where)
    stacked = pd.DataFrame([local] * len(grid), index=pd.Index([f"delta {d:g}" for d in grid]))
    scale = datasets.output_scale(where, year, national, local=local, gb=gb)  # levels as regional_iot makes them
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZeroOutputWarning)  # the same sectors as the central table's (NaN)
        frames = regional_multipliers_by_kind(
            national, stacked, kinds, national_employment=gb, method="flq", delta=list(grid),
            resident_share=resident_share, output_scale=scale, stacklevel=3,
        )  # fmt: skip
    n = national.n
    parts = {}
    for kind, frame in frames.items():
        out = pd.DataFrame({"name": list(national.names)}, index=pd.Index(national.sectors, name="sector"))
        for measure in measures:
            values = frame[measure].to_numpy().reshape(len(grid), n)  # (distinct deltas, sectors)
            # a sector is NaN at every delta (no output here) or at none: percentiles of the others at once
            known = np.isfinite(values).all(axis=0)
            low, median, high = np.full((3, n), np.nan)
            low[known], median[known], high[known] = np.percentile(
                values[which[1:]][:, known], [100 * q[0], 50, 100 * q[1]], axis=0
            )
            out[measure] = values[which[0]]
            out[f"{measure}_low"], out[f"{measure}_median"], out[f"{measure}_high"] = low, median, high
        parts[kind] = out
    return pd.concat(parts, names=["kind", "sector"])


def area_multiplier_ranges(
    areas: Sequence[str | datasets.Area] | None,
    year: int,
    *,
    draws: int = 1000,
    seed: int | None = None,
    delta: float = DEFAULT_DELTA,
    spread: Distribution | None = None,
    kinds: Sequence[Kind] = ("type_i", "type_ii"),
    measures: Sequence[str] = MEASURES,
    level: float = LEVEL,
    progress: Callable[[int], object] | None = None,
) -> pd.DataFrame:
    """Many areas' FLQ multipliers with their range over delta, as one tidy table.

    Every area sees the same draws of delta (one seed): delta is one model choice, uncertain in
    the same way everywhere, so areas compare draw by draw. Each area is regionalised once per
    distinct delta in one batched call, area after area, so memory stays that of one area.
    Equal, area by area, to :func:`multiplier_ranges` with the same seed.

    Parameters
    ----------
    areas : sequence of str or Area, or None
        Areas by name or code; ``None``: every GB local authority.
    year, draws, seed, delta, spread, kinds, measures, level
        As :func:`multiplier_ranges`.
    progress : callable, optional
        Called with 1 after each area (e.g. a progress bar's ``update``).

    Returns
    -------
    DataFrame
        One row per area, kind and sector: ``area_code``, ``area_name``, ``kind``, ``sector``,
        ``name``, then each measure with ``_low``, ``_median`` and ``_high``. ``attrs`` as
        :func:`multiplier_ranges`' (without ``area``), plus ``areas``.
    """
    plan = plan_area_ranges(areas, year, draws=draws, seed=seed, delta=delta, spread=spread, kinds=kinds,
                            measures=measures, level=level)  # fmt: skip
    parts = []
    for code in plan.codes:
        parts.append(area_ranges_chunk(plan, (code,)))
        if progress is not None:
            progress(1)
    return plan.combine(parts)


@dataclass(frozen=True)
class RangesPlan:
    """What every area's ranges over delta share: the draws, the years, kinds and measures (picklable)."""

    codes: tuple[str, ...]
    year: int
    national_year: int
    grid: FloatArray
    which: IntArray
    kinds: tuple[Kind, ...]
    measures: tuple[str, ...]
    level: float
    attrs: dict[str, object]

    def combine(self, parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
        """The chunks' tables as one, in the order of :attr:`codes`, with the plan's ``attrs``."""
        result = pd.concat(parts, ignore_index=True)
        result.attrs.update(self.attrs)
        return result


def plan_area_ranges(
    areas: Sequence[str | datasets.Area] | None,
    year: int,
    *,
    draws: int = 1000,
    seed: int | None = None,
    delta: float = DEFAULT_DELTA,
    spread: Distribution | None = None,
    kinds: Sequence[Kind] = ("type_i", "type_ii"),
    measures: Sequence[str] = MEASURES,
    level: float = LEVEL,
) -> RangesPlan:
    """Check the arguments and draw delta once for :func:`area_multiplier_ranges` (and its Dask twin)."""
    grid, which, spread, source = draw_deltas(draws, seed, delta, spread)
    unknown = sorted(set(measures) - set(COLUMNS))
    if unknown:
        raise CaseError(f"unknown multiplier columns {unknown}; known: {list(COLUMNS)}")
    found = datasets.distinct_areas(areas, what="area_multiplier_ranges")
    national_year = datasets.national_year_for(year)
    attrs: dict[str, object] = dict(
        year=year, delta=delta, distribution=spread.describe(delta), source=source, draws=int(draws), seed=seed,
        level=level, distinct_deltas=len(grid), areas=len(found), national_table=f"UK {national_year}",
    )  # fmt: skip
    return RangesPlan(tuple(a.code for a in found), int(year), national_year, grid, which, tuple(kinds),
                      tuple(measures), float(level), attrs)  # fmt: skip


def area_ranges_chunk(plan: RangesPlan, codes: Sequence[str]) -> pd.DataFrame:
    """The tidy ranges of some of the plan's areas: one task of ``kil_io.distributed.area_multiplier_ranges_on``."""
    parts = []
    for code in codes:
        where = datasets.area(code)
        share = datasets.resident_share(where)[0]
        one = _area_ranges(where, plan.year, plan.national_year, plan.grid, plan.which, plan.kinds, plan.measures,
                           plan.level, share).reset_index()  # fmt: skip
        one.insert(0, "area_code", where.code)
        one.insert(1, "area_name", where.name)
        parts.append(one)
    return pd.concat(parts, ignore_index=True)
