"""Published appraisal guidance shipped in ``data/``: the preset gross-to-net (additionality) scenarios."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from kil_io.datasets.files import data_dir
from kil_io.errors import DatasetError, ReaderError

ADDITIONALITY_FILE = "additionality_presets.csv"
_COLUMNS = ["scenario", "rate", "value", "basis", "source", "edition", "page", "note"]
_RATES = ("leakage", "displacement", "substitution", "deadweight")


def additionality_presets() -> pd.DataFrame:
    """The low, central and high additionality scenarios: one row per scenario and rate.

    Returns
    -------
    DataFrame
        Columns ``scenario``, ``rate`` (leakage, displacement, substitution, deadweight),
        ``value`` (a share as text, or ``"commuting"``: leakage from commuting shares) [share],
        ``basis`` (``"guidance"``: the value is the publication's; ``"assumption"``: kil_io's
        labelled pick, with the section of the guidance that defines the rate), ``source``,
        ``edition``, ``page`` and ``note``. A fresh copy.

    Raises
    ------
    DatasetError
        The file is missing.
    ReaderError
        A row that is not a known rate, a share in [0, 1] or ``commuting`` (leakage only), or
        a basis other than guidance/assumption; a scenario without all four rates.
    """
    return _presets(str(data_dir())).copy()


@cache
def _presets(folder: str) -> pd.DataFrame:
    path = Path(folder) / ADDITIONALITY_FILE
    if not path.is_file():
        raise DatasetError(f"{path}: dataset file missing")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) != _COLUMNS:
        raise ReaderError(f"{path}: columns must be {_COLUMNS}, got {list(frame.columns)}")
    for k, row in frame.iterrows():
        where = f"{path}: row {int(str(k)) + 2} ({row['scenario']}, {row['rate']})"
        if row["rate"] not in _RATES:
            raise ReaderError(f"{where}: unknown rate; expected one of {list(_RATES)}")
        if row["basis"] not in ("guidance", "assumption"):
            raise ReaderError(f"{where}: basis must be 'guidance' or 'assumption', got {row['basis']!r}")
        if row["value"] == "commuting" and row["rate"] == "leakage":
            continue
        value = pd.to_numeric(row["value"], errors="coerce")
        if not 0 <= value <= 1:
            raise ReaderError(f"{where}: value {row['value']!r} is not a share in [0, 1]")
        if not (row["source"] and row["edition"] and row["page"] and row["note"]):
            raise ReaderError(f"{where}: every rate needs a source, edition, page and note")
    counts = frame.groupby("scenario")["rate"].apply(sorted)
    incomplete = [s for s, rates in counts.items() if rates != sorted(_RATES)]
    if incomplete:
        raise ReaderError(f"{path}: scenarios {incomplete} must give each of {list(_RATES)} once")
    return frame
