"""Impacts on the local economy: of a final-demand shock, and of an organisation's spending.

:func:`demand_impact` splits the effects of extra final demand into direct, indirect and induced
output, GVA, income and jobs. :func:`organisation_impact` does the same for an
organisation from its accounts (:class:`Organisation`): its own jobs and GVA, its local
supply chain, the local re-spending of wages, and the enterprises it hosts.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kil_io import datasets
from kil_io.appraisal.organisation import (
    HasOrganisation,
    Organisation,
    check_organisation_magnitudes,
    organisation_of,
)
from kil_io.errors import LabelError, ModelError, NonNumericError, ZeroOutputWarning
from kil_io.model.multipliers import MEASURES, UNITS, Kind, check_kind, closed_system, direct_coefficients
from kil_io.model.units import pounds_per_unit

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
        :func:`kil_io.model.multipliers.closed_system`.

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


#: Rows of :meth:`OrganisationImpact.to_frame`.
ORGANISATION_COMPONENTS: tuple[str, ...] = ("direct", "indirect", "induced", "enabled", "total")


@dataclass(frozen=True, eq=False)
class OrganisationImpact:
    """Local jobs (FTE) and GVA (£m) an organisation supports, by component (read-only).

    Attributes
    ----------
    name, area, year : str, str, int
    income : float
        The organisation's income (£).
    components : DataFrame
        Rows :data:`ORGANISATION_COMPONENTS`; columns ``fte`` and ``gva`` (£m).
    detail : DataFrame
        The same split further: ``indirect`` by sector bought from; ``induced`` into
        ``staff`` and ``supply_chain``; ``enabled`` into ``own`` and ``spillover``.
    table : str
        The regional table used.
    """

    name: str
    area: str
    year: int
    income: float
    components: pd.DataFrame
    detail: pd.DataFrame
    table: str

    def to_frame(self) -> pd.DataFrame:
        """Rows direct, indirect, induced, enabled, total; columns ``fte`` (FTE) and ``gva`` (£m)."""
        return self.components.copy()

    def per_income(self) -> pd.Series:
        """Ratios to income: FTE per £1m of income, and £ of local GVA per £1 of income, by component."""
        frame = self.components
        return pd.concat(
            {
                "fte_per_1m_income": frame["fte"] / (self.income / 1e6),
                "gva_per_1_income": frame["gva"] * 1e6 / self.income,
            },
            axis=1,
        )

    def __repr__(self) -> str:
        return (
            f"OrganisationImpact({self.name}, {self.area} {self.year}, income £{self.income:,.0f})\n{self.to_frame()}"
        )


def organisation_impact(
    org: Organisation | HasOrganisation, regional_table: IOTable | None = None
) -> OrganisationImpact:
    """Local FTE jobs and GVA an organisation supports: direct, indirect, induced, enabled.

    Parameters
    ----------
    org : Organisation
        E.g. :func:`kil_io.case_study`.
    regional_table : IOTable, optional
        The local table; default :func:`kil_io.datasets.regional_iot` for the
        organisation's area, year, method and delta.

    Returns
    -------
    OrganisationImpact

    Raises
    ------
    LabelError
        A spending line or enterprise in a sector the table does not have.

    Notes
    -----
    With the regional table's direct GVA and FTE coefficients ``v`` (per £m of output),
    its Leontief inverse ``L`` and household-closed inverse ``Lbar`` (Type II):

    - direct: the organisation's own FTE, and GVA = staff costs + surplus;
    - indirect: ``v L f``, with ``f`` the spending bought locally (its local suppliers and
      their local supply chains; Type I);
    - induced: ``v (Lbar [f; 0])[:n] - v L f`` (supply chain's employees re-spending,
      Type II less Type I) plus ``v (Lbar [0; w])[:n]``, the local re-spending of ``w``,
      the pay of staff who live locally;
    - enabled: hosted enterprises' own FTE and their turnover times the sector's GVA per
      £ of output, scaled by ``additionality``, plus the indirect and induced effects of
      that turnover (Type II less its direct part).

    References
    ----------
    Miller & Blair (2009), sections 6.2-6.3.
    """
    org = organisation_of(org)
    if regional_table is None:
        regional_table = datasets.regional_iot(org.area, org.year, method=org.method, delta=org.delta)
    t = regional_table
    # the organisation's figures are in £, the table's in its own unit: f and pay in table units,
    # GVA back to £m (FTE per unit of output carries the unit through)
    unit = pounds_per_unit(t.units, what=f"table {t.label}")
    check_organisation_magnitudes(org, stacklevel=3)
    V = direct_coefficients(t)[[1, 3]] * [[unit / 1e6], [1.0]]  # £m of GVA and FTE per table unit of output
    if t.employment is None:
        raise ModelError(f"table {t.label} has no employment; organisation impacts need FTE")
    system, closed = t.system, closed_system(t)
    n = t.n

    f = _demand_vector(t, org.local_spend / unit) if len(org.local_spend) else np.zeros(n)
    x1 = system.solve(f)
    x2 = closed.solve(np.append(f, 0.0))[:n]
    staff = closed.solve(np.append(np.zeros(n), org.local_staff_pay / unit))[:n]
    indirect = V * x1  # (2, n): gva, fte by sector bought from
    supply_induced = V @ (x2 - x1)
    staff_induced = V @ staff

    own = np.zeros(2)
    spill = np.zeros(2)
    for e in org.enterprises:
        fe = _demand_vector(t, {e.sector: e.turnover.value * org.additionality.value / unit})
        total = V @ closed.solve(np.append(fe, 0.0))[:n]
        model_direct = V @ fe
        own += [model_direct[0], e.fte.value * org.additionality.value]
        spill += total - model_direct

    rows = {
        "direct": [(org.staff_costs.value + org.surplus.value) / 1e6, org.staff_fte.value],
        "indirect": indirect.sum(axis=1),
        "induced": supply_induced + staff_induced,
        "enabled": own + spill,
    }
    frame = pd.DataFrame(rows, index=["gva", "fte"]).T[["fte", "gva"]]
    frame.loc["total"] = frame.sum()
    frame.index.name = "component"
    detail = pd.DataFrame(
        {
            "induced: staff": staff_induced,
            "induced: supply chain": supply_induced,
            "enabled: own": own,
            "enabled: spillover": spill,
        },
        index=["gva", "fte"],
    ).T[["fte", "gva"]]
    by_sector = pd.DataFrame(indirect.T, index=[f"indirect: {s}" for s in t.sectors], columns=["gva", "fte"])
    detail = pd.concat([detail, by_sector.loc[by_sector.abs().sum(axis=1) > 0, ["fte", "gva"]]])
    return OrganisationImpact(
        name=org.name,
        area=org.area,
        year=org.year,
        income=org.income.value,
        components=frame,
        detail=detail,
        table=t.label.strip("'"),
    )
