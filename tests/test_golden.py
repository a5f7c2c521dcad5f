"""Published worked examples: values computed by others, not by kil_io."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from examples import eurostat_frames

import kil_io
import kil_io.readers
from kil_io import BalanceError, IOTable
from kil_io.model.leontief import leontief_inverse, technical_coefficients
from kil_io.model.multipliers import multipliers

FIXTURES = Path(__file__).parent / "fixtures"

# Miller & Blair (2009), section 2.3, Table 2.3 and eq. (2.12); six decimals as printed
# in the issue brief (L = [[1.254125, 0.330033], [0.264026, 1.122112]]).
MB_L = np.array([[1.254125, 0.330033], [0.264026, 1.122112]])
MB_OUTPUT_MULTIPLIERS = np.array([1.518152, 1.452145])

# Eurostat Manual of Supply, Use and Input-Output Tables (2008), ch. 15, Table 15.4 and
# its multiplier tables: Germany 1995, six product groups, four decimals as published.
DE_OUTPUT_MULTIPLIERS = np.array([1.7048, 1.8413, 1.8136, 1.6035, 1.5951, 1.3782])
DE_GVA_EFFECTS = np.array([0.8450, 0.7647, 0.8615, 0.9019, 0.9393, 0.9199])
DE_EMPLOYMENT_EFFECTS = np.array([0.0326, 0.0162, 0.0207, 0.0237, 0.0112, 0.0242])  # thousand persons per €1m


def test_miller_blair_coefficients_and_inverse(mb_table: IOTable) -> None:
    np.testing.assert_allclose(mb_table.A, [[0.15, 0.25], [0.20, 0.05]], rtol=1e-12)
    np.testing.assert_allclose(mb_table.L, MB_L, atol=5e-7)
    np.testing.assert_allclose(leontief_inverse(technical_coefficients(mb_table.Z, mb_table.x)), MB_L, atol=5e-7)


def test_miller_blair_output_multipliers(mb_table: IOTable) -> None:
    m = multipliers(mb_table, "type_i")
    np.testing.assert_allclose(m["output_multiplier"], MB_OUTPUT_MULTIPLIERS, atol=5e-7)


def test_eurostat_germany_type_i(eurostat_table: IOTable) -> None:
    m = kil_io.multipliers(eurostat_table, "type_i")
    np.testing.assert_allclose(m["output_multiplier"], DE_OUTPUT_MULTIPLIERS, atol=5e-5)
    np.testing.assert_allclose(m["gva_effect"], DE_GVA_EFFECTS, atol=5e-5)
    np.testing.assert_allclose(m["employment_effect"], DE_EMPLOYMENT_EFFECTS, atol=5e-5)


def test_eurostat_source_typo_is_caught() -> None:
    """The source's output column says 1,079,400 for manufacturing; the table adds to 1,079,446."""
    with pytest.raises(BalanceError, match=r"row 'cpa_c'.*1,?079,?446.*1,?079,?400"):
        IOTable.from_frames(**eurostat_frames(output_from="output_bp"))


@pytest.mark.filterwarnings("ignore:table 'Scotland 2019' has no employment:kil_io.KilIOWarning")
@pytest.mark.filterwarnings("ignore:table 'Scotland 2019'. zero output:kil_io.ZeroOutputWarning")
def test_scottish_government_type_ii_2019_is_reproduced() -> None:
    """SG's own 2019 table closed with its total household income, £156,241m, gives SG's published Type II.

    Expected: SG's ``Mult2_wide.xlsx`` (2019 rows; tests/fixtures/README.md), all 98 industries.
    Where a figure is undefined SG writes a placeholder (Tobacco has no 2019 output: 1.0 and 0s;
    imputed rent pays nobody: income multiplier 0); kil_io's NaN cells are exactly those.
    """
    published = pd.read_csv(FIXTURES / "sg_type_ii_multipliers_2019.csv", comment="#", index_col="sector")
    table = kil_io.datasets.sg_iot(2019)
    assert table.household_income == 156_241.0
    ours = kil_io.multipliers(table, "type_ii", household_income=156_241.0)
    assert ours.attrs["closure"] == "household_income"
    columns = ["output_multiplier", "income_effect", "income_multiplier", "gva_effect", "gva_multiplier"]
    ours_ = ours.loc[published.index, columns]
    undefined = ours_.isna().to_numpy()
    rows, cols = np.nonzero(undefined)
    expected = {("IOC098_019", c) for c in columns} | {("IOC098_071", "income_multiplier")}
    assert {(published.index[r], columns[c]) for r, c in zip(rows, cols, strict=True)} == expected
    assert sorted(published[columns].to_numpy()[undefined]) == [0.0] * 5 + [1.0]
    np.testing.assert_allclose(ours_.to_numpy()[~undefined], published[columns].to_numpy()[~undefined], rtol=1e-6)
    np.testing.assert_allclose(kil_io.multipliers(table, "type_ii")[columns], ours[columns], rtol=1e-15)
    # closing on compensation of employees instead (£84,040m) is not SG's method
    coe = kil_io.multipliers(table, "type_ii", closure="coe")
    ratio = coe["output_multiplier"].drop("IOC098_019") / published["output_multiplier"].drop("IOC098_019")
    assert ratio.min() > 1.01
    assert ratio.median() > 1.1


