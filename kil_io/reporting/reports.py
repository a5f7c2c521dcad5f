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
from kil_io.files import write_atomic, write_text_atomic
from kil_io.reporting import formatting as fmt

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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
    Series
        The headline figures, rounded to 3 decimals, for display; the files are written
        atomically, replacing any earlier run's in ``folder``.
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
        write_text_atomic(folder / "results.csv", results.to_csv(float_format="%.10g"), force=True)
        write_text_atomic(
            folder / "headline.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n", force=True
        )
        for stem, fig in (figures or {}).items():
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
            write_atomic(folder / f"{stem}.png", buffer.getvalue(), force=True)
    return pd.Series(clean, name="headline", dtype=float).round(3)


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
