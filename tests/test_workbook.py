"""The workbook renders an Appraisal: its formulas, evaluated by an independent engine, give the model's figures.

The formulas are evaluated by the ``formulas`` package (not Excel, not kil_io): every worked total
the Results sheet points at, gross and net, by component, for the organisation, each provider and
the difference, must equal the Appraisal's figure to 1e-9 (relative).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import formulas
import pytest
from openpyxl import load_workbook

import kil_io
from kil_io.appraisal.result import Appraisal
from kil_io.reporting.outputs import save_appraisal
from kil_io.reporting.workbook import build_workbook, workbook_path, write_workbook
from kil_io.uncertainty import appraise

CASES = Path(__file__).resolve().parents[1] / "data" / "case_studies"
#: The Results sheet's column titles (the workbook's layout) -> the Appraisal's measures.
COLUMNS = {"Jobs (FTE)": "fte", "Net jobs (FTE)": "fte_net", "GVA (£m)": "gva", "Net GVA (£m)": "gva_net",
           "Local income (£m)": "local_income", "Net local income (£m)": "local_income_net",
           "LM3 (£ per £1)": "lm3", "Spent in the area (£m)": "local_spend"}  # fmt: skip
COMPONENTS = ("direct", "indirect", "induced", "enabled", "total")
HOSTILE = ('=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+2", "-3", "@SUM(1)", "#N/A")


@pytest.fixture(scope="module")
def hot() -> Appraisal:
    return appraise(kil_io.case_study("halifax_opportunities_trust"), 200, seed=1)


@pytest.fixture(scope="module")
def contract() -> Appraisal:
    return appraise(kil_io.case_study("jubilee_childrens_centre"), 200, seed=1, contract_value=1_000_000)


@pytest.fixture(scope="module")
def leaky(tmp_path_factory: pytest.TempPathFactory) -> Appraisal:
    """The organisation with the case's own leakage rate and a surveyed staff re-spend share; no simulation."""
    text = (CASES / "halifax_opportunities_trust.yaml").read_text(encoding="utf-8")
    text = text.replace("  scenario: central\n", '  scenario: central\n  leakage: {value: 0.3, source: "test"}\n')
    text = text.replace("published:", 'lm3_survey:\n  staff_respend_share: {value: 0.3, source: "test"}\npublished:')
    path = tmp_path_factory.mktemp("leaky") / "halifax_opportunities_trust.yaml"
    path.write_text(text, encoding="utf-8")
    appraisal = appraise(kil_io.case_study(path), 0)
    assert {"additionality.leakage", "lm3_survey.staff_respend_share"} <= {i.name for i in appraisal.inputs}
    return appraisal


def _evaluate(path: Path) -> dict[tuple[str, str], Any]:
    """Every cell's value as the ``formulas`` package computes it: (sheet, coordinate) -> value."""
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out = {}
    for key, ranges in solution.items():
        sheet, _, cell = key.partition("]")[2].partition("'!")
        if ":" not in cell:
            out[(sheet.upper(), cell.upper())] = ranges.value[0, 0]
    return out


def _rows(ws: Any, column: int = 1) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for row in range(1, ws.max_row + 1):
        found.setdefault(str(ws.cell(row, column).value), []).append(row)
    return found


def _results(path: Path, appraisal: Appraisal) -> tuple[dict[tuple[str, str, str], tuple[str, float]], Any]:
    """(entity, component, measure) -> (the Results cell's formula, its evaluated value); and the workbook."""
    wb, values = load_workbook(path), _evaluate(path)
    ws, out = wb["Results"], {}
    rows = _rows(ws)
    for entity in appraisal.entities:
        top = rows[entity.name][0]
        header = {ws.cell(top + 1, c).value: c for c in range(2, ws.max_column + 1) if ws.cell(top + 1, c).value}
        for offset, component in enumerate(COMPONENTS, start=2):
            assert ws.cell(top + offset, 1).value == component
            for title, c in header.items():
                cell = ws.cell(top + offset, c)
                out[(entity.name, component, COLUMNS[title])] = (cell.value, values[("RESULTS", cell.coordinate)])
    if appraisal.comparison is not None:
        top = rows["Provider"][0]
        header = {ws.cell(top, c).value: c for c in range(2, ws.max_column + 1) if ws.cell(top, c).value}
        for offset, label in enumerate(appraisal.comparison.index, start=1):
            assert ws.cell(top + offset, 1).value == label
            for title, c in header.items():
                cell = ws.cell(top + offset, c)
                out[(label, "comparison", COLUMNS[title])] = (cell.value, values[("RESULTS", cell.coordinate)])
    return out, wb


