"""Ranges on headlines (kil_io.uncertainty): distributions, case-file ranges, the vectorised model, summaries.

The vectorised model is checked draw by draw against the one-draw functions
(organisation_impact, organisation_lm3, compare_providers: independent code), the sampling
against exact quantiles (scipy.stats), and the propagation against a model that is linear in
one input, whose percentiles are known exactly.
"""

from __future__ import annotations

import dataclasses
import gc
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import kil_io
from kil_io import datasets, uncertainty
from kil_io.appraisal import additionality, defaults
from kil_io.appraisal.casefile import load_case
from kil_io.appraisal.commissioning import compare_providers
from kil_io.appraisal.distribution import Distribution
from kil_io.appraisal.lm3 import organisation_lm3
from kil_io.appraisal.organisation import Figure
from kil_io.errors import CaseError
from kil_io.model.multipliers import type_i_effects
from kil_io.reporting import formatting as fmt
from kil_io.reporting import reports
from kil_io.uncertainty.tables import delta_tables

CASES = Path(__file__).resolve().parents[1] / "data" / "case_studies"
SECTORS = datasets.uk_iot(2022).sectors


@pytest.fixture(scope="module")
def hot() -> kil_io.appraisal.casefile.CaseStudy:
    return kil_io.case_study("halifax_opportunities_trust")


@pytest.fixture(scope="module")
def jubilee() -> kil_io.appraisal.casefile.CaseStudy:
    return kil_io.case_study("jubilee_childrens_centre")


@pytest.fixture(scope="module")
def hot_sim(hot: object) -> uncertainty.Simulation:
    return uncertainty.simulate(hot, 10_000, seed=2026)


RAW = Path(__file__).resolve().parents[2] / "shared" / "data-raw"


# --- distributions -------------------------------------------------------------------------------------


def _two_piece(base: object, mode: float, low: float, high: float) -> object:
    """The reference split distribution: half the mass each side of ``mode``, each half ``base`` restricted to it."""
    at = base.cdf(mode)

    class Split:
        def ppf(self, q: np.ndarray) -> np.ndarray:
            q = np.asarray(q)
            return np.where(q < 0.5, base.ppf(2 * q * at), base.ppf(at + (2 * q - 1) * (1 - at)))

        def cdf(self, x: np.ndarray) -> np.ndarray:
            x = np.asarray(x)
            return np.where(x < mode, 0.5 * base.cdf(x) / at, 0.5 + 0.5 * (base.cdf(x) - at) / (1 - at))

        def pdf(self, x: np.ndarray) -> np.ndarray:
            x = np.asarray(x)
            return np.where(x < mode, 0.5 * base.pdf(x) / at, 0.5 * base.pdf(x) / (1 - at))

        def mean(self) -> float:
            from scipy.integrate import quad

            # each half separately: the density jumps at the value
            half = [
                quad(lambda x: x * float(self.pdf(x)), a, b, epsabs=1e-13)[0] for a, b in ((low, mode), (mode, high))
            ]
            return sum(half)

    return Split()


