"""A council's spend with local suppliers -> local jobs, GVA and income, today and with a shift.

Expected values are not computed by the code under test:

- the tiny economy is Miller & Blair (2009) Table 2.3 (tests/examples.py), whose Leontief inverse the
  book prints: L = [[1.2541, 0.3300], [0.2640, 1.1221]]; its Type I jobs are worked from those four
  numbers by hand below, and its Type II figures from the closed model's explicit (n + 1) x (n + 1)
  inverse (Miller & Blair section 6.2), not kil_io's rank-one update;
- the Leeds example's figures are summed by hand from its CSV files
  (kil_io/records/templates/examples/council_spend/).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from examples import miller_blair_frames
from hypothesis import given, settings
from hypothesis import strategies as st

import kil_io.appraisal.additionality as additionality
from kil_io import IOTable
from kil_io.appraisal.result import AppraisalFileError
from kil_io.errors import RecordsError
from kil_io.records.areas import local_area
from kil_io.records.procurement import Procurement, read_procurement
from kil_io.records.spend_categories import read_rules, tokens
from kil_io.records.spend_impact import spend_impact
from kil_io.records.spend_result import SpendImpact, read_spend_impact
from kil_io.records.spend_shifts import read_shifts, shifts_from_text
from kil_io.records.templates import EXAMPLES

LEEDS_SPEND = EXAMPLES / "council_spend"
#: Miller & Blair (2009) Table 2.3's Leontief inverse as printed (four decimals).
L_BOOK = np.array([[1.2541, 0.3300], [0.2640, 1.1221]])
RESIDENT_SHARE, INCOME = 0.8, 2000.0
#: FTE per £1m of output: 8,000 and 12,000 FTE on outputs of £1,000m and £2,000m.
JOBS = np.array([8.0, 6.0])

TINY_LEDGER = (
    "Payment Date,Supplier Name,Amount,Service Area,Expense Type,Supplier Postcode\n"
    "01/04/2024,Armley Widgets,600000,Works,Widgets,LS12 5EH\n"
    "02/04/2024,Birmingham Widgets,400000,Works,Widgets,B1\n"
    "03/04/2024,Kirkgate Services,250000,Resources,Services,LS1 6DN\n"
    "04/04/2024,Leeds Youth Trust,50000,Children,Grants to charities,LS11 7JB\n"
)
TINY_RULES = "words,category\nwidget,1\nservice,2\n"


def tiny_table() -> IOTable:
    frames = miller_blair_frames()
    frames["employment"] = pd.Series([8000.0, 12000.0], index=["1", "2"])
    return IOTable.from_frames(**frames, area="Testshire", household_income=INCOME, resident_share=RESIDENT_SHARE)


def closed_model(f: list[float]) -> np.ndarray:
    """Output of sectors 1, 2 and households' resident pay for final demand f (£m), by the explicit closed inverse."""
    A = np.array([[150 / 1000, 500 / 2000], [200 / 1000, 100 / 2000]])
    c = np.array([200.0, 500.0]) / INCOME  # households' purchases per £ of their income
    h = RESIDENT_SHARE * np.array([400 / 1000, 1000 / 2000])  # residents' pay per £ of output
    closed = np.block([[A, c[:, None]], [h[None, :], np.zeros((1, 1))]])
    return np.linalg.inv(np.eye(3) - closed) @ np.array([*f, 0.0])


@cache
def tiny_files(folder: str) -> tuple[Procurement, tuple]:
    spend, rules = Path(folder) / "tiny.csv", Path(folder) / "rules.csv"
    spend.write_text(TINY_LEDGER, encoding="utf-8")
    rules.write_text(TINY_RULES, encoding="utf-8")
    return read_procurement(spend, local_area("Leeds")), read_rules(rules, ("1", "2"))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Procurement, tuple]:
    return tiny_files(str(tmp_path_factory.mktemp("tiny")))


def tiny_impact(tiny: tuple[Procurement, tuple], shifts: tuple = ()) -> SpendImpact:
    ledger, rules = tiny
    return spend_impact(ledger, table=tiny_table(), year=2022, rules=rules, shifts=shifts, draws=0)


