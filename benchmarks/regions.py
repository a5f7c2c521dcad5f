"""Many regions at once: FLQ regionalisation + Type I and II effects of every region.

* **kil_io**: :func:`kil_io.regional.regional_multipliers_by_kind` for Type I and Type II
  (validation, one regionalisation with the supply constraint, the solves and the labelled
  frames), from employment tables to results.
* **batched LAPACK limit**: given the regional coefficient matrices (made by
  :func:`reference_regions`, an independent numpy version of the same FLQ method), only
  the LU solves of all R open and R closed systems: the faster of one stacked
  ``numpy.linalg.solve``, a loop of ``scipy.linalg.lu_factor`` / ``lu_solve``, and a loop of
  LAPACK's ``getrf`` / ``getrs`` themselves (no scipy wrapper, in place).
* **pymrio**: :func:`reference_regions`, then one ``IOSystem.calc_all()`` per region and
  kind, as a pymrio user would do it (pymrio has no location-quotient regionalisation).
"""

from __future__ import annotations

import dataclasses
import warnings
from functools import partial
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import linalg

from benchmarks import methods, systems

DELTA = 0.3


class Regions(NamedTuple):
    A: np.ndarray  # (R, n, n) regional technical coefficients
    hc: np.ndarray  # (R, n) household purchase coefficients (per £ of household income)
    x: np.ndarray  # (R, n) regional output
    S: np.ndarray  # (4, n) direct coefficients, national (equal productivity)
    hr: np.ndarray  # (n,) household row: CoE per £ of output


def employment(regions: str) -> tuple[pd.DataFrame, pd.Series]:
    """``"itl2"`` (40 ITL2 regions, BRES 2021), ``"lad"`` (350 GB authorities) or a number of synthetic regions."""
    if regions == "itl2":
        return systems.itl2_employment()
    if regions == "lad":
        return systems.lad_employment()
    return systems.regional_employment(int(regions))


def reference_regions(raw: systems.RawSystem, re: np.ndarray, ne: np.ndarray, delta: float = DELTA) -> Regions:
    """FLQ regional tables (Flegg & Webber 2000; households as a sector with SLQ = 1), with
    the supply constraint kil_io documents: where local intermediate and household use of a
    sector's output would exceed it, that sector's local purchase coefficients are scaled down.
    """
    A, S, hc, hr = methods.coefficients(raw)
    size = re.sum(axis=1) / ne.sum()  # (R,)
    slq = np.where(ne > 0, re / np.where(ne > 0, ne, 1.0), size[:, None]) / size[:, None]
    lam = np.log2(1.0 + size) ** delta
    with np.errstate(divide="ignore", invalid="ignore"):
        cilq = slq[:, :, None] / slq[:, None, :]
    cilq[np.broadcast_to(slq[:, None, :] == 0, cilq.shape)] = 0.0  # a sector absent from the region buys nothing
    diag = np.arange(raw.n)
    cilq[:, diag, diag] = slq
    Ar = np.minimum(1.0, lam[:, None, None] * cilq) * A
    rpc = np.minimum(1.0, lam[:, None] * slq)
    x = slq * size[:, None] * raw.x
    pay = x @ hr
    use = np.einsum("rij,rj->ri", Ar, x) + rpc * hc * pay[:, None]
    cap = np.where(use > x * (1 + 1e-12), x / np.where(use > 0, use, 1.0), 1.0)
    Ar *= cap[:, :, None]
    return Regions(A=Ar, hc=rpc * cap * hc, x=x, S=S, hr=hr)


