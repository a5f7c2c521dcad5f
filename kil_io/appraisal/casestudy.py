"""What a case file holds, as one read-only value: :class:`CaseStudy` (read by :mod:`kil_io.appraisal.casefile`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from kil_io.appraisal.additionality import Rates
from kil_io.appraisal.contract import Contract
from kil_io.appraisal.organisation import Figure, Organisation, Provider, one_line
from kil_io.readers.ons import ONS_COMBINED
from kil_io.regional.quotients import DEFAULT_DELTA, Method

#: Readable spending categories and the IOAT industry each buys from.
CATEGORIES: dict[str, str] = {
    "premises_rent": "L68BXL683",
    "building_maintenance": "F41, F42 & F43",
    "cleaning_and_facilities": "N81",
    "security": "N80",
    "energy": "D351",
    "water": "E36",
    "waste": "E38",
    "catering": "I56",
    "groceries_and_retail": "G47",
    "wholesale_supplies": "G46",
    "printing": "C18",
    "telecoms": "J61",
    "it_services": "J62",
    "legal": "M691",
    "accounting": "M692",
    "consultancy": "M70",
    "marketing": "M73",
    "equipment_hire": "N77",
    "agency_staff": "N78",
    "insurance": "K65.1-2 & K65.3",
    "banking": "K64",
    "land_transport": "H493T495",
    "postal": "H53",
    "training": "P85",
    "health_services": "Q86",
    "social_care": "Q87 & Q88",
    "arts_and_culture": "R90",
    "sport_and_leisure": "R93",
    "membership_organisations": "S94",
}

Kind = Literal["organisation", "contract", "area"]
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class RecordFile:
    """A file of the organisation's records that a case file's figures were made from.

    Attributes
    ----------
    role : {"accounts", "staff", "suppliers"}
    file : str
        As written in the case file: relative to the case file's folder, or absolute.
    rows : int
        Data rows read.
    sha256 : str
        Of the file's bytes when the case was made (so a later change can be noticed).
    """

    role: str
    file: str
    rows: int
    sha256: str


#: Optional keys of a spending line: the range of its local share and the distribution over it.
_RANGED = ("local_share_range", "local_share_distribution")


@dataclass(frozen=True)
class CaseStudy:
    """A loaded case file (read-only).

    Attributes
    ----------
    name : str
        File stem, e.g. ``"halifax_opportunities_trust"``.
    kind : {"organisation", "contract", "area"}
    title : str
    area, year, method, delta
        Where and when, and how the regional table is made.
    organisation : Organisation or None
        The accounts (organisation cases, and contract cases that compare providers of an organisation's
        service); ``None`` for a tender (``contract``).
    providers : mapping
        Key -> :class:`~kil_io.appraisal.commissioning.Provider` (contract cases: the providers or bids).
    contract : Contract or None
        A tender's contract: its value, the bids for it and its lots (:mod:`kil_io.appraisal.contract`).
    lm3_survey : mapping
        Surveyed re-spend shares (``staff_respend_share``, ``supplier_respend_share``), if any.
    sectors : tuple of str
        Headline sectors (area cases).
    published : mapping
        Figures a study published, for comparison only (never inputs).
    sensitivity : mapping
        Assumption -> values to try (see :func:`kil_io.appraisal.sensitivity.sensitivity`).
    rates : Rates or None
        The gross-to-net rates (``additionality:`` in the file: a preset ``scenario`` and/or
        rates with sources); ``None`` when the file has none (the ``central`` preset is used).
    records : tuple of RecordFile
        The organisation's files the figures were made from (``kil-io new-case``), if any;
        ``records_command`` is the command that made them and ``records_checks`` what the files
        disagree on, leave to assumption, or could not place (one sentence each).
    path : Path or None
        The case file.
    moved_from : str
        The area the case file names, where the case is appraised in another (:func:`~kil_io.case_study`'s
        ``area``); empty otherwise.
    """

    name: str
    kind: Kind
    title: str
    area: str
    year: int
    method: Method = "flq"
    delta: float = DEFAULT_DELTA
    organisation: Organisation | None = None
    providers: Mapping[str, Provider] = field(default_factory=dict)
    contract: Contract | None = None
    lm3_survey: Mapping[str, Figure] = field(default_factory=dict)
    sectors: tuple[str, ...] = ()
    published: Mapping[str, Figure] = field(default_factory=dict)
    sensitivity: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    description: str = ""
    rates: Rates | None = None
    records: tuple[RecordFile, ...] = ()
    records_command: str = ""
    records_checks: tuple[str, ...] = ()
    path: Path | None = None
    moved_from: str = ""

    def __post_init__(self) -> None:
        for what in ("title", "area"):
            one_line(getattr(self, what), f"case {self.name!r}: the {what}")

    @property
    def respend_share(self) -> float | None:
        """The surveyed staff re-spend share, if the file has one: the page's one re-spend assumption."""
        fig = self.lm3_survey.get("staff_respend_share")
        return None if fig is None else fig.value


