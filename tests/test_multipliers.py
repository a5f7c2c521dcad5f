"""Type I and Type II effects and multipliers, checked against independent numpy algebra."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from examples import JOBS, big_spender_frames, miller_blair_frames, with_empty_sector

from kil_io import (
    IOTable,
    KilIOWarning,
    ModelError,
    NegativeFlowError,
    NotProductiveError,
    ZeroOutputWarning,
    multipliers,
)
from kil_io.model.multipliers import COLUMNS, closed_system


def closed_inverse_by_hand(t: IOTable, income_total: float) -> np.ndarray:
    """Scottish Government closure written out independently with an explicit inverse."""
    n = t.n
    Abar = np.zeros((n + 1, n + 1))
    Abar[:n, :n] = t.Z / t.output
    Abar[n, :n] = t.income / t.output
    Abar[:n, n] = t.households / income_total
    return np.linalg.inv(np.eye(n + 1) - Abar)


def test_columns_and_attrs(mb_table: IOTable) -> None:
    m = multipliers(mb_table, "type_i")
    assert tuple(m.columns) == COLUMNS
    assert list(m.index) == ["1", "2"]
    assert m.attrs["kind"] == "type_i"
    assert m.attrs["employment_effect_units"] == "FTE per £1m of final demand"


def test_type_i_by_definition(mb_table: IOTable) -> None:
    L = np.linalg.inv(np.eye(2) - np.array([[0.15, 0.25], [0.2, 0.05]]))
    gva = np.array([650.0, 1400.0]) / [1000.0, 2000.0]
    coe = np.array([400.0, 1000.0]) / [1000.0, 2000.0]
    fte = np.array(JOBS) / [1000.0, 2000.0]
    m = multipliers(mb_table, "type_i")
    np.testing.assert_allclose(m["gva_effect"], gva @ L, rtol=1e-12)
    np.testing.assert_allclose(m["gva_multiplier"], (gva @ L) / gva, rtol=1e-12)
    np.testing.assert_allclose(m["income_effect"], coe @ L, rtol=1e-12)
    np.testing.assert_allclose(m["income_multiplier"], (coe @ L) / coe, rtol=1e-12)
    np.testing.assert_allclose(m["employment_effect"], fte @ L, rtol=1e-12)
    np.testing.assert_allclose(m["employment_multiplier"], (fte @ L) / fte, rtol=1e-12)


def test_type_ii_against_hand_closure(mb_table: IOTable) -> None:
    Lbar = closed_inverse_by_hand(mb_table, 1400.0)
    fte = np.array(JOBS) / [1000.0, 2000.0]
    coe = np.array([400.0, 1000.0]) / [1000.0, 2000.0]
    m = multipliers(mb_table, "type_ii", closure="coe")
    np.testing.assert_allclose(m["output_multiplier"], Lbar[:2, :2].sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(m["employment_effect"], fte @ Lbar[:2, :2], rtol=1e-12)
    np.testing.assert_allclose(m["income_effect"], coe @ Lbar[:2, :2], rtol=1e-12)
    # the household row of the closed inverse is the income generated: the same thing
    np.testing.assert_allclose(m["income_effect"], Lbar[2, :2], rtol=1e-12)


def test_household_income_option(mb_table: IOTable) -> None:
    default = multipliers(mb_table, "type_ii", closure="coe")
    wider = multipliers(mb_table, "type_ii", household_income=2800.0)
    Lbar = closed_inverse_by_hand(mb_table, 2800.0)
    np.testing.assert_allclose(wider["output_multiplier"], Lbar[:2, :2].sum(axis=0), rtol=1e-12)
    assert (wider["output_multiplier"] < default["output_multiplier"]).all()
    assert closed_system(mb_table, closure="coe") is closed_system(mb_table, None, closure="coe")


@pytest.mark.parametrize("bad", [0.0, -5.0, np.nan, np.inf])
def test_bad_household_income(mb_table: IOTable, bad: float) -> None:
    with pytest.raises(ModelError, match="household_income must be a positive number"):
        multipliers(mb_table, "type_ii", household_income=bad)


def test_closure_on_too_little_income_warns_then_is_not_productive(mb_table: IOTable) -> None:
    # £700 of household consumption on £100 of income: re-spending never dies away
    with (
        pytest.warns(KilIOWarning, match=r"households buy £7.00 of domestic output per £1"),
        pytest.raises(NotProductiveError, match="closed with households"),
    ):
        multipliers(mb_table, "type_ii", household_income=100.0)


def test_big_spending_households_warn() -> None:
    t = IOTable.from_frames(**big_spender_frames())
    with pytest.warns(KilIOWarning, match=r"households buy £1.29 of domestic output per £1 of household income"):
        m = multipliers(t, "type_ii", closure="coe")
    assert m["output_multiplier"].iloc[0] > 10  # productive, but the closure dominates


def test_unknown_kind(mb_table: IOTable) -> None:
    with pytest.raises(ModelError, match=r"unknown multiplier kind 'type_3'"):
        multipliers(mb_table, "type_3")  # type: ignore[arg-type]


def test_type_ii_needs_households() -> None:
    f = miller_blair_frames()
    f["final_demand"] = f["final_demand"].rename(columns={"households": "consumption"})
    t = IOTable.from_frames(**f, area="no households")
    multipliers(t, "type_i")
    with pytest.raises(ModelError, match=r"no 'households' final demand column.*\['consumption', 'exports'\]"):
        multipliers(t, "type_ii")


def test_no_employment_gives_nan_with_warning() -> None:
    f = miller_blair_frames()
    del f["employment"]
    t = IOTable.from_frames(**f, area="no jobs")
    with pytest.warns(KilIOWarning, match="no employment"):
        m = multipliers(t, "type_i")
    assert m["employment_effect"].isna().all()
    assert m["gva_effect"].notna().all()


def test_zero_output_sector_is_nan_with_warning() -> None:
    t = with_empty_sector("with an empty sector")
    with pytest.warns(ZeroOutputWarning, match=r"zero output in \['3'\]"):
        m = multipliers(t, "type_ii", closure="coe")
    assert m.loc["3"].isna().all()
    assert np.isfinite(m.loc[["1", "2"]].to_numpy()).all()
    # the empty sector changes nothing for the others
    s = ["1", "2"]
    ref = IOTable.from_frames(
        pd.DataFrame([[150.0, 500.0], [200.0, 100.0]], index=s, columns=s),
        pd.DataFrame({"households": [300.0, 1500.0], "exports": [50.0, 200.0]}, index=s),
        pd.DataFrame([[650.0, 1400.0]], index=["compensation_of_employees"], columns=s),
        employment=pd.Series(JOBS, index=s),
    )
    ref_m = multipliers(ref, "type_ii", closure="coe")
    pd.testing.assert_frame_equal(m.loc[["1", "2"]], ref_m, check_exact=False, rtol=1e-12)


def test_zero_direct_jobs_gives_nan_multiplier_but_an_effect() -> None:
    f = miller_blair_frames()
    f["employment"] = pd.Series([0.0, JOBS[1]], index=["1", "2"])
    t = IOTable.from_frames(**f)
    with pytest.warns(ZeroOutputWarning, match=r"zero direct employment in \['1'\]"):
        m = multipliers(t, "type_i")
    assert np.isnan(m.loc["1", "employment_multiplier"])
    assert m.loc["1", "employment_effect"] > 0


@pytest.mark.parametrize(
    ("households", "coe", "cell"),
    [
        ([-50.0, 500.0], [400.0, 1000.0], r"final_demand cell \(sector '1', 'households'\) is -50 £m"),
        ([200.0, 500.0], [-10.0, 1000.0], r"primary_inputs cell \('compensation_of_employees', sector '1'\) is -10"),
    ],
)
def test_negative_household_spending_or_pay_is_refused(households: list[float], coe: list[float], cell: str) -> None:
    # both signs are known (inventories may be negative, household consumption and pay may not):
    # the table refuses them, so neither a Type I income effect nor the closed system sees them
    frames = miller_blair_frames()
    fd = frames["final_demand"].assign(households=households)
    fd["exports"] = [350.0, 1700.0] - fd["households"]
    pi = frames["primary_inputs"].copy()
    pi.loc["gross_operating_surplus"] += pi.loc["compensation_of_employees"] - coe
    pi.loc["compensation_of_employees"] = coe
    with pytest.raises(NegativeFlowError, match=cell):
        IOTable.from_frames(frames["Z"], fd, pi, employment=frames["employment"], area="neg")


def test_results_do_not_share_mutable_labels() -> None:
    # tables of one classification reuse one sector Index internally; renaming a result's
    # axes must not rename the next result's
    table = IOTable.from_frames(**miller_blair_frames())
    first = multipliers(table)
    first.index.name = "industry"
    first.columns.name = "measure"
    second = multipliers(table.replace(), "type_ii", closure="coe")
    assert second.index.name == "sector"
    assert second.columns.name is None
    assert table.sector_names.index.name == "sector"
