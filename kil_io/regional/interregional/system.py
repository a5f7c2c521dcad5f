r"""The interregional (Chenery-Moses) system of many authorities, and its block-iterative solve.

R authorities, n industries. Buyer ``s`` buys ``A^l_s`` per £ of output from its own authority (the
FLQ local coefficients, supply-capped, as its single-region table) and ``N_s = A - A^l_s`` from the
other authorities, by the separable gravity shares of :mod:`~kil_io.regional.interregional.gravity`:

.. math::

    A_{ss} = A^l_s, \qquad A_{rs} = \operatorname{diag}(t_{r \leftarrow s})\, N_s \quad (r \ne s).

**Consistency.** For every buyer :math:`\sum_r A_{rs} = A^l_s + N_s = A`, so summing
:math:`x_r = \sum_s A_{rs} x_s + f_r` over ``r`` gives :math:`X = A X + F`: the authorities' outputs
add up to the national table's for any shock and any trade shares (Miller & Blair 2009, section 3.4),
and so do GVA, pay and FTE, which are national per £ of output everywhere. **Type II** adds each
authority's households: pay earned in ``s`` reaches homes by the commuting matrix ``P`` (columns sum
to 1), households spend ``c = C / Y`` (national consumption per £ of household income) per £, the
part ``rpc_h`` of each product in their own authority (its single-region household rule) and the rest
by the same trade shares. Summed, this is the national closure, so national Type II is reproduced too.

**Solving without the dense inverse.** The system has ``R n`` unknowns (36,400 for 350 authorities and
104 industries: a dense inverse would take 10.6 GB). It is solved by block Jacobi, each block the
authority's own system (its single-region Type I, or Type II with resident share ``P[s, s]``), whose
inverses are computed once; the trade between authorities is applied as ``q_r`` times a decay matrix
product (BLAS-3 over every right-hand side at once). ``I - A_MR`` is a non-singular M-matrix and the
block split a regular splitting, so the iteration converges (Varga 2000, theorem 3.13). After each
sweep the iterate's national total is set to the national solution, known exactly from one national
solve (an aggregation step; the coarse operator of any prolongation whose weights sum to 1 is the
national ``I - A``, by the consistency above): it removes the slowest error, the level of the whole
economy, and leaves the split between authorities to the sweeps.

References
----------
Chenery, H. B. (1953). Regional analysis. Moses, L. N. (1955). The stability of interregional trading
patterns and input-output analysis. *American Economic Review* 45(5). Miller, R. E. & Blair, P. D.
(2009). *Input-Output Analysis*, 2nd ed., section 3.4. Varga, R. S. (2000). *Matrix Iterative
Analysis*, 2nd ed., sections 3.6 and 3.7 (regular splittings of M-matrices).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Literal

import numpy as np
from threadpoolctl import threadpool_limits

from kil_io.errors import ModelError, NotProductiveError, RegionError
from kil_io.regional.interregional.blocks import THREADED_FROM, block_product

if TYPE_CHECKING:
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]

Kind = Literal["type_i", "type_ii"]
#: Rows of :attr:`InterregionalSystem.direct`: output, GVA, pay (compensation of employees), FTE.
MEASURES: tuple[str, ...] = ("output", "gva", "income", "fte")
#: Unknowns above which :meth:`InterregionalSystem.dense` refuses (a test's check, never the solve).
DENSE_LIMIT = 6000
#: Sweeps without halving the change after which the national-total step is dropped (:meth:`_iterate`).
_STALL = 20


@dataclass(frozen=True, eq=False)
class Solution:
    """What :meth:`InterregionalSystem.solve` returns (read-only arrays).

    Attributes
    ----------
    x : ndarray, shape (R, n, K)
        Output by authority and industry for each of the K right-hand sides [£m].
    y : ndarray, shape (R, K) or None
        Type II: household income received by each authority's residents [£m]; None for Type I.
    iterations : int
        Block sweeps run.
    residual : float
        Largest absolute residual of the system at ``x`` (and ``y``), over the largest right-hand side [ratio].
    """

    x: FloatArray
    y: FloatArray | None
    iterations: int
    residual: float


@dataclass(frozen=True, eq=False)
class InterregionalSystem:
    """A Chenery-Moses system of authorities (arrays only; see the module notes).

    Attributes
    ----------
    A : ndarray, shape (n, n)
        National technical coefficients of the Leontief system (sectors outside it zeroed) [£ per £1].
    local : ndarray, shape (R, n, n)
        Each authority's local coefficients, ``0 <= local[s] <= A`` [£ per £1].
    supply : ndarray, shape (R, n)
        Each authority's output ``q``, the capacity in the trade shares [£m].
    decay : ndarray, shape (G, R, R)
        Distance decay of each locality group between authorities, zero diagonal [km^-beta].
    groups : ndarray of int, shape (n,)
        Each industry's locality group (row of ``decay``).
    direct : ndarray, shape (4, n)
        :data:`MEASURES` per £ of output: output (1), GVA and pay [£ per £1], FTE [FTE per £1m].
    consumption : ndarray, shape (n,)
        Household consumption of each industry's output per £ of household income, ``C / Y`` [£ per £1].
    local_consumption : ndarray, shape (R, n)
        Share of it households buy in their own authority (after the supply cap) [share].
    commuting : ndarray, shape (R, R)
        ``P[h, s]``: share of authority ``s``'s workers living in ``h``; columns sum to 1 [share].
    tol : float
        Sweeps stop when no output changes by more than ``tol`` times the largest [ratio].
    max_iterations : int
    codes, sectors : tuple of str, optional
        The authorities' and industries' codes, to name them in errors (default: by position).
    """

    A: FloatArray
    local: FloatArray
    supply: FloatArray
    decay: FloatArray
    groups: NDArray[np.intp]
    direct: FloatArray
    consumption: FloatArray
    local_consumption: FloatArray
    commuting: FloatArray
    tol: float = 1e-12
    max_iterations: int = 20000
    codes: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()

    def _authority(self, k: int) -> str:
        return f"authority {self.codes[k]}" if len(self.codes) == self.supply.shape[0] else f"authority at position {k}"

    def _industry(self, k: int) -> str:
        return (
            f"industry '{self.sectors[k]}'"
            if len(self.sectors) == self.supply.shape[1]
            else f"industry at position {k}"
        )

    def __post_init__(self) -> None:
        R, n = self.supply.shape
        for name, labels, size in (("codes", self.codes, R), ("sectors", self.sectors, n)):
            if labels and len(labels) != size:
                raise ModelError(f"interregional system: {len(labels)} {name} for {size} "
                                 f"{'authorities' if name == 'codes' else 'industries'}")  # fmt: skip
        shapes = {"A": (n, n), "local": (R, n, n), "decay": (self.decay.shape[0], R, R), "groups": (n,),
                  "direct": (4, n), "consumption": (n,), "local_consumption": (R, n), "commuting": (R, R)}  # fmt: skip
        for name, shape in shapes.items():
            got = np.shape(getattr(self, name))
            if got != shape:
                raise ModelError(f"interregional system: {name} has shape {got}, expected {shape}")
        for name in ("A", "local", "supply", "decay", "direct", "consumption", "local_consumption", "commuting"):
            value = np.array(getattr(self, name), dtype=np.float64)
            if not np.all(np.isfinite(value)):
                raise ModelError(f"interregional system: {name} holds a value that is not a finite number")
            if np.any(value < 0):
                raise ModelError(f"interregional system: {name} holds a negative value ({value.min():g})")
            value.flags.writeable = False
            object.__setattr__(self, name, value)
        groups = np.array(self.groups, dtype=np.intp)
        if groups.min(initial=0) < 0 or groups.max(initial=0) >= self.decay.shape[0]:
            raise ModelError("interregional system: a locality group outside the decay matrices")
        object.__setattr__(self, "groups", groups)
        over = self.local - self.A[None] > 1e-12 * np.maximum(self.A[None], 1.0)
        if over.any():
            s, i, j = np.argwhere(over)[0]
            raise ModelError(f"interregional system: {self._authority(s)} buys more of {self._industry(i)} locally per "
                             f"£ of {self._industry(j)}'s output ({self.local[s, i, j]:g}) than the nation "
                             f"({self.A[i, j]:g})")  # fmt: skip
        if np.any(self.local_consumption > 1 + 1e-12):
            s, i = np.argwhere(self.local_consumption > 1 + 1e-12)[0]
            raise ModelError(f"interregional system: households in {self._authority(s)} buy "
                             f"{self.local_consumption[s, i]:.6g} of their {self._industry(i)} locally, "
                             "above 1")  # fmt: skip
        if np.any(np.diagonal(self.decay, axis1=1, axis2=2) != 0):
            raise ModelError("interregional system: an authority trades with itself through the decay matrices")
        sums = self.commuting.sum(axis=0)
        if np.any(np.abs(sums - 1) > 1e-9):
            s = int(np.argmax(np.abs(sums - 1)))
            raise ModelError(f"interregional system: {self._authority(s)}'s workers' homes add up to {sums[s]:.12g}, "
                             "not 1")  # fmt: skip
        radius = float(np.max(np.abs(np.linalg.eigvals(self.A)))) if n else 0.0
        if radius >= 1:
            raise NotProductiveError(f"interregional system: the national A has spectral radius {radius:.6g} >= 1")
        need = (self.exports.sum(axis=2) > 0) | ((1 - self.local_consumption) * self.consumption[None] > 0)
        orphan = need & (self.denominators <= 0)
        if orphan.any():
            s, i = np.argwhere(orphan)[0]
            raise RegionError(f"interregional system: {self._authority(s)} buys {self._industry(i)} from the rest of "
                              "the UK, but "
                              "no other authority in the model makes it; include more authorities")  # fmt: skip

    def with_decay(self, decay: FloatArray) -> InterregionalSystem:
        """The same system with other decay matrices (another ``beta``); the authorities' own inverses are kept."""
        new = replace(self, decay=decay)
        for name in ("_order", "_own", "_blocks_i", "_blocks_ii", "_national_open", "_national", "_weights", "_away"):
            if name in self.__dict__:
                new.__dict__[name] = self.__dict__[name]
        return new

    # ------------------------------------------------------------------ derived (cannot go stale)
    @property
    def shape(self) -> tuple[int, int]:
        """``(R, n)``: authorities and industries."""
        R, n = self.supply.shape
        return R, n

    @cached_property
    def exports(self) -> FloatArray:
        """``N_s = A - A^l_s``: each authority's purchases from the rest of the UK per £ of output [£ per £1]."""
        return np.maximum(self.A[None] - self.local, 0.0)

    @cached_property
    def denominators(self) -> FloatArray:
        """``W[s, i]`` of the trade shares (:func:`~kil_io.regional.interregional.gravity.trade_denominators`)."""
        from kil_io.regional.interregional.gravity import trade_denominators

        return trade_denominators(self.decay, self.groups, self.supply)

    @cached_property
    def _order(self) -> tuple[NDArray[np.intp], tuple[tuple[int, int, int], ...]]:
        """Industries sorted by locality group, and each group's slice of them: the solver's internal order."""
        order = np.argsort(self.groups, kind="stable")
        ranked = self.groups[order]
        spans = tuple((int(g), int(np.searchsorted(ranked, g)), int(np.searchsorted(ranked, g, side="right")))
                      for g in np.unique(ranked))  # fmt: skip
        return order, spans

    def _sorted(self, M: FloatArray, *axes: int) -> FloatArray:
        """``M`` with its industry ``axes`` in the solver's order (a new contiguous array)."""
        order = self._order[0]
        for axis in axes:
            M = np.take(M, order, axis=axis)
        return np.ascontiguousarray(M)

    @cached_property
    def _outflow(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """``diag(1 / W_s) N_s`` (R, n, n), households' ``(1 - rpc_s) c / W_s`` (R, n) and ``q`` (R, n), sorted."""
        W = self.denominators
        inverse = np.divide(1.0, W, out=np.zeros_like(W), where=W > 0)
        out = self.exports * inverse[:, :, None]
        households = (1 - self.local_consumption) * self.consumption[None] * inverse
        return self._sorted(out, 1, 2), self._sorted(households, 1), self._sorted(self.supply, 1)

    @cached_property
    def _own(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Sorted: the local blocks (R, n, n), households' local purchases ``rpc_s c`` (R, n) and pay per £ (n,)."""
        own = self.local_consumption * self.consumption[None]
        return self._sorted(self.local, 1, 2), self._sorted(own, 1), self._sorted(self.direct[2], 0)

    @cached_property
    def _blocks_i(self) -> FloatArray:
        """``(I - A^l_s)^-1`` for every authority (R, n, n): its single-region Type I inverse (sorted)."""
        n = self.shape[1]
        return np.asarray(np.linalg.inv(np.eye(n)[None] - self._own[0]), dtype=np.float64)

    @cached_property
    def _blocks_ii(self) -> FloatArray:
        """Each authority's own closed system's inverse (R, n + 1, n + 1): Type II, resident share ``P[s, s]``."""
        R, n = self.shape
        local, households, pay = self._own
        M = np.zeros((R, n + 1, n + 1))
        M[:, :n, :n] = np.eye(n)[None] - local
        M[:, :n, n] = -households
        M[:, n, :n] = -np.diagonal(self.commuting)[:, None] * pay[None]
        M[:, n, n] = 1.0
        return np.asarray(np.linalg.inv(M), dtype=np.float64)

    @cached_property
    def _national_open(self) -> FloatArray:
        """``(I - A)^-1`` of the national table (n x n, the model's order)."""
        return np.asarray(np.linalg.inv(np.eye(self.shape[1]) - self.A), dtype=np.float64)

    @cached_property
    def _national(self) -> FloatArray:
        """The national closed system's inverse ((n + 1) x (n + 1), the model's order)."""
        n = self.shape[1]
        loop = float(self.direct[2] @ self._national_open @ self.consumption)
        if loop >= 1:
            raise NotProductiveError(f"interregional system: households re-spend without end (loop {loop:.6g} >= 1)")
        M = np.eye(n + 1)
        M[:n, :n] -= self.A
        M[:n, n] = -self.consumption
        M[n, :n] = -self.direct[2]
        return np.asarray(np.linalg.inv(M), dtype=np.float64)

    @cached_property
    def _away(self) -> FloatArray:
        """The commuting matrix without its diagonal: pay that reaches homes in other authorities."""
        return self.commuting - np.diag(np.diagonal(self.commuting))

    @cached_property
    def _weights(self) -> tuple[FloatArray, FloatArray]:
        """How a national total is first shared among authorities: by output (sorted), income by residents' pay."""
        q = self.supply
        total = q.sum(axis=0)
        omega = np.divide(q, total, out=np.full_like(q, 1.0 / q.shape[0]), where=total > 0)
        pay = self.commuting @ (q @ self.direct[2])
        theta = pay / pay.sum() if pay.sum() > 0 else np.full(q.shape[0], 1.0 / q.shape[0])
        return self._sorted(omega, 1), theta

    # ------------------------------------------------------------------ solving
    def solve(self, demand: FloatArray, kind: Kind = "type_i", income: FloatArray | None = None) -> Solution:
        """Output by authority for many final-demand shocks at once, by block Jacobi sweeps.

        Parameters
        ----------
        demand : ndarray, shape (R, n, K)
            Final demand for each authority's output of each industry, K shocks [£m].
        kind : {"type_i", "type_ii"}
        income : ndarray, shape (R, K), optional
            Type II: household income paid straight to each authority's residents (e.g. an
            organisation's staff by where they live), re-spent like any other [£m].

        Returns
        -------
        Solution

        Raises
        ------
        ModelError
            Demand or income of the wrong shape or not finite; income with Type I; the sweeps not
            converging within ``max_iterations``.
        """
        R, n = self.shape
        b = np.asarray(demand, dtype=np.float64)
        if b.ndim != 3 or b.shape[:2] != (R, n) or not np.all(np.isfinite(b)):
            raise ModelError(f"demand must be finite numbers of shape ({R}, {n}, K), got shape {np.shape(demand)}")
        K = b.shape[2]
        closed = kind == "type_ii"
        g = np.zeros((R, K)) if income is None else np.asarray(income, dtype=np.float64)
        if g.shape != (R, K) or not np.all(np.isfinite(g)):
            raise ModelError(f"household income must be finite numbers of shape ({R}, {K}), got {g.shape}")
        if not closed and np.any(g != 0):
            raise ModelError("household income re-spent is a Type II shock; pass kind='type_ii'")
        total = b.sum(axis=0)
        if closed:
            agg = self._national @ np.vstack([total, g.sum(axis=0)[None]])
            X, Y = agg[:n], agg[n]
        else:
            X, Y = self._national_open @ total, None
        order = self._order[0]
        scale = max(float(np.abs(b).max(initial=0.0)), float(np.abs(g).max(initial=0.0)), 1e-300)
        b = self._sorted(b, 1)
        # few right-hand sides: small products, which one BLAS thread does faster than a pool on a busy machine
        with threadpool_limits(1 if K < THREADED_FROM else None):
            x, y, iterations = self._iterate(b, g, X[order], Y)
            residual = self._residual(b, g, x, y) / scale
        return Solution(x=np.ascontiguousarray(x[:, np.argsort(order)]), y=y, iterations=iterations,
                        residual=residual)  # fmt: skip

    def _iterate(self, b: FloatArray, g: FloatArray, X: FloatArray, Y: FloatArray | None
                 ) -> tuple[FloatArray, FloatArray | None, int]:  # fmt: skip
        """Block Jacobi sweeps, each followed by the national-total step, until nothing changes (module notes).

        Everything is in the solver's order; a Type II iterate carries the households as industry ``n``. The
        national-total step is an oblique projection, which speeds up every system met in practice (the UK's
        converge in a few dozen sweeps) but need not contract: where the changes stop shrinking, the sweeps
        start again without it, as plain block Jacobi, which always converges (a regular splitting of a
        non-singular M-matrix; Varga 2000, theorem 3.13).
        """
        omega, theta = self._weights
        n = self.shape[1]
        closed = Y is not None
        blocks = self._blocks_ii if closed else self._blocks_i
        weights = np.concatenate([omega, theta[:, None]], axis=1) if closed else omega
        target = np.concatenate([X, Y[None]]) if closed else X  # type: ignore[index]
        # the demand's own part of every sweep is the same: solve it once, and start from it, at the national total
        base = block_product(blocks, np.concatenate([b, g[:, None, :]], axis=1) if closed else b)
        v = base + weights[:, :, None] * (target - base.sum(axis=0))[None]
        aggregate, best, since = True, np.inf, 0
        change = size = 0.0
        for iterations in range(1, self.max_iterations + 1):
            new = block_product(blocks, self._inflows(v, n if closed else None))
            new += base
            size = max(float(new.max(initial=0.0)), -float(new.min(initial=0.0)), 1e-300)
            v -= new
            change = max(float(v.max(initial=0.0)), -float(v.min(initial=0.0)))
            v = new
            if change <= self.tol * size:
                return (v[:, :n], v[:, n], iterations) if closed else (v, None, iterations)
            if aggregate:
                best, since = (change / size, 0) if change / size < 0.5 * best else (best, since + 1)
                if since >= _STALL or not np.isfinite(change):
                    aggregate, v = False, base.copy()  # no longer contracting: plain block Jacobi from the start
                    continue
                v += weights[:, :, None] * (target - v.sum(axis=0))[None]
        raise ModelError(f"interregional solve did not converge in {self.max_iterations} sweeps "
                         f"(last change {change:.3g} of {size:.3g})")  # fmt: skip

    def _inflows(self, v: FloatArray, households: int | None) -> FloatArray:
        """What each authority sells to the others' industries (and households), and pay reaching homes elsewhere.

        ``v`` and the result are in the solver's order, with households as industry ``households`` (Type II);
        the trade is ``q_r`` times one decay matrix product per locality group over every right-hand side at
        once (BLAS-3), never an R x R x n array.
        """
        out, spend, supply = self._outflow
        n = self.shape[1]
        z = block_product(out, v[:, :n])
        if households is not None:
            z += spend[:, :, None] * v[:, n][:, None, :]
        R, _, K = z.shape
        u = np.empty((R, n + (households is not None), K))
        for k, a, b in self._order[1]:
            np.matmul(self.decay[k], z[:, a:b].reshape(R, (b - a) * K), out=u[:, a:b].reshape(R, (b - a) * K))
        u[:, :n] *= supply[:, :, None]
        if households is not None:
            u[:, n] = self._away @ np.einsum("j,rjk->rk", self._own[2], v[:, :n])
        return u

    def _residual(self, b: FloatArray, g: FloatArray, x: FloatArray, y: FloatArray | None) -> float:
        """Largest residual of the whole system at ``x`` (and ``y``), everything in the solver's order."""
        local, households, pay_per = self._own
        n = self.shape[1]
        v = x if y is None else np.concatenate([x, y[:, None, :]], axis=1)
        u = self._inflows(v, None if y is None else n)
        r = b + u[:, :n] + block_product(local, x) - x
        if y is None:
            return float(np.abs(r).max(initial=0.0))
        r += households[:, :, None] * y[:, None, :]
        pay = np.einsum("j,rjk->rk", pay_per, x)
        ry = g + u[:, n] + np.diagonal(self.commuting)[:, None] * pay - y
        return max(float(np.abs(r).max(initial=0.0)), float(np.abs(ry).max(initial=0.0)))

    def single_region(self, authority: int, demand: FloatArray, kind: Kind = "type_i") -> FloatArray:
        """Output of one authority's own system alone, as its single-region table gives it (no feedback).

        Type I: ``(I - A^l_s)^-1 f``; Type II also closes it with the households living and working there
        (pay times the resident share ``P[s, s]``, spent locally at ``rpc_s c``) [Miller & Blair 2009, 2.5].

        Parameters
        ----------
        authority : int
            Its position.
        demand : ndarray, shape (n,)
            Final demand for its output [£m].
        kind : {"type_i", "type_ii"}

        Returns
        -------
        ndarray, shape (n,)
            Its output by industry [£m], in the model's order of industries.
        """
        n = self.shape[1]
        order = self._order[0]
        f = np.asarray(demand, dtype=np.float64)[order]
        if kind == "type_ii":
            x = self._blocks_ii[authority] @ np.append(f, 0.0)
            x = x[:n]
        else:
            x = self._blocks_i[authority] @ f
        return np.asarray(x[np.argsort(order)], dtype=np.float64)

    # ------------------------------------------------------------------ for checking
    def dense(self, kind: Kind = "type_i") -> FloatArray:
        """The whole coefficient matrix (``R n`` square, plus ``R`` household rows and columns for Type II).

        For tests on small systems only: ordered authority by authority, industries within (then the
        authorities' households).

        Raises
        ------
        ModelError
            More than :data:`DENSE_LIMIT` unknowns.
        """
        R, n = self.shape
        size = R * n + (R if kind == "type_ii" else 0)
        if size > DENSE_LIMIT:
            raise ModelError(f"a dense interregional matrix of {size} unknowns is more than this check allows")
        M = np.zeros((size, size))
        W = np.divide(1.0, self.denominators, out=np.zeros_like(self.denominators), where=self.denominators > 0)
        for s in range(R):
            for r in range(R):
                share = self.supply[r] * W[s] * self.decay[self.groups, r, s]
                M[r * n : (r + 1) * n, s * n : (s + 1) * n] = (
                    self.local[s] if r == s else share[:, None] * self.exports[s]
                )
        if kind == "type_ii":
            c, w = self.consumption, self.direct[2]
            for h in range(R):
                for r in range(R):
                    share = self.supply[r] * W[h] * self.decay[self.groups, r, h]
                    rpc = self.local_consumption[h]
                    M[r * n : (r + 1) * n, R * n + h] = rpc * c if r == h else share * (1 - rpc) * c
                for s in range(R):
                    M[R * n + h, s * n : (s + 1) * n] = self.commuting[h, s] * w
        return M
