"""Charts for reports: the only kil_io module that imports matplotlib."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from kil_io.appraisal.portfolio import Portfolio
from kil_io.appraisal.result import Appraisal, Entity
from kil_io.files import write_atomic
from kil_io.regional.calibration import Calibration
from kil_io.reporting import formatting as fmt

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

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
    fig = plt.figure(figsize=bars_size(len(sectors)), layout="constrained")
    draw_multiplier_bars(fig, type_i, type_ii, column, sectors, names=names, title=title)
    return fig


def bars_size(n: int) -> tuple[float, float]:
    """Size of a bar chart of ``n`` sectors [inches]."""
    # two lines of a wrapped name fit in a bar's 0.55 in; the size is as before names were wrapped
    return (8.0, 0.55 * n + 2.0)


def draw_multiplier_bars(
    fig: Figure,
    type_i: pd.DataFrame,
    type_ii: pd.DataFrame,
    column: str,
    sectors: Sequence[str],
    *,
    names: pd.Series | None = None,
    title: str | None = None,
) -> None:
    """Draw :func:`multiplier_bars` on ``fig`` (any figure: pyplot's, or an Agg ``Figure`` off the main thread)."""
    _check_column(column)
    sectors = list(sectors)
    first = type_i.loc[sectors, column].to_numpy(dtype=float)
    second = type_ii.loc[sectors, column].to_numpy(dtype=float)
    labels = [wrap(f"{s}: {names[s]}") if names is not None else s for s in sectors]
    ax = fig.add_subplot()
    y = np.arange(len(sectors))[::-1]
    ax.barh(y, first, color="#1f5f8b", label="Type I (direct + indirect)")
    ax.barh(y, second - first, left=first, color="#8fbcd4", label="induced (Type II - Type I)")
    for yi, value in zip(y, second, strict=True):
        ax.text(np.nan_to_num(value), yi, f" {value:,.2f}" if np.isfinite(value) else " .. (not meaningful)",
                va="center", fontsize=9)  # fmt: skip
    ax.set_yticks(y, labels)
    ax.set_xlabel(AXIS_LABELS[column])
    top = np.nanmax(second) if np.isfinite(second).any() else 0.0
    ax.set_xlim(0, top * 1.18 if top > 0 else 1.0)  # all '..' (NaN): an empty axis, not a ValueError
    fig.legend(loc="outside lower center", ncols=2, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        fig.suptitle(title, x=0.01, ha="left")


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


# Charts for print (the brief and the committee paper): units on every axis, a source line, legends
# beside the data, error bars where a range was estimated, PNG at 200 dpi and SVG.

#: Resolution of the PNG written for print.
PRINT_DPI = 200
_PRINT_STYLE: dict[RcKeyType, Any] = {
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
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0, bottom, 1, 1 - bottom))


def save_for_print(fig: Figure, folder: str | Path, stem: str) -> tuple[Path, Path]:
    """Write ``<stem>.png`` (200 dpi) and ``<stem>.svg`` into ``folder``, atomically; return both paths."""
    folder = Path(folder)
    paths = []
    for kind in ("png", "svg"):
        buffer = io.BytesIO()
        metadata = {"Date": None} if kind == "svg" else {"Software": None}
        fig.savefig(buffer, format=kind, metadata=metadata, dpi=PRINT_DPI if kind == "png" else "figure")
        path = folder / f"{stem}.{kind}"
        write_atomic(path, buffer.getvalue(), force=True)
        paths.append(path)
    return paths[0], paths[1]


#: Size [inches] of a case's chart on a screen (notebook page) and on paper (the brief): the one chart of a
#: case's figures, drawn at two sizes and resolutions.
SIZES: dict[str, tuple[float, float]] = {"screen": (8.0, 4.0), "print": (6.6, 2.9)}
#: Resolution [dots per inch] of each medium's PNG.
DPI: dict[str, int] = {"screen": 110, "print": PRINT_DPI}


def case_chart(a: Appraisal, *, medium: Literal["screen", "print"] = "screen") -> Figure:
    """The chart of an appraisal: local jobs (FTE) and GVA (£m) by component, with each total's range.

    For an organisation, one stacked bar of each measure; for a contract, one per provider. The
    same chart serves a notebook page (``medium="screen"``) and the brief (``"print"``): they
    differ only in size and resolution.

    Parameters
    ----------
    a : Appraisal
    medium : {"screen", "print"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    from kil_io.reporting.wording import footer_text

    entities = [a.organisation] if a.focus == "organisation" and a.organisation is not None else list(a.providers)
    ranges = _total_ranges(a, entities)
    if a.focus == "contract":
        who = "bid" if a.is_tender else "provider"
        title = f"The same {fmt.money(a.contract_value)} contract in {fmt.place(a.area)}, by {who} (gross)"
    else:
        title = f"{a.title}: local jobs and GVA supported in {fmt.place(a.area)} (gross)"
    with plt.rc_context(_PRINT_STYLE) if medium == "print" else plt.rc_context():
        fig, axes = plt.subplots(1, 2, figsize=SIZES[medium], layout="constrained")
        x = np.arange(len(entities))
        for ax, column, label in zip(axes, ("fte", "gva"), ("Local jobs (FTE)", "Local GVA (£m)"), strict=True):
            bottom = np.zeros(len(entities))
            for component in ("direct", "indirect", "induced", "enabled"):
                values = np.array([e.figures.loc[component, column] for e in entities], dtype=float)
                if not values.any():
                    continue  # e.g. no hosted businesses: no empty entry in the legend
                ax.bar(x, values, bottom=bottom, color=_COMPONENT_COLOURS[component], label=component, width=0.55)
                bottom += values
            top = float(bottom.max()) if len(bottom) else 0.0
            for xi, (e, total) in enumerate(zip(entities, bottom, strict=True)):
                r = ranges.get((e.name, column))
                if r is not None:
                    low, high = r
                    ax.errorbar([xi], [(low + high) / 2], yerr=[(high - low) / 2], color="#222222", capsize=5,
                                linewidth=1.2, label="90% range" if xi == 0 else None)  # fmt: skip
                    top = max(top, high)
                text = fmt.fte(total, unit=False) if column == "fte" else fmt.money(total, unit="£m")
                ax.text(xi + 0.3, total, text, ha="left", va="center", fontsize=8)
            names = [textwrap.fill(e.name, 16 if len(entities) < 3 else 11) for e in entities]
            ax.set_xticks(x, names if len(entities) > 1 else [""], fontsize=7)
            ax.set_xlim(-0.6, len(entities) - 0.4 + 0.5)
            ax.set_ylim(0, top * 1.15 if top > 0 else 1)
            ax.set_ylabel(label)
            ax.spines[["top", "right"]].set_visible(False)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles[::-1], labels[::-1], loc="outside right center", frameon=False)
        fig.suptitle(title, x=0.01, ha="left")
        add_footer(fig, footer_text(a))
    return fig


def _total_ranges(a: Appraisal, entities: Sequence[Entity]) -> dict[tuple[str, str], tuple[float, float]]:
    """(entity, ``fte``/``gva``) -> the 90% range of its gross total, where the appraisal simulated it."""
    out: dict[tuple[str, str], tuple[float, float]] = {}
    if a.simulation is None:
        return out
    summary = a.simulation.summary
    for e in entities:
        for column in ("fte", "gva"):
            row = column if e.role == "organisation" else f"{e.name}: {column}"
            if row in summary.index:
                out[(e.name, column)] = (float(summary.loc[row, "low"]), float(summary.loc[row, "high"]))
    return out


def save_figure(fig: Figure, folder: str | Path, stem: str, *, medium: Literal["screen", "print"] = "screen"
                ) -> list[Path]:  # fmt: skip
    """Write a chart beside a case's results: ``<stem>.png`` (and ``<stem>.svg`` for print), atomically."""
    if medium == "print":
        return list(save_for_print(fig, folder, stem))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI[medium], metadata={"Software": None})
    path = Path(folder) / f"{stem}.png"
    write_atomic(path, buffer.getvalue(), force=True)
    return [path]


