"""Where the leakage goes: an interregional (Chenery-Moses) model of Great Britain's authorities.

Every authority buys locally what its FLQ table says (as :func:`kil_io.datasets.regional_iot`) and the rest
of its UK purchases from the other authorities by gravity; households are paid where they work and spend
where they live. Summed over authorities, every effect is the national table's.

- :mod:`~kil_io.regional.interregional.system`: the system (arrays) and its block-iterative solve;
- :mod:`~kil_io.regional.interregional.gravity`: trade shares, distance decay and locality rules;
- :mod:`~kil_io.regional.interregional.geography`: centroids, distances and neighbours from the postcode grid;
- :mod:`~kil_io.regional.interregional.commuting`: the workplace -> home matrix;
- :mod:`~kil_io.regional.interregional.economy`: :class:`Interregional`, effects by authority as frames;
- :mod:`~kil_io.regional.interregional.leakage`: :func:`by_place`, where the leakage goes, and the brief's line;
- :mod:`~kil_io.regional.interregional.purchases`: :class:`Buyer`, an organisation's spending and staff by place;
- :func:`kil_io.datasets.interregional.model` builds one from the shipped data (the datasets layer).

Examples
--------
>>> import kil_io
>>> m = kil_io.interregional.model()  # doctest: +SKIP
>>> m.effects("Calderdale", {"Q87 & Q88": 1.0}, kind="type_ii").nlargest(5, "fte")  # doctest: +SKIP
"""

from kil_io.regional.interregional.economy import COLUMNS, Interregional
from kil_io.regional.interregional.gravity import (
    BETA_RANGE,
    DEFAULT_BETA,
    LOCALITIES,
    LOCALITY,
    LOCALITY_FACTORS,
    MAX_BETA,
    check_beta,
    locality,
)
from kil_io.regional.interregional.leakage import REST, ROLES, by_place, sentence
from kil_io.regional.interregional.purchases import Buyer, buyers_by_place
from kil_io.regional.interregional.system import InterregionalSystem, Solution

__all__ = [
    "BETA_RANGE",
    "COLUMNS",
    "DEFAULT_BETA",
    "LOCALITIES",
    "LOCALITY",
    "LOCALITY_FACTORS",
    "MAX_BETA",
    "REST",
    "ROLES",
    "Buyer",
    "Interregional",
    "InterregionalSystem",
    "Solution",
    "buyers_by_place",
    "by_place",
    "check_beta",
    "locality",
    "sentence",
]
