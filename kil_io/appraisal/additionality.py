"""Gross to net additional impact, the way UK appraisal guidance asks for it.

The Additionality Guide (English Partnerships 2008, 3rd ed.; Homes and Communities Agency
2014, 4th ed.), which HM Treasury's Green Book and MHCLG's appraisal guide point to, writes
the net additional impact of an intervention as

.. math::

    AI = [GI (1 - L) (1 - D_p) (1 - S) M] - [GI^* (1 - L^*) (1 - D_p^*) (1 - S^*) M^*]

with gross impact ``GI``, leakage ``L`` (benefits going to people outside the target area),
displacement ``D_p`` (activity taken from other local firms), substitution ``S`` (a firm
swapping one activity for a subsidised one), multiplier ``M``, and the same for the
reference case (starred: what would happen anyway, the *deadweight*).

In kil_io the multiplier is the input-output model itself and is applied **once**: the
gross figures are already direct + indirect + induced (+ enabled) effects, component by
component, so :func:`net` adjusts each component and never multiplies by a composite
multiplier on top. The IO effects are linear in the direct activity, so adjusting every
component by the same rates is the guide's order (adjust the direct effect, then apply the
multiplier).

Every rate is an explicit argument, a float or an array (e.g. one value per Monte Carlo
draw): these are pure functions, vectorised with numpy broadcasting.

References
----------
English Partnerships (2008). *Additionality Guide: A standard approach to assessing the
additional impact of interventions*, 3rd ed., October 2008: ch. 3 (reference case, p. 13),
4.2 leakage (p. 17), 4.3 displacement (p. 21), 4.4 substitution (p. 23), 4.5 multipliers
(p. 24), 5.2 the calculation (p. 27).
Homes and Communities Agency (2014). *Additionality Guide*, 4th ed.: ch. 3 (reference
case, p. 17), 4.2 leakage (p. 22), 4.3 displacement (p. 28), 4.4 substitution (p. 31),
4.5 multipliers (p. 33), 5 calculating additionality (p. 37).
HM Treasury (2022). *The Green Book*; MHCLG (2016). *Appraisal Guide*.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np

from kil_io import datasets
from kil_io.appraisal.organisation import Figure
from kil_io.errors import CaseError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    FloatArray = NDArray[np.float64]

#: The rates of the gross-to-net step, in the guide's order.
RATES: tuple[str, ...] = ("leakage", "displacement", "substitution", "deadweight")


def net(
    gross: ArrayLike,
    *,
    leakage: ArrayLike = 0.0,
    displacement: ArrayLike = 0.0,
    substitution: ArrayLike = 0.0,
    reference: ArrayLike = 0.0,
) -> FloatArray | float:
    """Net additional impact: ``gross (1 - leakage) (1 - displacement) (1 - substitution) - reference``.

    Parameters
    ----------
    gross : float or array_like
        Gross impact, already including the multiplier (kil_io's IO effects) [FTE, £m, ...].
    leakage, displacement, substitution : float or array_like
        Shares in [0, 1], broadcast against ``gross`` (e.g. one per draw).
    reference : float or array_like
        The reference case's outcome, adjusted the same way (what would happen anyway; see
        :func:`reference_case`), in the unit of ``gross``.

    Returns
    -------
    float or ndarray
        Same unit as ``gross``; a float for scalar inputs.

    Raises
    ------
    CaseError
        A rate that is not a number in [0, 1], or a gross or reference that is not finite.

    References
    ----------
    English Partnerships (2008), *Additionality Guide*, 3rd ed., section 5.2, p. 27.

    Examples
    --------
    >>> net(100, leakage=0.1, displacement=0.25, substitution=0, reference=20)
    47.5
    """
    g = _finite(gross, "gross impact")
    ref = _finite(reference, "reference case")
    factor: FloatArray | float = 1.0
    for name, rate in (("leakage", leakage), ("displacement", displacement), ("substitution", substitution)):
        factor = factor * (1.0 - _rate(rate, name))
    out = g * factor - ref
    return float(out) if np.ndim(out) == 0 else out


def reference_case(
    gross: ArrayLike,
    *,
    deadweight: ArrayLike,
    leakage: ArrayLike = 0.0,
    displacement: ArrayLike = 0.0,
    substitution: ArrayLike = 0.0,
) -> FloatArray | float:
    """The reference case as a share of the gross (deadweight), adjusted like the intervention.

    ``net(deadweight * gross, leakage=..., displacement=..., substitution=...)``: the guide's
    ``GI* (1 - L*) (1 - Dp*) (1 - S*)`` with ``GI* = deadweight x GI`` and the intervention's
    own rates, the usual simplification when the reference case is the same activity on a
    smaller scale.

    Examples
    --------
    >>> reference_case(100, deadweight=0.2, displacement=0.25)
    15.0
    """
    gi = _finite(gross, "gross impact") * _rate(deadweight, "deadweight")
    return net(gi, leakage=leakage, displacement=displacement, substitution=substitution)


def net_additional(
    gross: ArrayLike,
    *,
    leakage: ArrayLike = 0.0,
    displacement: ArrayLike = 0.0,
    substitution: ArrayLike = 0.0,
    deadweight: ArrayLike = 0.0,
) -> FloatArray | float:
    """:func:`net` with the reference case a ``deadweight`` share of the gross (:func:`reference_case`).

    Equal to ``gross (1 - L) (1 - Dp) (1 - S) (1 - deadweight)``.

    Examples
    --------
    >>> net_additional(100, leakage=0.1, displacement=0.25, deadweight=0.2)
    54.0
    """
    rates = {"leakage": leakage, "displacement": displacement, "substitution": substitution}
    return net(gross, **rates, reference=reference_case(gross, deadweight=deadweight, **rates))


@dataclass(frozen=True)
class Rates:
    """The gross-to-net rates of a case, each a :class:`~kil_io.appraisal.organisation.Figure` with its source.

    Attributes
    ----------
    displacement, substitution, deadweight : Figure
        Shares in [0, 1].
    leakage : Figure or None
        Share of the benefits going to people outside the area; ``None`` (default): from
        commuting, component by component (1 minus the organisation's own staff local share
        for its direct jobs; 1 minus the area's resident share of workplace jobs for the
        rest, Census 2021).
    scenario : str
        The preset the rates start from (:func:`preset`), or ``"case file"``.
    """

    displacement: Figure
    substitution: Figure
    deadweight: Figure
    leakage: Figure | None = None
    scenario: str = "case file"

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "scenario" or value is None:
                continue
            if not isinstance(value, Figure):
                raise CaseError(f"additionality {f.name} must be a Figure (value and source), got {value!r}")
            if not 0 <= value.value <= 1:
                raise CaseError(f"additionality {f.name} must be a share in [0, 1], got {value.value!r}")

    def replace(self, **rates: Figure | None) -> Rates:
        """The same rates with some replaced (e.g. from a case file over a preset)."""
        unknown = sorted(set(rates) - set(RATES))
        if unknown:
            raise CaseError(f"unknown additionality rates {unknown}; known: {list(RATES)}")
        values = {name: getattr(self, name) for name in RATES} | rates
        return Rates(**values, scenario=self.scenario)

    def table(self) -> Mapping[str, tuple[float | None, str]]:
        """Rate -> (value or ``None`` for commuting, source): for reports."""
        out: dict[str, tuple[float | None, str]] = {}
        for name in RATES:
            fig = getattr(self, name)
            out[name] = (None, "from commuting (see Rates)") if fig is None else (fig.value, fig.source)
        return out


def preset(name: str = "central") -> Rates:
    """A preset scenario of rates from ``data/additionality_presets.csv``.

    Parameters
    ----------
    name : {"low", "central", "high"}
        ``low`` adjusts least (the highest net), ``high`` most.

    Returns
    -------
    Rates
        Each rate's source says whether it is taken from published guidance (publication,
        edition and page) or is a labelled assumption; leakage comes from commuting.

    Raises
    ------
    CaseError
        An unknown scenario (the message lists them).

    Examples
    --------
    >>> preset("central").displacement.value  # doctest: +SKIP
    0.25
    """
    frame = datasets.additionality_presets()
    if name not in set(frame["scenario"]):
        raise CaseError(f"unknown additionality scenario {name!r}; presets: {sorted(set(frame['scenario']))}")
    rows = frame[frame["scenario"] == name].set_index("rate")
    figures = {}
    for rate, row in rows.iterrows():
        if row["basis"] == "guidance":
            source = f"{row['source']}, {row['edition']}, p. {row['page']}: {row['note']}"
        else:
            where = f"{row['source']}, {row['edition']}, p. {row['page']}"
            source = f"assumption ({name} preset): {row['note']}; the rate as {where} defines it"
        figures[str(rate)] = None if row["value"] == "commuting" else Figure(float(row["value"]), source)
    return Rates(**figures, scenario=name)  # type: ignore[arg-type]


def _rate(value: ArrayLike, name: str) -> FloatArray:
    arr = np.asarray(value, dtype=np.float64) if _numeric(value) else np.array(np.nan)
    if not np.all(np.isfinite(arr)) or np.any((arr < 0) | (arr > 1)):
        raise CaseError(f"additionality {name} must be a share in [0, 1], got {value!r}")
    return arr


def _finite(value: ArrayLike, what: str) -> FloatArray:
    arr = np.asarray(value, dtype=np.float64) if _numeric(value) else np.array(np.nan)
    if not np.all(np.isfinite(arr)):
        raise CaseError(f"{what} must be a finite number, got {value!r}")
    return arr


def _numeric(value: object) -> bool:
    if isinstance(value, bool | str | bytes):
        return False
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        return False
    return arr.dtype.kind in "iuf"