def test_type_i_jobs_of_local_spend_match_the_books_leontief_inverse(tiny: tuple[Procurement, tuple]) -> None:
    result = tiny_impact(tiny)
    # local spend: £600,000 of widgets (industry 1) and £250,000 of services (industry 2); £0.6m and £0.25m
    # Type I FTE by hand: 0.6 (8 x 1.2541 + 6 x 0.2640) + 0.25 (8 x 0.3300 + 6 x 1.1221)
    #                   = 0.6 x 11.6168 + 0.25 x 9.3726 = 6.97008 + 2.34315 = 9.31323
    assert result.components.loc[("today", "indirect"), "fte"] == pytest.approx(9.31323, rel=1e-3)
    assert result.categories.loc["1", "fte"] + result.categories.loc["2", "fte"] == pytest.approx(
        result.total("today", "fte")
    )


def test_type_ii_figures_match_the_explicitly_closed_model(tiny: tuple[Procurement, tuple]) -> None:
    result = tiny_impact(tiny)
    x = closed_model([0.6, 0.25])
    fte, gva = JOBS @ x[:2], np.array([650 / 1000, 1400 / 2000]) @ x[:2]
    assert result.total("today", "fte") == pytest.approx(fte, rel=1e-9)
    assert result.total("today", "gva") == pytest.approx(gva, rel=1e-9)
    assert result.total("today", "local_income") == pytest.approx(x[2], rel=1e-9)  # residents' pay, all rounds
    # net: leakage 1 - s for jobs and GVA (not income, already residents'), then the central preset's rates
    rates = additionality.preset("central")
    kept = (1 - rates.displacement.value) * (1 - rates.substitution.value) * (1 - rates.deadweight.value)
    assert result.total("today", "fte_net") == pytest.approx(fte * RESIDENT_SHARE * kept, rel=1e-9)
    assert result.total("today", "local_income_net") == pytest.approx(x[2] * kept, rel=1e-9)
    assert result.figure("fte").value == pytest.approx(fte, rel=1e-9)
    assert result.figure("fte").range is None
    assert "draws=0" in result.figure("fte").no_range


def test_the_ledger_keeps_the_unmapped_spend_in_its_local_share_and_reports_it(tiny: tuple[Procurement, tuple]) -> None:
    result = tiny_impact(tiny)
    # by hand: £1,300,000 paid, £900,000 of it local (600,000 + 250,000 + the £50,000 grant)
    assert result.ledger["local_share"] == pytest.approx(900 / 1300)
    assert result.figure("local_share").value == pytest.approx(900 / 1300)
    assert (result.ledger["unmapped_spend"], result.ledger["unmapped_local"]) == (50_000, 50_000)
    assert result.unmapped.loc["Grants to charities", "spend"] == 50_000
    assert "a grant" in result.unmapped.loc["Grants to charities", "why"]
    assert any("£50,000 of spend" in n and "in no industry" in n for n in result.notes)
    assert list(result.categories.index) == ["1", "2"]  # the grant is no spending line


def test_a_shift_adds_the_moved_spend_through_the_closed_model(tiny: tuple[Procurement, tuple]) -> None:
    result = tiny_impact(tiny, shifts_from_text(["Widgets=0.5"]))
    # half of the £400,000 of widgets bought in Birmingham moves to local suppliers: £0.2m more in industry 1
    assert result.figure("moved").value == pytest.approx(200_000)
    assert result.total("extra", "fte") == pytest.approx(JOBS @ closed_model([0.2, 0.0])[:2], rel=1e-9)
    assert result.categories.loc["1", "shifted_local_spend"] == pytest.approx(800_000)
    assert result.categories.loc["2", "extra_fte"] == 0
    assert result.shifts.loc[0, ["kind", "moved", "payments"]].tolist() == ["expense type", 200_000, 2]


@settings(max_examples=25, deadline=None)
@given(
    low=st.floats(0, 1),
    high=st.floats(0, 1),
    what=st.sampled_from(["Widgets", "Services", "service area: Works", "Resources", "category: 1"]),
)
def test_shifting_more_never_lowers_local_jobs_and_shifting_nothing_changes_nothing(
    tiny: tuple[Procurement, tuple], low: float, high: float, what: str
) -> None:
    low, high = min(low, high), max(low, high)
    less = tiny_impact(tiny, shifts_from_text([f"{what}={low!r}"]))
    more = tiny_impact(tiny, shifts_from_text([f"{what}={high!r}"]))
    for measure in ("fte", "fte_net", "gva", "local_income"):
        assert more.total("shifted", measure) >= less.total("shifted", measure) - 1e-12
        assert less.total("extra", measure) >= -1e-12
    none = tiny_impact(tiny, shifts_from_text([f"{what}=0"]))
    assert none.figure("moved").value == 0
    assert (none.components.loc["extra"].to_numpy() == 0).all()
    assert (none.categories["shifted_local_spend"] == none.categories["local_spend"]).all()


