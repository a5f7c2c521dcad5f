"""The input-output maths: the immutable table, Leontief systems, multipliers and aggregation.

Functions and classes here work on :class:`IOTable` and numpy arrays; nothing reads files or
knows about areas. The multiplier function itself is ``kil_io.multipliers`` (the module
:mod:`kil_io.model.multipliers` holds it and its helpers).
"""

from kil_io.model.aggregation import aggregate, aggregation_matrix
from kil_io.model.leontief import LeontiefSystem, closed_coefficients, leontief_inverse, technical_coefficients
from kil_io.model.multipliers import (
    COLUMNS,
    KINDS,
    MEASURES,
    UNITS,
    Kind,
    closed_system,
    compare,
    direct_coefficients,
    total_effects,
)
from kil_io.model.table import HOUSEHOLDS, PRIMARY_INPUTS, IOTable
from kil_io.model.units import POUNDS_PER_UNIT, check_magnitudes, pounds_per_unit

__all__ = [
    "COLUMNS",
    "HOUSEHOLDS",
    "KINDS",
    "MEASURES",
    "POUNDS_PER_UNIT",
    "PRIMARY_INPUTS",
    "UNITS",
    "IOTable",
    "Kind",
    "LeontiefSystem",
    "aggregate",
    "aggregation_matrix",
    "check_magnitudes",
    "closed_coefficients",
    "closed_system",
    "compare",
    "direct_coefficients",
    "leontief_inverse",
    "pounds_per_unit",
    "technical_coefficients",
    "total_effects",
]
