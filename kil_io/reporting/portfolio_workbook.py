"""The Excel workbook of a portfolio (``<portfolio>.xlsx``): every entry's figures, and the sums in formulas.

It renders a :class:`~kil_io.appraisal.portfolio.Portfolio` and nothing else; it never runs the model.

Sheets
------
Summary
    The pilot's sentence, then each area's and the total's figures: the central figure a formula
    pointing at Areas, its 90% range, and kil_io's own figure beside it with the difference (zero).
Entries
    One row per entry: who, where, income or contract value, status (added up, or counted within
    another and by which rule), ``Added up`` (1 or 0), its own figures [FTE, £m], its case file and seed.
Removed
    What was counted twice: entry, rule, the entry that already counts it, the £ counted twice and
    the FTE and £m removed, with the reason and its source.
Areas
    Per area and in total: the included entries' figures summed (``SUMIFS`` over Entries), the
    shared-supplier removals summed (``SUMIFS`` over Removed), and their difference, the total.
About
    What the ranges assume about the entries together, the notes, and the sources.

Number formats come from :mod:`kil_io.reporting.formatting`; text is always a string cell.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kil_io.appraisal.portfolio import MEASURES, Group, Portfolio
from kil_io.files import write_atomic
from kil_io.reporting import portfolio_pages as pages
from kil_io.reporting.working import BOLD, GAP, TITLE, WRAP, form, put_formula, put_header, put_number, put_text
from kil_io.reporting.working import set_widths as _widths

#: Entries sheet: the column of the area code, of "Added up" and of the first measure.
_AREA, _ADDED, _FIRST = 6, 11, 12
#: Removed sheet: the column of the area code, of the rule and of the first measure.
_R_AREA, _R_RULE, _R_FIRST = 6, 3, 8


def workbook_path(folder: str | Path, portfolio: Portfolio) -> Path:
    """``<folder>/<portfolio>.xlsx``, where a result folder keeps the portfolio's workbook."""
    return Path(folder) / f"{portfolio.name}.xlsx"


def write_workbook(portfolio: Portfolio, path: str | Path) -> Path:
    """Write the portfolio's workbook (:func:`build_workbook`) to ``path``, atomically; returns ``path``."""
    buffer = io.BytesIO()
    build_workbook(portfolio).save(buffer)
    write_atomic(Path(path), buffer.getvalue(), force=True)
    return Path(path)


def build_workbook(p: Portfolio) -> Workbook:
    """The portfolio's workbook as an openpyxl object (see the module notes for its sheets).

    Parameters
    ----------
    p : Portfolio

    Returns
    -------
    Workbook
        Formulas without cached values: Excel and LibreOffice compute them on opening.
    """
    wb = Workbook()
    wb.active.title = "Summary"
    sheets = {name: wb.create_sheet(name) for name in ("Entries", "Removed", "Areas", "About")}
    last_entry = _entries(sheets["Entries"], p)
    last_removal = _removed(sheets["Removed"], p)
    rows = _areas(sheets["Areas"], p, last_entry, last_removal)
    _summary(wb["Summary"], p, rows)
    _notes(sheets["About"], p)
    wb.calculation.fullCalcOnLoad = True
    return wb


def _measure_heads(suffix: str = "") -> list[str]:
    return [f"{words} ({unit}){suffix}" for words, unit, _ in MEASURES.values()]


