"""``appraise(case) -> Appraisal`` at every input's value: the central figures of an organisation or contract case.

The case's local table is built once (:func:`kil_io.datasets.regional_iot`), every input is
listed with its unit, source and basis (:func:`kil_io.appraisal.inputs.case_inputs`), and the
appraisal model (:func:`kil_io.appraisal.model.evaluate`) is evaluated at every input's value
for the organisation and for each provider of the contract. The result carries what every
renderer needs (:class:`kil_io.appraisal.result.Appraisal`); :func:`kil_io.appraise` adds the
ranges of a Monte Carlo over the uncertain inputs (:mod:`kil_io.uncertainty`).

Examples
--------
>>> import kil_io
>>> result = kil_io.appraisal.appraise(kil_io.case_study("halifax_opportunities_trust"))  # doctest: +SKIP
>>> result.figure("fte_net").value  # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

import kil_io.appraisal.additionality as additionality
import kil_io.appraisal.defaults as defaults
from kil_io import datasets
from kil_io._version import __version__
from kil_io.appraisal.casestudy import case_on
from kil_io.appraisal.contract import DEFAULT_RANK
from kil_io.appraisal.headline import (
    BID_HEADLINE,
    CONTRACT_HEADLINE,
    CONTRACT_VALUE,
    LOTS_HEADLINE,
    ORGANISATION_HEADLINE,
    comparison_of,
    headline_of,
)
from kil_io.appraisal.inputs import (
    MODEL_GROUP,
    Input,
    constant,
    figure_input,
    organisation_draws,
    organisation_inputs,
    plain_input,
    provider_draws,
    provider_inputs,
    rate_draws,
    rate_inputs,
    values_of,
    with_survey,
)
from kil_io.appraisal.model import (
    COMPONENTS,
    FTE,
    GVA,
    MEASURES,
    PARTS,
    PAY,
    EffectTables,
    Evaluation,
    OrgDraws,
    effect_tables,
    evaluate,
    per_household_income,
)
from kil_io.appraisal.organisation import Spend
from kil_io.appraisal.places import by_place
from kil_io.appraisal.result import Appraisal, Entity, Headline
from kil_io.appraisal.sensitivity import sensitivity
from kil_io.appraisal.tender import MEASURES as TENDER_MEASURES
from kil_io.appraisal.tender import Tender, tender_of
from kil_io.errors import CaseError, KilIOWarning, PlausibilityWarning
from kil_io.model.closure import closure_income_for
from kil_io.model.multipliers import direct_coefficients, multipliers

if TYPE_CHECKING:
    from kil_io.appraisal.casefile import CaseStudy
    from kil_io.appraisal.organisation import Enterprise, Organisation, ProviderSpend
    from kil_io.model.table import IOTable

#: Group of a tender's contract and lot values among the inputs.
CONTRACT = "Contract"


def appraise(
    case: CaseStudy,
    *,
    contract_value: float | None = None,
    table: IOTable | None = None,
    places: bool = False,
) -> Appraisal:
    """The appraisal of an organisation or contract case at every input's value (no ranges yet).

    Parameters
    ----------
    case : CaseStudy
        An organisation or contract case (:func:`kil_io.case_study`, shipped or your own file).
    contract_value : float, optional
        Appraise the contract: the same service of this value [£ a year] by each of the case's
        providers, the headline being what the first provider adds over the last. Default: the
        organisation's own impact (its providers, if any, compared at its income).
    table : IOTable, optional
        The local table; default :func:`kil_io.datasets.regional_iot` of the case's area, year,
        method and delta.
    places : bool
        Also say where each entity's effects are, by GB authority (:attr:`Appraisal.by_place`, from the
        interregional model of every authority: :mod:`kil_io.appraisal.places`; the model is built once per
        process, about 10 s, then a few seconds a case).

    Returns
    -------
    Appraisal
        Every headline's ``range`` is ``None`` (:func:`kil_io.appraise` adds them).

    Raises
    ------
    CaseError
        An area case, or a contract value for a case without providers, or a value that is not a
        positive number of £.
    """
    if case.organisation is None and case.contract is None:
        raise CaseError(f"case '{case.name}' is an {case.kind} case; an appraisal needs an organisation or contract")
    if contract_value is None and case.contract is not None:
        contract_value = case.contract.value.value
    if contract_value is not None:
        if not case.providers:
            raise CaseError(f"case '{case.name}' has no providers to deliver a contract of £{contract_value:,.0f}")
        if isinstance(contract_value, bool) or not (np.isfinite(contract_value) and contract_value > 0):
            raise CaseError(f"contract value must be a positive number of £, got {contract_value!r}")
    if table is None:
        table = datasets.regional_iot(case.area, case.year, method=case.method, delta=case.delta)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", KilIOWarning)
        case, moved = case_on(case, table.sectors)  # a 2019-2022 code on 2023's table: C254 -> C25, noted
        for note in moved:
            warnings.warn(note, KilIOWarning, stacklevel=2)
        org = case.organisation
        inputs = case_inputs(case, table)
        values = values_of(inputs)
        get = constant(values)
        tables = effect_tables(table, delta=case.delta)
        Y, s, respend_source = _closure(case, table, values)
        rates = rate_draws(get, values)
        organisation = None
        if org is not None:
            own = with_survey(organisation_draws(org, get, table.sectors), get, values)
            ev = evaluate(tables, [0], own, rates, [Y], [s])
            organisation = _entity(org.name, "organisation", "organisation", org.income.value, ev, org.spending,
                                   table, respend_source, org.enterprises, inputs)  # fmt: skip
        value = float(contract_value) if contract_value is not None else org.income.value  # type: ignore[union-attr]

        def deliver(key: str, amount: float) -> Evaluation:
            """The model for provider ``key`` delivering ``amount`` [£ a year] of the contract."""
            p = case.providers[key]
            draws = with_survey(provider_draws(p, key, amount, get, table.sectors), get, values, suppliers=False)
            return evaluate(tables, [0], draws, rates, [Y], [s])

        providers = tuple(
            _entity(p.name, "provider", f"providers.{key}", value, deliver(key, value), p.spending, table,
                    respend_source)
            for key, p in case.providers.items()
        )  # fmt: skip
        buyers: list[tuple[str, OrgDraws, float]] = []
        if places:
            if org is not None and contract_value is None:
                buyers.append((org.name, own, 0.0))
            for key, p in case.providers.items():
                draws = with_survey(provider_draws(p, key, value, get, table.sectors), get, values, suppliers=False)
                buyers.append((p.name, draws, value * float(values[f"providers.{key}.overheads_share"])))
        sectors = _sectors_used(org, case, table)
        household = per_household_income(tables, [0], [Y], [s])[0]
        frames = _multipliers(table, sectors, Y, s, tables)
        # a delta row re-makes the table from the shipped data, so that sensitivity builds its own base table too
        given = None if "delta" in case.sensitivity else table
        # the tables it rebuilds are on the UK table of the case's own (a 2022 table's case stays on 2022)
        label = str(table.metadata.get("national_table", "")).split()
        year = int(label[-1]) if label and label[-1].isdigit() else None
        sens = sensitivity(case, case.sensitivity, given, national_year=year) if case.sensitivity else None
        tender = None
        if contract_value is not None and len(providers) >= 2:
            tender = _tender(case, providers, value, deliver)
    where: pd.DataFrame | None = None
    where_notes: tuple[str, ...] = ()
    if buyers:
        where, where_notes = by_place(case.area, buyers, table.sectors, year=int(case.year), method=case.method,
                                      delta=float(case.delta), national_year=_national_year(table, case))  # fmt: skip
    notes = tuple(dict.fromkeys(str(w.message) for w in caught if not issubclass(w.category, PlausibilityWarning)))
    plausibility = tuple(dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, PlausibilityWarning)))
    focus: Literal["organisation", "contract"] = "contract" if contract_value is not None else "organisation"
    comparison = comparison_of(providers) if providers else None
    headline = headline_of(organisation, comparison, value, focus, tender if case.contract is not None else None)
    meta = table.metadata
    return Appraisal(
        case=case.name, title=case.title, kind=case.kind, description=case.description.strip(),
        source=str(case.path) if case.path is not None else case.name,
        area=case.area, area_code=str(meta.get("area_code", "")), year=int(case.year),
        national_year=_national_year(table, case),
        method=case.method, delta=float(case.delta),
        table={
            "label": table.label.strip("'"),
            "resident_share": s,
            "resident_share_source": str(meta.get("resident_share_source", "")),
            "household_income": Y,
            "household_income_source": str(meta.get("household_income_source", "")),
            "respend_share": float(tables.spent[0] / Y),
            "respend_source": respend_source,
            "employment_estimated": bool(meta.get("employment_estimated", False)),
            "fte_source": str(meta.get("employment_fte", "")),
            "sectors": int(table.n),
        },
        focus=focus, contract_value=value if providers else None,
        organisation=None if focus == "contract" else organisation,
        providers=providers, comparison=comparison, headline=headline,
        # a contract's figures use the providers' inputs, not the organisation's own accounts
        inputs=tuple(i for i in inputs if focus == "organisation" or not i.name.startswith("organisation.")),
        multipliers=frames,
        household_effect={"fte": float(household[FTE]), "gva": float(household[GVA] * tables.unit / 1e6),
                          "pay": float(household[PAY] * tables.unit / 1e6)},
        sensitivity=sens, tender=tender,
        published=_published(case, organisation) if organisation is not None and focus == "organisation" else None,
        history=_history(case, headline),
        checks=case.records_checks, notes=plausibility + notes, version=__version__,
        records=tuple({"role": r.role, "file": r.file, "rows": r.rows} for r in case.records),
        by_place=where, by_place_notes=where_notes,
    )  # fmt: skip


def _national_year(table: IOTable, case: CaseStudy) -> int:
    """The year of the UK table the case's local table was regionalised from."""
    return int(str(table.metadata.get("national_table", f"UK {datasets.national_year_for(case.year)}")).split()[-1])


