"""What users read: figures formatted by one set of rules, a brief that says what the run found, a sum that adds up."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, range_boundaries
from reporting_cases import result_folder

from kil_io.errors import CaseError
from kil_io.reporting import brief, casereport, workbook
from kil_io.reporting import formatting as fmt


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (5_600_000, "money", "£5.6m"),
        (14_049_000, "money", "£14.0m"),
        (999_960, "money", "£1.0m"),  # not "£1,000k"
        (48_250, "money", "£48k"),
        (480, "money", "£480"),
        (-208_000, "money", "-£208k"),
        (6.754, "money_m", "£6.8m"),
        (0.208, "money_m", "£208k"),
        (202.2, "fte", "202 FTE"),
        (13.22, "fte", "13 FTE"),
        (6.888, "fte", "6.9 FTE"),
        (2.4349, "ratio", "2.43"),
        (0.9, "share", "90%"),
        (float("nan"), "fte", "not available"),
        (None, "money_m", "not available"),
    ],
)
def test_figures_are_written_by_one_set_of_rules(value: float, kind: fmt.Kind, text: str) -> None:
    assert fmt.number(value, kind) == text


def test_ranges_are_shown_when_estimated_and_said_to_be_missing_otherwise() -> None:
    spread = {"low": 160.4, "high": 245.2, "median": 201.0, "level": 0.9, "draws": 1000}
    assert fmt.figure_with_range(202.2, spread, "fte") == "202 FTE (160–245, 90% range)"
    assert fmt.figure_with_range(202.2, None, "fte") == "202 FTE (range not yet estimated)"
    assert fmt.range_text({"low": 5.1, "high": 8.44, "level": 0.9}, "money_m") == "£5.1m–£8.4m, 90% range"
    # the ends at the central figure's precision: never "96 FTE (62.1–109)"
    assert (
        fmt.figure_with_range(96.0, {"low": 62.09, "high": 109.4, "level": 0.9}, "fte") == "96 FTE (62–109, 90% range)"
    )
    assert (
        fmt.figure_with_range(6.888, {"low": 4.16, "high": 7.66, "level": 0.9}, "fte") == "6.9 FTE (4.2–7.7, 90% range)"
    )


def test_labels_come_from_one_table_and_unknown_keys_keep_their_unit() -> None:
    assert fmt.label_for("Local jobs (FTE)") == fmt.Label("Local jobs supported", "fte", "gross")
    assert fmt.label_for("Net local GVA (£m)").basis == "net"
    unknown = fmt.label_for("Net jobs after displacement (FTE)")
    assert (unknown.text, unknown.kind, unknown.basis) == ("Net jobs after displacement", "fte", "net")
    assert fmt.label_for("spend", {"spend": "£m"}).kind == "money_m"
    items = fmt.headline_figures({"a (FTE)": 1.0, "units": {"a (FTE)": "FTE"}, "ranges": {"a (FTE)": {"low": 0}}})
    assert [(k, v) for k, _label, v, _r in items] == [("a (FTE)", 1.0)]


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("results")
    ranges = {"Local jobs (FTE)": {"low": 160.4, "high": 245.2, "median": 201.0, "level": 0.9, "draws": 1000}}
    return {
        "hot": result_folder(out, "halifax_opportunities_trust", ranges=ranges),
        "contract": result_folder(out, "jubilee_childrens_centre", contract_value=1_000_000),
    }


def _evaluate(ws: object, ref: str, seen: dict[str, float] | None = None) -> float:
    """A cell's value, computing its formula from the cells it names (+ - * / and SUM only)."""
    seen = {} if seen is None else seen
    if ref in seen:
        return seen[ref]
    value = ws[ref].value  # type: ignore[index]
    if isinstance(value, str) and value.startswith("="):
        expr = value[1:]

        def total(match: re.Match[str]) -> str:
            lo_col, lo_row, hi_col, hi_row = range_boundaries(match.group(1))
            cells = [f"{ws.cell(r, c).column_letter}{r}" for r in range(lo_row, hi_row + 1)  # type: ignore[attr-defined]
                     for c in range(lo_col, hi_col + 1)]  # fmt: skip
            return repr(sum(_evaluate(ws, c, seen) for c in cells))

        expr = re.sub(r"SUM\(([A-Z]+\d+:[A-Z]+\d+)\)", total, expr)
        expr = re.sub(r"\b([A-Z]{1,3})(\d+)\b", lambda m: repr(_evaluate(ws, m.group(0), seen)), expr)
        assert re.fullmatch(r"[-+*/().\deE ]+", expr), f"{ref}: formula {value!r} uses more than arithmetic"
        value = eval(expr)  # only digits and operators are left
    seen[ref] = float(value or 0.0)
    return seen[ref]


