"""The resident share of areas without census flows: the model by hand, its data, Scotland against its 2011 census."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kil_io import datasets
from kil_io.datasets import commuting_model
from kil_io.errors import AreaError, DatasetError, ModelError

FIXTURES = Path(__file__).parent / "fixtures"
RAW = Path(__file__).resolve().parents[2] / "shared" / "data-raw"
CENSUS = RAW / "census2021-commuting" / "ODWP01EW_LTLA.csv.gz"


def expit(z: float) -> float:
    return float(1 / (1 + np.exp(-z)))


def test_fit_by_hand() -> None:
    """Three points, logits 0, 2, 1 at x = 0, 1, 2: the least-squares line and its statistics, worked by hand.

    Slope Sxy / Sxx = 1 / 2, intercept 1 - 1/2; residuals -1/2, 1, -1/2 (RSS 3/2, of total 2: R² 1/4);
    sigma² = 3/2 on 1 degree of freedom; (X'X)^-1 = [[5, -3], [-3, 3]] / 6; leverages 5/6, 1/3, 5/6, so the
    leave-one-out residuals e / (1 - h) are -3, 3/2, -3.
    """
    X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    fit = commuting_model.fit_logit_linear(X, np.array([expit(0), expit(2), expit(1)]), terms=("one", "x"))
    np.testing.assert_allclose(fit.coefficients, [0.5, 0.5], atol=1e-12)
    assert fit.r_squared == pytest.approx(0.25)
    assert fit.residual_sd == pytest.approx(np.sqrt(1.5))
    np.testing.assert_allclose(fit.standard_errors, [np.sqrt(1.5 * 5 / 6), np.sqrt(1.5 * 3 / 6)])
    assert fit.loo_rmse_logit == pytest.approx(np.sqrt((9 + 2.25 + 9) / 3))
    loo_shares = [expit(0 + 3), expit(2 - 1.5), expit(1 + 3)]  # y - e / (1 - h), as shares
    errors = np.array(loo_shares) - [expit(0), expit(2), expit(1)]
    assert fit.loo_rmse == pytest.approx(np.sqrt(np.mean(errors**2)))
    # at x = 1: 1 +- t(0.95, 1 df) sigma sqrt(1 + 1/3) = 1 +- 6.314 sqrt(2) (t from a printed table)
    share, low, high = fit.predict(np.array([[1.0, 1.0]]))
    assert share[0] == pytest.approx(expit(1))
    assert np.log(low[0] / (1 - low[0])) == pytest.approx(1 - 6.314 * np.sqrt(2), abs=1e-3)
    assert np.log(high[0] / (1 - high[0])) == pytest.approx(1 + 6.314 * np.sqrt(2), abs=1e-3)
    assert "R² 0.25" in fit.summary()


def test_fit_refuses_what_it_cannot_fit() -> None:
    X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    with pytest.raises(ModelError, match="strictly between 0 and 1"):
        commuting_model.fit_logit_linear(X, np.array([0.2, 1.0, 0.5]), terms=("one", "x"))
    with pytest.raises(ModelError, match="collinear"):
        commuting_model.fit_logit_linear(X[:, [0, 0]], np.array([0.2, 0.3, 0.5]), terms=("one", "again"))
    with pytest.raises(ModelError, match="must agree"):
        commuting_model.fit_logit_linear(X, np.array([0.2, 0.3]), terms=("one", "x"))


def test_catchment_by_hand() -> None:
    """Area A: 1 postcode at (0, 0); B: 3 at (1, 0) and 1 at (10, 10) [km].

    Within 1 km of A's square are A's 1 and B's 3: A's catchment is 1/4. B's square (1, 0) sees 3 of 4,
    its far square 1 of 1: (3 x 3/4 + 1 x 1) / 4 = 0.8125. Within 0 km each square is its own: 1.
    """
    grid = pd.DataFrame({"area": ["A", "B", "B"], "x_km": [0, 1, 10], "y_km": [0, 0, 10], "postcodes": [1, 3, 1]})
    assert commuting_model.catchment_shares(grid, ["A"], (1, 0)) == pytest.approx((0.25, 1.0))
    assert commuting_model.catchment_shares(grid, ["B"], (1,)) == pytest.approx((0.8125,))
    assert commuting_model.catchment_shares(grid, ["A", "B"], (1, 30)) == pytest.approx((1.0, 1.0))
    with pytest.raises(DatasetError, match="no postcodes"):
        commuting_model.catchment_shares(grid, ["C"])


def test_the_model_fitted_on_england_and_wales() -> None:
    fit = datasets.resident_share_model()
    assert fit.n == 318
    assert fit.terms == commuting_model.TERMS
    # measured: R² 0.86, leave-one-out RMSE 0.064 of a share
    assert fit.r_squared > 0.8
    assert fit.loo_rmse < 0.08
    # more postcodes outside the catchment and more jobs per resident: fewer jobs held by residents;
    # a larger population: more
    outside_5, outside_30, jobs_per_resident, population = fit.coefficients[1:]
    assert outside_5 < 0
    assert outside_30 < 0
    assert jobs_per_resident < 0 < population
    assert (np.abs(fit.coefficients[1:]) > 3 * fit.standard_errors[1:]).all()


def test_every_gb_authority_has_a_share_with_a_source() -> None:
    authorities = datasets.areas("local_authority").set_index("code")
    gb = authorities[~authorities.index.str.startswith("N")]
    assert len(gb) == 350
    for code in gb.index:
        c = datasets.commuting(code)
        share, source = datasets.resident_share(code)
        assert 0 < share <= 1
        assert share == c.resident_share
        assert c.estimated == code.startswith("S")
        if c.estimated:
            assert source.startswith("estimate: logit-linear model")
            assert c.low < share < c.high
        else:
            assert "Census 2021" in source
            assert c.low == c.high == share


def test_scotland_against_its_2011_census() -> None:
    """The model's 90% intervals hold what NRS published for 2011 (the tests/fixtures header says which)."""
    published = pd.read_csv(FIXTURES / "nrs_census2011_commuting.csv", comment="#").set_index("area")
    nation = datasets.commuting("Scotland")
    # fewer people travelled in March 2021, so fewer came from England and Wales than in 2011
    assert published.at["Scotland", "share"] < nation.resident_share < 1
    assert nation.low == pytest.approx(published.at["Scotland", "share"])
    for name, row in published.drop(["Scotland", "Scottish council areas"]).iterrows():
        c = datasets.commuting(name)
        if row["bound"] == "=":
            assert c.low < row["share"] < c.high, name
        else:
            assert c.high >= row["share"], name
    # all council areas together: their shares weighted by BRES jobs, against the 68% of 2011 (measured 0.71)
    model = pd.read_csv(datasets.data_dir() / commuting_model.MODEL_FILE, dtype={"area": str}).set_index("area")
    scottish = model[model.index.str.startswith("S")]
    shares = [datasets.commuting(code).resident_share for code in scottish.index]
    assert np.average(shares, weights=scottish["employment"]) == pytest.approx(0.68, abs=0.05)


@pytest.mark.skipif(not CENSUS.is_file(), reason=f"raw census file not present at {CENSUS} (../shared/data-raw)")
def test_nations_by_hand_from_the_raw_census() -> None:
    raw = pd.read_csv(CENSUS, dtype=str)
    raw.columns = ["home", "home_name", "work", "work_name", "indicator", "indicator_name", "count"]
    travel = raw[raw["indicator"] == "3"].assign(count=lambda f: f["count"].astype(int))
    in_wales = travel[travel["work"].str.startswith("W")]
    wales = datasets.commuting("Wales")
    assert wales.workplace_jobs == in_wales["count"].sum()
    assert wales.held_by_residents == in_wales.loc[in_wales["home"].str.startswith("W"), "count"].sum()
    assert not wales.estimated
    # the model on Wales as one area (a nation's size, larger than any authority it was fitted on)
    modelled = datasets.modelled_commuting("Wales")
    assert modelled.low < wales.resident_share < modelled.high
    assert modelled.resident_share == pytest.approx(wales.resident_share, abs=0.02)  # measured 0.956 vs 0.963
    to_scotland = int(travel.loc[travel["work"].str.startswith("S"), "count"].sum())
    assert f"the {to_scotland:,} people living in England and Wales" in datasets.commuting("Scotland").source


def test_groups_nations_and_areas_without_data() -> None:
    gb = datasets.commuting("Great Britain")
    assert (gb.resident_share, gb.estimated) == (1.0, True)
    assert datasets.resident_share("United Kingdom")[1].startswith("estimate: 1 for United Kingdom")
    # across the border: job-weighted between Cumberland's census share and the model's Dumfries and Galloway
    border = datasets.commuting(["Cumberland", "Dumfries and Galloway"])
    cumberland, dumfries = datasets.commuting("Cumberland"), datasets.commuting("Dumfries and Galloway")
    assert border.estimated
    assert "weighted by BRES employment" in border.source
    assert min(cumberland.resident_share, dumfries.resident_share) < border.resident_share
    assert border.resident_share < max(cumberland.resident_share, dumfries.resident_share)
    assert border.low < border.resident_share < border.high
    # a Scottish region as one area: the model on its own catchment, which holds more than its parts
    east = datasets.commuting("TLM0")  # Eastern Scotland
    parts = [datasets.commuting(code) for code in datasets.area("TLM0").members]
    assert east.estimated
    assert east.resident_share > max(p.resident_share for p in parts)
    with pytest.raises(DatasetError, match="Northern Ireland has neither"):
        datasets.resident_share("Belfast")
    with pytest.raises(AreaError, match="unknown area 'Atlantis'"):
        datasets.resident_share("Atlantis")


def test_the_model_on_england_and_wales_regions() -> None:
    """Fitted on authorities, it holds for regions made of them: most ITL2 census shares in its 90% intervals."""
    regions = datasets.areas("itl2").set_index("code")
    inside, errors = [], []
    for code in regions.index:
        where = datasets.area(code)
        if not all(c[0] in "EW" for c in where.members):
            continue
        census, model = datasets.commuting(where), datasets.modelled_commuting(where)
        inside.append(model.low <= census.resident_share <= model.high)
        errors.append(model.resident_share - census.resident_share)
    assert len(inside) >= 35
    assert np.mean(inside) >= 0.85  # measured 0.95
    assert np.mean(np.abs(errors)) < 0.05  # measured 0.028
