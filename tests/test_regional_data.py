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
    areas,
    ioat_ioc_concordance,
    local_employment,
    national_employment,
    regional_iot,
    scotland_employment,
    sg_iot,
    uk_iot,
)
from kil_io.errors import DatasetError, MissingDataWarning, RegionError
from kil_io.readers import SG_IOC098

REPO = Path(__file__).resolve().parents[1]
YEARS = range(2015, 2022)
SCOTTISH_ITL2 = ("UKM5", "UKM6", "UKM7", "UKM8", "UKM9")
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


def test_areas_table() -> None:
    table = areas()
    assert list(table.columns) == ["code", "name", "kind", "itl2", "years"]
    assert table["kind"].value_counts().to_dict() == {"local_authority": 13, "itl2": 40}
    assert table["code"].is_unique
    assert table["name"].is_unique
    la = table[table["kind"] == "local_authority"].set_index("name")
    assert la.loc["Calderdale", "code"] == "E08000033"
    west = {"Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"}
    assert set(la.index[la["itl2"] == "UKE4"]) == west
    assert set(la.index[la["itl2"] == "UKE2"]) == {
        "Craven", "Hambleton", "Harrogate", "Richmondshire", "Ryedale", "Scarborough", "Selby", "York",
    }  # fmt: skip
    regions = table[table["kind"] == "itl2"].set_index("code")
    assert regions.loc["UKE4", "name"] == "West Yorkshire"
    assert regions.loc["UKE2", "name"] == "North Yorkshire"
    assert regions["itl2"].isna().all()
    assert (table["years"] == tuple(YEARS)).all()


@pytest.mark.parametrize("kind", ["local_authority", "itl2"])
def test_every_area_and_year_loads(kind: str) -> None:
    for _, row in areas()[lambda t: t["kind"] == kind].iterrows():
        for year in row["years"]:
            incomplete = row["code"] in SCOTTISH_ITL2 and year <= 2017
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                s = local_employment(row["code"], year)
            assert [w.category for w in caught] == ([MissingDataWarning] if incomplete else [])
            assert tuple(s.index) == SECTORS
            assert s.name == row["name"]
            assert s.dtype == np.float64
            assert list(s.index[s.isna()]) == (["A01"] if incomplete else [])
            assert (s.dropna() >= 0).all()
            assert s["L68A"] == 0
            assert s["T97"] == 0
            assert s.sum() > 1000


def test_missing_scottish_agriculture_warns() -> None:
    with pytest.warns(MissingDataWarning, match=r"North Eastern Scotland 2016 is NaN for sectors \['A01'\].*01000"):
        s = local_employment("UKM5", 2016)
    assert np.isnan(s["A01"])
    gb = national_employment(2017)
    assert "A01" in gb.attrs["notes"]
    assert gb.attrs["notes"]["A01"].startswith("estimate: Scotland's farm agriculture (SIC 01000) unpublished")
    # ratio estimate: the other 35 regions' A01 x the 2018 GB/other ratio (data/README.md)
    other = sum(
        local_employment(c, 2017)["A01"] for c in areas().query("kind == 'itl2'")["code"] if c not in SCOTTISH_ITL2
    )
    other_2018 = sum(
        local_employment(c, 2018)["A01"] for c in areas().query("kind == 'itl2'")["code"] if c not in SCOTTISH_ITL2
    )
    assert gb["A01"] == pytest.approx(other * national_employment(2018)["A01"] / other_2018, abs=0.5)
    assert national_employment(2018).attrs["notes"] == {}


def test_local_authority_totals_equal_bres() -> None:
    published = sections()
    codes = areas().set_index("name")["code"]
    for (name, year), total in LA_TOTALS.items():
        assert local_employment(name, year).sum() == pytest.approx(total, abs=1e-6)
        assert published.loc[(codes[name], year)].sum() == total
    for (code, year), row in published.iterrows():
        assert local_employment(code, year).sum() == pytest.approx(row.sum(), abs=1e-6)


def test_calderdale_2015_sections_from_provenance() -> None:
    s = local_employment("Calderdale", 2015)
    for section, total in CALDERDALE_2015.items():
        assert s[[c for c in SECTORS if c[0] == section]].sum() == pytest.approx(total, abs=1e-9)
    assert s[["Q86", "Q87 & Q88"]].sum() == pytest.approx(11_000, abs=1e-9)


def test_section_totals_are_preserved_exactly() -> None:
    """Every authority, year and section: the split industries add up to BRES's section total."""
    published = sections()
    letters = [c[0] for c in SECTORS]
    for (code, year), row in published.iterrows():
        split = local_employment(code, year).groupby(letters).sum()
        assert row["U"] == 0  # extraterritorial bodies: no IOAT industry
        np.testing.assert_allclose(split.to_numpy(), row.drop("U").to_numpy(), rtol=0, atol=1e-9)


