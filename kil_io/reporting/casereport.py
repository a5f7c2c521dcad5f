"""What a brief and a workbook show about one organisation or contract case, read from its result folder.

The figures reported come from the files the case's notebook wrote: ``headline.json`` (the
headline, with ``ranges`` and net keys when the run estimated them) and ``results.csv``
(local jobs and GVA by component, or the provider comparison). The case file supplies the
inputs with their sources, and the shipped data the local multipliers used; from these the
report derives the supporting tables a reader checks the headline with (the multipliers, the
provider comparison, the working) and checks them against ``results.csv``. Nothing here runs a
notebook.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kil_io import datasets
from kil_io._version import __version__
from kil_io.appraisal.casefile import CaseStudy, case_study
from kil_io.appraisal.commissioning import ProviderComparison, compare_providers
from kil_io.appraisal.impact import household_closure, organisation_impact
from kil_io.appraisal.organisation import Organisation
from kil_io.errors import CaseError, KilIOWarning
from kil_io.model.multipliers import closed_system, direct_coefficients, multipliers
from kil_io.reporting.reports import inputs_table
from kil_io.reporting.results import read_headline, read_json

#: Kinds of case that get a brief and a workbook.
REPORTED_KINDS = ("organisation", "contract")
#: Relative difference tolerated between the working re-derived here and the notebook's results.csv.
CHECK_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Working:
    """The arithmetic of one organisation's local jobs and GVA, line by line (for the workbook).

    ``lines`` has one row per local spending line (``value`` £, ``local_share``, ``sector``,
    ``label``); ``effects`` the local multipliers by sector (FTE per £1m and GVA £ per £1 of
    demand, Type I and Type II, and direct FTE and GVA per £1m of output); ``household``
    the jobs and GVA per £1m of local households' income re-spent (Type II closure).
    """

    name: str
    org: Organisation
    lines: pd.DataFrame
    effects: pd.DataFrame
    household: Mapping[str, float]
    components: pd.DataFrame

    def totals(self) -> pd.DataFrame:
        """The components re-derived from the lines and multipliers (rows as ``components``)."""
        e, lines = self.effects, self.lines
        local = lines["value"] * lines["local_share"] / 1e6
        by = {k: (local * e.loc[lines["sector"], k].to_numpy()).sum() for k in e.columns}
        pay = self.org.local_staff_pay / 1e6
        enabled = np.zeros(2)
        for ent in self.org.enterprises:  # gross: all hosted activity (its additionality is the net's reference case)
            fe = ent.turnover.value / 1e6
            row = e.loc[ent.sector]
            enabled += [ent.fte.value + fe * (row["fte_type_ii"] - row["fte_direct"]), fe * row["gva_type_ii"]]
        rows = {
            "direct": [self.org.staff_fte.value, (self.org.staff_costs.value + self.org.surplus.value) / 1e6],
            "indirect": [by["fte_type_i"], by["gva_type_i"]],
            "induced": [
                by["fte_type_ii"] - by["fte_type_i"] + pay * self.household["fte"],
                by["gva_type_ii"] - by["gva_type_i"] + pay * self.household["gva"],
            ],
            "enabled": list(enabled),
        }
        frame = pd.DataFrame(rows, index=["fte", "gva"]).T
        frame.loc["total"] = frame.sum()
        return frame


@dataclass(frozen=True)
class CaseReport:
    """Everything the brief and the workbook of one case show (read-only).

    Attributes
    ----------
    name, title : str
        The case's folder name and title.
    folder : Path
        The result folder read.
    study : CaseStudy
        The case file (inputs with sources, published figures for comparison).
    headline : mapping
        ``headline.json`` as written.
    components : DataFrame or None
        Local jobs (``fte``) and GVA (``gva``, £m) by component (gross), from ``results.csv``.
    comparison : ProviderComparison or None
        The same contract by provider, for contract cases.
    contract_value : float or None
        £ a year, when the case is a contract.
    inputs : DataFrame
        Every input: ``value``, ``unit``, ``source`` (and ``group``).
    multipliers : DataFrame
        The local multipliers used, by sector, with the sector's name.
    workings : tuple of Working
        One per organisation modelled (one per provider for a contract comparison).
    info : mapping
        ``case.json``.
    """

    name: str
    title: str
    folder: Path
    study: CaseStudy
    headline: Mapping[str, Any]
    components: pd.DataFrame | None
    comparison: ProviderComparison | None
    contract_value: float | None
    inputs: pd.DataFrame
    multipliers: pd.DataFrame
    workings: tuple[Working, ...]
    info: Mapping[str, Any] = field(default_factory=dict)
    national_year: int = 0

    @property
    def version(self) -> str:
        """kil_io version that ran the case."""
        return str(self.info.get("kil_io", __version__))


def reported_case(folder: str | Path) -> str | None:
    """The case-file name a result folder reports on, or None if it is not an organisation or contract case."""
    info = read_json(Path(folder) / "case.json")
    name = (info.get("parameters") or {}).get("case")
    if info.get("status") != "done" or not isinstance(name, str) or name not in datasets.case_studies():
        return None
    return name if case_study(name).kind in REPORTED_KINDS else None


def load_report(folder: str | Path) -> CaseReport:
    """Read a case's result folder into a :class:`CaseReport`.

    Parameters
    ----------
    folder : str or Path
        ``<out>/<name>/`` of a successful run (``case.json``, ``headline.json``, ``results.csv``).

    Returns
    -------
    CaseReport

    Raises
    ------
    CaseError
        The folder is not an organisation or contract case's result, a file is missing, or
        the working re-derived from the case file differs from the notebook's ``results.csv``
        (the message names the component and both values).
    """
    folder = Path(folder)
    case = reported_case(folder)
    if case is None:
        raise CaseError(f"{folder}: not the result of an organisation or contract case (see its case.json)")
    info = read_json(folder / "case.json")
    headline = read_headline(folder)
    if not headline:
        raise CaseError(f"{folder}: headline.json is missing or empty")
    try:
        results = pd.read_csv(io.StringIO((folder / "results.csv").read_text(encoding="utf-8")), index_col=0)
    except (OSError, ValueError) as exc:
        raise CaseError(f"{folder}: results.csv cannot be read: {exc}") from None
    study = case_study(case)
    table = datasets.regional_iot(study.area, study.year, method=study.method, delta=study.delta)  # type: ignore[arg-type]
    params = info.get("parameters") or {}
    contract_value = params.get("contract_value")
    org = study.organisation
    assert org is not None  # reported kinds have one
    comparison = None
    components: pd.DataFrame | None = None
    closing = dict(rates=study.rates, respend_share=study.respend_share)  # the run's gross-to-net and re-spend
    income = float(household_closure(table, respend_share=study.respend_share)["household_income"])  # type: ignore[arg-type]
    if contract_value is not None:
        comparison = compare_providers(float(contract_value), study.providers, table, **closing)
        _check(folder, "provider comparison", results[["fte", "gva"]], comparison.table[["fte", "gva"]])
        orgs = [
            p.organisation(float(contract_value), area=study.area, year=study.year) for p in study.providers.values()
        ]
        names = [p.name for p in study.providers.values()]
    else:
        components = results[["fte", "gva"]].astype(float)
        if study.providers:
            comparison = compare_providers(org.income.value, study.providers, table, **closing)
            contract_value = org.income.value
        orgs, names = [org], [org.name]
    sectors = list(dict.fromkeys(s for o in orgs for s in (*o.local_spend.index, *(e.sector for e in o.enterprises))))
    one, two = _both_kinds(table, income)
    effects = _effects(table, sectors, one, two)
    household = _household(table, income)
    workings = tuple(
        Working(n, o, _lines(o), effects, household, _components(o, table, closing))
        for n, o in zip(names, orgs, strict=True)
    )
    if components is not None:
        _check(folder, "working", components, workings[0].totals())
    return CaseReport(
        name=str(info.get("name") or folder.name), title=str(info.get("title") or study.title), folder=folder,
        study=study,        headline=headline, components=components, comparison=comparison,
        contract_value=None if contract_value is None else float(contract_value),
        inputs=_inputs(study, comparison is not None and components is None),
        multipliers=_multipliers(table, sectors, one, two),
        workings=workings, info=info, national_year=datasets.national_year_for(study.year),
    )  # fmt: skip


def _check(folder: Path, what: str, expected: pd.DataFrame, got: pd.DataFrame) -> None:
    """Every row both tables have (rows another issue's results add are not this check's business), total included."""
    rows = [r for r in expected.index if r in got.index]
    if not rows or not ({"total"} & set(rows) or what == "provider comparison"):
        raise CaseError(f"{folder}: results.csv has none of the rows {list(got.index)} ({what})")
    for row in rows:
        for col in expected.columns:
            a, b = float(expected.loc[row, col]), float(got.loc[row, col])
            if not math.isclose(a, b, rel_tol=CHECK_TOLERANCE, abs_tol=1e-9):
                raise CaseError(
                    f"{folder}: results.csv has {col} = {a!r} for '{row}' but the case file gives {b!r} ({what}); "
                    "was the case file changed after the run? re-run the case with --force"
                )


def _lines(org: Organisation) -> pd.DataFrame:
    return pd.DataFrame(
        [(s.label or s.sector, s.sector, s.value, s.local_share, s.source) for s in org.spending],
        columns=["label", "sector", "value", "local_share", "source"],
    )


def _components(org: Organisation, table: Any, closing: Mapping[str, Any]) -> pd.DataFrame:
    return organisation_impact(org, table, **closing).to_frame()


def _both_kinds(table: Any, income: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    with warnings.catch_warnings():
        # the warnings name sectors with no output here; a case buying from one shows "not available"
        warnings.simplefilter("ignore", KilIOWarning)
        return multipliers(table, "type_i"), multipliers(table, "type_ii", household_income=income)


def _effects(table: Any, sectors: list[str], one: pd.DataFrame, two: pd.DataFrame) -> pd.DataFrame:
    """Local multipliers by sector: FTE per £1m and GVA £ per £1 of demand (Type I, II) and direct per £1m output."""
    direct = direct_coefficients(table)
    idx = [table.sectors.index(s) for s in sectors]
    return pd.DataFrame(
        {
            "fte_type_i": one.loc[sectors, "employment_effect"].to_numpy(),
            "fte_type_ii": two.loc[sectors, "employment_effect"].to_numpy(),
            "gva_type_i": one.loc[sectors, "gva_effect"].to_numpy(),
            "gva_type_ii": two.loc[sectors, "gva_effect"].to_numpy(),
            "fte_direct": direct[3, idx],
            "gva_direct": direct[1, idx],
        },
        index=pd.Index(sectors, name="sector"),
    )


def _household(table: Any, income: float) -> dict[str, float]:
    """Local FTE and GVA (£m) per £1m of local households' income re-spent (the Type II closure)."""
    n = table.n
    v = direct_coefficients(table)
    x = closed_system(table, income).solve(np.append(np.zeros(n), 1.0))[:n]
    return {"fte": float(v[3] @ x), "gva": float(v[1] @ x)}


