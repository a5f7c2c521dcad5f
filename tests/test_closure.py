"""The Type II household closure: its income, the commuting (resident) share, suppressed ratios."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import kil_io
from kil_io import IOTable, ModelError, RegionError, ZeroOutputWarning, datasets, regional
from kil_io.model.closure import closed_effects, commuting_adjusted_pay, household_income_total, respend_share
from kil_io.model.multipliers import type_i_effects

MEASURED = ["output_multiplier", "gva_effect", "income_effect", "employment_effect"]


@pytest.fixture(scope="module")
def calderdale() -> IOTable:
    return datasets.regional_iot("Calderdale", 2019, national_year=2019)  # the hand figures below are UK 2019


def quiet_multipliers(table: IOTable, kind: str = "type_ii", **options: object) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZeroOutputWarning)
        return kil_io.multipliers(table, kind, **options)  # type: ignore[arg-type]


def test_calderdale_carries_census_commuting_and_a_household_income(calderdale: IOTable) -> None:
    # Census 2021 ODWP01EW: 33,319 of Calderdale's 50,518 workplace jobs (home workers aside) are its residents'
    assert calderdale.resident_share == pytest.approx(33_319 / 50_518)
    assert "Census 2021" in calderdale.metadata["resident_share_source"]
    # household income: the UK's total resources per £ of UK pay (ONS GDHI accounts: £2,041,514m;
    # UK IOAT 2019: £1,090,157m of compensation of employees), times Calderdale's pay
    uk = datasets.uk_iot(2019)
    assert uk.household_income == 2_041_514.0
    ratio = 2_041_514.0 / float(uk.income.sum())
    assert calderdale.household_income == pytest.approx(ratio * float(calderdale.income.sum()), rel=1e-12)


def test_resident_share_one_is_type_ii_zero_is_type_i_and_monotone(calderdale: IOTable) -> None:
    """Only residents' pay is re-spent: share 1 is the usual Type II, share 0 Type I, more share more induced."""
    type_i = quiet_multipliers(calderdale, "type_i")
    everyone = quiet_multipliers(calderdale.replace(resident_share=1.0))
    np.testing.assert_allclose(quiet_multipliers(calderdale, resident_share=1.0)[MEASURED], everyone[MEASURED])
    np.testing.assert_allclose(quiet_multipliers(calderdale, resident_share=0.0)[MEASURED], type_i[MEASURED])
    census = quiet_multipliers(calderdale)
    shown = type_i["output_multiplier"].notna()
    assert census.attrs["resident_share"] == pytest.approx(calderdale.resident_share)
    assert (census["output_multiplier"][shown] < everyone["output_multiplier"][shown]).all()
    assert (census["output_multiplier"][shown] > type_i["output_multiplier"][shown]).all()
    # the pure form, one call for eleven shares: effects rise with the share, sector by sector
    E = type_i_effects(calderdale)[:3]
    shares = np.linspace(0.0, 1.0, 11)
    closed, _ = closed_effects(E, E[2], calderdale.households, calderdale.household_income, shares)
    steps = np.diff(closed[:, 0, shown.to_numpy()], axis=0)
    assert (steps > 0).all()
    np.testing.assert_allclose(closed[0], E)
    np.testing.assert_allclose(closed[-1, 0, shown.to_numpy()], everyone["output_multiplier"][shown], atol=1e-12)