def portfolio_chart(p: Portfolio, *, medium: Literal["screen", "print"] = "screen") -> Figure:
    """A portfolio's totals by area and in all: local jobs (FTE) and GVA (£m), gross beside net, each with its range.

    Parameters
    ----------
    p : Portfolio
        From :func:`kil_io.appraise_portfolio` (or :func:`kil_io.appraisal.read_portfolio`).
    medium : {"screen", "print"}
        A notebook page, or the brief (:data:`SIZES`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    groups = [*p.areas, p.total] if len(p.areas) > 1 else list(p.areas)
    colours = {"gross": "#1f5f8b", "net": "#8fb8d6"}
    years = sorted({e.national_year for e in p.entries})
    with plt.rc_context(_PRINT_STYLE) if medium == "print" else plt.rc_context():
        fig, axes = plt.subplots(1, 2, figsize=SIZES[medium], layout="constrained")
        x = np.arange(len(groups))
        for ax, measure, label in zip(axes, ("fte", "gva"), ("Local jobs (FTE)", "Local GVA (£m)"), strict=True):
            top = 0.0
            for shift, basis in ((-0.18, "gross"), (0.18, "net")):
                key = measure if basis == "gross" else f"{measure}_net"
                values = [g.totals[key] for g in groups]
                ax.bar(x + shift, values, width=0.34, color=colours[basis], label=basis)
                for xi, g in enumerate(groups):
                    r = g.ranges.get(key)
                    value = g.totals[key]
                    above = value
                    if r is not None:
                        first = xi == 0 and basis == "gross"
                        ax.errorbar([xi + shift], [(r.low + r.high) / 2], yerr=[(r.high - r.low) / 2], color="#222222",
                                    capsize=3, linewidth=1.0, label="90% range" if first else None)  # fmt: skip
                        above = max(value, r.high)
                    top = max(top, above)
                    text = fmt.fte(value, unit=False) if measure == "fte" else fmt.money(value, unit="£m")
                    ax.text(xi + shift, above, text, ha="center", va="bottom", fontsize=7)
            ax.set_xticks(x, [textwrap.fill(g.area, 14) for g in groups], fontsize=7)
            ax.set_ylim(0, top * 1.15 if top > 0 else 1)
            ax.set_ylabel(label)
            ax.spines[["top", "right"]].set_visible(False)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside right center", frameon=False)
        fig.suptitle("Local jobs and GVA supported, by area: gross and net", x=0.01, ha="left")
        add_footer(fig, f"Source: kil_io model of each area's economy from the ONS UK input-output tables "
                        f"{', '.join(map(str, years))} and local employment (BRES); each entry's case file. Entries "
                        "counted within another are not added again.")  # fmt: skip
    return fig


def drivers_chart(a: Appraisal) -> Figure:
    """What drives the range of the appraisal's main net figure (:attr:`SimulationSummary.drivers`)."""
    if a.simulation is None:
        raise ValueError(f"appraisal of '{a.case}' has no simulation: appraise it with draws to see what drives it")
    label = fmt.label_for(a.figure(a.simulation.driven).label).text
    return tornado_chart(a.simulation.drivers, title=f"{label}: what drives the range")


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
    ax.set_xlabel(f"{unit}: central {fmt.of(central, unit) if unit in fmt.UNITS else f'{central:,.2f}'}")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, loc="lower right", fontsize=9)
    ax.set_title(title or "What drives the range (one input at a time)", loc="left")
    return fig
