"""Organisation impacts: a hand-computed two-sector example, components, shipped cases, sensitivity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kil_io
from kil_io import IOTable
from kil_io.appraisal.impact import organisation_impact
from kil_io.appraisal.organisation import Enterprise, Figure, Organisation, Spend
from kil_io.appraisal.sensitivity import sensitivity
from kil_io.errors import CaseError, LabelError


def org(**changes: object) -> Organisation:
    base: dict[str, object] = {
        "name": "Test Trust",
        "area": "Miller & Blair",
        "year": 2019,
        "income": Figure(1_000_000, "test"),
        "staff_fte": Figure(20, "test"),
        "staff_costs": Figure(600_000, "test"),
        "staff_local_share": Figure(0.5, "test"),
        "surplus": Figure(50_000, "test"),
        "spending": (Spend("1", 200_000, 0.25, "test"), Spend("2", 100_000, 1.0, "test")),
        "enterprises": (Enterprise("Tenant", "2", Figure(3, "test"), Figure(400_000, "test")),),
        "additionality": Figure(0.5, "test"),
    }
    base.update(changes)
    return Organisation(**base)  # type: ignore[arg-type]


def test_two_sector_example_by_hand(mb_table: IOTable) -> None:
    """Every component from Miller & Blair Table 2.3 with explicit inverses, in £m and FTE."""
    A = np.array([[0.15, 0.25], [0.20, 0.05]])
    x = np.array([1000.0, 2000.0])
    g = np.array([650.0, 1400.0]) / x  # GVA per £m
    w = np.array([400.0, 1000.0]) / x  # CoE per £m
    e = np.array([8.0, 12.0]) / x  # FTE per £m
    L = np.linalg.inv(np.eye(2) - A)
    Abar = np.zeros((3, 3))
    Abar[:2, :2] = A
    Abar[2, :2] = w
    Abar[:2, 2] = np.array([200.0, 500.0]) / 1400.0  # household consumption per £ of CoE
    Lbar = np.linalg.inv(np.eye(3) - Abar)

    f = np.array([0.200 * 0.25, 0.100])  # £m bought locally
    pay = 0.600 * 0.5  # £m of pay to local staff
    fe = np.array([0.0, 0.400 * 0.5])  # enterprise turnover, additional part

    res = organisation_impact(org(), mb_table).to_frame()
    assert res.loc["direct", "fte"] == pytest.approx(20)
    assert res.loc["direct", "gva"] == pytest.approx(0.650)
    assert res.loc["indirect", "gva"] == pytest.approx(g @ L @ f)
    assert res.loc["indirect", "fte"] == pytest.approx(e @ L @ f)
    induced = (Lbar[:2, :2] @ f - L @ f) + Lbar[:2, 2] * pay
    assert res.loc["induced", "gva"] == pytest.approx(g @ induced)
    assert res.loc["induced", "fte"] == pytest.approx(e @ induced)
    spill = Lbar[:2, :2] @ fe - fe
    assert res.loc["enabled", "gva"] == pytest.approx(g @ fe + g @ spill)
    assert res.loc["enabled", "fte"] == pytest.approx(3 * 0.5 + e @ spill)
    # the total, added up here from the hand-computed parts (£m and FTE)
    gva_total = 0.650 + g @ L @ f + g @ induced + g @ fe + g @ spill
    fte_total = 20 + e @ L @ f + e @ induced + 1.5 + e @ spill
    assert res.loc["total", "gva"] == pytest.approx(gva_total)
    assert res.loc["total", "fte"] == pytest.approx(fte_total)


def test_components_add_up_and_ratios(mb_table: IOTable) -> None:
    result = organisation_impact(org(), mb_table)
    frame = result.to_frame()
    assert list(frame.index) == ["direct", "indirect", "induced", "enabled", "total"]
    assert list(frame.columns) == ["fte", "gva"]
    np.testing.assert_allclose(frame.drop(index="total").sum(), frame.loc["total"], rtol=1e-12)
    ratios = result.per_income()
    assert ratios.loc["total", "fte_per_1m_income"] == pytest.approx(frame.loc["total", "fte"])  # income is £1m
    assert ratios.loc["total", "gva_per_1_income"] == pytest.approx(frame.loc["total", "gva"])


def test_more_local_staff_and_spending_more_local_jobs(mb_table: IOTable) -> None:
    low = organisation_impact(org(staff_local_share=Figure(0.2, "t")), mb_table).to_frame().loc["total"]
    high = organisation_impact(org(staff_local_share=Figure(0.9, "t")), mb_table).to_frame().loc["total"]
    assert (high > low).all()
    local = (Spend("1", 200_000, 1.0, "t"), Spend("2", 100_000, 1.0, "t"))
    more = organisation_impact(org(spending=local), mb_table).to_frame().loc["total"]
    base = organisation_impact(org(), mb_table).to_frame().loc["total"]
    assert (more > base).all()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"staff_local_share": Figure(1.5, "t")}, r"staff local_share must be a share in \[0, 1\], got 1.5"),
        ({"spending": (Spend("1", 900_000, 0.5, "t"),)}, r"exceed income less surplus .* by £550,000"),
        ({"income": Figure(0, "t")}, "income must be positive"),
    ],
)
def test_bad_organisation(changes: dict[str, object], message: str) -> None:
    with pytest.raises(CaseError, match=message):
        org(**changes)


def test_bad_spend_lines() -> None:
    with pytest.raises(CaseError, match=r"spending line '1': value must be a non-negative"):
        Spend("1", -5.0, 0.5, "t")
    with pytest.raises(CaseError, match=r"spending line 'rent': local_share must be a share"):
        Spend("1", 5.0, -0.1, "t", label="rent")
    with pytest.raises(CaseError, match="has no source note"):
        Figure(1.0, " ")


def test_unknown_sector_in_the_table(mb_table: IOTable) -> None:
    with pytest.raises(LabelError, match=r"\['Q86'\]"):
        organisation_impact(org(spending=(Spend("Q86", 1000.0, 1.0, "t"),)), mb_table)


def test_shipped_organisation_cases_compute_offline() -> None:
    for name in ("halifax_opportunities_trust", "jubilee_childrens_centre"):
        case = kil_io.case_study(name)
        frame = kil_io.organisation_impact(case).to_frame()
        assert frame.loc["total", "fte"] > case.organisation.staff_fte.value  # type: ignore[union-attr]
        assert (frame.drop(index="total") >= 0).all().all()
    with pytest.raises(CaseError, match="'calderdale' is not an organisation"):
        kil_io.organisation_impact(kil_io.case_study("calderdale"))


def test_sensitivity_rows(mb_table: IOTable) -> None:
    table = sensitivity(org(), {"additionality": [0.0, 1.0], "staff_local_share": [1.0]}, mb_table)
    base = organisation_impact(org(), mb_table).to_frame().loc["total"]
    first = table.iloc[0]
    assert first.name[0] == "base"
    assert first["fte"] == pytest.approx(base["fte"])
    assert table.loc[("additionality", 1.0), "fte"] > table.loc[("additionality", 0.0), "fte"]
    assert table.loc[("staff_local_share", 1.0), "gva_change"] > 0
    with pytest.raises(CaseError, match=r"unknown sensitivity assumptions \['wages'\]"):
        sensitivity(org(), {"wages": [1.0]}, mb_table)


def test_local_spend_by_sector() -> None:
    o = org(spending=(Spend("1", 100.0, 0.5, "t"), Spend("1", 50.0, 1.0, "t"), Spend("2", 10.0, 0.0, "t")))
    pd.testing.assert_series_equal(o.local_spend.sort_index(), pd.Series({"1": 100.0, "2": 0.0}), check_names=False)
    assert o.local_staff_pay == pytest.approx(300_000)
    assert o.unallocated == pytest.approx(1_000_000 - 50_000 - 600_000 - 160)


def test_review_edge_cases(mb_table: IOTable) -> None:
    with pytest.raises(CaseError, match="deficit of £2,000,000 is larger than income"):
        org(surplus=Figure(-2_000_000, "t"))
    with pytest.raises(CaseError, match="fte must be a Figure"):
        Enterprise("x", "1", 5, Figure(1.0, "t"))  # type: ignore[arg-type]
    assert Figure(np.int64(3), "numpy number").value == 3.0
    with pytest.raises(CaseError, match="do not pass regional_table"):
        sensitivity(org(), {"delta": [0.2]}, mb_table)
    with pytest.raises(CaseError, match=r"'additionality': 1.5 is not a share"):
        sensitivity(org(), {"additionality": [1.5]}, mb_table)
    with pytest.raises(CaseError, match="expected a list of values"):
        sensitivity(org(), {"additionality": 0.5}, mb_table)  # type: ignore[dict-item]
    table = sensitivity(org(), {"staff_respend_share": [0.9]}, mb_table)
    assert table.loc[("staff_respend_share", 0.9), "fte_change"] == 0
    assert table.loc[("staff_respend_share", 0.9), "lm3_change"] > 0