def test_closure_options_and_their_provenance(calderdale: IOTable) -> None:
    uk = datasets.uk_iot(2019)
    default = quiet_multipliers(uk)
    assert default.attrs["closure"] == "household_income"
    assert default.attrs["household_income"] == 2_041_514.0
    assert "total resources" in default.attrs["household_income_source"]
    coe = quiet_multipliers(uk, closure="coe")
    assert coe.attrs["household_income"] == pytest.approx(float(uk.income.sum()))
    given = quiet_multipliers(uk, household_income=1_500_000.0)
    assert given.attrs["household_income_source"] == "given (household_income=)"
    # less income per £ of consumption, bigger induced effects: coe > given > total resources
    assert (coe["output_multiplier"] > given["output_multiplier"]).all()
    assert (given["output_multiplier"] > default["output_multiplier"]).all()
    # households re-spend on domestic output: £0.90 per £1 of pay, £0.48 per £1 of total resources
    assert respend_share(uk, closure="coe") == pytest.approx(float(uk.households.sum() / uk.income.sum()))
    assert 0.89 < respend_share(uk, closure="coe") < 0.91
    assert 0.47 < respend_share(uk) < 0.49
    with pytest.raises(ModelError, match=r"unknown household closure 'gdhi'"):
        kil_io.multipliers(uk, "type_ii", closure="gdhi")  # type: ignore[arg-type]
    with pytest.raises(ModelError, match="goes with the 'household_income' closure"):
        household_income_total(uk, 1e6, closure="coe")
    with pytest.raises(ModelError, match=r"carries no household income .* pass household_income="):
        household_income_total(uk.replace(household_income=None))
    with pytest.raises(ModelError, match="resident_share must be a share in"):
        kil_io.multipliers(calderdale, "type_ii", resident_share=1.2)


@pytest.mark.parametrize("share", [1.5, -0.2, float("nan")])
def test_every_way_to_give_a_resident_share_refuses_one_outside_0_1(calderdale: IOTable, share: float) -> None:
    named = rf"resident_share must be a share in \[0, 1\], got {share!r}"
    national = datasets.uk_iot(2019)
    local = datasets.local_employment("Calderdale", 2019)
    with pytest.raises(RegionError, match=named):
        regional.regionalise(
            national, local, national_employment=datasets.national_employment(2019), resident_share=share
        )
    with pytest.raises(ModelError, match=named):
        kil_io.multipliers(calderdale, "type_ii", resident_share=share)
    with pytest.raises(ModelError, match=named):
        kil_io.organisation_impact(kil_io.case_study("halifax_opportunities_trust"), calderdale, resident_share=share)


def test_implan_commuting_adjustment() -> None:
    """IMPLAN's worked example: $1,000,000 of pay modelled at 10% commuting, 20% known -> $888,889."""
    assert float(commuting_adjusted_pay(1_000_000, modelled=0.1, known=0.2)) == pytest.approx(888_888.89, abs=0.01)
    np.testing.assert_allclose(commuting_adjusted_pay(100.0, modelled=[0.0, 0.5], known=[0.2, 0.5]), [80.0, 100.0])
    with pytest.raises(ModelError, match="modelled commuting rate"):
        commuting_adjusted_pay(1.0, modelled=1.0, known=0.2)
    with pytest.raises(ModelError, match="known commuting rate"):
        commuting_adjusted_pay(1.0, modelled=0.1, known=-0.1)


def test_negative_direct_gva_gives_no_ratio_as_ons_dots() -> None:
    """UK 2020 rail (H491_2): direct GVA < 0, so its GVA multiplier (-7.48 as a bare ratio) is NaN, named."""
    table = datasets.uk_iot(2020)
    k = table.sectors.index("H491_2")
    assert table.gva[k] < 0  # the table's own figure
    with pytest.warns(ZeroOutputWarning, match=r"direct gva negative or below 2% .*\['H491_2'\]"):
        m = kil_io.multipliers(table, "type_i")
    assert np.isnan(m.loc["H491_2", "gva_multiplier"])
    assert np.isfinite(m.loc["H491_2", "gva_effect"])  # the effect per £ of demand is still shown
    assert m.loc["H491_2", "gva_effect"] / (table.gva[k] / table.output[k]) == pytest.approx(-7.48, abs=0.005)
    # every other sector's GVA ratio is shown, and at least 1
    assert m["gva_multiplier"].drop(["H491_2"]).dropna().ge(1).all()


def test_tiny_direct_gva_gives_no_ratio() -> None:
    """UK 2022 C104: direct GVA 1.4% of the table's average, a Type I ratio of about 50: not shown."""
    table = datasets.uk_iot(2022)
    k = table.sectors.index("C104")
    average = table.gva.sum() / table.output.sum()
    assert 0 < table.gva[k] / table.output[k] < 0.02 * average
    with pytest.warns(ZeroOutputWarning, match=r"\['C104'\]"):
        m = kil_io.multipliers(table, "type_i")
    assert np.isnan(m.loc["C104", "gva_multiplier"])
