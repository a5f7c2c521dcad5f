"""The workbook's Working sheet: an appraisal's arithmetic as Excel formulas (and the cell writers of every sheet).

For the organisation, or each provider of a contract, in numbered sections: spending bought
locally through the local multipliers, staff and surplus, hosted businesses, gross figures by
component, the gross-to-net rates, net figures and LM3; each total beside the model's own
figure and the difference (zero to rounding); for a contract, the providers side by side and
the difference. The formulas are those of :func:`kil_io.appraisal.model.evaluate` written out:

- indirect = local spend x Type I; induced = local spend x (Type II - Type I) + local staff pay x
  the household effect; enabled = the hosted businesses' own staff + turnover x (Type II - direct);
  local income = the residents' share of the pay in each (the direct component: local staff pay
  plus the surplus kept locally);
- net = gross x (1 - leakage) x (1 - displacement) x (1 - substitution) x (1 - deadweight),
  component by component, and local income never loses leakage (it is residents' already);
  leakage is 1 - staff living locally (direct) or 1 - the residents' share of the area's jobs
  (the rest) unless the case gives a rate; the enabled deadweight is 1 - the hosted businesses'
  additionality.

They use the Inputs sheet's named cells and the Multipliers sheet, never a figure the model worked out.
The re-spend shares of LM3's third round are the model's (from the table, or surveyed).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kil_io import files
from kil_io.appraisal.result import Appraisal, Entity
from kil_io.reporting import formatting as fmt

BOLD, TITLE = Font(bold=True), Font(bold=True, size=13)
HEAD = PatternFill("solid", fgColor="DDEBF5")
WRAP = Alignment(wrap_text=True, vertical="top")
#: Multipliers, rates and re-spend shares: more digits than a reader's figure.
COEF = "0.0000"
#: A worked figure less the model's: zero up to rounding, shown as a power of ten.
GAP = "0.0E+00"
#: Text starting with one of these would be a formula if typed into Excel: its cell gets a quote prefix
#: (the one list, :data:`kil_io.files.FORMULA_START`, that CSV output uses too).
FORMULA_START = files.FORMULA_START
#: Working's column of sources and of how each line is worked.
HOW = 20
COMPONENTS = ("direct", "indirect", "induced", "enabled")
RATES = ("leakage", "displacement", "substitution", "deadweight")
#: An entity's totals (:data:`kil_io.appraisal.model.PROVIDER_TOTALS`): unit and column title.
TOTALS = {
    "fte": ("FTE", "Jobs (FTE)"),
    "fte_net": ("FTE", "Net jobs (FTE)"),
    "gva": ("£m", "GVA (£m)"),
    "gva_net": ("£m", "Net GVA (£m)"),
    "local_income": ("£m", "Local income (£m)"),
    "local_income_net": ("£m", "Net local income (£m)"),
    "lm3": ("£ per £1", "LM3 (£ per £1)"),
    "local_spend": ("£m", "Spent in the area (£m)"),
}
#: The Multipliers sheet's columns from C: the Appraisal's multipliers frame's column -> title.
MULTIPLIERS = {
    "output_type_i": "Output, Type I",
    "output_type_ii": "Output, Type II",
    "fte_per_1m_type_i": "FTE per £1m, Type I",
    "fte_per_1m_type_ii": "FTE per £1m, Type II",
    "fte_per_1m_direct": "FTE per £1m, direct",
    "gva_per_1_type_i": "GVA per £1, Type I",
    "gva_per_1_type_ii": "GVA per £1, Type II",
    "gva_per_1_direct": "GVA per £1, direct",
    "pay_per_1_type_i": "Pay per £1, Type I",
    "pay_per_1_type_ii": "Pay per £1, Type II",
    "pay_per_1_direct": "Pay per £1, direct",
}
#: The multipliers a spending line (columns F to K) and a hosted business (F to J) are worked with.
LINE_MULTIPLIERS = ("fte_per_1m_type_i", "fte_per_1m_type_ii", "gva_per_1_type_i", "gva_per_1_type_ii",
                    "pay_per_1_type_i", "pay_per_1_type_ii")  # fmt: skip
BUSINESS_MULTIPLIERS = ("fte_per_1m_type_ii", "fte_per_1m_direct", "gva_per_1_type_ii", "gva_per_1_direct",
                        "pay_per_1_type_ii")  # fmt: skip
#: Cell references by what they hold (``"fte"``, ``"direct.gva_net"``, ``"N81:fte_per_1m_type_i"`` ...).
Cells = dict[str, str]
#: Input name -> its defined name (``organisation.staff.costs`` -> ``organisation_staff_costs``).
Names = Callable[[str], str]
#: The registry's number format of a unit (£m fitted to a value's size).
form = fmt.excel_format


def put_text(ws: Worksheet, row: int, col: int, value: object, font: Font | None = None) -> Cell:
    """A string cell whatever the text: never a formula or an error code; control characters become U+FFFD."""
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    cell = ws.cell(row, col)
    cell.value = text or None  # an empty text is an empty cell, as Excel reads it back
    cell.data_type = "s" if text else "n"  # openpyxl would store "=..." as a formula and "#N/A" as an error
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True  # and it stays text when edited in Excel
    if font is not None:
        cell.font = font
    return cell


def put_number(ws: Worksheet, row: int, col: int, value: float, number_format: str) -> str:
    """A number cell (a missing number said in words); returns its coordinate."""
    if not math.isfinite(float(value)):
        return put_text(ws, row, col, fmt.MISSING).coordinate
    cell = ws.cell(row, col, float(value))
    cell.number_format = number_format
    return cell.coordinate


def put_formula(ws: Worksheet, row: int, col: int, formula: str, number_format: str) -> str:
    """A formula cell (``formula`` without its ``=``, made of references and names, never user text)."""
    cell = ws.cell(row, col, f"={formula}")
    cell.number_format = number_format
    return cell.coordinate


def put_header(ws: Worksheet, row: int, titles: Sequence[str], start: int = 1) -> int:
    """Column titles in ``row`` from column ``start``; returns the row below."""
    for col, title in enumerate(titles, start=start):
        cell = put_text(ws, row, col, title, BOLD)
        cell.fill, cell.alignment = HEAD, WRAP
    return row + 1


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    """Column widths from column A [characters]."""
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def working_sheet(ws: Worksheet, a: Appraisal, name: Names, mult: Cells) -> tuple[dict[str, Cells], list[Cells]]:
    """Fill the Working sheet ``ws`` with the appraisal's arithmetic.

    Parameters
    ----------
    ws : Worksheet
    a : Appraisal
    name : callable
        Input name -> its defined name on the Inputs sheet (``contract_value`` is named too when
        there are providers).
    mult : dict
        ``"<sector>:<multipliers column>"`` and ``"household:<fte|gva|pay>"`` -> the Multipliers
        sheet's cell (``Multipliers!$E$5``).

    Returns
    -------
    blocks : dict
        Entity key (``organisation``, ``providers.local``) -> its cells: totals by
        :data:`TOTALS` key, ``<component>.<measure>`` (gross and ``_net``) and ``<component>.<rate>``.
    compared : list of dict
        The provider comparison, one per row of ``a.comparison`` (providers, then each difference
        from the last provider): total -> cell; empty without two providers.
    """
    put_text(ws, 1, 1, "How every figure is worked out: formulas use the named inputs (Inputs sheet), the local "
                       "multipliers (Multipliers sheet) and the cells above; each total sits beside the model's own "
                       "figure and the difference", TITLE)  # fmt: skip
    row, blocks = 3, {}
    for entity in a.entities:
        row, blocks[entity.key] = _entity(ws, row, entity, a, name, mult)
    compared = _comparison(ws, row, a, blocks) if a.comparison is not None and len(a.providers) >= 2 else []
    ws.freeze_panes = "B3"
    set_widths(ws, [44, *[14] * 18, 70])
    return blocks, compared


def _entity(ws: Worksheet, row: int, e: Entity, a: Appraisal, name: Names, mult: Cells) -> tuple[int, Cells]:
    """One organisation's or provider's working from ``row``; returns the next free row and its cells."""
    org = e.role == "organisation"
    put_text(ws, row, 1, f"{e.name} ({'the organisation' if org else 'a provider of the contract'})", TITLE)
    row, spend = _spending(ws, row + 2, e, name, mult)
    row, staff = _staff(ws, row + 2, e, name)
    row, enabled = _hosted(ws, row + 2, e, name, mult)
    hh, s = {m: mult[f"household:{m}"] for m in ("fte", "gva", "pay")}, staff["s"]
    cells: Cells = {}
    gross = {
        "direct": (staff["fte"], f"({staff['costs']}+{staff['surplus']})/1000000", f"{staff['pay']}+{staff['kept_m']}",
                   "own staff; GVA = staff costs + surplus; local income = local staff pay + surplus kept locally"),
        "indirect": (spend["L"], spend["M"], f"{s}*{spend['N']}",
                     "local spend x Type I; local income: the residents' share of the pay"),
        "induced": (f"{spend['O']}+{staff['pay']}*{hh['fte']}", f"{spend['P']}+{staff['pay']}*{hh['gva']}",
                    f"{s}*({spend['Q']}+{staff['pay']}*{hh['pay']})",
                    "suppliers' staff (Type II less Type I) + local staff pay x the household effect"),
        "enabled": (enabled["fte"], enabled["gva"], f"{s}*({enabled['pay']})",
                    "hosted businesses: own jobs and GVA + their spillover"),
    }  # fmt: skip
    row = _components(ws, row + 2, "4. Gross figures by component", e, gross, "", cells)
    row = _rates(ws, row + 2, e, a, name, staff, cells)
    net = {}
    for c in COMPONENTS:
        kept = "*".join(f"(1-{cells[f'{c}.{r}']})" for r in RATES[1:])
        lost = f"(1-{cells[f'{c}.leakage']})"
        net[c] = (f"{cells[f'{c}.fte']}*{lost}*{kept}", f"{cells[f'{c}.gva']}*{lost}*{kept}",
                  f"{cells[f'{c}.local_income']}*{kept}",
                  "gross x (1 - each rate); local income without leakage: it is residents' already")  # fmt: skip
    row = _components(ws, row + 2, "6. Net additional figures by component", e, net, "_net", cells)
    row = _lm3(ws, row + 2, e, staff, spend, cells)
    return row + 3, cells


def _spending(ws: Worksheet, row: int, e: Entity, name: Names, mult: Cells) -> tuple[int, Cells]:
    """Section 1: each spending line bought locally through its industry's multipliers; its total row's cells."""
    org = e.role == "organisation"
    fte, pounds, small = form("FTE"), form("£"), form("£m", 0.0)
    put_text(ws, row, 1, "1. Spending bought locally, through the local multipliers", BOLD)
    titles = ["Spending line", "Sector", "Spend (£)", "Bought locally", "Local spend (£m)",
              *(MULTIPLIERS[m] for m in LINE_MULTIPLIERS), "Indirect FTE", "Indirect GVA (£m)", "Indirect pay (£m)",
              "Induced FTE (suppliers' staff)", "Induced GVA (£m)", "Induced pay (£m)", "Model: indirect FTE",
              "Model: indirect GVA (£m)", "Source"]  # fmt: skip
    first = put_header(ws, row + 1, titles)
    row = first - 1
    for row, line in enumerate(e.lines.itertuples(index=False), start=first):
        value = name(line.input) if org else f"contract_value*{name(line.input)}"  # a provider's: shares of it
        put_text(ws, row, 1, line.label)
        put_text(ws, row, 2, line.sector)
        put_formula(ws, row, 3, value, pounds)
        put_formula(ws, row, 4, name(f"{str(line.input).rsplit('.', 1)[0]}.local_share"), form("share"))
        put_formula(ws, row, 5, f"C{row}*D{row}/1000000", form("£m", float(line.local) / 1e6))
        for col, column in enumerate(LINE_MULTIPLIERS, start=6):
            put_formula(ws, row, col, mult[f"{line.sector}:{column}"], COEF)
        worked = (f"E{row}*F{row}", f"E{row}*H{row}", f"E{row}*J{row}",  # indirect: FTE, GVA, pay
                  f"E{row}*(G{row}-F{row})", f"E{row}*(I{row}-H{row})", f"E{row}*(K{row}-J{row})")  # fmt: skip
        for col, formula in enumerate(worked, start=12):
            put_formula(ws, row, col, formula, fte if col in (12, 15) else small)
        put_number(ws, row, 18, line.fte, fte)
        put_number(ws, row, 19, line.gva, form("£m", float(line.gva)))
        put_text(ws, row, HOW, line.source)
    row += 1
    put_text(ws, row, 1, "Spending, total", BOLD)
    total = {}
    for col in (3, 5, 12, 13, 14, 15, 16, 17):
        c = get_column_letter(col)
        formula = f"SUM({c}{first}:{c}{row - 1})" if row > first else "0"
        total[c] = put_formula(ws, row, col, formula, pounds if col == 3 else fte if col in (12, 15) else small)
    return row, total


def _staff(ws: Worksheet, row: int, e: Entity, name: Names) -> tuple[int, Cells]:
    """Section 2: staff, pay and surplus, from the organisation's figures or a provider's shares of the contract."""
    p = e.key
    if e.role == "organisation":
        terms = [
            ("income", "Income (£)", name(f"{p}.income")),
            ("fte", "Staff (FTE)", name(f"{p}.staff.fte")),
            ("costs", "Staff costs (£)", name(f"{p}.staff.costs")),
            ("local", "Staff living locally (share of pay)", name(f"{p}.staff.local_share")),
            ("surplus", "Surplus (£)", name(f"{p}.surplus")),
        ]
    else:
        terms = [
            ("income", "Contract value (£)", "contract_value"),
            ("costs", "Staff costs (£)", f"contract_value*{name(f'{p}.staff_share')}"),
            ("fte", "Staff (FTE): staff costs / cost per FTE", f"{{costs}}/{name(f'{p}.staff_cost_per_fte')}"),
            ("local", "Staff living locally (share of pay)", name(f"{p}.staff_local_share")),
            ("surplus", "Surplus (£)", f"contract_value*{name(f'{p}.surplus_share')}"),
        ]
    terms += [
        ("kept", "Surplus kept locally (share)", name(f"{p}.surplus_local_share")),
        ("pay", "Pay of staff living locally (£m)", "{costs}*{local}/1000000"),
        ("kept_m", "Surplus kept locally (£m)", "{surplus}*{kept}/1000000"),
        ("s", "Residents' share of the area's jobs", name("model.resident_share")),
    ]
    pay = float(e.lm3.loc["round2: staff", "value"]) / 1e6  # the model's figures: for the number formats only
    sizes = {"pay": pay, "kept_m": float(e.figures.loc["direct", "local_income"]) - pay}
    units = {"fte": "FTE", "local": "share", "kept": "share", "s": "share", "pay": "£m", "kept_m": "£m"}
    put_text(ws, row, 1, "2. Staff and surplus", BOLD)
    cells: Cells = {}
    first = row + 1
    for row, (key, label, formula) in enumerate(terms, start=first):
        put_text(ws, row, 1, label)
        cells[key] = put_formula(ws, row, 2, formula.format(**cells), form(units.get(key, "£"), sizes.get(key, 0.0)))
    return row, cells


def _hosted(ws: Worksheet, row: int, e: Entity, name: Names, mult: Cells) -> tuple[int, Cells]:
    """Section 3: hosted businesses' own jobs and GVA and their spillover; the enabled FTE, GVA and pay formulas."""
    fte, small = form("FTE"), form("£m", 0.0)
    put_text(ws, row, 1, "3. Hosted businesses (enabled): their own jobs and GVA, then their spending and pay "
                         "through the multipliers", BOLD)  # fmt: skip
    if not len(e.enterprises):
        put_text(ws, row + 1, 1, "none")
        return row + 1, {"fte": "0", "gva": "0", "pay": "0"}
    titles = ["Business", "Sector", "Staff (FTE)", "Turnover (£)", "Turnover (£m)",
              *(MULTIPLIERS[m] for m in BUSINESS_MULTIPLIERS), "Own FTE", "Own GVA (£m)", "Spillover FTE",
              "Spillover GVA (£m)", "Pay, all rounds (£m)"]  # fmt: skip
    first = put_header(ws, row + 1, titles)
    for row, b in enumerate(e.enterprises.itertuples(index=False), start=first):
        put_text(ws, row, 1, b.name)
        put_text(ws, row, 2, b.sector)
        put_formula(ws, row, 3, name(f"{b.input}.fte"), fte)
        put_formula(ws, row, 4, name(f"{b.input}.turnover"), form("£"))
        put_formula(ws, row, 5, f"D{row}/1000000", small)
        for col, column in enumerate(BUSINESS_MULTIPLIERS, start=6):
            put_formula(ws, row, col, mult[f"{b.sector}:{column}"], COEF)
        worked = (f"C{row}", f"E{row}*I{row}", f"E{row}*(F{row}-G{row})", f"E{row}*(H{row}-I{row})", f"E{row}*J{row}")
        for col, formula in enumerate(worked, start=11):
            put_formula(ws, row, col, formula, fte if col in (11, 13) else small)
    row += 1
    put_text(ws, row, 1, "Hosted businesses, total", BOLD)
    total = {c: put_formula(ws, row, col, f"SUM({c}{first}:{c}{row - 1})", fte if c in "KM" else small)
             for col, c in enumerate("KLMNO", start=11)}  # fmt: skip
    return row, {"fte": f"{total['K']}+{total['M']}", "gva": f"{total['L']}+{total['N']}", "pay": total["O"]}


