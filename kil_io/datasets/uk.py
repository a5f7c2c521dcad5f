"""The UK input-output tables and FTE employment shipped in ``data/``."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd

from kil_io.datasets.files import DATA_ENV as DATA_ENV  # re-exported: its old home
from kil_io.datasets.files import _is_year, data_dir
from kil_io.datasets.household import household_accounts
from kil_io.errors import (
    DatasetError,
    LabelError,
    NegativeFlowError,
    NonNumericError,
    ReaderError,
)
from kil_io.model.table import IOTable
from kil_io.readers.tablecsv import read_table_csv

EMPLOYMENT_FILE = "uk_employment_fte.csv"
_TABLE_FILE = re.compile(r"uk_iot_(\d{4})\.csv")
_EMPLOYMENT_SOURCE = (
    "UK full-time-equivalent employment by IOAT industry, {year}, derived by STAPM (University of "
    "Sheffield, STAPM/cdohio.mod) from the ONS Labour Force Survey; employees and self-employed"
)


def available_years() -> tuple[int, ...]:
    """Years of the shipped UK input-output tables, e.g. ``(2019, 2020, 2022)``.

    Returns
    -------
    tuple of int
        Sorted; one per ``uk_iot_<year>.csv`` in :func:`data_dir`.

    Examples
    --------
    >>> available_years()  # doctest: +SKIP
    (2019, 2020, 2022)
    """
    return tuple(sorted(int(m[1]) for p in data_dir().iterdir() if (m := _TABLE_FILE.fullmatch(p.name))))


def uk_iot(year: int) -> IOTable:
    """The ONS UK industry-by-industry input-output table for ``year``, with FTE employment.

    Parameters
    ----------
    year : int
        One of :func:`available_years`.

    Returns
    -------
    IOTable
        105 industries, area ``"UK"``, flows at current basic prices [£m], ``employment`` =
        full-time equivalents for the same year (:func:`uk_employment`) [FTE],
        ``household_income`` = UK households' total resources of the same year
        (:func:`kil_io.datasets.household_income`; source in ``metadata["household_income_source"]``),
        which closes the default Type II model [£m]. Cached: repeated calls return the same
        (immutable) object.

    Raises
    ------
    DatasetError
        No table (or no employment) for that year; the message lists the years there are.

    Examples
    --------
    >>> table = uk_iot(2022)  # doctest: +SKIP
    >>> table.n, round(table.output.sum())  # doctest: +SKIP
    (105, 4548357)
    """
    folder = data_dir()
    years = available_years()
    if not _is_year(year) or year not in years:
        raise DatasetError(f"no UK input-output table for year {year!r}; available years: {', '.join(map(str, years))}")
    return _load_table(str(folder), int(year))


def uk_employment(year: int) -> pd.Series:
    """UK full-time-equivalent employment by IOAT industry for ``year`` (LFS-based, STAPM).

    Parameters
    ----------
    year : int
        A year in ``uk_employment_fte.csv`` (2017-2022 as shipped).

    Returns
    -------
    Series
        Full-time equivalents indexed by sector code (the IOT codes, in table order), named
        ``employment_fte``. A fresh copy on every call [FTE].

    Raises
    ------
    DatasetError
        No employment for that year; the message lists the years there are.

    Examples
    --------
    >>> uk_employment(2022).loc["P85"]  # doctest: +SKIP
    2835250.5
    """
    frame = _load_employment(str(data_dir()))
    years = [int(c.removeprefix("fte_")) for c in frame.columns]
    if not _is_year(year) or year not in years:
        raise DatasetError(f"no UK employment for year {year!r}; available years: {', '.join(map(str, years))}")
    return frame[f"fte_{year}"].rename("employment_fte").copy()


@cache
def _load_employment(folder: str) -> pd.DataFrame:
    path = Path(folder) / EMPLOYMENT_FILE
    if not path.is_file():
        raise DatasetError(f"{path}: employment file missing; rebuild data/ with scripts/build_data.py")
    frame = pd.read_csv(path, index_col="code", dtype={"code": str, "name": str}, keep_default_na=False, na_values=[""])
    fte = [c for c in frame.columns if re.fullmatch(r"fte_\d{4}", c)]
    if list(frame.columns) != ["name", *fte] or not fte:
        raise ReaderError(f"{path}: columns must be code, name, fte_<year>...; got {['code', *frame.columns]}")
    if frame.index.has_duplicates:
        raise ReaderError(f"{path}: duplicated codes {sorted(set(frame.index[frame.index.duplicated()]))}")
    values = frame[fte].apply(pd.to_numeric, errors="coerce")
    bad = values.isna() | (values < 0)
    if bad.any(axis=None):
        code, column = bad.stack().idxmax()
        raise (NonNumericError if values.isna().any(axis=None) else NegativeFlowError)(
            f"{path}: cell (row '{code}', column '{column}') is {frame.at[code, column]}; FTE must be a "
            "non-negative number"
        )
    values.index.name = "sector"
    return values


@cache
def _load_table(folder: str, year: int) -> IOTable:
    table = read_table_csv(Path(folder) / f"uk_iot_{year}.csv")
    employment = _load_employment(folder)
    if f"fte_{year}" not in employment.columns:
        raise DatasetError(
            f"UK table {year} has no employment in {EMPLOYMENT_FILE} (years: {list(employment.columns)})"
        )
    fte = employment[f"fte_{year}"]
    if tuple(fte.index) != table.sectors:
        raise LabelError(
            f"{folder}/{EMPLOYMENT_FILE}: sector codes differ from uk_iot_{year}.csv "
            f"(not in the table {sorted(set(fte.index) - set(table.sectors))[:5]}, "
            f"missing {sorted(set(table.sectors) - set(fte.index))[:5]}, or a different order)"
        )
    metadata = {**table.metadata, "employment": _EMPLOYMENT_SOURCE.format(year=year), "employment_units": "FTE"}
    income, source = _uk_household_income(year)
    metadata["household_income_source"] = source
    return table.replace(employment=fte.to_numpy(), metadata=metadata, household_income=income)


def _uk_household_income(year: int) -> tuple[float | None, str]:
    """UK households' total resources in ``year`` (£m) and its source; ``None`` for a year not shipped."""
    try:
        accounts = household_accounts("United Kingdom", year)
    except DatasetError as exc:
        return None, f"none: {exc} (pass household_income= or closure='coe')"
    income = float(accounts["total_resources"])
    return income, (
        f"households' total resources (primary + secondary resources), United Kingdom {year}: £{income:,.0f}m; "
        f"{accounts.attrs['source']}"
    )


def national_year_for(year: int) -> int:
    """The shipped UK table year used with employment of ``year``: the nearest, the later on a tie."""
    years = available_years()
    return min(years, key=lambda y: (abs(y - year), -y))
