"""What is timed: kil_io, the LAPACK limit and pymrio, each from the same inputs.

Each ``prepare_*`` function returns one ``make`` per repetition: ``make()`` does the
untimed set-up a user would have done already (a validated kil_io table, coefficient
arrays, pandas frames for pymrio) just before that repetition, and returns the timed
callable, which returns the effects as an array of shape (kinds, 4, n): kinds = 1
(Type I) or 2 (Type I and Type II); rows in :data:`benchmarks.systems.MEASURES` order
(output multiplier, GVA, income and FTE effects per unit of final demand).

* **kil_io**: :func:`kil_io.model.multipliers.total_effects` on a freshly built table, so nothing
  is cached: the time includes ``A = Z diag(x)^-1``, the factorisation, the productiveness
  check and the solves. ``kil_io_frames`` times the labelled :func:`kil_io.multipliers`
  (DataFrame with ratio multipliers and NaN warnings) instead.
* **LAPACK limit**: the faster of ``scipy.linalg.lu_factor`` + ``lu_solve`` and LAPACK's
  ``getrf`` + ``getrs`` themselves, of the same ``I - A`` (and the household-closed matrix)
  with the four coefficient rows at once, given ``A`` already; ``I - A`` is built in one
  buffer and factorised in place.
* **pymrio**: ``IOSystem(Z, Y, extension F).calc_all()`` (pymrio forms ``L`` by
  ``numpy.linalg.inv`` and its multipliers are ``M = S L``); Type II is ``calc_all`` of the
  system closed with a household row and column, the same closure as kil_io's.
  ``calc_all`` also computes footprint accounts kil_io does not, so **pymrio math** times
  pymrio's own functions for just these effects (``calc_x``, ``calc_A``, ``calc_L``,
  ``calc_S``, ``calc_M``) on the same frames.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd
from scipy import linalg

from benchmarks.systems import MEASURES, RawSystem

Run = Callable[[], object]
Make = Callable[[], Run]
KINDS = {1: ("type_i",), 2: ("type_i", "type_ii")}


# ---------------------------------------------------------------------- kil_io
def prepare_kil_io(raw: RawSystem, kinds: int, repeat: int) -> list[Make]:
    from kil_io.model.multipliers import total_effects

    def run(table) -> np.ndarray:
        return np.stack(
            [total_effects(table, kind, closure="coe") for kind in KINDS[kinds]]
        )  # pay closure, as the references

    return [lambda: partial(run, raw.table())] * repeat


def prepare_kil_io_frames(raw: RawSystem, kinds: int, repeat: int) -> list[Make]:
    from kil_io.model.multipliers import multipliers

    def run(table) -> list[pd.DataFrame]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zero-output notes: named once, not timed
            return [multipliers(table, kind, closure="coe") for kind in KINDS[kinds]]

    return [lambda: partial(run, raw.table())] * repeat


#: Columns of :func:`kil_io.multipliers` holding the four effects, in MEASURES order.
EFFECT_COLUMNS = ["output_multiplier", "gva_effect", "income_effect", "employment_effect"]


def as_array(result: np.ndarray | list[pd.DataFrame], regions: int | None = None) -> np.ndarray:
    """A method's result as (kinds, 4, n), or (kinds, R, 4, n) for frames indexed (area, sector)."""
    if isinstance(result, np.ndarray):
        return result
    arrays = [frame[EFFECT_COLUMNS].to_numpy() for frame in result]  # converted after the clock stops
    if regions is None:
        return np.stack([a.T for a in arrays])
    return np.stack([a.reshape(regions, -1, 4).transpose(0, 2, 1) for a in arrays])


# ---------------------------------------------------------------------- LAPACK limit
_getrf, _getrs = linalg.get_lapack_funcs(("getrf", "getrs"), dtype=np.float64)


def _solve_rows(A: np.ndarray, S: np.ndarray, variant: str) -> np.ndarray:
    """``S (I - A)^-1`` for rows ``S``: LU of ``(I - A)'`` in place (C-ordered I - A, read transposed)."""
    n = A.shape[0]
    M = np.negative(A)
    M.reshape(-1)[:: n + 1] += 1.0
    if variant == "scipy":
        lu = linalg.lu_factor(M.T, overwrite_a=True, check_finite=False)
        return linalg.lu_solve(lu, S.T, check_finite=False).T
    lu, piv, _ = _getrf(M.T, overwrite_a=True)
    return _getrs(lu, piv, S.T)[0].T


