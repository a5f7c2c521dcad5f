"""The case studies shipped in ``data/case_studies`` (:func:`kil_io.case_study` loads one), and how they moved."""

from __future__ import annotations

import re

import pandas as pd

from kil_io.datasets.files import data_dir

CASES_FOLDER = "case_studies"
_CASE_NAME = re.compile(r"[a-z0-9_]+")


def case_studies() -> tuple[str, ...]:
    """Names of the shipped case studies (files ``data/case_studies/<name>.yaml``)."""
    folder = data_dir() / CASES_FOLDER
    return tuple(sorted(p.stem for p in folder.glob("*.yaml") if _CASE_NAME.fullmatch(p.stem)))


#: Every change of a shipped case's published headline: which release moved it, from what, to what, and why.
HISTORY_FILE = "history.csv"


def case_history(name: str) -> pd.DataFrame:
    """How a shipped case's headline figures moved between releases (``data/case_studies/history.csv``).

    Parameters
    ----------
    name : str
        A shipped case's name (the file's stem); a case of your own has no history (an empty frame).

    Returns
    -------
    DataFrame
        Columns ``figure`` (the headline label, with its unit), ``release``, ``before``, ``after`` [the
        figure's unit] and ``why``; empty for a case with none.
    """
    path = data_dir() / CASES_FOLDER / HISTORY_FILE
    if not path.is_file():
        return pd.DataFrame(columns=["figure", "release", "before", "after", "why"])
    frame = pd.read_csv(path, comment="#")
    return frame[frame["case"] == name].drop(columns="case").reset_index(drop=True)
