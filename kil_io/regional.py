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

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from kil_io.errors import LabelError, ModelError, NegativeFlowError, NonNumericError, NotProductiveError, RegionError
from kil_io.leontief import _getrf, _getrs
from kil_io.multipliers import (
    Kind,
    check_kind,
    closed_system,
    direct_coefficients,
    effects_frame,
    household_income_total,
    warn_missing,
)
from kil_io.table import HOUSEHOLDS, IOTable

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]

Method = Literal["slq", "cilq", "flq", "aflq"]
METHODS: tuple[str, ...] = ("slq", "cilq", "flq", "aflq")
#: Name of the final-demand column that closes a regional table's rows: exports to the
#: rest of the UK and the world, government, investment and non-household consumption.
OTHER_FINAL_DEMAND = "exports_and_other"


def check_method(method: str, delta: float) -> Method:
    """Validate a regionalisation method and FLQ ``delta``; raise ``RegionError`` if bad."""
    if method not in METHODS:
        raise RegionError(f"unknown location-quotient method {method!r}; expected one of {list(METHODS)}")
    number = isinstance(delta, int | float | np.integer | np.floating) and not isinstance(delta, bool | np.bool_)
    if not (number and 0 <= delta < 1):
        raise RegionError(f"delta must be a number in [0, 1), got {delta!r}")
    return method  # type: ignore[return-value]