def _multipliers(table: Any, sectors: list[str], one: pd.DataFrame, two: pd.DataFrame) -> pd.DataFrame:
    names = dict(zip(table.sectors, table.names, strict=True))
    frame = pd.DataFrame(
        {
            "industry": [names[s] for s in sectors],
            "output_type_i": one.loc[sectors, "output_multiplier"].to_numpy(),
            "output_type_ii": two.loc[sectors, "output_multiplier"].to_numpy(),
            "fte_per_1m_type_i": one.loc[sectors, "employment_effect"].to_numpy(),
            "fte_per_1m_type_ii": two.loc[sectors, "employment_effect"].to_numpy(),
            "gva_per_1_type_i": one.loc[sectors, "gva_effect"].to_numpy(),
            "gva_per_1_type_ii": two.loc[sectors, "gva_effect"].to_numpy(),
        },
        index=pd.Index(sectors, name="sector"),
    )
    return frame


def _inputs(study: CaseStudy, providers_only: bool) -> pd.DataFrame:
    """Every input with its unit and source; grouped by what it describes."""
    frames = []
    if not providers_only:
        own = inputs_table(study).reset_index()
        own["group"] = study.organisation.name if study.organisation else study.title
        own["input"] = own["input"].str.strip()
        frames.append(own)
    for key, p in study.providers.items():
        rows = [
            ("staff costs, share of contract", p.staff_share.value, "share", p.staff_share.source),
            ("staff cost per FTE", p.staff_cost_per_fte.value, "£", p.staff_cost_per_fte.source),
            ("staff living locally", p.staff_local_share.value, "share", p.staff_local_share.source),
            ("overheads leaving the area, share", p.overheads_share.value, "share", p.overheads_share.source),
            ("surplus, share of contract", p.surplus_share.value, "share", p.surplus_share.source),
            ("surplus kept in the area", p.surplus_local_share.value, "share", p.surplus_local_share.source),
        ]
        for s in p.spending:
            rows.append((f"spend: {s.label or s.sector}, share of contract", s.share, "share", s.source))
            rows.append((f"bought locally: {s.label or s.sector}", s.local_share, "share", s.source))
        frame = pd.DataFrame(rows, columns=["input", "value", "unit", "source"])
        frame["group"] = p.name or key
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    return out[["group", "input", "value", "unit", "source"]]


def source_kind(source: str) -> str:
    """``"assumption"``, ``"published"`` or ``"record"`` from a source note's prefix."""
    head = source.strip().casefold()
    if head.startswith("assumption"):
        return "assumption"
    if head.startswith("public"):
        return "published"
    return "record"
