"""Multiplier and case-study tables written as files (CSV, PNG, JSON), for `kil-io multipliers` and `cases`."""

from __future__ import annotations

import io
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from kil_io import datasets, regional
from kil_io.errors import ZeroOutputWarning
from kil_io.files import write_atomic, write_text_atomic
from kil_io.model.multipliers import multipliers

#: Sectors the Keep it Local case studies turn on: residential care and social work,
#: education, and membership organisations.
HEADLINE_SECTORS: tuple[str, ...] = ("Q87 & Q88", "P85", "S94")


#: Units of the multiplier columns, written beside every multiplier CSV.
UNITS_NOTE = {
    "output_multiplier": "£ of output per £1 of final demand",
    "gva_effect": "£ of GVA per £1 of final demand",
    "income_effect": "£ of compensation of employees per £1 of final demand",
    "employment_effect": "FTE jobs per £1m of final demand",
    "*_multiplier": "total / direct change in the same variable (ratio)",
}


def _json(obj: object) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def uk_multiplier_tables(
    out: Path, years: Sequence[int] | None = None, *, force: bool = False
) -> tuple[pd.DataFrame, dict[Path, str]]:
    """Write UK Type I and Type II multiplier tables as CSV, one per year and kind.

    Parameters
    ----------
    out : Path
        Folder for ``uk_<year>_<kind>.csv``.
    years : sequence of int, optional
        Default: every shipped year (:func:`kil_io.datasets.available_years`).
    force : bool
        Replace existing files whose content differs; otherwise they are kept.

    Returns
    -------
    summary : DataFrame
        Headline sectors x (year, kind): output multiplier, GVA effect (£ per £) and
        employment effect (FTE per £1m).
    written : dict
        File -> write status (``written``, ``replaced``, ``unchanged`` or ``kept``).
    """
    years = list(years) if years else list(datasets.available_years())
    rows, written, notes = [], {}, {}
    for year in years:
        table = datasets.uk_iot(year)
        for kind in ("type_i", "type_ii"):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ZeroOutputWarning)
                m = multipliers(table, kind)
            notes.update(dict.fromkeys(str(w.message) for w in caught))
            frame = m.copy()
            frame.insert(0, "name", table.names)
            path = out / f"uk_{year}_{kind}.csv"
            written[path] = write_text_atomic(path, frame.to_csv(float_format="%.10g"), force=force)
            pick = m.loc[list(HEADLINE_SECTORS), ["output_multiplier", "gva_effect", "employment_effect"]]
            rows.append(pick.assign(year=year, kind=kind))
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    about = {
        "what": "UK Type I and Type II multipliers by IOAT industry (kil_io.multipliers)",
        "tables": {str(y): datasets.uk_iot(y).source for y in years},
        "employment": "LFS-based FTE by IOAT industry, same year (data/README.md)",
        "household_closure": {
            str(y): datasets.uk_iot(y).metadata.get("household_income_source", "none") for y in years
        },
        "units": UNITS_NOTE,
    }
    written[out / "uk_about.json"] = write_text_atomic(out / "uk_about.json", _json(about), force=force)
    summary = pd.concat(rows).reset_index().set_index(["sector", "year", "kind"]).sort_index()
    return summary, written


def local_multiplier_tables(
    out: Path,
    year: int,
    *,
    kind: str = "local_authority",
    method: str = "flq",
    delta: float = 0.3,
    force: bool = False,
) -> tuple[pd.DataFrame, dict[Path, str]]:
    """Write Type I and Type II multipliers of every shipped area of one kind, in one batch.

    Parameters
    ----------
    out : Path
        Folder for ``<kind>_<year>_<type>.csv`` (long: area, sector, multipliers).
    year : int
        Employment year (BRES, 2015-2021); the nearest shipped UK table is regionalised.
    kind : {"local_authority", "itl2"}
    method, delta
        Location-quotient method and FLQ delta (:mod:`kil_io.regional`).
    force : bool
        Replace existing files whose content differs.

    Returns
    -------
    summary : DataFrame
        Headline sectors of every area: Type I and II output multiplier and employment effect.
    written : dict
        File -> write status.
    """
    chosen = datasets.areas().query("kind == @kind")
    employment = pd.DataFrame(
        {row["name"]: datasets.local_employment(row["code"], year) for _, row in chosen.iterrows()}
    ).T
    national = datasets.uk_iot(datasets.national_year_for(year))
    shares = [datasets.resident_share(code) for code in chosen["code"]]
    written, parts = {}, {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZeroOutputWarning)  # absent industries: NaN rows, named in the CSV
        both = regional.regional_multipliers_by_kind(
            national, employment, national_employment=datasets.national_employment(year), method=method, delta=delta,
            resident_share=[share for share, _ in shares],
        )  # fmt: skip
    for kind_, m in both.items():
        path = out / f"{kind}_{year}_{kind_}.csv"
        written[path] = write_text_atomic(path, m.to_csv(float_format="%.10g"), force=force)
        parts[kind_] = m.loc[(slice(None), list(HEADLINE_SECTORS)), ["output_multiplier", "employment_effect"]]
    about = {
        "what": f"Type I and Type II multipliers of every {kind} area, regionalised (kil_io.regional)",
        "employment": f"BRES open-access employment {year}, each area against Great Britain (sum of ITL2)",
        "national_table": national.source,
        "method": method,
        "delta": delta if method in ("flq", "aflq") else None,
        "household_closure": "household spending per £ of total household income: "
        + national.metadata.get("household_income_source", "none"),
        "resident_share": {name: source for name, (_, source) in zip(employment.index, shares, strict=True)},
        "units": UNITS_NOTE,
    }
    path = out / f"{kind}_{year}_about.json"
    written[path] = write_text_atomic(path, _json(about), force=force)
    summary = pd.concat(parts, axis=1).sort_index()
    return summary, written


