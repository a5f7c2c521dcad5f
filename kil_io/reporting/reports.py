"""An area page's results as readable tables, and saving them beside the notebook.

An organisation or contract case's page reads its :class:`~kil_io.appraisal.result.Appraisal`
(:mod:`kil_io.reporting.pages`, :mod:`kil_io.reporting.outputs`); the area pages (UK, regional,
calibration, explore) use :func:`save_results` and :func:`readable`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from kil_io._version import __version__
from kil_io.errors import CaseError
from kil_io.files import csv_text, write_atomic, write_text_atomic
from kil_io.model.display import Facts, table_facts
from kil_io.reporting import formatting as fmt

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kil_io.model.table import IOTable


def save_results(
    results: pd.DataFrame,
    headline: Mapping[str, float],
    figures: Mapping[str, Figure] | None = None,
    folder: str | Path | None = ".",
    *,
    ranges: Mapping[str, Mapping[str, float | int] | str] | None = None,
) -> pd.Series:
    """Write a notebook's results beside it: ``results.csv``, ``headline.json`` and PNG figures.

    Parameters
    ----------
    results : DataFrame
        The main table of the analysis.
    headline : mapping
        A few figures, keyed by a label that carries the unit (e.g. ``"Local jobs (FTE)"``),
        shown on the batch index page.
    figures : mapping, optional
        File stem -> matplotlib figure.
    folder : str or Path, optional
        Where to write (default the current folder, the case folder in a batch run);
        ``None`` writes nothing (a published notebook re-run by nbval).
    ranges : mapping, optional
        Headline label -> its range, ``{"low", "high", "median", "level", "draws"}`` (e.g.
        :meth:`kil_io.uncertainty.Simulation.ranges`), or a text saying why a figure has none
        (``"exact: ONS's published table"``), written under ``"ranges"`` in ``headline.json``
        beside the flat central values (which stay as they are).

    Returns
    -------
    DataFrame
        The headline figures for reading (:func:`headline_view`): jobs to 1 decimal, multipliers
        and £ per £1 to 3, with their 90% ranges; the files are written atomically, replacing any
        earlier run's in ``folder``.
    """
    clean = {str(k): (None if pd.isna(v) else round(float(v), 6)) for k, v in headline.items()}
    document: dict[str, object] = dict(clean)
    if ranges:
        unknown = sorted(set(map(str, ranges)) - set(clean))
        if unknown:
            raise CaseError(f"ranges for headlines that are not in the headline: {unknown}; headline: {sorted(clean)}")
        document["ranges"] = {str(k): _range_entry(str(k), r) for k, r in ranges.items()}
    document[fmt.VERSION_KEY] = __version__
    if folder is not None:
        folder = Path(folder)
        write_text_atomic(folder / "results.csv", csv_text(results, float_format="%.10g"), force=True)
        write_text_atomic(
            folder / "headline.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n", force=True
        )
        for stem, fig in (figures or {}).items():
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
            write_atomic(folder / f"{stem}.png", buffer.getvalue(), force=True)
    return headline_view(clean, ranges)


def table_metadata(table: IOTable) -> Facts:
    """How a regional table was made, for reading: its facts, then λ*, employment share, data and notes.

    Parameters
    ----------
    table : IOTable

    Returns
    -------
    Facts
        Shows as a two-column table (HTML in Jupyter, aligned text in a terminal).
    """
    meta = table.metadata
    rows = table_facts(table)
    if "area_code" in meta:
        kind = str(meta.get("area_kind", "")).replace("_", " ")
        rows.insert(1, ("Area code", f"{meta['area_code']} ({kind})" if kind else str(meta["area_code"])))
    if meta.get("lambda") is not None:
        rows.append(("FLQ λ*", f"{float(meta['lambda']):.3f} (scales every quotient: small areas buy more elsewhere)"))
    if meta.get("employment_share") is not None:
        rows.append(("Share of GB employment", f"{float(meta['employment_share']):.2%}"))
    if meta.get("employment"):
        rows.append(("Employment data", str(meta["employment"])))
    rows += [("Note", str(note)) for note in meta.get("area_notes", ())]
    return Facts(rows, f"How the table of {table.area} {table.year} was made")


def _figure(label: str, value: float | None) -> str:
    if value is None or pd.isna(value):
        return NOT_MEANINGFUL
    if "FTE" in label or "jobs" in label.lower():
        return f"{value:,.1f}"
    if "(£)" in label:
        return f"£{value:,.0f}"
    return f"{value:,.3f}"


def headline_view(
    headline: Mapping[str, float | None], ranges: Mapping[str, Mapping[str, float | int] | str] | None = None
) -> pd.DataFrame:
    """An area page's headline for reading: each figure to the decimals its unit needs, with its range.

    Parameters
    ----------
    headline : mapping
        Label (carrying the unit, ``"... jobs per £1m (FTE)"``) -> value.
    ranges : mapping, optional
        As :func:`save_results` takes them.

    Returns
    -------
    DataFrame
        Indexed by figure: ``value`` (FTE to 1 decimal, £ to the pound, others to 3) and, with
        ranges, ``90% range`` (``"low to high"``, or the reason a figure has none).
    """
    out = pd.DataFrame({"value": [_figure(k, v) for k, v in headline.items()]},
                       index=pd.Index(list(headline), name="figure"))  # fmt: skip
    if ranges:
        out["90% range"] = [
            r if isinstance(r, str) else f"{_figure(k, float(r['low']))} to {_figure(k, float(r['high']))}"
            for k in headline
            for r in [ranges.get(k, "")]
        ]
    return out


#: The keys of a headline's range in ``headline.json``.
RANGE_KEYS: tuple[str, ...] = ("low", "high", "median", "level", "draws")


def _range_entry(label: str, r: Mapping[str, float | int] | str) -> dict[str, float | int] | dict[str, str]:
    if isinstance(r, str):  # a figure with no range by nature: why (e.g. "exact: ONS's published table")
        if not r.strip():
            raise CaseError(f"range of {label!r}: give a range, or say why there is none")
        return {"none": r.strip()}
    missing = sorted(set(RANGE_KEYS) - set(r))
    if missing:
        raise CaseError(f"range of {label!r} lacks {missing}; a range has {list(RANGE_KEYS)}")
    entry: dict[str, float | int] = {k: round(float(r[k]), 6) for k in ("low", "high", "median", "level")}
    entry["draws"] = int(r["draws"])
    if not entry["low"] <= entry["median"] <= entry["high"]:
        raise CaseError(f"range of {label!r} is not ordered: low {entry['low']}, median {entry['median']}, "
                        f"high {entry['high']}")  # fmt: skip
    return entry


def formatted(frame: pd.DataFrame, columns: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """A table for reading: the named columns formatted by :mod:`kil_io.reporting.formatting`, headed with units.

    Parameters
    ----------
    frame : DataFrame
    columns : mapping
        Column -> (heading, kind), kind one of :data:`kil_io.reporting.formatting.Kind`; other
        columns are left out.

    Returns
    -------
    DataFrame
        Text cells (``"202 FTE"``, ``"£6.8m"``; ``"not available"`` for a missing value).
    """
    out = pd.DataFrame(index=frame.index)
    for column, (heading, kind) in columns.items():
        unit = kind == "fte"
        out[heading] = [fmt.fte(v, unit=False) if unit else fmt.number(v, kind) for v in frame[column]]  # type: ignore[arg-type]
    return out


def headline_table(headline: Mapping[str, float]) -> pd.DataFrame:
    """The headline figures for reading: figure, value (formatted with its unit) and gross/net."""
    rows = [
        (label.text, fmt.number(value, label.kind), label.basis)
        for _key, label, value, _spread in fmt.headline_figures(dict(headline))
    ]
    return pd.DataFrame(rows, columns=["figure", "value", "basis"]).set_index("figure")


#: How a figure that is not meaningful is shown (ONS's and SG's symbol, e.g. a ratio multiplier
#: whose direct coefficient is zero, negative or tiny; a figure a published study does not give).
NOT_MEANINGFUL = ".."


def readable(frame: pd.DataFrame, decimals: int = 3) -> pd.DataFrame:
    """``frame`` for display: numbers rounded to ``decimals``, NaN shown as :data:`NOT_MEANINGFUL`.

    Parameters
    ----------
    frame : DataFrame
    decimals : int

    Returns
    -------
    DataFrame
        A new frame of objects (numbers and ``".."``): for showing, not for computing.

    Examples
    --------
    >>> readable(kil_io.multipliers(datasets.uk_iot(2020))).loc["H491_2", "gva_multiplier"]  # doctest: +SKIP
    '..'
    """
    return frame.round(decimals).astype(object).where(frame.notna(), NOT_MEANINGFUL)