def flq_lambda(regional_total: float | FloatArray, national_total: float, delta: float | FloatArray) -> FloatArray:
    """Flegg's regional-size scalar ``lambda* = [log2(1 + RE/NE)]^delta``.

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


@dataclass(frozen=True)
class _Regions:
    """Everything regionalisation derives from employment, stacked over R regions."""

    slq: FloatArray  # (R, n)
    lam: FloatArray  # (R,)
    share: FloatArray  # (R, n): regional output / national output
    A: FloatArray  # (R, n, n) regional technical coefficients
    rpc: FloatArray  # (R, n) household regional purchase coefficients
    capped: FloatArray  # (R, n) factor applied to a row to keep local use within output (1 = none)


def _regions(
    national: IOTable,
    re: FloatArray,
    ne: FloatArray,
    method: Method,
    deltas: FloatArray,
    household_income: float | None,
    household_rpc: FloatArray | None = None,
) -> _Regions:
    slq = _slq(re, ne)
    lam = flq_lambda(re.sum(axis=1), ne.sum(), deltas)
    A = _regional_coefficients(national.A, slq, lam, method)
    share = slq * (re.sum(axis=1, keepdims=True) / ne.sum())
    if household_rpc is not None:
        rpc = np.broadcast_to(household_rpc, slq.shape).copy()
    elif method in ("flq", "aflq"):
        rpc = np.minimum(1.0, lam[:, None] * slq)
    else:
        rpc = np.minimum(1.0, slq)
    # Supply constraint: local intermediate and household use of a sector's output cannot
    # exceed that output (else "exports and other" would be negative). Where it would,
    # the sector's local purchase coefficients (row of A, household rpc) are scaled down.
    x = share * national.output
    hc = national.households / household_income_total(national, household_income)
    pay = x @ national.per_output(national.income)
    use = np.einsum("rij,rj->ri", A, x) + rpc * hc * pay[:, None]
    capped = np.ones_like(use)
    np.divide(x, use, out=capped, where=use > x * (1 + 1e-12))
    if (capped < 1).any():
        A *= capped[:, :, None]
        rpc *= capped
    return _Regions(slq=slq, lam=lam, share=share, A=A, rpc=rpc, capped=capped)


def _national_employment(
    national: IOTable, national_employment: pd.Series | None, regional: pd.Series | pd.DataFrame
) -> pd.Series:
    if national_employment is not None:
        return national_employment
    basis = getattr(regional, "attrs", {}).get("basis")
    if basis:
        raise RegionError(
            f"regional employment is {basis}; pass national_employment= on the same basis (e.g. "
            "kil_io.datasets.national_employment(year)) rather than the national table's own FTE"
        )
    if national.employment is None:
        raise ModelError(
            f"table {national.label} has no employment; pass national_employment= (same basis as the regional)"
        )
    return pd.Series(national.employment, index=national.sectors)


def _employment_matrix(
    sectors: tuple[str, ...], regional: pd.Series | pd.DataFrame, national: pd.Series
) -> tuple[FloatArray, FloatArray, list[str]]:
    """Validate and align employment: regional (R, n), national (n,), area names."""
    if isinstance(regional, pd.DataFrame):
        frame, areas = regional, [str(a) for a in regional.index]
    else:
        frame, areas = regional.to_frame().T, [str(regional.name or "region")]
    ne = _aligned(national.to_frame().T, sectors, ["national employment"])[0]
    re = _aligned(frame, sectors, [f"regional employment of '{a}'" for a in areas])
    if ne.sum() <= 0:
        raise RegionError("national employment is zero in every sector")
    bigger = re > ne * (1 + 1e-9) + 1e-9
    if bigger.any():
        r, i = np.argwhere(bigger)[0]
        raise RegionError(
            f"'{areas[r]}' has more employment in sector '{sectors[i]}' ({re[r, i]:,.6g}) than the "
            f"nation ({ne[i]:,.6g}); a region must be part of the nation (same basis and year?)"
        )
    totals = re.sum(axis=1)
    empty = np.flatnonzero(totals <= 0)
    if empty.size:
        raise RegionError(f"'{areas[empty[0]]}' has no employment in any sector")
    if (totals >= ne.sum()).any():
        r = int(np.argmax(totals))
        raise RegionError(
            f"'{areas[r]}' employs {totals[r]:,.6g}, not less than the nation's {ne.sum():,.6g}; "
            "a region must be smaller than the nation"
        )
    return re, ne, areas


def _aligned(frame: pd.DataFrame, sectors: tuple[str, ...], what: list[str], noun: str = "employment") -> FloatArray:
    """Rows of ``frame`` as floats in ``sectors`` order; clear errors for bad codes or values."""
    got = [str(s) for s in frame.columns]
    if sorted(got) != sorted(sectors) or len(set(got)) != len(got):
        extra = sorted(set(got) - set(sectors))
        missing = sorted(set(sectors) - set(got))
        raise LabelError(
            f"{what[0]}: sector codes differ from the table's: not in the table {extra[:5]}, "
            f"missing {missing[:5]}" + ("; codes repeated" if len(set(got)) != len(got) else "")
        )
    frame = frame.set_axis(got, axis=1)[list(sectors)]
    try:
        values = frame.to_numpy(dtype=float)
    except (TypeError, ValueError):
        values = frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        r, i = np.argwhere(bad)[0]
        value = frame.iat[r, i]
        shown = repr(value) if isinstance(value, str) else str(value)
        raise NonNumericError(f"{what[r]}: sector '{sectors[i]}' is {shown}, not a finite number")
    if (values < 0).any():
        r, i = np.argwhere(values < 0)[0]
        raise NegativeFlowError(f"{what[r]}: sector '{sectors[i]}' is {values[r, i]:g}; {noun} cannot be negative")
    return values


def _rpc_array(sectors: tuple[str, ...], household_rpc: pd.Series | None, re: FloatArray) -> FloatArray | None:
    if household_rpc is None:
        return None
    rpc = _aligned(household_rpc.to_frame().T, sectors, ["household_rpc"], "a purchase coefficient")[0]
    if (rpc > 1).any():
        s = sectors[int(np.argmax(rpc))]
        raise RegionError(f"household_rpc for sector '{s}' is {rpc.max():g}; purchase coefficients are in [0, 1]")
    absent = (rpc[None, :] > 0) & (re == 0)
    if absent.any():
        r, i = np.argwhere(absent)[0]
        raise RegionError(
            f"household_rpc buys {rpc[i]:g} of sector '{sectors[i]}' locally, but region {r} has no "
            "employment (so no output) in it"
        )
    return rpc


# ---------------------------------------------------------------------- public API
def location_quotients(
    regional_employment: pd.Series,
    national_employment: pd.Series,
    *,
    method: Method = "flq",
    delta: float = 0.3,
) -> pd.DataFrame:
    """Location quotients ``LQ_ij`` (supplier ``i`` in rows, buyer ``j`` in columns).

    Parameters
    ----------
    regional_employment, national_employment : Series
        Employment by sector code, same codes and basis (e.g. BRES counts or FTE).
    method : {"slq", "cilq", "flq", "aflq"}
    delta : float
        FLQ/AFLQ sensitivity parameter in [0, 1); ignored by SLQ and CILQ.

    Returns
    -------
    DataFrame, n x n
        NaN in the column of a buyer with no regional employment (undefined CILQ). The
        unit-free quotients, before the cap at 1 that regionalisation applies.

    Raises
    ------
    RegionError
        Unknown method, ``delta`` outside [0, 1), or a region as large as the nation.
    LabelError, NonNumericError, NegativeFlowError
        Mismatched codes, or employment that is not a non-negative number.

    Examples
    --------
    >>> re = pd.Series({"a": 10.0, "b": 30.0})
    >>> ne = pd.Series({"a": 100.0, "b": 100.0})
    >>> location_quotients(re, ne, method="cilq").round(3)
           a      b
    a  0.500  0.333
    b  3.000  1.500
    """
    method = check_method(method, delta)
    codes = tuple(str(s) for s in national_employment.index)
    re, ne, _ = _employment_matrix(codes, regional_employment, national_employment)
    slq = _slq(re, ne)
    lam = flq_lambda(re.sum(axis=1), ne.sum(), np.array([delta]))
    idx = pd.Index(codes, name="supplier")
    return pd.DataFrame(_lq(slq, lam, method)[0], index=idx, columns=pd.Index(codes, name="buyer"))


def regionalise(
    national: IOTable,
    regional_employment: pd.Series,
    *,
    national_employment: pd.Series | None = None,
    method: Method = "flq",
    delta: float = 0.3,
    household_income: float | None = None,
    household_rpc: pd.Series | None = None,
    regional_fte: pd.Series | None = None,
    area: str | None = None,
    year: int | None = None,
) -> IOTable:
    """Estimate a regional table from a national one with location quotients.

    Parameters
    ----------
    national : IOTable
        The national table (e.g. :func:`kil_io.datasets.uk_iot`).
    regional_employment : Series
        Employment by sector code in the region.
    national_employment : Series, optional
        National employment on the *same basis* as ``regional_employment`` (e.g. BRES
        GB for BRES local counts). Default: the national table's own employment.
    method : {"slq", "cilq", "flq", "aflq"}
    delta : float
        FLQ/AFLQ parameter in [0, 1); 0.3 is the common default for UK regions.
    household_income : float, optional
        National total household income (£m) for the household consumption coefficients,
        as in :func:`kil_io.multipliers`; default national compensation of employees.
    household_rpc : Series, optional
        Your own regional purchase coefficients (in [0, 1], by sector) for household
        spending, instead of the location-quotient ones.
    regional_fte : Series, optional
        The region's own FTE by sector, instead of national FTE per £ of output times
        regional output. (Regional GVA and income coefficients stay national: changing
        them would need the imports row to absorb the difference.)
    area, year : optional
        Labels of the result (default ``regional_employment.name`` and the national year).

    Returns
    -------
    IOTable
        Same sectors. ``a^r_ij = min(1, LQ_ij) a^n_ij``; output ``x^r_j = x^n_j RE_j / NE_j``
        (equal productivity); GVA, income and FTE per £ of output as national; the
        purchases the region cannot supply become the primary input
        ``imports_rest_of_uk``. Final demand: ``households`` = regional household
        consumption (national consumption per £ of income x ``min(1, SLQ_i)`` for
        SLQ/CILQ or ``min(1, lambda* SLQ_i)`` for FLQ/AFLQ, households treated as a
        sector with SLQ = 1, x regional compensation of employees) and
        ``exports_and_other``, the rest of each row, never negative: where local
        intermediate and household use would exceed a sector's output, that sector's
        local purchase coefficients (its row of ``A`` and its household coefficient) are
        scaled down until they fit (the supply constraint; factors in
        ``metadata["supply_capped"]``). ``metadata`` also records the method, delta,
        lambda*, the region's employment share and the national table.

    Raises
    ------
    RegionError, LabelError, NonNumericError, NegativeFlowError, ModelError
        Bad method or delta, mismatched codes, bad employment, a region as large as the
        nation, or no employment to regionalise with.

    Notes
    -----
    Sectors with no regional employment have zero output and a zero row and column;
    their multipliers are NaN with a warning, never an error for the whole region.
    Because ``0 <= A^r <= A^n`` elementwise, the regional matrix (and its household
    closure) is productive whenever the national one is (Perron-Frobenius).

    Examples
    --------
    >>> from kil_io import datasets  # doctest: +SKIP
    >>> local = regionalise(datasets.uk_iot(2019), employment, national_employment=gb)  # doctest: +SKIP
    """
    method = check_method(method, delta)
    if isinstance(regional_employment, pd.DataFrame):
        raise RegionError(
            f"regionalise makes one regional table; got employment for {len(regional_employment)} areas "
            "(use regional_multipliers for many)"
        )
    ne_series = _national_employment(national, national_employment, regional_employment)
    re, ne, areas = _employment_matrix(national.sectors, regional_employment, ne_series)
    rpc_given = _rpc_array(national.sectors, household_rpc, re)
    reg = _regions(national, re, ne, method, np.array([float(delta)]), household_income, rpc_given)
    A, share, rpc = reg.A[0], reg.share[0], reg.rpc[0]
    x = national.output * share
    Z = A * x
    per_output = national.primary_inputs / np.where(national.output == 0, 1.0, national.output)
    primary = per_output * x
    labels = list(national.primary_input_labels)
    ruk = (national.A.sum(axis=0) - A.sum(axis=0)) * x
    if "imports_rest_of_uk" in labels:
        primary[labels.index("imports_rest_of_uk")] += ruk
    else:
        primary, labels = np.vstack([primary, ruk]), [*labels, "imports_rest_of_uk"]
    income = national.per_output(national.income) * x
    hh = rpc * national.households / household_income_total(national, household_income) * income.sum()
    other = x - Z.sum(axis=1) - hh
    if regional_fte is not None:
        fte = _aligned(regional_fte.to_frame().T, national.sectors, ["regional_fte"], "FTE")[0]
    elif national.employment is not None:
        fte = national.per_output(national.employment) * x
    else:
        fte = None
    area = area or areas[0]
    return IOTable(
        sectors=national.sectors,
        Z=Z,
        final_demand=np.column_stack([hh, other]),
        final_demand_labels=(HOUSEHOLDS, OTHER_FINAL_DEMAND),
        primary_inputs=primary,
        primary_input_labels=tuple(labels),
        output=x,
        employment=fte,
        names=national.names,
        area=area,
        year=year if year is not None else national.year,
        source=f"{method.upper()} regionalisation of {national.label} ({national.source})",
        units=national.units,
        metadata={
            "method": method,
            "delta": float(delta) if method in ("flq", "aflq") else None,
            "lambda": float(reg.lam[0]) if method in ("flq", "aflq") else None,
            "employment_share": float(re.sum() / ne.sum()),
            "national_table": national.label.strip("'"),
            "household_rpc": "given" if household_rpc is not None else "location quotients (households SLQ = 1)",
            "no_national_employment": [s for s, v in zip(national.sectors, ne, strict=True) if v == 0],
            "supply_capped": {s: float(c) for s, c in zip(national.sectors, reg.capped[0], strict=True) if c < 1},
            "employment_fte": "regional, given" if regional_fte is not None else "national FTE per £ of output",
        },
        balance_rtol=national.balance_rtol,
    )


def regional_multipliers(
    national: IOTable,
    regional_employment: pd.DataFrame,
    kind: Kind = "type_i",
    *,
    national_employment: pd.Series | None = None,
    method: Method = "flq",
    delta: float | Sequence[float] = 0.3,
    household_income: float | None = None,
    household_rpc: pd.Series | None = None,
    stacklevel: int = 3,
) -> pd.DataFrame:
    """Type I or II multipliers for many regions at once (batched, one solve per region).

    Parameters
    ----------
    national : IOTable
    regional_employment : DataFrame
        One row per region (index = area names), one column per sector code.
    kind : {"type_i", "type_ii"}
    national_employment, method, household_income, household_rpc
        As in :func:`regionalise` (one ``household_rpc`` for every region).
    delta : float or sequence of float
        One delta for all regions, or one per region (row).
    stacklevel : int
        Where warnings point (for wrappers).

    Returns
    -------
    DataFrame
        Index (area, sector), columns as :func:`kil_io.multipliers`; equal to
        ``multipliers(regionalise(national, row, ...), kind)`` for every row.

    Warns
    -----
    ZeroOutputWarning
        Sectors with no regional employment (NaN), named with their area.

    See Also
    --------
    regional_multipliers_by_kind : Type I and Type II of the same regions, regionalised once.
    """
    kind = check_kind(kind)
    return regional_multipliers_by_kind(
        national, regional_employment, (kind,), national_employment=national_employment, method=method,
        delta=delta, household_income=household_income, household_rpc=household_rpc, stacklevel=stacklevel + 1,
    )[kind]  # fmt: skip


def regional_multipliers_by_kind(
    national: IOTable,
    regional_employment: pd.DataFrame,
    kinds: Sequence[Kind] = ("type_i", "type_ii"),
    *,
    national_employment: pd.Series | None = None,
    method: Method = "flq",
    delta: float | Sequence[float] = 0.3,
    household_income: float | None = None,
    household_rpc: pd.Series | None = None,
    stacklevel: int = 3,
) -> dict[str, pd.DataFrame]:
    """Type I and Type II multipliers for many regions, regionalising them once.

    The regional tables (the location quotients, the supply constraint) are the same for
    both kinds, so computing both from one call saves a second regionalisation.

    Parameters
    ----------
    national, regional_employment, national_employment, method, delta, household_income, household_rpc, stacklevel
        As in :func:`regional_multipliers`.
    kinds : sequence of {"type_i", "type_ii"}
        Kinds to compute, each once.

    Returns
    -------
    dict
        Kind -> the DataFrame :func:`regional_multipliers` returns for that kind, in the
        order of ``kinds``.

    Warns
    -----
    ZeroOutputWarning
        Sectors with no regional employment (NaN), named with their area (once).
    """
    kinds = [check_kind(k) for k in kinds]
    if not kinds or len(set(kinds)) != len(kinds):
        raise RegionError(f"kinds must name each of 'type_i', 'type_ii' at most once, got {kinds}")
    if not isinstance(regional_employment, pd.DataFrame) or regional_employment.empty:
        raise RegionError("regional_multipliers needs a DataFrame with one row of employment per area")
    given = np.atleast_1d(np.asarray(delta, dtype=object))
    if given.size not in (1, len(regional_employment)):
        raise RegionError(f"{given.size} deltas for {len(regional_employment)} areas; give one, or one per area")
    for d in given:
        check_method(method, d)
    deltas = np.broadcast_to(given.astype(float), (len(regional_employment),))
    ne_series = _national_employment(national, national_employment, regional_employment)
    re, ne, areas = _employment_matrix(national.sectors, regional_employment, ne_series)
    # A^r <= A^n elementwise, so every regional system is productive if the national one is
    national.system  # noqa: B018
    if "type_ii" in kinds:
        closed_system(national, household_income)
    rpc_given = None
    if household_rpc is not None:
        rpc_given = _rpc_array(national.sectors, household_rpc, re)
    reg = _regions(national, re, ne, method, deltas, household_income, rpc_given)
    R, n = re.shape
    index = pd.MultiIndex.from_product([areas, national.sectors], names=["area", "sector"])
    frames = {}
    for kind in sorted(kinds, key=lambda k: k == "type_i"):  # Type I consumes reg.A, so it goes last
        total, direct = _batched_effects(national, reg, kind, household_income)
        flat_direct = direct.transpose(1, 0, 2).reshape(4, R * n)
        frame = effects_frame(total.transpose(1, 0, 2).reshape(4, R * n), flat_direct, index)
        frame.attrs.update(kind=kind, method=method, national=national.label.strip("'"), units=national.units)
        frames[kind] = frame
    warn_missing(
        f"{national.label} regionalised ({method}, {R} rows)",
        flat_direct,
        flat_direct[0] == 0,
        index.get_level_values("sector"),
        has_employment=national.employment is not None,
        rows=R,
        stacklevel=stacklevel,
    )
    return {kind: frames[kind] for kind in kinds}


def _batched_effects(
    national: IOTable, reg: _Regions, kind: Kind, household_income: float | None
) -> tuple[FloatArray, FloatArray]:
    """Total effects and direct coefficients, each (R, 4, n), by LAPACK solves region by region.

    Consumes ``reg.A``: for Type I it becomes ``I - A`` and then the LU factors, to spare an
    (R, n, n) copy, so ``reg`` must not be used afterwards (``regional_multipliers`` does not).
    """
    R, n = reg.share.shape
    V = direct_coefficients(national)
    present = (reg.share * national.output) > 0  # (R, n)
    direct = np.where(present[:, None, :], V[None, :, :], 0.0)
    rows = V.copy()
    rows[0] = 1.0
    has_emp = national.employment is not None
    if not has_emp:
        rows = rows[:3]
    k = rows.shape[0]
    if kind == "type_i":
        M = np.negative(reg.A, out=reg.A)  # I - A in place: the caller has no further use for reg.A
        M[:, np.arange(n), np.arange(n)] += 1.0
        rhs = rows.T
    else:
        hc = national.households / household_income_total(national, household_income)
        M = np.zeros((R, n + 1, n + 1))
        np.negative(reg.A, out=M[:, :n, :n])
        M[:, :n, n] = -reg.rpc * hc
        M[:, n, :n] = -national.per_output(national.income)
        M[:, np.arange(n + 1), np.arange(n + 1)] += 1.0
        rhs = np.vstack([rows.T, np.zeros((1, k))])
    effects = np.empty((R, k, n))
    for r in range(R):
        # (V L)' = (I - A)'^-1 V': one transposed solve per region, all measures at once.
        # M[r] is C-ordered, so M[r].T is the Fortran-ordered (I - A)' that LAPACK
        # factorises in place; a plain loop of getrf/getrs beats numpy's stacked solve,
        # which copies every matrix and right-hand side first.
        lu, piv, info = _getrf(M[r].T, overwrite_a=True)
        if info > 0:  # cannot happen for 0 <= A^r <= A^n with a productive nation; never trust it
            raise NotProductiveError(
                f"table {national.label} regionalised, row {r}: I - A is singular ({kind.replace('_', ' ')})"
            )
        effects[r] = _getrs(lu, piv, rhs)[0][:n].T
    if not has_emp:
        effects = np.concatenate([effects, np.full((R, 1, n), np.nan)], axis=1)
    return effects, direct


def delta_sensitivity(
    national: IOTable,
    regional_employment: pd.Series,
    *,
    national_employment: pd.Series | None = None,
    deltas: Sequence[float] = tuple(np.round(np.arange(0.0, 0.55, 0.05), 2)),
    method: Literal["flq", "aflq"] = "flq",
    kind: Kind = "type_i",
    sectors: Sequence[str] | None = None,
    household_income: float | None = None,
    household_rpc: pd.Series | None = None,
) -> pd.DataFrame:
    """Multipliers over a grid of FLQ/AFLQ ``delta``: how much the uncertain delta matters.

    Parameters
    ----------
    national, regional_employment, national_employment, household_income, household_rpc
        As in :func:`regionalise`.
    deltas : sequence of float
        Values in [0, 1); default 0 to 0.5 in steps of 0.05.
    method : {"flq", "aflq"}
    kind : {"type_i", "type_ii"}
    sectors : sequence of str, optional
        Sectors to keep (default all).

    Returns
    -------
    DataFrame
        Index (delta, sector), columns as :func:`kil_io.multipliers`.
    """
    if method not in ("flq", "aflq"):
        raise RegionError(f"delta only affects 'flq' and 'aflq', not {method!r}")
    if isinstance(regional_employment, pd.DataFrame):
        raise RegionError("delta_sensitivity takes one area's employment (a Series)")
    if len(deltas) == 0:
        raise RegionError("delta_sensitivity needs at least one delta")
    for d in deltas:
        check_method(method, d)
    deltas = [float(d) for d in deltas]
    stacked = pd.DataFrame([regional_employment] * len(deltas), index=pd.Index(deltas, name="delta"))
    stacked.attrs = dict(regional_employment.attrs)
    frame = regional_multipliers(
        national,
        stacked,
        kind,
        national_employment=national_employment,
        method=method,
        delta=deltas,
        household_income=household_income,
        household_rpc=household_rpc,
        stacklevel=4,
    )
    frame.index = frame.index.set_levels(frame.index.levels[0].astype(float), level="area").rename("delta", level=0)
    if sectors is not None:
        missing = sorted(set(sectors) - set(national.sectors))
        if missing:
            raise LabelError(f"table {national.label} has no sectors {missing}")
        frame = frame.loc[(slice(None), list(sectors)), :]
    return frame
