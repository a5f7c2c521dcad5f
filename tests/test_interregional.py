"""The interregional model of every GB authority (kil_io.interregional): consistency with the national table,
groups, feedback over the single-region tables, commuting, trade shares, and bad input.

The model of all 350 authorities is built once for the module (a few seconds); every solve is of one or a
few shocks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kil_io
from kil_io import datasets
from kil_io.datasets import interregional as build
from kil_io.errors import AreaError, LabelError, ModelError, NonNumericError, RegionError
from kil_io.regional.interregional import gravity

CARE = {"Q87 & Q88": 1.0}
MEASURES = {"output": "output", "gva": "gva", "fte": "employment", "income": "income"}


@pytest.fixture(scope="module")
def m() -> kil_io.interregional.Interregional:
    return kil_io.interregional.model()


def national(demand: dict[str, float], kind: str) -> pd.Series:
    """The national table's own effects of the shock (kil_io.demand_impact), by the model's measure names."""
    totals = kil_io.demand_impact(datasets.uk_iot(2023), demand, kind).to_frame()["total"]  # type: ignore[arg-type]
    return pd.Series({ours: float(totals[theirs]) for ours, theirs in MEASURES.items()})


@pytest.mark.parametrize("kind", ["type_i", "type_ii"])
@pytest.mark.parametrize(
    ("area", "demand"),
    [("Calderdale", CARE), ("Glasgow City", {"C29": 0.3, "M70": 2.0}), ("Isles of Scilly", {"I55": 1.0})],
)
def test_sum_over_authorities_is_the_national_effect(m, area: str, demand: dict[str, float], kind: str) -> None:
    e = m.effects(area, demand, kind=kind)
    expected = national(demand, kind)
    for measure, value in expected.items():
        assert e[measure].sum() == pytest.approx(value, rel=1e-9, abs=1e-12), measure
    assert e.attrs["residual"] < 1e-10
    assert (e[["output", "gva", "fte", "income", "residents_income"]] >= 0).all(axis=None)
    # all pay reaches some household: residents' income adds up to the pay earned (Type I), or more (Type II)
    assert e["residents_income"].sum() == pytest.approx(e["income"].sum(), rel=1e-9) or kind == "type_ii"


def test_frame_and_attrs(m) -> None:
    e = m.effects("E08000033", CARE, kind="type_ii")
    assert list(e.columns) == list(kil_io.interregional.COLUMNS)
    assert len(e) == 350
    assert e["code"].is_unique
    about = {k: e.attrs[k] for k in ("national_year", "year", "kind", "codes", "demand", "delta", "beta")}
    assert about == {"national_year": 2023, "year": 2021, "kind": "type_ii", "codes": ["E08000033"], "demand": CARE,
                     "delta": 0.225, "beta": 1.0}  # fmt: skip
    assert e.attrs["units"]["fte"] == "FTE"


@pytest.mark.parametrize("kind", ["type_i", "type_ii"])
def test_a_group_is_the_sum_of_its_members(m, kind: str) -> None:
    demand = {"Q87 & Q88": 1.0, "F41, F42 & F43": 0.5}
    group = m.effects("West Yorkshire", demand, kind=kind)
    members = datasets.area("West Yorkshire").members
    at = [m.codes.index(c) for c in members]
    total = None
    for code, k in zip(members, at, strict=True):
        # a group's demand is met by its members in proportion to their output of each industry
        share = {s: v * m.system.supply[k, m.sectors.index(s)] / m.system.supply[at, m.sectors.index(s)].sum()
                 for s, v in demand.items()}  # fmt: skip
        part = m.effects(code, share, kind=kind)[["output", "gva", "fte", "income", "residents_income"]]
        total = part if total is None else total + part
    assert np.allclose(group[["output", "gva", "fte", "income", "residents_income"]], total, rtol=1e-9, atol=1e-12)
    assert group.attrs["codes"] == sorted(members)


@pytest.mark.parametrize("kind", ["type_i", "type_ii"])
@pytest.mark.parametrize(
    "area", ["Calderdale", "Leeds", "Glasgow City", "City of London", "Isle of Wight", "Isles of Scilly"]
)
def test_own_effect_is_at_least_the_single_region_effect(m, area: str, kind: str) -> None:
    table = datasets.regional_iot(area, 2021)
    single = kil_io.demand_impact(table, CARE, kind).to_frame()["total"]  # type: ignore[arg-type]
    fb = m.feedback(area, CARE, kind=kind)
    own = m.effects(area, CARE, kind=kind).set_index("code").loc[datasets.area(area).code]
    for ours, theirs in MEASURES.items():
        assert fb.loc[ours, "own"] == pytest.approx(own[ours], rel=1e-9), ours
        if area == "Isles of Scilly" and kind == "type_ii":
            # the one exception: Scilly's own table keeps L68A (imputed rent) inside its system (it has no K64 to
            # buy negatively from), so its households' rent buys local inputs; the interregional model keeps L68A
            # outside everywhere, as the national table does, so that the authorities add up to the nation
            assert own[ours] == pytest.approx(single[theirs], rel=5e-4), ours
            continue
        # the model's own block alone is the authority's local table (regional_iot, solved by demand_impact)
        assert fb.loc[ours, "single_region"] == pytest.approx(single[theirs], rel=1e-9), ours
        assert own[ours] >= single[theirs] * (1 - 1e-12), ours
        # feedback through other authorities (in Type II also commuters' spending where they work) is a few %
        assert 0 <= fb.loc[ours, "share"] <= 0.1, ours


@pytest.mark.parametrize(("area", "region"), [("Calderdale", "West Yorkshire Combined Authority"),
                                               ("West Yorkshire", None)])  # fmt: skip
def test_where_the_leakage_goes(m, area: str, region: str | None) -> None:
    places = kil_io.interregional.by_place(m, area, CARE, kind="type_ii")
    assert places.attrs["region"] == region
    assert places.attrs["national_year"] == 2023
    named = places[places["role"] != "total"]
    # the places split the authorities: each exactly once
    codes = [c for cs in named["codes"] for c in cs]
    assert sorted(codes) == sorted(m.codes)
    total = places.set_index("role").loc["total"]
    expected = national(CARE, "type_ii")
    for measure in ("output", "gva", "fte", "income"):
        assert named[measure].sum() == pytest.approx(expected[measure], rel=1e-9)
        for column in (measure, f"{measure}_low", f"{measure}_high"):  # the total does not move with beta
            assert total[column] == pytest.approx(expected[measure], rel=1e-9)
        assert (places[f"{measure}_low"] <= places[measure] * (1 + 1e-12)).all()
        assert (places[f"{measure}_high"] >= places[measure] * (1 - 1e-12)).all()
    by_code = m.effects(area, CARE, kind="type_ii").set_index("code")["fte"]
    own = places.loc[places["role"] == "own"].iloc[0]
    assert own["fte"] == pytest.approx(by_code[list(own["codes"])].sum(), rel=1e-12)
    if region is None:
        assert "region" not in set(places["role"])
        return
    # West Yorkshire's other four authorities by name, biggest first; Calderdale's neighbours outside it too
    wy = places[places["role"] == "region"]
    assert set(wy["place"]) == {"Bradford", "Kirklees", "Leeds", "Wakefield"}
    assert wy["fte"].is_monotonic_decreasing
    assert {"Rochdale", "Burnley"} <= set(places.loc[places["role"] == "neighbour", "place"])
    line = kil_io.interregional.sentence(places)
    assert line.startswith(f"About {own['fte']:.0f} FTE in Calderdale, ")
    assert "elsewhere in West Yorkshire Combined Authority and " in line
    assert line.endswith("elsewhere in Great Britain")


def test_leakage_command(m, capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    from kil_io.cli import main

    out = tmp_path / "leakage.csv"
    assert main(["leakage", "Calderdale", "--demand", "Q87 & Q88=1", "--kind", "type_i", "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Calderdale: Type I effects of {'Q87 & Q88': 1.0} [£m] by place (UK 2023")
    written = pd.read_csv(out)
    assert list(written["place"][:1]) == ["Calderdale"]
    assert written["fte"].iloc[-1] == pytest.approx(national(CARE, "type_i")["fte"], rel=1e-9)
    assert f"{written['fte'].iloc[0]:.2f} (" in printed
    assert main(["leakage", "Calderdale", "--demand", "Q87 & Q88"]) == 2
    assert "CODE=VALUE" in capsys.readouterr().err


def test_own_effects_of_many_shocks_at_once(m) -> None:
    some = ["E08000033", "S12000049", "E06000053", "W06000015"]
    every = m.own_effects(CARE, "type_i", authorities=some).set_index("code")
    for code in some:
        one = m.effects(code, CARE).set_index("code")
        assert every.loc[code, "fte"] == pytest.approx(one.loc[code, "fte"], rel=1e-9)
        assert every.loc[code, "fte_elsewhere"] == pytest.approx(one["fte"].sum() - one.loc[code, "fte"], rel=1e-9)


def test_commuting_reproduces_the_census_and_the_resident_shares(m) -> None:
    P = m.system.commuting
    assert np.allclose(P.sum(axis=0), 1.0, atol=1e-12)
    assert (P >= 0).all()
    for area in ("Calderdale", "Leeds", "Cardiff", "Glasgow City", "Orkney Islands"):
        k = m.codes.index(datasets.area(area).code)
        assert P[k, k] == pytest.approx(datasets.resident_share(area)[0], abs=1e-12)
    c = datasets.commuting("Calderdale")
    k = m.codes.index("E08000033")
    # Calderdale's workplaces: 33,319 of 50,518 live there, 8,157 in Kirklees, 4,513 in Bradford (Census 2021)
    assert c.workplace_jobs == 50_518
    assert round(P[k, k] * c.workplace_jobs) == 33_319
    assert round(P[m.codes.index("E08000034"), k] * c.workplace_jobs) == 8_157
    assert round(P[m.codes.index("E08000032"), k] * c.workplace_jobs) == 4_513
    fit = build.commuting(m.codes)[1]
    assert 2.0 < fit.gamma < 4.0


def test_trade_shares_and_distance_decay(m) -> None:
    shares = m.trade_shares("Calderdale", "C29")
    assert shares.sum() == pytest.approx(1.0)
    assert shares["E08000033"] == 0
    # every buyer, every industry it buys from the rest of the UK: shares are >= 0, 0 to itself, and add up to 1
    s = m.system
    need = s.exports.sum(axis=2) > 0  # (buyer, industry)
    for buyer in range(len(m.codes)):
        t = gravity.trade_shares(s.decay, s.groups, s.supply, buyer)
        assert (t >= 0).all()
        assert (t[buyer] == 0).all()
        np.testing.assert_allclose(t[:, need[buyer]].sum(axis=0), 1.0, rtol=0, atol=1e-12)
    # gravity: a neighbour sells more than a distant authority of the same output
    d = np.array([[1.0, 10.0, 100.0], [10.0, 1.0, 90.0], [100.0, 90.0, 1.0]])
    t = gravity.trade_shares(gravity.decay_matrices(d, 1.0), np.array([0]), np.ones((3, 1)), buyer=0)
    assert t[1, 0] > t[2, 0] > t[0, 0] == 0
    assert t[:, 0].sum() == pytest.approx(1.0)
    groups = [gravity.locality(s) for s in ("Q87 & Q88", "E36", "C29", "IOC098_001", "F41, F42 & F43", "G46")]
    assert groups == ["local", "regional", "traded", "traded", "local", "traded"]


def test_effects_move_smoothly_with_beta(m) -> None:
    base = m.effects("Calderdale", CARE).set_index("code")["fte"]
    near = m.with_beta(1.01).effects("Calderdale", CARE).set_index("code")["fte"]
    far = m.with_beta(1.5).effects("Calderdale", CARE).set_index("code")["fte"]
    assert (near - base).abs().max() < 0.02 * base.drop("E08000033").max()
    # a steeper decay keeps more in West Yorkshire
    wy = list(datasets.area("West Yorkshire").members)
    assert far[wy].sum() > base[wy].sum()
    assert far.sum() == pytest.approx(base.sum(), rel=1e-9)


@pytest.mark.parametrize("beta", [-0.5, float("nan"), float("inf"), 6.0, True, "1"])
def test_decay_outside_its_domain(beta: object) -> None:
    with pytest.raises(RegionError, match="beta"):
        kil_io.interregional.model(beta=beta)  # type: ignore[arg-type]


def test_bad_input(m) -> None:
    with pytest.raises(AreaError, match="Nowhere"):
        m.effects("Nowhere-on-Sea", CARE)
    with pytest.raises(AreaError, match="Northern Ireland"):
        m.effects("Belfast", CARE)
    with pytest.raises(AreaError, match="Northern Ireland"):
        m.effects("United Kingdom", CARE)
    with pytest.raises(AreaError, match="Northern Ireland"):
        kil_io.interregional.model(areas=["Belfast", "Calderdale"])
    with pytest.raises(LabelError, match="Q99"):
        m.effects("Calderdale", {"Q99": 1.0})
    with pytest.raises(NonNumericError, match="Q87 & Q88"):
        m.effects("Calderdale", {"Q87 & Q88": "a lot"})
    with pytest.raises(RegionError, match="no output of 'B06 & B07'"):
        m.effects("Calderdale", {"B06 & B07": 1.0})
    with pytest.raises(ModelError, match="kind"):
        m.effects("Calderdale", CARE, kind="type_iii")  # type: ignore[arg-type]
    with pytest.raises(RegionError, match="delta"):
        kil_io.interregional.model(delta=1.5)
