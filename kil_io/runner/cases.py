"""``kil-io cases``: the shipped (or your own) case studies' tables and charts, without notebooks.

An organisation or contract case is appraised once (:func:`kil_io.appraise`, with its ranges) and
its files are those a notebook saves (:func:`kil_io.reporting.outputs.save_appraisal`: the
appraisal, headline, results and charts) plus its tables as CSV; an area case writes its
multipliers beside the UK's.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no window, whatever the environment says
import matplotlib.pyplot as plt
import pandas as pd

from kil_io import datasets
from kil_io.appraisal.casefile import case_study
from kil_io.files import csv_text, write_text_atomic
from kil_io.model.multipliers import compare
from kil_io.reporting import places, plots
from kil_io.reporting.outputs import save_appraisal, tables
from kil_io.uncertainty import appraise

#: Draws and seed of the ranges in ``kil-io cases`` (those of the case-study notebooks).
DRAWS, SEED = 10_000, 2026


def case_study_outputs(
    out: Path, names: Sequence[str] | None = None, *, force: bool = False
) -> tuple[pd.DataFrame, dict[Path, str]]:
    """Write every table (CSV) and chart (PNG) of the named case studies.

    Parameters
    ----------
    out : Path
        Folder; each case writes into ``<out>/<name>/``.
    names : sequence of str, optional
        Shipped case names or case files (default every shipped case, :func:`kil_io.datasets.case_studies`).
    force : bool
        Replace existing table files whose content differs (the appraisal's own files are always written).

    Returns
    -------
    summary : DataFrame
        One row per organisation or contract case: local jobs [FTE] and GVA [£m], gross and net, LM3
        [£ per £1 of income], and a published study's figures beside them.
    written : dict
        File -> write status.
    """
    written: dict[Path, str] = {}
    rows = {}
    for name in names or datasets.case_studies():
        case = case_study(name)
        folder = out / case.name
        if case.organisation is None:
            table = datasets.regional_iot(case.area, case.year, method=case.method, delta=case.delta)
            uk = datasets.uk_iot(datasets.national_year_for(case.year))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # sectors with no local output: NaN ratios, said in the CSV as empty
                frames = {"multipliers": compare({case.area: table, "UK": uk}, list(case.sectors) or None),
                          "all_sectors": compare({case.area: table}, None)}  # fmt: skip
            for key, frame in frames.items():
                path = folder / f"{key}.csv"
                written[path] = write_text_atomic(path, csv_text(frame, float_format="%.10g"), force=force)
            continue
        result = appraise(case, DRAWS, seed=SEED, places=True)
        figures = {"impact": plots.case_chart(result), "drivers": plots.drivers_chart(result)}
        where = places.chart(result)
        if where is not None:
            figures["places"] = where
        try:
            for path in save_appraisal(result, folder, figures=figures):
                written[path] = "written"
        finally:
            for fig in figures.values():
                plt.close(fig)
        for key, frame in tables(result).items():
            if key != "results":
                path = folder / f"{key}.csv"
                written[path] = write_text_atomic(path, csv_text(frame, float_format="%.10g"), force=force)
        org = result.organisation
        assert org is not None
        row = {m: org.total(m) for m in ("fte", "fte_net", "gva", "gva_net")} | {"lm3": org.lm3_value}
        if result.published is not None:
            row |= {f"published_{k}": float(v) for k, v in result.published["published"].items()}
        rows[case.title] = row
    summary = pd.DataFrame.from_dict(rows, orient="index")
    summary.index.name = "case"
    return summary, written
