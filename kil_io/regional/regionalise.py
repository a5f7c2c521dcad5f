"""Regionalisation: a local input-output table estimated from the national one with location quotients.

See :mod:`kil_io.regional.quotients` for the quotients and their conventions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kil_io.errors import RegionError
from kil_io.model.multipliers import direct_coefficients, household_income_total, ratio_floor
from kil_io.model.table import HOUSEHOLDS, IOTable
from kil_io.regional.quotients import (
    DEFAULT_DELTA,
    OTHER_FINAL_DEMAND,
    HouseholdRule,
    Method,
    _lq,
    _slq,
    check_household_rule,
    check_method,
    flq_lambda,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]


from kil_io.regional.regioninputs import (
    _aligned,
    _employment_matrix,
    _national_employment,
    _output_scale,
    _regions,
    _rpc_array,
)


def location_quotients(
    regional_employment: pd.Series,
    national_employment: pd.Series,
    *,
    method: Method = "flq",
    delta: float = DEFAULT_DELTA,
) -> pd.DataFrame:
    """Location quotients ``LQ_ij`` (supplier ``i`` in rows, buyer ``j`` in columns).

    Parameters
    ----------
    regional_employment, national_employment : Series
        Employment by sector code, same codes and basis (e.g. BRES counts or FTE) [jobs] or
        [FTE].
    method : {"slq", "cilq", "flq", "aflq"}
    delta : float
        FLQ/AFLQ sensitivity parameter in [0, 1) (an exponent, unit-free); ignored by SLQ and
        CILQ.

    Returns
    -------
    DataFrame, n x n
        NaN in the column of a buyer with no regional employment (undefined CILQ). The
        quotients before the cap at 1 that regionalisation applies [ratio].

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
    national_employment: pd.Series | str | None = None,
    method: Method = "flq",
    delta: float = DEFAULT_DELTA,
    household_income: float | None = None,
    household_rpc: pd.Series | None = None,
    regional_fte: pd.Series | None = None,
    area: str | None = None,
    year: int | None = None,
    output_scale: pd.Series | None = None,
    resident_share: float = 1.0,
    household_rule: HouseholdRule = "local_services",
) -> IOTable:
    """Estimate a regional table from a national one with location quotients.

    Parameters
    ----------
    national : IOTable
        The national table (e.g. :func:`kil_io.datasets.uk_iot`).
    regional_employment : Series
        Employment by sector code in the region: BRES counts [jobs], or FTE with
        ``national_employment="table"`` [FTE].
    national_employment : Series or "table"
        National employment on the *same basis* as ``regional_employment`` (e.g. BRES
        GB, :func:`kil_io.datasets.national_employment`, for BRES local counts), or
        ``"table"`` for regional figures on the national table's own basis (its FTE).
        Required: a location quotient of counts on two bases is silently wrong, and a
        Series keeps no trace of its basis through a CSV file [jobs] or [FTE].
    method : {"slq", "cilq", "flq", "aflq"}
    delta : float
        FLQ/AFLQ parameter in [0, 1) (an exponent, unit-free); 0.3 is the common default for
        UK regions.
    household_income : float, optional
        National total household income instead of the national table's
        ``household_income``; see ``household_income`` under Returns [£m].
    household_rpc : Series, optional
        Your own regional purchase coefficients (in [0, 1], by sector) for household
        spending, instead of the location-quotient ones [share].
    regional_fte : Series, optional
        The region's own full-time equivalents by sector, instead of national FTE per £ of
        output times regional output. (Regional GVA and income coefficients stay national:
        changing them would need the imports row to absorb the difference.) [FTE]
    area, year : optional
        Labels of the result (default ``regional_employment.name`` and the national year).
    output_scale : Series, optional
        Factors (> 0, by sector) applied to the regional output ``x^r`` after the equal-productivity
        estimate, e.g. to match published regional GVA; the location quotients are unchanged, and the
        supply constraint is applied to the scaled output [ratio].
    resident_share : float
        Share of the region's workplace pay going to people who live in it, in [0, 1]
        (e.g. :func:`kil_io.datasets.commuting`); stored as the table's ``resident_share``.
        Default 1: every worker lives in the region (the usual Type II) [share].
    household_rule : {"local_services", "as_industry", "slq"}
        How much of their spending on each product households buy in the region
        (:func:`kil_io.regional.quotients.household_purchase_coefficients`; ignored when
        ``household_rpc`` is given). ``"local_services"`` (default): services (SIC sections
        G to U) ``min(1, SLQ_i)``, goods as ``"as_industry"``: with ``"local_services"`` plus a
        goods delta of its own, the closest to Scottish households' purchases
        (``data/household_purchases_fit.csv``). ``"as_industry"``: the earlier rule, households a
        buying sector with SLQ = 1 under ``method`` (``min(1, lambda* SLQ_i)`` for FLQ/AFLQ,
        ``min(1, SLQ_i)`` for SLQ/CILQ). ``"slq"``: ``min(1, SLQ_i)`` for every product.

    Returns
    -------
    IOTable
        Same sectors. ``a^r_ij = min(1, LQ_ij) a^n_ij``; output ``x^r_j = x^n_j RE_j / NE_j``
        (equal productivity); GVA, income and FTE per £ of output as national; the
        purchases the region cannot supply become the primary input
        ``imports_rest_of_uk``. Final demand: ``households`` = regional household
        consumption (national consumption per £ of income x the local purchase
        coefficients of ``household_rule`` x regional compensation of employees) and
        ``exports_and_other``, the rest of each row, never negative: where local
        intermediate and household use would exceed a sector's output, that sector's
        local purchase coefficients (its row of ``A`` and its household coefficient) are
        scaled down until they fit (the supply constraint; factors in
        ``metadata["supply_capped"]``). ``household_income``: the national household
        income (``household_income`` or the national table's) per £ of national
        compensation of employees, times the region's: closed with it, the region's
        households spend the national share of their income on domestic output, times
        the local purchase coefficients, whichever closure is chosen (with ``closure="coe"``
        the table's own pay); ``None`` if the national table carries none.
        ``metadata`` also records the method, delta, lambda*, the household rule
        (``household_rule``, in words ``household_rpc``), the region's employment
        share, the national table and the sources of the household income and resident share.
        Flows and output in the national table's money unit [£m], employment [FTE]; the
        household income [£m].

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
    household_rule = check_household_rule(household_rule)
    if isinstance(regional_employment, pd.DataFrame):
        raise RegionError(
            f"regionalise makes one regional table; got employment for {len(regional_employment)} areas "
            "(use regional_multipliers for many)"
        )
    ne_series = _national_employment(national, national_employment, regional_employment)
    re, ne, areas = _employment_matrix(national.sectors, regional_employment, ne_series)
    rpc_given = _rpc_array(national.sectors, household_rpc, re)
    scale = None if output_scale is None else _output_scale(national.sectors, output_scale)
    reg = _regions(national, re, ne, method, np.array([float(delta)]), rpc_given, scale, household_rule)
    A, share, rpc = reg.A[0], reg.share[0], reg.rpc[0]
    x = national.output * share
    Z = A * x
    per_output = national.primary_inputs / np.where(national.output == 0, 1.0, national.output)
    primary = per_output * x
    labels = list(national.primary_input_labels)
    # purchases from the rest of the UK: what the nation buys locally and the region does not; a sum of
    # element-wise differences (each >= 0, as A^r <= A^n cell by cell), so rounding cannot make it negative
    ruk = (national.A - A).sum(axis=0) * x
    if "imports_rest_of_uk" in labels:
        primary[labels.index("imports_rest_of_uk")] += ruk
    else:
        primary, labels = np.vstack([primary, ruk]), [*labels, "imports_rest_of_uk"]
    income = national.per_output(national.income) * x
    national_pay = household_income_total(national, closure="coe")
    hh = rpc * national.households / national_pay * income.sum()
    other = x - Z.sum(axis=1) - hh
    closure = _regional_closure(national, household_income, float(income.sum()), national_pay, resident_share)
    if regional_fte is not None:
        fte = _aligned(regional_fte.to_frame().T, national.sectors, ["regional_fte"], "FTE")[0]
    elif national.employment is not None:
        fte = national.per_output(national.employment) * x
    else:
        fte = None
    area = area or areas[0]
    national_fte = national.metadata.get("employment")  # e.g. 2023's: an estimate, said so
    fte_source = f" ({national_fte})" if national_fte else ""
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
            **_household_metadata(household_rpc is not None, household_rule, method),
            "no_national_employment": [s for s, v in zip(national.sectors, ne, strict=True) if v == 0],
            "supply_capped": {s: float(c) for s, c in zip(national.sectors, reg.capped[0], strict=True) if c < 1},
            "employment_fte": "regional, given"
            if regional_fte is not None
            else f"national FTE per £ of output{fte_source}",
            "output_scale": "given" if output_scale is not None else None,
            # ratio multipliers are blanked against the nation's averages, not this area's own (see ratio_floor)
            "ratio_floor": [float(v) for v in ratio_floor(direct_coefficients(national), national.output)],
            **closure["metadata"],
        },
        balance_rtol=national.balance_rtol,
        household_income=closure["household_income"],
        resident_share=closure["resident_share"],
    )


def _household_metadata(given: bool, rule: HouseholdRule, method: Method) -> dict[str, Any]:
    """How the table's households buy locally: the rule, in words a reader can check."""
    if given:
        return {"household_rpc": "given", "household_rule": None}
    goods = "min(1, SLQ_i)" if method in ("slq", "cilq") else f"min(1, lambda* SLQ_i) ({method.upper()})"
    words = {
        "local_services": f"services (SIC G-U) min(1, SLQ_i), goods {goods} (checked on Scottish Government tables "
        "2015-2019, data/household_purchases_fit.csv)",
        "as_industry": f"{goods} for every product: households a buying sector with SLQ = 1",
        "slq": "min(1, SLQ_i) for every product",
    }[rule]
    return {"household_rpc": f"{rule}: {words}", "household_rule": rule}


