"""Every input of an appraisal, typed: value, unit, source, basis and (if uncertain) its range.

Every input of the appraisal model (:mod:`kil_io.appraisal.model`) is an :class:`Input`, named
by its place in the case file (``organisation.staff.local_share``,
``organisation.spending[3].local_share``, ``providers.local.staff_share``,
``additionality.displacement``) or in the model (``model.delta``, ``model.household_income``,
``model.resident_share``). Each says its ``basis``: a ``record`` of the organisation's, a
``publication`` (official statistics, published guidance) or a labelled ``assumption``. Those
with a ``spread`` are drawn by :mod:`kil_io.uncertainty`; the deterministic result is the model
at every input's value. Published study figures are never inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

import kil_io.appraisal.additionality as additionality
import kil_io.appraisal.defaults as defaults
from kil_io.appraisal.distribution import Distribution
from kil_io.appraisal.model import OrgDraws, RateDraws
from kil_io.appraisal.organisation import Figure, Organisation
from kil_io.errors import CaseError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kil_io.appraisal.organisation import Provider

    FloatArray = NDArray[np.float64]

Get = Callable[[str], "FloatArray"]
Basis = Literal["record", "publication", "assumption"]
#: Assumptions :func:`kil_io.appraisal.sensitivity.sensitivity` can vary, and what each sets.
SENSITIVITY_KNOBS: dict[str, str] = {
    "staff_local_share": "share of staff costs paid to staff living in the area",
    "spending_local_share": "local share of every spending line",
    "additionality": "share of hosted enterprises' activity counted as additional",
    "enterprise_scale": "hosted enterprises' FTE and turnover, times this factor",
    "delta": "FLQ delta of the regional table",
    "staff_respend_share": "share of local staff pay re-spent locally (LM3 round 3 and the induced effects, as a "
    "survey would give it)",
}


#: The bases of an input, as a reader is told them.
BASES: dict[str, str] = {
    "record": "from the organisation's own records",
    "publication": "from official statistics or published guidance",
    "assumption": "labelled assumptions",
}


def basis_of(source: str) -> Basis:
    """An input's basis from its source note: ``assumption: ...`` (or ``default: ...``), ``public: ...``, else a record.

    The case file's convention (:mod:`kil_io.appraisal.casefile`): ``"assumption: ..."`` for the
    analyst's labelled estimates, ``"public: ..."`` for published facts; ``kil-io new-case`` writes
    ``"records: ..."``. A note with none of these prefixes is taken to be the organisation's own
    figure (its accounts or records).

    Examples
    --------
    >>> basis_of("assumption: national energy suppliers")
    'assumption'
    >>> basis_of("records: suppliers.csv, 28 rows")
    'record'
    """
    head = source.strip().casefold()
    if head.startswith(("assumption", "default", "sensitivity")):
        return "assumption"
    if head.startswith(("public", "publication", "published", "census", "ons ", "guidance")):
        return "publication"
    return "record"


@dataclass(frozen=True)
class Input:
    """One input of a simulation: its central value and, if uncertain, its distribution.

    Attributes
    ----------
    name : str
        Where it is in the case file (or ``model.*``).
    value : float
        The case's value: the deterministic result is computed at it [``unit``].
    spread : Distribution or None
        ``None``: fixed.
    unit : str
        ``"£"``, ``"£m"``, ``"FTE"``, ``"share"`` or ``""`` (a ratio).
    source : str
        Where the value, and the range, come from.
    mode : float
        The most likely draw: the value, except for a model default whose evidence puts it
        elsewhere [``unit``].
    label : str
        What it is, in words (for tables and charts).
    basis : {"record", "publication", "assumption"}
        Where the value comes from, in kind (:data:`BASES`).
    group : str
        Whose input it is: the organisation's or a provider's name, ``"Gross to net"`` or
        ``"Local economy"``.
    range_source : str
        Where the range comes from (``"case file"``, or the evidence behind a model default); empty
        without a range.
    """

    name: str
    value: float
    spread: Distribution | None
    unit: str
    source: str
    mode: float
    label: str = ""
    basis: Basis = "record"
    group: str = ""
    range_source: str = ""

    @property
    def uncertain(self) -> bool:
        """Whether the simulation draws it."""
        return self.spread is not None


def figure_input(name: str, fig: Figure, unit: str, label: str, group: str) -> Input:
    """A case-file :class:`~kil_io.appraisal.organisation.Figure` as an input (its range, if any, noted)."""
    where = "" if fig.spread is None else "case file"
    return Input(name, fig.value, fig.spread, unit, fig.source, fig.value, label, basis_of(fig.source), group, where)


def plain_input(
    name: str,
    value: float,
    unit: str,
    source: str,
    spread: Distribution | None = None,
    label: str = "",
    *,
    group: str,
    basis: Basis | None = None,
    range_source: str = "",
) -> Input:
    """An input from a plain value; its basis from the source note unless given."""
    kind = basis if basis is not None else basis_of(source)
    where = range_source or ("case file" if spread is not None else "")
    return Input(name, float(value), spread, unit, source, float(value), label, kind, group, where)


def organisation_inputs(org: Organisation, prefix: str = "organisation") -> list[Input]:
    """The inputs of an organisation's accounts (money [£], staff [FTE], shares [share])."""
    g = org.name
    staff_share = "share of staff pay to staff living locally"
    out = [
        figure_input(f"{prefix}.income", org.income, "£", "income", g),
        figure_input(f"{prefix}.staff.fte", org.staff_fte, "FTE", "staff", g),
        figure_input(f"{prefix}.staff.costs", org.staff_costs, "£", "staff costs (pay, employer's NI and pension)", g),
        figure_input(f"{prefix}.staff.local_share", org.staff_local_share, "share", staff_share, g),
        figure_input(f"{prefix}.surplus", org.surplus, "£", "surplus", g),
        figure_input(f"{prefix}.surplus_local_share", org.surplus_local_share, "share", "surplus kept locally", g),
    ]  # fmt: skip
    if org.enterprises:
        out.append(figure_input(f"{prefix}.enterprises.additionality", org.additionality, "share",
                           "share of hosted activity that is additional", g))  # fmt: skip
    for k, s in enumerate(org.spending):
        what = s.label.replace("_", " ") if s.label else s.sector
        out.append(
            plain_input(f"{prefix}.spending[{k}].value", s.value, "£", s.source, label=f"spending: {what}", group=g)
        )
        spread = s.local_share_spread
        out.append(plain_input(f"{prefix}.spending[{k}].local_share", s.local_share, "share", s.source, spread,
                          f"share bought locally: {what}", group=g, basis=basis_of(s.source)))  # fmt: skip
    for k, e in enumerate(org.enterprises):
        out.append(figure_input(f"{prefix}.enterprises[{k}].fte", e.fte, "FTE", f"hosted business staff: {e.name}", g))
        out.append(figure_input(f"{prefix}.enterprises[{k}].turnover", e.turnover, "£", f"hosted business turnover: "
                           f"{e.name}", g))  # fmt: skip
    return out


