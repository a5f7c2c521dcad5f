"""Regional tables for any GB area, and Scotland's table for calibration.

Employment comes from :mod:`kil_io.datasets.employment` and areas from :mod:`kil_io.datasets.areas`;
both are re-exported here and by :mod:`kil_io.datasets`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from kil_io.datasets.areas import Area, area
from kil_io.datasets.areas import area as resolve_area
from kil_io.datasets.employment import (
    _read_csv,
    areas,
    employment_table,
    local_employment,
    national_employment,
    scotland_employment,
)
from kil_io.datasets.gva import DEFAULT_OUTPUT, Output, _check_output, gva_output_scale
from kil_io.datasets.household import resident_share
from kil_io.datasets.levels import levels_scale
from kil_io.datasets.uk import _is_year, data_dir, national_year_for, uk_iot
from kil_io.errors import AreaError, DatasetError
from kil_io.model.table import IOTable
from kil_io.readers.tablecsv import read_table_csv
from kil_io.regional import DEFAULT_DELTA, HouseholdRule, Method, check_household_rule, check_method, regionalise
from kil_io.regional.batched import delta_sensitivity
from kil_io.regional.calibration import FIT_FILE

__all__ = [
    "area", "areas", "employment_table", "ioat_ioc_concordance", "local_employment", "national_employment",
    "national_year_for", "output_scale", "regional_iot", "scotland_calibration_inputs", "scotland_employment",
    "sg_iot",
]  # fmt: skip

CONCORDANCE_FILE = "concordance_ioat_ioc098.csv"
_SG_FILE = re.compile(r"sg_iot_(\d{4})\.csv")


def regional_iot(
    area: str | Area | Sequence[str | Area],
    year: int,
    method: Method = "flq",
    delta: float = DEFAULT_DELTA,
    *,
    name: str | None = None,
    national_year: int | None = None,
    output: Output = DEFAULT_OUTPUT,
    household_rule: HouseholdRule = "local_services",
) -> IOTable:
    """An area's input-output table, regionalised from the UK table with BRES employment.

    Parameters
    ----------
    area : str, Area or list of them
        Any GB area by name or code: a local authority (``"Calderdale"``, ``"E08000033"``,
        ``"Bristol"``), ITL3/ITL2/ITL1 area, nation, combined authority, or a list of areas taken as
        one (``["Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"]``); see :func:`area`.
    year : int
        Employment year, 2015-2022 (:func:`local_employment` says which years are estimates).
    method : {"slq", "cilq", "flq", "aflq"}
        Location-quotient method (:mod:`kil_io.regional`).
    delta : float
        FLQ/AFLQ parameter in [0, 1) (an exponent, unit-free).
    name : str, optional
        Name of the area (e.g. of a group).
    national_year : int, optional
        UK table to regionalise; default the shipped year nearest to ``year`` (the later
        on a tie: 2021 uses 2022; 2015-2019 use 2019).
    output : {"gva", "employment"}
        Regional output by industry (:func:`output_scale`): ``"gva"`` (default) scaled so that the
        area's GVA by industry group is its share of ONS's regional GVA of the same year
        (:func:`kil_io.datasets.gva_output_scale`); ``"employment"`` national output per employee times
        the area's employment, with only the onshore part of oil and gas shared among areas and
        owner-occupiers' imputed rent and households as employers placed by household income
        (:mod:`kil_io.datasets.levels`). The location quotients, and so the multipliers but where the
        supply constraint binds, are the same: over every GB authority in 2021, 99.8% of multipliers
        differ by under 1% (data/README.md). In the ``"gva"`` table, FTE by industry is national FTE per
        £ of output times the scaled output, not the area's BRES jobs.
    household_rule : {"local_services", "as_industry", "slq"}
        How much of their purchases households buy locally (:func:`kil_io.regional.household_purchase_coefficients`):
        services at ``min(1, SLQ)`` and goods as industries buy them (the default, fitted on Scotland's
        households), as industries for every product (kil_io before 0.3), or ``min(1, SLQ)`` for all.

    Returns
    -------
    IOTable
        Named after the area, ``year`` = the employment year; ``metadata`` records the
        method, delta, national table, the employment basis and method (``employment``,
        ``employment_estimated``), ``area_code``, ``area_kind``, ``authorities`` and ``area_notes``.
        Location quotients compare the area's BRES employment with Great Britain's on the same
        basis (:func:`local_employment`, :func:`national_employment`). Cached. Flows at current
        basic prices [£m]; employment national FTE per £ of output times the area's output [FTE].

    Raises
    ------
    AreaError
        Unknown or ambiguous area (with suggestions), a bad group, an area outside Great Britain or
        as large as it, or a year without employment.
    RegionError
        Unknown method or delta outside [0, 1).

    Examples
    --------
    >>> calderdale = regional_iot("Calderdale", 2021)  # doctest: +SKIP
    >>> kil_io.multipliers(calderdale, "type_ii").loc["P85", "employment_effect"]  # doctest: +SKIP
    """
    check_method(method, delta)
    _check_output(output)
    where = resolve_area(area, name=name)
    nat_year = national_year_for(year) if national_year is None and _is_year(year) else national_year
    return _regional(where, year, method, float(delta), nat_year, output, check_household_rule(household_rule))


@cache
def _regional(
    where: Area, year: int, method: Method, delta: float, national_year: int, output: str, rule: HouseholdRule
) -> IOTable:
    local = local_employment(where, year)
    national = national_employment(year, area=where)
    if local.sum() >= national.sum():
        raise AreaError(
            f"{where.label} is the whole of Great Britain, the nation its location quotients compare with; "
            "use kil_io.datasets.uk_iot for the national table"
        )
    table = uk_iot(national_year)
    share, share_source = resident_share(where)
    scale = output_scale(where, year, table, output=output, local=local, gb=national)  # type: ignore[arg-type]
    regional = regionalise(
        table, local, national_employment=national, method=method, delta=delta, year=int(year), area=where.name,
        output_scale=scale, resident_share=share, household_rule=rule,
    )  # fmt: skip
    notes = {**local.attrs.get("notes", {}), **{f"GB {k}": v for k, v in national.attrs.get("notes", {}).items()}}
    return regional.replace(
        metadata={
            **regional.metadata,
            "employment": f"BRES open access employment {year}: {local.name} vs Great Britain; {local.attrs['method']}",
            "employment_basis": local.attrs["basis"],
            "employment_estimated": bool(local.attrs["estimated"]),
            "employment_notes": notes,
            "area_code": where.code,
            "area_kind": where.kind,
            "authorities": len(where.members),
            "area_notes": list(where.notes),
            "output": output,
            "output_levels": _LEVELS[output],
            "output_notes": scale.attrs["notes"],
            "resident_share_source": share_source,
        }
    )


_LEVELS = {
    "employment": "national output per employee times the area's BRES employment; oil and gas onshore only; "
    "imputed rent and households as employers by household income",
    "gva": "as 'employment', scaled so that the area's GVA by industry group is its share of ONS's regional GVA",
}


def output_scale(
    area: str | Area,
    year: int,
    national: IOTable,
    *,
    output: Output = DEFAULT_OUTPUT,
    local: pd.Series | None = None,
    gb: pd.Series | None = None,
) -> pd.Series:
    """The factors on an area's equal-productivity output that :func:`regional_iot` applies.

    Parameters
    ----------
    area : str or Area
    year : int
        Employment year.
    national : IOTable
        The national table being regionalised.
    output : {"employment", "gva"}
        As in :func:`regional_iot`: :func:`kil_io.datasets.levels.levels_scale` or
        :func:`kil_io.datasets.gva_output_scale`.
    local, gb : Series, optional
        The area's and Great Britain's employment (default on the area's basis) [jobs].

    Returns
    -------
    Series
        By sector code, ``output_scale`` of :func:`kil_io.regional.regionalise` [ratio];
        ``attrs["notes"]`` say where the factors come from.
    """
    _check_output(output)
    if output == "gva":
        return gva_output_scale(area, year, national, local, gb)
    return levels_scale(area, year, national, local, gb)


def delta_grid(
    table: IOTable,
    deltas: Sequence[float] = tuple(np.round(np.arange(0.0, 0.55, 0.05), 2)),
    *,
    kind: Literal["type_i", "type_ii"] = "type_ii",
    sectors: Sequence[str] | None = None,
) -> pd.DataFrame:
    """A shipped area's multipliers over a grid of delta, every other choice as in ``table``.

    The same area, year, national table, method and resident share as ``table`` (from
    :func:`regional_iot`), so the row at the table's own delta is the table's multipliers.

    Parameters
    ----------
    table : IOTable
        From :func:`regional_iot` (FLQ or AFLQ).
    deltas : sequence of float
        [ratio], each in [0, 1).
    kind : {"type_i", "type_ii"}
    sectors : sequence of str, optional
        Sectors to keep (default all).

    Returns
    -------
    DataFrame
        Index (delta, sector); columns as :func:`kil_io.multipliers`.
    """
    meta = table.metadata
    where = resolve_area(str(meta["area_code"]))
    national = uk_iot(int(str(meta["national_table"]).rsplit(" ", 1)[-1]))
    year = int(table.year or 0)
    local, gb = local_employment(where, year), national_employment(year, area=where)
    scale = output_scale(where, year, national, output=meta["output"], local=local, gb=gb)
    return delta_sensitivity(
        national, local, national_employment=gb, deltas=deltas, method=meta["method"], kind=kind, sectors=sectors,
        resident_share=float(table.resident_share), output_scale=scale,
        household_rule=check_household_rule(meta.get("household_rule", "local_services")),
    )  # fmt: skip


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


def delta_calibration() -> pd.DataFrame:
    """The fit of delta over the Scottish Government's years (``data/delta_calibration.csv``, ``scripts/delta_fit.py``).

    Returns
    -------
    DataFrame
        One row per year, kind (``type_i``/``type_ii``), measure, method and delta: ``wape``, ``mape`` and
        ``bias`` [%] of the regionalised UK table's multipliers against SG's own of that year
        (:func:`kil_io.regional.calibration.summarise_fit` reads it).
    """
    return _delta_calibration(str(data_dir())).copy()


@cache
def _delta_calibration(folder: str) -> pd.DataFrame:
    return pd.read_csv(Path(folder) / FIT_FILE, comment="#")


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
        Area ``"Scotland"``, at current basic prices [£m]; sectors ``IOC098_001`` ...;
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


@cache
def _load_sg(folder: str, year: int) -> IOTable:
    table = read_table_csv(Path(folder) / f"sg_iot_{year}.csv")
    if year not in SG_HOUSEHOLD_INCOME:
        return table
    income, source = SG_HOUSEHOLD_INCOME[year]
    return table.replace(household_income=income, metadata={**table.metadata, "household_income_source": source})
