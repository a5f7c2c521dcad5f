"""The results of a case study as labelled tables, for the command line and notebooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kil_io import datasets
from kil_io.commissioning import compare_providers
from kil_io.impact import organisation_impact, sensitivity
from kil_io.lm3 import organisation_lm3
from kil_io.multipliers import compare

if TYPE_CHECKING:
    from kil_io.cases import CaseStudy


def case_results(case: CaseStudy) -> dict[str, pd.DataFrame]:
    """Every table a case study produces, by name.

    Parameters
    ----------
    case : CaseStudy
        From :func:`kil_io.datasets.case_study`.

    Returns
    -------
    dict of DataFrame
        Organisation and contract cases: ``impact`` (component x FTE, GVA £m, and the
        ratios to income), ``published`` (the study's figures beside the model's),
        ``lm3`` and ``sensitivity``; contract cases also ``providers`` (local vs national
        for the contract value). Area cases: ``multipliers`` (the area beside the UK,
        headline sectors) and ``all_sectors`` (Type I and II for every sector).
    """
    table = datasets.regional_iot(case.area, case.year, method=case.method, delta=case.delta)  # type: ignore[arg-type]
    if case.organisation is None:
        uk = datasets.uk_iot(datasets.national_year_for(case.year))
        headline = compare({case.area: table, "UK": uk}, list(case.sectors) or None)
        every = compare({case.area: table}, None)
        return {"multipliers": headline, "all_sectors": every}
    org = case.organisation
    result = organisation_impact(org, table)
    impact = pd.concat([result.to_frame(), result.per_income()], axis=1)
    lm3 = organisation_lm3(org, table, survey=case.lm3_survey)
    model = {
        "fte": impact.loc["total", "fte"],
        "gva": impact.loc["total", "gva"],
        "lm3": lm3.value,
    }
    units = {"fte": "FTE", "gva": "£m", "lm3": "£ per £1 of income"}
    published = pd.DataFrame(
        {
            "model": pd.Series(model),
            "published": pd.Series({k: v.value / (1e6 if k == "gva" else 1) for k, v in case.published.items()}),
            "unit": pd.Series(units),
            "source": pd.Series({k: v.source for k, v in case.published.items()}),
        }
    )
    published.index.name = "measure"
    out = {
        "impact": impact,
        "published": published,
        "lm3": lm3.to_frame(),
        "sensitivity": sensitivity(org, case.sensitivity, table) if case.sensitivity else pd.DataFrame(),
    }
    if case.providers:
        out["providers"] = compare_providers(org.income.value, case.providers, table).to_frame()
    return out
