"""The tables of an appraisal's notebook page, for reading: every figure with its unit, inputs by their label.

Each function takes an :class:`~kil_io.appraisal.result.Appraisal` and returns a small DataFrame
of text cells written by :mod:`kil_io.reporting.formatting` (``"96 FTE"``, ``"£433k"``, ``"25%"``),
so a notebook shows what the brief shows, with no NaN, snake_case keys or internal input paths.

Examples
--------
>>> import kil_io
>>> from kil_io.reporting import pages
>>> result = kil_io.appraise(kil_io.case_study("halifax_opportunities_trust"), 10_000, seed=2026)  # doctest: +SKIP
>>> pages.components(result)  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from kil_io.appraisal.inputs import SENSITIVITY_KNOBS, Input
from kil_io.appraisal.result import Appraisal, Entity, Headline
from kil_io.reporting import formatting as fmt
from kil_io.reporting import wording

#: Columns of :func:`components`: (measure, heading, unit).
COMPONENT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("fte", "Local jobs, gross", "FTE"),
    ("fte_net", "Local jobs, net additional", "FTE"),
    ("gva", "Workplace GVA, gross", "£m"),
    ("gva_net", "Workplace GVA, net additional", "£m"),
    ("local_income", "Local income, gross", "£m"),
    ("local_income_net", "Local income, net additional", "£m"),
)


def _text(value: object, unit: str) -> str:
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return fmt.of(float(value), unit)  # type: ignore[arg-type]


def headline(a: Appraisal) -> pd.DataFrame:
    """The headline: figure, central value, range, basis and any note on the range."""
    return headline_table(a.headline)


def headline_table(headline: Sequence[Headline], *, basis: str = "") -> pd.DataFrame:
    """A result's headline figures as a page table (``basis``: what a figure without one is, e.g. "record")."""
    rows = [
        (fmt.label_for(h.label).text, fmt.of(h.value, h.unit), wording.range_text(h), h.basis or basis, h.note)
        for h in headline
    ]
    frame = pd.DataFrame(rows, columns=["figure", "central", "range", "basis", "note"]).set_index("figure")
    return frame if frame["note"].str.len().any() else frame.drop(columns="note")


def inputs(a: Appraisal, *, uncertain: bool = False) -> pd.DataFrame:
    """Every input by its label: value with its unit, basis, range (if any) and source; by group.

    ``uncertain=True``: only those with a range (what the simulation draws).
    """
    return inputs_table(a.inputs, uncertain=uncertain)


def inputs_table(inputs: Sequence[Input], *, uncertain: bool = False) -> pd.DataFrame:
    """A result's inputs as a page table (see :func:`inputs`)."""
    rows = []
    for i in inputs:
        if uncertain and i.spread is None:
            continue
        unit = i.unit if i.unit in fmt.UNITS else ""
        spread = ""
        if i.spread is not None:
            spread = f"{_text(i.spread.low, unit)}–{_text(i.spread.high, unit)} ({i.spread.shape})"
        rows.append((i.group, i.label, _text(i.value, unit), i.basis, spread, i.source))
    frame = pd.DataFrame(rows, columns=["group", "input", "value", "basis", "range", "source"])
    frame = frame.set_index(["group", "input"])
    return frame if uncertain or frame["range"].str.len().any() else frame.drop(columns="range")


def components(a: Appraisal, entity: Entity | None = None) -> pd.DataFrame:
    """Local jobs, workplace GVA and local income by component, gross and net, and per £ of income."""
    e = entity or a.organisation or a.providers[0]
    f = e.figures
    out = pd.DataFrame(index=f.index)
    for measure, heading, unit in COMPONENT_COLUMNS:
        out[heading] = [fmt.of(v, unit) for v in f[measure]]
    out["Jobs per £1m of income, gross"] = [fmt.fte(v / (e.income / 1e6), unit=False) for v in f["fte"]]
    out["GVA per £1 of income, gross"] = [fmt.ratio(v * 1e6 / e.income) for v in f["gva"]]
    return out


def simulated(a: Appraisal) -> pd.DataFrame:
    """Every simulated figure: central, median and range; for a difference, how often it is above zero."""
    if a.simulation is None:
        return pd.DataFrame({"note": ["no ranges: appraised without draws"]})
    s = a.simulation.summary
    level = f"{a.simulation.level:.0%} range"
    rows = []
    for _key, r in s.iterrows():
        unit = str(r["unit"])
        low, high = _text(r["low"], unit), _text(r["high"], unit)
        ahead = "" if math.isnan(float(r["p_positive"])) else fmt.share(float(r["p_positive"]))
        rows.append((str(r["label"]), _text(r["central"], unit), _text(r["median"], unit), f"{low}–{high}", ahead))
    frame = pd.DataFrame(rows, columns=["figure", "central", "median", level, "above zero in"]).set_index("figure")
    return frame if frame["above zero in"].str.len().any() else frame.drop(columns="above zero in")


def drivers(a: Appraisal) -> pd.DataFrame:
    """What drives the main net figure's range: each input at its 5th and 95th percentile, all else as it is."""
    if a.simulation is None:
        return pd.DataFrame({"note": ["no ranges: appraised without draws"]})
    d = a.simulation.drivers
    units = {i.name: i.unit for i in a.inputs}
    out_unit = str(d["unit"].iloc[0]) if len(d) else ""
    rows = []
    for name, r in d.iterrows():
        unit = units.get(str(name), "")
        unit = unit if unit in fmt.UNITS else ""
        rows.append((
            str(r["label"]), f"{_text(r['input_low'], unit)} to {_text(r['input_high'], unit)}",
            f"{_text(r['at_low'], out_unit)} to {_text(r['at_high'], out_unit)}",
            fmt.share(float(r["variance_share"])) if not math.isnan(float(r["variance_share"])) else "",
        ))  # fmt: skip
    label = fmt.label_for(a.figure(a.simulation.driven).label).text
    return pd.DataFrame(rows, columns=["input", "input from", f"{label} from", "share of the variance"]).set_index(
        "input"
    )


