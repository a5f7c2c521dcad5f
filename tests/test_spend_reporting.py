"""A council's spend impact as readers get it: command line, CSV tables, brief (HTML, PDF) and result folder.

Renderers only format the one result: these tests check what they show (units, industry names, the
procurement law in words, no NaN or internal codes), that the council's own text is escaped in HTML
and made inert in CSV, and that a result folder re-renders without running the model.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kil_io.cli import main
from kil_io.records.areas import local_area
from kil_io.records.procurement import read_procurement
from kil_io.records.spend_impact import spend_impact
from kil_io.records.spend_result import SpendImpact, read_spend_impact
from kil_io.records.spend_shifts import shifts_from_text
from kil_io.records.templates import EXAMPLES
from kil_io.reporting import spend_brief, spend_pages

SPEND = EXAMPLES / "council_spend"


@pytest.fixture(scope="module")
def leeds() -> SpendImpact:
    ledger = read_procurement(
        SPEND / "spend_over_500.csv", local_area("Leeds"), lookup=SPEND / "supplier_postcodes.csv"
    )
    return spend_impact(ledger, shifts=shifts_from_text(["Repairs and maintenance=0.25", "Home care=0.25"]),
                        draws=300, seed=1)  # fmt: skip


class Text(HTMLParser):
    """The words a reader sees on a page (scripts and styles left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip = tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def seen(html: str) -> str:
    parser = Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def test_the_brief_says_the_figures_with_units_names_and_the_law_in_words(leeds: SpendImpact) -> None:
    text = seen(spend_brief.render_html(leeds))
    assert "13% of the council's £836k of payments in the ledger, weighted by £, went to suppliers in Leeds: £109k" in (
        text
    )
    assert "FTE" in text
    assert "£" in text
    assert "Residential Care & Social Work Activities" in text  # industries by name, not only by code
    assert "not on where the bidder is based" in text
    assert "may not favour a supplier on geography alone" in text
    assert "Procurement Act 2023" in text
    assert "s. 12(2)" in text
    assert "s. 90" in text
    assert "Grants to voluntary organisations" in text  # the unmapped bucket, with its £
    assert "90% range" in text
    for bad in ("nan", "NaN", "None", "building_maintenance", "social_care", "local_income", "fte_net"):
        assert not re.search(rf"\b{bad}\b", text), bad


def test_the_councils_text_is_escaped_in_the_brief_and_inert_in_csv(tmp_path: Path) -> None:
    spend = tmp_path / "spend.csv"
    spend.write_text(
        "Supplier Name,Amount,Service Area,Expense Type,Supplier Postcode\n"
        '"=HYPERLINK(""http://x"",""y"")",1000,<b>Housing</b>,Repairs,LS12 5EH\n'
        "@Builders,500,-Parks,+Cleaning,LS1 6DN\n",
        encoding="utf-8",
    )
    result = spend_impact(read_procurement(spend, local_area("Leeds")), draws=0)
    html = spend_brief.render_html(result)
    assert "<b>Housing</b>" not in html
    assert "&lt;b&gt;Housing&lt;/b&gt;" in html
    written = spend_pages.write_csv(result, tmp_path / "out")
    cells = [cell for path in written for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
             for cell in row]  # fmt: skip
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert "'-Parks" in cells
    assert "'+Cleaning" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or re.match(r"-[^\d.]", c)]


def test_the_result_folder_holds_json_csv_charts_and_the_brief(leeds: SpendImpact, tmp_path: Path) -> None:
    files = spend_brief.save_spend(leeds, tmp_path, pdf=False)
    names = {p.name for p in files}
    assert {"spend_impact.json", "headline.json", "results.csv", "categories.csv", "unmapped.csv", "shifts.csv",
            "ranges.csv", "brief.html", "brief-chart.png", "brief-chart.svg"} <= names  # fmt: skip
    assert read_spend_impact(tmp_path).to_json() == leeds.to_json()
    (tmp_path / "brief.html").unlink()
    assert main(["brief", str(tmp_path), "--no-pdf"]) == 0  # re-rendered from spend_impact.json, nothing run
    assert (tmp_path / "brief.html").read_text(encoding="utf-8") == spend_brief.render_html(leeds)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium not installed")
@pytest.mark.timeout(300)
def test_the_brief_prints_to_pdf(leeds: SpendImpact, tmp_path: Path) -> None:
    from kil_io.reporting.pdfprint import pdf_pages

    made = spend_brief.write_spend_brief(leeds, tmp_path)
    assert made.pdf is not None, made.note
    assert pdf_pages(made.pdf) >= 2


def test_the_reading_tables_have_units_and_no_nan(leeds: SpendImpact) -> None:
    for table in (
        spend_pages.headline(leeds),
        spend_pages.categories(leeds),
        spend_pages.unmapped(leeds),
        spend_pages.shifts(leeds),
        spend_pages.components(leeds),
        spend_pages.inputs(leeds),
        spend_pages.multipliers(leeds),
        spend_pages.placements(leeds),
        spend_pages.service_areas(leeds),
    ):
        text = table.to_string()
        assert not re.search(r"\bnan\b|\bNaN\b|\bNone\b", text), text  # fmt: skip
    categories = spend_pages.categories(leeds)
    assert categories.loc["social care", "industry"] == "Residential Care & Social Work Activities (Q87 & Q88)"
    assert categories.loc["total", "local share"] == "13%"
    assert categories.loc["in no industry: not counted", "spend"] == "£24k"


def test_the_command_line_prints_the_ledgers_share_first_then_the_impact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["spend-impact", str(SPEND / "spend_over_500.csv"), "--area", "Leeds", "--postcodes",
                   str(SPEND / "supplier_postcodes.csv"), "--shift", "Repairs and maintenance=25%", "--draws", "200",
                   "--out", str(tmp_path), "--no-pdf"])  # fmt: skip
    out, err = capsys.readouterr()
    assert status == 0, err
    assert out.index("local share, weighted by £:  13% (£109k)") < out.index("full-time equivalent jobs")
    assert "Moving 25% of the spend with suppliers outside Leeds on 'Repairs and maintenance'" in out
    assert (tmp_path / "brief.html").is_file()
    # a different result over the folder's is kept unless --force
    status = main(["spend-impact", str(SPEND / "spend_over_500.csv"), "--area", "Leeds", "--postcodes",
                   str(SPEND / "supplier_postcodes.csv"), "--draws", "0", "--out", str(tmp_path)])  # fmt: skip
    assert status == 1
    assert "--force" in capsys.readouterr().err


def test_the_command_line_names_bad_input_and_unused_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spend = tmp_path / "spend.csv"
    spend.write_text("Supplier Name,Amount,Expense Area,Expense Type,Supplier Postcode\nA Ltd,100,Housing,Repairs,"
                     "LS12 5EH\n", encoding="utf-8")  # fmt: skip
    status = main(["spend-impact", str(spend), "--area", "Leeds", "--shift", "Repairs=1.5", "--draws", "0"])
    err = capsys.readouterr().err
    assert status == 2
    assert "kil-io: warning:" in err
    assert "'Expense Area'" in err
    assert "--shift, row 1, column 'share': '1.5' is not a share in [0, 1]" in err
    status = main(["procurement", str(spend), "--area", "Leeds"])
    assert status == 0
    assert "kil-io: warning:" in capsys.readouterr().err  # the ledger's own command names it too
