"""The Excel workbook of an appraisal (``<case>.xlsx``): every figure worked in formulas an auditor can follow.

It renders an :class:`~kil_io.appraisal.result.Appraisal` and nothing else; it never runs the model.

Sheets
------
Summary
    The headline: label, central figure (a formula pointing at Working), the range's low and
    high ends and level as ``headline.json`` holds them (each range on its own figure), basis, note.
Inputs
    Every input: label, value, unit, basis, source and range. Each value cell has an Excel name
    (``organisation.staff.costs`` -> ``organisation_staff_costs``, :func:`excel_name`) that
    Working's formulas use; with providers, ``contract_value`` too.
Multipliers
    The local multipliers of the industries bought from (code and name): Type I, Type II and
    direct FTE, GVA and pay, and the household effect of local household income re-spent.
Working
    The arithmetic (:mod:`kil_io.reporting.working`): gross figures from the inputs and the
    multipliers, net figures from gross and the rates, LM3; each total beside the model's own
    figure and the difference; for a contract, the providers compared.
Results
    Gross and net figures by component and the provider comparison: formulas pointing at Working.

Number formats come from :mod:`kil_io.reporting.formatting` (£m fitted to the figure's size).
Text from a case file (title, sources, names, labels) is always a string cell, never a formula;
control characters openpyxl refuses are shown as U+FFFD.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils.cell import absolute_coordinate
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from kil_io.appraisal.result import Appraisal
from kil_io.files import write_atomic
from kil_io.reporting import formatting as fmt
from kil_io.reporting.working import (
    BOLD,
    COEF,
    COMPONENTS,
    MULTIPLIERS,
    TITLE,
    TOTALS,
    WRAP,
    Cells,
    Names,
    form,
    put_formula,
    put_header,
    put_number,
    put_text,
    set_widths,
    working_sheet,
)

#: The defined name of the contract value every provider delivers (not an input of its own).
CONTRACT_VALUE = "contract_value"


def workbook_path(folder: str | Path, appraisal: Appraisal) -> Path:
    """Where a result folder keeps the appraisal's workbook.

    Parameters
    ----------
    folder : str or Path
    appraisal : Appraisal

    Returns
    -------
    Path
        ``<folder>/<case>.xlsx``.
    """
    return Path(folder) / f"{appraisal.case}.xlsx"


def write_workbook(appraisal: Appraisal, path: str | Path) -> Path:
    """Write the appraisal's workbook (:func:`build_workbook`) to ``path``, atomically.

    Parameters
    ----------
    appraisal : Appraisal
    path : str or Path
        The ``.xlsx`` file (e.g. :func:`workbook_path`); a file already there is replaced, and
        left as it was if writing fails.

    Returns
    -------
    Path
        ``path``.
    """
    buffer = io.BytesIO()
    build_workbook(appraisal).save(buffer)
    write_atomic(Path(path), buffer.getvalue(), force=True)
    return Path(path)


def build_workbook(appraisal: Appraisal) -> Workbook:
    """The appraisal's workbook as an openpyxl object (see the module notes for its sheets).

    Parameters
    ----------
    appraisal : Appraisal
        An organisation or contract appraisal (:func:`kil_io.uncertainty.appraise`, or
        :func:`kil_io.appraisal.read_appraisal` of its ``appraisal.json``).

    Returns
    -------
    Workbook
        Formulas without cached values: Excel and LibreOffice compute them on opening.

    Examples
    --------
    >>> import kil_io
    >>> from kil_io.uncertainty import appraise
    >>> a = appraise(kil_io.case_study("halifax_opportunities_trust"), 1000, seed=1)  # doctest: +SKIP
    >>> build_workbook(a)["Summary"]["B6"].value  # doctest: +SKIP
    '=Working!B47'
    """
    wb = Workbook()
    wb.active.title = "Summary"
    sheets = {name: wb.create_sheet(name) for name in ("Inputs", "Multipliers", "Working", "Results")}
    names = _inputs(wb, sheets["Inputs"], appraisal)
    mult = _multipliers(sheets["Multipliers"], appraisal)
    blocks, compared = working_sheet(sheets["Working"], appraisal, names, mult)
    _results(sheets["Results"], appraisal, blocks, compared)
    refs = {}
    if appraisal.focus == "organisation" and appraisal.organisation is not None:
        refs = {key: f"Working!{cell}" for key, cell in blocks[appraisal.organisation.key].items()}
    if compared:  # the headline's difference is the comparison's last row (:func:`kil_io.appraisal.appraise`)
        refs.update({f"difference: {m}": f"Working!{cell}" for m, cell in compared[-1].items()})
        refs["contract_value"] = CONTRACT_VALUE
    _summary(wb["Summary"], appraisal, refs)
    wb.calculation.fullCalcOnLoad = True  # openpyxl stores formulas without values: compute on opening
    return wb


def excel_name(name: str, taken: set[str]) -> str:
    """A valid Excel defined name for an input's name, unique (case-blind) among ``taken``, which it joins.

    Parameters
    ----------
    name : str
        An input's name (``organisation.spending[0].value``).
    taken : set of str
        The names given so far, case-folded; the new one is added.

    Returns
    -------
    str
        Letters, digits and ``_`` only (``organisation_spending_0_value``); a name that would
        start with a digit or read as a cell reference (``A1``, ``R1C1``) starts with ``_``, and
        one already taken gets ``_2``, ``_3``, ...

    Examples
    --------
    >>> excel_name("providers.local.spending[3].local_share", set())
    'providers_local_spending_3_local_share'
    >>> excel_name("AB12", set())
    '_AB12'
    """
    base = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_")[:240] or "input"
    if not (base[0].isalpha() or base[0] == "_") or re.fullmatch(r"[A-Za-z]{1,3}\d+|[RrCc]\d*([RrCc]\d*)?", base):
        base = "_" + base
    out, k = base, 2
    while out.casefold() in taken:
        out, k = f"{base}_{k}", k + 1
    taken.add(out.casefold())
    return out


def _summary(ws: Worksheet, a: Appraisal, refs: dict[str, str]) -> None:
    """The headline, each central figure a formula where ``refs`` has its cell, each range as headline.json's."""
    put_text(ws, 1, 1, a.title, Font(bold=True, size=14))
    sim = f"{a.simulation.draws:,} draws, seed {a.simulation.seed}" if a.simulation else "no simulation"
    put_text(ws, 2, 1, f"{a.area} ({a.area_code}), {a.kind} case; employment {a.year}, UK table {a.national_year}, "
                       f"{a.method.upper()} delta {a.delta:g}; kil_io {a.version}; {sim}")  # fmt: skip
    put_text(ws, 3, 1, f"Case: {a.source}")
    first = put_header(ws, 5, ["Figure", "Central", "Low", "High", "Range level", "Basis", "Note"])
    ranges = a.headline_json()["ranges"]  # keyed by each figure's own label: a range is never another measure's
    for row, h in enumerate(a.headline, start=first):
        put_text(ws, row, 1, fmt.label_for(h.label).text)
        if h.key in refs:
            put_formula(ws, row, 2, refs[h.key], form(h.unit, h.value))
        else:
            put_number(ws, row, 2, h.value, form(h.unit, h.value))
        spread, note = ranges.get(h.label, {}), [h.note] if h.note else []
        if "low" in spread:
            for col, end in ((3, "low"), (4, "high")):
                put_number(ws, row, col, spread[end], form(h.unit, spread[end]))
            put_number(ws, row, 5, spread["level"], form("share"))
            note.append(f"{spread['draws']:,} draws")
            if h.range is not None and h.range.p_ahead is not None:
                note.append(f"above zero in {h.range.p_ahead:.0%} of draws")
        else:
            note.append(f"no range: {spread.get('none', h.no_range or 'not simulated')}")
        note.append(f"headline.json key {h.label!r}" + ("" if h.key in refs else "; the model's figure"))
        put_text(ws, row, 6, h.basis)
        put_text(ws, row, 7, "; ".join(note)).alignment = WRAP
    row = first + len(a.headline) + 1
    put_text(ws, row, 1, "Gross figures count every job and £ of GVA the spending supports; net figures deduct "
                         "leakage (jobs and GVA only), displacement, substitution and deadweight. Jobs are FTE, money "
                         "£ a year. Central figures are formulas: Working has the arithmetic, Inputs every value "
                         "used.")  # fmt: skip
    for k, text in enumerate((*a.notes, *a.checks), start=1):
        put_text(ws, row + k, 1, text)
    set_widths(ws, [48, 14, 14, 14, 12, 8, 60])


