"""Headless Chromium for the browser tests (tests/test_browser.py, tests/lab/): where it is and how it starts.

Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them). Outside CI a machine
without them skips the browser tests with the reason; in CI (``CI=true``) a missing browser fails.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def skip_without_chromium() -> pytest.MarkDecorator | None:
    """The module's ``pytestmark`` when Chromium is missing (a failure in CI); ``None`` when it is there."""
    if CHROMIUM and DRIVER:
        return None
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but chromium/chromedriver are missing (.ci/run installs them)", pytrace=False)
    return pytest.mark.skip(reason="headless Chromium not installed (apt-get install chromium chromium-driver)")


def start(profile: Path, *, window: tuple[int, int] | None = None) -> Any:
    """A headless Chromium under chromedriver with its own profile (and window size [px]); the caller quits it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    if window is not None:
        options.add_argument(f"--window-size={window[0]},{window[1]}")
    return webdriver.Chrome(service=Service(DRIVER), options=options)