def test_the_leeds_example_by_hand() -> None:
    ledger = read_procurement(LEEDS_SPEND / "spend_over_500.csv", local_area("Leeds"),
                              lookup=LEEDS_SPEND / "supplier_postcodes.csv")  # fmt: skip
    result = spend_impact(ledger, shifts=shifts_from_text(["Repairs and maintenance=0.25", "Home care=0.25"]),
                          draws=200, seed=1)  # fmt: skip
    # by hand from spend_over_500.csv: £836,050 paid, £108,850 of it with Leeds suppliers (13.0%)
    assert (result.ledger["total"], result.ledger["local_value"]) == (836_050, 108_850)
    assert result.figure("local_share").value == pytest.approx(108_850 / 836_050)
    c = result.categories
    # repairs: Armley £12,450 + £7,900 (LS12) and Kirkstall Roofing £4,800 (LS5, by the lookup) of £111,350
    assert (c.loc["building_maintenance", "spend"], c.loc["building_maintenance", "local_spend"]) == (111_350, 25_150)
    # care: residential £145,000 (Bradford), home care £212,500 + £198,300 (Bristol), day care £38,750 (LS7)
    assert (c.loc["social_care", "spend"], c.loc["social_care", "local_spend"]) == (594_550, 38_750)
    assert (c.loc["it_services", "spend"], c.loc["it_services", "local_spend"]) == (40_950, 9_750)
    assert (c.loc["energy", "local_spend"], c.loc["cleaning_and_facilities", "local_spend"]) == (0, 5_450)
    assert c.loc["social_care", "industry"] == "Residential Care & Social Work Activities"
    assert result.ledger["unmapped_spend"] == 24_000  # the grant to Leeds Youth Trust
    # the shift: a quarter of the £86,200 of repairs and of the £410,800 of home care bought outside Leeds
    assert result.figure("moved").value == pytest.approx(0.25 * 86_200 + 0.25 * 410_800)
    for key in ("fte", "fte_net", "gva", "gva_net", "extra: fte", "extra: gva_net"):
        h = result.figure(key)
        assert h.range is not None, key
        assert 0 < h.range.low <= h.range.median <= h.range.high, key
    assert result.figure("extra: fte").range.p_ahead == 1.0  # more local spend: more jobs in every draw
    assert result.figure("fte").value < result.figure("fte").range.high


def test_today_and_the_shift_see_the_same_draws() -> None:
    ledger = read_procurement(LEEDS_SPEND / "spend_over_500.csv", local_area("Leeds"),
                              lookup=LEEDS_SPEND / "supplier_postcodes.csv")  # fmt: skip
    plain = spend_impact(ledger, draws=300, seed=7)
    shifted = spend_impact(ledger, shifts=shifts_from_text(["Home care=0.5"]), draws=300, seed=7)
    # today's ranges do not depend on whether a shift is asked for: the same seed, the same draws
    pd.testing.assert_frame_equal(plain.ranges, shifted.ranges.loc[plain.ranges.index])
    extra = shifted.ranges.loc["extra: fte"]
    assert extra["low"] > 0
    assert extra["p_positive"] == 1.0


def test_the_result_round_trips_through_json(tiny: tuple[Procurement, tuple], tmp_path: Path) -> None:
    result = tiny_impact(tiny, shifts_from_text(["Widgets=0.25"]))
    again = SpendImpact.from_dict(json.loads(result.to_json()))
    assert again.to_json() == result.to_json()
    pd.testing.assert_frame_equal(again.categories, result.categories)
    assert again.headline == result.headline
    (tmp_path / "spend_impact.json").write_text(result.to_json(), encoding="utf-8")
    assert read_spend_impact(tmp_path).to_json() == result.to_json()
    bad = result.to_dict() | {"kind": "appraisal"}
    with pytest.raises(AppraisalFileError, match="not a spend impact"):
        SpendImpact.from_dict(bad)


def test_shifts_that_name_nothing_or_shares_outside_0_1_name_where_and_what() -> None:
    with pytest.raises(RecordsError) as caught:
        shifts_from_text(["Home care=1.5", "Repairs=-0.1", "Catering 0.2", "service area: =0.2"])
    message = str(caught.value)
    assert "--shift, row 1, column 'share': '1.5' is not a share in [0, 1]" in message
    assert "--shift, row 2, column 'share': '-0.1' is not a share in [0, 1]" in message
    assert "--shift, row 3, column 'what': 'Catering 0.2' is not WHAT=SHARE" in message
    assert "--shift, row 4, column 'what': is empty" in message


