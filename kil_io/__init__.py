"""kil_io: regional input-output economics for Keep it Local studies.

Build technical-coefficient and Leontief systems from official UK input-output
tables and compute Type I and Type II multipliers and effects for output, jobs
(FTE), GVA and income.
"""

from kil_io import _moved, _notebook, datasets, errors, interregional  # interregional after datasets: it builds on them
from kil_io._version import __version__  # first: modules below record it in their results
from kil_io.appraisal import additionality
from kil_io.appraisal.casefile import case_study
from kil_io.appraisal.impact import Impact, demand_impact, organisation_impact
from kil_io.appraisal.organisation import Organisation
from kil_io.errors import (  # importable from kil_io as before; listed (dir, __all__) under kil_io.errors
    AreaError as AreaError,
)
from kil_io.errors import (
    AreaWarning as AreaWarning,
)
from kil_io.errors import (
    BalanceError as BalanceError,
)
from kil_io.errors import (
    BatchError as BatchError,
)
from kil_io.errors import (
    CaseError as CaseError,
)
from kil_io.errors import (
    DatasetError as DatasetError,
)
from kil_io.errors import (
    IllConditionedWarning as IllConditionedWarning,
)
from kil_io.errors import (
    ImplausibleValueWarning as ImplausibleValueWarning,
)
from kil_io.errors import (
    KilIOError as KilIOError,
)
from kil_io.errors import (
    KilIOWarning as KilIOWarning,
)
from kil_io.errors import (
    LabelError as LabelError,
)
from kil_io.errors import (
    MissingDataWarning as MissingDataWarning,
)
from kil_io.errors import (
    MissingFileError as MissingFileError,
)
from kil_io.errors import (
    ModelError as ModelError,
)
from kil_io.errors import (
    NegativeFlowError as NegativeFlowError,
)
from kil_io.errors import (
    NegativeFlowWarning as NegativeFlowWarning,
)
from kil_io.errors import (
    NonNumericError as NonNumericError,
)
from kil_io.errors import (
    NotProductiveError as NotProductiveError,
)
from kil_io.errors import (
    PlausibilityWarning as PlausibilityWarning,
)
from kil_io.errors import (
    ReaderError as ReaderError,
)
from kil_io.errors import (
    RecordsError as RecordsError,
)
from kil_io.errors import (
    RegionError as RegionError,
)
from kil_io.errors import (
    TableError as TableError,
)
from kil_io.errors import (
    ZeroOutputError as ZeroOutputError,
)
from kil_io.errors import (
    ZeroOutputWarning as ZeroOutputWarning,
)
from kil_io.model.leontief import LeontiefSystem, leontief_inverse, technical_coefficients
from kil_io.model.multipliers import multipliers
from kil_io.model.table import IOTable
from kil_io.uncertainty.portfolio import appraise_portfolio
from kil_io.uncertainty.ranged import appraise

_moved.install()
_notebook.install()  # in IPython (Jupyter): readable multiplier frames and one-line warnings; nothing elsewhere

# What a user calls; the errors and warnings are importable from here too, but listed under kil_io.errors
__all__ = [
    "IOTable",
    "Impact",
    "LeontiefSystem",
    "Organisation",
    "__version__",
    "additionality",
    "appraise",
    "appraise_portfolio",
    "case_study",
    "datasets",
    "demand_impact",
    "errors",
    "explore",
    "interregional",
    "leontief_inverse",
    "multipliers",
    "organisation_impact",
    "technical_coefficients",
]


def __dir__() -> list[str]:  # tab completion: the public names, not the error classes or the subpackages' internals
    return sorted(__all__)


def __getattr__(name: str) -> object:
    if name == "explore":  # the explorer loads ipywidgets and matplotlib: only when asked for
        from kil_io.reporting.explore import explore

        return explore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
