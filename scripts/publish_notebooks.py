"""Re-execute the published case-study notebooks into notebooks/published/ (``make publish``).

Each is its template run by papermill with the case's parameters and
``results_folder=None`` (the published notebook writes no files when nbval re-runs it).
Run it whenever a change to kil_io or to the data changes a published figure: until
then ``make test`` (nbval) fails, which is the point.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import nbformat
import papermill as pm

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
#: published name -> (template, parameters)
PUBLISHED: dict[str, tuple[str, dict[str, object]]] = {
    "halifax_opportunities_trust": ("organisation_impact.ipynb", {"case": "halifax_opportunities_trust"}),
    "jubilee_childrens_centre": ("organisation_impact.ipynb", {"case": "jubilee_childrens_centre"}),
    "calderdale": ("regional_multipliers.ipynb", {"area": "Calderdale", "year": 2021}),
}
#: papermill's per-run metadata (times, durations) that would make every publication a diff.
VOLATILE = ("start_time", "end_time", "duration", "exception", "status")


def publish(name: str, template: str, parameters: dict[str, object]) -> Path:
    out = NOTEBOOKS / "published" / f"{name}.ipynb"
    with tempfile.TemporaryDirectory() as work:
        executed = Path(work) / out.name
        pm.execute_notebook(
            NOTEBOOKS / template,
            executed,
            parameters={**parameters, "results_folder": None},
            kernel_name="python3",
            language="python",
            cwd=work,
            progress_bar=False,
        )
        nb = nbformat.read(executed, as_version=4)
    for item in [nb, *nb.cells]:
        for key in VOLATILE:
            item.metadata.get("papermill", {}).pop(key, None)
        item.metadata.pop("execution", None)  # the kernel's per-cell timestamps
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"  # papermill draws a random id each run
    nb.metadata.get("papermill", {}).pop("input_path", None)
    nb.metadata.get("papermill", {}).pop("output_path", None)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    return out


def main() -> int:
    for name, (template, parameters) in PUBLISHED.items():
        print(f"published {publish(name, template, parameters).relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
