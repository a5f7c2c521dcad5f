"""The chart of a council's spend impact: local jobs by category today and with the shift, and the totals' ranges.

Drawn from a :class:`~kil_io.records.spend_result.SpendImpact` only, at the sizes and print style of
:mod:`kil_io.reporting.plots` (the same chart serves the notebook page and the brief), units on every
axis and a source line under it.
"""

from __future__ import annotations

import textwrap
from typing import Literal

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from kil_io.records.spend_result import SpendImpact
from kil_io.reporting import formatting as fmt
from kil_io.reporting import plots, spend_wording

#: Categories drawn one by one; the rest are summed into "other categories".
TOP = 8
TODAY, EXTRA, NET = "#1f5f8b", "#a9cce3", "#5b9bc4"


def spend_chart(r: SpendImpact, *, medium: Literal["screen", "print"] = "screen") -> Figure:
    """Local jobs (FTE, gross) by category, today and the extra with the shift; and the totals, gross and net.

    Parameters
    ----------
    r : SpendImpact
    medium : {"screen", "print"}
        The notebook page's size, or the brief's (print style, 200 dpi).

    Returns
    -------
    matplotlib.figure.Figure
    """
    c = r.categories
    order = c.sort_values("fte", ascending=True)
    labels, today, extra = list(order["label"]), order["fte"].to_numpy(), order["extra_fte"].to_numpy()
    if len(labels) > TOP:
        rest = len(labels) - TOP + 1
        labels = [f"{rest} other categories", *labels[rest:]]
        today = np.concatenate([[today[:rest].sum()], today[rest:]])
        extra = np.concatenate([[extra[:rest].sum()], extra[rest:]])
    style = plots._PRINT_STYLE if medium == "print" else {}  # the brief's print style, one place
    width, height = plots.SIZES[medium]
    with plt.rc_context(style):
        fig, (left, right) = plt.subplots(1, 2, figsize=(width, height * 1.15), layout="constrained",
                                          gridspec_kw={"width_ratios": [1.6, 1]})  # fmt: skip
        y = np.arange(len(labels))
        left.barh(y, today, color=TODAY, label="today")
        if r.shifted:
            left.barh(y, extra, left=today, color=EXTRA, label="extra with the shift")
        left.set_yticks(y, [textwrap.fill(str(name), 22) for name in labels], fontsize=7)
        left.set_xlabel("Local jobs supported (FTE, gross)")
        left.set_title("By category", loc="left")
        left.spines[["top", "right"]].set_visible(False)
        left.legend(loc="lower right", frameon=False, fontsize=7)
        _totals(right, r)
        right.legend(loc="upper left", frameon=False, fontsize=7)
        scenario = ", today and with the shift" if r.shifted else ""
        fig.suptitle(f"Local jobs supported in {r.area} by the council's local spend{scenario}", x=0.01, ha="left")
        plots.add_footer(fig, spend_wording.footer_text(r))
    return fig


def _totals(ax: plt.Axes, r: SpendImpact) -> None:
    """Gross and net local jobs of today and of the shift's extra, each with its 90% range where simulated."""
    groups = [("today", "Today")] + ([("extra", "Extra with\nthe shift")] if r.shifted else [])
    x = np.arange(len(groups))
    for offset, measure, colour, name in ((-0.18, "fte", TODAY, "gross"), (0.18, "fte_net", NET, "net additional")):
        values = [r.total(s, measure) for s, _ in groups]
        ax.bar(x + offset, values, width=0.34, color=colour, label=name)
        for xi, (scenario, _) in enumerate(groups):
            key = measure if scenario == "today" else f"extra: {measure}"
            h = r.figure(key)
            top = values[xi]
            if h.range is not None:
                top = max(top, h.range.high)
                ax.errorbar([xi + offset], [(h.range.low + h.range.high) / 2], yerr=[(h.range.high - h.range.low) / 2],
                            color="#222222", capsize=3, linewidth=1,
                            label="90% range" if (xi, measure) == (0, "fte") else None)  # fmt: skip
            ax.text(xi + offset, top, fmt.fte(values[xi], unit=False), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(x, [name for _, name in groups], fontsize=7)
    ax.set_ylim(0, ax.get_ylim()[1] * 1.25)  # room for the legend and the labels above the ranges
    ax.set_ylabel("Local jobs (FTE)")
    ax.set_title("Totals", loc="left")
    ax.spines[["top", "right"]].set_visible(False)


__all__ = ["TOP", "spend_chart"]
