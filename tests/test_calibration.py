"""Calibrating delta: a survey table made by FLQ with a known delta is recovered."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from examples import tables
from hypothesis import given, settings
from hypothesis import strategies as st

from kil_io import IOTable
from kil_io.errors import ModelError
from kil_io.regional import regionalise
from kil_io.regional.calibration import calibrate_delta


def region_of(t: IOTable) -> pd.Series:
    share = np.linspace(0.05, 0.3, t.n)
    return pd.Series(t.employment * share, index=t.sectors, name="Region")


@settings(max_examples=15, deadline=None)
@given(tables(), st.sampled_from([0.1, 0.2, 0.35]))
def test_known_delta_is_recovered(t: IOTable, true_delta: float) -> None:
    re = region_of(t)
    survey = regionalise(t, re, method="flq", delta=true_delta, national_employment="table")
    ident = {s: s for s in t.sectors}
    grid = [0.0, 0.1, 0.2, 0.35, 0.45]
    cal = calibrate_delta(
        t, survey, re, national_to_common=ident, survey_to_common=ident, deltas=grid, national_employment="table"
    )
    best = cal.best()
    assert cal.errors.loc[("flq", true_delta), "wape"] == pytest.approx(0.0, abs=1e-9)
    assert best.loc["flq", "wape"] == pytest.approx(0.0, abs=1e-9)
    assert list(best.index) == ["slq", "cilq", "flq", "aflq"]
    cmp = cal.comparison("flq")
    np.testing.assert_allclose(cmp["estimate"], cmp["survey"], rtol=1e-9)


def test_delta_identified_on_a_small_economy(mb_table: IOTable) -> None:
    re = pd.Series([1.0, 0.5], index=["1", "2"], name="R")  # LQs below 1: delta matters
    survey = regionalise(mb_table, re, method="flq", delta=0.2, national_employment="table")
    ident = {"1": "1", "2": "2"}
    cal = calibrate_delta(
        mb_table,
        survey,
        re,
        national_to_common=ident,
        survey_to_common=ident,
        kind="type_ii",
        national_employment="table",
    )
    assert cal.best().loc["flq", "delta"] == pytest.approx(0.2)
    wape = cal.errors.xs("flq")["wape"]
    assert (wape.drop(0.2) > 0.01).all()


def test_errors_by_hand(mb_table: IOTable) -> None:
    """WAPE = sum_j w_j |est_j / obs_j - 1| with survey output weights, computed here from the estimates."""
    re = pd.Series([4.0, 3.0], index=["1", "2"], name="R")
    survey = regionalise(mb_table, re, method="cilq", national_employment="table")
    ident = {"1": "1", "2": "2"}
    cal = calibrate_delta(
        mb_table,
        survey,
        re,
        national_to_common=ident,
        survey_to_common=ident,
        deltas=[0.0, 0.5],
        methods=["slq", "flq"],
        national_employment="table",
    )
    w = survey.output / survey.output.sum()
    for (method, delta), row in cal.errors.iterrows():
        est = cal.estimates[(method, delta)].to_numpy()
        rel = est / cal.survey.to_numpy() - 1
        assert row["wape"] == pytest.approx(100 * np.sum(w * np.abs(rel)))
        assert row["mape"] == pytest.approx(100 * np.mean(np.abs(rel)))
    assert cal.errors.loc[("flq", 0.0), "wape"] == pytest.approx(0.0, abs=1e-9)  # FLQ(0) == CILQ


def test_bad_measure(mb_table: IOTable) -> None:
    ident = {"1": "1", "2": "2"}
    re = pd.Series([4.0, 3.0], index=["1", "2"], name="R")
    with pytest.raises(ModelError, match="unknown measure 'jobs'"):
        calibrate_delta(
            mb_table,
            mb_table,
            re,
            national_to_common=ident,
            survey_to_common=ident,
            measure="jobs",
            national_employment="table",
        )


def test_scotland_from_shipped_data() -> None:
    """The shipped calibration: FLQ and AFLQ beat SLQ and CILQ, with a best delta in the published range."""
    from kil_io import datasets

    cal = calibrate_delta(**datasets.scotland_calibration_inputs(2019), kind="type_i")
    best = cal.best()
    assert best.loc["flq", "wape"] < best.loc["cilq", "wape"] < best.loc["slq", "wape"]
    assert 0.1 <= best.loc["flq", "delta"] <= 0.3  # Flegg & Tohmo (2013) and others: roughly 0.1-0.3
    assert len(cal.weights) == 94 - len(cal.left_out)
    assert cal.weights.sum() == pytest.approx(1.0)
    with pytest.raises(ModelError, match="has no employment, so 'employment_effect' cannot be compared"):
        calibrate_delta(**datasets.scotland_calibration_inputs(2019), measure="employment_effect")
    with pytest.raises(ModelError, match=r"no estimate for 'flq' with delta 0\.33"):
        cal.comparison("flq", 0.33)
