r"""The appraisal model: an organisation's local jobs, GVA, income and LM3, for one draw or many at once.

This is the one place the appraisal's formulas are written. :func:`evaluate` works on arrays
with one row per draw; the deterministic result (:func:`kil_io.organisation_impact`,
:func:`kil_io.appraisal.appraise`) is the same function at one draw, and a Monte Carlo
simulation (:mod:`kil_io.uncertainty`) the same function at thousands.

With a regional table's Type I effects ``E = v' L`` (4 x n: output, GVA, pay per unit of final
demand and FTE per £1m), household consumption ``C``, a draw's closure income ``Y``, resident
share ``s``, local spend ``f`` (by sector), local staff pay ``w``, hosted turnover ``g`` and the
induced loop ``k = s (E_{pay} \cdot C) / Y``:

.. math::

    \text{indirect} = E f, \qquad
    \text{induced} = (E C) \frac{s\, E_{pay} \cdot f + w}{Y (1 - k)}, \qquad
    \text{enabled} = E g + (E C) \frac{s\, E_{pay} \cdot g}{Y (1 - k)}

(the hosted businesses' own FTE replace ``V g``'s), the direct component is the organisation's
own FTE, staff costs plus surplus (GVA) and local staff pay plus the surplus kept locally
(local income); net = gross x (1 - leakage) x (1 - displacement) x (1 - substitution) x
(1 - deadweight), component by component (:func:`kil_io.appraisal.additionality.net_additional`).
LM3 = (R1 + R2 + R3) / R1 with R2 the local staff pay and local supplier spend and R3 what
they re-spend locally (:func:`lm3_rounds`).

References
----------
Miller & Blair (2009), *Input-Output Analysis*, 2nd ed., sections 6.2-6.3; English Partnerships
(2008), *Additionality Guide*, 3rd ed., section 5.2; Sacks (2002), *The Money Trail* (LM3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kil_io.appraisal.additionality import net_additional
from kil_io.errors import ModelError
from kil_io.model.closure import household_effect, household_income_total
from kil_io.model.multipliers import direct_coefficients, type_i_effects
from kil_io.model.units import pounds_per_unit

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    from kil_io.model.table import IOTable

    FloatArray = NDArray[np.float64]

OUTPUT, GVA, PAY, FTE = 0, 1, 2, 3
#: Components of an organisation's impact, in order (the total is their sum).
COMPONENTS: tuple[str, ...] = ("direct", "indirect", "induced", "enabled")
#: Measures of an organisation's impact, with their units.
MEASURES: dict[str, str] = {"fte": "FTE", "gva": "£m", "local_income": "£m"}
#: Totals of :meth:`Evaluation.totals`, with their units.
TOTALS: dict[str, str] = {
    "fte": "FTE",
    "fte_net": "FTE",
    "gva": "£m",
    "gva_net": "£m",
    "local_income": "£m",
    "local_income_net": "£m",
    "lm3": "£ per £1 of income",
}
#: Totals of a provider of a contract: :data:`TOTALS` and the £m of the contract spent in the area (round 2).
PROVIDER_TOTALS: dict[str, str] = {**TOTALS, "local_spend": "£m"}
#: Rounding allowance for modelled re-spend shares: published tables round their cells, so a sector whose
#: output is all pay (T97) can come out a hair above 1; anything further is not a local economy.
SHARE_TOLERANCE = 1e-3


@dataclass(frozen=True, eq=False)
class EffectTables:
    """An area's regional table at K values of delta, as the appraisal formulas need it (read-only arrays).

    Attributes
    ----------
    deltas : ndarray, shape (K,)
        The FLQ delta of each table [ratio].
    E : ndarray, shape (K, 4, n)
        Type I effects per unit of final demand: output, GVA and pay [table unit per table unit], FTE
        [FTE per table unit].
    C : ndarray, shape (K, n)
        Local household consumption [table unit].
    purchases : ndarray, shape (K, n)
        Local intermediate purchases per unit of output (column sums of the regional ``A``) [share].
    V : ndarray, shape (4, n)
        Direct coefficients per unit of output (the same at every delta).
    EC : ndarray, shape (K, 4)
        Type I effects of the households' whole consumption, ``E C``.
    spent : ndarray, shape (K,)
        The households' local consumption, ``sum(C)`` [table unit].
    household_income, resident_share : float
        The table's closure income ``Y`` [table unit] and resident share ``s`` [share].
    label : str
    unit : float
        Pounds per table unit (1e6 for a table in £m) [£].
    """

    deltas: FloatArray
    E: FloatArray
    C: FloatArray
    purchases: FloatArray
    V: FloatArray
    EC: FloatArray
    spent: FloatArray
    household_income: float
    resident_share: float
    label: str
    unit: float = 1e6

    def index(self, deltas: ArrayLike) -> NDArray[np.intp]:
        """Position of each (rounded) delta in :attr:`deltas`."""
        d = np.asarray(deltas, dtype=np.float64)
        pos = np.minimum(np.searchsorted(self.deltas, d), len(self.deltas) - 1)
        if not np.all(np.abs(self.deltas[pos] - d) <= 1e-12):
            raise ValueError("a delta without its table")  # internal: tables are made for the draws' deltas
        return pos


def effect_tables(table: IOTable, *, delta: float | None = None) -> EffectTables:
    """The :class:`EffectTables` of one table (K = 1): one transposed solve with the table's LU.

    Parameters
    ----------
    table : IOTable
        A regional (or national) table with employment and households.
    delta : float, optional
        The delta the table was made with [ratio]; default the table's metadata's (0 if none).

    Raises
    ------
    ModelError
        A table without employment or households.
    """
    if table.employment is None:
        raise ModelError(f"table {table.label} has no employment; organisation impacts need FTE")
    C = np.asarray(table.households, dtype=np.float64)
    E = type_i_effects(table)
    d = float(delta if delta is not None else table.metadata.get("delta", 0.0) or 0.0)
    income = household_income_total(table) if table.household_income is not None else float("nan")
    return EffectTables(
        deltas=np.array([d]),
        E=E[None, :, :],
        C=C[None, :],
        purchases=table.A.sum(axis=0)[None, :],
        V=np.asarray(direct_coefficients(table)),
        EC=(E @ C)[None, :],
        spent=np.array([C.sum()]),
        household_income=income,
        resident_share=float(table.resident_share),
        label=table.label,
        unit=pounds_per_unit(table.units, what=f"table {table.label}"),
    )


@dataclass(frozen=True, eq=False)
class OrgDraws:
    """An organisation's inputs for D draws (arrays of shape (D,), or (D, lines)).

    Money in £; ``spend_sector`` and ``enterprise_sector`` hold each line's sector position in
    the table. ``staff_respend`` is a surveyed staff re-spend share, used by the induced effects
    and LM3 alike (``None``: the closure's); ``supplier_respend`` a surveyed supplier re-spend
    share (``None``: modelled).
    """

    income: FloatArray
    staff_fte: FloatArray
    staff_costs: FloatArray
    staff_local_share: FloatArray
    surplus: FloatArray
    surplus_local_share: FloatArray
    spend_value: FloatArray
    spend_local_share: FloatArray
    spend_sector: NDArray[np.intp]
    enterprise_fte: FloatArray
    enterprise_turnover: FloatArray
    enterprise_sector: NDArray[np.intp]
    additionality: FloatArray
    staff_respend: FloatArray | None = None
    supplier_respend: FloatArray | None = None


@dataclass(frozen=True, eq=False)
class RateDraws:
    """Gross-to-net rates for D draws [share]; ``leakage`` ``None``: from commuting (as in ``Rates``)."""

    displacement: FloatArray
    substitution: FloatArray
    deadweight: FloatArray
    leakage: FloatArray | None = None


#: Rows of :attr:`Evaluation.parts`: the induced and enabled components split by where they come from.
PARTS: tuple[str, ...] = ("induced: staff", "induced: supply chain", "enabled: own", "enabled: spillover")
#: Rows of :attr:`Evaluation.lm3`.
LM3_PARTS: tuple[str, ...] = ("round1", "staff_round2", "supplier_round2", "staff_share", "supplier_share", "lm3")


@dataclass(frozen=True, eq=False)
class Evaluation:
    """What :func:`evaluate` computes for D draws (read-only arrays).

    Attributes
    ----------
    gross, net : ndarray, shape (D, 3, 4)
        Measures :data:`MEASURES` (FTE [FTE], workplace GVA [£m], local income [£m]) by component
        :data:`COMPONENTS`.
    rates : ndarray, shape (D, 4, 4)
        Leakage, displacement, substitution and deadweight [share] by component (local income is
        never adjusted for leakage: it is residents' income already).
    parts : ndarray, shape (D, 4, 2)
        :data:`PARTS` x (FTE [FTE], GVA [£m]).
    lines : ndarray, shape (D, 2, L)
        The indirect FTE [FTE] and GVA [£m] of each spending line (its local spend through the
        local Type I effects).
    lm3 : ndarray, shape (D, 6)
        :data:`LM3_PARTS`: rounds [£], re-spend shares [share] and the LM3 [£ per £1 of income].
    local_spend : ndarray, shape (D,)
        Round 2: local staff pay and local supplier spend [£m].
    """

    gross: FloatArray
    net: FloatArray
    rates: FloatArray
    parts: FloatArray
    lines: FloatArray
    lm3: FloatArray
    local_spend: FloatArray

    def totals(self) -> dict[str, FloatArray]:
        """:data:`PROVIDER_TOTALS` -> ndarray (D,): gross and net totals, LM3 and the local spend."""
        out: dict[str, FloatArray] = {}
        for m, measure in enumerate(MEASURES):
            out[measure] = self.gross[:, m].sum(axis=1)
            out[f"{measure}_net"] = self.net[:, m].sum(axis=1)
        out["lm3"] = self.lm3[:, LM3_PARTS.index("lm3")]
        out["local_spend"] = self.local_spend
        return out


def lm3_value(round1: ArrayLike, round2: ArrayLike, round3: ArrayLike) -> FloatArray:
    """NEF's Local Multiplier 3, ``(R1 + R2 + R3) / R1`` [£ per £1 of income] (vectorised; rounds in £)."""
    r1 = np.asarray(round1, dtype=np.float64)
    return (r1 + np.asarray(round2, dtype=np.float64) + np.asarray(round3, dtype=np.float64)) / r1


def lm3_rounds(
    income: ArrayLike,
    staff_round2: ArrayLike,
    supplier_round2: ArrayLike,
    staff_share: ArrayLike,
    supplier_share: ArrayLike,
) -> tuple[FloatArray, FloatArray]:
    """NEF's LM3 from round 1 and round 2's parts and the shares of them re-spent locally (vectorised).

    Parameters
    ----------
    income : array_like
        Round 1 [£].
    staff_round2, supplier_round2 : array_like
        Pay of staff who live locally; purchases from local suppliers [£].
    staff_share, supplier_share : array_like
        Shares of them re-spent locally in turn [share].

    Returns
    -------
    round3 : ndarray
        ``staff_round2 * staff_share + supplier_round2 * supplier_share`` [£].
    lm3 : ndarray
        ``(R1 + R2 + R3) / R1`` [£ per £1 of income].

    References
    ----------
    Sacks, J. (2002). *The Money Trail*. New Economics Foundation.
    """
    staff, suppliers = np.asarray(staff_round2, dtype=np.float64), np.asarray(supplier_round2, dtype=np.float64)
    r3 = staff * np.asarray(staff_share, dtype=np.float64) + suppliers * np.asarray(supplier_share, dtype=np.float64)
    return r3, lm3_value(income, staff + suppliers, r3)


def supplier_respend(
    weights: FloatArray, purchases: FloatArray, pay: FloatArray, resident_share: FloatArray
) -> FloatArray:
    """Modelled share of local supplier spend re-spent locally, ``sum_j w_j (a_j + s pay_j) / sum_j w_j`` (vectorised).

    Parameters
    ----------
    weights : ndarray, shape (D, L)
        Local spend of each line, the weights [any money unit].
    purchases, pay : ndarray, shape (D, L) or (L,)
        The line's sector's local intermediate purchases and pay per unit of output [share].
    resident_share : ndarray, shape (D,)
        Share of local pay going to residents [share].

    Returns
    -------
    ndarray, shape (D,)
        [share]; 0 where there is no local supplier spend.
    """
    total = weights.sum(axis=1)
    per_output = (weights * (purchases + resident_share[:, None] * pay)).sum(axis=1)
    return np.divide(per_output, total, out=np.zeros_like(total), where=total > 0)


def per_household_income(tables: EffectTables, k: ArrayLike, household_income: ArrayLike, resident_share: ArrayLike
                         ) -> FloatArray:  # fmt: skip
    """Induced effects per unit of income paid to local households, ``(E C) / (Y (1 - k))`` (D, 4) (vectorised).

    Parameters
    ----------
    tables : EffectTables
    k : array_like of int, shape (D,)
    household_income, resident_share : array_like, shape (D,)
        ``Y`` [table unit] and ``s`` [share].

    Returns
    -------
    ndarray, shape (D, 4)
        Output, GVA and pay [table unit] and FTE [FTE] per table unit of local household income, all rounds.

    Raises
    ------
    NotProductiveError
        ``k = s (E_pay . C) / Y >= 1``: households would re-spend without end.
    """
    EC = tables.EC[np.asarray(k, dtype=np.intp)]
    Y = np.asarray(household_income, dtype=np.float64)[:, None]
    s = np.asarray(resident_share, dtype=np.float64)[:, None]
    return household_effect(EC, EC[:, PAY : PAY + 1], Y, s, label=tables.label)


def _modelled_share(share: FloatArray, what: str, label: str) -> FloatArray:
    bad = (share < -SHARE_TOLERANCE) | (share > 1 + SHARE_TOLERANCE)
    if np.any(bad):
        raise ModelError(f"table {label}: modelled {what} re-spend share {float(share[bad][0]):.3f} is outside [0, 1]")
    return np.clip(share, 0.0, 1.0)


def evaluate(
    tables: EffectTables,
    k: ArrayLike,
    org: OrgDraws,
    rates: RateDraws,
    household_income: ArrayLike,
    resident_share: ArrayLike,
) -> Evaluation:
    """Gross and net FTE, workplace GVA and local income by component, and LM3, of each draw.

    Parameters
    ----------
    tables : EffectTables
    k : array_like of int, shape (D,)
        Each draw's table (its delta) in ``tables``.
    org : OrgDraws
    rates : RateDraws
    household_income, resident_share : array_like, shape (D,)
        The closure's ``Y`` [table unit, £m for shipped tables] and ``s`` [share]; with a surveyed
        staff re-spend share, ``Y`` is the one that gives it (``sum(C) / share``).

    Returns
    -------
    Evaluation

    Raises
    ------
    NotProductiveError
        A draw whose household closure is not productive (``k >= 1``).
    ModelError
        A modelled re-spend share outside [0, 1].

    Notes
    -----
    Only the columns of ``E`` that the spending lines and hosted businesses buy from are
    gathered per draw: (D, 4, lines), never (D, 4, n).
    """
    k = np.asarray(k, dtype=np.intp)
    V, unit = tables.V, tables.unit
    s = np.asarray(resident_share, dtype=np.float64)
    spent = tables.spent[k]  # (D,)
    Y = np.asarray(household_income, dtype=np.float64) if org.staff_respend is None else spent / org.staff_respend
    induced_per = per_household_income(tables, k, Y, s)  # (D, 4): all rounds of £1 of local household income
    to_m = np.array([unit / 1e6] * 3 + [1.0])  # money rows (output, GVA, pay) in £m; FTE as it is

    spend_local = org.spend_value * org.spend_local_share  # (D, lines), £
    f = spend_local / unit
    E_lines = tables.E[:, :, org.spend_sector][k]  # (D, 4, lines)
    by_line = f[:, None, :] * E_lines
    Ef = by_line.sum(axis=2)  # indirect, (D, 4)
    w = org.staff_costs * org.staff_local_share / unit
    supply_induced = (s * Ef[:, PAY])[:, None] * induced_per
    staff_induced = w[:, None] * induced_per

    g = org.enterprise_turnover / unit
    Eg = np.einsum("dl,dml->dm", g, tables.E[:, :, org.enterprise_sector][k])
    Vg = g @ V[:, org.enterprise_sector].T  # (D, 4)
    own = Vg.copy()
    own[:, FTE] = org.enterprise_fte.sum(axis=1)
    spill = Eg - Vg + (s * Eg[:, PAY])[:, None] * induced_per
    Ef, supply_induced, staff_induced, own, spill = (x * to_m for x in (Ef, supply_induced, staff_induced, own, spill))
    induced, enabled = supply_induced + staff_induced, own + spill

    kept = org.surplus * org.surplus_local_share
    gross = np.stack(
        [
            np.stack([org.staff_fte, Ef[:, FTE], induced[:, FTE], enabled[:, FTE]], axis=1),
            np.stack([(org.staff_costs + org.surplus) / 1e6, Ef[:, GVA], induced[:, GVA], enabled[:, GVA]], axis=1),
            np.stack([(org.staff_costs * org.staff_local_share + kept) / 1e6, s * Ef[:, PAY], s * induced[:, PAY],
                      s * enabled[:, PAY]], axis=1),
        ],
        axis=1,
    )  # fmt: skip
    D = gross.shape[0]
    ones = np.ones(D)
    leakage = (
        np.stack([1.0 - org.staff_local_share, 1.0 - s, 1.0 - s, 1.0 - s], axis=1)
        if rates.leakage is None
        else np.repeat(np.asarray(rates.leakage, dtype=np.float64)[:, None] * ones[:, None], 4, axis=1)
    )
    deadweight = np.stack([rates.deadweight * ones] * 3 + [1.0 - org.additionality], axis=1)
    rate_table = np.stack(
        [leakage, np.repeat((rates.displacement * ones)[:, None], 4, axis=1),
         np.repeat((rates.substitution * ones)[:, None], 4, axis=1), deadweight],
        axis=1,
    )  # fmt: skip
    net = np.empty_like(gross)
    for m, measure in enumerate(MEASURES):
        net[:, m] = net_additional(
            gross[:, m], leakage=0.0 if measure == "local_income" else leakage,
            displacement=rate_table[:, 1], substitution=rate_table[:, 2], deadweight=deadweight,
        )  # fmt: skip

    staff_pay = org.staff_costs * org.staff_local_share
    suppliers = spend_local.sum(axis=1)
    if org.staff_respend is None:
        staff_share = _modelled_share(spent / Y, "staff", tables.label)
    else:
        staff_share = np.asarray(org.staff_respend, dtype=np.float64)
    if org.supplier_respend is None:
        purchases = tables.purchases[:, org.spend_sector][k]  # (D, lines)
        supplier_share = _modelled_share(
            supplier_respend(f, purchases, V[PAY, org.spend_sector], s), "supplier", tables.label
        )
    else:
        supplier_share = np.asarray(org.supplier_respend, dtype=np.float64) * ones
    _, lm3 = lm3_rounds(org.income, staff_pay, suppliers, staff_share, supplier_share)
    parts = np.stack(
        [staff_induced[:, [FTE, GVA]], supply_induced[:, [FTE, GVA]], own[:, [FTE, GVA]], spill[:, [FTE, GVA]]], axis=1
    )
    lines = by_line[:, [FTE, GVA], :] * np.array([1.0, unit / 1e6])[None, :, None]
    return Evaluation(
        gross=gross,
        net=net,
        rates=rate_table,
        parts=parts,
        lines=lines,
        lm3=np.stack([org.income * ones, staff_pay * ones, suppliers, staff_share * ones, supplier_share, lm3], axis=1),
        local_spend=(staff_pay + suppliers) / 1e6,
    )