def _entries(ws: Worksheet, p: Portfolio) -> int:
    """The Entries sheet; returns its last row."""
    put_header(ws, 1, ["Entry", "Title", "Organisation (or provider)", "Kind", "Area", "Area code",
                       "Income or contract value (£ a year)", "Status", "Counted within", "Rule", "Added up (1/0)",
                       *_measure_heads(), "Case file", "Seed of its own appraisal", "Relation's source"])  # fmt: skip
    for row, e in enumerate(p.entries, start=2):
        within = p.entry(e.within).title if e.within else ""
        rule = "part of it" if e.rule == "part_of" else "paid to it" if e.rule == "paid_to" else ""
        status = "added up" if e.status == "included" else "counted within another"
        for col, text in ((1, e.name), (2, e.title), (3, e.organisation), (4, e.kind), (5, e.area),
                          (_AREA, e.area_code), (8, status), (9, within), (10, rule),
                          (_FIRST + len(MEASURES), e.source),
                          (_FIRST + len(MEASURES) + 1, "" if e.seed is None else str(e.seed)),
                          (_FIRST + len(MEASURES) + 2, e.relation_source)):  # fmt: skip
            put_text(ws, row, col, text)
        put_number(ws, row, 7, e.income, form("£"))
        put_number(ws, row, _ADDED, 1.0 if e.status == "included" else 0.0, "0")
        for k, (m, (_, unit, _)) in enumerate(MEASURES.items()):
            put_number(ws, row, _FIRST + k, e.figures[m], form(unit, e.figures[m]))
    ws.freeze_panes = "C2"
    _widths(ws, [14, 30, 30, 12, 14, 11, 14, 18, 26, 11, 9, *[13] * len(MEASURES), 44, 12, 50])
    return 1 + len(p.entries)


def _removed(ws: Worksheet, p: Portfolio) -> int:
    """The Removed sheet; returns its last row (1 when nothing was removed)."""
    put_header(ws, 1, ["Entry", "Title", "Rule", "Already counted in", "Area", "Area code", "£ counted twice (a year)",
                       *_measure_heads(" removed"), "Spending line", "Source", "Why"])  # fmt: skip
    for row, r in enumerate(p.removals, start=2):
        for col, text in ((1, r.entry), (2, p.entry(r.entry).title), (_R_RULE, r.rule.replace("_", " ")),
                          (4, p.entry(r.within).title), (5, r.area), (_R_AREA, r.area_code),
                          (_R_FIRST + len(MEASURES), r.line), (_R_FIRST + len(MEASURES) + 1, r.source)):  # fmt: skip
            put_text(ws, row, col, text)
        put_text(ws, row, _R_FIRST + len(MEASURES) + 2, pages.reason(p, r)).alignment = WRAP
        put_number(ws, row, 7, r.money, form("£"))
        for k, (m, (_, unit, _)) in enumerate(MEASURES.items()):
            put_number(ws, row, _R_FIRST + k, r.removed[m], form(unit, r.removed[m]))
    if not p.removals:
        put_text(ws, 2, 1, "Nothing is counted twice: no entry holds another's figures.")
    ws.freeze_panes = "C2"
    _widths(ws, [14, 30, 16, 30, 14, 11, 14, *[13] * len(MEASURES), 18, 50, 80])
    return 1 + len(p.removals)


def _column(ws: str, col: int, last: int) -> str:
    letter = get_column_letter(col)
    return f"{ws}!${letter}$2:${letter}${max(last, 2)}"


def _areas(ws: Worksheet, p: Portfolio, last_entry: int, last_removal: int) -> dict[str, int]:
    """The Areas sheet; returns each group's row (the total's under ``""``)."""
    put_text(ws, 1, 1, "Sums by area and in total: the entries added up (Entries, 'Added up' = 1) less what shared "
                       "suppliers took off (Removed)", TITLE)  # fmt: skip
    n = len(MEASURES)
    put_header(ws, 2, ["Area", "Area code", *_measure_heads(": entries added up"), *_measure_heads(": removed"),
                       *_measure_heads(": total")])  # fmt: skip
    added = _column("Entries", _ADDED, last_entry)
    rule = _column("Removed", _R_RULE, last_removal)
    rows = {}
    groups: list[Group] = [*p.areas, p.total]
    for row, g in enumerate(groups, start=3):
        rows[g.area_code] = row
        put_text(ws, row, 1, g.area, BOLD if g is p.total else None)
        put_text(ws, row, 2, g.area_code)
        where = f"$B{row}"
        for k, (m, (_, unit, _)) in enumerate(MEASURES.items()):
            values = _column("Entries", _FIRST + k, last_entry)
            taken = _column("Removed", _R_FIRST + k, last_removal)
            supplier = f'{rule},"shared supplier"'
            if g is p.total:
                summed, removed = f"SUMIFS({values},{added},1)", f"SUMIFS({taken},{supplier})"
            else:
                summed = f"SUMIFS({values},{_column('Entries', _AREA, last_entry)},{where},{added},1)"
                removed = f"SUMIFS({taken},{_column('Removed', _R_AREA, last_removal)},{where},{supplier})"
            a = put_formula(ws, row, 3 + k, summed, form(unit, g.figures[m]))
            b = put_formula(ws, row, 3 + n + k, removed, form(unit, g.removed[m]))
            put_formula(ws, row, 3 + 2 * n + k, f"{a}-{b}", form(unit, g.totals[m]))
    ws.freeze_panes = "C3"
    _widths(ws, [16, 11, *[14] * (3 * n)])
    return rows