def test_a_shift_naming_no_category_of_the_ledger_is_refused(tiny: tuple[Procurement, tuple]) -> None:
    with pytest.raises(RecordsError) as caught:
        tiny_impact(tiny, shifts_from_text(["Widgits=0.2", "Services=25%", "Services=0.1"]))
    message = str(caught.value)
    assert "--shift, row 1, column 'what': 'Widgits' is not a category or expense type or service area of this " in (
        message
    )
    assert "did you mean 'widgets'?" in message
    assert "--shift, row 3, column 'what': 'Services' is shifted twice (also at --shift 2)" in message


def test_a_shifts_file_names_its_bad_rows(tiny: tuple[Procurement, tuple], tmp_path: Path) -> None:
    path = tmp_path / "shifts.csv"
    path.write_text("what,share,kind,source\nWidgets,0.3,,cabinet paper\nHousing,2,service area,\n"
                    "Services,0.1,department,\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(RecordsError) as caught:
        read_shifts(path)
    message = str(caught.value)
    assert f"{path}, row 3, column 'share': 2 is not a share in [0, 1]" in message or (
        f"{path}, row 3, column 'share': '2' is not a share in [0, 1]" in message
    )
    assert f"{path}, row 4, column 'kind': 'department' is not a kind of shift" in message
    path.write_text("what,share,source\nWidgets,30%,cabinet paper\nBrexit,0.1,\n", encoding="utf-8")
    specs = read_shifts(path)
    assert (specs[0].share, specs[0].source) == (0.3, "cabinet paper")
    with pytest.raises(RecordsError, match=r"shifts.csv, row 3, column 'what': 'Brexit' is not a category"):
        tiny_impact(tiny, specs)


def test_a_rules_file_with_an_unknown_category_names_the_cell(tmp_path: Path) -> None:
    path = tmp_path / "rules.csv"
    path.write_text("words,category\nhome care,social care\nwidgets,socail_care\n", encoding="utf-8")
    with pytest.raises(RecordsError) as caught:
        read_rules(path, ("Q87 & Q88",))
    assert f"{path}, row 3, column 'category': 'socail_care' is not a spending category" in str(caught.value)
    assert "did you mean 'social_care'?" in str(caught.value)


def test_credit_notes_that_exceed_a_categorys_spend_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "spend.csv"
    path.write_text("Supplier,Amount,Expense Type,Postcode\nA Ltd,100,Cleaning,LS12 5EH\nA Ltd,-300,Cleaning,LS12 5EH\n"
                    "B Ltd,500,Catering,LS1 6DN\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(RecordsError, match=r"row 2, column 'amount': 'A Ltd' \(rows 2, 3\) nets to £-200.00"):
        read_procurement(path, local_area("Leeds"))  # a supplier's credits beyond its own payments: refused on reading
    # the supplier nets to £300, but its credit is on another industry's line than its payment
    path.write_text("Supplier,Amount,Expense Type,Postcode\nA Ltd,100,Cleaning,LS12 5EH\nA Ltd,-300,Cleaning,LS12 5EH\n"
                    "A Ltd,500,Catering,LS12 5EH\n", encoding="utf-8")  # fmt: skip
    ledger = read_procurement(path, local_area("Leeds"))
    with pytest.raises(RecordsError, match=r"row 2, column 'amount': the 2 'cleaning_and_facilities' payments .* net "
                                           r"to £-200.00"):  # fmt: skip
        spend_impact(ledger, draws=0)


def test_a_ledger_with_nothing_in_any_industry_says_how_to_place_it(tmp_path: Path) -> None:
    path = tmp_path / "spend.csv"
    path.write_text("Supplier,Amount,Expense Type,Postcode\nA Ltd,100,Sundries,LS12 5EH\n", encoding="utf-8")
    with pytest.raises(RecordsError, match=r"no payment is in an industry kil_io knows .*--categories FILE"):
        spend_impact(read_procurement(path, local_area("Leeds")), draws=0)


def test_words_match_whole_words_in_order() -> None:
    assert tokens("Repairs & Maintenance") == ("repair", "and", "maintenance")
    assert tokens("IT services") == ("it", "service")
    assert "it" not in tokens("Audit fees")  # 'it' is not found inside 'audit'
