"""Location quotients and regionalisation: hand-checked formulas, properties, bad input."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from examples import miller_blair_frames, tables
from hypothesis import given, settings
from hypothesis import strategies as st

import kil_io
from kil_io import IOTable, ZeroOutputWarning
from kil_io.errors import LabelError, NegativeFlowError, NonNumericError, RegionError
from kil_io.regional import (
    delta_sensitivity,
    flq_lambda,
    location_quotients,
    regional_multipliers,
    regional_multipliers_by_kind,
    regionalise,
)

SECTORS = ["a", "b", "c"]
RE = pd.Series([10.0, 30.0, 5.0], index=SECTORS)  # RE = 45
NE = pd.Series([100.0, 100.0, 300.0], index=SECTORS)  # NE = 500


def by_hand(method: str, delta: float = 0.3) -> np.ndarray:
    """The formulas of Flegg & Webber (1997, 2000), written out cell by cell."""
    RE_t, NE_t = sum(RE), sum(NE)
    slq = [(RE[i] / RE_t) / (NE[i] / NE_t) for i in SECTORS]
    lam = math.log2(1 + RE_t / NE_t) ** delta
    out = np.zeros((3, 3))
    for i in range(3):
        for j in range(3):
            if method == "slq":
                out[i, j] = slq[i]
                continue
            cilq = slq[i] if i == j else slq[i] / slq[j]
            if method == "cilq":
                out[i, j] = cilq
                continue
            flq = lam * cilq
            out[i, j] = flq * math.log2(1 + slq[j]) if method == "aflq" and slq[j] > 1 else flq
    return out


@pytest.mark.parametrize("method", ["slq", "cilq", "flq", "aflq"])
def test_location_quotients_by_hand(method: str) -> None:
    lq = location_quotients(RE, NE, method=method, delta=0.3)
    np.testing.assert_allclose(lq.to_numpy(), by_hand(method), rtol=1e-14)
    assert list(lq.index) == SECTORS
    assert list(lq.columns) == SECTORS


def test_slq_values_by_hand() -> None:
    # SLQ_b = (30/45) / (100/500) = 3.333...; SLQ_c = (5/45) / (300/500) = 0.185...
    lq = location_quotients(RE, NE, method="slq")
    assert lq.loc["b", "a"] == pytest.approx(10 / 3)
    assert lq.loc["c", "c"] == pytest.approx(5 / 27)


def test_flq_with_delta_zero_is_cilq() -> None:
    pd.testing.assert_frame_equal(
        location_quotients(RE, NE, method="flq", delta=0.0), location_quotients(RE, NE, method="cilq")
    )


def test_lambda_star_published_value() -> None:
    assert float(flq_lambda(0.03, 1.0, 0.3)) == pytest.approx(0.388113, abs=5e-7)


def test_absent_buyer_gives_nan_column_not_inf() -> None:
    re = RE.copy()
    re["c"] = 0.0
    lq = location_quotients(re, NE, method="cilq")
    assert lq["c"].drop("c").isna().all()
    assert lq.loc["c", "c"] == 0.0
    assert np.isfinite(lq[["a", "b"]].to_numpy()).all()


# ---------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("re", "error", "message"),
    [
        (RE.set_axis(["a", "b", "x"]), LabelError, r"not in the table \['x'\], missing \['c'\]"),
        (pd.Series([10.0, -1.0, 5.0], index=SECTORS), NegativeFlowError, "sector 'b' is -1"),
        (pd.Series([10.0, np.nan, 5.0], index=SECTORS), NonNumericError, "sector 'b' is nan"),
        (pd.Series([10.0, "many", 5.0], index=SECTORS), NonNumericError, "sector 'b' is 'many'"),
        (pd.Series([10.0, 300.0, 5.0], index=SECTORS), RegionError, r"more employment in sector 'b' \(300\)"),
        (NE, RegionError, "not less than the nation's 500"),
        (pd.Series([0.0, 0.0, 0.0], index=SECTORS), RegionError, "no employment in any sector"),
    ],
)
def test_bad_employment(re: pd.Series, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        location_quotients(re, NE, method="flq")


@pytest.mark.parametrize(("method", "delta"), [("flq", 1.0), ("flq", -0.1), ("flq", "0.3"), ("lq", 0.3)])
def test_bad_method_or_delta(method: str, delta: object) -> None:
    with pytest.raises(RegionError, match=r"delta must be|unknown location-quotient method 'lq'"):
        location_quotients(RE, NE, method=method, delta=delta)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- regionalisation
def national_table() -> IOTable:
    s = ["1", "2", "3"]
    Z = pd.DataFrame([[150.0, 500.0, 50.0], [200.0, 100.0, 60.0], [30.0, 40.0, 20.0]], index=s, columns=s)
    fd = pd.DataFrame({"households": [400.0, 900.0, 300.0], "exports": [200.0, 840.0, 110.0]}, index=s)
    x = Z.sum(axis=1) + fd.sum(axis=1)
    va = x - Z.sum(axis=0)
    pi = pd.DataFrame([0.6 * va, 0.4 * va], index=["compensation_of_employees", "gross_operating_surplus"])
    employment = pd.Series([10.0, 25.0, 5.0], index=s)
    # household income (total resources) above pay (1,650): the default, Scottish Government closure.
    # By-hand arithmetic in no currency (40 jobs on 3,900 is no economy's): a unit other than a pound
    # unit, so kil_io.model.units' magnitude check, which has no band for it, leaves it alone
    return IOTable.from_frames(
        Z, fd, pi, employment=employment, area="Nation", year=2019, household_income=3000.0, units="$m"
    )


def test_regional_table_by_construction() -> None:
    nat = national_table()
    re = pd.Series([2.0, 1.0, 0.5], index=["1", "2", "3"], name="Shire")
    t = regionalise(nat, re, method="flq", delta=0.3, national_employment="table")
    lq = location_quotients(re, pd.Series(nat.employment, index=nat.sectors), method="flq", delta=0.3)
    np.testing.assert_allclose(t.A, np.minimum(1, lq.to_numpy()) * nat.A, rtol=1e-13)
    np.testing.assert_allclose(t.output, nat.output * re.to_numpy() / nat.employment, rtol=1e-13)
    # what the region cannot supply is bought from the rest of the UK
    np.testing.assert_allclose(t.primary_input("imports_rest_of_uk"), (nat.A - t.A).sum(axis=0) * t.output, rtol=1e-12)
    np.testing.assert_allclose(t.per_output(t.gva), nat.per_output(nat.gva), rtol=1e-13)
    np.testing.assert_allclose(t.per_output(t.employment), nat.per_output(nat.employment), rtol=1e-13)
    assert t.area == "Shire"
    assert t.year == 2019
    assert t.metadata["method"] == "flq"
    lam = float(flq_lambda(3.5, 40.0, 0.3))
    assert t.metadata["lambda"] == pytest.approx(lam)
    # households: national consumption per £ of income x min(1, lambda* SLQ_i) (codes "1"-"3" name no SIC section:
    # goods, which households buy as the industries do)
    slq = (re / 3.5) / (pd.Series(nat.employment, index=nat.sectors) / 40.0)
    hc = nat.households / nat.income.sum() * np.minimum(1, lam * slq.to_numpy())
    np.testing.assert_allclose(t.households / t.income.sum(), hc, rtol=1e-12)


@pytest.mark.parametrize("method", ["slq", "cilq", "flq", "aflq"])
@pytest.mark.parametrize("absent", [None, "2", "no national jobs"])
def test_regional_coefficients_are_capped_location_quotients(method: str, absent: str | None) -> None:
    # the fused (R, n, n) computation of the regional A against the published LQ formulas
    # (location_quotients), with a buyer absent from the region (LQ undefined: buys nothing)
    # or a sector with no national employment (SLQ 1 by convention)
    nat = national_table()
    re = pd.Series([2.0, 1.0, 0.5], index=["1", "2", "3"], name="Shire")
    ne = pd.Series(nat.employment, index=nat.sectors)
    if absent == "2":
        re["2"] = 0.0
    elif absent:
        re["3"], ne["3"] = 0.0, 0.0
    t = regionalise(nat, re, national_employment=ne, method=method, delta=0.3)
    assert not t.metadata["supply_capped"]
    lq = location_quotients(re, ne, method=method, delta=0.3)
    expected = np.nan_to_num(np.minimum(1, lq.to_numpy()), nan=0.0) * nat.A
    expected[:, t.output == 0] = 0.0  # a sector with no output buys nothing, whatever its LQ
    np.testing.assert_allclose(t.A, expected, rtol=1e-13, atol=0)


def test_own_household_purchase_coefficients() -> None:
    nat = national_table()
    re = pd.Series([2.0, 1.0, 0.5], index=["1", "2", "3"], name="Shire")
    rpc = pd.Series([0.5, 0.25, 0.0], index=["1", "2", "3"])
    t = regionalise(nat, re, household_rpc=rpc, national_employment="table")
    np.testing.assert_allclose(t.households / t.income.sum(), nat.households / nat.income.sum() * rpc, rtol=1e-12)
    with pytest.raises(RegionError, match="purchase coefficients are in"):
        regionalise(nat, re, household_rpc=rpc * 3, national_employment="table")
    with pytest.raises(RegionError, match="no employment"):
        regionalise(nat, re.where(re.index != "3", 0.0), household_rpc=rpc + 0.1, national_employment="table")


def test_sector_without_regional_jobs_is_nan_not_an_error() -> None:
    nat = national_table()
    re = pd.Series([2.0, 0.0, 0.5], index=["1", "2", "3"], name="Shire")
    t = regionalise(nat, re, national_employment="table")
    assert t.output[1] == 0
    with pytest.warns(ZeroOutputWarning, match=r"zero output in \['2'\]"):
        m = kil_io.multipliers(t, "type_ii")
    assert m.loc["2"].isna().all()
    assert m.loc[["1", "3"]].notna().all().all()


def test_sector_without_national_jobs_scales_with_the_region() -> None:
    nat = national_table().replace(employment=np.array([10.0, 25.0, 0.0]))
    ne = pd.Series([10.0, 25.0, 0.0], index=["1", "2", "3"])
    re = pd.Series([2.0, 1.0, 0.0], index=["1", "2", "3"], name="Shire")
    t = regionalise(nat, re, national_employment=ne)
    assert t.output[2] == pytest.approx(nat.output[2] * 3.0 / 35.0)
    assert t.metadata["no_national_employment"] == ["3"]


def test_regionalise_needs_employment() -> None:
    nat = national_table().replace(employment=None)
    with pytest.raises(kil_io.ModelError, match="pass national_employment"):
        regionalise(nat, pd.Series([1.0, 1.0, 1.0], index=["1", "2", "3"]), national_employment="table")


@st.composite
def regions(draw: st.DrawFn) -> tuple[IOTable, pd.DataFrame, str, float, str, float]:
    t = draw(tables())
    closure = draw(st.sampled_from(["coe", "household_income"]))
    if closure == "household_income":  # total household income of 1 to 3 times pay
        t = t.replace(household_income=float(t.income.sum()) * draw(st.floats(1.0, 3.0)))
    R = draw(st.integers(1, 4))
    share = st.one_of(st.just(0.0), st.floats(1e-6, 0.9))  # a sector is absent, or has real employment
    shares = draw(st.lists(st.lists(share, min_size=t.n, max_size=t.n), min_size=R, max_size=R))
    frame = pd.DataFrame(np.array(shares) * t.employment, columns=list(t.sectors), index=[f"R{k}" for k in range(R)])
    frame.iloc[:, 0] += 1e-3  # no empty region
    method = draw(st.sampled_from(["slq", "cilq", "flq", "aflq"]))
    return t, frame, method, draw(st.floats(0.0, 0.99)), closure, draw(st.floats(0.0, 1.0))


@settings(max_examples=50, deadline=None)
@given(regions())
def test_regional_properties(case: tuple[IOTable, pd.DataFrame, str, float, str, float]) -> None:
    """Regional coefficients and multipliers never exceed national ones; tables balance; batched == single.

    For either closure and any resident share: the batched path equals one regional table at a time.
    """
    nat, frame, method, delta, closure, share = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZeroOutputWarning)  # regions may lack a sector: NaN, tested elsewhere
        m1_n, m2_n = kil_io.multipliers(nat, "type_i"), kil_io.multipliers(nat, "type_ii", closure=closure)
        both = regional_multipliers_by_kind(
            nat, frame, method=method, delta=delta, closure=closure, resident_share=share, national_employment="table"
        )
        for area, row in frame.iterrows():
            t = regionalise(
                nat, row.rename(area), method=method, delta=delta, resident_share=share, national_employment="table"
            )  # validated: balances
            assert (t.A <= nat.A + 1e-15).all()
            m1, m2 = kil_io.multipliers(t, "type_i"), kil_io.multipliers(t, "type_ii", closure=closure)
            for reg, nat_m in ((m1, m1_n), (m2, m2_n)):
                for col in ("output_multiplier", "gva_effect", "income_effect", "employment_effect"):
                    ok = reg[col].isna() | (reg[col] <= nat_m[col] + 1e-9)
                    assert ok.all(), col
            for kind, single in (("type_i", m1), ("type_ii", m2)):
                pd.testing.assert_frame_equal(both[kind].loc[area], single, check_exact=False, rtol=1e-9, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.one_of(st.just(0.0), st.floats(1e-3, 1e4)), min_size=2, max_size=8),
    st.lists(st.floats(1.0, 1e4), min_size=2, max_size=8),
    st.floats(0.0, 0.99),
)
def test_flq_never_above_cilq_for_a_smaller_region(re_raw: list[float], ne_raw: list[float], delta: float) -> None:
    n = min(len(re_raw), len(ne_raw))
    ne = pd.Series(ne_raw[:n], index=[f"s{i}" for i in range(n)])
    re = pd.Series(np.minimum(re_raw[:n], 0.9 * ne.to_numpy()), index=ne.index)
    if re.sum() <= 0:
        re.iloc[0] = 0.5
    flq = location_quotients(re, ne, method="flq", delta=delta).to_numpy()
    cilq = location_quotients(re, ne, method="cilq").to_numpy()
    defined = ~np.isnan(cilq)
    assert (flq[defined] <= cilq[defined] * (1 + 1e-12)).all()


def test_delta_sensitivity_grid() -> None:
    nat = national_table()
    re = pd.Series([2.0, 1.0, 0.5], index=["1", "2", "3"], name="Shire")
    grid = delta_sensitivity(nat, re, sectors=["2"], national_employment="table")
    assert list(grid.index.get_level_values("delta")) == pytest.approx([i / 20 for i in range(11)])
    out = grid["output_multiplier"].to_numpy()
    assert (np.diff(out) <= 1e-12).all()  # a larger delta means more leakage
    at_03 = kil_io.multipliers(regionalise(nat, re, delta=0.3, national_employment="table"), "type_i").loc[
        "2", "output_multiplier"
    ]
    assert grid.loc[(0.3, "2"), "output_multiplier"] == pytest.approx(at_03, rel=1e-12)
    with pytest.raises(RegionError, match="only affects"):
        delta_sensitivity(nat, re, method="cilq", national_employment="table")  # type: ignore[arg-type]


def test_miller_blair_region_is_smaller() -> None:
    f = miller_blair_frames()
    nat = IOTable.from_frames(**f)
    t = regionalise(
        nat, pd.Series([4.0, 3.0], index=["1", "2"], name="half"), method="slq", national_employment="table"
    )
    m_nat, m_reg = kil_io.multipliers(nat), kil_io.multipliers(t)
    assert (m_reg["output_multiplier"] < m_nat["output_multiplier"]).all()


# ---------------------------------------------------------------------- review follow-ups
@settings(max_examples=50, deadline=None)
@given(regions())
def test_local_use_never_exceeds_output(case: tuple[IOTable, pd.DataFrame, str, float, str, float]) -> None:
    """The supply constraint: 'exports and other' final demand is never negative."""
    nat, frame, method, delta, _, _ = case
    for area, row in frame.iterrows():
        t = regionalise(nat, row.rename(area), method=method, delta=delta, national_employment="table")
        other = t.final_demand[:, t.final_demand_labels.index("exports_and_other")]
        assert (other >= -1e-9 * max(1.0, t.output.max())).all()
        for s, factor in t.metadata["supply_capped"].items():
            assert 0 < factor < 1
            assert other[t.sectors.index(s)] == pytest.approx(0.0, abs=1e-9 * max(1.0, t.output.max()))


def test_supply_constraint_by_hand() -> None:
    """Households of a well-paid region buy more of sector 3 locally than it makes: its row is scaled to fit."""
    nat = national_table().replace(employment=np.array([10.0, 25.0, 0.0]))
    ne = pd.Series(nat.employment, index=nat.sectors)
    re = pd.Series([9.5, 0.5, 0.0], index=["1", "2", "3"], name="Paid")
    t = regionalise(nat, re, national_employment=ne, method="slq")
    capped = t.metadata["supply_capped"]
    assert list(capped) == ["3"]
    size = 10.0 / 35.0  # sector 3 has no national employment: it scales with the region (SLQ 1)
    x = nat.output * np.array([0.95, 0.02, size])
    raw_row = nat.A[2]  # min(1, SLQ_3 = 1) x a_3j
    hh = nat.households[2] / nat.income.sum() * (nat.per_output(nat.income) @ x)
    use = raw_row @ x + hh
    assert use > x[2]
    assert capped["3"] == pytest.approx(x[2] / use)
    np.testing.assert_allclose(t.A[2], raw_row * capped["3"], rtol=1e-12)
    assert t.final_demand[2, t.final_demand_labels.index("exports_and_other")] == pytest.approx(0.0, abs=1e-9)


def test_batched_type_ii_checks_productiveness() -> None:
    nat = IOTable.from_frames(**miller_blair_frames())
    frame = pd.DataFrame([[4000.0, 3000.0]], columns=["1", "2"], index=["R"])  # of 8,000 and 12,000
    with (
        pytest.warns(kil_io.KilIOWarning, match="households buy"),
        pytest.raises(kil_io.NotProductiveError, match="closed with households"),
    ):
        regional_multipliers(nat, frame, "type_ii", household_income=100.0, national_employment="table")


def test_regionalise_takes_one_area() -> None:
    nat = national_table()
    frame = pd.DataFrame([[2.0, 1.0, 0.5], [1.0, 1.0, 1.0]], columns=["1", "2", "3"])
    with pytest.raises(RegionError, match="one regional table; got employment for 2 areas"):
        regionalise(nat, frame, national_employment="table")  # type: ignore[arg-type]


def test_employment_bases_are_not_mixed() -> None:
    nat = national_table()
    re = pd.Series([2.0, 1.0, 0.5], index=["1", "2", "3"], name="Shire")
    re.attrs["basis"] = "BRES counts"
    with pytest.raises(RegionError, match="pass national_employment= on the same basis"):
        regionalise(nat, re, national_employment="table")
    with pytest.raises(RegionError, match="same basis"):
        delta_sensitivity(nat, re, national_employment="table")
    regionalise(nat, re, national_employment=pd.Series(nat.employment, index=nat.sectors))


def test_batch_options_are_checked() -> None:
    nat = national_table()
    frame = pd.DataFrame([[2.0, 1.0, 0.5], [1.0, 1.0, 1.0]], columns=["1", "2", "3"], index=["A", "B"])
    with pytest.raises(RegionError, match="3 deltas for 2 areas"):
        regional_multipliers(nat, frame, delta=[0.1, 0.2, 0.3], national_employment="table")
    with pytest.raises(RegionError, match="delta must be"):
        regional_multipliers(nat, frame, delta=[0.1, True], national_employment="table")
    with pytest.raises(RegionError, match="at least one delta"):
        delta_sensitivity(nat, frame.iloc[0], deltas=[], national_employment="table")
    per_area = regional_multipliers(nat, frame, delta=[0.1, 0.4], national_employment="table")
    b = kil_io.multipliers(regionalise(nat, frame.loc["B"], delta=0.4, national_employment="table"), "type_i")
    pd.testing.assert_frame_equal(per_area.loc["B"], b, check_exact=False, rtol=1e-12)
    rpc = pd.Series([0.2, 0.1, 0.0], index=["1", "2", "3"])
    batch = regional_multipliers(nat, frame, "type_ii", household_rpc=rpc, national_employment="table")
    one = kil_io.multipliers(
        regionalise(nat, frame.loc["A"], household_rpc=rpc, national_employment="table"), "type_ii"
    )
    pd.testing.assert_frame_equal(batch.loc["A"], one, check_exact=False, rtol=1e-12)
    with pytest.raises(NegativeFlowError, match="a purchase coefficient cannot be negative"):
        regionalise(nat, frame.loc["A"], household_rpc=-rpc, national_employment="table")


def test_regional_fte_replaces_national_coefficients() -> None:
    nat = national_table()
    re = pd.Series([2.0, 1.0, 0.5], index=["1", "2", "3"], name="Shire")
    own = pd.Series([3.0, 1.0, 2.0], index=["1", "2", "3"])
    t = regionalise(nat, re, regional_fte=own, national_employment="table")
    np.testing.assert_array_equal(t.employment, [3.0, 1.0, 2.0])
    assert t.metadata["employment_fte"] == "regional, given"


@pytest.mark.parametrize("method", ["flq", "aflq"])
def test_both_kinds_from_one_regionalisation_equal_one_kind_at_a_time(method: str) -> None:
    nat = national_table()
    frame = pd.DataFrame(
        [[2.0, 1.0, 0.5], [1.0, 0.0, 2.0], [0.5, 5.0, 1.0]], index=["A", "B", "C"], columns=["1", "2", "3"]
    )
    with pytest.warns(ZeroOutputWarning) as caught:
        both = regional_multipliers_by_kind(
            nat, frame, ("type_ii", "type_i"), method=method, delta=0.2, national_employment="table"
        )
    assert len(caught) == 1  # the same sectors lack output for both kinds: said once
    assert list(both) == ["type_ii", "type_i"]
    for kind, got in both.items():
        with pytest.warns(ZeroOutputWarning):
            alone = regional_multipliers(nat, frame, kind, method=method, delta=0.2, national_employment="table")
        pd.testing.assert_frame_equal(got, alone, check_exact=True)
    with pytest.raises(RegionError, match="at most once"):
        regional_multipliers_by_kind(nat, frame, ("type_i", "type_i"), national_employment="table")
    with pytest.raises(kil_io.ModelError, match="unknown multiplier kind"):
        regional_multipliers_by_kind(nat, frame, ("type_iii",), national_employment="table")  # type: ignore[list-item]


def test_a_regional_table_never_shows_a_ratio_its_nation_blanks() -> None:
    """Ratio multipliers are held to the nation's averages: New Forest's C104 GVA ratio (28.4 before) is '..'.

    On the UK 2022 table, which blanks C104's GVA ratio and B05's and L68A's jobs ratios; every authority.
    """
    import warnings

    import kil_io
    from kil_io import datasets
    from kil_io.runner.tables import area_multipliers

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kil_io.ZeroOutputWarning)
        uk = kil_io.multipliers(datasets.uk_iot(2022), "type_i")
        every = area_multipliers(None, 2021, national_year=2022)
        forest = kil_io.multipliers(datasets.regional_iot("New Forest", 2021, national_year=2022), "type_i")
    assert np.isnan(forest.loc["C104", "gva_multiplier"])
    for measure in ("gva_multiplier", "employment_multiplier"):
        blank = uk.index[uk["output_multiplier"].notna() & uk[measure].isna()]
        assert len(blank), measure
        shown = every[every["sector"].isin(blank) & every[measure].notna()]
        assert shown.empty, shown[["area_name", "sector", measure]].head()