@pytest.mark.parametrize(
    ("spread", "mode", "base"),
    [
        (Distribution(0.2, 0.6, "uniform"), 0.3, stats.uniform(0.2, 0.4)),
        (Distribution(0.6, 0.95, "triangular"), 0.8, stats.triang((0.8 - 0.6) / 0.35, 0.6, 0.35)),
        (Distribution(10.0, 20.0, "pert"), 12.0, stats.beta(1 + 4 * 2 / 10, 1 + 4 * 8 / 10, 10.0, 10.0)),
    ],
    ids=["uniform", "triangular", "pert"],
)
def test_draws_follow_the_distribution_with_the_value_at_their_median(
    spread: Distribution, mode: float, base: object
) -> None:
    exact = _two_piece(base, mode, spread.low, spread.high)  # scipy's shape, split at the value
    q = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    np.testing.assert_allclose(spread.ppf(q, mode), exact.ppf(q), rtol=1e-12)
    assert spread.ppf(0.5, mode) == pytest.approx(mode, rel=1e-12)  # the value is the median
    draws = spread.sample(np.random.default_rng(1), mode, 40_000)
    assert draws.min() >= spread.low
    assert draws.max() <= spread.high
    # empirical quantiles within ~4 standard errors of the exact ones
    se = np.sqrt(q * (1 - q) / len(draws)) / exact.pdf(exact.ppf(q))
    assert np.all(np.abs(np.quantile(draws, q) - exact.ppf(q)) < 4 * se)
    assert spread.mean(mode) == pytest.approx(exact.mean(), rel=1e-6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0.5, 0.5), "low < high"),
        ((0.9, 0.1), "low < high"),
        ((0.1, 0.9, []), "unknown distribution \\[\\]"),  # a YAML list, not a name (found by fuzzing)
        ((0.0, 10**400), "finite"),  # a YAML integer beyond any float (found by fuzzing)
        ((0.1, 0.9, "beta"), "unknown distribution 'beta'"),
        ((0.1, float("nan")), "finite"),
    ],
)
def test_bad_distributions(args: tuple, message: str) -> None:
    with pytest.raises(CaseError, match=message):
        Distribution(*args)


def test_a_figure_range_must_hold_its_value() -> None:
    assert Figure(0.8, "x", Distribution(0.6, 0.95)).spread.high == 0.95
    with pytest.raises(CaseError, match=r"range \[0.6, 0.7\] excludes the value 0.8"):
        Figure(0.8, "x", Distribution(0.6, 0.7))