def test_local_authority_shares_within_a_section_are_its_regions() -> None:
    la, region = local_employment("Calderdale", 2019), local_employment("West Yorkshire", 2019)
    manufacturing = [c for c in SECTORS if c[0] == "C"]
    np.testing.assert_allclose(
        la[manufacturing] / la[manufacturing].sum(), region[manufacturing] / region[manufacturing].sum(), atol=1e-15
    )


def test_itl2_code_forms_and_names() -> None:
    reference = local_employment("UKE4", 2019)
    for key in ("TLE4", "tle4", "uke4", "West Yorkshire", " west yorkshire "):
        pd.testing.assert_series_equal(local_employment(key, 2019), reference)
    assert reference.name == "West Yorkshire"
    pd.testing.assert_series_equal(local_employment("e08000033", 2019), local_employment("CALDERDALE", 2019))


def test_unknown_area_lists_what_exists() -> None:
    with pytest.raises(DatasetError, match=r"did you mean 'Calderdale'.*13 local authorities and 40 ITL2 regions"):
        local_employment("Calderdal", 2019)
    with pytest.raises(DatasetError, match=r"e\.g\. .*\(E0\d+\).*list them all with kil_io\.datasets\.areas\(\)"):
        local_employment("Atlantis", 2019)
    with pytest.raises(DatasetError, match="'TLZ9'"):
        local_employment("TLZ9", 2019)


def test_unknown_year_lists_the_years() -> None:
    with pytest.raises(DatasetError, match=r"Calderdale in year 2022; available years: 2015-2021"):
        local_employment("Calderdale", 2022)
    with pytest.raises(DatasetError, match=r"year '2019'"):
        local_employment("Calderdale", "2019")  # type: ignore[arg-type]
    with pytest.raises(DatasetError, match=r"Great Britain in year 2014; available years: 2015-2021"):
        national_employment(2014)
    with pytest.raises(DatasetError, match=r"Scotland in year 2021; available years: 2019$"):
        scotland_employment(2021)
    with pytest.raises(DatasetError, match=r"no Scottish Government table for year 2018; available years: \[2019\]"):
        sg_iot(2018)


def test_series_are_fresh_copies() -> None:
    s = local_employment("Leeds", 2019)
    s.iloc[:] = -1.0
    assert (local_employment("Leeds", 2019) >= 0).all()


def test_national_is_the_sum_of_the_itl2_regions() -> None:
    codes = areas().query("kind == 'itl2'")["code"]
    for year in YEARS:
        total = sum(quiet(code, year) for code in codes)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MissingDataWarning)
            gb = national_employment(year)
        assert gb.name == "Great Britain"
        assert tuple(gb.index) == SECTORS
        if year <= 2017:  # Scotland's farm agriculture unpublished: GB A01 is the documented estimate
            assert np.isnan(total["A01"])
            assert "A01" in gb.attrs["notes"]
            gb, total = gb.drop("A01"), total.drop("A01")
        pd.testing.assert_series_equal(gb, total.rename("Great Britain"))
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


def test_every_local_area_is_smaller_than_its_region_and_the_nation() -> None:
    gb = national_employment(2019)
    for _, row in areas().iterrows():
        s = local_employment(row["code"], 2019)
        assert (s <= gb).all()
        if row["kind"] == "local_authority":
            assert s.sum() < local_employment(row["itl2"], 2019).sum()


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
def test_every_area_has_a_regional_table() -> None:
    for _, row in areas().iterrows():
        t = regional_iot(row["code"], 2021)
        assert t.area == row["name"]
        assert t.year == 2021
        assert t.metadata["national_table"] == "UK 2022"
        assert t.metadata["area_code"] == row["code"]
        assert 0 < t.output.sum() < uk_iot(2022).output.sum()


def test_calderdale_by_name_and_code_and_methods() -> None:
    by_name = regional_iot("Calderdale", 2021)
    assert regional_iot("e08000033", 2021) is by_name  # cached, case-insensitive code
    assert by_name.metadata["method"] == "flq"
    assert by_name.metadata["delta"] == 0.3
    cilq = regional_iot("Calderdale", 2021, method="cilq")
    assert cilq.metadata["delta"] is None
    assert (by_name.A <= cilq.A + 1e-15).all()  # FLQ shrinks a small region's coefficients further
    assert regional_iot("Calderdale", 2019).metadata["national_table"] == "UK 2019"
    assert regional_iot("Calderdale", 2019, national_year=2022).metadata["national_table"] == "UK 2022"


def test_regional_table_needs_published_employment() -> None:
    with pytest.raises(DatasetError, match=r"North Eastern Scotland 2016: employment unpublished for \['A01'\]"):
        regional_iot("UKM5", 2016)
    with pytest.raises(DatasetError, match="available years: 2015-2021"):
        regional_iot("Calderdale", 2030)
    with pytest.raises(RegionError, match="delta must be"):
        regional_iot("Calderdale", 2021, delta=1.5)
