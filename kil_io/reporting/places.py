"""Where the jobs are: an appraisal's effects by GB authority as a table, a ranked-bar chart and the brief's line.

Renderers of :attr:`kil_io.appraisal.result.Appraisal.by_place` (made by ``appraise(..., places=True)``
from the interregional model of every GB authority): they only format it. An appraisal without it
gives a one-row note, no chart and no line.
"""

from __future__ import annotations

import textwrap
from typing import Literal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from kil_io.appraisal.result import Appraisal
from kil_io.reporting import formatting as fmt

#: Rows of the table and chart, in order (the brief's summary rows are not among them).
ROLES: tuple[str, ...] = ("own", "region", "neighbour", "rest", "total")
_WORDS = {"own": "the area", "region": "same region", "neighbour": "neighbour", "rest": "", "total": ""}
_COLOURS = ("#1f5f8b", "#d08c2e", "#6a9f58", "#9b59b6", "#7f7f7f")


def _entities(a: Appraisal) -> list[str]:
    """The entities shown: the organisation (organisation focus) or the providers, in the appraisal's order."""
    assert a.by_place is not None
    shown = [e.name for e in a.entities if a.focus == "organisation" or e.role == "provider"]
    return [n for n in shown if n in set(a.by_place["entity"])]


def _fte(value: float, low: float, high: float) -> str:
    text = fmt.fte(value, unit=False)
    ends = (fmt.fte(low, unit=False, like=value), fmt.fte(high, unit=False, like=value))
    return text if ends[0] == ends[1] == text else f"{text} ({ends[0]}–{ends[1]})"


def table(a: Appraisal) -> pd.DataFrame:
    """Jobs (FTE) by place for each entity shown, each with its range over the distance decay.

    Rows: the area, the other authorities of its combined authority (or ITL2 region), its neighbours
    outside it, the rest of Great Britain and the total; a column per entity (the organisation, or
    each provider: where each provider's jobs are).
    """
    if a.by_place is None:
        why = a.by_place_notes[0] if a.by_place_notes else "appraise the case with places=True to see them"
        return pd.DataFrame({"note": [f"no effects by place: {why}".replace("no effects by place: no ", "no ")]})
    frame = a.by_place[a.by_place["role"].isin(ROLES)]
    names = _entities(a)
    first = frame[frame["entity"] == names[0]]
    index = pd.Index([f"{p} ({_WORDS[r]})" if _WORDS[r] else p for p, r in zip(first["place"], first["role"],
                                                                               strict=True)], name="place")  # fmt: skip
    out = pd.DataFrame(index=index)
    for name in names:
        rows = frame[frame["entity"] == name].set_index(["role", "place"])
        column = "Jobs (FTE)" if len(names) == 1 else f"{name}: jobs (FTE)"
        out[column] = [_fte(*rows.loc[(r, p), ["fte", "fte_low", "fte_high"]]) for r, p in zip(first["role"],
                       first["place"], strict=True)]  # fmt: skip
        if len(names) == 1:
            out["GVA (£m)"] = [fmt.money(v, unit="£m") for v in rows["gva"]]
    return out


def sentences(a: Appraisal) -> list[str]:
    """The brief's line for each entity shown: in the area, elsewhere in its region, elsewhere in Great Britain."""
    if a.by_place is None:
        return []
    out = []
    for name in _entities(a):
        rows = a.by_place[a.by_place["entity"] == name].set_index("role")
        own = rows.loc["own"]
        who = f"{name}: a" if a.focus == "contract" or len(_entities(a)) > 1 else "A"
        text = f"{who}bout {fmt.fte(own['fte'])} in {fmt.place(str(own['place']))}"
        parts = []
        if "in region" in rows.index:
            r = rows.loc["in region"]
            region = str(r["place"]).removesuffix(" Combined Authority")
            parts.append(f"about {_fte(r['fte'], r['fte_low'], r['fte_high'])} FTE elsewhere in {region}")
        e = rows.loc["elsewhere"]
        parts.append(f"{_fte(e['fte'], e['fte_low'], e['fte_high'])} FTE elsewhere in Great Britain")
        out.append(f"{text}, and {', '.join(parts)} (gross, with households' re-spending).")
    return out


def chart(a: Appraisal, *, medium: Literal["screen", "print"] = "screen") -> Figure | None:
    """Ranked bars: jobs (FTE) by place for each entity shown, with each place's range over the distance decay.

    The area first, then the other authorities of its region and its neighbours, biggest first, then the rest
    of Great Britain; no map tiles. None without effects by place.
    """
    from kil_io.reporting.plots import SIZES, add_footer
    from kil_io.reporting.wording import footer_text

    if a.by_place is None:
        return None
    names = _entities(a)
    frame = a.by_place[a.by_place["role"].isin(ROLES[:-1])]
    first = frame[frame["entity"] == names[0]]
    labels = [textwrap.shorten(str(p), 32) for p in first["place"]]
    y = np.arange(len(labels))
    height = 0.8 / len(names)
    width, tall = SIZES[medium]
    fig, ax = plt.subplots(figsize=(width, max(tall, 0.28 * len(labels) * max(1, len(names) * 0.6) + 1.2)),
                           layout="constrained")  # fmt: skip
    for k, name in enumerate(names):
        rows = frame[frame["entity"] == name].set_index(["role", "place"]).loc[list(zip(first["role"], first["place"],
                                                                                        strict=True))]  # fmt: skip
        values = rows["fte"].to_numpy(dtype=float)
        low, high = rows["fte_low"].to_numpy(dtype=float), rows["fte_high"].to_numpy(dtype=float)
        at = y + (k - (len(names) - 1) / 2) * height
        ax.barh(at, values, height=height * 0.9, color=_COLOURS[k % len(_COLOURS)], label=name)
        ax.errorbar(values, at, xerr=[values - low, high - values], fmt="none", ecolor="#222222", capsize=2,
                    linewidth=0.8)  # fmt: skip
        for yi, v, h in zip(at, values, high, strict=True):
            ax.text(max(v, h), yi, " " + fmt.fte(v, unit=False), va="center", fontsize=7)
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("symlog", linthresh=1.0)
    ax.set_xlabel("Jobs supported (FTE, gross; log scale above 1), with the range over the distance decay")
    ax.spines[["top", "right"]].set_visible(False)
    if len(names) > 1:
        fig.legend(loc="outside upper center", ncols=min(3, len(names)), frameon=False, fontsize=8)
    ax.set_title(textwrap.shorten(f"Where the jobs are: {a.title}, {fmt.place(a.area)}", 90), loc="left", fontsize=10)
    add_footer(fig, footer_text(a))
    return fig
