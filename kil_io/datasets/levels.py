r"""Regional output levels: how much of each national industry's output an area produces.

Location quotients (employment) decide what an area buys locally; this module decides what it
produces: the share of national output ``x^r_j = s_j x^n_j`` that
:func:`kil_io.regional.regionalise` applies (as its ``output_scale``, the factor on the
equal-productivity share). The rule, for every area and year:

* **Equal productivity**, the rule of location-quotient models: an industry's share is the area's share
  of Great Britain's jobs in it, :math:`s_j = RE_j / NE_j`.
* **Oil and gas on the continental shelf** (``B06 & B07``): the UK table's industry includes the
  extraction offshore, which ONS's regional accounts leave out as *extra-regio* (it belongs to no region).
  Only its onshore part, the share :math:`\phi` of national output (:func:`onshore_share`), is shared
  among areas by jobs: :math:`s_j = \phi RE_j / NE_j`. The offshore remainder is in no area's table.
  Its whole column goes with it (output, purchases and primary inputs alike), so its coefficients are
  unchanged.
* **Households' own industries** (``L68A``, owner-occupiers' imputed rent; ``T97``, households as
  employers): BRES counts no jobs in them, so jobs cannot place them (they used to follow all jobs, which
  put £3.6bn of imputed rent in the City of London against ONS's £145m). Their output is the housing
  services a household gives itself and the pay of staff a household employs, so it is placed by the
  area's share of Great Britain's gross disposable household income (GDHI, residence basis;
  :func:`household_share`). ONS places its own imputed rent by housing values and households as
  employers by population; no dwelling or housing-value series is in kil_io's raw data, and GDHI
  follows both closely (and is the household income kil_io already ships).

**The offshore industry's supply chain stays onshore.** Only ``B06 & B07``'s own output is cut. The
industries that serve the continental shelf (support activities ``B09``, engineering ``M71``,
machinery and its repair, transport, catering in Aberdeen and elsewhere) keep their output, placed by
their own jobs as before: in an area's table their sales to the offshore industry are sales to a buyer
outside the area (``exports_and_other``), like any export, so they count as local output and local
jobs, and their own multipliers are unchanged.

ONS's regional GVA has A and B apart only at ITL2 (``onshore_gva_uk.csv``). Onshore ``B06 & B07`` GVA is
the UK regions' mining (section B) GVA less the national table's GVA of the other mining industries,
``B05``, ``B08`` and ``B09``, all taken as onshore (coal, quarries, and support services run from
land; if part of ``B09`` worked offshore, onshore oil and gas would be larger, not smaller):

.. math:: \phi = \frac{GVA^{regions}_B - GVA_{B05} - GVA_{B08} - GVA_{B09}}{GVA_{B06\,\&\,B07}}

For 2020, where the regional release and the UK table are of one Blue Book (their sums of section A
agree to £1m), :math:`\phi = (3534 - 62 - 1944 - 1191) / 11332 = 2.97\%`; 2019 gives 2.89% and 2022
2.08%. The 2023 table is newer than ONS's regional release (1998-2022): it takes 2022's share, said
so. Onshore output is the same share of the industry's output (national GVA per £ of output).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from kil_io.datasets.areas import Area
from kil_io.datasets.areas import area as resolve_area
from kil_io.datasets.employment import _read_csv, local_employment, national_employment
from kil_io.datasets.files import _is_year, data_dir
from kil_io.datasets.uk import available_years, on_sectors, uk_iot
from kil_io.errors import DatasetError, ReaderError
from kil_io.model.table import IOTable

__all__ = [
    "HOUSEHOLD_INDUSTRIES", "OFFSHORE", "household_share", "household_shares", "levels_scale", "onshore_share",
    "output_shares",
]  # fmt: skip

#: The national industry that works partly on the continental shelf (crude petroleum and natural gas).
OFFSHORE = "B06 & B07"
#: The other mining industries, taken as wholly onshore.
ONSHORE_MINING = ("B05", "B08", "B09")
#: Industries whose output is households' own: placed by household income, not jobs.
HOUSEHOLD_INDUSTRIES = ("L68A", "T97")
ONSHORE_FILE = "onshore_gva_uk.csv"
ACCOUNTS_FILE = "household_accounts_lad.csv"
ONSHORE_SOURCE = (
    "ONS, Regional gross value added (balanced) by industry: all ITL regions, 2024 release, table 2c (ITL2, "
    "current prices): the UK's 41 regions' GVA in section B, mining and quarrying"
)
GDHI_SOURCE = "ONS, Regional gross disposable household income by local authority (current prices)"


def onshore_share(national: IOTable) -> tuple[float, str]:
    r"""The onshore share :math:`\phi` of a national table's oil and gas industry (``B06 & B07``).

    Parameters
    ----------
    national : IOTable
        A UK table with the IOAT industries (``B05``, ``B06 & B07``, ``B08``, ``B09``) and a year in
        1998-2022; a shipped UK table of a later year (2023) takes the latest year's share, said so in
        ``source``.

    Returns
    -------
    share : float
        Onshore ``B06 & B07`` GVA over the table's ``B06 & B07`` GVA (module notes) [share].
    source : str
        The calculation, with its figures.

    Raises
    ------
    DatasetError
        No regional mining GVA for the table's year, an industry missing, or a share outside (0, 1].

    Examples
    --------
    >>> round(onshore_share(kil_io.datasets.uk_iot(2020))[0], 4)  # doctest: +SKIP
    0.0297
    """
    frame = _onshore(str(data_dir()))
    year = national.year
    latest = int(frame.index.max())
    if (
        year is not None
        and int(year) > latest
        and int(year) in available_years()
        and national.label.strip("'") == f"UK {year}"
    ):
        # a UK table newer than ONS's regional release: the latest year's onshore share, said to be carried
        share, source = onshore_share(uk_iot(latest))
        return share, (
            f"estimate: {latest}'s onshore share carried to {year} (ONS's regional GVA by industry ends in "
            f"{latest}); {source}"
        )
    if year is None or int(year) not in frame.index:
        raise DatasetError(
            f"table {national.label}: no regional mining GVA for year {year!r} (have "
            f"{frame.index.min()}-{frame.index.max()}), so its offshore oil and gas cannot be told apart"
        )
    missing = [s for s in (OFFSHORE, *ONSHORE_MINING) if s not in national.sectors]
    if missing:
        raise DatasetError(f"table {national.label} has no industries {missing}; expected the UK IOAT mining codes")
    gva = dict(zip(national.sectors, national.gva, strict=True))
    regions = float(frame.loc[int(year), "mining_b"])
    other = sum(float(gva[s]) for s in ONSHORE_MINING)
    whole = float(gva[OFFSHORE])
    share = (regions - other) / whole if whole > 0 else np.nan
    if not 0 < share <= 1:
        raise DatasetError(
            f"table {national.label}: onshore {OFFSHORE} GVA = regions' mining £{regions:,.0f}m - "
            f"{'/'.join(ONSHORE_MINING)} £{other:,.0f}m = £{regions - other:,.0f}m against the industry's "
            f"£{whole:,.0f}m: a share of {share:.3g}, outside (0, 1]"
        )
    source = (
        f"{OFFSHORE} onshore: {ONSHORE_SOURCE}, {year}: £{regions:,.0f}m, less the national GVA of "
        f"{', '.join(ONSHORE_MINING)} (£{other:,.0f}m) = £{regions - other:,.0f}m of the industry's £{whole:,.0f}m "
        f"({share:.2%}); the rest is extra-regio (the continental shelf) and in no area"
    )
    return float(share), source


def household_shares(groups: Sequence[Sequence[str]], year: int) -> np.ndarray:
    """Each group of GB authorities' share of Great Britain's GDHI in ``year`` [share].

    Parameters
    ----------
    groups : sequence of sequences of str
        Authority codes (2023), one sequence per area.
    year : int
        2015-2022.

    Returns
    -------
    ndarray, one share per group.

    Raises
    ------
    DatasetError
        No GDHI for that year or for an authority.
    """
    gdhi, gb = _gdhi(str(data_dir()), _year(year))
    missing = sorted({c for g in groups for c in g} - set(gdhi.index))
    if missing:
        raise DatasetError(f"no household income (GDHI) for authorities {missing[:5]} in {year}")
    return np.array([gdhi[list(g)].sum() / gb for g in groups])


def household_share(area: str | Area | Sequence[str | Area], year: int) -> float:
    """An area's share of Great Britain's gross disposable household income in ``year`` [share].

    The share of GB's owner-occupiers' imputed rent (``L68A``) and of households' spending on staff
    (``T97``) that its tables hold.

    Examples
    --------
    >>> round(household_share("Calderdale", 2021), 5)  # doctest: +SKIP
    """
    where = resolve_area(area)
    return float(household_shares([where.members], year)[0])


def output_shares(
    national: IOTable, re: np.ndarray, ne: np.ndarray, household: np.ndarray, onshore: float
) -> np.ndarray:
    """Each area's share of national output by industry, shape (R, n) [share].

    Parameters
    ----------
    national : IOTable
    re : ndarray (R, n)
        Areas' employment in the table's sector order [jobs].
    ne : ndarray (n,)
        Great Britain's, on the same basis [jobs].
    household : ndarray (R,)
        Areas' shares of GB household income (:func:`household_shares`) [share].
    onshore : float
        Onshore share of ``B06 & B07`` (:func:`onshore_share`) [share].

    Returns
    -------
    ndarray
        ``RE_j / NE_j`` (an industry without national jobs: the area's share of all jobs), times
        ``onshore`` for ``B06 & B07``; the household share for ``L68A`` and ``T97``.
    """
    size = re.sum(axis=1, keepdims=True) / ne.sum()
    share = np.divide(re, ne, out=np.broadcast_to(size, re.shape).copy(), where=ne > 0)
    sectors = national.sectors
    if OFFSHORE in sectors:
        share[:, sectors.index(OFFSHORE)] *= onshore
    for code in HOUSEHOLD_INDUSTRIES:
        if code in sectors:
            share[:, sectors.index(code)] = household
    return share


def levels_scale(
    area: str | Area, year: int, national: IOTable, local: pd.Series | None = None, gb: pd.Series | None = None
) -> pd.Series:
    """Factors on an area's equal-productivity output that give it the output levels of this module's rule.

    What :func:`kil_io.regional.regionalise` takes as ``output_scale``: ``onshore_share`` for
    ``B06 & B07``; the household share over the area's share of all jobs for ``L68A`` and ``T97``;
    1 for every other industry.

    Parameters
    ----------
    area : str or Area
    year : int
        Employment and household-income year (2015-2022).
    national : IOTable
        The national table being regionalised.
    local, gb : Series, optional
        The area's and Great Britain's employment (default :func:`kil_io.datasets.local_employment` and
        :func:`kil_io.datasets.national_employment` on its basis) [jobs].

    Returns
    -------
    Series
        By sector code, named ``"output_scale"`` [ratio]; ``attrs["notes"]`` say where each factor
        other than 1 comes from, ``attrs["onshore_share"]`` and ``attrs["household_share"]`` give them.
    """
    where = resolve_area(area)
    # on the table's industries (2023 combines C254 and C25OTHER): a code it lacks would make every share NaN
    local = on_sectors(local if local is not None else local_employment(where, year), national.sectors)
    gb = on_sectors(gb if gb is not None else national_employment(year, area=where), national.sectors)
    re = local.reindex(national.sectors).to_numpy(dtype=float)[None, :]
    ne = gb.reindex(national.sectors).to_numpy(dtype=float)
    onshore, onshore_note = onshore_share(national)
    household = household_shares([where.members], year)
    share = output_shares(national, re, ne, household, onshore)[0]
    plain = output_shares(national, re, ne, np.full(1, re.sum() / ne.sum()), 1.0)[0]
    factor = np.divide(share, plain, out=np.ones_like(share), where=plain > 0)
    out = pd.Series(factor, index=national.sectors, name="output_scale")
    out.attrs.update(
        onshore_share=onshore,
        household_share=float(household[0]),
        notes={
            OFFSHORE: onshore_note,
            **{
                code: (
                    f"placed by household income: {where.name}'s share of GB GDHI in {year}, "
                    f"{household[0]:.4%} ({GDHI_SOURCE}), not its {re.sum() / ne.sum():.4%} of GB jobs"
                )
                for code in HOUSEHOLD_INDUSTRIES
                if code in national.sectors
            },
        },
    )
    return out


# ---------------------------------------------------------------------------------------------- internals
def _year(year: object) -> int:
    if not _is_year(year):
        raise DatasetError(f"year must be an integer, got {year!r}")
    return int(year)  # type: ignore[call-overload]


@cache
def _onshore(folder: str) -> pd.DataFrame:
    path = Path(folder) / ONSHORE_FILE
    frame = _read_csv(str(path)).set_index("year")
    if list(frame.columns) != ["agriculture_a", "mining_b", "total"]:
        raise ReaderError(f"{path}: columns {list(frame.columns)}, expected ['agriculture_a', 'mining_b', 'total']")
    return frame.astype(np.float64)


@cache
def _gdhi(folder: str, year: int) -> tuple[pd.Series, float]:
    """GB authorities' GDHI in ``year`` by 2023 code, and their sum [£m]."""
    path = Path(folder) / ACCOUNTS_FILE
    frame = _read_csv(str(path))
    years = sorted(frame["year"].unique())
    if year not in years:
        raise DatasetError(f"no household income (GDHI) for {year}; available years: {years[0]}-{years[-1]}")
    rows = frame[(frame["year"] == year) & ~frame["area"].str.startswith("N")]
    gdhi = rows.set_index("area")["gdhi"].astype(np.float64)
    return gdhi, float(gdhi.sum())
