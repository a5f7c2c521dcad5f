"""Areas by name or code, groups of them, and an invariant sweep over every GB local authority."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kil_io
from kil_io import datasets
from kil_io.cli import main
from kil_io.datasets.employment import _employment_row
from kil_io.errors import AreaError, AreaWarning
from kil_io.regional import flq_lambda
from kil_io.runner import batch
from kil_io.runner.caselist import area_cases

YEAR = 2021
#: ONS, Local Authority Districts (December 2023) names and codes in the UK: 361 districts, of which
#: 11 in Northern Ireland; International Territorial Levels (2025): 182 ITL3, 46 ITL2, 12 ITL1 areas.
ONS_COUNTS = {"local_authority": 361, "itl3": 182, "itl2": 46, "itl1": 12}
#: Nomis BRES open access "Employment" 2016 by SIC division (data-raw/nomis-bres-lad-division), the
#: sums of the 87 divisions (the issue's named checks: Calderdale about 98,700, Leeds about 439,000).
BRES_2016 = {"Calderdale": 98_705, "Leeds": 439_170}
WEST_YORKSHIRE = ["Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"]
PILOTS = ["Bradford", "Bristol", "Calderdale", "Dorset", "Hackney", "Shropshire"]


@pytest.fixture(scope="module")
def all_areas(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """`kil-io multipliers --all-areas` once: every GB authority, both types, one tidy CSV."""
    out = tmp_path_factory.mktemp("areas")
    assert main(["multipliers", "--all-areas", "--area-year", str(YEAR), "--areas-out", str(out)]) == 0
    about = json.loads((out / f"all_areas_{YEAR}_about.json").read_text())
    assert (about["areas"], about["method"], about["delta"], about["national_table"]) == (350, "flq", 0.225, "UK 2023")
    return pd.read_csv(out / f"all_areas_{YEAR}_multipliers.csv", dtype={"area_code": str})


# ------------------------------------------------------------------------------------------- resolving
def test_counts_of_areas_are_onss() -> None:
    table = datasets.areas()
    assert table["kind"].value_counts()[list(ONS_COUNTS)].to_dict() == ONS_COUNTS
    assert (table.query("kind == 'local_authority'")["nation"] != "N92000002").sum() == 350
    assert table["code"].is_unique
    cal = table.set_index("code").loc["E08000033"]
    assert (cal["name"], cal["itl3"], cal["itl2"], cal["itl1"], cal["nation"]) == (
        "Calderdale", "TLE44", "TLE4", "TLE", "E92000001",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("E08000033", "E08000033"), ("calderdale", "E08000033"), ("  CALDERDALE ", "E08000033"),
        ("Bristol", "E06000023"), ("City of Bristol", "E06000023"), ("bristol, city of", "E06000023"),
        ("Hackney", "E09000012"), ("Dorset", "E06000059"), ("Shropshire", "E06000051"), ("Hull", "E06000010"),
        ("UKE4", "TLE4"), ("TLE4", "TLE4"), ("West Yorkshire", "TLE4"), ("Scotland", "S92000003"),
        ("Glasgow", "S12000049"), ("Great Britain", "K03000001"), ("WYCA", "ca:west_yorkshire"),
    ],
)  # fmt: skip
def test_names_codes_and_aliases(given: str, code: str) -> None:
    assert datasets.area(given).code == code


def test_former_names_and_codes_map_to_the_authority_they_became() -> None:
    with pytest.warns(AreaWarning, match=r"Harrogate \(E07000165\) became part of North Yorkshire .*1 April 2023"):
        ny = datasets.area("Harrogate")
    assert ny.code == "E06000065"
    assert any("given as 'Harrogate'" in n for n in ny.notes)
    with pytest.warns(AreaWarning, match="E07000165"):
        assert datasets.area("E07000165").code == "E06000065"
    with pytest.warns(AreaWarning, match="Bournemouth"):
        assert datasets.area("Bournemouth").code == "E06000058"
    with pytest.warns(AreaWarning, match="S12000046"):  # Glasgow City's code before the 2019 boundary change
        assert datasets.area("S12000046").code == "S12000049"
    assert "Cardowan" in datasets.area("Glasgow City").notes[0]


def test_bad_areas_say_what_is_known() -> None:
    with pytest.raises(AreaError, match=r"unknown area 'Calderdle' \(did you mean: Calderdale \(E08000033"):
        datasets.area("Calderdle")
    with pytest.raises(AreaError, match=r"did you mean: .*Hackney \(E09000012"):
        datasets.area("Hackny")
    with pytest.raises(AreaError, match=r"ambiguous.*North Yorkshire \(E06000065, local authority\).*\(TLE2, ITL2"):
        datasets.area("North Yorkshire")
    with pytest.raises(AreaError, match=r"Newcastle-under-Lyme.*Newcastle upon Tyne"):
        datasets.area("Newcastle")
    with pytest.raises(AreaError, match=r"Northern Ireland.*covers Great Britain only"):
        datasets.local_employment("Belfast", YEAR)
    with pytest.raises(AreaError, match="empty"):
        datasets.area(" ")


def test_groups_of_areas() -> None:
    wy = datasets.area(WEST_YORKSHIRE, name="West Yorkshire")
    assert (wy.kind, wy.name) == ("group", "West Yorkshire")
    assert wy.members == datasets.area("TLE4").members == datasets.area("ca:west_yorkshire").members
    pd.testing.assert_series_equal(
        datasets.local_employment(wy, YEAR), sum(datasets.local_employment(a, YEAR) for a in WEST_YORKSHIRE),
        check_names=False,
    )  # fmt: skip
    table = datasets.regional_iot(WEST_YORKSHIRE, YEAR, name="West Yorkshire")
    assert table.area == "West Yorkshire"
    assert table.metadata["authorities"] == 5
    with pytest.raises(AreaError, match="'leeds' is given twice"):
        datasets.area(["Leeds", "Bradford", "leeds"])
    with pytest.raises(AreaError, match="group member 'Atlantis': unknown area"):
        datasets.area(["Leeds", "Atlantis"])
    with pytest.raises(AreaError, match="'West Yorkshire' overlaps 'Leeds'"):
        datasets.area(["Leeds", "West Yorkshire"])
    with pytest.raises(AreaError, match="at least one"):
        datasets.area([])


# -------------------------------------------------------------------------------------- employment sweep
def test_named_employment_checks() -> None:
    for name, total in BRES_2016.items():
        assert datasets.local_employment(name, 2016).sum() == pytest.approx(total, abs=0.05)
    s = datasets.local_employment("Calderdale", YEAR)
    assert s.attrs["estimated"]
    assert "growth of each SIC section" in s.attrs["method"]


def test_authorities_add_up_to_gb_and_to_their_regions() -> None:
    """Sums of authorities against independently rounded 5-digit BRES of GB and the ITL2 regions, 2016."""
    gb_auth = datasets.national_employment(2016, basis="authorities")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kil_io.MissingDataWarning)
        gb_itl2 = datasets.national_employment(2016, basis="itl2")
    assert abs(gb_auth.sum() / gb_itl2.sum() - 1) < 0.001
    assert (gb_auth - gb_itl2).abs().sum() / gb_itl2.sum() < 0.005  # Nomis rounds every cell of both
    lads = datasets.employment_table(
        list(datasets.areas("local_authority").query("nation != 'N92000002'")["code"]), 2016, basis="authorities"
    )
    np.testing.assert_allclose(lads.sum().to_numpy(), gb_auth.to_numpy(), rtol=1e-12)
    # England and Wales: every ITL2 region's 5-digit BRES; Scotland's NUTS 2016 regions split two
    # authorities and leave out farms in 2016 (data/README.md)
    folder = str(datasets.data_dir())
    for code in datasets.areas(["itl2", "itl2_2021"])["code"]:
        where = datasets.area(code)
        if where.bres_region and not where.bres_region.startswith("UKM"):
            own = _employment_row(folder, "itl2", where.bres_region, where.name, 2016).sum()
            mine = datasets.employment_table([where], 2016, basis="authorities").to_numpy().sum()
            assert abs(mine / own - 1) < 0.01, where.label
    itl3 = datasets.areas("itl3").query("nation != 'N92000002'")
    frame = datasets.employment_table(list(itl3["code"]), YEAR)
    for code, row in zip(itl3["code"], frame.to_numpy(), strict=True):
        members = datasets.employment_table(list(datasets.area(code).members), YEAR).to_numpy().sum(axis=0)
        np.testing.assert_allclose(row, members, rtol=1e-12)


# -------------------------------------------------------------------------------------- multiplier sweep
def test_every_authority_has_sound_multipliers(all_areas: pd.DataFrame) -> None:
    assert all_areas["area_code"].nunique() == 350
    assert len(all_areas) == 350 * 2 * 104  # the 2023 table: C254 and C25OTHER are one C25
    assert set(all_areas[["year", "method", "delta"]].itertuples(index=False, name=None)) == {(YEAR, "flq", 0.225)}
    assert all_areas["sector_name"].notna().all()
    wide = all_areas.set_index(["area_code", "sector", "kind"])["output_multiplier"].unstack("kind")
    # what the nation leaves out of its Leontief system every area leaves out, but the Isles of Scilly: no K64
    # jobs, so no negative flow in its table (data/README.md, "2023")
    inside = wide.xs("L68A", level="sector").dropna()
    assert list(inside.index) == [datasets.area("Isles of Scilly").code]
    present = wide.dropna()
    assert len(present) > 0.85 * len(wide)  # absent industries (no employment) are NaN
    assert (present["type_i"] >= 1 - 1e-12).all()
    assert (present["type_ii"] >= present["type_i"] - 1e-12).all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kil_io.ZeroOutputWarning)  # B05: no UK employment
        uk = kil_io.multipliers(datasets.uk_iot(2023), "type_i")["output_multiplier"]
    present = present.drop(index="L68A", level="sector")  # outside the UK's system: nothing to compare with
    ratio = present["type_i"] / uk.reindex(present.index.get_level_values("sector")).to_numpy()
    assert (ratio <= 1 + 1e-12).all()  # regional coefficients <= national ones
    jobs = all_areas.dropna(subset=["employment_effect"])
    assert (jobs["employment_effect"] > 0).all()


def test_the_table_says_whose_resident_share_is_estimated(all_areas: pd.DataFrame) -> None:
    areas = all_areas.drop_duplicates("area_code").set_index("area_code")
    # Scotland's 32 have no census flows shipped: their shares are the model's (kil_io.datasets.commuting)
    assert (areas["resident_share_estimated"] == areas.index.str.startswith("S")).all()
    assert areas.loc["E08000033", "resident_share"] == pytest.approx(33_319 / 50_518)  # Census 2021, Calderdale
    assert areas["resident_share"].between(0, 1, inclusive="right").all()


def test_batched_table_equals_the_one_area_path(all_areas: pd.DataFrame) -> None:
    for name in ("Hackney", "Calderdale"):
        where = datasets.area(name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", kil_io.ZeroOutputWarning)
            one = kil_io.multipliers(datasets.regional_iot(name, YEAR), "type_ii")
        mine = all_areas[(all_areas["area_code"] == where.code) & (all_areas["kind"] == "type_ii")]
        np.testing.assert_allclose(mine[one.columns].to_numpy(), one.to_numpy(), rtol=1e-9, equal_nan=True)


def test_flq_lambda_rises_with_the_areas_size() -> None:
    codes = list(datasets.areas("local_authority").query("nation != 'N92000002'")["code"])
    frame = datasets.employment_table(codes, YEAR)
    gb = datasets.national_employment(YEAR, basis="authorities").sum()
    size = frame.sum(axis=1).to_numpy()
    lam = flq_lambda(size, gb, np.array([0.3]))
    order = np.argsort(size)
    assert (np.diff(np.ravel(lam)[order]) >= 0).all()
    assert np.ravel(lam).max() < 1


# ----------------------------------------------------------------------------------------------- the CLI
def test_areas_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["areas", "Hackney"]) == 0
    text = capsys.readouterr().out
    assert "Hackney  (E09000012, local authority)" in text
    assert main(["areas", "yorkshire"]) == 0
    text = capsys.readouterr().out
    assert "North Yorkshire" in text
    assert "area(s)" in text
    assert main(["areas", "Calderdle"]) == 2
    assert "did you mean: Calderdale" in capsys.readouterr().err


def test_multipliers_for_chosen_areas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["multipliers", "--area", "Hackney", "--area", "West Yorkshire", "--areas-out", str(tmp_path)]) == 0
    frame = pd.read_csv(tmp_path / f"areas_{YEAR}_multipliers.csv")
    assert list(frame["area_name"].unique()) == ["Hackney", "West Yorkshire"]
    assert "Local multipliers 2021" in capsys.readouterr().out
    assert main(["multipliers", "--area", "Leeds", "--area", "E08000035", "--areas-out", str(tmp_path)]) == 2
    assert "given twice" in capsys.readouterr().err


def test_run_any_area_builds_checked_cases() -> None:
    cases = area_cases(batch.load_cases(), ["regional"], PILOTS)
    assert [c.name for c in cases] == [f"regional_{p.casefold()}" for p in PILOTS]
    assert cases[1].parameters == {"area": "Bristol, City of"}
    for case in cases:
        batch.validate(case)
    listed = {c.name: c.parameters.get("area") for c in batch.load_cases()}
    assert {datasets.area(listed[n]).code for n in listed if n.startswith("regional_") or n == "calderdale"} >= {
        datasets.area(p).code for p in PILOTS
    }
    with pytest.raises(batch.BatchError, match="neither a case nor one of"):
        area_cases(batch.load_cases(), ["nonsense"], ["Leeds"])
    with pytest.raises(batch.BatchError, match="did you mean"):
        area_cases(batch.load_cases(), ["regional"], ["Leds"])


# ------------------------------------------------------------------------------------------------- GVA
#: ONS regional GVA (balanced) by industry, local authorities, May 2025 release: Calderdale (E08000033)
#: 2019 total £5,277m, 2023 £5,845m (data-raw PROVENANCE.md).
CALDERDALE_GVA = {2019: 5277, 2023: 5845}


def test_regional_gva_as_published() -> None:
    for year, total in CALDERDALE_GVA.items():
        assert round(datasets.regional_gva("Calderdale", year)["total"]) == total
    wy = datasets.regional_gva(WEST_YORKSHIRE, 2019)
    assert wy["total"] == pytest.approx(sum(datasets.regional_gva(a, 2019)["total"] for a in WEST_YORKSHIRE))
    assert "May 2025" in wy.attrs["source"]
    with pytest.raises(kil_io.DatasetError, match="available years: 2015-2023"):
        datasets.regional_gva("Calderdale", 2014)


def test_gva_check_and_the_gva_consistent_table() -> None:
    check = datasets.gva_check(2016, output="employment")
    summary = check.attrs["summary"]
    assert check.index.get_level_values("area").nunique() == 350
    # shares of GB: the model's and ONS's each add up to 1 over the authorities, group by group
    sums = check.groupby(level="group")[["model_share", "ons_share"]].sum()
    assert (sums["ons_share"] > 0.99).all()
    assert (sums["model_share"] < 1 + 1e-9).all()
    assert 0.1 < summary.loc["all", "weighted_error"] < 0.5  # equal productivity misses levels (data/README.md)
    assert summary.loc["Q", "weighted_error"] < summary.loc["K", "weighted_error"]  # care is local, finance is not
    plain = datasets.regional_iot("Calderdale", 2016, output="employment")
    scaled = datasets.regional_iot("Calderdale", 2016)  # the default: levels from ONS's GVA
    assert scaled.metadata["output"] == "gva"
    assert plain.metadata["output"] == "employment"
    # quotients unchanged: the supply cap scales a supplier's row, so compare the rows capped in neither table
    capped = {**plain.metadata["supply_capped"], **scaled.metadata["supply_capped"]}
    uncapped = [k for k, s in enumerate(plain.sectors) if s not in capped]
    np.testing.assert_allclose(scaled.A[uncapped], plain.A[uncapped], atol=1e-15)
    # the scaled table's share of GB GVA in each group is ONS's (from the published file, not the code's)
    ons = pd.read_csv(datasets.data_dir() / "regional_gva_lad.csv", dtype={"area": str}).query("year == 2016")
    ons = ons[~ons["area"].str.startswith("N")]
    national = datasets.uk_iot(2023)  # the default table of every employment year
    mine = pd.Series(scaled.gva, index=scaled.sectors)
    q = [s for s in scaled.sectors if s[0] == "Q"]
    ons_share = ons.loc[ons["area"] == "E08000033", "Q"].iloc[0] / ons["Q"].sum()
    uk_q = pd.Series(national.gva, index=national.sectors)[q].sum()
    assert mine[q].sum() / uk_q == pytest.approx(ons_share, rel=1e-9)
    # the default tables' check: errors only where ONS has GVA and BRES no jobs
    assert datasets.gva_check(2016).attrs["summary"].loc["all", "weighted_error"] < 0.01
    with pytest.raises(kil_io.DatasetError, match="output must be"):
        datasets.regional_iot("Calderdale", 2016, output="ons")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("Leeds City Council", "E08000035"), ("Cardiff Council", "W06000015"), ("Calderdale MBC", "E08000033"),
        ("Bristol City Council", "E06000023"), ("Royal Borough of Greenwich", "E09000011"),
        ("London Borough of Camden", "E09000007"), ("Glasgow City Council", "S12000049"),
        ("City of Bradford Metropolitan District Council", "E08000032"), ("Durham County Council", "E06000047"),
        ("Rhondda Cynon Taf County Borough Council", "W06000016"), ("Hull City Council", "E06000010"),
    ],
)  # fmt: skip
def test_a_council_as_it_names_itself_is_its_authority(given: str, code: str) -> None:
    # ONS codes from the ONS Local Authority Districts (December 2024) names and codes list
    assert datasets.area(given).code == code


def test_a_council_that_is_not_one_authority_gets_a_did_you_mean() -> None:
    with pytest.raises(AreaError, match=r"unknown area 'Kent County Council' \(did you mean: Kent \(TLJ4"):
        datasets.area("Kent County Council")  # Kent's districts, not Medway: the ITL2 region is offered, not taken
    with pytest.raises(AreaError, match=r"Newcastle-under-Lyme .*Newcastle upon Tyne"):
        datasets.area("Newcastle City Council")


def test_sectors_are_suggested_by_name_and_everyday_words() -> None:
    assert "S94 (Activities Of Membership Organisations)" in datasets.sector_hint("community centre")
    assert datasets.sector_hint("restaurants").startswith(" (did you mean: I56 (Food And Beverage Service")
    assert datasets.sector_hint("Q88").startswith(" (did you mean: Q87 & Q88 (")
    assert datasets.sector_hint("cleaning services").startswith(" (did you mean: N81 (")
    assert datasets.sector_hint("qqqq") == "; list the codes with kil_io.datasets.uk_iot(year).sector_names"
