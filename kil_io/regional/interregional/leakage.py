"""Where the leakage goes: a shock's effects by place, the area itself, its region, its neighbours, the rest.

A single-region table says what stays in an area; :func:`by_place` says where the rest goes, in rows a
reader can name: the area, each other authority of its combined authority (or ITL2 region where it has
none), each neighbour outside it, the rest of Great Britain, and the total, which is the national table's
effect. Each row carries a range over the distance decay ``beta`` (:data:`~.gravity.BETA_RANGE`): the
split between places moves with it, the total does not. :func:`sentence` is the line for a brief.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kil_io.model.multipliers import Kind, check_kind
from kil_io.regional.interregional.gravity import BETA_RANGE

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kil_io.regional.interregional.economy import Interregional

    FloatArray = NDArray[np.float64]

#: Effect columns of :func:`by_place`, each with ``_low`` and ``_high`` over the decay range.
EFFECTS: tuple[str, ...] = ("output", "gva", "fte", "income")
#: Row roles of :func:`by_place`, in order.
ROLES: tuple[str, ...] = ("own", "region", "neighbour", "rest", "total")
#: Name of the row of every authority not named otherwise.
REST = "Rest of Great Britain"


def by_place(
    model: Interregional,
    area: Any,
    demand: Mapping[str, float] | pd.Series,
    kind: Kind = "type_i",
    *,
    betas: Sequence[float] = BETA_RANGE,
) -> pd.DataFrame:
    """Effects of final demand for an area's output, by place: own, region, neighbours, rest, total.

    Parameters
    ----------
    model : Interregional
    area : str, Area or list
        An authority or a group (:meth:`Interregional.effects`).
    demand : mapping or Series
        Industry code -> final demand [£m].
    kind : {"type_i", "type_ii"}
    betas : sequence of float
        Distance decays over which each row's range is taken (default :data:`~.gravity.BETA_RANGE`,
        0.6-1.5 around kil_io's 1.0) [ratio].

    Returns
    -------
    DataFrame
        One row per place: ``place`` (its name), ``role`` (:data:`ROLES`: ``own``; ``region``, another
        authority of the area's combined authority or ITL2 region; ``neighbour``, an authority next to it
        outside that; ``rest``, every other GB authority; ``total``, all of them), ``codes`` (its
        authorities), ``output``, ``gva``, ``income`` [£m], ``fte`` [FTE] at the model's ``beta``, and
        ``<measure>_low``, ``<measure>_high`` over ``betas``. ``attrs``: those of
        :meth:`Interregional.effects`, with ``region`` (the region's name or None) and ``betas``.

    Examples
    --------
    >>> m = kil_io.interregional.model()  # doctest: +SKIP
    >>> by_place(m, "Calderdale", {"Q87 & Q88": 1.0}, kind="type_ii")  # doctest: +SKIP
    """
    kind = check_kind(kind)
    where = layout(model, area)
    central = model.effects(area, demand, kind)
    others = [float(b) for b in dict.fromkeys(betas) if float(b) != model.about.get("beta")]
    runs = [central] + [model.with_beta(b).effects(area, demand, kind) for b in others]
    values = np.stack([r[list(EFFECTS)].to_numpy() for r in runs])  # (run, authority, measure)
    out = table(model, where, values)
    summary = out.attrs["summary"]
    out.attrs.update(central.attrs)
    out.attrs.update(region=where.region_label, betas=[float(b) for b in dict.fromkeys(betas)], summary=summary)
    return out


@dataclass(frozen=True, eq=False)
class Layout:
    """An area's places in a model: its authorities, its region's others, its neighbours and the rest (positions)."""

    label: str
    inside: list[int]
    region_label: str | None
    region: list[int]
    neighbours: list[int]
    rest: list[int]


def layout(model: Interregional, area: Any) -> Layout:
    """Where an area's effects are named: itself, its combined authority or ITL2 region, its neighbours, the rest.

    Raises
    ------
    AreaError
        An area that is not in the model (:meth:`Interregional.members`).
    """
    label, where = model.members(area)
    inside = sorted(int(k) for k in where)
    region_label, region = None, []
    if model.region is not None:
        found = model.region(tuple(model.codes[k] for k in inside))
        if found is not None:
            region_label = found[0]
            at = {c: k for k, c in enumerate(model.codes)}
            region = [at[c] for c in found[1] if c in at and at[c] not in set(inside)]
    near = np.flatnonzero(model.neighbours[inside].any(axis=0))
    neighbours = [int(k) for k in near if k not in set(inside) and k not in region]
    named = set(inside) | set(region) | set(neighbours)
    rest = [k for k in range(len(model.codes)) if k not in named]
    return Layout(label, inside, region_label, region, neighbours, rest)


def table(model: Interregional, where: Layout, values: FloatArray) -> pd.DataFrame:
    """The rows of :func:`by_place` from effects by run (decay), authority and measure (:data:`EFFECTS`).

    ``values[0]`` is the central run; each row's range is over the runs. ``attrs["summary"]``: the brief's
    three places (``own``, ``region``, ``elsewhere``), each ``[central, low, high]`` by measure, the range
    taken over the runs of the place as a whole (not of its rows).
    """
    groups: list[tuple[str, str, list[int]]] = [(where.label, "own", where.inside)]
    order = np.argsort(-values[0, :, EFFECTS.index("fte")], kind="stable")  # biggest first within a role
    for role, members in (("region", where.region), ("neighbour", where.neighbours)):
        groups += [(model.names[k], role, [int(k)]) for k in order if k in set(members)]
    groups += [(REST, "rest", where.rest), ("Total", "total", list(range(len(model.codes))))]
    rows = []
    for place, role, members in groups:
        summed = values[:, members, :].sum(axis=1)  # (run, measure)
        row: dict[str, Any] = {"place": place, "role": role, "codes": tuple(model.codes[k] for k in members)}
        for j, m in enumerate(EFFECTS):
            row[m] = float(summed[0, j])
            row[f"{m}_low"], row[f"{m}_high"] = float(summed[:, j].min()), float(summed[:, j].max())
        rows.append(row)
    out = pd.DataFrame(rows)
    parts = {"own": where.inside, "region": where.region, "elsewhere": where.neighbours + where.rest}
    out.attrs["summary"] = {
        m: {p: [float(values[0, k, j].sum()), float(values[:, k, j].sum(axis=1).min()),
                float(values[:, k, j].sum(axis=1).max())] for p, k in parts.items()}
        for j, m in enumerate(EFFECTS)
    }  # fmt: skip
    return out


def sentence(frame: pd.DataFrame, measure: str = "fte") -> str:
    """The brief's line of a :func:`by_place` frame: how much in the area, its region and the rest.

    Examples
    --------
    >>> sentence(by_place(m, "Calderdale", {"Q87 & Q88": 1.0}))  # doctest: +SKIP
    'About 17 FTE in Calderdale, 0.3 (0.2-0.4) elsewhere in West Yorkshire Combined Authority and ...'
    """
    unit = frame.attrs.get("units", {}).get(measure, "")
    summary = frame.attrs["summary"][measure]

    def part(place: str) -> str:
        mid, low, high = summary[place]
        if _figure(low) == _figure(high):
            return _figure(mid)
        return f"{_figure(mid)} ({_figure(low)}-{_figure(high)})"

    own = frame.loc[frame["role"] == "own", "place"].iloc[0]
    text = f"About {part('own')} {unit} in {own}"
    if frame.attrs.get("region") is not None and (frame["role"] == "region").any():
        text += f", {part('region')} elsewhere in {frame.attrs['region']}"
    return text + f" and {part('elsewhere')} elsewhere in Great Britain"


def _figure(value: float) -> str:
    """A figure as a brief states it: whole numbers from 10, one decimal below."""
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:.1f}"