def rates(a: Appraisal, entity: Entity | None = None) -> pd.DataFrame:
    """The gross-to-net rates by component, as percentages."""
    e = entity or a.organisation or a.providers[0]
    return e.rates.map(fmt.share)


def lm3(a: Appraisal, entity: Entity | None = None) -> pd.DataFrame:
    """LM3's three rounds with what each is, the shares re-spent, and the LM3."""
    e = entity or a.organisation or a.providers[0]
    out = pd.DataFrame(index=e.lm3.index)
    out["value"] = [fmt.ratio(v) if k == "lm3" else fmt.money(v) for k, v in e.lm3["value"].items()]
    out["re-spent locally"] = [
        "" if math.isnan(float(v)) else fmt.share(float(v)) for v in e.lm3["share"]
    ]  # fmt: skip
    out["what it is"] = e.lm3["source"]
    return out


def providers(a: Appraisal) -> pd.DataFrame:
    """The same contract by provider, and the difference: gross and net jobs, GVA, income, LM3, spend in the area."""
    if a.comparison is None:
        return pd.DataFrame({"note": ["no providers to compare in this case"]})
    c = a.comparison
    out = pd.DataFrame(index=c.index)
    for column, heading, unit in (
        *COMPONENT_COLUMNS,
        ("lm3", "LM3 (£ per £1)", "£ per £1"),
        ("local_spend", "Spent in the area", "£m"),
    ):
        out[heading] = [fmt.of(v, unit) for v in c[column]]
    return out


def published(a: Appraisal) -> pd.DataFrame:
    """The model's figures beside a published study's (for comparison; never inputs)."""
    if a.published is None:
        return pd.DataFrame({"note": ["no published figures for this case"]})
    p = a.published
    out = pd.DataFrame(index=[fmt.label_for({"fte": "Local jobs (FTE)", "gva": "Local GVA (£m)"}.get(k, k)).text
                              for k in p.index])  # fmt: skip
    for column in ("model (gross)", "model (net)", "published"):
        out[column] = [_text(v, str(u)) for v, u in zip(p[column], p["unit"], strict=True)]
    out["source"] = list(p["source"])
    return out


def sensitivity(a: Appraisal) -> pd.DataFrame:
    """One assumption at a time: jobs and GVA, gross and net, LM3, and the change from the case's values."""
    if a.sensitivity is None or not len(a.sensitivity):
        return pd.DataFrame({"note": ["no sensitivity in this case file"]})
    s = a.sensitivity
    columns = [
        ("fte", "Jobs, gross", "FTE"),
        ("fte_net", "Jobs, net", "FTE"),
        ("gva", "GVA, gross", "£m"),
        ("gva_net", "GVA, net", "£m"),
        ("lm3", "LM3", "£ per £1"),
        ("fte_change", "Change in jobs, gross", "FTE"),
        ("fte_net_change", "Change in jobs, net", "FTE"),
        ("gva_net_change", "Change in GVA, net", "£m"),
    ]
    out = pd.DataFrame(index=s.index)
    for column, heading, unit in columns:
        if column in s.columns:
            out[heading] = [fmt.of(v, unit) for v in s[column]]
    if {"fte_change", "fte_net_change"} <= set(s.columns):  # net-only assumptions (additionality): not "0 FTE"
        net_only = (s["fte_change"].abs() < 1e-9) & (s["fte_net_change"].abs() > 1e-9)
        out.loc[net_only.to_numpy(), "Change in jobs, gross"] = "none (changes net only)"
    labels = [(_knob(str(name)), "as in the case file" if pd.isna(value) else _knob_value(str(name), float(value)))
              for name, value in s.index]  # fmt: skip
    out.index = pd.MultiIndex.from_tuples(labels, names=["assumption", "value"])
    return out


def _knob(name: str) -> str:
    return SENSITIVITY_KNOBS.get(name, "the case as given" if name == "base" else name.replace("_", " "))


def _knob_value(name: str, value: float) -> str:
    if name.endswith("share") or name == "additionality":
        return fmt.share(value)
    if name == "enterprise_scale":
        return f"× {value:g}"
    return f"{value:g}"


def checks(a: Appraisal) -> pd.DataFrame:
    """What the records disagree on or leave to assumption, and notes on the model's inputs."""
    rows = [("records", c) for c in a.checks] + [("model", n) for n in a.notes]
    if not rows:
        rows = [("records", "no checks: the case was not made from records, or they agree")]
    return pd.DataFrame(rows, columns=["about", "check"]).set_index("about")


def history(a: Appraisal) -> pd.DataFrame:
    """How the case's headline figures moved between kil_io releases, and why (a shipped case's record)."""
    if a.history is None or not len(a.history):
        return pd.DataFrame({"note": ["no earlier published figures for this case"]})
    units = {h.label: h.unit for h in a.headline}
    rows = [
        (fmt.label_for(r["figure"]).text, str(r["release"]), fmt.of(r["before"], units[r["figure"]]),
         fmt.of(r["after"], units[r["figure"]]), str(r["why"]))
        for _, r in a.history.iterrows()
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["figure", "release", "before", "after", "why"]).set_index(["figure", "release"])
