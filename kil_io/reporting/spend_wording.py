"""The words of a council's spend impact, written from a :class:`~kil_io.records.spend_result.SpendImpact`.

Every number passes through :mod:`kil_io.reporting.formatting` (units on every figure: £, £m, FTE,
shares as percentages); every sentence is made from the result's own figures, inputs and notes, so
the notebook page, the brief and the command line say the same thing.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

from kil_io.appraisal.result import Headline
from kil_io.records.spend_result import SpendImpact
from kil_io.reporting import formatting as fmt
from kil_io.reporting import wording


def _jobs(h: Headline, more: str = "") -> str:
    """``"2.1 more full-time equivalent jobs (2.0–2.2, 90% range)"``."""
    text = f"{fmt.fte(h.value, unit=False)} {more}full-time equivalent jobs"
    return f"{text} ({wording.range_text(h)})" if h.range is not None else text


def ledger_sentence(r: SpendImpact) -> str:
    """The CLES headline: the share of the council's payments, by £, that went to local suppliers."""
    led = r.ledger
    return (
        f"{fmt.share(led['local_share'])} of the council's {fmt.money(led['total'])} of payments in the ledger, "
        f"weighted by £, went to suppliers in {r.area}: {fmt.money(led['local_value'])}."
    )


def impact_sentence(r: SpendImpact) -> str:
    """What today's local spend supports, gross and net, with ranges."""
    fte, gva, fte_net, gva_net = (r.figure(k) for k in ("fte", "gva", "fte_net", "gva_net"))
    counted = fmt.money(r.ledger["mapped_local"])
    return (
        f"The {counted} of it placed in an industry supports about {_jobs(fte)} and {wording.figure(gva)} of GVA in "
        f"{r.area}'s workplaces (gross); net of what would be there anyway, {_jobs(fte_net)} and "
        f"{wording.figure(gva_net)}."
    )


def shift_description(r: SpendImpact) -> str:
    """The shifts in words: ``"25% of the spend with suppliers outside Leeds on 'Repairs' and 25% on 'Home care'"``."""
    if r.shifts is None or not len(r.shifts):
        return ""
    parts = [f"{fmt.share(row['share'])}{' of the spend with suppliers outside ' + r.area if k == 0 else ''} on "
             f"'{row['what']}'" for k, (_, row) in enumerate(r.shifts.iterrows())]  # fmt: skip
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def shift_sentence(r: SpendImpact) -> str:
    """What the shift adds, gross and net, with ranges (empty without a shift)."""
    if not r.shifted:
        return ""
    fte, gva, fte_net, gva_net = (r.figure(f"extra: {k}") for k in ("fte", "gva", "fte_net", "gva_net"))
    moved = fmt.money(r.figure("moved").value)
    return (
        f"Moving {shift_description(r)} to suppliers in {r.area} ({moved} in all) would support about "
        f"{_jobs(fte, 'more ')} "
        f"and {wording.figure(gva)} more GVA (gross); net, {_jobs(fte_net, 'more ')} and {wording.figure(gva_net)}."
    )


def period_note(r: SpendImpact) -> str:
    """What period the figures are for: a ledger of less than a year is not a year's spend."""
    first, last = r.ledger.get("first_date", ""), r.ledger.get("last_date", "")
    head = "The figures treat the ledger's spend as a year's: jobs are full-time equivalents for a year."
    if not first or not last:
        return head + " The ledger has no payment dates, so check the period it covers."
    start, end = date.fromisoformat(str(first)), date.fromisoformat(str(last))
    days = (end - start).days + 1
    if days >= 330:
        return head + f" Its payments run from {_day(start)} to {_day(end)}."
    return (
        f"{head} This ledger's payments run from {_day(start)} to {_day(end)} ({days} days): if the council spends at "
        f"this rate all year, a year's spend supports about {math.floor(365 / days + 0.5):,} times these figures."
    )


def _day(d: date) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"


