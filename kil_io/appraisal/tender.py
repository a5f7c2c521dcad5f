r"""Bids compared: each bid's figures, every pair's difference, a ranking, and lots against one contract.

:class:`Tender` is the part of an :class:`~kil_io.appraisal.result.Appraisal` that compares a
contract's bids (or providers). Its central values are the appraisal model at every input's value
(:func:`tender_of`); :meth:`Tender.with_draws` adds the ranges from the same model's draws, in which
every bid sees the same draw of the inputs they share (the local table's δ, the resident share,
the household income, the gross-to-net rates), so a difference between two bids is a difference
of draws of one local economy, and :math:`P(A > B)` is the share of those draws in which bid A
supports more than bid B.

**Ranking.** Bids are ranked on one figure (``rank_by``, by default net additional local jobs).
Bid A is ahead of bid B when A supports more than B in at least ``level`` (0.9) of the shared
draws, the same confidence as the 90% ranges; a bid's rank is one more than the number of bids
ahead of it, so bids that cannot be told apart share a rank, and the table names them. Without
draws the ranking is by the central figure and says that it cannot tell how sure it is.

**Lots.** Every figure but LM3 is proportional to the value a bid delivers (its staff, spending,
overheads and surplus are shares of each £1; :mod:`kil_io.appraisal.model` has no fixed part),
so a bid's figures on a lot of value :math:`v` are its figures on the whole contract times
:math:`v / V`, draw by draw (the central values are evaluated at :math:`v` directly, which tests
the proportionality). LM3 is a ratio: the LM3 of several lots is their value-weighted mean,
:math:`\sum_j v_j \mathrm{LM3}_j / \sum_j v_j` (the rounds add up, and so does round 1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, Final

import numpy as np
import pandas as pd

from kil_io.appraisal.contract import RANK_MEASURES, Contract
from kil_io.appraisal.jsonframes import frame_from_json, frame_json

#: The figures kept per bid: gross and net local jobs [FTE], workplace GVA and local income [£m], LM3 [£ per £1]
#: and the £m of the contract spent in the area.
MEASURES: Final = ("fte", "fte_net", "gva", "gva_net", "local_income", "local_income_net", "lm3", "local_spend")
#: Units of :data:`MEASURES`.
UNITS: Final = {"fte": "FTE", "fte_net": "FTE", "gva": "£m", "gva_net": "£m", "local_income": "£m",
                "local_income_net": "£m", "lm3": "£ per £1", "local_spend": "£m"}  # fmt: skip
#: The ratio among :data:`MEASURES`: not proportional to the value delivered.
RATIO: Final = "lm3"
#: Scenario names of :attr:`Tender.totals`.
ONE_CONTRACT, LOTS, LOTS_GAIN = "one contract", "lots", "lots - one contract"
_STATS: Final = ["value", "low", "high", "median"]


@dataclass(frozen=True, eq=False)
class Tender:
    """Bids for one contract, compared (read-only; see the module notes).

    Attributes
    ----------
    contract_value : float
        [£ a year].
    rank_by : str
        The figure bids are ranked on (:data:`kil_io.appraisal.contract.RANK_MEASURES`).
    level : float or None
        The ranges' coverage and the confidence needed to rank one bid ahead of another [share];
        ``None`` before :meth:`with_draws`.
    bids : DataFrame
        Index (``bid``, ``measure``); ``value``, ``low``, ``high``, ``median`` [the measure's unit].
    pairs : DataFrame
        Index (``bid``, ``other``, ``measure``), each pair once in the file's order: the first bid's
        figure less the other's (``value``, ``low``, ``high``, ``median``) and ``p_ahead``, the share of
        draws in which the first is ahead [share].
    ranking : DataFrame
        Index ``bid``, best first: ``rank`` (shared by bids that cannot be told apart), ``value``,
        ``low``, ``high`` of ``rank_by``; ``ahead_of``, ``behind`` and ``tied_with`` (bid names, joined
        by ``"; "``).
    lots : DataFrame or None
        Index (``lot``, ``bid``, ``measure``): each bid for each lot, as :attr:`bids`, and ``awarded``
        (1 for the bid the lot goes to, else 0).
    lot_values : DataFrame or None
        Index ``lot``: ``value`` [£ a year], ``award`` (the bid it goes to) and ``award_source``
        (``"given"`` or ``"top-ranked"``).
    totals : DataFrame or None
        Index (``scenario``, ``measure``): the whole contract to its winner (``"one contract"``), every
        lot to its winner (``"lots"``) and the difference (``"lots - one contract"``), as :attr:`pairs`.
    award : str or None
        Who the whole contract goes to in :attr:`totals`, and whether that was ``given`` or ``top-ranked``
        (``award_source``).
    """

    contract_value: float
    rank_by: str
    level: float | None
    bids: pd.DataFrame
    pairs: pd.DataFrame
    ranking: pd.DataFrame
    lots: pd.DataFrame | None = None
    lot_values: pd.DataFrame | None = None
    totals: pd.DataFrame | None = None
    award: str | None = None
    award_source: str = ""

    @property
    def names(self) -> list[str]:
        """The bids, in the file's order."""
        return list(dict.fromkeys(self.bids.index.get_level_values("bid")))

    def figure(self, bid: str, measure: str) -> pd.Series:
        """``value``, ``low``, ``high``, ``median`` of one bid's figure."""
        return self.bids.loc[(bid, measure)]

    def pair(self, bid: str, other: str, measure: str) -> pd.Series:
        """``bid`` less ``other`` (``value``, range and ``p_ahead``), in either order of the two."""
        if (bid, other, measure) in self.pairs.index:
            return self.pairs.loc[(bid, other, measure)]
        row = self.pairs.loc[(other, bid, measure)]
        flipped = -row[["value", "median", "high", "low"]].to_numpy(dtype=float)
        return pd.Series([*flipped, 1.0 - row["p_ahead"]], index=[*_STATS, "p_ahead"])

    def with_draws(self, draws: Mapping[str, np.ndarray], level: float) -> Tender:
        """The tender with its ranges: ``draws`` maps ``"<bid>: <measure>"`` to that figure's draws at the contract.

        Every bid's draws must come from the same draws of the shared inputs (one simulation).
        """
        q = ((1 - level) / 2, 0.5, (1 + level) / 2)

        def stats(x: np.ndarray) -> list[float]:
            low, median, high = np.quantile(x, q)
            return [float(low), float(high), float(median)]

        bids = self.bids.copy()
        for bid, measure in bids.index:
            bids.loc[(bid, measure), ["low", "high", "median"]] = stats(draws[f"{bid}: {measure}"])
        pairs = self.pairs.copy()
        for bid, other, measure in pairs.index:
            d = draws[f"{bid}: {measure}"] - draws[f"{other}: {measure}"]
            pairs.loc[(bid, other, measure), ["low", "high", "median", "p_ahead"]] = [*stats(d), float((d > 0).mean())]
        out = replace(self, level=level, bids=bids, pairs=pairs)
        out = replace(out, ranking=_ranking(out.bids, out.pairs, self.rank_by, level))
        if self.lots is None or self.lot_values is None or self.totals is None:
            return out
        lots = self.lots.copy()
        for lot, bid, measure in lots.index:
            lots.loc[(lot, bid, measure), ["low", "high", "median"]] = stats(self._on_lot(draws, lot, bid, measure))
        totals = self.totals.copy()
        for measure in MEASURES:
            whole = self.whole(draws, measure)
            lotted = self.lotted(draws, measure)
            totals.loc[(ONE_CONTRACT, measure), ["low", "high", "median"]] = stats(whole)
            totals.loc[(LOTS, measure), ["low", "high", "median"]] = stats(lotted)
            gain = lotted - whole
            ahead = float((gain > 0).mean())
            totals.loc[(LOTS_GAIN, measure), ["low", "high", "median", "p_ahead"]] = [*stats(gain), ahead]
        return replace(out, lots=lots, totals=totals)

    # --- draws on lots ------------------------------------------------------------------------------

    def _share(self, lot: str) -> float:
        assert self.lot_values is not None
        return float(self.lot_values.loc[lot, "value"]) / self.contract_value

    def _on_lot(self, draws: Mapping[str, np.ndarray], lot: str, bid: str, measure: str) -> np.ndarray:
        x = np.asarray(draws[f"{bid}: {measure}"], dtype=float)
        return x if measure == RATIO else x * self._share(lot)

    def whole(self, draws: Mapping[str, np.ndarray], measure: str) -> np.ndarray:
        """The whole contract to its winner: ``measure``'s draws (``draws`` as :meth:`with_draws`)."""
        assert self.award is not None
        return np.asarray(draws[f"{self.award}: {measure}"], dtype=float)

    def lotted(self, draws: Mapping[str, np.ndarray], measure: str) -> np.ndarray:
        """Every lot to its winner: ``measure``'s draws, added over the lots (LM3: weighted by the lots' values)."""
        assert self.lot_values is not None
        parts = [self._on_lot(draws, str(lot), str(row["award"]), measure) * (self._share(str(lot))
                 if measure == RATIO else 1.0) for lot, row in self.lot_values.iterrows()]  # fmt: skip
        return np.sum(parts, axis=0)

    # --- JSON -----------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (frames as :func:`kil_io.appraisal.jsonframes.frame_json`)."""
        return {f.name: frame_json(v) if isinstance(v := getattr(self, f.name), pd.DataFrame) else v
                for f in fields(self)}  # fmt: skip

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Tender:
        """The :class:`Tender` of :meth:`to_dict`'s output."""
        frames = {k: None if d.get(k) is None else frame_from_json(d[k]) for k in
                  ("bids", "pairs", "ranking", "lots", "lot_values", "totals")}  # fmt: skip
        return cls(contract_value=float(d["contract_value"]), rank_by=str(d["rank_by"]),
                   level=None if d["level"] is None else float(d["level"]), award=d.get("award"),
                   award_source=str(d.get("award_source", "")), **frames)  # fmt: skip


def tender_of(
    contract_value: float,
    figures: Mapping[str, Mapping[str, float]],
    *,
    rank_by: str = "fte_net",
    contract: Contract | None = None,
    names: Mapping[str, str] | None = None,
    on_lot: Mapping[tuple[str, str], Mapping[str, float]] | None = None,
) -> Tender:
    """The central comparison of bids (no ranges: see :meth:`Tender.with_draws`).

    Parameters
    ----------
    contract_value : float
        [£ a year].
    figures : mapping
        Bid name -> its :data:`MEASURES` at the contract's value (the appraisal model at every input's value).
    rank_by : str
        One of :data:`kil_io.appraisal.contract.RANK_MEASURES`.
    contract : Contract, optional
        A tender's contract: its bids for the whole and its lots (keys of ``names``).
    names : mapping, optional
        Provider key -> bid name (for ``contract``).
    on_lot : mapping, optional
        (lot, bid name) -> the bid's :data:`MEASURES` at the lot's value, evaluated by the model.

    Returns
    -------
    Tender
    """
    if rank_by not in RANK_MEASURES:
        raise ValueError(f"rank_by must be one of {RANK_MEASURES}, got {rank_by!r}")  # checked by Contract first
    bid_names = list(figures)
    bids = _frame({(b, m): figures[b][m] for b in bid_names for m in MEASURES}, ["bid", "measure"])
    differences = {(a, b, m): figures[a][m] - figures[b][m] for i, a in enumerate(bid_names)
                   for b in bid_names[i + 1:] for m in MEASURES}  # fmt: skip
    pairs = _frame(differences, ["bid", "other", "measure"], p_ahead=True)
    tender = Tender(contract_value=float(contract_value), rank_by=rank_by, level=None, bids=bids, pairs=pairs,
                    ranking=_ranking(bids, pairs, rank_by, None))  # fmt: skip
    if contract is None or not contract.lots:
        return tender
    if names is None or on_lot is None:
        raise ValueError("a contract with lots needs the bids' names and their figures on each lot")
    top = tender.ranking.index.tolist()

    def best(keys: Sequence[str]) -> str:
        return min((names[k] for k in keys), key=top.index)

    award = names[contract.award] if contract.award else best(contract.bids)
    lot_values = pd.DataFrame(
        {"value": [lot.value for lot in contract.lots],
         "award": [names[lot.award] if lot.award else _best_on(lot.name, [names[k] for k in lot.bids], on_lot,
                                                                rank_by) for lot in contract.lots],
         "award_source": ["given" if lot.award else "top-ranked" for lot in contract.lots]},
        index=pd.Index([lot.name for lot in contract.lots], name="lot"),
    )  # fmt: skip
    lots = _frame({(lot.name, names[k], m): on_lot[(lot.name, names[k])][m] for lot in contract.lots
                   for k in lot.bids for m in MEASURES}, ["lot", "bid", "measure"])  # fmt: skip
    lots["awarded"] = [float(lot_values.loc[lot, "award"] == bid) for lot, bid, _ in lots.index]
    whole = {m: figures[award][m] for m in MEASURES}
    lotted = {}
    for m in MEASURES:
        parts = [(on_lot[(str(lot), str(r["award"]))][m], float(r["value"])) for lot, r in lot_values.iterrows()]
        lotted[m] = (sum(x * v for x, v in parts) / contract.value.value) if m == RATIO else sum(x for x, _ in parts)
    rows = {(ONE_CONTRACT, m): whole[m] for m in MEASURES} | {(LOTS, m): lotted[m] for m in MEASURES}
    rows |= {(LOTS_GAIN, m): lotted[m] - whole[m] for m in MEASURES}
    totals = _frame(rows, ["scenario", "measure"], p_ahead=True)
    return replace(tender, lots=lots, lot_values=lot_values, totals=totals, award=award,
                   award_source="given" if contract.award else "top-ranked")  # fmt: skip


def _frame(values: Mapping[Any, float], names: list[str], *, p_ahead: bool = False) -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples(list(values), names=names)
    frame = pd.DataFrame({"value": list(values.values()), "low": np.nan, "high": np.nan, "median": np.nan},
                         index=index)  # fmt: skip
    if p_ahead:
        frame["p_ahead"] = np.nan
    return frame


def _best_on(lot: str, bids: Sequence[str], on_lot: Mapping[tuple[str, str], Mapping[str, float]],
             rank_by: str) -> str:  # fmt: skip
    """The lot's bid with the most of ``rank_by`` at the lot's value (the first in the file on a tie)."""
    return max(bids, key=lambda b: (on_lot[(lot, b)][rank_by], -list(bids).index(b)))


def _ranking(bids: pd.DataFrame, pairs: pd.DataFrame, rank_by: str, level: float | None) -> pd.DataFrame:
    """Rank = 1 + the bids ahead in at least ``level`` of the draws (central figures alone without ``level``)."""
    names = list(dict.fromkeys(bids.index.get_level_values("bid")))
    value = {b: float(bids.loc[(b, rank_by), "value"]) for b in names}

    def p(a: str, b: str) -> float:
        if (a, b, rank_by) in pairs.index:
            return float(pairs.loc[(a, b, rank_by), "p_ahead"])
        return 1.0 - float(pairs.loc[(b, a, rank_by), "p_ahead"])

    rows = {}
    for b in names:
        others = [o for o in names if o != b]
        if level is None:  # central figures only: no way to say how sure
            ahead_of = [o for o in others if value[b] > value[o]]
            behind = [o for o in others if value[o] > value[b]]
        else:
            ahead_of = [o for o in others if p(b, o) >= level]
            behind = [o for o in others if p(o, b) >= level]
        tied = [o for o in others if o not in ahead_of and o not in behind]
        # the rank is a float, as JSON reads it back
        rows[b] = {"rank": float(1 + len(behind)), "value": value[b], "low": float(bids.loc[(b, rank_by), "low"]),
                   "high": float(bids.loc[(b, rank_by), "high"]), "ahead_of": "; ".join(ahead_of),
                   "behind": "; ".join(behind), "tied_with": "; ".join(tied)}  # fmt: skip
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "bid"
    order = sorted(names, key=lambda b: (rows[b]["rank"], -value[b], names.index(b)))
    return frame.loc[order]


__all__ = ["LOTS", "LOTS_GAIN", "MEASURES", "ONE_CONTRACT", "UNITS", "Tender", "tender_of"]
