"""Local employment (BRES), regional tables, and Scotland's table for calibration."""

from __future__ import annotations

import difflib
import re
import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from kil_io.datasets.household import resident_share
from kil_io.datasets.uk import EMPLOYMENT_FILE, _is_year, _load_employment, available_years, data_dir, uk_iot
from kil_io.errors import (
    DatasetError,
    LabelError,
    MissingDataWarning,
    NegativeFlowError,
    NonNumericError,
    ReaderError,
)
from kil_io.model.table import IOTable
from kil_io.readers.tablecsv import read_table_csv
from kil_io.regional import Method, check_method, regionalise

AREAS_FILE = "areas.csv"
#: Employment files (BRES open access "Employment" = employees + working owners, counts) by kind of area.
BRES_FILES = {
    "itl2": "bres_employment_itl2.csv",
    "local_authority": "bres_employment_la.csv",
    "gb": "bres_employment_gb.csv",
    "scotland": "bres_employment_scotland.csv",
}
CONCORDANCE_FILE = "concordance_ioat_ioc098.csv"
_SG_FILE = re.compile(r"sg_iot_(\d{4})\.csv")
NOTES_FILE = "bres_notes.csv"
_MISSING_NOTE = (
    "BRES open access has no farm-agriculture count (SIC 01000, DEFRA / Scottish Government agricultural "
    "data) for Scotland's ITL2 regions in 2015-2017, so A01 there is unknown (Great Britain's is estimated); "
    "see data/README.md"
)


def areas() -> pd.DataFrame:
    """The areas with BRES employment by IOAT industry: 13 local authorities and 40 ITL2 regions.

    Returns
    -------
    DataFrame
        Columns ``code`` (ONS code of a local authority, e.g. ``E08000033``; NUTS 2016 code of an
        ITL2 region, e.g. ``UKE4``, whose ITL 2021 code is ``TLE4``), ``name``, ``kind``
        (``"local_authority"`` or ``"itl2"``), ``itl2`` (the region of a local authority; ``NaN``
        for regions) and ``years`` (tuple of the years with data). A fresh copy.

    Examples
    --------
    >>> areas().set_index("name").loc["Calderdale", ["code", "itl2"]].tolist()  # doctest: +SKIP
    ['E08000033', 'UKE4']
    """
    return _load_areas(str(data_dir())).copy()


def local_employment(area: str, year: int) -> pd.Series:
    """BRES employment of a local authority or ITL2 region by the 105 IOAT industries.

    Parameters
    ----------
    area : str
        Name or code, case-insensitive: ``"Calderdale"``, ``"E08000033"``, ``"West Yorkshire"``,
        ``"UKE4"`` or ``"TLE4"`` (ITL 2021 codes are the NUTS 2016 codes with ``UK`` -> ``TL``).
    year : int
        2015-2021.

    Returns
    -------
    Series
        Employment count (employees + working owners, BRES open access, rounded by Nomis)
        indexed by the UK table's sector codes in table order, named after the area (e.g.
        ``"Calderdale"``). A local authority's SIC-section totals are split into IOAT
        industries by the shares within that section in its ITL2 region, so its figures are
        fractional. ``L68A`` (imputed rent) and ``T97`` (households as employers, which BRES
        does not survey) are 0 everywhere.

    Raises
    ------
    DatasetError
        Unknown area or year (the message says what there is).

    Warns
    -----
    MissingDataWarning
        For Scotland's ITL2 regions in 2015-2017, whose ``A01`` is NaN (not published).

    Examples
    --------
    >>> local_employment("Calderdale", 2019).sum()  # doctest: +SKIP
    94610.0
    """
    folder = str(data_dir())
    table = _load_areas(folder)
    code = _area_code(table, area)
    row = table.set_index("code").loc[code]
    return _employment_row(folder, row["kind"], code, row["name"], year)


def national_employment(year: int) -> pd.Series:
    """Great Britain's BRES employment by IOAT industry: the sum of the 40 ITL2 regions.

    Same basis as :func:`local_employment` (BRES open access "Employment", counts rounded per
    region and 5-digit SIC class), hence the denominator for location quotients. Named
    ``"Great Britain"``. In 2015-2017 Scotland's farm agriculture count is unpublished, so
    GB ``A01`` is a ratio estimate, said in ``attrs["notes"]`` (see data/README.md).

    Parameters
    ----------
    year : int
        2015-2021.

    Returns
    -------
    Series

    Raises
    ------
    DatasetError
        No data for that year.
    """
    return _employment_row(str(data_dir()), "gb", "K03000001", "Great Britain", year)


