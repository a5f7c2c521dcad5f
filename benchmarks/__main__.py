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


def full_plan() -> Plan:
    small = {"limit": 300, "kil_io": 300, "kil_io_frames": 300, "pymrio": 30}
    return Plan(
        core=[
            ("uk2019", 2, small),
            ("n105", 2, small),
            ("n1000", 2, {"limit": 10, "kil_io": 10, "kil_io_frames": 10, "pymrio": 5}),
            ("n4000", 2, {"limit": 2, "kil_io": 2, "pymrio": 2}),
            ("n9800", 1, {"limit": 1, "kil_io": 1, "pymrio": 1}),
        ],
        regions=[("40", _regional(20)), ("itl2", _regional(20)), ("361", _regional(5))],
    )


def smoke_plan() -> Plan:
    few = {"limit": 3, "kil_io": 3, "kil_io_frames": 3, "pymrio": 2}
    return Plan(
        core=[("n30", 2, few), ("uk2019", 2, few)],
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


def agreement(results: dict[str, dict], reference: str = "limit") -> dict[str, float]:
    """Largest difference of each method from the reference, relative to the largest effect of that measure.

    Entries some method leaves undefined are compared by none: kil_io reports NaN for a
    sector with no output in a region (the limit computes a number for it anyway, pymrio 0).
    """
    compared = {name: r["result"] for name, r in results.items() if "reference" not in name}
    ref = compared[reference]
    ok = np.logical_and.reduce([np.isfinite(r) for r in compared.values()])
    measure_axis = ref.ndim - 2
    scale = np.nanmax(np.abs(ref), axis=tuple(i for i in range(ref.ndim) if i != measure_axis), keepdims=True)
    scale = np.broadcast_to(scale, ref.shape)
    return {
        name: float(np.max(np.abs(got - ref)[ok] / scale[ok], initial=0.0))
        for name, got in compared.items()
        if name != reference
    }


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
                found[method] = run_worker({**task, "repeat": repeat + (n <= 1000), "warmup": n <= 1000}, save)
            data["core"].append({"system": system, "n": n, "kinds": kinds, "runs": found, "agree": agreement(found)})
        for regions, repeats in plan.regions:
            found = {}
            for method, repeat in repeats.items():
                if progress:
                    print(f"  regions {regions}: {method} x{repeat}", file=sys.stderr, flush=True)
                task = {"suite": "regions", "regions": regions, "method": method, "kinds": 2}
                found[method] = run_worker({**task, "repeat": repeat + 1, "warmup": True}, save)
            fastest = min(("limit_stacked", "limit_loop"), key=lambda m: min(found[m]["times"]))
            found["limit"] = found[fastest]
            data["regions"].append(
                {"regions": regions, "runs": found, "limit_variant": fastest, "agree": agreement(found)}
            )
    if plan.notebooks:
        from benchmarks import notebooks

        if progress:
            print("  notebooks (papermill, kil-io run)", file=sys.stderr, flush=True)
        data["notebooks"] = notebooks.measure(real=plan.real_notebooks)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes in seconds (what the test suite runs)")
    parser.add_argument("--out", type=Path, help="Markdown report (default benchmarks/RESULTS.md; smoke: none)")
    parser.add_argument("--no-notebooks", action="store_true", help="skip the papermill / kil-io run measurements")
    parser.add_argument("--no-real-notebooks", action="store_true", help="time empty cases only, not the case studies")
    parser.add_argument(
        "--only", choices=("core", "regions", "notebooks"), help="one part only (for profiling; default all)"
    )
    args = parser.parse_args(argv)
    plan = smoke_plan() if args.smoke else full_plan()
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
    text = report.markdown(data, smoke=args.smoke, agree=AGREE)
    print(text)
    out = args.out if args.out is not None else (None if args.smoke else HERE / "RESULTS.md")
    if out is not None:
        out.write_text(text, encoding="utf-8")
        print(f"written: {out}", file=sys.stderr)
    worst = max((v for block in data["core"] + data["regions"] for v in block["agree"].values()), default=0.0)
    if worst > AGREE:
        print(f"DISAGREEMENT: methods differ by {worst:.3g} (relative) > {AGREE:g}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