def _inputs(wb: Workbook, ws: Worksheet, a: Appraisal) -> Names:
    """The Inputs sheet with a defined name per input; returns input name -> its defined name."""
    put_header(ws, 1, ["Group", "Input", "Value", "Unit", "Basis", "Source", "Name in formulas", "Input (case file)",
                       "Low", "High", "Distribution"])  # fmt: skip
    taken, names = {CONTRACT_VALUE}, {}
    rows = [(i.group, i.label or i.name, i.value, i.unit, i.basis, i.source, i.name, i.spread) for i in a.inputs]
    if a.providers:  # what each provider delivers: the contract, or (an organisation's case) the organisation's income
        value = a.contract_value if a.contract_value is not None else a.providers[0].income
        source = "the contract value appraised" if a.focus == "contract" else "the organisation's income"
        rows.append(("Contract", "contract value, the same for every provider", value, "£", "record", source,
                     CONTRACT_VALUE, None))  # fmt: skip
    for row, (group, label, value, unit, basis, source, name, spread) in enumerate(rows, start=2):
        names[name] = CONTRACT_VALUE if name == CONTRACT_VALUE else excel_name(name, taken)
        for col, text in ((1, group), (2, label), (4, unit), (5, basis), (7, names[name]), (8, name),
                          (11, spread.shape if spread else "fixed")):  # fmt: skip
            put_text(ws, row, col, text)
        put_text(ws, row, 6, source).alignment = WRAP
        if spread is not None:
            put_number(ws, row, 9, spread.low, form(unit, spread.low))
            put_number(ws, row, 10, spread.high, form(unit, spread.high))
        cell = put_number(ws, row, 3, value, form(unit, value))
        wb.defined_names.add(DefinedName(names[name], attr_text=f"Inputs!{absolute_coordinate(cell)}"))
    ws.freeze_panes = "C2"
    set_widths(ws, [28, 44, 14, 8, 11, 80, 34, 34, 12, 12, 12])
    return names.__getitem__


