r"""The local impact of an organisation for many draws at once: :func:`kil_io.organisation_impact` vectorised.

The formulas are those of :func:`kil_io.appraisal.impact.organisation_impact` and
:func:`kil_io.appraisal.lm3.organisation_lm3`, written over arrays with one row per draw,
for the draws that share one regional table (one delta, :class:`DeltaTables`). With the
table's Type I effects ``E`` (4 x n), household consumption ``C``, a draw's closure income
``Y``, resident share ``s``, local spend ``f`` (£m by sector), local staff pay ``w`` and
hosted turnover ``g``, and ``k = s (E_pay . C) / Y``:

.. math::

    \text{indirect} = E f, \quad
    \text{induced} = (E C) \frac{s\, E_{pay} \cdot f + w}{Y (1 - k)}, \quad
    \text{enabled} = V g + (E - V) g + (E C) \frac{s\, E_{pay} \cdot g}{Y (1 - k)}

(with the hosted businesses' own FTE in place of ``V g``'s), and net = gross x (1 - leakage)
x (1 - displacement) x (1 - substitution) x (1 - deadweight), component by component.
:mod:`tests.test_uncertainty` checks these against the one-draw functions, draw by draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kil_io.errors import NotProductiveError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kil_io.uncertainty.tables import DeltaTables

    FloatArray = NDArray[np.float64]

OUTPUT, GVA, PAY, FTE = 0, 1, 2, 3
#: The totals :func:`evaluate` returns for an organisation, with their units.
TOTALS: dict[str, str] = {
    "fte": "FTE",
    "fte_net": "FTE",
    "gva": "£m",
    "gva_net": "£m",
    "local_income": "£m",
    "local_income_net": "£m",
    "lm3": "£ per £1 of income",
}
#: The totals of a provider of a contract: :data:`TOTALS` and the £m of the contract spent in the area (round 2).
PROVIDER_TOTALS: dict[str, str] = {**TOTALS, "local_spend": "£m"}


@dataclass(frozen=True, eq=False)
class OrgDraws:
    """An organisation's inputs for D draws (arrays of shape (D,), or (D, lines); money in £).

    ``spend_sector`` and ``enterprise_sector`` hold each line's sector position in the table.
    ``supplier_respend`` is a surveyed supplier re-spend share (``None``: modelled);
    ``staff_respend`` a surveyed staff re-spend share, used by the induced effects and LM3
    alike (``None``: the closure's).
    """

    income: FloatArray
    staff_fte: FloatArray
    staff_costs: FloatArray
    staff_local_share: FloatArray
    surplus: FloatArray
    surplus_local_share: FloatArray
    spend_value: FloatArray
    spend_local_share: FloatArray
    spend_sector: np.ndarray
    enterprise_fte: FloatArray
    enterprise_turnover: FloatArray
    enterprise_sector: np.ndarray
    additionality: FloatArray
    staff_respend: FloatArray | None = None
    supplier_respend: FloatArray | None = None


@dataclass(frozen=True, eq=False)
class RateDraws:
    """Gross-to-net rates for D draws; ``leakage`` ``None``: from commuting (as in ``Rates``)."""

    displacement: FloatArray
    substitution: FloatArray
    deadweight: FloatArray
    leakage: FloatArray | None = None


def evaluate(
    tables: DeltaTables,
    k: np.ndarray,
    org: OrgDraws,
    rates: RateDraws,
    household_income: FloatArray,
    resident_share: FloatArray,
) -> dict[str, FloatArray]:
    """Total gross and net FTE, workplace GVA (£m), local income (£m) and LM3 of each draw.

    Parameters
    ----------
    tables : DeltaTables
    k : ndarray of int, shape (D,)
        Each draw's table (its delta) in ``tables``.
    org : OrgDraws
    rates : RateDraws
    household_income, resident_share : ndarray, shape (D,)
        The closure's ``Y`` (£m) and ``s``; with a surveyed staff re-spend share, ``Y`` is
        the one that gives it (``sum(C) / share``), as :func:`kil_io.organisation_impact` does.

    Returns
    -------
    dict
        :data:`TOTALS` -> ndarray (D,).

    Raises
    ------
    NotProductiveError
        A draw whose household closure is not productive (``k >= 1``).

    Notes
    -----
    Only the columns of ``E`` that the spending lines and hosted businesses buy from are
    gathered per draw: (D, 4, lines), never (D, 4, n).
    """
    V, s = tables.V, resident_share
    EC, spent = tables.EC[k], tables.spent[k]  # (D, 4), (D,)
    Y = household_income if org.staff_respend is None else spent / org.staff_respend
    loop = s * EC[:, PAY] / Y
    if np.any(~(loop < 1.0 - 1e-9)):
        raise NotProductiveError(
            f"table {tables.label}: a draw's household closure is not productive (one round returns "
            f"£{float(np.max(loop)):.4g} per £1 of household income); check the ranges of the household income "
            "and the resident share"
        )
    per_income = 1.0 / (Y * (1.0 - loop))  # (D,)

    spend_local = org.spend_value * org.spend_local_share  # (D, lines), £
    f = spend_local / 1e6
    w = org.staff_costs * org.staff_local_share / 1e6
    Ef = np.einsum("dl,dml->dm", f, tables.E[:, :, org.spend_sector][k])  # indirect, (D, 4)
    induced = ((s * Ef[:, PAY] + w) * per_income)[:, None] * EC

    g = org.enterprise_turnover / 1e6
    Eg = np.einsum("dl,dml->dm", g, tables.E[:, :, org.enterprise_sector][k])
    Vg_fte = g @ V[FTE, org.enterprise_sector]
    enabled = Eg + ((s * Eg[:, PAY]) * per_income)[:, None] * EC  # own (V g) + spillover (E g - V g + induced)
    enabled_fte = enabled[:, FTE] - Vg_fte + org.enterprise_fte.sum(axis=1)

    kept = org.surplus * org.surplus_local_share
    gross = {
        "fte": np.stack([org.staff_fte, Ef[:, FTE], induced[:, FTE], enabled_fte]),
        "gva": np.stack([(org.staff_costs + org.surplus) / 1e6, Ef[:, GVA], induced[:, GVA], enabled[:, GVA]]),
        "local_income": np.stack(
            [(org.staff_costs * org.staff_local_share + kept) / 1e6, s * Ef[:, PAY], s * induced[:, PAY],
             s * enabled[:, PAY]]
        ),
    }  # fmt: skip
    keep = (1.0 - rates.displacement) * (1.0 - rates.substitution)
    deadweight = np.stack([rates.deadweight] * 3 + [1.0 - org.additionality])
    if rates.leakage is None:
        leakage = np.stack([1.0 - org.staff_local_share] + [1.0 - s] * 3)
    else:
        leakage = np.stack([rates.leakage] * 4)
    out = {}
    for measure, parts in gross.items():
        leak = 0.0 if measure == "local_income" else leakage
        out[measure] = parts.sum(axis=0)
        out[f"{measure}_net"] = (parts * (1.0 - leak) * keep * (1.0 - deadweight)).sum(axis=0)

    staff_pay = org.staff_costs * org.staff_local_share
    suppliers = spend_local.sum(axis=1)
    staff_share = spent / Y if org.staff_respend is None else org.staff_respend
    if org.supplier_respend is None:
        weights = f.sum(axis=1)
        purchases = tables.purchases[:, org.spend_sector][k]  # (D, lines)
        per_output = (f * (purchases + s[:, None] * V[PAY, org.spend_sector])).sum(axis=1)
        supplier_share = np.divide(per_output, weights, out=np.zeros_like(weights), where=weights > 0)
        supplier_share = np.clip(supplier_share, 0.0, 1.0)
    else:
        supplier_share = org.supplier_respend
    round3 = staff_pay * np.clip(staff_share, 0.0, 1.0) + suppliers * supplier_share
    out["lm3"] = (org.income + staff_pay + suppliers + round3) / org.income
    out["local_spend"] = (staff_pay + suppliers) / 1e6
    return out
