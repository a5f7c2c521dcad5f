"""The headline of an appraisal: which figures lead, with their labels, units and basis (gross or net).

An organisation's headline is its own impact; a contract that compares providers of an organisation's
service leads with what the first provider adds over the last (the baseline); a tender leads with
each bid's figures, its pairs and ranking being the tender's (:mod:`kil_io.appraisal.tender`).
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from kil_io.appraisal.model import PROVIDER_TOTALS
from kil_io.appraisal.result import Entity, Headline
from kil_io.appraisal.tender import LOTS_GAIN, Tender

#: Headline of an organisation: ``headline.json`` label -> (measure, unit, basis).
ORGANISATION_HEADLINE: dict[str, tuple[str, str, Literal["gross", "net", ""]]] = {
    "Local jobs (FTE)": ("fte", "FTE", "gross"),
    "Net additional local jobs (FTE)": ("fte_net", "FTE", "net"),
    "Local GVA (£m)": ("gva", "£m", "gross"),
    "Net additional local GVA (£m)": ("gva_net", "£m", "net"),
    "Local income (£m)": ("local_income", "£m", "gross"),
    "LM3 (£ per £1 of income)": ("lm3", "£ per £1", ""),
}
#: Headline of a contract: label -> (measure of the local-minus-baseline difference, unit, basis).
CONTRACT_HEADLINE: dict[str, tuple[str, str, Literal["gross", "net", ""]]] = {
    "Extra local jobs with the local provider (FTE)": ("fte", "FTE", "gross"),
    "Extra net additional local jobs (FTE)": ("fte_net", "FTE", "net"),
    "Extra local GVA with the local provider (£m)": ("gva", "£m", "gross"),
    "Extra local income with the local provider (£m)": ("local_income", "£m", "gross"),
    "LM3 difference (£ per £1)": ("lm3", "£ per £1", ""),
}
#: Label of a contract's value in its headline (an input: no range).
CONTRACT_VALUE = "Contract value (£)"
#: Headline of each bid of a tender: label (after the bid's name) -> (measure, unit, basis).
BID_HEADLINE: dict[str, tuple[str, str, Literal["gross", "net", ""]]] = {
    "local jobs (FTE)": ("fte", "FTE", "gross"),
    "net additional local jobs (FTE)": ("fte_net", "FTE", "net"),
    "local GVA (£m)": ("gva", "£m", "gross"),
    "local income (£m)": ("local_income", "£m", "gross"),
    "LM3 (£ per £1)": ("lm3", "£ per £1", ""),
}
#: Headline of a lotted tender: what every lot to its winner gives over the whole contract to its winner.
LOTS_HEADLINE: dict[str, tuple[str, str, Literal["gross", "net", ""]]] = {
    "Lots against one contract: local jobs (FTE)": ("fte", "FTE", "gross"),
    "Lots against one contract: net additional local jobs (FTE)": ("fte_net", "FTE", "net"),
    "Lots against one contract: local GVA (£m)": ("gva", "£m", "gross"),
}


def comparison_of(providers: tuple[Entity, ...]) -> pd.DataFrame:
    """Each provider's totals, and each one's difference from the last (the baseline)."""
    rows = {p.name: {m: (p.lm3_value if m == "lm3" else p.local_spend if m == "local_spend" else p.total(m))
                     for m in PROVIDER_TOTALS} for p in providers}  # fmt: skip
    frame = pd.DataFrame(rows).T
    baseline = providers[-1].name
    for p in providers[:-1]:
        frame.loc[f"{p.name} - {baseline}"] = frame.loc[p.name] - frame.loc[baseline]
    frame.index.name = "provider"
    return frame


def headline_of(
    organisation: Entity | None, comparison: pd.DataFrame | None, value: float, focus: str, tender: Tender | None
) -> tuple[Headline, ...]:
    """The headline figures: an organisation's, a contract's difference between providers, or a tender's bids."""
    if tender is not None:  # a tender: each bid's figures (the pairs and the ranking are the tender's)
        out = [Headline("contract_value", CONTRACT_VALUE, "£", "", float(value),
                        no_range="an input: the contract's value")]  # fmt: skip
        out += [
            Headline(f"bid: {bid}: {m}", f"{bid}: {label}", unit, basis, float(tender.figure(bid, m)["value"]))
            for bid in tender.names for label, (m, unit, basis) in BID_HEADLINE.items()
        ]  # fmt: skip
        if tender.totals is not None:
            out += [
                Headline(f"lots: {m}", label, unit, basis, float(tender.totals.loc[(LOTS_GAIN, m), "value"]))
                for label, (m, unit, basis) in LOTS_HEADLINE.items()
            ]  # fmt: skip
        return tuple(out)
    if focus == "organisation":
        assert organisation is not None  # an organisation focus has its organisation
        return tuple(
            Headline(key=m, label=label, unit=unit, basis=basis,
                     value=organisation.lm3_value if m == "lm3" else organisation.total(m))
            for label, (m, unit, basis) in ORGANISATION_HEADLINE.items()
        )  # fmt: skip
    assert comparison is not None
    difference = comparison.iloc[-1]
    out = [Headline("contract_value", CONTRACT_VALUE, "£", "", float(value), no_range="an input: the contract's value")]
    out += [
        Headline(f"difference: {m}", label, unit, basis, float(difference[m]))
        for label, (m, unit, basis) in CONTRACT_HEADLINE.items()
    ]
    return tuple(out)


__all__ = [
    "BID_HEADLINE",
    "CONTRACT_HEADLINE",
    "CONTRACT_VALUE",
    "LOTS_HEADLINE",
    "ORGANISATION_HEADLINE",
    "comparison_of",
    "headline_of",
]