def scotland_employment(year: int = 2019) -> pd.Series:
    """Scotland's BRES employment by IOAT industry, from Nomis's Scotland 5-digit extract.

    For calibrating regionalisation against the Scottish Government's own table
    (:func:`sg_iot`). Same basis as :func:`local_employment`; it differs from the sum of
    Scotland's five ITL2 regions by Nomis's rounding only (see data/README.md).

    Parameters
    ----------
    year : int
        2019 (the only year shipped).

    Returns
    -------
    Series
        Named ``"Scotland"``.

    Raises
    ------
    DatasetError
        No data for that year.
    """
    return _employment_row(str(data_dir()), "scotland", "S92000003", "Scotland", year)


def national_year_for(year: int) -> int:
    """The shipped UK table year used with employment of ``year``: the nearest, the later on a tie."""
    years = available_years()
    return min(years, key=lambda y: (abs(y - year), -y))


def regional_iot(
    area: str, year: int, method: Method = "flq", delta: float = 0.3, *, national_year: int | None = None
) -> IOTable:
    """A local area's input-output table, regionalised from the UK table with BRES employment.

    Parameters
    ----------
    area : str
        A local authority or ITL2 region, by name or code (see :func:`areas`).
    year : int
        Employment year, 2015-2021.
    method : {"slq", "cilq", "flq", "aflq"}
        Location-quotient method (:mod:`kil_io.regional`).
    delta : float
        FLQ/AFLQ parameter in [0, 1).
    national_year : int, optional
        UK table to regionalise; default the shipped year nearest to ``year`` (the later
        on a tie: 2021 uses 2022; 2015-2019 use 2019).

    Returns
    -------
    IOTable
        Named after the area, ``year`` = the employment year; ``metadata`` records the
        method, delta, national table and the employment basis. Location quotients
        compare the area's BRES employment with Great Britain's for the same year
        (:func:`local_employment`, :func:`national_employment`). Cached.

    Raises
    ------
    DatasetError
        Unknown area or year, or an area whose employment is incomplete that year.
    RegionError
        Unknown method or delta outside [0, 1).

    Examples
    --------
    >>> calderdale = regional_iot("Calderdale", 2021)  # doctest: +SKIP
    >>> kil_io.multipliers(calderdale, "type_ii").loc["P85", "employment_effect"]  # doctest: +SKIP
    """
    check_method(method, delta)
    table = _load_areas(str(data_dir()))
    code = _area_code(table, area)
    nat_year = national_year_for(year) if national_year is None and _is_year(year) else national_year
    return _regional(code, year, method, float(delta), nat_year)


@cache
def _regional(code: str, year: int, method: Method, delta: float, national_year: int) -> IOTable:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MissingDataWarning)
        local = local_employment(code, year)
    if local.isna().any():
        raise DatasetError(
            f"{local.name} {year}: employment unpublished for {list(local.index[local.isna()])} "
            f"({caught[0].message if caught else _MISSING_NOTE}); choose another year"
        )
    national = national_employment(year)
    share, share_source = resident_share(code)
    table = regionalise(
        uk_iot(national_year), local, national_employment=national, method=method, delta=delta, year=int(year),
        resident_share=share,
    )  # fmt: skip
    notes = {**local.attrs.get("notes", {}), **{f"GB {k}": v for k, v in national.attrs.get("notes", {}).items()}}
    return table.replace(
        metadata={
            **table.metadata,
            "employment": f"BRES open access employment {year}: {local.name} vs Great Britain (sum of ITL2)",
            "employment_notes": notes,
            "area_code": code,
            "resident_share_source": share_source,
        }
    )


#: The total household income (£m) with which the Scottish Government closes its Type II model, by year.
SG_HOUSEHOLD_INCOME: dict[int, tuple[float, str]] = {
    2019: (
        156_241.0,
        (
            "Scottish Government, Supply, Use and Input-Output Tables 1998-2019 (published 26 October 2022): the "
            "total household income, £156,241m, that closes its 2019 Type II model (household consumption / this "
            "income is the household column of its published Type II Leontief inverse)"
        ),
    ),
}


