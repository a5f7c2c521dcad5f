"""Organisation impacts: a hand-computed two-sector example, components, shipped cases, sensitivity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from examples import JOBS

import kil_io
from kil_io import IOTable
from kil_io.appraisal.additionality import Rates
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


@pytest.fixture
def mb_table(mb_table: IOTable) -> IOTable:
    """Miller & Blair Table 2.3 with a household income (£2,800m, twice pay) and 80% of its pay to residents."""
    return mb_table.replace(household_income=2800.0, resident_share=0.8)


RATES = Rates(
    displacement=Figure(0.25, "test"), substitution=Figure(0.1, "test"), deadweight=Figure(0.2, "test"), leakage=None
)


def test_two_sector_example_by_hand(mb_table: IOTable) -> None:
    """Every component from Miller & Blair Table 2.3 with explicit inverses, in £m and FTE, gross and net."""
    A = np.array([[0.15, 0.25], [0.20, 0.05]])
    x = np.array([1000.0, 2000.0])
    g = np.array([650.0, 1400.0]) / x  # GVA per £m
    w = np.array([400.0, 1000.0]) / x  # CoE per £m
    e = np.array(JOBS) / x  # FTE per £m
    s = 0.8  # share of the table's pay going to residents
    L = np.linalg.inv(np.eye(2) - A)
    Abar = np.zeros((3, 3))
    Abar[:2, :2] = A
    Abar[2, :2] = s * w  # only residents' pay is re-spent locally
    Abar[:2, 2] = np.array([200.0, 500.0]) / 2800.0  # household consumption per £ of household income
    Lbar = np.linalg.inv(np.eye(3) - Abar)

    f = np.array([0.200 * 0.25, 0.100])  # £m bought locally
    pay = 0.600 * 0.5  # £m of pay to local staff
    fe = np.array([0.0, 0.400])  # enterprise turnover: gross, all of it

    result = organisation_impact(org(), mb_table, rates=RATES)
    res = result.to_frame()
    assert res.loc["direct", "fte"] == pytest.approx(20)
    assert res.loc["direct", "gva"] == pytest.approx(0.650)
    assert res.loc["indirect", "gva"] == pytest.approx(g @ L @ f)
    assert res.loc["indirect", "fte"] == pytest.approx(e @ L @ f)
    induced = (Lbar[:2, :2] @ f - L @ f) + Lbar[:2, 2] * pay
    assert res.loc["induced", "gva"] == pytest.approx(g @ induced)
    assert res.loc["induced", "fte"] == pytest.approx(e @ induced)
    spill = Lbar[:2, :2] @ fe - fe
    assert res.loc["enabled", "gva"] == pytest.approx(g @ fe + g @ spill)
    assert res.loc["enabled", "fte"] == pytest.approx(3 + e @ spill)
    # the total, added up here from the hand-computed parts (£m and FTE)
    gva_total = 0.650 + g @ L @ f + g @ induced + g @ fe + g @ spill
    fte_total = 20 + e @ L @ f + e @ induced + 3 + e @ spill
    assert res.loc["total", "gva"] == pytest.approx(gva_total)
    assert res.loc["total", "fte"] == pytest.approx(fte_total)
    # local income: local staff's pay and the surplus kept (all of it here), then residents' pay
    local = [0.300 + 0.050, s * w @ L @ f, s * w @ induced, s * (w @ fe + w @ spill)]
    np.testing.assert_allclose(res["local_income"].iloc[:4], local, rtol=1e-12)
    # net: leakage from commuting (half the staff live elsewhere; 20% of the area's jobs are
    # in-commuters'), displacement 0.25, substitution 0.1, deadweight 0.2 (enabled: 1 - additionality)
    keep = (1 - 0.25) * (1 - 0.1)
    gross = res[["fte", "gva"]].iloc[:4].to_numpy()
    factor = np.array([0.5 * 0.8, 0.8 * 0.8, 0.8 * 0.8, 0.8 * 0.5]) * keep  # (1 - leakage) (1 - deadweight)
    np.testing.assert_allclose(res[["fte_net", "gva_net"]].iloc[:4], gross * factor[:, None], rtol=1e-12)
    income_factor = np.array([0.8, 0.8, 0.8, 0.5]) * keep  # residents' income already: no leakage
    np.testing.assert_allclose(res["local_income_net"].iloc[:4], np.array(local) * income_factor, rtol=1e-12)
    assert res.loc["total", "fte_net"] == pytest.approx(res["fte_net"].iloc[:4].sum())
    assert result.rates.loc["direct", "leakage"] == pytest.approx(0.5)
    assert result.rates.loc["enabled", "deadweight"] == pytest.approx(0.5)


def test_components_add_up_and_ratios(mb_table: IOTable) -> None:
    result = organisation_impact(org(), mb_table)
    frame = result.to_frame()
    assert list(frame.index) == ["direct", "indirect", "induced", "enabled", "total"]
    assert list(frame.columns) == ["fte", "fte_net", "gva", "gva_net", "local_income", "local_income_net"]
    np.testing.assert_allclose(frame.drop(index="total").sum(), frame.loc["total"], rtol=1e-12)
    ratios = result.per_income()
    assert ratios.loc["total", "fte_per_1m_income"] == pytest.approx(frame.loc["total", "fte"])  # income is £1m
    assert ratios.loc["total", "gva_per_1_income"] == pytest.approx(frame.loc["total", "gva"])
    assert ratios.loc["total", "gva_net_per_1_income"] == pytest.approx(frame.loc["total", "gva_net"])
    # the default rates are the central preset, labelled as assumptions
    assert result.sources["displacement"].startswith("assumption (central preset)")


def test_respend_share_and_closure_options(mb_table: IOTable) -> None:
    """A surveyed re-spend share is the closure whose households spend that share; coe spends from pay."""
    base = organisation_impact(org(), mb_table)
    modelled = base.sources["re-spend share"]
    assert modelled.startswith(f"{700 / 2800:.3f}")
    same = organisation_impact(org(), mb_table, respend_share=700 / 2800)
    pd.testing.assert_frame_equal(same.to_frame(), base.to_frame(), rtol=1e-12)
    more = organisation_impact(org(), mb_table, respend_share=0.5).to_frame()
    assert more.loc["induced", "fte"] > base.to_frame().loc["induced", "fte"]
    assert more.loc["indirect", "fte"] == pytest.approx(base.to_frame().loc["indirect", "fte"])
    coe = organisation_impact(org(), mb_table, closure="coe").to_frame()  # £700m per £1,400m of pay
    np.testing.assert_allclose(coe.loc["induced"], more.loc["induced"], rtol=1e-12)
    with pytest.raises(kil_io.ModelError, match="carries no household income"):
        organisation_impact(org(), mb_table.replace(household_income=None))


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
    # hosted activity is all in the gross; additionality moves the net only
    assert table.loc[("additionality", 1.0), "fte"] == pytest.approx(table.loc[("additionality", 0.0), "fte"])
    assert table.loc[("additionality", 1.0), "fte_net"] > table.loc[("additionality", 0.0), "fte_net"]
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
    # one re-spend share for LM3's round 3 and the induced effects
    assert table.loc[("staff_respend_share", 0.9), "fte_change"] > 0
    assert table.loc[("staff_respend_share", 0.9), "lm3_change"] > 0
