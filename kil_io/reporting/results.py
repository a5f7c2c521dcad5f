"""A batch run's result folder, as reporting reads it (the runner writes it; reporting never runs a case).

``<out>/<name>/`` holds ``case.json`` (template, parameters, when it ran), ``headline.json``
(the case's headline figures: flat keys, an optional ``units`` mapping and optional
``ranges``), ``results.csv`` and figures; ``<out>/<name>.failed/`` the latest failed attempt.
These names are shared by :mod:`kil_io.runner` (which writes) and the pages and reports
here (which read), so neither has to import the other.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

#: Suffix of a case's folder holding its latest failed attempt.
FAILED_SUFFIX = ".failed"
#: Case names: lower_snake, so they are safe folder names (no dots, separators or "..").
NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``; empty when the file is missing, unreadable or not an object."""
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def read_headline(folder: Path) -> dict[str, Any]:
    """A case folder's ``headline.json`` (empty if none; a bare value becomes ``{"headline": value}``)."""
    try:
        value = json.loads((Path(folder) / "headline.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {"headline": value}
