"""What drives a headline's range: one-at-a-time swings (a tornado) and shares of the variance.

:func:`tornado` moves one uncertain input at a time to the 5th and then the 95th percentile
of its distribution, every other input at its value, and re-evaluates the model (exactly,
not from the draws). :func:`variance_shares` estimates each input's share of the
headline's variance from the draws themselves: the squared correlation of input and
headline, which for independent inputs and a model linear in them is exactly the input's
first-order share (its sum over inputs is then 1; below 1 the model is not linear in them).

References
----------
Saltelli, A. et al. (2008). *Global Sensitivity Analysis: The Primer*, Wiley: sections
1.2.5 (standardised regression coefficients) and 4.1 (first-order indices).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kil_io.errors import CaseError
from kil_io.uncertainty.simulate import LEVEL, Simulation, _quantiles, run_chunk, with_tables
from kil_io.uncertainty.tables import round_delta


def _headline(sim: Simulation, headline: str) -> str:
    if headline not in sim.draws.columns:
        raise CaseError(f"no headline {headline!r}; simulated: {list(sim.draws.columns)}")
    return headline


def tornado(sim: Simulation, headline: str = "fte", *, level: float = LEVEL, top: int | None = None) -> pd.DataFrame:
    """The headline with one input at a time at the ends of its range (its 5th and 95th percentiles).

    Parameters
    ----------
    sim : Simulation
    headline : str
        A column of ``sim.draws`` (e.g. ``"fte"``, ``"gva_net"``, ``"lm3"``).
    level : float
        0.9: the 5th and 95th percentiles of each input.
    top : int, optional
        Keep the inputs with the largest swings only.

    Returns
    -------
    DataFrame
        Index input (largest swing first); columns ``input_low``, ``input_high`` (the input's
        percentiles), ``at_low``, ``at_high`` (the headline with the input there, all else
        at its value), ``swing`` (``at_high - at_low``), ``central`` and ``unit``.
    """
    headline = _headline(sim, headline)
    plan = sim.plan
    drawn = plan.drawn
    if not drawn:
        raise CaseError(f"case '{sim.case}': no uncertain inputs, so nothing drives a range")
    q = _quantiles(level)
    base = np.array([i.value for i in drawn])
    rows = np.repeat(base[None, :], 2 * len(drawn), axis=0)
    ends = np.empty((len(drawn), 2))
    for j, i in enumerate(drawn):
        ends[j] = i.spread.ppf(np.array(q), i.mode)  # type: ignore[union-attr]
        if i.name == "model.delta":
            ends[j] = round_delta(ends[j])
        rows[2 * j, j], rows[2 * j + 1, j] = ends[j]
    names = [i.name for i in drawn]
    if "model.delta" in names:
        rows[:, names.index("model.delta")] = round_delta(rows[:, names.index("model.delta")])
    values = run_chunk(with_tables(plan, [rows]), rows)[:, list(plan.central.index).index(headline)]
    frame = pd.DataFrame(
        {
            "input_low": ends[:, 0],
            "input_high": ends[:, 1],
            "at_low": values[0::2],
            "at_high": values[1::2],
        },
        index=pd.Index(names, name="input"),
    )
    frame.insert(0, "label", [i.label for i in drawn])
    frame["swing"] = frame["at_high"] - frame["at_low"]
    frame["central"] = float(sim.central[headline])
    frame["unit"] = str(sim.units[headline])
    frame = frame.reindex(frame["swing"].abs().sort_values(ascending=False).index)
    return frame.head(top) if top else frame


def variance_shares(sim: Simulation, headline: str = "fte", *, top: int | None = None) -> pd.DataFrame:
    """Each uncertain input's share of the headline's variance, from the draws.

    Returns
    -------
    DataFrame
        Index input (largest share first); columns ``share`` (squared correlation of the
        input's draws with the headline's: its first-order share of the variance for a
        model linear in independent inputs), ``correlation`` (its sign says the direction)
        and ``explained`` (the sum of the shares over all inputs, the same on every row: near 1
        when the model is close to linear in its inputs).
    """
    headline = _headline(sim, headline)
    y = sim.draws[headline].to_numpy()
    X = sim.inputs.to_numpy()
    if X.shape[1] == 0 or np.std(y) == 0:
        return pd.DataFrame(columns=["label", "share", "correlation", "explained"], index=pd.Index([], name="input"))
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    sx = np.sqrt((Xc**2).sum(axis=0))
    r = np.divide(Xc.T @ yc, sx * np.sqrt((yc**2).sum()), out=np.zeros(X.shape[1]), where=sx > 0)
    labels = {i.name: i.label for i in sim.plan.drawn}
    frame = pd.DataFrame(
        {"label": [labels[c] for c in sim.inputs.columns], "share": r**2, "correlation": r},
        index=pd.Index(sim.inputs.columns, name="input"),
    )
    frame["explained"] = float((r**2).sum())
    frame = frame.sort_values("share", ascending=False)
    return frame.head(top) if top else frame


def drivers(sim: Simulation, headline: str = "fte", *, top: int = 10) -> pd.DataFrame:
    """The tornado and the variance shares of a headline side by side (largest swing first)."""
    swings = tornado(sim, headline, top=top)
    shares = variance_shares(sim, headline)
    return swings.join(shares[["share"]].rename(columns={"share": "variance_share"}))