# --- case files ------------------------------------------------------------------------------------------


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = (CASES / "jubilee_childrens_centre.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "case.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


STAFF = "fte: {value: 12, range: [10, 14], source:"
SPEND = "local_share: 0.6, local_share_range: [0.4, 0.8]"


def test_case_file_ranges_are_read(jubilee: object) -> None:
    org = jubilee.organisation
    assert org.staff_fte.spread == Distribution(10, 14, "triangular")
    assert org.staff_local_share.spread == Distribution(0.75, 1.0, "pert")
    assert org.spending[0].local_share_spread == Distribution(0.6, 1.0)
    assert org.staff_costs.spread is None  # a figure without a range stays fixed
    national = jubilee.providers["national"]
    assert national.staff_local_share.spread == Distribution(0.5, 0.9, "pert")
    assert national.spending[0].local_share_spread == Distribution(0.1, 0.5)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (STAFF, "fte: {value: 12, range: [13, 14], source:",
         r"organisation.staff.fte.range: the range \[13, 14\] excludes the value 12"),
        (STAFF, "fte: {value: 12, range: [10, 14], distribution: gamma, source:",
         r"organisation.staff.fte.range: unknown distribution 'gamma'"),
        (STAFF, "fte: {value: 12, range: [10], source:", r"organisation.staff.fte.range: expected \[low, high\]"),
        (STAFF, "fte: {value: 12, distribution: pert, source:", ("organisation.staff.fte.distribution: a distribution "
         "needs a range")),
        ("range: [0.75, 1.0], distribution: pert}", "range: [0.75, 1.2]}",
         r"organisation.staff.local_share.range: a share's range must lie in \[0, 1\], got \[0.75, 1.2\]"),
        (SPEND, "local_share: 0.6, local_share_range: [-0.1, 0.8]",
         r"organisation.spending\[4\].local_share.range: a share's range must lie in \[0, 1\]"),
        (SPEND, "local_share: 0.6, local_share_range: [0.4, 0.8], local_share_distribution: normal",
         r"organisation.spending\[4\].local_share.range: unknown distribution 'normal'"),
    ],
)  # fmt: skip
def test_bad_ranges_name_the_field(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(CaseError, match=f"^case 'case': {message}"):
        load_case(edited(tmp_path, old, new), sectors=SECTORS)


def test_too_few_draws_and_unknown_inputs(hot: object) -> None:
    with pytest.raises(CaseError, match="draws must be a whole number >= 100, got 99"):
        uncertainty.simulate(hot, 99, seed=1)
    with pytest.raises(CaseError, match=r"cannot fix unknown inputs \['organisation.staff.size'\]"):
        uncertainty.simulate(hot, 100, seed=1, fixed=["organisation.staff.size"])
    with pytest.raises(CaseError, match="an area case"):
        uncertainty.simulate(kil_io.case_study("calderdale"), 100, seed=1)


# --- the model ----------------------------------------------------------------------------------------------


def test_delta_tables_are_the_shipped_regional_tables() -> None:
    central = datasets.regional_iot("Calderdale", 2021)
    tables = delta_tables(central, [0.15, 0.3])
    for k, delta in enumerate((0.15, 0.3)):
        t = datasets.regional_iot("Calderdale", 2021, delta=delta)
        np.testing.assert_allclose(tables.E[k], type_i_effects(t), rtol=1e-11, atol=1e-14)
        np.testing.assert_allclose(tables.C[k], t.households, rtol=1e-12)
        np.testing.assert_allclose(tables.purchases[k], t.A.sum(axis=0), rtol=1e-11, atol=1e-15)


def test_with_every_input_fixed_the_range_collapses_onto_the_deterministic_result(hot: object) -> None:
    every = [i.name for i in uncertainty.case_inputs(hot, datasets.regional_iot("Calderdale", 2021))]
    sim = uncertainty.simulate(hot, 100, seed=3, fixed=every)
    assert sim.inputs.shape == (100, 0)
    summary = sim.summary()
    assert (summary["low"] == summary["high"]).all()
    np.testing.assert_allclose(sim.draws.to_numpy(), np.broadcast_to(sim.central.to_numpy(), (100, 7)), rtol=1e-12)


def _one_by_one(case: object, sim: uncertainty.Simulation, draw: int) -> pd.Series:
    """A draw recomputed with the one-draw functions: the drawn inputs written into the case's objects."""
    x = sim.inputs.loc[draw]
    org = case.organisation
    got = {i.name: i.value for i in sim.plan.inputs} | x.to_dict()
    fig = lambda name, f: Figure(got[name], f.source)  # noqa: E731
    spending = tuple(
        dataclasses.replace(s, local_share=got[f"organisation.spending[{k}].local_share"], local_share_spread=None)
        for k, s in enumerate(org.spending)
    )
    enterprises = tuple(
        dataclasses.replace(e, fte=fig(f"organisation.enterprises[{k}].fte", e.fte),
                            turnover=fig(f"organisation.enterprises[{k}].turnover", e.turnover))
        for k, e in enumerate(org.enterprises)
    )  # fmt: skip
    drawn = dataclasses.replace(
        org, staff_fte=fig("organisation.staff.fte", org.staff_fte),
        staff_costs=fig("organisation.staff.costs", org.staff_costs),
        staff_local_share=fig("organisation.staff.local_share", org.staff_local_share),
        additionality=fig("organisation.enterprises.additionality", org.additionality),
        spending=spending, enterprises=enterprises,
    )  # fmt: skip
    rates = additionality.preset("central").replace(
        **{r: Figure(got[f"additionality.{r}"], "draw") for r in ("displacement", "substitution", "deadweight")}
    )
    table = datasets.regional_iot("Calderdale", 2021, delta=float(got["model.delta"]))
    closure = {"household_income": got["model.household_income"], "resident_share": got["model.resident_share"]}
    row = kil_io.organisation_impact(drawn, table, rates=rates, **closure).to_frame().loc["total"]
    lm3 = organisation_lm3(drawn, table, household_income=closure["household_income"],
                           resident_share=closure["resident_share"]).value  # fmt: skip
    return pd.Series({**{m: row[m] for m in row.index}, "lm3": lm3})


def test_batched_draws_equal_the_same_draws_run_one_by_one(hot: object, hot_sim: uncertainty.Simulation) -> None:
    for draw in (0, 4321, 9999):
        expected = _one_by_one(hot, hot_sim, draw)
        got = hot_sim.draws.loc[draw]
        for measure in ("fte", "fte_net", "gva", "gva_net", "local_income", "local_income_net", "lm3"):
            assert got[measure] == pytest.approx(expected[measure], rel=1e-10), (draw, measure)


def test_contract_draws_equal_compare_providers(jubilee: object) -> None:
    sim = uncertainty.simulate(jubilee, 100, seed=5, contract_value=1_000_000, model_defaults=False)
    x = sim.inputs.loc[17]
    got = {i.name: i.value for i in sim.plan.inputs} | x.to_dict()
    providers = {}
    for key, p in jubilee.providers.items():
        spending = tuple(
            dataclasses.replace(s, local_share=got[f"providers.{key}.spending[{k}].local_share"])
            for k, s in enumerate(p.spending)
        )
        names = ("staff_cost_per_fte", "staff_local_share", "overheads_share", "surplus_share")
        figures = {n: Figure(got[f"providers.{key}.{n}"], "draw") for n in names}
        providers[key] = dataclasses.replace(p, spending=spending, **figures)
    table = datasets.regional_iot("Calderdale", 2021)
    expected = compare_providers(1_000_000, providers, table).to_frame()
    for row, values in expected.iterrows():
        for measure in ("fte", "fte_net", "gva_net", "local_income", "lm3", "local_spend"):
            assert sim.draws.loc[17, f"{row}: {measure}"] == pytest.approx(values[measure], rel=1e-10, abs=1e-12)


def test_a_model_linear_in_one_uniform_input_has_the_exact_percentiles(tmp_path: Path) -> None:
    """LM3 with a surveyed staff re-spend share r ~ U(0.2, 0.6) is a + b r: its percentiles are a + b q(r)."""
    text = (CASES / "halifax_opportunities_trust.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "published:", 'lm3_survey:\n  staff_respend_share: {value: 0.3, range: [0.2, 0.6], distribution: uniform, '
        'source: "test"}\npublished:'
    )  # fmt: skip
    path = tmp_path / "halifax_opportunities_trust.yaml"
    path.write_text(text, encoding="utf-8")
    case = load_case(path, sectors=SECTORS)
    table = datasets.regional_iot("Calderdale", 2021)
    every = [i.name for i in uncertainty.case_inputs(case, table)]
    sim = uncertainty.simulate(case, 20_000, seed=11, fixed=[n for n in every if n != "lm3_survey.staff_respend_share"])
    a, b = (organisation_lm3(case.organisation, table, survey={"staff_respend_share": Figure(r, "x")}).value
            for r in (0.0, 1.0))  # fmt: skip
    q = np.array([0.05, 0.5, 0.95])
    # the value 0.3 is the median: half the draws uniform on [0.2, 0.3], half on [0.3, 0.6]
    r = np.where(q < 0.5, 0.2 + 2 * q * 0.1, 0.3 + (2 * q - 1) * 0.3)
    density = np.where(q < 0.5, 0.5 / 0.1, 0.5 / 0.3)
    exact = a + (b - a) * r
    got = np.percentile(sim.draws["lm3"], 100 * q)
    se = (b - a) * np.sqrt(q * (1 - q) / 20_000) / density  # a quantile's standard error
    assert np.all(np.abs(got - exact) < 4 * se)
    assert sim.central["lm3"] == pytest.approx(a + (b - a) * 0.3, rel=1e-12)
    shares = uncertainty.variance_shares(sim, "lm3")
    assert shares["share"].iloc[0] == pytest.approx(1.0, abs=1e-9)  # linear: all the variance is this input's


def test_seed_reproduces_and_chunks_are_independent(hot: object, hot_sim: uncertainty.Simulation) -> None:
    again = uncertainty.simulate(hot, 2000, seed=2026)
    pd.testing.assert_frame_equal(again.draws, hot_sim.draws.iloc[:2000])  # chunks of 1000 draws, each its own stream
    other = uncertainty.simulate(hot, 2000, seed=2027)
    assert not np.allclose(other.draws["fte"], again.draws["fte"])


def test_percentiles_settle_by_5000_draws(hot: object, hot_sim: uncertainty.Simulation) -> None:
    half = uncertainty.simulate(hot, 5000, seed=7).summary()
    full = hot_sim.summary()
    for column in ("low", "high"):
        np.testing.assert_allclose(half[column], full[column], rtol=0.015)  # a 5th percentile of 5,000 draws


def test_summary_text_and_ranges(hot_sim: uncertainty.Simulation, tmp_path: Path) -> None:
    s = hot_sim.summary()
    assert list(s.columns) == ["central", "median", "low", "high", "mean", "p_positive", "unit"]
    assert (s["low"] <= s["median"]).all()
    assert (s["median"] <= s["high"]).all()
    assert s.loc["fte", "central"] == pytest.approx(
        kil_io.organisation_impact(kil_io.case_study("halifax_opportunities_trust")).to_frame().loc["total", "fte"]
    )
    low, high = s.loc["fte", ["low", "high"]]
    ranges = hot_sim.ranges({"Local jobs (FTE)": "fte"})
    reports.save_results(pd.DataFrame({"x": [1]}), {"Local jobs (FTE)": s.loc["fte", "central"]}, folder=tmp_path,
                         ranges=ranges)  # fmt: skip
    written = json.loads((tmp_path / "headline.json").read_text(encoding="utf-8"))
    assert written["Local jobs (FTE)"] == round(s.loc["fte", "central"], 6)
    assert written["ranges"]["Local jobs (FTE)"] == {"low": round(low, 6), "high": round(high, 6),
                                                     "median": round(s.loc["fte", "median"], 6), "level": 0.9,
                                                     "draws": 10_000}  # fmt: skip
    with pytest.raises(CaseError, match="ranges for headlines that are not in the headline"):
        reports.save_results(pd.DataFrame(), {"a": 1.0}, folder=None, ranges={"b": ranges["Local jobs (FTE)"]})


def test_contract_differences_and_the_chance_of_a_local_advantage(jubilee: object) -> None:
    sim = uncertainty.simulate(jubilee, 2000, seed=1, contract_value=1_000_000)
    key = sim.difference_key("fte")
    assert key == "Local community organisation (HOT) - National provider: fte"
    s = sim.summary()
    d = sim.draws
    np.testing.assert_array_equal(d[key], d["Local community organisation (HOT): fte"] - d["National provider: fte"])
    assert s.loc[key, "p_positive"] == pytest.approx((d[key] > 0).mean())
    assert np.isnan(s.loc["fte", "p_positive"])
    central = compare_providers(1_000_000, jubilee.providers, datasets.regional_iot("Calderdale", 2021)).to_frame()
    assert s.loc[key, "central"] == pytest.approx(central.iloc[-1]["fte"], rel=1e-12)


# --- what drives the range -----------------------------------------------------------------------------------


def test_tornado_moves_one_input_at_a_time(hot_sim: uncertainty.Simulation) -> None:
    swings = uncertainty.tornado(hot_sim, "fte")
    staff = swings.loc["organisation.staff.fte"]
    spread = hot_sim.plan.inputs[1].spread  # staff FTE: enters the total one for one
    assert (staff["input_low"], staff["input_high"]) == pytest.approx(tuple(spread.ppf([0.05, 0.95], 140.0)))
    assert staff["swing"] == pytest.approx(staff["input_high"] - staff["input_low"], rel=1e-12)
    assert swings["swing"].abs().is_monotonic_decreasing
    fixed_rate = swings.loc["additionality.displacement"]  # gross FTE does not depend on net rates
    assert fixed_rate["swing"] == 0
    shares = uncertainty.variance_shares(hot_sim, "fte")
    # close to linear; the draws' own small correlations let the sum pass 1 by sampling noise
    assert 0.9 < shares["explained"].iloc[0] <= 1.02
    assert shares.index[0] == "organisation.staff.fte"


# --- defaults --------------------------------------------------------------------------------------------------


def test_delta_default_is_the_scotland_calibration_over_every_fitted_year() -> None:
    """The shipped fit's 2019 rows are what calibrate_delta gives from shipped data; the default is its best."""
    from kil_io.regional import DEFAULT_DELTA
    from kil_io.regional.calibration import calibrate_delta, summarise_fit

    shipped = datasets.delta_calibration()
    inputs = datasets.scotland_calibration_inputs(2019)
    for (kind, measure), rows in shipped[shipped["year"] == 2019].groupby(["kind", "measure"]):
        run = calibrate_delta(**inputs, kind=kind, measure=measure, methods=("flq",)).errors.loc["flq"]
        mine = rows[rows["method"] == "flq"].set_index("delta")["wape"]
        np.testing.assert_allclose(mine.to_numpy(), run.loc[mine.index, "wape"].to_numpy(), rtol=1e-5)
    by_fit, held_out, pooled = summarise_fit(shipped)
    assert pooled == DEFAULT_DELTA
    assert sorted(set(by_fit.index.get_level_values("year"))) == [2015, 2016, 2017, 2019]
    assert (held_out["wape"] < held_out["wape_at_0.3"]).all()  # held out, the fitted delta beats Flegg's 0.3
    spread, mode, source = defaults.delta_spread(0.225)
    assert (spread.low, mode, spread.high) == (by_fit["low"].min(), 0.225, by_fit["high"].max())
    assert "Scotland calibration" in source
    wide, _, note = defaults.delta_spread(0.45)
    assert wide.high == 0.45
    assert "widened" in note


def test_model_defaults_come_from_the_data(hot: object) -> None:
    table = datasets.regional_iot("Calderdale", 2021)
    spec = uncertainty.inputs_frame(uncertainty.case_inputs(hot, table)).loc
    flows = datasets.commuting("Calderdale")
    d = abs(flows.resident_share_with_home_workers - flows.resident_share)  # the value +- the census's other reading
    assert (spec["model.resident_share", "low"], spec["model.resident_share", "high"]) == pytest.approx(
        (flows.resident_share - d, flows.resident_share + d))  # fmt: skip
    assert spec["model.resident_share", "mode"] == flows.resident_share
    gap = abs(datasets.household_income("Calderdale", 2021) - table.household_income)  # the area's own accounts
    assert spec["model.household_income", "low"] == pytest.approx(max(table.household_income - gap,
                                                                       0.5 * table.household_income))  # fmt: skip
    assert spec["model.household_income", "high"] == pytest.approx(table.household_income + gap)
    low, high = additionality.preset("low"), additionality.preset("high")
    assert (spec["additionality.deadweight", "low"], spec["additionality.deadweight", "high"]) == (
        low.deadweight.value, high.deadweight.value)  # fmt: skip
    assert spec["additionality.deadweight", "mode"] == additionality.preset("central").deadweight.value


# --- on a Dask cluster -------------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:unclosed event loop:ResourceWarning")  # Dask's own loops: see test_distributed
def test_dask_gives_the_local_draws_bit_for_bit(hot: object) -> None:
    dd = pytest.importorskip("distributed")
    from kil_io.runner.distributed import simulate_on

    local = uncertainty.simulate(hot, 2500, seed=99)
    with dd.Client(processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None) as client:
        spread = simulate_on(client, hot, 2500, seed=99)
    gc.collect()  # here, under this test's filter, not in whichever test runs next
    pd.testing.assert_frame_equal(spread.draws, local.draws, check_exact=True)
    pd.testing.assert_frame_equal(spread.inputs, local.inputs, check_exact=True)


# --- multipliers over delta, the command line (the benchmark smoke run: make bench-smoke) ----------------------


@pytest.mark.filterwarnings("ignore::kil_io.errors.ZeroOutputWarning")
def test_multiplier_ranges_over_delta_follow_its_quantiles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Multipliers fall as delta rises, so their 95th percentile is the multiplier at delta's 5th percentile."""
    from kil_io.cli import main

    status = main(["multipliers", "--areas-out", str(tmp_path), "--area", "Calderdale", "--area-year", "2021",
                   "--draws", "2000", "--seed", "4"])  # fmt: skip
    text = capsys.readouterr().out
    assert status == 0
    assert "Calderdale 2021: FLQ multipliers at delta 0.225 with their 90% range over delta" in text
    frame = pd.read_csv(tmp_path / "ranges" / "calderdale_2021_multiplier_ranges.csv", index_col=[0, 1])
    about = json.loads((tmp_path / "ranges" / "calderdale_2021_multiplier_ranges_about.json").read_text())
    assert about["draws"] == 2000
    spread, _, _ = defaults.delta_spread(0.225)
    for kind in ("type_i", "type_ii"):
        for delta, column in ((0.225, "output_multiplier"), (float(spread.ppf(0.05, 0.225)), "output_multiplier_high"),
                              (float(spread.ppf(0.95, 0.225)), "output_multiplier_low")):  # fmt: skip
            expected = kil_io.multipliers(datasets.regional_iot("Calderdale", 2021, delta=round(delta, 3)), kind)
            got = frame.loc[(kind, "Q87 & Q88"), column]
            assert got == pytest.approx(
                expected.loc["Q87 & Q88", "output_multiplier"], rel=0.005 if delta != 0.225 else 1e-9
            )
    assert main(["multipliers", "--year", "2022", "--out", str(tmp_path / "x"), "--draws", "200"]) == 2
    assert "--draws goes with --area" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_draws_that_break_the_accounts_are_refused(tmp_path: Path) -> None:
    text = (CASES / "halifax_opportunities_trust.yaml").read_text(encoding="utf-8")
    old = "costs: {value: 4200000, range: [3900000, 4300000],"
    assert old in text
    path = tmp_path / "halifax_opportunities_trust.yaml"
    path.write_text(text.replace(old, "costs: {value: 4200000, range: [3800000, 4600000],"), encoding="utf-8")
    with pytest.raises(CaseError, match=r"draws the organisation's staff costs and spending exceed its income less"):
        uncertainty.simulate(load_case(path, sectors=SECTORS), 1000, seed=1)


def test_index_page_and_batch_summary_show_the_range() -> None:
    from kil_io.reporting.index_page import headline_items

    headline = {"Local jobs (FTE)": 251.53, "LM3": 1.79,
                "ranges": {"Local jobs (FTE)": {"low": 237.2, "high": 268.4, "median": 254.9, "level": 0.9,
                                                "draws": 10_000}}}  # fmt: skip
    assert headline_items(headline) == [("Local jobs supported (gross)", "252 FTE (237–268, 90% range)"),
                                        ("LM3", "1.79")]  # fmt: skip


@pytest.mark.filterwarnings("ignore::kil_io.errors.ZeroOutputWarning")
def test_many_areas_share_one_draw_of_delta_and_equal_one_area_at_a_time() -> None:
    """Every area sees the same draws; each area's ranges are multiplier_ranges' own with the same seed."""
    ticks: list[int] = []
    many = uncertainty.area_multiplier_ranges(["Calderdale", "E06000014"], 2021, draws=200, seed=11,
                                              progress=ticks.append)  # fmt: skip
    assert ticks == [1, 1]
    assert list(dict.fromkeys(many["area_name"])) == ["Calderdale", "York"]
    assert len(many) == 2 * 2 * datasets.uk_iot(2023).n
    assert many.attrs["areas"] == 2
    assert many.attrs["draws"] == 200
    for name in ("Calderdale", "York"):
        one = uncertainty.multiplier_ranges(name, 2021, draws=200, seed=11)
        mine = many[many["area_name"] == name].drop(columns=["area_code", "area_name"]).set_index(["kind", "sector"])
        pd.testing.assert_frame_equal(mine, one, check_exact=True)
    with pytest.raises(kil_io.AreaError, match="given twice"):
        uncertainty.area_multiplier_ranges(["York", "E06000014"], 2021, draws=200)
    with pytest.raises(CaseError, match="draws must be a whole number >= 100"):
        uncertainty.area_multiplier_ranges(["York"], 2021, draws=99)


@pytest.mark.filterwarnings("ignore::kil_io.errors.ZeroOutputWarning")
def test_all_areas_draws_writes_one_tidy_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    """`kil-io multipliers --all-areas --draws N`: every authority's ranges in one CSV (two authorities here)."""
    from kil_io.cli import main

    every = datasets.distinct_areas  # every GB authority: two of them here, to keep the test short
    two = ["Wakefield", "Kirklees"]
    monkeypatch.setattr(datasets, "distinct_areas", lambda areas, **kw: every(two if areas is None else areas, **kw))
    assert main(["multipliers", "--all-areas", "--areas-out", str(tmp_path), "--draws", "150", "--seed", "3"]) == 0
    assert "Every GB authority 2021: FLQ multipliers at delta 0.225 with their 90% range" in capsys.readouterr().out
    frame = pd.read_csv(tmp_path / "ranges" / "all_areas_2021_multiplier_ranges.csv")
    about = json.loads((tmp_path / "ranges" / "all_areas_2021_multiplier_ranges_about.json").read_text())
    assert set(frame["area_name"]) == {"Wakefield", "Kirklees"}
    assert about["draws"] == 150
    expected = uncertainty.multiplier_ranges("Kirklees", 2021, draws=150, seed=3).loc[("type_ii", "P85")]
    row = frame[(frame["area_name"] == "Kirklees") & (frame["kind"] == "type_ii") & (frame["sector"] == "P85")]
    assert row["output_multiplier_high"].item() == pytest.approx(expected["output_multiplier_high"], rel=1e-9)


def test_a_range_reads_the_same_on_the_page_the_brief_the_index_and_the_summary() -> None:
    """One set of rules: the notebook page, the brief, the index page and the batch summary show the same text."""
    from kil_io.reporting import pages, wording
    from kil_io.reporting.index_page import headline_items

    a = kil_io.appraise(kil_io.case_study("halifax_opportunities_trust"), 500, seed=3)
    items = dict(headline_items(a.headline_json()))
    page = pages.headline(a)
    for h in a.headline:
        label = fmt.label_for(h.label)
        assert items[fmt.label_with_basis(label)] == wording.figure(h)
        assert page.loc[label.text, "range"] == wording.range_text(h)


@pytest.mark.parametrize("seed", [-1, float("nan"), "abc", 1.5, True, [1]])
def test_a_bad_seed_is_named(seed: object) -> None:
    case = kil_io.case_study("jubilee_childrens_centre")
    with pytest.raises(CaseError, match=r"^seed must be a whole number >= 0"):
        uncertainty.simulate(case, 200, seed=seed)
    from kil_io.uncertainty.multipliers import draw_deltas

    with pytest.raises(CaseError, match=r"^seed must be a whole number >= 0"):
        draw_deltas(200, seed)  # type: ignore[arg-type]


def test_draws_beyond_memory_are_refused_up_front_with_the_limit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import time

    from kil_io.cli import main
    from kil_io.errors import LimitError
    from kil_io.limits import MAX_DRAW_BYTES

    case = kil_io.case_study("jubilee_childrens_centre")
    start = time.perf_counter()
    with pytest.raises(LimitError, match=r"draws=1,000,000,000 would need about .* over the limit of 4,096.0 MB") as e:
        uncertainty.simulate(case, 10**9, seed=1)
    assert time.perf_counter() - start < 5  # refused before drawing anything
    most = int(str(e.value).split("at most ")[1].split(" draws")[0].replace(",", ""))
    assert 1_000_000 < most < 10**9
    assert "run simulate several times with different seeds" in str(e.value)
    assert MAX_DRAW_BYTES == 4 * 2**30
    assert main(["multipliers", "--all-areas", "--draws", "100000000", "--areas-out", str(tmp_path / "a")]) == 2
    err = capsys.readouterr().err
    assert "draws=100,000,000 would need about" in err
    assert "internal error" not in err
    assert (
        main(["multipliers", "--area", "Leeds", "--draws", "200", "--seed", "-1", "--areas-out", str(tmp_path / "b")])
        == 2
    )
    assert "seed must be a whole number >= 0" in capsys.readouterr().err
