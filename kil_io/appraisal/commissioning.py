"""Local versus national commissioning: the same contract, different local economies.

A council can buy a service from a local community organisation or from a national
provider. The contract is the same; what differs is how much of it stays in the area:
the share paid as wages to staff who live locally, the suppliers bought from locally, and
the part of the money that leaves as head-office overheads or profits. Each provider is
described per £1 of contract value and turned into an :class:`~kil_io.appraisal.organisation.Organisation`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

import kil_io.appraisal.additionality as additionality
from kil_io.appraisal.distribution import Distribution
from kil_io.appraisal.impact import organisation_impact
from kil_io.appraisal.lm3 import lm3_from_shares, modelled_respend_shares
from kil_io.appraisal.organisation import Figure, Organisation, Spend
from kil_io.errors import CaseError
from kil_io.model.closure import Closure
from kil_io.model.table import IOTable


@dataclass(frozen=True)
class ProviderSpend:
    """A share of the contract value spent on a sector, and the share of that bought locally."""

    sector: str
    share: float
    local_share: float
    source: str
    label: str = ""
    local_share_spread: Distribution | None = None


@dataclass(frozen=True)
class Provider:
    """How a provider spends £1 of contract value.

    Attributes
    ----------
    name : str
    staff_share : Figure
        Staff costs (compensation of employees) per £1 of contract value.
    staff_cost_per_fte : Figure
        Average staff cost per FTE (£), to turn staff costs into jobs.
    staff_local_share : Figure
        Share of staff costs paid to staff who live in the area.
    spending : tuple of ProviderSpend
    overheads_share : Figure
        Head-office or central charges per £1, spent outside the area.
    surplus_share : Figure
        Surplus or profit per £1.
    surplus_local_share : Figure
        Share of the surplus kept and spent in the area (a local charity reinvests it; a
        national firm's profit leaves).
    """

    name: str
    staff_share: Figure
    staff_cost_per_fte: Figure
    staff_local_share: Figure
    spending: tuple[ProviderSpend, ...]
    overheads_share: Figure
    surplus_share: Figure
    surplus_local_share: Figure

    def __post_init__(self) -> None:
        shares = {
            "staff_share": self.staff_share.value,
            "staff_local_share": self.staff_local_share.value,
            "overheads_share": self.overheads_share.value,
            "surplus_share": self.surplus_share.value,
            "surplus_local_share": self.surplus_local_share.value,
        }
        shares |= {f"spending '{s.label or s.sector}' share": s.share for s in self.spending}
        shares |= {f"spending '{s.label or s.sector}' local_share": s.local_share for s in self.spending}
        for what, value in shares.items():
            if not (np.isfinite(value) and 0 <= value <= 1):
                raise CaseError(f"provider '{self.name}': {what} must be in [0, 1], got {value!r}")
        if self.staff_cost_per_fte.value <= 0:
            raise CaseError(f"provider '{self.name}': staff_cost_per_fte must be positive")
        used = self.staff_share.value + self.overheads_share.value + self.surplus_share.value
        used += sum(s.share for s in self.spending)
        if used > 1 + 1e-9:
            raise CaseError(
                f"provider '{self.name}': staff, spending, overheads and surplus add to {used:.3f} of each £1 "
                "of contract value; they cannot exceed 1"
            )

    def organisation(self, contract_value: float, *, area: str, year: int) -> Organisation:
        """The provider as an organisation delivering a contract of ``contract_value`` (£) in ``area``."""
        v = float(contract_value)
        staff = v * self.staff_share.value
        return Organisation(
            name=self.name,
            area=area,
            year=year,
            income=Figure(v, "contract value"),
            staff_fte=Figure(staff / self.staff_cost_per_fte.value, "staff costs / staff cost per FTE"),
            staff_costs=Figure(staff, self.staff_share.source),
            staff_local_share=self.staff_local_share,
            # the whole surplus is value added in the area's workplace (GVA); only the part kept
            # in the area is local income (a national firm's profit leaves)
            surplus=Figure(v * self.surplus_share.value, self.surplus_share.source),
            surplus_local_share=self.surplus_local_share,
            spending=tuple(
                Spend(s.sector, v * s.share, s.local_share, s.source, s.label, s.local_share_spread)
                for s in self.spending
            ),
        )


@dataclass(frozen=True, eq=False)
class ProviderComparison:
    """Result of :func:`compare_providers` (read-only).

    Attributes
    ----------
    contract_value : float
        £.
    table : DataFrame
        One row per provider and one per difference from the baseline; columns ``fte``
        (local jobs, FTE), ``gva`` (workplace GVA in the area, £m, the surplus included
        wherever it goes), ``local_income`` (£m: pay of local residents and the surplus kept
        in the area), each gross and ``_net`` (:mod:`kil_io.appraisal.additionality`),
        then ``lm3`` (modelled LM3) and ``local_spend`` (£m of the contract spent in the
        area in round 2).
    components : DataFrame
        Provider x component (direct, indirect, induced) for the same six columns.
    """

    contract_value: float
    table: pd.DataFrame
    components: pd.DataFrame
    baseline: str

    def to_frame(self) -> pd.DataFrame:
        """The comparison table (see class attributes)."""
        return self.table.copy()


def compare_providers(
    contract_value: float,
    providers: Mapping[str, Provider] | Sequence[Provider],
    regional_table: IOTable,
    *,
    baseline: str | None = None,
    rates: additionality.Rates | None = None,
    closure: Closure = "household_income",
    household_income: float | None = None,
    respend_share: float | None = None,
) -> ProviderComparison:
    """Local jobs, workplace GVA, local income and LM3 of the same contract delivered by different providers.

    Parameters
    ----------
    contract_value : float
        £ per year.
    providers : mapping or sequence of Provider
        E.g. a local community organisation and a national provider.
    regional_table : IOTable
        The area's table (:func:`kil_io.datasets.regional_iot`).
    baseline : str, optional
        Provider the others are compared with; default the last one.
    rates : Rates, optional
        Gross-to-net rates for every provider, as in :func:`~kil_io.organisation_impact`.
    closure, household_income, respend_share
        The household closure and one re-spend share for the induced effects and LM3's
        round 3, as in :func:`~kil_io.organisation_impact`.

    Returns
    -------
    ProviderComparison

    Raises
    ------
    CaseError
        No providers, a non-positive contract value, or an unknown baseline.
    """
    items = list(providers.values()) if isinstance(providers, Mapping) else list(providers)
    if not items:
        raise CaseError("compare_providers needs at least one provider")
    if not (np.isfinite(contract_value) and contract_value > 0):
        raise CaseError(f"contract value must be a positive number of £, got {contract_value!r}")
    names = [p.name for p in items]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise CaseError(f"providers must have different names; repeated: {repeated}")
    baseline = baseline if baseline is not None else names[-1]
    if baseline not in names:
        raise CaseError(f"baseline {baseline!r} is not one of the providers {names}")
    area, year = regional_table.area, int(regional_table.year or 0)
    rows, parts = {}, {}
    for p in items:
        org = p.organisation(contract_value, area=area, year=year)
        result = organisation_impact(
            org, regional_table, rates=rates, closure=closure, household_income=household_income,
            respend_share=respend_share,
        )  # fmt: skip
        frame = result.to_frame()
        staff_share, supplier_share = modelled_respend_shares(
            regional_table, org.local_spend, closure=closure, household_income=household_income
        )
        if respend_share is not None:
            staff_share = respend_share
        local_suppliers = float(org.local_spend.sum())
        lm3 = lm3_from_shares(
            contract_value, org.local_staff_pay, local_suppliers,
            staff_respend_share=staff_share, supplier_respend_share=supplier_share,
            staff_source="modelled" if respend_share is None else "surveyed", supplier_source="modelled",
        )  # fmt: skip
        rows[p.name] = {
            **frame.loc["total"].to_dict(),
            "lm3": lm3.value,
            "local_spend": (org.local_staff_pay + local_suppliers) / 1e6,
        }
        parts[p.name] = frame.loc[["direct", "indirect", "induced"]]
    table = pd.DataFrame(rows).T
    for name in names:
        if name != baseline:
            table.loc[f"{name} - {baseline}"] = table.loc[name] - table.loc[baseline]
    table.index.name = "provider"
    components = pd.concat(parts, names=["provider", "component"])
    return ProviderComparison(
        contract_value=float(contract_value), table=table, components=components, baseline=baseline
    )
