"""Printing an HTML page to PDF with headless Chromium, leaving no browser or profile folder behind.

The browser runs in its own process group, killed on every way out (success, failure, time-out,
interrupt); on Linux it also dies with kil_io's process, even one killed with SIGKILL. Its profile
folder is removed when the print ends, and a folder left by a killed run is removed by the next print.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kil_io.errors import KilIOError

#: Seconds headless Chromium may take to print one brief.
PRINT_TIMEOUT = 120
#: Prefix of a print's temporary folder (the browser's profile); one older than the second constant is a leftover.
PRINT_PREFIX, STALE_PRINT_SECONDS = "kil-io-print-", 3600.0
#: The C library, for prctl on Linux (loaded before any fork: nothing is loaded in the child).
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
#: Command-line flags for printing; no network, no first-run chatter, no header or footer lines.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


class BriefError(KilIOError, RuntimeError):
    """A brief could not be printed (no browser, or the browser failed)."""


def chromium() -> str | None:
    """Path of a Chromium to print with (``KIL_IO_CHROMIUM``, else ``chromium``/``chromium-browser`` on PATH)."""
    given = os.environ.get("KIL_IO_CHROMIUM")
    if given:
        return given
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def print_pdf(html: Path, pdf: Path, *, browser: str | None = None, timeout: float = PRINT_TIMEOUT) -> Path:
    """Print an HTML file to PDF with headless Chromium (A4 from the page's ``@page`` rule); atomic.

    Raises
    ------
    BriefError
        No browser, a browser error or time-out, or an empty PDF.
    """
    browser = browser or chromium()
    if browser is None:
        raise BriefError(
            "headless Chromium not found: install chromium (apt-get install chromium) or set KIL_IO_CHROMIUM"
        )
    sweep_print_folders()  # left by a run that was killed before it could remove its own
    tmp = tempfile.mkdtemp(prefix=PRINT_PREFIX)
    try:
        out = Path(tmp) / "out.pdf"
        command = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}",
                   Path(html).resolve().as_uri()]  # fmt: skip
        log = Path(tmp) / "browser.log"  # a file, not a pipe: a helper holding a pipe open would stall the wait
        try:  # its own process group, killed on every way out; on Linux it also dies with this process
            with log.open("wb") as sink:
                proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True, preexec_fn=_die_with_parent)  # fmt: skip
        except OSError as exc:
            raise BriefError(f"printing {html} with {browser} failed: {exc}") from None
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise BriefError(f"printing {html} with {browser} failed: {exc}") from None
        finally:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)  # helpers the browser left (its group is its own)
            proc.kill()
            proc.wait()
        if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
            raise BriefError(f"printing {html} with {browser} failed (exit {proc.returncode}): {' / '.join(tail)}")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        tmp_pdf = pdf.with_name(f".{pdf.name}.tmp")
        shutil.copyfile(out, tmp_pdf)
        os.replace(tmp_pdf, pdf)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return pdf


def sweep_print_folders(*, older_than: float = STALE_PRINT_SECONDS) -> list[Path]:
    """Remove this user's ``kil-io-print-*`` folders in the temp folder older than ``older_than`` seconds.

    A print's folder (the browser's profile, 2-3 MB) is removed when the print ends, but not by a
    run killed with SIGKILL; the next print removes such leftovers. A print takes at most
    :data:`PRINT_TIMEOUT` seconds, so a folder an hour old belongs to no print still running.
    """
    gone = []
    for folder in Path(tempfile.gettempdir()).glob(f"{PRINT_PREFIX}*"):
        try:
            st = folder.lstat()
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and time.time() - st.st_mtime > older_than:
            shutil.rmtree(folder, ignore_errors=True)
            gone.append(folder)
    return gone


def _die_with_parent() -> None:
    """In the browser's process before it starts: on Linux, be killed when kil_io's process dies (even SIGKILLed)."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def pdf_pages(pdf: Path | bytes) -> int:
    """Pages of a PDF (counts ``/Type /Page`` objects; enough for the PDFs Chromium writes)."""
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


__all__ = ["CHROMIUM_FLAGS", "PRINT_PREFIX", "PRINT_TIMEOUT", "STALE_PRINT_SECONDS", "BriefError", "chromium",
           "pdf_pages", "print_pdf", "sweep_print_folders"]  # fmt: skip
