"""One measurement in a fresh process: ``python -m benchmarks.worker '<task as JSON>'``.

Prints one JSON line: the time of each repetition (seconds), the process's peak resident
memory during the first timed repetition (inputs included) and its working memory (that
peak minus the resident memory just before the clock started), in bytes, and saves the result of the
last repetition to ``task["save"]`` (``.npy``) for the agreement check. Each repetition's
inputs are built just before it, outside the clock.
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
        makes = methods.PREPARE[task["method"]](systems.system(task["system"]), task["kinds"], task["repeat"])
    else:
        makes = regions_.PREPARE[task["method"]](task["regions"], task["kinds"], task["repeat"])
    if task.get("warmup"):
        makes.pop(0)()()  # imports, first-touch memory and BLAS threads; the result is not kept
    times, result, peak, working = [], None, None, None
    first = True
    while makes:
        one = makes.pop(0)()  # this repetition's inputs (e.g. a new table), outside the clock
        if first:
            # memory is measured on the first repetition only: resetting the kernel's peak
            # mark and collecting garbage before every one of hundreds of sub-millisecond
            # repetitions would disturb the caches they are timed with
            gc.collect()
            before = _status("VmRSS")
            reset = _reset_peak()
        start = time.perf_counter()
        result = one()
        times.append(time.perf_counter() - start)
        if first:
            peak = _status("VmHWM") if reset else _ru_maxrss()
            working = peak - before if reset and peak is not None and before is not None else None
            first = False
        del one  # the repetition's table and factors are freed before the next is built
    regions = None if task["suite"] == "core" else len(regions_.employment(task["regions"])[0])
    np.save(task["save"], methods.as_array(result, regions))
    return {"times": times, "peak_rss": peak, "working": working}


def _ru_maxrss() -> int:
    """The process's lifetime peak (when the peak mark cannot be reset): KiB on Linux, bytes on macOS."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
