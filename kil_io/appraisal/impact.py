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

import kil_io.appraisal.additionality as additionality
from kil_io import datasets
from kil_io.appraisal.organisation import HasOrganisation, Organisation, organisation_of
from kil_io.errors import LabelError, ModelError, NonNumericError, ZeroOutputWarning
from kil_io.model.closure import (
    Closure,
    check_propensity,
    closed_output,
    closed_totals,
    closure_income_for,
    household_income_total,
    resident_share_of,
)
from kil_io.model.multipliers import (
    MEASURES,
    UNITS,
    Kind,
    check_kind,
    consumption_output,
    direct_coefficients,
    type_i_effects,
)

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
        >>> demand_impact(table, demand).to_frame()  # doctest: +SKIP
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
            f"table {table.label}: demand of £{f[absent].sum():,.3f}m for sectors with no output here {names}; "
            "nothing in this economy can supply it, so it has no effect (it leaks out of the area)",
            ZeroOutputWarning,
            stacklevel=3,
        )
    return f


#: Rows of :meth:`OrganisationImpact.to_frame`.
ORGANISATION_COMPONENTS: tuple[str, ...] = ("direct", "indirect", "induced", "enabled", "total")
#: Measures of an organisation's impact, with their units.
ORGANISATION_MEASURES: dict[str, str] = {"fte": "FTE", "gva": "£m", "local_income": "£m"}


@dataclass(frozen=True, eq=False)
class OrganisationImpact:
    """Local jobs (FTE), workplace GVA and local income (£m) an organisation supports, gross and net (read-only).

    Attributes
    ----------
    name, area, year : str, str, int
    income : float
        The organisation's income (£).
    components : DataFrame
        Gross: rows :data:`ORGANISATION_COMPONENTS`; columns ``fte``, ``gva`` (workplace GVA,
        £m: value added in the area's workplaces, surplus included wherever the owner is)
        and ``local_income`` (£m: pay of local residents plus the surplus the organisation
        keeps in the area).
    net : DataFrame
        The same after :mod:`kil_io.appraisal.additionality` (leakage, displacement,
        substitution, deadweight), component by component.
    rates : DataFrame
        The rates used for each component (rows direct, indirect, induced, enabled;
        columns leakage, displacement, substitution, deadweight; ``local_income`` is never
        adjusted for leakage: it is residents' income already).
    sources : Series
        Where each rate and modelling choice comes from (closure, household income,
        resident share, re-spend share, each rate).
    detail : DataFrame
        The gross split further: ``indirect`` by sector bought from; ``induced`` into
        ``staff`` and ``supply_chain``; ``enabled`` into ``own`` and ``spillover``.
    table : str
        The regional table used.
    """

    name: str
    area: str
    year: int
    income: float
    components: pd.DataFrame
    net: pd.DataFrame
    rates: pd.DataFrame
    sources: pd.Series
    detail: pd.DataFrame
    table: str

    def to_frame(self) -> pd.DataFrame:
        """Gross and net side by side, by component (direct ... total).

        Columns ``fte``, ``fte_net`` (FTE), ``gva``, ``gva_net`` (workplace GVA, £m),
        ``local_income``, ``local_income_net`` (£m).
        """
        columns = {}
        for measure in ORGANISATION_MEASURES:
            columns[measure] = self.components[measure]
            columns[f"{measure}_net"] = self.net[measure]
        frame = pd.DataFrame(columns)
        frame.index.name = "component"
        return frame

    def per_income(self) -> pd.Series:
        """Ratios to income, gross and net: FTE per £1m of income, and £ of workplace GVA per £1 of income."""
        frame = self.to_frame()
        return pd.concat(
            {
                "fte_per_1m_income": frame["fte"] / (self.income / 1e6),
                "fte_net_per_1m_income": frame["fte_net"] / (self.income / 1e6),
                "gva_per_1_income": frame["gva"] * 1e6 / self.income,
                "gva_net_per_1_income": frame["gva_net"] * 1e6 / self.income,
            },
            axis=1,
        )

    def __repr__(self) -> str:
        return (
            f"OrganisationImpact({self.name}, {self.area} {self.year}, income £{self.income:,.0f})\n{self.to_frame()}"
        )


