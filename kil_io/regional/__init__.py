"""Regional tables: location quotients, regionalisation, many regions at once, calibration of delta.

- :mod:`~kil_io.regional.quotients`: SLQ, CILQ, FLQ, AFLQ and Flegg's lambda*; households' local purchases;
- :mod:`~kil_io.regional.regionalise`: one regional :class:`~kil_io.model.IOTable` from the national one;
- :mod:`~kil_io.regional.batched`: multipliers of many regions (or deltas) in one call;
- :mod:`~kil_io.regional.calibration`: which method and delta fit a survey-based regional table.
"""

from kil_io.regional.batched import delta_sensitivity, regional_multipliers, regional_multipliers_by_kind
from kil_io.regional.calibration import Calibration, calibrate_delta
from kil_io.regional.quotients import (
    DEFAULT_DELTA,
    HOUSEHOLD_RULES,
    METHODS,
    OTHER_FINAL_DEMAND,
    HouseholdRule,
    Method,
    check_household_rule,
    check_method,
    flq_lambda,
    household_purchase_coefficients,
)
from kil_io.regional.regionalise import location_quotients, regionalise

__all__ = [
    "DEFAULT_DELTA",
    "HOUSEHOLD_RULES",
    "METHODS",
    "OTHER_FINAL_DEMAND",
    "Calibration",
    "HouseholdRule",
    "Method",
    "calibrate_delta",
    "check_household_rule",
    "check_method",
    "delta_sensitivity",
    "flq_lambda",
    "household_purchase_coefficients",
    "location_quotients",
    "regional_multipliers",
    "regional_multipliers_by_kind",
    "regionalise",
]
