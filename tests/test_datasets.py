"""Tests of kil_io.datasets: the shipped UK tables and employment, and the script that builds them."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kil_io
from kil_io import technical_coefficients
from kil_io.datasets import DATA_ENV, available_years, data_dir, uk_employment, uk_iot
from kil_io.errors import DatasetError, NegativeFlowError

REPO = Path(__file__).resolve().parents[1]
RAW = Path(__file__).resolve().parents[2] / "shared" / "data-raw"
FIXTURE_A = Path(__file__).resolve().parent / "fixtures" / "ons_iot_2022_A.csv"
YEARS = (2019, 2020, 2022, 2023)
#: Industries of each table: ONS's 2023 edition combines C254 and C25OTHER into C25 (its Menu sheet, note 3).
INDUSTRIES = {2019: 105, 2020: 105, 2022: 105, 2023: 104}
# ONS's published 2022 totals (PROVENANCE.md), £m; compared to 1 £m.
PUBLISHED_2022 = {"output": 4_548_357, "gva": 2_266_082, "income": 1_243_584}


@pytest.fixture(autouse=True)
def shipped_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read the shipped data/ whatever the caller's environment says."""
    monkeypatch.delenv(DATA_ENV, raising=False)


def test_available_years() -> None:
    assert available_years() == YEARS
    assert data_dir() == Path(kil_io.__file__).resolve().parent.parent / "data"


@pytest.mark.parametrize("year", YEARS)
def test_every_year_loads_with_employment(year: int) -> None:
    table = uk_iot(year)
    assert (table.n, table.area, table.year, table.units) == (INDUSTRIES[year], "UK", year, "£m")
    assert table.source.lower().startswith("ons uk input-output analytical tables")
    assert str(year) in table.source
    assert (table.sectors[0], table.sectors[-1]) == ("A01", "T97")
    assert table.employment is not None
    assert (table.employment >= 0).all()
    assert 25e6 < table.employment.sum() < 32e6  # UK FTE, employees and self-employed
    np.testing.assert_array_equal(table.employment, uk_employment(year).to_numpy())
    assert (
        "Labour Force Survey" in table.metadata["employment"] or "LFS-based FTE of 2022" in table.metadata["employment"]
    )
    assert table.metadata["publisher"] == "Office for National Statistics (ONS)"
    assert table.household_income is not None


def test_tables_are_cached() -> None:
    assert uk_iot(2022) is uk_iot(2022)


def test_published_2022_totals() -> None:
    table = uk_iot(2022)
    assert table.output.sum() == pytest.approx(PUBLISHED_2022["output"], abs=1)
    assert table.gva.sum() == pytest.approx(PUBLISHED_2022["gva"], abs=1)
    assert table.income.sum() == pytest.approx(PUBLISHED_2022["income"], abs=1)


def test_technical_coefficients_equal_onss_published_A() -> None:
    """ONS 2022 IOAT sheet A, 105 x 105 industry block, written by scripts/build_data.py; tolerance 1e-12."""
    published = pd.read_csv(FIXTURE_A, comment="#", index_col=0, dtype={"sector": str})
    table = uk_iot(2022)
    assert tuple(published.index) == tuple(published.columns) == table.sectors
    np.testing.assert_allclose(table.A, published.to_numpy(dtype=np.float64), rtol=0, atol=1e-12)
    A = technical_coefficients(table.Z, table.output)
    np.testing.assert_allclose(A, published.to_numpy(dtype=np.float64), rtol=0, atol=1e-12)


def test_unknown_year_lists_the_years() -> None:
    with pytest.raises(DatasetError, match=r"year 2021; available years: 2019, 2020, 2022, 2023"):
        uk_iot(2021)
    with pytest.raises(DatasetError, match=r"year '2022'; available years: 2019, 2020, 2022, 2023"):
        uk_iot("2022")  # type: ignore[arg-type]


