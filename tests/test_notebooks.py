"""Notebook templates: clean, parameterised, twinned with text files, and runnable headless."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import nbformat
import papermill as pm
import pytest

import kil_io

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
TEMPLATES = sorted(NOTEBOOKS.glob("*.ipynb"))
IDS = [p.stem for p in TEMPLATES]
PUBLISHED = sorted((NOTEBOOKS / "published").glob("*.ipynb"))


# a template's cells take seconds; a cell or a kernel start that takes minutes is a hang, not a slow machine
CELL_TIMEOUT, START_TIMEOUT = 120, 60


def run(path: Path, out: Path, **parameters: object) -> nbformat.NotebookNode:
    pm.execute_notebook(
        path,
        out,
        parameters=parameters,
        kernel_name="python3",
        language="python",
        progress_bar=False,
        cwd=out.parent,
        execution_timeout=CELL_TIMEOUT,
        start_timeout=START_TIMEOUT,
    )
    return nbformat.read(out, as_version=4)


def outputs(nb: nbformat.NotebookNode) -> tuple[str, int]:
    """All text the notebook printed or displayed, and the number of images."""
    outs = [o for c in nb.cells for o in c.get("outputs", [])]
    text = "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in outs)
    return text, sum("image/png" in o.get("data", {}) for o in outs)


def cells(nb: nbformat.NotebookNode) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source.strip(), list(c.metadata.get("tags", []))) for c in nb.cells]


def test_every_analysis_has_a_template() -> None:
    assert set(IDS) >= {
        "regional_multipliers", "organisation_impact", "commissioning_comparison", "explore_multipliers",
        "uk_multipliers", "scotland_calibration", "council_spend",
    }  # fmt: skip


@pytest.mark.parametrize("path", TEMPLATES, ids=IDS)
def test_template_is_committed_clean_with_a_parameters_cell(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", []), "first code cell must be tagged 'parameters'"
    assert all(not c.outputs and c.execution_count is None for c in code), (
        f"notebooks/{path.name} was saved with outputs (explored in place?): restore it with "
        f"`git checkout -- notebooks/{path.name} notebooks/{path.stem}.py`, and explore a working copy instead: "
        f"`kil-io notebook {path.stem}`"
    )
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", TEMPLATES, ids=IDS)
def test_text_twin_is_in_sync(path: Path) -> None:
    """Each template has a py:percent twin (jupytext) with the same cells: review the .py, run the .ipynb."""
    twin = path.with_suffix(".py")
    assert twin.is_file(), f"{twin.name} missing: run `jupytext --set-formats ipynb,py:percent {path.name}`"
    assert cells(jupytext.read(twin)) == cells(nbformat.read(path, as_version=4)), (
        f"{path.name} and {twin.name} differ: run `jupytext --sync notebooks/{twin.name}` (or, if you explored the "
        f"template in place, `git checkout -- notebooks/{path.name} notebooks/{twin.name}`)"
    )


@pytest.mark.parametrize("path", TEMPLATES, ids=IDS)
def test_template_runs_with_its_defaults(path: Path, tmp_path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    writes = "results_folder" in nb.cells[[c.cell_type for c in nb.cells].index("code")].source
    text, images = outputs(run(path, tmp_path / path.name, **({"results_folder": "."} if writes else {})))
    assert "Traceback" not in text
    assert str(NOTEBOOKS.parent) not in text  # no machine paths in what readers see
    if path.stem != "explore_multipliers":  # the explorer draws inside its widget
        assert images >= 1
        headline = json.loads((tmp_path / "headline.json").read_text(encoding="utf-8"))
        assert headline
        ranges = headline.pop("ranges", {})
        units = headline.pop("units", {})
        assert headline.pop("kil_io") == kil_io.__version__  # the version that computed the figures
        assert set(units) <= set(headline)
        assert all(isinstance(v, float | int) for v in headline.values())
        for label, r in ranges.items():  # the 90% range of a headline figure (kil_io.uncertainty)
            assert label in headline
            if set(r) == {"none"}:  # a figure with no range by nature, saying why
                records = path.stem == "council_spend" and r["none"].startswith(("from the ledger", "the scenario's"))
                assert (
                    path.stem in ("uk_multipliers", "scotland_calibration")
                    or label == "Contract value (£)"
                    or (records)
                ), label
                continue
            assert set(r) == {"low", "high", "median", "level", "draws"}
            assert r["low"] <= r["median"] <= r["high"]
            assert (r["level"], r["draws"]) == (0.9, 10_000)
        if path.stem in ("organisation_impact", "commissioning_comparison", "regional_multipliers", "council_spend"):
            assert ranges, "a headline without its range is unfinished"
            assert "90% range" in text
        assert (tmp_path / "results.csv").is_file()
        assert any(tmp_path.glob("*.png"))


def test_uk_multipliers_with_other_parameters(tmp_path: Path) -> None:
    text, images = outputs(run(NOTEBOOKS / "uk_multipliers.ipynb", tmp_path / "uk.ipynb", year=2020, sectors=["Q86"]))
    assert "IOTable('UK 2020'" in text
    assert "Human Health Activities" in text
    assert images == 2


def test_regional_multipliers_for_another_area(tmp_path: Path) -> None:
    nb = run(NOTEBOOKS / "regional_multipliers.ipynb", tmp_path / "leeds.ipynb", area="Leeds", year=2019, delta=0.2)
    text, _ = outputs(nb)
    assert "IOTable('Leeds 2019'" in text
    assert re.search(r"National table +UK 2023", text)  # the latest table, for every employment year


def test_commissioning_page_of_a_lotted_tender_in_another_area(tmp_path: Path) -> None:
    nb = run(NOTEBOOKS / "commissioning_comparison.ipynb", tmp_path / "lots.ipynb", case="bradford_facilities",
             area="Leeds", draws=200)  # fmt: skip
    text, images = outputs(nb)
    assert "a £6,000,000 a year contract in Leeds" in text
    assert "lots against one contract" in text
    assert "cannot be told apart from" in text
    assert "Procurement Act 2023" in text
    assert images >= 1


@pytest.mark.parametrize("path", PUBLISHED, ids=[p.stem for p in PUBLISHED])
def test_published_notebooks_are_their_templates_with_outputs(path: Path) -> None:
    """A published notebook is a template plus papermill's injected parameters: re-publish after editing one."""
    nb = nbformat.read(path, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert "results_folder = None" in injected[0].source  # nbval re-runs it without writing files
    body = [c for c in cells(nb) if "injected-parameters" not in c[2]]
    assert any(cells(nbformat.read(t, as_version=4)) == body for t in TEMPLATES), (
        f"{path.name} is not an execution of any current template: run `make publish`"
    )
    text, images = outputs(nb)
    assert images >= 1
    assert "Traceback" not in text
