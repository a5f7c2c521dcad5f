r"""The household closure of a Type II model: the income households spend from, and whose pay stays local.

Type II treats households as one more sector: they sell labour (the household **row**, pay to
local residents per unit of output, ``h_j = s CoE_j / x_j``) and buy goods (the household
**column**, consumption of each sector's output per £ of household income, ``c_i = C_i / Y``).
Two choices decide how large the induced effects are:

- ``Y``, the household income the consumption is divided by (the *closure*):

  * ``"household_income"`` (default): a total household income figure carried by the table
    (``IOTable.household_income``) or given as ``household_income=`` (£m). The Scottish
    Government closes its model this way; for the UK and its areas kil_io uses households'
    total resources (primary + secondary resources, ONS regional GDHI accounts), which for
    Scotland in 2019 is within 1.7% of the Scottish Government's own figure;
  * ``"coe"``: total compensation of employees in the table, as if households lived on pay
    alone (the UK's households then re-spend £0.90 of domestic output per £1 of pay).

- ``s``, the share of the table's pay that goes to people who live in the area
  (``IOTable.resident_share``; Census 2021 commuting for a local authority): the pay of
  in-commuters is spent where they live. ``s = 1`` is the usual Type II, ``s = 0`` Type I.

Because households are a single extra sector, every Type II figure follows from Type I results,
``Y`` and ``s`` by a rank-one update, without a new factorisation: :mod:`kil_io.model.induced`
(:func:`closed_effects`, :func:`household_effect`, :func:`closed_output`, all importable from here too).

References
----------
Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed., sections 6.2-6.3
(households closed into the model) and 6.4 (Miyazawa's interrelational income multiplier,
``1 / (1 - h' L c)``).
Scottish Government (2022). *Input-Output Methodology Guide*; Supply, Use and Input-Output
Tables 1998-2019 (Type II closure with total household income).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Literal

import numpy as np

from kil_io.errors import KilIOWarning, ModelError, NegativeFlowError
from kil_io.model.induced import closed_effects, closed_output, household_effect
from kil_io.model.table import HOUSEHOLDS

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    from kil_io.model.table import IOTable

    FloatArray = NDArray[np.float64]

Closure = Literal["household_income", "coe"]
CLOSURES: tuple[Closure, ...] = ("household_income", "coe")

# closed_effects, household_effect and closed_output live in kil_io.model.induced; importable from here too
__all__ = [
    "CLOSURES",
    "Closure",
    "check_closure",
    "check_propensity",
    "closed_effects",
    "closed_output",
    "closure_income_for",
    "commuting_adjusted_pay",
    "household_effect",
    "household_income_total",
    "resident_share_of",
    "respend_share",
]  # fmt: skip


def check_closure(closure: str) -> Closure:
    """Return ``closure`` if it is ``"household_income"`` or ``"coe"``, else raise ``ModelError``."""
    if closure not in CLOSURES:
        raise ModelError(f"unknown household closure {closure!r}; expected one of {list(CLOSURES)}")
    return closure


def household_income_total(
    table: IOTable, household_income: float | None = None, *, closure: Closure = "household_income"
) -> float:
    """The total household income ``Y`` that closes ``table``'s Type II model.

    Parameters
    ----------
    table : IOTable
    household_income : float, optional
        A figure of your own, in the table's money unit; it overrides the table's and goes
        with the ``"household_income"`` closure [£m].
    closure : {"household_income", "coe"}
        ``"household_income"``: ``household_income`` if given, else ``table.household_income``;
        ``"coe"``: the table's total compensation of employees.

    Returns
    -------
    float
        ``Y``, positive [£m].

    Raises
    ------
    ModelError
        An unknown closure; ``household_income=`` with ``closure="coe"``; a figure that is not
        a positive number; a table that carries no household income under the default
        closure (the message says what to pass); no pay to close with.

    Examples
    --------
    >>> household_income_total(datasets.sg_iot(2019))  # doctest: +SKIP
    156241.0
    """
    closure = check_closure(closure)
    if household_income is not None:
        if closure == "coe":
            raise ModelError(
                f"table {table.label}: household_income= ({household_income!r}) goes with the 'household_income' "
                "closure, not 'coe' (which divides by the table's compensation of employees)"
            )
        real = isinstance(household_income, int | float | np.integer | np.floating)
        value = float(household_income) if real else np.nan
        if isinstance(household_income, bool) or not np.isfinite(value) or value <= 0:
            raise ModelError(
                f"table {table.label}: household_income must be a positive number of {table.units}, "
                f"got {household_income!r}"
            )
        return value
    if closure == "household_income":
        if table.household_income is None:
            raise ModelError(
                f"table {table.label} carries no household income figure for the default Type II closure; pass "
                f"household_income= (total household income, {table.units}; e.g. "
                "kil_io.datasets.household_income(area, year)) or closure='coe' (compensation of employees)"
            )
        return float(table.household_income)
    total = float(table.income.sum())
    if total <= 0:
        raise ModelError(
            f"table {table.label}: total compensation of employees is {total:g} {table.units}; "
            "a Type II model needs positive household income (pass household_income=)"
        )
    return total


def resident_share_of(table: IOTable, resident_share: float | None = None) -> float:
    """The share of ``table``'s pay that goes to local residents: ``resident_share`` or the table's own.

    Parameters
    ----------
    table : IOTable
    resident_share : float, optional
        A share of your own; default ``table.resident_share`` [share].

    Returns
    -------
    float
        The share, checked [share].

    Raises
    ------
    ModelError
        A share that is not a number in [0, 1].
    """
    if resident_share is None:
        return float(table.resident_share)
    real = isinstance(resident_share, int | float | np.integer | np.floating) and not isinstance(resident_share, bool)
    if not real or not (np.isfinite(resident_share) and 0 <= resident_share <= 1):
        raise ModelError(f"table {table.label}: resident_share must be a share in [0, 1], got {resident_share!r}")
    return float(resident_share)


def respend_share(
    table: IOTable, *, closure: Closure = "household_income", household_income: float | None = None
) -> float:
    """Local household spending on the table's own output per £1 of household income, ``sum(C) / Y``.

    The one re-spend assumption of a case: the induced effects re-spend it and LM3's round 3
    (staff) uses it, unless a survey gives another, which then serves both.

    Parameters
    ----------
    table : IOTable
    closure, household_income
        As in :func:`household_income_total`.

    Returns
    -------
    float
        Spending on the table's output per £1 of household income [£ per £1].

    Examples
    --------
    >>> round(respend_share(datasets.uk_iot(2019)), 3)  # doctest: +SKIP
    0.483
    """
    return float(table.households.sum()) / household_income_total(table, household_income, closure=closure)


def closure_income_for(table: IOTable, share: float) -> float:
    """The household income at which households re-spend ``share`` of it on the table's output.

    A surveyed re-spend share ``r`` used in the induced effects is the closure with
    ``Y = sum(C) / r``: the households' spending pattern is kept and scaled to ``r``.

    Parameters
    ----------
    table : IOTable
    share : float
        Re-spend share ``r``, in (0, 1] [share].

    Returns
    -------
    float
        The closure income ``Y``, in the table's money unit [£m].

    Raises
    ------
    ModelError
        ``share`` is not in (0, 1], or the table has no household consumption.
    """
    if not (np.isfinite(share) and 0 < share <= 1):
        raise ModelError(f"table {table.label}: a re-spend share must be in (0, 1], got {share!r}")
    spent = float(table.households.sum())
    if spent <= 0:
        raise ModelError(f"table {table.label}: households buy nothing from this economy; no re-spend to scale")
    return spent / share


def check_propensity(table: IOTable, income: float, share: float = 1.0, *, stacklevel: int = 3) -> None:
    """Check the household column and row a closure is built from; warn about big spenders.

    Parameters
    ----------
    table : IOTable
    income : float
        The closure income ``Y``, in the table's money unit [£m].
    share : float
        Resident share ``s`` of the table's pay [share].
    stacklevel : int
        Where the warning points (for wrappers).

    Raises
    ------
    NegativeFlowError
        A negative household consumption (final demand is not sign-checked by the table) or
        pay coefficient (nor are primary inputs), named as a cell of the closed matrix.

    Warns
    -----
    KilIOWarning
        Households buy at least £1 of the table's output per £1 of the closure income.
    """
    column, row = table.households / income, share * table.per_output(table.income)
    names = (*table.sectors, HOUSEHOLDS)
    for values, is_column in ((column, True), (row, False)):
        if np.any(values < 0):
            i = int(np.argmax(values < 0))
            r, c = (i, table.n) if is_column else (table.n, i)
            raise NegativeFlowError(
                f"table {table.label} (closed with households): technical coefficient A[{r}, {c}] = {values[i]:g} "
                f"(supplier '{names[r]}', buyer '{names[c]}') is negative"
            )
    propensity = float(table.households.sum()) / income
    if propensity >= 1:
        warnings.warn(
            f"table {table.label}: households buy £{propensity:.2f} of domestic output per £1 of household "
            f"income ({income:,.6g} {table.units}); Type II effects will be very large. Is household_income "
            "(or the households column) right?",
            KilIOWarning,
            stacklevel=stacklevel + 1,
        )


def commuting_adjusted_pay(pay: ArrayLike, *, modelled: ArrayLike, known: ArrayLike) -> FloatArray:
    """Local residents' pay after replacing a model's commuting rate with a known one (IMPLAN's form).

    A model that already takes ``modelled`` of the pay out as in-commuters' has kept
    ``pay`` for local residents; with a known in-commuting rate instead, residents keep
    ``pay (1 - known) / (1 - modelled)``.

    Parameters
    ----------
    pay : float or array_like
        Local residents' pay the model gives, in any money unit, e.g. [£].
    modelled, known : float or array_like
        Shares of workplace pay going to in-commuters, in [0, 1) and [0, 1] [share].

    Returns
    -------
    ndarray
        Local residents' pay with the known rate, in the unit of ``pay``, e.g. [£].

    Raises
    ------
    ModelError
        A rate outside its bounds.

    References
    ----------
    IMPLAN's commuting adjustment of employee compensation: $1,000,000 modelled with a 10%
    commuting rate where 20% is known gives $888,889 of local residents' pay.

    Examples
    --------
    >>> round(float(commuting_adjusted_pay(1_000_000, modelled=0.1, known=0.2)))
    888889
    """
    m = np.asarray(modelled, dtype=np.float64)
    k = np.asarray(known, dtype=np.float64)
    if not (np.all(np.isfinite(m)) and np.all((m >= 0) & (m < 1))):
        raise ModelError(f"modelled commuting rate must be in [0, 1), got {modelled!r}")
    if not (np.all(np.isfinite(k)) and np.all((k >= 0) & (k <= 1))):
        raise ModelError(f"known commuting rate must be in [0, 1], got {known!r}")
    return np.asarray(pay, dtype=np.float64) * (1.0 - k) / (1.0 - m)
