r"""The local jobs, GVA and income a council's spend with local suppliers supports, and what a shift would add.

From a spend over £500 ledger (:func:`kil_io.records.procurement.read_procurement`), each payment is
placed in the industry it buys from (:mod:`kil_io.records.spend_categories`) and its local part
(the share of its supplier's place in the area) becomes final demand for that industry in the area's
regional table (:func:`kil_io.datasets.regional_iot`). The council's spend is an organisation with no
staff of its own in scope, whose spending lines are its categories: the **one appraisal model**
(:func:`kil_io.appraisal.model.evaluate`, through :func:`kil_io.appraisal.appraise`) gives its
effects, never a formula written again here. For local spend ``f`` by industry,

- *indirect* (Type I): the local suppliers' own jobs, GVA and pay and those of their local supply
  chains, ``E f`` with ``E = v' L`` of the local table;
- *induced* (Type II): local households' re-spending of the pay of residents among them, with the
  household closure the appraisal uses (households' total income ``Y``, resident share ``s``);
- *net additional*: gross less leakage (``1 - s``: pay of in-commuters), displacement, substitution
  and deadweight (:mod:`kil_io.appraisal.additionality`; the central preset, labelled assumptions).

Local income is the pay of residents (``s`` x pay), never adjusted for leakage. Payments in no
industry (grants, refunds, unknown expense types) stay in the ledger's local share but are not
followed through the table; the result lists them with their £.

A **shift** (:mod:`kil_io.records.spend_shifts`) moves a share of chosen categories' non-local spend
to local suppliers; the extra jobs, GVA and income are the shifted ledger's less today's. Ranges are
the 5th to 95th percentiles of the model over draws of delta (how much local suppliers buy locally),
the resident share, households' income and the gross-to-net rates
(:mod:`kil_io.appraisal.defaults`), seeded and in chunks as :mod:`kil_io.uncertainty.simulate` draws
them; today and the shift see the *same* draws, so the extra is a paired difference.

References
----------
Miller & Blair (2009), *Input-Output Analysis*, 2nd ed., sections 2.3 and 6.2-6.3; English
Partnerships (2008), *Additionality Guide*, 3rd ed., section 5.2; CLES and Preston City Council (2019),
*How we built community wealth in Preston* (spend analysis weighted by £).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kil_io import datasets
from kil_io._version import __version__
from kil_io.appraisal.casestudy import CaseStudy, case_on
from kil_io.appraisal.central import appraise, case_inputs
from kil_io.appraisal.inputs import Input, constant, organisation_draws, rate_draws, values_of
from kil_io.appraisal.model import effect_tables, evaluate
from kil_io.appraisal.organisation import Figure, Organisation, Spend
from kil_io.appraisal.result import Headline, Range
from kil_io.errors import CaseError, ModelError, RecordsError
from kil_io.limits import excerpt
from kil_io.records.spend_categories import UNMAPPED, Rule, category_label, place
from kil_io.records.spend_ledger import floats, ledger, placements, unmapped, unplaced
from kil_io.records.spend_result import MEASURES, SpendImpact
from kil_io.records.spend_shifts import ShiftSpec, resolve_shifts
from kil_io.records.tables import MAX_LISTED, Problem
from kil_io.regional.quotients import DEFAULT_DELTA

# the appraisal's words for a central figure off the middle of its range
from kil_io.uncertainty.ranged import _off_centre as off_centre
from kil_io.uncertainty.simulate import LEVEL, MIN_DRAWS, Simulation, combine, plan_chunks, prepare, run_chunk

if TYPE_CHECKING:
    from kil_io.appraisal.result import Appraisal
    from kil_io.datasets import Area
    from kil_io.model.table import IOTable
    from kil_io.records.procurement import Procurement

#: Draws :func:`spend_impact` takes unless told: enough for the 5th and 95th percentiles to two figures.
DRAWS = 10_000
#: The organisation the council's spend is appraised as: its own staff and surplus are not in the ledger.
NOT_IN_SCOPE = "not in scope: the council's own staff and accounts are not in a spend ledger"
#: Headline labels (``headline.json`` keys) of today's figures and of the shift's extra.
TODAY_LABELS: dict[str, str] = {
    "fte": "Local jobs supported by today's local spend (FTE)",
    "fte_net": "Net additional local jobs, today's local spend (FTE)",
    "gva": "Local GVA supported by today's local spend (£m)",
    "gva_net": "Net additional local GVA, today's local spend (£m)",
    "local_income": "Local income from today's local spend (£m)",
    "local_income_net": "Net additional local income, today's local spend (£m)",
}
EXTRA_LABELS: dict[str, str] = {
    "fte": "Extra local jobs with the shift (FTE)",
    "fte_net": "Extra net additional local jobs with the shift (FTE)",
    "gva": "Extra local GVA with the shift (£m)",
    "gva_net": "Extra net additional local GVA with the shift (£m)",
    "local_income": "Extra local income with the shift (£m)",
    "local_income_net": "Extra net additional local income with the shift (£m)",
}
#: Components of the council's spend's effects, as :attr:`SpendImpact.components` lists them.
COMPONENTS: tuple[str, ...] = ("indirect", "induced", "total")


@dataclass(frozen=True)
class _Line:
    category: str
    sector: str
    spend: float
    local: float
    shifted: float
    payments: int
    source: str


def spend_impact(
    procurement: Procurement,
    *,
    area: str | Area | None = None,
    year: int | None = None,
    table: IOTable | None = None,
    rules: Sequence[Rule] = (),
    shifts: Sequence[ShiftSpec] = (),
    draws: int | None = DRAWS,
    seed: int | None = None,
    level: float = LEVEL,
    title: str = "",
) -> SpendImpact:
    """The local FTE, workplace GVA and local income a council's local spend supports, and a shift's extra.

    Parameters
    ----------
    procurement : Procurement
        The ledger, read for the area (:func:`kil_io.records.procurement.read_procurement`).
    area : str or Area, optional
        The area of the regional table; default the ledger's.
    year : int, optional
        BRES year of the regional table; default the latest shipped for the area (or ``table``'s).
    table : IOTable, optional
        The area's regional table, if already built (a table of your own needs ``year`` and
        ``draws=0``: the draws re-make a shipped area's table at each delta).
    rules : sequence of Rule
        A council's own words -> categories (:func:`kil_io.records.spend_categories.read_rules`), tried
        before kil_io's.
    shifts : sequence of ShiftSpec
        The scenario (:func:`kil_io.records.spend_shifts.shifts_from_text` or ``read_shifts``); none: today only.
    draws : int or None
        Monte Carlo draws (at least :data:`~kil_io.uncertainty.MIN_DRAWS`); ``None`` or 0: no ranges.
    seed : int, optional
        The same seed gives the same ranges.
    level : float
        The ranges' coverage [share]: 0.9 for the 5th to 95th percentile.
    title : str
        For reports; default "<area>: the council's spend with local suppliers".

    Returns
    -------
    SpendImpact

    Raises
    ------
    RecordsError
        No payment in any industry; a category whose payments net to £0 or less, or whose local
        spend is outside 0 to its spend (credit notes); a SIC code or category the table lacks; a
        shift naming nothing in the ledger (each naming the file, row, column and value).
    CaseError
        Fewer than the fewest draws, or a table of your own without ``year``.

    Examples
    --------
    >>> ledger = read_procurement("spend_over_500.csv", local_area("Leeds"))  # doctest: +SKIP
    >>> result = spend_impact(ledger, shifts=shifts_from_text(["Home care=0.25"]), seed=2026)  # doctest: +SKIP
    >>> result.figure("extra: fte").range  # doctest: +SKIP
    """
    if draws and draws < MIN_DRAWS:
        raise CaseError(f"draws must be a whole number >= {MIN_DRAWS} (or 0 for no ranges), got {draws!r}")
    if table is None:
        where = datasets.area(area if area is not None else procurement.area.name)
        year = int(year) if year is not None else int(max(datasets.employment_years(where)))
        table = datasets.regional_iot(where, year)
    elif year is None and table.year is None:
        raise CaseError(f"table {table.label} has no year: give the BRES year its employment is of (year=...)")
    year = int(year if year is not None else table.year)  # type: ignore[arg-type]
    names = dict(zip(table.sectors, table.names, strict=True))
    pay = procurement.payments.rename(columns={"category": "category_given"})
    pay = pay.join(place(procurement.payments, table.sectors, rules=rules, path=procurement.path))
    shift_table, moved = resolve_shifts(shifts, pay, names) if shifts else (None, np.zeros(len(pay)))
    pay["local_shifted"] = pay["local"] + moved * (1.0 - pay["local"])
    lines = _lines(pay, procurement)
    title = title or f"{procurement.area.name}: the council's spend with local suppliers"
    today_case = _case(lines, "local", title, procurement.area.name, year, table)
    shift_case = _case(lines, "shifted", title, procurement.area.name, year, table) if shift_table is not None else None
    today = appraise(today_case, table=table)
    shifted = appraise(shift_case, table=table) if shift_case is not None else None
    components = _components(today, shifted)
    per_line = _per_line(today_case, table, shift_case)
    ranges = _ranges(today_case, shift_case, table, components, draws, seed, level) if draws else None
    headline = _headline(
        procurement, components, ranges, pay, shift=shifted is not None, draws=int(draws or 0), level=level
    )
    return SpendImpact(
        title=title, area=today.area, area_code=today.area_code, year=year, national_year=today.national_year,
        method=today.method, delta=today.delta, ledger=ledger(procurement, pay), table=dict(today.table),
        headline=headline, categories=_categories(lines, per_line, names), unmapped=unmapped(pay),
        placements=placements(pay), service_areas=floats(procurement.by_service_area),
        suppliers=floats(procurement.top_suppliers()), unplaced=unplaced(procurement), components=components,
        shifts=shift_table, ranges=ranges, inputs=_inputs(today, shift_table), multipliers=today.multipliers,
        draws=int(draws or 0), seed=seed, level=float(level), notes=_notes(procurement, pay, today, shift_table),
        version=__version__,
    )  # fmt: skip


def _lines(pay: pd.DataFrame, procurement: Procurement) -> list[_Line]:
    """The spending lines: one per category in an industry, largest spend first; credit-note problems raised."""
    mapped = pay[pay["category"] != UNMAPPED]
    if not len(mapped):
        kinds = excerpt(sorted(pay["expense_type"].unique()))
        raise RecordsError(
            f"{procurement.path}: no payment is in an industry kil_io knows (expense types {kinds}): give the "
            "council's own words for them (kil-io spend-impact --categories FILE: columns words, category) or a "
            "category or SIC column in the ledger"
        )
    frame = mapped.assign(local_spend=mapped["amount"] * mapped["local"],
                          shifted_spend=mapped["amount"] * mapped["local_shifted"])  # fmt: skip
    groups = frame.groupby(["category", "sector"], sort=False)
    problems, out = [], []
    for (category, sector), g in sorted(groups, key=lambda item: -float(item[1]["amount"].sum())):
        spend, local, shifted = (float(g[c].sum()) for c in ("amount", "local_spend", "shifted_spend"))
        pad = 1e-9 * abs(spend) + 0.005
        if spend <= 0 or not (-pad <= local <= spend + pad) or not (-pad <= shifted <= spend + pad):
            problems.append(Problem(
                procurement.path, int(g["row"].min()), "amount", None,
                f"the {len(g)} '{category}' payments (rows {excerpt(list(g['row']))}) net to £{spend:,.2f}, of which "
                f"£{local:,.2f} with local suppliers: credit notes exceed the spending they correct; check their signs",
            ))  # fmt: skip
            continue
        kinds = _listed(g["expense_type"])
        source = (
            f"records: {procurement.path.name}, {len(g)} payment(s) ({kinds}); local share by £ from the suppliers' "
            "postcodes"
        )
        out.append(_Line(str(category), str(sector), spend, min(max(local, 0.0), spend),
                         min(max(shifted, 0.0), spend), len(g), source))  # fmt: skip
    if problems:
        lines = [str(p) for p in problems[:MAX_LISTED]]
        raise RecordsError("\n  ".join([f"{procurement.path}: {len(problems)} category(ies) net to no spending",
                                        *lines]))  # fmt: skip
    return out


def _listed(values: pd.Series, most: int = 4) -> str:
    """``'Home care', 'Day care' and 2 more``: a few of the ledger's own words, quoted."""
    distinct = sorted({str(v) for v in values})
    shown = ", ".join(repr(v) for v in distinct[:most])
    return shown + (f" and {len(distinct) - most} more" if len(distinct) > most else "")


def _case(lines: list[_Line], which: str, title: str, area: str, year: int, table: IOTable) -> CaseStudy:
    """The council's spend as an organisation case: no staff in scope, its categories its spending lines."""
    method = str(table.metadata.get("method", "flq"))
    delta = float(table.metadata.get("delta", DEFAULT_DELTA))
    spending = tuple(
        Spend(line.sector, line.spend, (line.local if which == "local" else line.shifted) / line.spend, line.source,
              line.category)
        for line in lines
    )  # fmt: skip
    total = sum(line.spend for line in lines)
    zero = Figure(0.0, NOT_IN_SCOPE)
    org = Organisation(
        name="Spend with suppliers", area=area, year=year,
        income=Figure(total, "records: the ledger's spend placed in an industry (the spending lines' total)"),
        staff_fte=zero, staff_costs=zero, staff_local_share=zero, surplus=zero, spending=spending,
        method=method, delta=delta,  # type: ignore[arg-type]
    )  # fmt: skip
    return CaseStudy(name="council_spend", kind="organisation", title=title, area=area, year=year,
                     method=method, delta=delta, organisation=org)  # type: ignore[arg-type]  # fmt: skip


def _components(today: Appraisal, shifted: Appraisal | None) -> pd.DataFrame:
    """(scenario, component) x measures, from the appraisals' own figures."""
    frames = {"today": today.organisation.figures.loc[list(COMPONENTS), list(MEASURES)]}  # type: ignore[union-attr]
    if shifted is not None:
        frames["shifted"] = shifted.organisation.figures.loc[list(COMPONENTS), list(MEASURES)]  # type: ignore[union-attr]
        frames["extra"] = frames["shifted"] - frames["today"]
    out = pd.concat(frames, names=["scenario", "component"])
    return out.astype(float)


def _per_line(today: CaseStudy, table: IOTable, shifted: CaseStudy | None) -> dict[str, dict[str, np.ndarray]]:
    """Each spending line's totals alone (scenario -> measure -> (lines,)): the model with one line per 'draw'.

    The model is linear in the lines' local spend, so the lines' totals add up to the whole; each is
    :func:`~kil_io.appraisal.model.evaluate` with every other line's spend set to nothing.
    """
    out = {}
    for scenario, case in (("today", today), ("shifted", shifted)):
        if case is None:
            continue
        case = case_on(case, table.sectors)[0]
        org = case.organisation
        assert org is not None
        n = len(org.spending)
        values = values_of(case_inputs(case, table))
        get = constant(values, size=n)
        draws = organisation_draws(org, get, table.sectors)
        draws = replace(draws, spend_value=draws.spend_value * np.eye(n))
        ev = evaluate(effect_tables(table, delta=case.delta), np.zeros(n, dtype=np.intp), draws,
                      rate_draws(get, values), get("model.household_income"), get("model.resident_share"))  # fmt: skip
        out[scenario] = {m: v for m, v in ev.totals().items() if m in MEASURES}
    return out


def _ranges(
    today: CaseStudy,
    shifted: CaseStudy | None,
    table: IOTable,
    components: pd.DataFrame,
    draws: int,
    seed: int | None,
    level: float,
) -> pd.DataFrame:
    """Every figure's range over the same draws for today and the shift (:mod:`kil_io.uncertainty.simulate`)."""
    plan, chunks = plan_chunks(today, draws, seed, table=table)
    sims: dict[str, Simulation] = {"today": combine(plan, chunks, [run_chunk(plan, c) for c in chunks], seed)}
    if shifted is not None:
        other = prepare(shifted, table=table)
        if [i.name for i in other.drawn] != [i.name for i in plan.drawn]:
            raise ModelError("the shift's uncertain inputs differ from today's, so their draws cannot be paired")
        other = replace(other, tables=plan.tables)  # today's tables hold every delta drawn
        sims["shifted"] = combine(other, chunks, [run_chunk(other, c) for c in chunks], seed)
        sims["extra"] = replace(sims["shifted"], draws=sims["shifted"].draws - sims["today"].draws)
    rows = {}
    for scenario, sim in sims.items():
        for measure, (unit, _) in MEASURES.items():
            r = sim.range_of(measure, level)
            values = sim.draws[measure].to_numpy()
            label = (EXTRA_LABELS if scenario == "extra" else TODAY_LABELS)[measure]
            if scenario == "shifted":
                label = label.replace("today's local spend", "the shifted spend")
            rows[f"{scenario}: {measure}"] = {
                "label": label, "central": float(components.loc[(scenario, "total"), measure]),
                "median": r["median"], "low": r["low"], "high": r["high"],
                "p_positive": float((values > 0).mean()) if scenario == "extra" else np.nan, "unit": unit,
            }  # fmt: skip
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "figure"
    return frame


def _headline(
    procurement: Procurement,
    components: pd.DataFrame,
    ranges: pd.DataFrame | None,
    pay: pd.DataFrame,
    *,
    shift: bool,
    draws: int,
    level: float,
) -> tuple[Headline, ...]:
    """The ledger's local share and spend (records), today's figures and the shift's extra, with ranges."""
    record = "from the ledger: the council's own records, not a model estimate"
    out = [
        Headline("local_share", "Spend with local suppliers, weighted by £ (share)", "share", "",
                 procurement.local_share, no_range=record),
        Headline("local_spend", "Spend with local suppliers (£)", "£", "", procurement.local_value, no_range=record),
    ]  # fmt: skip
    scenarios = [("today", TODAY_LABELS, "")] + ([("extra", EXTRA_LABELS, "extra: ")] if shift else [])
    for scenario, labels, prefix in scenarios:
        if scenario == "extra":
            moved = float((pay["amount"] * (pay["local_shifted"] - pay["local"])).sum())
            out.append(Headline("moved", "Spend moved to local suppliers by the shift (£)", "£", "", moved,
                                no_range="the scenario's input: the shares moved, applied to the ledger"))  # fmt: skip
        for measure, (unit, basis) in MEASURES.items():
            value = float(components.loc[(scenario, "total"), measure])
            r = None
            if ranges is not None:
                row = ranges.loc[f"{scenario}: {measure}"]
                ahead = float(row["p_positive"]) if scenario == "extra" else None
                r = Range(float(row["low"]), float(row["high"]), float(row["median"]), level, draws, ahead)
            out.append(Headline(prefix + measure, labels[measure], unit, basis, value, r,  # type: ignore[arg-type]
                                no_range="" if r is not None else "not simulated (draws=0)",
                                note=off_centre(value, r) if r is not None else ""))  # fmt: skip
    return tuple(out)


def _categories(lines: list[_Line], per_line: dict[str, dict[str, np.ndarray]], names: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "label": [category_label(line.category, names) for line in lines],
            "sector": [line.sector for line in lines],
            "industry": [names[line.sector] for line in lines],
            "spend": [line.spend for line in lines],
            "local_spend": [line.local for line in lines],
            "shifted_local_spend": [line.shifted for line in lines],
            "local_share": [line.local / line.spend for line in lines],
            "payments": [float(line.payments) for line in lines],
        },
        index=pd.Index([line.category for line in lines], name="category"),
    )
    today = per_line["today"]
    shifted = per_line.get("shifted", today)
    for measure in MEASURES:
        frame[measure] = today[measure]
    for measure in MEASURES:
        frame[f"extra_{measure}"] = shifted[measure] - today[measure]
    return frame


