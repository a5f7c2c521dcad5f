"""Old flat module paths (``kil_io.impact``, ``kil_io.batch``, ...) as deprecated aliases of their new homes.

The package was regrouped by layer (model, regional, appraisal, reporting, runner); code written
against the old paths keeps working, with a ``DeprecationWarning`` naming the new one.
``kil_io.distributed`` and ``kil_io.additionality`` are supported short paths (no warning).
``kil_io.multipliers`` is the function (as before); its module is :mod:`kil_io.model.multipliers`.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings
from types import ModuleType

MOVED: dict[str, str] = {
    "kil_io.table": "kil_io.model.table",
    "kil_io.leontief": "kil_io.model.leontief",
    "kil_io.aggregation": "kil_io.model.aggregation",
    "kil_io.tablecsv": "kil_io.readers.tablecsv",
    "kil_io.calibration": "kil_io.regional.calibration",
    "kil_io.cases": "kil_io.appraisal.casefile",
    "kil_io.lm3": "kil_io.appraisal.lm3",
    "kil_io.commissioning": "kil_io.appraisal.commissioning",
    "kil_io.impact": "kil_io.appraisal.impact",
    "kil_io.reports": "kil_io.reporting.reports",
    "kil_io.plots": "kil_io.reporting.plots",
    "kil_io.index_page": "kil_io.reporting.index_page",
    "kil_io.caselist": "kil_io.runner.caselist",
    "kil_io.batch": "kil_io.runner.batch",
    "kil_io.uncertainty.defaults": "kil_io.appraisal.defaults",
    "kil_io.uncertainty.inputs": "kil_io.appraisal.inputs",
    "kil_io.uncertainty.model": "kil_io.appraisal.model",
    "kil_io.reporting.tables": "kil_io.runner.tables",
}
#: Short paths that are part of the API, not deprecated.
ALIASES: dict[str, str] = {
    "kil_io.distributed": "kil_io.runner.distributed",
    "kil_io.additionality": "kil_io.appraisal.additionality",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname: str, path: object, target: object = None) -> importlib.machinery.ModuleSpec | None:
        if fullname in MOVED or fullname in ALIASES:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        new = MOVED.get(spec.name) or ALIASES[spec.name]
        if spec.name in MOVED:
            warnings.warn(f"{spec.name} moved to {new}", DeprecationWarning, stacklevel=4)
        return importlib.import_module(new)

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the module is the new one, already imported."""


def install() -> None:
    """Put the alias finder on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.append(_Alias())
