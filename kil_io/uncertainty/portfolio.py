"""A portfolio's sum with its ranges: every entry appraised once, de-duplicated, added up by area and in total.

:func:`appraise_portfolio` is what a user calls (``kil_io.appraise_portfolio``). Each entry is
appraised by :func:`kil_io.appraise` (its central figures and its own ranges); what would be counted
twice is removed by the rules of :mod:`kil_io.appraisal.deduplication`; the central totals are the
included entries' own totals added up, less the shared-supplier removals. The model is never run
another way.

The ranges of a sum come from the entries' draws added draw by draw. Each entry is simulated by
:mod:`kil_io.uncertainty.simulate` (the same model, chunks and seeds as its own appraisal), with two
rules for how entries' uncertainties move together:

- an entry's own inputs (its accounts, staff, spending, local shares, any range its case file gives)
  are drawn independently of every other entry's, from a seed of its own: the portfolio's seed and
  the entry's name (``numpy.random.SeedSequence``), so adding or reordering entries leaves the others'
  draws as they are;
- the model's own inputs that entries draw from the same distribution (the FLQ delta, the gross-to-
  net rates of the same preset, an area's resident share and household income) are one uncertain
  fact: drawn once per draw for the whole portfolio, and used by every entry that has them. Drawn
  independently they would cancel out in the sum and give a range narrower than the evidence.

Entries counted within another add no draws; a shared-supplier removal is taken at its central
value in every draw (a simulation keeps each entry's totals, not its lines), so its own uncertainty
is left out of the range.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from kil_io import datasets
from kil_io._version import __version__
from kil_io.appraisal.deduplication import entity_of, removals, totals_of
from kil_io.appraisal.inputs import Input
from kil_io.appraisal.portfolio import MEASURES, EntryRow, Group, Portfolio, Removal
from kil_io.appraisal.portfoliofile import PortfolioEntry, PortfolioError, PortfolioFile, load_portfolio
from kil_io.appraisal.result import Appraisal, Range
from kil_io.model.table import IOTable
from kil_io.uncertainty.ranged import DRAWS, _off_centre
from kil_io.uncertainty.ranged import appraise as appraise_case
from kil_io.uncertainty.simulate import LEVEL, MIN_DRAWS, combine, plan_chunks, run_chunk, with_tables
from kil_io.uncertainty.tables import round_delta

#: Inputs that are the same uncertain fact in every entry that draws them from the same distribution.
SHARED_PREFIXES = ("model.", "additionality.")
#: Name of the portfolio's total among its groups.
ALL_AREAS = "All areas"


def appraise_portfolio(
    portfolio: PortfolioFile | str | Path,
    draws: int | None = DRAWS,
    seed: int | None = None,
    *,
    level: float = LEVEL,
) -> Portfolio:
    """Appraise every entry of a portfolio once, remove what is counted twice, add up by area and in total.

    Parameters
    ----------
    portfolio : PortfolioFile, str or Path
        A portfolio file (:func:`kil_io.appraisal.portfoliofile.load_portfolio`), its path, or the name of a
        shipped one (``"west_yorkshire_example"``).
    draws : int or None
        Monte Carlo draws of every entry (at least :data:`~kil_io.uncertainty.MIN_DRAWS`); ``None``
        or 0: central figures only, no ranges.
    seed : int, optional
        The same seed gives the same ranges; each entry's own seed is derived from it and its name.
    level : float
        The ranges' coverage [share]: 0.9 for the 5th to 95th percentile.

    Returns
    -------
    Portfolio
        Entry rows (included, or counted within another), what was removed, sums by area and in
        total [FTE, £m] with their ranges, the dependence assumed, notes and sources.

    Raises
    ------
    PortfolioError
        A bad portfolio file (see :mod:`kil_io.appraisal.portfoliofile`), or fewer than the fewest draws.

    Examples
    --------
    >>> import kil_io
    >>> p = kil_io.appraise_portfolio("west_yorkshire_example", 10_000, seed=2026)  # doctest: +SKIP
    >>> p.total.totals["fte"], p.total.ranges["fte"].low  # doctest: +SKIP
    """
    spec = portfolio if isinstance(portfolio, PortfolioFile) else load_portfolio(portfolio)
    if draws and (isinstance(draws, bool) or not isinstance(draws, int) or draws < MIN_DRAWS):
        raise PortfolioError(f"draws must be a whole number >= {MIN_DRAWS} (or 0 for no ranges), got {draws!r}")
    root = np.random.SeedSequence(seed)
    tables: dict[tuple[object, ...], IOTable] = {}
    appraisals: dict[str, Appraisal] = {}
    seeds: dict[str, int] = {}
    for e in spec.entries:
        seeds[e.name] = _entry_seed(root, e.name)
        appraisals[e.name] = appraise_case(e.case, draws or 0, seeds[e.name], contract_value=e.contract_value,
                                           table=_table(e, tables), level=level)  # fmt: skip
    taken = removals(spec, appraisals)
    common: dict[tuple[object, ...], np.ndarray] = {}
    users: dict[tuple[object, ...], set[str]] = {}
    labels_of: dict[tuple[object, ...], str] = {}
    joint = {e.name: _joint_draws(e, appraisals[e.name], int(draws), seeds[e.name], root, common, users, labels_of,
                                  _table(e, tables)) for e in spec.included} if draws else {}  # fmt: skip
    rows = tuple(_row(e, appraisals[e.name], seeds[e.name], level) for e in spec.entries)
    by_area: dict[str, list[EntryRow]] = {r.area_code: [] for r in rows if r.status == "included"}
    for r in rows:  # an entry counted within another is in the other's area, which has an included entry
        by_area.setdefault(r.area_code, []).append(r)
    areas = tuple(_group(r[0].area, code, r, taken, joint, level) for code, r in by_area.items())
    total = _group(ALL_AREAS, "", list(rows), taken, joint, level)
    shared_keys = [k for k, who in users.items() if len(who) > 1]
    shared = tuple(sorted({str(k[0]) for k in shared_keys}))
    labels = tuple(dict.fromkeys(labels_of[k] for k in sorted(shared_keys, key=str)))
    return Portfolio(
        name=spec.name, title=spec.title, description=spec.description,
        source=_shown(spec.path, str(spec.path or spec.name)), draws=int(draws or 0), seed=seed, level=level,
        entries=rows, removals=taken, areas=areas, total=total, dependence=_dependence(labels, draws),
        shared_inputs=shared, notes=_notes(spec, taken), sources=_sources(spec, appraisals), version=__version__,
    )  # fmt: skip


def _entry_seed(root: np.random.SeedSequence, name: str) -> int:
    """An entry's own seed: the portfolio's entropy and the entry's name (not its place in the file)."""
    child = np.random.SeedSequence(root.entropy, spawn_key=(0, zlib.crc32(name.encode("utf-8"))))
    return int(child.generate_state(1)[0])