def _stacked(reg: Regions, kinds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(I - A)' stacks and right-hand sides for Type I and the closed Type II systems."""
    R, n, _ = reg.A.shape
    M = -reg.A
    M[:, diag := np.arange(n), diag] += 1.0
    out = [(M.transpose(0, 2, 1), np.broadcast_to(reg.S.T, (R, n, 4)))]
    if kinds == 2:
        C = np.zeros((R, n + 1, n + 1))
        C[:, :n, :n] = M
        C[:, :n, n] = -reg.hc
        C[:, n, :n] = -reg.hr
        C[:, n, n] = 1.0
        out.append((C.transpose(0, 2, 1), np.broadcast_to(np.vstack([reg.S.T, np.zeros((1, 4))]), (R, n + 1, 4))))
    return out


def limit_stacked(systems_: list[tuple[np.ndarray, np.ndarray]], n: int) -> np.ndarray:
    """One batched ``numpy.linalg.solve`` (LAPACK gesv per matrix) per kind: (kinds, R, 4, n)."""
    return np.stack([np.linalg.solve(M, rhs)[:, :n, :].transpose(0, 2, 1) for M, rhs in systems_])


def limit_loop(systems_: list[tuple[np.ndarray, np.ndarray]], n: int) -> np.ndarray:
    """``lu_factor`` + ``lu_solve`` region by region (no Python-level batching)."""
    out = []
    for M, rhs in systems_:
        out.append(
            np.stack(
                [
                    linalg.lu_solve(linalg.lu_factor(m, check_finite=False), b, check_finite=False)[:n].T
                    for m, b in zip(M, rhs, strict=True)
                ]
            )
        )
    return np.stack(out)


def lapack_loop(systems_: list[tuple[np.ndarray, np.ndarray]], n: int) -> np.ndarray:
    """LAPACK ``getrf`` / ``getrs`` themselves, region by region, factorising in place."""
    getrf, getrs = linalg.get_lapack_funcs(("getrf", "getrs"), dtype=np.float64)
    out = []
    for M, rhs in systems_:
        # I - A, C-ordered (a copy: the prepared stack serves every repetition; it is in the
        # time, as kil_io builds its own), so that IA[r].T is (I - A)' in Fortran order
        IA = M.transpose(0, 2, 1).copy()
        res = np.empty((len(M), 4, n))
        for r in range(len(M)):
            lu, piv, _ = getrf(IA[r].T, overwrite_a=True)
            res[r] = getrs(lu, piv, rhs[r])[0][:n].T
        out.append(res)
    return np.stack(out)


def prepare_limit(regions: str, kinds: int, repeat: int, variant: str) -> list[methods.Make]:
    raw = systems.uk()
    frame, national = employment(regions)
    reg = reference_regions(raw, frame[list(raw.sectors)].to_numpy(), national[list(raw.sectors)].to_numpy())
    stacks = _stacked(reg, kinds)
    solve = {"stacked": limit_stacked, "loop": limit_loop, "lapack": lapack_loop}[variant]
    timed = partial(solve, stacks, raw.n)
    return [lambda: timed] * repeat


def prepare_reference(regions: str, kinds: int, repeat: int) -> list[methods.Make]:
    """The numpy regionalisation alone (reported beside the limit)."""
    raw = systems.uk()
    frame, national = employment(regions)
    re, ne = frame[list(raw.sectors)].to_numpy(), national[list(raw.sectors)].to_numpy()
    return [lambda: lambda: reference_regions(raw, re, ne).A[:, :1, :4].copy()[None]] * repeat


def prepare_kil_io(regions: str, kinds: int, repeat: int) -> list[methods.Make]:
    from kil_io import datasets
    from kil_io.regional import regional_multipliers_by_kind

    frame, national = employment(regions)

    def run(table) -> list[pd.DataFrame]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # sectors absent from a region: NaN, named in a warning
            # households closed on pay and buying as a sector with SLQ = 1, as the reference systems
            both = regional_multipliers_by_kind(
                table, frame, methods.KINDS[kinds], national_employment=national, delta=DELTA, closure="coe",
                household_rule="as_industry",
            )  # fmt: skip
        return list(both.values())

    national_table = datasets.uk_iot(2019)
    # a new national table each repetition: its cached LU does not carry over
    return [lambda: partial(run, dataclasses.replace(national_table))] * repeat


def prepare_pymrio(regions: str, kinds: int, repeat: int) -> list[methods.Make]:
    raw = systems.uk()
    frame, national = employment(regions)
    re, ne = frame[list(raw.sectors)].to_numpy(), national[list(raw.sectors)].to_numpy()

    def run() -> np.ndarray:
        reg = reference_regions(raw, re, ne)
        out = np.empty((kinds, len(re), 4, raw.n))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for r in range(len(re)):
                regional = _raw_region(raw, reg, r)
                for k, closed in enumerate((False, True)[:kinds]):
                    out[k, r] = methods.pymrio_effects(methods.pymrio_frames(regional, closed), raw.n)
        return out

    return [lambda: run] * repeat


def _raw_region(raw: systems.RawSystem, reg: Regions, r: int) -> systems.RawSystem:
    """Region ``r`` as plain arrays (flows = coefficients x regional output) for pymrio."""
    x = reg.x[r]
    Z = reg.A[r] * x
    coe = reg.hr * x
    households = reg.hc[r] * coe.sum()
    per = raw.values() / raw.x
    return dataclasses.replace(
        raw,
        Z=Z,
        households=households,
        other=x - Z.sum(axis=1) - households,
        coe=coe,
        gos=per[1] * x - coe,
        imports=x - Z.sum(axis=0) - per[1] * x,
        x=x,
        fte=per[3] * x,
    )


PREPARE = {
    "kil_io": prepare_kil_io,
    "limit_stacked": lambda regions, kinds, repeat: prepare_limit(regions, kinds, repeat, "stacked"),
    "limit_loop": lambda regions, kinds, repeat: prepare_limit(regions, kinds, repeat, "loop"),
    "lapack_loop": lambda regions, kinds, repeat: prepare_limit(regions, kinds, repeat, "lapack"),
    "reference_regionalise": prepare_reference,
    "pymrio": prepare_pymrio,
}
