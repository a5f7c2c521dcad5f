"""The case studies shipped in ``data/case_studies``."""

from __future__ import annotations

import re

from kil_io.cases import CaseStudy, load_case
from kil_io.datasets.local import areas
from kil_io.datasets.uk import available_years, data_dir, uk_iot
from kil_io.errors import (
    CaseError,
    DatasetError,
)

CASES_FOLDER = "case_studies"
_CASE_NAME = re.compile(r"[a-z0-9_]+")


def case_studies() -> tuple[str, ...]:
    """Names of the shipped case studies (files ``data/case_studies/<name>.yaml``)."""
    folder = data_dir() / CASES_FOLDER
    return tuple(sorted(p.stem for p in folder.glob("*.yaml") if _CASE_NAME.fullmatch(p.stem)))


def case_study(name: str) -> CaseStudy:
    """A shipped case study, validated (see :mod:`kil_io.cases`).

    Parameters
    ----------
    name : str
        E.g. ``"halifax_opportunities_trust"``, ``"jubilee_childrens_centre"``, ``"calderdale"``.

    Returns
    -------
    CaseStudy

    Raises
    ------
    DatasetError
        Unknown name (the message lists the shipped ones).
    CaseError
        The file does not follow the schema.

    Examples
    --------
    >>> import kil_io
    >>> kil_io.organisation_impact(case_study("halifax_opportunities_trust")).to_frame()  # doctest: +SKIP
    """
    names = case_studies()
    if not isinstance(name, str) or name not in names:
        raise DatasetError(f"no case study {name!r}; shipped case studies: {', '.join(names)}")
    sectors = uk_iot(available_years()[-1]).sectors
    case = load_case(data_dir() / CASES_FOLDER / f"{name}.yaml", sectors=sectors)
    known = areas()
    if case.area.casefold() not in set(known["name"].str.casefold()) | set(known["code"].str.casefold()):
        raise CaseError(f"case '{name}': area: unknown area {case.area!r}; see kil_io.datasets.areas()")
    return case
