"""Notebooks run headless under papermill with their parameters, on the shipped data."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
TEMPLATES = sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.stem for p in TEMPLATES])
def test_template_is_committed_clean_with_a_parameters_cell(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", []), "first code cell must be tagged 'parameters'"
    assert all(not c.outputs and c.execution_count is None for c in code), "templates are committed without outputs"


def test_uk_multipliers_runs_with_other_parameters(tmp_path: Path) -> None:
    out = tmp_path / "uk_2020.ipynb"
    pm.execute_notebook(
        NOTEBOOKS / "uk_multipliers.ipynb",
        out,
        parameters={"year": 2020, "sectors": ["P85", "Q86"]},
        kernel_name="python3",
        language="python",
        progress_bar=False,
        cwd=tmp_path,
    )
    nb = nbformat.read(out, as_version=4)
    text = "\n".join(
        o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for c in nb.cells for o in c.get("outputs", [])
    )
    assert "IOTable('UK 2020'" in text
    assert "Human Health Activities" in text
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 2
