"""Worker processes of a run exit when the run's process is killed, and so does the resource tracker."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

# the run's process: a pool of one busy worker, printing the worker's and the resource tracker's pids
RUN = """
import time
from multiprocessing import resource_tracker
from kil_io.runner.execute import _pool
pool = _pool(1)
pool.submit(time.sleep, 120)
while not pool._processes:
    time.sleep(0.05)
print(next(iter(pool._processes.values())).pid, resource_tracker._resource_tracker._pid, flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"  # a zombie has exited, waiting for its parent
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.timeout(60)  # the readline below waits for the child's first line with no timeout of its own
def test_workers_and_resource_tracker_exit_when_the_run_is_killed() -> None:
    with subprocess.Popen([sys.executable, "-c", RUN], stdout=subprocess.PIPE, text=True) as run:
        _check(run)


def _check(run: subprocess.Popen[str]) -> None:
    try:
        worker, tracker = map(int, run.stdout.readline().split())  # type: ignore[union-attr]
        assert _alive(worker)
        run.send_signal(signal.SIGKILL)  # no clean-up of any kind runs
        run.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (_alive(worker) or _alive(tracker)):
            time.sleep(0.1)
        assert not _alive(worker), "the worker outlived the run"
        assert not _alive(tracker), "the resource tracker outlived the run"
    finally:
        if run.poll() is None:
            run.kill()
