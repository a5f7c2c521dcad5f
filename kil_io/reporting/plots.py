"""Charts for reports: the only kil_io module that imports matplotlib."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from kil_io.appraisal.commissioning import ProviderComparison
from kil_io.appraisal.impact import OrganisationImpact
from kil_io.files import write_atomic
from kil_io.regional.calibration import Calibration
from kil_io.reporting import formatting as fmt

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


KIND_LABELS: dict[str, str] = {"type_i": "Type I", "type_ii": "Type II"}


def _check_column(column: str) -> None:
    if column not in AXIS_LABELS:
        raise KeyError(f"unknown column {column!r}; expected one of {list(AXIS_LABELS)}")


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
    _check_column(column)
    sectors = list(sectors)
    first = type_i.loc[sectors, column].to_numpy(dtype=float)
    second = type_ii.loc[sectors, column].to_numpy(dtype=float)
    labels = [wrap(f"{s}: {names[s]}") if names is not None else s for s in sectors]
    # two lines of a wrapped name fit in a bar's 0.55 in; the size is as before names were wrapped
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
        fig.suptitle(title, x=0.01, ha="left")
    return fig


def wrap(name: str, width: int = 34) -> str:
    """An industry name on lines of at most ``width`` characters (never cut short)."""
    return textwrap.fill(name, width, break_long_words=False, break_on_hyphens=False)


def local_vs_national(table: pd.DataFrame, column: str, *, title: str | None = None) -> Figure:
    """Grouped bars: one measure for each sector, local area beside the nation, Type I and Type II.

    Parameters
    ----------
    table : DataFrame
        Result of :func:`kil_io.model.multipliers.compare` with two tables (e.g. the area and the UK)
        and both kinds.
    column : str
        A measure in that frame, e.g. ``"output_multiplier"`` or ``"gva_effect"``.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_column(column)
    areas = list(dict.fromkeys(table.columns.get_level_values("table")))
    kinds = list(dict.fromkeys(table.columns.get_level_values("kind")))
    sectors = list(table.index.get_level_values("sector"))
    if "name" in table.index.names:
        names = [str(n) for n in table.index.get_level_values("name")]
        ticks = [wrap(n if n == s else f"{s}: {n}", 16) for s, n in zip(sectors, names, strict=True)]
    else:
        ticks = sectors
    fig, ax = plt.subplots(figsize=(8, 4.2), layout="constrained")
    width = 0.8 / (len(areas) * len(kinds))
    colours = ["#1f5f8b", "#8fbcd4", "#c05a28", "#f0b48c"]
    x = np.arange(len(sectors))
    for k, (area, kind) in enumerate((a, t) for a in areas for t in kinds):
        values = table[(area, kind, column)].to_numpy(dtype=float)
        label = f"{area}, {KIND_LABELS.get(kind, kind)}"
        ax.bar(x + (k - (len(areas) * len(kinds) - 1) / 2) * width, values, width, label=label, color=colours[k % 4])
    ax.set_xticks(x, ticks, fontsize=8)
    ax.set_ylabel(AXIS_LABELS[column])
    # above the axes, so that it never covers a bar
    ax.legend(frameon=False, ncols=len(areas) * len(kinds), loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


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
    _check_column(column)
    wide = grid[column].unstack("sector")
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    for sector in wide.columns:
        ax.plot(wide.index, wide[sector], marker="o", markersize=3, label=sector)
    ax.set_xlabel("FLQ delta (larger = more leakage from a small area)")
    ax.set_ylabel(AXIS_LABELS[column])
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


def calibration_curve(calibration: Calibration, *, title: str | None = None) -> Figure:
    """WAPE against delta for FLQ and AFLQ, with SLQ and CILQ as horizontal lines.

    Parameters
    ----------
    calibration : Calibration
        Result of :func:`kil_io.regional.calibration.calibrate_delta`.
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
    default = f"{KIND_LABELS.get(calibration.kind, calibration.kind)} {calibration.measure.replace('_', ' ')}"
    fig.suptitle(title or default, x=0.01, ha="left")
    return fig


def calibration_scatter(comparison: pd.DataFrame, *, label: str, title: str | None = None) -> Figure:
    """Survey against estimated multipliers by common sector (points sized by survey output).

    Parameters
    ----------
    comparison : DataFrame
        Result of :meth:`kil_io.regional.calibration.Calibration.comparison`.
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
        fig.suptitle(title, x=0.01, ha="left")
    return fig


_COMPONENT_COLOURS = {
    "direct": "#1f5f8b",
    "indirect": "#5b9bc4",
    "induced": "#a9cce3",
    "enabled": "#c05a28",
}


def impact_bars(
    result: OrganisationImpact,
    *,
    published: Mapping[str, float] | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> Figure:
    """Stacked bars of an organisation's local jobs (FTE) and GVA (£m) by component.

    Parameters
    ----------
    result : OrganisationImpact
        From :func:`kil_io.organisation_impact`.
    published : mapping, optional
        Published figures to mark for comparison: ``fte`` (FTE) and/or ``gva`` (£m).
    ranges : mapping, optional
        ``fte`` and/or ``gva`` -> (low, high) of the total, drawn as an error bar (e.g. the
        90% range of :func:`kil_io.uncertainty.simulate`).

    Returns
    -------
    matplotlib.figure.Figure
        Two panels: FTE jobs and GVA (£m), one bar each, stacked direct, indirect,
        induced, enabled; published figures as dashed lines.
    """
    frame = result.to_frame().drop(index="total")
    fig, axes = plt.subplots(1, 2, figsize=(8, 4.2), layout="constrained")
    for ax, column, label in zip(axes, ("fte", "gva"), ("Local jobs (FTE)", "Local GVA (£m)"), strict=True):
        bottom = 0.0
        for component, value in frame[column].items():
            ax.bar(
                [0], [value], bottom=bottom, color=_COMPONENT_COLOURS[str(component)], label=str(component), width=0.5
            )
            bottom += value
        top = bottom
        if ranges and column in ranges:
            low, high = ranges[column]  # the central value may lie outside a range of skewed draws
            ax.errorbar([0], [(low + high) / 2], yerr=[(high - low) / 2], fmt="none", color="#222222", capsize=6)
            top = max(bottom, high)
        ax.text(0, top, f"{bottom:,.1f}", ha="center", va="bottom", fontsize=10)
        if published and column in published:
            ax.axhline(published[column], color="#333333", linestyle="--", linewidth=1)
            ax.text(0.3, published[column], f" published {published[column]:,.0f}", va="bottom", fontsize=9)
        ax.set_xticks([0], [result.name if len(result.name) < 30 else "organisation"])
        ax.set_xlim(-0.6, 0.9)
        ax.set_ylabel(label)
        ax.spines[["top", "right"]].set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles[::-1], labels[::-1], loc="outside right center", frameon=False)
    fig.suptitle(f"{result.name}: local jobs and GVA in {result.area}", x=0.02, ha="left")
    return fig


def provider_bars(
    comparison: ProviderComparison, *, ranges: Mapping[tuple[str, str], tuple[float, float]] | None = None
) -> Figure:
    """Local jobs (FTE) and GVA (£m) of the same contract by provider, stacked by component.

    Parameters
    ----------
    comparison : ProviderComparison
        From :func:`kil_io.appraisal.commissioning.compare_providers`.
    ranges : mapping, optional
        (provider, ``"fte"`` or ``"gva"``) -> (low, high) of the provider's total, drawn as
        an error bar (e.g. the 90% range of :func:`kil_io.uncertainty.simulate`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    parts = comparison.components
    providers = list(dict.fromkeys(parts.index.get_level_values("provider")))
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.2), layout="constrained")
    x = np.arange(len(providers))
    for ax, column, label in zip(axes, ("fte", "gva"), ("Local jobs (FTE)", "Local GVA (£m)"), strict=True):
        bottom = np.zeros(len(providers))
        for component in ("direct", "indirect", "induced"):
            values = np.array([parts.loc[(p, component), column] for p in providers])
            ax.bar(x, values, bottom=bottom, color=_COMPONENT_COLOURS[component], label=component, width=0.6)
            bottom += values
        for xi, total, p in zip(x, bottom, providers, strict=True):
            top = total
            if ranges and (p, column) in ranges:
                low, high = ranges[(p, column)]
                ax.errorbar([xi], [(low + high) / 2], yerr=[(high - low) / 2], fmt="none", color="#222222", capsize=6)
                top = max(total, high)
            ax.text(xi, top, f"{total:,.2f}" if column == "gva" else f"{total:,.1f}", ha="center", va="bottom")
        ax.set_xticks(x, [textwrap.fill(p, 18) for p in providers])
        ax.set_ylabel(label)
        ax.spines[["top", "right"]].set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles[::-1], labels[::-1], loc="outside right center", frameon=False)
    fig.suptitle(f"The same £{comparison.contract_value:,.0f} contract, by provider", x=0.02, ha="left")
    return fig


# Charts for print (the brief and the committee paper): units on every axis, a source line, legends
# beside the data, error bars where a range was estimated, PNG at 200 dpi and SVG.

#: Resolution of the PNG written for print.
PRINT_DPI = 200
_PRINT_STYLE = {
    "font.size": 8.5,
    "axes.titlesize": 9,
    "figure.titlesize": 9.5,
    "svg.fonttype": "path",
    "svg.hashsalt": "kil_io",
}


def add_footer(fig: Figure, text: str) -> None:
    """A source and data-year line under the chart, in small grey type (wrapped to the figure's width)."""
    width = max(40, int(fig.get_figwidth() * 14))
    fig.text(0.01, 0.005, textwrap.fill(text, width), ha="left", va="bottom", fontsize=7, color="#555555")
    lines = textwrap.fill(text, width).count("\n") + 1
    bottom = min(0.3, 0.045 * lines * 3.0 / fig.get_figheight())  # the footer's share of the height
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))  # type: ignore[union-attr]


