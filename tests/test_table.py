"""IOTable validation: every bad input gets a specific error naming the sector and the value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from examples import miller_blair_frames

from kil_io import BalanceError, IOTable, LabelError, NegativeFlowError, NonNumericError, TableError, ZeroOutputError


def frames(**changes: object) -> dict[str, object]:
    base: dict[str, object] = dict(miller_blair_frames())
    base.update(changes)
    return base


def test_builds_and_keeps_labels(mb_table: IOTable) -> None:
    assert mb_table.sectors == ("1", "2")
    np.testing.assert_array_equal(mb_table.output, [1000.0, 2000.0])
    np.testing.assert_array_equal(mb_table.gva, [650.0, 1400.0])
    np.testing.assert_array_equal(mb_table.income, [400.0, 1000.0])
    np.testing.assert_array_equal(mb_table.households, [200.0, 500.0])
    assert "Miller & Blair" in repr(mb_table)


def test_arrays_are_read_only(mb_table: IOTable) -> None:
    with pytest.raises(ValueError, match="read-only"):
        mb_table.Z[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        mb_table.A[0, 0] = 1.0
    with pytest.raises(AttributeError):
        mb_table.area = "elsewhere"  # type: ignore[misc]


def test_round_trip_through_frames(mb_table: IOTable) -> None:
    again = IOTable.from_frames(**{k: v for k, v in mb_table.to_frames().items()}, area="again")
    np.testing.assert_array_equal(again.Z, mb_table.Z)
    np.testing.assert_array_equal(again.employment, mb_table.employment)


def test_names_kept() -> None:
    t = IOTable.from_frames(**frames(), names={"1": "Farming", "2": "Making"})
    assert t.names == ("Farming", "Making")
    with pytest.raises(LabelError, match=r"no name for sectors \['2'\]"):
        IOTable.from_frames(**frames(), names={"1": "Farming"})


def test_column_imbalance_names_sector() -> None:
    f = frames()
    pi = f["primary_inputs"].copy()
    pi.loc["gross_operating_surplus", "2"] += 5.0
    with pytest.raises(BalanceError, match=r"column '2' does not balance.*2005.*2000"):
        IOTable.from_frames(**frames(primary_inputs=pi))


def test_row_imbalance_against_published_output() -> None:
    with pytest.raises(BalanceError, match=r"row '1' does not balance.*1000.*1010"):
        IOTable.from_frames(**frames(output=pd.Series([1010.0, 2000.0], index=["1", "2"])))


def test_small_rounding_gap_accepted_and_tolerance_stated() -> None:
    pi = miller_blair_frames()["primary_inputs"].copy()
    pi.loc["gross_operating_surplus", "2"] += 2000.0 * 1e-7
    IOTable.from_frames(**frames(primary_inputs=pi))
    pi.loc["gross_operating_surplus", "2"] += 2000.0 * 1e-5
    with pytest.raises(BalanceError, match="tolerance 1e-06 of output"):
        IOTable.from_frames(**frames(primary_inputs=pi))


def test_negative_flow_names_cell() -> None:
    Z = miller_blair_frames()["Z"].copy()
    Z.loc["2", "1"] = -200.0
    fd = miller_blair_frames()["final_demand"].copy()
    fd.loc["2", "exports"] += 400.0  # keep the row total, so only the sign is wrong
    pi = miller_blair_frames()["primary_inputs"].copy()
    pi.loc["gross_operating_surplus", "1"] += 400.0
    with pytest.raises(NegativeFlowError, match=r"supplier '2', buyer '1'.*-200.*negative_flows='exclude' keeps it"):
        IOTable.from_frames(**frames(Z=Z, final_demand=fd, primary_inputs=pi), negative_flows="raise")
    # the default reads it as ONS does: the buyer stays in the table, outside the Leontief system
    assert IOTable.from_frames(**frames(Z=Z, final_demand=fd, primary_inputs=pi)).excluded == ("1",)


def test_negative_employment() -> None:
    with pytest.raises(NegativeFlowError, match=r"employment sector '2' is -12 FTE"):
        IOTable.from_frames(**frames(employment=pd.Series([8.0, -12.0], index=["1", "2"])))


@pytest.mark.parametrize("bad", [np.nan, np.inf, "n/a"])
def test_non_numeric_cell_named(bad: object) -> None:
    Z = miller_blair_frames()["Z"].astype(object)
    Z.loc["1", "2"] = bad
    with pytest.raises(NonNumericError, match=r"'1'.*'2'"):
        IOTable.from_frames(**frames(Z=Z))


def test_non_numeric_final_demand_named() -> None:
    fd = miller_blair_frames()["final_demand"].astype(object)
    fd.loc["2", "exports"] = "..."
    with pytest.raises(NonNumericError, match=r"final_demand.*'2'.*'exports'.*'\.\.\.'"):
        IOTable.from_frames(**frames(final_demand=fd))


def test_mismatched_sector_codes() -> None:
    fd = miller_blair_frames()["final_demand"].rename(index={"2": "B"})
    with pytest.raises(LabelError, match=r"final_demand.*'B' vs '2'"):
        IOTable.from_frames(**frames(final_demand=fd))
    Z = miller_blair_frames()["Z"].rename(columns={"2": "B"})
    with pytest.raises(LabelError, match=r"columns of Z.*'B'"):
        IOTable.from_frames(**frames(Z=Z))
    emp = pd.Series([8.0, 12.0, 1.0], index=["1", "2", "3"])
    with pytest.raises(LabelError, match=r"employment has 3 labels but Z's sectors has 2: not in Z's sectors \['3'\]"):
        IOTable.from_frames(**frames(employment=emp))


def test_employment_with_a_sector_missing_or_extra_names_the_codes() -> None:
    # it said only "has 104 labels but Z's sectors has 105"
    s = [f"S{i:03d}" for i in range(105)]
    Z = pd.DataFrame(np.diag(np.full(105, 10.0)), index=s, columns=s)
    fd = pd.DataFrame({"households": 90.0}, index=s)
    pi = pd.DataFrame([np.full(105, 90.0)], index=["compensation_of_employees"], columns=s)
    missing = pd.Series(700.0, index=[c for c in s if c != "S042"])
    with pytest.raises(LabelError, match=r"has 104 labels but Z's sectors has 105: missing \['S042'\]$"):
        IOTable.from_frames(Z, fd, pi, employment=missing)
    extra = pd.Series(700.0, index=[*s, "T98", "U99"])
    with pytest.raises(LabelError, match=r"has 107 labels .* 105: not in Z's sectors \['T98', 'U99'\]$"):
        IOTable.from_frames(Z, fd, pi, employment=extra)
    swapped = pd.Series(700.0, index=[*s[:-1], "S042", "X1"])
    with pytest.raises(LabelError, match=r"106 labels .*: missing \['S104'\]; not in .* \['X1'\]; repeated \['S042'\]"):
        IOTable.from_frames(Z, fd, pi, employment=swapped)


@pytest.mark.parametrize("output", [None, "given"])
def test_flows_that_overflow_name_the_cell(output: str | None) -> None:
    # a row total of finite cells overflowed and was reported as "output sector '1' is inf", an output never given
    f = miller_blair_frames()
    f["Z"].iloc[0] = [1.7e308, 1.7e308]
    if output:
        f["output"] = pd.Series([1.7e308, 2000.0], index=["1", "2"])
    with pytest.raises(
        NonNumericError, match=r"row total of sector '1' .*overflows at cell \(supplier '1', buyer '2'\), 1\.7e\+308 £m"
    ):
        IOTable.from_frames(**f)


def test_duplicate_codes() -> None:
    Z = miller_blair_frames()["Z"].set_axis(["1", "1"], axis=0).set_axis(["1", "1"], axis=1)
    fd = miller_blair_frames()["final_demand"].set_axis(["1", "1"], axis=0)
    pi = miller_blair_frames()["primary_inputs"].set_axis(["1", "1"], axis=1)
    with pytest.raises(LabelError, match=r"sector codes are not unique: \['1'\]"):
        IOTable.from_frames(Z, fd, pi)


def test_unknown_primary_input_row() -> None:
    pi = miller_blair_frames()["primary_inputs"].rename(index={"gross_operating_surplus": "profits"})
    with pytest.raises(LabelError, match=r"unknown primary input rows \['profits'\]"):
        IOTable.from_frames(**frames(primary_inputs=pi))


def _with_empty_sector(**extra: float) -> dict[str, object]:
    s = ["1", "2", "3"]
    Z = pd.DataFrame([[150.0, 500.0, 0.0], [200.0, 100.0, 0.0], [0.0, 0.0, 0.0]], index=s, columns=s)
    fd = pd.DataFrame({"households": [350.0, 1700.0, 0.0]}, index=s)
    pi = pd.DataFrame([[650.0, 1400.0, 0.0]], index=["compensation_of_employees"], columns=s)
    emp = pd.Series([8.0, 12.0, extra.get("fte", 0.0)], index=s)
    return {"Z": Z, "final_demand": fd, "primary_inputs": pi, "employment": emp}


def test_zero_output_sector_with_zero_row_and_column_is_allowed() -> None:
    t = IOTable.from_frames(**_with_empty_sector())
    assert t.output[2] == 0
    np.testing.assert_array_equal(t.A[:, 2], 0.0)
    np.testing.assert_array_equal(t.A[2], 0.0)


def test_zero_output_sector_with_jobs_is_an_error() -> None:
    with pytest.raises(ZeroOutputError, match=r"sector '3' has zero output but its employment \(FTE\) total 5"):
        IOTable.from_frames(**_with_empty_sector(fte=5.0))


def test_zero_output_sector_that_sells_is_an_error() -> None:
    f = _with_empty_sector()
    f["Z"].loc["3", "1"] = 10.0
    f["primary_inputs"].loc["compensation_of_employees", "1"] -= 10.0
    f["final_demand"]["inventories"] = [0.0, 0.0, -10.0]  # households cannot buy a negative amount
    with pytest.raises(ZeroOutputError, match=r"sector '3' has zero output but its intermediate sales"):
        IOTable.from_frames(**f)


def test_negative_output() -> None:
    with pytest.raises(NegativeFlowError, match=r"output sector '2'"):
        IOTable.from_frames(
            **frames(
                final_demand=pd.DataFrame({"households": [350.0, -2400.0]}, index=["1", "2"]),
                primary_inputs=pd.DataFrame(
                    [[650.0, -1000.0]], index=["compensation_of_employees"], columns=["1", "2"]
                ),
            )
        )


def test_errors_are_value_errors_and_kil_io_errors() -> None:
    assert issubclass(BalanceError, TableError)
    assert issubclass(BalanceError, ValueError)


@pytest.mark.parametrize("bad", ["12.5", True, 1 + 2j, [1.0]])
def test_only_real_numbers_are_accepted(bad: object) -> None:
    Z = miller_blair_frames()["Z"].astype(object)
    Z.loc["2", "1"] = bad
    with pytest.raises(NonNumericError, match=r"row '2', column '1'"):
        IOTable.from_frames(**frames(Z=Z))


def test_frames_must_be_frames() -> None:
    with pytest.raises(TableError, match="Z must be a pandas DataFrame, got ndarray"):
        IOTable.from_frames(**frames(Z=np.zeros((2, 2))))
