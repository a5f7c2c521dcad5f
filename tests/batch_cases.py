"""Small case lists and templates shared by the tests of the batch runners (local processes, Dask)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from kil_io.runner import batch

NOTEBOOKS = batch.default_cases_file().parent

#: Two fast cases (one sector each): ~3 s of kernel time apiece.
SMALL = """\
cases:
  - name: uk_small
    title: UK, education only
    template: uk_multipliers.ipynb
    parameters: {year: 2022, sectors: [P85]}
  - name: leeds_small
    template: regional_multipliers.ipynb
    parameters: {area: Leeds, year: 2021, sectors: [P85]}
"""


def copy_templates(folder: Path) -> Path:
    """Two templates and case lists beside them (templates are named relative to the list)."""
    for name in ("uk_multipliers.ipynb", "regional_multipliers.ipynb"):
        shutil.copy(NOTEBOOKS / name, folder / name)
    (folder / "small.yaml").write_text(SMALL)
    # the same cases, but Leeds for a year without BRES data: valid types, fails inside the notebook
    (folder / "broken.yaml").write_text(SMALL.replace("year: 2021", "year: 2014"))
    return folder


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def killer_template(folder: Path) -> Path:
    """A template whose kernel kills the worker process running it, the first time only."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('marker = ""\nresults_folder = None', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "import os, pathlib, signal\n"
            "m = pathlib.Path(marker)\n"
            "if not m.exists():\n"
            "    m.write_text('killed once')\n"
            "    os.kill(os.getppid(), signal.SIGKILL)\n"
            "print('second try ran')"
        ),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "killer.ipynb"
    nbformat.write(nb, path)
    return path
