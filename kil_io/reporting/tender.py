"""A tender's bids as people read them: each bid with its ranges, every pair, the ranking, the lots, the law.

Each table function takes an :class:`~kil_io.appraisal.result.Appraisal` with a
:class:`~kil_io.appraisal.tender.Tender` and returns a small DataFrame of text cells (notebook
pages, CSV); :func:`html` writes the same tables for the brief; :func:`sentence` is the brief's
headline for a tender. Nothing here computes a figure: every number is the tender's.
"""

from __future__ import annotations

import math
from html import escape

import pandas as pd

from kil_io.appraisal.result import Appraisal
from kil_io.appraisal.tender import LOTS, LOTS_GAIN, ONE_CONTRACT, UNITS, Tender
from kil_io.reporting import formatting as fmt

#: The figures shown per bid: (measure, heading).
SHOWN: tuple[tuple[str, str], ...] = (
    ("fte", "Local jobs, gross"),
    ("fte_net", "Local jobs, net additional"),
    ("gva", "Workplace GVA, gross"),
    ("local_income", "Local income, gross"),
    ("lm3", "LM3 (£ per £1)"),
)
#: Words for the figures bids may be ranked on.
RANK_WORDS: dict[str, str] = {
    "fte": "local jobs (gross)", "fte_net": "net additional local jobs", "gva": "workplace GVA (gross)",
    "gva_net": "net additional workplace GVA", "local_income": "local income (gross)",
    "local_income_net": "net additional local income", "lm3": "LM3",
}  # fmt: skip
#: What a commissioner may score, in plain words (Procurement Act 2023, legislation.gov.uk/ukpga/2023/54; Public
#: Services (Social Value) Act 2012).
LAW = (
    "What is scored is what a bidder commits to deliver (local hires, staff living locally, spending with local "
    "suppliers, surplus reinvested locally), not where the bidder is based. Under the Procurement Act 2023 a "
    "contracting authority must treat suppliers the same unless a difference between them justifies it (section "
    "12(2)), must not discriminate against suppliers from the UK's treaty partners (sections 90 and 91), and must "
    "consider lots and the barriers small and medium-sized enterprises face (sections 18 and 12(4)); award criteria "
    "must relate to the subject matter of the contract (section 23). The Public Services (Social Value) Act 2012 asks "
    "what a services contract adds to the area's economic, social and environmental well-being. These figures show "
    "what each bid's commitments would mean for the local economy; the award rests on the published criteria."
)


def _tender(a: Appraisal) -> Tender:
    if a.tender is None:
        raise ValueError(f"appraisal of '{a.case}' compares no bids")  # a renderer asked of the wrong case
    return a.tender


def _cell(row: pd.Series, measure: str) -> str:
    """``"31 FTE (20–36)"``: a figure with its range, or alone where there is none."""
    unit = UNITS[measure]
    value = float(row["value"])
    if math.isnan(float(row["low"])):
        return fmt.of(value, unit)
    spread = {"low": float(row["low"]), "high": float(row["high"])}
    return f"{fmt.of(value, unit)} ({fmt.range_text(spread, fmt.kind_of(unit), value).split(', ')[0]})"


def _none() -> pd.DataFrame:
    return pd.DataFrame({"note": ["no bids or providers to compare in this case"]})


def bids(a: Appraisal) -> pd.DataFrame:
    """Each bid's local jobs (gross and net), GVA, local income and LM3, with their 90% ranges."""
    if a.tender is None:
        return _none()
    t = a.tender
    rows = {b: {heading: _cell(t.figure(b, m), m) for m, heading in SHOWN} for b in t.names}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "bid"
    return frame


