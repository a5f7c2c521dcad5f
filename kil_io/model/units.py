"""Money units of a table, and plausibility of the magnitudes that depend on them.

A table states its money unit (``IOTable.units``, ``"£m"`` for every shipped table); code
that mixes a table's flows with figures in £ (an organisation's accounts) converts through
:func:`pounds_per_unit` rather than assuming £m. A unit error that the labels cannot reveal
(flows in £ labelled £m) shows in magnitudes no economy has: :func:`check_magnitudes` warns
when jobs per £1m of output or pay per job are far outside anything UK tables show.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING

import numpy as np

from kil_io.errors import ImplausibleValueWarning, ModelError

if TYPE_CHECKING:
    from kil_io.model.table import IOTable

#: Pounds in one unit of each money unit a table may state.
POUNDS_PER_UNIT: dict[str, float] = {"£": 1.0, "£k": 1e3, "£000": 1e3, "£m": 1e6, "£bn": 1e9}

#: Whole-economy FTE per £1m of output outside which a table is flagged [FTE per £1m].
#: Sources: the shipped UK tables (ONS IOAT output, ``data/uk_employment_fte*.csv`` FTE) give
#: 5.9 (2023) to 7.8 (2020); the 605 shipped local areas' tables (``regional_iot``, 2021)
#: 3.3 (North Lincolnshire: steel, refining) to 8.0 (Blackpool). Flows in £ labelled £m
#: give 1e-5, flows in £m labelled £ 1e7: the band is a factor of ten either side of what
#: UK tables show and a factor of a thousand inside a unit slip.
FTE_PER_1M_OUTPUT = (0.5, 100.0)
#: Compensation of employees per FTE outside which a table or an organisation is flagged [£].
#: Sources: the shipped UK tables (ONS IOAT row D1 / FTE) give £38,000 (2019) to £47,000
#: (2023), the 605 local areas' tables (2021) £37,800 (Aberdeenshire) to £64,400 (City of
#: London); the 2024 full-time National Living Wage is about £21,000 a year.
PAY_PER_FTE = (5_000.0, 300_000.0)
#: An organisation's FTE per £1m of income outside which it is flagged (a children's
#: centre has about 24; income in £m entered as £ gives millions).
FTE_PER_1M_INCOME = (0.05, 200.0)
#: The UK's whole-economy figures a slip is measured from (UK table 2019: 7.4 FTE per £1m
#: of output, £38,500 of pay per FTE): a figure about 1,000 or 1e6 times off them names the
#: money unit the flows were more likely in.
UK_FTE_PER_1M_OUTPUT = 7.0
UK_PAY_PER_FTE = 40_000.0


def pounds_per_unit(units: str, *, what: str = "table") -> float:
    """Pounds in one unit of ``units`` (``"£m"`` -> 1e6).

    Parameters
    ----------
    units : str
        A money unit, e.g. a table's ``units``.
    what : str
        What is in that unit, for the message.

    Returns
    -------
    float
        Pounds in one ``units`` [£].

    Raises
    ------
    ModelError
        A unit that is not a pound unit of :data:`POUNDS_PER_UNIT` (e.g. ``"€m"``): figures
        in £ cannot be combined with it.
    """
    if units not in POUNDS_PER_UNIT:
        raise ModelError(
            f"{what} is in {units!r}, but figures in £ can only be combined with a table in one of "
            f"{', '.join(POUNDS_PER_UNIT)}"
        )
    return POUNDS_PER_UNIT[units]


def check_magnitudes(table: IOTable, *, stacklevel: int = 2) -> None:
    """Warn (:class:`~kil_io.errors.ImplausibleValueWarning`) on whole-table magnitudes no economy has.

    Checks FTE per £1m of output (:data:`FTE_PER_1M_OUTPUT`; the message gives output per FTE
    too) and compensation of employees per FTE (:data:`PAY_PER_FTE`), for a table in a pound
    unit (:data:`POUNDS_PER_UNIT`) with employment; both reveal flows or jobs in the wrong
    unit, and the message names the likely slip (flows in £m labelled £, employment in
    thousands). Nothing is changed. A table in another unit (a textbook's ``"$"``, an
    unstated ``""``) is not checked: its magnitudes have no band. The impact and multiplier
    functions call this once per table (:func:`kil_io.model.multipliers.direct_coefficients`).
    """
    found = implausible_magnitudes(table)
    if found:
        warnings.warn(
            f"table {table.label} (in {table.units}): {'; '.join(found)}. Nothing was changed: check that "
            f"the flows are in {table.units} and the employment in FTE",
            ImplausibleValueWarning,
            stacklevel=stacklevel + 1,
        )


def implausible_magnitudes(table: IOTable) -> list[str]:
    """What :func:`check_magnitudes` finds: one sentence per figure outside its band (none: ``[]``)."""
    if table.employment is None or table.units not in POUNDS_PER_UNIT:
        return []
    with np.errstate(over="ignore"):
        output_m = float(table.output.sum()) * (POUNDS_PER_UNIT[table.units] / 1e6)
        fte = float(table.employment.sum())
        if not output_m > 0 or not fte > 0:
            return []
        found = []
        per_m = fte / output_m
        if not FTE_PER_1M_OUTPUT[0] <= per_m <= FTE_PER_1M_OUTPUT[1]:
            low, high = FTE_PER_1M_OUTPUT
            total = "its output adds up to more than a float holds" if math.isinf(output_m) else f"£{output_m:,.6g}m"
            found.append(
                f"{per_m:.3g} FTE per £1m of output, £{1e6 / per_m if per_m else math.inf:,.3g} of output per FTE "
                f"(plausible: {low:g} to {high:g} FTE per £1m; {fte:,.0f} FTE on {total}): "
                + _slip(per_m / UK_FTE_PER_1M_OUTPUT, table.units)
            )
        if "compensation_of_employees" in table.primary_input_labels:
            pay = float(table.primary_input("compensation_of_employees").sum()) * POUNDS_PER_UNIT[table.units] / fte
            if pay > 0 and not PAY_PER_FTE[0] <= pay <= PAY_PER_FTE[1]:
                low, high = PAY_PER_FTE
                found.append(
                    f"£{pay:,.4g} of compensation of employees per FTE (plausible: £{low:,.0f} to £{high:,.0f}): "
                    + _slip(UK_PAY_PER_FTE / pay, table.units)
                )
    return found


def _slip(jobs_ratio: float, units: str) -> str:
    """The likely unit slip behind jobs per £ ``jobs_ratio`` times the UK's (``> 1``: too many jobs per £)."""
    if not 1e-306 < jobs_ratio < 1e306:  # beyond: a power of ten a float cannot hold
        return "neither the flows nor the employment are numbers of this size"
    power = 3 * round(math.log10(jobs_ratio) / 3)  # a money-unit slip is a power of 1,000
    if power == 0:
        return "too far from any UK economy for a table in this unit"
    meant = POUNDS_PER_UNIT[units] * 10.0**power
    named = [u for u, p in POUNDS_PER_UNIT.items() if math.isclose(p, meant, rel_tol=1e-9)]
    times = f"{10.0 ** abs(power):,.0f}" if abs(power) <= 9 else f"1e{abs(power)}"
    flows = f"in {named[0]} rather than {units}" if named else f"{times} times too {'small' if power > 0 else 'large'}"
    jobs = "in thousands of FTE" if power == -3 else f"{times} times too {'large' if power > 0 else 'small'}"
    return f"likely the flows are {flows}, or the employment is {jobs}"
