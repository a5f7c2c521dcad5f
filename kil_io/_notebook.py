"""kil_io in IPython and Jupyter: readable multiplier frames and one-line warnings.

Installed when kil_io is imported inside IPython (nothing happens elsewhere). A frame from
:func:`kil_io.multipliers` shows industry names, units and ONS's ``..`` (:mod:`kil_io.model.display`);
a kil_io warning prints as one line, ``ZeroOutputWarning: message``, without the cell's temporary file
and line; a :class:`~kil_io.errors.KilIOError` shows its message without kil_io's internal traceback
(:meth:`KilIOError._render_traceback_`).
"""

from __future__ import annotations

import sys
import warnings
from typing import Any, TextIO

from kil_io.errors import KilIOWarning
from kil_io.model.display import is_multipliers, multipliers_html

_installed: list[object] = []


def format_warning(message: Warning | str, category: type[Warning]) -> str:
    """A kil_io warning as one line: ``Category: message``."""
    return f"{category.__name__}: {' '.join(str(message).split())}\n"


def _frame_html(frame: Any) -> str | None:
    if is_multipliers(frame):
        return multipliers_html(frame)
    return frame._repr_html_()  # pandas' own view of every other frame


def install() -> bool:
    """Register kil_io's displays in the running IPython shell; ``False`` outside IPython (nothing done)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or shell in _installed:
        return False
    import pandas as pd

    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, _frame_html)
    shown = warnings.showwarning

    def showwarning(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        if not issubclass(category, KilIOWarning):
            shown(message, category, filename, lineno, file, line)
            return
        (file or sys.stderr).write(format_warning(message, category))

    warnings.showwarning = showwarning
    _installed.append(shell)
    return True
