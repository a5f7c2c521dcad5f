"""What a portfolio file holds once read: its entries and what each already counts of another.

The schema, its rules and the reader are in :mod:`kil_io.appraisal.portfoliofile`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kil_io.appraisal.casestudy import CaseStudy
from kil_io.errors import KilIOError

#: An entry's key: lower_snake, as case names (it names the entry in relations and reports).
ENTRY_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
#: Keys of a portfolio file and of an entry.
FILE_KEYS = {"title": "required", "entries": "required", "description": "optional"}
ENTRY_KEYS = {
    "name": "required", "case": "required", "area": "optional", "year": "optional", "contract_value": "optional",
    "provider": "optional", "part_of": "optional", "paid_to": "optional", "suppliers": "optional",
}  # fmt: skip

Rule = Literal["part_of", "paid_to"]


class PortfolioError(KilIOError, ValueError):
    """A portfolio file that does not follow the schema or counts something twice (names file, entry and field)."""


@dataclass(frozen=True)
class Relation:
    """An entry counted within another: ``part_of`` (an organisation) or ``paid_to`` (a contract).

    Attributes
    ----------
    rule : {"part_of", "paid_to"}
    entry : str
        The entry whose figures already hold this one's.
    source : str
        Where the relation is known from.
    """

    rule: Rule
    entry: str
    source: str


@dataclass(frozen=True)
class SharedSupply:
    """£ of an entry's local spending line paid to another entry of the portfolio.

    Attributes
    ----------
    entry : str
        The supplier: another entry, in the same area.
    line : str
        The spending line, by its label or category as in the case file (``catering``), or its sector code.
    value : float
        [£ a year], at most the line's local spending.
    source : str
    lines : tuple of int
        The positions of the spending lines it names in the case's (or provider's) spending.
    local : float
        Those lines' local spending [£ a year].
    """

    entry: str
    line: str
    value: float
    source: str
    lines: tuple[int, ...]
    local: float


@dataclass(frozen=True)
class PortfolioEntry:
    """One organisation or contract of a portfolio, its case loaded (area and year as overridden).

    Attributes
    ----------
    name : str
    case : CaseStudy
    given : str
        The case as the file names it (a shipped name or a path relative to the portfolio file).
    contract_value : float or None
        [£ a year]; ``None``: the organisation (its accounts).
    contract_source : str
    provider : str
        A contract entry's provider key (the case's first unless given); empty for an organisation.
    within : Relation or None
    suppliers : tuple of SharedSupply
    """

    name: str
    case: CaseStudy
    given: str
    contract_value: float | None = None
    contract_source: str = ""
    provider: str = ""
    within: Relation | None = None
    suppliers: tuple[SharedSupply, ...] = ()

    @property
    def kind(self) -> Literal["organisation", "contract"]:
        """``contract`` for an entry with a contract value, else ``organisation``."""
        return "contract" if self.contract_value is not None else "organisation"

    @property
    def income(self) -> float:
        """The organisation's income or the contract's value [£ a year]."""
        if self.contract_value is not None:
            return self.contract_value
        assert self.case.organisation is not None  # an organisation or contract case (checked when read)
        return self.case.organisation.income.value


@dataclass(frozen=True)
class PortfolioFile:
    """A loaded portfolio file (read-only): its title and entries, relations checked.

    Attributes
    ----------
    name : str
        The file's stem.
    title, description : str
    entries : tuple of PortfolioEntry
        In file order.
    path : Path or None
    """

    name: str
    title: str
    entries: tuple[PortfolioEntry, ...]
    description: str = ""
    path: Path | None = None

    def entry(self, name: str) -> PortfolioEntry:
        """The entry called ``name``."""
        for e in self.entries:
            if e.name == name:
                return e
        raise KeyError(f"portfolio '{self.name}' has no entry {name!r}; it has {[e.name for e in self.entries]}")

    def container(self, name: str) -> str:
        """The entry that finally holds ``name``'s figures: itself if it is counted, else the end of its chain."""
        e = self.entry(name)
        while e.within is not None:
            e = self.entry(e.within.entry)
        return e.name

    @property
    def included(self) -> tuple[PortfolioEntry, ...]:
        """The entries whose figures are added up (not counted within another)."""
        return tuple(e for e in self.entries if e.within is None)


__all__ = ["ENTRY_KEYS", "ENTRY_NAME", "FILE_KEYS", "PortfolioEntry", "PortfolioError", "PortfolioFile", "Relation",
           "Rule", "SharedSupply"]  # fmt: skip
