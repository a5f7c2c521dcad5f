"""The benchmark code still runs, and its three methods agree (kil_io, the LAPACK limit, pymrio).

The full run (``make bench``) takes minutes and is not a test. The smoke runs of both scripts
(tiny sizes, dozens of worker processes, 40 s) are ``make bench-smoke`` (``benchmarks/test_smoke.py``).
Here: the same methods on the same small systems in one process, compared by the run's own
agreement function (pymrio, the field's main package, is an independent implementation of the
same effects), and that function and the run's refusal to report a disagreement.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pymrio") is None, reason="pymrio not installed (pip install -e .[bench])"
)

# every core and many-region method of the smoke run, once each, on its systems: a 30-sector
# synthetic table and UK 2019 (Type I and II), and 3 synthetic regions of UK 2019
SAME_SYSTEMS = """
import numpy as np
from benchmarks import methods, systems
from benchmarks import regions as regions_
from benchmarks.__main__ import _no_output, agreement

for name in ("n30", "uk2019"):
    raw = systems.system(name)
    found = {m: {"result": methods.as_array(make[0]()())}
             for m, make in ((m, prepare(raw, 2, 1)) for m, prepare in methods.PREPARE.items())}
    found["limit"] = found["lapack"]
    print(name, max(agreement(found, np.zeros(found["limit"]["result"].shape, dtype=bool)).values()))
R = len(regions_.employment("3")[0])
found = {m: {"result": methods.as_array(prepare("3", 2, 1)[0]()(), R)} for m, prepare in regions_.PREPARE.items()}
found["limit"] = found["limit_stacked"]
print("regions3", max(agreement(found, _no_output("3", found["limit"]["result"].shape)).values()))
"""


def test_kil_io_the_limit_and_pymrio_agree_on_the_smoke_systems() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SAME_SYSTEMS], cwd=REPO, capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr[-4000:]
    worst = dict(line.split() for line in done.stdout.splitlines())
    assert worst.keys() == {"n30", "uk2019", "regions3"}
    for system, difference in worst.items():
        assert float(difference) <= 1e-12, system  # far inside the 1e-9 the full run demands


AGREEMENT_CHECK = """
import numpy as np
from benchmarks.__main__ import agreement
limit = np.arange(1.0, 9.0).reshape(1, 4, 2)
none = np.zeros(limit.shape, dtype=bool)
undefined = none.copy()
undefined[0, :, 0] = True  # a sector with no output in a region

def check(got, mask):
    return agreement({"limit": {"result": limit}, "kil_io": {"result": got}}, mask)["kil_io"]

off = limit.copy()
off[0, 3, 1] *= 1 + 1e-6
nan_at_zero_output = limit.copy()
nan_at_zero_output[0, :, 0] = np.nan
nan_elsewhere = limit.copy()
nan_elsewhere[0, 2, 1] = np.nan
print(check(off, none), check(nan_at_zero_output, undefined), check(nan_elsewhere, none),
      check(limit, undefined), check(np.full(limit.shape, np.nan), none), check(nan_at_zero_output, none))
"""


def test_agreement_check_cannot_be_fooled_by_nan() -> None:
    # the benchmarks are scripts beside the package, importable from the repository root
    done = subprocess.run(
        [sys.executable, "-c", AGREEMENT_CHECK], cwd=REPO, capture_output=True, text=True, check=True, timeout=60
    )
    off, zero_output, nan_elsewhere, number_at_zero_output, all_nan, unexpected_nan = map(float, done.stdout.split())
    assert off == pytest.approx(8e-6 / 8.0)  # relative to the largest effect of that measure
    assert zero_output == 0.0  # NaN exactly where a sector has no output: expected, left out
    assert nan_elsewhere == float("inf")
    assert number_at_zero_output == float("inf")  # kil_io must say "undefined" there, not a number
    assert all_nan == float("inf")
    assert unexpected_nan == float("inf")


DISAGREEING_RUN = """
import sys
import benchmarks.__main__ as bench
run = {"times": [1.0], "peak_rss": 1, "working": 1}
block = {"system": "n30", "n": 30, "kinds": 1, "limit_variant": "limit",
         "runs": {"limit": run, "kil_io": run, "pymrio": run}, "agree": {"kil_io": 0.5, "pymrio": 0.0}}
bench.measure = lambda plan, progress=True: {"core": [block], "regions": [], "notebooks": None}
sys.exit(bench.main(["--smoke", "--out", sys.argv[1]]))
"""


def test_a_disagreement_writes_no_report_and_fails(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, "-c", DISAGREEING_RUN, str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert "DISAGREEMENT" in done.stderr
    assert "THE METHODS DISAGREE" in done.stdout
    assert not out.exists()
