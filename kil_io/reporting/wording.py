"""The words of a brief, written from an :class:`~kil_io.appraisal.result.Appraisal`.

Page 1 speaks plainly (no FLQ, δ, BRES or LFS: the method and glossary on page 2 name them);
every number passes through :mod:`kil_io.reporting.formatting`; every sentence is made from the
appraisal's own inputs (how many are records, publications and assumptions, where staff live,
the gross-to-net rates, what the records disagree on).
"""

from __future__ import annotations

from datetime import UTC, datetime

from kil_io.appraisal.result import Appraisal, Entity, Headline
from kil_io.reporting import formatting as fmt
from kil_io.reporting import tender

#: Words for the gross-to-net rates, on page 1.
RATE_WORDS: dict[str, str] = {
    "displacement": "taken from other local organisations",
    "substitution": "swapped for the funded activity",
    "deadweight": "would have happened anyway",
}


def figure(h: Headline) -> str:
    """A headline figure with its range: ``"96 FTE (62–109, 90% range)"``, or why it has none."""
    kind = fmt.kind_of(h.unit)
    if h.range is None:
        return fmt.number(h.value, kind) + (f" ({h.no_range})" if h.no_range else "")
    spread = {"low": h.range.low, "high": h.range.high, "level": h.range.level}
    return fmt.figure_with_range(h.value, spread, kind)


def jobs(h: Headline, noun: str = "jobs") -> str:
    """FTE jobs with their range in words: ``"96 full-time equivalent jobs (62–109, 90% range)"``."""
    text = f"{fmt.fte(h.value, unit=False)} full-time equivalent {noun}"
    return f"{text} ({range_text(h)})" if h.range is not None else text


def range_text(h: Headline) -> str:
    """The range alone (``"62–109, 90% range"``), or why there is none."""
    if h.range is None:
        return h.no_range or "not estimated"
    return fmt.range_text({"low": h.range.low, "high": h.range.high, "level": h.range.level}, fmt.kind_of(h.unit),
                          h.value)  # fmt: skip


def footer_text(a: Appraisal) -> str:
    """Source and data-year line under a chart."""
    where = fmt.place(a.area)
    return (
        f"Source: kil_io model of the {where} economy from the ONS UK input-output tables {a.national_year} and "
        f"{a.year} local employment; inputs from the case file (listed on page 2)."
    )


def per_pound(a: Appraisal) -> str:
    """What each £1 of income (or of the contract) does locally, in words."""
    where = fmt.place(a.area)
    if a.is_tender:
        return tender.per_pound(a)
    if a.focus == "contract" and a.contract_value:
        fte, gva, lm3 = a.figure("difference: fte"), a.figure("difference: gva"), a.figure("difference: lm3")
        per = gva.value * 1e6 / a.contract_value
        per_m = fte.value / (a.contract_value / 1e6)
        return (
            f"Per £1 of council spend, the local provider supports £{per:,.2f} more of local GVA than the national "
            f"provider ({fmt.fte(per_m)} more local jobs per £1m), and its money goes round the local economy more: "
            f"LM3 {lm3.value:+.2f}."
        )
    org = a.organisation
    assert org is not None
    gva_per = org.total("gva") * 1e6 / org.income
    spend = "of council spend" if a.kind == "contract" else "of its income"
    return (
        f"Each £1 {spend} supports about £{gva_per:,.2f} of GVA in {where}'s workplaces (gross) and, following the "
        f"money for three rounds, is worth £{org.lm3_value:,.2f} to the local economy (LM3)."
    )


def headline_sentence(a: Appraisal) -> str:
    """One plain sentence with the headline figures: net first, then gross."""
    where = fmt.place(a.area)
    if a.is_tender:
        return tender.sentence(a)
    if a.focus == "contract":
        fte, gva = a.figure("difference: fte"), a.figure("difference: gva")
        local, national = a.providers[0].name, a.providers[-1].name
        ahead = f" (ahead in {fmt.share(fte.range.p_ahead)} of the simulated cases)" if fte.range else ""
        return (
            f"Delivering the same {fmt.money(a.contract_value)} contract through {local} rather than {national} "
            f"supports about {jobs(fte, 'more local jobs')}{ahead} and {figure(gva)} more local GVA a year in "
            f"{where}."
        )
    net_fte, net_gva = a.figure("fte_net"), a.figure("gva_net")
    fte, gva = a.figure("fte"), a.figure("gva")
    return (
        f"{a.title} supports about {jobs(net_fte)} and {figure(net_gva)} of GVA a year in {where} that would not "
        f"otherwise be there (net); counting every job and £ its spending supports, {jobs(fte)} and {figure(gva)} of "
        "GVA (gross)."
    )


def gross_to_net(a: Appraisal) -> str:
    """The gross-to-net rates used, in words, for page 1."""
    where = fmt.place(a.area)
    ent = a.organisation or a.providers[0]
    rates = ent.rates
    bits = [f"{fmt.share(rates.loc['indirect', r])} {RATE_WORDS[r]} ({r})" for r in RATE_WORDS]
    leak = (
        f"benefits to people living outside {where} (leakage): {fmt.share(rates.loc['direct', 'leakage'])} of the "
        f"direct jobs' pay and {fmt.share(rates.loc['indirect', 'leakage'])} elsewhere, from where staff and the "
        "area's workers live"
    )
    extra = ""
    if "enabled" in rates.index and ent.figures.loc["enabled", "fte"] > 0:
        extra = f"; for hosted businesses, {fmt.share(rates.loc['enabled', 'deadweight'])} would be in the area anyway"
    return f"Net figures deduct {', '.join(bits)}, and {leak}{extra}."