def _table(entry: PortfolioEntry, tables: dict[tuple[object, ...], IOTable]) -> IOTable:
    """The entry's local table, built once for every entry in the same area, year, method and delta."""
    c = entry.case
    key = (c.area, c.year, c.method, c.delta)
    if key not in tables:
        tables[key] = datasets.regional_iot(c.area, c.year, method=c.method, delta=c.delta)
    return tables[key]


def _shared_key(i: Input) -> tuple[object, ...] | None:
    """The key of an input drawn once for the whole portfolio, or None for an entry's own input."""
    if i.spread is None or not i.name.startswith(SHARED_PREFIXES):
        return None
    return (i.name, i.spread.low, i.spread.high, i.spread.shape, i.mode)


def _common_draws(i: Input, key: tuple[object, ...], draws: int, root: np.random.SeedSequence) -> np.ndarray:
    """Draws of a shared input, from a stream of its own (its name and distribution), the same for every entry."""
    stream = np.random.SeedSequence(root.entropy, spawn_key=(1, zlib.crc32(repr(key).encode("utf-8"))))
    values = i.spread.sample(np.random.default_rng(stream), i.mode, draws)  # type: ignore[union-attr]
    return round_delta(values) if i.name == "model.delta" else values


def _joint_draws(
    entry: PortfolioEntry, appraisal: Appraisal, draws: int, seed: int, root: np.random.SeedSequence,
    common: dict[tuple[object, ...], np.ndarray], users: dict[tuple[object, ...], set[str]],
    labels: dict[tuple[object, ...], str], table: IOTable,
) -> pd.DataFrame:  # fmt: skip
    """The entry's draws of :data:`MEASURES` with the shared inputs' common draws in place of its own.

    ``common`` holds each shared input's draws (filled as entries need them), ``users`` the entries
    drawing it and ``labels`` its label: an input with one user is drawn from its own stream all the
    same, independent of every other entry's.
    """
    plan, chunks = plan_chunks(entry.case, draws, seed, contract_value=appraisal.contract_value, table=table)
    for j, i in enumerate(plan.drawn):
        key = _shared_key(i)
        if key is None:
            continue
        if key not in common:
            common[key] = _common_draws(i, key, draws, root)
        users.setdefault(key, set()).add(entry.name)
        labels[key] = i.label or i.name
        start = 0
        for chunk in chunks:
            chunk[:, j] = common[key][start : start + len(chunk)]
            start += len(chunk)
    plan = with_tables(plan, chunks)  # the tables of the deltas now drawn
    sim = combine(plan, chunks, [run_chunk(plan, c) for c in chunks], seed)
    prefix = "" if entry.contract_value is None else f"{entity_of(entry, appraisal).name}: "
    return pd.DataFrame({m: sim.draws[f"{prefix}{m}"].to_numpy() for m in MEASURES})