def save_for_print(fig: Figure, folder: str | Path, stem: str) -> tuple[Path, Path]:
    """Write ``<stem>.png`` (200 dpi) and ``<stem>.svg`` into ``folder``, atomically; return both paths."""
    folder = Path(folder)
    paths = []
    for kind, extra in (("png", {"dpi": PRINT_DPI}), ("svg", {})):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=kind, metadata={"Date": None} if kind == "svg" else {"Software": None}, **extra)
        path = folder / f"{stem}.{kind}"
        write_atomic(path, buffer.getvalue(), force=True)
        paths.append(path)
    return paths[0], paths[1]


def _bounds(ranges: Mapping[str, tuple[float, float]] | None, key: str, central: float) -> tuple[float, float] | None:
    if not ranges or key not in ranges:
        return None
    low, high = ranges[key]
    return max(central - low, 0.0), max(high - central, 0.0)


def component_chart(
    components: pd.DataFrame,
    *,
    title: str,
    footer: str,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> Figure:
    """Local jobs (FTE) and GVA (£m) stacked by component, for print.

    Parameters
    ----------
    components : DataFrame
        Rows direct, indirect, induced, enabled (a ``total`` row is ignored); columns ``fte``
        (FTE) and ``gva`` (£m).
    title, footer : str
        Heading, and the source and data-year line.
    ranges : mapping, optional
        ``fte`` and/or ``gva`` -> (low, high) of the total: drawn as an error bar.

    Returns
    -------
    matplotlib.figure.Figure
    """
    frame = components.drop(index="total", errors="ignore")
    with plt.rc_context(_PRINT_STYLE):
        fig, axes = plt.subplots(1, 2, figsize=(6.6, 2.9), layout="constrained")
        for ax, column, label in zip(axes, ("fte", "gva"), ("Local jobs (FTE)", "Local GVA (£m)"), strict=True):
            bottom = 0.0
            for component, value in frame[column].items():
                if not frame.loc[component].any():
                    continue  # e.g. no hosted businesses: no empty entry in the legend
                colour = _COMPONENT_COLOURS.get(str(component), "#999999")
                ax.bar([0], [value], bottom=bottom, color=colour, label=str(component), width=0.5)
                bottom += value
            err = _bounds(ranges, column, bottom)
            if err is not None:
                ax.errorbar([0], [bottom], yerr=[[err[0]], [err[1]]], color="#222222", capsize=6, linewidth=1.2,
                            label="90% range")  # fmt: skip
            top = bottom + (err[1] if err else 0.0)
            text = fmt.fte(bottom, unit=False) if column == "fte" else fmt.money(bottom, unit="£m")
            ax.text(0.3, bottom, text, ha="left", va="center", fontsize=9)
            ax.set_xticks([])
            ax.set_xlim(-0.5, 0.9)
            ax.set_ylim(0, top * 1.12 if top > 0 else 1)
            ax.set_ylabel(label)
            ax.spines[["top", "right"]].set_visible(False)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles[::-1], labels[::-1], loc="outside right center", frameon=False)
        fig.suptitle(title, x=0.01, ha="left")
        add_footer(fig, footer)
    return fig