def scotland_calibration_inputs(year: int = 2019) -> dict[str, object]:
    """Arguments of :func:`kil_io.regional.calibration.calibrate_delta` for Scotland, from shipped data.

    The UK table of ``year``, the Scottish Government table of ``year``, Scotland's and
    Great Britain's BRES employment for ``year``, and the IOAT/IOC098 concordance.

    Examples
    --------
    >>> from kil_io.regional.calibration import calibrate_delta
    >>> calibrate_delta(**scotland_calibration_inputs(), kind="type_i").best()  # doctest: +SKIP
    """
    concordance = ioat_ioc_concordance()
    to_common = concordance.set_index("code").groupby("classification")["common"]
    return {
        "national": uk_iot(year),
        "survey": sg_iot(year),
        "regional_employment": scotland_employment(year),
        "national_employment": national_employment(year),
        "national_to_common": to_common.get_group("ioat"),
        "survey_to_common": to_common.get_group("ioc098"),
    }


def sg_iot(year: int = 2019) -> IOTable:
    """The Scottish Government domestic industry-by-industry table (98 IOC098 industries).

    Parameters
    ----------
    year : int
        2019 (the only year shipped).

    Returns
    -------
    IOTable
        Area ``"Scotland"``, £m at current basic prices; sectors ``IOC098_001`` ...;
        imports from the rest of the UK are the primary input ``imports_rest_of_uk``.
        No employment attached. ``balance_rtol`` 2e-5: SG's row 06-08 (``IOC098_007``)
        has total use 2.6e-6 above output (see :data:`kil_io.readers.SG_BALANCE_RTOL`).
        ``household_income`` is SG's own closure figure (:data:`SG_HOUSEHOLD_INCOME`, £156,241m
        for 2019), so ``kil_io.multipliers(sg_iot(2019), "type_ii")`` is SG's Type II. Cached.

    Raises
    ------
    DatasetError
        No table for that year.
    """
    folder = data_dir()
    years = sorted(int(m[1]) for p in folder.iterdir() if (m := _SG_FILE.fullmatch(p.name)))
    if not _is_year(year) or year not in years:
        raise DatasetError(f"no Scottish Government table for year {year!r}; available years: {years}")
    return _load_sg(str(folder), int(year))


def ioat_ioc_concordance() -> pd.DataFrame:
    """Common sectors of the UK IOAT (105) and SG IOC098 (98) industries, via SIC 2007 classes.

    Returns
    -------
    DataFrame
        One row per code, each code once: ``classification`` (``"ioat"`` or ``"ioc098"``),
        ``code``, ``name``, ``sic_classes`` (5-digit SIC classes linking it to the other side),
        ``common`` (the common sector: its IOAT codes joined by ``" + "``) and
        ``common_name``. A fresh copy.

    Examples
    --------
    >>> c = ioat_ioc_concordance()  # doctest: +SKIP
    >>> uk_to_common = c[c["classification"] == "ioat"].set_index("code")["common"]  # doctest: +SKIP
    >>> sg_to_common = c[c["classification"] == "ioc098"].set_index("code")["common"]  # doctest: +SKIP
    """
    path = data_dir() / CONCORDANCE_FILE
    return _read_csv(str(path)).copy()


def _area_code(table: pd.DataFrame, area: object) -> str:
    key = str(area).strip().casefold()
    for column in ("code", "name"):
        hit = table.loc[table[column].str.casefold() == key, "code"]
        if len(hit) == 1:
            return str(hit.iloc[0])
    if re.fullmatch(r"tl[c-m]\d", key):  # ITL 2021 code of an ITL2 region: the NUTS 2016 code, UK -> TL
        return _area_code(table, "UK" + key[2:])
    kinds = table["kind"].value_counts()
    examples = ", ".join(f"{n} ({c})" for c, n in table[["code", "name"]].iloc[[0, 1, -2, -1]].to_numpy())
    close = difflib.get_close_matches(str(area), list(table["name"]), n=1)
    raise DatasetError(
        f"no BRES employment for area {area!r}{f' (did you mean {close[0]!r}?)' if close else ''}; there are "
        f"{kinds.get('local_authority', 0)} local authorities and {kinds.get('itl2', 0)} ITL2 regions, e.g. "
        f"{examples}; list them all with kil_io.datasets.areas()"
    )