def _row(entry: PortfolioEntry, a: Appraisal, seed: int, level: float) -> EntryRow:
    entity = entity_of(entry, a)
    ranges: dict[str, Range] = {}
    if a.simulation is not None:
        prefix = "" if entry.contract_value is None else f"{entity.name}: "
        s = a.simulation.summary
        for m in MEASURES:
            r = s.loc[f"{prefix}{m}"]
            ranges[m] = Range(low=float(r["low"]), high=float(r["high"]), median=float(r["median"]), level=level,
                              draws=a.simulation.draws)  # fmt: skip
    within = entry.within
    return EntryRow(
        name=entry.name, title=a.title, organisation=entity.name, case=entry.given,
        source=_shown(entry.case.path, a.source), kind=entry.kind, area=a.area, area_code=a.area_code, year=a.year,
        national_year=a.national_year, method=a.method, delta=a.delta, income=entry.income,
        status="included" if within is None else "counted within", within="" if within is None else within.entry,
        rule="" if within is None else within.rule, relation_source="" if within is None else within.source,
        figures=totals_of(entity), ranges=ranges, seed=seed, notes=a.notes,
    )  # fmt: skip


def _group(area: str, code: str, rows: list[EntryRow], taken: tuple[Removal, ...],
           joint: Mapping[str, pd.DataFrame], level: float) -> Group:  # fmt: skip
    """The sum of ``rows``'s included entries less the shared-supplier removals among them, with its range."""
    included = [r.name for r in rows if r.status == "included"]
    names = {r.name for r in rows}
    suppliers = [t for t in taken if t.rule == "shared supplier" and t.entry in names]
    figures = {m: float(sum(r.figures[m] for r in rows if r.status == "included")) for m in MEASURES}
    removed = {m: float(sum(t.removed[m] for t in suppliers)) for m in MEASURES}
    totals = {m: figures[m] - removed[m] for m in MEASURES}
    ranges: dict[str, Range] = {}
    notes = []
    if joint:
        q = 100 * (1 - level) / 2
        for m in MEASURES:
            values = sum(joint[n][m].to_numpy() for n in included) - removed[m]
            low, median, high = np.percentile(values, [q, 50, 100 - q])
            ranges[m] = Range(low=float(low), high=float(high), median=float(median), level=level,
                              draws=len(values))  # fmt: skip
            note = _off_centre(totals[m], ranges[m])
            if note:
                notes.append(f"{MEASURES[m][0]}: {note}")
    return Group(area=area, area_code=code, included=tuple(included), listed=tuple(r.name for r in rows),
                 figures=figures, removed=removed, totals=totals, ranges=ranges, notes=tuple(notes))  # fmt: skip


def _dependence(shared: tuple[str, ...], draws: int | None) -> str:
    """What the ranges assume about the entries together, in words (``shared``: the shared inputs' labels)."""
    if not draws:
        return "no ranges: appraised without draws"
    common = (
        f"The model's own inputs that entries draw from the same distribution ({'; '.join(shared)}) are one "
        "uncertain fact: each is drawn once per draw for the whole portfolio and used by every entry that has it."
        if shared else "No input is drawn from the same distribution by two entries, so none is shared."
    )  # fmt: skip
    return (
        "Ranges add the included entries' draws draw by draw. Each entry's own inputs (its accounts, staff, "
        "spending, local shares and any range its case file gives) are drawn independently of the others', from a "
        f"seed of its own (the portfolio's seed and its name). {common} Entries counted within another add no "
        "draws; shared-supplier removals are taken at their central value in every draw."
    )


def _notes(spec: PortfolioFile, taken: tuple[Removal, ...]) -> tuple[str, ...]:
    out = []
    for t in taken:
        if t.rule != "shared supplier":
            e, whole = spec.entry(t.entry), spec.entry(t.within)
            how = "part of" if t.rule == "part_of" else "a contract paid to"
            out.append(f"{e.case.title} is {how} {whole.case.title}, which counts its figures: they are listed, not "
                       "added again.")  # fmt: skip
    if any(t.rule == "shared supplier" for t in taken):
        out.append("A shared supplier's removal is its central value in every draw: its own uncertainty is not in the "
                   "range.")  # fmt: skip
    return tuple(out)


def _sources(spec: PortfolioFile, appraisals: Mapping[str, Appraisal]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for e in spec.entries:
        a = appraisals[e.name]
        out[f"{a.area} ({a.area_code}): local table from the ONS UK input-output analytical tables {a.national_year} "
            f"regionalised with {a.year} BRES employment (ONS, via Nomis), {a.method.upper()} delta {a.delta:g}; "
            f"resident share: {a.table.get('resident_share_source', '')}"] = None  # fmt: skip
    for e in spec.entries:
        given = e.given if spec.path is None else str(spec.path.parent / e.given)
        out[f"{e.case.title}: case file {_shown(e.case.path, given)}"] = None
    out["Contains public sector information licensed under the Open Government Licence v3.0."] = None
    return tuple(out)


def _shown(path: Path | None, given: str) -> str:
    """A file for readers: a shipped one as ``data/...`` (no machine paths), else as given."""
    data = datasets.data_dir().resolve()
    if path is not None and path.resolve().is_relative_to(data):
        return f"data/{path.resolve().relative_to(data).as_posix()}"
    return given


__all__ = ["ALL_AREAS", "SHARED_PREFIXES", "appraise_portfolio"]