def _summary(ws: Worksheet, p: Portfolio, rows: dict[str, int]) -> None:
    """The sentence, then each group's figures: a formula into Areas, the range, kil_io's figure and the difference."""
    put_text(ws, 1, 1, p.title, Font(bold=True, size=14))
    put_text(ws, 2, 1, pages.sentence(p)).alignment = WRAP
    sim = f"{p.draws:,} draws, seed {p.seed}" if p.draws else "no ranges (no draws)"
    put_text(ws, 3, 1, f"Portfolio file {p.source}; kil_io {p.version}; {sim}")
    first = put_header(ws, 5, ["Area", "Figure", "Central", "Low", "High", "Range level", "Basis", "kil_io's figure",
                               "Difference", "Entries added up"])  # fmt: skip
    row = first
    n = len(MEASURES)
    for g in (*p.areas, p.total):
        for k, (m, (words, unit, basis)) in enumerate(MEASURES.items()):
            put_text(ws, row, 1, g.area, BOLD if g is p.total else None)
            put_text(ws, row, 2, f"{words} ({unit})")
            central = put_formula(ws, row, 3, f"Areas!{get_column_letter(3 + 2 * n + k)}{rows[g.area_code]}",
                                  form(unit, g.totals[m]))  # fmt: skip
            r = g.ranges.get(m)
            if r is not None:
                put_number(ws, row, 4, r.low, form(unit, r.low))
                put_number(ws, row, 5, r.high, form(unit, r.high))
                put_number(ws, row, 6, r.level, form("share"))
            else:
                put_text(ws, row, 4, "no range: no draws")
            put_text(ws, row, 7, basis)
            own = put_number(ws, row, 8, g.totals[m], form(unit, g.totals[m]))
            put_formula(ws, row, 9, f"{central}-{own}", GAP)
            put_text(ws, row, 10, ", ".join(p.entry(e).title for e in g.included))
            row += 1
    put_text(ws, row + 1, 1, "Gross figures count every job and £ of GVA the entries' spending supports; net figures "
                             "only what would not otherwise be in the area. Jobs are FTE; GVA and local income £m a "
                             "year. Ranges: 5th to 95th percentile of the entries' draws added draw by draw "
                             "(About).")  # fmt: skip
    _widths(ws, [16, 36, 13, 13, 13, 10, 8, 13, 11, 50])


def _notes(ws: Worksheet, p: Portfolio) -> None:
    put_header(ws, 1, ["About", "Note"])
    rows = [("ranges", p.dependence), *(("portfolio", n) for n in p.notes)]
    rows += [(g.area, n) for g in (*p.areas, p.total) for n in g.notes]
    rows += [(e.title, n) for e in p.entries for n in e.notes]
    rows += [("source", s) for s in p.sources]
    for row, (about, text) in enumerate(rows, start=2):
        put_text(ws, row, 1, about)
        put_text(ws, row, 2, text).alignment = WRAP
    _widths(ws, [28, 140])


__all__ = ["build_workbook", "workbook_path", "write_workbook"]
