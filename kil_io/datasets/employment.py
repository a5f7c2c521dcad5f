"""BRES employment by the 105 IOAT industries for any area, and Great Britain's on the same basis.

Two bases, each with its own Great Britain (location quotients compare like with like):

* ``"authorities"``: every GB local authority (``bres_employment_lad.csv``: Nomis's BRES by SIC
  division, 2015 and 2016, summed into 2023 authorities and split into IOAT industries by the 5-digit
  mix of the authority's ITL2 region); any area made of authorities is their sum, and Great Britain
  is the sum of all 350. Later years (2017-2022) are **estimated**: each authority's 2016 employment
  in an industry times the growth of its SIC section's employees in its ITL3 area (its ITL2 region
  where the ITL3 changed in 2025) from 2016 to that year (``bres_itl_sections.csv``, on one basis in
  every year: :mod:`kil_io.datasets.sections`; an industry whose growth uses an estimated cell says so
  in ``attrs["notes"]``). Earlier BRES releases by division are not in the raw data; the 2017 extract
  was provisional and later revised.
* ``"itl2"``: the 40 ITL 2021 ITL2 regions' own 5-digit BRES, 2015-2021 (``bres_employment_itl2.csv``),
  used for an ITL2 region that has it (complete that year); Great Britain is the sum of the 40
  (``bres_employment_gb.csv``), and the Scotland calibration uses it.

Counts are BRES open access "Employment" (employees + working owners), rounded by Nomis; head counts
serve location quotients (see data/README.md).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from kil_io.datasets.areas import KINDS, NORTHERN_IRELAND, Area, _parent_levels, _table
from kil_io.datasets.areas import area as resolve_area
from kil_io.datasets.files import _is_year, data_dir
from kil_io.datasets.sections import GB_CODE, _sections, section_growth, sector_notes
from kil_io.datasets.uk import EMPLOYMENT_FILE, _load_employment
from kil_io.errors import (
    AreaError,
    DatasetError,
    LabelError,
    MissingDataWarning,
    NegativeFlowError,
    NonNumericError,
    ReaderError,
)

Basis = Literal["authorities", "itl2"]
BASES: tuple[Basis, ...] = ("authorities", "itl2")
BRES_FILES = {
    "itl2": "bres_employment_itl2.csv",
    "gb": "bres_employment_gb.csv",
    "scotland": "bres_employment_scotland.csv",
    "authorities": "bres_employment_lad.csv",
}
NOTES_FILE = "bres_notes.csv"
BASIS_TEXT = {
    "authorities": "BRES open access employment by SIC division of every GB local authority (Nomis), split into "
    "IOAT industries by its ITL2 region's 5-digit mix; Great Britain = the sum of the 350 authorities",
    "itl2": "BRES open access employment at 5-digit SIC of the ITL2 region (Nomis); Great Britain = the sum of "
    "the 40 ITL 2021 ITL2 regions",
}
_MISSING_NOTE = (
    "BRES open access has no farm-agriculture count (SIC 01000, DEFRA / Scottish Government agricultural "
    "data) for Scotland's ITL2 regions in 2015-2017, so A01 there is unknown (Great Britain's is estimated); "
    "see data/README.md"
)


def areas(kind: str | Sequence[str] | None = None, *, former: bool = False) -> pd.DataFrame:
    """Every area kil_io knows: code, name, kind, the areas it lies in, its authorities and years.

    Parameters
    ----------
    kind : str or sequence of str, optional
        Keep these kinds only (:data:`KINDS`); default all.
    former : bool
        Also list former authority names and codes (kind ``"former_local_authority"``, with the code
        of the authority each became in ``successor``).

    Returns
    -------
    DataFrame
        Columns ``code``, ``name``, ``kind``, ``itl3``, ``itl2``, ``itl1``, ``nation`` (codes of the areas
        it lies in, ``""`` where not applicable), ``authorities`` (how many local authorities it is made
        of), ``years`` (tuple of the years with BRES employment; see
        :func:`kil_io.datasets.local_employment`), ``note`` and, with ``former``, ``successor``. A fresh copy.

    Raises
    ------
    AreaError
        Unknown kind.

    Examples
    --------
    >>> lads = areas("local_authority").set_index("name")  # doctest: +SKIP
    >>> lads.loc["Calderdale", ["code", "itl3", "itl2"]].tolist()  # doctest: +SKIP
    ['E08000033', 'TLE44', 'TLE4']
    """
    table = _table(str(data_dir()))
    kinds = (kind,) if isinstance(kind, str) else tuple(kind) if kind is not None else KINDS
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise AreaError(f"unknown kind(s) of area {unknown}; kinds: {', '.join(KINDS)}")
    rows = []
    for a in table.by_code.values():
        if a.kind not in kinds:
            continue
        parents = dict(zip(("itl3", "itl2", "itl1", "nation"), _parent_levels(table, a), strict=True))
        rows.append({"code": a.code, "name": a.name, "kind": a.kind, **parents, "authorities": len(a.members),
                     "years": employment_years(a), "note": "; ".join(a.notes)})  # fmt: skip
    out = pd.DataFrame(rows, columns=["code", "name", "kind", "itl3", "itl2", "itl1", "nation", "authorities",
                                      "years", "note"])  # fmt: skip
    if former:
        old = table.frame[table.frame["kind"] == "former_local_authority"]
        out = pd.concat(
            [out.assign(successor=""),
             pd.DataFrame({"code": old["code"], "name": old["name"], "kind": old["kind"], "itl3": "", "itl2": "",
                           "itl1": "", "nation": "", "authorities": 1, "years": [()] * len(old), "note": old["note"],
                           "successor": old["successor"]})],
            ignore_index=True,
        )  # fmt: skip
    return out


def distinct_areas(given: Sequence[str | Area] | None, *, what: str = "this") -> list[Area]:
    """The areas asked for, each once: ``None`` is every GB local authority (2023 codes).

    Raises
    ------
    AreaError
        No areas, an unknown one, or one given twice (perhaps by two names); ``what`` names the caller.
    """
    if given is None:
        table = areas("local_authority")
        given = list(table.loc[table["nation"] != "N92000002", "code"])  # Northern Ireland: no BRES
    found = [resolve_area(a) for a in given]
    if not found:
        raise AreaError(f"{what} needs at least one area")
    codes = [a.code for a in found]
    twice = sorted({a.label for a in found if codes.count(a.code) > 1})
    if twice:
        raise AreaError(f"areas given twice (perhaps by two names): {'; '.join(twice)}")
    return found


def employment_years(where: Area) -> tuple[int, ...]:
    """Years with BRES employment for an area (measured or estimated); ``()`` outside Great Britain."""
    if not where.in_great_britain:
        return ()
    years = set(_authority_years(str(data_dir())))
    if where.bres_region:
        years |= set(_itl2_years(str(data_dir()), where.bres_region))
    return tuple(sorted(years))


def measured_years() -> tuple[int, ...]:
    """Years of the authorities' BRES by division as published (later ones are estimated)."""
    return tuple(sorted(set(_load_bres(str(data_dir()), BRES_FILES["authorities"]).index.get_level_values("year"))))


