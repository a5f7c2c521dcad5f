"""A buyer in one authority, by place: what an organisation's spending and staff do in every GB authority.

:func:`~kil_io.regional.interregional.leakage.by_place` takes final demand *for an area's output*. An
organisation (or a provider delivering a contract) is a buyer instead: it sits in one authority, buys part
of each purchase there and the rest elsewhere, pays staff who live here and there, and has its own jobs
and value added where it works. :class:`Buyer` says so, and :func:`buyers_by_place` turns any number of
buyers in the same authority into :func:`by_place` frames, every buyer one right-hand side of one solve
per distance decay.

How a buyer's money is placed (``R`` authorities, the buyer in ``s``):

* a purchase of ``v`` [£m] of industry ``i`` with local share ``l`` is final demand ``l v`` for ``s``'s
  output of ``i`` and ``(1 - l) v`` for the other authorities' output, by ``s``'s own trade shares
  ``t[r <- s, i]`` (:func:`~kil_io.regional.interregional.gravity.trade_shares`: gravity in their output
  and distance). Nothing is bought abroad: every £ not local is a UK supplier's, so the rest of Great
  Britain's row is what it gets *if* the buyer's non-local suppliers are in Great Britain. Where ``s``
  makes none of ``i``, its local part goes by the trade shares too (and :attr:`Placed.notes` says so);
* staff pay ``w`` [£m] with local share ``l_w`` is household income of ``s``'s residents ``l_w w`` and of
  the others ``(1 - l_w) w`` in proportion to where ``s``'s commuters live (``P[h, s]``, ``h != s``);
  it is re-spent (Type II only), as any household income of theirs;
* the buyer's own output, GVA, pay [£m] and FTE [FTE] (:attr:`Buyer.direct`) are in ``s``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kil_io.errors import AreaError, LabelError, NonNumericError, RegionError
from kil_io.model.multipliers import Kind, check_kind
from kil_io.regional.interregional.gravity import BETA_RANGE, trade_shares
from kil_io.regional.interregional.leakage import EFFECTS, layout, table
from kil_io.regional.interregional.system import MEASURES

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kil_io.regional.interregional.economy import Interregional

    FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Buyer:
    """An organisation (or a provider) in one authority: its purchases, its staff's pay and its own figures.

    Attributes
    ----------
    name : str
    lines : tuple of (str, float, float)
        Its purchases: industry code, value [£m a year] and the share bought in its own authority [share].
    pay : float
        Its staff's pay (compensation of employees) [£m a year].
    pay_local_share : float
        Share of that pay going to staff living in its own authority [share].
    direct : mapping
        Its own ``output``, ``gva``, ``income`` (pay earned there) [£m] and ``fte`` [FTE], all in its authority.
    """

    name: str
    lines: tuple[tuple[str, float, float], ...] = ()
    pay: float = 0.0
    pay_local_share: float = 1.0
    direct: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Placed:
    """Buyers placed on a model: final demand (R, n, K) and household income (R, K) [£m], direct (K, 4), notes."""

    demand: FloatArray
    income: FloatArray
    direct: FloatArray
    notes: tuple[str, ...]


def place(model: Interregional, authority: int, buyers: Sequence[Buyer]) -> Placed:
    """Each buyer's purchases and pay as final demand and household income by authority (module notes).

    Parameters
    ----------
    model : Interregional
    authority : int
        The buyers' authority's position in the model.
    buyers : sequence of Buyer

    Raises
    ------
    LabelError
        An industry the national table does not have (named, with the buyer).
    NonNumericError, RegionError
        A value or share that is not a finite number, or a share outside [0, 1] (named, with the buyer).
    """
    R, n = model.system.shape
    K = len(buyers)
    f, g, direct = np.zeros((R, n, K)), np.zeros((R, K)), np.zeros((K, len(MEASURES)))
    t = trade_shares(model.system.decay, model.system.groups, model.system.supply, authority)
    at = {c: i for i, c in enumerate(model.sectors)}
    home = model.system.commuting[:, authority].copy()
    home[authority] = 0.0
    notes: list[str] = []
    place_name = model.names[authority]
    for k, b in enumerate(buyers):
        for code, value, share in b.lines:
            i = at.get(str(code))
            if i is None:
                table = model.about.get("national_table", "the national table")
                raise LabelError(f"{b.name}: buys industry '{code}', which {table} does not have (its codes: "
                                 f"{list(model.sectors[:3])} ...)")  # fmt: skip
            value, share = _number(value, f"{b.name}: purchases of '{code}'"), _share(share, f"{b.name}: '{code}'")
            local = share * value
            if model.system.supply[authority, i] <= 0 and local != 0:
                notes.append(f"{b.name}: {place_name} makes no '{code}' ({model.sector_names[i]}); the £{local:.3f}m "
                             "said to be bought there is placed on the other authorities by trade shares")  # fmt: skip
                local = 0.0
            f[authority, i, k] += local
            if t[:, i].sum() > 0:
                f[:, i, k] += (value - local) * t[:, i]
            elif value - local > 0:
                notes.append(f"{b.name}: no other authority makes '{code}'; its £{value - local:.3f}m bought outside "
                             f"{place_name} is left out")  # fmt: skip
        pay = _number(b.pay, f"{b.name}: staff pay")
        share = _share(b.pay_local_share, f"{b.name}: staff local share")
        g[authority, k] = share * pay
        if home.sum() > 0:
            g[:, k] += (1 - share) * pay * home / home.sum()
        for m, value in b.direct.items():
            if m not in MEASURES:
                raise LabelError(f"{b.name}: direct figure {m!r} is not one of {list(MEASURES)}")
            direct[k, MEASURES.index(m)] = _number(value, f"{b.name}: direct {m}", negative=True)
    return Placed(demand=f, income=g, direct=direct, notes=tuple(dict.fromkeys(notes)))


def buyers_by_place(
    model: Interregional,
    area: Any,
    buyers: Sequence[Buyer],
    kind: Kind = "type_ii",
    *,
    betas: Sequence[float] = BETA_RANGE,
) -> list[pd.DataFrame]:
    """Each buyer's effects by place (the frame of :func:`~kil_io.regional.interregional.leakage.by_place`).

    Parameters
    ----------
    model : Interregional
    area : str or Area
        One authority: where the buyers are.
    buyers : sequence of Buyer
    kind : {"type_i", "type_ii"}
        Type I: direct and supply chains (staff pay is not re-spent); Type II: and households' re-spending,
        the staff's included, where they live.
    betas : sequence of float
        Distance decays over which each row's range is taken [ratio].

    Returns
    -------
    list of DataFrame
        One per buyer, in order: rows and columns as :func:`by_place`, the ``own`` row holding the buyer's
        direct figures too. ``attrs``: ``buyer``, ``kind``, ``region``, ``betas``, ``summary`` and ``notes``
        (what was placed elsewhere than the buyer said, or left out), and the model's ``about``.

    Raises
    ------
    AreaError
        A group of authorities (a buyer is in one), or an area not in the model.
    LabelError, NonNumericError, RegionError
        See :func:`place`.

    Examples
    --------
    >>> m = kil_io.interregional.model()  # doctest: +SKIP
    >>> care = Buyer("care home", lines=(("N81", 0.1, 0.8),), pay=0.6, pay_local_share=0.8,
    ...              direct={"output": 1.0, "gva": 0.65, "income": 0.6, "fte": 20})  # doctest: +SKIP
    >>> buyers_by_place(m, "Calderdale", [care])[0]  # doctest: +SKIP
    """
    kind = check_kind(kind)
    where = layout(model, area)
    if len(where.inside) != 1:
        raise AreaError(f"{where.label}: a buyer is in one authority, not a group of {len(where.inside)}; give the "
                        "authority its premises are in")  # fmt: skip
    s = int(where.inside[0])
    runs = [model] + [model.with_beta(b) for b in dict.fromkeys(betas) if float(b) != model.about.get("beta")]
    values: list[FloatArray] = []
    notes: list[str] = []
    for run in runs:
        placed = place(run, s, buyers)
        notes += placed.notes
        income = placed.income if kind == "type_ii" else None
        x = run.system.solve(placed.demand, kind, income).x  # (R, n, K)
        by = np.einsum("mj,rjk->krm", run.system.direct, x)  # (K, R, measure)
        by[:, s, :] += placed.direct
        values.append(by[:, :, [MEASURES.index(m) for m in EFFECTS]])
    stacked = np.stack(values, axis=1)  # (K, run, R, measure)
    out = []
    for k, b in enumerate(buyers):
        frame = table(model, where, stacked[k])
        frame.attrs.update(dict(model.about))
        frame.attrs.update(buyer=b.name, kind=kind, area=where.label, betas=[float(r.about["beta"]) for r in runs],
                           notes=list(dict.fromkeys(n for n in notes if n.startswith(f"{b.name}:"))))  # fmt: skip
        frame.attrs["region"] = where.region_label
        out.append(frame)
    return out


def _number(value: object, what: str, *, negative: bool = False) -> float:
    real = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_)
    if not real or not np.isfinite(float(value)):  # type: ignore[arg-type]
        raise NonNumericError(f"{what} is {value!r}, not a finite number")
    if not negative and float(value) < 0:  # type: ignore[arg-type]
        raise RegionError(f"{what} is {float(value):g}; it must be >= 0")  # type: ignore[arg-type]
    return float(value)  # type: ignore[arg-type]


def _share(value: object, what: str) -> float:
    share = _number(value, what)
    if share > 1:
        raise RegionError(f"{what} share is {share:g}; a share is between 0 and 1")
    return share