def inputs_sentence(a: Appraisal) -> str:
    """How many inputs are records, publications and assumptions, told truly."""
    c = a.basis_counts()
    n = sum(c.values())
    parts = []
    own = "come from the bids themselves" if a.is_tender else "come from the organisation's own records"
    for basis, words in (("record", own),
                         ("publication", "from official statistics"),
                         ("assumption", "are labelled assumptions")):  # fmt: skip
        parts.append(f"{'none' if c[basis] == 0 else c[basis]} {words}")
    return f"Of the {n} inputs, {parts[0]}, {parts[1]} and {parts[2]}; page 2 lists each with its source."


def caveats(a: Appraisal) -> list[str]:
    """Plain-language caveats written from the appraisal: inputs, records checks, commuting, comparisons."""
    where = fmt.place(a.area)
    out = [inputs_sentence(a) + " The figures firm up as records replace assumptions."]
    if a.checks:
        first = a.checks[0].split(";")[0].split(" (")[0]
        more = f", and {len(a.checks) - 1} more" if len(a.checks) > 1 else ""
        out.append(f"The organisation's records do not all agree, or leave gaps (page 2 lists each): {first}{more}.")
    share = float(a.table.get("resident_share", float("nan")))
    estimated = "estimate" in str(a.table.get("resident_share_source", "")).casefold()
    origin = "an estimate: no census flows are shipped for it" if estimated else "from the 2021 Census"
    out.append(
        f"Only the pay of people living in {where} is counted as spent there ({_staff_shares(a)}); "
        f"{fmt.share(share)} of the area's jobs are held by its residents ({origin})."
    )
    notes = [h for h in a.headline if h.note]
    if notes:
        which = ", ".join(fmt.label_for(h.label).text for h in notes)
        out.append(
            f"Some central figures sit off the middle of their range ({which}): the uncertain inputs' ranges are not "
            "centred on their values, so most draws give another figure; page 2 says which way for each."
        )
    if a.focus == "contract":
        out.append(
            "What may be scored is what a bidder commits to deliver (local hires, staff living locally, local "
            "suppliers), not where it is based (Procurement Act 2023; page 2 says more)."
        )
    if a.published is not None and len(a.published):
        shown = "; ".join(
            f"{fmt.of(row['published'], str(row['unit']))} {'jobs' if key == 'fte' else str(key).upper()}"
            for key, row in a.published.iterrows()
        )
        out.append(f"A published study gave {shown}: shown for comparison only, never used as inputs.")
    return out


def _staff_shares(a: Appraisal) -> str:
    entities: list[Entity] = [a.organisation] if a.organisation is not None else list(a.providers)
    shares = []
    for e in entities:
        key = f"{e.key}.staff.local_share" if e.role == "organisation" else f"{e.key}.staff_local_share"
        found = [i for i in a.inputs if i.name == key]
        if found:
            shares.append(f"{e.name}: {fmt.share(found[0].value)} of staff pay, {found[0].basis}")
    return "; ".join(shares) or "no staff"


def method_paragraph(a: Appraisal) -> str:
    """The method in one paragraph, for page 2 (names the technique; the glossary explains it)."""
    where = fmt.place(a.area)
    who = "each bid's (or provider's) own" if a.focus == "contract" else "the organisation's own"
    bids = (
        " Each pair of bids is compared in the same draws of the local economy: a bid ranks ahead of another when it "
        "supports more in at least 90% of them, else the two cannot be told apart."
        if a.is_tender
        else ""
    )
    return (
        f"The local economy of {where} is the UK input-output table for {a.national_year} (ONS, "
        f"{a.table.get('sectors', 105)} industries) regionalised with {a.year} employment by industry (BRES) using "
        f"location quotients ({a.method.upper()}, δ = {a.delta:g}). Direct jobs and GVA are {who} "
        "staff, and its staff costs plus surplus; indirect effects follow the spending bought from local suppliers "
        "through the local supply chain (Type I); induced effects add the local re-spending of pay by staff and by "
        "suppliers' staff who live in the area (Type II, households' spending per £ of their total income). Net "
        "figures apply the Additionality Guide's leakage, displacement, substitution and deadweight to each "
        "component once. Ranges are the 5th to 95th percentiles of the model over draws of every uncertain input."
        + bids
    )


GLOSSARY: dict[str, str] = {
    "FTE": "full-time equivalent jobs",
    "GVA": "gross value added: pay plus operating surplus, the economy's output less what it buys in",
    "LM3": "Local Multiplier 3 (New Economics Foundation): income, plus what is spent locally, plus what that is "
    "re-spent locally, per £1 of income",
    "Type I / Type II": "effects through the local supply chain / also through local households' re-spending",
    "FLQ, δ": "Flegg's location quotient, which scales national purchases to local ones; δ sets how much a small "
    "area buys from outside",
    "BRES": "ONS Business Register and Employment Survey (jobs by industry and area)",
    "Gross / net": "every job supported / only those that would not otherwise be in the area",
}


def vintage_line(a: Appraisal, finished: str = "") -> str:
    """Data vintage and licence."""
    when = finished[:10] or datetime.now(UTC).strftime("%Y-%m-%d")
    estimated = "estimate" in str(a.table.get("fte_source", ""))
    carried = f", the latest year's carried to {a.national_year} (an estimate)" if estimated else ""
    return (
        f"Data: ONS UK input-output analytical tables {a.national_year}; ONS BRES {a.year} via Nomis; FTE by "
        f"industry derived from the Labour Force Survey (STAPM, University of Sheffield){carried}; Census 2021 "
        "commuting and regional household accounts (ONS). Contains public sector information licensed under the "
        f"Open Government Licence v3.0. Made with kil_io {a.version} on {when}."
    )
