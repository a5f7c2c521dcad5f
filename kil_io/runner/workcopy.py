"""A working copy of a template notebook, to explore without touching the repository's templates.

``kil-io notebook explore_multipliers --area Bristol`` writes ``explore_multipliers.ipynb`` into a
working folder (default ``./kil_io_notebooks``) with the chosen parameters in a cell after the
template's ``parameters`` cell (papermill's ``injected-parameters``, as a batch run has it), and
without the template's jupytext pairing, so saving it (Ctrl+S, JupyterLab's autosave) writes that
one file and never a ``.py`` twin or an output into ``notebooks/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat

from kil_io.errors import BatchError
from kil_io.runner.parameters import same_type, template_parameters, type_name

#: The repository's template notebooks (``notebooks/*.ipynb``).
TEMPLATES = Path(__file__).resolve().parents[2] / "notebooks"
#: Where working copies go by default (relative to the current folder).
DEFAULT_FOLDER = Path("kil_io_notebooks")


def templates() -> list[str]:
    """The names of the templates a working copy can be made of."""
    return sorted(p.stem for p in TEMPLATES.glob("*.ipynb"))


def working_copy(
    name: str, folder: str | Path = DEFAULT_FOLDER, parameters: Mapping[str, Any] | None = None, *, force: bool = False
) -> Path:
    """Copy template ``name`` into ``folder`` with ``parameters`` set, without outputs or a text twin.

    Parameters
    ----------
    name : str
        A template (:func:`templates`), e.g. ``"explore_multipliers"``.
    folder : str or Path
        The working folder; not the repository's ``notebooks/`` (the templates stay clean).
    parameters : mapping, optional
        Template parameter -> value (each of the template's parameter's type).
    force : bool
        Replace a working copy already there (default: refuse, so exploring is never lost).

    Returns
    -------
    Path
        The notebook written.

    Raises
    ------
    BatchError
        Unknown template or parameter, a value of the wrong type, the templates' own folder, or a
        copy already there without ``force``.
    """
    if name not in templates():
        raise BatchError(f"no template {name!r}; templates: {', '.join(templates())}")
    template = TEMPLATES / f"{name}.ipynb"
    folder = Path(folder)
    if folder.resolve() == TEMPLATES.resolve():
        raise BatchError(f"{folder} holds the templates themselves: choose a working folder (default {DEFAULT_FOLDER})")
    defaults = template_parameters(template)
    given = dict(parameters or {})
    for key, value in given.items():
        if key not in defaults:
            raise BatchError(f"template {name!r} has no parameter {key!r}; its parameters: {', '.join(defaults)}")
        if not same_type(value, defaults[key]):
            raise BatchError(f"parameter {key!r} of {name!r} is a {type_name(defaults[key])}, not {value!r}")
    out = folder / f"{name}.ipynb"
    if out.exists() and not force:
        raise BatchError(
            f"{out} exists (your explored copy); open it, or pass --force to start again from the template"
        )
    nb = nbformat.read(template, as_version=4)
    nb.metadata.pop("jupytext", None)  # no .py twin next to a working copy
    if given:
        from papermill.parameterize import parameterize_notebook

        for cell in nb.cells:  # papermill reads every cell's tags and the notebook's run metadata
            cell.metadata.setdefault("tags", [])
        nb.metadata["papermill"] = nbformat.from_dict({})
        nb = parameterize_notebook(nb, given, kernel_name="python3", language="python")
        for cell in nb.cells:
            if not cell.metadata.get("tags"):
                cell.metadata.pop("tags", None)
        nb.metadata.pop("papermill", None)  # not a run: no run's metadata
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    return out
