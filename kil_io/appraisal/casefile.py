"""Case-study files: a strict YAML schema in which every figure carries its source.

A case file describes an organisation (its accounts), a contract (an organisation's
service plus the providers that could deliver it), or an area (which multipliers a
council wants to see). Files are read with YAML's *safe* loader, so loading never runs
code, and checked against the schema below: unknown keys, missing fields, shares outside
[0, 1], negative money and unknown sectors each raise :class:`~kil_io.errors.CaseError`
naming the field.

Figures are written ``{value: 180, source: "..."}``. Money is in £ (not £m). Spending
lines name an IOAT ``sector`` or a readable ``category`` from :data:`CATEGORIES`.

A ranged figure: ``{value: 0.8, range: [0.6, 0.95], distribution: pert, source: "..."}``
(``triangular``, the default, ``pert`` or ``uniform``; the value is the most likely); a spending
line's takes ``local_share_range:`` (and ``local_share_distribution:``). A range holds its value;
a share's lies in [0, 1], and what cannot be negative has no range below 0. Text is one line
without control characters (a ``description`` may have several).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from kil_io import datasets, yamlsafe
from kil_io.appraisal.additionality import RATES, Rates, preset
from kil_io.appraisal.casestudy import _RANGED, _SHA256, CATEGORIES, CaseStudy, Kind, RecordFile
from kil_io.appraisal.contract import read_contract
from kil_io.appraisal.distribution import Distribution, distribution_from
from kil_io.appraisal.organisation import (
    Enterprise,
    Figure,
    Organisation,
    Provider,
    ProviderSpend,
    Spend,
    check_share_spread,
    plausibility,
)
from kil_io.appraisal.sensitivity import SENSITIVITY_KNOBS, _check_knob
from kil_io.datasets.cases import CASES_FOLDER
from kil_io.errors import (
    AreaError,
    CaseError,
    DatasetError,
    MissingFileError,
    PlausibilityWarning,
    ReaderError,
    RegionError,
)
from kil_io.limits import excerpt
from kil_io.regional import DEFAULT_DELTA, check_method


def load_case(path: str | Path, *, sectors: tuple[str, ...]) -> CaseStudy:
    """Read and validate a case file.

    Parameters
    ----------
    path : str or Path
        A ``.yaml`` case file.
    sectors : tuple of str
        The IOAT codes spending lines may name (the UK table's).

    Returns
    -------
    CaseStudy

    Raises
    ------
    MissingFileError
        No such file.
    CaseError
        Not UTF-8 YAML, or not the schema (the message names the field).

    Warns
    -----
    PlausibilityWarning
        For figures that are allowed but look wrong (:func:`kil_io.appraisal.organisation.plausibility`).
    """
    path = Path(path)
    try:
        raw = yamlsafe.load_file(path, what="case file")
    except MissingFileError:
        raise
    except ReaderError as exc:  # not UTF-8 (line and byte named), too large
        raise CaseError(str(exc)) from None
    except yaml.YAMLError as exc:
        raise CaseError(f"{path.name}: not valid YAML (only plain data is allowed): {exc}") from None
    case = _Reader(path.stem, sectors).case(raw)
    if case.organisation is not None:
        for note in plausibility(case.organisation):
            warnings.warn(f"case '{case.name}': {note}", PlausibilityWarning, stacklevel=2)
    return replace(case, path=path)


class _Reader:
    """Walks a parsed case file, naming every field it checks by its path."""

    def __init__(self, name: str, sectors: tuple[str, ...]) -> None:
        self.name, self.sectors = name, sectors

    def fail(self, where: str, message: str) -> CaseError:
        prefix = f"case '{self.name}': "
        return CaseError(message if message.startswith(prefix) else f"{prefix}{where}: {message}")

    def mapping(
        self, raw: Any, where: str, required: set[str], optional: set[str] | frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(where, f"expected a mapping, got {type(raw).__name__}")
        unknown = sorted(set(map(str, raw)) - required - set(optional))
        if unknown:
            hint = ""
            if any(k.isdigit() for k in unknown):  # {value: £500,000} splits at the comma
                hint = " (a number written with a thousands separator? write 500000, without commas)"
            allowed = sorted(required | set(optional))
            raise self.fail(where, f"unknown keys {excerpt(unknown)}; allowed: {allowed}{hint}")
        missing = sorted(required - set(raw))
        if missing:
            raise self.fail(where, f"missing required fields {missing}")
        return raw

    def items(self, raw: Any, where: str) -> list[Any]:
        """A list in the file (absent or empty: no items); anything else names the field and what it got."""
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise self.fail(where, f"must be a list of lines, got {excerpt(raw)}")
        return raw

    def text(self, raw: Any, where: str) -> str:
        if not isinstance(raw, str) or not raw.strip():
            raise self.fail(where, f"expected text, got {excerpt(raw)}")
        if bad := yamlsafe.control_character(raw.strip(), lines=where == "description"):  # else one line
            raise self.fail(where, f"{excerpt(raw)} {bad}")
        return raw.strip()

    def optional_text(self, raw: Any, where: str) -> str:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return ""
        if not isinstance(raw, str):
            raise self.fail(where, f"expected text, got {type(raw).__name__} {excerpt(raw)}")
        return self.text(raw, where)

    def number(self, raw: Any, where: str) -> float:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            raise self.fail(where, f"expected a finite number, got {excerpt(raw)}")
        return float(raw)

    def figure(self, raw: Any, where: str, *, share: bool = False, positive: bool = False) -> Figure:
        m = self.mapping(raw, where, {"value", "source"}, {"range", "distribution"})
        value = self.number(m["value"], f"{where}.value")
        if share and not 0 <= value <= 1:
            raise self.fail(f"{where}.value", f"a share must be in [0, 1], got {value}")
        if value < 0 and not where.endswith("surplus"):
            raise self.fail(f"{where}.value", f"must not be negative, got {value:,.2f}")
        if positive and value <= 0:
            raise self.fail(f"{where}.value", f"must be positive, got {value:,.2f}")
        spread = self.spread(m, where, value, share=share)
        return Figure(value, self.text(m["source"], f"{where}.source"), spread)

    def spread(self, m: Mapping[str, Any], where: str, value: float, *, share: bool) -> Distribution | None:
        """``range: [low, high]`` and ``distribution:`` beside a value (see :mod:`kil_io.appraisal.distribution`)."""
        if "range" not in m:
            if "distribution" in m:
                raise self.fail(f"{where}.distribution", "a distribution needs a range: [low, high] beside it")
            return None
        try:  # each check's message starts with the field it names
            spread = distribution_from(m["range"], m.get("distribution"), what=f"{where}.range")
            if share:
                check_share_spread(spread, value, f"{where}.range")
            spread.check_value(value, f"{where}.range")
        except CaseError as exc:
            raise CaseError(f"case '{self.name}': {exc}") from None
        return spread

    def line_spread(self, m: Mapping[str, Any], where: str, value: float) -> Distribution | None:
        """A spending line's ``local_share_range: [low, high]`` and ``local_share_distribution:``, if given."""
        given = {"range": m["local_share_range"]} if "local_share_range" in m else {}
        if "local_share_distribution" in m:
            given["distribution"] = m["local_share_distribution"]
        return self.spread(given, f"{where}.local_share", value, share=True)

    def sector(self, raw: Mapping[str, Any], where: str) -> str:
        if ("sector" in raw) == ("category" in raw):
            raise self.fail(where, "give exactly one of 'sector' (an IOAT code) or 'category'")
        if "category" in raw:
            category = self.text(raw["category"], f"{where}.category")
            if category not in CATEGORIES:
                known = sorted(CATEGORIES)
                raise self.fail(f"{where}.category", f"unknown category {excerpt(category)}; known: {known}")
            return CATEGORIES[category]
        code = raw["sector"]
        if isinstance(code, bool) or not isinstance(code, str | int):
            raise self.fail(f"{where}.sector", f"expected an IOAT sector code, got {excerpt(code)}")
        code = self.text(str(code), f"{where}.sector")
        if code not in self.sectors:
            raise self.fail(f"{where}.sector", f"unknown IOAT sector code {excerpt(code)}{datasets.sector_hint(code)}")
        return code

    def case(self, raw: Any) -> CaseStudy:
        top = self.mapping(raw, "file", {"kind", "title", "area", "year"}, {
            "description", "regional_table", "organisation", "providers", "contract", "lm3_survey", "sectors",
            "published", "sensitivity", "additionality", "records",
        })  # fmt: skip
        kind = top["kind"]
        if kind not in ("organisation", "contract", "area"):
            raise self.fail("kind", f"must be 'organisation', 'contract' or 'area', got {excerpt(kind)}")
        year = top["year"]
        if isinstance(year, bool) or not isinstance(year, int):
            raise self.fail("year", f"expected a year, got {excerpt(year)}")
        table = self.mapping(top.get("regional_table", {}), "regional_table", set(), {"method", "delta", "source"})
        method = self.text(table.get("method", "flq"), "regional_table.method")
        delta = self.number(table.get("delta", DEFAULT_DELTA), "regional_table.delta")
        try:
            check_method(method, delta)
        except RegionError as exc:
            raise self.fail("regional_table", str(exc)) from None
        published = self.mapping(top.get("published") or {}, "published", set(), {"fte", "gva", "lm3"})
        common = {
            "name": self.name, "kind": kind, "title": self.text(top["title"], "title"),
            "area": self.text(top["area"], "area"), "year": year, "method": method, "delta": delta,
            "description": self.optional_text(top.get("description"), "description"),
            "published": {k: self.figure(v, f"published.{k}") for k, v in published.items()},
            "sensitivity": self.sensitivity(top.get("sensitivity") or {}),
            **self.records(top.get("records") or {}),
        }  # fmt: skip
        if kind == "area":
            for key in ("organisation", "providers", "contract", "lm3_survey", "published", "sensitivity",
                        "additionality"):  # fmt: skip
                if key in top:
                    raise self.fail(key, "not allowed in an 'area' case")
            sectors = top.get("sectors") or []
            if not isinstance(sectors, list):
                raise self.fail("sectors", f"expected a list of IOAT codes, got {excerpt(sectors)}")
            for k, s in enumerate(sectors):
                self.sector({"sector": s}, f"sectors[{k}]")
            return CaseStudy(**common, sectors=tuple(map(str, sectors)))
        if "sectors" in top:
            raise self.fail("sectors", f"only an 'area' case lists sectors, not a {kind} case")
        tender = kind == "contract" and "contract" in top
        if "contract" in top and kind != "contract":
            raise self.fail("contract", f"only a 'contract' case has a contract block, not an {kind} case")
        if "organisation" not in top and not tender:
            raise self.fail("file", f"missing required field 'organisation' for a {kind} case (or, for a tender, "
                                    "'contract' with its bids under providers)")  # fmt: skip
        org = self.organisation(top["organisation"], common) if "organisation" in top else None
        providers: dict[str, Provider] = {}
        contract = None
        if kind == "contract":
            raw_providers = top.get("providers")
            if not isinstance(raw_providers, dict) or not raw_providers:
                raise self.fail("providers", "a contract case needs a mapping of at least one provider")
            providers = {}
            for k, v in raw_providers.items():
                key = self.text(k, "providers (a provider's key)")
                providers[key] = self.provider(v, f"providers.{key}")
            names = [p.name for p in providers.values()]
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise self.fail("providers", f"two providers (bids) named {twice}: each needs its own name")
            if tender:
                contract = read_contract(self, top["contract"], list(providers))
        elif "providers" in top:
            raise self.fail("providers", "only a 'contract' case compares providers")
        survey = self.mapping(top.get("lm3_survey", {}), "lm3_survey", set(),
                              {"staff_respend_share", "supplier_respend_share"})  # fmt: skip
        lm3 = {k: self.figure(v, f"lm3_survey.{k}", share=True) for k, v in survey.items()}
        rates = self.additionality(top["additionality"]) if "additionality" in top else None
        return CaseStudy(**common, organisation=org, providers=providers, contract=contract, lm3_survey=lm3,
                         rates=rates)  # fmt: skip

    def additionality(self, raw: Any) -> Rates:
        m = self.mapping(raw, "additionality", set(), {"scenario", *RATES})
        scenario = str(m.get("scenario", "central"))
        try:
            base = preset(scenario)
        except CaseError as exc:
            raise self.fail("additionality.scenario", str(exc)) from None
        given = {k: self.figure(m[k], f"additionality.{k}", share=True) for k in RATES if k in m}
        rates = base.replace(**given)
        return (
            rates if not given else Rates(**{k: getattr(rates, k) for k in RATES}, scenario=f"{scenario} + case file")
        )

    def organisation(self, raw: Any, common: Mapping[str, Any]) -> Organisation:
        m = self.mapping(raw, "organisation", {"name", "income", "staff", "surplus", "spending"},
                         {"sector", "enterprises", "surplus_local_share"})  # fmt: skip
        staff = self.mapping(m["staff"], "organisation.staff", {"fte", "costs", "local_share"})
        spending = []
        for k, line in enumerate(self.items(m["spending"], "organisation.spending")):
            where = f"organisation.spending[{k}]"
            s = self.mapping(line, where, {"value", "local_share", "source"}, {"sector", "category", "label", *_RANGED})
            try:
                local_share = self.number(s["local_share"], f"{where}.local_share")
                spread = self.line_spread(s, where, local_share)
                spending.append(
                    Spend(
                        sector=self.sector(s, where),
                        value=self.number(s["value"], f"{where}.value"),
                        local_share=local_share,
                        source=self.text(s["source"], f"{where}.source"),
                        label=self.optional_text(s.get("label", s.get("category")), f"{where}.label"),
                        local_share_spread=spread,
                    )
                )
            except CaseError as exc:
                if str(exc).startswith(f"case '{self.name}'"):
                    raise
                raise self.fail(where, str(exc)) from None
        enterprises, additionality = [], Figure(1.0, "default: all hosted activity counted as additional")
        if "enterprises" in m:
            e = self.mapping(m["enterprises"], "organisation.enterprises", {"businesses"}, {"additionality"})
            if "additionality" in e:
                additionality = self.figure(e["additionality"], "organisation.enterprises.additionality", share=True)
            for k, b in enumerate(e["businesses"] or []):
                where = f"organisation.enterprises.businesses[{k}]"
                b = self.mapping(b, where, {"name", "fte", "turnover"}, {"sector", "category"})
                enterprises.append(
                    Enterprise(
                        name=self.text(b["name"], f"{where}.name"),
                        sector=self.sector(b, where),
                        fte=self.figure(b["fte"], f"{where}.fte"),
                        turnover=self.figure(b["turnover"], f"{where}.turnover"),
                    )
                )
        sector = None
        if "sector" in m:
            own = self.mapping(m["sector"], "organisation.sector", {"code", "source"})
            sector = self.sector({"sector": own["code"]}, "organisation.sector")
        try:
            return Organisation(
                name=self.text(m["name"], "organisation.name"),
                area=common["area"],
                year=common["year"],
                income=self.figure(m["income"], "organisation.income", positive=True),
                staff_fte=self.figure(staff["fte"], "organisation.staff.fte"),
                staff_costs=self.figure(staff["costs"], "organisation.staff.costs"),
                staff_local_share=self.figure(staff["local_share"], "organisation.staff.local_share", share=True),
                surplus=self.figure(m["surplus"], "organisation.surplus"),
                spending=tuple(spending),
                enterprises=tuple(enterprises),
                additionality=additionality,
                method=common["method"],
                delta=common["delta"],
                sector=sector,
                published=common["published"],
                **(
                    {
                        "surplus_local_share": self.figure(
                            m["surplus_local_share"], "organisation.surplus_local_share", share=True
                        )
                    }
                    if "surplus_local_share" in m
                    else {}
                ),
            )
        except CaseError as exc:
            raise self.fail("organisation", str(exc)) from None

    def provider(self, raw: Any, where: str) -> Provider:
        fields = {"name", "staff_share", "staff_cost_per_fte", "staff_local_share", "spending", "overheads_share",
                  "surplus_share", "surplus_local_share"}  # fmt: skip
        m = self.mapping(raw, where, fields)
        spending = []
        for k, line in enumerate(self.items(m["spending"], f"{where}.spending")):
            w = f"{where}.spending[{k}]"
            s = self.mapping(line, w, {"share", "local_share", "source"}, {"sector", "category", "label", *_RANGED})
            local_share = self.number(s["local_share"], f"{w}.local_share")
            spread = self.line_spread(s, w, local_share)
            spending.append(
                ProviderSpend(
                    sector=self.sector(s, w),
                    share=self.number(s["share"], f"{w}.share"),
                    local_share=local_share,
                    source=self.text(s["source"], f"{w}.source"),
                    label=self.optional_text(s.get("label", s.get("category")), f"{w}.label"),
                    local_share_spread=spread,
                )
            )
        shares = ("staff_share", "staff_local_share", "overheads_share", "surplus_share", "surplus_local_share")
        try:
            return Provider(
                name=self.text(m["name"], f"{where}.name"),
                spending=tuple(spending),
                staff_cost_per_fte=self.figure(m["staff_cost_per_fte"], f"{where}.staff_cost_per_fte", positive=True),
                **{k: self.figure(m[k], f"{where}.{k}", share=True) for k in shares},
            )
        except CaseError as exc:
            raise self.fail(where, str(exc)) from None

    def records(self, raw: Any) -> dict[str, Any]:
        m = self.mapping(raw, "records", set(), {"command", "files", "checks"})
        files = m.get("files") or []
        if not isinstance(files, list):
            raise self.fail("records.files", f"expected a list of files, got {files!r}")
        out = []
        for k, entry in enumerate(files):
            where = f"records.files[{k}]"
            f = self.mapping(entry, where, {"role", "file", "rows", "sha256"})
            role = self.text(f["role"], f"{where}.role")
            if role not in ("accounts", "staff", "suppliers", "bids", "lots"):
                raise self.fail(f"{where}.role", f"must be accounts, staff, suppliers, bids or lots, got {role!r}")
            rows = f["rows"]
            if isinstance(rows, bool) or not isinstance(rows, int) or rows < 0:
                raise self.fail(f"{where}.rows", f"expected a number of rows, got {rows!r}")
            sha = self.text(f["sha256"], f"{where}.sha256")
            if not _SHA256.fullmatch(sha):
                raise self.fail(f"{where}.sha256", f"expected 64 hexadecimal digits, got {sha!r}")
            out.append(RecordFile(role, self.text(f["file"], f"{where}.file"), rows, sha))
        command = str(m.get("command", "")).strip()
        checks = self.items(m.get("checks"), "records.checks")
        for k, check in enumerate(checks):
            self.text(check, f"records.checks[{k}]")
        return {"records": tuple(out), "records_command": command, "records_checks": tuple(checks)}

    def sensitivity(self, raw: Any) -> dict[str, tuple[float, ...]]:
        m = self.mapping(raw, "sensitivity", set(), set(SENSITIVITY_KNOBS))
        out = {}
        for k, values in m.items():
            if not isinstance(values, list) or not values:
                raise self.fail(f"sensitivity.{k}", f"expected a list of values, got {excerpt(values)}")
            out[k] = tuple(self.number(v, f"sensitivity.{k}") for v in values)
            for v in out[k]:
                try:
                    _check_knob(k, v)
                except CaseError as exc:
                    raise self.fail(f"sensitivity.{k}", str(exc)) from None
        return out


def is_case_path(value: object) -> bool:
    """Whether ``value`` names a case file (a path, or a name ending ``.yaml``/``.yml``) rather than a shipped case."""
    if isinstance(value, Path):
        return True
    return isinstance(value, str) and (value.casefold().endswith((".yaml", ".yml")) or "/" in value or "\\" in value)


def case_study(name: str | Path, *, area: str | None = None) -> CaseStudy:
    """A shipped case study, or a case file of your own, validated (see :mod:`kil_io.appraisal.casefile`).

    Parameters
    ----------
    name : str or Path
        A shipped case, e.g. ``"halifax_opportunities_trust"``, ``"jubilee_childrens_centre"``,
        ``"calderdale"``; or the path of a case file (``"my_centre.yaml"``, ``Path(...)``), read
        with the shipped data.
    area : str, optional
        Appraise the case in this area instead of the one its file names (an authority, region or
        nation of Great Britain): the same organisation, contract or bids in another local economy.

    Returns
    -------
    CaseStudy

    Raises
    ------
    DatasetError
        Unknown shipped name (the message lists the shipped ones).
    MissingFileError
        No such case file.
    CaseError
        The file does not follow the schema, or its area is unknown or has no employment data for its year.

    Examples
    --------
    >>> import kil_io
    >>> kil_io.organisation_impact(case_study("halifax_opportunities_trust")).to_frame()  # doctest: +SKIP
    """
    if is_case_path(name):
        path = Path(name)
    else:
        names = datasets.case_studies()
        if not isinstance(name, str) or name not in names:
            raise DatasetError(
                f"no case study {excerpt(name)}; shipped case studies: {', '.join(names)} (or give the path of a "
                "case file, e.g. my_centre.yaml)"
            )
        path = datasets.data_dir() / CASES_FOLDER / f"{name}.yaml"
    # every shipped table's codes: a case written for 2019-2022 (C254, C25OTHER) runs on 2023's (C25) too
    sectors = tuple(dict.fromkeys(s for year in datasets.available_years() for s in datasets.uk_iot(year).sectors))
    case = load_case(path, sectors=sectors)
    if area is not None and area != case.area:
        case = replace(case, area=area, moved_from=case.area)
    try:
        where = datasets.area(case.area)
        datasets.national_employment(case.year, area=where)  # an area with BRES employment that year
    except (AreaError, DatasetError) as exc:
        raise CaseError(f"case '{case.name}': area: {exc}") from None
    return case


__all__ = ["CATEGORIES", "CaseStudy", "Kind", "RecordFile", "case_study", "is_case_path", "load_case"]
