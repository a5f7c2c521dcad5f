"""A negative intermediate flow read as ONS reads it: the buyer kept in the table, left out of the Leontief system.

ONS's 2023 table has owner-occupiers' housing (L68A) buying -£20,771m of financial services (K64) and
computes its Leontief inverse on the table without L68A's row and column. The small table here has the
same shape: ``h`` buys -60 from ``f`` (and, unlike L68A, sells 20 to ``a``, so that dropping its row is
tested too). Expected values are numpy's inverse of the table without ``h``, never kil_io's own solve.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import kil_io
from kil_io import IOTable, NegativeFlowError, NegativeFlowWarning, TableError
from kil_io.model.multipliers import closed_system
from kil_io.regional import regional_multipliers, regionalise

S = ["a", "f", "h"]
Z = np.array([[100.0, 50.0, 30.0], [40.0, 80.0, -60.0], [20.0, 0.0, 0.0]])
X = np.array([1000.0, 800.0, 500.0])
HOUSEHOLDS = np.array([400.0, 300.0, 480.0])
COE = np.array([500.0, 400.0, 0.0])
FTE = np.array([10_000.0, 6_000.0, 0.0])  # 7 FTE per £1m, £56,000 per FTE, as a UK table
Y = 1500.0  # household income closing Type II [£m]
KEEP = [0, 1]


def frames() -> dict[str, object]:
    exports = X - Z.sum(axis=1) - HOUSEHOLDS
    gos = X - Z.sum(axis=0) - COE
    return {
        "Z": pd.DataFrame(Z, index=S, columns=S),
        "final_demand": pd.DataFrame({"households": HOUSEHOLDS, "exports": exports}, index=S),
        "primary_inputs": pd.DataFrame(
            [COE, gos], index=["compensation_of_employees", "gross_operating_surplus"], columns=S
        ),
        "employment": pd.Series(FTE, index=S),
    }


def table(**options: object) -> IOTable:
    return IOTable.from_frames(**frames(), area="neg", household_income=Y, **options)  # type: ignore[arg-type]


def reduced_inverse() -> np.ndarray:
    """(I - A_KK)^-1: the inverse of the table without 'h' (row and column), as ONS computes it."""
    A = Z / X
    return np.linalg.inv(np.eye(2) - A[np.ix_(KEEP, KEEP)])


def multipliers(t: IOTable, kind: str = "type_i", **kw: object) -> pd.DataFrame:
    with pytest.warns(NegativeFlowWarning, match=r"\['h'\] left out of the Leontief system.*'h' buys -60 £m from 'f'"):
        return kil_io.multipliers(t, kind, **kw)  # type: ignore[arg-type]


def test_strict_mode_refuses_the_cell() -> None:
    with pytest.raises(NegativeFlowError, match=r"Z cell \(supplier 'f', buyer 'h'\) is -60 £m; it must be non-neg"):
        table(negative_flows="raise")
    with pytest.raises(TableError, match=r"negative_flows must be one of \['exclude', 'raise'\], got 'drop'"):
        table(negative_flows="drop")


def test_default_keeps_the_sector_in_the_table() -> None:
    t = table()
    assert t.excluded == ("h",)
    assert "['h'] outside the Leontief system" in repr(t)
    np.testing.assert_array_equal(t.Z, Z)  # the table as published: nothing repaired
    np.testing.assert_array_equal(t.A[:, 2], Z[:, 2] / 500.0)
    np.testing.assert_array_equal(t.system_flows, [[100.0, 50.0, 0.0], [40.0, 80.0, 0.0], [0.0, 0.0, 0.0]])


def test_type_i_multipliers_are_those_of_the_table_without_the_sector() -> None:
    m = multipliers(table())
    L = reduced_inverse()
    gva = (X - Z.sum(axis=0))[KEEP] / X[KEEP]
    np.testing.assert_allclose(m["output_multiplier"].to_numpy()[KEEP], L.sum(axis=0), rtol=1e-14)
    np.testing.assert_allclose(m["gva_effect"].to_numpy()[KEEP], gva @ L, rtol=1e-14)
    np.testing.assert_allclose(m["income_effect"].to_numpy()[KEEP], (COE / X)[KEEP] @ L, rtol=1e-14)
    np.testing.assert_allclose(m["employment_effect"].to_numpy()[KEEP], (FTE / X)[KEEP] @ L, rtol=1e-14)
    assert m.loc["h"].isna().all()  # ONS's '..'


def test_solve_path_equals_the_block_inverse() -> None:
    # demand for 'h' is met by its own output: the block of 'h' in the inverse is the identity
    t, f = table(), np.array([10.0, 20.0, 30.0])
    L = np.eye(3)
    L[np.ix_(KEEP, KEEP)] = reduced_inverse()
    np.testing.assert_allclose(t.system.solve(f), L @ f, rtol=1e-14)
    np.testing.assert_allclose(t.L, L, rtol=1e-14, atol=1e-16)


def test_type_ii_closes_the_system_without_the_sector() -> None:
    A = Z / X
    A[2, :] = A[:, 2] = 0.0
    closed = np.zeros((4, 4))
    closed[:3, :3], closed[:3, 3], closed[3, :3] = A, HOUSEHOLDS / Y, COE / X
    L2 = np.linalg.inv(np.eye(4) - closed)
    m = multipliers(table(), "type_ii")
    np.testing.assert_allclose(m["output_multiplier"].to_numpy()[KEEP], L2[:3, KEEP].sum(axis=0), rtol=1e-13)
    np.testing.assert_allclose(m["income_effect"].to_numpy()[KEEP], (COE / X) @ L2[:3, KEEP], rtol=1e-13)
    assert m.loc["h"].isna().all()
    # the explicit closed factorisation is built from the same flows
    np.testing.assert_allclose(closed_system(table()).inverse(), L2, rtol=1e-13, atol=1e-16)


def test_batched_regions_equal_the_regional_table() -> None:
    # a region concentrated in 'f', so its purchases of 'h''s negative input stay local
    national = table()
    region = pd.Series([2_000.0, 5_000.0, 0.0], index=S, name="R")
    local = regionalise(national, region, national_employment="table", resident_share=0.8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kil_io.ZeroOutputWarning)  # 'h' has no regional output
        one = kil_io.multipliers(local, "type_ii")
        many = regional_multipliers(national, region.to_frame().T, "type_ii", national_employment="table",
                                    resident_share=0.8)  # fmt: skip
    pd.testing.assert_frame_equal(many.loc["R"], one, check_names=False, rtol=1e-12, check_exact=False)
