"""The organisation data model: figures with their sources, spending lines, hosted enterprises, accounts.

Everything an appraisal of one organisation (or of a provider delivering a contract, :class:`Provider`) needs,
as immutable, validated values. Money in £
(not £m). Impacts, LM3 and commissioning are functions over these objects
(:mod:`kil_io.appraisal.impact`, :mod:`kil_io.appraisal.lm3`, :mod:`kil_io.appraisal.commissioning`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, TypeGuard

import numpy as np
import pandas as pd

from kil_io.appraisal.distribution import Distribution
from kil_io.errors import CaseError, ImplausibleValueWarning
from kil_io.limits import excerpt
from kil_io.model import units
from kil_io.regional.quotients import DEFAULT_DELTA, Method
from kil_io.yamlsafe import control_character


@dataclass(frozen=True)
class Figure:
    """A number with the note that says where it comes from (a source or a labelled assumption).

    ``spread`` (optional) says how uncertain it is: a range around the value and the
    distribution over it (:class:`~kil_io.appraisal.distribution.Distribution`; the value is
    the most likely one), which :mod:`kil_io.uncertainty` draws from. ``None``: fixed.
    """

    value: float
    source: str
    spread: Distribution | None = None

    def __post_init__(self) -> None:
        real = isinstance(self.value, int | float | np.integer | np.floating) and not isinstance(self.value, bool)
        if not real or not np.isfinite(self.value):
            got = f"{excerpt(self.value)} (source: {excerpt(self.source)})"
            raise CaseError(f"figure must be a finite number, got {got}")
        if not isinstance(self.source, str) or not self.source.strip():
            raise CaseError(f"figure {excerpt(self.value)} has no source note")
        object.__setattr__(self, "value", float(self.value))
        if self.spread is not None:
            if not isinstance(self.spread, Distribution):
                raise CaseError(f"figure {self.value!r}: spread must be a Distribution, got {self.spread!r}")
            self.spread.check_value(self.value, f"figure {self.value:g} ({self.source})")


@dataclass(frozen=True)
class Spend:
    """A line of spending: how much (£) is bought from a sector, and the share bought locally."""

    sector: str
    value: float
    local_share: float
    source: str
    label: str = ""
    local_share_spread: Distribution | None = None

    def __post_init__(self) -> None:
        what = f"spending line {excerpt(self.label or self.sector)}"
        one_line(self.label, f"{what}: label")
        if not _is_real(self.value) or not np.isfinite(self.value) or self.value < 0:
            raise CaseError(f"{what}: value must be a non-negative number of £, got {excerpt(self.value)}")
        _check_share(self.local_share, f"{what}: local_share")
        if self.local_share_spread is not None:
            check_share_spread(self.local_share_spread, self.local_share, f"{what}: local_share")
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
        one_line(self.name, "an enterprise's name")
        for field_, fig in (("fte", self.fte), ("turnover", self.turnover)):
            if not isinstance(fig, Figure):
                got = excerpt(fig)
                raise CaseError(f"enterprise '{self.name}': {field_} must be a Figure (value and source), got {got}")
            if fig.value < 0:
                raise CaseError(f"enterprise '{self.name}': {field_} must be non-negative, got {fig.value:,.2f}")
            check_range(fig, f"enterprise '{self.name}': {field_}")


@dataclass(frozen=True)
class Organisation:
    """An organisation's accounts, as far as its local economic impact needs them.

    All money in £ (not £m). ``staff_costs`` are compensation of employees (gross pay,
    employer's National Insurance and pension). Spending lines name IOAT sectors; what
    they do not cover (e.g. depreciation) is not modelled. Enterprises are businesses the
    organisation hosts or enables; ``additionality`` is the share of their activity that
    would not happen in the area without it (1 = all of it): the enabled component's
    reference case is the rest. ``surplus_local_share`` is the share of the surplus kept
    in the area (1 for a locally owned organisation; a national firm's profit leaves):
    surplus is workplace GVA wherever it goes, but only the part kept is local income.
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
    method: Method = "flq"
    delta: float = DEFAULT_DELTA
    sector: str | None = None
    published: Mapping[str, Figure] = field(default_factory=dict)
    surplus_local_share: Figure = Figure(1.0, "default: a locally owned organisation keeps its surplus in the area")

    def __post_init__(self) -> None:
        one_line(self.name, "the organisation's name")
        if self.income.value <= 0:
            raise CaseError(f"'{self.name}': income must be positive, got £{self.income.value:,.0f}")
        for name in ("staff_fte", "staff_costs"):
            if getattr(self, name).value < 0:
                raise CaseError(f"'{self.name}': {name} must be non-negative, got {getattr(self, name).value:,.2f}")
        for name in ("income", "staff_fte", "staff_costs"):
            check_range(getattr(self, name), f"'{self.name}': {name}")
        for name in ("staff_local_share", "additionality", "surplus_local_share"):
            check_range(getattr(self, name), f"'{self.name}': {name}", share=True)
        if -self.surplus.value > self.income.value:
            raise CaseError(
                f"'{self.name}': a deficit of £{-self.surplus.value:,.0f} is larger than income "
                f"(£{self.income.value:,.0f}); check the sign of surplus"
            )
        _check_share(self.staff_local_share.value, f"'{self.name}': staff local_share")
        _check_share(self.additionality.value, f"'{self.name}': enterprises additionality")
        _check_share(self.surplus_local_share.value, f"'{self.name}': surplus local_share")
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


#: Pay per FTE [£ a year] outside which a figure is questioned (a warning, not an error). Low: a
#: full-time year at the National Living Wage was £17,004 in 2020/21 (£8.72 an hour x 37.5 hours x
#: 52 weeks) and £22,308 in 2024/25 (£11.44), before employer's National Insurance and pension, so an
#: average below £15,000 per FTE means heads counted as FTE, or pay in £k. High: four times the
#: median gross annual pay of full-time employees in ONS's Annual Survey of Hours and Earnings
#: (ASHE) 2024, £37,430; no community organisation's staff average that.
PAY_PER_FTE_BAND: tuple[float, float] = (15_000.0, 150_000.0)
#: Income [£] below which an organisation's figures look like £m or £k typed into £ fields.
LOW_INCOME = 10_000.0


def pay_per_fte_note(pay: float, fte: float) -> str | None:
    """Why ``pay`` [£ a year] for ``fte`` [FTE] is implausible, or ``None`` (see :data:`PAY_PER_FTE_BAND`)."""
    if fte <= 0 or pay <= 0:
        return None
    low, high = PAY_PER_FTE_BAND
    per = pay / fte
    if per < low:
        return (
            f"£{per:,.0f} a year per FTE is below £{low:,.0f}, less than a full-time year at the National Living "
            "Wage (£17,004 in 2020/21, £22,308 in 2024/25): are heads counted as FTE, or pay written in £k?"
        )
    if per > high:
        return (
            f"£{per:,.0f} a year per FTE is above £{high:,.0f}, four times the median full-time pay of £37,430 "
            "(ONS ASHE 2024): are FTE too few, or pay written in pence?"
        )
    return None


def plausibility(org: Organisation) -> tuple[str, ...]:
    """What looks wrong in an organisation's figures, though it is allowed: one sentence each.

    Checks: figures that look like £m typed into £ fields (income under :data:`LOW_INCOME`, or a
    fractional amount under £1,000), staff costs per FTE outside :data:`PAY_PER_FTE_BAND`, FTE
    with no staff costs or staff costs with no FTE, and spending (staff costs and spending lines)
    above income.

    Returns
    -------
    tuple of str
        Empty when nothing looks wrong. :func:`kil_io.appraisal.casefile.load_case` turns each into a
        :class:`~kil_io.errors.PlausibilityWarning`.

    Examples
    --------
    >>> org = Organisation("Centre", "Leeds", 2021, Figure(1.2, "accounts, £m"), Figure(30, "a"),
    ...                    Figure(0.78, "a"), Figure(1, "a"), Figure(0, "a"))  # doctest: +SKIP
    >>> plausibility(org)[0]  # doctest: +SKIP
    'income is £1.20: a figure in £m typed into a £ field? case files take £ (1200000 for £1.2m)'
    """
    notes = []
    income = org.income.value
    if income < LOW_INCOME:
        notes.append(
            f"income is £{income:,.2f}: a figure in £m typed into a £ field? case files take £ "
            f"({income * 1e6:,.0f} for £{income:g}m)"
        )
    money = [("staff costs", org.staff_costs.value), ("surplus", org.surplus.value)]
    money += [(f"spending line '{s.label or s.sector}'", s.value) for s in org.spending]
    for what, value in money:
        if 0 < abs(value) < 1_000 and value != round(value):
            notes.append(f"{what} is £{value:,.2f}: a figure in £m typed into a £ field? case files take £")
    fte, costs = org.staff_fte.value, org.staff_costs.value
    if fte > 0 and costs == 0:
        notes.append(f"{fte:g} FTE staff with no staff costs: are the costs missing?")
    elif costs > 0 and fte == 0:
        notes.append(f"staff costs of £{costs:,.0f} with no FTE staff: are the FTE missing?")
    elif note := pay_per_fte_note(costs, fte):
        notes.append(f"staff costs: {note}")
    spent = costs + sum(s.value for s in org.spending)
    if spent > income:
        notes.append(
            f"staff costs and spending (£{spent:,.0f}) are above income (£{income:,.0f}), a deficit of "
            f"£{spent - income:,.0f}: is income complete?"
        )
    return tuple(notes)


def _is_real(value: object) -> TypeGuard[int | float | np.integer | np.floating]:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_)


def _check_share(value: float, what: str) -> None:
    if not _is_real(value) or not (np.isfinite(value) and 0 <= value <= 1):
        raise CaseError(f"{what} must be a share in [0, 1], got {excerpt(value)}")


def one_line(text: str, what: str) -> None:
    """Raise ``CaseError`` if ``text``, a name or label, holds a line break or a control character.

    A case file is checked when read; an object built in Python is checked here, so its brief,
    workbook and index never carry a BEL or an escape sequence.
    """
    problem = control_character(str(text))
    if problem:
        raise CaseError(f"{what} {excerpt(text)} {problem}")


def check_range(fig: Figure, what: str, *, share: bool = False) -> None:
    """Raise ``CaseError`` if a quantity that cannot be negative has a range below zero (a share's: outside [0, 1])."""
    s = fig.spread
    if s is not None and (s.low < 0 or (share and s.high > 1)):
        bounds = "lie in [0, 1]" if share else "start at zero or above: it cannot be negative"
        raise CaseError(f"{what}: the range [{s.low:g}, {s.high:g}] must {bounds}")


def check_share_spread(spread: Distribution, value: float, what: str) -> None:
    """Raise ``CaseError`` unless ``spread`` is a range within [0, 1] that holds ``value``."""
    if not 0 <= spread.low <= spread.high <= 1:
        raise CaseError(f"{what}: a share's range must lie in [0, 1], got [{spread.low:g}, {spread.high:g}]")
    spread.check_value(value, what)


@dataclass(frozen=True)
class ProviderSpend:
    """A share of the contract value spent on a sector, and the share of that bought locally."""

    sector: str
    share: float
    local_share: float
    source: str
    label: str = ""
    local_share_spread: Distribution | None = None


@dataclass(frozen=True)
class Provider:
    """How a provider spends £1 of contract value.

    Attributes
    ----------
    name : str
    staff_share : Figure
        Staff costs (compensation of employees) per £1 of contract value.
    staff_cost_per_fte : Figure
        Average staff cost per FTE (£), to turn staff costs into jobs.
    staff_local_share : Figure
        Share of staff costs paid to staff who live in the area.
    spending : tuple of ProviderSpend
    overheads_share : Figure
        Head-office or central charges per £1, spent outside the area.
    surplus_share : Figure
        Surplus or profit per £1.
    surplus_local_share : Figure
        Share of the surplus kept and spent in the area (a local charity reinvests it; a
        national firm's profit leaves).
    """

    name: str
    staff_share: Figure
    staff_cost_per_fte: Figure
    staff_local_share: Figure
    spending: tuple[ProviderSpend, ...]
    overheads_share: Figure
    surplus_share: Figure
    surplus_local_share: Figure

    def __post_init__(self) -> None:
        one_line(self.name, "a provider's name")
        shares = {
            "staff_share": self.staff_share.value,
            "staff_local_share": self.staff_local_share.value,
            "overheads_share": self.overheads_share.value,
            "surplus_share": self.surplus_share.value,
            "surplus_local_share": self.surplus_local_share.value,
        }
        shares |= {f"spending '{s.label or s.sector}' share": s.share for s in self.spending}
        shares |= {f"spending '{s.label or s.sector}' local_share": s.local_share for s in self.spending}
        for what, value in shares.items():
            if not (np.isfinite(value) and 0 <= value <= 1):
                raise CaseError(f"provider '{self.name}': {what} must be in [0, 1], got {value!r}")
        if self.staff_cost_per_fte.value <= 0:
            raise CaseError(f"provider '{self.name}': staff_cost_per_fte must be positive")
        check_range(self.staff_cost_per_fte, f"provider '{self.name}': staff_cost_per_fte")
        for name in ("staff_share", "staff_local_share", "overheads_share", "surplus_share", "surplus_local_share"):
            check_range(getattr(self, name), f"provider '{self.name}': {name}", share=True)
        used = self.staff_share.value + self.overheads_share.value + self.surplus_share.value
        used += sum(s.share for s in self.spending)
        if used > 1 + 1e-6:  # shares written to 6 decimals may add to a hair over 1
            raise CaseError(
                f"provider '{self.name}': staff, spending, overheads and surplus add to {used:.3f} of each £1 "
                "of contract value; they cannot exceed 1"
            )

    def organisation(self, contract_value: float, *, area: str, year: int) -> Organisation:
        """The provider as an organisation delivering a contract of ``contract_value`` (£) in ``area``."""
        v = float(contract_value)
        staff = v * self.staff_share.value
        return Organisation(
            name=self.name,
            area=area,
            year=year,
            income=Figure(v, "contract value"),
            staff_fte=Figure(staff / self.staff_cost_per_fte.value, "staff costs / staff cost per FTE"),
            staff_costs=Figure(staff, self.staff_share.source),
            staff_local_share=self.staff_local_share,
            # the whole surplus is value added in the area's workplace (GVA); only the part kept
            # in the area is local income (a national firm's profit leaves)
            surplus=Figure(v * self.surplus_share.value, self.surplus_share.source),
            surplus_local_share=self.surplus_local_share,
            spending=tuple(
                Spend(s.sector, v * s.share, s.local_share, s.source, s.label, s.local_share_spread)
                for s in self.spending
            ),
        )


class HasOrganisation(Protocol):
    """Anything that carries an :class:`Organisation` (a loaded case file does)."""

    @property
    def name(self) -> str:
        """The case's name."""

    @property
    def organisation(self) -> Organisation | None:
        """Its organisation, if any."""


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
