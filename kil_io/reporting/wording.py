"""The words of a brief, written from the case: headline sentence, caveats, method, data vintage and licence.

Every number passes through :mod:`kil_io.reporting.formatting`; every caveat is made from the
case's own inputs (what is recorded and what assumed, where staff live against Census
commuting, additionality and its source, published figures kept for comparison).
"""

from __future__ import annotations

from datetime import UTC, datetime

from kil_io import datasets
from kil_io.errors import DatasetError
from kil_io.reporting import formatting as fmt
from kil_io.reporting.casereport import CaseReport, source_kind


def footer_text(report: CaseReport) -> str:
    """Source and data-year line for the chart."""
    s = report.study
    return (
        f"Source: kil_io model of {s.area} ({s.method.upper()} δ = {s.delta:g}) from ONS input-output tables "
        f"{report.national_year} and BRES {s.year}; inputs from the case file (see page 2)."
    )


def headline_sentence(report: CaseReport) -> str:
    """One plain sentence with the headline figures (net first when the run estimated net figures)."""
    figures = fmt.headline_figures(report.headline)
    s = report.study

    def pick(kind: str, basis: str) -> tuple[float | None, dict | None] | None:
        for _key, label, value, spread in figures:
            if label.kind == kind and label.basis == basis and value is not None:
                return value, spread
        return None

    if report.components is None and report.contract_value is not None:
        jobs, gva = pick("fte", "gross") or (None, None), pick("money_m", "gross") or (None, None)
        return (
            f"Delivering the same {fmt.money(report.contract_value)} contract through the local community provider "
            f"rather than a national one supports about {fmt.fte(jobs[0])} more local jobs and "
            f"{fmt.money(gva[0], unit='£m')} more local GVA a year in {s.area}."
        )
    parts = []
    for basis in ("net", "gross"):
        jobs, gva = pick("fte", basis), pick("money_m", basis)
        bits = []
        if jobs:
            bits.append(f"{fmt.figure_with_range(jobs[0], jobs[1], 'fte')} of local jobs")
        if gva:
            bits.append(f"{fmt.figure_with_range(gva[0], gva[1], 'money_m')} of local GVA")
        if bits:
            parts.append((basis, " and ".join(bits)))
    if not parts:
        return f"{report.title}: see the figures below."
    (basis, text), rest = parts[0], parts[1:]
    if basis == "net":
        sentence = f"{report.title} supports, net of what would have happened anyway, {text} a year in {s.area}"
    else:
        sentence = f"{report.title} supports {text} a year in {s.area} (gross)"
    if rest:
        sentence += f"; gross, before additionality: {rest[0][1]}"
    return sentence + "."


def caveats(report: CaseReport) -> list[str]:
    """Three or four plain-language caveats written from the case's inputs and headline."""
    s, inputs = report.study, report.inputs
    kinds = inputs["source"].map(source_kind)
    n, assumed, published = len(inputs), int((kinds == "assumption").sum()), int((kinds == "published").sum())
    records = n - assumed - published
    if assumed == n:
        first = f"All {n} inputs are labelled assumptions; none yet comes from the organisation's own records"
    else:
        first = (
            f"{assumed} of the {n} inputs are labelled assumptions, {records} come from the organisation's own "
            f"records and {published} from published figures"
        )
    out = [f"{first}. The figures firm up as records replace assumptions (page 2 lists every input and its source)."]
    local_staff = _staff_local_shares(report)
    try:
        c = datasets.commuting(s.area)
        census = f"in the 2021 Census {fmt.share(c.resident_share)} of jobs in {s.area} were held by its residents"
    except (DatasetError, KeyError):
        census = "no census commuting figure is shipped for this area"
    out.append(
        f"Only the pay of staff who live in {s.area} is counted as re-spent locally ({local_staff}); "
        f"for comparison, {census}. Jobs are counted where they are worked; some are held by commuters."
    )
    org = s.organisation
    net = any(label.basis == "net" for _k, label, _v, _s in fmt.headline_figures(report.headline))
    if org is not None and org.enterprises:
        add = (
            f"Jobs in the {len(org.enterprises)} hosted business(es) count at an additionality rate of "
            f"{fmt.share(org.additionality.value)} ({_source_phrase(org.additionality.source)})"
        )
    else:
        add = "No hosted businesses are counted"
    if net:
        out.append(f"{add}. Net figures deduct what would have happened anyway; gross figures are shown beside them.")
    else:
        out.append(
            f"{add}. All figures are gross: no deadweight, displacement or substitution is deducted, so they are "
            "jobs and GVA the spending supports, not jobs it created."
        )
    if s.published:
        shown = "; ".join(
            f"{_published_value(k, v.value)} ({_source_phrase(v.source)})" for k, v in s.published.items()
        )
        out.append(f"Published study figures are for comparison only, never inputs: {shown}.")
    return out[:4]


def _published_value(key: str, value: float) -> str:
    if key == "fte":
        return f"{fmt.fte(value)} supported"
    if key == "gva":
        return f"{fmt.money(value)} GVA"
    return f"LM3 of {fmt.ratio(value)}" if key == "lm3" else f"{key} {value:g}"


def _source_phrase(source: str) -> str:
    head, _, rest = source.partition(":")
    kind = source_kind(source)
    text = rest.strip() if rest.strip() else head.strip()
    return f"{kind}: {text}" if kind != "record" else text


def _staff_local_shares(report: CaseReport) -> str:
    s = report.study
    bits = []
    if report.components is not None and s.organisation is not None:
        staff = s.organisation.staff_local_share
        bits.append(f"{fmt.share(staff.value)}, {source_kind(staff.source)}")
    else:
        for p in s.providers.values():
            bits.append(f"{p.name}: {fmt.share(p.staff_local_share.value)}, {source_kind(p.staff_local_share.source)}")
    return "; ".join(bits)


def method_paragraph(report: CaseReport) -> str:
    """The method in one paragraph."""
    s = report.study
    return (
        f"The local economy of {s.area} is the UK input-output table for {report.national_year} (ONS, 105 industries) "
        f"regionalised with {s.year} BRES employment by location quotients ({s.method.upper()}, δ = {s.delta:g}). "
        "Direct jobs and GVA are the organisation's own staff and its staff costs plus surplus; indirect effects "
        "follow the spending bought from local suppliers through the local supply chain (Type I); induced effects "
        "add the local re-spending of wages, by the organisation's local staff and by its suppliers' staff (Type II "
        "less Type I). Jobs are full-time equivalents (FTE); GVA and money are £ a year at current prices."
    )


def vintage_line(report: CaseReport) -> str:
    """Data vintage and licence."""
    finished = str(report.info.get("finished_utc", ""))[:10] or datetime.now(UTC).strftime("%Y-%m-%d")
    return (
        f"Data: ONS UK input-output analytical tables {report.national_year}; ONS BRES {report.study.year} via Nomis; "
        "FTE by industry derived by STAPM from the Labour Force Survey; Census 2021 commuting (ONS). Contains public "
        "sector information licensed under the Open Government Licence v3.0. "
        f"Made with kil_io {report.version} on {finished}."
    )