def _find(ws: object, text: str, column: str = "A") -> list[int]:
    col = column_index_from_string(column)
    return [r for r in range(1, ws.max_row + 1) if ws.cell(r, col).value == text]  # type: ignore[attr-defined]


def test_workbook_working_adds_up_to_the_runs_results(folders: dict[str, Path]) -> None:
    """The Working sheet's formulas (spend x sector multipliers, line by line) reproduce the model's solve."""
    report = casereport.load_report(folders["hot"])
    path = workbook.write_workbook(report)
    assert path == folders["hot"] / "halifax_opportunities_trust.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Inputs", "Multipliers", "Results", "Working"]
    ws = wb["Working"]
    [total] = _find(ws, "total")
    results = report.components
    assert _evaluate(ws, f"B{total}") == pytest.approx(results.loc["total", "fte"], rel=1e-9)
    assert _evaluate(ws, f"C{total}") == pytest.approx(results.loc["total", "gva"], rel=1e-9)
    for component in ("direct", "indirect", "induced", "enabled"):
        [row] = _find(ws, component)
        assert _evaluate(ws, f"B{row}") == pytest.approx(results.loc[component, "fte"], rel=1e-9, abs=1e-12)
    assert isinstance(ws[f"B{total}"].value, str)
    assert ws[f"B{total}"].value.startswith("=SUM(")
    inputs = wb["Inputs"]
    assert inputs.column_dimensions["E"].width >= 60
    income = _find(inputs, "income", "B")[0]
    assert inputs[f"C{income}"].value == 5_600_000
    assert inputs[f"C{income}"].number_format == '"£"#,##0'
    assert inputs[f"E{income}"].value.startswith("assumption")
    summary = wb["Summary"]
    jobs = _find(summary, "Local jobs supported")[0]
    assert [summary.cell(jobs, c).value for c in (3, 4, 5)] == [160.4, 245.2, 0.9]
    assert summary.cell(_find(summary, "Net additional local jobs supported")[0], 6).value == "net"


def test_contract_workbook_works_out_the_difference_between_providers(folders: dict[str, Path]) -> None:
    report = casereport.load_report(folders["contract"])
    ws = load_workbook(workbook.write_workbook(report))["Working"]
    [row] = [r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("Difference:")]
    difference = report.comparison.to_frame().iloc[-1]
    assert _evaluate(ws, f"B{row}") == pytest.approx(difference["fte"], rel=1e-9)
    assert _evaluate(ws, f"C{row}") == pytest.approx(difference["gva"], rel=1e-9)


def test_brief_holds_the_headline_formatted_and_no_raw_numbers(folders: dict[str, Path]) -> None:
    report = casereport.load_report(folders["hot"])
    html = brief.render_html(report)
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", html, flags=re.S)
    headline = json.loads((folders["hot"] / "headline.json").read_text(encoding="utf-8"))
    assert f"{fmt.fte(headline['Local jobs (FTE)'])} (160–245, 90% range)" in text
    assert "Net additional local jobs supported" in text
    assert "gross" in text
    assert fmt.money(headline["Local GVA (£m)"], unit="£m") in text
    assert "range not yet estimated" in text
    assert fmt.ratio(headline["LM3 (£ per £1 of income)"]) in text
    for bad in ("nan", "NaN", "None", "Traceback", "inf"):
        assert not re.search(rf"\b{bad}\b", text), bad
    assert not re.search(r"\d\.\d{4,}", text), re.search(r"\d\.\d{4,}", text)
    assert len(brief.caveats(report)) in (3, 4)
    assert "50%" in brief.caveats(report)[2]  # the additionality rate of the hosted businesses, with its source
    contract = brief.render_html(casereport.load_report(folders["contract"]))
    assert "National provider" in contract
    extra = json.loads((folders["contract"] / "headline.json").read_text(encoding="utf-8"))
    assert f"+{fmt.fte(extra['Extra local jobs with the local provider (FTE)'])}" in contract


