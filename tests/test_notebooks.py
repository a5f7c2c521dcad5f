"""Notebooks run headless under papermill with their parameters, on the shipped data."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
TEMPLATES = sorted(NOTEBOOKS.glob("*.ipynb"))
IDS = [p.stem for p in TEMPLATES]


def run(path: Path, out: Path, **parameters: object) -> nbformat.NotebookNode:
    pm.execute_notebook(
        path, out, parameters=parameters, kernel_name="python3", language="python", progress_bar=False, cwd=out.parent
    )
    return nbformat.read(out, as_version=4)


def outputs(nb: nbformat.NotebookNode) -> tuple[str, int]:
    """All text the notebook printed or displayed, and the number of images."""
    outs = [o for c in nb.cells for o in c.get("outputs", [])]
    text = "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in outs)
    return text, sum("image/png" in o.get("data", {}) for o in outs)


@pytest.mark.parametrize("path", TEMPLATES, ids=IDS)
def test_template_is_committed_clean_with_a_parameters_cell(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", []), "first code cell must be tagged 'parameters'"
    assert all(not c.outputs and c.execution_count is None for c in code), "templates are committed without outputs"


@pytest.mark.parametrize("path", TEMPLATES, ids=IDS)
def test_template_runs_with_its_defaults(path: Path, tmp_path: Path) -> None:
    text, images = outputs(run(path, tmp_path / path.name))
    assert images >= 1
    assert "Traceback" not in text
    assert str(NOTEBOOKS.parent) not in text  # no machine paths in what readers see


def test_uk_multipliers_with_other_parameters(tmp_path: Path) -> None:
    text, images = outputs(run(NOTEBOOKS / "uk_multipliers.ipynb", tmp_path / "uk.ipynb", year=2020, sectors=["Q86"]))
    assert "IOTable('UK 2020'" in text
    assert "Human Health Activities" in text
    assert images == 2


def test_regional_multipliers_for_another_area(tmp_path: Path) -> None:
    nb = run(NOTEBOOKS / "regional_multipliers.ipynb", tmp_path / "leeds.ipynb", area="Leeds", year=2019, delta=0.2)
    text, _ = outputs(nb)
    assert "IOTable('Leeds 2019'" in text
    assert "'national_table': 'UK 2019'" in text
