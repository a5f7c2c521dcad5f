"""Leontief system: productiveness, solves against the explicit inverse."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kil_io import LeontiefSystem, NegativeFlowError, NotProductiveError, leontief_inverse, technical_coefficients
from kil_io.errors import LabelError, NonNumericError, TableError
from kil_io.model.leontief import closed_coefficients


def test_invertible_but_not_productive_is_rejected() -> None:
    # rho(A) = 0.5 + sqrt(2) > 1 yet det(I - A) = -1.75 != 0: numpy "inverts" it,
    # giving a matrix with negative entries that no economy could have.
    A = np.array([[0.5, 2.0], [1.0, 0.5]])
    naive = np.linalg.inv(np.eye(2) - A)
    assert (naive < 0).any()
    with pytest.raises(NotProductiveError, match=r"spectral radius of A = 1\.91421"):
        leontief_inverse(A)


def test_column_sums_above_one_but_productive_is_accepted() -> None:
    # A column summing to more than 1 does not by itself make A unproductive.
    A = np.array([[0.1, 0.9], [0.1, 0.5]])
    assert A.sum(axis=0).max() > 1
    assert np.max(np.abs(np.linalg.eigvals(A))) < 1
    np.testing.assert_allclose(leontief_inverse(A), np.linalg.inv(np.eye(2) - A), rtol=1e-12)


def test_singular_is_rejected() -> None:
    with pytest.raises(NotProductiveError, match="singular"):
        LeontiefSystem(np.array([[1.0, 0.0], [0.0, 0.2]]), label="'toy'")


def test_spectral_radius_exactly_one_in_a_block() -> None:
    A = np.array([[0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.1, 0.1, 0.3]])
    with pytest.raises(NotProductiveError, match=r"spectral radius of A = 1\b"):
        leontief_inverse(A)


def test_negative_coefficient_rejected() -> None:
    with pytest.raises(NegativeFlowError, match=r"A\[0, 1\] = -0.1"):
        leontief_inverse([[0.1, -0.1], [0.2, 0.1]])


@pytest.mark.parametrize(
    ("A", "error"),
    [([[0.1, 0.2]], LabelError), ([[0.1, np.nan], [0.0, 0.1]], NonNumericError), ([["a", 0]], NonNumericError)],
)
def test_malformed_matrix(A: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        leontief_inverse(A)


def test_technical_coefficients_zero_output_column_is_zero_not_inf() -> None:
    A = technical_coefficients([[1.0, 0.0], [2.0, 0.0]], [10.0, 0.0])
    np.testing.assert_array_equal(A, [[0.1, 0.0], [0.2, 0.0]])
    with pytest.raises(TableError, match="zero output but buys"):
        technical_coefficients([[1.0, 1.0], [2.0, 0.0]], [10.0, 0.0])


def test_solves_match_explicit_inverse() -> None:
    rng = np.random.default_rng(7)
    A = rng.uniform(0, 1, (30, 30))
    A *= 0.8 / A.sum(axis=0)
    system = LeontiefSystem(A)
    L = np.linalg.inv(np.eye(30) - A)
    f = rng.uniform(0, 10, 30)
    V = rng.uniform(0, 1, (4, 30))
    np.testing.assert_allclose(system.solve(f), L @ f, rtol=1e-12)
    np.testing.assert_allclose(system.solve_transposed(V), V @ L, rtol=1e-12)
    np.testing.assert_allclose(system.solve_transposed(V[0]), V[0] @ L, rtol=1e-12)
    np.testing.assert_allclose(system.inverse(), L, rtol=1e-12)


def _orders(A: np.ndarray) -> dict[str, np.ndarray]:
    """The same matrix in C order, Fortran order, as a strided view and read-only."""
    strided = np.zeros((A.shape[0], 2 * A.shape[1]))
    strided[:, ::2] = A
    frozen = A.copy()
    frozen.flags.writeable = False
    return {"C": np.ascontiguousarray(A), "F": np.asfortranarray(A), "strided": strided[:, ::2], "readonly": frozen}


@pytest.mark.parametrize("order", ["C", "F", "strided", "readonly"])
def test_any_memory_layout_gives_the_same_answers(order: str) -> None:
    # the factorisation is done in place on a buffer laid out like A (LU of I - A, or of
    # (I - A)' with the solves' trans flags swapped): every layout must give the same L
    rng = np.random.default_rng(11)
    A = rng.uniform(0, 1, (25, 25))
    A *= 0.7 / A.sum(axis=0)
    supplied = _orders(A)[order]
    before = supplied.copy()
    system = LeontiefSystem(supplied)
    L = np.linalg.inv(np.eye(25) - A)
    f, V = rng.uniform(0, 10, 25), rng.uniform(0, 1, (3, 25))
    np.testing.assert_allclose(system.solve(f), L @ f, rtol=1e-12)
    np.testing.assert_allclose(system.solve(np.column_stack([f, 2 * f])), L @ np.column_stack([f, 2 * f]), rtol=1e-12)
    np.testing.assert_allclose(system.solve_transposed(V), V @ L, rtol=1e-12)
    np.testing.assert_allclose(system.inverse(), L, rtol=1e-12)
    np.testing.assert_array_equal(supplied, before)  # A itself is never overwritten


def test_right_hand_side_of_the_wrong_length_is_refused() -> None:
    system = LeontiefSystem([[0.15, 0.25], [0.2, 0.05]], label="'toy'")
    with pytest.raises(LabelError, match="expected 2 rows"):
        system.solve([1.0, 2.0, 3.0])
    with pytest.raises(LabelError, match="expected 2 rows"):
        system.solve_transposed([[1.0, 2.0, 3.0]])


def test_factorising_allocates_one_matrix_and_never_the_inverse() -> None:
    # Memory is what limits the largest table: besides A, one n x n buffer holds I - A
    # and then its LU factors in place (no identity matrix, no copy for LAPACK, no L).
    import tracemalloc

    n = 400
    rng = np.random.default_rng(3)
    A = rng.uniform(0, 1, (n, n))
    A *= 0.6 / A.sum(axis=0)
    V = rng.uniform(0, 1, (4, n))
    matrix = n * n * 8
    tracemalloc.start()
    try:
        system = LeontiefSystem(A)
        system.solve_transposed(V)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert matrix <= peak < 1.2 * matrix, f"peak {peak / matrix:.2f} n x n matrices"


@pytest.mark.parametrize("kind", ["type_i", "type_ii"])
def test_effects_of_a_table_never_store_A_or_L(kind: str) -> None:
    # from a table's flows straight into the buffer LAPACK factorises: no A, no L, no copy
    import tracemalloc

    from kil_io import IOTable
    from kil_io.model.multipliers import total_effects

    n = 400
    rng = np.random.default_rng(5)
    Z = rng.uniform(0, 1, (n, n))
    x = Z.sum(axis=0) / 0.6
    f = x - Z.sum(axis=1)
    assert (f > 0).all()
    table = IOTable(
        sectors=tuple(f"s{i}" for i in range(n)), Z=Z, final_demand=np.column_stack([0.4 * f, 0.6 * f]),
        final_demand_labels=("households", "other"), primary_inputs=np.vstack([0.25 * x, 0.15 * x]),
        primary_input_labels=("compensation_of_employees", "gross_operating_surplus"), output=x,
        employment=x * 7,  # 7 FTE per £1m, £36,000 of pay per FTE, as a UK table
    )  # fmt: skip
    matrix = (n + 1) * (n + 1) * 8
    tracemalloc.start()
    try:
        effects = total_effects(table, kind, closure="coe")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1.2 * matrix, f"peak {peak / matrix:.2f} n x n matrices"
    assert "A" not in vars(table)  # the cached property was never needed
    A = Z / x
    if kind == "type_i":
        expected = np.linalg.solve((np.eye(n) - A).T, direct_rows(table).T).T
    else:
        closed = np.zeros((n + 1, n + 1))
        closed[:n, :n], closed[:n, n], closed[n, :n] = A, 0.4 * f / (0.25 * x).sum(), 0.25
        rows = np.hstack([direct_rows(table), np.zeros((4, 1))])
        expected = np.linalg.solve((np.eye(n + 1) - closed).T, rows.T).T[:, :n]
    np.testing.assert_allclose(effects, expected, rtol=1e-10)


def direct_rows(table: object) -> np.ndarray:
    x = table.output  # type: ignore[attr-defined]
    return np.vstack([np.ones_like(x), 0.4 * np.ones_like(x), 0.25 * np.ones_like(x), 7.0 * np.ones_like(x)])


@pytest.mark.parametrize("seed", range(12))
def test_column_stochastic_is_rejected_even_when_rounding_hides_the_singularity(seed: int) -> None:
    # rho(A) = 1 exactly, but LU pivots are rounding noise rather than zero: (I - A) s = 1
    # then has a huge "positive" solution; the Collatz-Wielandt bound from A catches it
    rng = np.random.default_rng(seed)
    A = rng.uniform(0.0, 1.0, (6, 6))
    A /= A.sum(axis=0)
    for layout in (A, np.asfortranarray(A)):
        with pytest.raises(NotProductiveError, match=r"spectral radius of A = 1\b"):
            LeontiefSystem(layout)


@pytest.mark.parametrize("order", ["C", "F"])
def test_column_sums_above_one_checked_in_either_layout(order: str) -> None:
    productive = np.asarray([[0.1, 0.9], [0.1, 0.5]], order=order)
    np.testing.assert_allclose(LeontiefSystem(productive).inverse(), np.linalg.inv(np.eye(2) - productive))
    with pytest.raises(NotProductiveError, match=r"spectral radius of A = 1\.91421"):
        LeontiefSystem(np.asarray([[0.5, 2.0], [1.0, 0.5]], order=order))


def test_empty_matrix_is_refused() -> None:
    with pytest.raises(LabelError, match="at least one sector"):
        LeontiefSystem(np.zeros((0, 0)))


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 8), st.integers(0, 2**32 - 1), st.floats(0.0, 1.5))
def test_closed_bound_is_an_upper_bound_on_the_spectral_radius(n: int, seed: int, propensity: float) -> None:
    # the weighted Collatz-Wielandt bound that spares the household-closed system a solve
    from kil_io.model.leontief import _closed_bound

    rng = np.random.default_rng(seed)
    A = rng.uniform(0, 1, (n, n)) * rng.uniform(0.1, 0.9) / n
    hr = rng.uniform(0, 1, n) * (1 - A.sum(axis=0)) * rng.uniform(0.2, 1.2)
    hc = rng.dirichlet(np.ones(n)) * propensity
    closed = closed_coefficients(A, hr, hc)
    rho = np.max(np.abs(np.linalg.eigvals(closed)))
    assert _closed_bound(A.sum(axis=0), hr, hc.sum()) >= rho - 1e-12
