"""The interregional model: its block solve against a dense solve and pymrio, and the full GB model's times.

``python -m benchmarks.interregional`` (``--smoke``: the dense comparison once, no GB model).

* **dense comparison** (a size whose dense system fits): the model of Scotland's authorities as a
  closed economy (32 authorities x 104 industries = 3,328 unknowns; subsets of England's lack some
  industry's supplier, which the model refuses).
  kil_io's block solve (:meth:`~kil_io.regional.interregional.InterregionalSystem.solve`, Type I) of one
  shock and of every authority's own shock at once, against, measured in the same run on the same
  matrix (:meth:`~kil_io.regional.interregional.InterregionalSystem.dense`, built beforehand): LAPACK's
  ``numpy.linalg.solve`` of ``I - A_MR`` with the same right-hand sides, and pymrio's ``calc_L`` then
  ``calc_x_from_L`` (the dense inverse, as pymrio computes every result). Largest difference reported.
* **Great Britain** (350 authorities x 104 industries, 36,400 unknowns: a dense inverse would be 10.6 GB):
  building the model (first call, data read), one shock (Calderdale, £1m of Q87 & Q88) Type I and II,
  every authority's own shock (350 right-hand sides) Type I and II, and the process's peak memory;
  against the same shock in Calderdale's single-region table (:func:`kil_io.datasets.regional_iot` and
  :func:`kil_io.demand_impact`, what kil_io did before), measured in the same run.

Times are the best of ``repeat`` runs in this process (the build: the first, cold, call).
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable

import numpy as np

from benchmarks import report

CARE = {"Q87 & Q88": 1.0}


def _best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def dense_comparison(areas: list[str], repeat: int) -> list[str]:
    """kil_io's block solve against a dense LAPACK solve and pymrio on a model of ``areas``."""
    import kil_io

    m = kil_io.interregional.model(areas=areas)
    s = m.system
    R, n = s.shape
    k = m.codes.index("S12000049")  # Glasgow City
    one = np.zeros((R, n, 1))
    one[k, m.sectors.index("Q87 & Q88"), 0] = 1.0
    own = np.zeros((R, n, R))
    i = m.sectors.index("Q87 & Q88")
    able = s.supply[:, i] > 0
    own[np.flatnonzero(able), i, np.flatnonzero(able)] = 1.0
    M = np.eye(R * n) - s.dense("type_i")
    s.solve(one)  # warm: the authorities' own inverses, computed once per model
    rows = []
    for label, b in (("one shock", one), (f"{R} own shocks", own)):
        ours = _best(lambda b=b: s.solve(b), repeat)
        lapack = _best(lambda b=b: np.linalg.solve(M, b.reshape(R * n, -1)), repeat)
        got = s.solve(b).x.reshape(R * n, -1)
        want = np.linalg.solve(M, b.reshape(R * n, -1))
        try:
            import pymrio

            A_mr = np.eye(R * n) - M

            def with_pymrio(b: np.ndarray = b, A_mr: np.ndarray = A_mr) -> np.ndarray:
                return np.asarray(pymrio.calc_x_from_L(pymrio.calc_L(A_mr), b.reshape(R * n, -1)))

            mrio = _best(with_pymrio, repeat)
            diff = float(np.abs(with_pymrio() - got).max())
            pym = f"{report.secs(mrio)} | {report.ratio(mrio, ours)} | {diff:.1e}"
        except ImportError:
            pym = "not installed | — | —"
        rows.append(f"| {R} x {n}, {label} | {report.secs(ours)} | {report.secs(lapack)} | "
                    f"{report.ratio(lapack, ours)} | {float(np.abs(got - want).max()):.1e} | {pym} |")  # fmt: skip
    head = [
        (
            "| system, shocks | kil_io block solve | dense LAPACK solve | LAPACK / kil_io | largest difference "
            "| pymrio (L, then x) | pymrio / kil_io | largest difference |"
        ),
        "|---|---|---|---|---|---|---|---|",
    ]
    return head + rows


def great_britain(repeat: int) -> list[str]:
    """The full model: build, one shock, every authority's own shock; single-region baseline."""
    import kil_io
    from kil_io import datasets

    start = time.perf_counter()
    m = kil_io.interregional.model()
    build = time.perf_counter() - start
    table = datasets.regional_iot("Calderdale", 2021)
    lines = [f"Build (350 authorities, first call, data read): {report.secs(build)}.", ""]
    lines += ["| what | kil_io interregional | single-region table | ratio | sweeps | residual |", "|" + "---|" * 6]
    for kind in ("type_i", "type_ii"):
        single = _best(lambda kind=kind: kil_io.demand_impact(table, CARE, kind), repeat)
        one = _best(lambda kind=kind: m.effects("Calderdale", CARE, kind), repeat)
        e = m.effects("Calderdale", CARE, kind)
        sweeps, residual = e.attrs["iterations"], e.attrs["residual"]
        lines.append(f"| one shock, {kind} | {report.secs(one)} | {report.secs(single)} | "
                     f"{report.ratio(one, single)} | {sweeps} | {residual:.1e} |")  # fmt: skip
        every = _best(lambda kind=kind: m.own_effects(CARE, kind), 1)
        o = m.own_effects(CARE, kind)
        sweeps, residual = o.attrs["iterations"], o.attrs["residual"]
        lines.append(f"| 350 own shocks, {kind} | {report.secs(every)} | {report.secs(single * 350)} (x 350) | "
                     f"{report.ratio(every, single * 350)} | {sweeps} | {residual:.1e} |")  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return [*lines, "", f"Peak memory of the process: {report.gb(peak)}."]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its markdown report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.interregional", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="the dense comparison once; no GB model")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    info = report.machine()
    print("# Interregional model benchmark\n")
    print(", ".join(f"{k} {v}" for k, v in info.items()) + "\n")
    print("\n".join(dense_comparison(["Scotland"], 1 if args.smoke else args.repeat)) + "\n")
    if not args.smoke:
        print("\n".join(great_britain(args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
