"""Multiplier and case-study tables written as files (CSV, PNG, JSON), for `kil-io multipliers` and `cases`."""

from __future__ import annotations

import json
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from kil_io import datasets, regional
from kil_io.datasets.gva import DEFAULT_OUTPUT, Output
from kil_io.errors import ZeroOutputWarning
from kil_io.files import csv_text, write_text_atomic
from kil_io.model.multipliers import multipliers
from kil_io.regional.quotients import DEFAULT_DELTA, Method

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
    rows: list[pd.DataFrame] = []
    written: dict[Path, str] = {}
    notes: dict[str, None] = {}
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
            written[path] = write_text_atomic(path, csv_text(frame, float_format="%.10g"), force=force)
            pick = m.loc[list(HEADLINE_SECTORS), ["output_multiplier", "gva_effect", "employment_effect"]]
            rows.append(pick.assign(year=year, kind=kind))
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    about = {
        "what": "UK Type I and Type II multipliers by IOAT industry (kil_io.multipliers)",
        "tables": {str(y): datasets.uk_iot(y).source for y in years},
        "employment": {str(y): datasets.uk_iot(y).metadata.get("employment", "none") for y in years},
        "left_out_of_the_leontief_system": {
            str(y): datasets.uk_iot(y).metadata.get("negative_flows", "none")
            for y in years
            if datasets.uk_iot(y).excluded
        },
        "household_closure": {
            str(y): datasets.uk_iot(y).metadata.get("household_income_source", "none") for y in years
        },
        "units": UNITS_NOTE,
    }
    written[out / "uk_about.json"] = write_text_atomic(out / "uk_about.json", _json(about), force=force)
    summary = pd.concat(rows).reset_index().set_index(["sector", "year", "kind"]).sort_index()
    return summary, written


def area_multipliers(
    areas: Sequence[str | datasets.Area] | None,
    year: int,
    *,
    method: Method = "flq",
    delta: float = DEFAULT_DELTA,
    national_year: int | None = None,
    output: Output = DEFAULT_OUTPUT,
) -> pd.DataFrame:
    """Type I and Type II multipliers of many areas and every industry of the national table, as one tidy (long) table.

    Areas sharing an employment basis (:func:`kil_io.datasets.local_employment`) are regionalised and
    solved in one batched call (:func:`kil_io.regional.regional_multipliers_by_kind`: one LU
    factorisation per area and kind), so the figures equal :func:`kil_io.datasets.regional_iot`'s.

    Parameters
    ----------
    areas : sequence of str or Area, or None
        Areas by name or code (:func:`kil_io.datasets.area`); ``None``: every GB local authority.
    year : int
        Employment year (2015-2022; 2017 onwards estimated, see :func:`kil_io.datasets.local_employment`).
    method, delta
        Location-quotient method and FLQ delta (:mod:`kil_io.regional`).
    national_year : int, optional
        UK table regionalised; default the shipped year nearest ``year``.
    output : {"gva", "employment"}
        Output levels, as :func:`kil_io.datasets.regional_iot` makes them (so each row equals its table's).

    Returns
    -------
    DataFrame
        One row per area, kind and sector: ``area_code``, ``area_name``, ``area_kind``, ``year``,
        ``national_table``, ``method``, ``delta``, ``kind`` (``type_i``/``type_ii``), ``sector``,
        ``sector_name``, ``resident_share`` (the Type II closure's, :func:`kil_io.datasets.resident_share`)
        [share], ``resident_share_estimated`` (True where it is an estimate, not the area's Census 2021
        flows), then ``output_multiplier``, ``gva_effect`` [£ per £1], ``gva_multiplier``,
        ``income_effect`` [£ per £1], ``income_multiplier``, ``employment_effect`` [FTE per £1m],
        ``employment_multiplier``. NaN where the area has nobody in the industry.

    Raises
    ------
    AreaError
        Unknown area, or one without employment that year (e.g. in Northern Ireland).
    """
    from kil_io.datasets.employment import _basis

    found = datasets.distinct_areas(areas, what="area_multipliers")
    national = datasets.uk_iot(national_year if national_year is not None else datasets.national_year_for(year))
    by_basis: dict[str, list[datasets.Area]] = {}
    for a in found:
        by_basis.setdefault(_basis(a, year), []).append(a)
    parts = []
    for basis, group in by_basis.items():
        shares = [datasets.resident_share(a) for a in group]
        employment = datasets.employment_table(group, year, basis=basis)  # type: ignore[arg-type]
        gb = datasets.national_employment(year, basis=basis)  # type: ignore[arg-type]
        # each area's output levels as regional_iot makes them (by default ONS's GVA by industry group)
        scales = pd.DataFrame(
            [datasets.output_scale(a, year, national, output=output, local=employment.iloc[k], gb=gb)
             for k, a in enumerate(group)],
            index=employment.index,
        )  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ZeroOutputWarning)  # absent industries: NaN rows
            both = regional.regional_multipliers_by_kind(
                national,
                employment,
                national_employment=gb,
                method=method,
                delta=delta,
                resident_share=[share for share, _ in shares],
                output_scale=scales,
            )
        labels = dict(zip(employment.index, group, strict=True))
        for kind, frame in both.items():
            long = frame.reset_index()
            where = long["area"].map(labels)
            long.insert(0, "area_code", [a.code for a in where])
            long.insert(1, "area_name", [a.name for a in where])
            long.insert(2, "area_kind", [a.kind for a in where])
            by_code = {a.code: s for a, s in zip(group, shares, strict=True)}
            long["resident_share"] = [by_code[a.code][0] for a in where]
            long["resident_share_estimated"] = [by_code[a.code][1].startswith("estimate:") for a in where]
            parts.append(long.drop(columns="area").assign(kind=kind))
    out = pd.concat(parts, ignore_index=True)
    names = dict(zip(national.sectors, national.names, strict=True))
    out["sector_name"] = out["sector"].map(names)
    out["year"] = int(year)
    out["national_table"] = national.label.strip("'")
    out["method"] = method
    out["delta"] = float(delta) if method in ("flq", "aflq") else float("nan")
    order = {a.code: k for k, a in enumerate(found)}
    out = out.sort_values(["area_code", "kind"], key=lambda c: c.map(order) if c.name == "area_code" else c,
                          kind="stable").reset_index(drop=True)  # fmt: skip
    first = ["area_code", "area_name", "area_kind", "year", "national_table", "method", "delta", "kind", "sector",
             "sector_name", "resident_share", "resident_share_estimated"]  # fmt: skip
    return out[first + [c for c in out.columns if c not in first]]


