"""One area's regional table at many values of delta, batched: what the draws of a simulation share.

A draw that changes delta changes the regional table; every other input changes only the
demand vectors, the closure's scalars or the gross-to-net rates. So the simulation
factorises each *distinct* regional table once (one LAPACK ``getrf`` per delta, regionalised
together as :mod:`kil_io.regional.batched` does) and solves for the Type I effects
``E = v' L`` of all four measures at once (one ``getrs``); every draw with that delta is then
matrix products with ``E`` (:mod:`kil_io.appraisal.model`).

Output, GVA, pay and FTE per £ of output do not depend on delta (regional output is the
national output times the employment share), nor do the closure income and the resident
share; only the local purchase coefficients do.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from threadpoolctl import ThreadpoolController

from kil_io import datasets
from kil_io.appraisal.model import EffectTables
from kil_io.errors import NotProductiveError
from kil_io.model.closure import household_income_total
from kil_io.model.leontief import _getrf, _getrs
from kil_io.model.multipliers import direct_coefficients
from kil_io.model.negative import exclude_outside
from kil_io.model.units import pounds_per_unit
from kil_io.regional.quotients import check_household_rule, check_method
from kil_io.regional.regioninputs import _employment_matrix, _regions

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from kil_io.model.table import IOTable

    FloatArray = NDArray[np.float64]

#: Draws of delta are rounded to this step, so that draws share tables (delta is quoted to
#: two or three decimals; at Calderdale's size one step moves lambda* by 0.5%).
DELTA_STEP = 0.001


@cache
def _blas() -> ThreadpoolController:
    """The process's thread pools (found once: looking them up scans the loaded libraries, ~10 ms)."""
    return ThreadpoolController()


#: Deltas regionalised together: small enough for the stacked matrices to stay in cache.
_BLOCK = 16


@cache
def _employment(code: str, year: int, national_year: int) -> tuple[FloatArray, FloatArray]:
    """The area's and Great Britain's employment aligned to the national table's sectors (cached, read-only)."""
    national, where = datasets.uk_iot(national_year), datasets.area(code)  # GB on the area's basis, as regional_iot
    re, ne, _ = _employment_matrix(national.sectors, datasets.local_employment(where, year),
                                   datasets.national_employment(year, area=where))  # fmt: skip
    re.flags.writeable = ne.flags.writeable = False
    return re, ne


@cache
def _scale(code: str, year: int, national_year: int, output: str) -> FloatArray:
    """The output levels of the area's :func:`kil_io.datasets.regional_iot` table, (1, n) (cached, read-only)."""
    national, where = datasets.uk_iot(national_year), datasets.area(code)
    factors = datasets.output_scale(where, year, national, output=output)  # type: ignore[arg-type]
    scale = factors.reindex(national.sectors).to_numpy(dtype=np.float64)[None, :]
    scale.flags.writeable = False
    return scale


def round_delta(values: FloatArray) -> FloatArray:
    """Deltas on the :data:`DELTA_STEP` grid (never below 0)."""
    return np.maximum(np.round(np.asarray(values, dtype=np.float64) / DELTA_STEP) * DELTA_STEP, 0.0).round(6)


def delta_tables(central: IOTable, deltas: Sequence[float] | FloatArray, *, method: str = "flq") -> EffectTables:
    """The regional table of ``central`` (from :func:`kil_io.datasets.regional_iot`) at each of ``deltas``.

    Parameters
    ----------
    central : IOTable
        A shipped area's regional table; its area code, year and national table say what to
        regionalise again.
    deltas : sequence of float
        Distinct values in [0, 1), sorted.
    method : {"flq", "aflq"}

    Returns
    -------
    EffectTables

    Notes
    -----
    Equal to the tables :func:`kil_io.datasets.regional_iot` makes at each delta, to
    rounding (tested): the same :func:`kil_io.regional.regioninputs._regions` (location
    quotients, supply constraint) stacked over the deltas, one LU per delta.
    """
    d = np.asarray(deltas, dtype=np.float64)
    for value in d:
        check_method(method, float(value))
    meta = central.metadata
    rule = check_household_rule(meta.get("household_rule", "local_services"))  # as the table was made
    national_year = int(str(meta["national_table"]).rsplit(" ", 1)[-1])
    national = datasets.uk_iot(national_year)
    re, ne = _employment(str(meta["area_code"]), int(central.year or 0), national_year)
    scale = _scale(str(meta["area_code"]), int(central.year or 0), national_year, str(meta["output"]))
    K, n = len(d), national.n
    V = np.array(direct_coefficients(central))
    rows = V.copy()
    rows[0] = 1.0  # output effect: column sums of L
    rhs = np.ascontiguousarray(rows.T)
    household_share = national.households / household_income_total(national, closure="coe")
    pay = float(central.income.sum())
    E, C, purchases = np.empty((K, 4, n)), np.empty((K, n)), np.empty((K, n))
    diag = np.arange(n)
    with _blas().limit(limits=1, user_api="blas"):  # many small LUs: BLAS threads would only wait for each other
        for start in range(0, K, _BLOCK):  # blocks that stay in cache: one (n, n) matrix is 88 kB at n = 105
            block = slice(start, min(start + _BLOCK, K))
            reg = _regions(national, np.repeat(re, block.stop - start, axis=0), ne, check_method(method, d[0]),
                           d[block], None, scale, rule)  # fmt: skip
            C[block] = reg.rpc * (household_share * pay)
            purchases[block] = reg.A.sum(axis=1)
            exclude_outside(reg.A)  # a buyer of a negative input is outside the system, as in the table's own
            M = np.negative(reg.A, out=reg.A)
            M[:, diag, diag] += 1.0
            for j, k in enumerate(range(start, block.stop)):
                # M[j] is C-ordered, so M[j].T is the Fortran-ordered (I - A)' LAPACK factorises in place
                lu, piv, info = _getrf(M[j].T, overwrite_a=True)
                if info > 0:  # cannot happen for 0 <= A^r <= A^n with a productive nation
                    raise NotProductiveError(f"table {central.label} at delta {d[k]:g}: I - A is singular")
                E[k] = _getrs(lu, piv, rhs)[0].T
    EC, spent = np.einsum("kmn,kn->km", E, C), C.sum(axis=1)
    for a in (d, E, C, purchases, V, EC, spent):
        a.flags.writeable = False
    return EffectTables(
        deltas=d,
        E=E,
        C=C,
        purchases=purchases,
        V=V,
        EC=EC,
        spent=spent,
        household_income=float(household_income_total(central)),
        resident_share=float(central.resident_share),
        label=central.label,
        unit=pounds_per_unit(central.units, what=f"table {central.label}"),
    )