def provider_chart(
    components: pd.DataFrame,
    *,
    title: str,
    footer: str,
    ranges: Mapping[str, Mapping[str, tuple[float, float]]] | None = None,
) -> Figure:
    """Local jobs (FTE) and GVA (£m) of the same contract by provider, stacked by component, for print.

    Parameters
    ----------
    components : DataFrame
        Index (provider, component); columns ``fte`` and ``gva`` (£m), as
        :attr:`kil_io.appraisal.commissioning.ProviderComparison.components`.
    title, footer : str
    ranges : mapping, optional
        Provider -> {``fte``/``gva`` -> (low, high)}: error bars on that provider's total.

    Returns
    -------
    matplotlib.figure.Figure
    """
    providers = list(dict.fromkeys(components.index.get_level_values("provider")))
    parts = list(dict.fromkeys(components.index.get_level_values("component")))
    with plt.rc_context(_PRINT_STYLE):
        fig, axes = plt.subplots(1, 2, figsize=(6.6, 2.9), layout="constrained")
        x = np.arange(len(providers))
        for ax, column, label in zip(axes, ("fte", "gva"), ("Local jobs (FTE)", "Local GVA (£m)"), strict=True):
            bottom = np.zeros(len(providers))
            for component in parts:
                values = np.array([components.loc[(p, component), column] for p in providers], dtype=float)
                colour = _COMPONENT_COLOURS.get(str(component), "#999999")
                ax.bar(x, values, bottom=bottom, color=colour, label=str(component), width=0.55)
                bottom += values
            top = bottom.max()
            for xi, (p, total) in enumerate(zip(providers, bottom, strict=True)):
                err = _bounds((ranges or {}).get(p), column, total)
                if err is not None:
                    ax.errorbar([xi], [total], yerr=[[err[0]], [err[1]]], color="#222222", capsize=5, linewidth=1.2)
                    top = max(top, total + err[1])
                text = fmt.fte(total, unit=False) if column == "fte" else fmt.money(total, unit="£m")
                ax.text(xi, total, text, ha="center", va="bottom", fontsize=8)
            ax.set_xticks(x, [textwrap.fill(p, 16) for p in providers], fontsize=7)
            ax.set_ylim(0, top * 1.2 if top > 0 else 1)
            ax.set_ylabel(label)
            ax.spines[["top", "right"]].set_visible(False)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles[::-1], labels[::-1], loc="outside right center", frameon=False)
        fig.suptitle(title, x=0.01, ha="left")
        add_footer(fig, footer)
    return fig