def test_employment_years_and_codes() -> None:
    for year in range(2017, 2023):
        fte = uk_employment(year)
        assert tuple(fte.index) == uk_iot(2022).sectors
        assert fte.name == "employment_fte"
        assert fte.sum() > 25e6
    with pytest.raises(DatasetError, match="available years: 2017, 2018, 2019, 2020, 2021, 2022, 2023"):
        uk_employment(2016)
    assert tuple(uk_employment(2023).index) == uk_iot(2023).sectors


def test_employment_is_a_fresh_copy() -> None:
    fte = uk_employment(2022)
    fte.iloc[:] = -1.0
    assert (uk_employment(2022) >= 0).all()


def test_known_quirks_of_the_employment_data() -> None:
    """Documented in data/README.md: LFS puts no one in coal mining in 2022; imputed rent employs no one."""
    assert uk_employment(2022)["B05"] == 0
    for year in available_years():
        table = uk_iot(year)
        i = table.sectors.index("L68A")
        assert table.income[i] == 0
        assert table.employment[i] == 0  # type: ignore[index]
        # its LFS jobs were moved to renting and operating real estate, which pays its staff
        assert table.employment[table.sectors.index("L68BXL683")] > 1e5  # type: ignore[index]


def copy_data(tmp_path: Path, years: tuple[int, ...]) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for year in years:
        shutil.copy(REPO / "data" / f"uk_iot_{year}.csv", folder)
    shutil.copy(REPO / "data" / "uk_employment_fte.csv", folder)
    return folder


def test_data_folder_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_ENV, str(copy_data(tmp_path, (2022,))))
    assert available_years() == (2022,)
    assert uk_iot(2022).n == 105
    with pytest.raises(DatasetError, match=r"available years: 2022$"):
        uk_iot(2019)
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "missing"))
    with pytest.raises(DatasetError, match=f"data folder .*missing not found.*set {DATA_ENV}"):
        available_years()


def test_table_without_employment_for_its_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_data(tmp_path, (2022,))
    employment = pd.read_csv(folder / "uk_employment_fte.csv", dtype=str, keep_default_na=False)
    employment.drop(columns="fte_2022").to_csv(folder / "uk_employment_fte.csv", index=False)
    monkeypatch.setenv(DATA_ENV, str(folder))
    with pytest.raises(DatasetError, match="UK table 2022 has no employment"):
        uk_iot(2022)


def test_negative_employment_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_data(tmp_path, (2022,))
    employment = pd.read_csv(folder / "uk_employment_fte.csv", dtype=str, keep_default_na=False)
    employment.loc[employment["code"] == "C13", "fte_2022"] = "-5"
    employment.to_csv(folder / "uk_employment_fte.csv", index=False)
    monkeypatch.setenv(DATA_ENV, str(folder))
    with pytest.raises(NegativeFlowError, match=r"row 'C13', column 'fte_2022'\) is -5.0; FTE must be a non-negative"):
        uk_employment(2022)


def test_readme_describes_every_data_file() -> None:
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    for path in (REPO / "data").iterdir():
        if path.name != "README.md":
            assert f"`{path.name}`" in readme, path.name
    assert "Contains public sector information licensed under the Open Government Licence v3.0." in readme


@pytest.mark.skipif(not RAW.is_dir(), reason=f"raw files not present at {RAW} (../shared/data-raw)")
@pytest.mark.skipif(importlib.util.find_spec("rdata") is None, reason="rdata not installed (pip install -e .[data])")
def test_build_script_reproduces_data_byte_for_byte(tmp_path: Path) -> None:
    out, fixtures = tmp_path / "data", tmp_path / "fixtures"
    cmd = [sys.executable, str(REPO / "scripts" / "build_data.py"), "--raw", str(RAW)]
    subprocess.run([*cmd, "--out", str(out), "--fixtures", str(fixtures)], check=True, capture_output=True, timeout=150)
    built = sorted(p.name for p in out.iterdir())
    shipped = sorted(p.name for p in (REPO / "data").iterdir() if p.is_file() and p.name != "README.md")
    assert built == shipped
    for name in built:
        assert (out / name).read_bytes() == (REPO / "data" / name).read_bytes(), name
    assert (fixtures / FIXTURE_A.name).read_bytes() == FIXTURE_A.read_bytes()


