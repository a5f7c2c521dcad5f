"""LM3: the NEF formula, its bounds, and surveyed versus modelled rounds."""

from __future__ import annotations

import pandas as pd
import pytest
from examples import big_spender_frames, local_frames
from hypothesis import given
from hypothesis import strategies as st

from kil_io import IOTable, case_study
from kil_io.appraisal.lm3 import lm3, lm3_from_shares, modelled_respend_shares, organisation_lm3
from kil_io.appraisal.organisation import Figure
from kil_io.errors import LabelError, ModelError


def test_formula() -> None:
    assert lm3(100.0, 60.0, 20.0) == pytest.approx(1.8)  # (100 + 60 + 20) / 100
    assert lm3(1.0, 0.0, 0.0) == 1.0
    assert lm3(1.0, 1.0, 1.0) == 3.0


@given(st.floats(1e-3, 1e9), st.floats(0, 1), st.floats(0, 1))
def test_always_between_one_and_three(r1: float, s2: float, s3: float) -> None:
    value = lm3(r1, r1 * s2, r1 * s2 * s3)
    assert 1.0 <= value <= 3.0 + 1e-12


@pytest.mark.parametrize(
    ("rounds", "message"),
    [
        ((0.0, 0.0, 0.0), "round1 .* must be positive"),
        ((100.0, 120.0, 0.0), r"round2 \(£120.00\) must be between 0 and round1"),
        ((100.0, 50.0, 60.0), r"round3 \(£60.00\) must be between 0 and round2"),
        ((100.0, -1.0, 0.0), "round2"),
        ((100.0, float("nan"), 0.0), "round2 must be a finite number"),
    ],
)
def test_rounds_out_of_bounds(rounds: tuple[float, float, float], message: str) -> None:
    with pytest.raises(ModelError, match=message):
        lm3(*rounds)


def test_from_shares_and_sources() -> None:
    res = lm3_from_shares(1000.0, 300.0, 200.0, staff_respend_share=0.5, supplier_respend_share=0.25)
    assert list(res.rounds) == [1000.0, 500.0, 200.0]  # R3 = 300 x 0.5 + 200 x 0.25
    assert res.value == pytest.approx(1.7)
    frame = res.to_frame()
    assert frame.loc["lm3", "value"] == pytest.approx(1.7)
    assert "staff: surveyed" in frame.loc["round3", "source"]
    with pytest.raises(ModelError, match=r"staff_respend_share must be in \[0, 1\]"):
        lm3_from_shares(1000.0, 300.0, 200.0, staff_respend_share=1.2, supplier_respend_share=0.25)


def local_table() -> IOTable:
    return IOTable.from_frames(**local_frames(), area="local")


def test_modelled_shares_by_definition() -> None:
    spend = pd.Series({"1": 3.0, "2": 1.0})
    staff, supplier = modelled_respend_shares(local_table(), spend, closure="coe")
    assert staff == pytest.approx(700.0 / 1400.0)  # local household consumption per £ of CoE
    # supplier: local purchases + pay per £ of output, weighted 3:1 over sectors 1 and 2
    per_output = {"1": 0.15 + 0.20 + 0.40, "2": 0.25 + 0.05 + 0.50}
    assert supplier == pytest.approx((3 * per_output["1"] + per_output["2"]) / 4)
    # per £ of a total household income of £2,800m, and with 60% of suppliers' pay to residents
    table = local_table().replace(household_income=2800.0, resident_share=0.6)
    staff, supplier = modelled_respend_shares(table, spend)
    assert staff == pytest.approx(700.0 / 2800.0)
    per_output = {"1": 0.15 + 0.20 + 0.6 * 0.40, "2": 0.25 + 0.05 + 0.6 * 0.50}
    assert supplier == pytest.approx((3 * per_output["1"] + per_output["2"]) / 4)
    with pytest.raises(LabelError, match=r"unknown sectors \['X'\]"):
        modelled_respend_shares(local_table(), pd.Series({"X": 1.0}))


def test_modelled_share_above_one_is_refused() -> None:
    # households buying 1,800 with 1,400 of pay are not a local economy's households
    table = IOTable.from_frames(**big_spender_frames())
    with pytest.raises(ModelError, match=r"modelled staff re-spend share 1.286 is outside \[0, 1\]"):
        modelled_respend_shares(table, pd.Series({"1": 1.0}), closure="coe")


def test_shipped_contract_says_which_rounds_are_modelled() -> None:
    case = case_study("jubilee_childrens_centre")
    res = organisation_lm3(case.organisation)  # type: ignore[arg-type]
    assert 1.0 <= res.value <= 3.0
    assert res.parts["source"].str.startswith("modelled from Calderdale 2021").all()
    surveyed = organisation_lm3(
        case.organisation,  # type: ignore[arg-type]
        survey={"staff_respend_share": Figure(0.4, "staff survey 2024")},
    )
    assert surveyed.parts.loc["staff", "source"] == "surveyed (staff survey 2024)"
    assert surveyed.parts.loc["suppliers", "source"].startswith("modelled")
    assert surveyed.parts.loc["staff", "respend_share"] == 0.4


def test_lm3_of_a_case_uses_its_survey_and_accepts_plain_shares() -> None:
    case = case_study("jubilee_childrens_centre")
    modelled = organisation_lm3(case)
    assert modelled.parts["source"].str.startswith("modelled").all()
    given = organisation_lm3(case, survey={"staff_respend_share": 0.5})
    assert given.parts.loc["staff", "source"] == "surveyed (given)"


def supplier_table(subsidy: float) -> IOTable:
    """Sector 'b' spends 0.4 of output locally and 0.6 on pay, plus ``subsidy`` paid for by a production subsidy."""
    s = ["a", "b"]
    Z = pd.DataFrame([[0.0, 40.0 + 100 * subsidy], [0.0, 0.0]], index=s, columns=s)
    fd = pd.DataFrame({"households": [10.0, 10.0], "exports": [50.0 - 100 * subsidy, 90.0]}, index=s)
    v = pd.DataFrame(
        [[60.0, 60.0], [40.0, 0.0], [0.0, -100 * subsidy]],
        index=["compensation_of_employees", "gross_operating_surplus", "production_taxes"],
        columns=s,
    )
    return IOTable.from_frames(Z, fd, v, area="subsidised")


def test_rounding_just_above_one_is_clipped_more_is_refused() -> None:
    _, supplier = modelled_respend_shares(supplier_table(0.0005), pd.Series({"b": 1.0}), closure="coe")
    assert supplier == 1.0  # 0.4005 + 0.6, within the rounding allowance
    with pytest.raises(ModelError, match=r"supplier re-spend share 1\.010 is outside"):
        modelled_respend_shares(supplier_table(0.01), pd.Series({"b": 1.0}), closure="coe")
