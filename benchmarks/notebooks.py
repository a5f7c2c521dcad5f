"""Batch notebooks: per-case cost of ``kil-io run`` against one cold papermill run.

* **cold papermill**: ``python -m papermill empty.ipynb out.ipynb`` in a new process: Python
  and papermill start, a kernel starts, one trivial cell runs. The floor for any runner
  that gives each case its own kernel.
* **kil-io run, empty cases**: ``kil-io run`` of N cases of that empty template: its own cost
  per case (validation, worker, kernel, HTML page, atomic move, index) = wall time / N.
* **kil-io run, the case studies**: the shipped case list (real notebooks), with 1 and 2
  worker processes, and on a local Dask cluster when ``dask.distributed`` is installed.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat


def _empty_template(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("results_folder = None\nlabel = 'empty'")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "empty.ipynb"
    nbformat.write(nb, path)
    return path


def _wall(cmd: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds


def _kil_io() -> list[str]:
    return [sys.executable, "-m", "kil_io"]


def measure(cases: int = 6, repeat: int = 3, real: bool = True, dask: bool = True) -> dict:
    """Seconds for each configuration (median of ``repeat`` where cheap; one run for the case studies)."""
    results: dict = {"cases": cases}
    with tempfile.TemporaryDirectory(prefix="kil-io-bench-") as tmp:
        folder = Path(tmp)
        template = _empty_template(folder)
        papermill = [
            sys.executable,
            "-m",
            "papermill",
            str(template),
            str(folder / "out.ipynb"),
            "--log-level",
            "ERROR",
        ]
        _wall(papermill)  # the first start also reads every module from disk; not a fair "cold"
        results["cold_papermill"] = statistics.median(_wall(papermill) for _ in range(repeat))
        listing = "cases:\n" + "".join(
            f"  - name: empty_{i}\n    template: empty.ipynb\n    parameters: {{label: case{i}}}\n"
            for i in range(cases)
        )
        (folder / "empty.yaml").write_text(listing)
        for jobs in (1, 2):
            runs = []
            for k in range(repeat):
                out = folder / f"out-{jobs}-{k}"
                cmd = [*_kil_io(), "run", "--all", "--cases", str(folder / "empty.yaml"), "--out", str(out)]
                runs.append(_wall([*cmd, "--jobs", str(jobs)]))
            results[f"empty_jobs{jobs}"] = statistics.median(runs)
        if real:
            for jobs in (1, 2):
                out = folder / f"real-{jobs}"
                results[f"real_jobs{jobs}"] = _wall(
                    [*_kil_io(), "run", "--all", "--out", str(out), "--jobs", str(jobs)]
                )
            results["real_cases"] = sum(1 for p in (folder / "real-1").iterdir() if (p / "case.json").is_file())
        if dask and _has_dask():
            out = folder / "dask-empty"
            cmd = [*_kil_io(), "run", "--all", "--cases", str(folder / "empty.yaml"), "--out", str(out)]
            results["empty_dask2"] = _wall([*cmd, "--dask", "--jobs", "2"])
            if real:
                cmd = [*_kil_io(), "run", "--all", "--out", str(folder / "dask-real"), "--dask", "--jobs", "2"]
                results["real_dask2"] = _wall(cmd)
    return results


def _has_dask() -> bool:
    """``kil-io run --dask`` is available: dask.distributed and kil_io's runner for it import."""
    try:
        import distributed  # noqa: F401

        import kil_io.runner.distributed  # noqa: F401
    except ImportError:
        return False
    return True