def case_inputs(case: CaseStudy, table: IOTable, *, model_defaults: bool = True) -> list[Input]:
    """Every input of an organisation or contract case, the uncertain and the fixed, typed.

    Parameters
    ----------
    case : CaseStudy
        An organisation or contract case.
    table : IOTable
        The case's regional table (its closure income and resident share).
    model_defaults : bool
        Give the model's own choices their default ranges (:mod:`kil_io.appraisal.defaults`);
        ``False`` keeps them fixed (only the case file's ranges are drawn).

    Returns
    -------
    list of Input
        The organisation's figures, each provider's, the gross-to-net rates, any surveyed
        re-spend shares, then the model's own: delta, the resident share and the household
        income closing the model.
    """
    if case.organisation is None and case.contract is None:
        raise CaseError(f"case '{case.name}' is an {case.kind} case; an appraisal needs an organisation or contract")
    out = organisation_inputs(case.organisation) if case.organisation is not None else []
    if case.contract is not None:
        out.append(figure_input("contract.value", case.contract.value, "£", "the contract's value a year", CONTRACT))
        out += [plain_input(f"contract.lots[{k}].value", lot.value, "£", lot.source, label=f"lot {lot.name}: value a "
                            "year", group=CONTRACT) for k, lot in enumerate(case.contract.lots)]  # fmt: skip
    for key, provider in case.providers.items():
        out += provider_inputs(provider, key)
    out += rate_inputs(case.rates if case.rates is not None else additionality.preset("central"),
                       model_defaults=model_defaults)  # fmt: skip
    for name, fig in case.lm3_survey.items():
        what = "staff" if name.startswith("staff") else "suppliers"
        out.append(figure_input(f"lm3_survey.{name}", fig, "share", f"share {what} re-spend locally (surveyed)",
                           MODEL_GROUP))  # fmt: skip
    if case.method in ("flq", "aflq"):
        spread, mode, note = (
            defaults.delta_spread(case.delta, case.method) if model_defaults else (None, case.delta, "")
        )
        out.append(Input("model.delta", case.delta, spread, "", f"assumption: the case file's {case.delta:g}", mode,
                         f"how much local firms buy locally ({case.method.upper()} delta)", "assumption", MODEL_GROUP,
                         note))  # fmt: skip
    share = float(table.resident_share)
    s_spread, s_mode, s_note = defaults.resident_share_spread(table) if model_defaults else (None, share, "")
    s_source = str(table.metadata.get("resident_share_source", "the table's"))
    estimated = s_source.casefold().startswith("estimate")
    out.append(Input("model.resident_share", share, s_spread, "share", s_source, s_mode if s_spread else share,
                     "share of the area's jobs held by its residents", "assumption" if estimated else "publication",
                     MODEL_GROUP, s_note if s_spread else ""))  # fmt: skip
    if case.respend_share is None and table.household_income is not None:
        y_spread, y_note = defaults.household_income_spread(table) if model_defaults else (None, "")
        y_source = str(table.metadata.get("household_income_source", "the table's"))
        out.append(plain_input("model.household_income", float(table.household_income), "£m", y_source, y_spread,
                               "households' total income, which their spending is a share of", group=MODEL_GROUP,
                               basis="publication", range_source=y_note))  # fmt: skip
    return out


