"""The case list: which template notebook runs with which parameters, checked before any kernel starts.

``notebooks/case_studies.yaml`` names each case, its template notebook and the template
parameters to set. :func:`load_cases` reads it strictly, and :func:`validate` checks a case
against its template's ``parameters`` cell and the shipped data, so that a typo fails in a
second rather than after a kernel started (the checks of each parameter are in
:mod:`kil_io.runner.parameters`). :mod:`kil_io.runner.batch` runs the cases.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kil_io import datasets, yamlsafe
from kil_io.datasets.files import PACKAGED_NOTEBOOKS, shipped_folder
from kil_io.errors import BatchError, KilIOError, ReaderError
from kil_io.limits import excerpt
from kil_io.reporting.results import NAME

# a template's parameters and the checks of their values are kil_io.runner.parameters; the names
# below stay importable from here (kil_io.runner.batch imports the two private ones)
from kil_io.runner.parameters import (
    DATA_CHECKS,
    NO_DEFAULT,
    RUNNER_PARAMETERS,
    read_case_file,
    template_parameters,
)
from kil_io.runner.parameters import same_type as _same_type
from kil_io.runner.parameters import type_name as _type_name

#: Keys of one case in the case list; ``title`` is optional (shown on the index page).
CASE_KEYS = {"name": "required", "template": "required", "parameters": "optional", "title": "optional"}


def default_cases_file() -> Path:
    """The shipped case list: ``notebooks/case_studies.yaml`` of a clone, or its copy in the installed package.

    The template notebooks sit beside it (a wheel ships both as ``kil_io/_notebooks``; the published,
    executed notebooks stay in the repository).
    """
    folder, _ = shipped_folder(PACKAGED_NOTEBOOKS, "notebooks")
    return folder / "case_studies.yaml"


@dataclass(frozen=True)
class Case:
    """One case study: a template notebook and the parameters to run it with.

    Parameters
    ----------
    name : str
        lower_snake (``[a-z][a-z0-9_]*``, at most 64 characters); becomes the folder name.
    template : Path
        The notebook (``.ipynb``) whose ``parameters`` cell papermill overrides.
    parameters : dict
        Parameter name -> value (YAML scalars and lists).
    title : str
        Human name for the index page (default: the name).
    inputs_sha256 : str
        Hash of its inputs (:func:`kil_io.runner.inputs.inputs_hash`), set by the batch runner and
        written into the result's ``case.json``; empty until then.

    Raises
    ------
    BatchError
        A name that is not a safe folder name, or parameter names that are not identifiers.
    """

    name: str
    template: Path
    parameters: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""
    inputs_sha256: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not NAME.fullmatch(self.name):
            raise BatchError(
                f"case name {excerpt(self.name)} is not lower_snake ([a-z][a-z0-9_]*, at most 64 characters); "
                "names become folder names, so no dots, slashes, spaces or capitals"
            )
        for key in self.parameters:
            if not isinstance(key, str) or not key.isidentifier():
                raise BatchError(f"case {excerpt(self.name)}: parameter name {excerpt(key)} is not a Python identifier")
        object.__setattr__(self, "template", Path(self.template))
        object.__setattr__(self, "parameters", dict(self.parameters))

    def with_parameters(self, overrides: Mapping[str, Any]) -> Case:
        """A copy whose parameters are updated with ``overrides``; its title says what changed.

        ``calderdale`` run with ``area=UKK1`` is no longer Calderdale: the title (index page,
        ``case.json``) becomes "Calderdale local multipliers 2021 (run with area=UKK1)".
        """
        changed = {k: v for k, v in overrides.items() if self.parameters.get(k, NO_DEFAULT) != v}
        if not changed:
            return self
        note = ", ".join(f"{k}={excerpt(v) if not isinstance(v, str) else v}" for k, v in changed.items())
        title = f"{self.title or self.name} (run with {note})"
        return dataclasses.replace(self, parameters={**self.parameters, **overrides}, title=title)


def load_cases(path: str | Path | None = None) -> tuple[Case, ...]:
    """Read and check a case list (YAML: ``cases:`` followed by a list of cases).

    Each case has ``name`` (lower_snake), ``template`` (a notebook file name in the case
    list's folder), optional ``parameters`` (a mapping) and optional ``title``. Templates and
    parameter values are checked later by :func:`validate`, so that ``kil-io list`` works
    while a template is being written.

    Parameters
    ----------
    path : str or Path, optional
        Default :func:`default_cases_file`.

    Returns
    -------
    tuple of Case
        In file order.

    Raises
    ------
    BatchError
        Unreadable YAML, a key given twice, an unknown or missing key, a bad or duplicate
        name, or a template that is not a plain ``.ipynb`` file name (messages name the case
        and the key).
    """
    path = Path(path) if path is not None else default_cases_file()
    try:
        raw = yamlsafe.load_file(path, what="case list")
    except FileNotFoundError:
        raise BatchError(f"case list {path} not found (give one with --cases)") from None
    except ReaderError as exc:  # a folder, not UTF-8, too large
        raise BatchError(str(exc)) from None
    except yaml.YAMLError as exc:
        raise BatchError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or set(raw) != {"cases"} or not isinstance(raw["cases"], list):
        got = sorted(raw) if isinstance(raw, dict) else type(raw).__name__
        raise BatchError(f"{path}: expected one top-level key 'cases' holding a list, got {got}")
    cases: list[Case] = []
    for i, item in enumerate(raw["cases"], start=1):
        where = f"{path}: case {i}"
        if isinstance(item, dict):
            where += f" ({excerpt(item.get('name', 'no name'))})"
        cases.append(_case_from_yaml(item, where, path.parent))
    names = [c.name for c in cases]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise BatchError(f"{path}: case names must be unique; given more than once: {', '.join(twice)}")
    return tuple(cases)


def _case_from_yaml(item: object, where: str, folder: Path) -> Case:
    if not isinstance(item, dict):
        raise BatchError(f"{where}: expected a mapping with keys {', '.join(CASE_KEYS)}, got {excerpt(item)}")
    unknown = sorted(set(item) - set(CASE_KEYS), key=str)
    if unknown:
        listed = ", ".join(map(excerpt, unknown[:8])) + " ..." * (len(unknown) > 8)
        raise BatchError(f"{where}: unknown key(s) {listed}; allowed: {', '.join(CASE_KEYS)}")
    missing = [k for k, need in CASE_KEYS.items() if need == "required" and k not in item]
    if missing:
        raise BatchError(f"{where}: missing key(s) {', '.join(missing)}")
    template, parameters, title = item["template"], item.get("parameters") or {}, item.get("title", "")
    if not isinstance(template, str) or Path(template).name != template or not template.endswith(".ipynb"):
        raise BatchError(
            f"{where}: template {excerpt(template)} must be a notebook file name in {folder} "
            "(e.g. 'uk_multipliers.ipynb')"
        )
    if not isinstance(parameters, dict):
        raise BatchError(f"{where}: parameters must be a mapping of name: value, got {excerpt(parameters)}")
    if not isinstance(title, str):
        raise BatchError(f"{where}: title must be text, got {excerpt(title)}")
    try:
        return Case(item["name"], folder / template, parameters, title)
    except BatchError as exc:
        raise BatchError(f"{where}: {exc}") from None


#: Template that runs a user's case file, by the file's ``kind``.
CASE_FILE_TEMPLATES: dict[str, str] = {
    "organisation": "organisation_impact.ipynb",
    "contract": "organisation_impact.ipynb",
    "tender": "commissioning_comparison.ipynb",  # a contract case of bids (a contract: block, no organisation)
}


def case_from_file(path: str | Path, *, folder: Path | None = None) -> Case:
    """A case that runs a user's case file (``kil-io run PATH/case.yaml``) with the shipped data and templates.

    Parameters
    ----------
    path : str or Path
        An ``organisation`` or ``contract`` case file (e.g. from ``kil-io new-case``), anywhere; or a
        portfolio file (top-level ``entries``), run by the portfolio template with ``portfolio`` set.
    folder : Path, optional
        Folder of the template notebooks (default: that of :func:`default_cases_file`).

    Returns
    -------
    Case
        Named after the file (lower_snake), template by its kind, ``case`` set to its absolute path,
        ``title`` its title.

    Raises
    ------
    BatchError
        No such file, a file that is not a valid case file, or a kind with no template.
    """
    path = Path(path)
    if path.is_dir():
        raise BatchError(f"case file {path} is a folder: give the case file inside it (e.g. {path}/my_case.yaml)")
    if path.exists() and not path.is_file():
        raise BatchError(f"case file {path} is not a regular file (a pipe or device?): give a .yaml file")
    if not path.is_file():
        raise BatchError(f"case file {path} not found")
    if _is_portfolio(path):
        return _portfolio_case(path, folder or default_cases_file().parent)
    try:
        study = read_case_file(path)
    except KilIOError as exc:
        raise BatchError(f"case file {path}: {exc}") from None
    template = CASE_FILE_TEMPLATES.get("tender" if study.contract is not None else study.kind)
    if template is None:
        raise BatchError(f"case file {path}: a {study.kind!r} case has no template to run with `kil-io run PATH`; "
                         "give an organisation or contract case")  # fmt: skip
    name = case_name(path.stem)
    folder = folder or default_cases_file().parent
    return Case(name, folder / template, {"case": str(path.resolve())}, study.title)


def case_name(stem: str) -> str:
    """A case file's result name (lower_snake) from its file name without the suffix.

    Accents are dropped (``Café`` -> ``cafe``); a name in another script, which would have no
    letter left, keeps a short hash of it so that two such names differ (``ケース`` ->
    ``case_`` + 8 hex digits). Names that differ only in case, spaces or punctuation (``My Case``,
    ``my_case``, ``my-case``) still share one name: :func:`kil_io.runner.inputs.check_collisions`
    refuses the second file rather than replace the first one's result.
    """
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^a-z0-9_]+", "_", plain.casefold()).strip("_")
    lost = sum(ch.isalnum() for ch in stem) - sum(ch.isalnum() for ch in plain)
    if lost:  # letters of another script: a hash of the stem keeps the names apart
        name = f"{name or 'case'}_{hashlib.sha256(stem.encode()).hexdigest()[:8]}"
    return (name if name[:1].isalpha() else f"case_{name}")[:64].rstrip("_")


#: Template that runs a portfolio file (``kil-io run my_portfolio.yaml``).
PORTFOLIO_TEMPLATE = "portfolio.ipynb"


def _is_portfolio(path: Path) -> bool:
    """Whether a YAML file is a portfolio file (top-level ``entries``) rather than a case file."""
    try:
        raw = yamlsafe.load_file(path, what="case or portfolio file")
    except (KilIOError, yaml.YAMLError):
        return False  # read again as a case file, which names what is wrong
    return isinstance(raw, dict) and "entries" in raw and "kind" not in raw


def _portfolio_case(path: Path, folder: Path) -> Case:
    """The case that runs a portfolio file: its template, ``portfolio`` set to the file's absolute path."""
    from kil_io.appraisal.portfoliofile import load_portfolio

    try:
        title = load_portfolio(path).title
    except KilIOError as exc:
        raise BatchError(f"portfolio file {path}: {exc}") from None
    return Case(case_name(path.stem), folder / PORTFOLIO_TEMPLATE, {"portfolio": str(path.resolve())}, title)


def validate(case: Case) -> None:
    """Check a case against its template and the shipped data, without starting a kernel.

    Checks that the template exists, that every parameter is one of the template's
    ``parameters`` cell, that every value has the type of the template's default (an int is
    accepted for a float; a list's items are checked too), that an ``area`` is a shipped
    area and a ``case`` a shipped case study. Values that need the data to judge (e.g. a year
    with no table) fail later, in the notebook.

    Parameters
    ----------
    case : Case

    Raises
    ------
    BatchError
        Every problem found, each naming the case, the parameter and the value.
    """
    if not case.template.is_file():
        raise BatchError(f"case {case.name!r}: template {case.template} not found")
    defaults = template_parameters(case.template)
    problems = []
    for key, value in case.parameters.items():
        if key in RUNNER_PARAMETERS:
            problems.append(f"parameter {excerpt(key)} is set by the runner (results go to the case's own folder)")
        elif key not in defaults:
            known = ", ".join(defaults) or "none"
            problems.append(f"parameter {excerpt(key)} is not a parameter of {case.template.name} (it has: {known})")
        elif not _same_type(value, defaults[key]):
            problems.append(
                f"parameter {excerpt(key)} = {excerpt(value)} is a {_type_name(value)}, but {case.template.name} "
                "expects a "
                f"{_type_name(defaults[key])} (default {defaults[key]!r})"
            )
        elif key in DATA_CHECKS and (why := DATA_CHECKS[key](value)):
            problems.append(f"parameter {excerpt(key)} = {excerpt(value)} {why}")
    if problems:
        raise BatchError(f"case {case.name!r}: " + "; ".join(problems))


def parse_parameter(text: str) -> tuple[str, Any]:
    """Parse a ``key=value`` override; the value is read as YAML (``2021``, ``0.2``, ``[P85, S94]``).

    Raises
    ------
    BatchError
        No ``=``, a key that is not an identifier, or a value that is not valid YAML.
    """
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key.isidentifier():
        raise BatchError(f"parameter override {excerpt(text)} is not key=value (e.g. year=2020 or sectors=[P85])")
    try:
        return key, yamlsafe.load(value)
    except yaml.YAMLError as exc:
        raise BatchError(f"parameter override {excerpt(text)}: value is not valid YAML: {exc}") from None


#: Templates that run for any area by a short name: ``kil-io run regional --area Hackney``.
AREA_TEMPLATES = {"regional": ("regional_multipliers.ipynb", "local multipliers")}


def area_cases(
    cases: tuple[Case, ...], names: list[str], areas: list[str], *, folder: Path | None = None
) -> list[Case]:
    """Copies of cases (or of an area template by its short name) for each of several areas.

    Parameters
    ----------
    cases : tuple of Case
        The case list (:func:`load_cases`).
    names : list of str
        Case names whose template has an ``area`` parameter, or short names of :data:`AREA_TEMPLATES`
        (``"regional"``); default ``["regional"]``.
    areas : list of str
        Areas by name or code (:func:`kil_io.datasets.area`).
    folder : Path, optional
        Folder of the templates (default that of the shipped case list).

    Returns
    -------
    list of Case
        ``<name>_<area>`` (e.g. ``regional_hackney``) for each name and area, with ``area`` set.

    Raises
    ------
    BatchError
        A name that is neither a case with an ``area`` parameter nor a short name; an unknown area.
    """
    import warnings

    from kil_io.errors import AreaError, AreaWarning

    folder = folder or default_cases_file().parent
    by_name = {c.name: c for c in cases}
    bases = []
    for name in names or ["regional"]:
        if name in by_name:
            base = by_name[name]
        elif name in AREA_TEMPLATES:
            template, title = AREA_TEMPLATES[name]
            base = Case(name, folder / template, {}, title)
        else:
            raise BatchError(
                f"--area: {name!r} is neither a case nor one of {sorted(AREA_TEMPLATES)}; try `kil-io run regional "
                "--area AREA`"
            )
        if "area" not in template_parameters(base.template):
            raise BatchError(f"--area: case {name!r} has no area parameter (template {base.template.name})")
        bases.append(base)
    out = []
    for given in dict.fromkeys(areas):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", AreaWarning)
                where = datasets.area(given)
        except AreaError as exc:
            raise BatchError(f"--area {given!r}: {exc}") from None
        for w in caught:
            print(f"note: {w.message}")
        try:
            same = datasets.area(where.name).code == where.code
        except AreaError:  # the name means two areas: the code says which
            same = False
        short = re.sub(r", (City|County) of$", "", where.name)
        slug = re.sub(r"[^a-z0-9]+", "_", short.casefold()).strip("_")
        for base in bases:
            own = base.name in AREA_TEMPLATES and base.name not in by_name
            title = f"{short} {base.title}" if own else f"{base.title or base.name}, run for {where.name}"
            params = {**base.parameters, "area": where.name if same else where.code}
            out.append(Case(f"{base.name}_{slug}"[:64].rstrip("_"), base.template, params, title))
    return out
