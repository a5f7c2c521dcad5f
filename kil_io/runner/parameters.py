"""A template notebook's parameters, and the checks of the values a case gives them.

A template's first code cell, tagged ``parameters``, holds literals (STYLE.md section 6): their
types are what a case may set (:func:`same_type`), and a few parameters that name shipped data (an
area, a case study, sector codes, a regionalisation method, an amount in £) are checked against the
data (:data:`DATA_CHECKS`) before a kernel starts. :func:`kil_io.runner.caselist.validate` applies
these checks to a case; :mod:`kil_io.runner.batch` applies them to ``-p`` overrides.
"""

from __future__ import annotations

import ast
import math
import warnings
from functools import cache
from pathlib import Path
from typing import Any

from kil_io import datasets
from kil_io.datasets.areas import NORTHERN_IRELAND as NI_NOTE
from kil_io.errors import AreaError, AreaWarning, BatchError, KilIOError, RegionError
from kil_io.limits import excerpt
from kil_io.regional import check_method

NO_DEFAULT = object()


@cache
def _template_defaults(path: Path, mtime: float) -> dict[str, Any]:
    import papermill

    found = papermill.inspect_notebook(str(path))
    defaults: dict[str, Any] = {}
    for name, info in found.items():
        try:
            defaults[name] = ast.literal_eval(info.get("default") or "")
        except (ValueError, SyntaxError):
            defaults[name] = NO_DEFAULT  # an expression, not a literal: its type is not known
    return defaults


def template_parameters(template: str | Path) -> dict[str, Any]:
    """The parameters of a template notebook and their default values.

    Parameters
    ----------
    template : str or Path
        A notebook whose first code cell is tagged ``parameters`` (papermill's
        ``inspect_notebook``).

    Returns
    -------
    dict
        Name -> default value (a Python literal); :data:`NO_DEFAULT` for a default that is
        not a literal.

    Raises
    ------
    BatchError
        The template does not exist.
    """
    path = Path(template).resolve()
    if not path.is_file():
        raise BatchError(f"template {template} not found")
    return dict(_template_defaults(path, path.stat().st_mtime))


def type_name(value: object) -> str:
    """The type of a parameter value as a message names it: ``int``, ``list``, ``list of str or int``."""
    if isinstance(value, list | tuple) and value:
        kinds = sorted({type(v).__name__ for v in value})
        return f"list of {' or '.join(kinds)}"
    return "list" if isinstance(value, tuple) else type(value).__name__


def same_type(value: object, default: object) -> bool:
    """``value`` may replace ``default``: same type, except that an int may stand for a float."""
    if default is None or default is NO_DEFAULT:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    if isinstance(default, list | tuple):
        if not isinstance(value, list | tuple):
            return False
        kinds = {type(d) for d in default}
        return len(kinds) != 1 or all(same_type(v, default[0]) for v in value)
    return type(value) is type(default)


def _check_area(value: object) -> str | None:
    """Why ``value`` is not an area with local employment (None if it is): unknown, ambiguous, outside GB."""
    if not isinstance(value, str):
        return "is not an area name or code (text)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AreaWarning)  # a former name is fine: the notebook says what it became
            where = datasets.area(value)
        if not datasets.employment_years(where):
            return f"is {where.label}, which has no local employment: {NI_NOTE}"
    except AreaError as exc:
        return f"is not a shipped area: {exc}"
    return None


def read_case_file(path: Path) -> Any:
    """The :class:`~kil_io.appraisal.casefile.CaseStudy` of a user's case file, checked as a shipped one is.

    Plausibility notes and former area names are not shown here: the notebook shows them. Raises the
    :class:`~kil_io.errors.KilIOError` of :func:`~kil_io.appraisal.casefile.case_study`.
    """
    from kil_io.appraisal.casefile import case_study

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # plausibility notes are the notebook's to show
        return case_study(path)


def _check_case_study(value: object) -> str | None:
    from kil_io.appraisal.casefile import is_case_path

    if is_case_path(value):
        try:
            read_case_file(Path(str(value)))
        except KilIOError as exc:
            return f"is not a case file that can run: {exc}"
        return None
    shipped = datasets.case_studies()
    if value in shipped:
        return None
    return f"is not a shipped case study; shipped: {', '.join(shipped)} (or the path of a case file: my_centre.yaml)"


@cache
def _sector_codes() -> tuple[str, ...]:
    return datasets.uk_iot(datasets.available_years()[-1]).sectors


def _check_sectors(value: object) -> str | None:
    if not isinstance(value, list | tuple) or not value:
        return "is empty: name at least one IOAT sector code (e.g. [P85])"
    codes = _sector_codes()
    unknown = [v for v in value if v not in codes]
    if not unknown:
        return None
    hint = datasets.sector_hint(str(unknown[0]))
    return f"names {excerpt(unknown)}, not IOAT sector codes of the shipped tables{hint}"


def _check_method(value: object) -> str | None:
    try:
        check_method(value, 0.3)
    except RegionError as exc:
        return f"is not a regionalisation method ({exc})"
    return None


def _check_delta(value: object) -> str | None:
    try:
        check_method("flq", value)
    except RegionError:
        return "is not in [0, 1) (FLQ delta; kil_io's default 0.225 fits Scotland best, 0.1 to 0.4 the published range)"
    return None


def _check_money(value: object) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0:
        return None
    return "must be a positive amount in £"


def _check_portfolio(value: object) -> str | None:
    from kil_io.appraisal.portfoliofile import load_portfolio

    if not isinstance(value, str):
        return "is not a shipped portfolio's name or a portfolio file's path (text)"
    try:
        load_portfolio(value)
    except KilIOError as exc:
        return f"is not a portfolio that can run: {exc}"
    return None


#: Parameters whose values are checked against the shipped data before a kernel starts.
DATA_CHECKS = {
    "area": _check_area, "case": _check_case_study, "sectors": _check_sectors, "method": _check_method,
    "delta": _check_delta, "contract_value": _check_money, "portfolio": _check_portfolio,
}  # fmt: skip


#: Template parameters the runner owns: a case may not move its results out of its folder.
RUNNER_PARAMETERS: frozenset[str] = frozenset({"results_folder"})
