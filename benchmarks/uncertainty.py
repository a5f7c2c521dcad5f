"""Monte Carlo ranges: 10,000 draws of Halifax Opportunities Trust against the LAPACK limit and a plain loop.

``python -m benchmarks.uncertainty`` (``--smoke``: tiny sizes, what ``make bench-smoke`` runs).

* **kil_io end to end**: :func:`kil_io.uncertainty.simulate` of the case (inputs, the
  deterministic central results, sampling, one regionalisation and LU per distinct delta,
  every draw's headlines), after one warm-up call (data files read and cached).
* **kil_io draws**: the part that grows with the draws: the tables of the drawn deltas
  (:func:`~kil_io.uncertainty.simulate.with_tables`) and every chunk's headlines
  (:func:`~kil_io.uncertainty.simulate.run_chunk`), given the samples.
* **batched LAPACK limit**: the same factorisations and solves alone: one LAPACK ``getrf``
  and one ``getrs`` (the four measures' Type I effects) per distinct delta, on ``I - A``
  matrices built beforehand, one BLAS thread (as kil_io runs them); the faster of that loop
  and a stacked ``numpy.linalg.solve``.
* **plain loop**: for each draw, :func:`kil_io.organisation_impact` and
  :func:`kil_io.appraisal.lm3.organisation_lm3` on the draw's inputs (written into the case's
  objects) and the regional table of the draw's delta (:func:`kil_io.datasets.regional_iot`,
  cached per delta, as a user's loop would get it); timed on the first ``loop`` draws and
  scaled to all of them. Its headlines are compared with kil_io's (largest relative difference).

Times are the best of ``repeat`` runs in this process, all measured in the same run.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from benchmarks import report

HERE = Path(__file__).resolve().parent
CASE = "halifax_opportunities_trust"
MEASURES = ("fte", "fte_net", "gva", "gva_net", "local_income", "local_income_net", "lm3")


def _best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def lapack_limit(tables, repeat: int) -> tuple[float, str]:
    """The getrf/getrs of every distinct delta's ``(I - A)'`` alone, and stacked ``numpy.linalg.solve``."""
    from kil_io import datasets
    from kil_io.model.leontief import _getrf, _getrs
    from kil_io.regional.regioninputs import _employment_matrix, _regions

    central = datasets.regional_iot("Calderdale", 2021)
    national = datasets.uk_iot(2022)
    re, ne, _ = _employment_matrix(national.sectors, datasets.local_employment("E08000033", 2021),
                                   datasets.national_employment(2021))  # fmt: skip
    K, n = len(tables.deltas), national.n
    reg = _regions(national, np.repeat(re, K, axis=0), ne, "flq", np.asarray(tables.deltas))
    M = np.eye(n)[None] - reg.A
    Mt = np.ascontiguousarray(M.transpose(0, 2, 1))
    rows = np.array(tables.V)
    rows[0] = 1.0
    rhs = np.ascontiguousarray(rows.T)
    assert central.n == n

    def loop() -> None:
        work = M.copy()  # getrf factorises in place: a fresh copy, made outside the clock below
        start = time.perf_counter()
        for k in range(K):
            lu, piv, _ = _getrf(work[k].T, overwrite_a=True)
            _getrs(lu, piv, rhs)
        loop.elapsed = time.perf_counter() - start  # type: ignore[attr-defined]

    def stacked() -> None:
        np.linalg.solve(Mt, np.broadcast_to(rhs, (K, n, 4)))

    with threadpool_limits(1, user_api="blas"):
        loops = []
        for _ in range(repeat):
            loop()
            loops.append(loop.elapsed)  # type: ignore[attr-defined]
        best_loop = min(loops)
        best_stacked = _best(stacked, repeat)
    return (best_loop, "getrf loop") if best_loop <= best_stacked else (best_stacked, "numpy stacked")


def plain_loop(case, sim, draws: int) -> tuple[float, float, float]:
    """Seconds per draw one by one (tables cached), per regional table built, and the largest difference from kil_io.

    The tables of the first ``draws`` draws' deltas are built first, and timed per table (a
    user's loop builds each distinct table once: :func:`kil_io.datasets.regional_iot` caches them).
    """
    import kil_io
    from kil_io import datasets
    from kil_io.appraisal import additionality
    from kil_io.appraisal.lm3 import organisation_lm3
    from kil_io.appraisal.organisation import Figure
    from kil_io.model.multipliers import type_i_effects

    org = case.organisation
    fixed = {i.name: i.value for i in sim.plan.inputs}
    wanted = sorted({float(d) for d in sim.inputs["model.delta"].iloc[:draws]})
    datasets.local._regional.cache_clear()
    start = time.perf_counter()
    for delta in wanted:
        type_i_effects(datasets.regional_iot("Calderdale", 2021, delta=delta))  # the table and its LU
    per_table = (time.perf_counter() - start) / len(wanted)
    worst = 0.0
    central = additionality.preset("central")
    start = time.perf_counter()
    for draw in range(draws):
        got = fixed | sim.inputs.iloc[draw].to_dict()
        fig = lambda name, f, got=got: Figure(got[name], f.source)  # noqa: E731
        drawn = dataclasses.replace(
            org, staff_fte=fig("organisation.staff.fte", org.staff_fte),
            staff_costs=fig("organisation.staff.costs", org.staff_costs),
            staff_local_share=fig("organisation.staff.local_share", org.staff_local_share),
            additionality=fig("organisation.enterprises.additionality", org.additionality),
            spending=tuple(dataclasses.replace(s, local_share=got[f"organisation.spending[{k}].local_share"],
                                               local_share_spread=None) for k, s in enumerate(org.spending)),
            enterprises=tuple(dataclasses.replace(e, fte=fig(f"organisation.enterprises[{k}].fte", e.fte),
                                                  turnover=fig(f"organisation.enterprises[{k}].turnover", e.turnover))
                              for k, e in enumerate(org.enterprises)),
        )  # fmt: skip
        rates = central.replace(
            **{r: Figure(got[f"additionality.{r}"], "draw") for r in ("displacement", "substitution", "deadweight")}
        )
        table = datasets.regional_iot("Calderdale", 2021, delta=float(got["model.delta"]))
        closure = {"household_income": got["model.household_income"], "resident_share": got["model.resident_share"]}
        row = kil_io.organisation_impact(drawn, table, rates=rates, **closure).to_frame().loc["total"]
        lm3 = organisation_lm3(drawn, table, **closure).value
        expected = np.array([*(row[m] for m in MEASURES[:-1]), lm3])
        ours = sim.draws.iloc[draw][list(MEASURES)].to_numpy()
        worst = max(worst, float(np.max(np.abs(ours - expected) / np.abs(expected))))
    return (time.perf_counter() - start) / draws, per_table, worst


def measure(draws: int, loop: int, repeat: int) -> dict:
    import kil_io
    from kil_io import uncertainty
    from kil_io.uncertainty.simulate import plan_chunks, run_chunk, with_tables

    case = kil_io.case_study(CASE)
    uncertainty.simulate(case, min(draws, 1000), seed=1)  # warm-up: data files read and cached
    end_to_end = _best(lambda: uncertainty.simulate(case, draws, seed=2026), repeat)
    plan, chunks = plan_chunks(case, draws, 2026)
    bare = dataclasses.replace(plan, tables=None)
    draws_only = _best(lambda: [run_chunk(p, c) for p in [with_tables(bare, chunks)] for c in chunks], repeat)
    sim = uncertainty.simulate(case, draws, seed=2026)
    limit, variant = lapack_limit(sim.plan.tables, repeat)
    with threadpool_limits(1, user_api="blas"):  # as kil_io's own loop runs
        per_draw, per_table, worst = plain_loop(case, sim, loop)
    return {
        "draws": draws,
        "tables": len(sim.plan.tables.deltas),
        "end_to_end": end_to_end,
        "draws_only": draws_only,
        "limit": limit,
        "limit_variant": variant,
        "loop_per_draw": per_draw,
        "loop_per_table": per_table,
        "loop_draws": loop,
        "largest_difference": worst,
        "fte": _with_range(sim, "fte"),
        "fte_net": _with_range(sim, "fte_net"),
    }


def _with_range(sim, headline: str) -> str:
    from kil_io.reporting.formatting import figure_with_range

    return figure_with_range(float(sim.central[headline]), sim.range_of(headline), "fte")


def markdown(r: dict, info: dict[str, str], smoke: bool) -> str:
    loop_total = r["loop_per_draw"] * r["draws"] + r["loop_per_table"] * r["tables"]
    lines = [
        "# kil_io benchmarks: Monte Carlo ranges",
        "",
        "Generated by `python -m benchmarks.uncertainty`; every figure below comes from this one run.",
        "",
        (
            f"**Machine:** {info['cpu']}, {info['cores']} cores, {info['memory']}; {info['os']}; "
            f"Python {info['python']}; BLAS {info['blas']}."
        ),
        "",
        (
            f"{r['draws']:,} draws of Halifax Opportunities Trust ({r['tables']} distinct regional tables: delta drawn "
            "on a 0.001 grid), seed 2026. See the module docstring for what each column times."
        ),
        "",
        "| what | time | ÷ LAPACK limit | ÷ kil_io end to end |",
        "|---|---|---|---|",
        (
            f"| batched LAPACK limit ({r['limit_variant']}, {r['tables']} getrf + getrs) | {report.secs(r['limit'])} "
            "| 1.00× | — |"
        ),
        (
            f"| kil_io draws (tables of the drawn deltas + every draw's headlines) | {report.secs(r['draws_only'])} | "
            f"{r['draws_only'] / r['limit']:.2f}× | — |"
        ),
        (
            f"| kil_io end to end (`uncertainty.simulate`) | {report.secs(r['end_to_end'])} | "
            f"{r['end_to_end'] / r['limit']:.2f}× | 1.00× |"
        ),
        (
            f"| plain loop over `organisation_impact` + `organisation_lm3`: {report.secs(r['loop_per_draw'])} a draw "
            f"(timed on {r['loop_draws']} draws) x {r['draws']:,} + {report.secs(r['loop_per_table'])} a regional "
            f"table (`regional_iot`) x {r['tables']} | {report.secs(loop_total)} | {loop_total / r['limit']:.0f}× | "
            f"{loop_total / r['end_to_end']:.0f}× |"
        ),
        "",
        f"Largest relative difference between kil_io's draws and the plain loop's: {r['largest_difference']:.1e}.",
        f"Headline: {r['fte']} gross; {r['fte_net']} net additional.",
    ]
    if smoke:
        lines += ["", "Smoke run: tiny sizes check that everything runs and agrees; the times mean nothing."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.uncertainty", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes in seconds (what make bench-smoke runs)")
    parser.add_argument("--out", type=Path, help="Markdown report (default benchmarks/UNCERTAINTY.md; smoke: none)")
    args = parser.parse_args(argv)
    draws, loop, repeat = (200, 5, 1) if args.smoke else (10_000, 200, 5)
    r = measure(draws, loop, repeat)
    text = markdown(r, report.machine(), args.smoke)
    print(text)
    out = args.out if args.out else (None if args.smoke else HERE / "UNCERTAINTY.md")
    if out is not None:
        out.write_text(text, encoding="utf-8")
    if r["largest_difference"] > 1e-9:
        print(f"kil_io and the plain loop disagree by {r['largest_difference']:.1e}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
