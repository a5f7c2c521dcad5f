"""Household income and commuting by local authority: what closes a local Type II model.

Files read (converted by ``scripts/build_household_data.py``; provenance in ``data/README.md``):

* ``household_accounts_lad.csv``: ONS regional gross disposable household income (GDHI) of every UK
  local authority (2023 codes), 2015-2022, with its components, £m at current prices, residence basis.
* ``commuting_lad.csv``: Census 2021 ODWP01EW for every England and Wales authority (2023 codes):
  jobs of people travelling to a workplace in the authority, how many of those people live there,
  home workers and employed residents.
* ``commuting_flows_lad.csv.gz``: the same census's flows between authorities (home, work, people),
  for groups of authorities: their residents hold their jobs in any of the group's authorities.

Every function takes any area :func:`kil_io.datasets.area` resolves (an authority, ITL3/ITL2/ITL1
area, nation, combined authority or a list of areas); its figures are the sums of its authorities'.

Households' **total resources** (primary resources: pay, operating surplus and mixed income,
property income received; plus secondary resources: social benefits and other transfers received)
is the household income kil_io closes Type II models with by default: for Scotland in 2019 it is
£153,554m, within 1.7% of the £156,241m the Scottish Government uses, where GDHI (£104,993m) and
compensation of employees (£84,368m) are far from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from kil_io.datasets.areas import Area
from kil_io.datasets.areas import area as resolve_area
from kil_io.datasets.files import _is_year, data_dir
from kil_io.errors import AreaError, DatasetError, ReaderError

ACCOUNTS_FILE = "household_accounts_lad.csv"
COMMUTING_FILE = "commuting_lad.csv"
FLOWS_FILE = "commuting_flows_lad.csv.gz"
Measure = Literal["total_resources", "gdhi", "coe"]
MEASURES: tuple[str, ...] = ("total_resources", "gdhi", "coe")
#: Nations and unions of them, by ONS code: the first letters of their authorities' codes (the same
#: areas as :func:`kil_io.datasets.area` gives for these codes).
NATIONS: dict[str, tuple[str, str]] = {
    "K02000001": ("United Kingdom", "ESWN"),
    "K03000001": ("Great Britain", "ESW"),
    "K04000001": ("England and Wales", "EW"),
    "E92000001": ("England", "E"),
    "W92000004": ("Wales", "W"),
    "S92000003": ("Scotland", "S"),
    "N92000002": ("Northern Ireland", "N"),
}
CENSUS_SOURCE = "Census 2021 ODWP01EW (ONS), usual residents aged 16+ in work, 21 March 2021"


def household_accounts(area: str | Area | list[str | Area], year: int) -> pd.Series:
    """GDHI and its components for any area (the sum of its authorities), in £m.

    Parameters
    ----------
    area : str, Area or list of them
        Any UK area by name or code (:func:`kil_io.datasets.area`): a local authority
        (``"E08000033"``, ``"Calderdale"``), an ITL3/ITL2/ITL1 area, a nation (``"Scotland"``,
        ``"United Kingdom"``), a combined authority, or a list of areas taken together.
    year : int
        2015-2022.

    Returns
    -------
    Series
        ``coe`` (compensation of employees, D.1, residence basis), ``operating_surplus`` (B.2g),
        ``mixed_income`` (B.3g), ``property_income_received`` (D.4), ``primary_resources``,
        ``property_income_paid``, ``balance_of_primary_incomes`` (B.5g), ``social_benefits_received``
        (D.61/D.62), ``other_transfers_received`` (D.7), ``secondary_resources``,
        ``taxes_on_income_and_wealth`` (D.5), ``social_contributions_paid``, ``other_transfers_paid``,
        ``secondary_uses``, ``gdhi`` (B.6g) and ``total_resources`` (primary + secondary resources);
        named after the area. ``attrs["source"]`` names the publication. Current prices [£m].

    Raises
    ------
    AreaError, DatasetError
        Unknown area or year.
    """
    name, codes = _authorities(area)
    frame = _accounts(str(data_dir()))
    years = sorted(frame["year"].unique())
    if not _is_year(year) or year not in years:
        raise DatasetError(f"no household accounts for year {year!r}; available years: {years[0]}-{years[-1]}")
    rows = frame[(frame["year"] == int(year)) & frame["area"].isin(codes)]
    out = rows.drop(columns=["area", "name", "year", "gdhi_per_head"]).sum().astype(float)
    out["total_resources"] = out["primary_resources"] + out["secondary_resources"]
    out.name = name
    out.attrs["source"] = (
        f"ONS regional gross disposable household income by local authority, {year} (current prices, £m); "
        f"{len(codes)} authorit{'y' if len(codes) == 1 else 'ies'}"
    )
    return out


def household_income(area: str | Area | list[str | Area], year: int, *, measure: Measure = "total_resources") -> float:
    """Total household income of an area's residents, £m: households' total resources, GDHI or pay.

    Parameters
    ----------
    area, year
        As :func:`household_accounts`.
    measure : {"total_resources", "gdhi", "coe"}
        ``total_resources`` (default: the Scottish Government's basis for its Type II closure; see
        the module notes), ``gdhi`` (gross disposable household income, after taxes and
        contributions) or ``coe`` (residents' compensation of employees).

    Returns
    -------
    float
        The chosen measure, current prices [£m].

    Examples
    --------
    >>> round(household_income("Scotland", 2019))  # doctest: +SKIP
    153554
    """
    if measure not in MEASURES:
        raise DatasetError(f"unknown household income measure {measure!r}; expected one of {list(MEASURES)}")
    return float(household_accounts(area, year)[measure])


@dataclass(frozen=True)
class Commuting:
    """Where an area's workers live and its residents work (Census 2021), with the shares kil_io uses.

    Attributes
    ----------
    area, name : str
        ONS code and name.
    resident_share : float
        Share of the area's workplace jobs held by its residents, among people travelling to a
        workplace (home workers left out: in March 2021 many worked from home for employers elsewhere).
        The default share of local pay that stays with local households [share].
    resident_share_with_home_workers : float
        The same with home workers counted as working in the area where they live [share].
    local_work_share : float
        Share of the area's employed residents who work in it (home workers included) [share].
    workplace_jobs, held_by_residents, home_workers, employed_residents : int
        The counts behind them; ``0`` where the share is estimated [persons].
    source : str
    estimated : bool
        True where there is no Census flow for the area (Scotland, Northern Ireland): the shares are
        then the median of England and Wales authorities, and ``low``/``high`` their quartiles.
    low, high : float
        The interquartile range of ``resident_share`` where estimated; equal to it otherwise [share].
    """

    area: str
    name: str
    resident_share: float
    resident_share_with_home_workers: float
    local_work_share: float
    workplace_jobs: int
    held_by_residents: int
    home_workers: int
    employed_residents: int
    source: str
    estimated: bool = False
    low: float = np.nan
    high: float = np.nan


def commuting(area: str | Area | list[str | Area]) -> Commuting:
    """Census 2021 commuting of an England or Wales area, with a documented fallback.

    Parameters
    ----------
    area : str, Area or list of them
        As :func:`household_accounts`. An area of several authorities counts the flows among them as
        its own: a job in Leeds held by a resident of Bradford is held by a resident of West
        Yorkshire. For Scotland and Northern Ireland, whose 2021/2022 censuses are not in ODWP01EW,
        the shares are the median over England and Wales authorities (flagged ``estimated``, with the
        quartiles as ``low`` and ``high``).

    Returns
    -------
    Commuting

    Examples
    --------
    >>> round(commuting("Calderdale").resident_share, 3)  # doctest: +SKIP
    0.66
    """
    where = resolve_area(area)
    name, codes = where.name, where.members
    flows = _commuting(str(data_dir())).set_index("area")
    have = [c for c in codes if c in flows.index]
    if not have:
        shares = flows["held_by_residents"] / flows["workplace_jobs"]
        with_home = (flows["held_by_residents"] + flows["home_workers"]) / (
            flows["workplace_jobs"] + flows["home_workers"]
        )
        local = (flows["held_by_residents"] + flows["home_workers"]) / flows["employed_residents"]
        return Commuting(
            area=where.code, name=name, resident_share=float(shares.median()),
            resident_share_with_home_workers=float(with_home.median()), local_work_share=float(local.median()),
            workplace_jobs=0, held_by_residents=0, home_workers=0, employed_residents=0,
            source=f"estimate: median of the {len(flows)} England and Wales authorities ({CENSUS_SOURCE}); "
            "no census commuting flows for this area",
            estimated=True, low=float(shares.quantile(0.25)), high=float(shares.quantile(0.75)),
        )  # fmt: skip
    if len(have) < len(codes):
        raise AreaError(f"{name}: mixes authorities with and without Census 2021 flows (England and Wales only)")
    rows = flows.loc[list(codes)]
    jobs, home, residents = (int(rows[k].sum()) for k in ("workplace_jobs", "home_workers", "employed_residents"))
    if len(codes) == 1:
        held = int(rows["held_by_residents"].iloc[0])
    else:
        pairs = _flows(str(data_dir()))
        held = int(pairs.loc[pairs["home"].isin(codes) & pairs["work"].isin(codes), "count"].sum())
    share = held / jobs
    return Commuting(
        area=where.code, name=name, resident_share=share,
        resident_share_with_home_workers=(held + home) / (jobs + home), local_work_share=(held + home) / residents,
        workplace_jobs=jobs, held_by_residents=held, home_workers=home, employed_residents=residents,
        source=CENSUS_SOURCE if len(codes) == 1 else f"{CENSUS_SOURCE}; flows among {len(codes)} authorities",
        low=share, high=share,
    )  # fmt: skip


def _authorities(area: str | Area | list[str | Area]) -> tuple[str, tuple[str, ...]]:
    """Name and the 2023 codes of the authorities making up ``area`` (any area the resolver knows)."""
    where = resolve_area(area)
    return where.name, where.members


@cache
def _accounts(folder: str) -> pd.DataFrame:
    return _read(Path(folder) / ACCOUNTS_FILE, ["area", "name", "year"])


@cache
def _commuting(folder: str) -> pd.DataFrame:
    return _read(Path(folder) / COMMUTING_FILE, ["area", "name"])


@cache
def _flows(folder: str) -> pd.DataFrame:
    path = Path(folder) / FLOWS_FILE
    if not path.is_file():
        raise DatasetError(f"{path}: dataset file missing; rebuild data/ with scripts/build_data.py")
    frame = pd.read_csv(path, dtype={"home": str, "work": str})
    if list(frame.columns) != ["home", "work", "count"] or (frame["count"] < 0).any():
        raise ReaderError(f"{path}: expected columns home, work, count with non-negative counts")
    return frame


def _read(path: Path, keys: list[str]) -> pd.DataFrame:
    if not path.is_file():
        raise DatasetError(f"{path}: dataset file missing; rebuild data/ with scripts/build_data.py")
    frame = pd.read_csv(path, dtype={"area": str, "name": str}, keep_default_na=False, na_values=[""])
    values = frame.drop(columns=keys)
    numbers = values.apply(pd.to_numeric, errors="coerce")
    bad = numbers.isna() | (numbers < 0) & (values.columns != "balance_of_primary_incomes")
    if bad.any(axis=None):
        r, c = np.argwhere(bad.to_numpy())[0]
        raise ReaderError(f"{path}: row {r + 2}, column '{values.columns[c]}' is {values.iat[r, c]!r}, not a count/£m")
    if frame.duplicated(keys[:1] + keys[2:]).any():
        raise ReaderError(f"{path}: repeated rows for {keys}")
    return frame


def resident_share(area: str | Area | list[str | Area]) -> tuple[float, str]:
    """The share of an area's workplace jobs held by its residents, and its source: the Type II closure's ``s``.

    Census 2021 commuting (:func:`kil_io.datasets.commuting`) where the area has it; otherwise 1
    (no commuting adjustment), labelled as such.

    Parameters
    ----------
    area : str, Area or list of them
        As :func:`household_accounts`.

    Returns
    -------
    share : float
        Share of the area's workplace jobs held by its residents [share].
    source : str
        Where the share comes from.
    """
    try:
        flows = commuting(area)
    except DatasetError as exc:
        return 1.0, f"assumption: 1, every worker counted as a resident (no Census 2021 commuting share: {exc})"
    return flows.resident_share, (
        f"{flows.source}: {flows.held_by_residents:,} of {flows.workplace_jobs:,} workplace jobs in {flows.name} "
        "held by its residents (home workers left out)"
        if not flows.estimated
        else flows.source
    )