def local_employment(area: str | Area | Sequence[str | Area], year: int, *, name: str | None = None) -> pd.Series:
    """BRES employment of any GB area by the 105 IOAT industries.

    Parameters
    ----------
    area : str, Area or list of them
        Any area :func:`kil_io.datasets.area` resolves: an authority, ITL3/ITL2/ITL1 area, nation,
        combined authority, or a list of areas taken together.
    year : int
        2015-2022 (see :func:`employment_years`). For areas made of authorities, 2015 and 2016 are
        BRES as published and 2017-2022 estimates (module notes); ITL2 regions with their own 5-digit
        BRES use it for 2015-2021.
    name : str, optional
        Name of a group (as :func:`kil_io.datasets.area`).

    Returns
    -------
    Series
        Employment count (employees + working owners: head counts, not FTE) by the UK table's
        sector codes in table order, named after the area. ``attrs``: ``basis`` (text), ``basis_key``
        (``"authorities"`` or ``"itl2"``, see :func:`national_employment`), ``estimated`` (bool),
        ``method`` (how the figures were made), ``area_code`` and ``notes`` (sector -> note, and
        ``"area"`` for notes on the area). ``L68A`` (imputed rent) and ``T97`` (households as
        employers) are 0 everywhere [jobs].

    Raises
    ------
    AreaError
        Unknown or ambiguous area, an area in Northern Ireland (BRES covers Great Britain), or a year
        without data (the message says which years there are).

    Examples
    --------
    >>> round(local_employment("Calderdale", 2016).sum())  # doctest: +SKIP
    98705
    """
    where = resolve_area(area, name=name)
    basis = _basis(where, year)
    folder = str(data_dir())
    if basis == "itl2":
        out = _employment_row(folder, "itl2", where.bres_region, where.name, year)
        out.attrs.update(estimated=False, method=f"5-digit BRES of {where.bres_region} {year}, as published")
    else:
        codes, values, estimated, flagged = _authority_matrix(folder, int(year))
        rows = [codes.index(c) for c in where.members]
        out = pd.Series(values[rows].sum(axis=0), index=_sectors(folder), name=where.name)
        out.index.name = "sector"
        method = (
            f"estimated: {_base_year(folder)} BRES by division x growth of each SIC section's employees "
            f"{_base_year(folder)}-{year} in each authority's ITL3 area"
            if estimated
            else f"BRES by SIC division {year}, as published"
        )
        notes = sector_notes(flagged, rows, _sectors(folder))
        out.attrs.update(basis=BASIS_TEXT["authorities"], notes=notes, estimated=estimated, method=method)
        if len(where.members) > 1:
            out.attrs["method"] += f"; sum of {len(where.members)} authorities"
    out.attrs.update(basis_key=basis, area_code=where.code)
    if where.notes:
        out.attrs["notes"] = {**out.attrs["notes"], "area": "; ".join(where.notes)}
    return out


