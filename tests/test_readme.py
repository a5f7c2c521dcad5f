"""The README's Python examples run as written."""

from __future__ import annotations

import re
import runpy
import warnings
from pathlib import Path

from kil_io import KilIOWarning

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_examples() -> None:
    assert len(BLOCKS) >= 3


def test_readme_examples_run_in_order() -> None:
    """Each example builds on the ones before it, as a reader would type them."""
    namespace: dict[str, object] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KilIOWarning)  # NaN notes for sectors without pay or jobs
        for block in BLOCKS:
            exec(compile(block, str(README), "exec"), namespace)


def test_readme_closure_table_is_current() -> None:
    """The README's Type II / Type I table is what scripts/closure_ratios.py prints today."""
    script = runpy.run_path(str(README.parent / "scripts" / "closure_ratios.py"), run_name="readme")
    assert script["markdown"]() in README.read_text(encoding="utf-8")