def _closure(case: CaseStudy, table: IOTable, values: Mapping[str, float]) -> tuple[float, float, str]:
    """The closure income ``Y`` [£m], the resident share ``s`` [share] and the re-spend's source, at the inputs."""
    s = float(values["model.resident_share"])
    if case.respend_share is not None:
        survey = case.lm3_survey["staff_respend_share"]
        return closure_income_for(table, case.respend_share), s, f"surveyed: {survey.source}"
    return float(values["model.household_income"]), s, "modelled: local household spending / household income"


def _entity(
    name: str,
    role: Literal["organisation", "provider"],
    key: str,
    income: float,
    ev: Evaluation,
    spending: Sequence[Spend] | Sequence[ProviderSpend],
    table: IOTable,
    respend_source: str,
    enterprises: Sequence[Enterprise] = (),
    inputs: Sequence[Input] = (),
) -> Entity:
    index = pd.Index(list(COMPONENTS), name="component")
    columns = {}
    for j, m in enumerate(MEASURES):
        columns[m] = ev.gross[0, j]
        columns[f"{m}_net"] = ev.net[0, j]
    figures = pd.DataFrame(columns, index=index)
    figures.loc["total"] = figures.sum()
    rates = pd.DataFrame(ev.rates[0].T, index=index, columns=["leakage", "displacement", "substitution", "deadweight"])
    detail = pd.DataFrame(ev.parts[0], index=pd.Index(list(PARTS), name="part"), columns=["fte", "gva"])
    names = dict(zip(table.sectors, table.names, strict=True))
    value_key = "value" if role == "organisation" else "share"
    lines = pd.DataFrame(
        {
            "label": [(s.label or s.sector).replace("_", " ") for s in spending],
            "sector": [s.sector for s in spending],
            "industry": [names[s.sector] for s in spending],
            "value": [s.value if isinstance(s, Spend) else s.share * income for s in spending],
            "local_share": [s.local_share for s in spending],
            "fte": ev.lines[0, 0],
            "gva": ev.lines[0, 1],
            "input": [f"{key}.spending[{k}].{value_key}" for k in range(len(spending))],
            "source": [s.source for s in spending],
        },
        index=pd.RangeIndex(len(spending), name="line"),
    )
    lines.insert(5, "local", lines["value"] * lines["local_share"])
    r1, staff, suppliers, staff_share, supplier_share, lm3 = (float(v) for v in ev.lm3[0])
    r3 = staff * staff_share + suppliers * supplier_share
    lm3_frame = pd.DataFrame(
        {
            "value": [r1, staff, suppliers, r3, lm3],
            "share": [np.nan, staff_share, supplier_share, np.nan, np.nan],
            "source": ["income", "pay of staff living locally", "spending with local suppliers",
                       "what staff and suppliers re-spend locally", "(R1 + R2 + R3) / R1"],
        },
        index=pd.Index(["round1", "round2: staff", "round2: suppliers", "round3", "lm3"], name="round"),
    )  # fmt: skip
    lm3_frame.loc["round2: staff", "source"] += f"; re-spent: {respend_source}"
    survey = next((i for i in inputs if i.name == "lm3_survey.supplier_respend_share"), None)
    lm3_frame.loc["round2: suppliers", "source"] += (
        f"; re-spent: surveyed: {survey.source}"
        if survey is not None and role == "organisation"
        else "; re-spent: modelled: local purchases and residents' pay per £"
    )
    hosted = pd.DataFrame(
        {"name": [e.name for e in enterprises], "sector": [e.sector for e in enterprises],
         "industry": [names[e.sector] for e in enterprises],
         "input": [f"{key}.enterprises[{k}]" for k in range(len(enterprises))]},
        index=pd.RangeIndex(len(enterprises), name="business"),
    )  # fmt: skip
    return Entity(name=name, role=role, key=key, income=float(income), figures=figures, rates=rates, detail=detail,
                  lines=lines, lm3=lm3_frame, local_spend=float(ev.local_spend[0]), enterprises=hosted)  # fmt: skip


