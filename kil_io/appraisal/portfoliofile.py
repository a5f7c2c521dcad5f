"""Portfolio files: many organisations and contracts to add up, and what each already counts of another.

A portfolio file is strict YAML, read with the safe loader (:mod:`kil_io.yamlsafe`) like a case file.
Money is in £ a year; every amount and every relation says where it comes from (``source``).

.. code-block:: yaml

    title: Three local organisations in West Yorkshire
    description: optional text
    entries:
      - name: hot                                  # the entry's key: lower_snake, unique
        case: halifax_opportunities_trust          # a shipped case, or a case file relative to this file
      - name: jubilee
        case: jubilee_childrens_centre
        part_of: {entry: hot, source: "public: HOT runs the centre"}
      - name: centre_contract
        case: jubilee_childrens_centre
        contract_value: {value: 500000, source: "council contract register"}
        provider: local                            # who delivers it (default: the case's first provider)
        paid_to: {entry: hot, source: "..."}
      - name: leeds
        case: leeds_community_centre.yaml
        area: Leeds                                # optional: another area or year than the case file's
        year: 2022
        suppliers:                                 # £ of this entry's local spending paid to another entry
          - {entry: caterer, line: catering, value: 8000, source: "suppliers.csv, 2 invoices"}

An entry without ``contract_value`` counts the case's organisation (its accounts, a contract case's
too); one with it counts the contract of that value as its ``provider`` delivers it.

What would be counted twice, and the rule for each (:mod:`kil_io.appraisal.deduplication` applies
them):

- ``part_of``: an organisation inside another, whose accounts hold its income, staff and spending
  (Jubilee inside Halifax Opportunities Trust). All its effects are already in the other's, so it
  is listed, *counted within* the other, and adds nothing. Its income cannot exceed the other's.
- ``paid_to``: a contract paid to an organisation counted in the portfolio. Its value is part of
  that organisation's income, which its appraisal already spends on staff and suppliers, so the
  contract adds nothing either. Its value cannot exceed the organisation's income.
- ``suppliers``: £ of an entry's local spending line paid to another entry. That £ is the other
  entry's income: its staff are the other's direct jobs and its purchases the other's indirect
  effects, so the part of this entry's indirect and supply-chain induced effects that comes from
  that £ is removed from this entry. The amount cannot exceed the line's local spending.

Entries counted within another are the same area's (the other's effects are counted in its area),
and a supplier entry is in the spender's area (local spending is spent in the area).

Bad input raises :class:`PortfolioError` naming the file, the entry and the field: an entry counted
twice (the same case and contract listed twice, or ``part_of``/``paid_to`` that loop), a relation
to an unknown entry, a supplier amount above the line's local spending, a missing case file.
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
from kil_io.appraisal.casefile import case_study, is_case_path
from kil_io.appraisal.casestudy import CaseStudy
from kil_io.appraisal.portfolioentries import (
    ENTRY_KEYS,
    ENTRY_NAME,
    FILE_KEYS,
    PortfolioEntry,
    PortfolioError,
    PortfolioFile,
    Relation,
    SharedSupply,
)
from kil_io.errors import AreaError, DatasetError, KilIOError, MissingFileError, ReaderError
from kil_io.limits import excerpt

#: Folder of the shipped portfolios under the data folder (their case files in ``cases/`` beside them).
PORTFOLIOS_FOLDER = "portfolios"


def portfolios() -> tuple[str, ...]:
    """Names of the shipped portfolios (files ``data/portfolios/<name>.yaml``)."""
    folder = datasets.data_dir() / PORTFOLIOS_FOLDER
    return tuple(sorted(p.stem for p in folder.glob("*.yaml") if ENTRY_NAME.fullmatch(p.stem)))


def portfolio_path(name: str | Path) -> Path:
    """The file of a shipped portfolio by its name, or a portfolio file's path as given.

    Raises
    ------
    PortfolioError
        A name that is not a shipped portfolio (the message lists them).
    """
    if is_case_path(name):
        return Path(name)
    if not isinstance(name, str) or name not in portfolios():
        raise PortfolioError(f"no shipped portfolio {excerpt(name)}; shipped: {', '.join(portfolios())} (or give "
                             "the path of a portfolio file, e.g. my_portfolio.yaml)")  # fmt: skip
    return datasets.data_dir() / PORTFOLIOS_FOLDER / f"{name}.yaml"


def load_portfolio(path: str | Path) -> PortfolioFile:
    """Read and check a portfolio file (see the module notes for the schema and its rules).

    Parameters
    ----------
    path : str or Path
        A ``.yaml`` portfolio file (case files it names by path are relative to its folder), or the
        name of a shipped one (:func:`portfolios`, e.g. ``"west_yorkshire_example"``).

    Returns
    -------
    PortfolioFile

    Raises
    ------
    PortfolioError
        No such file, not UTF-8 YAML, not the schema, an unknown entry in a relation, an entry counted
        twice, a supplier amount above the line's local spending, a case file that is missing or does
        not load: the message names the file, the entry and the field.

    Examples
    --------
    >>> p = load_portfolio("west_yorkshire_example")  # doctest: +SKIP
    >>> [e.name for e in p.included]  # doctest: +SKIP
    ['hot', 'leeds']
    """
    path = portfolio_path(path)
    try:
        raw = yamlsafe.load_file(path, what="portfolio file")
    except ReaderError as exc:  # missing, a folder, not UTF-8, too large
        raise PortfolioError(f"portfolio file {exc}" if isinstance(exc, MissingFileError) else str(exc)) from None
    except yaml.YAMLError as exc:
        raise PortfolioError(f"{path}: not valid YAML (only plain data is allowed): {exc}") from None
    return _Reader(path).portfolio(raw)


class _Reader:
    """Walks a parsed portfolio file, naming the file, entry and field of every problem."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> PortfolioError:
        return PortfolioError(f"{self.path}: {where}: {message}")

    def keys(self, raw: Any, where: str, spec: Mapping[str, str]) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(where, f"expected a mapping, got {excerpt(raw)}")
        unknown = sorted(set(map(str, raw)) - set(spec))
        if unknown:
            raise self.fail(where, f"unknown keys {excerpt(unknown)}; allowed: {sorted(spec)}")
        missing = sorted(k for k, need in spec.items() if need == "required" and k not in raw)
        if missing:
            raise self.fail(where, f"missing required fields {missing}")
        return raw

    def text(self, raw: Any, where: str) -> str:
        if not isinstance(raw, str) or not raw.strip():
            raise self.fail(where, f"expected text, got {excerpt(raw)}")
        return raw.strip()

    def money(self, raw: Any, where: str) -> float:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw) or raw <= 0:
            raise self.fail(where, f"expected a positive amount in £ (no commas or £ sign), got {excerpt(raw)}")
        return float(raw)

    def portfolio(self, raw: Any) -> PortfolioFile:
        top = self.keys(raw, "file", FILE_KEYS)
        items = top["entries"]
        if not isinstance(items, list) or not items:
            raise self.fail("entries", f"expected a list of at least one entry, got {excerpt(items)}")
        heads = [self.head(item, k) for k, item in enumerate(items)]
        names = [h[0] for h in heads]
        seen: dict[str, int] = {}
        for k, name in enumerate(names):
            if name in seen:
                raise self.fail(f"entries[{k}].name", f"{name!r} is the name of entries[{seen[name]}] too; "
                                "every entry needs its own name")  # fmt: skip
            seen[name] = k
        entries = [self.entry(item, k, names) for k, item in enumerate(items)]
        description = top.get("description") or ""
        if not isinstance(description, str):
            raise self.fail("description", f"expected text, got {excerpt(description)}")
        out = PortfolioFile(self.path.stem, self.text(top["title"], "title"), tuple(entries), description.strip(),
                            self.path)  # fmt: skip
        self.check_twice(out)
        self.check_relations(out)
        return out

    def head(self, item: Any, k: int) -> tuple[str, dict[str, Any]]:
        m = self.keys(item, f"entries[{k}]", ENTRY_KEYS)
        name = m["name"]
        if not isinstance(name, str) or not ENTRY_NAME.fullmatch(name):
            raise self.fail(f"entries[{k}].name", f"{excerpt(name)} is not lower_snake ([a-z][a-z0-9_]*, at most 64 "
                            "characters)")  # fmt: skip
        return name, m

    def entry(self, item: Any, k: int, names: list[str]) -> PortfolioEntry:
        name, m = self.head(item, k)
        where = f"entries[{k}] ({name})"
        given = self.text(str(m["case"]) if isinstance(m["case"], int) else m["case"], f"{where}: case")
        case = self.case(given, f"{where}: case")
        case = self.override(case, m, where)
        contract, contract_source, provider = None, "", ""
        if "contract_value" in m:
            figure = self.keys(m["contract_value"], f"{where}: contract_value", {"value": "required",
                                                                                 "source": "required"})  # fmt: skip
            contract = self.money(figure["value"], f"{where}: contract_value.value")
            contract_source = self.text(figure["source"], f"{where}: contract_value.source")
            if not case.providers:
                why = "count its organisation (no contract_value), or give a contract case"
                raise self.fail(f"{where}: contract_value", f"case '{case.name}' has no providers: {why}")
            provider = self.text(m.get("provider", next(iter(case.providers))), f"{where}: provider")
            if provider not in case.providers:
                raise self.fail(f"{where}: provider", f"{provider!r} is not a provider of case '{case.name}'; it has "
                                f"{sorted(case.providers)}")  # fmt: skip
        elif "provider" in m:
            raise self.fail(f"{where}: provider", "only a contract entry (with a contract_value) names its provider")
        within = None
        given_rules = [r for r in ("part_of", "paid_to") if r in m]
        if len(given_rules) > 1:
            raise self.fail(f"{where}: paid_to", "an entry is counted within one other entry: give part_of or paid_to")
        for rule in given_rules:
            r = self.keys(m[rule], f"{where}: {rule}", {"entry": "required", "source": "required"})
            target = self.known(r["entry"], names, f"{where}: {rule}.entry", name)
            within = Relation(rule, target, self.text(r["source"], f"{where}: {rule}.source"))
        entry = PortfolioEntry(name, case, given, contract, contract_source, provider, within)
        raw_suppliers = m.get("suppliers") or []
        if not isinstance(raw_suppliers, list):
            raise self.fail(f"{where}: suppliers", f"expected a list of suppliers, got {excerpt(raw_suppliers)}")
        suppliers = tuple(self.supplier(s, f"{where}: suppliers[{j}]", entry, names)
                          for j, s in enumerate(raw_suppliers))  # fmt: skip
        return replace(entry, suppliers=suppliers)

    def case(self, given: str, where: str) -> CaseStudy:
        target: str | Path = self.path.parent / given if is_case_path(given) else given
        try:
            with warnings.catch_warnings():  # plausibility notes reach the entry's appraisal, once
                warnings.simplefilter("ignore")
                case = case_study(target)
        except MissingFileError:
            raise self.fail(where, f"case file {target} not found (a path is relative to the portfolio file's "
                            "folder)") from None  # fmt: skip
        except KilIOError as exc:
            raise self.fail(where, str(exc)) from None
        if case.organisation is None:
            raise self.fail(where, f"case '{case.name}' is an {case.kind} case; a portfolio adds up organisation and "
                            "contract cases")  # fmt: skip
        return case

    def override(self, case: CaseStudy, m: Mapping[str, Any], where: str) -> CaseStudy:
        area = self.text(m["area"], f"{where}: area") if "area" in m else case.area
        year = m.get("year", case.year)
        if isinstance(year, bool) or not isinstance(year, int):
            raise self.fail(f"{where}: year", f"expected a year (BRES employment year), got {excerpt(year)}")
        if (area, year) == (case.area, case.year):
            return case
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a former name: the appraisal notes what it became
                found = datasets.area(area)
            datasets.national_employment(year, area=found)
        except (AreaError, DatasetError) as exc:
            field = "area" if "area" in m else "year"
            raise self.fail(f"{where}: {field}", str(exc)) from None
        return replace(case, area=area, year=year)

    def known(self, raw: Any, names: list[str], where: str, own: str) -> str:
        target = self.text(raw, where)
        if target not in names:
            raise self.fail(where, f"no entry {target!r} in this portfolio; entries: {names}")
        if target == own:
            raise self.fail(where, "an entry cannot refer to itself")
        return target

    def supplier(self, raw: Any, where: str, entry: PortfolioEntry, names: list[str]) -> SharedSupply:
        m = self.keys(raw, where, {"entry": "required", "line": "required", "value": "required",
                                   "source": "required"})  # fmt: skip
        target = self.known(m["entry"], names, f"{where}.entry", entry.name)
        line = self.text(m["line"], f"{where}.line")
        value = self.money(m["value"], f"{where}.value")
        lines, local = spending_lines(entry)
        want = _label(line)
        found = tuple(k for k, (label, sector) in enumerate(lines) if want in (_label(label), _label(sector)))
        if not found:
            listed = sorted({label for label, _ in lines})
            raise self.fail(f"{where}.line", f"{line!r} is not a spending line of entry '{entry.name}'; its lines: "
                            f"{listed}")  # fmt: skip
        return SharedSupply(target, line, value, self.text(m["source"], f"{where}.source"), found,
                            float(sum(local[k] for k in found)))  # fmt: skip

    def check_twice(self, p: PortfolioFile) -> None:
        """The same thing listed twice: one organisation's accounts, or the same contract by the same provider."""
        seen: dict[tuple[Any, ...], PortfolioEntry] = {}
        for k, e in enumerate(p.entries):
            where = e.case.path.resolve() if e.case.path is not None else e.case.name
            key: tuple[Any, ...] = (
                ("organisation", where) if e.kind == "organisation"
                else ("contract", where, e.contract_value, e.provider, e.case.area, e.case.year)
            )  # fmt: skip
            if key in seen:
                what = "organisation" if e.kind == "organisation" else "contract, value and provider"
                raise self.fail(f"entries[{k}] ({e.name}): case", f"the same {what} as entry '{seen[key].name}' "
                                f"(case {e.given!r}): a portfolio entry counted twice; list it once (an organisation "
                                "inside another is part_of it)")  # fmt: skip
            seen[key] = e

    def check_relations(self, p: PortfolioFile) -> None:
        """Loops, kinds, areas and amounts of part_of, paid_to and suppliers."""
        for k, e in enumerate(p.entries):
            where = f"entries[{k}] ({e.name})"
            chain, step = [e.name], e
            while step.within is not None:
                if step.within.entry in chain:
                    loop = " -> ".join([*chain[chain.index(step.within.entry) :], step.within.entry])
                    rule = e.within.rule if e.within is not None else "part_of"
                    raise self.fail(f"{where}: {rule}", f"counted within itself ({loop}): a portfolio entry counted "
                                    "twice; one of them must be counted on its own")  # fmt: skip
                chain.append(step.within.entry)
                step = p.entry(step.within.entry)
            if e.within is not None:
                self.check_within(e, p.entry(e.within.entry), where)
            for j, s in enumerate(e.suppliers):
                self.check_supplier(e, p.entry(s.entry), s, f"{where}: suppliers[{j}]")
            for label, used in _by_line(e.suppliers).items():
                s = next(x for x in e.suppliers if x.lines == label)
                if used > s.local + 0.5:
                    raise self.fail(f"{where}: suppliers", f"£{used:,.0f} of line {s.line!r} is paid to other entries, "
                                    f"more than the £{s.local:,.0f} of it spent locally")  # fmt: skip

    def check_within(self, e: PortfolioEntry, whole: PortfolioEntry, where: str) -> None:
        assert e.within is not None
        rule, field = e.within.rule, f"{where}: {e.within.rule}"
        if rule == "part_of" and e.kind != "organisation":
            raise self.fail(field, "a contract entry is counted within an organisation by paid_to, not part_of")
        if rule == "paid_to" and e.kind != "contract":
            raise self.fail(field, "paid_to is for a contract entry (with a contract_value); an organisation inside "
                            "another is part_of it")  # fmt: skip
        if whole.kind != "organisation":
            raise self.fail(field, f"entry '{whole.name}' is a contract; an entry is counted within an organisation")
        if e.case.area != whole.case.area:
            raise self.fail(field, f"entry '{e.name}' is in {e.case.area} and '{whole.name}' in {whole.case.area}: "
                            "an entry is counted within an organisation of its own area (the other's figures are "
                            "its area's)")  # fmt: skip
        what = "income" if rule == "part_of" else "contract value"
        if e.income > whole.income + 0.5:
            raise self.fail(field, f"its {what} £{e.income:,.0f} is more than the £{whole.income:,.0f} income of "
                            f"'{whole.name}', so it cannot be inside it")  # fmt: skip

    def check_supplier(self, e: PortfolioEntry, supplier: PortfolioEntry, s: SharedSupply, where: str) -> None:
        if e.within is not None:
            raise self.fail(where, f"entry '{e.name}' is counted within '{e.within.entry}', whose figures hold its "
                            f"spending: give the supplier on '{e.within.entry}'")  # fmt: skip
        if e.case.area != supplier.case.area:
            raise self.fail(f"{where}.entry", f"entry '{supplier.name}' is in {supplier.case.area}, not in "
                            f"{e.case.area}: local spending is paid to suppliers in the area")  # fmt: skip
        if s.value > s.local + 0.5:
            raise self.fail(f"{where}.value", f"£{s.value:,.0f} is more than the £{s.local:,.0f} that entry "
                            f"'{e.name}' spends locally on line {s.line!r}")  # fmt: skip


