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
from kil_io.readers.ons import ONS_COMBINED
from kil_io.readers.tablecsv import read_table_csv

EMPLOYMENT_FILE = "uk_employment_fte.csv"
#: Files of FTE by IOAT industry, each with the source of its ``fte_<year>`` columns.
EMPLOYMENT_FILES: dict[str, str] = {
    EMPLOYMENT_FILE: (
        "UK full-time-equivalent employment by IOAT industry, {year}, derived by STAPM (University of "
        "Sheffield, STAPM/cdohio.mod) from the ONS Labour Force Survey; employees and self-employed"
    ),
    "uk_employment_fte_2023.csv": (
        "estimate: no UK FTE by IOAT industry for {year} is shipped, so the LFS-based FTE of 2022 (STAPM, "
        "University of Sheffield) is carried to {year} unchanged, C254 + C25OTHER summed into C25; jobs per £1m "
        "are 2022's jobs per £1m of {year} output (understated if employment grew)"
    ),
}
_TABLE_FILE = re.compile(r"uk_iot_(\d{4})\.csv")


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
        105 industries (104 from 2023: C25), area ``"UK"``, flows at current basic prices [£m], ``employment`` =
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
        A year in ``uk_employment_fte.csv`` (2017-2022 as shipped, LFS-based) or
        ``uk_employment_fte_2023.csv`` (2023, an estimate: :data:`EMPLOYMENT_FILES` says how).

    Returns
    -------
    Series
        Full-time equivalents indexed by sector code (the IOT codes of that year, in table
        order), named ``employment_fte``; ``attrs["source"]`` says where they come from. A
        fresh copy on every call [FTE].

    Raises
    ------
    DatasetError
        No employment for that year; the message lists the years there are.

    Examples
    --------
    >>> uk_employment(2022).loc["P85"]  # doctest: +SKIP
    2835250.5
    """
    folder = str(data_dir())
    found = {
        int(c.removeprefix("fte_")): name for name in _employment_files(folder) for c in _load_employment(folder, name)
    }
    if not _is_year(year) or year not in found:
        raise DatasetError(f"no UK employment for year {year!r}; available years: {', '.join(map(str, sorted(found)))}")
    fte = _load_employment(folder, found[year])[f"fte_{year}"].rename("employment_fte").copy()
    fte.attrs["source"] = EMPLOYMENT_FILES[found[year]].format(year=year)
    return fte


def _employment_files(folder: str) -> list[str]:
    """The FTE files of ``folder``: the LFS-based one (required) and the estimates that are there."""
    return [n for n in EMPLOYMENT_FILES if n == EMPLOYMENT_FILE or (Path(folder) / n).is_file()]


@cache
def _load_employment(folder: str, name: str = EMPLOYMENT_FILE) -> pd.DataFrame:
    path = Path(folder) / name
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
    files = _employment_files(folder)
    name = next((n for n in files if f"fte_{year}" in _load_employment(folder, n).columns), None)
    if name is None:
        raise DatasetError(f"UK table {year} has no employment in {', '.join(files)}")
    fte = _load_employment(folder, name)[f"fte_{year}"]
    if tuple(fte.index) != table.sectors:
        raise LabelError(
            f"{folder}/{name}: sector codes differ from uk_iot_{year}.csv "
            f"(not in the table {sorted(set(fte.index) - set(table.sectors))[:5]}, "
            f"missing {sorted(set(table.sectors) - set(fte.index))[:5]}, or a different order)"
        )
    metadata = {**table.metadata, "employment": EMPLOYMENT_FILES[name].format(year=year), "employment_units": "FTE"}
    income, source = _uk_household_income(folder, year, float(table.income.sum()))
    metadata["household_income_source"] = source
    return table.replace(employment=fte.to_numpy(), metadata=metadata, household_income=income)


def _uk_household_income(folder: str, year: int, pay: float) -> tuple[float | None, str]:
    """UK households' total resources in ``year`` (£m) and its source; ``None`` when neither shipped nor estimable.

    A table year after the last year of household accounts (2023: accounts end in 2022) gets an estimate,
    said in the source: the last earlier shipped table year's total resources grown as the tables'
    compensation of employees (``pay``, £m) grew since.
    """
    try:
        accounts = household_accounts("United Kingdom", year)
    except DatasetError as exc:
        for base in sorted((y for y in available_years() if y < year), reverse=True):
            try:
                accounts = household_accounts("United Kingdom", base)
            except DatasetError:
                continue
            base_pay = float(_load_table(folder, base).income.sum())
            income = float(accounts["total_resources"]) * pay / base_pay
            return income, (
                f"estimate: no UK household accounts for {year} are shipped, so households' total resources of "
                f"{base} (£{float(accounts['total_resources']):,.0f}m; {accounts.attrs['source']}) are grown as "
                f"compensation of employees in the UK input-output tables grew from {base} (£{base_pay:,.0f}m) to "
                f"{year} (£{pay:,.0f}m): £{income:,.0f}m"
            )
        return None, f"none: {exc} (pass household_income= or closure='coe')"
    income = float(accounts["total_resources"])
    return income, (
        f"households' total resources (primary + secondary resources), United Kingdom {year}: £{income:,.0f}m; "
        f"{accounts.attrs['source']}"
    )


def national_year_for(year: int) -> int:
    """The UK table year a regional table, case or command uses by default: the latest shipped (2023).

    Users under scrutiny are expected to use the latest data, so every employment year is
    regionalised from the latest shipped table (its FTE and household income may be estimates,
    each said in the table's metadata); pass ``national_year=`` (e.g. to
    :func:`kil_io.datasets.regional_iot`) for another.

    Parameters
    ----------
    year : int
        The employment year (unused: kept so that callers can state what they regionalise).

    Returns
    -------
    int
        The latest year of :func:`available_years`.
    """
    return available_years()[-1]


def nearest_national_year(year: int) -> int:
    """The shipped UK table year nearest to ``year`` (the later on a tie): a calibration's like-for-like table.

    A fit against a survey-based table of one year (the Scottish Government's, ``scripts/delta_fit.py``)
    regionalises the UK table of the nearest year, so that the fit measures the method and not the years
    between the tables; :func:`national_year_for` is the default for everything else.

    Parameters
    ----------
    year : int
        The survey's or employment's year.

    Returns
    -------
    int
        A year of :func:`available_years`.
    """
    return min(available_years(), key=lambda y: (abs(y - year), -y))


def sector_mapping(sectors: IOTable | tuple[str, ...], onto: IOTable | tuple[str, ...]) -> dict[str, str]:
    """Each code of ``sectors`` -> the code of ``onto`` that holds it, for :func:`kil_io.model.aggregation.aggregate`.

    A code ``onto`` also has maps to itself; ``C254`` and ``C25OTHER`` (2019-2022) map to ``C25``
    where ``onto`` combines them (2023, :data:`kil_io.readers.ons.ONS_COMBINED`). So a 2022 table (or
    case) can be put on 2023's 104 industries and compared.

    Parameters
    ----------
    sectors, onto : IOTable or tuple of str
        The finer and the coarser list (a table stands for its sectors).

    Returns
    -------
    dict
        Code -> code, for every code of ``sectors``.

    Raises
    ------
    LabelError
        A code of ``sectors`` that ``onto`` neither has nor combines.

    Examples
    --------
    >>> from kil_io.model.aggregation import aggregate
    >>> on_104 = aggregate(uk_iot(2022), sector_mapping(uk_iot(2022), uk_iot(2023)))  # doctest: +SKIP
    >>> on_104.n  # doctest: +SKIP
    104
    """
    codes = sectors.sectors if isinstance(sectors, IOTable) else tuple(sectors)
    target = set(onto.sectors if isinstance(onto, IOTable) else onto)
    mapping = {c: c if c in target else ONS_COMBINED.get(c, c) for c in codes}
    unknown = sorted(c for c, g in mapping.items() if g not in target)
    if unknown:
        raise LabelError(f"sectors {unknown[:5]} are neither in the target list nor combined into one of its codes")
    return mapping


def on_sectors(values: pd.Series | pd.DataFrame, sectors: tuple[str, ...]) -> pd.Series | pd.DataFrame:
    """Jobs by the 2019-2022 industries summed onto ``sectors`` where ONS combines them (2023: C254 + C25OTHER = C25).

    Parameters
    ----------
    values : Series or DataFrame
        By sector code (a Series' index, a DataFrame's columns), e.g. BRES employment [jobs].
    sectors : tuple of str
        A table's sectors.

    Returns
    -------
    Series or DataFrame
        ``values`` itself when nothing is combined; else a new object with the combined codes summed into
        their group, in place of the first of them (``attrs`` kept) [jobs].
    """
    frame = values.to_frame().T if isinstance(values, pd.Series) else values
    codes = [str(c) for c in frame.columns]
    combine = [
        c for c, g in ONS_COMBINED.items() if c in codes and c not in sectors and g in sectors and g not in codes
    ]
    if not combine:
        return values
    group = ONS_COMBINED[combine[0]]
    total = sum((frame[c] for c in combine[1:]), frame[combine[0]])
    at = codes.index(combine[0])
    kept = frame.drop(columns=combine)
    out = pd.concat([kept.iloc[:, :at], total.rename(group).to_frame(), kept.iloc[:, at:]], axis=1)
    if isinstance(values, pd.Series):
        series = out.iloc[0].rename(values.name)
        series.attrs = dict(values.attrs)
        return series
    out.attrs = dict(values.attrs)
    return out
