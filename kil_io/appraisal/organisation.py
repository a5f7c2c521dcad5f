"""The organisation data model: figures with their sources, spending lines, hosted enterprises, accounts.

Everything an appraisal of one organisation needs, as immutable, validated values. Money in £
(not £m). Impacts, LM3 and commissioning are functions over these objects
(:mod:`kil_io.appraisal.impact`, :mod:`kil_io.appraisal.lm3`, :mod:`kil_io.appraisal.commissioning`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

from kil_io.errors import CaseError, ImplausibleValueWarning
from kil_io.limits import excerpt
from kil_io.model import units


@dataclass(frozen=True)
class Figure:
    """A number with the note that says where it comes from (a source or a labelled assumption)."""

    value: float
    source: str

    def __post_init__(self) -> None:
        real = isinstance(self.value, int | float | np.integer | np.floating) and not isinstance(self.value, bool)
        if not real or not np.isfinite(self.value):
            got = f"{excerpt(self.value)} (source: {excerpt(self.source)})"
            raise CaseError(f"figure must be a finite number, got {got}")
        if not isinstance(self.source, str) or not self.source.strip():
            raise CaseError(f"figure {excerpt(self.value)} has no source note")
        object.__setattr__(self, "value", float(self.value))


@dataclass(frozen=True)
class Spend:
    """A line of spending: how much (£) is bought from a sector, and the share bought locally."""

    sector: str
    value: float
    local_share: float
    source: str
    label: str = ""

    def __post_init__(self) -> None:
        what = f"spending line '{self.label or self.sector}'"
        if not _is_real(self.value) or not np.isfinite(self.value) or self.value < 0:
            raise CaseError(f"{what}: value must be a non-negative number of £, got {excerpt(self.value)}")
        _check_share(self.local_share, f"{what}: local_share")
        if not isinstance(self.source, str) or not self.source.strip():
            raise CaseError(f"{what}: no source note")


@dataclass(frozen=True)
class Enterprise:
    """A business the organisation hosts or enables: its own jobs (FTE) and turnover (£)."""

    name: str
    sector: str
    fte: Figure
    turnover: Figure

    def __post_init__(self) -> None:
        for field_, fig in (("fte", self.fte), ("turnover", self.turnover)):
            if not isinstance(fig, Figure):
                got = excerpt(fig)
                raise CaseError(f"enterprise '{self.name}': {field_} must be a Figure (value and source), got {got}")
            if fig.value < 0:
                raise CaseError(f"enterprise '{self.name}': {field_} must be non-negative, got {fig.value:,.2f}")


@dataclass(frozen=True)
class Organisation:
    """An organisation's accounts, as far as its local economic impact needs them.

    All money in £ (not £m). ``staff_costs`` are compensation of employees (gross pay,
    employer's National Insurance and pension). Spending lines name IOAT sectors; what
    they do not cover (e.g. depreciation) is not modelled. Enterprises are businesses the
    organisation hosts or enables; ``additionality`` is the share of their activity that
    would not happen in the area without it (1 = all of it).
    """

    name: str
    area: str
    year: int
    income: Figure
    staff_fte: Figure
    staff_costs: Figure
    staff_local_share: Figure
    surplus: Figure
    spending: tuple[Spend, ...] = ()
    enterprises: tuple[Enterprise, ...] = ()
    additionality: Figure = Figure(1.0, "default: all hosted activity counted as additional")
    method: str = "flq"
    delta: float = 0.3
    sector: str | None = None
    published: Mapping[str, Figure] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.income.value <= 0:
            raise CaseError(f"'{self.name}': income must be positive, got £{self.income.value:,.0f}")
        for name in ("staff_fte", "staff_costs"):
            if getattr(self, name).value < 0:
                raise CaseError(f"'{self.name}': {name} must be non-negative, got {getattr(self, name).value:,.2f}")
        if -self.surplus.value > self.income.value:
            raise CaseError(
                f"'{self.name}': a deficit of £{-self.surplus.value:,.0f} is larger than income "
                f"(£{self.income.value:,.0f}); check the sign of surplus"
            )
        _check_share(self.staff_local_share.value, f"'{self.name}': staff local_share")
        _check_share(self.additionality.value, f"'{self.name}': enterprises additionality")
        spent = self.staff_costs.value + sum(s.value for s in self.spending)
        allowed = self.income.value - self.surplus.value
        if spent > allowed * (1 + 1e-9) + 0.5:
            raise CaseError(
                f"'{self.name}': staff costs and spending (£{spent:,.0f}) exceed income less surplus "
                f"(£{self.income.value:,.0f} - £{self.surplus.value:,.0f} = £{allowed:,.0f}) by £{spent - allowed:,.0f}"
            )

    @property
    def local_spend(self) -> pd.Series:
        """Spending bought locally, by sector (£)."""
        pairs = [(s.sector, s.value * s.local_share) for s in self.spending]
        return pd.Series(dict(pairs) if not pairs else pd.DataFrame(pairs).groupby(0)[1].sum(), dtype=float)

    @property
    def local_staff_pay(self) -> float:
        """Staff costs paid to staff who live in the area (£)."""
        return self.staff_costs.value * self.staff_local_share.value

    @property
    def unallocated(self) -> float:
        """Income not covered by staff costs, spending lines or surplus (£)."""
        return self.income.value - self.surplus.value - self.staff_costs.value - sum(s.value for s in self.spending)


def _is_real(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_)


def _check_share(value: float, what: str) -> None:
    if not _is_real(value) or not (np.isfinite(value) and 0 <= value <= 1):
        raise CaseError(f"{what} must be a share in [0, 1], got {excerpt(value)}")


class HasOrganisation(Protocol):
    """Anything that carries an :class:`Organisation` (a loaded case file does)."""

    name: str
    organisation: Organisation | None


def organisation_of(case: Organisation | HasOrganisation) -> Organisation:
    """The organisation itself, or the one a case carries; ``CaseError`` if it has none."""
    if isinstance(case, Organisation):
        return case
    if getattr(case, "organisation", None) is None:
        raise CaseError(f"case '{getattr(case, 'name', case)}' is not an organisation or contract case")
    return case.organisation  # type: ignore[return-value]


def check_organisation_magnitudes(org: Organisation, *, stacklevel: int = 2) -> None:
    """Warn (:class:`~kil_io.errors.ImplausibleValueWarning`) on accounts in the wrong unit.

    Pay per FTE (staff costs / FTE) outside :data:`kil_io.model.units.PAY_PER_FTE`, or FTE per
    £1m of income outside :data:`kil_io.model.units.FTE_PER_1M_INCOME`: money entered in £m
    or £k where £ is expected, or FTE as headcount of hours. Nothing is changed.
    """
    fte, pay, income = org.staff_fte.value, org.staff_costs.value, org.income.value
    if fte <= 0:
        return
    found = []
    per_fte = pay / fte
    if pay > 0 and not units.PAY_PER_FTE[0] <= per_fte <= units.PAY_PER_FTE[1]:
        low, high = units.PAY_PER_FTE
        found.append(f"staff costs of £{per_fte:,.2f} per FTE (plausible: £{low:,.0f} to £{high:,.0f})")
    per_m = fte / (income / 1e6)
    if not units.FTE_PER_1M_INCOME[0] <= per_m <= units.FTE_PER_1M_INCOME[1]:
        low, high = units.FTE_PER_1M_INCOME
        found.append(f"{per_m:,.4g} FTE per £1m of income (plausible: {low:g} to {high:g})")
    if found:
        warnings.warn(
            f"'{org.name}': {'; '.join(found)}. Money in an organisation's accounts is in £ (not £m or £k), "
            f"staff in full-time equivalents: {fte:g} FTE, staff costs £{pay:,.2f}, income £{income:,.2f}",
            ImplausibleValueWarning,
            stacklevel=stacklevel + 1,
        )
