"""Household income and commuting by local authority: what closes a local Type II model.

Files read (converted by ``scripts/build_household_data.py``; provenance in ``data/README.md``):

* ``household_accounts_lad.csv``: ONS regional gross disposable household income (GDHI) of every UK
  local authority (2023 codes), 2015-2022, with its components, £m at current prices, residence basis.
* ``commuting_lad.csv``: Census 2021 ODWP01EW for every England and Wales authority (2023 codes):
  jobs of people travelling to a workplace in the authority, how many of those people live there,
  home workers and employed residents.
* ``commuting_flows_lad.csv.gz``: the same census's flows from England and Wales authorities to any UK
  authority (home, work, people), for groups of authorities (their residents hold their jobs in any of
  the group's authorities) and for the people from England and Wales working in Scotland.
* ``commuting_model_lad.csv`` and ``postcode_grid_gb.csv.gz``: what the resident-share model of areas
  without flows (Scotland's) needs (:mod:`kil_io.datasets.commuting_model`).

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

import kil_io.datasets.commuting_model as commuting_model
from kil_io.datasets.areas import Area
from kil_io.datasets.areas import area as resolve_area
from kil_io.datasets.files import _is_year, data_dir
from kil_io.errors import DatasetError, ReaderError

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
#: Census 2011: of the 2.00 million people travelling to a workplace in Scotland, just under 29,000 (1.5%)
#: lived elsewhere in the UK [share].
SCOTLAND_2011_OUTSIDE = (
    0.015,
    (
        "National Records of Scotland, Census 2011 origin-destination key points, 2014: 1.5% of those travelling "
        "to work in Scotland lived elsewhere in the UK"
    ),
)


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
        The same with home workers counted as working in the area where they live; NaN where
        estimated [share].
    local_work_share : float
        Share of the area's employed residents who work in it (home workers included); NaN where
        estimated [share].
    workplace_jobs, held_by_residents, home_workers, employed_residents : int
        The counts behind them; ``0`` where the share is estimated [persons].
    source : str
        Where the share comes from; begins ``"estimate: "`` where estimated.
    estimated : bool
        True where the area has no Census 2021 flows of its own (see :func:`commuting`).
    low, high : float
        The range of ``resident_share`` where estimated (see ``range_source``); equal to it
        otherwise [share].
    range_source : str
        What ``low`` and ``high`` are.
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
    range_source: str = ""


def commuting(area: str | Area | list[str | Area]) -> Commuting:
    """Census 2021 commuting of an area, or an estimate of its resident share where it has no flows.

    Parameters
    ----------
    area : str, Area or list of them
        As :func:`household_accounts`. An area of several authorities counts the flows among them as
        its own: a job in Leeds held by a resident of Bradford is held by a resident of West Yorkshire.

    Returns
    -------
    Commuting
        By the area:

        * England and Wales authorities and areas made of them: Census 2021 ODWP01EW (England, Wales).
        * Scotland and Northern Ireland, as nations: 1 less the share of their jobs held by people
          living in England and Wales (the census's flows into them), of an estimate of the people
          travelling to a workplace there (population times England and Wales's rate); ``low`` has
          the inflow as large, relative to the 2021 one, as Scotland's was in 2011.
        * Great Britain and the United Kingdom: 1.
        * Scottish authorities and areas made of them: the model of
          :mod:`kil_io.datasets.commuting_model` (fitted on England and Wales authorities), ``low`` and
          ``high`` its 90% prediction interval.
        * Areas mixing the two (e.g. across the border): the two parts' shares weighted by their
          BRES employment (flows between the parts are not counted: a lower bound).

        Every estimate is flagged ``estimated``, its ``source`` beginning ``"estimate: "``.

    Raises
    ------
    AreaError
        Unknown area.
    DatasetError
        An area with a Northern Ireland authority, short of the whole nation: neither census flows nor
        the model's characteristics (BRES employment) exist for it.

    Examples
    --------
    >>> round(commuting("Calderdale").resident_share, 3)  # doctest: +SKIP
    0.66
    """
    where = resolve_area(area)
    folder = str(data_dir())
    flows = _commuting(folder).set_index("area")
    nation = _nation(where.members)
    have = [c for c in where.members if c in flows.index]
    if nation in ("K02000001", "K03000001"):
        return _whole(where)
    if len(have) == len(where.members):
        return _census(where.code, where.name, where.members, flows)
    if nation in ("S92000003", "N92000002"):
        return _nation_estimate(where, flows)
    if not have:
        return _modelled(where.code, where.name, where.members)
    return _mixed(where, tuple(have), flows)


def modelled_commuting(area: str | Area | list[str | Area]) -> Commuting:
    """The model's estimate of a GB area's resident share, whether or not it has census flows.

    What :func:`commuting` gives an area without flows (:mod:`kil_io.datasets.commuting_model`); for an area
    with flows, a check of the model against the census.

    Parameters
    ----------
    area : str, Area or list of them
        As :func:`household_accounts`; Great Britain only.

    Returns
    -------
    Commuting
        Flagged ``estimated``; ``low`` and ``high`` the model's 90% prediction interval.

    Raises
    ------
    AreaError
        Unknown area.
    DatasetError
        An area with a Northern Ireland authority.

    Examples
    --------
    >>> c = modelled_commuting("Wales")  # doctest: +SKIP
    >>> round(c.resident_share, 3), round(commuting("Wales").resident_share, 3)  # doctest: +SKIP
    (0.956, 0.963)
    """
    where = resolve_area(area)
    return _modelled(where.code, where.name, where.members)


def _census(code: str, name: str, codes: tuple[str, ...], flows: pd.DataFrame) -> Commuting:
    rows = flows.loc[list(codes)]
    jobs, home, residents = (int(rows[k].sum()) for k in ("workplace_jobs", "home_workers", "employed_residents"))
    if len(codes) == 1:
        held = int(rows["held_by_residents"].iloc[0])
    else:
        pairs = _flows(str(data_dir()))
        held = int(pairs.loc[pairs["home"].isin(codes) & pairs["work"].isin(codes), "count"].sum())
    share = held / jobs
    return Commuting(
        area=code, name=name, resident_share=share,
        resident_share_with_home_workers=(held + home) / (jobs + home), local_work_share=(held + home) / residents,
        workplace_jobs=jobs, held_by_residents=held, home_workers=home, employed_residents=residents,
        source=CENSUS_SOURCE if len(codes) == 1 else f"{CENSUS_SOURCE}; flows among {len(codes)} authorities",
        low=share, high=share, range_source="none: counted by the census",
    )  # fmt: skip


def _estimate(code: str, name: str, share: float, source: str, low: float, high: float, why: str) -> Commuting:
    return Commuting(
        area=code, name=name, resident_share=float(share), resident_share_with_home_workers=np.nan,
        local_work_share=np.nan, workplace_jobs=0, held_by_residents=0, home_workers=0, employed_residents=0,
        source=f"estimate: {source}", estimated=True, low=float(low), high=float(high), range_source=why,
    )  # fmt: skip


def _whole(where: Area) -> Commuting:
    outside = "Northern Ireland or abroad" if where.code == "K03000001" else "abroad"
    return _estimate(
        where.code, where.name, 1.0,
        f"1 for {where.name}: its residents hold its jobs but for people living in {outside}, whom ODWP01EW does "
        "not count (Scotland's own figure is 0.99 or more; see kil_io.datasets.commuting)",
        1.0, 1.0, "none: 1 by assumption",
    )  # fmt: skip


def _nation_estimate(where: Area, flows: pd.DataFrame) -> Commuting:
    """Scotland or Northern Ireland: 1 - (people from England and Wales working there) / (people working there)."""
    folder = str(data_dir())
    pairs, people = _flows(folder), commuting_model.model_characteristics(folder)["population"]
    inflow = {n: int(pairs.loc[pairs["work"].str.startswith(n), "count"].sum()) for n in ("S", "N")}
    per_resident = float(flows["workplace_jobs"].sum() / people[people.index.str[0].isin(["E", "W"])].sum())
    jobs = {n: per_resident * float(people[people.index.str.startswith(n)].sum()) for n in ("S", "N")}
    letter = where.members[0][0]
    share = 1 - inflow[letter] / jobs[letter]
    # at 2011's size: Scotland's inflow was SCOTLAND_2011_OUTSIDE of its jobs then, inflow["S"] / jobs["S"] now
    scale = SCOTLAND_2011_OUTSIDE[0] / (inflow["S"] / jobs["S"])
    low = 1 - scale * inflow[letter] / jobs[letter]
    others = "Scotland" if letter == "N" else "Northern Ireland"
    return _estimate(
        where.code, where.name, share,
        f"{where.name}'s residents hold its jobs but for the {inflow[letter]:,} people living in England and Wales "
        f"who travelled to a workplace there ({CENSUS_SOURCE}), of an estimated {jobs[letter]:,.0f} people "
        f"travelling to a workplace in {where.name} (its mid-2021 population x England and Wales's "
        f"{per_resident:.3f} per resident); people living in {others} or abroad are not counted",
        low, share,
        f"from {low:.3f}, the inflow {scale:.2f} times as large, as Scotland's was in 2011 "
        f"({SCOTLAND_2011_OUTSIDE[1]}), to the {share:.3f} of 2021",
    )  # fmt: skip


def _modelled(code: str, name: str, members: tuple[str, ...]) -> Commuting:
    folder = str(data_dir())
    fit = resident_share_model()
    where = commuting_model.characteristics(folder, members)
    share, low, high = (float(v[0]) for v in fit.predict(where.design()[None, :]))
    return _estimate(
        code, name, share,
        f"logit-linear model fitted on the {fit.n} England and Wales authorities' Census 2021 shares "
        f"(kil_io.datasets.commuting_model; R² {fit.r_squared:.2f}, leave-one-out error {fit.loo_rmse:.3f}) from "
        f"the catchment shares of {name} ({where.catchment_5km:.3f} of the postcodes within 5 km, "
        f"{where.catchment_30km:.3f} within 30 km), {where.employment / where.population:.2f} jobs per resident and "
        f"population {where.population:,.0f}; {fit.level:.0%} prediction interval {low:.3f}-{high:.3f}",
        low, high, f"the model's {fit.level:.0%} prediction interval",
    )  # fmt: skip


def _mixed(where: Area, have: tuple[str, ...], flows: pd.DataFrame) -> Commuting:
    rest = tuple(c for c in where.members if c not in have)
    known = _census(where.code, where.name, have, flows)
    model = commuting_model.model_characteristics(str(data_dir()))
    guess = _modelled(where.code, " + ".join(model.loc[list(rest), "name"]), rest)
    jobs = model["employment"]
    weight = float(jobs[list(have)].sum() / (jobs[list(have)].sum() + jobs[list(rest)].sum()))
    share = weight * known.resident_share + (1 - weight) * guess.resident_share
    return _estimate(
        where.code, where.name, share,
        f"weighted by BRES employment, {weight:.1%} of the jobs are in {_count(len(have))} with census flows "
        f"(share {known.resident_share:.3f}: {CENSUS_SOURCE}) and {1 - weight:.1%} in {_count(len(rest))} without "
        f"(share {guess.resident_share:.3f}: {guess.source.removeprefix('estimate: ')}); flows between the two "
        "parts are not counted, so this is a lower bound",
        weight * known.resident_share + (1 - weight) * guess.low,
        weight * known.resident_share + (1 - weight) * guess.high,
        f"the model's {resident_share_model().level:.0%} prediction interval for the part without flows",
    )  # fmt: skip


def _count(n: int) -> str:
    return f"{n} authorit{'y' if n == 1 else 'ies'}"


@cache
def resident_share_model() -> commuting_model.ResidentShareFit:
    """The resident-share model fitted on every England and Wales authority (:mod:`~kil_io.datasets.commuting_model`).

    Returns
    -------
    ResidentShareFit
        Coefficients, fit statistics and prediction intervals, on the logit of the Census 2021 shares.

    Examples
    --------
    >>> print(resident_share_model().summary())  # doctest: +SKIP
    """
    folder = str(data_dir())
    flows = _commuting(folder).set_index("area")
    X = commuting_model.design_matrix([commuting_model.characteristics(folder, (c,)) for c in flows.index])
    return commuting_model.fit_logit_linear(
        X, (flows["held_by_residents"] / flows["workplace_jobs"]).to_numpy(), terms=commuting_model.TERMS
    )


@cache
def _nation_members() -> dict[frozenset[str], str]:
    return {frozenset(resolve_area(code).members): code for code in NATIONS}


def _nation(members: tuple[str, ...]) -> str | None:
    """The code of the nation (or union of nations) whose authorities ``members`` are, if any."""
    return _nation_members().get(frozenset(members))


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

    Census 2021 commuting (:func:`kil_io.datasets.commuting`) where the area has it; otherwise the
    estimate :func:`~kil_io.datasets.commuting` documents, whose source begins ``"estimate: "``.

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

    Raises
    ------
    AreaError
        Unknown area.
    DatasetError
        An area with neither census flows nor an estimate (a Northern Ireland authority).
    """
    flows = commuting(area)
    return flows.resident_share, (
        f"{flows.source}: {flows.held_by_residents:,} of {flows.workplace_jobs:,} workplace jobs in {flows.name} "
        "held by its residents (home workers left out)"
        if not flows.estimated
        else flows.source
    )
