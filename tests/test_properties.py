"""Invariants of the Leontief model on random productive tables (hypothesis)."""

from __future__ import annotations

import numpy as np
from examples import tables
from hypothesis import given, settings
from hypothesis import strategies as st

from kil_io import IOTable, demand_impact, multipliers
from kil_io.model.multipliers import closed_system


@settings(max_examples=60, deadline=None)
@given(tables())
def test_leontief_identities(t: IOTable) -> None:
    eye = np.eye(t.n)
    np.testing.assert_allclose(t.L @ (eye - t.A), eye, atol=1e-9)
    assert (t.L >= eye - 1e-12).all()  # L = I + A + A^2 + ... >= I
    f = t.final_demand.sum(axis=1)
    np.testing.assert_allclose(t.system.solve(f), t.x, rtol=1e-9)


@settings(max_examples=60, deadline=None)
@given(tables())
def test_solve_path_equals_explicit_inverse(t: IOTable) -> None:
    m = multipliers(t, "type_i")
    L = np.linalg.inv(np.eye(t.n) - t.Z / t.x)
    np.testing.assert_allclose(m["output_multiplier"], L.sum(axis=0), rtol=1e-9)
    np.testing.assert_allclose(m["gva_effect"], (t.gva / t.x) @ L, rtol=1e-9)
    np.testing.assert_allclose(m["income_effect"], (t.income / t.x) @ L, rtol=1e-9)
    np.testing.assert_allclose(m["employment_effect"], (t.employment / t.x) @ L, rtol=1e-9)


#: A closure: total household income 1 to 3 times pay, and the share of pay going to residents.
closures = st.tuples(st.floats(1.0, 3.0), st.floats(0.0, 1.0))


@settings(max_examples=60, deadline=None)
@given(tables(), closures)
def test_type_ii_at_least_type_i_and_income_ratio_constant(t: IOTable, closure: tuple[float, float]) -> None:
    income, share = closure[0] * t.income.sum(), closure[1]
    m1 = multipliers(t, "type_i")
    m2 = multipliers(t, "type_ii", household_income=income, resident_share=share)
    for col in m1.columns:
        assert (m2[col] >= m1[col] - 1e-12).all(), col
    # Miller & Blair (2009) section 6.2.3: Type II / Type I income multipliers are the
    # same for every sector when households are closed in on labour income (whatever the
    # income figure and the resident share)
    ratio = m2["income_multiplier"] / m1["income_multiplier"]
    np.testing.assert_allclose(ratio, ratio.iloc[0], rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(tables(), st.data(), closures)
def test_impact_components_add_up_and_match_multipliers(
    t: IOTable, data: st.DataObject, closure: tuple[float, float]
) -> None:
    j = data.draw(st.integers(0, t.n - 1))
    amount = data.draw(st.floats(0.1, 100.0))
    t = t.replace(household_income=closure[0] * t.income.sum(), resident_share=closure[1])
    res = demand_impact(t, {t.sectors[j]: amount}, "type_ii").to_frame()
    parts = res[["direct", "indirect", "induced"]].sum(axis=1)
    np.testing.assert_allclose(parts, res["total"], rtol=1e-9)
    m = multipliers(t, "type_ii").iloc[j]
    np.testing.assert_allclose(res.loc["output", "total"], amount * m["output_multiplier"], rtol=1e-9)
    np.testing.assert_allclose(res.loc["gva", "total"], amount * m["gva_effect"], rtol=1e-9)
    np.testing.assert_allclose(res.loc["employment", "total"], amount * m["employment_effect"], rtol=1e-9)
    assert (res[["indirect", "induced"]] >= -1e-9).all().all()


@settings(max_examples=60, deadline=None)
@given(tables(), closures, st.sampled_from(["coe", "household_income"]))
def test_type_ii_solve_path_equals_explicit_closed_inverse(t: IOTable, closure: tuple[float, float], how: str) -> None:
    """The rank-one update (multipliers), the closed LU (closed_system) and a dense inverse agree."""
    n = t.n
    income = t.income.sum() if how == "coe" else closure[0] * t.income.sum()
    t = t.replace(household_income=None if how == "coe" else income, resident_share=closure[1])
    closed = np.zeros((n + 1, n + 1))
    closed[:n, :n] = t.Z / t.x
    closed[n, :n] = closure[1] * t.income / t.x
    closed[:n, n] = t.households / income
    Lbar = np.linalg.inv(np.eye(n + 1) - closed)[:n, :n]
    m = multipliers(t, "type_ii", closure=how)  # type: ignore[arg-type]
    np.testing.assert_allclose(m["output_multiplier"], Lbar.sum(axis=0), rtol=1e-9)
    np.testing.assert_allclose(m["gva_effect"], (t.gva / t.x) @ Lbar, rtol=1e-9)
    np.testing.assert_allclose(m["income_effect"], (t.income / t.x) @ Lbar, rtol=1e-9)
    np.testing.assert_allclose(m["employment_effect"], (t.employment / t.x) @ Lbar, rtol=1e-9)
    lu = closed_system(t, closure=how)  # type: ignore[arg-type]
    np.testing.assert_allclose(lu.solve_transposed(np.append(t.gva / t.x, 0.0))[:n], (t.gva / t.x) @ Lbar, rtol=1e-9)