def pairs(a: Appraisal, measure: str | None = None) -> pd.DataFrame:
    """Each pair of bids on ``measure`` (default: the ranked figure): the difference, its range, who is ahead."""
    if a.tender is None:
        return _none()
    t = a.tender
    m = measure or t.rank_by
    out = []
    for (bid, other, _), row in t.pairs.xs(m, level="measure", drop_level=False).iterrows():
        p = float(row["p_ahead"])
        if math.isnan(p):
            verdict, ahead = "no draws: cannot say how sure", ""
        else:
            leader, share = (bid, p) if p >= 0.5 else (other, 1 - p)
            ahead = f"{leader} in {fmt.share(share)} of draws"
            level = t.level or 0.9
            verdict = f"{leader} ahead" if share >= level else "cannot be told apart"
        out.append((f"{bid} against {other}", _cell(row, m), ahead, verdict))
    frame = pd.DataFrame(out, columns=["pair", f"difference: {RANK_WORDS.get(m, m)}", "ahead", "verdict"])
    return frame.set_index("pair")


def ranking(a: Appraisal) -> pd.DataFrame:
    """The bids ranked on the tender's figure: rank (shared where two cannot be told apart), the figure, who is tied."""
    if a.tender is None:
        return _none()
    t = a.tender
    r = t.ranking
    frame = pd.DataFrame(
        {
            "rank": [f"{int(k)}" + ("=" if (r["rank"] == k).sum() > 1 else "") for k in r["rank"]],
            RANK_WORDS.get(t.rank_by, t.rank_by): [_cell(pd.Series({"value": v, "low": lo, "high": hi}), t.rank_by)
                                                   for v, lo, hi in zip(r["value"], r["low"], r["high"], strict=True)],
            "cannot be told apart from": [x or "" for x in r["tied_with"]],
        },
        index=r.index,
    )  # fmt: skip
    return frame


def lots(a: Appraisal) -> pd.DataFrame:
    """Each lot's bids: the lot's value, each bid's net additional local jobs on it, and who it goes to."""
    t = a.tender
    if t is None or t.lots is None or t.lot_values is None:
        return pd.DataFrame({"note": ["the contract is not split into lots"]})
    rows = []
    for lot, info in t.lot_values.iterrows():
        for bid in t.lots.xs(lot, level="lot").index.get_level_values("bid").unique():
            award = ""
            if bid == info["award"]:
                award = "awarded" + (" (top-ranked)" if info["award_source"] == "top-ranked" else "")
            figures = [_cell(t.lots.loc[(lot, bid, m)], m) for m in ("fte", "fte_net", "gva")]
            rows.append((str(lot), fmt.money(float(info["value"])), bid, *figures, award))
    columns = ["lot", "value a year", "bid", "local jobs, gross", "local jobs, net additional", "workplace GVA",
               "award"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns).set_index(["lot", "bid"])


def lot_totals(a: Appraisal) -> pd.DataFrame:
    """One contract against lots: local jobs, GVA, local income and LM3 in each, and what lotting adds."""
    t = a.tender
    if t is None or t.totals is None:
        return pd.DataFrame({"note": ["the contract is not split into lots"]})
    names = {ONE_CONTRACT: f"one contract, to {t.award}", LOTS: "lots, each to its winner",
             LOTS_GAIN: "lots against one contract"}  # fmt: skip
    rows = {}
    for scenario, label in names.items():
        rows[label] = {heading: _cell(t.totals.loc[(scenario, m)], m) for m, heading in SHOWN}
        p = t.totals.loc[(scenario, "fte_net"), "p_ahead"]
        rows[label]["lots ahead (net jobs)"] = "" if math.isnan(float(p)) else f"in {fmt.share(float(p))} of draws"
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "scenario"
    return frame