def _rates(ws: Worksheet, row: int, e: Entity, a: Appraisal, name: Names, staff: Cells, cells: Cells) -> int:
    """Section 5: the gross-to-net rates by component, beside the model's; fills ``cells``; returns the last row."""
    given = "additionality.leakage" in {i.name for i in a.inputs}
    put_text(ws, row, 1, "5. Gross to net: rates by component (Additionality Guide)", BOLD)
    put_header(ws, row + 1, ["How"], HOW)
    first = put_header(ws, row + 1, ["Component", *(r.capitalize() for r in RATES), *(f"Model: {r}" for r in RATES)])
    for row, component in enumerate(COMPONENTS, start=first):
        own, hosted = component == "direct", component == "enabled" and len(e.enterprises) > 0
        formulas = {
            "leakage": name("additionality.leakage") if given else f"1-{staff['local'] if own else staff['s']}",
            "displacement": name("additionality.displacement"),
            "substitution": name("additionality.substitution"),
            "deadweight": (f"1-{name(f'{e.key}.enterprises.additionality')}" if hosted
                           else "0" if component == "enabled" else name("additionality.deadweight")),
        }  # fmt: skip
        put_text(ws, row, 1, component)
        for col, rate in enumerate(RATES, start=2):
            cells[f"{component}.{rate}"] = put_formula(ws, row, col, formulas[rate], COEF)
            put_number(ws, row, col + len(RATES), e.rates.loc[component, rate], COEF)
        leakage = "the case's" if given else "1 - staff living locally" if own else "1 - residents' share of jobs"
        deadweight = ("1 - the hosted businesses' additionality" if hosted
                      else "none: no hosted businesses" if component == "enabled" else "the case's")  # fmt: skip
        put_text(ws, row, HOW, f"leakage: {leakage}; deadweight: {deadweight}")
    return row