def _sectors_used(org: Organisation | None, case: CaseStudy, table: IOTable) -> list[str]:
    lines = [] if org is None else [s.sector for s in org.spending] + [e.sector for e in org.enterprises]
    lines += [s.sector for p in case.providers.values() for s in p.spending]
    return [s for s in table.sectors if s in set(lines)]


def _multipliers(table: IOTable, sectors: list[str], Y: float, s: float, tables: EffectTables) -> pd.DataFrame:
    """The local multipliers of the industries the case buys from (Type I and II, the case's closure)."""
    with warnings.catch_warnings():
        # sectors with no output here get NaN ratios and a warning each; the case's own lines say so once
        warnings.simplefilter("ignore", KilIOWarning)
        one = multipliers(table, "type_i")
        two = multipliers(table, "type_ii", household_income=Y, resident_share=s)
    direct = direct_coefficients(table)
    idx = [table.sectors.index(c) for c in sectors]
    names = dict(zip(table.sectors, table.names, strict=True))
    to_m = tables.unit / 1e6
    return pd.DataFrame(
        {
            "industry": [names[c] for c in sectors],
            "output_type_i": one.loc[sectors, "output_multiplier"].to_numpy(),
            "output_type_ii": two.loc[sectors, "output_multiplier"].to_numpy(),
            "fte_per_1m_type_i": one.loc[sectors, "employment_effect"].to_numpy(),
            "fte_per_1m_type_ii": two.loc[sectors, "employment_effect"].to_numpy(),
            "gva_per_1_type_i": one.loc[sectors, "gva_effect"].to_numpy(),
            "gva_per_1_type_ii": two.loc[sectors, "gva_effect"].to_numpy(),
            "pay_per_1_type_i": one.loc[sectors, "income_effect"].to_numpy(),
            "pay_per_1_type_ii": two.loc[sectors, "income_effect"].to_numpy(),
            "fte_per_1m_direct": direct[FTE, idx] / to_m,
            "gva_per_1_direct": direct[GVA, idx],
            "pay_per_1_direct": direct[PAY, idx],
        },
        index=pd.Index(sectors, name="sector"),
    )


