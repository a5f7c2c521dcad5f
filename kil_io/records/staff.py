"""An organisation's staff list: FTE, pay and where each person (or group) lives -> the local share of pay.

The template (``kil_io/records/templates/staff.csv``) has one row per person or per group of people
with the same home area. Columns: ``role`` (optional label), ``fte`` (full-time equivalents of
the row), ``pay`` (gross pay of the row, £ a year) and ``home``: a full postcode (``LS6 1AN``), a
postcode sector (``LS6 1``) or district (``LS6``), or a local authority (``Leeds``,
``E08000035``). A district or sector straddling a boundary counts in the area by its share of
postcodes there (:mod:`kil_io.records.postcodes`).

The local share of pay is weighted by £: ``sum(pay_i * local_i) / sum(pay_i)``, where ``local_i``
is the share of row *i*'s home in the area. A home the directory does not know, or left empty,
counts as outside the area (the conservative choice) and is listed by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kil_io.appraisal.organisation import pay_per_fte_note
from kil_io.records.areas import LocalArea
from kil_io.records.postcodes import Place, PostcodeDirectory
from kil_io.records.tables import Column, Layout, Problems, read_sheet, unused_note

LAYOUT = Layout(
    what="staff list",
    option="--staff",
    columns=(
        Column("role", ("name", "post", "job", "job title", "person", "group", "employee"), required=False),
        Column("fte", ("full time equivalent", "full time equivalents", "fte hours")),
        Column("pay", ("gross pay", "salary", "annual pay", "pay a year", "annual salary", "pay per year", "wages")),
        Column("home", ("home postcode", "postcode", "home location", "lives in", "home area", "residence")),
    ),
)


@dataclass(frozen=True)
class Unplaced:
    """A row whose location is not known, counted as outside the area: where it is, and why.

    Attributes
    ----------
    path : Path
    row : int
        Row of the file, as a spreadsheet numbers it.
    column, value : str
        The column that should have placed the row, and what it holds.
    amount : float
        The row's money: pay a year for a staff row, spend for a supplier or a payment [£].
    why : str
        Why the row has no place, for the message.
    """

    path: Path
    row: int
    column: str
    value: str
    amount: float
    why: str

    def __str__(self) -> str:
        return f"{self.path}, row {self.row}, column '{self.column}': {self.value!r} {self.why} (£{self.amount:,.0f})"


@dataclass(frozen=True)
class StaffRecords:
    """What a staff list says, for the area it was read for.

    Attributes
    ----------
    path : Path
    rows : int
        Data rows (people or groups).
    fte : float
        Total full-time equivalents [FTE].
    pay : float
        Total gross pay a year [£].
    local_pay : float
        The part of ``pay`` paid to staff living in the area [£].
    local_fte : float
        The part of ``fte`` living in the area [FTE].
    area : LocalArea
    unplaced : tuple of Unplaced
        Rows with an empty or unknown home (counted outside the area).
    places : dict
        How many rows gave each kind of home (postcode, sector, district, authority).
    notes : tuple of str
        Rows whose pay per FTE looks implausible (warnings, not errors).
    unused : str
        What :func:`~kil_io.records.tables.unused_note` says of the file's columns the reader does
        not use (empty when there are none).
    """

    path: Path
    rows: int
    fte: float
    pay: float
    local_pay: float
    local_fte: float
    area: LocalArea
    unplaced: tuple[Unplaced, ...]
    places: dict[str, int]
    notes: tuple[str, ...] = ()
    unused: str = ""

    @property
    def local_share(self) -> float:
        """Share of pay paid to staff living in the area (by £); NaN with no pay [share]."""
        return self.local_pay / self.pay if self.pay > 0 else float("nan")


def read_staff(
    path: str | Path, area: LocalArea, *, directory: PostcodeDirectory | None = None, others: tuple[Layout, ...] = ()
) -> StaffRecords:
    """Read a staff list (``.csv`` or ``.xlsx``) and place each row's home in or out of ``area``.

    Parameters
    ----------
    path : str or Path
    area : LocalArea
        From :func:`kil_io.records.areas.local_area`.
    directory : PostcodeDirectory, optional
        Default: a new one (the directory's letters are cached for the process either way).
    others : tuple of Layout
        The other kinds of records, to say which one a wrongly given file looks like.

    Returns
    -------
    StaffRecords
        Pay in pounds a year [£], staff in full-time equivalents [FTE].

    Raises
    ------
    RecordsError
        The wrong shape; FTE or pay that are not numbers, negative, or both zero; a home that is not
        a postcode, sector, district or authority (each naming the file, row, column and value).
    """
    sheet = read_sheet(path, LAYOUT, others=others)
    directory = directory or PostcodeDirectory()
    problems = Problems(sheet)
    fte = pay = local_pay = local_fte = 0.0
    unplaced: list[Unplaced] = []
    places: dict[str, int] = {}
    notes: list[str] = []
    for row, cells in sheet.rows:
        f = problems.number(row, cells, "fte", what="a number of FTE")
        p = problems.money(row, cells, "pay")
        home = problems.text(row, cells, "home", required=False)
        if f is None or p is None:
            continue
        if f == 0 and p == 0:
            problems.add(row, "", None, "has no FTE and no pay: remove the row, or fill it in")
            continue
        if note := pay_per_fte_note(p, f):
            notes.append(f"{sheet.path}, row {row}: {note}")
        elif f == 0:
            notes.append(f"{sheet.path}, row {row}: £{p:,.0f} of pay with no FTE (sessional staff? give their FTE)")
        where: Place | str = directory.locate(home) if home else "is empty"
        if isinstance(where, str):
            if home:
                problems.add(row, "home", home, where)
                continue
            unplaced.append(Unplaced(sheet.path, row, "home", home, p, "is empty: counted as outside the area"))
        elif not where.found:
            why = f"is not in the {directory.source}: counted as outside the area"
            unplaced.append(Unplaced(sheet.path, row, "home", home, p, why))
        else:
            places[where.kind] = places.get(where.kind, 0) + 1
            share = area.share(where.shares)
            local_pay += p * share
            local_fte += f * share
        fte += f
        pay += p
    problems.check()
    return StaffRecords(sheet.path, len(sheet.rows), fte, pay, local_pay, local_fte, area, tuple(unplaced), places,
                        tuple(notes), unused_note(sheet))  # fmt: skip
