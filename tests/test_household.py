"""Household income and commuting by local authority, against the figures the publishers print."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kil_io import datasets
from kil_io.datasets.household import ACCOUNTS_FILE, COMMUTING_FILE, FLOWS_FILE, NATIONS
from kil_io.errors import AreaError, DatasetError

# Scottish Government, Input-Output Tables 1998-2019: household income closing the 2019 Type II model (£m)
SG_HOUSEHOLD_INCOME_2019 = 156_241


def test_published_gdhi_figures() -> None:
    # ONS figures as quoted in shared/data-raw/PROVENANCE.md
    assert datasets.household_income("Calderdale", 2022, measure="gdhi") == 4047
    assert datasets.household_income("e08000035", 2022, measure="gdhi") == 16387  # Leeds, by code
    assert datasets.household_income("United Kingdom", 2022, measure="gdhi") == 1_540_635
    acc = datasets.household_accounts("Calderdale", 2019)
    assert acc["coe"] == 2878
    assert acc["total_resources"] == acc["primary_resources"] + acc["secondary_resources"] == 4228 + 1193
    assert acc.name == "Calderdale"
    assert "ONS regional gross disposable household income" in acc.attrs["source"]


def test_total_resources_is_the_scottish_governments_household_income() -> None:
    total = datasets.household_income("Scotland", 2019)
    assert total == pytest.approx(SG_HOUSEHOLD_INCOME_2019, rel=0.02)
    # the alternatives are far from it
    assert datasets.household_income("Scotland", 2019, measure="gdhi") < 0.7 * SG_HOUSEHOLD_INCOME_2019
    assert datasets.household_income("S92000003", 2019, measure="coe") < 0.6 * SG_HOUSEHOLD_INCOME_2019


def test_nations_are_the_sums_of_their_authorities() -> None:
    frame = pd.read_csv(datasets.data_dir() / ACCOUNTS_FILE, dtype={"area": str})
    year = frame[frame["year"] == 2021]
    for code, (_, letters) in NATIONS.items():
        expected = year.loc[year["area"].str[0].isin(list(letters)), "gdhi"].sum()
        assert datasets.household_income(code, 2021, measure="gdhi") == expected
    assert frame["area"].nunique() == 361


def test_every_authority_balances_its_accounts() -> None:
    f = pd.read_csv(datasets.data_dir() / ACCOUNTS_FILE)
    gap = (
        f["primary_resources"] - f["property_income_paid"] + f["secondary_resources"] - f["secondary_uses"] - f["gdhi"]
    )
    assert gap.abs().max() <= 3  # ONS rounds each component to £1m
    assert (f["coe"] < f["primary_resources"]).all()


def test_calderdale_commuting_as_published() -> None:
    c = datasets.commuting("Calderdale")
    assert (c.workplace_jobs, c.held_by_residents, c.home_workers) == (50_518, 33_319, 40_180)
    assert c.resident_share == pytest.approx(33_319 / 50_518)
    assert c.resident_share_with_home_workers == pytest.approx((33_319 + 40_180) / (50_518 + 40_180))
    assert not c.estimated
    assert c.low == c.high == c.resident_share
    assert "Census 2021" in c.source


def test_every_england_and_wales_authority_has_shares_in_range() -> None:
    flows = pd.read_csv(datasets.data_dir() / COMMUTING_FILE, dtype={"area": str})
    assert len(flows) == 318
    assert flows["area"].str[0].isin(["E", "W"]).all()
    assert (flows["held_by_residents"] <= flows["workplace_jobs"]).all()
    assert (flows["held_by_residents"] + flows["home_workers"] <= flows["employed_residents"]).all()
    shares = pd.Series({code: datasets.commuting(code).resident_share for code in flows["area"]})
    shares.index = flows.set_index("area").loc[shares.index, "name"]
    assert shares.between(0, 1).all()
    # central London draws its workers from everywhere; islands and large rural authorities keep theirs
    assert shares.idxmin() == "City of London"
    assert shares["Westminster"] < 0.1
    assert shares.idxmax() == "Isle of Wight"
    # merged in 2023: the flows among North Yorkshire's seven former districts (summed by hand from
    # ODWP01EW: 123,375 of 174,094 people travelling to work there live there) are internal
    ny = datasets.commuting("E06000065")  # the name also means the ITL2 region (with York)
    assert (ny.area, ny.held_by_residents, ny.workplace_jobs) == ("E06000065", 123_375, 174_094)
    assert not flows["area"].isin(["E07000163", "E07000026", "E07000187"]).any()  # Craven, Allerdale, Mendip


def test_scotland_gets_a_labelled_estimate_of_its_own() -> None:
    glasgow, orkney = datasets.commuting("Glasgow City"), datasets.commuting("Orkney Islands")
    for c in (glasgow, orkney):
        assert c.estimated
        assert c.source.startswith("estimate: logit-linear model")
        assert c.low < c.resident_share < c.high
        assert np.isnan(c.resident_share_with_home_workers)
        assert c.workplace_jobs == 0
        assert "prediction interval" in c.range_source
    # no longer one median for all: a city drawing commuters from its suburbs keeps fewer of its jobs than
    # islands do (NRS, Census 2011: Glasgow 49%, Orkney 95% or more)
    assert glasgow.resident_share < 0.7 < 0.9 < orkney.resident_share
    scotland = datasets.commuting("Scotland")
    assert scotland.estimated
    assert scotland.resident_share > 0.98
    assert scotland.source.startswith("estimate: Scotland's residents hold its jobs")


def test_bad_areas_and_years() -> None:
    with pytest.raises(AreaError, match="unknown area 'Atlantis'"):
        datasets.household_income("Atlantis", 2019)
    with pytest.raises(DatasetError, match="available years: 2015-2022"):
        datasets.household_income("Calderdale", 2014)
    with pytest.raises(DatasetError, match="unknown household income measure"):
        datasets.household_income("Calderdale", 2019, measure="wealth")  # type: ignore[arg-type]
    with pytest.raises(DatasetError, match="no resident-share model characteristics for N09000003"):
        datasets.commuting(["Calderdale", "Belfast"])


def test_a_group_counts_the_flows_among_its_members_as_local() -> None:
    wy = ["Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"]
    codes = [datasets.area(a).code for a in wy]
    pairs = pd.read_csv(datasets.data_dir() / FLOWS_FILE, dtype={"home": str, "work": str})
    within = pairs[pairs["home"].isin(codes) & pairs["work"].isin(codes)]["count"].sum()
    c = datasets.commuting(wy)
    assert c.held_by_residents == within
    assert c.workplace_jobs == sum(datasets.commuting(a).workplace_jobs for a in wy)
    assert c.held_by_residents > sum(datasets.commuting(a).held_by_residents for a in wy)  # cross-border trips
    assert c.resident_share > max(datasets.commuting(a).resident_share for a in wy)
    assert datasets.commuting("Wales").workplace_jobs == pairs[pairs["work"].str.startswith("W")]["count"].sum()
