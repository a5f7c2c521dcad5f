"""What users read: figures formatted by one set of rules, a brief that says what the run found, a sum that adds up."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from reporting_cases import result_folder

import kil_io
from kil_io.appraisal import read_appraisal
from kil_io.reporting import brief, outputs
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
    # a range narrower than the central figure's precision keeps its width: never "20 FTE (20–20)"
    narrow = {"low": 19.84, "high": 20.31, "level": 0.9}
    assert fmt.figure_with_range(20.1, narrow, "fte") == "20 FTE (19.8–20.3, 90% range)"


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
    return {
        "hot": result_folder(out, "halifax_opportunities_trust"),
        "jubilee": result_folder(out, "jubilee_childrens_centre"),
        "contract": result_folder(out, "jubilee_childrens_centre", contract_value=1_000_000),
    }


def _page_one(page: str) -> str:
    return html.unescape(page[page.index('<section class="page') : page.index('<section class="appendix')])


def test_brief_page_one_speaks_plainly_and_page_two_names_the_method(folders: dict[str, Path]) -> None:
    a = read_appraisal(folders["hot"])
    page = brief.render_html(a)
    one = _page_one(page)
    for jargon in ("FLQ", "δ", "BRES", "STAPM", "Labour Force Survey", "Type I", "nan", "NaN", "_"):
        assert jargon not in re.sub(r"<[^>]+>|class='[^']*'|class=\"[^\"]*\"", "", one), jargon
    assert "25% taken from other local organisations (displacement)" in one  # the rates, on page 1
    assert "20% would have happened anyway (deadweight)" in one
    assert "Each £1 of its income supports about £" in one
    assert "labelled assumptions" in one
    appendix = page[page.index('<section class="appendix') :]
    assert "FLQ" in appendix
    assert "Glossary" in appendix
    assert "@media print { .links { display: none; } }" in page  # no web links on paper


def test_the_version_that_computed_a_case_is_on_its_brief_and_in_its_headline(folders: dict[str, Path]) -> None:
    """A reader who quotes a figure can tell which release gave it (CHANGELOG.md says why it moved since)."""
    a = read_appraisal(folders["hot"])
    assert a.version == kil_io.__version__
    assert f"Made with kil_io {kil_io.__version__} on " in html.unescape(brief.render_html(a))
    headline = json.loads((folders["hot"] / "headline.json").read_text(encoding="utf-8"))
    assert headline["kil_io"] == kil_io.__version__
    assert "kil_io" not in [key for key, *_ in fmt.headline_figures(headline)]  # a version, not a figure
    old = replace(a, version="0.2.0")  # re-rendered from an older appraisal.json: the version that computed it
    assert "Made with kil_io 0.2.0 on " in html.unescape(brief.render_html(old))
    assert old.headline_json()["kil_io"] == "0.2.0"


def test_brief_says_what_moved_in_a_shipped_case_and_nothing_for_a_case_of_your_own(folders: dict[str, Path]) -> None:
    a = read_appraisal(folders["hot"])
    page = html.unescape(brief.render_html(a))
    appendix = page[page.index('<section class="appendix') :]
    assert "What moved since kil_io's earlier release, and why" in appendix
    assert a.history is not None
    moved = a.history[a.history["figure"] == "Local jobs (FTE)"].iloc[-1]
    assert f"<td class='num'>{fmt.fte(moved['before'])}</td><td class='num'>{fmt.fte(moved['after'])}</td>" in appendix
    own = replace(a, history=None)
    assert "What moved" not in brief.render_html(own)


def test_brief_figures_are_formatted_with_units_and_ranges(folders: dict[str, Path]) -> None:
    a = read_appraisal(folders["jubilee"])
    page = html.unescape(brief.render_html(a))
    gva = a.figure("gva")
    assert fmt.money(gva.value, unit="£m") in page  # £501k, never £0.5m
    assert re.search(r"£\d{3}k", fmt.money(gva.value, unit="£m"))
    for h in a.headline:
        assert fmt.of(h.value, h.unit) in page, h.label
        if h.range is not None:
            assert fmt.range_text({"low": h.range.low, "high": h.range.high, "level": h.range.level},
                                  fmt.kind_of(h.unit), h.value) in page  # fmt: skip
    contract = html.unescape(brief.render_html(read_appraisal(folders["contract"])))
    assert "National provider" in contract
    assert "Per £1 of council spend" in contract
    difference = read_appraisal(folders["contract"]).figure("difference: fte")
    assert f"+{fmt.fte(difference.value)}" in contract


def test_brief_tells_the_records_checks_and_counts_inputs_truly(tmp_path: Path) -> None:
    from test_appraisal import EXAMPLE

    from kil_io.records.newcase import case_from_records

    for f in ("accounts.csv", "staff.csv", "suppliers.csv"):
        (tmp_path / f).write_bytes((EXAMPLE / f).read_bytes())
    made = case_from_records("leeds", area="Leeds", folder=tmp_path, accounts=tmp_path / "accounts.csv",
                             staff=tmp_path / "staff.csv", suppliers=tmp_path / "suppliers.csv")  # fmt: skip
    (tmp_path / "leeds.yaml").write_text(made.text(), encoding="utf-8")
    a = read_appraisal(result_folder(tmp_path / "out", tmp_path / "leeds.yaml"))
    one = _page_one(brief.render_html(a))
    counts = a.basis_counts()
    assert f"Of the {sum(counts.values())} inputs, {counts['record']} come from the organisation's own records" in one
    assert f"{counts['assumption']} are labelled assumptions" in one
    assert "records do not all agree" in one
    assert "ledger totals" in one


def test_a_brief_that_cannot_be_made_never_fails_the_case(tmp_path: Path) -> None:
    from kil_io.runner import batch

    folder = result_folder(tmp_path, "halifax_opportunities_trust")
    (folder / "appraisal.json").write_text('{"schema": 1}', encoding="utf-8")
    batch.write_reports(folder)
    assert "AppraisalFileError" in (folder / batch.REPORTS_ERROR).read_text(encoding="utf-8")
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


def test_a_workbook_that_cannot_be_made_is_named_and_its_error_kept_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the index said "why the brief is missing" for a missing workbook, and the file echoed 2,000 characters
    from kil_io.reporting import index_page, workbook
    from kil_io.runner import batch

    def refuses(*_: object, **__: object) -> None:
        raise ValueError("cannot be used in worksheets: " + "x" * 3000)

    monkeypatch.setattr(workbook, "write_workbook", refuses)
    folder = result_folder(tmp_path, "jubilee_childrens_centre")
    batch.write_reports(folder, pdf=False)
    text = (folder / batch.REPORTS_ERROR).read_text(encoding="utf-8")
    assert text.startswith("the workbook could not be made from the case's result: ValueError: cannot be used in")
    assert text.endswith("... (3,030 characters in all)\n")
    assert len(text) < 700
    assert (folder / "brief.html").is_file()
    page = index_page.write_index(tmp_path).read_text(encoding="utf-8")
    assert "why the workbook is missing" in page
    assert "why the brief is missing" not in page


def test_a_case_built_in_python_keeps_names_to_one_line_of_text() -> None:
    import dataclasses

    import kil_io
    from kil_io.errors import CaseError

    case = kil_io.case_study("halifax_opportunities_trust")
    with pytest.raises(
        CaseError, match=r"the organisation's name 'Halifax\\x07Trust' holds the control character U\+0007"
    ):
        dataclasses.replace(case.organisation, name="Halifax\x07Trust")
    with pytest.raises(CaseError, match=r"the title .* holds the control character U\+001B at character 6"):
        dataclasses.replace(case, title="Title\x1b[31m red")
    with pytest.raises(CaseError, match=r"spending line .*: label .* holds a line break"):
        dataclasses.replace(case.organisation.spending[0], label="Food\nsensitivity: {delta: [0.1]}")


def test_a_failed_pdf_print_leaves_the_html_brief_and_says_why(
    folders: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("KIL_IO_CHROMIUM", str(fake))
    folder = tmp_path / "hot"
    folder.mkdir()
    (folder / "appraisal.json").write_bytes((folders["hot"] / "appraisal.json").read_bytes())
    made = outputs.write_reports(folder)
    assert (folder / "brief.html").is_file()
    assert not (folder / "brief.pdf").exists()
    assert "exit 3" in made.note
    assert "cannot open display" in made.note


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
    page = areas_table(tmp_path, done)
    rows = re.findall(r"<tr><td>(.*?)</td><td><code>(.*?)</code></td><td>(.*?)</td><td>(.*?)</td>.*?</tr>", page)
    by_code = {code: (name, kind, within) for name, code, kind, within in rows}
    # ONS: 361 UK local authorities in 2023, 11 of them in Northern Ireland, which has no BRES employment
    assert sum(kind == "local authority" for _, kind, _ in by_code.values()) == 350
    assert "N09000003" not in by_code  # Belfast
    assert by_code["E08000033"] == ("Calderdale", "local authority", "West Yorkshire")
    calderdale = next(line for line in page.splitlines() if "<code>E08000033</code>" in line)
    assert "BY_NAME" in calderdale
    assert "BY_CODE" in calderdale
    assert "UNKNOWN" not in page
    assert not any(re.fullmatch(r"nan|none|", cell.lower()) for row in rows for cell in row)


def test_every_headline_label_reads_with_its_unit_and_basis() -> None:
    """The appraisal's headline labels each read through formatting.LABELS with the right kind and basis."""
    from kil_io.appraisal.central import CONTRACT_HEADLINE, ORGANISATION_HEADLINE

    for key, (_measure, unit, basis) in {**ORGANISATION_HEADLINE, **CONTRACT_HEADLINE}.items():
        label = fmt.label_for(key)
        assert label.kind == fmt.kind_of(unit), key
        assert label.basis == basis, key