def test_a_report_never_disagrees_with_the_results_it_reads(folders: dict[str, Path], tmp_path: Path) -> None:
    folder = result_folder(tmp_path, "halifax_opportunities_trust")
    csv = folder / "results.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("direct,", "direct,1", 1), encoding="utf-8")
    with pytest.raises(CaseError, match=r"results.csv has fte = .* for 'direct'"):
        casereport.load_report(folder)
    info = json.loads((folder / "case.json").read_text())
    (folder / "case.json").write_text(json.dumps({**info, "parameters": {"case": "calderdale"}}))
    assert casereport.reported_case(folder) is None
    assert math.isfinite(casereport.load_report(folders["hot"]).components.loc["total", "fte"])


def test_a_brief_that_cannot_be_made_never_fails_the_case(tmp_path: Path) -> None:
    from kil_io.runner import batch

    folder = result_folder(tmp_path, "halifax_opportunities_trust")
    (folder / "results.csv").write_text("component,fte,gva\ndirect,1,1\n", encoding="utf-8")
    batch.write_reports(folder)
    assert "CaseError" in (folder / batch.REPORTS_ERROR).read_text(encoding="utf-8")
    assert not (folder / "brief.html").exists()
    area = tmp_path / "area"
    area.mkdir()
    (area / "case.json").write_text(json.dumps({"status": "done", "parameters": {"area": "Leeds"}}))
    batch.write_reports(area)  # multipliers of an area have no brief, and that is no error
    assert sorted(p.name for p in area.iterdir()) == ["case.json"]
    html_only = result_folder(tmp_path / "html_only", "jubilee_childrens_centre")
    batch.write_reports(html_only, pdf=False)  # `kil-io run --no-pdf`: no browser started
    assert (html_only / "brief.html").is_file()
    assert (html_only / "jubilee_childrens_centre.xlsx").is_file()
    assert not (html_only / "brief.pdf").exists()
    assert not (html_only / batch.REPORTS_ERROR).exists()


def test_notebook_page_opens_on_text_and_tables() -> None:
    from kil_io.reporting.notebook_page import readable

    page = "<html><head><title>t</title></head><body class='jp-Notebook'><div class='jp-CodeCell'></div></body></html>"
    out = readable(page)
    assert "body:not(.kil-io-show-code) .jp-CodeCell .jp-Cell-inputWrapper { display: none; }" in out
    assert out.index('<button id="kil-io-code-toggle"') > out.index("<body")
    assert readable(out) == out


def test_index_areas_table_lists_great_britain_and_links_cases_by_name_or_code(tmp_path: Path) -> None:
    from kil_io.reporting.index_page import areas_table

    done = {}
    for name, given in (("by_name", "Calderdale"), ("by_code", "E08000033"), ("unknown", "Atlantis")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "case.json").write_text(json.dumps({"title": name.upper(), "parameters": {"area": given}}))
        done[name] = folder
    html = areas_table(tmp_path, done)
    rows = re.findall(r"<tr><td>(.*?)</td><td><code>(.*?)</code></td><td>(.*?)</td><td>(.*?)</td>.*?</tr>", html)
    by_code = {code: (name, kind, within) for name, code, kind, within in rows}
    # ONS: 361 UK local authorities in 2023, 11 of them in Northern Ireland, which has no BRES employment
    assert sum(kind == "local authority" for _, kind, _ in by_code.values()) == 350
    assert "N09000003" not in by_code  # Belfast
    assert by_code["E08000033"] == ("Calderdale", "local authority", "West Yorkshire")
    calderdale = next(line for line in html.splitlines() if "<code>E08000033</code>" in line)
    assert "BY_NAME" in calderdale
    assert "BY_CODE" in calderdale
    assert "UNKNOWN" not in html
    assert not any(re.fullmatch(r"nan|none|", cell.lower()) for row in rows for cell in row)


def test_every_headline_the_templates_write_has_a_label_with_its_unit_and_basis() -> None:
    """The templates' headline keys (reports.*_HEADLINE) each read through formatting.LABELS, net ones as net."""
    from kil_io.reporting import reports

    for key, measure in {**reports.ORGANISATION_HEADLINE, **reports.CONTRACT_HEADLINE}.items():
        label = fmt.LABELS[key]
        assert label.kind == {"fte": "fte", "lm3": "ratio"}.get(measure.removesuffix("_net"), "money_m"), key
        assert (label.basis == "net") == measure.endswith("_net"), key
