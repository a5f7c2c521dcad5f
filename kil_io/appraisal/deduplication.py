r"""What a portfolio would count twice, taken out of its sum: one rule per relation of the portfolio file.

Each rule works on the entries' own appraisals (:class:`~kil_io.appraisal.result.Appraisal`) and
never runs the model again. Worked on the shipped example (``data/portfolios``):

``part_of`` (an organisation inside another)
    Jubilee Children's Centre is run by Halifax Opportunities Trust: its £500k income is part of
    HOT's £5.6m, its 12 staff are among HOT's 140 and its spending among HOT's lines, so every job
    and £ its appraisal finds (direct, indirect, induced) is already in HOT's. All of it is removed:
    the entry is listed, *counted within* HOT, and adds nothing.
``paid_to`` (a contract paid to an organisation already counted)
    A £500k council contract delivered by HOT is £500k of HOT's income; HOT's appraisal spends all
    of its income on staff, suppliers and surplus, so the contract's jobs and GVA are in HOT's
    figures already. All of the contract entry's figures are removed.
``suppliers`` (£ of one entry's local spending paid to another entry)
    When entry A pays £x of its local spending on a line to entry B, that £x is B's income: B's
    appraisal counts the staff it pays (direct), what B buys locally (indirect) and what both
    re-spend (induced). A's appraisal also follows the £x through the local supply chain: the line's
    indirect effect, ``x / local`` of the line's own (Type I, :attr:`Entity.lines`), and the induced
    effect of that supply chain's pay. Both are removed from A: the indirect part from the line's
    effects, the supply-chain induced part in proportion to the pay the £x puts in the supply chain,
    ``x E_pay / sum_k f_k E_pay,k`` of it (Type I pay per £, :attr:`Appraisal.multipliers`), which is
    exactly the share the model gives it (:mod:`kil_io.appraisal.model`: the induced supply-chain
    effect is linear in the supply chain's pay). Local income follows the same pay share. Net figures
    take the spender's own gross-to-net rates of each component
    (:func:`kil_io.appraisal.additionality.net_additional`). B's figures are unchanged.

Only what the other entry's own appraisal already counts is removed: A's direct jobs, A's own
staff's induced effect and A's spending with anyone outside the portfolio stay.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from kil_io.appraisal.additionality import net_additional
from kil_io.appraisal.portfolio import MEASURES, Removal
from kil_io.appraisal.portfoliofile import PortfolioEntry, PortfolioFile, SharedSupply
from kil_io.appraisal.result import Appraisal, Entity
from kil_io.errors import ModelError


def entity_of(entry: PortfolioEntry, appraisal: Appraisal) -> Entity:
    """The organisation an entry counts: the organisation, or for a contract entry the provider delivering it."""
    if entry.contract_value is None:
        if appraisal.organisation is None:
            raise ModelError(f"entry '{entry.name}': the appraisal of '{appraisal.case}' has no organisation")
        return appraisal.organisation
    keys = list(entry.case.providers)
    return appraisal.providers[keys.index(entry.provider)]


def totals_of(entity: Entity) -> dict[str, float]:
    """An entity's totals of :data:`~kil_io.appraisal.portfolio.MEASURES` [FTE or £m]."""
    return {m: entity.total(m) for m in MEASURES}


def removals(portfolio: PortfolioFile, appraisals: Mapping[str, Appraisal]) -> tuple[Removal, ...]:
    """Everything the portfolio would count twice: one :class:`Removal` per relation, in file order.

    Parameters
    ----------
    portfolio : PortfolioFile
    appraisals : mapping
        Entry name -> its appraisal (:func:`kil_io.appraise` of its case, at its contract value).

    Returns
    -------
    tuple of Removal
        For each entry counted within another, its whole figures; for each shared supplier, the part
        of the spender's indirect and supply-chain induced effects that the supplier counts.
    """
    out = []
    for e in portfolio.entries:
        a = appraisals[e.name]
        entity = entity_of(e, a)
        if e.within is not None:
            out.append(Removal(entry=e.name, rule=e.within.rule, within=e.within.entry, area=a.area,
                               area_code=a.area_code, money=e.income, removed=totals_of(entity),
                               source=e.within.source))  # fmt: skip
        out += [supplier_removal(e, s, a, entity) for s in e.suppliers]
    return tuple(out)