def multiplier_range_tables(
    out: Path, area: str, year: int, *, draws: int = 1000, seed: int | None = 2026, force: bool = False
) -> tuple[pd.DataFrame, dict[Path, str]]:
    """Write an area's FLQ multipliers with their 90% range over delta (:mod:`kil_io.uncertainty.multipliers`).

    Parameters
    ----------
    out : Path
        Folder for ``<area>_<year>_multiplier_ranges.csv`` and its ``_about.json``.
    area : str
    year : int
        BRES employment year.
    draws, seed
        Draws of delta (from the Scotland calibration's spread) and the seed.
    force : bool
        Replace existing files whose content differs.

    Returns
    -------
    summary : DataFrame
        Headline sectors: Type I and II output multiplier and employment effect (FTE per £1m),
        central and range.
    written : dict
        File -> write status.
    """
    from kil_io.uncertainty.multipliers import multiplier_ranges

    ranges = multiplier_ranges(area, year, draws=draws, seed=seed)
    slug = str(ranges.attrs["area"]).lower().replace(" ", "_").replace(",", "")
    written = {}
    path = out / f"{slug}_{year}_multiplier_ranges.csv"
    written[path] = write_text_atomic(path, ranges.to_csv(float_format="%.10g"), force=force)
    about = {
        "what": f"FLQ Type I and Type II multipliers of {ranges.attrs['area']} with their range over delta "
        "(kil_io.uncertainty.multipliers): central at delta "
        f"{ranges.attrs['delta']:g}; _low, _median and _high are the 5th, 50th and 95th percentiles of the draws",
        "delta": ranges.attrs["distribution"],
        "delta_source": ranges.attrs["source"],
        "draws": ranges.attrs["draws"],
        "seed": ranges.attrs["seed"],
        "employment": f"BRES open-access employment {year} against Great Britain",
        "units": UNITS_NOTE,
    }
    path = out / f"{slug}_{year}_multiplier_ranges_about.json"
    written[path] = write_text_atomic(path, _json(about), force=force)
    columns = [f"{m}{s}" for m in ("output_multiplier", "employment_effect") for s in ("", "_low", "_high")]
    summary = ranges.loc[(slice(None), list(HEADLINE_SECTORS)), columns]
    return summary, written


def case_study_outputs(
    out: Path, names: Sequence[str] | None = None, *, force: bool = False
) -> tuple[pd.DataFrame, dict[Path, str]]:
    """Write every table (CSV) and chart (PNG) of the named case studies.

    Parameters
    ----------
    out : Path
        Folder; each case writes ``<out>/<name>/<table>.csv`` and its charts.
    names : sequence of str, optional
        Case studies (default all shipped, :func:`kil_io.datasets.case_studies`).
    force : bool
        Replace existing files whose content differs.

    Returns
    -------
    summary : DataFrame
        One row per organisation or contract case: total local FTE and GVA (£m), gross and
        net, LM3, and the published figures beside them.
    written : dict
        File -> write status.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from kil_io.appraisal.casefile import case_study
    from kil_io.appraisal.commissioning import compare_providers
    from kil_io.appraisal.impact import organisation_impact
    from kil_io.reporting import plots
    from kil_io.reporting.reports import case_results, published_figures

    written, rows = {}, {}
    for name in names or datasets.case_studies():
        case = case_study(name)
        folder = out / case.name
        results = case_results(case)
        for key, frame in results.items():
            written[folder / f"{key}.csv"] = write_text_atomic(
                folder / f"{key}.csv", frame.to_csv(float_format="%.10g"), force=force
            )
        figures = {}
        if case.organisation is not None:
            table = datasets.regional_iot(case.area, case.year, method=case.method, delta=case.delta)  # type: ignore[arg-type]
            published = {k: v for k, v in published_figures(case).items() if k != "lm3"}
            options = {"rates": case.rates, "respend_share": case.respend_share}
            impact = organisation_impact(case.organisation, table, **options)
            figures["impact"] = plots.impact_bars(impact, published=published)
            if case.providers:
                comparison = compare_providers(case.organisation.income.value, case.providers, table, **options)
                figures["providers"] = plots.provider_bars(comparison)
            p = results["published"]
            rows[case.title] = {
                "fte": p.loc["fte", "model (gross)"],
                "fte_net": p.loc["fte", "model (net)"],
                "gva_m": p.loc["gva", "model (gross)"],
                "gva_net_m": p.loc["gva", "model (net)"],
                "lm3": p.loc["lm3", "model (gross)"],
                "published_fte": p.loc["fte", "published"],
                "published_gva_m": p.loc["gva", "published"],
                "published_lm3": p.loc["lm3", "published"],
            }
        for key, fig in figures.items():
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
            plt.close(fig)
            written[folder / f"{key}.png"] = write_atomic(folder / f"{key}.png", buffer.getvalue(), force=force)
    summary = pd.DataFrame(rows).T
    summary.index.name = "case"
    return summary, written