@pytest.mark.parametrize("case", ["hot", "contract", "leaky"])
def test_the_formulas_reproduce_the_model(case: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    appraisal: Appraisal = request.getfixturevalue(case)
    path = write_workbook(appraisal, tmp_path / "book.xlsx")
    results, wb = _results(path, appraisal)
    checked = 0
    for entity in appraisal.entities:
        for component in COMPONENTS:
            for measure in ("fte", "fte_net", "gva", "gva_net", "local_income", "local_income_net"):
                formula, value = results[(entity.name, component, measure)]
                assert formula.startswith("=Working!"), formula
                expected = entity.figures.loc[component, measure]
                assert value == pytest.approx(expected, rel=1e-9, abs=1e-12), (entity.name, component, measure)
                checked += 1
    if appraisal.comparison is not None:
        for label, row in appraisal.comparison.iterrows():
            for measure, expected in row.items():
                formula, value = results[(label, "comparison", measure)]
                assert formula.startswith("=Working!"), formula
                assert value == pytest.approx(expected, rel=1e-9, abs=1e-12), (label, measure)
                checked += 1
    assert checked >= 30
    values = _evaluate(path)  # the headline too: every central figure is a formula, and gives the model's
    summary = wb["Summary"]
    for row, h in enumerate(appraisal.headline, start=6):
        assert summary.cell(row, 2).data_type == "f"
        assert values[("SUMMARY", f"B{row}")] == pytest.approx(h.value, rel=1e-9), h.key


def test_gross_figures_are_worked_from_the_inputs(hot: Appraisal, tmp_path: Path) -> None:
    """Raise the staff costs input by £1m: direct GVA rises by £1m, direct local income by the local share of it."""
    path = write_workbook(hot, tmp_path / "book.xlsx")
    wb = load_workbook(path)
    target = wb.defined_names["organisation_staff_costs"]
    [(sheet, coordinate)] = list(target.destinations)
    wb[sheet][coordinate.replace("$", "")].value += 1_000_000
    wb.save(tmp_path / "raised.xlsx")
    results, _ = _results(tmp_path / "raised.xlsx", hot)
    share = {i.name: i.value for i in hot.inputs}["organisation.staff.local_share"]
    direct = hot.organisation.figures.loc["direct"]
    assert results[(hot.organisation.name, "direct", "gva")][1] == pytest.approx(direct["gva"] + 1.0, rel=1e-12)
    expected = direct["local_income"] + share
    assert results[(hot.organisation.name, "direct", "local_income")][1] == pytest.approx(expected, rel=1e-12)
    assert results[(hot.organisation.name, "induced", "fte")][1] > hot.organisation.figures.loc["induced", "fte"]


@pytest.mark.parametrize("case", ["hot", "contract"])
def test_every_input_has_a_defined_name_on_its_value(case: str, request: pytest.FixtureRequest) -> None:
    appraisal: Appraisal = request.getfixturevalue(case)
    wb = build_workbook(appraisal)
    ws = wb["Inputs"]
    header = {ws.cell(1, c).value: c for c in range(1, ws.max_column + 1)}
    rows = _rows(ws, header["Input (case file)"])
    for i in appraisal.inputs:
        [row] = rows[i.name]
        name = ws.cell(row, header["Name in formulas"]).value
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name), name
        [(sheet, coordinate)] = list(wb.defined_names[name].destinations)
        assert (sheet, coordinate) == ("Inputs", f"$C${row}")
        assert ws[f"C{row}"].value == pytest.approx(i.value, rel=1e-15), i.name
        assert ws.cell(row, header["Source"]).value == i.source
    assert len({ws.cell(r, header["Name in formulas"]).value for r in range(2, ws.max_row + 1)}) == ws.max_row - 1


