"""Money units of a table, and plausibility of the magnitudes that depend on them.

A table states its money unit (``IOTable.units``, ``"£m"`` for every shipped table); code
that mixes a table's flows with figures in £ (an organisation's accounts) converts through
:func:`pounds_per_unit` rather than assuming £m. A unit error that the labels cannot reveal
(flows in £ labelled £m) shows in magnitudes no economy has: :func:`check_magnitudes` warns
when jobs per £1m of output or pay per job are far outside anything UK tables show.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from kil_io.errors import ImplausibleValueWarning, ModelError

if TYPE_CHECKING:
    from kil_io.model.table import IOTable

#: Pounds in one unit of each money unit a table may state.
POUNDS_PER_UNIT: dict[str, float] = {"£": 1.0, "£k": 1e3, "£000": 1e3, "£m": 1e6, "£bn": 1e9}

#: Whole-economy FTE per £1m of output outside which a table is flagged. UK tables
#: 2019-2022: 6.3 to 7.8; a local authority's, 4 to 12. Flows in £ labelled £m give 1e-5.
FTE_PER_1M_OUTPUT = (0.5, 100.0)
#: Compensation of employees per FTE [£] outside which a table or an organisation is
#: flagged. UK tables 2019-2022: £38,000 to £44,000; the 2024 full-time minimum wage
#: is about £21,000 a year.
PAY_PER_FTE = (5_000.0, 300_000.0)
#: An organisation's FTE per £1m of income outside which it is flagged (a children's
#: centre has about 24; income in £m entered as £ gives millions).
FTE_PER_1M_INCOME = (0.05, 200.0)


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

    Checks FTE per £1m of output (:data:`FTE_PER_1M_OUTPUT`) and compensation of employees
    per FTE (:data:`PAY_PER_FTE`), for a table in a pound unit with employment; both reveal
    flows or jobs in the wrong unit. Nothing is changed.
    """
    if table.employment is None or table.units not in POUNDS_PER_UNIT:
        return
    output_m = float(table.output.sum()) * POUNDS_PER_UNIT[table.units] / 1e6
    fte = float(table.employment.sum())
    if output_m <= 0 or fte <= 0:
        return
    found = []
    per_m = fte / output_m
    if not FTE_PER_1M_OUTPUT[0] <= per_m <= FTE_PER_1M_OUTPUT[1]:
        found.append(
            f"{per_m:.3g} FTE per £1m of output (plausible: {FTE_PER_1M_OUTPUT[0]:g} to {FTE_PER_1M_OUTPUT[1]:g}; "
            f"{fte:,.0f} FTE on £{output_m:,.6g}m)"
        )
    if "compensation_of_employees" in table.primary_input_labels:
        pay = float(table.primary_input("compensation_of_employees").sum()) * POUNDS_PER_UNIT[table.units] / fte
        if pay > 0 and not PAY_PER_FTE[0] <= pay <= PAY_PER_FTE[1]:
            found.append(f"£{pay:,.0f} of pay per FTE (plausible: £{PAY_PER_FTE[0]:,.0f} to £{PAY_PER_FTE[1]:,.0f})")
    if found:
        warnings.warn(
            f"table {table.label} (in {table.units}): {'; '.join(found)}. Are the flows in {table.units} and the "
            "employment in FTE?",
            ImplausibleValueWarning,
            stacklevel=stacklevel + 1,
        )
