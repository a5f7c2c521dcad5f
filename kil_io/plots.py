"""Charts for reports: the only kil_io module that imports matplotlib."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from kil_io.calibration import Calibration

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


def delta_curve(grid: pd.DataFrame, column: str, *, title: str | None = None) -> Figure:
    """One line per sector: a multiplier against the FLQ/AFLQ delta.

    Parameters
    ----------
    grid : DataFrame
        Result of :func:`kil_io.regional.delta_sensitivity` (index (delta, sector)).
    column : str
        A column of that frame, e.g. ``"output_multiplier"``.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if column not in AXIS_LABELS:
        raise KeyError(f"unknown column {column!r}; expected one of {list(AXIS_LABELS)}")
    wide = grid[column].unstack("sector")
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    for sector in wide.columns:
        ax.plot(wide.index, wide[sector], marker="o", markersize=3, label=sector)
    ax.set_xlabel("FLQ delta (larger = more leakage from a small area)")
    ax.set_ylabel(AXIS_LABELS[column])
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title, loc="left")
    return fig


def calibration_curve(calibration: Calibration, *, title: str | None = None) -> Figure:
    """WAPE against delta for FLQ and AFLQ, with SLQ and CILQ as horizontal lines.

    Parameters
    ----------
    calibration : Calibration
        Result of :func:`kil_io.calibration.calibrate_delta`.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    errors = calibration.errors["wape"]
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    styles = {"slq": ("#999999", ":"), "cilq": ("#555555", "--"), "flq": ("#1f5f8b", "-"), "aflq": ("#c05a28", "-")}
    for method in dict.fromkeys(errors.index.get_level_values("method")):
        colour, line = styles[method]
        series = errors.xs(method, level="method")
        if series.index.isna().all():
            ax.axhline(series.iloc[0], color=colour, linestyle=line, label=f"{method.upper()} ({series.iloc[0]:.1f}%)")
        else:
            best = series.idxmin()
            ax.plot(series.index, series, color=colour, linestyle=line, marker="o", markersize=3,
                    label=f"{method.upper()} (best delta {best:g}: {series.min():.1f}%)")  # fmt: skip
            ax.plot([best], [series.min()], marker="*", markersize=12, color=colour)
    ax.set_xlabel("delta")
    ax.set_ylabel("Weighted absolute % error vs survey table (%)")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title or f"{calibration.kind.replace('_', ' ').title()} {calibration.measure.replace('_', ' ')}",
                 loc="left")  # fmt: skip
    return fig


def calibration_scatter(comparison: pd.DataFrame, *, label: str, title: str | None = None) -> Figure:
    """Survey against estimated multipliers by common sector (points sized by survey output).

    Parameters
    ----------
    comparison : DataFrame
        Result of :meth:`kil_io.calibration.Calibration.comparison`.
    label : str
        What the multiplier is, for the axes (e.g. ``"Type I output multiplier"``).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plt.subplots(figsize=(5.5, 5.5), layout="constrained")
    size = 600 * comparison["weight"] / comparison["weight"].max()
    ax.scatter(comparison["survey"], comparison["estimate"], s=size.clip(lower=8), alpha=0.6, color="#1f5f8b")
    low = float(np.nanmin(comparison[["survey", "estimate"]].to_numpy())) * 0.97
    high = float(np.nanmax(comparison[["survey", "estimate"]].to_numpy())) * 1.03
    ax.plot([low, high], [low, high], color="#999999", linestyle="--", label="estimate = survey")
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    ax.set_xlabel(f"{label}, survey table")
    ax.set_ylabel(f"{label}, regionalised UK table")
    ax.legend(frameon=False, loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title, loc="left")
    return fig
