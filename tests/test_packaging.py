"""How kil_io is packaged: one version, what the wheel ships, and installs that say what they need."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import kil_io

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_is_declared_in_one_place() -> None:
    """kil_io/_version.py; the wheel's metadata reads it (hatchling's dynamic version), nothing else states it."""
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "kil_io/_version.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", kil_io.__version__)


def test_the_version_is_the_changelogs_newest_release() -> None:
    """A release that moves figures says so in CHANGELOG.md, under the version the briefs and headlines carry."""
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## (\d+\.\d+\.\d+)\b", changelog, re.MULTILINE)
    assert newest, "CHANGELOG.md has no '## X.Y.Z' release heading"
    assert newest[1] == kil_io.__version__
