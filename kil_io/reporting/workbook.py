"""The Excel workbook of an organisation or contract case (``<case>.xlsx``), for analysts who check figures.

Sheets: **Summary** (headline figures with ranges, gross and net labelled), **Inputs** (every
input with its unit and source), **Multipliers** (the local multipliers used, by industry),
**Results** (local jobs and GVA by component, or by provider) and **Working** (the headline
worked out in labelled cells whose formulas a reviewer can follow: spending bought locally
times the local multipliers, local staff pay times the household effect, hosted businesses,
then the components and their total beside the model's result). Number formats follow
:mod:`kil_io.reporting.formatting`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kil_io.files import write_atomic
from kil_io.reporting import formatting as fmt
from kil_io.reporting.casereport import CaseReport, Working

BOLD = Font(bold=True)
HEAD = PatternFill("solid", fgColor="DDEBF5")
WRAP = Alignment(wrap_text=True, vertical="top")
XL = fmt.EXCEL_FORMATS
#: Formats of numbers with more precision than a reader's figure (the working's multipliers).
COEF = "0.0000"
MONEY_M3 = '"£"#,##0.000"m"'
_UNIT_FORMATS = {"£": XL["money"], "share": XL["share"], "FTE": XL["fte"]}


def workbook_path(report: CaseReport) -> Path:
    """``<folder>/<case>.xlsx``."""
    return report.folder / f"{report.name}.xlsx"


def write_workbook(report: CaseReport, path: str | Path | None = None) -> Path:
    """Write the case's workbook (atomically) and return its path (default :func:`workbook_path`)."""
    wb = build_workbook(report)
    buffer = io.BytesIO()
    wb.save(buffer)
    target = Path(path) if path is not None else workbook_path(report)
    write_atomic(target, buffer.getvalue(), force=True)
    return target


