"""The inputs of a case a simulation draws: the case file's ranges and the model's defaults.

Every input of the impact formulas is an :class:`Input`, named by its place in the case file
(``organisation.staff.local_share``, ``organisation.spending[3].local_share``,
``providers.local.staff_share``, ``additionality.displacement``) or in the model
(``model.delta``, ``model.household_income``, ``model.resident_share``). Those with a
``spread`` are drawn; the others stay at their value. Published figures are never inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

import kil_io.appraisal.additionality as additionality
import kil_io.uncertainty.defaults as defaults
from kil_io.appraisal.distribution import Distribution
from kil_io.appraisal.organisation import Figure, Organisation
from kil_io.errors import CaseError
from kil_io.uncertainty.model import OrgDraws, RateDraws

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kil_io.appraisal.casefile import CaseStudy
    from kil_io.appraisal.commissioning import Provider
    from kil_io.model.table import IOTable

    FloatArray = NDArray[np.float64]

Get = Callable[[str], "FloatArray"]


@dataclass(frozen=True)
class Input:
    """One input of a simulation: its central value and, if uncertain, its distribution.

    Attributes
    ----------
    name : str
        Where it is in the case file (or ``model.*``).
    value : float
        The case's value: the deterministic result is computed at it.
    spread : Distribution or None
        ``None``: fixed.
    unit : str
    source : str
        Where the value, and the range, come from.
    mode : float
        The most likely draw: the value, except for a model default whose evidence puts it
        elsewhere (delta).
    label : str
        What it is, in words (for tables and charts).
    """

    name: str
    value: float
    spread: Distribution | None
    unit: str
    source: str
    mode: float
    label: str = ""

    @property
    def uncertain(self) -> bool:
        """Whether the simulation draws it."""
        return self.spread is not None


def _figure(name: str, fig: Figure, unit: str, label: str) -> Input:
    source = fig.source if fig.spread is None else f"{fig.source} (range: case file, {fig.spread.describe(fig.value)})"
    return Input(name, fig.value, fig.spread, unit, source, fig.value, label)


def _plain(
    name: str, value: float, unit: str, source: str, spread: Distribution | None = None, label: str = ""
) -> Input:
    return Input(name, float(value), spread, unit, source, float(value), label)


def organisation_inputs(org: Organisation, prefix: str = "organisation") -> list[Input]:
    """The inputs of an organisation's accounts (money in £)."""
    out = [
        _figure(f"{prefix}.income", org.income, "£", "income"),
        _figure(f"{prefix}.staff.fte", org.staff_fte, "FTE", "staff FTE"),
        _figure(f"{prefix}.staff.costs", org.staff_costs, "£", "staff costs"),
        _figure(f"{prefix}.staff.local_share", org.staff_local_share, "share", "share of staff living locally"),
        _figure(f"{prefix}.surplus", org.surplus, "£", "surplus"),
        _figure(f"{prefix}.surplus_local_share", org.surplus_local_share, "share", "share of surplus kept locally"),
        _figure(f"{prefix}.enterprises.additionality", org.additionality, "share", "hosted activity additional"),
    ]
    for k, s in enumerate(org.spending):
        what = s.label or s.sector
        out.append(_plain(f"{prefix}.spending[{k}].value", s.value, "£", s.source, label=f"spend: {what}"))
        spread = s.local_share_spread
        note = s.source if spread is None else f"{s.source} (range: case file, {spread.describe(s.local_share)})"
        out.append(_plain(f"{prefix}.spending[{k}].local_share", s.local_share, "share", note, spread,
                          f"bought locally: {what}"))  # fmt: skip
    for k, e in enumerate(org.enterprises):
        out.append(_figure(f"{prefix}.enterprises[{k}].fte", e.fte, "FTE", f"hosted FTE: {e.name}"))
        out.append(_figure(f"{prefix}.enterprises[{k}].turnover", e.turnover, "£", f"hosted turnover: {e.name}"))
    return out


