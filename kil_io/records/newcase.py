"""Records in, case out: an organisation's accounts, staff list and supplier ledger -> a case file.

:func:`case_from_records` reads the three files of the templates (any of them may be missing,
within limits), derives every figure of an ``organisation`` case file from them, and says where
each came from: ``"records: suppliers.csv, 212 rows ..."`` for a figure read from a file, and
``"assumption: ..."`` for one the records do not give. What the records disagree on (a ledger
that does not add up to the accounts' bought-in spending, gross pay above staff costs, FTE that
differ) and the rows that could not be placed are kept in :attr:`RecordsCase.checks` and
:attr:`RecordsCase.unplaced`, and written as comments at the top of the case file.

Which figure wins when two files give it:

* income and surplus: the accounts (income less expenditure, before investment gains);
* staff costs: the accounts' staff costs (pay with employer's National Insurance and pension,
  the compensation of employees an input-output table means), else the staff list's gross pay;
* staff FTE: the staff list (the file that says where they live), else the accounts' average FTE;
* local share of pay: the staff list, weighted by £ of pay; without one, the share of jobs in
  the area held by its residents (Census 2021 commuting), labelled an assumption;
* spending: the supplier ledger by category, each with its local share weighted by £; what the
  accounts spent beyond the ledger is left unallocated (it counts as leaving the area).
"""

from __future__ import annotations

import hashlib
import os
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from kil_io import datasets
from kil_io.appraisal.casefile import CaseStudy, case_study
from kil_io.datasets import Area, household
from kil_io.datasets.areas import NORTHERN_IRELAND as NI_NOTE
from kil_io.errors import AreaError, CaseError, DatasetError, PlausibilityWarning, RecordsError
from kil_io.limits import excerpt
from kil_io.records import accounts as accounts_mod
from kil_io.records import staff as staff_mod
from kil_io.records import suppliers as suppliers_mod
from kil_io.records.accounts import Accounts, read_accounts
from kil_io.records.areas import LocalArea, local_area
from kil_io.records.postcodes import PostcodeDirectory
from kil_io.records.staff import StaffRecords, Unplaced, read_staff
from kil_io.records.suppliers import SupplierLedger, read_suppliers
from kil_io.regional import DEFAULT_DELTA
from kil_io.yamlsafe import comment_line, control_character

#: Relative gap above which a ledger total and the accounts' bought-in spending "disagree".
LEDGER_TOLERANCE = 0.02
#: Default industry of the organisation: most community organisations' main activity.
DEFAULT_SECTOR = "Q87 & Q88"
LAYOUTS = (accounts_mod.LAYOUT, staff_mod.LAYOUT, suppliers_mod.LAYOUT)


@dataclass(frozen=True)
class RecordsCase:
    """A case file made from records, with what was found on the way.

    Attributes
    ----------
    name, title : str
    area : LocalArea
    data : dict
        The case file's content (as :func:`kil_io.appraisal.casefile.load_case` reads it); money in
        pounds a year [£].
    accounts, staff, suppliers : records or None
        What each file said (None when not given).
    checks : tuple of str
        Disagreements between the files, and figures the records left to assumption.
    unplaced : tuple of Unplaced
        Rows whose location was not known (counted outside the area).
    notes : tuple of str
        Plausibility notes (pay per FTE and the like).
    """

    name: str
    title: str
    area: LocalArea
    data: dict[str, Any]
    accounts: Accounts | None
    staff: StaffRecords | None
    suppliers: SupplierLedger | None
    checks: tuple[str, ...]
    unplaced: tuple[Unplaced, ...]
    notes: tuple[str, ...]

    def text(self) -> str:
        """The case file: comments (how it was made, checks, unplaced rows), then the YAML."""
        lines = [
            f"# {comment_line(self.title)}: a case file made by `kil-io new-case` from the organisation's records.",
            '# Money in £ a year. "records:" = read from the files below; "assumption:" = not in them, replace it',
            "# when you know better. Re-make it with the command under records.command when a file changes.",
        ]
        for title, items in (("checks", self.checks), ("rows placed outside the area", self.unplaced),
                             ("notes", self.notes)):  # fmt: skip
            if items:
                lines.append(f"# {title}:")
                lines += [f"#   - {comment_line(i)}" for i in items]
        body = yaml.safe_dump(self.data, sort_keys=False, allow_unicode=True, width=120)
        return "\n".join(lines) + "\n" + body


