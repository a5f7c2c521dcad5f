"""One appraisal result: :class:`Appraisal`, everything a reader of an organisation or contract case needs.

:func:`kil_io.appraisal.appraise` computes it (and :func:`kil_io.appraise` adds its ranges); the
notebook pages, the brief, the workbook, the index page and the command line only format it
(:mod:`kil_io.reporting`). It is frozen and round-trips through JSON (``appraisal.json`` in a
result folder), so a renderer can work from a folder without the model, and two renderers can
never disagree.

Money is in £ where it describes an organisation's accounts (income, spending lines, contract
value) and in £m where it is an effect on the local economy (GVA, local income); jobs in FTE.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from kil_io.appraisal.distribution import Distribution
from kil_io.appraisal.inputs import BASES, Input, inputs_frame
from kil_io.appraisal.jsonframes import frame_from_json, frame_json, json_number, json_round, read_result_json
from kil_io.appraisal.tender import Tender
from kil_io.errors import KilIOError

#: Version of the ``appraisal.json`` layout; a file of another version is refused with what to do.
SCHEMA = 1
#: The result folder's file holding the appraisal.
FILE = "appraisal.json"

Basis = Literal["gross", "net", ""]
#: An entity's hosted businesses when it has none (a provider, or an appraisal.json from before they were kept).
_NO_BUSINESSES = pd.DataFrame(columns=["name", "sector", "industry", "input"], index=pd.RangeIndex(0, name="business"))


class AppraisalFileError(KilIOError, ValueError):
    """An ``appraisal.json`` that is missing, unreadable, or written by another version of kil_io."""


@dataclass(frozen=True)
class Range:
    """A headline's range from the simulation.

    Attributes
    ----------
    low, high, median : float
        The ``(1 - level) / 2`` and ``(1 + level) / 2`` percentiles and the median of the draws
        [the headline's unit].
    level : float
        0.9 for the 5th to 95th percentile [share].
    draws : int
    p_ahead : float or None
        For a difference between two providers or bids: the share of draws above zero [share].
    """

    low: float
    high: float
    median: float
    level: float
    draws: int
    p_ahead: float | None = None

    def holds(self, value: float) -> bool:
        """Whether ``value`` lies in the range (to rounding)."""
        pad = 1e-9 * max(1.0, abs(self.low), abs(self.high))
        return self.low - pad <= value <= self.high + pad


@dataclass(frozen=True)
class Headline:
    """One headline figure with its unit, basis and range.

    Attributes
    ----------
    key : str
        The measure: ``fte``, ``fte_net``, ``gva``, ``gva_net``, ``local_income``, ``lm3``,
        ``contract_value``, or for a contract ``difference: fte`` and the like.
    label : str
        The reader's label, with its unit in brackets (``"Net additional local jobs (FTE)"``); the
        key of ``headline.json``.
    unit : str
        ``"FTE"``, ``"£m"``, ``"£"`` or ``"£ per £1"``.
    basis : {"gross", "net", ""}
    value : float
        The central figure: the model at every input's value [``unit``].
    range : Range or None
    no_range : str
        Why the figure has no range (an input, or "not simulated").
    note : str
        What a reader must know about the range in words (e.g. the central figure outside it).
    """

    key: str
    label: str
    unit: str
    basis: Basis
    value: float
    range: Range | None = None
    no_range: str = ""
    note: str = ""


@dataclass(frozen=True, eq=False)
class Entity:
    """An organisation, or a provider delivering the contract: its figures by component.

    Attributes
    ----------
    name : str
    role : {"organisation", "provider"}
    key : str
        Where its inputs are named: ``organisation`` or ``providers.<key>``.
    income : float
        Its income, or the contract value it delivers [£].
    figures : DataFrame
        Index component (direct, indirect, induced, enabled, total); columns ``fte``, ``fte_net``
        [FTE], ``gva``, ``gva_net`` (workplace GVA), ``local_income``, ``local_income_net`` [£m].
    rates : DataFrame
        Index component (direct ... enabled); columns leakage, displacement, substitution,
        deadweight [share].
    detail : DataFrame
        FTE [FTE] and GVA [£m] of the induced and enabled components' parts and of each
        spending line (:attr:`kil_io.appraisal.impact.OrganisationImpact.detail`).
    lines : DataFrame
        Its spending lines: ``label``, ``sector``, ``industry``, ``value`` [£], ``local_share``
        [share], ``local`` [£], ``fte`` [FTE] and ``gva`` [£m] (indirect, through the local Type I
        effects), ``input`` (the name of its value among the inputs).
    lm3 : DataFrame
        Index ``round1``, ``round2: staff``, ``round2: suppliers``, ``round3``, ``lm3``; columns
        ``value`` [£, or £ per £1 for ``lm3``], ``share`` (re-spent locally) [share] and ``source``.
    local_spend : float
        Round 2, the part of its income spent in the area [£m].
    enterprises : DataFrame
        The businesses it hosts (its enabled component): ``name``, ``sector``, ``industry`` and
        ``input``, the prefix of their staff [FTE] and turnover [£] among the inputs
        (``organisation.enterprises[0]``); empty for a provider.
    """

    name: str
    role: Literal["organisation", "provider"]
    key: str
    income: float
    figures: pd.DataFrame
    rates: pd.DataFrame
    detail: pd.DataFrame
    lines: pd.DataFrame
    lm3: pd.DataFrame
    local_spend: float
    enterprises: pd.DataFrame = field(default_factory=lambda: _NO_BUSINESSES.copy())

    @property
    def lm3_value(self) -> float:
        """The LM3 [£ per £1 of income]."""
        return float(self.lm3.loc["lm3", "value"])

    def total(self, measure: str) -> float:
        """A total: ``fte``, ``fte_net`` [FTE], ``gva``, ``gva_net``, ``local_income``, ``local_income_net`` [£m]."""
        return float(self.figures.loc["total", measure])


@dataclass(frozen=True, eq=False)
class SimulationSummary:
    """What a Monte Carlo over the uncertain inputs found (:func:`kil_io.uncertainty.simulate`).

    Attributes
    ----------
    draws : int
    seed : int or None
    level : float
        The range's coverage, 0.9 [share].
    summary : DataFrame
        Every simulated figure (an organisation's totals, each provider's, the differences): ``label``,
        ``central``, ``median``, ``low``, ``high``, ``mean``, ``p_positive``, ``unit``.
    drivers : DataFrame
        What drives the range of :attr:`driven`: inputs by their label, largest swing first (the
        figure with the input at its 5th and 95th percentile, everything else at its value).
    driven : str
        The headline key the drivers are of.
    """

    draws: int
    seed: int | None
    level: float
    summary: pd.DataFrame
    drivers: pd.DataFrame
    driven: str


@dataclass(frozen=True, eq=False)
class Appraisal:
    """The appraisal of an organisation or a contract in its area (read-only; see the module notes).

    Attributes
    ----------
    case, title, kind, description : str
        The case's name (its file's stem), title, kind (``organisation`` or ``contract``) and what it is.
    source : str
        Where the case came from: a shipped case's name or the case file's path.
    area, area_code : str
    year, national_year : int
        Employment (BRES) year of the local table, and the year of the UK table regionalised.
    method, delta : str, float
        How the local table was made (location quotients; FLQ ``delta`` [ratio]).
    table : mapping
        The local table's facts a reader needs: ``label``, ``resident_share`` [share] and its
        ``resident_share_source``, ``household_income`` [£m] and its source, ``respend_share``
        [share] and its source, ``employment_estimated``, ``sectors`` (industries in the table).
    focus : {"organisation", "contract"}
        What the headline is of: the organisation's impact, or the difference a local provider
        makes to a contract.
    contract_value : float or None
        [£ a year].
    organisation : Entity or None
    providers : tuple of Entity
        The same contract by each provider (the last is the baseline).
    comparison : DataFrame or None
        One row per provider and per difference from the baseline (``"A - B"``); columns the gross
        and net totals, ``lm3`` and ``local_spend`` (:data:`kil_io.appraisal.model.PROVIDER_TOTALS`).
    headline : tuple of Headline
    inputs : tuple of Input
        Every input: value, unit, source, basis and range.
    multipliers : DataFrame
        The local multipliers used, by industry bought from: ``industry``, output Type I and II
        [£ per £1], FTE per £1m Type I and II [FTE per £1m], GVA and pay (compensation of
        employees) per £1 Type I and II [£ per £1], direct FTE per £1m, GVA and pay per £1 of output.
    household_effect : mapping
        ``fte`` [FTE], ``gva`` and ``pay`` [£m] per £1m of local households' income re-spent (Type II
        less Type I of the households' spending; the induced effect of local staff pay).
    sensitivity : DataFrame or None
        One assumption at a time (:func:`kil_io.appraisal.sensitivity.sensitivity`).
    published : DataFrame or None
        A study's published figures beside the model's (never inputs).
    history : DataFrame or None
        For a shipped case: how its headline figures moved between kil_io releases, and why
        (:func:`kil_io.datasets.case_history`).
    checks : tuple of str
        What the organisation's records disagree on, or left to assumption (``kil-io new-case``).
    notes : tuple of str
        What a reader should know about the model's inputs (estimated commuting, plausibility).
    simulation : SimulationSummary or None
    tender : Tender or None
        A contract's bids (or providers) compared: each bid's figures, every pair's difference with the
        share of draws in which one is ahead, a ranking, and lots (:mod:`kil_io.appraisal.tender`).
    version : str
        kil_io version that computed it.
    records : tuple of mapping
        The organisation's own files the case was made from (role, file, rows).
    by_place : DataFrame or None
        Where each entity's effects are, by GB authority (the interregional model;
        :func:`kil_io.appraisal.places.by_place`): ``entity``, ``place``, ``role`` (``own``, ``region``,
        ``neighbour``, ``rest``, ``total``, then the brief's ``in region`` and ``elsewhere``), ``codes``,
        ``output``, ``gva``, ``income`` [£m] and ``fte`` [FTE], each with ``_low`` and ``_high`` over the
        distance decay. None when not asked for (``appraise(..., places=True)``) or not possible.
    by_place_notes : tuple of str
        How the effects by place were made, and why there are none where there are none.
    """

    case: str
    title: str
    kind: str
    description: str
    source: str
    area: str
    area_code: str
    year: int
    national_year: int
    method: str
    delta: float
    table: Mapping[str, Any]
    focus: Literal["organisation", "contract"]
    contract_value: float | None
    organisation: Entity | None
    providers: tuple[Entity, ...]
    comparison: pd.DataFrame | None
    headline: tuple[Headline, ...]
    inputs: tuple[Input, ...]
    multipliers: pd.DataFrame
    household_effect: Mapping[str, float]
    sensitivity: pd.DataFrame | None = None
    published: pd.DataFrame | None = None
    history: pd.DataFrame | None = None
    checks: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    simulation: SimulationSummary | None = None
    tender: Tender | None = None
    version: str = ""
    records: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)
    by_place: pd.DataFrame | None = None
    by_place_notes: tuple[str, ...] = ()

    # --- reading ---------------------------------------------------------------------------------

    def figure(self, key: str) -> Headline:
        """The headline figure ``key`` (``fte``, ``gva_net``, ``difference: fte``, ...)."""
        for h in self.headline:
            if h.key == key:
                return h
        raise KeyError(f"appraisal of '{self.case}' has no headline {key!r}; it has {[h.key for h in self.headline]}")

    @property
    def is_tender(self) -> bool:
        """Whether the headline is a tender's bids (each bid's figures; :attr:`tender` compares them)."""
        return any(h.key.startswith("bid: ") for h in self.headline)

    @property
    def entities(self) -> tuple[Entity, ...]:
        """The organisation (if any), then the providers."""
        return ((self.organisation,) if self.organisation is not None else ()) + self.providers

    def inputs_frame(self) -> pd.DataFrame:
        """The inputs as a table (:func:`kil_io.appraisal.inputs.inputs_frame`)."""
        return inputs_frame(self.inputs)

    def basis_counts(self) -> dict[str, int]:
        """How many inputs are records, publications and assumptions (:data:`kil_io.appraisal.inputs.BASES`)."""
        counts = dict.fromkeys(BASES, 0)
        for i in self.inputs:
            counts[i.basis] += 1
        return counts

    def headline_json(self) -> dict[str, Any]:
        """``headline.json``: central values keyed by label, then ``units``, ``ranges`` and ``kil_io`` (the version)."""
        return headline_document(self.headline, self.version)

    def with_simulation(self, simulation: SimulationSummary, ranges: Mapping[str, Range], notes: Mapping[str, str]
                        ) -> Appraisal:  # fmt: skip
        """The same appraisal with its ranges (headline key -> Range), range notes and simulation summary."""
        headline = tuple(
            replace(h, range=ranges.get(h.key), note=notes.get(h.key, h.note),
                    no_range=h.no_range if h.key not in ranges else "")
            for h in self.headline
        )  # fmt: skip
        return replace(self, headline=headline, simulation=simulation)

    # --- JSON ------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict of everything (frames as ``{"columns", "index", "data"}``; NaN as null)."""
        out: dict[str, Any] = {"schema": SCHEMA}
        for f in fields(self):
            out[f.name] = _encode(getattr(self, f.name))
        return out

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text (UTF-8, indented)."""
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False, allow_nan=False) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "appraisal") -> Appraisal:
        """The :class:`Appraisal` of :meth:`to_dict`'s output.

        Raises
        ------
        AppraisalFileError
            Another schema version, or a missing or malformed field (named).
        """
        schema = data.get("schema")
        if schema != SCHEMA:
            raise AppraisalFileError(
                f"{where}: written by kil_io {data.get('version', 'of unknown version')} in layout {schema!r}; this "
                f"kil_io reads layout {SCHEMA}: re-run the case (kil-io run CASE --force) to write it again"
            )
        try:
            return _decode_appraisal(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise AppraisalFileError(f"{where}: not a complete appraisal ({type(exc).__name__}: {exc}); re-run the "
                                     "case (kil-io run CASE --force)") from None  # fmt: skip


def headline_document(headline: Sequence[Headline], version: str) -> dict[str, Any]:
    """A result's ``headline.json``: central values keyed by label, then ``units``, ``ranges`` and ``kil_io``.

    ``ranges`` holds each figure's 90% range (``low``, ``high``, ``median``, ``level``, ``draws``) or
    ``{"none": why}``; ``kil_io`` is the version that computed the figures (``reporting.formatting.VERSION_KEY``).
    Appraisals and a council's spend impact write theirs here.
    """
    out: dict[str, Any] = {h.label: json_round(h.value) for h in headline}
    out["units"] = {h.label: h.unit for h in headline}
    ranges: dict[str, Any] = {}
    for h in headline:
        if h.range is not None:
            r = {k: json_round(getattr(h.range, k)) for k in ("low", "high", "median", "level")}
            ranges[h.label] = {**r, "draws": h.range.draws}
        else:
            ranges[h.label] = {"none": h.no_range or "not simulated"}
    out["ranges"] = ranges
    out["kil_io"] = version
    return out


def read_appraisal(path: str | Path) -> Appraisal:
    """An :class:`Appraisal` from ``appraisal.json`` (a file, or a result folder that holds one).

    Raises
    ------
    AppraisalFileError
        No such file (the message says what a result folder holds), unreadable JSON, or another layout.
    """
    p, data = read_result_json(
        path,
        FILE,
        AppraisalFileError,
        what="an appraisal",
        again="re-run the case with --force",
        missing=f"no appraisal here; a result folder of an organisation or contract case holds {FILE} (made by kil-io "
        "run with kil_io 0.3 or later; re-run the case with --force)",
    )
    return Appraisal.from_dict(data, where=str(p))


# --- encoding -----------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return frame_json(value)
    if isinstance(value, Input):
        d = {k: _encode(v) for k, v in asdict(value).items() if k != "spread"}
        d["spread"] = None if value.spread is None else {"low": value.spread.low, "high": value.spread.high,
                                                         "shape": value.spread.shape}  # fmt: skip
        return d
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return json_number(value)


def _decode_input(d: Mapping[str, Any]) -> Input:
    spread = d.get("spread")
    nan = float("nan")
    return Input(
        name=d["name"], value=nan if d["value"] is None else float(d["value"]),
        spread=None if spread is None else Distribution(spread["low"], spread["high"], spread["shape"]),
        unit=d["unit"], source=d["source"], mode=nan if d["mode"] is None else float(d["mode"]), label=d["label"],
        basis=d["basis"], group=d["group"], range_source=d.get("range_source", ""),
    )  # fmt: skip


def _decode_entity(d: Mapping[str, Any]) -> Entity:
    frames = {k: frame_from_json(d[k]) for k in ("figures", "rates", "detail", "lines", "lm3")}
    if d.get("enterprises") is not None:
        frames["enterprises"] = frame_from_json(d["enterprises"])
    return Entity(name=d["name"], role=d["role"], key=d["key"], income=float(d["income"]),
                  local_spend=float(d["local_spend"]), **frames)  # fmt: skip


def _decode_headline(d: Mapping[str, Any]) -> Headline:
    r = d.get("range")
    return Headline(
        key=d["key"], label=d["label"], unit=d["unit"], basis=d["basis"], value=float(d["value"]),
        range=None if r is None else Range(**r), no_range=d.get("no_range", ""), note=d.get("note", ""),
    )  # fmt: skip


def _decode_appraisal(d: Mapping[str, Any]) -> Appraisal:
    sim = d.get("simulation")
    optional = {
        k: None if d.get(k) is None else frame_from_json(d[k])
        for k in ("comparison", "sensitivity", "published", "history", "by_place")
    }
    return Appraisal(
        case=d["case"], title=d["title"], kind=d["kind"], description=d["description"], source=d["source"],
        area=d["area"], area_code=d["area_code"], year=int(d["year"]), national_year=int(d["national_year"]),
        method=d["method"], delta=float(d["delta"]), table=dict(d["table"]), focus=d["focus"],
        contract_value=None if d["contract_value"] is None else float(d["contract_value"]),
        organisation=None if d["organisation"] is None else _decode_entity(d["organisation"]),
        providers=tuple(_decode_entity(p) for p in d["providers"]),
        headline=tuple(_decode_headline(h) for h in d["headline"]),
        inputs=tuple(_decode_input(i) for i in d["inputs"]),
        multipliers=frame_from_json(d["multipliers"]), household_effect=dict(d["household_effect"]),
        checks=tuple(d["checks"]), notes=tuple(d["notes"]), version=d["version"],
        records=tuple(d.get("records", ())), by_place_notes=tuple(d.get("by_place_notes", ())),
        tender=None if d.get("tender") is None else Tender.from_dict(d["tender"]),
        simulation=None if sim is None else SimulationSummary(
            draws=int(sim["draws"]), seed=sim["seed"], level=float(sim["level"]),
            summary=frame_from_json(sim["summary"]), drivers=frame_from_json(sim["drivers"]), driven=sim["driven"],
        ),
        **optional,
    )  # fmt: skip