#: Readable names of a provider's figures.
_PROVIDER_FIELDS: dict[str, tuple[str, str]] = {
    "staff_share": ("share", "staff costs per £1"),
    "staff_cost_per_fte": ("£", "staff cost per FTE"),
    "staff_local_share": ("share", "share of staff living locally"),
    "overheads_share": ("share", "overheads per £1 (leave the area)"),
    "surplus_share": ("share", "surplus per £1"),
    "surplus_local_share": ("share", "share of surplus kept locally"),
}


def provider_inputs(provider: Provider, key: str) -> list[Input]:
    """The inputs of a provider (shares of £1 of contract value)."""
    prefix = f"providers.{key}"
    out = [
        _figure(f"{prefix}.{name}", getattr(provider, name), unit, f"{provider.name}: {label}")
        for name, (unit, label) in _PROVIDER_FIELDS.items()
    ]
    for k, s in enumerate(provider.spending):
        what = s.label or s.sector
        out.append(_plain(f"{prefix}.spending[{k}].share", s.share, "share", s.source,
                          label=f"{provider.name}: spend per £1: {what}"))  # fmt: skip
        spread = s.local_share_spread
        note = s.source if spread is None else f"{s.source} (range: case file, {spread.describe(s.local_share)})"
        out.append(_plain(f"{prefix}.spending[{k}].local_share", s.local_share, "share", note, spread,
                          f"{provider.name}: bought locally: {what}"))  # fmt: skip
    return out


def case_inputs(case: CaseStudy, table: IOTable, *, model_defaults: bool = True) -> list[Input]:
    """Every input of a case's simulation, the uncertain and the fixed.

    Parameters
    ----------
    case : CaseStudy
        An organisation or contract case.
    table : IOTable
        The case's regional table (its closure income and resident share).
    model_defaults : bool
        Give the model's own choices their default ranges (:mod:`kil_io.uncertainty.defaults`);
        ``False`` keeps them fixed (only the case file's ranges are drawn).
    """
    if case.organisation is None:
        raise CaseError(f"case '{case.name}' is an {case.kind} case; a simulation needs an organisation or contract")
    out = organisation_inputs(case.organisation)
    for key, provider in case.providers.items():
        out += provider_inputs(provider, key)
    rates = case.rates if case.rates is not None else additionality.preset("central")
    for rate in additionality.RATES:
        fig = getattr(rates, rate)
        if fig is None:
            continue  # leakage from commuting: follows the resident share
        if fig.spread is None and model_defaults and rates.scenario.split(" ")[0] in ("low", "central", "high"):
            spread, note = defaults.rate_spread(rate, fig.value)
            out.append(_plain(f"additionality.{rate}", fig.value, "share", f"{fig.source} (range: {note})", spread,
                              f"{rate} rate"))  # fmt: skip
        else:
            out.append(_figure(f"additionality.{rate}", fig, "share", f"{rate} rate"))
    for name, fig in case.lm3_survey.items():
        out.append(_figure(f"lm3_survey.{name}", fig, "share", f"surveyed {name.replace('_', ' ')}"))
    if case.method in ("flq", "aflq"):
        spread, mode, note = defaults.delta_spread(case.delta) if model_defaults else (None, case.delta, "fixed")
        out.append(Input("model.delta", case.delta, spread, "", f"the case file's {case.delta:g} ({note})", mode,
                         f"{case.method.upper()} delta"))  # fmt: skip
    s_spread, s_mode, s_note = defaults.resident_share_spread(table) if model_defaults else (None, 0.0, "fixed")
    share = float(table.resident_share)
    out.append(Input("model.resident_share", share, s_spread, "share", s_note, s_mode if s_spread else share,
                     "share of local jobs held by residents"))  # fmt: skip
    if case.respend_share is None and table.household_income is not None:
        y_spread, y_note = defaults.household_income_spread(table) if model_defaults else (None, "fixed")
        out.append(_plain("model.household_income", float(table.household_income), "£m", y_note, y_spread,
                          "household income closing the model"))  # fmt: skip
    return out