def _employment_row(folder: str, kind: str, code: str, name: str, year: object) -> pd.Series:
    frame = _load_bres(folder, BRES_FILES[kind])
    years = sorted(int(y) for a, y in frame.index if a == code)
    if not _is_year(year) or year not in years:
        span = "none" if not years else f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
        raise DatasetError(f"no BRES employment for {name} in year {year!r}; available years: {span}")
    out = frame.loc[(code, int(year))].rename(name).copy()
    out.index.name = "sector"
    out.attrs["basis"] = "BRES open-access employment (employees + working owners, counts)"
    notes = _read_csv(str(Path(folder) / NOTES_FILE))
    mine = notes[(notes["area"] == code) & (notes["year"] == int(year))]
    out.attrs["notes"] = dict(zip(mine["sector"], mine["note"], strict=True))
    if out.isna().any():
        warnings.warn(
            f"BRES employment of {name} {year} is NaN for sectors {list(out.index[out.isna()])}: {_MISSING_NOTE}",
            MissingDataWarning,
            stacklevel=3,
        )
    return out


@cache
def _read_csv(path: str) -> pd.DataFrame:
    if not Path(path).is_file():
        raise DatasetError(f"{path}: dataset file missing; rebuild data/ with scripts/build_data.py")
    return pd.read_csv(path, dtype={"code": str, "name": str, "area": str}, keep_default_na=False, na_values=[""])


@cache
def _load_areas(folder: str) -> pd.DataFrame:
    table = _read_csv(str(Path(folder) / AREAS_FILE))
    if list(table.columns) != ["code", "name", "kind", "itl2"] or not table["kind"].isin(BRES_FILES).all():
        raise ReaderError(f"{folder}/{AREAS_FILE}: columns must be code, name, kind, itl2 with known kinds")
    for column in ("code", "name"):
        keys = table[column].str.casefold()
        if keys.duplicated().any():
            raise ReaderError(
                f"{folder}/{AREAS_FILE}: repeated {column}s {sorted(set(table[column][keys.duplicated()]))}"
            )
    years = {}
    for kind in ("local_authority", "itl2"):
        index = _load_bres(folder, BRES_FILES[kind]).index
        years.update({a: tuple(int(y) for b, y in index if b == a) for a in index.get_level_values("area").unique()})
    missing = sorted(set(table["code"]) - set(years))
    if missing:
        raise ReaderError(f"{folder}/{AREAS_FILE}: areas {missing} have no employment rows")
    return table.assign(years=table["code"].map(years))


@cache
def _load_bres(folder: str, name: str) -> pd.DataFrame:
    path = Path(folder) / name
    frame = _read_csv(str(path)).set_index(["area", "year"])
    codes = list(_load_employment(folder).index)
    if list(frame.columns) != codes:
        raise LabelError(f"{path}: industry columns differ from the UK table codes in {EMPLOYMENT_FILE}")
    if frame.index.has_duplicates:
        raise ReaderError(f"{path}: repeated (area, year) rows {list(frame.index[frame.index.duplicated()])[:3]}")
    values = frame.apply(pd.to_numeric, errors="coerce")
    bad = (values.isna() & frame.notna()) | (values < 0)
    if bad.any(axis=None):
        (area, year), column = bad.stack().idxmax()
        raise (NegativeFlowError if (values < 0).any(axis=None) else NonNumericError)(
            f"{path}: cell (area {area}, year {year}, sector '{column}') is {frame.at[(area, year), column]}; "
            "employment must be a non-negative number or empty (not published)"
        )
    return values.astype(np.float64)


@cache
def _load_sg(folder: str, year: int) -> IOTable:
    table = read_table_csv(Path(folder) / f"sg_iot_{year}.csv")
    if year not in SG_HOUSEHOLD_INCOME:
        return table
    income, source = SG_HOUSEHOLD_INCOME[year]
    return table.replace(household_income=income, metadata={**table.metadata, "household_income_source": source})