def limit_effects(
    A: np.ndarray, S: np.ndarray, hc: np.ndarray, hr: np.ndarray, kinds: int, variant: str = "scipy"
) -> np.ndarray:
    """Type I (and II) effects by LU factor + solve: ``S`` is (4, n) direct coefficients."""
    n = A.shape[0]
    out = [_solve_rows(A, S, variant)]
    if kinds == 2:
        closed = np.zeros((n + 1, n + 1))
        closed[:n, :n] = A
        closed[:n, n] = hc
        closed[n, :n] = hr
        out.append(_solve_rows(closed, np.hstack([S, np.zeros((4, 1))]), variant)[:, :n])
    return np.stack(out)


def coefficients(raw: RawSystem) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``A``, direct coefficients ``S`` (output row 1), household column and row."""
    A = raw.Z / raw.x
    S = raw.values() / raw.x
    S[0] = 1.0
    return A, S, raw.households / raw.coe.sum(), raw.coe / raw.x


def prepare_limit(raw: RawSystem, kinds: int, repeat: int, variant: str = "scipy") -> list[Make]:
    A, S, hc, hr = coefficients(raw)
    # fresh copies for each repetition, as kil_io gets a newly built table: neither starts
    # with its inputs warm in the caches from the repetition before
    return [lambda: partial(limit_effects, A.copy(), S.copy(), hc.copy(), hr.copy(), kinds, variant)] * repeat


# ---------------------------------------------------------------------- pymrio
def pymrio_frames(raw: RawSystem, closed: bool) -> dict[str, pd.DataFrame]:
    """Z, Y and the extension F as pymrio wants them (one region, MultiIndex labels)."""
    sectors = list(raw.sectors) + (["households (closed)"] if closed else [])
    idx = pd.MultiIndex.from_product([["region"], sectors], names=["region", "sector"])
    values = raw.values()
    if closed:
        n = raw.n
        Z = np.zeros((n + 1, n + 1))
        Z[:n, :n] = raw.Z
        Z[:n, n] = raw.households  # households buy consumption goods ...
        Z[n, :n] = raw.coe  # ... and sell labour; total income = total CoE
        Y = np.concatenate([raw.other, [0.0]])[:, None]
        values = np.hstack([values, np.zeros((4, 1))])
        categories = ["other"]
    else:
        Z = raw.Z
        Y = np.column_stack([raw.households, raw.other])
        categories = ["households", "other"]
    ycols = pd.MultiIndex.from_product([["region"], categories], names=["region", "category"])
    return {
        "Z": pd.DataFrame(Z, index=idx, columns=idx),
        "Y": pd.DataFrame(Y, index=idx, columns=ycols),
        "F": pd.DataFrame(values, index=pd.Index(list(MEASURES), name="stressor"), columns=idx),
    }


def pymrio_effects(frames: dict[str, pd.DataFrame], n: int) -> np.ndarray:
    import pymrio

    io = pymrio.IOSystem(Z=frames["Z"], Y=frames["Y"], effects={"name": "effects", "F": frames["F"]})
    io.calc_all()
    # the extension's output row is F = x, so S = 1 and its row of M = S L is the column sums of L
    return io.effects.M.to_numpy()[:, :n]


def pymrio_math(frames: dict[str, pd.DataFrame], n: int) -> np.ndarray:
    """The same effects from pymrio's own functions, without ``calc_all``'s accounts."""
    import pymrio

    x = pymrio.calc_x(frames["Z"], frames["Y"])
    M = pymrio.calc_M(pymrio.calc_S(frames["F"], x), pymrio.calc_L(pymrio.calc_A(frames["Z"], x)))
    return M.to_numpy()[:, :n]


def prepare_pymrio(raw: RawSystem, kinds: int, repeat: int, how: str = "calc_all") -> list[Make]:
    systems_ = [pymrio_frames(raw, closed) for closed in (False, True)[:kinds]]
    effects = pymrio_effects if how == "calc_all" else pymrio_math

    def run() -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.stack([effects(frames, raw.n) for frames in systems_])

    return [lambda: run] * repeat


PREPARE = {
    "kil_io": prepare_kil_io,
    "kil_io_frames": prepare_kil_io_frames,
    "limit": prepare_limit,
    "lapack": partial(prepare_limit, variant="lapack"),
    "pymrio": prepare_pymrio,
    "pymrio_math": partial(prepare_pymrio, how="math"),
}
