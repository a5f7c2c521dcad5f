"""The New Economics Foundation's Local Multiplier 3 (LM3).

LM3 follows money for three rounds: round 1 is an organisation's income; round 2 the part
of it spent locally (pay of staff who live locally, purchases from local suppliers);
round 3 what those staff and suppliers in turn spend locally. LM3 = (R1 + R2 + R3) / R1,
so 1 <= LM3 <= 3.

Round 3 comes from a survey of staff and suppliers when there is one. Without a survey
:func:`modelled_respend_shares` estimates it from a regional input-output table: staff
re-spend locally the regional household consumption per £ of household income (the same
re-spend share the induced effects use: :func:`kil_io.model.closure.respend_share`), and a
local supplier re-spends locally its local intermediate purchases and the pay it gives
local residents per £ of output. A surveyed staff share, where the case file has one, is
the one re-spend share of the page: :func:`kil_io.organisation_impact` takes it too
(``respend_share=``). The result says which rounds were surveyed and which modelled.

References
----------
Sacks, J. (2002). *The Money Trail: measuring your impact on the local economy using
LM3*. New Economics Foundation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kil_io import datasets
from kil_io.appraisal.casestudy import organisation_on
from kil_io.appraisal.model import SHARE_TOLERANCE, lm3_rounds, lm3_value, supplier_respend
from kil_io.appraisal.organisation import Figure, Organisation
from kil_io.errors import LabelError, ModelError
from kil_io.model.closure import Closure, resident_share_of, respend_share
from kil_io.model.table import IOTable

ROUNDS: tuple[str, ...] = ("round1", "round2", "round3")


def lm3(round1: float, round2: float, round3: float) -> float:
    """Local Multiplier 3: ``(R1 + R2 + R3) / R1``.

    Parameters
    ----------
    round1 : float
        Income (£), > 0.
    round2 : float
        Part of round 1 spent locally (£), ``0 <= R2 <= R1``.
    round3 : float
        Part of round 2 re-spent locally (£), ``0 <= R3 <= R2``.

    Returns
    -------
    float
        Between 1 and 3.

    Raises
    ------
    ModelError
        A round that is not a finite number or is outside its bounds.

    Examples
    --------
    >>> lm3(100.0, 60.0, 20.0)
    1.8
    """
    values = {"round1": round1, "round2": round2, "round3": round3}
    for name, value in values.items():
        real = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
        if not real or not np.isfinite(value):
            raise ModelError(f"LM3 {name} must be a finite number of £, got {value!r}")
    if round1 <= 0:
        raise ModelError(f"LM3 round1 (income) must be positive, got £{round1:,.2f}")
    if not 0 <= round2 <= round1:
        raise ModelError(f"LM3 round2 (£{round2:,.2f}) must be between 0 and round1 (£{round1:,.2f})")
    if not 0 <= round3 <= round2:
        raise ModelError(f"LM3 round3 (£{round3:,.2f}) must be between 0 and round2 (£{round2:,.2f})")
    return float(lm3_value(round1, round2, round3))


@dataclass(frozen=True)
class LM3Result:
    """An LM3 with its rounds and where each part came from.

    Attributes
    ----------
    rounds : Series
        ``round1``, ``round2``, ``round3`` (£).
    parts : DataFrame
        Rows ``staff`` and ``suppliers``; columns ``round2`` (£ spent locally) and
        ``respend_share`` (share of it re-spent locally) and ``source`` (``surveyed``,
        ``modelled`` or the case file's note).
    value : float
        The LM3.
    """

    rounds: pd.Series
    parts: pd.DataFrame
    value: float
    notes: Mapping[str, str] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """Rounds (£) with their source, and the LM3 (ratio) in the last row."""
        source = {
            "round1": "income",
            "round2": "local staff pay + local supplier spend",
            "round3": "; ".join(f"{k}: {v}" for k, v in self.parts["source"].items()),
        }
        frame = pd.DataFrame({"value": self.rounds, "unit": "£", "source": pd.Series(source)})
        frame.loc["lm3"] = [self.value, "ratio", "(R1 + R2 + R3) / R1"]
        return frame


def lm3_from_shares(
    income: float,
    local_staff_pay: float,
    local_supplier_spend: float,
    *,
    staff_respend_share: float,
    supplier_respend_share: float,
    staff_source: str = "surveyed",
    supplier_source: str = "surveyed",
) -> LM3Result:
    """LM3 from round-2 spending and the shares re-spent locally (survey or model).

    Parameters
    ----------
    income : float
        Round 1 (£).
    local_staff_pay, local_supplier_spend : float
        Round 2 parts (£): pay of staff who live locally; purchases from local suppliers.
    staff_respend_share, supplier_respend_share : float
        Shares in [0, 1] of those that staff and suppliers spend locally in turn.
    staff_source, supplier_source : str
        Where each share comes from (``"surveyed"``, ``"modelled"``, or a note).

    Returns
    -------
    LM3Result

    Raises
    ------
    ModelError
        Shares outside [0, 1], negative spending, or rounds out of bounds.
    """
    for name, share in (
        ("staff_respend_share", staff_respend_share),
        ("supplier_respend_share", supplier_respend_share),
    ):
        if not (np.isfinite(share) and 0 <= share <= 1):
            raise ModelError(f"LM3 {name} must be in [0, 1], got {share!r}")
    for name, value in (("local_staff_pay", local_staff_pay), ("local_supplier_spend", local_supplier_spend)):
        if not (np.isfinite(value) and value >= 0):
            raise ModelError(f"LM3 {name} must be a non-negative number of £, got {value!r}")
    parts = pd.DataFrame(
        {
            "round2": [local_staff_pay, local_supplier_spend],
            "respend_share": [staff_respend_share, supplier_respend_share],
            "source": [staff_source, supplier_source],
        },
        index=pd.Index(["staff", "suppliers"], name="part"),
    )
    r2 = float(parts["round2"].sum())
    r3 = float(
        lm3_rounds(income, local_staff_pay, local_supplier_spend, staff_respend_share, supplier_respend_share)[0]
    )
    value = lm3(float(income), r2, r3)
    return LM3Result(rounds=pd.Series([float(income), r2, r3], index=list(ROUNDS)), parts=parts, value=value)


def modelled_respend_shares(
    regional: IOTable,
    supplier_spend: pd.Series,
    *,
    closure: Closure = "household_income",
    household_income: float | None = None,
    resident_share: float | None = None,
) -> tuple[float, float]:
    """Shares of round 2 re-spent locally, estimated from a regional table.

    Parameters
    ----------
    regional : IOTable
        A regional table (e.g. :func:`kil_io.datasets.regional_iot`) with a ``households``
        column of *local* household consumption.
    supplier_spend : Series
        Local supplier spending by sector code (£), the weights of the supplier share.
    closure, household_income, resident_share
        As in :func:`kil_io.multipliers`: the household income the staff share is per £ of,
        and the share of suppliers' pay going to local residents.

    Returns
    -------
    staff_share : float
        Local household consumption per £ of household income in the region,
        ``sum(households) / Y`` (:func:`kil_io.model.closure.respend_share`).
    supplier_share : float
        Spend-weighted local intermediate purchases plus pay to local residents per £ of
        output, ``sum_i a^r_ij + s CoE_j / x_j``, of the sectors bought from.

    Raises
    ------
    LabelError
        Sector codes the table does not have.
    ModelError
        No supplier spending to weight by, or a share above 1.
    """
    unknown = sorted(set(map(str, supplier_spend.index)) - set(regional.sectors))
    if unknown:
        raise LabelError(f"table {regional.label}: supplier spending in unknown sectors {unknown[:5]}")
    weights = supplier_spend.groupby(level=0).sum().reindex(list(regional.sectors), fill_value=0.0).to_numpy(float)
    if regional.income.sum() <= 0:
        raise ModelError(f"table {regional.label}: no compensation of employees to spend")
    staff = respend_share(regional, closure=closure, household_income=household_income)
    share = resident_share_of(regional, resident_share)
    supplier = float(
        supplier_respend(weights[None, :], regional.A.sum(axis=0), regional.per_output(regional.income),
                         np.array([share]))[0]
    )  # fmt: skip
    shares = []
    for name, share in (("staff", staff), ("supplier", supplier)):
        # published tables round their cells: a sector whose output is all pay (T97) can come out a
        # hair above 1; anything further is a table that is not a local economy
        if not -SHARE_TOLERANCE <= share <= 1 + SHARE_TOLERANCE:
            raise ModelError(f"table {regional.label}: modelled {name} re-spend share {share:.3f} is outside [0, 1]")
        shares.append(min(max(share, 0.0), 1.0))
    return shares[0], shares[1]


def organisation_lm3(
    org: Organisation,
    regional_table: IOTable | None = None,
    *,
    survey: Mapping[str, Figure] | None = None,
    closure: Closure = "household_income",
    household_income: float | None = None,
    resident_share: float | None = None,
) -> LM3Result:
    """LM3 of an organisation: surveyed re-spend shares where given, modelled otherwise.

    Parameters
    ----------
    org : Organisation
        Round 1 is its income; round 2 its local staff pay and local supplier spending.
    regional_table : IOTable, optional
        For modelled shares; default :func:`kil_io.datasets.regional_iot` of the
        organisation's area and year.
    survey : mapping, optional
        ``staff_respend_share`` and/or ``supplier_respend_share`` figures from a survey.
    closure, household_income, resident_share
        As in :func:`modelled_respend_shares`.

    Returns
    -------
    LM3Result
        ``parts["source"]`` says for staff and suppliers whether the share was surveyed
        (with the survey's source note) or modelled.
    """
    if not isinstance(org, Organisation):
        inner = getattr(org, "organisation", None)
        if not isinstance(inner, Organisation):
            raise ModelError(f"{org!r} is not an organisation or contract case")
        survey = survey if survey is not None else getattr(org, "lm3_survey", None)
        org = inner
    survey = {k: v if isinstance(v, Figure) else Figure(v, "given") for k, v in (survey or {}).items()}
    unknown = sorted(set(survey) - {"staff_respend_share", "supplier_respend_share"})
    if unknown:
        raise ModelError(f"unknown LM3 survey shares {unknown}")
    if regional_table is None:
        regional_table = datasets.regional_iot(org.area, org.year, method=org.method, delta=org.delta)
    org = organisation_on(org, regional_table.sectors)[0]  # C254 -> C25 on 2023's table, as organisation_impact notes
    staff, supplier = modelled_respend_shares(
        regional_table, org.local_spend, closure=closure, household_income=household_income,
        resident_share=resident_share,
    )  # fmt: skip
    sources = {"staff": f"modelled from {regional_table.label.strip(chr(39))}", "supplier": ""}
    sources["supplier"] = sources["staff"]
    if "staff_respend_share" in survey:
        staff, sources["staff"] = (
            survey["staff_respend_share"].value,
            f"surveyed ({survey['staff_respend_share'].source})",
        )
    if "supplier_respend_share" in survey:
        fig = survey["supplier_respend_share"]
        supplier, sources["supplier"] = fig.value, f"surveyed ({fig.source})"
    return lm3_from_shares(
        org.income.value,
        org.local_staff_pay,
        float(org.local_spend.sum()),
        staff_respend_share=staff,
        supplier_respend_share=supplier,
        staff_source=sources["staff"],
        supplier_source=sources["supplier"],
    )
