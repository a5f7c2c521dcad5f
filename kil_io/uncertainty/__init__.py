"""Ranges on every headline: Monte Carlo over a case's uncertain inputs, vectorised over draws.

Uncertain inputs are declared where they are made: a case-file figure may carry ``range:
[low, high]`` and a ``distribution`` (:mod:`kil_io.appraisal.distribution`); the model's
own choices (delta, the gross-to-net rates, the resident share, the closure income) have
evidence-based defaults (:mod:`kil_io.appraisal.defaults`). :func:`simulate` returns
every draw of every headline and a summary; :func:`tornado` and :func:`variance_shares` say
what drives the range; :func:`multiplier_ranges` gives an area's multipliers over delta and
:func:`area_multiplier_ranges` many areas' (every GB authority by default); :func:`appraise_portfolio`
adds up many organisations' and contracts' draws.

Examples
--------
>>> import kil_io
>>> from kil_io import uncertainty
>>> sim = uncertainty.simulate(kil_io.case_study("halifax_opportunities_trust"), 10_000, seed=2026)  # doctest: +SKIP
>>> sim.summary()  # doctest: +SKIP
"""

from kil_io.appraisal.central import case_inputs
from kil_io.appraisal.defaults import delta_range, delta_spread
from kil_io.appraisal.distribution import SHAPES, Distribution
from kil_io.appraisal.inputs import Input, inputs_frame
from kil_io.uncertainty.drivers import drivers, tornado, variance_shares
from kil_io.uncertainty.multipliers import area_multiplier_ranges, multiplier_ranges
from kil_io.uncertainty.portfolio import appraise_portfolio
from kil_io.uncertainty.ranged import appraise
from kil_io.uncertainty.simulate import CHUNK, LEVEL, MIN_DRAWS, Plan, Simulation, simulate

__all__ = [
    "CHUNK",
    "LEVEL",
    "MIN_DRAWS",
    "SHAPES",
    "Distribution",
    "Input",
    "Plan",
    "Simulation",
    "appraise",
    "appraise_portfolio",
    "area_multiplier_ranges",
    "case_inputs",
    "delta_range",
    "delta_spread",
    "drivers",
    "inputs_frame",
    "multiplier_ranges",
    "simulate",
    "tornado",
    "variance_shares",
]
