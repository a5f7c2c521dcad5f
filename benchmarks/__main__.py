"""``python -m benchmarks``: measure, check agreement, print and write ``benchmarks/RESULTS.md``."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from benchmarks import report

HERE = Path(__file__).resolve().parent
#: Largest relative difference allowed between any two methods' effects.
AGREE = 1e-9


@dataclass
class Plan:
    """What one run measures: core systems (name, kinds, repeats) and region counts."""

    core: list[tuple[str, int, dict[str, int]]]
    regions: list[tuple[str, dict[str, int]]]
    frames_up_to: int = 1000  # also time the labelled kil_io.multipliers for n up to this
    notebooks: bool = True
    real_notebooks: bool = True
    notes: list[str] = field(default_factory=list)


def _regional(repeat: int) -> dict[str, int]:
    """Repetitions of each many-region method (pymrio, region by region, once: it takes seconds)."""
    names = ("kil_io", "limit_stacked", "limit_loop", "lapack_loop", "reference_regionalise")
    return {**dict.fromkeys(names, repeat), "pymrio": 1}


def _core(fast: int, slow: int, frames: bool = True) -> dict[str, int]:
    """Repetitions of each one-table method: ``fast`` for kil_io and the limit, ``slow`` for pymrio."""
    names = ("limit", "lapack", "kil_io") + (("kil_io_frames",) if frames else ())
    return {**dict.fromkeys(names, fast), "pymrio": slow, "pymrio_math": slow}


def full_plan() -> Plan:
    return Plan(
        core=[
            ("uk2019", 2, _core(300, 30)),
            ("n105", 2, _core(300, 30)),
            ("n1000", 2, _core(10, 5)),
            ("n4000", 2, _core(2, 2, frames=False)),
            ("n9800", 1, _core(1, 1, frames=False)),
        ],
        regions=[("40", _regional(40)), ("itl2", _regional(40)), ("361", _regional(15)), ("lad", _regional(15))],
    )


def smoke_plan() -> Plan:
    return Plan(
        core=[("n30", 2, _core(3, 2)), ("uk2019", 2, _core(3, 2))],
        regions=[("3", _regional(2))],
        notebooks=False,
        notes=["smoke run: tiny sizes check that every method runs and agrees; the times mean nothing"],
    )


def run_worker(task: dict, save: Path) -> dict:
    """One measurement in a fresh process (see :mod:`benchmarks.worker`)."""
    task = {**task, "save": str(save)}
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.worker", json.dumps(task)],
        cwd=HERE.parent, capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"benchmark worker failed for {task}:\n{done.stderr[-3000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["result"] = np.load(save)
    save.unlink()
    return out


def agreement(results: dict[str, dict], undefined: np.ndarray) -> dict[str, float]:
    """Largest difference of each method from the limit, relative to the largest effect of that measure.

    ``undefined`` marks the effects of sectors with no output (in a region): kil_io must
    report exactly those as NaN, and every other entry of every method must be a finite
    number. Any breach, or nothing left to compare, counts as an infinite difference.
    """
    compared = {name: r["result"] for name, r in results.items() if "reference" not in name}
    ref = compared["limit"]
    defined = ~undefined
    measure_axis = ref.ndim - 2
    others = tuple(i for i in range(ref.ndim) if i != measure_axis)
    scale = np.max(np.where(defined, np.abs(ref), 0.0), axis=others, keepdims=True)
    scale = np.broadcast_to(np.where(scale > 0, scale, 1.0), ref.shape)
    out = {}
    for name, got in compared.items():
        finite = np.isfinite(got)
        nan_where_expected = np.array_equal(~finite, undefined) if name.startswith("kil_io") else True
        if got.shape != ref.shape or not defined.any() or not finite[defined].all() or not nan_where_expected:
            out[name] = float("inf")
            continue
        out[name] = float(np.max(np.abs(got - ref)[defined] / scale[defined]))
    del out["limit"]
    return out


def _no_output(regions: str, shape: tuple[int, ...]) -> np.ndarray:
    """Effects left undefined: sectors with no output in a region (by the reference regionalisation)."""
    from benchmarks import regions as regions_
    from benchmarks import systems

    raw = systems.uk()
    frame, national = regions_.employment(regions)
    reg = regions_.reference_regions(raw, frame[list(raw.sectors)].to_numpy(), national[list(raw.sectors)].to_numpy())
    return np.broadcast_to((reg.x == 0)[None, :, None, :], shape)


def _best_of_processes(task: dict, repeat: int, n: int, save: Path) -> dict:
    """Sub-millisecond timings vary from one process to the next (memory layout, BLAS threads
    waking): small systems are measured in three processes and the times pooled."""
    processes = 3 if n <= 1000 else 1
    runs = [
        run_worker({**task, "repeat": max(1, repeat // processes) + (n <= 1000), "warmup": n <= 1000}, save)
        for _ in range(processes)
    ]
    return {**runs[0], "times": [s for r in runs for s in r["times"]]}


def _fastest(found: dict[str, dict], variants: tuple[str, ...]) -> str:
    return min((v for v in variants if v in found), key=lambda v: min(found[v]["times"]))


def measure(plan: Plan, progress: bool = True) -> dict:
    data: dict = {"core": [], "regions": [], "notebooks": None}
    with tempfile.TemporaryDirectory(prefix="kil-io-bench-") as tmp:
        save = Path(tmp) / "result.npy"
        for system, kinds, repeats in plan.core:
            n = 105 if system == "uk2019" else int(system[1:])
            found = {}
            for method, repeat in repeats.items():
                if method == "kil_io_frames" and n > plan.frames_up_to:
                    continue
                if progress:
                    print(f"  {system}: {method} x{repeat}", file=sys.stderr, flush=True)
                task = {"suite": "core", "system": system, "method": method, "kinds": kinds}
                found[method] = _best_of_processes(task, repeat, n, save)
            variant = _fastest(found, ("limit", "lapack"))
            found["limit"] = found[variant]  # the floor: the faster of scipy's wrappers and LAPACK itself
            undefined = np.zeros(found["limit"]["result"].shape, dtype=bool)
            data["core"].append(
                {"system": system, "n": n, "kinds": kinds, "runs": found, "limit_variant": variant,
                 "agree": agreement(found, undefined)}
            )  # fmt: skip
        for regions, repeats in plan.regions:
            found = {}
            for method, repeat in repeats.items():
                if progress:
                    print(f"  regions {regions}: {method} x{repeat}", file=sys.stderr, flush=True)
                task = {"suite": "regions", "regions": regions, "method": method, "kinds": 2}
                found[method] = run_worker({**task, "repeat": repeat + 1, "warmup": True}, save)
            fastest = _fastest(found, ("limit_stacked", "limit_loop", "lapack_loop"))
            found["limit"] = found[fastest]
            undefined = _no_output(regions, found["limit"]["result"].shape)
            data["regions"].append(
                {"regions": regions, "runs": found, "limit_variant": fastest, "agree": agreement(found, undefined)}
            )
    if plan.notebooks:
        from benchmarks import notebooks

        if progress:
            print("  notebooks (papermill, kil-io run)", file=sys.stderr, flush=True)
        data["notebooks"] = notebooks.measure(real=plan.real_notebooks)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes in seconds (what make bench-smoke runs)")
    parser.add_argument("--out", type=Path, help="Markdown report (default benchmarks/RESULTS.md; smoke: none)")
    parser.add_argument("--no-notebooks", action="store_true", help="skip the papermill / kil-io run measurements")
    parser.add_argument("--no-real-notebooks", action="store_true", help="time empty cases only, not the case studies")
    parser.add_argument(
        "--only", choices=("core", "regions", "notebooks"), help="one part only (for profiling; default all)"
    )
    parser.add_argument(
        "--regions", action="append", metavar="SET",
        help="many-region sets to measure (repeatable: 40, itl2, 361, lad = every GB authority; default all)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    plan = smoke_plan() if args.smoke else full_plan()
    if args.regions:
        plan.regions = [(name, repeats) for name, repeats in plan.regions if name in args.regions]
    if args.only:
        plan.core = plan.core if args.only == "core" else []
        plan.regions = plan.regions if args.only == "regions" else []
        plan.notebooks = args.only == "notebooks"
    plan.notebooks = plan.notebooks and not args.no_notebooks
    plan.real_notebooks = not args.no_real_notebooks
    start = time.perf_counter()
    data = measure(plan)
    data["seconds"] = time.perf_counter() - start
    data["machine"] = report.machine()
    data["when"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    data["command"] = "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:])
    data["notes"] = plan.notes
    worst = max((v for block in data["core"] + data["regions"] for v in block["agree"].values()), default=0.0)
    agreed = bool(worst <= AGREE)  # False for NaN too
    text = report.markdown(data, smoke=args.smoke, agree=AGREE, agreed=agreed)
    print(text)
    if not agreed:
        # times of results that differ are not results: nothing is written
        print(f"DISAGREEMENT: methods differ by {worst:.3g} (relative) > {AGREE:g}; no report written", file=sys.stderr)
        return 1
    out = args.out if args.out is not None else (None if args.smoke else HERE / "RESULTS.md")
    if out is not None:
        out.write_text(text, encoding="utf-8")
        print(f"written: {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