def national_employment(year: int, *, area: str | Area | None = None, basis: Basis = "itl2") -> pd.Series:
    """Great Britain's BRES employment by IOAT industry, on the basis of an area's employment.

    Parameters
    ----------
    year : int
    area : str or Area, optional
        Give the area whose :func:`local_employment` the result is compared with: Great Britain is then
        on the same basis (the one location quotients need). Overrides ``basis``.
    basis : {"itl2", "authorities"}
        ``"itl2"`` (default, 2015-2021): the sum of the 40 ITL 2021 ITL2 regions' 5-digit BRES; in
        2015-2017 Scotland's farm agriculture count is unpublished, so ``A01`` is a ratio estimate, said
        in ``attrs["notes"]``. ``"authorities"`` (2015-2022): the sum of the 350 GB authorities.

    Returns
    -------
    Series
        Employment count by sector (as :func:`local_employment`), named ``"Great Britain"``;
        ``attrs`` as :func:`local_employment` [jobs].

    Raises
    ------
    DatasetError
        No data for that year, or an unknown basis.
    """
    if area is not None:
        basis = _basis(_area(area), year)
    if basis not in BASES:
        raise DatasetError(f"unknown employment basis {basis!r}; expected one of {list(BASES)}")
    folder = str(data_dir())
    if basis == "itl2":
        out = _employment_row(folder, "gb", GB_CODE, "Great Britain", year)
        out.attrs.update(basis_key="itl2", estimated=False, method="sum of the 40 ITL2 regions' 5-digit BRES")
        return out
    if not _is_year(year) or year not in _authority_years(folder):
        raise DatasetError(f"no BRES employment for Great Britain in year {year!r}; {_span(_authority_years(folder))}")
    _, values, estimated, flagged = _authority_matrix(folder, int(year))
    out = pd.Series(values.sum(axis=0), index=_sectors(folder), name="Great Britain")
    out.index.name = "sector"
    notes = sector_notes(flagged, list(range(len(values))), _sectors(folder))
    out.attrs.update(basis=BASIS_TEXT["authorities"], basis_key="authorities", estimated=estimated, notes=notes,
                     method="sum of the 350 GB authorities" + (" (estimated)" if estimated else ""))  # fmt: skip
    return out