def area_multiplier_table(
    out: Path,
    year: int,
    areas: Sequence[str] | None = None,
    *,
    method: Method = "flq",
    delta: float = DEFAULT_DELTA,
    force: bool = False,
) -> tuple[pd.DataFrame, dict[Path, str]]:
    """Write :func:`area_multipliers` to ``<out>/areas_<year>_multipliers.csv`` (with an ``_about.json``).

    Parameters
    ----------
    out : Path
        Folder.
    year : int
        Employment year.
    areas : sequence of str, optional
        Areas (default every GB local authority; the file is then ``all_areas_<year>_multipliers.csv``).
    method, delta
        As :func:`area_multipliers`.
    force : bool
        Replace existing files whose content differs.

    Returns
    -------
    summary : DataFrame
        Headline sectors of every area: Type I and II output multipliers and employment effects.
    written : dict
        File -> write status.
    """
    frame = area_multipliers(areas, year, method=method, delta=delta)
    stem = f"all_areas_{year}" if areas is None else f"areas_{year}"
    written: dict[Path, str] = {}
    path = out / f"{stem}_multipliers.csv"
    written[path] = write_text_atomic(path, csv_text(frame, index=False, float_format="%.10g"), force=force)
    about = {
        "what": "Type I and Type II multipliers and effects of every area and industry, regionalised (kil_io.regional)",
        "areas": int(frame["area_code"].nunique()),
        "employment": f"BRES employment {year} by IOAT industry (kil_io.datasets.local_employment), each area "
        "against Great Britain on the same basis",
        "type_ii_closure": "household income (kil_io.datasets.household_income) per £1 of pay, only residents' pay "
        "re-spent locally (Census 2021 commuting, kil_io.datasets.resident_share; an estimate, flagged in the "
        "column resident_share_estimated, where there is none)",
        "national_table": str(frame["national_table"].iloc[0]),
        "method": method,
        "delta": delta if method in ("flq", "aflq") else None,
        "units": UNITS_NOTE,
    }
    path = out / f"{stem}_about.json"
    written[path] = write_text_atomic(path, _json(about), force=force)
    pick = frame[frame["sector"].isin(HEADLINE_SECTORS)]
    summary = pick.pivot_table(
        index=["area_name", "sector"], columns="kind", values=["output_multiplier", "employment_effect"], sort=False
    )
    return summary, written