#: The columns of ONS's published Type I figures kil_io reproduces (tests/fixtures/ons_type_i_multipliers_2023.csv).
ONS_MEASURES = ["output_multiplier", "gva_effect", "gva_multiplier", "income_effect", "income_multiplier"]


def test_ons_type_i_2023_is_reproduced() -> None:
    """kil_io's Type I on the shipped 2023 table equals ONS's Multipliers and Effects sheets to 1e-9.

    Expected: ONS's ``iot2023industry.xlsx`` (tests/fixtures/README.md), the 103 industries ONS computes;
    it writes ``..`` for L68A, which it leaves out of its Leontief inverse (a negative input from K64):
    kil_io leaves it out too (NaN, with a NegativeFlowWarning naming the cell).
    """
    published = pd.read_csv(
        FIXTURES / "ons_type_i_multipliers_2023.csv", comment="#", index_col="sector", na_values=[".."]
    )
    table = kil_io.datasets.uk_iot(2023)
    assert table.n == 104
    assert table.excluded == ("L68A",)
    assert tuple(published.index) == table.sectors
    with pytest.warns(kil_io.NegativeFlowWarning, match=r"'L68A' buys -20,771 £m from 'K64'"):
        ours = multipliers(table)
    left_out = published[ONS_MEASURES].isna()
    assert list(left_out.index[left_out.any(axis=1)]) == ["L68A"]
    assert left_out.loc["L68A"].all()
    assert ours.loc["L68A", ONS_MEASURES].isna().all()
    computed = published.drop(index="L68A")
    assert len(computed) == 103
    np.testing.assert_allclose(
        ours.loc[computed.index, ONS_MEASURES].to_numpy(), computed[ONS_MEASURES].to_numpy(), rtol=0, atol=1e-9
    )


@pytest.mark.parametrize("edition", [2015, 2017])
def test_older_ons_editions_are_reproduced(edition: int) -> None:
    """The 2017 (coded, product by product) and 2015 (labelled, .xls) editions give ONS's published figures.

    Expected: tests/fixtures/ons_type_i_multipliers_2015_2017.csv (each row names the workbook's cell).
    Read from the raw workbooks, so skipped when ../shared/data-raw is absent.
    """
    from test_readers import RAW

    files = {2015: "ons-ioat-2015-pxp/2015detailedioatsbb18.xls", 2017: "ons-ioat-2017-pxp/nasu1719pr.xlsx"}
    if not (RAW / files[edition]).is_file():
        pytest.skip(f"raw ONS {edition} workbook not present at {RAW}")
    published = pd.read_csv(FIXTURES / "ons_type_i_multipliers_2015_2017.csv", comment="#", dtype={"sector": str})
    published = published[published["edition"] == edition]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kil_io.ZeroOutputWarning)  # the older tables' empty and tiny products
        warnings.simplefilter("ignore", kil_io.KilIOWarning)  # no employment in the workbook
        ours = multipliers(kil_io.readers.read_ons_iot(RAW / files[edition]))
    got = [ours.loc[s, m] for s, m in zip(published["sector"], published["measure"], strict=True)]
    np.testing.assert_allclose(got, published["value"].to_numpy(), rtol=0, atol=1e-9)