def organisation_impact(
    org: Organisation | HasOrganisation,
    regional_table: IOTable | None = None,
    *,
    closure: Closure = "household_income",
    household_income: float | None = None,
    resident_share: float | None = None,
    respend_share: float | None = None,
    rates: additionality.Rates | None = None,
) -> OrganisationImpact:
    """Local FTE jobs, workplace GVA and local income an organisation supports: gross and net, by component.

    Parameters
    ----------
    org : Organisation
        E.g. :func:`kil_io.case_study`.
    regional_table : IOTable, optional
        The local table; default :func:`kil_io.datasets.regional_iot` for the
        organisation's area, year, method and delta.
    closure, household_income, resident_share
        The Type II household closure, as in :func:`kil_io.multipliers` (defaults: the
        table's household income and Census resident share).
    respend_share : float, optional
        Local household spending on local output per £1 of household income, instead of the
        closure's (e.g. a staff survey's, the one LM3's round 3 uses): the household
        spending pattern is kept and scaled to it.
    rates : Rates, optional
        Gross-to-net rates (:class:`kil_io.appraisal.additionality.Rates`); default the case
        file's (when ``org`` is a case study) or the ``central`` preset (labelled
        assumptions). Leakage ``None`` means from commuting. ``respend_share`` too defaults
        to a case study's surveyed one.

    Returns
    -------
    OrganisationImpact

    Raises
    ------
    LabelError
        A spending line or enterprise in a sector the table does not have.
    ModelError
        A table without employment, or without the household income its closure needs.

    Notes
    -----
    With the regional table's Type I effects ``E = v' L`` (per £m of final demand), its
    household consumption ``C``, closure income ``Y`` and resident share ``s``
    (:func:`kil_io.model.closure.closed_totals`):

    - direct: the organisation's own FTE; workplace GVA = staff costs + surplus (all of it:
      GVA is counted where production happens); local income = pay of its staff who live
      locally + the surplus it keeps in the area (``surplus_local_share``);
    - indirect: ``E f``, with ``f`` the spending bought locally (its local suppliers and
      their local supply chains; Type I);
    - induced: the local re-spending of the pay the supply chain generates for residents
      (``s`` of it) and of ``w``, the pay of the organisation's own staff who live locally:
      ``(E C) (s e_inc . f + w) / Y / (1 - k)``;
    - enabled: hosted enterprises' own FTE and their turnover times the sector's GVA per £
      of output, plus the indirect and induced effects of that turnover (gross: all of
      it; ``org.additionality`` is the share that would not be in the area without the
      organisation, so ``1 - additionality`` is this component's reference case).

    Local income beyond the direct component is the pay of local residents (``s`` times
    the pay in local workplaces); suppliers' and hosted businesses' surpluses are left out
    (where their owners live is unknown). Net = gross x (1 - leakage) x (1 - displacement)
    x (1 - substitution) less the reference case (``deadweight`` of the gross, adjusted
    the same way): the multiplier is the IO model, applied once.

    References
    ----------
    Miller & Blair (2009), sections 6.2-6.3; English Partnerships (2008), *Additionality
    Guide*, 3rd ed., section 5.2.
    """
    # a case file brings its own rates and surveyed re-spend share (the page's one re-spend model)
    rates = rates if rates is not None else getattr(org, "rates", None)
    respend_share = respend_share if respend_share is not None else getattr(org, "respend_share", None)
    org = organisation_of(org)
    if regional_table is None:
        regional_table = datasets.regional_iot(org.area, org.year, method=org.method, delta=org.delta)
    t = regional_table
    if t.employment is None:
        raise ModelError(f"table {t.label} has no employment; organisation impacts need FTE")
    rates = rates if rates is not None else additionality.preset("central")
    closing = household_closure(t, closure, household_income, resident_share, respend_share)
    Y, s = closing["household_income"], closing["resident_share"]
    V = direct_coefficients(t)  # (4, n): output, GVA, pay per £m of output; FTE per £m
    E = type_i_effects(t)
    C = t.households
    n = t.n
    gva, pay, fte = 1, 2, 3  # rows of V and E (MEASURES)

    f = _demand_vector(t, org.local_spend / 1e6) if len(org.local_spend) else np.zeros(n)
    indirect_by_sector = V * t.system.solve(f)  # (4, n): effects in each sector bought from
    w = org.local_staff_pay / 1e6
    indirect, supply_induced = closed_totals(E, E[pay], C, f, 0.0, Y, s, label=t.label)
    staff_induced = closed_totals(E, E[pay], C, np.zeros(n), w, Y, s, label=t.label)[1]

    fe = np.zeros(n)
    hosted_fte = 0.0
    for e in org.enterprises:
        fe += _demand_vector(t, {e.sector: e.turnover.value / 1e6})
        hosted_fte += e.fte.value
    own = V @ fe
    own[fte] = hosted_fte
    type_i_fe, induced_fe = closed_totals(E, E[pay], C, fe, 0.0, Y, s, label=t.label)
    spill = type_i_fe - V @ fe + induced_fe

    kept = org.surplus.value * org.surplus_local_share.value
    gross = pd.DataFrame(
        {
            "fte": [
                org.staff_fte.value,
                indirect[fte],
                supply_induced[fte] + staff_induced[fte],
                own[fte] + spill[fte],
            ],
            "gva": [
                (org.staff_costs.value + org.surplus.value) / 1e6,
                indirect[gva],
                supply_induced[gva] + staff_induced[gva],
                own[gva] + spill[gva],
            ],
            "local_income": [
                (org.local_staff_pay + kept) / 1e6,
                s * indirect[pay],
                s * (supply_induced[pay] + staff_induced[pay]),
                s * (own[pay] + spill[pay]),
            ],
        },
        index=pd.Index(ORGANISATION_COMPONENTS[:-1], name="component"),
    )
    used = _component_rates(org, rates, s)
    net = pd.DataFrame(index=gross.index, columns=gross.columns, dtype=float)
    for measure in gross.columns:
        leak = 0.0 if measure == "local_income" else used["leakage"]
        net[measure] = additionality.net_additional(
            gross[measure].to_numpy(), leakage=np.asarray(leak), displacement=used["displacement"].to_numpy(),
            substitution=used["substitution"].to_numpy(), deadweight=used["deadweight"].to_numpy(),
        )  # fmt: skip
    for frame in (gross, net):
        frame.loc["total"] = frame.sum()

    detail = pd.DataFrame(
        {
            "induced: staff": staff_induced[[fte, gva]],
            "induced: supply chain": supply_induced[[fte, gva]],
            "enabled: own": own[[fte, gva]],
            "enabled: spillover": spill[[fte, gva]],
        },
        index=["fte", "gva"],
    ).T
    by_sector = pd.DataFrame(
        indirect_by_sector[[fte, gva]].T, index=[f"indirect: {c}" for c in t.sectors], columns=["fte", "gva"]
    )
    detail = pd.concat([detail, by_sector.loc[by_sector.abs().sum(axis=1) > 0]])
    sources = pd.Series({**closing["sources"], **{k: v[1] for k, v in rates.table().items()}}, name="source")
    if org.enterprises:
        sources["enabled deadweight"] = f"1 - hosted enterprises' additionality ({org.additionality.source})"
    return OrganisationImpact(
        name=org.name,
        area=org.area,
        year=org.year,
        income=org.income.value,
        components=gross,
        net=net,
        rates=used,
        sources=sources,
        detail=detail,
        table=t.label.strip("'"),
    )