def sentence(a: Appraisal) -> str:
    """The brief's headline for a tender: who supports most of the ranked figure, how sure, who cannot be told apart."""
    where = fmt.place(a.area)
    t = _tender(a)
    r = t.ranking
    first = str(r.index[0])
    what = RANK_WORDS.get(t.rank_by, t.rank_by)
    top = _cell(t.figure(first, t.rank_by), t.rank_by)
    n = len(t.names)
    text = (f"Of the {n} bids for this {fmt.money(t.contract_value)} a year contract in {where}, {first} would "
            f"support the most {what}: {top}.")  # fmt: skip
    if t.level is None:
        return text + " Without simulated draws, how sure the order is cannot be said."
    others = [str(b) for b in r.index[1:]]
    clear = [b for b in others if b in str(r.loc[first, "ahead_of"]).split("; ")]
    tied = [b for b in others if b in str(r.loc[first, "tied_with"]).split("; ")]
    if clear:
        text += (
            " It comes out ahead of "
            + ", ".join(f"{b} in {fmt.share(float(t.pair(first, b, t.rank_by)['p_ahead']))}" for b in clear)
            + " of the simulated cases."
        )
    if tied:
        text += (
            " It cannot be told apart from "
            + ", ".join(f"{b} (ahead in only {fmt.share(float(t.pair(first, b, t.rank_by)['p_ahead']))})" for b in tied)
            + "."
        )
    if t.totals is not None:
        gain = t.totals.loc[(LOTS_GAIN, "fte_net")]
        text += (f" Split into {len(t.lot_values) if t.lot_values is not None else 0} lots, each to its winner, the "
                 f"contract supports {_signed(gain, 'fte_net')} net additional local jobs than as one contract to "
                 f"{t.award}.")  # fmt: skip
    return text


def _signed(row: pd.Series, measure: str) -> str:
    cell = _cell(row, measure)
    value = float(row["value"])
    return (f"{cell} more" if value >= 0 else f"{cell.lstrip('-')} fewer").replace(" FTE", "", 1)


def _html_table(frame: pd.DataFrame, cls: str) -> str:
    """A text frame as an HTML table (every cell escaped; the index as the first columns)."""
    flat = frame.reset_index()
    heads = "".join(f"<th>{escape(str(c))}</th>" for c in flat.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
        for row in flat.itertuples(index=False, name=None)
    )
    return f"<table class='{cls}'><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table>"


def page_one(a: Appraisal) -> str:
    """The brief's first page for a tender: the bids with their ranges, the ranking, and one contract or lots."""
    t = _tender(a)
    parts = [
        f"<h2>The {len(t.names)} bids: local jobs, GVA, local income and LM3 a year (90% ranges)</h2>",
        _html_table(bids(a), "providers"),
    ]
    if t.totals is not None:  # the lotting is this case's question; the ranking (in the headline) goes to page 2
        parts += ["<h2>One contract or lots</h2>", _html_table(lot_totals(a), "providers")]
    else:
        parts += [f"<h2>Ranked on {escape(RANK_WORDS.get(t.rank_by, t.rank_by))}</h2>",
                  _html_table(ranking(a), "providers")]  # fmt: skip
    return "".join(parts)


def appendix(a: Appraisal) -> str:
    """The brief's appendix for a tender: every pair of bids, each lot's bids, and what may be scored."""
    t = _tender(a)
    parts = []
    if t.totals is not None:
        parts += [f"<h2>Ranked on {escape(RANK_WORDS.get(t.rank_by, t.rank_by))}</h2>",
                  _html_table(ranking(a), "providers")]  # fmt: skip
    parts += [f"<h2>Every pair of bids, on {escape(RANK_WORDS.get(t.rank_by, t.rank_by))}</h2>",
              _html_table(pairs(a), "providers")]  # fmt: skip
    if t.lots is not None:
        parts += ["<h2>Each lot's bids</h2>", _html_table(lots(a), "providers")]
    parts += ["<h2>What may be scored</h2>", f"<p>{escape(LAW)}</p>"]
    return "".join(parts)


def per_pound(a: Appraisal) -> str:
    """What each £1 of the contract supports locally with each bid (workplace GVA, gross) and its LM3."""
    t = _tender(a)
    bits = [f"{b} £{float(t.figure(b, 'gva')['value']) * 1e6 / t.contract_value:,.2f} (LM3 "
            f"{float(t.figure(b, 'lm3')['value']):.2f})" for b in t.names]  # fmt: skip
    return "Each £1 of the contract supports this much GVA in the area's workplaces (gross): " + "; ".join(bits) + "."


__all__ = ["LAW", "appendix", "bids", "lot_totals", "lots", "page_one", "pairs", "per_pound", "ranking", "sentence"]
