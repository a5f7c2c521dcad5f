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

Because households are a single extra sector, the closed inverse follows from the open one
by a rank-one update, so every Type II figure is a closed-form function of Type I results,
``Y`` and ``s`` (:func:`closed_effects`, :func:`closed_output`): a draw that changes only the
closure income, the resident share or the re-spend share needs no new factorisation. With
``E`` the Type I effects (rows: measures; columns: sectors), ``e_inc`` the Type I income
effects and ``C`` household consumption (£m by sector),

.. math::

    k = \frac{s}{Y} e_{inc} \cdot C, \qquad
    E^{II} = E + \frac{s}{Y} \frac{E C}{1 - k} e_{inc}^\top,

and the closed model is productive exactly when ``k < 1`` (the income that £1 of household
income returns to local households after one round of spending and production).

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

from kil_io.errors import KilIOWarning, ModelError, NegativeFlowError, NotProductiveError
from kil_io.model.table import HOUSEHOLDS

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    from kil_io.model.table import IOTable

    FloatArray = NDArray[np.float64]

Closure = Literal["household_income", "coe"]
CLOSURES: tuple[Closure, ...] = ("household_income", "coe")
#: The induced loop ``k`` must stay this far below 1: at ``k = 1 - 1e-9`` every Type II effect
#: would be a billion times its Type I part.
_LOOP_MARGIN = 1e-9


def check_closure(closure: str) -> Closure:
    """Return ``closure`` if it is ``"household_income"`` or ``"coe"``, else raise ``ModelError``."""
    if closure not in CLOSURES:
        raise ModelError(f"unknown household closure {closure!r}; expected one of {list(CLOSURES)}")
    return closure


def household_income_total(
    table: IOTable, household_income: float | None = None, *, closure: Closure = "household_income"
) -> float:
    """The total household income ``Y`` (£m) that closes ``table``'s Type II model.

    Parameters
    ----------
    table : IOTable
    household_income : float, optional
        A figure of your own (£m); it overrides the table's and goes with the
        ``"household_income"`` closure.
    closure : {"household_income", "coe"}
        ``"household_income"``: ``household_income`` if given, else ``table.household_income``;
        ``"coe"``: the table's total compensation of employees.

    Returns
    -------
    float
        £m, positive.

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
        £ per £1 of household income.

    Examples
    --------
    >>> round(respend_share(datasets.uk_iot(2019)), 3)  # doctest: +SKIP
    0.483
    """
    return float(table.households.sum()) / household_income_total(table, household_income, closure=closure)


