"""An area's multipliers with their range over delta, the FLQ parameter no one observes.

Delta is drawn from its default distribution (:func:`kil_io.uncertainty.defaults.delta_spread`:
the spread of well-fitting delta in the Scotland calibration, the area's delta the mode) or
a given one, rounded to :data:`~kil_io.uncertainty.tables.DELTA_STEP`; the area is
regionalised once per distinct delta, all in one batched call
(:func:`kil_io.regional.regional_multipliers_by_kind`), and each draw reads its delta's
multipliers.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from kil_io import datasets
from kil_io.appraisal.distribution import Distribution
from kil_io.errors import CaseError, ZeroOutputWarning
from kil_io.model.multipliers import COLUMNS, Kind
from kil_io.regional.batched import regional_multipliers_by_kind
from kil_io.uncertainty.defaults import delta_spread
from kil_io.uncertainty.simulate import LEVEL, MIN_DRAWS, _quantiles
from kil_io.uncertainty.tables import round_delta

#: Multiplier columns :func:`multiplier_ranges` reports by default.
MEASURES: tuple[str, ...] = ("output_multiplier", "gva_effect", "employment_effect")


def multiplier_ranges(
    area: str,
    year: int,
    *,
    draws: int = 1000,
    seed: int | None = None,
    delta: float = 0.3,
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
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < MIN_DRAWS:
        raise CaseError(f"draws must be a whole number >= {MIN_DRAWS}, got {draws!r}")
    unknown = sorted(set(measures) - set(COLUMNS))
    if unknown:
        raise CaseError(f"unknown multiplier columns {unknown}; known: {list(COLUMNS)}")
    q = _quantiles(level)
    source = "given"
    if spread is None:
        spread, _, source = delta_spread(delta)
    spread.check_value(delta, "delta")
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    drawn = round_delta(spread.sample(rng, delta, int(draws)))
    grid, which = np.unique(np.concatenate([[delta], drawn]), return_inverse=True)
    central = datasets.regional_iot(area, year, delta=delta)
    code = str(central.metadata["area_code"])
    national = datasets.uk_iot(int(str(central.metadata["national_table"]).rsplit(" ", 1)[-1]))
    where = datasets.area(code)
    local = datasets.local_employment(where, year)
    stacked = pd.DataFrame([local] * len(grid), index=pd.Index([f"delta {d:g}" for d in grid]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZeroOutputWarning)  # the same sectors as the central table's (NaN)
        frames = regional_multipliers_by_kind(
            national, stacked, kinds, national_employment=datasets.national_employment(year, area=where), method="flq",
            delta=list(grid), resident_share=float(central.resident_share), stacklevel=3,
        )  # fmt: skip
    n = national.n
    parts = {}
    for kind, frame in frames.items():
        out = pd.DataFrame({"name": list(national.names)}, index=pd.Index(national.sectors, name="sector"))
        for measure in measures:
            values = frame[measure].to_numpy().reshape(len(grid), n)  # (distinct deltas, sectors)
            per_draw = values[which[1:]]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN sectors (no output) stay NaN
                low, median, high = np.nanpercentile(per_draw, [100 * q[0], 50, 100 * q[1]], axis=0)
            out[measure] = values[which[0]]
            out[f"{measure}_low"], out[f"{measure}_median"], out[f"{measure}_high"] = low, median, high
        parts[kind] = out
    result = pd.concat(parts, names=["kind", "sector"])
    result.attrs.update(
        area=central.area, year=year, delta=delta, distribution=spread.describe(delta), source=source,
        draws=int(draws), seed=seed, level=level, distinct_deltas=len(grid),
    )  # fmt: skip
    return result