def case_on(case: CaseStudy, sectors: tuple[str, ...]) -> tuple[CaseStudy, tuple[str, ...]]:
    """The case with the sector codes it names put on a table's sectors, and a note for each code moved.

    ONS's 2023 tables combine ``C254`` and ``C25OTHER`` into ``C25``
    (:data:`kil_io.readers.ONS_COMBINED`): a case written for 2019-2022 that names either still
    runs on them, its lines counted in ``C25``. A code the table has is kept; any other is left for
    the model's own check to name.

    Parameters
    ----------
    case : CaseStudy
    sectors : tuple of str
        The table's sector codes.

    Returns
    -------
    case : CaseStudy
        The case on ``sectors`` (``case`` itself when nothing moves).
    notes : tuple of str
        One sentence for each line moved.
    """
    org, notes = (None, ()) if case.organisation is None else organisation_on(case.organisation, sectors)
    providers = dict(case.providers)
    for key, p in case.providers.items():
        spending = tuple(replace(s, sector=_on(s.sector, sectors)) for s in p.spending)
        notes += tuple(_note(s.sector, f"providers.{key}.spending[{k}]") for k, s in enumerate(p.spending)
                       if s.sector != spending[k].sector)  # fmt: skip
        providers[key] = replace(p, spending=spending)
    listed = tuple(_on(s, sectors) for s in case.sectors)
    notes += tuple(_note(s, f"sectors[{k}]") for k, s in enumerate(case.sectors) if s != listed[k])
    if not notes:
        return case, ()
    return replace(case, organisation=org, providers=providers, sectors=listed), tuple(f"case '{case.name}': {n}"
                                                                                      for n in notes)  # fmt: skip


def organisation_on(org: Organisation, sectors: tuple[str, ...]) -> tuple[Organisation, tuple[str, ...]]:
    """An organisation's spending, hosted businesses and own sector on a table's sectors (see :func:`case_on`)."""
    spending = tuple(replace(s, sector=_on(s.sector, sectors)) for s in org.spending)
    enterprises = tuple(replace(e, sector=_on(e.sector, sectors)) for e in org.enterprises)
    own = None if org.sector is None else _on(org.sector, sectors)
    notes = tuple(_note(s.sector, f"organisation.spending[{k}]") for k, s in enumerate(org.spending)
                  if s.sector != spending[k].sector)  # fmt: skip
    notes += tuple(_note(e.sector, f"organisation.enterprises.businesses[{k}]") for k, e in enumerate(org.enterprises)
                   if e.sector != enterprises[k].sector)  # fmt: skip
    if org.sector is not None and own != org.sector:
        notes += (_note(org.sector, "organisation.sector"),)
    if not notes:
        return org, ()
    return replace(org, spending=spending, enterprises=enterprises, sector=own), notes


def _on(code: str, sectors: tuple[str, ...]) -> str:
    group = ONS_COMBINED.get(code)
    return group if code not in sectors and group in sectors else code


def _note(code: str, where: str) -> str:
    return (
        f"{where} names '{code}', counted in '{ONS_COMBINED[code]}' on this table: ONS's 2023 tables combine "
        f"{' and '.join(c for c, g in ONS_COMBINED.items() if g == ONS_COMBINED[code])} (for disclosure)"
    )