def closure_income_for(table: IOTable, share: float) -> float:
    """The household income (£m) at which households re-spend ``share`` of it on the table's output.

    A surveyed re-spend share ``r`` used in the induced effects is the closure with
    ``Y = sum(C) / r``: the households' spending pattern is kept and scaled to ``r``.

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


def closed_effects(
    type_i: ArrayLike,
    income_effects: ArrayLike,
    consumption: ArrayLike,
    household_income: ArrayLike,
    resident_share: ArrayLike = 1.0,
    *,
    label: str = "",
) -> tuple[FloatArray, FloatArray]:
    """Type II effects from Type I ones: the household closure as a rank-one update (pure, vectorised).

    Parameters
    ----------
    type_i : array_like, shape (..., k, n)
        Type I effects per unit of final demand (``v' L`` for ``k`` measures), e.g.
        :func:`kil_io.model.multipliers.total_effects`.
    income_effects : array_like, shape (..., n)
        Type I effects of the household row's own coefficients: compensation of employees
        per unit of final demand (``(CoE / x)' L``), before the resident share.
    consumption : array_like, shape (..., n)
        Household consumption of each sector's output (£m): the household column times ``Y``.
    household_income : float or array_like
        The closure income ``Y`` (£m); broadcast against the leading dimensions (e.g. one
        value per region, or one per Monte Carlo draw: shape (D,) with ``type_i`` (k, n)
        gives (D, k, n)).
    resident_share : float or array_like
        ``s`` in [0, 1], broadcast like ``household_income``.
    label : str
        Table description for the error message.

    Returns
    -------
    type_ii : ndarray, shape (..., k, n)
        ``E + (s / Y) (E C) e_inc' / (1 - k)``, with ``k = (s / Y) e_inc . C``.
    per_household_income : ndarray, shape (..., k)
        Effects of £1 of income received by local households (the household column of the
        closed inverse, measured by each measure): ``(E C) / Y / (1 - k)``. The induced
        effect of re-spent pay ``w`` (e.g. an organisation's local staff) is ``w`` times it.

    Raises
    ------
    NotProductiveError
        ``k >= 1``: households' re-spending never dies away.

    Notes
    -----
    For the bordered matrix ``[[I - A, -c], [-h', 1]]`` with ``c = C / Y`` and ``h = s CoE / x``,
    the row ``[e, e_h]`` solving ``[e, e_h] M = [v, 0]`` is ``e = (v + e_h h') L`` and
    ``e_h = e c``, so ``e_h = (v L c) / (1 - h' L c)``; ``h' L = s e_inc``.

    References
    ----------
    Miller & Blair (2009), eq. (6.16)-(6.17) and section 6.4 (Miyazawa).

    Examples
    --------
    >>> E2, eh = closed_effects(E1, E1[2], table.households, [1e5, 2e5], 0.66)  # doctest: +SKIP
    """
    E = np.asarray(type_i, dtype=np.float64)
    inc = np.asarray(income_effects, dtype=np.float64)
    c = np.asarray(consumption, dtype=np.float64)
    Y = np.asarray(household_income, dtype=np.float64)[..., None]
    s = np.asarray(resident_share, dtype=np.float64)[..., None]
    spent = np.einsum("...kn,...n->...k", E, c)
    loop = s * np.einsum("...n,...n->...", inc, c)[..., None] / Y
    _check_loop(loop, label)
    per_income = spent / Y / (1.0 - loop)
    return E + (s * per_income)[..., None] * inc[..., None, :], per_income


def closed_totals(
    type_i: ArrayLike,
    income_effects: ArrayLike,
    consumption: ArrayLike,
    demand: ArrayLike,
    local_pay: ArrayLike,
    household_income: ArrayLike,
    resident_share: ArrayLike = 1.0,
    *,
    label: str = "",
) -> tuple[FloatArray, FloatArray]:
    """Type I and induced totals of a final demand and of pay to local households (pure, vectorised).

    Parameters
    ----------
    type_i : array_like, shape (k, n)
        Type I effects per unit of final demand, as in :func:`closed_effects`.
    income_effects, consumption
        As in :func:`closed_effects`, shape (n,).
    demand : array_like, shape (..., n)
        Final demand (£m by sector), e.g. one row per draw.
    local_pay : float or array_like, shape (...)
        Income paid straight to local households besides the modelled pay (£m).
    household_income, resident_share : float or array_like, shape (...)
        ``Y`` (£m) and ``s``, as in :func:`closed_effects`.

    Returns
    -------
    type_i_total : ndarray, shape (..., k)
        ``E f``: direct + indirect.
    induced : ndarray, shape (..., k)
        ``(E C) (s e_inc . f + w) / Y / (1 - k)``: what the re-spending of the pay the demand
        generates for local residents, and of ``w``, adds (Type II total less Type I).

    Raises
    ------
    NotProductiveError
        ``k >= 1``.
    """
    E = np.asarray(type_i, dtype=np.float64)
    inc = np.asarray(income_effects, dtype=np.float64)
    c = np.asarray(consumption, dtype=np.float64)
    f = np.asarray(demand, dtype=np.float64)
    Y = np.asarray(household_income, dtype=np.float64)
    s = np.asarray(resident_share, dtype=np.float64)
    loop = s * float(inc @ c) / Y
    _check_loop(np.asarray(loop), label)
    pay = s * (f @ inc) + np.asarray(local_pay, dtype=np.float64)
    scale = pay / Y / (1.0 - loop)
    return f @ E.T, scale[..., None] * (E @ c)


def closed_output(
    output_i: ArrayLike,
    consumption_output: ArrayLike,
    income_coefficients: ArrayLike,
    household_income: ArrayLike,
    resident_share: ArrayLike = 1.0,
    local_pay: ArrayLike = 0.0,
    *,
    label: str = "",
) -> tuple[FloatArray, FloatArray]:
    """Type II output from Type I output: the closed model's solve as a rank-one update (pure, vectorised).

    Parameters
    ----------
    output_i : array_like, shape (..., n)
        Type I output ``L f`` of a final demand ``f`` (£m).
    consumption_output : array_like, shape (n,) or (..., n)
        ``L C``: output needed to meet the households' whole consumption ``C`` (£m), one
        solve per table.
    income_coefficients : array_like, shape (n,) or (..., n)
        Compensation of employees per unit of output, ``CoE / x`` (before the resident share).
    household_income : float or array_like
        The closure income ``Y`` (£m), broadcast against the leading dimensions.
    resident_share : float or array_like
        ``s`` in [0, 1].
    local_pay : float or array_like
        Income paid straight to local households besides the modelled pay (£m), e.g. the
        pay of an organisation's staff who live locally; re-spent like any other.

    Returns
    -------
    output_ii : ndarray, shape (..., n)
        ``L f + L C y / Y``.
    household_income_generated : ndarray, shape (...)
        ``y = (s h0 . L f + w) / (1 - k)``, the income local households receive in all
        rounds (£m), with ``k = (s / Y) h0 . L C``.

    Raises
    ------
    NotProductiveError
        ``k >= 1``.
    """
    x1 = np.asarray(output_i, dtype=np.float64)
    LC = np.asarray(consumption_output, dtype=np.float64)
    h0 = np.asarray(income_coefficients, dtype=np.float64)
    Y = np.asarray(household_income, dtype=np.float64)
    s = np.asarray(resident_share, dtype=np.float64)
    loop = s * np.einsum("...n,...n->...", h0, LC) / Y
    _check_loop(loop, label)
    y = (s * np.einsum("...n,...n->...", h0, x1) + np.asarray(local_pay, dtype=np.float64)) / (1.0 - loop)
    return x1 + LC * (y / Y)[..., None], y


def _check_loop(loop: FloatArray, label: str) -> None:
    bad = ~(loop < 1.0 - _LOOP_MARGIN)
    if np.any(bad):
        worst = float(np.max(np.where(np.isnan(loop), np.inf, loop)))
        raise NotProductiveError(
            f"{f'table {label} ' if label else ''}(closed with households): the household closure is not "
            f"productive: £1 of household income returns £{worst:.6g} of local household income after one round "
            "of spending and production (must be < 1); households would re-spend without end. Check the "
            "household income figure and the households column"
        )


def commuting_adjusted_pay(pay: ArrayLike, *, modelled: ArrayLike, known: ArrayLike) -> FloatArray:
    """Local residents' pay after replacing a model's commuting rate with a known one (IMPLAN's form).

    A model that already takes ``modelled`` of the pay out as in-commuters' has kept
    ``pay`` for local residents; with a known in-commuting rate instead, residents keep
    ``pay (1 - known) / (1 - modelled)``.

    Parameters
    ----------
    pay : float or array_like
        Local residents' pay the model gives (any money unit).
    modelled, known : float or array_like
        Shares of workplace pay going to in-commuters, in [0, 1) and [0, 1].

    Returns
    -------
    ndarray
        Same unit as ``pay``.

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
