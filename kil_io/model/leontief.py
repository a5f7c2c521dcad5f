"""Technical coefficients, the Leontief system and its household-closed (Type II) form.

The Leontief inverse ``L = (I - A)^-1`` is rarely needed as a matrix: output is
``x = L f`` (one solve) and every multiplier is a row vector ``v' L`` (one solve with
the transposed system). :class:`LeontiefSystem` factorises ``I - A`` once with
LAPACK's LU (``getrf``, as ``scipy.linalg.lu_factor`` does, in place) and reuses the
factors for both.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
from scipy import linalg

from kil_io.errors import (
    IllConditionedWarning,
    LabelError,
    ModelError,
    NegativeFlowError,
    NonNumericError,
    NotProductiveError,
    TableError,
)

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    FloatArray = NDArray[np.float64]

# LAPACK's LU routines themselves (what scipy.linalg.lu_factor / lu_solve wrap): getrf
# reports a zero pivot in ``info`` instead of a warning, and neither re-checks its input.
_getrf, _getrs = linalg.get_lapack_funcs(("getrf", "getrs"), dtype=np.float64)

#: Largest size for which a failed productiveness check reports the exact spectral
#: radius (an O(n^3) eigenvalue problem); larger systems report Collatz-Wielandt bounds.
_EXACT_RADIUS_MAX_N = 2000
#: How far below 1 the Collatz-Wielandt bound on rho(A) must be (checked for every table):
#: rho(A) = 1 - 1e-9 would already mean output multipliers of 1e9.
_CERTIFY_MARGIN = 1e-9
#: Warn above this ||(I - A)^-1||_inf (the output a sector needs per unit of final demand in
#: every sector): real tables have 2 to 10; 1e6 means rho(A) within 1e-6 of 1 and figures
#: that keep only about 10 significant digits.
_WARN_INVERSE_NORM = 1e6


def technical_coefficients(Z: ArrayLike, x: ArrayLike) -> FloatArray:
    """Direct requirements ``A = Z diag(x)^-1``.

    Parameters
    ----------
    Z : array_like, shape (n, n)
        Intermediate flows, ``Z[i, j]`` = purchases by sector ``j`` from ``i`` [£m].
    x : array_like, shape (n,)
        Total output by sector, in the unit of ``Z`` [£m].

    Returns
    -------
    ndarray, shape (n, n)
        ``A[i, j] = Z[i, j] / x[j]``; a sector with zero output buys nothing, so
        its column is zero (never ``inf``, never a small-number fill) [£ per £1].

    Raises
    ------
    TableError
        Shapes disagree, or a zero-output sector has purchases (``Z[:, j] != 0``).
    NegativeFlowError
        A negative flow or output.

    References
    ----------
    Miller & Blair (2009), eq. (2.4).

    Examples
    --------
    >>> technical_coefficients([[150, 500], [200, 100]], [1000, 2000])
    array([[0.15, 0.25],
           [0.2 , 0.05]])
    """
    Z = _as_matrix(Z, "Z")
    x = np.asarray(x, dtype=np.float64)
    if x.shape != (Z.shape[0],):
        raise TableError(f"output x has shape {x.shape}, expected ({Z.shape[0]},) to match Z")
    if not np.all(np.isfinite(x)):
        raise NonNumericError(f"output x holds non-finite values at positions {np.flatnonzero(~np.isfinite(x))}")
    for name, arr in (("Z", Z), ("output x", x)):
        if np.any(arr < 0):
            raise NegativeFlowError(f"{name} has negative values (minimum {arr.min():g})")
    zero = x == 0
    if np.any(Z[:, zero] != 0):
        j = int(np.flatnonzero(zero & (Z != 0).any(axis=0))[0])
        raise TableError(f"sector at position {j} has zero output but buys {Z[:, j].sum():g} of inputs")
    A = np.zeros_like(Z)
    np.divide(Z, x, out=A, where=~zero)
    return A


def leontief_inverse(A: ArrayLike) -> FloatArray:
    """The Leontief inverse ``L = (I - A)^-1``, for those who need the matrix itself.

    Prefer :class:`LeontiefSystem` (``solve`` / ``solve_transposed``) when the aim is
    ``L f`` or ``v' L``: it never forms the inverse.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Non-negative technical coefficients [£ per £1].

    Returns
    -------
    ndarray, shape (n, n)
        ``L[i, j]``: output of sector ``i`` needed per unit of final demand for sector ``j``
        [£ per £1].

    Raises
    ------
    NotProductiveError
        The spectral radius of ``A`` is >= 1, so ``(I - A)^-1`` does not exist or has
        negative entries (an economy that cannot meet any positive final demand).

    References
    ----------
    Miller & Blair (2009), eq. (2.10) and section 2.3.5 (Hawkins-Simon conditions).

    Examples
    --------
    >>> leontief_inverse([[0.15, 0.25], [0.2, 0.05]]).round(6)
    array([[1.254125, 0.330033],
           [0.264026, 1.122112]])
    """
    return LeontiefSystem(A).inverse()


class LeontiefSystem:
    """``I - A`` factorised once; solves for ``L b`` and ``v' L`` without forming ``L``.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Non-negative technical coefficients [£ per £1].
    label : str
        Table description used in error messages.
    sectors : sequence of str, optional
        Sector codes, to name sectors in error messages.

    Raises
    ------
    NotProductiveError
        ``A`` is not productive (spectral radius >= 1).

    Notes
    -----
    For a non-negative ``A``, the spectral radius is below 1 if and only if
    ``(I - A) s = 1`` has a strictly positive solution ``s`` (then ``A s < s`` and the
    Collatz-Wielandt bound gives ``rho(A) <= max_i (A s)_i / s_i < 1``; conversely
    ``s = L 1 >= 1``). Checking it costs one extra solve with the factors already
    computed, instead of an O(n^3) eigenvalue problem. ``s`` is also the vector of
    output required per unit of final demand in every sector at once.

    Memory: besides ``A`` itself, one n x n buffer holds ``I - A`` and then, overwritten
    in place, its LU factors (LAPACK ``getrf`` with no copy); a table's system is built
    from its flows without storing ``A`` at all. ``L`` is never formed unless
    :meth:`inverse` is called.
    """

    def __init__(self, A: ArrayLike, *, label: str = "", sectors: Sequence[str] | None = None) -> None:
        A = _as_matrix(A, "A")
        self._setup(A.shape[0], label, sectors, lambda: A, A.dot)
        if np.any(A < 0):
            i, j = np.argwhere(A < 0)[0]
            raise NegativeFlowError(
                f"{_of(label)}technical coefficient A[{i}, {j}] = {A[i, j]:g} "
                f"(supplier '{self.sectors[i]}', buyer '{self.sectors[j]}') is negative"
            )
        self._factorise(np.negative(A, out=np.empty(A.shape, order=_order(A))), A.sum(axis=0))

    @classmethod
    def _from_flows(
        cls,
        Z: FloatArray,
        x: FloatArray,
        *,
        label: str,
        sectors: Sequence[str],
        household_row: FloatArray | None = None,
        household_column: FloatArray | None = None,
    ) -> LeontiefSystem:
        """Factorise ``I - A`` (or the household-closed ``I - A``) straight from a validated table's flows.

        ``-Z diag(x)^-1`` is written into the buffer LAPACK then factorises in place, so
        ``A`` itself is never stored: besides ``Z``, the factorisation needs one matrix.
        ``Z`` must be finite and non-negative with zero columns where ``x`` is 0 (as
        :class:`~kil_io.model.table.IOTable` guarantees); with ``household_row`` (income per unit
        of output) and ``household_column`` (consumption per unit of income), households
        are sector ``n``, as in :func:`closed_coefficients`. Those two come from cells a
        table does not sign-check (final demand, primary inputs), so they are checked here.
        """
        n = len(x)
        self = cls.__new__(cls)
        per = np.where(x == 0, 1.0, x)  # zero-output columns of Z are 0: they stay 0
        households: tuple[FloatArray, FloatArray] | None = None  # (row, column) of a closed system
        if household_row is not None and household_column is not None:
            # households buy (column n) and sell labour (row n); both come from cells a table
            # does not sign-check (final demand, primary inputs)
            for values, column in ((household_column, True), (household_row, False)):
                if np.any(values < 0):
                    i = int(np.argmax(values < 0))
                    r, c = (i, n) if column else (n, i)
                    raise NegativeFlowError(
                        f"{_of(label)}technical coefficient A[{r}, {c}] = {values[i]:g} "
                        f"(supplier '{sectors[r]}', buyer '{sectors[c]}') is negative"
                    )
            households = (household_row, household_column)
        elif household_row is not None or household_column is not None:
            raise ModelError(f"{_of(label)}a closed system needs both the household row and column")
        m = n + int(households is not None)
        M = np.empty((m, m), order=_order(Z))
        np.divide(Z, -per, out=M[:n, :n])
        col_sums = Z.sum(axis=0) / per
        bound = None
        if households is not None:
            row, col = households
            M[:n, n] = -col
            M[n, :n] = -row
            M[n, n] = 0.0
            bound = _closed_bound(col_sums, row, col.sum())
            col_sums = np.append(col_sums + row, col.sum())

        def coefficients() -> FloatArray:  # for the message of a failed check only
            A = Z / per
            return A if households is None else closed_coefficients(A, *households)

        def matvec(s: FloatArray) -> FloatArray:  # A s without A
            top = Z @ (s[:n] / per)
            if households is None:
                return top
            row, col = households
            return np.append(top + col * s[n], row @ s[:n])

        self._setup(m, label, sectors, coefficients, matvec)
        self._factorise(M, col_sums, bound)
        return self

    def _setup(
        self,
        n: int,
        label: str,
        sectors: Sequence[str] | None,
        coefficients: Callable[[], FloatArray],
        matvec: Callable[[FloatArray], FloatArray],
    ) -> None:
        self.n = n
        self.label = label
        self.sectors = tuple(sectors) if sectors is not None else tuple(str(i) for i in range(self.n))
        self._coefficients = coefficients  # builds A (n x n) for an error message
        self._matvec = matvec  # A s, for the productiveness check

    def _factorise(self, M: FloatArray, col_sums: FloatArray, bound: float | None = None) -> None:
        """Factorise ``M = -A`` plus the identity, in place; ``col_sums`` are the column sums of ``A``.

        ``bound`` is an upper bound on the spectral radius known beforehand (default the
        largest column sum); the certificate takes the smaller of it and the Collatz-Wielandt
        bound from ``s = L 1``, which is always computed.

        ``M`` is C- or Fortran-ordered (whichever copies the input without transposing) and
        LAPACK factorises it with no copy (overwrite_a): a Fortran-ordered buffer is
        ``I - A`` itself; a C-ordered one is read as ``(I - A)'``, whose factors serve with
        the trans flags of the solves swapped.
        """
        n = self.n
        order = _order(M)
        self._col_sums = col_sums
        M.reshape(-1, order=order)[:: n + 1] += 1.0  # the diagonal, through a view: no n x n identity
        self._transposed = order == "C"
        lu, piv, info = _getrf(M.T if self._transposed else M, overwrite_a=True)
        self._lu = (lu, piv)
        if info > 0:  # an exactly zero pivot
            self._raise_not_productive("I - A is singular")
        # Always certified, whatever the column sums: a table whose columns all sum to just
        # below 1 is productive in exact arithmetic yet has multipliers of 1e14 that are rounding
        # noise. s = L 1 costs one solve with the factors at hand (O(n^2) beside getrf's O(n^3)).
        s = self.solve(np.ones(n))
        if not (np.all(np.isfinite(s)) and np.all(s > 0)):
            self._raise_not_productive("(I - A)^-1 would have negative entries")
        # s > 0 proves rho(A) < 1 in exact arithmetic only: a singular I - A whose LU pivot is
        # rounding noise gives a huge "positive" s. The Collatz-Wielandt bound rho(A) <= max_i
        # (A s)_i / s_i, computed from A itself, certifies it; it equals 1 - 1 / max(s) in exact
        # arithmetic, so the margin also caps ||L||_inf = max(s) at about 1 / _CERTIFY_MARGIN.
        certified = float(np.max(self._matvec(s) / s))
        certified = min(certified, bound if bound is not None else float(col_sums.max(initial=0.0)))
        if not certified < 1.0 - _CERTIFY_MARGIN:
            self._raise_not_productive(
                f"(I - A) s = 1 gives max (A s)_i / s_i = {certified:.12g}, not safely below 1 "
                f"(largest s_i = {s.max():.3g} units of output per unit of final demand, so multipliers "
                "that large would be rounding noise)"
            )
        #: ||(I - A)^-1||_inf: the largest output any sector needs per unit of final demand in all.
        self.inverse_norm = float(s.max())
        if self.inverse_norm > _WARN_INVERSE_NORM:
            i = int(np.argmax(s))
            warnings.warn(
                f"{_of(self.label)}I - A is nearly singular: spectral radius of A about {certified:.10g}, "
                f"and sector '{self.sectors[i]}' needs {s[i]:.3g} units of output per unit of final demand "
                f"in every sector; figures lose about {np.log10(self.inverse_norm):.0f} of 16 significant digits. "
                "Check the table's value added and imports",
                IllConditionedWarning,
                stacklevel=3,
            )

    def _raise_not_productive(self, why: str) -> None:
        j = int(np.argmax(self._col_sums))
        if self.n <= _EXACT_RADIUS_MAX_N:
            radius = f"spectral radius of A = {np.max(np.abs(np.linalg.eigvals(self._coefficients()))):.6g}"
        else:  # no n x n copy for a big table: min and max column sums bound rho(A) (Collatz-Wielandt)
            radius = f"spectral radius of A between {self._col_sums.min():.6g} and {self._col_sums.max():.6g}"
        raise NotProductiveError(
            f"{_of(self.label)}technical coefficients are not productive: {why}; "
            f"{radius} (must be < 1). The largest column sum of A is "
            f"sector '{self.sectors[j]}' at {self._col_sums[j]:.6g} (inputs per unit of output)"
        )

    def solve(self, b: ArrayLike) -> FloatArray:
        """``L b``: output needed to deliver final demand ``b`` (vector or n x k), in the unit of ``b`` [£m]."""
        return self._getrs(np.asarray(b, dtype=np.float64), trans=int(self._transposed))

    def solve_transposed(self, V: ArrayLike) -> FloatArray:
        """``V L`` for coefficient rows ``V`` (shape (n,) or (k, n)), by one transposed solve.

        ``(V L)' = L' V' = (I - A)'^-1 V'``, so each row of the result is ``v' L`` with
        ``v`` a row of ``V``: total effects per unit of final demand, by sector, in the unit
        of ``V`` (direct coefficients per unit of output: [£ per £1] for GVA or pay, [FTE per
        £1m] for jobs).
        """
        V = np.asarray(V, dtype=np.float64)
        return self._getrs(V.T, trans=int(not self._transposed)).T

    def _getrs(self, b: FloatArray, trans: int) -> FloatArray:
        if b.ndim not in (1, 2) or b.shape[0] != self.n:
            raise LabelError(f"{_of(self.label)}right-hand side has shape {b.shape}; expected {self.n} rows (sectors)")
        x, _ = _getrs(*self._lu, b, trans=trans)
        return x

    def inverse(self) -> FloatArray:
        """The explicit Leontief inverse ``L`` (n x n); O(n^3), use only when needed [£ per £1]."""
        return self.solve(np.eye(self.n))


def closed_coefficients(A: ArrayLike, household_row: ArrayLike, household_column: ArrayLike) -> FloatArray:
    """Technical coefficients closed with respect to households (Type II model).

    Parameters
    ----------
    A : array_like, shape (n, n)
        Technical coefficients [£ per £1].
    household_row : array_like, shape (n,)
        Household income (compensation of employees) per unit of each sector's output
        [£ per £1].
    household_column : array_like, shape (n,)
        Household consumption of each sector's output per unit of household income
        [£ per £1].

    Returns
    -------
    ndarray, shape (n + 1, n + 1)
        ``[[A, hc], [hr', 0]]``: households are sector ``n`` [£ per £1].

    References
    ----------
    Miller & Blair (2009), section 6.2, eq. (6.5); Scottish Government, *Input-Output
    Methodology Guide* (Type II effects).
    """
    A = _as_matrix(A, "A")
    n = A.shape[0]
    closed = np.zeros((n + 1, n + 1))
    closed[:n, :n] = A
    closed[:n, n] = household_column
    closed[n, :n] = household_row
    return closed


def _closed_bound(col_sums: FloatArray, household_row: FloatArray, propensity: float) -> float:
    """A Collatz-Wielandt bound on the spectral radius of the household-closed matrix.

    With weights 1 on the industries and ``theta`` on households, ``rho <= max(max_j
    (c_j + theta h_j), p / theta)`` for column sums ``c`` of ``A``, household row ``h`` and
    household propensity to consume ``p`` (the household column's sum). When ``p`` is below
    ``min_j (1 - c_j) / h_j`` (pay is never more than what is left of a sector's output after
    intermediate inputs, and households spend less than they earn) a ``theta`` between the
    two makes the bound < 1: the usual closed table is productive without a solve.
    """
    paid = household_row > 0
    with np.errstate(over="ignore"):  # a subnormal pay coefficient (a resident share of 1e-311): room is inf
        room = np.min((1.0 - col_sums[paid]) / household_row[paid], initial=np.inf)
    if not (0 < propensity < room and np.isfinite(room)):
        return max(float(np.max(col_sums + household_row, initial=0.0)), propensity)  # the plain column sums
    theta = float(np.sqrt(propensity * room))
    return max(float(np.max(col_sums + theta * household_row, initial=0.0)), propensity / theta)


def _order(M: FloatArray) -> Literal["C", "F"]:
    """The memory order a copy of ``M`` should have to be made without transposing."""
    return "F" if M.flags.f_contiguous and not M.flags.c_contiguous else "C"


def _as_matrix(M: ArrayLike, name: str) -> FloatArray:
    try:
        M = np.asarray(M, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise NonNumericError(f"{name} holds non-numeric values ({exc})") from None
    if M.ndim != 2 or M.shape[0] != M.shape[1] or M.shape[0] == 0:
        raise LabelError(f"{name} must be square with at least one sector, got shape {M.shape}")
    if not np.all(np.isfinite(M)):
        i, j = np.argwhere(~np.isfinite(M))[0]
        raise NonNumericError(f"{name}[{i}, {j}] is {M[i, j]!r}; every value must be finite")
    return M


def _of(label: str) -> str:
    return f"table {label}: " if label else ""