def inputs_frame(inputs: list[Input]) -> pd.DataFrame:
    """The inputs as a table: value, low, high, distribution, unit, source (one row per input)."""
    rows = {
        i.name: {
            "value": i.value,
            "low": i.spread.low if i.spread else i.value,
            "high": i.spread.high if i.spread else i.value,
            "distribution": i.spread.shape if i.spread else "fixed",
            "mode": i.mode,
            "label": i.label,
            "unit": i.unit,
            "source": i.source,
        }
        for i in inputs
    }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "input"
    return frame


def organisation_draws(org: Organisation, get: Get, sectors: tuple[str, ...], prefix: str = "organisation") -> OrgDraws:
    """The organisation's inputs for the draws ``get`` gives (by name), as :class:`OrgDraws`."""
    spending = range(len(org.spending))
    enterprises = range(len(org.enterprises))
    return OrgDraws(
        income=get(f"{prefix}.income"),
        staff_fte=get(f"{prefix}.staff.fte"),
        staff_costs=get(f"{prefix}.staff.costs"),
        staff_local_share=get(f"{prefix}.staff.local_share"),
        surplus=get(f"{prefix}.surplus"),
        surplus_local_share=get(f"{prefix}.surplus_local_share"),
        spend_value=_columns(get, [f"{prefix}.spending[{k}].value" for k in spending]),
        spend_local_share=_columns(get, [f"{prefix}.spending[{k}].local_share" for k in spending]),
        spend_sector=np.array([sectors.index(s.sector) for s in org.spending], dtype=int),
        enterprise_fte=_columns(get, [f"{prefix}.enterprises[{k}].fte" for k in enterprises]),
        enterprise_turnover=_columns(get, [f"{prefix}.enterprises[{k}].turnover" for k in enterprises]),
        enterprise_sector=np.array([sectors.index(e.sector) for e in org.enterprises], dtype=int),
        additionality=get(f"{prefix}.enterprises.additionality"),
    )


def provider_draws(provider: Provider, key: str, contract_value: float, get: Get, sectors: tuple[str, ...]) -> OrgDraws:
    """A provider delivering ``contract_value`` (£), as :meth:`Provider.organisation` builds it, for the draws."""
    p = f"providers.{key}"
    v = float(contract_value)
    staff = v * get(f"{p}.staff_share")
    zero = np.zeros((staff.shape[0], 0))
    return OrgDraws(
        income=np.full_like(staff, v),
        staff_fte=staff / get(f"{p}.staff_cost_per_fte"),
        staff_costs=staff,
        staff_local_share=get(f"{p}.staff_local_share"),
        surplus=v * get(f"{p}.surplus_share"),
        surplus_local_share=get(f"{p}.surplus_local_share"),
        spend_value=v * _columns(get, [f"{p}.spending[{k}].share" for k in range(len(provider.spending))]),
        spend_local_share=_columns(get, [f"{p}.spending[{k}].local_share" for k in range(len(provider.spending))]),
        spend_sector=np.array([sectors.index(s.sector) for s in provider.spending], dtype=int),
        enterprise_fte=zero,
        enterprise_turnover=zero,
        enterprise_sector=np.zeros(0, dtype=int),
        additionality=np.ones_like(staff),
    )


def rate_draws(get: Get, names: Mapping[str, Input]) -> RateDraws:
    """The gross-to-net rates for the draws; leakage from commuting unless the case gives it."""
    return RateDraws(
        displacement=get("additionality.displacement"),
        substitution=get("additionality.substitution"),
        deadweight=get("additionality.deadweight"),
        leakage=get("additionality.leakage") if "additionality.leakage" in names else None,
    )


def _columns(get: Get, names: list[str]) -> FloatArray:
    if not names:
        return np.zeros((get("model.resident_share").shape[0], 0))
    return np.column_stack([get(n) for n in names])
