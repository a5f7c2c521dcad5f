"""A portfolio as readers see it: the pilot's sentence, page tables, brief, workbook, result folder, notebook, runner.

The workbook's formulas are evaluated by the ``formulas`` package (not Excel, not kil_io) and must give
the portfolio's own totals; the pages and the brief must carry a unit on every figure and no NaN, input
code or rule code.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import formulas
import nbformat
import papermill as pm
import pytest
from openpyxl import load_workbook
from test_portfolio import CATERER, LEEDS, SHIPPED, write

import kil_io
from kil_io.appraisal import Portfolio, read_portfolio
from kil_io.appraisal.portfolio import MEASURES
from kil_io.reporting import outputs, portfolio_brief, portfolio_outputs, portfolio_pages
from kil_io.reporting.index_page import headline_items
from kil_io.reporting.portfolio_workbook import write_workbook
from kil_io.runner import caselist, inputs

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "portfolio.ipynb"
#: What a reader must never see: missing numbers, input codes, rule codes.
NOT_FOR_READERS = re.compile(r"\bnan\b|\bNaN\b|\bNone\b|part_of|paid_to|fte_net|additionality\.|model\.delta")


@pytest.fixture(scope="module")
def shipped() -> Portfolio:
    return kil_io.appraise_portfolio(SHIPPED, 500, seed=3)


@pytest.fixture(scope="module")
def with_supplier(tmp_path_factory: pytest.TempPathFactory) -> Portfolio:
    """HOT paying £50,000 of its local catering to another entry, and a contract paid to HOT."""
    folder = tmp_path_factory.mktemp("supplier")
    write(folder, "caterer.yaml", CATERER)
    path = write(folder, "p.yaml", """\
        title: HOT, its caterer and a contract
        entries:
          - name: hot
            case: halifax_opportunities_trust
            suppliers:
              - {entry: caterer, line: catering, value: 50000, source: "test ledger"}
          - name: caterer
            case: caterer.yaml
          - name: centre
            case: jubilee_childrens_centre
            contract_value: {value: 400000, source: "council contract register"}
            paid_to: {entry: hot, source: "HOT delivers it"}
    """)  # fmt: skip
    return kil_io.appraise_portfolio(path, 500, seed=3)


def _texts(frame: Any) -> list[str]:
    return [str(v) for v in [*frame.to_numpy().ravel(), *frame.index, *frame.columns]]


# ------------------------------------------------------------------------------------------ words and tables
def test_the_pilots_sentence_gross_with_net_beside_and_ranges(shipped: Portfolio) -> None:
    text = portfolio_pages.sentence(shipped)
    # 260.9 + 32.9 FTE gross (history.csv, README), Jubilee not added again
    assert text.startswith("2 organisations support about 294 FTE (")
    assert "of GVA a year in their areas" in text
    assert "(gross)" in text
    assert text.index("(gross)") < text.index("(net additional)")
    assert text.count("90% range") == 4
    assert "Jubilee Children's Centre is counted within Halifax Opportunities Trust" in text
    assert portfolio_pages.sentence(shipped, shipped.area("Leeds")).startswith("In Leeds, 1 organisation supports")


@pytest.mark.parametrize("table", ["totals", "entries", "removed", "notes", "sources"])
@pytest.mark.parametrize("which", ["shipped", "with_supplier"])
def test_page_tables_have_units_and_nothing_readers_should_not_see(
    table: str, which: str, request: pytest.FixtureRequest
) -> None:
    p = request.getfixturevalue(which)
    frame = getattr(portfolio_pages, table)(p)
    for text in _texts(frame):
        assert not NOT_FOR_READERS.search(text), text
    for heading, unit in ((h, u) for h, u, _ in MEASURES.values()):
        for column in (c for c in frame.columns if str(c).startswith(heading)):
            for cell in frame[column]:
                assert ("FTE" in cell) if unit == "FTE" else ("£" in cell), (column, cell)


def test_a_shared_supplier_is_explained_in_its_own_numbers(with_supplier: Portfolio) -> None:
    reasons = portfolio_pages.removed(with_supplier)["why"].tolist()
    assert any(
        r.startswith("£50k of Halifax Opportunities Trust's local spending on catering (60% of the £84k")
        for r in reasons
    )
    assert any(r.startswith("The £400k contract is paid to Halifax Opportunities Trust") for r in reasons)


# ------------------------------------------------------------------------------------------ brief
def test_the_brief_says_it_all_once_with_units(shipped: Portfolio, tmp_path: Path) -> None:
    files = portfolio_brief.write_brief(shipped, tmp_path, pdf=False)
    html = files.html.read_text(encoding="utf-8")
    assert files.pdf is None
    assert {p.name for p in files.charts} == {"brief-chart.png", "brief-chart.svg"}
    assert portfolio_pages.sentence(shipped).replace("'", "&#x27;") in html
    for area in ("Calderdale", "Leeds", "All areas"):
        assert area in html
    assert "@page" in html  # the organisation brief's page rules, printed alike
    assert not NOT_FOR_READERS.search(re.sub(r"<[^>]+>", " ", html))
    assert "{" not in re.sub(r"<style>.*?</style>", "", html, flags=re.DOTALL)  # no template field left


@pytest.mark.skipif(shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
                    reason="headless Chromium not installed (apt-get install chromium)")  # fmt: skip
def test_the_brief_prints_to_a_two_page_pdf(shipped: Portfolio, tmp_path: Path) -> None:
    from kil_io.reporting.pdfprint import pdf_pages

    files = portfolio_brief.write_brief(shipped, tmp_path)
    assert files.pdf is not None, files.note
    assert pdf_pages(files.pdf) == 2


# ------------------------------------------------------------------------------------------ workbook
def _evaluate(path: Path) -> dict[tuple[str, str], Any]:
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out = {}
    for key, ranges in solution.items():
        sheet, _, cell = key.partition("]")[2].partition("'!")
        if ":" not in cell:
            out[(sheet.upper(), cell.upper())] = ranges.value[0, 0]
    return out


@pytest.mark.parametrize("which", ["shipped", "with_supplier"])
def test_the_workbooks_formulas_give_the_portfolios_totals(which: str, request: pytest.FixtureRequest,
                                                           tmp_path: Path) -> None:  # fmt: skip
    p = request.getfixturevalue(which)
    path = write_workbook(p, tmp_path / "p.xlsx")
    ws, values = load_workbook(path)["Summary"], _evaluate(path)
    seen = 0
    groups = {g.area: g for g in (*p.areas, p.total)}
    labels = {f"{words} ({unit})": m for m, (words, unit, _) in MEASURES.items()}
    for row in range(6, ws.max_row + 1):
        area, label = ws.cell(row, 1).value, ws.cell(row, 2).value
        if area in groups and label in labels:
            assert str(ws.cell(row, 3).value).startswith("=Areas!")
            got = float(values[("SUMMARY", f"C{row}")])
            assert got == pytest.approx(groups[area].totals[labels[label]], rel=1e-9, abs=1e-12), (area, label)
            seen += 1
    assert seen == len(groups) * len(MEASURES)
    if which == "with_supplier":  # the removal's SUMIFS is in the total, not only its value
        assert "SUMIFS(Removed!" in str(load_workbook(path)["Areas"]["I3"].value)


# ------------------------------------------------------------------------------------------ result folder and runner
def test_a_result_folder_round_trips_and_renders_from_its_files_alone(shipped: Portfolio, tmp_path: Path) -> None:
    written = portfolio_outputs.save_portfolio(shipped, tmp_path)
    assert {p.name for p in written} == {"portfolio.json", "headline.json", "results.csv"}
    assert read_portfolio(tmp_path).to_json() == shipped.to_json()
    made = outputs.write_reports(tmp_path, pdf=False)  # what `kil-io brief FOLDER` and `kil-io run` call
    assert {p.name for p in made.files} >= {"brief.html", "west_yorkshire_example.xlsx"}
    headline = json.loads((tmp_path / "headline.json").read_text(encoding="utf-8"))
    shown = dict(headline_items(headline))
    assert shown["Local jobs supported (gross)"].startswith("294 FTE (")
    assert shown["Net additional local income"].startswith("£")


def test_kil_io_run_runs_a_portfolio_file_and_reruns_it_when_a_case_file_changes(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    shutil.copy(LEEDS, tmp_path / "cases" / LEEDS.name)
    mine = tmp_path / "mine.yaml"
    shutil.copy(SHIPPED, mine)
    case = caselist.case_from_file(mine)
    assert (case.name, case.template.name, case.parameters) == ("mine", "portfolio.ipynb", {"portfolio": str(mine)})
    caselist.validate(case)
    before = inputs.inputs_hash(case)
    with (tmp_path / "cases" / LEEDS.name).open("a", encoding="utf-8") as f:
        f.write("# edited\n")
    assert inputs.inputs_hash(case) != before


def test_the_shipped_portfolio_is_in_the_case_list() -> None:
    (case,) = [c for c in caselist.load_cases() if c.template.name == "portfolio.ipynb"]
    assert case.parameters == {"portfolio": "west_yorkshire_example"}
    caselist.validate(case)


@pytest.mark.timeout(300)
def test_the_notebook_runs_and_saves_its_portfolio(tmp_path: Path) -> None:
    out = tmp_path / "portfolio.ipynb"
    pm.execute_notebook(NOTEBOOK, out, parameters={"draws": 200, "results_folder": "."}, kernel_name="python3",
                        language="python", progress_bar=False, cwd=tmp_path, execution_timeout=120,
                        start_timeout=60)  # fmt: skip
    nb = nbformat.read(out, as_version=4)
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
                     for c in nb.cells for o in c.get("outputs", []))  # fmt: skip
    assert "2 organisations support about 294 FTE" in text
    assert "Traceback" not in text
    p = read_portfolio(tmp_path)
    assert (p.draws, p.seed, p.total.included) == (200, 2026, ("hot", "leeds"))
