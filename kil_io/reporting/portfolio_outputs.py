"""A portfolio's files in its result folder: what its notebook saves, and the brief and workbook made from them.

:func:`save_portfolio` writes ``portfolio.json`` (the whole result), ``headline.json`` (the index
page's totals and ranges, labelled as an organisation's), ``results.csv`` (the totals by area) and
the charts. :func:`write_reports` reads ``portfolio.json`` and writes ``brief.html``, ``brief.pdf``
and the workbook from it, with no model run (``kil-io brief FOLDER`` and ``kil-io run`` call it
through :func:`kil_io.reporting.outputs.write_reports`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import pandas as pd

from kil_io.appraisal.portfolio import FILE, MEASURES, Portfolio, read_portfolio
from kil_io.files import write_text_atomic
from kil_io.reporting import plots, portfolio_brief
from kil_io.reporting.results import read_json

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def results_table(p: Portfolio) -> pd.DataFrame:
    """``results.csv``: per area and in total, the entries' sum, what shared suppliers took off, the total and range.

    Columns ``<measure>``, ``<measure>_removed``, ``<measure>_total``, ``<measure>_low`` and ``<measure>_high``
    [FTE or £m], and ``entries`` (the entries added up).
    """
    rows = {}
    for g in (*p.areas, p.total):
        row: dict[str, object] = {"area_code": g.area_code}
        for m in MEASURES:
            row |= {m: g.figures[m], f"{m}_removed": g.removed[m], f"{m}_total": g.totals[m]}
            if m in g.ranges:
                row |= {f"{m}_low": g.ranges[m].low, f"{m}_high": g.ranges[m].high}
        row["entries"] = " ".join(g.included)
        rows[g.area] = row
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "area"
    return frame


def save_portfolio(
    p: Portfolio, folder: str | Path | None = ".", *, figures: Mapping[str, Figure] | None = None
) -> list[Path]:
    """Write a portfolio into a result folder: ``portfolio.json``, ``headline.json``, ``results.csv``, charts.

    Parameters
    ----------
    p : Portfolio
    folder : str or Path or None
        Where to write (a batch run sets the case's folder); ``None`` writes nothing.
    figures : mapping, optional
        File stem -> matplotlib figure, written as PNG (e.g. ``{"portfolio": plots.portfolio_chart(p)}``).

    Returns
    -------
    list of Path
        The files written (atomically).
    """
    if folder is None:
        return []
    folder = Path(folder)
    written = []
    for name, text in (
        (FILE, p.to_json()),
        ("headline.json", json.dumps(p.headline_json(), indent=2, ensure_ascii=False) + "\n"),
        ("results.csv", results_table(p).to_csv(float_format="%.10g")),
    ):
        write_text_atomic(folder / name, text, force=True)
        written.append(folder / name)
    for stem, fig in (figures or {}).items():
        written += plots.save_figure(fig, folder, stem)
    return written


def write_reports(folder: str | Path, *, pdf: bool = True) -> tuple[tuple[Path, ...], str]:
    """The brief (HTML, chart, PDF) and the workbook of a portfolio's result folder, from its ``portfolio.json``.

    Parameters
    ----------
    folder : str or Path
        A portfolio's result folder (``case.json`` too when a batch run made it: the workbook is then
        named after the run).
    pdf : bool
        Print ``brief.pdf``; without Chromium, or if printing fails, ``note`` says why.

    Returns
    -------
    files : tuple of Path
        What was written.
    note : str
        Why there is no PDF, if there is none (:class:`kil_io.reporting.outputs.Reports` carries both).

    Raises
    ------
    PortfolioFileError
        No ``portfolio.json``, or one of another layout.
    """
    from kil_io.reporting.portfolio_workbook import write_workbook

    folder = Path(folder)
    p = read_portfolio(folder)
    info = read_json(folder / "case.json")
    book = folder / f"{info.get('name') or p.name}.xlsx"
    files = portfolio_brief.write_brief(p, folder, pdf=pdf, finished=str(info.get("finished_utc", "")),
                                        workbook=book.name)  # fmt: skip
    plt.close("all")
    written = [files.html, *files.charts, *([files.pdf] if files.pdf else [])]
    written.append(write_workbook(p, book))
    return tuple(written), files.note


__all__ = ["results_table", "save_portfolio", "write_reports"]
