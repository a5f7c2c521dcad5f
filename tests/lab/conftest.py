"""tests/lab/: a JupyterLab server and a browser per run, stopped however the run ends."""

from __future__ import annotations

import signal
from types import FrameType

import pytest


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config: pytest.Config) -> None:
    # A cancelled CI job or `kill` sends SIGTERM: as Ctrl+C, pytest then tears the fixtures down, so the
    # server, its kernels and the browser stop (by default SIGTERM would end pytest and leave them running).
    signal.signal(signal.SIGTERM, _interrupt)
