"""Invariants of the Leontief model on random productive tables (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kil_io import IOTable, impact, multipliers

positive = st.floats(0.01, 1.0)


@st.composite
def tables(draw: st.DrawFn) -> IOTable:
    """A balanced table built from a productive A: x = L f, Z = A diag(x), value added = the rest."""
    n = draw(st.integers(2, 8))
    raw = draw(arrays(np.float64, (n, n), elements=st.floats(0.0, 1.0)))
    sparsity = draw(arrays(np.bool_, (n, n)))
    raw = np.where(sparsity, 0.0, raw)
    col_share = draw(arrays(np.float64, n, elements=st.floats(0.05, 0.9)))
    A = raw / np.maximum(raw.sum(axis=0), 1e-12) * col_share  # columns sum to < 0.9
    f = draw(arrays(np.float64, n, elements=st.floats(1.0, 1000.0)))
    x = np.linalg.solve(np.eye(n) - A, f)
    Z = A * x
    va = x - Z.sum(axis=0)
    coe_share = draw(arrays(np.float64, n, elements=st.floats(0.1, 0.9)))
    hh_share = draw(st.floats(0.2, 0.8))
    fte = draw(arrays(np.float64, n, elements=st.floats(0.0, 50.0)))
    s = [f"S{i}" for i in range(n)]
    return IOTable.from_frames(
        pd.DataFrame(Z, index=s, columns=s),
        pd.DataFrame({"households": hh_share * f, "exports": (1 - hh_share) * f}, index=s),
        pd.DataFrame(
            [coe_share * va, (1 - coe_share) * va],
            index=["compensation_of_employees", "gross_operating_surplus"],
            columns=s,
        ),
        employment=pd.Series(fte + 1.0, index=s),
        area="random",
    )


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


@settings(max_examples=60, deadline=None)
@given(tables())
def test_type_ii_at_least_type_i_and_income_ratio_constant(t: IOTable) -> None:
    m1, m2 = multipliers(t, "type_i"), multipliers(t, "type_ii")
    for col in m1.columns:
        assert (m2[col] >= m1[col] - 1e-12).all(), col
    # Miller & Blair (2009) section 6.2.3: Type II / Type I income multipliers are the
    # same for every sector when households are closed in on labour income.
    ratio = m2["income_multiplier"] / m1["income_multiplier"]
    np.testing.assert_allclose(ratio, ratio.iloc[0], rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(tables(), st.data())
def test_impact_components_add_up_and_match_multipliers(t: IOTable, data: st.DataObject) -> None:
    j = data.draw(st.integers(0, t.n - 1))
    amount = data.draw(st.floats(0.1, 100.0))
    res = impact(t, {t.sectors[j]: amount}, "type_ii").to_frame()
    parts = res[["direct", "indirect", "induced"]].sum(axis=1)
    np.testing.assert_allclose(parts, res["total"], rtol=1e-9)
    m = multipliers(t, "type_ii").iloc[j]
    np.testing.assert_allclose(res.loc["output", "total"], amount * m["output_multiplier"], rtol=1e-9)
    np.testing.assert_allclose(res.loc["gva", "total"], amount * m["gva_effect"], rtol=1e-9)
    np.testing.assert_allclose(res.loc["employment", "total"], amount * m["employment_effect"], rtol=1e-9)
    assert (res[["indirect", "induced"]] >= -1e-9).all().all()