def _inputs(today: Appraisal, shifts: pd.DataFrame | None) -> tuple[Input, ...]:
    """The appraisal's inputs that matter here (not the empty accounts), and each shift's share (an assumption)."""
    kept = [i for i in today.inputs if not i.name.startswith("organisation.") or ".spending[" in i.name]
    if shifts is not None:
        for k, row in shifts.iterrows():
            source = f"assumption: the scenario's ({row['where']})" + (f"; {row['source']}" if row["source"] else "")
            label = f"share of {row['kind']} '{row['what']}' bought outside the area moved to local suppliers"
            kept.append(Input(f"shift[{k}].share", float(row["share"]), None, "share", source, float(row["share"]),
                              label, "assumption", "Shift", ""))  # fmt: skip
    return tuple(kept)


def _notes(
    procurement: Procurement, pay: pd.DataFrame, today: Appraisal, shifts: pd.DataFrame | None
) -> tuple[str, ...]:
    notes = []
    if procurement.unused:
        notes.append(
            f"The ledger's column(s) {excerpt(list(procurement.unused))} are not read: kil_io reads the supplier, "
            "amount, date, service area, expense type, postcode, category and SIC code."
        )
    if procurement.unplaced:
        spend = sum(u.amount for u in procurement.unplaced)
        notes.append(f"{len(procurement.unplaced)} payment(s) (£{spend:,.0f}) have no known supplier place: counted "
                     "as not local.")  # fmt: skip
    unmapped = pay[pay["category"] == UNMAPPED]
    if len(unmapped):
        spend, local = float(unmapped["amount"].sum()), float((unmapped["amount"] * unmapped["local"]).sum())
        share = spend / procurement.total if procurement.total else 0.0
        notes.append(
            f"£{spend:,.0f} of spend ({share:.1%}; £{local:,.0f} of it with local suppliers) is in no industry "
            f"({_listed(unmapped['expense_type'])}): it counts in the local share but its jobs and "
            "GVA are not estimated; place it with a categories file (--categories) to count them."
        )
    if shifts is not None:
        moved_out = float((pay["amount"] * (pay["local_shifted"] - pay["local"]))[pay["category"] == UNMAPPED].sum())
        if moved_out:
            notes.append(
                f"£{moved_out:,.0f} of the spend the shift moves is in no industry: it raises the local share, not "
                "the jobs and GVA."
            )
        if shifts["shared"].sum() > 0:
            notes.append("Some payments are covered by more than one shift: the largest share moved applies, shares "
                         "are not added.")  # fmt: skip
    return (*notes, *today.notes)


__all__ = ["DRAWS", "EXTRA_LABELS", "NOT_IN_SCOPE", "TODAY_LABELS", "spend_impact"]