def _hostile_case(tmp_path: Path) -> Path:
    text = (CASES / "jubilee_childrens_centre.yaml").read_text(encoding="utf-8")
    replacements = {
        "title: Jubilee Children's Centre": f"title: {json.dumps(HOSTILE[0])}",
        'name: "Local community organisation (HOT)"': f"name: {json.dumps(HOSTILE[1])}",
        'name: "National provider"': f"name: {json.dumps(HOSTILE[4])}",
        'source: "assumption: local contractors"': f"source: {json.dumps(HOSTILE[2])}",
        "{category: energy, share: 0.03": f"{{category: energy, label: {json.dumps(HOSTILE[3])}, share: 0.03",
        "name: Jubilee Children's Centre (HOT)": f"name: {json.dumps(HOSTILE[5])}",
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_text_is_never_a_formula(tmp_path: Path) -> None:
    case = kil_io.case_study(_hostile_case(tmp_path))
    own = appraise(case, 200, seed=1)  # the organisation's own page: its name and its lines' sources
    seen = set()
    for ws in load_workbook(write_workbook(own, tmp_path / "own.xlsx")).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in HOSTILE:
                    assert cell.data_type == "s"
                    seen.add(cell.value)
    appraisal = appraise(case, 200, seed=1, contract_value=500_000)
    wb = load_workbook(write_workbook(appraisal, tmp_path / "book.xlsx"))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert not re.search(r"HYPERLINK|cmd|@SUM|#N/A|\+1\+2", cell.value), (ws.title, cell.coordinate)
                elif isinstance(cell.value, str) and cell.value in HOSTILE:
                    assert cell.data_type == "s"
                    assert cell.quotePrefix == cell.value.startswith(("=", "+", "-", "@"))
                    seen.add(cell.value)
    assert seen == set(HOSTILE)
    save_appraisal(appraisal, tmp_path / "result")  # results.csv: the providers by name, neutralised (csv_text)
    providers = [row[0] for row in csv.reader((tmp_path / "result" / "results.csv").read_text("utf-8").splitlines())]
    assert {"'=cmd|' /C calc'!A0", "'@SUM(1)"} <= set(providers), providers
    values = _evaluate(tmp_path / "book.xlsx")  # and the figures are still worked out
    difference = appraisal.figure("difference: fte")
    row = next(r for r, h in enumerate(appraisal.headline, start=6) if h.key == "difference: fte")
    assert values[("SUMMARY", f"B{row}")] == pytest.approx(difference.value, rel=1e-9)


def test_a_control_character_does_not_lose_the_workbook(hot: Appraisal, tmp_path: Path) -> None:
    org = dataclasses.replace(hot.organisation, name="Trust\x07 Ltd")
    bell = dataclasses.replace(hot, title="Halifax\x07", organisation=org)
    path = write_workbook(bell, tmp_path / "bell.xlsx")
    wb = load_workbook(path)
    assert wb["Summary"]["A1"].value == "Halifax\ufffd"
    assert "Trust\ufffd Ltd" in {c.value for row in wb["Results"].iter_rows() for c in row}


def test_each_range_is_its_own_figures_as_headline_json_holds_it(hot: Appraisal, contract: Appraisal) -> None:
    ws = build_workbook(hot)["Summary"]
    ranges = hot.headline_json()["ranges"]
    by_key = {re.search(r"headline.json key '([^']+)'", str(ws.cell(r, 7).value)).group(1): r for r in range(6, 12)}
    for label in ("Local GVA (£m)", "Local income (£m)", "Local jobs (FTE)"):
        row = by_key[label]
        assert [ws.cell(row, c).value for c in (3, 4, 5)] == [ranges[label][k] for k in ("low", "high", "level")]
    assert ws.cell(by_key["Local GVA (£m)"], 3).value != ws.cell(by_key["Local income (£m)"], 3).value
    summary = build_workbook(contract)["Summary"]
    row = next(r for r, h in enumerate(contract.headline, start=6) if h.key == "difference: gva")
    assert contract.figure("difference: gva").value < 1  # under £1m: to the £k, never "£0.1m"
    assert summary.cell(row, 2).number_format == '"£"#,##0.000"m"'
    assert summary.cell(row, 3).number_format == '"£"#,##0.000"m"'


def test_it_is_written_where_a_result_folder_keeps_it_and_reads_back_from_json(hot: Appraisal, tmp_path: Path
                                                                               ) -> None:  # fmt: skip
    path = workbook_path(tmp_path, hot)
    assert path == tmp_path / "halifax_opportunities_trust.xlsx"
    assert write_workbook(hot, path) == path
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary file left
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Inputs", "Multipliers", "Working", "Results"]
    assert wb.calculation.fullCalcOnLoad
    from_json = Appraisal.from_dict(json.loads(hot.to_json()))  # a renderer needs only appraisal.json
    again = load_workbook(write_workbook(from_json, tmp_path / "again" / path.name))
    for ws in wb.worksheets:
        other = again[ws.title]
        assert [[c.value for c in r] for r in ws.iter_rows()] == [[c.value for c in r] for r in other.iter_rows()]
