"""An interregional model of authorities with labels: effects of a shock by authority, as a tidy frame.

:class:`Interregional` holds the :class:`~kil_io.regional.interregional.system.InterregionalSystem` (arrays)
with the authorities' codes, names and places, the industries, and how it was made; its methods take
an area and a demand by industry code and return frames (pandas at the edges, numpy inside).
:func:`kil_io.interregional.model` builds one from the data kil_io ships.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kil_io.errors import AreaError, LabelError, NonNumericError, RegionError
from kil_io.model.multipliers import Kind, check_kind
from kil_io.regional.interregional.gravity import check_beta, decay_matrices, trade_shares
from kil_io.regional.interregional.system import MEASURES, InterregionalSystem, Solution

if TYPE_CHECKING:
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]

#: Units of the effect columns.
UNITS: dict[str, str] = {"output": "£m", "gva": "£m", "income": "£m", "fte": "FTE", "residents_income": "£m"}
#: Columns of :meth:`Interregional.effects`.
COLUMNS: tuple[str, ...] = ("code", "name", "output", "gva", "fte", "income", "residents_income")


@dataclass(frozen=True, eq=False)
class Interregional:
    """A Chenery-Moses model of Great Britain's authorities (read-only; see :mod:`kil_io.interregional`).

    Attributes
    ----------
    system : InterregionalSystem
        The arrays and the solver.
    codes, names : tuple of str
        The authorities (ONS 2023 codes) and their names, in the system's order.
    sectors, sector_names : tuple of str
        The national table's industries.
    places : DataFrame
        Index ``code``: ``x_km``, ``y_km`` (postcode-weighted centroid on the British National Grid) and
        ``spread_km`` [km] (:mod:`~kil_io.regional.interregional.geography`).
    neighbours : ndarray of bool, shape (R, R)
        Authorities with postcodes in the same or adjacent 1 km squares.
    distance : ndarray, shape (R, R)
        Root-mean-square distance between two authorities' postcodes [km].
    resolve : callable
        Area (name, code, Area or list) -> (label, member codes); :func:`kil_io.datasets.area` by default.
    about : mapping
        How the model was made: ``year``, ``national_year``, ``national_table``, ``method``, ``delta``,
        ``beta``, ``household_rule``, ``output``, ``commuting_gamma`` and notes.
    region : callable, optional
        An area's authority codes -> (name, member codes) of the region its places are named in (a
        combined authority, else the ITL2 region), or None; for :func:`~.leakage.by_place`.
    """

    system: InterregionalSystem
    codes: tuple[str, ...]
    names: tuple[str, ...]
    sectors: tuple[str, ...]
    sector_names: tuple[str, ...]
    places: pd.DataFrame
    neighbours: NDArray[np.bool_]
    distance: FloatArray
    resolve: Callable[[Any], tuple[str, tuple[str, ...]]]
    about: Mapping[str, Any] = field(default_factory=dict)
    region: Callable[[tuple[str, ...]], tuple[str, tuple[str, ...]] | None] | None = None
    _betas: dict[float, Interregional] = field(default_factory=dict, init=False, repr=False)

    def __repr__(self) -> str:
        a = self.about
        return (f"Interregional({len(self.codes)} authorities x {len(self.sectors)} industries, employment "
                f"{a.get('year')}, {a.get('national_table')}, delta {a.get('delta')}, "
                f"beta {a.get('beta')})")  # fmt: skip

    # ------------------------------------------------------------------ areas and demand
    def members(self, area: Any) -> tuple[str, NDArray[np.intp]]:
        """The label of ``area`` and the positions of its authorities in the model.

        Raises
        ------
        AreaError
            Not an area kil_io knows, or one with authorities outside the model (Northern Ireland has no
            local tables; a model of a subset lacks the others).
        """
        label, codes = self.resolve(area)
        at = {c: k for k, c in enumerate(self.codes)}
        ni = [c for c in codes if c.startswith("N")]
        if ni:
            many = "y is" if len(ni) == 1 else "ies are"
            raise AreaError(f"{label}: Northern Ireland has no local tables (BRES does not cover it), so its "
                            f"{len(ni)} authorit{many} not in the interregional model")  # fmt: skip
        missing = [c for c in codes if c not in at]
        if missing:
            raise AreaError(f"{label}: {len(missing)} of its authorities ({', '.join(missing[:3])}) are not in this "
                            f"interregional model of {len(self.codes)} authorities")  # fmt: skip
        return label, np.array([at[c] for c in codes], dtype=np.intp)

    def demand_array(self, area: Any, demand: Mapping[str, float] | pd.Series) -> tuple[str, FloatArray]:
        """Final demand placed on an area's authorities: ``(R, n)``, a group's split by their output.

        A group's demand for an industry is met by its members in proportion to their output of it
        (``q``): a group is the sum of its members with those shares.

        Raises
        ------
        LabelError, NonNumericError
            An industry code the table does not have; a value that is not a finite number.
        RegionError
            An area without output in an industry the demand asks it to supply.
        """
        label, where = self.members(area)
        series = pd.Series(demand, dtype=object) if not isinstance(demand, pd.Series) else demand
        unknown = [str(s) for s in series.index if str(s) not in self.sectors]
        if unknown:
            table = self.about.get("national_table", "the table")
            raise LabelError(f"demand names industries the national table does not have: {unknown[:5]} (codes as "
                             f"{table}'s: {list(self.sectors[:3])} ...)")  # fmt: skip
        if series.index.has_duplicates:
            twice = sorted({str(s) for s in series.index[series.index.duplicated()]})
            raise LabelError(f"demand names industries more than once: {twice}")
        values = pd.to_numeric(series, errors="coerce").astype(float)
        bad = ~np.isfinite(values.to_numpy())
        if bad.any():
            s = series.index[bad][0]
            raise NonNumericError(f"demand for industry '{s}' is {series[s]!r}, not a finite number of £m")
        f = np.zeros((len(self.codes), len(self.sectors)))
        q = self.system.supply
        for code, value in values.items():
            i = self.sectors.index(str(code))
            if value == 0:
                continue
            capacity = q[where, i]
            if capacity.sum() <= 0:
                raise RegionError(f"{label} has no output of '{code}' ({self.sector_names[i]}) to supply the "
                                  f"£{value:g}m demanded; place the demand where the industry is, "
                                  "or on a group")  # fmt: skip
            f[where, i] = value * capacity / capacity.sum()
        return label, f

    # ------------------------------------------------------------------ effects
    def effects(self, area: Any, demand: Mapping[str, float] | pd.Series, kind: Kind = "type_i") -> pd.DataFrame:
        """Effects of final demand for an area's output on every authority.

        Parameters
        ----------
        area : str, Area or list
            An authority (``"Calderdale"``, ``"E08000033"``) or a group of them (a combined authority, ITL
            region, nation, or a list); a group's demand is met by its members in proportion to their
            output of each industry (:meth:`demand_array`).
        demand : mapping or Series
            Industry code -> final demand [£m].
        kind : {"type_i", "type_ii"}
            Type I (supply chains) or Type II (and households' re-spending where they live).

        Returns
        -------
        DataFrame
            One row per authority: ``code``, ``name``, ``output``, ``gva`` [£m], ``fte`` [FTE], ``income``
            (compensation of employees earned in its workplaces) [£m] and ``residents_income`` (the pay its
            residents earn wherever they work, by the commuting matrix; Type II, all the household income
            they receive) [£m]. Direct + indirect (+ induced) effects. ``attrs``: ``kind``, ``area``,
            ``codes`` (the shocked authorities), ``demand``, ``units``, the model's ``about`` (``year``,
            ``national_year``, ``delta``, ``beta``, ...), ``national`` (the national table's effects of the
            same shock by measure, to which the columns sum), ``iterations`` and ``residual``.

        Raises
        ------
        AreaError, LabelError, NonNumericError, RegionError, ModelError
            See :meth:`members` and :meth:`demand_array`; an unknown kind.

        Examples
        --------
        >>> m = kil_io.interregional.model()  # doctest: +SKIP
        >>> m.effects("Calderdale", {"Q87 & Q88": 1.0}, kind="type_ii").nlargest(5, "fte")  # doctest: +SKIP
        """
        kind = check_kind(kind)
        label, f = self.demand_array(area, demand)
        solution = self.system.solve(f[:, :, None], kind)
        frame = self.frame(solution, 0, kind)
        shocked = [self.codes[r] for r in np.flatnonzero(f.sum(axis=1) != 0)]
        frame.attrs.update(area=label, codes=shocked,
                           demand={str(k): float(v) for k, v in pd.Series(demand, dtype=float).items()})  # fmt: skip
        return frame

    def frame(self, solution: Solution, column: int, kind: Kind) -> pd.DataFrame:
        """One right-hand side of a :class:`Solution` as the tidy frame of :meth:`effects`."""
        x = solution.x[:, :, column]
        by = x @ self.system.direct.T  # (R, 4): output, gva, income, fte
        pay = by[:, MEASURES.index("income")]
        residents = solution.y[:, column] if solution.y is not None else self.system.commuting @ pay
        out = pd.DataFrame({"code": list(self.codes), "name": list(self.names)})
        for m in ("output", "gva", "fte", "income"):
            out[m] = by[:, MEASURES.index(m)]
        out["residents_income"] = residents
        totals = {m: float(out[m].sum()) for m in ("output", "gva", "fte", "income")}
        out.attrs.update(kind=kind, units=dict(UNITS), iterations=solution.iterations, residual=solution.residual,
                         totals=totals, **dict(self.about))  # fmt: skip
        return out

    def own_effects(
        self,
        demand: Mapping[str, float] | pd.Series,
        kind: Kind = "type_i",
        *,
        authorities: Sequence[Any] | None = None,
    ) -> pd.DataFrame:
        """Every authority's own effect of the same demand placed on itself: one shock per authority, solved at once.

        Parameters
        ----------
        demand : mapping or Series
            Industry code -> final demand [£m], placed in turn on each authority.
        kind : {"type_i", "type_ii"}
        authorities : sequence, optional
            Only these authorities' shocks (names or codes); default every authority in the model.

        Returns
        -------
        DataFrame
            One row per authority shocked: ``code``, ``name``, then ``output``, ``gva``, ``fte``, ``income`` in the
            authority itself and ``*_elsewhere`` in every other authority [£m] or [FTE]. NaN for an authority
            without output in a demanded industry. ``attrs`` as :meth:`effects`.
        """
        kind = check_kind(kind)
        R, n = self.system.shape
        if authorities is None:
            shocked = np.arange(R)
        else:
            found = [self.members(a) for a in authorities]
            if any(len(w) != 1 for _, w in found):
                raise AreaError("own_effects takes authorities, one shock each; a group's own effect is effects(group)")
            shocked = np.array([int(w[0]) for _, w in found], dtype=np.intp)
        K = len(shocked)
        able = np.ones(K, dtype=bool)
        b = np.zeros((R, n, K))
        for code, value in pd.Series(demand, dtype=float).items():
            if str(code) not in self.sectors:
                raise LabelError(f"demand names an industry the national table does not have: {code!r}")
            i = self.sectors.index(str(code))
            able &= self.system.supply[shocked, i] > 0
            b[shocked, i, np.arange(K)] = value
        b[:, :, ~able] = 0.0
        solution = self.system.solve(b, kind)
        by = np.einsum("mj,rjk->krm", self.system.direct, solution.x)  # (shock, authority, measure)
        out = pd.DataFrame({"code": [self.codes[r] for r in shocked], "name": [self.names[r] for r in shocked]})
        for m in ("output", "gva", "fte", "income"):
            k = MEASURES.index(m)
            own = by[np.arange(K), shocked, k]
            out[m] = np.where(able, own, np.nan)
            out[f"{m}_elsewhere"] = np.where(able, by[:, :, k].sum(axis=1) - own, np.nan)
        out.attrs.update(kind=kind, units=dict(UNITS), iterations=solution.iterations, residual=solution.residual,
                         demand={str(k): float(v) for k, v in pd.Series(demand, dtype=float).items()},
                         **dict(self.about))  # fmt: skip
        return out

    def feedback(self, area: Any, demand: Mapping[str, float] | pd.Series, kind: Kind = "type_i") -> pd.DataFrame:
        """An authority's own effect against its single-region effect: what comes back through the others.

        A single-region table loses what leaks; here some of it returns (the neighbours buy from the
        authority, commuters spend where they work), so the own effect is at least the single-region one.

        Parameters
        ----------
        area : str or Area
            One authority.
        demand : mapping or Series
            Industry code -> final demand [£m].
        kind : {"type_i", "type_ii"}

        Returns
        -------
        DataFrame
            Index the measures ``output``, ``gva``, ``fte``, ``income``; columns ``own`` (in the
            interregional model), ``single_region`` (its own block alone, as its local table), ``feedback``
            (their difference) [£m] or [FTE] and ``share`` (feedback over own) [ratio].

        Raises
        ------
        AreaError
            A group: feedback is of one authority.
        """
        kind = check_kind(kind)
        label, where = self.members(area)
        if len(where) != 1:
            raise AreaError(f"{label}: feedback is of one authority, not a group of {len(where)}")
        s = int(where[0])
        _, f = self.demand_array(area, demand)
        own = self.system.solve(f[:, :, None], kind).x[s, :, 0]
        single = self.system.single_region(s, f[s], kind)
        rows = [MEASURES.index(m) for m in ("output", "gva", "fte", "income")]
        out = pd.DataFrame(
            {"own": self.system.direct[rows] @ own, "single_region": self.system.direct[rows] @ single},
            index=pd.Index(["output", "gva", "fte", "income"], name="measure"),
        )
        out["feedback"] = out["own"] - out["single_region"]
        out["share"] = out["feedback"] / out["own"].where(out["own"] != 0)
        out.attrs.update(kind=kind, area=label, units=dict(UNITS), **dict(self.about))
        return out

    # ------------------------------------------------------------------ trade
    def trade_shares(self, buyer: Any, sector: str) -> pd.Series:
        """Where an authority buys an industry's output from the rest of the UK: shares by supplier.

        Returns
        -------
        Series
            Index the authorities' codes; sums to 1 (0 for the buyer itself) [share].
        """
        label, where = self.members(buyer)
        if len(where) != 1:
            raise AreaError(f"{label}: trade shares are of one buying authority, not a group of {len(where)}")
        if sector not in self.sectors:
            raise LabelError(f"no industry '{sector}' in the national table")
        s = self.system
        shares = trade_shares(s.decay, s.groups, s.supply, int(where[0]))[:, self.sectors.index(sector)]
        return pd.Series(shares, index=pd.Index(self.codes, name="code"), name=f"{sector} bought by {label}")

    def purchases_from_outside(self, buyers: Any) -> pd.Series:
        """What a group's industries buy from authorities outside it, per year at the model's output levels.

        For each buying authority ``s`` of the group, industry ``j`` buys ``N_s[i, j] q_s[j]`` of ``i`` from
        the rest of the UK, of which the share ``sum_{r outside} t[r <- s, i]`` comes from outside the group
        (the rest is trade between its members). The Scottish check compares this for Scotland's authorities
        with the Scottish Government's imports from the rest of the UK.

        Returns
        -------
        Series
            Index the industries (by buyer) [£m a year]; ``attrs["output"]``: the group's output by industry [£m].
        """
        label, where = self.members(buyers)
        inside = np.zeros(len(self.codes), dtype=bool)
        inside[where] = True
        s = self.system
        total = np.zeros(len(self.sectors))
        for r in where:
            outside = trade_shares(s.decay, s.groups, s.supply, int(r))[~inside].sum(axis=0)  # (n,) by product
            total += outside @ (s.exports[r] * s.supply[r][None, :])
        out = pd.Series(total, index=pd.Index(self.sectors, name="sector"), name=f"{label}: bought from outside")
        out.attrs["output"] = s.supply[where].sum(axis=0)
        return out

    def with_beta(self, beta: float) -> Interregional:
        """The same model with another distance decay (the authorities' own blocks are reused, not recomputed).

        Remembered: a case's ranges ask for the same few decays of the same model again and again.
        """
        beta = check_beta(beta)
        if beta == self.about.get("beta"):
            return self
        if beta not in self._betas:
            decay = decay_matrices(self.distance, beta)
            self._betas[beta] = replace(self, system=self.system.with_decay(decay), about={**self.about, "beta": beta})
        return self._betas[beta]