def employment_table(areas: Sequence[str | Area], year: int, *, basis: Basis | None = None) -> pd.DataFrame:
    """Employment of many areas, one row each, on one basis (for batched multipliers).

    Parameters
    ----------
    areas : sequence of str or Area
        Areas (each resolved by :func:`kil_io.datasets.area`).
    year : int
    basis : {"authorities", "itl2"}, optional
        Force a basis (``"authorities"`` works for every GB area); default: each area's own, which
        must then be the same for all.

    Returns
    -------
    DataFrame
        Employment counts (as :func:`local_employment`). Index: area names (``name (code)``
        where two share a name), columns: sector codes. ``attrs``: ``basis_key``, ``codes``
        (area codes in row order), ``estimated`` [jobs].

    Raises
    ------
    AreaError
        An area without employment, or areas on different bases (give ``basis``).
    """
    found = [_area(a) for a in areas]
    if not found:
        raise AreaError("employment_table needs at least one area")
    keys = {_basis(a, year) if basis is None else _check_basis(a, year, basis) for a in found}
    if len(keys) > 1:
        raise AreaError(f"these areas' employment is on different bases {sorted(keys)} in {year}; give basis=")
    key = keys.pop()
    folder = str(data_dir())
    if key == "itl2":
        rows = [_employment_row(folder, "itl2", a.bres_region, a.name, year) for a in found]
        frame = pd.DataFrame(rows)
        estimated = False
    else:
        codes, values, estimated, _ = _authority_matrix(folder, int(year))
        at = {c: k for k, c in enumerate(codes)}
        frame = pd.DataFrame(
            [values[[at[c] for c in a.members]].sum(axis=0) for a in found], columns=list(_sectors(folder))
        )
    names = [a.name for a in found]
    frame.index = [f"{a.name} ({a.code})" if names.count(a.name) > 1 else a.name for a in found]
    frame.columns.name = "sector"
    frame.attrs.update(basis_key=key, codes=[a.code for a in found], estimated=estimated, basis=BASIS_TEXT[key])
    return frame


def scotland_employment(year: int = 2019) -> pd.Series:
    """Scotland's BRES employment by IOAT industry, from Nomis's Scotland 5-digit extract.

    For calibrating regionalisation against the Scottish Government's own table
    (:func:`kil_io.datasets.sg_iot`). Same basis as the ITL2 regions' 5-digit BRES; it differs from
    the sum of Scotland's five ITL2 regions by Nomis's rounding only (see data/README.md). Its Great
    Britain is :func:`national_employment` with the default ``basis="itl2"``.

    Parameters
    ----------
    year : int
        2019 (the only year shipped).

    Returns
    -------
    Series
        Employment count by sector (as :func:`local_employment`), named ``"Scotland"`` [jobs].

    Raises
    ------
    DatasetError
        No data for that year.
    """
    out = _employment_row(str(data_dir()), "scotland", "S92000003", "Scotland", year)
    out.attrs.update(basis_key="itl2", estimated=False, method="Nomis BRES Scotland, 5-digit SIC")
    return out


# ---------------------------------------------------------------------------------------------- internals
def _area(given: str | Area) -> Area:
    return given if isinstance(given, Area) else resolve_area(given)


def _span(years: Sequence[int]) -> str:
    return "available years: " + (f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0]) if years else "none")


def _basis(where: Area, year: object) -> Basis:
    """The best basis for this area and year: its own complete 5-digit BRES, else the sum of authorities."""
    if not where.in_great_britain:
        ni = [c for c in where.members if c[0] == "N"]
        raise AreaError(f"{where.label}: no local employment for {len(ni)} Northern Ireland authorit"
                        f"{'y' if len(ni) == 1 else 'ies'} ({', '.join(ni[:3])}{', ...' if len(ni) > 3 else ''}): "
                        f"{NORTHERN_IRELAND}")  # fmt: skip
    folder = str(data_dir())
    if where.bres_region and _is_year(year) and year in _itl2_years(folder, where.bres_region):
        row = _load_bres(folder, BRES_FILES["itl2"]).loc[(where.bres_region, int(year))]
        if not row.isna().any():
            return "itl2"
    years = employment_years(where)
    if not _is_year(year) or year not in years:
        raise AreaError(f"no BRES employment for {where.name} in year {year!r}; {_span(years)}")
    return "authorities"


