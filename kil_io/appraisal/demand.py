"""The direct, indirect and induced effects of a final-demand shock: :func:`demand_impact` -> :class:`Impact`."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kil_io.errors import LabelError, NonNumericError, ZeroOutputWarning
from kil_io.model.closure import (
    Closure,
    check_propensity,
    closed_output,
    household_income_total,
    resident_share_of,
)
from kil_io.model.multipliers import MEASURES, UNITS, Kind, check_kind, consumption_output, direct_coefficients

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kil_io.model.table import IOTable

    FloatArray = NDArray[np.float64]

COMPONENTS: tuple[str, ...] = ("direct", "indirect", "induced", "total")


@dataclass(frozen=True, eq=False)
class Impact:
    """Read-only result of :func:`demand_impact`.

    Attributes
    ----------
    demand : Series
        The final-demand shock by sector, in the table's money unit (``units``, £m for shipped tables).
    kind : {"type_i", "type_ii"}
    by_sector : DataFrame
        Index sector; columns a MultiIndex (component, measure) with components
        ``direct``, ``indirect``, ``induced`` (zero for Type I) and ``total``; measures
        ``output``, ``gva``, ``income`` (in ``units``) and ``employment`` (FTE).
    units : str
        The table's money unit, that of the demand and of the money effects.
    """

    demand: pd.Series
    kind: Kind
    by_sector: pd.DataFrame
    area: str
    year: int | None
    units: str = "£m"

    def to_frame(self) -> pd.DataFrame:
        """Totals over sectors: rows :data:`MEASURES`, columns direct/indirect/induced/total, plus units.

        Examples
        --------
        >>> demand_impact(table, demand).to_frame()  # doctest: +SKIP
                       direct  indirect  induced   total unit
        measure
        output          1.000     0.481    0.520   2.001   £m
        ...
        """
        totals = self.by_sector.sum(axis=0, min_count=1).unstack("component")[list(COMPONENTS)]
        totals = totals.reindex(list(MEASURES))
        totals.columns.name = None
        totals["unit"] = [self.units if UNITS[m] == "£m" else UNITS[m] for m in totals.index]
        totals.index.name = "measure"
        return totals

    def __repr__(self) -> str:
        demand = _money(self.demand.sum(), self.units)
        return f"Impact({self.kind}, {self.area} {self.year}, demand {demand})\n{self.to_frame()}"


def demand_impact(
    table: IOTable,
    demand: pd.Series | Mapping[str, float],
    kind: Kind = "type_ii",
    *,
    household_income: float | None = None,
    closure: Closure = "household_income",
    resident_share: float | None = None,
) -> Impact:
    """Direct, indirect and induced effects of a final-demand shock.

    Parameters
    ----------
    table : IOTable
    demand : Series or mapping
        Extra final demand for each sector's output (£m), by sector code; sectors not
        named get zero.
    kind : {"type_i", "type_ii"}
        ``type_i`` gives direct and indirect effects (induced = 0); ``type_ii`` adds
        induced effects of household re-spending.
    household_income, closure, resident_share
        The Type II household closure, as in :func:`kil_io.multipliers`.

    Returns
    -------
    Impact

    Raises
    ------
    LabelError
        A sector code the table does not have.
    NonNumericError
        A demand that is not a finite number.

    Notes
    -----
    With direct coefficients ``v`` (per unit of output) and shock ``f``: direct =
    ``v * f``; Type I total = ``v * (L f)``; Type II total = ``v * (Lbar f)[:n]``, from
    ``L f`` and ``L C`` by the rank-one update of :func:`kil_io.model.closure.closed_output`;
    indirect = Type I total - direct; induced = Type II total - Type I total.

    References
    ----------
    Miller & Blair (2009), sections 2.3 and 6.2.
    """
    kind = check_kind(kind)
    f = _demand_vector(table, demand)
    V = direct_coefficients(table)
    x_i = table.system.solve(f)
    x_ii = x_i
    if kind == "type_ii":
        table.households  # noqa: B018  (no households column: the first thing to say)
        income = household_income_total(table, household_income, closure=closure)
        share = resident_share_of(table, resident_share)
        check_propensity(table, income, share)
        LC = consumption_output(table)
        x_ii = closed_output(x_i, LC, table.per_output(table.income), income, share, label=table.label)[0]
    direct, total_i, total_ii = V * f, V * x_i, V * x_ii
    parts = {"direct": direct, "indirect": total_i - direct, "induced": total_ii - total_i, "total": total_ii}
    by_sector = pd.DataFrame(
        {(c, m): parts[c][k] for c in COMPONENTS for k, m in enumerate(MEASURES)},
        index=pd.Index(table.sectors, name="sector"),
    )
    by_sector.columns = by_sector.columns.set_names(["component", "measure"])
    return Impact(
        demand=pd.Series(f, index=by_sector.index, name="demand"),
        kind=kind,
        by_sector=by_sector,
        area=table.area,
        year=table.year,
        units=table.units,
    )


def _demand_vector(table: IOTable, demand: pd.Series | Mapping[str, float]) -> FloatArray:
    series = pd.Series(demand, dtype=object) if not isinstance(demand, pd.Series) else demand
    if series.index.has_duplicates:
        dupes = sorted({str(s) for s in series.index[series.index.duplicated()]})
        raise LabelError(f"table {table.label}: demand names sectors more than once: {dupes[:5]}")
    unknown = [str(s) for s in series.index if str(s) not in table.sectors]
    if unknown:
        raise LabelError(f"table {table.label}: demand names sectors the table does not have: {unknown[:5]}")
    values = pd.to_numeric(series, errors="coerce")
    bad = values.isna() | ~np.isfinite(values.astype(float))
    if bad.any():
        s = bad[bad].index[0]
        raise NonNumericError(f"table {table.label}: demand for sector '{s}' is {series[s]!r}, not a finite number")
    f = np.zeros(table.n)
    f[[table.sectors.index(str(s)) for s in series.index]] = values.to_numpy(dtype=float)
    absent = (f != 0) & (table.output == 0)
    if absent.any():
        names = [s for s, a in zip(table.sectors, absent, strict=True) if a]
        warnings.warn(
            f"table {table.label}: demand of {_money(f[absent].sum(), table.units)} for sectors with no output here "
            f"{names}; "
            "nothing in this economy can supply it, so it has no effect (it leaks out of the area)",
            ZeroOutputWarning,
            stacklevel=3,
        )
    return f


def _money(value: float, units: str) -> str:
    """``£2.000m`` for 2 in £m, ``£2.000`` in £: the unit's symbol, the number, then its scale."""
    return f"{units[:1]}{value:,.3f}{units[1:]}" if units else f"{value:,.3f}"
