"""Monte Carlo over a case's uncertain inputs: every draw of every headline, and their ranges.

:func:`simulate` draws the uncertain inputs (:mod:`kil_io.appraisal.inputs`) in chunks of
:data:`CHUNK` draws, each chunk from its own child of ``numpy.random.SeedSequence(seed)``, so
that a seed gives the same draws however many workers compute the chunks
(:func:`kil_io.distributed.simulate_on` spreads them over a Dask cluster, bit-equal to the
local call). Deltas are rounded to :data:`~kil_io.uncertainty.tables.DELTA_STEP`, every
distinct regional table is factorised once, and the chunks' draws are matrix products with
its Type I effects (:mod:`kil_io.appraisal.model`).

The central value of each headline is the deterministic result, the appraisal model
(:mod:`kil_io.appraisal.model`) at every input's value, not a statistic of the draws.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kil_io import datasets, limits
from kil_io.appraisal.casestudy import case_on
from kil_io.appraisal.central import case_inputs
from kil_io.appraisal.inputs import (
    Input,
    inputs_frame,
    organisation_draws,
    provider_draws,
    rate_draws,
    with_survey,
)
from kil_io.appraisal.model import PROVIDER_TOTALS, TOTALS, EffectTables, OrgDraws, evaluate
from kil_io.errors import CaseError
from kil_io.uncertainty.tables import delta_tables, round_delta

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kil_io.appraisal.casefile import CaseStudy
    from kil_io.model.table import IOTable

    FloatArray = NDArray[np.float64]

#: Draws per chunk: fixed (not set by the number of workers), so a seed gives the same draws everywhere.
CHUNK = 1000
#: Fewest draws :func:`simulate` accepts: the 5th and 95th percentiles of fewer are noise.
MIN_DRAWS = 100
#: The range shown beside a central value: 90% (5th to 95th percentile).
LEVEL = 0.9


@dataclass(frozen=True, eq=False)
class Plan:
    """What every chunk of a simulation needs (picklable: sent to Dask workers once).

    Attributes
    ----------
    case : CaseStudy
    inputs : tuple of Input
        Every input; those with a spread are drawn, in this order.
    sectors : tuple of str
    contract_value : float or None
        For a contract case: the value the providers deliver (£).
    central : Series
        The deterministic headline results.
    units : Series
    tables : EffectTables or None
        Filled by :func:`with_tables` for the deltas drawn.
    """

    case: CaseStudy
    inputs: tuple[Input, ...]
    sectors: tuple[str, ...]
    contract_value: float | None
    central: pd.Series
    units: pd.Series
    table: IOTable
    tables: EffectTables | None = None

    @property
    def drawn(self) -> tuple[Input, ...]:
        """The uncertain inputs, in drawing order."""
        return tuple(i for i in self.inputs if i.uncertain)


@dataclass(frozen=True, eq=False)
class Simulation:
    """Result of :func:`simulate` (read-only).

    Attributes
    ----------
    case : str
    draws : DataFrame
        One row per draw, one column per headline (units in :attr:`units`).
    inputs : DataFrame
        One row per draw, one column per uncertain input: the values drawn.
    central : Series
        The deterministic result of each headline (at the case's values).
    units : Series
    specification : DataFrame
        Every input: value, range, distribution, unit and source (:func:`~kil_io.appraisal.inputs.inputs_frame`).
    seed : int or None
    plan : Plan
        For :func:`~kil_io.uncertainty.drivers.tornado` (re-evaluates the model).
    """

    case: str
    draws: pd.DataFrame
    inputs: pd.DataFrame
    central: pd.Series
    units: pd.Series
    specification: pd.DataFrame
    seed: int | None
    plan: Plan = field(repr=False)

    def summary(self, level: float = LEVEL) -> pd.DataFrame:
        """Central value, median, the ``level`` range and P(> 0) of each headline.

        Returns
        -------
        DataFrame
            Index headline; columns ``central`` (the deterministic result), ``median``,
            ``low`` and ``high`` (the ``(1 - level) / 2`` and ``(1 + level) / 2`` percentiles
            of the draws; 5th and 95th by default), ``mean``, ``p_positive`` (share of draws
            above 0: for a local-minus-national difference, the probability that the local
            provider's advantage is positive; NaN for other headlines) and ``unit``.
        """
        q = _quantiles(level)
        values = self.draws.to_numpy()
        low, median, high = np.percentile(values, [100 * q[0], 50, 100 * q[1]], axis=0)
        frame = pd.DataFrame(
            {"central": self.central, "median": median, "low": low, "high": high, "mean": values.mean(axis=0)},
            index=self.draws.columns,
        )
        differences = [" - " in c for c in self.draws.columns]
        frame["p_positive"] = np.where(differences, (values > 0).mean(axis=0), np.nan)
        frame["unit"] = self.units
        frame.index.name = "headline"
        return frame

    def range_of(self, headline: str, level: float = LEVEL) -> dict[str, float | int]:
        """The ``headline.json`` range of one headline: ``low``, ``high``, ``median``, ``level``, ``draws``."""
        if headline not in self.draws.columns:
            raise CaseError(f"no headline {headline!r}; simulated: {list(self.draws.columns)}")
        q = _quantiles(level)
        low, median, high = np.percentile(self.draws[headline].to_numpy(), [100 * q[0], 50, 100 * q[1]])
        return {"low": float(low), "high": float(high), "median": float(median), "level": level,
                "draws": len(self.draws)}  # fmt: skip

    def ranges(self, labels: Mapping[str, str], level: float = LEVEL) -> dict[str, dict[str, float | int]]:
        """Ranges keyed by display label: ``labels`` maps a label (e.g. ``"Local jobs (FTE)"``) to a headline."""
        return {label: self.range_of(headline, level) for label, headline in labels.items()}

    def difference_key(self, measure: str = "fte") -> str:
        """The headline of the first local-minus-baseline difference of ``measure`` (a contract case)."""
        keys = [c for c in self.draws.columns if " - " in c and c.endswith(f": {measure}")]
        if not keys:
            raise CaseError(f"case '{self.case}' has no provider difference of {measure!r} (not a contract case?)")
        return keys[0]


def _quantiles(level: float) -> tuple[float, float]:
    if not (isinstance(level, float | int) and 0 < level < 1):
        raise CaseError(f"level must be a number in (0, 1), e.g. 0.9 for the 5th to 95th percentile; got {level!r}")
    return (1 - level) / 2, (1 + level) / 2


def prepare(
    case: CaseStudy,
    *,
    contract_value: float | None = None,
    model_defaults: bool = True,
    fixed: Iterable[str] = (),
    table: IOTable | None = None,
) -> Plan:
    """The inputs, tables and central results of a case's simulation (before any draw).

    Parameters
    ----------
    case : CaseStudy
        An organisation or contract case (:func:`kil_io.case_study`).
    contract_value : float, optional
        A contract case's value for the provider comparison (£); default the organisation's income.
    model_defaults : bool
        Draw the model's own choices too (:mod:`kil_io.appraisal.defaults`).
    fixed : iterable of str
        Inputs to hold at their value (names as in :attr:`Simulation.specification`).
    table : IOTable, optional
        The case's local table, if already built (default :func:`kil_io.datasets.regional_iot`).

    Raises
    ------
    CaseError
        An area case, or ``fixed`` naming an unknown input.
    """
    appraisable = case.organisation is not None or case.contract is not None
    if table is None and appraisable:
        table = datasets.regional_iot(case.area, case.year, method=case.method, delta=case.delta)
    if table is not None:
        case = case_on(case, table.sectors)[0]  # as kil_io.appraisal.appraise, which notes the codes moved
    if not appraisable or table is None:
        raise CaseError(f"case '{case.name}' is an {case.kind} case; a simulation needs an organisation or contract")
    inputs = case_inputs(case, table, model_defaults=model_defaults)
    known = {i.name for i in inputs}
    fixed = set(fixed)
    if fixed - known:
        raise CaseError(f"cannot fix unknown inputs {sorted(fixed - known)}; inputs: {sorted(known)}")
    inputs = [replace(i, spread=None, mode=i.value) if i.name in fixed else i for i in inputs]
    org = case.organisation
    if contract_value is not None:
        value = float(contract_value)
    elif case.contract is not None:
        value = case.contract.value.value
    else:
        assert org is not None  # appraisable
        value = org.income.value
    names = list(TOTALS) if org is not None else []  # a tender has bids, and no organisation of its own
    units = dict(TOTALS) if org is not None else {}
    providers = [p.name for p in case.providers.values()]
    for name in providers:
        names += [f"{name}: {m}" for m in PROVIDER_TOTALS]
        units |= {f"{name}: {m}": u for m, u in PROVIDER_TOTALS.items()}
    for name in providers[:-1]:
        names += [f"{name} - {providers[-1]}: {m}" for m in PROVIDER_TOTALS]
        units |= {f"{name} - {providers[-1]}: {m}": u for m, u in PROVIDER_TOTALS.items()}
    plan = Plan(
        case=case,
        inputs=tuple(inputs),
        sectors=table.sectors,
        contract_value=value if case.providers else None,
        central=pd.Series(np.nan, index=names),
        units=pd.Series(units)[names],
        table=table,
    )
    # the central figures: the same model at every input's value (one draw), not a statistic of the draws
    row = np.array([[i.value for i in plan.drawn]])
    central = run_chunk(with_tables(plan, [row]), row)[0]
    return replace(plan, central=pd.Series(central, index=names))


def chunk_sizes(draws: int, chunk_size: int = CHUNK) -> list[int]:
    """Draws per chunk: ``chunk_size`` each, the last the rest."""
    full, rest = divmod(draws, chunk_size)
    return [chunk_size] * full + ([rest] if rest else [])


def chunk_seeds(seed: int | None, chunks: int) -> list[np.random.SeedSequence]:
    """One independent child of ``SeedSequence(seed)`` per chunk."""
    return np.random.SeedSequence(seed).spawn(chunks)


def sample_chunk(plan: Plan, size: int, seed: np.random.SeedSequence) -> FloatArray:
    """The uncertain inputs of ``size`` draws, (size, inputs), in :attr:`Plan.drawn` order; delta rounded."""
    rng = np.random.default_rng(seed)
    drawn = plan.drawn
    out = np.empty((size, len(drawn)))
    for j, i in enumerate(drawn):
        out[:, j] = i.spread.sample(rng, i.mode, size)  # type: ignore[union-attr]
        if i.name == "model.delta":
            out[:, j] = round_delta(out[:, j])
    return out


def with_tables(plan: Plan, samples: Iterable[FloatArray]) -> Plan:
    """The plan with the regional tables of every delta the samples draw (or of the case's, if fixed)."""
    names = [i.name for i in plan.drawn]
    if "model.delta" in names:
        j = names.index("model.delta")
        deltas = np.unique(np.concatenate([round_delta(s[:, j]) for s in samples]))
    else:
        deltas = round_delta(np.array([plan.case.delta]))
    tables = delta_tables(plan.table, deltas, method=plan.case.method)
    return replace(plan, tables=tables)


def run_chunk(plan: Plan, samples: FloatArray) -> FloatArray:
    """Every headline of every draw in a chunk, (size, headlines) in :attr:`Plan.central` order."""
    tables = plan.tables
    if tables is None:
        raise ValueError("run_chunk needs a plan with its tables (with_tables)")
    size = samples.shape[0]
    column = {i.name: j for j, i in enumerate(plan.drawn)}
    value = {i.name: i.value for i in plan.inputs}

    def get(name: str) -> FloatArray:
        if name in column:
            return samples[:, column[name]]
        return np.full(size, value[name])

    delta = get("model.delta") if "model.delta" in value else np.full(size, plan.case.delta)
    k = tables.index(round_delta(delta))
    s = get("model.resident_share")
    Y = get("model.household_income") if "model.household_income" in value else np.full(size, np.nan)
    rates = rate_draws(get, value)
    case = plan.case
    columns: dict[str, FloatArray] = {}
    if case.organisation is not None:
        org = organisation_draws(case.organisation, get, plan.sectors)
        _check_accounts(case.name, org)
        org = with_survey(org, get, value)
        results = evaluate(tables, k, org, rates, Y, s).totals()
        columns |= {m: results[m] for m in TOTALS}
    if case.providers:
        assert plan.contract_value is not None  # prepare sets it for a case with providers
        rows = {}
        for key, provider in case.providers.items():
            _check_provider(case.name, key, get, len(provider.spending))
            draws = with_survey(provider_draws(provider, key, plan.contract_value, get, plan.sectors), get, value,
                                suppliers=False)  # fmt: skip
            rows[provider.name] = evaluate(tables, k, draws, rates, Y, s).totals()
        names = [p.name for p in case.providers.values()]
        baseline = names[-1]
        for name in names:
            for m in PROVIDER_TOTALS:
                columns[f"{name}: {m}"] = rows[name][m]
        for name in names[:-1]:
            for m in PROVIDER_TOTALS:
                columns[f"{name} - {baseline}: {m}"] = rows[name][m] - rows[baseline][m]
    return np.column_stack([columns[h] for h in plan.central.index])


def _check_accounts(case: str, org: OrgDraws) -> None:
    """Every draw's staff costs and spending must fit in its income less surplus, as the accounts' do."""
    spent = org.staff_costs + org.spend_value.sum(axis=1)
    gap = spent - (org.income - org.surplus)
    over = gap > (org.income - org.surplus) * 1e-9 + 0.5
    if over.any():
        raise CaseError(
            f"case '{case}': in {int(over.sum()):,} of {len(over):,} draws the organisation's staff costs and "
            f"spending exceed its income less surplus (by up to £{float(gap.max()):,.0f}); "
            "narrow the ranges of organisation.staff.costs, organisation.income or organisation.surplus so that "
            "every draw fits the accounts"
        )


def _check_provider(case: str, key: str, get: Callable[[str], FloatArray], lines: int) -> None:
    """Every draw of a provider's shares of £1 must add to at most 1, as the case file's do."""
    p = f"providers.{key}"
    used = get(f"{p}.staff_share") + get(f"{p}.overheads_share") + get(f"{p}.surplus_share")
    for k in range(lines):
        used = used + get(f"{p}.spending[{k}].share")
    over = used > 1 + 1e-6  # as the case file allows (shares written to 6 decimals)
    if over.any():
        raise CaseError(
            f"case '{case}': in {int(over.sum()):,} of {len(over):,} draws provider '{key}' spends more than £1 of "
            f"each £1 (up to £{float(used.max()):.3f}); narrow the ranges of its staff, overheads, surplus and "
            "spending shares"
        )


def simulate(
    case: CaseStudy,
    draws: int = 10_000,
    seed: int | None = None,
    *,
    contract_value: float | None = None,
    model_defaults: bool = True,
    fixed: Iterable[str] = (),
    chunk_size: int = CHUNK,
    table: IOTable | None = None,
) -> Simulation:
    """Monte Carlo over a case's uncertain inputs: every draw of every headline, and a summary.

    Parameters
    ----------
    case : CaseStudy
        An organisation or contract case (:func:`kil_io.case_study`); its figures' ranges
        (``range:`` in the case file) and the model's defaults are drawn.
    draws : int
        At least :data:`MIN_DRAWS`.
    seed : int, optional
        The same seed gives the same draws, on any number of workers.
    contract_value : float, optional
        A contract case's value for the provider comparison (£; default the organisation's income).
    model_defaults : bool
        Draw delta, the gross-to-net rates, the resident share and the closure income from
        their defaults (:mod:`kil_io.appraisal.defaults`); ``False``: only the case file's ranges.
    fixed : iterable of str
        Inputs to hold at their value.
    chunk_size : int
        Draws per chunk (each its own random stream); part of what a seed means, so keep
        the default to reproduce a published run.
    table : IOTable, optional
        The case's local table, if already built.

    Returns
    -------
    Simulation
        ``.draws`` (every draw of every headline), ``.summary()`` (central, median, 5th and
        95th percentiles, P(local advantage > 0)), ``.text(headline)``.

    Raises
    ------
    CaseError
        Fewer than :data:`MIN_DRAWS` draws, an area case, an unknown input to fix.
    NotProductiveError
        A draw whose household closure is not productive.

    Examples
    --------
    >>> sim = simulate(kil_io.case_study("halifax_opportunities_trust"), 10_000, seed=1)  # doctest: +SKIP
    >>> sim.summary().loc["fte", ["central", "low", "high"]]  # doctest: +SKIP
    """
    plan, chunks = plan_chunks(case, draws, seed, contract_value=contract_value, model_defaults=model_defaults,
                               fixed=fixed, chunk_size=chunk_size, table=table)  # fmt: skip
    return combine(plan, chunks, [run_chunk(plan, c) for c in chunks], seed)


def plan_chunks(
    case: CaseStudy,
    draws: int,
    seed: int | None,
    *,
    contract_value: float | None = None,
    model_defaults: bool = True,
    fixed: Iterable[str] = (),
    chunk_size: int = CHUNK,
    table: IOTable | None = None,
) -> tuple[Plan, list[FloatArray]]:
    """The plan with its tables and the samples of every chunk: the part of :func:`simulate` before the solves."""
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < MIN_DRAWS:
        raise CaseError(f"draws must be a whole number >= {MIN_DRAWS}, got {draws!r}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int | np.integer) or chunk_size < 1:
        raise CaseError(f"chunk_size must be a whole number >= 1, got {chunk_size!r}")
    seed = limits.check_seed(seed)
    plan = prepare(case, contract_value=contract_value, model_defaults=model_defaults, fixed=fixed, table=table)
    limits.check_draw_memory(  # the samples and every figure's draws, held twice while they are combined
        int(draws), 8 * 2 * (len(plan.drawn) + len(plan.central)),
        how_to_chunk="run simulate several times with different seeds and pool their .draws",
    )  # fmt: skip
    sizes = chunk_sizes(int(draws), int(chunk_size))
    chunks = [sample_chunk(plan, n, s) for n, s in zip(sizes, chunk_seeds(seed, len(sizes)), strict=True)]
    return with_tables(plan, chunks), chunks


def combine(plan: Plan, samples: list[FloatArray], results: list[FloatArray], seed: int | None) -> Simulation:
    """The :class:`Simulation` of a plan from its chunks' samples and results (in chunk order)."""
    draws = pd.DataFrame(np.concatenate(results), columns=plan.central.index)
    draws.index.name = "draw"
    inputs = pd.DataFrame(np.concatenate(samples), columns=[i.name for i in plan.drawn])
    inputs.index.name = "draw"
    return Simulation(
        case=plan.case.name,
        draws=draws,
        inputs=inputs,
        central=plan.central,
        units=plan.units,
        specification=inputs_frame(list(plan.inputs)),
        seed=seed,
        plan=plan,
    )
