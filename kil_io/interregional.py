"""``kil_io.interregional``: the interregional model of GB authorities.

A short path: ``model()`` (:mod:`kil_io.datasets.interregional`, from the shipped data) and the system,
gravity and effects (:mod:`kil_io.regional.interregional`).
"""

from kil_io.datasets.interregional import DEFAULT_YEAR, commuting, model
from kil_io.regional.interregional import *  # noqa: F403
from kil_io.regional.interregional import __all__ as _regional

__all__ = ["DEFAULT_YEAR", "commuting", "model", *_regional]
