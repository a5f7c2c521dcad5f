"""The results of a case study as labelled tables, and saving them, for the command line and notebooks."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from kil_io import datasets
from kil_io.appraisal.commissioning import compare_providers
from kil_io.appraisal.impact import organisation_impact
from kil_io.appraisal.lm3 import organisation_lm3
from kil_io.appraisal.sensitivity import sensitivity
from kil_io.errors import CaseError
from kil_io.files import write_atomic, write_text_atomic
from kil_io.model.multipliers import compare
from kil_io.reporting import formatting as fmt

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kil_io.appraisal.casefile import CaseStudy
    from kil_io.uncertainty import Simulation


def published_figures(case: CaseStudy) -> dict[str, float]:
    """The study's published figures in the model's units: ``fte`` (FTE), ``gva`` (£m), ``lm3`` (ratio)."""
    return {k: v.value / (1e6 if k == "gva" else 1) for k, v in case.published.items()}


def case_results(case: CaseStudy) -> dict[str, pd.DataFrame]:
    """Every table a case study produces, by name.

    Parameters
    ----------
    case : CaseStudy
        From :func:`kil_io.case_study`.

    Returns
    -------
    dict of DataFrame
        Organisation and contract cases: ``impact`` (component x FTE, workplace GVA and
        local income in £m, gross and net, and the ratios to income), ``additionality``
        (the gross-to-net rates by component), ``assumptions`` (the closure, resident
        share, re-spend share and each rate with its source), ``published`` (the study's
        figures beside the model's), ``lm3`` and ``sensitivity``; contract cases also
        ``providers`` (local vs national for the contract value). Area cases:
        ``multipliers`` (the area beside the UK, headline sectors) and ``all_sectors``
        (Type I and II for every sector).
    """
    table = datasets.regional_iot(case.area, case.year, method=case.method, delta=case.delta)  # type: ignore[arg-type]
    if case.organisation is None:
        uk = datasets.uk_iot(datasets.national_year_for(case.year))
        headline = compare({case.area: table, "UK": uk}, list(case.sectors) or None)
        every = compare({case.area: table}, None)
        return {"multipliers": headline, "all_sectors": every}
    org = case.organisation
    result = organisation_impact(org, table, rates=case.rates, respend_share=case.respend_share)
    impact = pd.concat([result.to_frame(), result.per_income()], axis=1)
    lm3 = organisation_lm3(org, table, survey=case.lm3_survey)
    model = {"fte": impact.loc["total", "fte"], "gva": impact.loc["total", "gva"], "lm3": lm3.value}
    net = {"fte": impact.loc["total", "fte_net"], "gva": impact.loc["total", "gva_net"]}
    units = {"fte": "FTE", "gva": "£m", "lm3": "£ per £1 of income"}
    published = pd.DataFrame(
        {
            "model (gross)": pd.Series(model),
            "model (net)": pd.Series(net),
            "published": pd.Series(published_figures(case)),
            "unit": pd.Series(units),
            "source": pd.Series({k: v.source for k, v in case.published.items()}),
        }
    )
    published.index.name = "measure"
    out = {
        "impact": impact,
        "additionality": result.rates,
        "assumptions": result.sources.to_frame(),
        "published": published,
        "lm3": lm3.to_frame(),
        "sensitivity": sensitivity(case, case.sensitivity) if case.sensitivity else pd.DataFrame(),
    }
    if case.providers:
        out["providers"] = compare_providers(
            org.income.value, case.providers, table, rates=case.rates, respend_share=case.respend_share
        ).to_frame()
    return out


def inputs_table(case: CaseStudy) -> pd.DataFrame:
    """Every input figure of an organisation or contract case with its unit and source note.

    Returns
    -------
    DataFrame
        Rows ``input``; columns ``value``, ``unit``, ``source``. Money in £, shares as
        fractions, FTE as FTE.
    """
    org = case.organisation
    if org is None:
        raise CaseError(f"case '{case.name}' has no organisation inputs (it is an {case.kind} case)")
    rows = [
        ("income", org.income.value, "£", org.income.source),
        ("staff FTE", org.staff_fte.value, "FTE", org.staff_fte.source),
        ("staff costs", org.staff_costs.value, "£", org.staff_costs.source),
        ("staff living locally", org.staff_local_share.value, "share", org.staff_local_share.source),
        ("surplus", org.surplus.value, "£", org.surplus.source),
    ]
    for s in org.spending:
        rows.append((f"spend: {s.label or s.sector} ({s.sector})", s.value, "£", s.source))
        rows.append((f"  bought locally: {s.label or s.sector}", s.local_share, "share", s.source))
    for e in org.enterprises:
        rows.append((f"hosted: {e.name} ({e.sector}) FTE", e.fte.value, "FTE", e.fte.source))
        rows.append((f"hosted: {e.name} turnover", e.turnover.value, "£", e.turnover.source))
    if org.enterprises:
        rows.append(("hosted activity additional", org.additionality.value, "share", org.additionality.source))
    return pd.DataFrame(rows, columns=["input", "value", "unit", "source"]).set_index("input")


def save_results(
    results: pd.DataFrame,
    headline: Mapping[str, float],
    figures: Mapping[str, Figure] | None = None,
    folder: str | Path | None = ".",
    *,
    ranges: Mapping[str, Mapping[str, float | int] | str] | None = None,
) -> pd.Series:
    """Write a notebook's results beside it: ``results.csv``, ``headline.json`` and PNG figures.

    Parameters
    ----------
    results : DataFrame
        The main table of the analysis.
    headline : mapping
        A few figures, keyed by a label that carries the unit (e.g. ``"Local jobs (FTE)"``),
        shown on the batch index page.
    figures : mapping, optional
        File stem -> matplotlib figure.
    folder : str or Path, optional
        Where to write (default the current folder, the case folder in a batch run);
        ``None`` writes nothing (a published notebook re-run by nbval).
    ranges : mapping, optional
        Headline label -> its range, ``{"low", "high", "median", "level", "draws"}`` (e.g.
        :meth:`kil_io.uncertainty.Simulation.ranges`), or a text saying why a figure has none
        (``"exact: ONS's published table"``), written under ``"ranges"`` in ``headline.json``
        beside the flat central values (which stay as they are).

    Returns
    -------
    Series
        The headline figures, rounded to 3 decimals, for display; the files are written
        atomically, replacing any earlier run's in ``folder``.
    """
    clean = {str(k): (None if pd.isna(v) else round(float(v), 6)) for k, v in headline.items()}
    document: dict[str, object] = dict(clean)
    if ranges:
        unknown = sorted(set(map(str, ranges)) - set(clean))
        if unknown:
            raise CaseError(f"ranges for headlines that are not in the headline: {unknown}; headline: {sorted(clean)}")
        document["ranges"] = {str(k): _range_entry(str(k), r) for k, r in ranges.items()}
    if folder is not None:
        folder = Path(folder)
        write_text_atomic(folder / "results.csv", results.to_csv(float_format="%.10g"), force=True)
        write_text_atomic(
            folder / "headline.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n", force=True
        )
        for stem, fig in (figures or {}).items():
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
            write_atomic(folder / f"{stem}.png", buffer.getvalue(), force=True)
    return pd.Series(clean, name="headline", dtype=float).round(3)


#: The keys of a headline's range in ``headline.json``.
RANGE_KEYS: tuple[str, ...] = ("low", "high", "median", "level", "draws")


def _range_entry(label: str, r: Mapping[str, float | int] | str) -> dict[str, float | int] | dict[str, str]:
    if isinstance(r, str):  # a figure with no range by nature: why (e.g. "exact: ONS's published table")
        if not r.strip():
            raise CaseError(f"range of {label!r}: give a range, or say why there is none")
        return {"none": r.strip()}
    missing = sorted(set(RANGE_KEYS) - set(r))
    if missing:
        raise CaseError(f"range of {label!r} lacks {missing}; a range has {list(RANGE_KEYS)}")
    entry: dict[str, float | int] = {k: round(float(r[k]), 6) for k in ("low", "high", "median", "level")}
    entry["draws"] = int(r["draws"])
    if not entry["low"] <= entry["median"] <= entry["high"]:
        raise CaseError(f"range of {label!r} is not ordered: low {entry['low']}, median {entry['median']}, "
                        f"high {entry['high']}")  # fmt: skip
    return entry


def provider_inputs(case: CaseStudy) -> pd.DataFrame:
    """How each provider of a contract case spends £1 of contract value (shares), with sources.

    Returns
    -------
    DataFrame
        Rows: staff, staff living locally, each spending line and its local share,
        overheads leaving the area, surplus and the share kept locally; one column per
        provider (shares of £1, or of the line above for "locally" rows).
    """
    if not case.providers:
        raise CaseError(f"case '{case.name}' has no providers to compare")
    columns = {}
    for key, p in case.providers.items():
        rows = {
            "staff costs": p.staff_share.value,
            "  paid to staff living locally": p.staff_local_share.value,
            "staff cost per FTE (£)": p.staff_cost_per_fte.value,
        }
        for s in p.spending:
            rows[f"spend: {s.label or s.sector}"] = s.share
            rows[f"  bought locally: {s.label or s.sector}"] = s.local_share
        rows["overheads (leave the area)"] = p.overheads_share.value
        rows["surplus"] = p.surplus_share.value
        rows["  kept in the area"] = p.surplus_local_share.value
        columns[p.name or key] = pd.Series(rows)
    frame = pd.DataFrame(columns)
    frame.index.name = "per £1 of contract"
    return frame


def formatted(frame: pd.DataFrame, columns: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """A table for reading: the named columns formatted by :mod:`kil_io.reporting.formatting`, headed with units.

    Parameters
    ----------
    frame : DataFrame
    columns : mapping
        Column -> (heading, kind), kind one of :data:`kil_io.reporting.formatting.Kind`; other
        columns are left out.

    Returns
    -------
    DataFrame
        Text cells (``"202 FTE"``, ``"£6.8m"``; ``"not available"`` for a missing value).
    """
    out = pd.DataFrame(index=frame.index)
    for column, (heading, kind) in columns.items():
        unit = kind == "fte"
        out[heading] = [fmt.fte(v, unit=False) if unit else fmt.number(v, kind) for v in frame[column]]  # type: ignore[arg-type]
    return out


def formatted_inputs(case: CaseStudy) -> pd.DataFrame:
    """:func:`inputs_table` for reading: values formatted by their unit (£, FTE, share), sources in full."""
    table = inputs_table(case)
    kinds = {"£": "money", "FTE": "fte", "share": "share"}
    values = [
        f"£{v:,.0f}" if u == "£" else fmt.number(v, kinds.get(u, "ratio"))  # type: ignore[arg-type]
        for v, u in zip(table["value"], table["unit"], strict=True)
    ]
    return pd.DataFrame({"value": values, "source": table["source"]}, index=table.index)


def headline_table(headline: Mapping[str, float]) -> pd.DataFrame:
    """The headline figures for reading: figure, value (formatted with its unit) and gross/net."""
    rows = [
        (label.text, fmt.number(value, label.kind), label.basis)
        for _key, label, value, _spread in fmt.headline_figures(dict(headline))
    ]
    return pd.DataFrame(rows, columns=["figure", "value", "basis"]).set_index("figure")


_UNIT_KINDS: dict[str, fmt.Kind] = {"£": "money", "£m": "money_m", "FTE": "fte", "share": "share"}


def formatted_by_unit(
    frame: pd.DataFrame, columns: tuple[str, ...] = ("value",), *, unit: str = "unit"
) -> pd.DataFrame:
    """A table whose rows carry their unit in a column (e.g. ``lm3``, ``published``), formatted row by row.

    ``£`` to the £k or £0.1m, ``£m`` likewise, ``FTE`` whole or 1 dp, ``share`` as %, anything else
    (ratios) to 2 dp; the unit column is dropped, other columns are kept as they are.
    """
    out = frame.drop(columns=[unit]).copy()
    kinds = [_UNIT_KINDS.get(str(u), "ratio") for u in frame[unit]]
    for column in columns:
        out[column] = [fmt.number(v, k) for v, k in zip(frame[column], kinds, strict=True)]  # type: ignore[arg-type]
    return out.fillna("")


def formatted_sensitivity(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`kil_io.appraisal.sensitivity.sensitivity` for reading: totals and changes with units, no NaN labels."""
    columns = {
        "fte": ("Local jobs (FTE)", "fte"), "gva": ("Local GVA", "money_m"), "lm3": ("LM3 (£ per £1)", "ratio"),
        "fte_change": ("Change in jobs (FTE)", "fte"), "gva_change": ("Change in GVA", "money_m"),
        "lm3_change": ("Change in LM3", "ratio"),
    }  # fmt: skip
    out = formatted(frame, {k: v for k, v in columns.items() if k in frame.columns})
    if isinstance(frame.index, pd.MultiIndex) and frame.index.nlevels == 2:
        labels = [(str(name), "as in the case file" if pd.isna(value) else f"{value:g}") for name, value in frame.index]
        out.index = pd.MultiIndex.from_tuples(labels, names=["assumption", "value"])
    return out


#: How a figure that is not meaningful is shown (ONS's and SG's symbol, e.g. a ratio multiplier
#: whose direct coefficient is zero, negative or tiny; a figure a published study does not give).
NOT_MEANINGFUL = ".."


def readable(frame: pd.DataFrame, decimals: int = 3) -> pd.DataFrame:
    """``frame`` for display: numbers rounded to ``decimals``, NaN shown as :data:`NOT_MEANINGFUL`.

    Parameters
    ----------
    frame : DataFrame
    decimals : int

    Returns
    -------
    DataFrame
        A new frame of objects (numbers and ``".."``): for showing, not for computing.

    Examples
    --------
    >>> readable(kil_io.multipliers(datasets.uk_iot(2020))).loc["H491_2", "gva_multiplier"]  # doctest: +SKIP
    '..'
    """
    return frame.round(decimals).astype(object).where(frame.notna(), NOT_MEANINGFUL)


def with_range(sim: Simulation, headline: str) -> str:
    """A simulated headline with its 90% range, by the brief's rules: ``"96 FTE (62–109, 90% range)"``.

    Raises
    ------
    ValueError
        The headline's unit has no number format (a figure is never printed in the wrong unit).
    """
    unit = str(sim.units[headline])
    kind = "ratio" if unit.startswith("£ per £1") else _UNIT_KINDS.get(unit)  # LM3's unit: "£ per £1 of income"
    if kind is None:
        raise ValueError(f"no number format for {headline!r} in {unit!r}; known: {[*_UNIT_KINDS, '£ per £1 ...']}")
    return fmt.figure_with_range(float(sim.central[headline]), sim.range_of(headline), kind)


#: Headline figures of an organisation case: ``headline.json`` label -> measure of
#: :func:`case_results`' ``impact`` total (and of :class:`kil_io.uncertainty.Simulation`).
ORGANISATION_HEADLINE: dict[str, str] = {
    "Local jobs (FTE)": "fte", "Net additional local jobs (FTE)": "fte_net", "Local GVA (£m)": "gva",
    "Net additional local GVA (£m)": "gva_net", "Local income (£m)": "local_income", "LM3 (£ per £1 of income)": "lm3",
}  # fmt: skip
#: Headline figures of a contract case: label -> measure of the local-minus-national row.
CONTRACT_HEADLINE: dict[str, str] = {
    "Extra local jobs with the local provider (FTE)": "fte",
    "Extra local GVA with the local provider (£m)": "gva",
    "Extra local income with the local provider (£m)": "local_income",
    "Extra net additional local jobs (FTE)": "fte_net",
    "LM3 difference (£ per £1)": "lm3",
}


def organisation_headline(table: Mapping[str, pd.DataFrame]) -> dict[str, float]:
    """The headline of an organisation case from :func:`case_results`' tables (:data:`ORGANISATION_HEADLINE`)."""
    total = table["impact"].loc["total"]
    lm3 = float(table["lm3"].loc["lm3", "value"])
    return {label: lm3 if m == "lm3" else float(total[m]) for label, m in ORGANISATION_HEADLINE.items()}


def contract_headline(contract_value: float, comparison: pd.DataFrame) -> dict[str, float]:
    """The headline of a contract case: its value (£) and the local-minus-national row (:data:`CONTRACT_HEADLINE`)."""
    difference = comparison.iloc[-1]
    return {"Contract value (£)": float(contract_value),
            **{label: float(difference[m]) for label, m in CONTRACT_HEADLINE.items()}}  # fmt: skip
