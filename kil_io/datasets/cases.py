"""The names of the case studies shipped in ``data/case_studies`` (:func:`kil_io.case_study` loads one)."""

from __future__ import annotations

import re

from kil_io.datasets.files import data_dir

CASES_FOLDER = "case_studies"
_CASE_NAME = re.compile(r"[a-z0-9_]+")


def case_studies() -> tuple[str, ...]:
    """Names of the shipped case studies (files ``data/case_studies/<name>.yaml``)."""
    folder = data_dir() / CASES_FOLDER
    return tuple(sorted(p.stem for p in folder.glob("*.yaml") if _CASE_NAME.fullmatch(p.stem)))