# ---------------------------------------------------------------------- 2023: the latest table, and what it estimates
def test_2023_is_the_default_national_year() -> None:
    """Users under scrutiny are expected to use the latest data: every employment year uses 2023's table."""
    assert [kil_io.datasets.national_year_for(y) for y in (2015, 2019, 2021, 2022)] == [2023] * 4
    local = kil_io.datasets.regional_iot("Calderdale", 2021)
    assert local.metadata["national_table"] == "UK 2023"
    assert local.n == 104


def test_2023_fte_and_household_income_are_estimates_said_so() -> None:
    table = uk_iot(2023)
    fte, fte_2022 = uk_employment(2023), uk_employment(2022)
    assert fte.attrs["source"].startswith("estimate: no UK FTE by IOAT industry for 2023")
    assert "estimate" in table.metadata["employment"]
    # 2022's FTE carried unchanged, the two fabricated-metal industries summed into C25
    assert fte["C25"] == fte_2022["C254"] + fte_2022["C25OTHER"]
    assert fte.drop("C25").equals(fte_2022.drop(["C254", "C25OTHER"]).rename("employment_fte"))
    source = table.metadata["household_income_source"]
    assert source.startswith("estimate: no UK household accounts for 2023")
    # ONS GDHI accounts: UK households' total resources 2022 £2,332,737m (data/household_accounts_lad.csv);
    # grown as the tables' compensation of employees, £1,243,584m (2022) -> £1,329,778m (2023, ONS P1 sheet D1)
    assert table.household_income == pytest.approx(2_332_737 * 1_329_778 / 1_243_584, rel=1e-9)


def test_2022_on_the_104_industries_of_2023() -> None:
    """A 2022 case can run on 2023's industries: aggregation keeps every total."""
    old, new = uk_iot(2022), uk_iot(2023)
    mapping = kil_io.datasets.sector_mapping(old, new)
    assert mapping["C254"] == mapping["C25OTHER"] == "C25"
    assert sum(code != group for code, group in mapping.items()) == 2
    on_104 = kil_io.model.aggregate(old, mapping, names=dict(zip(new.sectors, new.names, strict=True)))
    assert on_104.sectors == new.sectors
    np.testing.assert_allclose(on_104.output.sum(), old.output.sum(), rtol=1e-15)
    np.testing.assert_allclose(on_104.employment.sum(), old.employment.sum(), rtol=1e-15)  # type: ignore[union-attr]
    with pytest.raises(kil_io.LabelError, match=r"sectors \['C25'\] are neither in the target list"):
        kil_io.datasets.sector_mapping(new, old)


def test_regional_2023_sums_bres_c254_and_c25other() -> None:
    """BRES counts the 105 industries; on 2023's table C25's local jobs are C254's plus C25OTHER's."""
    bres = kil_io.datasets.local_employment("Calderdale", 2021)
    on_2022 = kil_io.datasets.regional_iot("Calderdale", 2021, national_year=2022, output="employment")
    on_2023 = kil_io.datasets.regional_iot("Calderdale", 2021, output="employment")
    assert "C25" not in bres.index  # BRES itself stays on the 105 industries
    i22 = [on_2022.sectors.index(c) for c in ("C254", "C25OTHER")]
    # equal productivity: regional output = national output x local / GB jobs, by industry
    gb = kil_io.datasets.national_employment(2021, area=kil_io.datasets.area("Calderdale"))
    share = (bres["C254"] + bres["C25OTHER"]) / (gb["C254"] + gb["C25OTHER"])
    assert on_2023.output[on_2023.sectors.index("C25")] == pytest.approx(
        share * uk_iot(2023).output[uk_iot(2023).sectors.index("C25")], rel=1e-12
    )
    assert on_2022.output[i22].sum() > 0