def _multipliers(ws: Worksheet, a: Appraisal) -> Cells:
    """The Multipliers sheet; returns ``"<sector>:<column>"`` and ``"household:<measure>"`` -> absolute reference."""
    put_text(ws, 1, 1, f"Local multipliers of {a.area} ({a.table.get('label', '')}; {a.method.upper()} delta "
                       f"{a.delta:g}; UK table {a.national_year}, employment {a.year}): per £1, or FTE per £1m, of "
                       "local final demand (Type I and II) or of output (direct)", BOLD)  # fmt: skip
    first = put_header(ws, 3, ["Sector", "Industry", *MULTIPLIERS.values()])
    refs: Cells = {}
    for row, (sector, r) in enumerate(a.multipliers.iterrows(), start=first):
        put_text(ws, row, 1, sector)
        put_text(ws, row, 2, r["industry"]).alignment = WRAP
        for col, column in enumerate(MULTIPLIERS, start=3):
            refs[f"{sector}:{column}"] = f"Multipliers!{absolute_coordinate(put_number(ws, row, col, r[column], COEF))}"
    row = first + len(a.multipliers) + 1
    put_text(ws, row, 1, "Household effect: all rounds of £1m of local households' income re-spent (Type II "
                         "less Type I of their spending), at the Inputs' resident share and household income",
             BOLD)  # fmt: skip
    for k, (measure, label) in enumerate((("fte", "FTE"), ("gva", "GVA (£m)"), ("pay", "Pay (£m)")), start=1):
        put_text(ws, row + k, 2, f"{label} per £1m of local household income")
        cell = put_number(ws, row + k, 3, a.household_effect[measure], COEF)
        refs[f"household:{measure}"] = f"Multipliers!{absolute_coordinate(cell)}"
    ws.freeze_panes = "C4"
    set_widths(ws, [16, 48, *[12] * len(MULTIPLIERS)])
    return refs


def _results(ws: Worksheet, a: Appraisal, blocks: dict[str, Cells], compared: list[Cells]) -> None:
    """Gross and net figures by component for each entity, then the provider comparison: formulas into Working."""
    put_text(ws, 1, 1, "Local jobs, GVA and income by component, gross and net: formulas pointing at Working", TITLE)
    measures, row = list(TOTALS)[:6], 2
    for e in a.entities:
        put_text(ws, row + 1, 1, e.name, BOLD)
        first = put_header(ws, row + 2, ["Component", *(TOTALS[m][1] for m in measures)])
        for row, component in enumerate((*COMPONENTS, "total"), start=first):
            put_text(ws, row, 1, component, BOLD if component == "total" else None)
            for col, m in enumerate(measures, start=2):
                cell = blocks[e.key][m if component == "total" else f"{component}.{m}"]
                put_formula(ws, row, col, f"Working!{cell}", form(TOTALS[m][0], float(e.figures.loc[component, m])))
        row += 1
    if compared and a.comparison is not None:
        put_text(ws, row + 2, 1, f"The same {fmt.money(a.contract_value)} contract by each provider, and the "
                                 "difference from the last", BOLD)  # fmt: skip
        first = put_header(ws, row + 3, ["Provider", *(title for _, title in TOTALS.values())])
        for row, (cells, (label, r)) in enumerate(zip(compared, a.comparison.iterrows(), strict=True), start=first):
            put_text(ws, row, 1, label)
            for col, (m, (unit, _)) in enumerate(TOTALS.items(), start=2):
                put_formula(ws, row, col, f"Working!{cells[m]}", form(unit, float(r[m])))
    set_widths(ws, [52, *[14] * len(TOTALS)])


__all__ = ["CONTRACT_VALUE", "build_workbook", "excel_name", "workbook_path", "write_workbook"]
