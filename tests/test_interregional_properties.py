"""The interregional solve on small random systems (hypothesis): equal to a dense solve, national when summed.

Each example is a Chenery-Moses system of 2-5 authorities and 1-5 industries drawn from a seed: a productive
national ``A``, local blocks ``0 <= A^l_s <= A``, outputs, places, a decay, households and a commuting matrix.
Households re-spend up to 95% of a pound over all rounds (the UK 2023 table's loop, pay x L x consumption per
£ of income, is 0.17): there the solver's national-total step can stop contracting and the sweeps fall back to
plain block Jacobi, which these examples exercise.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kil_io.regional.interregional.gravity import decay_matrices
from kil_io.regional.interregional.system import InterregionalSystem


@st.composite
def systems(draw: st.DrawFn) -> InterregionalSystem:
    R, n = draw(st.integers(2, 5)), draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    A = rng.random((n, n)) * (rng.random((n, n)) < 0.8)
    A *= draw(st.floats(0.05, 0.9)) / max(A.sum(axis=0).max(), 1e-9)  # column sums below 1: productive
    local = A[None] * rng.random((R, n, n)) * draw(st.floats(0.0, 1.0))
    places = rng.random((R, 2)) * 300
    distance = np.hypot(*(places[:, None, :] - places[None, :, :]).transpose(2, 0, 1)) + 1.0
    pay = rng.random(n) * 0.5
    consumption = rng.random(n)
    # households re-spend less than they earn, over all rounds: the closure is productive
    loop = max(float(pay @ np.linalg.solve(np.eye(n) - A, consumption)), 1e-9)
    consumption *= draw(st.floats(0.05, 0.95)) / loop
    commuting = rng.random((R, R)) + np.eye(R) * draw(st.floats(0.0, 5.0))
    return InterregionalSystem(
        A=A, local=local, supply=rng.random((R, n)) + 0.05, decay=decay_matrices(distance, draw(st.floats(0.0, 3.0))),
        groups=rng.integers(0, 3, n),
        direct=np.vstack([np.ones(n), pay + rng.random(n) * 0.3, pay, rng.random(n) * 20]),
        consumption=consumption, local_consumption=rng.random((R, n)), commuting=commuting / commuting.sum(axis=0),
    )  # fmt: skip


def dense_solve(s: InterregionalSystem, b: np.ndarray, kind: str, g: np.ndarray | None = None) -> np.ndarray:
    R, n = s.shape
    M = s.dense(kind)
    rhs = b.reshape(R * n, -1)
    if kind == "type_ii":
        rhs = np.vstack([rhs, np.zeros((R, rhs.shape[1])) if g is None else g])
    return np.linalg.solve(np.eye(M.shape[0]) - M, rhs)


@settings(max_examples=60, deadline=None)
@given(systems(), st.integers(0, 2**32 - 1), st.sampled_from(["type_i", "type_ii"]))
def test_block_solve_equals_dense_solve(s: InterregionalSystem, seed: int, kind: str) -> None:
    R, n = s.shape
    rng = np.random.default_rng(seed)
    b = rng.random((R, n, 3)) * (rng.random((R, n, 3)) < 0.5)
    g = rng.random((R, 3)) if kind == "type_ii" else None
    got = s.solve(b, kind, income=g)
    want = dense_solve(s, b, kind, g)
    np.testing.assert_allclose(got.x.reshape(R * n, 3), want[: R * n], rtol=1e-9, atol=1e-11)
    if kind == "type_ii":
        np.testing.assert_allclose(got.y, want[R * n :], rtol=1e-9, atol=1e-11)
    assert got.residual < 1e-9
    assert (got.x >= 0).all()


@settings(max_examples=60, deadline=None)
@given(systems(), st.integers(0, 2**32 - 1))
def test_authorities_add_up_to_the_nation(s: InterregionalSystem, seed: int) -> None:
    R, n = s.shape
    b = np.random.default_rng(seed).random((R, n, 2))
    national = np.linalg.inv(np.eye(n) - s.A)
    np.testing.assert_allclose(s.solve(b).x.sum(axis=0), national @ b.sum(axis=0), rtol=1e-10, atol=1e-12)
    # Type II: the national closure (consumption per £ of household income, all pay to some household)
    closed = np.eye(n + 1)
    closed[:n, :n] -= s.A
    closed[:n, n] = -s.consumption
    closed[n, :n] = -s.direct[2]
    two = s.solve(b, "type_ii")
    want = np.linalg.solve(closed, np.vstack([b.sum(axis=0), np.zeros((1, 2))]))
    np.testing.assert_allclose(two.x.sum(axis=0), want[:n], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(two.y.sum(axis=0), want[n], rtol=1e-10, atol=1e-12)
    assert (two.x >= s.solve(b).x - 1e-12).all()  # Type II >= Type I, authority by authority


@settings(max_examples=40, deadline=None)
@given(systems(), st.integers(0, 2**32 - 1), st.sampled_from(["type_i", "type_ii"]))
def test_linear_and_feedback(s: InterregionalSystem, seed: int, kind: str) -> None:
    R, n = s.shape
    rng = np.random.default_rng(seed)
    b1, b2 = rng.random((R, n, 1)), rng.random((R, n, 1))
    both = s.solve(np.concatenate([b1, b2, b1 + b2], axis=2), kind).x
    np.testing.assert_allclose(both[..., 2], both[..., 0] + both[..., 1], rtol=1e-9, atol=1e-12)
    # a shock in one authority: its own output is at least what its own block alone gives (feedback >= 0)
    k = int(rng.integers(R))
    b = np.zeros((R, n, 1))
    b[k, :, 0] = rng.random(n)
    own = np.linalg.solve(np.eye(n) - s.local[k], b[k, :, 0])
    assert (s.solve(b).x[k, :, 0] >= own - 1e-12).all()