def _tender(
    case: CaseStudy, providers: tuple[Entity, ...], value: float, deliver: Callable[[str, float], Evaluation]
) -> Tender:
    """The bids (or providers) compared at the contract's value, and each on the lots it bids for."""
    figures = {p.name: {m: _provider_figure(p, m) for m in TENDER_MEASURES} for p in providers}
    contract = case.contract
    names = {key: p.name for key, p in case.providers.items()}
    on_lot = None
    if contract is not None and contract.lots:
        on_lot = {}
        for lot in contract.lots:
            for key in lot.bids:
                ev = deliver(key, lot.value)
                on_lot[(lot.name, names[key])] = {**{m: float(v[0]) for m, v in ev.totals().items()},
                                                  "local_spend": float(ev.local_spend[0])}  # fmt: skip
    rank_by = contract.rank_by if contract is not None else DEFAULT_RANK
    return tender_of(value, figures, rank_by=rank_by, contract=contract, names=names, on_lot=on_lot)


def _provider_figure(p: Entity, measure: str) -> float:
    return p.lm3_value if measure == "lm3" else p.local_spend if measure == "local_spend" else p.total(measure)


def _history(case: CaseStudy, headline: tuple[Headline, ...]) -> pd.DataFrame | None:
    """How a shipped case's headline figures moved between releases (none for a user's own case)."""
    shipped = case.path is not None and case.path.parent == datasets.data_dir() / "case_studies"
    if not shipped or case.moved_from:  # in another area than its file's, its history is not this case's
        return None
    frame = datasets.case_history(case.name)
    frame = frame[frame["figure"].isin([h.label for h in headline])].reset_index(drop=True)
    return frame if len(frame) else None


def _published(case: CaseStudy, organisation: Entity) -> pd.DataFrame | None:
    if not case.published:
        return None
    units = {"fte": "FTE", "gva": "£m", "lm3": "£ per £1"}
    rows = {}
    for key, fig in case.published.items():
        model = organisation.lm3_value if key == "lm3" else organisation.total(key)
        net = np.nan if key == "lm3" else organisation.total(f"{key}_net")
        rows[key] = {"model (gross)": model, "model (net)": net, "published": fig.value / (1e6 if key == "gva" else 1),
                     "unit": units.get(key, ""), "source": fig.source}  # fmt: skip
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "measure"
    return frame


__all__ = [
    "BID_HEADLINE",
    "CONTRACT_HEADLINE",
    "CONTRACT_VALUE",
    "LOTS_HEADLINE",
    "ORGANISATION_HEADLINE",
    "appraise",
    "case_inputs",
]