def build_workbook(report: CaseReport) -> Workbook:
    """The workbook as an openpyxl object (see the module docstring for its sheets)."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    _summary(summary, report)
    _inputs(wb.create_sheet("Inputs"), report)
    _multipliers(wb.create_sheet("Multipliers"), report)
    _results(wb.create_sheet("Results"), report)
    _working(wb.create_sheet("Working"), report)
    wb.calculation.fullCalcOnLoad = True  # openpyxl stores formulas without values: compute on opening
    return wb


def _header(ws: Worksheet, row: int, titles: Sequence[str]) -> None:
    for col, title in enumerate(titles, start=1):
        cell = ws.cell(row, col, title)
        cell.font, cell.fill, cell.alignment = BOLD, HEAD, WRAP


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _put(ws: Worksheet, row: int, col: int, value: Any, number_format: str | None = None) -> None:
    cell = ws.cell(row, col, value)
    if number_format:
        cell.number_format = number_format


def _summary(ws: Worksheet, report: CaseReport) -> None:
    s = report.study
    ws["A1"] = report.title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"{s.area}, {s.kind} case, {s.year} data; kil_io {report.version}, run {report.info.get('finished_utc', '')}"
    )
    _header(ws, 4, ["Figure", "Central", "Low", "High", "Range level", "Basis", "Note"])
    row = 5
    for key, label, value, spread in fmt.headline_figures(report.headline):
        form = XL[label.kind]
        ws.cell(row, 1, label.text)
        _put(ws, row, 2, value, form)
        if spread:
            _put(ws, row, 3, spread.get("low"), form)
            _put(ws, row, 4, spread.get("high"), form)
            _put(ws, row, 5, spread.get("level"), "0%")
            note = f"{spread.get('draws', '?')} draws; headline.json key {key!r}"
        else:
            note = "an input (no range)" if not label.estimate else "range not yet estimated"
            note += f"; headline.json key {key!r}"
        ws.cell(row, 6, label.basis or "")
        ws.cell(row, 7, note)
        row += 1
    row += 1
    ws.cell(
        row,
        1,
        "Gross figures count every job and £ of GVA the spending supports; net figures (when shown) deduct "
        "what would have happened anyway. Jobs are FTE; GVA £ a year. See the Working sheet for the arithmetic.",
    )
    ws.cell(row, 1).alignment = WRAP
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
    ws.row_dimensions[row].height = 45
    _widths(ws, [46, 14, 14, 14, 12, 8, 48])


def _inputs(ws: Worksheet, report: CaseReport) -> None:
    _header(ws, 1, ["Group", "Input", "Value", "Unit", "Source"])
    for row, r in enumerate(report.inputs.itertuples(index=False), start=2):
        ws.cell(row, 1, r.group)
        ws.cell(row, 2, r.input)
        _put(ws, row, 3, float(r.value), _UNIT_FORMATS.get(r.unit, XL["ratio"]))
        ws.cell(row, 4, r.unit)
        ws.cell(row, 5, r.source).alignment = WRAP
    ws.freeze_panes = "A2"
    _widths(ws, [30, 44, 14, 8, 90])


def _multipliers(ws: Worksheet, report: CaseReport) -> None:
    s = report.study
    ws["A1"] = (
        f"Local multipliers of {s.area} ({s.method.upper()} delta {s.delta:g}; UK table {report.national_year}, "
        f"BRES {s.year}), per £1 or £1m of local final demand"
    )
    ws["A1"].font = BOLD
    titles = ["Sector", "Industry", "Output, Type I", "Output, Type II", "FTE per £1m, Type I", "FTE per £1m, Type II",
              "GVA per £1, Type I", "GVA per £1, Type II"]  # fmt: skip
    _header(ws, 3, titles)
    for row, (code, r) in enumerate(report.multipliers.iterrows(), start=4):
        ws.cell(row, 1, str(code))
        ws.cell(row, 2, str(r["industry"])).alignment = WRAP
        for col, name in enumerate(["output_type_i", "output_type_ii", "fte_per_1m_type_i", "fte_per_1m_type_ii",
                                    "gva_per_1_type_i", "gva_per_1_type_ii"], start=3):  # fmt: skip
            _put(ws, row, col, float(r[name]), XL["fte"] if name.startswith("fte") else XL["ratio"])
    ws.freeze_panes = "C4"
    _widths(ws, [12, 48, 12, 12, 14, 14, 12, 12])


def _results(ws: Worksheet, report: CaseReport) -> None:
    ranges = {label.kind: spread for _k, label, _v, spread in fmt.headline_figures(report.headline)
              if spread and label.basis != "net"}  # fmt: skip
    if report.components is not None:
        ws["A1"] = "Local jobs and GVA by component (gross), from the run's results.csv"
        ws["A1"].font = BOLD
        _header(ws, 3, ["Component", "Jobs (FTE)", "GVA (£m)", "Jobs low", "Jobs high", "GVA low (£m)",
                        "GVA high (£m)"])  # fmt: skip
        for row, (component, r) in enumerate(report.components.iterrows(), start=4):
            ws.cell(row, 1, str(component)).font = BOLD if component == "total" else Font()
            _put(ws, row, 2, float(r["fte"]), XL["fte"])
            _put(ws, row, 3, float(r["gva"]), MONEY_M3)
            if component == "total":
                for col, (kind, end) in enumerate([("fte", "low"), ("fte", "high"), ("money_m", "low"),
                                                   ("money_m", "high")], start=4):  # fmt: skip
                    spread = ranges.get(kind)  # type: ignore[call-overload]
                    value = spread.get(end) if spread else "not yet estimated"
                    _put(ws, row, col, value, XL["fte"] if kind == "fte" else MONEY_M3)
        row = 5 + len(report.components)
    else:
        row = 1
    if report.comparison is not None:
        ws.cell(row, 1, f"The same {fmt.money(report.contract_value)} contract by provider").font = BOLD
        _header(ws, row + 2, ["Provider", "Jobs (FTE)", "GVA (£m)", "LM3 (£ per £1)", "Spent in the area (£m)"])
        for i, (name, r) in enumerate(report.comparison.to_frame().iterrows(), start=row + 3):
            ws.cell(i, 1, str(name))
            _put(ws, i, 2, float(r["fte"]), XL["fte"])
            _put(ws, i, 3, float(r["gva"]), MONEY_M3)
            _put(ws, i, 4, float(r["lm3"]), XL["ratio"])
            _put(ws, i, 5, float(r["local_spend"]), MONEY_M3)
    _widths(ws, [52, 12, 12, 14, 14, 14, 14])


def _working(ws: Worksheet, report: CaseReport) -> None:
    ws["A1"] = "How the headline is worked out: each line's formula uses the cells to its left and above"
    ws["A1"].font = Font(bold=True, size=12)
    row = 3
    totals = []
    for working in report.workings:
        row, fte_cell, gva_cell = _working_block(ws, row, working)
        totals.append((working.name, fte_cell, gva_cell))
        row += 2
    if len(totals) >= 2:
        ws.cell(row, 1, f"Difference: {totals[0][0]} less {totals[-1][0]}").font = BOLD
        _put(ws, row, 2, f"={totals[0][1]}-{totals[-1][1]}", XL["fte"])
        _put(ws, row, 3, f"={totals[0][2]}-{totals[-1][2]}", MONEY_M3)
        ws.cell(row, 4, "local jobs (FTE) and local GVA (£m): the headline's extra jobs and GVA")
    _widths(ws, [40, 14, 14, 12, 14, 14, 14, 14, 14, 14, 14, 14, 14, 50])


def _working_block(ws: Worksheet, row: int, w: Working) -> tuple[int, str, str]:
    """One organisation's working from ``row``; returns the next free row and the total FTE and GVA cells."""
    ws.cell(row, 1, w.name).font = Font(bold=True, size=12)
    row += 1
    ws.cell(row, 1, "1. Spending bought locally, through the local multipliers").font = BOLD
    row += 1
    _header(ws, row, ["Spending line", "Spend (£)", "Bought locally", "Local spend (£m)", "FTE per £1m, Type I",
                      "FTE per £1m, Type II", "GVA per £1, Type I", "GVA per £1, Type II", "Indirect FTE",
                      "Induced FTE (suppliers' staff)", "Indirect GVA (£m)", "Induced GVA (£m, suppliers' staff)",
                      "Sector", "Source"])  # fmt: skip
    first = row + 1
    for r in w.lines.itertuples(index=False):
        row += 1
        e = w.effects.loc[r.sector]
        ws.cell(row, 1, str(r.label))
        _put(ws, row, 2, float(r.value), XL["money"])
        _put(ws, row, 3, float(r.local_share), XL["share"])
        _put(ws, row, 4, f"=B{row}*C{row}/1000000", MONEY_M3)
        _put(ws, row, 5, float(e["fte_type_i"]), COEF)
        _put(ws, row, 6, float(e["fte_type_ii"]), COEF)
        _put(ws, row, 7, float(e["gva_type_i"]), COEF)
        _put(ws, row, 8, float(e["gva_type_ii"]), COEF)
        _put(ws, row, 9, f"=D{row}*E{row}", "0.00")
        _put(ws, row, 10, f"=D{row}*(F{row}-E{row})", "0.00")
        _put(ws, row, 11, f"=D{row}*G{row}", MONEY_M3)
        _put(ws, row, 12, f"=D{row}*(H{row}-G{row})", MONEY_M3)
        ws.cell(row, 13, str(r.sector))
        ws.cell(row, 14, str(r.source))
    last = row
    row += 1
    ws.cell(row, 1, "Spending, total").font = BOLD
    for col in (2, 4, 9, 10, 11, 12):
        letter = get_column_letter(col)
        form = {2: XL["money"], 9: "0.00", 10: "0.00"}.get(col, MONEY_M3)
        _put(ws, row, col, f"=SUM({letter}{first}:{letter}{last})" if last >= first else 0, form)
    spend_total = row

    row += 2
    ws.cell(row, 1, "2. Staff").font = BOLD
    org = w.org
    staff = {}
    for label, value, form, source in (
        ("Staff (FTE)", org.staff_fte.value, XL["fte"], org.staff_fte.source),
        ("Staff costs (£)", org.staff_costs.value, XL["money"], org.staff_costs.source),
        ("Surplus (£)", org.surplus.value, XL["money"], org.surplus.source),
        ("Staff living locally (share)", org.staff_local_share.value, XL["share"], org.staff_local_share.source),
        ("FTE per £1m of local household income re-spent", w.household["fte"], COEF, "local table, Type II closure"),
        (
            "GVA (£m) per £1m of local household income re-spent",
            w.household["gva"],
            COEF,
            "local table, Type II closure",
        ),
    ):
        row += 1
        ws.cell(row, 1, label)
        _put(ws, row, 2, float(value), form)
        ws.cell(row, 14, source)
        staff[label] = f"B{row}"
    row += 1
    ws.cell(row, 1, "Pay of staff living locally (£m)")
    _put(ws, row, 2, f"={staff['Staff costs (£)']}*{staff['Staff living locally (share)']}/1000000", MONEY_M3)
    pay = f"B{row}"

    row += 2
    ws.cell(
        row, 1, "3. Hosted businesses (enabled), gross: their additionality is the net figures' reference case"
    ).font = BOLD
    enabled_fte, enabled_gva = [], []
    if org.enterprises:
        row += 1
        _header(ws, row, ["Business", "FTE", "Turnover (£)", "Additionality (net only)", "Turnover (£m)",
                          "FTE per £1m, Type II", "Direct FTE per £1m of output", "GVA per £1, Type II",
                          "Enabled FTE", "Enabled GVA (£m)", "", "", "Sector", "Source"])  # fmt: skip
        for ent in org.enterprises:
            row += 1
            e = w.effects.loc[ent.sector]
            ws.cell(row, 1, ent.name)
            _put(ws, row, 2, float(ent.fte.value), XL["fte"])
            _put(ws, row, 3, float(ent.turnover.value), XL["money"])
            _put(ws, row, 4, float(org.additionality.value), XL["share"])
            _put(ws, row, 5, f"=C{row}/1000000", MONEY_M3)
            _put(ws, row, 6, float(e["fte_type_ii"]), COEF)
            _put(ws, row, 7, float(e["fte_direct"]), COEF)
            _put(ws, row, 8, float(e["gva_type_ii"]), COEF)
            # own jobs counted as recorded; the model's direct jobs are replaced by them
            _put(ws, row, 9, f"=B{row}+E{row}*(F{row}-G{row})", "0.00")
            _put(ws, row, 10, f"=E{row}*H{row}", MONEY_M3)
            ws.cell(row, 13, ent.sector)
            ws.cell(row, 14, f"{ent.fte.source}; additionality: {org.additionality.source}")
            enabled_fte.append(f"I{row}")
            enabled_gva.append(f"J{row}")
    else:
        row += 1
        ws.cell(row, 1, "none")

    row += 2
    ws.cell(row, 1, "4. Local jobs and GVA by component").font = BOLD
    row += 1
    _header(ws, row, ["Component", "Jobs (FTE)", "GVA (£m)", "", "Model (FTE)", "Model (GVA £m)", "Difference (FTE)",
                      "Difference (GVA £m)", "", "", "", "", "", "How"])  # fmt: skip
    rows = {
        "direct": (f"={staff['Staff (FTE)']}", f"=({staff['Staff costs (£)']}+{staff['Surplus (£)']})/1000000",
                   "own staff; GVA = staff costs + surplus"),
        "indirect": (f"=I{spend_total}", f"=K{spend_total}", "local spend x Type I"),
        "induced": (f"=J{spend_total}+{pay}*{staff['FTE per £1m of local household income re-spent']}",
                    f"=L{spend_total}+{pay}*{staff['GVA (£m) per £1m of local household income re-spent']}",
                    "suppliers' staff (Type II less Type I) + local staff pay x household effect"),
        "enabled": ("=" + ("+".join(enabled_fte) or "0"), "=" + ("+".join(enabled_gva) or "0"),
                    "hosted businesses, additional share"),
    }  # fmt: skip
    start = row + 1
    for component, (fte_formula, gva_formula, how) in rows.items():
        row += 1
        ws.cell(row, 1, component)
        _put(ws, row, 2, fte_formula, "0.00")
        _put(ws, row, 3, gva_formula, MONEY_M3)
        _model(ws, row, w, component)
        ws.cell(row, 14, how)
    row += 1
    ws.cell(row, 1, "total").font = BOLD
    _put(ws, row, 2, f"=SUM(B{start}:B{row - 1})", "0.00")
    _put(ws, row, 3, f"=SUM(C{start}:C{row - 1})", MONEY_M3)
    ws.cell(row, 2).font = ws.cell(row, 3).font = BOLD
    _model(ws, row, w, "total")
    ws.cell(row, 14, "the headline (gross)")
    return row + 1, f"B{row}", f"C{row}"


def _model(ws: Worksheet, row: int, w: Working, component: str) -> None:
    """The model's own figure beside the working, and the difference (zero up to rounding)."""
    _put(ws, row, 5, float(w.components.loc[component, "fte"]), "0.00")
    _put(ws, row, 6, float(w.components.loc[component, "gva"]), MONEY_M3)
    _put(ws, row, 7, f"=B{row}-E{row}", "0.000000")
    _put(ws, row, 8, f"=C{row}-F{row}", "0.000000")
