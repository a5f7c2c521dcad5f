"""How an :class:`~kil_io.model.table.IOTable` and a multipliers frame look in Jupyter (HTML).

Display only: what the table or frame already carries, formatted for reading (names beside codes,
units in headings, decimals that suit the figure, ONS's ``..`` for a figure that is not meaningful).
Nothing here computes a result.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

# an IOTable (kil_io.model.table imports this module to show itself, so the type is not imported here)
IOTable = Any

#: How a figure that is not meaningful is shown (ONS's and the Scottish Government's symbol).
NOT_MEANINGFUL = ".."

#: Headings with units of the columns of :func:`kil_io.multipliers`, and the decimals each is shown to.
MULTIPLIER_HEADINGS: dict[str, tuple[str, int]] = {
    "output_multiplier": ("Output multiplier [£ per £1]", 3),
    "gva_effect": ("GVA effect [£ per £1]", 3),
    "gva_multiplier": ("GVA multiplier [ratio]", 3),
    "income_effect": ("Income effect [£ per £1]", 3),
    "income_multiplier": ("Income multiplier [ratio]", 3),
    "employment_effect": ("Jobs [FTE per £1m]", 1),
    "employment_multiplier": ("Employment multiplier [ratio]", 3),
}

_KIND = {"type_i": "Type I (direct + indirect)", "type_ii": "Type II (direct + indirect + induced)"}
_STYLE = "text-align:left;padding:2px 10px 2px 0"


def _rows(rows: list[tuple[str, str]]) -> str:
    return "".join(
        f"<tr><th style='{_STYLE}'>{html.escape(k)}</th><td style='{_STYLE}'>{html.escape(v)}</td></tr>"
        for k, v in rows
    )


class Facts:
    """Labelled facts that show as a two-column table: HTML in Jupyter, aligned text elsewhere."""

    def __init__(self, rows: list[tuple[str, str]], title: str = "") -> None:
        self.rows, self.title = list(rows), title

    def _repr_html_(self) -> str:
        head = f"<strong>{html.escape(self.title)}</strong>" if self.title else ""
        return f"<div>{head}<table>{_rows(self.rows)}</table></div>"

    def __repr__(self) -> str:
        width = max((len(k) for k, _ in self.rows), default=0)
        lines = [f"{k:<{width}}  {v}" for k, v in self.rows]
        return "\n".join([self.title, *lines] if self.title else lines)


def table_facts(table: IOTable) -> list[tuple[str, str]]:
    """What a reader asks of a table first, as (label, text) pairs.

    Parameters
    ----------
    table : IOTable

    Returns
    -------
    list of (str, str)
        Area, year, method and δ (a regional table), national table, resident share [share],
        household income [£m], sectors, total output [£m] and jobs [FTE].
    """
    meta = table.metadata
    rows = [("Area", str(table.area)), ("Year", str(table.year))]
    method = meta.get("method")
    if method:
        rows.append(("Method", f"{str(method).upper()} location quotients"))
        delta = meta.get("delta")
        rows.append(("δ (FLQ/AFLQ)", f"{float(delta):g}" if delta is not None and method in ("flq", "aflq") else
                     "not used by this method"))  # fmt: skip
    if meta.get("national_table"):
        rows.append(("National table", str(meta["national_table"])))
    share = f"{table.resident_share:.1%} of pay goes to residents"
    rows.append(("Resident share", share))
    if table.household_income is not None:
        rows.append(("Household income", f"£{table.household_income:,.0f}m"))
    rows.append(("Sectors", f"{table.n}" + (f" ({len(table.excluded)} outside the Leontief system)"
                                            if table.excluded else "")))  # fmt: skip
    rows.append(("Total output", f"£{table.output.sum():,.0f}m" if table.units == "£m" else
                 f"{table.output.sum():,.0f} {table.units}"))  # fmt: skip
    if table.employment is not None:
        rows.append(("Employment", f"{np.nansum(table.employment):,.0f} FTE"))
    return rows


def table_html(table: IOTable) -> str:
    """The table in Jupyter: its facts and its five largest sectors by output."""
    top = np.argsort(-table.output)[:5]
    largest = ", ".join(f"{table.sectors[i]} {table.names[i]} (£{table.output[i]:,.0f}m)" for i in top)
    facts = _rows([*table_facts(table), ("Largest sectors", largest)])
    title = html.escape(f"IOTable {table.label}")
    return f"<div><strong>{title}</strong><table>{facts}</table></div>"


def is_multipliers(frame: object) -> bool:
    """``frame`` is a result of :func:`kil_io.multipliers` (or a selection of its rows and columns)."""
    return (
        isinstance(frame, pd.DataFrame)
        and frame.attrs.get("kind") in _KIND
        and len(frame.columns) > 0
        and all(c in MULTIPLIER_HEADINGS for c in frame.columns)
        and isinstance(frame.attrs.get("names"), Mapping)
    )


def multipliers_view(frame: pd.DataFrame) -> pd.DataFrame:
    """A multipliers frame for reading: industry names beside codes, units in headings, ``..`` for NaN.

    Sectors with figures come first, in the table's order; sectors that are all NaN follow.

    Parameters
    ----------
    frame : DataFrame
        A result of :func:`kil_io.multipliers` (``attrs["names"]`` maps codes to names).

    Returns
    -------
    DataFrame
        Text cells, indexed by (code, industry): for showing, not for computing.
    """
    names: Mapping[str, Any] = frame.attrs.get("names", {})
    empty = frame.isna().all(axis=1).to_numpy()
    ordered = frame.iloc[np.concatenate([np.flatnonzero(~empty), np.flatnonzero(empty)])]
    out = pd.DataFrame(index=pd.MultiIndex.from_arrays(
        [ordered.index, [str(names.get(c, "")) for c in ordered.index]], names=["code", "industry"]))  # fmt: skip
    for column in ordered.columns:
        heading, decimals = MULTIPLIER_HEADINGS[column]
        out[heading] = [NOT_MEANINGFUL if not np.isfinite(v) else f"{v:,.{decimals}f}" for v in ordered[column]]
    return out


def multipliers_html(frame: pd.DataFrame) -> str:
    """A multipliers frame in Jupyter: what it is, then :func:`multipliers_view` as HTML."""
    attrs = frame.attrs
    head = f"{_KIND[attrs['kind']]} multipliers, {attrs.get('area', '')} {attrs.get('year', '')}".strip()
    if attrs["kind"] == "type_ii" and "resident_share" in attrs:
        head += f"; resident share {float(attrs['resident_share']):.1%}"
    view = multipliers_view(frame)
    note = f" {NOT_MEANINGFUL} = not meaningful (ONS's symbol)." if (view == NOT_MEANINGFUL).any().any() else ""
    body = view.to_html(max_rows=40)
    return f"<div><p>{html.escape(head)}. Per £1 (jobs per £1m) of final demand.{note}</p>{body}</div>"
