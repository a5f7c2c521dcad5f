"""kil_io: regional input-output economics for Keep it Local studies.

Build technical-coefficient and Leontief systems from official UK input-output
tables and compute Type I and Type II multipliers and effects for output, jobs
(FTE), GVA and income.
"""

from kil_io import _moved, datasets
from kil_io._version import __version__  # first: modules below record it in their results
from kil_io.appraisal import additionality
from kil_io.appraisal.casefile import case_study
from kil_io.appraisal.impact import Impact, demand_impact, organisation_impact
from kil_io.appraisal.organisation import Organisation
from kil_io.errors import (
    AreaError,
    AreaWarning,
    BalanceError,
    BatchError,
    CaseError,
    DatasetError,
    IllConditionedWarning,
    ImplausibleValueWarning,
    KilIOError,
    KilIOWarning,
    LabelError,
    MissingDataWarning,
    MissingFileError,
    ModelError,
    NegativeFlowError,
    NegativeFlowWarning,
    NonNumericError,
    NotProductiveError,
    PlausibilityWarning,
    ReaderError,
    RecordsError,
    RegionError,
    TableError,
    ZeroOutputError,
    ZeroOutputWarning,
)
from kil_io.model.leontief import LeontiefSystem, leontief_inverse, technical_coefficients
from kil_io.model.multipliers import multipliers
from kil_io.model.table import IOTable
from kil_io.uncertainty.portfolio import appraise_portfolio
from kil_io.uncertainty.ranged import appraise

_moved.install()

__all__ = [
    "AreaError",
    "AreaWarning",
    "BalanceError",
    "BatchError",
    "CaseError",
    "DatasetError",
    "IOTable",
    "IllConditionedWarning",
    "Impact",
    "ImplausibleValueWarning",
    "KilIOError",
    "KilIOWarning",
    "LabelError",
    "LeontiefSystem",
    "MissingDataWarning",
    "MissingFileError",
    "ModelError",
    "NegativeFlowError",
    "NegativeFlowWarning",
    "NonNumericError",
    "NotProductiveError",
    "Organisation",
    "PlausibilityWarning",
    "ReaderError",
    "RecordsError",
    "RegionError",
    "TableError",
    "ZeroOutputError",
    "ZeroOutputWarning",
    "__version__",
    "additionality",
    "appraise",
    "appraise_portfolio",
    "case_study",
    "datasets",
    "demand_impact",
    "leontief_inverse",
    "multipliers",
    "organisation_impact",
    "technical_coefficients",
]