def _components(ws: Worksheet, row: int, title: str, e: Entity, formulas: Mapping[str, tuple[str, ...]], suffix: str,
                cells: Cells) -> int:  # fmt: skip
    """Components x (jobs, GVA, local income) worked, the model's and the difference; fills ``cells``; last row."""
    put_text(ws, row, 1, title, BOLD)
    put_header(ws, row + 1, ["How"], HOW)
    first = put_header(ws, row + 1, ["Component", "Jobs (FTE)", "GVA (£m)", "Local income (£m)", "Model: jobs",
                                     "Model: GVA", "Model: local income", "Difference: jobs", "Difference: GVA",
                                     "Difference: local income"])  # fmt: skip
    for row, component in enumerate((*COMPONENTS, "total"), start=first):
        total = component == "total"
        put_text(ws, row, 1, component, BOLD if total else None)
        for j, measure in enumerate(("fte", "gva", "local_income")):
            key, letter = f"{measure}{suffix}", get_column_letter(2 + j)
            model, unit = float(e.figures.loc[component, key]), TOTALS[key][0]
            formula = f"SUM({letter}{first}:{letter}{row - 1})" if total else formulas[component][j]
            worked = put_formula(ws, row, 2 + j, formula, form(unit, model))
            cells[key if total else f"{component}.{key}"] = worked
            _beside(ws, row, (5 + j, 8 + j), worked, model, unit)
        put_text(ws, row, HOW, "the sum of the components" if total else formulas[component][3])
    return row


