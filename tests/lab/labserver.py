"""A throw-away JupyterLab server for the lab tests: its own folders and settings, stopped on every exit path.

The server sees none of the user's Jupyter configuration, settings or kernels (``JUPYTER_*`` and
``JUPYTERLAB_*`` folders under the test's temporary folder), so JupyterLab runs with its defaults:
``commsOverSubshells`` is ``perCommTarget``, the setting that made the explorer's charts blank.
The kernel is this Python with this checkout first on its path.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: JupyterLab starts in about 5 s on two busy cores; 90 s means it never will.
START_TIMEOUT = 90


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: its address, token and the folder it serves."""

    url: str
    token: str
    folder: Path
    log: Path

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(f"{self.url}{path}?token={self.token}", method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def page(self, notebook: str) -> str:
        """The notebook in a workspace of its own: JupyterLab restores no tab another test left open."""
        return f"{self.url}/lab/workspaces/{Path(notebook).stem}/tree/{notebook}?token={self.token}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(server: subprocess.Popen[bytes], lab: Lab) -> None:
    """Shut the kernels down through the server, then the server; kill what does not stop in 15 s."""
    if server.poll() is None:
        try:
            for kernel in lab.api("/api/kernels"):  # type: ignore[union-attr]
                lab.api(f"/api/kernels/{kernel['id']}", method="DELETE")  # type: ignore[index]
        except OSError:
            pass  # the server is going anyway: SIGTERM also shuts its kernels down
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if server.poll() is not None:
            break
        try:
            os.killpg(server.pid, sig)
            server.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue


@contextmanager
def jupyterlab(home: Path, folder: Path) -> Iterator[Lab]:
    """Run JupyterLab on ``folder`` (settings and logs under ``home``) until the block exits, however it exits."""
    settings = home / "settings"
    # the "get news?" pop-up would cover the page; the kernel settings stay at their defaults
    notification = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    port, token = _free_port(), secrets.token_hex(16)
    args = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
        "--expose-app-in-browser",  # window.jupyterapp: the tests run JupyterLab's own commands
        "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        # should the test process die without stopping it (SIGKILL): idle kernels go after 5 minutes, then
        # the server after 5 minutes without kernels or requests
        "--MappingKernelManager.cull_idle_timeout=300", "--MappingKernelManager.cull_interval=60",
        "--ServerApp.shutdown_no_activity_timeout=300",
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")  # CI's container runs as root
    lab = Lab(f"http://127.0.0.1:{port}", token, folder, home / "server.log")
    with lab.log.open("wb") as log:
        server = subprocess.Popen(
            args, env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stopped as one
        )  # fmt: skip
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"JupyterLab exited ({server.returncode}):\n{tail(lab.log)}")
                try:
                    lab.api("/api/status")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"JupyterLab did not start in {START_TIMEOUT} s:\n{tail(lab.log)}") from None
                    time.sleep(0.3)
            yield lab
        finally:
            _stop(server, lab)


def tail(log: Path, lines: int = 30) -> str:
    """The end of the server's log, for a failure message."""
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
