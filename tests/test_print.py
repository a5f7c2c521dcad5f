"""Printing the brief's PDF leaves no browser process and no profile folder, on any way out (no real browser)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from kil_io.reporting import pdfprint
from kil_io.reporting.pdfprint import BriefError, print_pdf, sweep_print_folders

#: A stand-in for Chromium: starts a helper process (as Chromium does), writes its and the helper's pid,
#: then prints a PDF, hangs or fails as told by ``FAKE_BROWSER``.
FAKE = """#!{python}
import os, subprocess, sys, time
pids = os.environ["FAKE_BROWSER_PIDS"]
helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
with open(pids, "w") as fh:
    fh.write(f"{{os.getpid()}} {{helper.pid}}")
profile = next(a.split("=", 1)[1] for a in sys.argv if a.startswith("--user-data-dir="))
os.makedirs(profile)
open(os.path.join(profile, "Cookies"), "wb").write(b"x" * 1000)
out = next(a.split("=", 1)[1] for a in sys.argv if a.startswith("--print-to-pdf="))
mode = os.environ.get("FAKE_BROWSER", "print")
if mode == "hang":
    time.sleep(60)
if mode == "fail":
    sys.exit("something broke")
open(out, "wb").write(b"%PDF-1.4 /Type /Page")
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as fh:  # a zombie is dead
        return fh.read().split()[2] != "Z"


def wait_dead(pid: int, seconds: float = 5.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    browser = tmp_path / "chromium"
    browser.write_text(FAKE.format(python=sys.executable))
    browser.chmod(0o755)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("FAKE_BROWSER_PIDS", str(tmp_path / "pids"))
    (tmp_path / "brief.html").write_text("<html>brief</html>")
    return browser


def pids(tmp_path: Path) -> list[int]:
    return [int(p) for p in (tmp_path / "pids").read_text().split()]


pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process checks through /proc")


def test_a_print_leaves_no_folder_and_no_process(fake: Path, tmp_path: Path) -> None:
    pdf = print_pdf(tmp_path / "brief.html", tmp_path / "brief.pdf", browser=str(fake))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert list((tmp_path / "temp").iterdir()) == []
    for pid in pids(tmp_path):
        assert wait_dead(pid), pid  # the helper the browser left is killed with its group


@pytest.mark.parametrize("mode", ["hang", "fail"])
def test_a_failed_or_timed_out_print_leaves_no_folder_and_no_process(
    fake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    monkeypatch.setenv("FAKE_BROWSER", mode)
    with pytest.raises(BriefError, match="failed"):
        print_pdf(tmp_path / "brief.html", tmp_path / "brief.pdf", browser=str(fake), timeout=2)
    assert list((tmp_path / "temp").iterdir()) == []
    assert not (tmp_path / "brief.pdf").exists()
    for pid in pids(tmp_path):
        assert wait_dead(pid), pid


def test_the_browser_dies_with_a_killed_run_and_the_next_print_sweeps_its_folder(fake: Path, tmp_path: Path) -> None:
    run = subprocess.Popen(
        [sys.executable, "-c", ("import sys; from kil_io.reporting.pdfprint import print_pdf; "
         "print_pdf(*map(__import__('pathlib').Path, sys.argv[1:3]), browser=sys.argv[3])"),
         str(tmp_path / "brief.html"), str(tmp_path / "brief.pdf"), str(fake)],
        env={**os.environ, "FAKE_BROWSER": "hang", "TMPDIR": str(tmp_path / "temp")},
    )  # fmt: skip
    end = time.monotonic() + 20
    while not (tmp_path / "pids").exists() and time.monotonic() < end:
        time.sleep(0.05)
    browser_pid, helper = pids(tmp_path)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert wait_dead(browser_pid), "the browser outlived the run that started it"
    os.kill(helper, signal.SIGKILL)  # the fake's own helper has no way to know (Chromium's watch their parent)
    [left] = (tmp_path / "temp").iterdir()  # SIGKILL runs no clean-up: the profile stays ...
    assert left.name.startswith(pdfprint.PRINT_PREFIX)
    assert sweep_print_folders() == []  # ... younger than an hour: it could be a print still running
    fresh = tmp_path / "temp" / f"{pdfprint.PRINT_PREFIX}fresh"
    fresh.mkdir()
    hour_ago = time.time() - pdfprint.STALE_PRINT_SECONDS - 60
    os.utime(left, (hour_ago, hour_ago))
    print_pdf(tmp_path / "brief.html", tmp_path / "brief.pdf", browser=str(fake))  # the next print sweeps it
    assert not left.exists()
    assert fresh.exists()
