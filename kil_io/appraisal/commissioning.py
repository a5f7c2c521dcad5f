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
from kil_io.appraisal.impact import household_closure
from kil_io.appraisal.inputs import constant, provider_draws, provider_inputs, rate_draws, rate_inputs, values_of
from kil_io.appraisal.model import COMPONENTS, MEASURES, effect_tables, evaluate
from kil_io.appraisal.organisation import Provider, ProviderSpend
from kil_io.errors import CaseError, LabelError
from kil_io.model.closure import Closure
from kil_io.model.table import IOTable

#: Columns of a provider's figures: gross and net FTE [FTE], workplace GVA and local income [£m].
_COLUMNS: list[str] = [c for m in MEASURES for c in (m, f"{m}_net")]


def _check_provider_sectors(table: IOTable, provider: Provider) -> None:
    unknown = sorted({s.sector for s in provider.spending} - set(table.sectors))
    if unknown:
        raise LabelError(f"table {table.label}: provider '{provider.name}' buys from sectors the table does not have: "
                         f"{unknown[:5]}")  # fmt: skip


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
    rates = rates if rates is not None else additionality.preset("central")
    closing = household_closure(regional_table, closure, household_income, None, respend_share)
    keyed = dict(providers) if isinstance(providers, Mapping) else {f"provider{k}": p for k, p in enumerate(items)}
    inputs = rate_inputs(rates) + [i for key, p in keyed.items() for i in provider_inputs(p, key)]
    values = values_of(inputs)
    get = constant(values)
    tables = effect_tables(regional_table)
    rows, parts = {}, {}
    for key, p in keyed.items():
        _check_provider_sectors(regional_table, p)
        draws = provider_draws(p, key, contract_value, get, regional_table.sectors)
        result = evaluate(tables, [0], draws, rate_draws(get, values), [closing["household_income"]],
                          [closing["resident_share"]])  # fmt: skip
        rows[p.name] = {k: float(v[0]) for k, v in result.totals().items()}
        frame = pd.DataFrame(
            {**{m: result.gross[0, j] for j, m in enumerate(MEASURES)},
             **{f"{m}_net": result.net[0, j] for j, m in enumerate(MEASURES)}},
            index=pd.Index(list(COMPONENTS), name="component"),
        )  # fmt: skip
        parts[p.name] = frame[_COLUMNS].loc[["direct", "indirect", "induced"]]
    table = pd.DataFrame(rows).T[[*_COLUMNS, "lm3", "local_spend"]]
    for name in names:
        if name != baseline:
            table.loc[f"{name} - {baseline}"] = table.loc[name] - table.loc[baseline]
    table.index.name = "provider"
    components = pd.concat(parts, names=["provider", "component"])
    return ProviderComparison(
        contract_value=float(contract_value), table=table, components=components, baseline=baseline
    )


#: ``Provider`` and ``ProviderSpend`` live in :mod:`kil_io.appraisal.organisation` (the data model) and stay
#: importable from here.
__all__ = ["Provider", "ProviderComparison", "ProviderSpend", "compare_providers"]
