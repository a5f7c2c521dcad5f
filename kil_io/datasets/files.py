"""Where the shipped datasets are read from (``data/`` or ``$KIL_IO_DATA``), shared by every dataset module."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from kil_io.errors import DatasetError

#: Environment variable naming a data folder to use instead of the shipped one.
DATA_ENV = "KIL_IO_DATA"

__all__ = ["DATA_ENV", "data_dir"]


def data_dir() -> Path:
    """The folder the datasets are read from: ``$KIL_IO_DATA`` or ``<repo>/data``.

    Returns
    -------
    Path

    Raises
    ------
    DatasetError
        The folder does not exist.
    """
    override = os.environ.get(DATA_ENV)
    folder = Path(override) if override else Path(__file__).resolve().parents[2] / "data"
    if not folder.is_dir():
        how = f"${DATA_ENV} = {override!r}" if override else "the data/ folder beside kil_io/"
        raise DatasetError(f"kil_io data folder {folder} not found ({how}); set {DATA_ENV} to the data folder")
    return folder


def _is_year(year: object) -> bool:
    return isinstance(year, int | np.integer) and not isinstance(year, bool)