def household_closure(
    table: IOTable,
    closure: Closure = "household_income",
    household_income: float | None = None,
    resident_share: float | None = None,
    respend_share: float | None = None,
) -> dict[str, object]:
    """The closure income ``Y`` (£m), resident share ``s`` and re-spend share of a case, with their sources.

    One re-spend model for a page: ``respend_share`` (a survey's) replaces the closure's
    ``sum(C) / Y`` by rescaling ``Y`` (:func:`kil_io.model.closure.closure_income_for`).
    """
    table.households  # noqa: B018  (no households column: the first thing to say)
    share = resident_share_of(table, resident_share)
    if respend_share is not None:
        income = closure_income_for(table, respend_share)
        income_source = f"set by the re-spend share {respend_share:g} (sum of household consumption / share)"
    else:
        income = household_income_total(table, household_income, closure=closure)
        income_source = (
            "given (household_income=)"
            if household_income is not None
            else "the table's compensation of employees"
            if closure == "coe"
            else str(table.metadata.get("household_income_source", "carried by the table"))
        )
    check_propensity(table, income, share, stacklevel=4)
    respend = float(table.households.sum()) / income
    sources = {
        "closure": closure if respend_share is None else "re-spend share",
        "household income (£m)": f"{income:,.1f}: {income_source}",
        "resident share": f"{share:.3f}: "
        + (
            "given (resident_share=)"
            if resident_share is not None
            else str(table.metadata.get("resident_share_source", "the table's"))
        ),
        "re-spend share": f"{respend:.3f} of household income spent on local output: "
        + ("given (a survey)" if respend_share is not None else "household consumption / household income"),
    }
    return {"household_income": income, "resident_share": share, "respend_share": respend, "sources": sources}


def _component_rates(org: Organisation, rates: additionality.Rates, resident_share: float) -> pd.DataFrame:
    """Rates by component: leakage from commuting unless given; enabled's deadweight from its additionality."""
    components = list(ORGANISATION_COMPONENTS[:-1])
    frame = pd.DataFrame(index=pd.Index(components, name="component"), columns=list(additionality.RATES), dtype=float)
    if rates.leakage is None:
        frame["leakage"] = 1.0 - resident_share
        frame.loc["direct", "leakage"] = 1.0 - org.staff_local_share.value
    else:
        frame["leakage"] = rates.leakage.value
    frame["displacement"] = rates.displacement.value
    frame["substitution"] = rates.substitution.value
    frame["deadweight"] = rates.deadweight.value
    frame.loc["enabled", "deadweight"] = 1.0 - org.additionality.value
    return frame