def _lm3(ws: Worksheet, row: int, e: Entity, staff: Cells, spend: Cells, cells: Cells) -> int:
    """Section 7: LM3's rounds, the LM3 and round 2 in £m beside the model's; fills ``cells``; returns the last row."""
    put_text(ws, row, 1, "7. LM3 (New Economics Foundation): (round 1 + round 2 + round 3) / round 1", BOLD)
    first = put_header(ws, row + 1, ["Round", "Worked", "", "", "Model", "Difference"])
    lines = (
        ("r1", "Round 1: income (£)", staff["income"]),
        ("staff", "Round 2: pay of staff living locally (£)", f"{staff['costs']}*{staff['local']}"),
        ("suppliers", "Round 2: spending with local suppliers (£)", f"{spend['E']}*1000000"),
        ("staff_share", "Share of it staff re-spend locally", "round2: staff"),
        ("supplier_share", "Share of it suppliers re-spend locally", "round2: suppliers"),
        ("r3", "Round 3 (£)", "{staff}*{staff_share}+{suppliers}*{supplier_share}"),
        ("lm3", "LM3 (£ per £1 of income)", "({r1}+{staff}+{suppliers}+{r3})/{r1}"),
        ("local_spend", "Spent in the area, round 2 (£m)", "({staff}+{suppliers})/1000000"),
    )
    rounds: Cells = {}
    for row, (key, label, formula) in enumerate(lines, start=first):
        put_text(ws, row, 1, label)
        if key.endswith("share"):  # the model's re-spend share: modelled from the table, or surveyed
            rounds[key] = put_number(ws, row, 2, e.lm3.loc[formula, "share"], COEF)
            put_text(ws, row, HOW, f"the model's: {e.lm3.loc[formula, 'source']}")
        elif key in ("lm3", "local_spend"):
            unit, model = TOTALS[key][0], e.lm3_value if key == "lm3" else e.local_spend
            cells[key] = rounds[key] = put_formula(ws, row, 2, formula.format(**rounds), form(unit, model))
            _beside(ws, row, (5, 6), rounds[key], model, unit)
        else:
            rounds[key] = put_formula(ws, row, 2, formula.format(**rounds), form("£"))
    return row


