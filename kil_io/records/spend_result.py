"""The local impact of a council's spend: :class:`SpendImpact`, everything a reader of it needs.

:func:`kil_io.records.spend_impact.spend_impact` computes it; the notebook page, the brief, the CSV
tables and the command line only format it (:mod:`kil_io.reporting.spend_pages`,
:mod:`kil_io.reporting.spend_brief`). It is frozen and round-trips through JSON
(``spend_impact.json`` in a result folder), as :class:`~kil_io.appraisal.result.Appraisal` does, with
the same encoding of tables, inputs and headline figures.

Money is in £ where it is the ledger's (spend, local spend, what a shift moves) and in £m where it is
an effect on the local economy (GVA, local income); jobs in FTE.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from kil_io.appraisal.inputs import BASES, Input, inputs_frame

# the appraisal result's JSON encoding of frames, inputs and headline figures: one layout for both results
from kil_io.appraisal.jsonframes import frame_from_json, read_result_json
from kil_io.appraisal.result import (
    AppraisalFileError,
    Headline,
    _decode_headline,
    _decode_input,
    _encode,
    headline_document,
)

#: Version of the ``spend_impact.json`` layout; a file of another version is refused with what to do.
SCHEMA = 1
#: The result folder's file holding the spend impact.
FILE = "spend_impact.json"
#: The scenarios of :attr:`SpendImpact.components` and :attr:`SpendImpact.ranges`.
SCENARIOS: tuple[str, ...] = ("today", "shifted", "extra")
#: The measures of each scenario: key -> (unit, basis).
MEASURES: dict[str, tuple[str, str]] = {
    "fte": ("FTE", "gross"),
    "fte_net": ("FTE", "net"),
    "gva": ("£m", "gross"),
    "gva_net": ("£m", "net"),
    "local_income": ("£m", "gross"),
    "local_income_net": ("£m", "net"),
}


@dataclass(frozen=True, eq=False)
class SpendImpact:
    """What a council's spend with local suppliers supports in its area, and what a shift would add (read-only).

    Attributes
    ----------
    title, area, area_code : str
    year, national_year : int
        Employment (BRES) year of the local table, and the year of the UK table regionalised.
    method, delta : str, float
        How the local table was made (location quotients; FLQ ``delta`` [ratio]).
    ledger : mapping
        The ledger as read: ``file`` (its name), ``rows``, ``payments``, ``total``, ``local_value``
        [£], ``local_share`` (CLES, weighted by £), ``unweighted_share`` (the plain mean of service
        areas' shares, never in its place) and ``supplier_share`` (by count) [share], ``lm3_round2``,
        ``unplaced`` (payments with no known place) and ``unplaced_spend`` [£], ``unused`` (columns
        not read), ``mapped_spend``, ``mapped_local``, ``unmapped_spend``, ``unmapped_local`` [£], and
        ``first_date`` and ``last_date`` of its payments (ISO dates; "" when it has none).
    table : mapping
        The local table's facts (:attr:`kil_io.appraisal.result.Appraisal.table`): resident share,
        household income and their sources.
    headline : tuple of Headline
        The CLES local share and local spend (records, no range), then today's local jobs, GVA and
        income, gross and net, and with a shift the extra it brings, each with its range.
    categories : DataFrame
        One row per category in an industry: ``label``, ``sector``, ``industry``, ``spend``,
        ``local_spend``, ``shifted_local_spend`` [£], ``local_share`` [share], ``payments``; today's
        ``fte``, ``fte_net`` [FTE], ``gva``, ``gva_net``, ``local_income``, ``local_income_net`` [£m];
        and ``extra_`` each of them with the shift (zero without one).
    unmapped : DataFrame
        The payments in no industry, by expense type: ``spend``, ``local_spend`` [£], ``payments``,
        ``why``. Counted in the ledger's local share, not followed through the table.
    placements : DataFrame
        How each kind of payment was placed: ``expense_type``, ``service_area``, ``category``,
        ``sector``, ``how``, ``payments``, ``spend`` [£].
    service_areas, suppliers : DataFrame
        The ledger by service area and its top suppliers (:class:`~kil_io.records.procurement.Procurement`).
    unplaced : DataFrame
        Payments whose supplier has no known place: ``row``, ``column``, ``value``, ``amount`` [£], ``why``.
    components : DataFrame
        Index (scenario, component): scenarios :data:`SCENARIOS` (``shifted`` and ``extra`` only with
        a shift), components ``indirect`` (the local suppliers' own jobs and their local supply chains,
        Type I) and ``induced`` (local households' re-spending of the pay, Type II) and ``total``;
        columns :data:`MEASURES`.
    shifts : DataFrame or None
        One row per shift (:func:`kil_io.records.spend_shifts.resolve_shifts`).
    ranges : DataFrame or None
        Every simulated figure, index ``"scenario: measure"``: ``label``, ``central``, ``median``,
        ``low``, ``high``, ``p_positive`` (for ``extra``: the share of draws above zero), ``unit``.
    inputs : tuple of Input
        Every input: the ledger's spend and local shares by category (records), the shifts
        (assumptions), the gross-to-net rates and the model's own.
    multipliers : DataFrame
        The local multipliers of the industries bought from
        (:attr:`kil_io.appraisal.result.Appraisal.multipliers`).
    draws : int
        Monte Carlo draws behind the ranges (0: none).
    seed : int or None
    level : float
        The ranges' coverage [share].
    notes : tuple of str
        What a reader must know: columns not read, payments unplaced or unmapped, model notes.
    version : str
    """

    title: str
    area: str
    area_code: str
    year: int
    national_year: int
    method: str
    delta: float
    ledger: Mapping[str, Any]
    table: Mapping[str, Any]
    headline: tuple[Headline, ...]
    categories: pd.DataFrame
    unmapped: pd.DataFrame
    placements: pd.DataFrame
    service_areas: pd.DataFrame
    suppliers: pd.DataFrame
    unplaced: pd.DataFrame
    components: pd.DataFrame
    shifts: pd.DataFrame | None
    ranges: pd.DataFrame | None
    inputs: tuple[Input, ...]
    multipliers: pd.DataFrame
    draws: int = 0
    seed: int | None = None
    level: float = 0.9
    notes: tuple[str, ...] = ()
    version: str = ""

    # --- reading ---------------------------------------------------------------------------------

    @property
    def shifted(self) -> bool:
        """Whether the result has a shift scenario."""
        return self.shifts is not None and len(self.shifts) > 0

    def figure(self, key: str) -> Headline:
        """The headline figure ``key`` (``local_share``, ``fte``, ``gva_net``, ``extra: fte``, ...)."""
        for h in self.headline:
            if h.key == key:
                return h
        raise KeyError(f"spend impact '{self.title}' has no headline {key!r}; it has {[h.key for h in self.headline]}")

    def total(self, scenario: str, measure: str) -> float:
        """A scenario's total: ``today``, ``shifted`` or ``extra``; a key of :data:`MEASURES` [FTE or £m]."""
        return float(self.components.loc[(scenario, "total"), measure])

    def inputs_frame(self) -> pd.DataFrame:
        """The inputs as a table (:func:`kil_io.appraisal.inputs.inputs_frame`)."""
        return inputs_frame(self.inputs)

    def basis_counts(self) -> dict[str, int]:
        """How many inputs are records, publications and assumptions."""
        counts = dict.fromkeys(BASES, 0)
        for i in self.inputs:
            counts[i.basis] += 1
        return counts

    def headline_json(self) -> dict[str, Any]:
        """``headline.json``: flat central values keyed by label, then ``units`` and ``ranges`` (as an appraisal's)."""
        return headline_document(self.headline, self.version)

    # --- JSON ------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict of everything (frames as ``{"columns", "index", "data"}``; NaN as null)."""
        out: dict[str, Any] = {"schema": SCHEMA, "kind": "spend_impact"}
        for f in fields(self):
            out[f.name] = _encode(getattr(self, f.name))
        return out

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text (UTF-8, indented)."""
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False, allow_nan=False) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "spend impact") -> SpendImpact:
        """The :class:`SpendImpact` of :meth:`to_dict`'s output.

        Raises
        ------
        AppraisalFileError
            Another schema version or kind, or a missing or malformed field (named).
        """
        if data.get("schema") != SCHEMA or data.get("kind") != "spend_impact":
            raise AppraisalFileError(
                f"{where}: not a spend impact of layout {SCHEMA} (kind {data.get('kind')!r}, layout "
                f"{data.get('schema')!r}, kil_io {data.get('version', 'unknown')}): run it again (kil-io spend-impact)"
            )
        try:
            return _decode(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise AppraisalFileError(f"{where}: not a complete spend impact ({type(exc).__name__}: {exc}); run it "
                                     "again (kil-io spend-impact)") from None  # fmt: skip


def read_spend_impact(path: str | Path) -> SpendImpact:
    """A :class:`SpendImpact` from ``spend_impact.json`` (a file, or a result folder that holds one).

    Raises
    ------
    AppraisalFileError
        No such file, unreadable JSON, or another layout.
    """
    p, data = read_result_json(
        path,
        FILE,
        AppraisalFileError,
        what="a spend impact",
        again="run it again",
        missing=f"no spend impact here (kil-io spend-impact --out DIR writes {FILE})",
    )
    return SpendImpact.from_dict(data, where=str(p))


_FRAMES = ("categories", "unmapped", "placements", "service_areas", "suppliers", "unplaced", "components",
           "multipliers")  # fmt: skip


def _decode(d: Mapping[str, Any]) -> SpendImpact:
    frames = {k: frame_from_json(d[k]) for k in _FRAMES}
    optional = {k: None if d.get(k) is None else frame_from_json(d[k]) for k in ("shifts", "ranges")}
    return SpendImpact(
        title=d["title"], area=d["area"], area_code=d["area_code"], year=int(d["year"]),
        national_year=int(d["national_year"]), method=d["method"], delta=float(d["delta"]),
        ledger=dict(d["ledger"]), table=dict(d["table"]),
        headline=tuple(_decode_headline(h) for h in d["headline"]),
        inputs=tuple(_decode_input(i) for i in d["inputs"]),
        draws=int(d["draws"]), seed=d["seed"], level=float(d["level"]), notes=tuple(d["notes"]),
        version=d["version"], **frames, **optional,
    )  # fmt: skip


__all__ = ["FILE", "MEASURES", "SCENARIOS", "SCHEMA", "SpendImpact", "read_spend_impact"]
