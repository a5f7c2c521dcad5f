r"""Induced effects: Type II figures from Type I ones, the household closure as a rank-one update.

Households are a single extra sector (:mod:`kil_io.model.closure` says which income ``Y`` and
resident share ``s`` close the model), so the closed inverse follows from the open one by a
rank-one update and every Type II figure is a closed-form function of Type I results, ``Y`` and
``s`` (:func:`closed_effects`, :func:`household_effect`, :func:`closed_output`): a draw that changes
only the closure income, the resident share or the re-spend share needs no new factorisation.
With ``E`` the Type I effects (rows: measures; columns: sectors), ``e_inc`` the Type I income
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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kil_io.errors import NotProductiveError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    FloatArray = NDArray[np.float64]

#: The induced loop ``k`` must stay this far below 1: at ``k = 1 - 1e-9`` every Type II effect
#: would be a billion times its Type I part.
_LOOP_MARGIN = 1e-9


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
        :func:`kil_io.model.multipliers.total_effects`: [£ per £1] for output, GVA and pay,
        [FTE per £1m] for jobs.
    income_effects : array_like, shape (..., n)
        Type I effects of the household row's own coefficients: compensation of employees
        per unit of final demand (``(CoE / x)' L``), before the resident share [£ per £1].
    consumption : array_like, shape (..., n)
        Household consumption of each sector's output: the household column times ``Y`` [£m].
    household_income : float or array_like
        The closure income ``Y``; broadcast against the leading dimensions (e.g. one
        value per region, or one per Monte Carlo draw: shape (D,) with ``type_i`` (k, n)
        gives (D, k, n)) [£m].
    resident_share : float or array_like
        ``s`` in [0, 1], broadcast like ``household_income`` [share].
    label : str
        Table description for the error message.

    Returns
    -------
    type_ii : ndarray, shape (..., k, n)
        ``E + (s / Y) (E C) e_inc' / (1 - k)``, with ``k = (s / Y) e_inc . C``; in the units of
        ``type_i`` [£ per £1] or [FTE per £1m].
    per_household_income : ndarray, shape (..., k)
        Effects of £1 of income received by local households (the household column of the
        closed inverse, measured by each measure): ``(E C) / Y / (1 - k)``. The induced
        effect of re-spent pay ``w`` (e.g. an organisation's local staff) is ``w`` times it;
        in the units of ``type_i`` [£ per £1] or [FTE per £1m].

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
    per_income = household_effect(spent, np.einsum("...n,...n->...", inc, c)[..., None], Y, s, label=label)
    return E + (s * per_income)[..., None] * inc[..., None, :], per_income


def household_effect(
    spent: ArrayLike,
    pay_spent: ArrayLike,
    household_income: ArrayLike,
    resident_share: ArrayLike,
    *,
    label: str = "",
) -> FloatArray:
    """Effects of £1 of income received by local households, all rounds: ``(E C) / Y / (1 - k)`` (vectorised).

    Parameters
    ----------
    spent : array_like, shape (..., k)
        Type I effects of the households' whole consumption, ``E C``, for ``k`` measures [£m] or [FTE].
    pay_spent : array_like, shape (...) or (..., 1)
        The pay (compensation) among them, ``e_inc . C`` [£m].
    household_income, resident_share : array_like
        ``Y`` [£m] and ``s`` [share], broadcast against ``spent``'s leading dimensions.
    label : str
        Table description for the error message.

    Returns
    -------
    ndarray, shape (..., k)
        [£ per £1] or [FTE per £1m] of household income, with ``k = s (e_inc . C) / Y``.

    Raises
    ------
    NotProductiveError
        ``k >= 1``: households' re-spending never dies away.
    """
    Y = np.asarray(household_income, dtype=np.float64)
    loop = np.asarray(resident_share, dtype=np.float64) * np.asarray(pay_spent, dtype=np.float64) / Y
    _check_loop(loop, label)
    return np.asarray(spent, dtype=np.float64) / (Y * (1.0 - loop))


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
        Type I output ``L f`` of a final demand ``f`` [£m].
    consumption_output : array_like, shape (n,) or (..., n)
        ``L C``: output needed to meet the households' whole consumption ``C``, one
        solve per table [£m].
    income_coefficients : array_like, shape (n,) or (..., n)
        Compensation of employees per unit of output, ``CoE / x`` (before the resident share)
        [£ per £1].
    household_income : float or array_like
        The closure income ``Y``, broadcast against the leading dimensions [£m].
    resident_share : float or array_like
        ``s`` in [0, 1] [share].
    local_pay : float or array_like
        Income paid straight to local households besides the modelled pay, e.g. the
        pay of an organisation's staff who live locally; re-spent like any other [£m].

    Returns
    -------
    output_ii : ndarray, shape (..., n)
        ``L f + L C y / Y`` [£m].
    household_income_generated : ndarray, shape (...)
        ``y = (s h0 . L f + w) / (1 - k)``, the income local households receive in all
        rounds, with ``k = (s / Y) h0 . L C`` [£m].

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
