"""The benchmark script runs and its three methods agree (kil_io, the LAPACK limit, pymrio).

The full run (``make bench``) takes minutes and is not a test; the smoke run exercises the
same code at tiny sizes, including the agreement check against pymrio, the field's main
package, on the same systems (an independent implementation of the same effects).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pymrio") is None, reason="pymrio not installed (pip install -e .[bench])"
)


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


DISAGREEMENT_CHECK = """
import numpy as np
from benchmarks.__main__ import agreement
limit = np.arange(1.0, 9.0).reshape(1, 4, 2)
off = limit.copy()
off[0, 3, 1] *= 1 + 1e-6
undefined = limit.copy()
undefined[0, :, 0] = np.nan  # a sector with no output: left out, not a disagreement
got = agreement({"limit": {"result": limit}, "off": {"result": off}, "nan": {"result": undefined}})
print(got["off"], got["nan"])
"""


def test_disagreement_is_detected() -> None:
    # the benchmarks are scripts beside the package, importable from the repository root
    done = subprocess.run(
        [sys.executable, "-c", DISAGREEMENT_CHECK], cwd=REPO, capture_output=True, text=True, check=True
    )
    off, nan = map(float, done.stdout.split())
    assert off == pytest.approx(8e-6 / 8.0)  # relative to the largest effect of that measure
    assert nan == 0.0
