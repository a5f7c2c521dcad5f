"""Where an appraised organisation's or provider's jobs are: its effects by GB authority (``Appraisal.by_place``).

The local table says what stays in the case's area; the interregional model of every Great Britain
authority (:func:`kil_io.datasets.interregional.model`) says where the rest goes. Each entity of the
appraisal (the organisation, or each provider delivering the contract) is a
:class:`~kil_io.regional.interregional.purchases.Buyer` in the case's authority, at every input's value:

* its spending lines, each with its local share (the rest bought from other authorities by the area's
  trade shares), and a provider's head-office overheads as purchases of head-office services (``M70``)
  from outside the area;
* its hosted businesses' turnover, as sales of the area's output of their industry (their own FTE in
  place of the model's FTE per £ of that output, as in the enabled component);
* its staff's pay, to residents of the area by its staff local share and the rest where the area's
  commuters live, re-spent there (Type II);
* its own FTE, GVA (staff costs + surplus), pay and output (its income), in the area.

The result is one frame (:data:`COLUMNS`) in the appraisal, each row with its range over the distance
decay (:data:`kil_io.regional.interregional.BETA_RANGE`). The GB model is built once per process and
kind of table (:func:`kil_io.datasets.interregional.model` is cached), so a batch of cases shares it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from kil_io.datasets import interregional
from kil_io.errors import KilIOError
from kil_io.regional.interregional.leakage import EFFECTS
from kil_io.regional.interregional.purchases import Buyer, buyers_by_place

if TYPE_CHECKING:
    from kil_io.appraisal.model import OrgDraws
    from kil_io.model.multipliers import Kind

#: Industry of a provider's head-office overheads (activities of head offices).
HEAD_OFFICE = "M70"
#: Kind of the by-place figures: with households' re-spending, as the appraisal's gross totals.
KIND: Kind = "type_ii"
#: Rows of the brief's line (after the places themselves): the rest of the area's region, everywhere else.
SUMMARY_ROLES: tuple[str, ...] = ("in region", "elsewhere")
#: Columns of ``Appraisal.by_place``.
COLUMNS: tuple[str, ...] = ("entity", "place", "role", "codes",
                            *(f"{m}{s}" for m in EFFECTS for s in ("", "_low", "_high")))  # fmt: skip


def buyer_of(name: str, draws: OrgDraws, sectors: Sequence[str], *, fte_per_output: Sequence[float],
             overheads: float = 0.0) -> Buyer:  # fmt: skip
    """An entity at one draw (the first) as a :class:`Buyer` (money from £ to £m).

    Parameters
    ----------
    name : str
    draws : OrgDraws
        Its inputs (the central draw first).
    sectors : sequence of str
        The table's industries (``draws`` hold positions in it).
    fte_per_output : sequence of float
        FTE per £1m of output of each industry in the interregional model [FTE per £1m], to swap the
        model's FTE of hosted businesses' turnover for their own.
    overheads : float
        A provider's head-office overheads [£ a year].
    """
    spend = zip(draws.spend_sector, draws.spend_value[0], draws.spend_local_share[0], strict=True)
    lines = [(sectors[i], float(v) / 1e6, float(s)) for i, v, s in spend]
    turnover = draws.enterprise_turnover[0] / 1e6
    lines += [(sectors[i], float(t), 1.0) for i, t in zip(draws.enterprise_sector, turnover, strict=True)]
    if overheads > 0:
        lines.append((HEAD_OFFICE, overheads / 1e6, 0.0))
    hosted = float(draws.enterprise_fte[0].sum()) - float(
        sum(fte_per_output[i] * t for i, t in zip(draws.enterprise_sector, turnover, strict=True))
    )
    staff_costs, surplus = float(draws.staff_costs[0]), float(draws.surplus[0])
    return Buyer(
        name=name, lines=tuple(lines), pay=staff_costs / 1e6, pay_local_share=float(draws.staff_local_share[0]),
        direct={"output": float(draws.income[0]) / 1e6, "gva": (staff_costs + surplus) / 1e6,
                "income": staff_costs / 1e6, "fte": float(draws.staff_fte[0]) + hosted},
    )  # fmt: skip


def by_place(
    area: str,
    entities: Sequence[tuple[str, OrgDraws, float]],
    sectors: Sequence[str],
    *,
    year: int,
    national_year: int,
    method: str,
    delta: float,
) -> tuple[pd.DataFrame | None, tuple[str, ...]]:
    """Every entity's effects by place, as one frame, and what a reader must know about them.

    Parameters
    ----------
    area : str
        The case's area (one GB authority).
    entities : sequence of (name, OrgDraws, overheads)
        The organisation or the providers, each with its head-office overheads [£ a year].
    sectors : sequence of str
        The case's table's industries.
    year, national_year, method, delta
        The case's local table's: the GB model is built on the same.

    Returns
    -------
    frame : DataFrame or None
        :data:`COLUMNS`, one row per entity and place (``role`` as :func:`kil_io.interregional.by_place`'s:
        ``own``, ``region``, ``neighbour``, ``rest``, ``total``), then per entity the brief's
        :data:`SUMMARY_ROLES` (``place`` the region's name, or "Great Britain"), each range over the runs of the
        place as a whole. ``output``, ``gva``, ``income`` [£m], ``fte`` [FTE]. None where the area has no
        interregional model (a group of authorities, Northern Ireland), the notes saying why.
    notes : tuple of str
    """
    try:
        model = interregional.model(year, national_year=national_year, method=method, delta=delta)  # type: ignore[arg-type]
        missing = [s for s in sectors if s not in model.sectors]
        if missing:
            return None, (f"no effects by place: the case's industries {missing[:3]} are not the GB model's",)
        fte = model.system.direct[3]
        per_output = [float(fte[model.sectors.index(s)]) for s in sectors]
        buyers = [buyer_of(n, d, sectors, fte_per_output=per_output, overheads=o) for n, d, o in entities]
        frames = buyers_by_place(model, area, buyers, KIND)
    except KilIOError as exc:
        return None, (f"no effects by place: {exc}",)
    rows = []
    for (name, _, _), frame in zip(entities, frames, strict=True):
        part = frame.assign(entity=name, codes=[" ".join(c) for c in frame["codes"]])
        rows += part.to_dict("records")
        summary = frame.attrs["summary"]
        region = frame.attrs.get("region")
        for role, key, place in (("in region", "region", region), ("elsewhere", "elsewhere", "Great Britain")):
            if place is None:
                continue
            row: dict[str, object] = {"entity": name, "place": place, "role": role, "codes": ""}
            for m in EFFECTS:
                row[m], row[f"{m}_low"], row[f"{m}_high"] = summary[m][key]
            rows.append(row)
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    out.index = pd.RangeIndex(len(out), name="row")
    about = frames[0].attrs
    betas = about["betas"]
    notes = [
        (f"Effects by place: the interregional model of {about['authorities']} Great Britain authorities (employment "
         f"{about['year']}, {about['national_table']}), Type II, distance decay {about['beta']:g}, ranges over "
         f"{min(betas):g}-{max(betas):g}; purchases not made locally are bought from other GB authorities by "
         "gravity (none abroad), staff pay not earned by residents goes where the area's commuters live"
         + (", a provider's head-office overheads are head-office services (M70) bought outside the area"
            if any(o > 0 for _, _, o in entities) else "")),
        *dict.fromkeys(n for f in frames for n in f.attrs.get("notes", ())),
    ]  # fmt: skip
    return out, tuple(notes)