def spending_lines(entry: PortfolioEntry) -> tuple[list[tuple[str, str]], list[float]]:
    """An entry's spending lines, ``(label, sector)`` each, and each line's local spending [£ a year].

    The organisation's lines for an organisation entry; the provider's, at the contract value, for
    a contract entry. Labels are as an appraisal shows them (underscores as spaces).
    """
    if entry.contract_value is not None:
        p = entry.case.providers[entry.provider]
        return ([((s.label or s.sector).replace("_", " "), s.sector) for s in p.spending],
                [s.share * entry.contract_value * s.local_share for s in p.spending])  # fmt: skip
    org = entry.case.organisation
    assert org is not None
    return ([((s.label or s.sector).replace("_", " "), s.sector) for s in org.spending],
            [s.value * s.local_share for s in org.spending])  # fmt: skip


def _label(text: str) -> str:
    return " ".join(text.replace("_", " ").casefold().split())


def _by_line(suppliers: tuple[SharedSupply, ...]) -> dict[tuple[int, ...], float]:
    out: dict[tuple[int, ...], float] = {}
    for s in suppliers:
        out[s.lines] = out.get(s.lines, 0.0) + s.value
    return out


__all__ = [
    "ENTRY_NAME", "PORTFOLIOS_FOLDER", "PortfolioEntry", "PortfolioError", "PortfolioFile", "Relation",
    "SharedSupply", "load_portfolio", "portfolio_path", "portfolios", "spending_lines",
]  # fmt: skip