def _comparison(ws: Worksheet, row: int, a: Appraisal, blocks: dict[str, Cells]) -> list[Cells]:
    """Each provider's totals and each one's difference from the baseline (the last), as ``a.comparison``'s rows."""
    assert a.comparison is not None  # the caller checks
    base = a.providers[-1]
    columns: list[tuple[str, str, str | None]] = [(p.name, p.key, None) for p in a.providers]
    columns += [(f"{p.name} - {base.name}", p.key, base.key) for p in a.providers[:-1]]
    put_text(ws, row, 1, f"The same contract by each provider, and the difference from {base.name}", TITLE)
    for k, (label, _, _) in enumerate(columns):
        put_header(ws, row + 1, [label, "Model", "Difference"], 2 + 3 * k)
    first = put_header(ws, row + 1, ["Figure"])
    out: list[Cells] = [{} for _ in columns]
    for row, (measure, (unit, title)) in enumerate(TOTALS.items(), start=first):
        put_text(ws, row, 1, title)
        for k, (_, lead, baseline) in enumerate(columns):
            formula = blocks[lead][measure] + (f"-{blocks[baseline][measure]}" if baseline else "")
            model = float(a.comparison.iloc[k][measure])
            out[k][measure] = put_formula(ws, row, 2 + 3 * k, formula, form(unit, model))
            _beside(ws, row, (3 + 3 * k, 4 + 3 * k), out[k][measure], model, unit)
    return out


def _beside(ws: Worksheet, row: int, cols: tuple[int, int], worked: str, model: float, unit: str) -> None:
    """The model's own figure and the worked figure less it, in the columns ``cols``."""
    put_formula(ws, row, cols[1], f"{worked}-{put_number(ws, row, cols[0], model, form(unit, model))}", GAP)


__all__ = ["put_formula", "put_header", "put_number", "put_text", "set_widths", "working_sheet"]
