"""An appraisal's files in its result folder: what a notebook saves, and the brief and workbook made from it.

:func:`save_appraisal` writes ``appraisal.json`` (the whole result), ``headline.json`` (the index
page's figures and ranges), ``results.csv`` and the charts. :func:`write_reports` reads a result
folder's ``appraisal.json`` and writes ``brief.html``, ``brief.pdf`` and ``<case>.xlsx`` from it,
with no model run: any case that has an appraisal gets them (shipped, made by ``kil-io
new-case``, or written by hand), and ``kil-io brief FOLDER`` re-renders a folder. A portfolio's
folder (``portfolio.json``) gets its own (:mod:`kil_io.reporting.portfolio_outputs`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import pandas as pd

from kil_io.appraisal.portfolio import FILE as PORTFOLIO_FILE
from kil_io.appraisal.result import FILE, Appraisal, read_appraisal
from kil_io.files import csv_text, write_text_atomic
from kil_io.reporting import brief, plots
from kil_io.reporting.results import read_json

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def results_table(a: Appraisal) -> pd.DataFrame:
    """``results.csv``: an organisation's figures by component (gross, net, per £ of income), or the providers'."""
    if a.focus == "contract" and a.comparison is not None:
        return a.comparison
    e = a.organisation
    assert e is not None
    frame = e.figures.copy()
    frame["fte_per_1m_income"] = frame["fte"] / (e.income / 1e6)
    frame["gva_per_1_income"] = frame["gva"] * 1e6 / e.income
    return frame


def tables(a: Appraisal) -> dict[str, pd.DataFrame]:
    """An appraisal's tables by name, numbers as computed (for CSV): what ``kil-io cases`` writes.

    ``results`` (:func:`results_table`), ``inputs`` (every input with unit, basis, range and source),
    ``rates`` (gross to net by component), ``lm3``, ``ranges`` (every simulated figure), ``drivers``,
    and where the case has them ``providers``, ``published``, ``sensitivity`` and ``by_place`` (effects by
    GB authority).
    """
    out = {"results": results_table(a), "inputs": a.inputs_frame()}
    e = a.organisation or a.providers[0]
    out["rates"], out["lm3"] = e.rates, e.lm3
    if a.simulation is not None:
        out["ranges"], out["drivers"] = a.simulation.summary, a.simulation.drivers
    named = (("providers", a.comparison), ("published", a.published), ("sensitivity", a.sensitivity),
             ("by_place", a.by_place))  # fmt: skip
    for name, frame in named:
        if frame is not None:
            out[name] = frame
    return out


def save_appraisal(
    a: Appraisal, folder: str | Path | None = ".", *, figures: Mapping[str, Figure | None] | None = None
) -> list[Path]:
    """Write an appraisal into a result folder: ``appraisal.json``, ``headline.json``, ``results.csv``, charts.

    With effects by place (``appraise(..., places=True)``), ``by_place.csv`` too.

    Parameters
    ----------
    a : Appraisal
    folder : str or Path or None
        Where to write (a batch run sets the case's folder); ``None`` writes nothing (a published
        notebook re-run by nbval).
    figures : mapping, optional
        File stem -> matplotlib figure, written as PNG (e.g. ``{"impact": plots.case_chart(a)}``); a stem
        without a figure (None: e.g. no effects by place) is skipped.

    Returns
    -------
    list of Path
        The files written (atomically, replacing an earlier run's).
    """
    if folder is None:
        return []
    folder = Path(folder)
    written = []
    for name, text in (
        (FILE, a.to_json()),
        ("headline.json", json.dumps(a.headline_json(), indent=2, ensure_ascii=False) + "\n"),
        ("results.csv", csv_text(results_table(a))),  # provider names come from case files: made inert
        *((("by_place.csv", csv_text(a.by_place)),) if a.by_place is not None else ()),
    ):
        write_text_atomic(folder / name, text, force=True)
        written.append(folder / name)
    for stem, fig in (figures or {}).items():
        if fig is not None:
            written += plots.save_figure(fig, folder, stem)
    return written


@dataclass(frozen=True)
class Reports:
    """What :func:`write_reports` wrote, and why anything is missing (``note``)."""

    files: tuple[Path, ...]
    note: str = ""


def write_reports(folder: str | Path, *, pdf: bool = True) -> Reports:
    """The brief (HTML, chart, PDF) and the workbook of a result folder, from its ``appraisal.json``.

    Parameters
    ----------
    folder : str or Path
        A case's result folder (holding ``appraisal.json``; ``case.json`` too when a batch run made it).
    pdf : bool
        Print ``brief.pdf`` (headless Chromium); without it, or if printing fails, the HTML brief is
        still written and :attr:`Reports.note` says why there is no PDF.

    Returns
    -------
    Reports

    Raises
    ------
    AppraisalFileError
        No ``appraisal.json`` (the folder is not an organisation or contract case's result), or one
        written by another version of kil_io (the message says to re-run the case).
    """
    from kil_io.reporting.workbook import write_workbook

    folder = Path(folder)
    if not (folder / FILE).is_file() and (folder / PORTFOLIO_FILE).is_file():  # a portfolio's result folder
        from kil_io.reporting.portfolio_outputs import write_reports as portfolio_reports

        return Reports(*portfolio_reports(folder, pdf=pdf))
    a = read_appraisal(folder)
    info = read_json(folder / "case.json")
    # a batch run names the workbook after the run (the index links <name>.xlsx), else after the case
    book = folder / f"{info.get('name') or a.case}.xlsx"
    files = brief.write_brief(a, folder, pdf=pdf, finished=str(info.get("finished_utc", "")), workbook=book.name)
    plt.close("all")
    written = [files.html, *files.charts, *([files.pdf] if files.pdf else [])]
    written.append(write_workbook(a, book))
    return Reports(tuple(written), files.note)
