r"""Trade shares between authorities: separable gravity with distance decay, and who buys locally what.

An authority ``s`` buys ``N_s = A - A^l_s`` per £ of its output from the rest of the UK (the national
coefficients less its own FLQ local ones). Industry ``i``'s part of it is supplied by the other
authorities ``r`` in proportion to their output of ``i`` and a decay in the distance between them:

.. math::

    t_{r \leftarrow s, i} = \frac{q_{r,i}\, d_{rs}^{-\beta_i}}{W_{s,i}}, \qquad
    W_{s,i} = \sum_{r' \ne s} q_{r',i}\, d_{r's}^{-\beta_i}, \qquad
    \sum_{r \ne s} t_{r \leftarrow s, i} = 1,

with ``q`` the authorities' output [£m] and ``d`` the root-mean-square distance between their postcodes
[km] (:mod:`~kil_io.regional.interregional.geography`). The shares are *separable*: the flow from every
buyer to ``r`` is ``q_r`` times one ``R x R`` decay matrix applied to the buyers' purchases divided by
``W``, so applying them costs one matrix product per decay group and never an ``R x R x n`` array.

**The decay parameter** ``beta`` (default :data:`DEFAULT_BETA` = 1.0) is the elasticity of trade with
distance. Gravity studies of trade put it close to 1: Disdier & Head's (2008) meta-analysis of 1,467
estimates from 103 papers finds a mean of about 0.9, with the bulk of estimates between about 0.5 and
1.5; Head & Mayer's (2014) survey gives a median of 0.89 over all gravity estimates and 1.14 over
structural ones; trade within a country falls off with distance at least as steeply as between countries
(Wolf 2000, US states; Hillberry & Hummels 2008, US shipments by postcode). No public table of trade
between UK authorities exists to fit it on, so 1.0 is used and drawn over :data:`BETA_RANGE` (0.6 to
1.5) in a case's ranges; ``scripts/interregional_check.py`` shows how the Scottish check moves with it.

**Locality rules** (:data:`LOCALITY`, :func:`locality`): the decay is steeper for what is bought where it
is made. ``beta_i = factor x beta`` with the factor of the industry's group:

* ``"local"`` (x2, Reilly's 1931 law of retail gravitation has distance squared; Huff's 1964 shopping
  model exponents are about 2): construction; motor trade and retail; accommodation and food service;
  real estate, including owner-occupiers' imputed rent; rental; security and services to buildings;
  veterinary; public administration; education; health and social care; arts, sport, gambling and
  recreation; membership organisations, repairs and personal services; households as employers. A
  council's care contract, a school's cleaning or an office's building repairs are bought from
  providers within reach.
* ``"regional"`` (x1.5): utilities (electricity and gas distribution, water, sewerage, waste), which
  run on regional networks and franchises; land transport, warehousing and employment agencies, which
  serve a region from depots and branches; quarrying and cement and concrete, heavy goods that travel
  short distances.
* ``"traded"`` (x1): everything else, goods and the services sold across the country (wholesale,
  rail, water and air transport, post, information and communication, finance, professional services).

Non-traded services are also those the FLQ buys locally in the first place: the rule decides where
the *rest* goes.

References
----------
Chenery, H. B. (1953). Regional analysis. In Chenery, Clark & Cao-Pinna, *The Structure and Growth of
the Italian Economy*, 97-129. Moses, L. N. (1955). The stability of interregional trading patterns and
input-output analysis. *American Economic Review* 45(5), 803-832. Miller, R. E. & Blair, P. D. (2009).
*Input-Output Analysis*, 2nd ed., section 3.4 (multiregional models). Disdier, A.-C. & Head, K. (2008).
The puzzling persistence of the distance effect on bilateral trade. *Review of Economics and Statistics*
90(1), 37-48. Head, K. & Mayer, T. (2014). Gravity equations: workhorse, toolkit, and cookbook.
*Handbook of International Economics* 4, 131-195. Wolf, H. C. (2000). Intranational home bias in trade.
*Review of Economics and Statistics* 82(4), 555-563. Hillberry, R. & Hummels, D. (2008). Trade responses
to geographic frictions: a decomposition using micro-data. *European Economic Review* 52(3), 527-550.
Reilly, W. J. (1931). *The Law of Retail Gravitation*. Huff, D. L. (1964). Defining and estimating a
trading area. *Journal of Marketing* 28(3), 34-38. Wilson, A. G. (1971). A family of spatial interaction
models. *Environment and Planning* 3, 1-32 (the models estios, Alan Turing Institute, builds on).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np

from kil_io.errors import RegionError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]

Locality = Literal["traded", "regional", "local"]
#: The decay groups, in the order of a system's decay matrices.
LOCALITIES: tuple[Locality, ...] = ("traded", "regional", "local")
#: Each group's multiple of ``beta`` (see the module notes for why).
LOCALITY_FACTORS: dict[Locality, float] = {"traded": 1.0, "regional": 1.5, "local": 2.0}
#: Industries (ONS IOAT codes, or their first letters: a SIC 2007 section) bought near where they are made.
LOCALITY: dict[Locality, tuple[str, ...]] = {
    "local": ("F", "G45", "G47", "I", "L", "N77", "N80", "N81", "M75", "O", "P", "Q", "R", "S", "T"),
    "regional": ("D", "E", "H493T495", "H52", "N78", "B08", "C235_6"),
}
#: kil_io's distance decay: trade's elasticity with distance (see the module notes) [ratio].
DEFAULT_BETA = 1.0
#: The range drawn for a case's ranges: low, most likely, high (triangular) [ratio].
BETA_RANGE: tuple[float, float, float] = (0.6, DEFAULT_BETA, 1.5)
#: Largest ``beta`` accepted: steeper than ``d^-5`` an authority buys almost everything from its nearest
#: neighbour, far beyond any estimate in the literature.
MAX_BETA = 5.0


def check_beta(beta: object) -> float:
    """Validate the distance decay ``beta``: a real number in [0, :data:`MAX_BETA`].

    Parameters
    ----------
    beta : object
        The value given (a notebook parameter, a case file's figure).

    Returns
    -------
    float
        ``beta`` [ratio].

    Raises
    ------
    RegionError
        Not a number, not finite, negative (trade growing with distance) or above :data:`MAX_BETA`.
    """
    real = isinstance(beta, int | float | np.integer | np.floating) and not isinstance(beta, bool | np.bool_)
    if not real or not np.isfinite(float(beta)):  # type: ignore[arg-type]
        raise RegionError(f"distance decay beta must be a finite number, got {beta!r}")
    value = float(beta)  # type: ignore[arg-type]
    if value < 0:
        raise RegionError(
            f"distance decay beta must be >= 0, got {value:g}: a negative beta makes trade grow with distance"
        )
    if value > MAX_BETA:
        raise RegionError(
            f"distance decay beta must be <= {MAX_BETA:g}, got {value:g}: steeper than d^-{MAX_BETA:g} an authority "
            "buys nearly everything from its nearest neighbour (published estimates are about 0.5-1.5)"
        )
    return value


def locality(sector: str) -> Locality:
    """The decay group of an industry code (:data:`LOCALITY`; ``"traded"`` when no rule names it).

    Examples
    --------
    >>> locality("Q87 & Q88"), locality("D351"), locality("C29")
    ('local', 'regional', 'traded')
    """
    group: Locality
    for group in ("local", "regional"):
        for prefix in LOCALITY[group]:
            if sector.startswith(prefix) and (len(prefix) > 1 or sector[1:2].isdigit()):
                return group
    return "traded"


def locality_index(sectors: Sequence[str]) -> NDArray[np.intp]:
    """Position in :data:`LOCALITIES` of each sector's group (:func:`locality`)."""
    return np.array([LOCALITIES.index(locality(s)) for s in sectors], dtype=np.intp)


def decay_matrices(distance: FloatArray, beta: float) -> FloatArray:
    """``d^-(factor beta)`` between authorities for each locality group, zero on the diagonal.

    Parameters
    ----------
    distance : ndarray, shape (R, R)
        Distances between authorities, positive off the diagonal [km].
    beta : float
        The decay (:func:`check_beta`) [ratio].

    Returns
    -------
    ndarray, shape (3, R, R)
        One matrix per :data:`LOCALITIES` group [km^-beta].

    Raises
    ------
    RegionError
        A distance off the diagonal that is not positive and finite.
    """
    beta = check_beta(beta)
    d = np.asarray(distance, dtype=np.float64)
    off = ~np.eye(d.shape[0], dtype=bool)
    if not np.all(np.isfinite(d[off]) & (d[off] > 0)):
        raise RegionError("distances between different authorities must be positive and finite")
    safe = np.where(off, d, 1.0)
    return np.stack([np.where(off, safe ** -(LOCALITY_FACTORS[g] * beta), 0.0) for g in LOCALITIES])


def trade_denominators(decay: FloatArray, groups: NDArray[np.intp], supply: FloatArray) -> FloatArray:
    """``W[s, i] = sum_{r != s} q[r, i] g_i(d_rs)``: what buyer ``s``'s shares of industry ``i`` are divided by.

    Parameters
    ----------
    decay : ndarray, shape (G, R, R)
        :func:`decay_matrices` (``decay[g, r, s]``: from supplier ``r`` to buyer ``s``).
    groups : ndarray of int, shape (n,)
        Each industry's group.
    supply : ndarray, shape (R, n)
        Authorities' output ``q`` [£m].

    Returns
    -------
    ndarray, shape (R, n)
        [£m km^-beta]; 0 where no other authority makes the industry.
    """
    W = np.empty_like(supply)
    for g in range(decay.shape[0]):
        cols = groups == g
        W[:, cols] = decay[g].T @ supply[:, cols]
    return W


def trade_shares(decay: FloatArray, groups: NDArray[np.intp], supply: FloatArray, buyer: int) -> FloatArray:
    """Shares ``t[r, i]`` of buyer ``buyer``'s purchases of each industry from the rest of the UK, by supplier.

    Parameters
    ----------
    decay, groups, supply
        As :func:`trade_denominators`.
    buyer : int
        The buying authority's position.

    Returns
    -------
    ndarray, shape (R, n)
        Columns sum to 1 where another authority makes the industry, else 0; row ``buyer`` is 0 [share].
    """
    weights = decay[groups, :, buyer].T * supply  # (R, n): q[r, i] g_i(d_r,buyer)
    total = weights.sum(axis=0)
    return np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
