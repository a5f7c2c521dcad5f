"""A portfolio's words and tables for readers: the pilot's sentence, totals by area, entries, what was removed.

Each function takes a :class:`~kil_io.appraisal.portfolio.Portfolio` and returns text, or a small
DataFrame of text cells written by :mod:`kil_io.reporting.formatting` (``"294 FTE"``, ``"£10.5m"``),
so the notebook page, the brief and the workbook say the same thing. Nothing is computed here but
the words: every figure is the portfolio's own.

Examples
--------
>>> import kil_io
>>> from kil_io.reporting import portfolio_pages
>>> p = kil_io.appraise_portfolio("data/portfolios/west_yorkshire_example.yaml", 10_000, seed=2026)  # doctest: +SKIP
>>> portfolio_pages.sentence(p)  # doctest: +SKIP
"""

from __future__ import annotations

import pandas as pd

from kil_io.appraisal.portfolio import MEASURES, Group, Portfolio, Removal
from kil_io.appraisal.result import Range
from kil_io.reporting import formatting as fmt

#: A rule in words.
RULE_WORDS: dict[str, str] = {
    "part_of": "part of another organisation",
    "paid_to": "contract paid to an organisation counted",
    "shared supplier": "spending with another entry",
}


def figure(value: float, unit: str, r: Range | None) -> str:
    """A figure with its range: ``"294 FTE (277–308, 90% range)"``; without draws, the figure alone."""
    kind = fmt.kind_of(unit)
    if r is None:
        return fmt.number(value, kind)
    return fmt.figure_with_range(value, {"low": r.low, "high": r.high, "level": r.level}, kind)


def _of(g: Group, m: str) -> str:
    return figure(g.totals[m], MEASURES[m][1], g.ranges.get(m))


def _who(p: Portfolio, g: Group) -> tuple[str, str]:
    """``("2 organisations and 1 contract", "support")`` for the entries a group adds up."""
    kinds = [p.entry(n).kind for n in g.included]
    orgs, contracts = kinds.count("organisation"), kinds.count("contract")
    parts = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in ((orgs, "organisation"), (contracts, "contract")) if n]
    return " and ".join(parts), "supports" if len(kinds) == 1 else "support"


def sentence(p: Portfolio, group: Group | None = None) -> str:
    """The pilot's form of result: "N organisations support about X FTE and £Y of GVA in their areas".

    Gross first, as the pilot counted, then the net additional figures beside it; each with its range.
    For an area's group: "In Calderdale, 1 organisation supports about ...".
    """
    g = group or p.total
    who, verb = _who(p, g)
    its = "its" if verb == "supports" else "their"
    head = f"In {g.area}, {who}" if group is not None else who[:1].upper() + who[1:]
    where = "" if group is not None else " in their areas"
    text = (
        f"{head} {verb} about {_of(g, 'fte')} and {_of(g, 'gva')} of GVA a year{where}, counting every job and £ "
        f"{its} spending supports (gross); of these, about {_of(g, 'fte_net')} and {_of(g, 'gva_net')} of GVA would "
        "not otherwise be there (net additional)."
    )
    within = [e for e in p.entries if e.status == "counted within" and e.name in g.listed]
    if within:
        text += " " + " ".join(
            f"{e.title} is counted within {p.entry(e.within).title}, not again." for e in within
        )  # fmt: skip
    return text


def totals(p: Portfolio) -> pd.DataFrame:
    """By area and in total: every measure with its range, and the entries added up."""
    rows = {}
    for g in (*p.areas, p.total):
        row = {heading: _of(g, m) for m, (heading, _, _) in MEASURES.items()}
        row["entries added up"] = ", ".join(p.entry(n).title for n in g.included)
        rows[g.area] = row
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "area"
    return frame


def entries(p: Portfolio) -> pd.DataFrame:
    """Every entry: who, where, its income or contract value, whether it is added up, and its own figures."""
    rows = []
    for e in p.entries:
        how = "part of it" if e.rule == "part_of" else "paid to it"
        status = "added up" if e.status == "included" else f"counted within {p.entry(e.within).title} ({how})"
        money = "income" if e.kind == "organisation" else "contract value"
        rows.append({
            "entry": e.title, "organisation": e.organisation, "area": e.area,
            "income or contract value": f"{fmt.money(e.income)} ({money})", "status": status,
            **{heading: figure(e.figures[m], unit, e.ranges.get(m)) for m, (heading, unit, _) in MEASURES.items()},
        })  # fmt: skip
    return pd.DataFrame(rows).set_index("entry")


def reason(p: Portfolio, r: Removal) -> str:
    """Why a removal is counted twice, in its own numbers."""
    who, other = p.entry(r.entry).title, p.entry(r.within).title
    jobs, gva = fmt.fte(r.removed["fte"]), fmt.money(r.removed["gva"], unit="£m")
    if r.rule == "part_of":
        return (
            f"{who} is part of {other}: its {fmt.money(r.money)} income, its staff and its spending are in "
            f"{other}'s accounts, so its {jobs} and {gva} of GVA (gross) are already in {other}'s figures."
        )
    if r.rule == "paid_to":
        return (
            f"The {fmt.money(r.money)} contract is paid to {other}, whose income includes it: the {jobs} and {gva} of "
            f"GVA (gross) its provider's spending supports are already in {other}'s figures."
        )
    d = r.detail
    return (
        f"{fmt.money(r.money)} of {who}'s local spending on {r.line} ({fmt.share(d['share_of_line'])} of the "
        f"{fmt.money(d['line_local'])} it buys locally on that line) is {other}'s income, whose own staff and "
        f"suppliers count it: the {fmt.fte(d['indirect_fte'])} of supply-chain jobs and the "
        f"{fmt.fte(d['induced_fte'])} of their re-spending that {who}'s appraisal finds for it are taken off {who}."
    )


def removed(p: Portfolio) -> pd.DataFrame:
    """What was de-duplicated: entry, rule, the £ counted twice, FTE and £m removed, and why."""
    if not p.removals:
        return pd.DataFrame({"note": ["nothing is counted twice: no entry holds another's figures"]})
    rows = []
    for r in p.removals:
        rows.append({
            "entry": p.entry(r.entry).title, "rule": RULE_WORDS[r.rule], "already counted in": p.entry(r.within).title,
            "£ counted twice (a year)": fmt.money(r.money),
            **{f"{heading} removed": fmt.of(r.removed[m], unit) for m, (heading, unit, _) in MEASURES.items()},
            "why": reason(p, r), "source": r.source,
        })  # fmt: skip
    return pd.DataFrame(rows).set_index("entry")


def notes(p: Portfolio) -> pd.DataFrame:
    """How the ranges treat the entries together, the portfolio's notes, each total's note, each entry's notes."""
    rows = [("ranges", p.dependence)] + [("portfolio", n) for n in p.notes]
    rows += [(g.area, n) for g in (*p.areas, p.total) for n in g.notes]
    rows += [(p.entry(e.name).title, n) for e in p.entries for n in e.notes]
    return pd.DataFrame(rows, columns=["about", "note"]).set_index("about")


def sources(p: Portfolio) -> pd.DataFrame:
    """The data and files behind the figures."""
    return pd.DataFrame({"source": list(p.sources)})


__all__ = ["RULE_WORDS", "entries", "figure", "notes", "reason", "removed", "sentence", "sources", "totals"]
