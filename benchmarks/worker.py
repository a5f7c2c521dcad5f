"""One measurement in a fresh process: ``python -m benchmarks.worker '<task as JSON>'``.

Prints one JSON line: times of each repetition (seconds), the process's resident memory
after the inputs were prepared and its peak during the timed work (bytes), and saves the
result array of the last repetition to ``task["save"]`` (``.npy``) for the agreement check.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np


def _status(field: str) -> int | None:
    """A memory figure of this process from /proc (Linux), in bytes; None elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) so that it covers the timed work only."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def run(task: dict) -> dict:
    from benchmarks import methods, systems
    from benchmarks import regions as regions_

    if task["suite"] == "core":
        runs = methods.PREPARE[task["method"]](systems.system(task["system"]), task["kinds"], task["repeat"])
    else:
        runs = regions_.PREPARE[task["method"]](task["regions"], task["kinds"], task["repeat"])
    gc.collect()
    if task.get("warmup"):
        runs[0]()  # imports, first-touch memory and BLAS threads; the result is not kept
        runs = runs[1:]
    inputs = _status("VmRSS")
    reset = _reset_peak()
    times, result = [], None
    while runs:
        one = runs.pop(0)  # dropped after use: a repetition's table and factors are freed
        start = time.perf_counter()
        result = one()
        times.append(time.perf_counter() - start)
        del one
    peak = _status("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    regions = None if task["suite"] == "core" else len(regions_.employment(task["regions"])[0])
    np.save(task["save"], methods.as_array(result, regions))
    return {"times": times, "inputs_rss": inputs, "peak_rss": peak, "peak_is_timed_only": reset}


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
