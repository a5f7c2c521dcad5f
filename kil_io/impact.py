"""Impact of a final-demand shock: direct, indirect and induced output, GVA, income and jobs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kil_io.errors import LabelError, NonNumericError
from kil_io.multipliers import MEASURES, UNITS, Kind, check_kind, closed_system, direct_coefficients

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kil_io.table import IOTable

    FloatArray = NDArray[np.float64]

COMPONENTS: tuple[str, ...] = ("direct", "indirect", "induced", "total")


@dataclass(frozen=True, eq=False)
class Impact:
    """Read-only result of :func:`impact`.

    Attributes
    ----------
    demand : Series
        The final-demand shock (£m by sector).
    kind : {"type_i", "type_ii"}
    by_sector : DataFrame
        Index sector; columns a MultiIndex (component, measure) with components
        ``direct``, ``indirect``, ``induced`` (zero for Type I) and ``total``; measures
        ``output``, ``gva``, ``income`` (£m) and ``employment`` (FTE).
    """

    demand: pd.Series
    kind: Kind
    by_sector: pd.DataFrame
    area: str
    year: int | None

    def to_frame(self) -> pd.DataFrame:
        """Totals over sectors: rows :data:`MEASURES`, columns direct/indirect/induced/total, plus units.

        Examples
        --------
        >>> impact(table, demand).to_frame()  # doctest: +SKIP
                       direct  indirect  induced   total unit
        measure
        output          1.000     0.481    0.520   2.001   £m
        ...
        """
        totals = self.by_sector.sum(axis=0, min_count=1).unstack("component")[list(COMPONENTS)]
        totals = totals.reindex(list(MEASURES))
        totals.columns.name = None
        totals["unit"] = [UNITS[m] for m in totals.index]
        totals.index.name = "measure"
        return totals

    def __repr__(self) -> str:
        return f"Impact({self.kind}, {self.area} {self.year}, demand £{self.demand.sum():,.3f}m)\n{self.to_frame()}"


def impact(
    table: IOTable,
    demand: pd.Series | Mapping[str, float],
    kind: Kind = "type_ii",
    *,
    household_income: float | None = None,
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
    household_income : float, optional
        Total household income for the Type II closure (£m); see
        :func:`kil_io.multipliers.closed_system`.

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
    ``v * f``; Type I total = ``v * (L f)``; Type II total = ``v * (Lbar f)[:n]``;
    indirect = Type I total - direct; induced = Type II total - Type I total.

    References
    ----------
    Miller & Blair (2009), sections 2.3 and 6.2.
    """
    kind = check_kind(kind)
    f = _demand_vector(table, demand)
    V = direct_coefficients(table)
    x_i = table.system.solve(f)
    if kind == "type_ii":
        x_ii = closed_system(table, household_income).solve(np.append(f, 0.0))[: table.n]
    else:
        x_ii = x_i
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
    return f
