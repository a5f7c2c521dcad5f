"""The tables shipped in ``data/``, by year.

``data/`` sits at the repository root beside ``kil_io/`` and is regenerated from the raw
official files by ``scripts/build_data.py`` (provenance, units and licences in
``data/README.md``); a wheel ships it inside the package (:func:`data_dir` says where it is
read from, and checks that its ``about.json`` names this kil_io version). Set the environment
variable ``KIL_IO_DATA`` to a folder of the same layout to read from elsewhere. Nothing here
needs the raw files.

Files read:

* ``uk_iot_<year>.csv``: the ONS UK Input-Output Analytical Tables, industry by industry,
  in kil_io's table CSV format (see :mod:`kil_io.readers.tablecsv`), £m, current basic prices.
* ``uk_employment_fte.csv``: full-time-equivalent employment by IOAT industry, one column
  ``fte_<year>`` per year (LFS-based, derived by STAPM), attached to the tables;
  ``uk_employment_fte_2023.csv``: 2023's, an estimate (2022's carried, on 2023's 104 industries).
* :func:`sector_mapping`: the 2019-2022 industries onto 2023's (``C254``, ``C25OTHER`` -> ``C25``),
  for :func:`kil_io.model.aggregate`.
* ``areas.csv``: every area by name and code (:func:`area`, :func:`areas`, :class:`Area`).
* ``bres_employment_lad.csv``, ``bres_itl_sections.csv`` and ``bres_employment_{itl2,gb,scotland}.csv``:
  BRES employment counts by IOAT industry for every GB local authority, ITL2 regions, Great Britain
  and Scotland (:func:`local_employment`, :func:`national_employment`, :func:`employment_table`,
  :func:`scotland_employment`); ``bres_la_sections.csv``: 13 authorities' published SIC-section
  totals (for checks).
* ``regional_gva_lad.csv``: ONS regional GVA by industry group for every authority
  (:func:`regional_gva`, :func:`gva_check`, :func:`gva_output_scale`); ``onshore_gva_uk.csv``: the UK
  regions' GVA in agriculture and mining, which tells the continental shelf's oil and gas apart
  (:mod:`kil_io.datasets.levels`, :func:`output_scale`).
* ``sg_iot_<year>.csv``: the Scottish Government table (:func:`sg_iot`);
  ``concordance_ioat_ioc098.csv``: common sectors of the UK and SG classifications
  (:func:`ioat_ioc_concordance`).
* ``additionality_presets.csv``: low, central and high gross-to-net rates, each with its source
  (:func:`additionality_presets`, :func:`kil_io.additionality.preset`).
* ``household_accounts_lad.csv``, ``commuting_lad.csv`` and ``commuting_flows_lad.csv.gz``: household
  income (GDHI accounts) of every UK local authority and Census 2021 commuting of every England and
  Wales authority (:func:`household_accounts`, :func:`household_income`, :func:`commuting`).
* ``commuting_model_lad.csv`` and ``postcode_grid_gb.csv.gz``: population, BRES employment and postcode
  catchments of every GB authority, from which the resident share of areas without census flows
  (Scotland's) is estimated (:func:`resident_share_model`, :func:`modelled_commuting`).
* ``sic_ioat.csv``: SIC 2007 codes -> IOAT industries (:func:`ioat_for_sic`, :func:`sic_industries`).
"""

import importlib as _importlib
import warnings as _warnings

from kil_io.datasets.areas import KINDS, Area, area
from kil_io.datasets.cases import case_history, case_studies
from kil_io.datasets.employment import (
    areas,
    distinct_areas,
    employment_table,
    employment_years,
    local_employment,
    national_employment,
    scotland_employment,
)
from kil_io.datasets.guidance import additionality_presets
from kil_io.datasets.gva import gva_check, gva_output_scale, regional_gva
from kil_io.datasets.household import (
    Commuting,
    commuting,
    household_accounts,
    household_income,
    modelled_commuting,
    resident_share,
    resident_share_model,
)
from kil_io.datasets.jumps import employment_jumps
from kil_io.datasets.local import (
    delta_calibration,
    delta_grid,
    ioat_ioc_concordance,
    national_year_for,
    output_scale,
    regional_iot,
    scotland_calibration_inputs,
    sg_iot,
)
from kil_io.datasets.sic import EVERYDAY_INDUSTRIES, ioat_for_sic, sector_hint, sic_industries
from kil_io.datasets.uk import (
    DATA_ENV,
    available_years,
    data_dir,
    nearest_national_year,
    sector_mapping,
    uk_employment,
    uk_iot,
)

__all__ = [
    "DATA_ENV",
    "EVERYDAY_INDUSTRIES",
    "KINDS",
    "Area",
    "Commuting",
    "additionality_presets",
    "area",
    "areas",
    "available_years",
    "case_history",
    "case_studies",
    "commuting",
    "data_dir",
    "delta_calibration",
    "delta_grid",
    "distinct_areas",
    "employment_jumps",
    "employment_table",
    "employment_years",
    "gva_check",
    "gva_output_scale",
    "household_accounts",
    "household_income",
    "ioat_for_sic",
    "ioat_ioc_concordance",
    "local_employment",
    "modelled_commuting",
    "national_employment",
    "national_year_for",
    "nearest_national_year",
    "output_scale",
    "regional_gva",
    "regional_iot",
    "resident_share",
    "resident_share_model",
    "scotland_calibration_inputs",
    "scotland_employment",
    "sector_hint",
    "sector_mapping",
    "sg_iot",
    "sic_industries",
    "uk_employment",
    "uk_iot",
]


def __dir__() -> list[str]:  # tab completion: the datasets, not the modules they are read by
    return sorted(__all__)


def __getattr__(name: str) -> object:
    # Deprecated: case files are read by kil_io.appraisal (above this layer), so the loader moved there.
    if name == "case_study":
        _warnings.warn(
            "kil_io.datasets.case_study moved to kil_io.case_study (kil_io.appraisal.casefile)",
            DeprecationWarning,
            stacklevel=2,
        )
        return _importlib.import_module("kil_io.appraisal.casefile").case_study
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
