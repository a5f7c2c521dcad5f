"""Tests of the regional data in data/: BRES employment by IOAT industry, the SG 2019 table, the concordance."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kil_io import IOTable
from kil_io.datasets import (
    DATA_ENV,
    area,
    areas,
    ioat_ioc_concordance,
    local_employment,
    national_employment,
    regional_iot,
    scotland_employment,
    sg_iot,
    uk_iot,
)
from kil_io.datasets.employment import _employment_row
from kil_io.errors import AreaError, DatasetError, MissingDataWarning, RegionError
from kil_io.readers import SG_IOC098

REPO = Path(__file__).resolve().parents[1]
YEARS = range(2015, 2022)
SCOTTISH_ITL2 = ("UKM5", "UKM6", "UKM7", "UKM8", "UKM9")
WEST_YORKSHIRE = ("Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield")
SECTORS = uk_iot(2019).sectors
#: Nomis BRES open access, local authority by SIC section (data-raw/nomis-bres-wny-la/bres.csv, employment
#: status 4 "Employment", count): Calderdale (E08000033) 2015 C = 14,000, Q = 11,000 (also in
#: PROVENANCE.md); totals over sections A-U: Calderdale 2015 100,415 and 2021 92,605, Leeds 2019 475,375.
CALDERDALE_2015 = {"C": 14_000, "Q": 11_000}
LA_TOTALS = {("Calderdale", 2015): 100_415, ("Calderdale", 2021): 92_605, ("Leeds", 2019): 475_375}
#: Scottish Government IxI_wide.xlsx, year 2019, row TOut, column TOT_IU: total output, £m.
SG_2019_OUTPUT = 268_339.618882
#: Nomis BRES 2021 Great Britain "Employment" at the IOAT SIC levels (gva-model/bres IOAT sic levels.csv),
#: summed over the 152 codes; and Nomis BRES 2019 Scotland 5-digit "Employment" (gva-model/bres2019scotland.csv).
NOMIS_GB_2021, NOMIS_SCOTLAND_2019 = 31_362_500, 2_601_890


@pytest.fixture(autouse=True)
def shipped_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_ENV, raising=False)


def quiet(area: str, year: int) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingDataWarning)
        return local_employment(area, year)


def sections() -> pd.DataFrame:
    return pd.read_csv(REPO / "data" / "bres_la_sections.csv", index_col=["area", "year"])


def itl2_2021() -> list[str]:
    """The 40 ITL 2021 ITL2 regions with their own 5-digit BRES (NUTS 2016 codes)."""
    codes = areas(["itl2", "itl2_2021"])["code"]
    return sorted({area(c).bres_region for c in codes} - {""})


def test_the_forty_itl2_regions_with_5_digit_bres() -> None:
    regions = itl2_2021()
    assert len(regions) == 40
    assert set(SCOTTISH_ITL2) <= set(regions)
    assert area("UKE4").name == area("TLE4").name == "West Yorkshire"
    assert set(area("West Yorkshire").members) == {area(n).code for n in WEST_YORKSHIRE}


@pytest.mark.parametrize("region", ["UKE4", "UKI3", "UKM5", "UKL1"])
def test_itl2_regions_load_their_own_bres(region: str) -> None:
    for year in YEARS:
        incomplete = region in SCOTTISH_ITL2 and year <= 2017
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            s = local_employment(region, year)
        assert [w.category for w in caught] == []
        assert tuple(s.index) == SECTORS
        assert s.dtype == np.float64
        assert not s.isna().any()
        # an unpublished count (Scotland's farms, 2015-2017) makes the region fall back to its authorities
        assert s.attrs["basis_key"] == ("authorities" if incomplete else "itl2")
        assert s["L68A"] == 0
        assert s["T97"] == 0
        assert s.sum() > 1000


def test_missing_scottish_agriculture_warns() -> None:
    with pytest.warns(MissingDataWarning, match=r"North Eastern Scotland 2016 is NaN for sectors \['A01'\].*01000"):
        s = _employment_row(str(REPO / "data"), "itl2", "UKM5", "North Eastern Scotland", 2016)
    assert np.isnan(s["A01"])
    gb = national_employment(2017)
    assert "A01" in gb.attrs["notes"]
    assert gb.attrs["notes"]["A01"].startswith("estimate: Scotland's farm agriculture (SIC 01000) unpublished")
    # ratio estimate: the other 35 regions' A01 x the 2018 GB/other ratio (data/README.md)
    other = sum(local_employment(c, 2017)["A01"] for c in itl2_2021() if c not in SCOTTISH_ITL2)
    other_2018 = sum(local_employment(c, 2018)["A01"] for c in itl2_2021() if c not in SCOTTISH_ITL2)
    assert gb["A01"] == pytest.approx(other * national_employment(2018)["A01"] / other_2018, abs=0.5)
    assert national_employment(2018).attrs["notes"] == {}


def test_authorities_by_division_against_their_published_section_totals() -> None:
    """Divisions (Nomis rounds each) against sections (rounded too) for the unchanged authorities, 2015-2016.

    Both are BRES as published; they differ by Nomis's rounding only: totals within 1%, and each
    section of more than 5,000 jobs within 6%.
    """
    published = sections()
    letters = [c[0] for c in SECTORS]
    for name in (*WEST_YORKSHIRE, "York"):
        code = area(name).code
        for year in (2015, 2016):
            row = published.loc[(code, year)]
            assert row["U"] == 0  # extraterritorial bodies: no IOAT industry
            mine = local_employment(code, year).groupby(letters).sum()
            assert abs(mine.sum() / row.sum() - 1) < 0.01, (name, year)
            # sections of 5,000+ are published to the nearest 500 or 1,000 (Bradford K 2016: 7,000; 8,000 by division)
            big = row.drop("U")[row.drop("U") > 5000]
            assert ((mine[big.index] - big).abs() <= 1000 + 0.03 * big).all(), (name, year)
    for (name, year), total in LA_TOTALS.items():
        assert published.loc[(area(name).code, year)].sum() == total


def test_calderdale_2015_sections_from_provenance() -> None:
    s = local_employment("Calderdale", 2015)
    for section, total in CALDERDALE_2015.items():  # section-level BRES; divisions add up within rounding
        assert s[[c for c in SECTORS if c[0] == section]].sum() == pytest.approx(total, rel=0.025)
    assert s[["Q86", "Q87 & Q88"]].sum() == pytest.approx(11_000, rel=0.025)


def test_itl2_code_forms_and_names() -> None:
    reference = local_employment("UKE4", 2019)
    for key in ("TLE4", "tle4", "uke4", "West Yorkshire", " west yorkshire "):
        pd.testing.assert_series_equal(local_employment(key, 2019), reference)
    assert reference.name == "West Yorkshire"
    pd.testing.assert_series_equal(local_employment("e08000033", 2019), local_employment("CALDERDALE", 2019))


def test_unknown_area_lists_what_exists() -> None:
    with pytest.raises(AreaError, match=r"did you mean: Calderdale \(E08000033, local authority\)"):
        local_employment("Calderdal", 2019)
    with pytest.raises(AreaError, match=r"unknown area 'Atlantis'.*kil_io\.datasets\.areas\(\)"):
        local_employment("Atlantis", 2019)
    with pytest.raises(DatasetError, match="'TLZ9'"):
        local_employment("TLZ9", 2019)


def test_unknown_year_lists_the_years() -> None:
    with pytest.raises(AreaError, match=r"Calderdale in year 2023; available years: 2015-2022"):
        local_employment("Calderdale", 2023)
    with pytest.raises(DatasetError, match=r"year '2019'"):
        local_employment("Calderdale", "2019")  # type: ignore[arg-type]
    with pytest.raises(DatasetError, match=r"Great Britain in year 2014; available years: 2015-2021"):
        national_employment(2014)
    with pytest.raises(DatasetError, match=r"Scotland in year 2021; available years: 2019$"):
        scotland_employment(2021)
    with pytest.raises(DatasetError, match=r"no Scottish Government table for year 2018; available years: \[2019\]"):
        sg_iot(2018)


def test_series_are_fresh_copies() -> None:
    for where in ("Leeds", "UKE4"):
        s = local_employment(where, 2019)
        s.iloc[:] = -1.0
        assert (local_employment(where, 2019) >= 0).all()


def test_national_is_the_sum_of_the_itl2_regions() -> None:
    codes = itl2_2021()
    for year in YEARS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MissingDataWarning)
            total = sum(_employment_row(str(REPO / "data"), "itl2", c, c, year) for c in codes)
            gb = national_employment(year)
        assert gb.name == "Great Britain"
        assert tuple(gb.index) == SECTORS
        if year <= 2017:  # Scotland's farm agriculture unpublished: GB A01 is the documented estimate
            assert np.isnan(total["A01"])
            assert "A01" in gb.attrs["notes"]
            gb, total = gb.drop("A01"), total.drop("A01")
        pd.testing.assert_series_equal(gb, total.rename("Great Britain"), check_names=False)
    gb = national_employment(2021)
    assert gb.sum() == 31_366_000
    # rounding: Nomis rounds each published cell, so sums of finer cells differ a little (data/README.md)
    assert abs(gb.sum() - NOMIS_GB_2021) / NOMIS_GB_2021 < 2e-4


def test_scotland_2019() -> None:
    s = scotland_employment()
    assert s.name == "Scotland"
    assert tuple(s.index) == SECTORS
    assert s.sum() == NOMIS_SCOTLAND_2019
    itl2 = sum(local_employment(code, 2019) for code in SCOTTISH_ITL2)
    assert itl2.sum() == 2_597_795
    assert abs(itl2.sum() - s.sum()) / s.sum() < 2e-3


def test_sg_table() -> None:
    table = sg_iot()
    assert isinstance(table, IOTable)
    assert table is sg_iot(2019)
    assert (table.n, table.area, table.year, table.units) == (98, "Scotland", 2019, "£m")
    assert table.sectors == tuple(SG_IOC098)
    assert table.names[:2] == ("Agriculture", "Forestry planting")
    assert table.output.sum() == pytest.approx(SG_2019_OUTPUT, abs=1e-6)
    assert table.final_demand_labels == (
        "households", "npish", "government_central", "government_local", "gfcf", "valuables", "inventories",
        "exports_non_residents", "exports_rest_of_uk", "exports_rest_of_world",
    )  # fmt: skip
    assert set(table.primary_input_labels) == {
        "imports_rest_of_uk", "imports", "product_taxes", "production_taxes", "compensation_of_employees",
        "gross_operating_surplus",
    }  # fmt: skip
    assert table.balance_rtol == 2e-5
    x = table.output
    rows = table.Z.sum(axis=1) + table.final_demand.sum(axis=1) - x
    cols = table.Z.sum(axis=0) + table.primary_inputs.sum(axis=0) - x
    assert np.abs(cols).max() < 1e-9
    worst = int(np.argmax(np.abs(rows)))
    # SG's own imbalance, documented in data/README.md: row 06-08 total use exceeds output by £0.001445m
    assert table.sectors[worst] == "IOC098_007"
    assert rows[worst] == pytest.approx(0.001445, abs=1e-6)
    assert table.metadata["publisher"] == "Scottish Government"
    assert table.employment is None


def test_concordance_covers_each_code_once() -> None:
    c = ioat_ioc_concordance()
    assert list(c.columns) == ["classification", "code", "name", "sic_classes", "common", "common_name"]
    ioat, ioc = c[c["classification"] == "ioat"], c[c["classification"] == "ioc098"]
    assert tuple(ioat["code"]) == SECTORS
    assert tuple(ioc["code"]) == sg_iot().sectors
    assert len(c) == 105 + 98
    assert c["code"].is_unique
    assert c["common"].nunique() == 94
    both = c.groupby("common")["classification"].nunique()
    assert (both == 2).all()  # every common sector has industries on both sides
    # the common sector is named by its IOAT codes
    for common, group in ioat.groupby("common"):
        assert common == " + ".join(group["code"])
    common = c.set_index("code")["common"]
    assert common["L68A"] == common["IOC098_071"] == "L68A"  # imputed rent, linked by definition
    assert common["C19"] == common["C20B"] == common["IOC098_026"] == "C19 + C20B"
    assert common["IOC098_016"] == common["IOC098_019"] == "C1101T1106 & C12"
    assert (c.loc[~c["code"].isin(["L68A", "IOC098_071"]), "sic_classes"] > 0).all()


def test_aggregated_tables_share_the_common_sectors() -> None:
    c = ioat_ioc_concordance()
    uk = c[c["classification"] == "ioat"].set_index("code")["common"]
    sg = c[c["classification"] == "ioc098"].set_index("code")["common"]
    assert set(uk) == set(sg)
    output = pd.Series(sg_iot().output, index=sg_iot().sectors).groupby(sg).sum()
    assert output.sum() == pytest.approx(SG_2019_OUTPUT, abs=1e-6)


# ---------------------------------------------------------------------- regional tables from the shipped data
def test_an_area_of_every_kind_has_a_regional_table() -> None:
    table = areas()
    table = table[table["nation"] != "N92000002"].drop_duplicates("kind")
    assert len(table) == 7
    for _, row in table.iterrows():
        t = regional_iot(row["code"], 2021)
        assert t.area == row["name"]
        assert t.year == 2021
        assert t.metadata["national_table"] == "UK 2023"  # the latest shipped table, for every employment year
        assert t.metadata["area_code"] == row["code"]
        assert 0 < t.output.sum() < uk_iot(2023).output.sum()


def test_calderdale_by_name_and_code_and_methods() -> None:
    by_name = regional_iot("Calderdale", 2021)
    assert regional_iot("e08000033", 2021) is by_name  # cached, case-insensitive code
    assert by_name.metadata["method"] == "flq"
    assert by_name.metadata["delta"] == 0.225
    cilq = regional_iot("Calderdale", 2021, method="cilq")
    assert cilq.metadata["delta"] is None
    # FLQ shrinks a small region's coefficients further, but in the rows the supply constraint scaled down
    # (CILQ buys more locally, so more of its rows meet the area's output levels; data/README.md)
    free = [i for i, s in enumerate(cilq.sectors) if s not in cilq.metadata["supply_capped"]]
    assert len(free) > 90
    assert (by_name.A[free] <= cilq.A[free] + 1e-15).all()
    assert regional_iot("Calderdale", 2019).metadata["national_table"] == "UK 2023"
    assert regional_iot("Calderdale", 2019, national_year=2019).metadata["national_table"] == "UK 2019"


def test_regional_table_needs_published_employment() -> None:
    # Scotland's farm count is unpublished at ITL2 in 2016: the region is the sum of its authorities then
    assert regional_iot("UKM5", 2016).metadata["employment_basis"].startswith("BRES open access employment by SIC")
    assert regional_iot("UKM5", 2019).metadata["employment_basis"].startswith("BRES open access employment at 5-d")
    with pytest.raises(AreaError, match="available years: 2015-2022"):
        regional_iot("Calderdale", 2030)
    with pytest.raises(AreaError, match=r"Northern Ireland.*BRES.*covers Great Britain only"):
        regional_iot("Belfast", 2021)
    with pytest.raises(AreaError, match="whole of Great Britain"):
        regional_iot("Great Britain", 2021)
    with pytest.raises(RegionError, match="delta must be"):
        regional_iot("Calderdale", 2021, delta=1.5)
