"""The machine a run was measured on, and the Markdown report of one run."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path

import numpy as np

PACKAGES = ("kil_io", "numpy", "scipy", "pandas", "pymrio", "papermill", "distributed")


def machine() -> dict[str, str]:
    """CPU, cores, memory, OS, Python, BLAS and package versions."""
    info = {"python": platform.python_version(), "os": f"{platform.system()} {platform.release()}"}
    try:
        cpu = [ln for ln in Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("model name")]
        info["cpu"] = cpu[0].split(":", 1)[1].strip() if cpu else platform.processor()
        mem = [ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")]
        info["memory"] = f"{int(mem[0].split()[1]) / 1024**2:.1f} GiB" if mem else "?"
    except OSError:
        info["cpu"], info["memory"] = platform.processor(), "?"
    info["cores"] = str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["blas"] = f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # numpy's build metadata is informative only
        info["blas"] = "?"
    for package in PACKAGES:
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = "not installed"
    return info


def secs(t: float | None) -> str:
    if t is None:
        return "—"
    if t < 1e-3:
        return f"{t * 1e6:.0f} µs"
    return f"{t * 1e3:.2f} ms" if t < 1 else f"{t:.2f} s"


def gb(b: int | None) -> str:
    return "—" if b is None else f"{b / 1024**3:.2f} GB"


def best(run: dict | None) -> float | None:
    return min(run["times"]) if run else None


def ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None or b == 0 else f"{a / b:.2f}×"


def _check(ok: bool) -> str:
    return "met" if ok else "**not met**"


def core_table(blocks: list[dict]) -> list[str]:
    lines = [
        (
            "| system | effects | LAPACK limit | kil_io arrays | ÷ limit | kil_io frames | ÷ limit "
            "| pymrio calc_all | ÷ kil_io | pymrio math | ÷ kil_io "
            "| peak RSS (working): limit / kil_io / pymrio | largest difference |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for b in blocks:
        r = b["runs"]
        lim, kil, frames, pym, math = (
            best(r.get(m)) for m in ("limit", "kil_io", "kil_io_frames", "pymrio", "pymrio_math")
        )
        name = "UK 2019 (ONS, real)" if b["system"] == "uk2019" else f"synthetic n = {b['n']:,}"
        peaks = " / ".join(memory(r.get(m)) for m in ("limit", "kil_io", "pymrio"))
        variant = "scipy" if b["limit_variant"] == "limit" else "getrf"
        lines.append(
            f"| {name} | {'Type I + II' if b['kinds'] == 2 else 'Type I'} | {secs(lim)} ({variant}) | {secs(kil)} | "
            f"{ratio(kil, lim)} | {secs(frames)} | {ratio(frames, lim)} | {secs(pym)} | {ratio(pym, kil)} | "
            f"{secs(math)} | {ratio(math, kil)} | {peaks} | {max(b['agree'].values()):.1e} |"
        )
    return lines


def memory(run: dict | None) -> str:
    """Peak resident memory during the timed work, and in brackets what the work itself added."""
    if not run:
        return "—"
    return f"{gb(run['peak_rss'])} ({gb(run.get('working'))})"


def region_table(blocks: list[dict]) -> list[str]:
    lines = [
        (
            "| regions x 105 sectors | batched LAPACK limit (solves) | raw getrf/getrs loop | numpy FLQ regionalise "
            "| kil_io end to end | ÷ limit | ÷ (regionalise + limit) | pymrio region by region | pymrio ÷ kil_io "
            "| largest difference |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for b in blocks:
        r = b["runs"]
        lim, raw, reg, kil, pym = (
            best(r.get(m)) for m in ("limit", "lapack_loop", "reference_regionalise", "kil_io", "pymrio")
        )
        name = {"itl2": "40 ITL2 (BRES 2021, real)", "lad": "350 GB authorities (shipped data, 2021, real)"}.get(
            b["regions"], f"{b['regions']} synthetic"
        )
        lines.append(
            f"| {name} | {secs(lim)} ({b['limit_variant'].replace('_', ' ')}) | {secs(raw)} | {secs(reg)} "
            f"| {secs(kil)} "
            f"| {ratio(kil, lim)} | {ratio(kil, (lim or 0) + (reg or 0))} | {secs(pym)} | {ratio(pym, kil)} "
            f"| {max(b['agree'].values()):.1e} |"
        )
    return lines


def notebook_table(nb: dict) -> list[str]:
    n = nb["cases"]
    cold = nb["cold_papermill"]
    lines = [
        "| what | wall time | per case | ÷ cold papermill |",
        "|---|---|---|---|",
        f"| one cold papermill run of an empty notebook (new process) | {secs(cold)} | {secs(cold)} | 1.00× |",
    ]
    for key, label in (("empty_jobs1", "--jobs 1"), ("empty_jobs2", "--jobs 2"), ("empty_dask2", "--dask, 2 workers")):
        if key in nb:
            lines.append(
                f"| `kil-io run` {n} empty cases, {label} | {secs(nb[key])} | {secs(nb[key] / n)} "
                f"| {ratio(nb[key] / n, cold)} |"
            )
    real = nb.get("real_cases")
    for key, label in (("real_jobs1", "--jobs 1"), ("real_jobs2", "--jobs 2"), ("real_dask2", "--dask, 2 workers")):
        if key in nb:
            lines.append(
                f"| `kil-io run --all`: {real} case studies, {label} | {secs(nb[key])} | {secs(nb[key] / real)} | — |"
            )
    return lines


def targets(data: dict) -> list[str]:
    """Each target of the performance brief, with the ratio measured in this run."""
    core = {b["system"]: b for b in data["core"]}
    regions = {b["regions"]: b for b in data["regions"]}
    rows = []

    def add(what: str, value: float | None, goal: str, ok: bool | None) -> None:
        shown = "—" if value is None else f"{value:.2f}"
        rows.append(f"| {what} | {shown} | {goal} | {'—' if ok is None else _check(ok)} |")

    for system in ("n105", "uk2019"):
        if system in core:
            r = core[system]["runs"]
            label = "n = 105" if system == "n105" else "UK 2019"
            k, f, lim, p = (best(r.get(m)) for m in ("kil_io", "kil_io_frames", "limit", "pymrio"))
            add(f"{label}: Type I + II, kil_io arrays ÷ LAPACK limit", k / lim, "≤ 3", k / lim <= 3)
            if f:
                add(f"{label}: Type I + II, kil_io frames ÷ LAPACK limit", f / lim, "≤ 3", f / lim <= 3)
            add(f"{label}: pymrio ÷ kil_io arrays", p / k, "≥ 10", p / k >= 10)
            if f:
                add(f"{label}: pymrio ÷ kil_io frames", p / f, "≥ 10", p / f >= 10)
            if r.get("pymrio_math"):
                m = best(r["pymrio_math"])
                add(f"{label}: pymrio math (calc_L, calc_M; no accounts) ÷ kil_io arrays", m / k, "reported", None)
    if "n9800" in core:
        r = core["n9800"]["runs"]
        k, lim, p = (best(r[m]) for m in ("kil_io", "limit", "pymrio"))
        add("n = 9,800: Type I, kil_io ÷ LAPACK limit", k / lim, "≤ 1.2", k / lim <= 1.2)
        add("n = 9,800: pymrio ÷ kil_io", p / k, "≥ 4", p / k >= 4)
        pk, pp = r["kil_io"]["peak_rss"], r["pymrio"]["peak_rss"]
        add("n = 9,800: peak RSS pymrio ÷ kil_io", pp / pk, "> 1", pp > pk)
        wk, wp = r["kil_io"].get("working"), r["pymrio"].get("working")
        if wk and wp:
            add("n = 9,800: working memory pymrio ÷ kil_io", wp / wk, "> 1", wp > wk)
        if r.get("pymrio_math"):
            m = best(r["pymrio_math"])
            add("n = 9,800: pymrio math (calc_L, calc_M) ÷ kil_io", m / k, "reported", None)
    if "361" in regions:
        r = regions["361"]["runs"]
        k, lim, p = (best(r[m]) for m in ("kil_io", "limit", "pymrio"))
        add("361 regions: FLQ + Type I + II, kil_io ÷ batched LAPACK limit", k / lim, "≤ 1.5", k / lim <= 1.5)
        add("361 regions: pymrio region by region ÷ kil_io", p / k, "≥ 30", p / k >= 30)
    if "lad" in regions:
        r = regions["lad"]["runs"]
        k, lim, p = (best(r[m]) for m in ("kil_io", "limit", "pymrio"))
        add("350 GB authorities: FLQ + Type I + II, kil_io ÷ batched LAPACK limit", k / lim, "≤ 1.3", k / lim <= 1.3)
        add("350 GB authorities: pymrio region by region ÷ kil_io", p / k, "≥ 30", p / k >= 30)
    nb = data.get("notebooks")
    if nb:
        per = nb["empty_jobs1"] / nb["cases"]
        add("batch: per-case cost of kil-io run ÷ one cold papermill run", per / nb["cold_papermill"], "≤ 1.3",
            per / nb["cold_papermill"] <= 1.3)  # fmt: skip
        if "real_jobs2" in nb:
            add(
                "batch: case studies, --jobs 1 ÷ --jobs 2 (speed-up)",
                nb["real_jobs1"] / nb["real_jobs2"],
                "reported",
                None,
            )
    return ["| target | measured | goal | |", "|---|---|---|---|", *rows]


def markdown(data: dict, *, smoke: bool, agree: float, agreed: bool = True) -> str:
    m = data["machine"]
    out = [
        "# kil_io benchmarks" + (" (smoke run)" if smoke else ""),
        "",
        (
            f"Generated by `{data['command'].strip()}` on {data['when']} in {data['seconds']:.0f} s. "
            "Every figure below comes from this one run; do not edit by hand."
        ),
        "",
        (
            f"**Machine:** {m['cpu']}, {m['cores']} cores, {m['memory']}; {m['os']}; Python {m['python']}; "
            f"BLAS {m['blas']}."
        ),
        "",
        "**Versions:** " + ", ".join(f"{p} {m[p]}" for p in PACKAGES) + ".",
        "",
        *[f"*{note}*\n" for note in data.get("notes", [])],
        (
            "Times are the best of the repetitions, each measured in a fresh process per method with "
            "identical seeded inputs, each repetition's inputs built just before it. *kil_io arrays* is "
            "`kil_io.model.multipliers.total_effects` on a newly built table (so the LU factors and the checks "
            "are all in the time; tables of one classification share their sector Index, built once per "
            "process); *kil_io frames* is the labelled `kil_io.multipliers` (DataFrame with the ratio "
            "multipliers); the *LAPACK limit* is the faster of `scipy.linalg.lu_factor` + `lu_solve` "
            "(scipy) and LAPACK's `getrf` + `getrs` themselves (getrf) on the same `I - A` (and the "
            "household-closed matrix) given `A`; *pymrio calc_all* is what pymrio users call, and also "
            "computes footprint accounts, while *pymrio math* is pymrio's own `calc_x`, `calc_A`, "
            "`calc_L`, `calc_S` and `calc_M` for just these effects. Effects are output, GVA, income "
            "(compensation of employees) and FTE per unit of final demand; "
            + (
                f"every method's effects agree with the limit's to {agree:g} "
                if agreed
                else f"**THE METHODS DISAGREE by more than {agree:g}: these times are not results** "
            )
            + "(largest difference relative to the largest effect of that measure; kil_io must give NaN "
            "exactly for sectors with no output). Peak RSS is the process's peak resident memory during "
            "the timed work, inputs included; in brackets what the timed work added to it."
        ),
        "",
        "## One table",
        "",
        *core_table(data["core"]),
        "",
        "## Many regions: FLQ regionalisation + Type I and Type II effects",
        "",
        *region_table(data["regions"]),
        "",
    ]
    if data.get("notebooks"):
        out += ["## Batch notebooks", "", *notebook_table(data["notebooks"]), ""]
    if not smoke:
        out += ["## Targets", "", *targets(data), ""]
    return "\n".join(out)