#: Readable names of a provider's figures.
_PROVIDER_FIELDS: dict[str, tuple[str, str]] = {
    "staff_share": ("share", "staff costs, share of the contract"),
    "staff_cost_per_fte": ("£", "staff cost per FTE"),
    "staff_local_share": ("share", "share of staff pay to staff living locally"),
    "overheads_share": ("share", "head-office overheads leaving the area, share of the contract"),
    "surplus_share": ("share", "surplus, share of the contract"),
    "surplus_local_share": ("share", "share of surplus kept locally"),
}


def provider_inputs(provider: Provider, key: str) -> list[Input]:
    """The inputs of a provider (shares of £1 of contract value [share], staff cost per FTE [£])."""
    prefix, g = f"providers.{key}", provider.name
    out = [
        figure_input(f"{prefix}.{name}", getattr(provider, name), unit, label, g)
        for name, (unit, label) in _PROVIDER_FIELDS.items()
    ]
    for k, s in enumerate(provider.spending):
        what = s.label.replace("_", " ") if s.label else s.sector
        out.append(plain_input(f"{prefix}.spending[{k}].share", s.share, "share", s.source,
                          label=f"spending: {what}, share of the contract", group=g))  # fmt: skip
        spread = s.local_share_spread
        out.append(plain_input(f"{prefix}.spending[{k}].local_share", s.local_share, "share", s.source, spread,
                          f"share bought locally: {what}", group=g, basis=basis_of(s.source)))  # fmt: skip
    return out


#: Group of the gross-to-net rates and of the model's own inputs in :func:`case_inputs`.
RATES_GROUP, MODEL_GROUP = "Gross to net", "Local economy"


#: Words for the gross-to-net rates.
RATE_LABELS: dict[str, str] = {
    "leakage": "leakage: benefits to people outside the area",
    "displacement": "displacement: activity taken from other local organisations",
    "substitution": "substitution: activity swapped for the funded one",
    "deadweight": "deadweight: what would have happened anyway",
}


def rate_inputs(rates: additionality.Rates, *, model_defaults: bool = False) -> list[Input]:
    """The gross-to-net rates as inputs [share]; a preset's rates get the presets' range with ``model_defaults``.

    Leakage ``None`` (from commuting) is no input: it follows the resident share.
    """
    out = []
    for rate in additionality.RATES:
        fig = getattr(rates, rate)
        if fig is None:
            continue
        if fig.spread is None and model_defaults and rates.scenario.split(" ")[0] in ("low", "central", "high"):
            spread, note = defaults.rate_spread(rate, fig.value)
            out.append(plain_input(f"additionality.{rate}", fig.value, "share", fig.source, spread, RATE_LABELS[rate],
                                   group=RATES_GROUP, basis=basis_of(fig.source), range_source=note))  # fmt: skip
        else:
            out.append(figure_input(f"additionality.{rate}", fig, "share", RATE_LABELS[rate], RATES_GROUP))
    return out