def multiplier_range_tables(
    out: Path,
    area: str,
    year: int,
    *,
    delta: float = DEFAULT_DELTA,
    draws: int = 1000,
    seed: int | None = 2026,
    force: bool = False,
) -> tuple[pd.DataFrame, dict[Path, str]]:
    """Write an area's FLQ multipliers with their 90% range over delta (:mod:`kil_io.uncertainty.multipliers`).

    Parameters
    ----------
    out : Path
        Folder for ``<area>_<year>_multiplier_ranges.csv`` and its ``_about.json``.
    area : str
    year : int
        BRES employment year.
    delta : float
        The central FLQ delta (the mode of delta's distribution).
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

    ranges = multiplier_ranges(area, year, draws=draws, seed=seed, delta=delta)
    slug = re.sub(r"[^a-z0-9]+", "_", str(ranges.attrs["area"]).lower()).strip("_")
    written: dict[Path, str] = {}
    path = out / f"{slug}_{year}_multiplier_ranges.csv"
    written[path] = write_text_atomic(path, csv_text(ranges, float_format="%.10g"), force=force)
    about = {
        "what": f"FLQ Type I and Type II multipliers of {ranges.attrs['area']} with their range over delta "
        "(kil_io.uncertainty.multipliers): central at delta "
        f"{ranges.attrs['delta']:g}; _low, _median and _high are the 5th, 50th and 95th percentiles of the draws",
        "delta": ranges.attrs["distribution"],
        "delta_source": ranges.attrs["source"],
        "draws": ranges.attrs["draws"],
        "seed": ranges.attrs["seed"],
        "employment": f"BRES open-access employment {year} against Great Britain",
        "national_table": str(ranges.attrs.get("national_table", "")),
        "units": UNITS_NOTE,
    }
    path = out / f"{slug}_{year}_multiplier_ranges_about.json"
    written[path] = write_text_atomic(path, _json(about), force=force)
    columns = [f"{m}{s}" for m in ("output_multiplier", "employment_effect") for s in ("", "_low", "_high")]
    summary = ranges.loc[(slice(None), list(HEADLINE_SECTORS)), columns]
    return summary, written


def area_multiplier_range_table(
    out: Path,
    year: int,
    areas: Sequence[str] | None = None,
    *,
    delta: float = DEFAULT_DELTA,
    draws: int = 1000,
    seed: int | None = 2026,
    force: bool = False,
    progress: Callable[[int], object] | None = None,
) -> tuple[pd.DataFrame, dict[Path, str]]:
    """Write many areas' FLQ multipliers with their 90% range over delta, as one tidy CSV.

    ``<out>/all_areas_<year>_multiplier_ranges.csv`` (every GB authority, ``areas=None``) or
    ``areas_<year>_multiplier_ranges.csv``, with an ``_about.json``
    (:func:`kil_io.uncertainty.area_multiplier_ranges`: the same draws of delta for every area).

    Returns
    -------
    summary : DataFrame
        Headline sectors of every area: Type I and II output multiplier and employment effect,
        central and range.
    written : dict
        File -> write status.
    """
    from kil_io.uncertainty.multipliers import area_multiplier_ranges

    frame = area_multiplier_ranges(areas, year, draws=draws, seed=seed, delta=delta, progress=progress)
    stem = f"all_areas_{year}" if areas is None else f"areas_{year}"
    written: dict[Path, str] = {}
    path = out / f"{stem}_multiplier_ranges.csv"
    written[path] = write_text_atomic(path, csv_text(frame, index=False, float_format="%.10g"), force=force)
    about = {
        "what": f"FLQ Type I and Type II multipliers of {frame.attrs['areas']} areas with their range over delta "
        f"(kil_io.uncertainty.area_multiplier_ranges): central at delta {delta:g}; _low, _median and _high are the "
        "5th, 50th and 95th percentiles of the draws, the same draws of delta for every area",
        "delta": frame.attrs["distribution"],
        "delta_source": frame.attrs["source"],
        "draws": frame.attrs["draws"],
        "seed": frame.attrs["seed"],
        "employment": f"BRES employment {year} by IOAT industry, each area against Great Britain on the same basis",
        "national_table": frame.attrs["national_table"],
        "type_ii_closure": "household income per £1 of pay, only residents' pay re-spent locally (Census 2021)",
        "units": UNITS_NOTE,
    }
    path = out / f"{stem}_multiplier_ranges_about.json"
    written[path] = write_text_atomic(path, _json(about), force=force)
    columns = [f"{m}{s}" for m in ("output_multiplier", "employment_effect") for s in ("", "_low", "_high")]
    pick = frame[frame["sector"].isin(HEADLINE_SECTORS)]
    summary = pick.set_index(["area_name", "kind", "sector"])[columns]
    return summary, written
