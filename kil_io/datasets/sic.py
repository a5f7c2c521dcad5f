"""SIC 2007 codes -> the ONS input-output (IOAT) industry they belong to (``data/sic_ioat.csv``).

The lookup's entries are SIC divisions (2 digits), groups (3) or classes (4); a code belongs to
the one entry that begins it (``81210`` -> ``812`` ... -> entry ``81`` -> ``N81``). Written by
``scripts/build_regional_data.py`` from the BRES SIC -> IOAT lookup; provenance in ``data/README.md``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd

from kil_io.datasets.uk import data_dir
from kil_io.errors import DatasetError

SIC_FILE = "sic_ioat.csv"
_CODE = re.compile(r"\d{2,5}")


def sic_industries() -> pd.DataFrame:
    """The SIC -> IOAT lookup: columns ``sic`` (2-4 digit code, text), ``ioat`` (industry code), ``name``.

    Returns
    -------
    DataFrame
        A fresh copy, sorted by ``sic``.
    """
    return _lookup(str(data_dir())).copy()


def ioat_for_sic(code: str) -> str:
    """The IOAT industry of a SIC 2007 code of 2 to 5 digits (dots allowed: ``"81.21"``).

    Parameters
    ----------
    code : str
        E.g. ``"81210"`` (a class), ``"8121"``, ``"56.10"`` or ``"85"`` (a division).

    Returns
    -------
    str
        An IOAT industry code of the UK table, e.g. ``"N81"``.

    Raises
    ------
    DatasetError
        Not 2-5 digits, a code no IOAT industry contains (e.g. 98, 99: households' own use,
        extraterritorial bodies), or a code too short to name one industry (``"10"``: food
        products are split into nine IOAT industries), naming the industries it spans.

    Examples
    --------
    >>> ioat_for_sic("81210")  # doctest: +SKIP
    'N81'
    """
    digits = str(code).strip().replace(".", "")
    if not _CODE.fullmatch(digits):
        raise DatasetError(f"SIC code {code!r} is not 2 to 5 digits (e.g. 81210 or 81.21)")
    lookup = _lookup(str(data_dir()))
    hits = lookup[[digits.startswith(s) for s in lookup["sic"]]]
    if len(hits) == 1:
        return str(hits["ioat"].iloc[0])
    inside = lookup[lookup["sic"].str.startswith(digits)]
    if len(set(inside["ioat"])) == 1:
        return str(inside["ioat"].iloc[0])
    if inside.empty:
        raise DatasetError(f"SIC code {code!r} is in no input-output industry (the UK tables leave out 98 and 99)")
    spans = ", ".join(dict.fromkeys(inside["ioat"]))
    raise DatasetError(f"SIC code {code!r} spans several input-output industries ({spans}); give the 4 or 5 digits")


@cache
def _lookup(folder: str) -> pd.DataFrame:
    path = Path(folder) / SIC_FILE
    if not path.is_file():
        raise DatasetError(f"{path}: dataset file missing; rebuild data/ with scripts/build_data.py")
    return pd.read_csv(path, dtype=str, keep_default_na=False)
