"""Result folders of organisation and contract cases as a run writes them, without running a notebook.

The templates' last cells call :func:`kil_io.reporting.reports.save_results` with these tables;
writing them here directly gives the reporting tests a real result folder in a second.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import kil_io
from kil_io import datasets
from kil_io.appraisal.commissioning import compare_providers
from kil_io.reporting import reports


def result_folder(out: Path, case: str, *, contract_value: float | None = None, **headline_extra: Any) -> Path:
    """``out/<name>/`` with case.json, headline.json and results.csv, as the case's template writes them."""
    study = kil_io.case_study(case)
    name = case if contract_value is None else f"{case}_contract"
    folder = out / name
    folder.mkdir(parents=True)
    parameters: dict[str, Any] = {"case": case}
    if contract_value is None:
        table = reports.case_results(study)
        frame = table["impact"]
        headline = {
            "Local jobs (FTE)": frame.loc["total", "fte"],
            "Net additional local jobs (FTE)": frame.loc["total", "fte_net"],
            "Local GVA (£m)": frame.loc["total", "gva"],
            "Net additional local GVA (£m)": frame.loc["total", "gva_net"],
            "Local income (£m)": frame.loc["total", "local_income"],
            "LM3 (£ per £1 of income)": table["lm3"].loc["lm3", "value"],
        }
        template = "organisation_impact.ipynb"
    else:
        local = datasets.regional_iot(study.area, study.year, method=study.method, delta=study.delta)
        frame = compare_providers(
            contract_value, study.providers, local, rates=study.rates, respend_share=study.respend_share
        ).to_frame()
        difference = frame.iloc[-1]
        headline = {
            "Contract value (£)": contract_value,
            "Extra local jobs with the local provider (FTE)": difference["fte"],
            "Extra local GVA with the local provider (£m)": difference["gva"],
            "Extra local income with the local provider (£m)": difference["local_income"],
            "Extra net additional local jobs (FTE)": difference["fte_net"],
            "LM3 difference (£ per £1)": difference["lm3"],
        }
        parameters["contract_value"] = contract_value
        template = "commissioning_comparison.ipynb"
    reports.save_results(frame, headline, folder=folder)
    if headline_extra:
        written = json.loads((folder / "headline.json").read_text(encoding="utf-8"))
        (folder / "headline.json").write_text(json.dumps({**written, **headline_extra}), encoding="utf-8")
    info = {"name": name, "title": study.title, "template": template, "parameters": parameters, "status": "done",
            "seconds": 1.0, "finished_utc": "2026-01-01T00:00:00Z", "kil_io": kil_io.__version__}  # fmt: skip
    (folder / "case.json").write_text(json.dumps(info), encoding="utf-8")
    return folder
