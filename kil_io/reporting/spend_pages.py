"""The tables of a council's spend impact: for reading (notebook page, command line) and as CSV (numbers).

The reading tables hold text cells written by :mod:`kil_io.reporting.formatting` (``"1.1 FTE"``,
``"£62k"``, ``"13%"``), industries by name with their code, and no NaN; :func:`csv_tables` gives the
same tables with numbers as computed, which :func:`write_csv` writes with the council's own text made
inert (:func:`kil_io.files.csv_text`). Everything comes from one
:class:`~kil_io.records.spend_result.SpendImpact`; nothing is computed again.

Examples
--------
>>> from kil_io.reporting import spend_pages
>>> spend_pages.categories(result)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kil_io.files import WriteStatus, csv_text, write_text_atomic
from kil_io.records.spend_result import SpendImpact
from kil_io.reporting import formatting as fmt
from kil_io.reporting import pages, procurement_law, spend_wording

#: Components in words.
COMPONENT_WORDS: dict[str, str] = {
    "indirect": "local suppliers and their local supply chains (Type I)",
    "induced": "local households' re-spending (Type II)",
    "total": "total",
}
#: Scenarios in words.
SCENARIO_WORDS: dict[str, str] = {"today": "today", "shifted": "with the shift", "extra": "extra with the shift"}


def headline(r: SpendImpact) -> pd.DataFrame:
    """The headline: figure, central value, range (or why none), basis and any note on the range."""
    return pages.headline_table(r.headline, basis="record")


def categories(r: SpendImpact) -> pd.DataFrame:
    """By category: spend, local spend and share, local jobs, GVA and income (and the shift's extra), with totals.

    The payments in no industry are a row of their own ("in no industry: not counted"): their £ is in
    the ledger's local share, their jobs are not estimated.
    """
    c = r.categories
    rows = {}
    for _, row in c.iterrows():
        cells = {
            "industry": f"{row['industry']} ({row['sector']})",
            "spend": fmt.money(row["spend"]),
            "with local suppliers": fmt.money(row["local_spend"]),
            "local share": fmt.share(row["local_share"]),
            "local jobs, gross": fmt.fte(row["fte"]),
            "local jobs, net": fmt.fte(row["fte_net"]),
            "local GVA, gross": fmt.money(row["gva"], unit="£m"),
            "local income, gross": fmt.money(row["local_income"], unit="£m"),
        }
        if r.shifted:
            cells["local share with the shift"] = fmt.share(row["shifted_local_spend"] / row["spend"])
            cells["extra jobs, gross"] = fmt.fte(row["extra_fte"])
            cells["extra GVA, gross"] = fmt.money(row["extra_gva"], unit="£m")
        rows[str(row["label"])] = cells
    led = r.ledger
    if led["unmapped_spend"]:
        rows["in no industry: not counted"] = {
            "industry": "(see the payments in no industry)", "spend": fmt.money(led["unmapped_spend"]),
            "with local suppliers": fmt.money(led["unmapped_local"]),
            "local share": fmt.share(led["unmapped_local"] / led["unmapped_spend"]) if led["unmapped_spend"] else "",
        }  # fmt: skip
    total = {
        "industry": "", "spend": fmt.money(led["total"]), "with local suppliers": fmt.money(led["local_value"]),
        "local share": fmt.share(led["local_share"]),
        "local jobs, gross": fmt.fte(r.total("today", "fte")), "local jobs, net": fmt.fte(r.total("today", "fte_net")),
        "local GVA, gross": fmt.money(r.total("today", "gva"), unit="£m"),
        "local income, gross": fmt.money(r.total("today", "local_income"), unit="£m"),
    }  # fmt: skip
    if r.shifted:
        total["extra jobs, gross"] = fmt.fte(r.total("extra", "fte"))
        total["extra GVA, gross"] = fmt.money(r.total("extra", "gva"), unit="£m")
    rows["total"] = total
    frame = pd.DataFrame.from_dict(rows, orient="index").fillna("")
    frame.index.name = "category"
    return frame


def unmapped(r: SpendImpact) -> pd.DataFrame:
    """The payments in no industry, by expense type: their £, local £ and why."""
    u = r.unmapped
    if not len(u):
        return pd.DataFrame({"note": ["every payment is placed in an industry"]})
    out = pd.DataFrame(index=pd.Index(u.index, name="expense type"))
    out["service areas"] = u["service_areas"]
    out["spend"] = [fmt.money(v) for v in u["spend"]]
    out["with local suppliers"] = [fmt.money(v) for v in u["local_spend"]]
    out["payments"] = [fmt.count(v) for v in u["payments"]]
    out["why"] = u["why"]
    return out


def shifts(r: SpendImpact) -> pd.DataFrame:
    """Each shift: what it names, the share moved, the spend outside the area and what moves."""
    if not r.shifted:
        return pd.DataFrame({"note": ["no shift: today's spend only"]})
    s = r.shifts
    assert s is not None
    out = pd.DataFrame(index=pd.Index([f"{k}: {w}" for k, w in zip(s["kind"], s["what"], strict=True)], name="shift"))
    out["share moved"] = [fmt.share(v) for v in s["share"]]
    out["spend"] = [fmt.money(v) for v in s["spend"]]
    out["outside the area now"] = [fmt.money(v) for v in s["non_local"]]
    out["moved to local suppliers"] = [fmt.money(v) for v in s["moved"]]
    out["of which in an industry"] = [fmt.money(v) for v in s["moved_counted"]]
    out["given at"] = list(s["where"])
    out["source"] = [str(v) or "the scenario's assumption" for v in s["source"]]
    return out


def components(r: SpendImpact) -> pd.DataFrame:
    """Local jobs, GVA and income by component, gross and net, today (and with the shift, and the extra)."""
    c = r.components
    out = pd.DataFrame(index=pd.MultiIndex.from_tuples(
        [(SCENARIO_WORDS[s], COMPONENT_WORDS[k]) for s, k in c.index], names=["scenario", "component"]))  # fmt: skip
    for column, heading, unit in (("fte", "jobs, gross", "FTE"), ("fte_net", "jobs, net", "FTE"),
                                  ("gva", "GVA, gross", "£m"), ("gva_net", "GVA, net", "£m"),
                                  ("local_income", "income, gross", "£m"),
                                  ("local_income_net", "income, net", "£m")):  # fmt: skip
        out[heading] = [fmt.of(v, unit) for v in c[column]]
    return out


def service_areas(r: SpendImpact) -> pd.DataFrame:
    """The ledger by service area: spend, local spend and share (by £), payments."""
    s = r.service_areas
    out = pd.DataFrame(index=pd.Index(s.index, name="service area"))
    out["spend"] = [fmt.money(v) for v in s["spend"]]
    out["with local suppliers"] = [fmt.money(v) for v in s["local_spend"]]
    out["local share"] = [fmt.share(v) for v in s["local_share"]]
    out["payments"] = [fmt.count(v) for v in s["payments"]]
    return out


def placements(r: SpendImpact) -> pd.DataFrame:
    """How each kind of payment was placed in an industry, and why."""
    p = r.placements
    names = {row["sector"]: row["industry"] for _, row in r.categories.iterrows()}
    out = pd.DataFrame({
        "expense type": p["expense_type"], "service area": p["service_area"],
        "industry": [f"{names.get(s, s)} ({s})" if s else "in no industry" for s in p["sector"]],
        "payments": [fmt.count(v) for v in p["payments"]], "spend": [fmt.money(v) for v in p["spend"]],
        "how": p["how"],
    })  # fmt: skip
    return out.set_index(["expense type", "service area"])


def inputs(r: SpendImpact) -> pd.DataFrame:
    """Every input by its label: value with its unit, basis, range (if any) and source; by group."""
    return pages.inputs_table(r.inputs)


def multipliers(r: SpendImpact) -> pd.DataFrame:
    """The local multipliers of the industries bought from: FTE per £1m and GVA per £1, Type I and II."""
    m = r.multipliers
    out = pd.DataFrame(index=pd.Index([f"{row['industry']} ({code})" for code, row in m.iterrows()], name="industry"))
    out["FTE per £1m, Type I"] = [fmt.fte(v, unit=False) for v in m["fte_per_1m_type_i"]]
    out["FTE per £1m, Type II"] = [fmt.fte(v, unit=False) for v in m["fte_per_1m_type_ii"]]
    out["GVA per £1, Type I"] = [fmt.ratio(v) for v in m["gva_per_1_type_i"]]
    out["GVA per £1, Type II"] = [fmt.ratio(v) for v in m["gva_per_1_type_ii"]]
    return out


def notes(r: SpendImpact) -> pd.DataFrame:
    """What a reader must know: the caveats, then the procurement law in words."""
    rows = [("caveat", c) for c in spend_wording.caveats(r)]
    rows += [("procurement law", p) for p in procurement_law.POINTS]
    rows.append(("procurement law", procurement_law.shift_words(r.area)))
    return pd.DataFrame(rows, columns=["about", "note"]).set_index("about")


def csv_tables(r: SpendImpact) -> dict[str, pd.DataFrame]:
    """Every table with numbers as computed (money in £ or £m as the result holds them), by file stem."""
    out = {
        "categories": r.categories, "unmapped": r.unmapped, "placements": r.placements,
        "service_areas": r.service_areas, "top_suppliers": r.suppliers, "unplaced": r.unplaced,
        "components": r.components, "inputs": r.inputs_frame(), "multipliers": r.multipliers,
    }  # fmt: skip
    if r.shifts is not None:
        out["shifts"] = r.shifts
    if r.ranges is not None:
        out["ranges"] = r.ranges
    return out


def write_csv(r: SpendImpact, folder: str | Path, *, force: bool = True) -> dict[Path, WriteStatus]:
    """Write :func:`csv_tables` as ``<folder>/<stem>.csv``, the council's text made inert; file -> status."""
    folder = Path(folder)
    return {folder / f"{name}.csv": write_text_atomic(folder / f"{name}.csv", csv_text(frame), force=force)
            for name, frame in csv_tables(r).items()}  # fmt: skip


def summary(r: SpendImpact) -> str:
    """The result as the command line prints it: the ledger's headline first, then the impact and the shift."""
    led = r.ledger
    lines = [
        f"{led['file']}: {led['payments']:,} payments, {fmt.money(led['total'])}; local = in {r.area}",
        "",
        (
            f"local share, weighted by £:  {fmt.share(led['local_share'])} ({fmt.money(led['local_value'])}); the "
            f"plain mean of service areas' shares, not the local share: {fmt.share(led['unweighted_share'])}"
        ),
        "",
        spend_wording.impact_sentence(r),
    ]
    if r.shifted:
        lines += ["", spend_wording.shift_sentence(r)]
    lines += ["", "headline:", headline(r).to_string(), "", "by category:", categories(r).to_string()]
    if len(r.unmapped):
        lines += ["", "payments in no industry (counted in the local share, not in the jobs):", unmapped(r).to_string()]
    if r.shifted:
        lines += ["", "shifts:", shifts(r).drop(columns=["source"]).to_string()]
    lines += ["", "what the figures do and do not say:"] + [f"  - {c}" for c in spend_wording.caveats(r)]
    lines += ["", "procurement law in words:"] + [f"  - {p}" for p in procurement_law.POINTS]
    lines += [f"  - {procurement_law.shift_words(r.area)}", f"  ({procurement_law.CAVEAT})"]
    return "\n".join(lines)


__all__ = [
    "COMPONENT_WORDS",
    "SCENARIO_WORDS",
    "categories",
    "components",
    "csv_tables",
    "headline",
    "inputs",
    "multipliers",
    "notes",
    "placements",
    "service_areas",
    "shifts",
    "summary",
    "unmapped",
    "write_csv",
]
