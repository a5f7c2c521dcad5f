"""Where the shipped datasets are read from, shared by every dataset module, and the check that they are this version's.

The data are found in this order:

1. ``$KIL_IO_DATA``, a folder of the same layout (your own, or another copy);
2. ``kil_io/_data`` inside the installed package: a wheel or ``pip install .`` ships the repository's
   ``data/`` there (``pyproject.toml``, ``[tool.hatch.build.targets.wheel.sources]``), found with
   :mod:`importlib.resources`;
3. ``data/`` beside ``kil_io/`` where ``pyproject.toml`` is too: a clone of the repository, or an
   editable install of one. A ``data/`` beside an installed package (in ``site-packages``) is never
   kil_io's, so it is never read.

The folder's ``about.json`` names the kil_io version whose data it holds; the first read of a
folder checks it against :data:`kil_io.__version__` (figures move between releases, so the data
of another release would give another release's figures under this one's name).
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import numpy as np

from kil_io._version import __version__
from kil_io.errors import DatasetError

#: Environment variable naming a data folder to use instead of the shipped one.
DATA_ENV = "KIL_IO_DATA"
#: The manifest of a data folder: ``{"kil_io": "<version>"}``, written by ``scripts/build_data.py``.
MANIFEST = "about.json"
#: Where a wheel puts the repository's ``data/`` and ``notebooks/`` (templates, case list) inside the package.
PACKAGED_DATA, PACKAGED_NOTEBOOKS = "_data", "_notebooks"

__all__ = ["DATA_ENV", "MANIFEST", "data_dir", "manifest", "shipped_folder"]

#: Folders whose manifest was checked (once per process and folder).
_CHECKED: set[Path] = set()


def shipped_folder(packaged: str, in_clone: str) -> tuple[Path, str]:
    """The folder of files shipped with kil_io: inside the installed package, or beside it in a clone.

    Parameters
    ----------
    packaged : str
        Its name inside the installed package (``"_data"``, ``"_notebooks"``).
    in_clone : str
        Its name at the repository's root (``"data"``, ``"notebooks"``).

    Returns
    -------
    (Path, str)
        The folder (which may not exist: the caller says what is missing) and how kil_io is installed:
        ``"clone"`` where the package has no such folder and ``pyproject.toml`` sits beside it,
        ``"installed"`` otherwise.

    Raises
    ------
    DatasetError
        kil_io is imported from a zip file, whose files cannot be read as folders.
    """
    found = resources.files("kil_io")
    if not isinstance(found, Path):
        raise DatasetError(
            f"kil_io is imported from {found}, not from a folder; install it with pip (pip install kil_io) "
            f"or set {DATA_ENV} to a data folder"
        )
    package = found.resolve()
    inside = package / packaged
    if not inside.is_dir() and (package.parent / "pyproject.toml").is_file():
        return package.parent / in_clone, "clone"
    return inside, "installed"


def data_dir() -> Path:
    """The folder the datasets are read from: ``$KIL_IO_DATA``, the installed package's or the clone's ``data/``.

    Returns
    -------
    Path

    Raises
    ------
    DatasetError
        The folder does not exist, or holds the data of another kil_io version (its ``about.json``);
        the message names the version found and expected and how to reinstall. A ``$KIL_IO_DATA``
        folder without ``about.json`` is a folder of your own and is read as it is.
    """
    override = os.environ.get(DATA_ENV)
    if override:
        folder = Path(override)
        if not folder.is_dir():
            raise DatasetError(
                f"kil_io data folder {folder} not found (${DATA_ENV} = {override!r}); set {DATA_ENV} to the data "
                "folder, or unset it to use the data shipped with kil_io"
            )
        how = "override"
    else:
        folder, how = shipped_folder(PACKAGED_DATA, "data")
        if not folder.is_dir():
            raise DatasetError(f"kil_io data folder {folder} not found: {_reinstall(how)}")
    if folder not in _CHECKED:
        _check(folder, how)
        _CHECKED.add(folder)
    return folder


def manifest(folder: Path) -> dict[str, str] | None:
    """A data folder's ``about.json`` (``{"kil_io": version}``), or ``None`` if it has none.

    Raises
    ------
    DatasetError
        An ``about.json`` that is not a JSON object with a ``"kil_io"`` version string.
    """
    path = folder / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path}: cannot be read ({exc})") from None
    try:
        found = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DatasetError(f'{path}: not JSON ({exc}); kil_io\'s data manifest is {{"kil_io": "VERSION"}}') from None
    if not isinstance(found, dict) or not isinstance(found.get("kil_io"), str):
        raise DatasetError(
            f'{path}: no "kil_io" version string in it; kil_io\'s data manifest is {{"kil_io": "VERSION"}}'
        )
    return {str(k): str(v) for k, v in found.items()}


def _check(folder: Path, how: str) -> None:
    found = manifest(folder)
    if found is None:
        if how == "override":
            return  # a folder of one's own: nothing to compare with
        raise DatasetError(
            f"kil_io data folder {folder} has no {MANIFEST}: its data are from a kil_io before 0.3.0 or not "
            f"kil_io's, and this is kil_io {__version__}; {_reinstall(how)}"
        )
    if found["kil_io"] != __version__:
        raise DatasetError(
            f"kil_io data folder {folder} holds the data of kil_io {found['kil_io']}, but this is kil_io "
            f"{__version__} (its figures come from its own data); {_reinstall(how)}"
        )


def _reinstall(how: str) -> str:
    """How to get the data that belong to this kil_io."""
    if how == "override":
        return (
            f"set {DATA_ENV} to a data folder of kil_io {__version__} (its about.json says so), or unset it to use "
            "the data shipped with kil_io"
        )
    if how == "installed":
        return (
            f"reinstall kil_io {__version__} with its data (pip install --force-reinstall --no-deps "
            f"kil_io=={__version__}, or pip install --force-reinstall --no-deps . in a clone), or set {DATA_ENV} to "
            "a data folder"
        )
    return (
        "in a clone of the repository data/ and kil_io/ come from the same commit: restore data/ (git checkout -- "
        f"data), rebuild it (make data), or set {DATA_ENV} to a data folder"
    )


def _is_year(year: object) -> bool:
    return isinstance(year, int | np.integer) and not isinstance(year, bool)
