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
        headline = reports.organisation_headline(table)  # as the template writes it
        template = "organisation_impact.ipynb"
    else:
        local = datasets.regional_iot(study.area, study.year, method=study.method, delta=study.delta)
        frame = compare_providers(
            contract_value, study.providers, local, rates=study.rates, respend_share=study.respend_share
        ).to_frame()
        headline = reports.contract_headline(contract_value, frame)  # as the template writes it
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
