"""Impact of a final-demand shock."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from examples import JOBS, with_empty_sector

import kil_io
from kil_io import IOTable, LabelError, NonNumericError, demand_impact


def test_type_i_has_no_induced(mb_table: IOTable) -> None:
    res = demand_impact(mb_table, pd.Series({"1": 100.0}), "type_i").to_frame()
    np.testing.assert_array_equal(res["induced"], 0.0)
    # output by hand: L[:, 0] * 100 from Miller & Blair's inverse
    np.testing.assert_allclose(res.loc["output", "total"], 100 * (1.254125 + 0.264026), atol=1e-4)
    assert list(res.index) == ["output", "gva", "income", "employment"]
    assert list(res["unit"]) == ["£m", "£m", "£m", "FTE"]


def test_direct_is_the_shock_times_coefficients(mb_table: IOTable) -> None:
    res = demand_impact(mb_table, {"2": 10.0}, closure="coe").to_frame()
    assert res.loc["output", "direct"] == pytest.approx(10.0)
    assert res.loc["gva", "direct"] == pytest.approx(10.0 * 1400 / 2000)
    assert res.loc["employment", "direct"] == pytest.approx(10.0 * JOBS[1] / 2000)
    assert res.loc["employment", "induced"] > 0


def test_by_sector_detail(mb_table: IOTable) -> None:
    res = demand_impact(mb_table, {"1": 1.0, "2": 2.0}, closure="coe")
    assert res.by_sector.shape == (2, 16)
    np.testing.assert_allclose(res.by_sector["total"]["output"].sum(), res.to_frame().loc["output", "total"])
    assert "Impact(type_ii" in repr(res)


def test_unknown_sector(mb_table: IOTable) -> None:
    with pytest.raises(LabelError, match=r"does not have: \['Q87'\]"):
        demand_impact(mb_table, {"Q87": 1.0})


def test_non_numeric_demand(mb_table: IOTable) -> None:
    with pytest.raises(NonNumericError, match=r"sector '2' is 'lots'"):
        demand_impact(mb_table, {"1": 1.0, "2": "lots"})


def test_duplicate_sector(mb_table: IOTable) -> None:
    with pytest.raises(LabelError, match="more than once"):
        demand_impact(mb_table, pd.Series([1.0, 2.0], index=["1", "1"]))


def test_demand_for_a_sector_the_area_lacks_is_flagged() -> None:
    t = with_empty_sector("Nowhere")
    with pytest.warns(kil_io.ZeroOutputWarning, match=r"£2.000m for sectors with no output here \['3'\]"):
        res = demand_impact(t, {"3": 2.0, "1": 1.0}, closure="coe").to_frame()
    assert res.loc["output", "direct"] == pytest.approx(1.0)  # only sector 1's demand has effects