def tornado_chart(swings: pd.DataFrame, *, title: str | None = None) -> Figure:
    """What drives a headline's range: one bar per input, from the headline at its low to at its high end.

    Parameters
    ----------
    swings : DataFrame
        From :func:`kil_io.uncertainty.tornado` (``label``, ``at_low``, ``at_high``,
        ``central``, ``unit``), largest swing first.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Horizontal bars around the central value (a vertical line); dark where the input
        is at its 95th percentile, light at its 5th.
    """
    frame = swings.iloc[::-1]
    central = float(frame["central"].iloc[0]) if len(frame) else 0.0
    unit = str(frame["unit"].iloc[0]) if len(frame) else ""
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(frame) + 1.4), layout="constrained")
    y = np.arange(len(frame))
    for column, colour, label in (("at_low", "#9ecae1", "input at its 5th percentile"),
                                  ("at_high", "#08519c", "input at its 95th percentile")):  # fmt: skip
        values = frame[column].to_numpy(dtype=float)
        ax.barh(y, values - central, left=central, color=colour, label=label, height=0.6)
    ax.axvline(central, color="#333333", linewidth=1)
    ax.set_yticks(y, [wrap(str(v), 48) for v in frame["label"]])
    ax.set_xlabel(f"{unit} (central {central:,.2f})")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, loc="lower right", fontsize=9)
    ax.set_title(title or "What drives the range (one input at a time)", loc="left")
    return fig
