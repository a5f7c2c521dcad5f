"""Every table used for an impact or multipliers is checked once for magnitudes no economy has (kil_io.model.units)."""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import pytest

import kil_io
from kil_io import IOTable, datasets
from kil_io.errors import ImplausibleValueWarning
from kil_io.model import units
from kil_io.model.units import implausible_magnitudes
from kil_io.readers.tablecsv import read_table_csv, write_table_csv


@pytest.fixture(scope="module")
def calderdale() -> IOTable:
    return datasets.regional_iot("Calderdale", 2021)


def _scaled(table: IOTable, factor: float) -> IOTable:
    """The table with every money figure ``factor`` times larger, its unit label and jobs unchanged."""
    return dataclasses.replace(
        table, Z=table.Z * factor, final_demand=table.final_demand * factor, output=table.output * factor,
        primary_inputs=table.primary_inputs * factor,
        household_income=None if table.household_income is None else table.household_income * factor,
    )  # fmt: skip


def test_a_table_file_in_pounds_m_labelled_pounds_warns_at_the_impact(calderdale: IOTable, tmp_path: Path) -> None:
    # the file's header said units: "£" over £m: Jubilee's 15.7 FTE became 3,714,516, silently
    path = write_table_csv(dataclasses.replace(calderdale, units="£"), tmp_path / "t.csv")
    table = read_table_csv(path)
    case = kil_io.case_study("jubilee_childrens_centre")
    with pytest.warns(ImplausibleValueWarning, match=r"in £\): 5\.49e\+06 FTE per £1m of output.*flows are in £m rath"):
        kil_io.organisation_impact(case, table)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        kil_io.organisation_impact(case, table)  # the same table: checked once, not at every use
        kil_io.multipliers(table)
    assert not [w for w in seen if issubclass(w.category, ImplausibleValueWarning)]


@pytest.mark.filterwarnings("ignore::kil_io.ZeroOutputWarning")  # Calderdale's NaN rows, said elsewhere
@pytest.mark.parametrize(
    ("factor", "slip"),
    [
        (1e6, r"5\.49e-06 FTE per £1m .*flows are in £ rather than £m.*£4\.877e\+10 of compensation of employees"),
        (1e3, r"0\.00549 FTE per £1m .*flows are in £k rather than £m, or the employment is in thousands of FTE"),
        (1e300, r"5\.49e-300 FTE per £1m .*flows are 1e300 times too large, or the employment is 1e300 times too"),
        (1e-6, r"5\.49e\+06 FTE per £1m .*flows are 1,000,000 times too small, or the employment is 1,000,000"),
    ],
)
def test_flows_in_the_wrong_unit_warn_at_the_multipliers_naming_the_slip(
    calderdale: IOTable, factor: float, slip: str
) -> None:
    # x1e6 gave 1.5e-8 FTE per £1m of demand and x1e300 0.0, silently
    with pytest.warns(ImplausibleValueWarning, match=slip):
        kil_io.multipliers(_scaled(calderdale, factor), "type_i")


def test_employment_in_thousands_and_pay_alone_are_named(calderdale: IOTable) -> None:
    thousands = dataclasses.replace(calderdale, employment=calderdale.employment / 1000)
    assert "employment is in thousands of FTE" in implausible_magnitudes(thousands)[0]
    coe = list(calderdale.primary_input_labels).index("compensation_of_employees")
    pay = calderdale.primary_inputs.copy()
    pay[coe] *= 1000  # a row in £k among flows in £m: FTE per £1m is fine, pay per FTE is not
    moved = pay[coe] - calderdale.primary_inputs[coe]
    pay[list(calderdale.primary_input_labels).index("gross_operating_surplus")] -= moved  # still balances
    found = implausible_magnitudes(dataclasses.replace(calderdale, primary_inputs=pay))
    assert len(found) == 1
    assert found[0].startswith("£4.877e+07 of compensation of employees per FTE")


def test_tables_in_another_unit_and_without_employment_are_not_checked(calderdale: IOTable) -> None:
    assert implausible_magnitudes(dataclasses.replace(_scaled(calderdale, 1e6), units="$m")) == []
    assert implausible_magnitudes(dataclasses.replace(_scaled(calderdale, 1e6), employment=None)) == []


def test_shipped_tables_lie_in_the_bands_their_sources_give() -> None:
    # the figures units.py documents the bands with: UK tables and the extreme local areas of 2021
    low, high = units.FTE_PER_1M_OUTPUT
    pay_low, pay_high = units.PAY_PER_FTE
    for year, per_m, pay in ((2019, 7.41, 38_486), (2020, 7.83, 38_723), (2022, 6.27, 43_632), (2023, 5.91, 46_657)):
        table = datasets.uk_iot(year)
        assert implausible_magnitudes(table) == []
        got = table.employment.sum() / table.output.sum()
        assert got == pytest.approx(per_m, abs=0.01)
        assert low * 10 < got < high / 10
        got = table.primary_input("compensation_of_employees").sum() * 1e6 / table.employment.sum()
        assert got == pytest.approx(pay, rel=1e-3)
        assert pay_low * 5 < got < pay_high / 5
    for area, per_m in (("North Lincolnshire", 3.28), ("Blackpool", 8.04), ("City of London", 4.58)):
        table = datasets.regional_iot(area, 2021)
        assert implausible_magnitudes(table) == []
        assert table.employment.sum() / table.output.sum() == pytest.approx(per_m, abs=0.01)