def supplier_removal(entry: PortfolioEntry, supply: SharedSupply, appraisal: Appraisal, entity: Entity) -> Removal:
    """The part of ``entity``'s effects that ``supply.value`` of its local spending puts in another entry's.

    Parameters
    ----------
    entry : PortfolioEntry
        The spender.
    supply : SharedSupply
        The supplier entry, the line and the amount [£ a year].
    appraisal : Appraisal
        The spender's appraisal (its multipliers give each line's Type I pay per £).
    entity : Entity
        The spender's organisation or provider in it (:func:`entity_of`).

    Returns
    -------
    Removal
        ``removed`` [FTE, £m], and in ``detail`` the numbers it is worked from: the line's local
        spending [£] and indirect FTE [FTE] and GVA [£m], the share of it paid to the supplier, and
        the supply chain's pay share [share].

    Raises
    ------
    ModelError
        A line bought locally from an industry without a Type I pay effect in the area's table.
    """
    lines = entity.lines
    matched = lines.iloc[list(supply.lines)]
    local = float(matched["local"].sum())
    share = supply.value / local
    pay = _pay_per_pound(appraisal, lines, entry.name)
    chain_pay = float((lines["local"] * pay).sum())  # £ of Type I pay the whole supply chain holds
    pay_share = share * float((matched["local"] * pay.iloc[list(supply.lines)]).sum()) / chain_pay if chain_pay else 0
    detail, fig = entity.detail, entity.figures
    induced_fte = float(detail.loc["induced: staff", "fte"] + detail.loc["induced: supply chain", "fte"])
    chain_part = float(detail.loc["induced: supply chain", "fte"]) / induced_fte if induced_fte > 0 else 0.0
    gross = {
        ("indirect", "fte"): share * float(matched["fte"].sum()),
        ("indirect", "gva"): share * float(matched["gva"].sum()),
        ("indirect", "local_income"): pay_share * float(fig.loc["indirect", "local_income"]),
        ("induced", "fte"): pay_share * float(detail.loc["induced: supply chain", "fte"]),
        ("induced", "gva"): pay_share * float(detail.loc["induced: supply chain", "gva"]),
        ("induced", "local_income"): pay_share * chain_part * float(fig.loc["induced", "local_income"]),
    }
    removed: dict[str, float] = {}
    for m in ("fte", "gva", "local_income"):
        removed[m] = gross[("indirect", m)] + gross[("induced", m)]
        removed[f"{m}_net"] = sum(_net(entity, c, m, gross[(c, m)]) for c in ("indirect", "induced"))
    worked = {
        "line_value": float(matched["value"].sum()), "line_local": local, "line_fte": float(matched["fte"].sum()),
        "line_gva": float(matched["gva"].sum()), "share_of_line": share, "supply_chain_pay_share": pay_share,
        "indirect_fte": gross[("indirect", "fte")], "indirect_gva": gross[("indirect", "gva")],
        "induced_fte": gross[("induced", "fte")], "induced_gva": gross[("induced", "gva")],
    }  # fmt: skip
    return Removal(entry=entry.name, rule="shared supplier", within=supply.entry, area=appraisal.area,
                   area_code=appraisal.area_code, money=supply.value, removed=removed, line=supply.line,
                   source=supply.source, detail=worked)  # fmt: skip


def _pay_per_pound(appraisal: Appraisal, lines: pd.DataFrame, entry: str) -> pd.Series:
    """Type I pay per £ of each spending line's industry [£ per £1] (NaN refused where the line buys locally)."""
    pay = appraisal.multipliers["pay_per_1_type_i"].reindex(lines["sector"]).reset_index(drop=True)
    pay.index = lines.index
    bad = lines.index[(lines["local"] > 0) & ~np.isfinite(pay.to_numpy(dtype=float))]
    if len(bad):
        k = int(bad[0])
        raise ModelError(f"entry '{entry}': spending line {k} ({lines.loc[k, 'sector']}) is bought locally but the "
                         f"{appraisal.area} table has no Type I pay effect for it")  # fmt: skip
    return pay.where(lines["local"] > 0, 0.0)


def _net(entity: Entity, component: str, measure: str, gross: float) -> float:
    """Net of ``gross`` with the entity's rates for ``component`` (local income is never reduced for leakage)."""
    r = entity.rates.loc[component]
    leakage = 0.0 if measure == "local_income" else float(r["leakage"])
    return float(net_additional(gross, leakage=leakage, displacement=float(r["displacement"]),
                                substitution=float(r["substitution"]), deadweight=float(r["deadweight"])))  # fmt: skip


__all__ = ["entity_of", "removals", "supplier_removal", "totals_of"]
