"""One portfolio result: :class:`Portfolio`, many organisations and contracts added up without double counting.

:func:`kil_io.appraise_portfolio` computes it (:mod:`kil_io.uncertainty.portfolio`) from a portfolio
file (:mod:`kil_io.appraisal.portfoliofile`); the notebook page, the brief and the workbook only
format it (:mod:`kil_io.reporting.portfolio_pages`, ``portfolio_brief``, ``portfolio_workbook``).
It is frozen and round-trips through JSON (``portfolio.json`` in a result folder).

It carries one row per entry (its own appraisal's figures and ranges, *included* or *counted
within* another entry), what was de-duplicated (entry, rule, FTE and £ removed), the sums by area
and in total with their ranges, what is assumed about dependence between entries, notes and
sources. Jobs are FTE; effects on the local economy (GVA, local income) £m; an organisation's
income, a contract's value and an amount de-duplicated £ a year.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from kil_io.appraisal.jsonframes import json_round, read_result_json
from kil_io.appraisal.result import Range
from kil_io.errors import KilIOError

#: Version of the ``portfolio.json`` layout.
SCHEMA = 1
#: The result folder's file holding the portfolio.
FILE = "portfolio.json"

#: The measures added up: key -> (words, unit, basis).
MEASURES: dict[str, tuple[str, str, Literal["gross", "net"]]] = {
    "fte": ("Local jobs, gross", "FTE", "gross"),
    "fte_net": ("Local jobs, net additional", "FTE", "net"),
    "gva": ("Workplace GVA, gross", "£m", "gross"),
    "gva_net": ("Workplace GVA, net additional", "£m", "net"),
    "local_income": ("Local income, gross", "£m", "gross"),
    "local_income_net": ("Local income, net additional", "£m", "net"),
}
#: ``headline.json`` labels of the totals (the labels an organisation's headline uses, so pages read them alike).
HEADLINE: dict[str, str] = {
    "fte": "Local jobs (FTE)",
    "fte_net": "Net additional local jobs (FTE)",
    "gva": "Local GVA (£m)",
    "gva_net": "Net additional local GVA (£m)",
    "local_income": "Local income (£m)",
    "local_income_net": "Net additional local income (£m)",
}

Status = Literal["included", "counted within"]
Rule = Literal["part_of", "paid_to", "shared supplier"]


class PortfolioFileError(KilIOError, ValueError):
    """A ``portfolio.json`` that is missing, unreadable, or written by another version of kil_io."""


@dataclass(frozen=True)
class EntryRow:
    """One entry of a portfolio: its own appraisal's totals, and whether they are added up.

    Attributes
    ----------
    name : str
        The entry's key in the portfolio file.
    title : str
        The case's title.
    organisation : str
        The organisation's name, or for a contract the provider delivering it.
    case, source : str
        The case as the portfolio file names it, and the case file's path (or shipped name).
    kind : {"organisation", "contract"}
    area, area_code : str
    year, national_year : int
        Employment year of the local table, and the UK table's year.
    method, delta : str, float
        How the local table was made (FLQ ``delta`` [ratio]).
    income : float
        The organisation's income, or the contract's value [£ a year].
    status : {"included", "counted within"}
    within : str
        The entry whose figures hold this one's (``counted within``), else empty.
    rule : str
        ``part_of`` or ``paid_to`` for an entry counted within another, else empty.
    relation_source : str
        Where the relation is known from.
    figures : mapping
        :data:`MEASURES` -> the entry's own total (its appraisal's) [FTE or £m].
    ranges : mapping
        :data:`MEASURES` -> its own appraisal's 90% range.
    seed : int or None
        The seed of its own appraisal (``kil_io.appraise(case, draws, seed)`` gives these ranges again).
    notes : tuple of str
        Its appraisal's notes (plausibility, sector codes moved, estimated commuting).
    """

    name: str
    title: str
    organisation: str
    case: str
    source: str
    kind: Literal["organisation", "contract"]
    area: str
    area_code: str
    year: int
    national_year: int
    method: str
    delta: float
    income: float
    status: Status
    within: str
    rule: str
    relation_source: str
    figures: Mapping[str, float]
    ranges: Mapping[str, Range]
    seed: int | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Removal:
    """What one rule took out of the sum, so that nothing is counted twice.

    Attributes
    ----------
    entry : str
        The entry whose figures are reduced.
    rule : {"part_of", "paid_to", "shared supplier"}
    within : str
        The entry that already counts them.
    area, area_code : str
        The area whose sum they are taken from.
    money : float
        The £ counted twice: the part's income, the contract's value or the supplier amount [£ a year].
    removed : mapping
        :data:`MEASURES` -> taken out [FTE or £m]; positive.
    line : str
        For a shared supplier, the spending line.
    source : str
        Where the relation is known from.
    detail : mapping
        The numbers the amounts were worked from (a shared supplier's line spending and effects).
    """

    entry: str
    rule: Rule
    within: str
    area: str
    area_code: str
    money: float
    removed: Mapping[str, float]
    line: str = ""
    source: str = ""
    detail: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    """The sum of an area's entries (or of every area's): gross sum, what was removed, total and range.

    Attributes
    ----------
    area, area_code : str
        ``"All areas"`` and ``""`` for the portfolio's total.
    included : tuple of str
        The entries added up.
    listed : tuple of str
        Every entry of the area, counted within another or not.
    figures : mapping
        :data:`MEASURES` -> the included entries' own totals added up [FTE or £m].
    removed : mapping
        :data:`MEASURES` -> what shared suppliers took out [FTE or £m] (an entry counted within
        another is not in ``figures`` at all).
    totals : mapping
        ``figures - removed`` [FTE or £m].
    ranges : mapping
        :data:`MEASURES` -> the total's range: the included entries' draws added draw by draw, less the
        removals (see :attr:`Portfolio.dependence`).
    notes : tuple of str
        A total outside or off the middle of its range, in words.
    """

    area: str
    area_code: str
    included: tuple[str, ...]
    listed: tuple[str, ...]
    figures: Mapping[str, float]
    removed: Mapping[str, float]
    totals: Mapping[str, float]
    ranges: Mapping[str, Range]
    notes: tuple[str, ...] = ()

    @property
    def organisations(self) -> int:
        """Entries added up here."""
        return len(self.included)


@dataclass(frozen=True, eq=False)
class Portfolio:
    """Many organisations and contracts across areas added up by area and in total (read-only).

    Attributes
    ----------
    name, title, description : str
        The portfolio file's stem, title and description.
    source : str
        The portfolio file's path.
    draws : int
    seed : int or None
    level : float
        The ranges' coverage, 0.9 [share].
    entries : tuple of EntryRow
        In the file's order.
    removals : tuple of Removal
    areas : tuple of Group
        One per area, in the order their first included entry is listed.
    total : Group
    dependence : str
        What the ranges assume about how the entries' uncertainties move together, in words.
    shared_inputs : tuple of str
        The inputs drawn once for the whole portfolio (the same uncertain fact in every entry).
    notes : tuple of str
    sources : tuple of str
        The data behind the figures: each area's local table, the UK table, every case file.
    version : str
    """

    name: str
    title: str
    description: str
    source: str
    draws: int
    seed: int | None
    level: float
    entries: tuple[EntryRow, ...]
    removals: tuple[Removal, ...]
    areas: tuple[Group, ...]
    total: Group
    dependence: str
    shared_inputs: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    version: str = ""

    def entry(self, name: str) -> EntryRow:
        """The row of entry ``name``."""
        for e in self.entries:
            if e.name == name:
                return e
        raise KeyError(f"portfolio '{self.name}' has no entry {name!r}; it has {[e.name for e in self.entries]}")

    def area(self, name: str) -> Group:
        """The sum of the area called (or coded) ``name``."""
        for g in self.areas:
            if name in (g.area, g.area_code):
                return g
        raise KeyError(f"portfolio '{self.name}' has no area {name!r}; it has {[g.area for g in self.areas]}")

    def headline_json(self) -> dict[str, Any]:
        """``headline.json``: the totals keyed by label, then ``units`` and ``ranges`` (as an appraisal's)."""
        out: dict[str, Any] = {HEADLINE[m]: json_round(self.total.totals[m]) for m in MEASURES}
        out["units"] = {HEADLINE[m]: unit for m, (_, unit, _) in MEASURES.items()}
        out["ranges"] = {
            HEADLINE[m]: {
                **{k: json_round(getattr(r, k)) for k in ("low", "high", "median", "level")},
                "draws": r.draws,
            }
            for m, r in self.total.ranges.items()
        }
        out["kil_io"] = self.version  # the version that computed it, as an appraisal's headline.json
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict of everything."""
        out: dict[str, Any] = {"schema": SCHEMA}
        for f in fields(self):
            out[f.name] = _encode(getattr(self, f.name))
        return out

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text (UTF-8, indented)."""
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False, allow_nan=False) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "portfolio") -> Portfolio:
        """The :class:`Portfolio` of :meth:`to_dict`'s output.

        Raises
        ------
        PortfolioFileError
            Another schema version, or a missing or malformed field (named).
        """
        if data.get("schema") != SCHEMA:
            raise PortfolioFileError(f"{where}: written in layout {data.get('schema')!r}; this kil_io reads layout "
                                     f"{SCHEMA}: run the portfolio again")  # fmt: skip
        try:
            return _decode(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise PortfolioFileError(f"{where}: not a complete portfolio ({type(exc).__name__}: {exc}); run the "
                                     "portfolio again") from None  # fmt: skip


def read_portfolio(path: str | Path) -> Portfolio:
    """A :class:`Portfolio` from ``portfolio.json`` (a file, or a result folder that holds one).

    Raises
    ------
    PortfolioFileError
        No such file, not JSON, or another layout.
    """
    p, data = read_result_json(path, FILE, PortfolioFileError, what="a portfolio", again="run the portfolio again",
                               missing=f"no portfolio here; a portfolio's result folder holds {FILE}")  # fmt: skip
    return Portfolio.from_dict(data, where=str(p))


def _encode(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value


def _ranges(d: Mapping[str, Any]) -> dict[str, Range]:
    return {k: Range(**v) for k, v in d.items()}


def _floats(d: Mapping[str, Any]) -> dict[str, float]:
    return {k: float(v) for k, v in d.items()}


def _group(d: Mapping[str, Any]) -> Group:
    return Group(area=d["area"], area_code=d["area_code"], included=tuple(d["included"]), listed=tuple(d["listed"]),
                 figures=_floats(d["figures"]), removed=_floats(d["removed"]), totals=_floats(d["totals"]),
                 ranges=_ranges(d["ranges"]), notes=tuple(d["notes"]))  # fmt: skip


def _decode(d: Mapping[str, Any]) -> Portfolio:
    entries = tuple(
        EntryRow(**{**e, "figures": _floats(e["figures"]), "ranges": _ranges(e["ranges"]), "notes": tuple(e["notes"]),
                    "year": int(e["year"]), "national_year": int(e["national_year"]), "delta": float(e["delta"]),
                    "income": float(e["income"])})
        for e in d["entries"]
    )  # fmt: skip
    removals = tuple(
        Removal(**{**r, "money": float(r["money"]), "removed": _floats(r["removed"]), "detail": _floats(r["detail"])})
        for r in d["removals"]
    )
    return Portfolio(
        name=d["name"], title=d["title"], description=d["description"], source=d["source"], draws=int(d["draws"]),
        seed=d["seed"], level=float(d["level"]), entries=entries, removals=removals,
        areas=tuple(_group(g) for g in d["areas"]), total=_group(d["total"]), dependence=d["dependence"],
        shared_inputs=tuple(d["shared_inputs"]), notes=tuple(d["notes"]), sources=tuple(d["sources"]),
        version=d["version"],
    )  # fmt: skip


__all__ = ["FILE", "HEADLINE", "MEASURES", "EntryRow", "Group", "Portfolio", "PortfolioFileError", "Removal",
           "read_portfolio"]  # fmt: skip
