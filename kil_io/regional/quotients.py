r"""Location quotients and the regionalisation of a national table to a local area.

No official input-output table exists below Scotland, Wales and Northern Ireland, so a
local table is estimated from the national one: a regional industry buys locally the
share ``min(1, LQ_ij)`` of what the national industry buys from industry ``i``, and the
rest is imported from the rest of the country. The location quotients ``LQ_ij``
(supplier ``i``, buyer ``j``) come from employment:

- SLQ: :math:`SLQ_i = (RE_i / RE) / (NE_i / NE)`, applied row-wise;
- CILQ (Smith & Morrison 1974): :math:`CILQ_{ij} = SLQ_i / SLQ_j`, :math:`SLQ_i` on the diagonal;
- FLQ (Flegg & Webber 1997): :math:`FLQ_{ij} = \lambda^* CILQ_{ij}`, :math:`FLQ_{ii} = \lambda^* SLQ_i`,
  :math:`\lambda^* = [\log_2(1 + RE/NE)]^\delta`, :math:`0 \le \delta < 1`;
- AFLQ (Flegg & Webber 2000): :math:`AFLQ_{ij} = FLQ_{ij} \log_2(1 + SLQ_j)` where
  :math:`SLQ_j > 1`, else :math:`FLQ_{ij}`.

``RE``/``NE`` are regional/national employment, by industry (subscript) or in total.

Conventions (documented, never silent):

- An industry with no national employment (owner-occupiers' imputed rent, ``L68A``,
  employs no one) has no SLQ of its own; it is taken to be present in the region in
  proportion to the region's size: ``SLQ = 1``, regional output ``x_j * RE/NE``.
- A buyer absent from the region (``SLQ_j = 0``) has an undefined ``CILQ_ij``, returned
  as NaN; it has no output, so its column of the regional table is zero whatever the value.

Households buy from the region by a rule of their own (:func:`household_purchase_coefficients`):
by default ``"local_services"``, services (SIC 2007 sections G to U) bought in the region up to
its capacity, :math:`\min(1, SLQ_i)`, and goods (sections A to F) as an industry of the region
buys them (FLQ: :math:`\min(1, \lambda^* SLQ_i)`): with no parameter of its own, within 0.1 pp of the
rule closest to Scottish households' purchases (Scottish Government tables 2015-2019,
``data/household_purchases_fit.csv``).

Every batched function works on stacked arrays (regions x sectors x sectors) with one
LAPACK solve per region, and equals the region-by-region result (tested).

References
----------
Flegg, A. T. & Webber, C. D. (1997). On the appropriate use of location quotients in
generating regional input-output tables: reply. *Regional Studies* 31(8), 795-805.
Flegg, A. T. & Webber, C. D. (2000). Regional size, regional specialization and the FLQ
formula. *Regional Studies* 34(6), 563-569.
Miller & Blair (2009), section 8.3 (location quotients).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np

from kil_io.errors import RegionError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]
    BoolArray = NDArray[np.bool_]

Method = Literal["slq", "cilq", "flq", "aflq"]
METHODS: tuple[Method, ...] = ("slq", "cilq", "flq", "aflq")
#: kil_io's default FLQ/AFLQ delta: the delta with the least weighted error over every fit of the UK table
#: regionalised to Scotland against the Scottish Government's own tables, 2015-2019
#: (``data/delta_calibration.csv``, :func:`kil_io.regional.calibration.summarise_fit`; a test checks it is the
#: shipped fit's). Flegg & Webber's common choice, 0.3, fits worse there: weighted error 7.2-8.4% held out,
#: against 6.5-6.9% at the delta fitted on the other years (0.2 or 0.225).
DEFAULT_DELTA = 0.225
#: Name of the final-demand column that closes a regional table's rows: exports to the
#: rest of the UK and the world, government, investment and non-household consumption.
OTHER_FINAL_DEMAND = "exports_and_other"

HouseholdRule = Literal["local_services", "as_industry", "slq"]
HOUSEHOLD_RULES: tuple[HouseholdRule, ...] = ("local_services", "as_industry", "slq")
#: SIC 2007 sections whose output households buy where they live, up to the area's capacity, under
#: ``"local_services"`` (G to U: trade, transport, accommodation and food, information, finance, real estate,
#: business, public and personal services).
SERVICE_SECTIONS = frozenset("GHIJKLMNOPQRSTU")
_SECTION_CODE = re.compile(r"[A-U]\d")


def check_method(method: object, delta: object) -> Method:
    """Validate a regionalisation method and FLQ ``delta``; raise ``RegionError`` if bad.

    Both may be anything (a case file's or a notebook parameter's value): this is where they are checked.
    """
    if method not in METHODS:
        raise RegionError(f"unknown location-quotient method {method!r}; expected one of {list(METHODS)}")
    number = isinstance(delta, int | float | np.integer | np.floating) and not isinstance(delta, bool | np.bool_)
    if not number or not isinstance(delta, int | float | np.integer | np.floating) or not 0 <= delta < 1:
        raise RegionError(f"delta must be a number in [0, 1), got {delta!r}")
    return method


def check_household_rule(rule: object) -> HouseholdRule:
    """Validate the name of a household purchase rule; raise ``RegionError`` if unknown."""
    if rule not in HOUSEHOLD_RULES:
        raise RegionError(f"unknown household purchase rule {rule!r}; expected one of {list(HOUSEHOLD_RULES)}")
    return rule


def household_services(sectors: Sequence[str]) -> BoolArray:
    """Which sectors are services under ``"local_services"``: codes that begin with a SIC 2007 section G to U.

    A code names its section by a letter and a digit, as ONS's IOAT (``G47``, ``Q87 & Q88``) and CPA codes do;
    a code that does not (``"IOC098_053"``, ``"a"``) counts as goods [bool].
    """
    return np.array([bool(_SECTION_CODE.match(s)) and s[0] in SERVICE_SECTIONS for s in sectors], dtype=bool)


def household_purchase_coefficients(
    slq: FloatArray, lam: FloatArray, rule: HouseholdRule, method: Method, services: BoolArray
) -> FloatArray:
    r"""Share of households' purchases of each (national) product bought from the region, before the supply cap.

    Parameters
    ----------
    slq : ndarray, (R, n)
        Simple location quotients by region and sector [ratio].
    lam : ndarray, (R,)
        The industries' FLQ :math:`\lambda^*` (read under FLQ/AFLQ) [ratio].
    rule : {"local_services", "as_industry", "slq"}
        ``"local_services"`` (default of :func:`~kil_io.regional.regionalise`): services
        :math:`\min(1, SLQ_i)`; goods as ``"as_industry"``. ``"as_industry"`` (kil_io's rule
        before ``"local_services"``): households a buying sector with SLQ = 1 under the table's
        method, :math:`\min(1, \lambda^* SLQ_i)` for FLQ/AFLQ, :math:`\min(1, SLQ_i)` for
        SLQ/CILQ. ``"slq"``: :math:`\min(1, SLQ_i)` for every product.
    method : {"slq", "cilq", "flq", "aflq"}
        The industries' method.
    services : ndarray of bool, (n,)
        Sectors that are services (:func:`household_services`).

    Returns
    -------
    ndarray, (R, n)
        Regional purchase coefficients in [0, 1] [share].

    Notes
    -----
    Checked on Scotland (8% of Great Britain's employment), the one UK region with survey-based
    tables: Scottish households bought 82% of their UK-made purchases in Scotland in 2019 (71%
    counting every purchase from a rest-of-UK supplier as rest-of-UK output), services close to
    :math:`\min(1, SLQ_i)`, goods close to :math:`\min(1, \lambda^* SLQ_i)`.
    ``data/household_purchases_fit.csv`` has each rule's errors; ``data/README.md`` says how far the
    rule carries to a local authority (0.3% of Great Britain's employment).

    Examples
    --------
    >>> slq = np.array([[2.0, 0.5]])
    >>> household_purchase_coefficients(slq, np.array([0.25]), "local_services", "flq",
    ...                                 np.array([False, True]))
    array([[0.5, 0.5]])
    """
    if rule == "slq" or method in ("slq", "cilq"):
        return np.minimum(1.0, slq)
    goods = np.minimum(1.0, lam[:, None] * slq)
    if rule == "as_industry":
        return goods
    return np.where(services[None, :], np.minimum(1.0, slq), goods)


def flq_lambda(regional_total: float | FloatArray, national_total: float, delta: float | FloatArray) -> FloatArray:
    """Flegg's regional-size scalar ``lambda* = [log2(1 + RE/NE)]^delta``.

    Parameters
    ----------
    regional_total, national_total : float or ndarray
        Employment of the region(s) and of the nation, on one basis [jobs] or [FTE].
    delta : float or ndarray
        FLQ exponent in [0, 1) (unit-free).

    Returns
    -------
    ndarray
        ``lambda*``, in (0, 1] for a region smaller than the nation [ratio].

    Examples
    --------
    >>> round(float(flq_lambda(3.0, 100.0, 0.3)), 6)
    0.388113
    """
    return np.log2(1.0 + np.asarray(regional_total, dtype=float) / national_total) ** np.asarray(delta, dtype=float)


# ---------------------------------------------------------------------- arrays (batched over regions)
def _slq(re: FloatArray, ne: FloatArray) -> FloatArray:
    """SLQ by region and sector, shape (R, n); 1 where national employment is 0 (see module notes)."""
    size = re.sum(axis=1, keepdims=True) / ne.sum()
    share = np.divide(re, ne, out=np.broadcast_to(size, re.shape).copy(), where=ne > 0)
    return share / size


def _lq(slq: FloatArray, lam: FloatArray, method: Method) -> FloatArray:
    """Location quotients LQ[r, i, j], shape (R, n, n)."""
    R, n = slq.shape
    if method == "slq":
        return np.broadcast_to(slq[:, :, None], (R, n, n)).copy()
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lq = slq[:, :, None] / slq[:, None, :]
    lq[np.broadcast_to(slq[:, None, :] == 0, lq.shape)] = np.nan
    diag = np.arange(n)
    lq[:, diag, diag] = slq
    if method in ("flq", "aflq"):
        lq *= lam[:, None, None]
    if method == "aflq":
        with np.errstate(invalid="ignore"):
            lq *= np.where(slq > 1, np.log2(1.0 + slq), 1.0)[:, None, :]
    return lq


def _regional_coefficients(A: FloatArray, slq: FloatArray, lam: FloatArray, method: Method) -> FloatArray:
    """``min(1, LQ) * A`` for every region, shape (R, n, n), built in one buffer.

    The same numbers as ``_lq`` then ``np.where(isnan(lq), 0, minimum(1, lq)) * A`` (to
    rounding), in three passes over the (R, n, n) array and with no temporaries of that
    size: ``LQ_ij = (lambda* SLQ_i) * (1 / SLQ_j)`` is an outer product of two (R, n)
    vectors. A buyer with no regional employment (LQ undefined) buys nothing locally.
    """
    R, n = slq.shape
    out = np.empty((R, n, n))
    if method == "slq":
        out[:] = slq[:, :, None]
    else:
        supplier = slq * lam[:, None] if method in ("flq", "aflq") else slq
        buyer = np.zeros_like(slq)  # 1 / SLQ_j, and 0 for a buyer absent from the region
        np.divide(1.0, slq, out=buyer, where=slq > 0)
        if method == "aflq":
            buyer *= np.where(slq > 1, np.log2(1.0 + slq), 1.0)
        np.multiply(supplier[:, :, None], buyer[:, None, :], out=out)  # one pass, no division
        diag = np.arange(n)
        out[:, diag, diag] = supplier * (buyer * slq)  # lambda* SLQ_i (times the AFLQ factor)
    np.minimum(out, 1.0, out=out)
    out *= A
    return out
