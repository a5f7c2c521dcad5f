"""ONS regional GVA by industry for every authority, and how well regional tables' levels match it.

A regional table made with location quotients gives an industry the national output (and GVA) per
employee: its GVA in the area is ``v_j x_j RE_j / NE_j``, with two exceptions
(:mod:`kil_io.datasets.levels`): only the onshore part of oil and gas (``B06 & B07``) is shared among
areas, the continental shelf (ONS's *extra-regio*) belonging to none, and owner-occupiers' imputed rent
(``L68A``) and households as employers (``T97``), which employ no one BRES counts, are placed by household
income. ONS publishes GVA by industry group for every local authority (regional GVA, balanced, May 2025
release, current prices; ``regional_gva_lad.csv``), so the rule can be checked. Shares of Great Britain are
compared (the area's share of GB's GVA in an industry group, model against ONS; the model's of the
national table's *onshore* GVA), which leaves out price changes between the GVA year and the national
table's year. :func:`gva_check` reports the error for every authority; :func:`gva_output_scale` gives the
factors that make a regional table's GVA shares match ONS's (``regional_iot(..., output="gva")``).

Industry groups: ONS's sections, with A and B together (``AB``), D and E together (``DE``) and real
estate split into owner-occupiers' imputed rent (``L68IMP``, IOAT ``L68A``) and the rest (``L68``).
ONS leaves a few cells empty where they would disclose a business (Cornwall's and Argyll and Bute's AB
and K, for example); those cells are not compared and not scaled.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from kil_io.datasets.areas import Area, area
from kil_io.datasets.employment import _read_csv, employment_table, local_employment, national_employment
from kil_io.datasets.files import _is_year, data_dir
from kil_io.datasets.levels import OFFSHORE, household_shares, levels_scale, onshore_share, output_shares
from kil_io.datasets.uk import national_year_for, on_sectors, uk_iot
from kil_io.errors import AreaError, DatasetError, ReaderError
from kil_io.model.table import IOTable

GVA_FILE = "regional_gva_lad.csv"
GROUPS = ("AB", "C", "DE", "F", "G", "H", "I", "J", "K", "L68IMP", "L68", "M", "N", "O", "P", "Q", "R", "S", "T")
Output = Literal["employment", "gva"]
OUTPUTS: tuple[Output, ...] = ("employment", "gva")
#: The output levels regional tables have by default (``regional_iot(..., output=...)``; data/README.md says why).
DEFAULT_OUTPUT: Output = "gva"
GVA_SOURCE = (
    "ONS, Regional gross value added (balanced) by industry: local authorities, May 2025 release, current prices"
)


def gva_group(sector: str) -> str:
    """The ONS industry group of an IOAT code (``"A01"`` -> ``"AB"``, ``"L68A"`` -> ``"L68IMP"``, ``"Q86"`` -> ``"Q"``).

    Sections A and B, D and E are one group each in ONS's regional GVA; real estate is split into
    imputed rent and the rest.
    """
    if sector == "L68A":
        return "L68IMP"
    letter = sector[0]
    return {"A": "AB", "B": "AB", "D": "DE", "E": "DE", "L": "L68"}.get(letter, letter)


def regional_gva(area_: str | Area | Sequence[str | Area], year: int) -> pd.Series:
    """ONS regional GVA of an area (the sum of its authorities) by industry group, £m current prices.

    Parameters
    ----------
    area_ : str, Area or list of them
        Any area (:func:`kil_io.datasets.area`), Northern Ireland included.
    year : int
        2015-2023.

    Returns
    -------
    Series
        Index :data:`GROUPS` and ``total``; NaN where ONS leaves a member's cell empty (disclosive).
        ``attrs["source"]`` names the publication. Current prices [£m].

    Raises
    ------
    AreaError, DatasetError
        Unknown area or year.
    """
    where = area(area_)
    frame = _gva(str(data_dir()))
    years = sorted(set(frame.index.get_level_values("year")))
    if not _is_year(year) or year not in years:
        raise DatasetError(f"no regional GVA for year {year!r}; available years: {years[0]}-{years[-1]}")
    rows = frame.xs(int(year), level="year").loc[list(where.members)]
    out = rows.sum(min_count=len(rows)).rename(where.name)
    out.attrs["source"] = f"{GVA_SOURCE}, {year}; {len(rows)} authorit{'y' if len(rows) == 1 else 'ies'}"
    return out


def gva_check(year: int, *, national: IOTable | None = None, output: Output = DEFAULT_OUTPUT) -> pd.DataFrame:
    """Regional tables' GVA against ONS's for every GB authority, by industry group.

    For each authority and group: its share of Great Britain's GVA as the regional table has it and as
    ONS publishes it (the authority's GVA over the sum of GB's authorities).

    Parameters
    ----------
    year : int
        Employment and GVA year (2015-2022; 2015 and 2016 are the published BRES years).
    national : IOTable, optional
        National table whose GVA by industry weights the industries within a group; default the
        shipped one nearest ``year``.
    output : {"gva", "employment"}
        The tables' output levels (``regional_iot(..., output=...)``): ``"gva"`` (default, as
        :func:`kil_io.datasets.regional_iot`) the tables scaled to ONS's GVA (:func:`gva_output_scale`),
        whose only errors are where it cannot scale (a group in which the authority has ONS GVA but no
        BRES jobs); ``"employment"`` the rule of :mod:`kil_io.datasets.levels` (national GVA per
        employee, onshore oil and gas, household industries by household income;
        :func:`kil_io.datasets.local_employment` on the authorities' basis), whose errors are what
        equal productivity misses.

    Returns
    -------
    DataFrame
        Index (area, group), columns ``name``, ``model_share`` and ``ons_share`` [share],
        ``model_gva`` (the regional table's GVA: the share times the national table's onshore GVA of
        the group) and ``ons_gva`` (the same with ONS's share) [£m], ``error`` (``model_share /
        ons_share - 1``) [ratio]. Cells ONS leaves empty are left out.
        ``attrs["summary"]``: by group, ``weighted_error`` (sum over authorities of ``|model - ons|``
        over the sum of ``ons``, i.e. the GVA-weighted mean absolute error), ``bias`` (the
        GVA-weighted mean of ``error``), ``median_error`` (median of ``|error|``) [ratio], ``worst``
        and ``onshore_gva`` (the national table's GVA of the group without the continental shelf) [£m];
        row ``all`` over every group, its ``median_error`` that of authorities' total GVA.
        ``attrs["totals"]``: by authority, ``name``, ``model_gva``, ``ons_gva`` [£m] and ``error``
        [ratio] of its total over the groups compared.

    Raises
    ------
    DatasetError
        Unknown ``output`` or year.
    """
    _check_output(output)
    table = national if national is not None else uk_iot(national_year_for(year))
    codes = _gb_authorities()
    employment = on_sectors(employment_table(codes, year, basis="authorities"), table.sectors)
    gb = on_sectors(national_employment(year, basis="authorities"), table.sectors)
    onshore, _ = onshore_share(table)
    shares = output_shares(
        table, employment.to_numpy(), gb.reindex(table.sectors).to_numpy(),
        household_shares([(c,) for c in codes], year), onshore,
    )  # fmt: skip
    model = _model_shares(table, shares, onshore)
    ons = _gva(str(data_dir())).xs(int(year), level="year").loc[codes, list(GROUPS)]
    ons_share = ons / ons.sum()
    if output == "gva":
        model = model * _group_factors(model, ons_share.to_numpy())
    group_gva = _onshore_group_gva(table, onshore)
    frame = pd.DataFrame(
        {
            "model_share": pd.DataFrame(model, index=codes, columns=GROUPS).stack(),
            "ons_share": ons_share.stack(),
        }
    ).dropna()
    frame.index.names = ["area", "group"]
    names = dict(zip(codes, employment.index, strict=True))
    frame.insert(0, "name", [names[a] for a in frame.index.get_level_values("area")])
    weights = group_gva.reindex(frame.index.get_level_values("group")).to_numpy()
    frame["model_gva"] = frame["model_share"] * weights
    frame["ons_gva"] = frame["ons_share"] * weights
    frame = frame[frame["ons_share"] > 0]
    frame["error"] = frame["model_share"] / frame["ons_share"] - 1
    rows = {}
    for group, part in frame.groupby(level="group", sort=False):
        gap = (part["model_share"] - part["ons_share"]).abs()
        worst = part["error"].abs().idxmax()[0]
        rows[group] = {
            "weighted_error": gap.sum() / part["ons_share"].sum(),
            "bias": (part["error"] * part["ons_share"]).sum() / part["ons_share"].sum(),
            "median_error": part["error"].abs().median(),
            "worst": f"{names[worst]} ({part.loc[worst, 'error'].iloc[0]:+.0%})",
            "onshore_gva": float(group_gva[group]),
        }
    summary = pd.DataFrame(rows).T.reindex(GROUPS)
    total = frame.groupby(level="area")[["model_gva", "ons_gva"]].sum()
    total.insert(0, "name", [names[a] for a in total.index])
    total["error"] = total["model_gva"] / total["ons_gva"] - 1
    summary.loc["all"] = {
        "weighted_error": (frame["model_gva"] - frame["ons_gva"]).abs().sum() / frame["ons_gva"].sum(),
        "bias": np.nan,
        "median_error": total["error"].abs().median(),
        "worst": "",
        "onshore_gva": float(group_gva.sum()),
    }
    frame.attrs.update(
        summary=summary, totals=total, year=int(year), national_table=table.label.strip("'"), source=GVA_SOURCE,
        output=output,
    )  # fmt: skip
    return frame


def gva_output_scale(
    area_: str | Area, year: int, national: IOTable, local: pd.Series | None = None, gb: pd.Series | None = None
) -> pd.Series:
    """Factors on an area's equal-productivity output that make its GVA shares by industry group match ONS's.

    The factors of :func:`kil_io.datasets.levels.levels_scale` (onshore oil and gas, household
    industries) times, for every industry of group ``g``, ``ons_share_g / model_share_g`` (1 where ONS
    leaves the cell empty or either share is 0): the area's GVA in the group is then ONS's share of
    the national table's onshore GVA of the group.

    Parameters
    ----------
    area_ : str or Area
    year : int
        Employment and GVA year.
    national : IOTable
        The national table being regionalised.
    local, gb : Series, optional
        The area's and Great Britain's employment (default :func:`local_employment` and
        :func:`national_employment` on its basis) [jobs].

    Returns
    -------
    Series
        By sector code, named ``"output_scale"``; ``attrs["by_group"]`` the factors by group on top of
        the levels rule [ratio], ``attrs["notes"]`` as :func:`~kil_io.datasets.levels.levels_scale`.

    Raises
    ------
    AreaError
        An area without GVA or employment that year.
    """
    where = area(area_)
    local = on_sectors(local if local is not None else local_employment(where, year), national.sectors)
    gb = on_sectors(gb if gb is not None else national_employment(year, area=where), national.sectors)
    frame = _gva(str(data_dir()))
    if int(year) not in set(frame.index.get_level_values("year")):
        raise AreaError(f"{where.label}: no regional GVA for {year}")
    levels = levels_scale(where, year, national, local, gb)
    re = local.reindex(national.sectors).to_numpy(dtype=float)[None, :]
    ne = gb.reindex(national.sectors).to_numpy(dtype=float)
    onshore = float(levels.attrs["onshore_share"])
    shares = output_shares(national, re, ne, np.array([levels.attrs["household_share"]]), onshore)
    model = _model_shares(national, shares, onshore)
    gva = frame.xs(int(year), level="year")
    gb_gva = _gb_gva(str(data_dir()), int(year))
    mine = gva.loc[list(where.members), list(GROUPS)].sum(min_count=len(where.members))
    factor = _group_factors(model, (mine / gb_gva).to_numpy()[None, :])[0]
    by_group = pd.Series(factor, index=GROUPS)
    out = levels * np.array([by_group[gva_group(s)] for s in national.sectors])
    out.attrs.update(levels.attrs)
    out.attrs["by_group"] = by_group
    return out


# ---------------------------------------------------------------------------------------------- internals
def _check_output(output: object) -> None:
    if output not in OUTPUTS:
        raise DatasetError(f"output must be one of {list(OUTPUTS)}, got {output!r}")


def _group_index(table: IOTable) -> np.ndarray:
    return np.array([GROUPS.index(gva_group(s)) for s in table.sectors])


def _onshore_group_gva(table: IOTable, onshore: float) -> pd.Series:
    """The national table's GVA by group, oil and gas onshore only [£m]."""
    v = pd.Series(table.gva, index=table.sectors)
    if OFFSHORE in v.index:
        v[OFFSHORE] *= onshore
    return v.groupby(gva_group).sum().reindex(GROUPS)


def _model_shares(table: IOTable, shares: np.ndarray, onshore: float) -> np.ndarray:
    """(R, groups): each row's share of the nation's onshore GVA by group, from its output shares (R, n)."""
    groups = _group_index(table)
    gva = np.zeros((len(shares), len(GROUPS)))
    np.add.at(gva.T, groups, (shares * table.gva).T)
    total = _onshore_group_gva(table, onshore).to_numpy()
    return gva / np.where(total > 0, total, 1.0)


def _group_factors(model: np.ndarray, ons: np.ndarray) -> np.ndarray:
    """``ons / model`` where both are positive and ONS publishes the cell, else 1 (R, groups)."""
    ok = np.isfinite(ons) & (ons > 0) & (model > 0)
    return np.where(ok, ons / np.where(ok, model, 1.0), 1.0)


def _gb_authorities() -> list[str]:
    return list(_gb_codes(str(data_dir())))


@cache
def _gb_codes(folder: str) -> tuple[str, ...]:
    from kil_io.datasets.employment import areas

    table = areas("local_authority")
    return tuple(sorted(table.loc[table["nation"] != "N92000002", "code"]))


@cache
def _gb_gva(folder: str, year: int) -> pd.Series:
    """Great Britain's GVA by group in ``year``: the sum of its authorities' [£m]."""
    return _gva(folder).xs(year, level="year").loc[list(_gb_codes(folder)), list(GROUPS)].sum()


@cache
def _gva(folder: str) -> pd.DataFrame:
    path = Path(folder) / GVA_FILE
    frame = _read_csv(str(path)).set_index(["area", "year"])
    if list(frame.columns) != [*GROUPS, "total"]:
        raise ReaderError(f"{path}: columns {list(frame.columns)}, expected {[*GROUPS, 'total']}")
    # GVA may be negative (Southampton's AB, 2022: -£1m); only text would be an error
    return frame.astype(np.float64)
