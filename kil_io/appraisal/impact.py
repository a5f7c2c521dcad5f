"""An organisation's impact on the local economy: :func:`organisation_impact` -> :class:`OrganisationImpact`.

Its own jobs and GVA, its local supply chain, the local re-spending of wages, and the enterprises it
hosts, gross and net, from its accounts (:class:`Organisation`): the appraisal model
(:mod:`kil_io.appraisal.model`) at one draw. The effects of a final-demand shock
(:func:`demand_impact`) live in :mod:`kil_io.appraisal.demand` and stay importable from here.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

import numpy as np
import pandas as pd

import kil_io.appraisal.additionality as additionality
import kil_io.appraisal.model as model
from kil_io import datasets
from kil_io.appraisal.casestudy import organisation_on
from kil_io.appraisal.demand import COMPONENTS, Impact, demand_impact
from kil_io.appraisal.inputs import (
    constant,
    organisation_draws,
    organisation_inputs,
    rate_draws,
    rate_inputs,
    values_of,
)
from kil_io.appraisal.model import PARTS, Evaluation, effect_tables, evaluate
from kil_io.appraisal.organisation import (
    HasOrganisation,
    Organisation,
    Spend,
    check_organisation_magnitudes,
    organisation_of,
)
from kil_io.errors import KilIOWarning, LabelError, ZeroOutputWarning
from kil_io.model.closure import (
    Closure,
    check_propensity,
    closure_income_for,
    household_income_total,
    resident_share_of,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kil_io.appraisal.organisation import ProviderSpend
    from kil_io.model.table import IOTable

    FloatArray = NDArray[np.float64]

#: Rows of :meth:`OrganisationImpact.to_frame`.
ORGANISATION_COMPONENTS: tuple[str, ...] = (*model.COMPONENTS, "total")
#: Measures of an organisation's impact, with their units.
ORGANISATION_MEASURES: dict[str, str] = model.MEASURES


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
        FTE [FTE] and GVA [£m], gross, split further: ``induced`` into its ``staff`` and ``supply
        chain`` parts, ``enabled`` into the hosted businesses' ``own`` activity and its
        ``spillover``, and ``indirect`` by spending line (its local spend through the local
        Type I effects).
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
    (:func:`kil_io.appraisal.model.evaluate`):

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
    org, moved = organisation_on(org, t.sectors)  # a 2019-2022 code on 2023's table: C254 -> C25
    for note in moved:
        warnings.warn(f"'{org.name}': {note}", KilIOWarning, stacklevel=2)
    check_organisation_magnitudes(org, stacklevel=3)
    rates = rates if rates is not None else additionality.preset("central")
    closing = household_closure(t, closure, household_income, resident_share, respend_share)
    _check_sectors(t, org)
    inputs = organisation_inputs(org) + rate_inputs(rates)
    get = constant(values_of(inputs))
    result = evaluate(
        effect_tables(t), [0], organisation_draws(org, get, t.sectors), rate_draws(get, values_of(inputs)),
        [closing["household_income"]], [closing["resident_share"]],
    )  # fmt: skip
    sources = pd.Series({**closing["sources"], **{k: v[1] for k, v in rates.table().items()}}, name="source")
    if org.enterprises:
        sources["enabled deadweight"] = f"1 - hosted enterprises' additionality ({org.additionality.source})"
    return impact_of(result, name=org.name, area=org.area, year=org.year, income=org.income.value,
                     lines=org.spending, sources=sources, table=t.label.strip("'"))  # fmt: skip


def impact_of(
    result: Evaluation,
    *,
    name: str,
    area: str,
    year: int,
    income: float,
    lines: tuple[Spend, ...] | tuple[ProviderSpend, ...],
    sources: pd.Series,
    table: str,
    draw: int = 0,
) -> OrganisationImpact:
    """One draw of an :class:`~kil_io.appraisal.model.Evaluation` as a labelled :class:`OrganisationImpact`."""
    index = pd.Index(list(model.COMPONENTS), name="component")
    gross = pd.DataFrame(result.gross[draw].T, index=index, columns=list(model.MEASURES))
    net = pd.DataFrame(result.net[draw].T, index=index, columns=list(model.MEASURES))
    for frame in (gross, net):
        frame.loc["total"] = frame.sum()
    rates = pd.DataFrame(result.rates[draw].T, index=index, columns=list(additionality.RATES))
    detail = pd.DataFrame(result.parts[draw], index=list(PARTS), columns=["fte", "gva"])
    by_line = pd.DataFrame(
        result.lines[draw].T,
        index=[f"indirect: {s.label or s.sector} ({s.sector})" for s in lines],
        columns=["fte", "gva"],
    )
    detail = pd.concat([detail, by_line.loc[by_line.abs().sum(axis=1) > 0]])
    return OrganisationImpact(
        name=name, area=area, year=year, income=income, components=gross, net=net, rates=rates, sources=sources,
        detail=detail, table=table,
    )  # fmt: skip


def _check_sectors(table: IOTable, org: Organisation) -> None:
    """Every spending line and hosted business names a sector of the table (``LabelError`` otherwise)."""
    unknown = sorted(({s.sector for s in org.spending} | {e.sector for e in org.enterprises}) - set(table.sectors))
    if unknown:
        raise LabelError(f"table {table.label}: '{org.name}' buys from or hosts sectors the table does not have: "
                         f"{unknown[:5]}")  # fmt: skip
    bought = [s.sector for s in org.spending if s.value * s.local_share > 0]
    bought += [e.sector for e in org.enterprises if e.turnover.value > 0]
    absent = sorted({s for s in bought if table.output[table.sectors.index(s)] == 0})
    if absent:
        warnings.warn(
            f"table {table.label}: local spending of '{org.name}' in sectors with no output here {absent}; nothing in "
            "this economy can supply it, so it has no effect (it leaks out of the area)",
            ZeroOutputWarning,
            stacklevel=4,
        )


class HouseholdClosure(TypedDict):
    """A case's household closure: ``household_income`` [£m], ``resident_share`` and ``respend_share`` [share]."""

    household_income: float
    resident_share: float
    respend_share: float
    sources: dict[str, str]


def household_closure(
    table: IOTable,
    closure: Closure = "household_income",
    household_income: float | None = None,
    resident_share: float | None = None,
    respend_share: float | None = None,
) -> HouseholdClosure:
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


__all__ = [
    "COMPONENTS",
    "ORGANISATION_COMPONENTS",
    "ORGANISATION_MEASURES",
    "HouseholdClosure",
    "Impact",
    "OrganisationImpact",
    "demand_impact",
    "household_closure",
    "impact_of",
    "organisation_impact",
]
