r"""Where an authority's workers live: the workplace -> home matrix that routes pay in a Type II model.

Column ``s`` of ``P`` is the share of the people working in authority ``s`` who live in each authority
(``P[h, s]``, columns summing to 1), so pay earned in ``s`` reaches households by ``P``. It is built
from what kil_io ships:

* **England and Wales workplaces**: Census 2021 ODWP01EW, people travelling to a workplace
  (``commuting_flows_lad.csv.gz``); the column is the census's flows into the workplace over their total,
  so ``P[s, s]`` is exactly the resident share a single authority's Type II uses
  (:func:`kil_io.datasets.resident_share`). People living in Scotland who work in England and Wales are
  not in ODWP01EW (a few thousand, mostly across the Border) and are left out.
* **Scottish workplaces** (Scotland's 2022 census flows are not shipped): ``P[s, s]`` is the resident
  share of kil_io's model (:mod:`kil_io.datasets.commuting_model`), again the single authority's; the
  census's people from England and Wales travelling to a workplace there, over an estimate of the people
  travelling to a workplace there (BRES jobs times England and Wales's people travelling to a workplace
  per BRES job), go to their English and Welsh homes; the rest live in the other Scottish authorities,
  in proportion to population times :math:`d^{-\gamma}`. ``gamma`` is fitted by maximum likelihood on
  England and Wales's flows between authorities (:func:`fit_commuting_decay`; 2.8 on the shipped data,
  a steeper decay than trade's: people travel to work, goods travel to people).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.optimize import minimize_scalar

from kil_io.errors import ModelError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]
    BoolArray = NDArray[np.bool_]

#: Bounds of the commuting decay searched by :func:`fit_commuting_decay` [ratio].
GAMMA_BOUNDS: tuple[float, float] = (0.5, 6.0)


@dataclass(frozen=True)
class CommutingFit:
    """The distance decay of commuting between authorities, fitted on census flows.

    Attributes
    ----------
    gamma : float
        Exponent of ``population x d^-gamma`` [ratio].
    flows : int
        People counted off the diagonal (the likelihood's weight) [persons].
    pairs : int
        Home-workplace pairs in the fit.
    """

    gamma: float
    flows: int
    pairs: int


def fit_commuting_decay(counts: FloatArray, covered: BoolArray, population: FloatArray, distance: FloatArray
                        ) -> CommutingFit:  # fmt: skip
    r"""Maximum-likelihood ``gamma`` of where out-of-area workers live, ``p(h | s) ∝ P_h d_{hs}^{-gamma}``.

    Parameters
    ----------
    counts : ndarray, shape (R, R)
        People living in ``h`` (row) travelling to a workplace in ``s`` (column) [persons].
    covered : ndarray of bool, shape (R,)
        Authorities whose residents the census counts (homes and workplaces of the fit).
    population : ndarray, shape (R,)
        [persons].
    distance : ndarray, shape (R, R)
        [km].

    Returns
    -------
    CommutingFit

    Notes
    -----
    The multinomial log-likelihood of the flows into each covered workplace from the other covered
    homes, :math:`\sum_s \sum_{h \ne s} F_{hs} \log p(h \mid s)`, maximised over ``gamma`` in
    :data:`GAMMA_BOUNDS` (Wilson 1971's production-constrained model with a power decay).
    """
    mask = covered[:, None] & covered[None, :] & ~np.eye(len(covered), dtype=bool)
    F = np.where(mask, counts, 0.0)
    logd = np.log(np.where(mask, distance, 1.0))
    logp = np.log(np.maximum(population, 1e-300))[:, None]
    used = mask.any(axis=0, keepdims=True)

    def negative(gamma: float) -> float:
        z = np.where(mask, logp - gamma * logd, -np.inf)
        top = np.where(used, z.max(axis=0, keepdims=True), 0.0)  # a workplace column with no home in the fit: 0
        log_total = top + np.log(np.maximum(np.exp(z - top).sum(axis=0, keepdims=True), 1e-300))
        return -float(np.sum(F * np.where(mask, z - log_total, 0.0)))

    best = minimize_scalar(negative, bounds=GAMMA_BOUNDS, method="bounded", options={"xatol": 1e-6})
    return CommutingFit(gamma=float(best.x), flows=int(F.sum()), pairs=int(np.count_nonzero(F)))


def commuting_matrix(
    counts: FloatArray,
    covered: BoolArray,
    resident_share: FloatArray,
    travellers: FloatArray,
    population: FloatArray,
    distance: FloatArray,
    gamma: float,
    *,
    codes: Sequence[str] = (),
) -> FloatArray:
    """The workplace -> home matrix ``P`` (see the module notes).

    Parameters
    ----------
    counts : ndarray, shape (R, R)
        Census people living in ``h`` travelling to a workplace in ``s`` (homes in ``covered`` authorities
        only) [persons].
    covered : ndarray of bool, shape (R,)
        Authorities whose residents the census counts: their workplace columns are the census's own.
    resident_share : ndarray, shape (R,)
        Share of each workplace's jobs held by its residents, used where ``covered`` is False [share].
    travellers : ndarray, shape (R,)
        Estimated people travelling to a workplace there, used where ``covered`` is False [persons].
    population : ndarray, shape (R,)
        [persons].
    distance : ndarray, shape (R, R)
        [km].
    gamma : float
        Commuting decay (:func:`fit_commuting_decay`) [ratio].
    codes : sequence of str, optional
        The authorities' codes, to name them in errors (default: by position).

    Returns
    -------
    ndarray, shape (R, R)
        Non-negative, columns summing to 1 [share].

    Raises
    ------
    ModelError
        A covered workplace with no census flow into it; a resident share outside [0, 1].
    """
    R = len(covered)
    name = (lambda k: str(codes[k])) if len(codes) == R else (lambda k: f"at position {k}")
    P = np.zeros((R, R))
    inflow = counts.sum(axis=0)
    for s in np.flatnonzero(covered):
        if inflow[s] <= 0:
            raise ModelError(f"authority {name(s)} has census commuting but nobody travelling to a workplace in it")
        P[:, s] = counts[:, s] / inflow[s]
    others = ~covered
    off = ~np.eye(R, dtype=bool)
    gravity = np.where(others[:, None] & off, population[:, None] * np.where(off, distance, 1.0) ** -gamma, 0.0)
    for s in np.flatnonzero(others):
        share = float(resident_share[s])
        if not 0 <= share <= 1:
            raise ModelError(f"authority {name(s)}: resident share {share!r} is not in [0, 1]")
        known = np.where(covered, counts[:, s], 0.0) / travellers[s]
        room = 1.0 - share
        if known.sum() > room:  # the census's in-commuters cannot exceed the jobs not held by residents
            known *= room / known.sum()
        rest = room - known.sum()
        weights = gravity[:, s]
        P[:, s] = known
        if rest > 0:
            if weights.sum() <= 0:
                P[s, s] += rest  # no other authority to live in: an island with no uncounted neighbour
            else:
                P[:, s] += rest * weights / weights.sum()
        P[s, s] += share
    return P
