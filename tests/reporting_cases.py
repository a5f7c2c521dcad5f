"""Result folders of organisation and contract cases as a run writes them, without running a notebook.

The templates' last cell calls :func:`kil_io.reporting.outputs.save_appraisal`; calling it here gives the
reporting tests a real result folder in about a second (few draws: the ranges are not the point).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import kil_io
from kil_io.reporting.outputs import save_appraisal

#: Draws of the ranges in reporting tests: enough for a range, few enough to be quick.
DRAWS = 300


def result_folder(out: Path, case: str | Path, *, contract_value: float | None = None) -> Path:
    """``out/<name>/`` with case.json, appraisal.json, headline.json and results.csv, as the template writes them."""
    study = kil_io.case_study(case)
    name = study.name if contract_value is None else f"{study.name}_contract"
    folder = out / name
    folder.mkdir(parents=True)
    result = kil_io.appraise(study, DRAWS, seed=1, contract_value=contract_value)
    save_appraisal(result, folder)
    parameters: dict[str, Any] = {"case": str(case)}
    template = "organisation_impact.ipynb"
    if contract_value is not None:
        parameters["contract_value"] = contract_value
        template = "commissioning_comparison.ipynb"
    info = {"name": name, "title": study.title, "template": template, "parameters": parameters, "status": "done",
            "seconds": 1.0, "finished_utc": "2026-01-01T00:00:00Z", "kil_io": kil_io.__version__}  # fmt: skip
    (folder / "case.json").write_text(json.dumps(info), encoding="utf-8")
    return folder
