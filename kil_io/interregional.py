"""``kil_io.interregional``: the interregional model of GB authorities (:mod:`kil_io.regional.interregional`).

A short path to ``model()`` and ``Interregional``; the code lives in :mod:`kil_io.regional.interregional`.
"""

from kil_io.regional.interregional import *  # noqa: F403
from kil_io.regional.interregional import __all__  # noqa: F401
