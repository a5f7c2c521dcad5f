"""`kil-io notebook NAME`: a working copy of a template, so exploring never changes notebooks/; readable pages."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import papermill as pm
from PIL import Image

from kil_io import datasets
from kil_io.cli import main
from kil_io.reporting import pages, reports
from kil_io.runner.workcopy import TEMPLATES

EXPLORE = TEMPLATES / "explore_multipliers.ipynb"


def test_working_copy_sets_parameters_without_touching_the_template(tmp_path: Path, capsys) -> None:
    before = EXPLORE.read_bytes(), EXPLORE.with_suffix(".py").read_bytes()
    out = tmp_path / "work"
    assert main(["notebook", "explore_multipliers", "--area", "Bristol", "--sectors", "Q87 & Q88", "P85",
                 "--out", str(out)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "jupyter lab" in printed
    assert "explore_multipliers.ipynb" in printed
    nb = nbformat.read(out / "explore_multipliers.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert 'area = "Bristol"' in injected[0].source
    assert "jupytext" not in nb.metadata  # saving the copy writes no .py twin
    assert (EXPLORE.read_bytes(), EXPLORE.with_suffix(".py").read_bytes()) == before
    assert sorted(p.name for p in out.iterdir()) == ["explore_multipliers.ipynb"]
    # run headless, as JupyterLab would first show it: the chart of Bristol's two industries, Type I and II jobs
    ran = tmp_path / "ran.ipynb"
    pm.execute_notebook(out / "explore_multipliers.ipynb", ran, kernel_name="python3", progress_bar=False,
                        cwd=str(tmp_path), execution_timeout=120, start_timeout=60)  # fmt: skip
    outs = [o for c in nbformat.read(ran, as_version=4).cells for o in c.get("outputs", [])]
    shown = [o for o in outs if "image/png" in o.get("data", {})]
    assert len(shown) == 1
    assert "Bristol" in shown[0]["data"]["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in shown[0]["data"]
    image = np.asarray(Image.open(io.BytesIO(base64.b64decode(shown[0]["data"]["image/png"]))).convert("RGB"))
    assert image.shape[0] > 200
    assert (image.sum(axis=2) < 200).mean() > 0.005
    assert not [o for o in outs if o.get("name") == "stderr" or o["output_type"] == "error"]


def test_a_working_copy_is_never_written_over_or_into_the_templates(tmp_path: Path, capsys) -> None:
    assert main(["notebook", "explore_multipliers", "--out", str(tmp_path)]) == 0
    assert main(["notebook", "explore_multipliers", "--out", str(tmp_path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["notebook", "explore_multipliers", "--out", str(TEMPLATES)]) == 2
    assert "holds the templates themselves" in capsys.readouterr().err
    assert main(["notebook", "uk_multipliers", "--area", "Leeds", "--out", str(tmp_path)]) == 2
    assert "has no parameter 'area'" in capsys.readouterr().err
    assert main(["notebook", "explorer", "--out", str(tmp_path)]) == 2
    assert "explore_multipliers" in capsys.readouterr().err
    assert main(["notebook"]) == 0
    assert "organisation_impact" in capsys.readouterr().out


def test_regional_page_metadata_reads_as_a_table() -> None:
    facts = reports.table_metadata(datasets.regional_iot("Leeds", 2019, delta=0.2))
    text = repr(facts)
    assert re.search(r"National table +UK 2023", text)
    assert re.search(r"Area code +E08000035 \(local authority\)", text)
    assert "{" not in text
    assert "'" not in text.splitlines()[1]
    assert "<table>" in facts._repr_html_()
    assert "FLQ λ*" in facts._repr_html_()


def test_headline_shows_each_figure_to_the_decimals_its_unit_needs() -> None:
    view = reports.headline_view(
        {"P85: local Type I output multiplier": 1.13612, "P85: local Type II jobs per £1m (FTE)": 17.9241},
        {"P85: local Type II jobs per £1m (FTE)": {"low": 17.41, "high": 18.46, "median": 17.9, "level": 0.9,
                                                   "draws": 10}},
    )  # fmt: skip
    assert list(view["value"]) == ["1.136", "17.9"]
    assert list(view["90% range"]) == ["", "17.4 to 18.5"]
    assert "dtype" not in repr(view)
    assert "Name:" not in repr(view)


def test_sensitivity_names_assumptions_and_says_which_change_net_only() -> None:
    import kil_io

    result = kil_io.appraise(kil_io.case_study("halifax_opportunities_trust"), 0)
    table = pages.sensitivity(result)
    assumptions = set(table.index.get_level_values("assumption"))
    assert "share of hosted enterprises' activity counted as additional" in assumptions
    assert not [a for a in assumptions if "_" in a]
    additional = table.xs("share of hosted enterprises' activity counted as additional", level="assumption")
    assert set(additional["Change in jobs, gross"]) == {"none (changes net only)"}
    assert all(v.endswith("FTE") for v in additional["Change in jobs, net"])  # the net figures are reported
    assert {"25%", "100%"} <= set(additional.index)


def test_explore_notebook_prints_no_function_repr_or_traceback(tmp_path: Path) -> None:
    source = EXPLORE.with_suffix(".py").read_text(encoding="utf-8")
    assert "interact(" not in source
    assert len([ln for ln in source.splitlines() if ln and not ln.startswith("#")]) < 15


def test_kil_io_errors_are_short_in_ipython(tmp_path: Path) -> None:
    """A wrong area in a notebook cell shows its message, not a page of kil_io's traceback."""
    code = (
        "from IPython.testing.globalipapp import start_ipython\n"
        "ip = start_ipython()\n"
        "ip.run_cell('import kil_io')\n"
        "ip.run_cell('kil_io.datasets.regional_iot(\"Bristl\", 2021)')\n"
        'ip.run_cell(\'m = kil_io.multipliers(kil_io.datasets.regional_iot("Calderdale", 2021), "type_ii")\')\n'
        "ip.display_formatter.formatters['text/html'].enabled = True  # as in Jupyter (a terminal shows text)\n"
        "print(ip.display_formatter.formatters['text/html'](ip.user_ns['m']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    shown = done.stdout + done.stderr
    assert "AreaError: unknown area 'Bristl' (did you mean" in shown
    assert "File " not in shown
    assert "Traceback" not in shown
    assert "Jobs [FTE per £1m]" in shown
    assert "Residential Care" in shown
    warned = [ln for ln in shown.splitlines() if "ZeroOutputWarning" in ln or "NegativeFlowWarning" in ln]
    assert warned
    assert all(ln.startswith(("ZeroOutputWarning: ", "NegativeFlowWarning: ")) for ln in warned)
    assert ".py:" not in shown
    assert "/tmp" not in shown