def values_of(inputs: list[Input]) -> dict[str, float]:
    """Input name -> its value (the deterministic result's inputs) [each input's unit]."""
    return {i.name: i.value for i in inputs}


def constant(values: Mapping[str, float], size: int = 1) -> Get:
    """A ``get`` for :func:`organisation_draws` and the like: every input at its value, ``size`` draws."""

    def get(name: str) -> FloatArray:
        if name not in values:
            raise CaseError(f"the appraisal has no input {name!r}")
        return np.full(size, float(values[name]))

    return get


def inputs_frame(inputs: list[Input] | tuple[Input, ...]) -> pd.DataFrame:
    """The inputs as a table: value, low, high, distribution, mode, label, unit, basis, group, source (a row each)."""
    rows = {
        i.name: {
            "value": i.value,
            "low": i.spread.low if i.spread else i.value,
            "high": i.spread.high if i.spread else i.value,
            "distribution": i.spread.shape if i.spread else "fixed",
            "mode": i.mode,
            "label": i.label,
            "unit": i.unit,
            "basis": i.basis,
            "group": i.group,
            "source": i.source,
            "range_source": i.range_source,
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
    size = len(get(f"{prefix}.income"))
    return OrgDraws(
        income=get(f"{prefix}.income"),
        staff_fte=get(f"{prefix}.staff.fte"),
        staff_costs=get(f"{prefix}.staff.costs"),
        staff_local_share=get(f"{prefix}.staff.local_share"),
        surplus=get(f"{prefix}.surplus"),
        surplus_local_share=get(f"{prefix}.surplus_local_share"),
        spend_value=_columns(get, [f"{prefix}.spending[{k}].value" for k in spending], size),
        spend_local_share=_columns(get, [f"{prefix}.spending[{k}].local_share" for k in spending], size),
        spend_sector=np.array([sectors.index(s.sector) for s in org.spending], dtype=np.intp),
        enterprise_fte=_columns(get, [f"{prefix}.enterprises[{k}].fte" for k in enterprises], size),
        enterprise_turnover=_columns(get, [f"{prefix}.enterprises[{k}].turnover" for k in enterprises], size),
        enterprise_sector=np.array([sectors.index(e.sector) for e in org.enterprises], dtype=np.intp),
        additionality=get(f"{prefix}.enterprises.additionality") if org.enterprises else np.ones(size),
    )


def provider_draws(provider: Provider, key: str, contract_value: float, get: Get, sectors: tuple[str, ...]) -> OrgDraws:
    """A provider delivering ``contract_value`` (£), as :meth:`Provider.organisation` builds it, for the draws."""
    p = f"providers.{key}"
    v = float(contract_value)
    staff = v * get(f"{p}.staff_share")
    size = staff.shape[0]
    zero = np.zeros((size, 0))
    return OrgDraws(
        income=np.full_like(staff, v),
        staff_fte=staff / get(f"{p}.staff_cost_per_fte"),
        staff_costs=staff,
        staff_local_share=get(f"{p}.staff_local_share"),
        surplus=v * get(f"{p}.surplus_share"),
        surplus_local_share=get(f"{p}.surplus_local_share"),
        spend_value=v * _columns(get, [f"{p}.spending[{k}].share" for k in range(len(provider.spending))], size),
        spend_local_share=_columns(
            get, [f"{p}.spending[{k}].local_share" for k in range(len(provider.spending))], size
        ),
        spend_sector=np.array([sectors.index(s.sector) for s in provider.spending], dtype=np.intp),
        enterprise_fte=zero,
        enterprise_turnover=zero,
        enterprise_sector=np.zeros(0, dtype=np.intp),
        additionality=np.ones_like(staff),
    )


def with_survey(draws: OrgDraws, get: Get, names: Mapping[str, object], *, suppliers: bool = True) -> OrgDraws:
    """The draws with the case's surveyed re-spend shares (``lm3_survey.*``), where it has them.

    A staff share is the page's one re-spend model (the induced effects and LM3's round 3, for the
    organisation and every provider); a supplier share is of this organisation's suppliers, so
    ``suppliers=False`` for a provider.
    """
    staff = get("lm3_survey.staff_respend_share") if "lm3_survey.staff_respend_share" in names else None
    supplier = None
    if suppliers and "lm3_survey.supplier_respend_share" in names:
        supplier = get("lm3_survey.supplier_respend_share")
    return replace(draws, staff_respend=staff, supplier_respend=supplier)


def rate_draws(get: Get, names: Mapping[str, object]) -> RateDraws:
    """The gross-to-net rates for the draws; leakage from commuting unless the case gives it."""
    return RateDraws(
        displacement=get("additionality.displacement"),
        substitution=get("additionality.substitution"),
        deadweight=get("additionality.deadweight"),
        leakage=get("additionality.leakage") if "additionality.leakage" in names else None,
    )


def _columns(get: Get, names: list[str], size: int) -> FloatArray:
    if not names:
        return np.zeros((size, 0))
    return np.column_stack([get(n) for n in names])