def inputs_sentence(r: SpendImpact) -> str:
    """How many inputs are records, publications and assumptions."""
    c = r.basis_counts()
    n = sum(c.values())
    return (
        f"Of the {n} inputs, {c['record'] or 'none'} come from the council's ledger, {c['publication'] or 'none'} "
        f"from official statistics and {c['assumption'] or 'none'} are labelled assumptions (the gross-to-net rates, "
        "how much local firms buy locally, the shift); page 2 lists each with its source."
    )


def caveats(r: SpendImpact) -> list[str]:
    """Plain-language caveats written from the result."""
    share = float(r.table.get("resident_share", math.nan))
    estimated = "estimate" in str(r.table.get("resident_share_source", "")).casefold()
    out = [
        inputs_sentence(r),
        period_note(r),
        (
            "A supplier counts as local by where it is (its postcode), not by where its staff live: a local branch of "
            f"a national firm counts as local. Only the pay of people living in {r.area} is counted as spent there; "
            f"{fmt.share(share)} of the area's jobs are held by its residents "
            f"({'an estimate' if estimated else 'Census 2021'})."
        ),
    ]
    out += [n for n in r.notes if "no industry" in n or "no known supplier place" in n or "not read" in n]
    off = [h for h in r.headline if h.note]
    if off:
        which = ", ".join(fmt.label_for(h.label).text for h in off)
        out.append(
            f"Some central figures sit off the middle of their range ({which}): the gross-to-net rates' ranges are "
            "not centred on the central preset's values, so most draws give another figure."
        )
    return out


def method_paragraph(r: SpendImpact) -> str:
    """The method in one paragraph (names the technique; the glossary explains it)."""
    return (
        f"The local economy of {r.area} is the UK input-output table for {r.national_year} (ONS, "
        f"{r.table.get('sectors', 104)} industries) regionalised with {r.year} employment by industry (BRES) using "
        f"location quotients ({r.method.upper()}, δ = {r.delta:g}). Each payment is placed in the industry it buys "
        "from by its expense type (kil_io's table of words, or the council's own), and counts as local by the share "
        f"of its supplier's postcode in {r.area}. The local spend in each industry is final demand for it: indirect "
        "effects are the local suppliers' own jobs, GVA and pay and those of their local supply chains (Type I); "
        "induced effects add local households' re-spending of residents' pay (Type II, households' spending per £ of "
        "their total income). Net figures apply the Additionality Guide's leakage, displacement, substitution and "
        "deadweight once. Ranges are the 5th to 95th percentiles of the model over draws of δ (how much local firms "
        "buy locally), the resident share, households' income and the gross-to-net rates; today and the shift see "
        "the same draws, so the extra is a like-for-like difference."
    )


def vintage_line(r: SpendImpact, finished: str = "") -> str:
    """Data vintage and licence."""
    when = finished[:10] or datetime.now(UTC).strftime("%Y-%m-%d")
    return (
        f"Data: the council's ledger ({r.ledger.get('file', '')}); ONS UK input-output analytical tables "
        f"{r.national_year}; ONS BRES {r.year} via Nomis; FTE by industry from the Labour Force Survey (STAPM, "
        "University of Sheffield); Census 2021 commuting and regional household accounts (ONS); ONS Postcode "
        "Directory. Contains public sector information licensed under the Open Government Licence v3.0. Made with "
        f"kil_io {r.version} on {when}."
    )


def footer_text(r: SpendImpact) -> str:
    """Source and data-year line under a chart."""
    return (
        f"Source: {r.ledger.get('file', 'the ledger')}; kil_io model of the {r.area} economy from the ONS UK "
        f"input-output tables {r.national_year} and {r.year} local employment."
    )


__all__ = [
    "caveats",
    "footer_text",
    "impact_sentence",
    "inputs_sentence",
    "ledger_sentence",
    "method_paragraph",
    "period_note",
    "shift_description",
    "shift_sentence",
    "vintage_line",
]
