"""``make bench-smoke``: both benchmark scripts at tiny sizes, end to end, with their reports checked.

Not part of ``make test`` (``testpaths`` does not include ``benchmarks/``): each runs dozens of
fresh worker processes and took 40 s of the suite. The suite keeps the fast checks: the
agreement function and the same methods (kil_io, the LAPACK limit, pymrio) agreeing on the
same small tables in one process (``tests/test_benchmarks.py``), and the batched draws equal
to the same draws one by one (``tests/test_uncertainty.py``).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(importlib.util.find_spec("pymrio") is None, reason="pymrio not installed (pip install -e .[bench])")
@pytest.mark.timeout(660)
def test_smoke_run_writes_a_report_and_everything_agrees(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    text = out.read_text(encoding="utf-8")
    assert "pymrio 0.7.0" in text  # versions recorded
    assert "numpy 2" in text
    rows = [line for line in text.splitlines() if line.startswith(("| synthetic", "| UK 2019", "| 3 synthetic"))]
    assert len(rows) == 3, text
    for row in rows:
        difference = float(row.rstrip(" |").rsplit("|", 1)[-1])
        assert difference <= 1e-12, row  # all methods agree far inside the 1e-9 the run demands
        assert re.search(r"\d+(\.\d+)? (µs|ms|s) \|", row)


@pytest.mark.timeout(660)
def test_uncertainty_smoke_run_agrees_with_the_plain_loop() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.uncertainty", "--smoke"], cwd=REPO, capture_output=True,
        text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "| batched LAPACK limit" in done.stdout
    difference = float(done.stdout.split("plain loop's: ")[1].split(".\n")[0].rstrip("."))
    assert difference <= 1e-12