def test_one_unit_registry_and_an_unknown_unit_is_an_error() -> None:
    assert fmt.of(0.433, "£m") == "£433k"
    assert fmt.of(1.794, "£ per £1 of income") == "1.79"
    assert fmt.excel_format("£m", 0.433) == '"£"#,##0.000"m"'
    assert fmt.excel_format("£m", 14.0) == '"£"#,##0.0"m"'
    with pytest.raises(ValueError, match="no number format for the unit 'furlongs'"):
        fmt.of(1.0, "furlongs")


def test_kil_io_brief_re_renders_a_folder_and_refuses_one_that_is_not_a_case(
    folders: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kil_io.cli import main

    folder = tmp_path / "hot"
    folder.mkdir()
    (folder / "appraisal.json").write_bytes((folders["hot"] / "appraisal.json").read_bytes())
    assert main(["brief", str(folder), "--no-pdf"]) == 0
    out = capsys.readouterr().out
    assert "brief.html" in out
    assert (folder / "brief.html").is_file()
    assert (folder / "halifax_opportunities_trust.xlsx").is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["brief", str(empty)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kil-io: error: ")
    assert "no appraisal here" in err
    assert "Traceback" not in err


def test_the_brief_says_when_the_tables_fte_are_an_estimate(folders: dict[str, Path]) -> None:
    from kil_io.reporting import wording

    a = read_appraisal(folders["hot"])
    assert a.national_year == 2023  # no LFS-based FTE for 2023: 2022's carried (data/README.md, "2023")
    assert "the latest year's carried to 2023 (an estimate)" in wording.vintage_line(a)
    measured = replace(a, national_year=2022, table={**a.table, "fte_source": "national FTE per £ of output"})
    assert "estimate" not in wording.vintage_line(measured)
