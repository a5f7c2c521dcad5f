"""One-at-a-time sensitivity of an organisation's local impact to its assumptions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kil_io import datasets
from kil_io.appraisal.additionality import Rates
from kil_io.appraisal.impact import organisation_impact
from kil_io.appraisal.inputs import SENSITIVITY_KNOBS
from kil_io.appraisal.lm3 import organisation_lm3
from kil_io.appraisal.organisation import Figure, HasOrganisation, Organisation, _is_real, organisation_of
from kil_io.errors import CaseError

if TYPE_CHECKING:
    from kil_io.model.table import IOTable


def sensitivity(
    org: Organisation | HasOrganisation,
    changes: Mapping[str, Sequence[float]],
    regional_table: IOTable | None = None,
    *,
    rates: Rates | None = None,
    survey: Mapping[str, Figure] | None = None,
    national_year: int | None = None,
) -> pd.DataFrame:
    """Total local FTE and GVA, gross and net, when one assumption at a time takes other values.

    Parameters
    ----------
    org : Organisation or case
        A case study (:func:`kil_io.case_study`) brings its own additionality rates and
        LM3 survey.
    changes : mapping
        Assumption (a key of :data:`SENSITIVITY_KNOBS`) -> values to try.
    regional_table : IOTable, optional
        As in :func:`organisation_impact` (ignored for ``delta``, which rebuilds it).
    rates : Rates, optional
        Gross-to-net rates (default the case's, else the ``central`` preset).
    survey : mapping, optional
        Surveyed re-spend shares (default the case's); a staff share is the re-spend share
        of both LM3 and the induced effects.
    national_year : int, optional
        UK table of the tables it builds (default :func:`kil_io.datasets.national_year_for`).

    Returns
    -------
    DataFrame
        Rows (assumption, value), the first row ``("base", NaN)``; columns ``fte``,
        ``fte_net`` (FTE), ``gva``, ``gva_net``, ``local_income``, ``local_income_net`` (£m),
        ``lm3`` (£ per £1 of income) and the changes from the base of ``fte``, ``gva``,
        ``fte_net``, ``gva_net`` and ``lm3`` (``*_change``).

    Raises
    ------
    CaseError
        An unknown assumption.
    """
    rates = rates if rates is not None else getattr(org, "rates", None)
    survey = dict(survey if survey is not None else getattr(org, "lm3_survey", None) or {})
    org = organisation_of(org)
    unknown = sorted(set(changes) - set(SENSITIVITY_KNOBS))
    if unknown:
        raise CaseError(f"unknown sensitivity assumptions {unknown}; known: {sorted(SENSITIVITY_KNOBS)}")
    if regional_table is not None and "delta" in changes:
        raise CaseError("sensitivity to 'delta' rebuilds the regional table; do not pass regional_table with it")
    for knob, values in changes.items():
        if isinstance(values, str) or not hasattr(values, "__iter__"):
            raise CaseError(f"sensitivity '{knob}': expected a list of values, got {values!r}")
        for value in values:
            _check_knob(knob, value)
    table = (
        regional_table
        if regional_table is not None
        else datasets.regional_iot(org.area, org.year, method=org.method, delta=org.delta, national_year=national_year)
    )

    def totals(o: Organisation, t: IOTable, shares: Mapping[str, Figure]) -> pd.Series:
        respend = shares["staff_respend_share"].value if "staff_respend_share" in shares else None
        row = organisation_impact(o, t, rates=rates, respend_share=respend).to_frame().loc["total"].copy()
        row["lm3"] = organisation_lm3(o, t, survey=shares).value
        return row

    base = totals(org, table, survey)
    rows = {("base", np.nan): base}
    for knob, values in changes.items():
        for value in values:
            changed, t, shares = _vary(org, knob, float(value)), table, survey
            if knob == "delta":
                t = datasets.regional_iot(
                    org.area, org.year, method=org.method, delta=float(value), national_year=national_year
                )
            if knob == "staff_respend_share":
                shares = {**survey, knob: Figure(float(value), f"sensitivity: {knob} = {value:g}")}
            rows[(knob, float(value))] = totals(changed, t, shares)
    out = pd.DataFrame(rows).T
    out.index = out.index.set_names(["assumption", "value"])
    for column in ("fte", "gva", "fte_net", "gva_net", "lm3"):
        out[f"{column}_change"] = out[column] - base[column]
    return out


def _check_knob(knob: str, given: object) -> None:
    if not _is_real(given) or not np.isfinite(float(given)):
        raise CaseError(f"sensitivity '{knob}': {given!r} is not a number")
    value = float(given)
    if knob in ("staff_local_share", "spending_local_share", "additionality", "staff_respend_share") and not (
        0 <= value <= 1
    ):
        raise CaseError(f"sensitivity '{knob}': {value!r} is not a share in [0, 1]")
    if knob == "enterprise_scale" and value < 0:
        raise CaseError(f"sensitivity 'enterprise_scale': {value!r} is negative")
    if knob == "delta" and not 0 <= value < 1:
        raise CaseError(f"sensitivity 'delta': {value!r} is not in [0, 1)")


def _vary(org: Organisation, knob: str, value: float) -> Organisation:
    note = f"sensitivity: {knob} = {value:g}"
    if knob == "staff_local_share":
        return replace(org, staff_local_share=Figure(value, note))
    if knob == "spending_local_share":
        return replace(
            org,
            spending=tuple(replace(s, local_share=value, source=note, local_share_spread=None) for s in org.spending),
        )
    if knob == "additionality":
        return replace(org, additionality=Figure(value, note))
    if knob == "enterprise_scale":
        scaled = tuple(
            replace(e, fte=Figure(e.fte.value * value, note), turnover=Figure(e.turnover.value * value, note))
            for e in org.enterprises
        )
        return replace(org, enterprises=scaled)
    return org  # delta: same organisation, another table