def one_line_options(**options: str | None) -> None:
    """Raise ``RecordsError`` if a one-line option (``--title`` ...) holds a line break or a control character."""
    for option, text in options.items():
        if text and (bad := control_character(text)):
            raise RecordsError(f"--{option} {excerpt(text)} {bad}")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _relative(path: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return path.resolve().as_posix()


def _case_area(area: str | Area) -> tuple[Area, str, tuple[int, ...]]:
    """The area (:func:`kil_io.datasets.area`), how the case file names it, and its years of local employment.

    The case file names the area by its name where the name resolves back to it, else by its code.
    """
    where = datasets.area(area)
    years = datasets.employment_years(where)
    if not years:
        raise AreaError(f"area {where.label}: its records can be read, but its case needs local employment: {NI_NOTE}")
    try:
        same = datasets.area(where.name).code == where.code
    except AreaError:  # the name means two areas: the code says which
        same = False
    return where, where.name if same else where.code, years


def case_from_records(
    name: str,
    *,
    area: str | Area,
    folder: str | Path = ".",
    accounts: str | Path | None = None,
    staff: str | Path | None = None,
    suppliers: str | Path | None = None,
    title: str | None = None,
    year: int | None = None,
    sector: str = DEFAULT_SECTOR,
    command: str = "",
    directory: PostcodeDirectory | None = None,
) -> RecordsCase:
    """Read an organisation's records and make its case file's content.

    Parameters
    ----------
    name : str
        The case's name (its file is ``NAME.yaml``).
    area : str or Area
        The local area, any that :func:`kil_io.datasets.area` resolves and that has local employment
        (a GB authority, region or nation, a combined authority: ``"Leeds"``, ``"E08000035"``).
    folder : str or Path
        Where the case file will be written; record files are written relative to it.
    accounts, staff, suppliers : str or Path, optional
        The three records (``.csv`` or ``.xlsx``, as the templates). Income needs the accounts, or
        both the staff list and the ledger; FTE needs the staff list or the accounts' FTE heading.
    title : str, optional
        Default: the name with spaces.
    year : int, optional
        BRES year of the regional table (default: the latest shipped for the area).
    sector : str
        The organisation's IOAT industry (default :data:`DEFAULT_SECTOR`, labelled an assumption).
    command : str
        The command line that made it, recorded in the case file.
    directory : PostcodeDirectory, optional

    Returns
    -------
    RecordsCase

    Raises
    ------
    AreaError
        An unknown or ambiguous area, or one with no local employment (Northern Ireland).
    RecordsError
        A bad file (each problem naming the file, row, column and value), too few records to make
        the figures, a year with no local employment, or records that contradict each other beyond
        what a case file allows (staff costs and spending above income less surplus).
    """
    folder = Path(folder)
    one_line_options(title=title)
    if not (accounts or staff or suppliers):
        raise RecordsError("give at least one of --accounts, --staff and --suppliers (templates: kil-io templates)")
    resolved, shipped, years = _case_area(area)
    where = local_area(resolved)
    directory = directory or (PostcodeDirectory() if staff or suppliers else None)
    acc = read_accounts(accounts, others=LAYOUTS[1:]) if accounts else None
    team = read_staff(staff, where, directory=directory, others=(LAYOUTS[0], LAYOUTS[2])) if staff else None
    ledger = read_suppliers(suppliers, where, directory=directory, others=LAYOUTS[:2]) if suppliers else None
    if year is None:
        year = int(max(years))
    checks: list[str] = []
    files = []
    for role, records in (("accounts", acc), ("staff", team), ("suppliers", ledger)):
        if records is not None:
            files.append({"role": role, "file": _relative(records.path, folder), "rows": records.rows,
                          "sha256": _sha256(records.path)})  # fmt: skip

    def named(records: Any) -> str:
        return f"records: {records.path.name}"

    # income and surplus
    if acc is not None:
        income = {"value": round(acc.total_income, 2), "source": f"{named(acc)}, total of the income headings"}
        gains = f", before £{acc.investment_gains:,.0f} of investment gains" if acc.investment_gains else ""
        surplus = {"value": round(acc.surplus, 2), "source": f"{named(acc)}, income less expenditure{gains}"}
    elif team is not None and ledger is not None:
        total = team.pay + ledger.total
        income = {"value": round(total, 2), "source": f"assumption: no accounts; income = gross pay in "
                  f"{team.path.name} + spending in {ledger.path.name}"}  # fmt: skip
        surplus = {"value": 0, "source": "assumption: no accounts; no surplus"}
        checks.append("no accounts: income is taken as pay plus the ledger's spending, with no surplus")
    else:
        raise RecordsError("income needs the accounts (--accounts), or both the staff list and the supplier ledger")

    # staff
    if team is not None:
        fte = {"value": round(team.fte, 3), "source": f"{named(team)}, {team.rows} rows, total FTE"}
    elif acc is not None and acc.employees_fte is not None:
        fte = {"value": acc.employees_fte, "source": f"{named(acc)}, Employees (average FTE)"}
    else:
        raise RecordsError(
            f"staff FTE needs the staff list (--staff) or the accounts' '{accounts_mod.NOTES['employees_fte']}' heading"
        )
    if acc is not None and acc.staff_costs is not None:
        costs = {"value": round(acc.staff_costs, 2), "source": f"{named(acc)}, staff costs (pay, employer's NI, "
                 "pension)"}  # fmt: skip
    elif team is not None:
        costs = {"value": round(team.pay, 2), "source": f"{named(team)}, gross pay; employer's National Insurance and "
                 "pension not included (give the accounts' staff costs)"}  # fmt: skip
        checks.append("staff costs are the staff list's gross pay, without employer's NI and pension")
    else:
        raise RecordsError(f"staff costs need the accounts' '{accounts_mod.NOTES['staff_costs']}' heading or --staff")
    if team is not None:
        unknown = f"; {len(team.unplaced)} row(s) with no known home counted outside" if team.unplaced else ""
        local_pay = {"value": round(team.local_share, 6) if team.pay > 0 else 0.0,
                     "source": f"{named(team)}, {team.rows} rows: share of gross pay (by £) paid to staff living in "
                     f"{where.name} (£{team.local_pay:,.0f} of £{team.pay:,.0f}){unknown}"}  # fmt: skip
    else:
        flows = household.commuting(resolved)
        local_pay = {"value": round(flows.resident_share, 6), "source": f"assumption: no staff list; share of jobs "
                     f"in {flows.name} held by its residents ({flows.source})"}  # fmt: skip
        checks.append("no staff list: the local share of pay is the area's share of jobs held by residents")

    # spending
    spending = []
    if ledger is not None:
        for line in ledger.lines:
            entry: dict[str, Any] = (
                {"category": line.category} if line.category else {"sector": line.sector, "label": line.label}
            )
            entry |= {
                "value": round(line.value, 2),
                "local_share": round(line.local_share, 6),
                "source": f"{named(ledger)}, {ledger.rows} rows; this line {line.rows} row(s), {line.suppliers} "
                f"supplier(s), local share by £ (£{line.local_value:,.0f} of £{line.value:,.0f} in {where.name})",
            }
            spending.append(entry)
    elif acc is not None:
        checks.append(f"no supplier ledger: the accounts' £{acc.bought_in:,.0f} of bought-in spending is not traced "
                      "and counts as leaving the area")  # fmt: skip

    # what the files say against each other
    if acc is not None and ledger is not None:
        gap = ledger.total - acc.bought_in
        if abs(gap) > max(1.0, LEDGER_TOLERANCE * abs(acc.bought_in)):
            checks.append(
                f"{ledger.path.name}: the ledger totals £{ledger.total:,.2f}, but {acc.path.name} has expenditure less "
                f"staff costs and depreciation of £{acc.bought_in:,.2f} (difference £{gap:,.2f}, "
                f"{gap / acc.bought_in:+.1%} of it)"
                + ("; the rest is unallocated (counts as leaving the area)" if gap < 0 else "")
            )
    if acc is not None and team is not None:
        if acc.staff_costs is not None and team.pay > acc.staff_costs + 1.0:
            checks.append(f"{team.path.name}: gross pay £{team.pay:,.0f} is more than the staff costs in "
                          f"{acc.path.name} (£{acc.staff_costs:,.0f}), which include it")  # fmt: skip
        if acc.employees_fte and abs(team.fte - acc.employees_fte) > 0.05 * acc.employees_fte:
            checks.append(f"{team.path.name}: {team.fte:g} FTE, but {acc.path.name} gives an average of "
                          f"{acc.employees_fte:g} FTE")  # fmt: skip

    sector_source = (
        f"assumption: {sector} given with --sector"
        if sector != DEFAULT_SECTOR
        else (f"assumption: {DEFAULT_SECTOR} (social work without accommodation), new-case's default; give --sector")
    )
    pretty = title or name.replace("_", " ").strip().capitalize()
    data: dict[str, Any] = {
        "kind": "organisation",
        "title": pretty,
        "area": shipped,
        "year": year,
        "description": f"{pretty}, {resolved.name}: figures from its own records (kil-io new-case).",
        "regional_table": {
            "method": "flq",
            "delta": DEFAULT_DELTA,
            "source": "kil_io default: fitted on the Scottish Government's tables 2015-2019",
        },
        "organisation": {
            "name": pretty,
            "sector": {"code": sector, "source": sector_source},
            "income": income,
            "staff": {"fte": fte, "costs": costs, "local_share": local_pay},
            "surplus": surplus,
            "spending": spending,
        },
        # gross to net: the preset's labelled rates (data/additionality_presets.csv); replace with the study's own
        "additionality": {"scenario": "central"},
        "records": {"command": command, "files": files},
    }
    unplaced = tuple((team.unplaced if team else ()) + (ledger.unplaced if ledger else ()))
    # a column the reader does not use (an invoice number, or 'Cost' meant as the amount) is named, never dropped;
    # last, after what the records disagree on
    checks += [r.unused.replace(str(r.path), r.path.name, 1) for r in (acc, team, ledger) if r is not None and r.unused]
    notes = tuple(team.notes if team else ())
    # the checks travel with the case (and reach its brief), not only as comments at the top of the file
    data["records"]["checks"] = [
        *checks,
        *(f"{u.path.name}, row {u.row}: {u.column} {u.value!r} {u.why}; £{u.amount:,.0f} counted as outside the area"
          for u in unplaced),
    ]  # fmt: skip
    made = RecordsCase(name, pretty, where, data, acc, team, ledger, tuple(checks), unplaced, notes)
    return replace(made, notes=tuple(dict.fromkeys((*notes, *_validate(made)))))


def _validate(case: RecordsCase) -> tuple[str, ...]:
    """Read the case back as ``kil-io run`` will; a contradiction becomes a RecordsError naming the files."""
    return _validate_file(case.name, case.text(), [str(f["file"]) for f in case.data["records"]["files"]])


def _validate_file(name: str, text: str, files: list[str]) -> tuple[str, ...]:
    """Read a made case file's ``text`` back as ``kil-io run`` will; its plausibility notes, or a RecordsError."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", PlausibilityWarning)
                case_study(path)
        except (CaseError, DatasetError) as exc:
            raise RecordsError(f"the records ({', '.join(files)}) do not make a valid case: {exc}") from None
    return tuple(str(w.message).split(": ", 1)[-1] for w in caught if issubclass(w.category, PlausibilityWarning))


def changed_records(case: CaseStudy) -> tuple[str, ...]:
    """The record files of a case made by ``kil-io new-case`` that changed (or went) since it was made.

    Parameters
    ----------
    case : CaseStudy
        Read from its file (:func:`kil_io.appraisal.casefile.case_study`), so that ``case.path`` is known.

    Returns
    -------
    tuple of str
        One sentence per changed or missing file, with the command that re-makes the case.
    """
    if case.path is None:
        return ()
    again = f"; re-make the case: {case.records_command}" if case.records_command else "; re-make the case"
    notes = []
    for record in case.records:
        path = case.path.parent / record.file
        if not path.is_file():
            notes.append(f"{record.file} ({record.role}) is gone since {case.path.name} was made from it{again}")
        elif _sha256(path) != record.sha256:
            notes.append(f"{record.file} has changed since {case.path.name} was made from it{again}")
    return tuple(notes)
