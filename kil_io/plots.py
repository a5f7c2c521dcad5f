"""Charts for reports: the only kil_io module that imports matplotlib."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

#: Axis labels with units for the columns of :func:`kil_io.multipliers`.
AXIS_LABELS: dict[str, str] = {
    "output_multiplier": "Output per £1 of final demand (£)",
    "gva_effect": "GVA per £1 of final demand (£)",
    "gva_multiplier": "GVA multiplier (total / direct GVA)",
    "income_effect": "Employee income per £1 of final demand (£)",
    "income_multiplier": "Income multiplier (total / direct income)",
    "employment_effect": "Jobs per £1m of final demand (FTE)",
    "employment_multiplier": "Employment multiplier (total / direct FTE)",
}


def multiplier_bars(
    type_i: pd.DataFrame,
    type_ii: pd.DataFrame,
    column: str,
    sectors: Sequence[str],
    *,
    names: pd.Series | None = None,
    title: str | None = None,
) -> Figure:
    """Horizontal bars of one Type I and Type II effect or multiplier for chosen sectors.

    Parameters
    ----------
    type_i, type_ii : DataFrame
        Results of :func:`kil_io.multipliers` for the same table.
    column : str
        A column of those frames, e.g. ``"employment_effect"``.
    sectors : sequence of str
        Sector codes to show, top to bottom.
    names : Series, optional
        Sector descriptions by code, used as bar labels (``code: name``).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Type I (direct + indirect) and the induced part up to Type II, stacked, with the
        axis labelled in the column's unit.
    """
    if column not in AXIS_LABELS:
        raise KeyError(f"unknown column {column!r}; expected one of {list(AXIS_LABELS)}")
    sectors = list(sectors)
    first = type_i.loc[sectors, column].to_numpy(dtype=float)
    second = type_ii.loc[sectors, column].to_numpy(dtype=float)
    labels = [f"{s}: {_short(names[s])}" if names is not None else s for s in sectors]
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(sectors) + 2.0), layout="constrained")
    y = np.arange(len(sectors))[::-1]
    ax.barh(y, first, color="#1f5f8b", label="Type I (direct + indirect)")
    ax.barh(y, second - first, left=first, color="#8fbcd4", label="induced (Type II - Type I)")
    for yi, value in zip(y, second, strict=True):
        ax.text(value, yi, f" {value:,.2f}", va="center", fontsize=9)
    ax.set_yticks(y, labels)
    ax.set_xlabel(AXIS_LABELS[column])
    ax.set_xlim(0, np.nanmax(second) * 1.18)
    fig.legend(loc="outside lower center", ncols=2, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title, loc="left")
    return fig


def _short(name: str, width: int = 38) -> str:
    return name if len(name) <= width else name[: width - 1].rstrip() + "…"