def _check_basis(where: Area, year: int, basis: str) -> str:
    if basis not in BASES:
        raise DatasetError(f"unknown employment basis {basis!r}; expected one of {list(BASES)}")
    if basis == "itl2":
        if not where.bres_region or _basis(where, year) != "itl2":
            raise AreaError(f"{where.label} has no complete 5-digit ITL2 BRES for {year}")
        return basis
    _basis(where, year)  # GB and year checks
    if year not in _authority_years(str(data_dir())):
        raise AreaError(f"no authority employment in {year!r}; {_span(_authority_years(str(data_dir())))}")
    return basis


@cache
def _sectors(folder: str) -> tuple[str, ...]:
    return tuple(_load_employment(folder).index)


@cache
def _authority_years(folder: str) -> tuple[int, ...]:
    measured = set(_load_bres(folder, BRES_FILES["authorities"]).index.get_level_values("year"))
    sections = set(_sections(folder).index.get_level_values("year"))
    return tuple(sorted(measured | {y for y in sections if y > max(measured)}))


def _base_year(folder: str) -> int:
    return int(_load_bres(folder, BRES_FILES["authorities"]).index.get_level_values("year").max())


@cache
def _itl2_years(folder: str, region: str) -> tuple[int, ...]:
    frame = _load_bres(folder, BRES_FILES["itl2"])
    return tuple(int(y) for a, y in frame.index if a == region)


@cache
def _authority_matrix(folder: str, year: int) -> tuple[tuple[str, ...], np.ndarray, bool, list[dict[str, str]]]:
    """(authority codes, employment (authorities x sectors), estimated?, notes by section) for a year.

    Years after the last published one: the last year's figures x the growth of the industry's SIC
    section (its code's first letter) in the authority's growth area, falling back to its ITL2 region
    and then Great Britain where the area had no employees in that section in the base year
    (:func:`kil_io.datasets.sections.section_growth`).
    """
    measured = _load_bres(folder, BRES_FILES["authorities"])
    if year in set(measured.index.get_level_values("year")):
        block = measured.xs(year, level="year")
        return tuple(block.index), block.to_numpy(), False, [{} for _ in range(len(block))]
    base_year = _base_year(folder)
    base = measured.xs(base_year, level="year")
    frame = _table(folder).frame
    lads = frame[frame["kind"] == "local_authority"].set_index("code")
    letters = sorted({s[0] for s in base.columns})
    chain = [
        lads.loc[base.index, "growth"].to_numpy(),
        ("TL" + lads.loc[base.index, "bres_itl2"].str[2:]).to_numpy(),
        np.full(len(base), GB_CODE),
    ]
    ratio, flagged = section_growth(folder, chain, letters, base_year, int(year))
    growth = ratio[:, [letters.index(s[0]) for s in base.columns]]
    return tuple(base.index), base.to_numpy() * growth, True, flagged


def _employment_row(folder: str, kind: str, code: str, name: str, year: object) -> pd.Series:
    frame = _load_bres(folder, BRES_FILES[kind])
    years = sorted(int(y) for a, y in frame.index if a == code)
    if not _is_year(year) or year not in years:
        raise DatasetError(f"no BRES employment for {name} in year {year!r}; {_span(years)}")
    out = frame.loc[(code, int(year))].rename(name).copy()
    out.index.name = "sector"
    out.attrs["basis"] = BASIS_TEXT["itl2"] if kind != "scotland" else "BRES open access employment, Scotland"
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
        (where, year), column = bad.stack().idxmax()
        raise (NegativeFlowError if (values < 0).any(axis=None) else NonNumericError)(
            f"{path}: cell (area {where}, year {year}, sector '{column}') is {frame.at[(where, year), column]}; "
            "employment must be a non-negative number or empty (not published)"
        )
    return values.astype(np.float64)
