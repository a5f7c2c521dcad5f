"""An appraisal with its ranges: :func:`kil_io.appraisal.appraise` and a simulation of the same model.

:func:`appraise` is what a user calls (``kil_io.appraise``): the central figures are the model at
every input's value; the ranges are the 5th to 95th percentiles of the same model over draws of
the uncertain inputs (:func:`kil_io.uncertainty.simulate`), for every headline; the drivers say
which inputs move the main net figure most. Where the central figure is not inside its range,
or far from the range's middle, the headline carries a note that says so in words.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from kil_io import appraisal as _appraisal
from kil_io.appraisal.result import Appraisal, Range, SimulationSummary
from kil_io.appraisal.tender import Tender
from kil_io.errors import CaseError
from kil_io.uncertainty.drivers import drivers
from kil_io.uncertainty.simulate import LEVEL, MIN_DRAWS, Simulation, simulate

if TYPE_CHECKING:
    from kil_io.appraisal.casefile import CaseStudy
    from kil_io.model.table import IOTable

#: Draws :func:`appraise` takes unless told: enough for the 5th and 95th percentiles to two figures.
DRAWS = 10_000
#: Inputs listed as driving a range.
TOP_DRIVERS = 8
#: A central figure further than this share of its range's width from the range's median gets a note.
OFF_CENTRE = 0.2


def appraise(
    case: CaseStudy,
    draws: int | None = DRAWS,
    seed: int | None = None,
    *,
    contract_value: float | None = None,
    table: IOTable | None = None,
    level: float = LEVEL,
    places: bool = False,
) -> Appraisal:
    """The appraisal of an organisation or contract case, every headline with its range.

    Parameters
    ----------
    case : CaseStudy
        An organisation or contract case (:func:`kil_io.case_study`: shipped, or your own file).
    draws : int or None
        Monte Carlo draws of the uncertain inputs (at least :data:`~kil_io.uncertainty.MIN_DRAWS`);
        ``None`` or 0: no ranges (each headline then says so).
    seed : int, optional
        The same seed gives the same ranges.
    contract_value : float, optional
        Appraise the contract of this value [£ a year] by each provider (see
        :func:`kil_io.appraisal.appraise`).
    table : IOTable, optional
        The case's local table, if already built.
    level : float
        The ranges' coverage [share]: 0.9 for the 5th to 95th percentile.
    places : bool
        Also say where the effects are, by GB authority (:attr:`Appraisal.by_place`; ranges over the
        distance decay, not the draws).

    Returns
    -------
    Appraisal

    Raises
    ------
    CaseError
        An area case; fewer than the fewest draws.

    Examples
    --------
    >>> import kil_io
    >>> result = kil_io.appraise(kil_io.case_study("jubilee_childrens_centre"), 10_000, seed=2026)  # doctest: +SKIP
    >>> result.figure("fte_net").range  # doctest: +SKIP
    """
    central = _appraisal.appraise(case, contract_value=contract_value, table=table, places=places)
    if not draws:
        return central
    if draws < MIN_DRAWS:
        raise CaseError(f"draws must be a whole number >= {MIN_DRAWS} (or 0 for no ranges), got {draws!r}")
    sim = simulate(case, draws, seed, contract_value=central.contract_value, table=table)
    tender = None
    if central.tender is not None:  # every bid in the same draws: pairs, ranking and lots from the shared draws
        tender = central.tender.with_draws({c: sim.draws[c].to_numpy() for c in sim.draws.columns}, level)
    ranges, notes = {}, {}
    for h in central.headline:
        if h.key == "contract_value":
            continue
        values = _draws_of(h.key, central, sim, tender)
        low, median, high = np.quantile(values, ((1 - level) / 2, 0.5, (1 + level) / 2))
        ahead = h.key.startswith(("difference: ", "lots: "))
        ranges[h.key] = Range(low=float(low), high=float(high), median=float(median), level=level, draws=len(values),
                              p_ahead=float((values > 0).mean()) if ahead else None)  # fmt: skip
        note = _off_centre(h.value, ranges[h.key])
        if note:
            notes[h.key] = note
    driven = _driven(central, tender)
    swings = drivers(sim, _column(driven, central, sim), top=TOP_DRIVERS)
    summary = sim.summary(level)
    summary.insert(0, "label", [_label(c) for c in summary.index])
    simulation = SimulationSummary(draws=int(draws), seed=seed, level=level, summary=summary, drivers=swings,
                                   driven=driven)  # fmt: skip
    out = central.with_simulation(simulation, ranges, notes)
    return out if tender is None else replace(out, tender=tender)


def _column(key: str, central: Appraisal, sim: Simulation) -> str:
    """The simulation's column of a headline key (``bid: <name>: <measure>`` is the bid's own column)."""
    if key.startswith("bid: "):
        return key.removeprefix("bid: ")
    if not key.startswith("difference: "):
        return key
    names = [p.name for p in central.providers]
    return f"{names[0]} - {names[-1]}: {key.removeprefix('difference: ')}"


def _draws_of(key: str, central: Appraisal, sim: Simulation, tender: Tender | None) -> np.ndarray:
    """A headline's draws: a column of the simulation, or (lots against one contract) the tender's from them."""
    if key.startswith("lots: "):
        assert tender is not None  # a lots headline is a tender's
        columns = {c: sim.draws[c].to_numpy() for c in sim.draws.columns}
        measure = key.removeprefix("lots: ")
        return tender.lotted(columns, measure) - tender.whole(columns, measure)
    return sim.draws[_column(key, central, sim)].to_numpy()


def _driven(central: Appraisal, tender: Tender | None) -> str:
    """The headline whose drivers are shown: the net jobs of the organisation, the difference, or the top bid."""
    if central.focus == "organisation":
        return "fte_net"
    if tender is not None and any(h.key.startswith("bid: ") for h in central.headline):
        return f"bid: {tender.ranking.index[0]}: fte_net"
    return "difference: fte"


def _label(column: str) -> str:
    """A simulated figure in words: ``"fte_net"`` -> ``"net additional FTE"``, provider prefixes kept."""
    who, _, measure = column.rpartition(": ")
    words = {"fte": "local jobs, gross (FTE)", "fte_net": "local jobs, net additional (FTE)",
             "gva": "workplace GVA, gross (£m)", "gva_net": "workplace GVA, net additional (£m)",
             "local_income": "local income, gross (£m)", "local_income_net": "local income, net additional (£m)",
             "lm3": "LM3 (£ per £1 of income)", "local_spend": "spent in the area (£m)"}  # fmt: skip
    text = words.get(measure, measure)
    return f"{who}: {text}" if who else text


def _off_centre(value: float, r: Range) -> str:
    """Words for a central figure outside its range, or far from its median; empty when neither."""
    width = r.high - r.low
    if not np.isfinite(value) or width <= 0:
        return ""
    level = f"{r.level:.0%}"
    if value < r.low or value > r.high:
        side = "below" if value < r.low else "above"
        return (
            f"the central figure lies {side} its {level} range: the uncertain inputs' ranges are not centred on their "
            f"values, so most draws give a {'higher' if side == 'below' else 'lower'} figure"
        )
    if abs(value - r.median) > OFF_CENTRE * width:
        side = "lower" if value < r.median else "higher"
        return f"the central figure is {side} than most draws give: the figure is skewed in its uncertain inputs"
    return ""


__all__ = ["DRAWS", "appraise"]