def _regional_closure(
    national: IOTable, household_income: float | None, pay: float, national_pay: float, resident_share: float
) -> dict[str, Any]:
    """The regional table's household income and resident share, with their sources (see :func:`regionalise`)."""
    if isinstance(resident_share, bool) or not isinstance(resident_share, int | float | np.integer | np.floating):
        raise RegionError(f"resident_share must be a share in [0, 1], got {resident_share!r}")
    if not (np.isfinite(resident_share) and 0 <= resident_share <= 1):
        raise RegionError(f"resident_share must be a share in [0, 1], got {resident_share!r}")
    metadata = {
        "resident_share_source": (
            "not given: every worker counted as a resident (no commuting adjustment)"
            if resident_share == 1
            else "given to regionalise"
        )
    }
    if (household_income is None and national.household_income is None) or pay <= 0:
        return {"household_income": None, "resident_share": float(resident_share), "metadata": metadata}
    national_income = household_income_total(national, household_income)
    where = (
        "given to regionalise"
        if household_income is not None
        else national.metadata.get("household_income_source", f"carried by {national.label}")
    )
    metadata["household_income_source"] = (
        f"national household income £{national_income:,.0f}m ({where}) per £1 of national compensation of "
        f"employees (£{national_pay:,.0f}m), times the area's compensation of employees (£{pay:,.1f}m)"
    )
    return {
        "household_income": national_income * (pay / national_pay),
        "resident_share": float(resident_share),
        "metadata": metadata,
    }
