"""Aggregating sectors keeps every total and the balance."""

from __future__ import annotations

import numpy as np
import pytest
from examples import tables
from hypothesis import given, settings
from hypothesis import strategies as st

from kil_io import IOTable
from kil_io.errors import LabelError
from kil_io.model.aggregation import aggregate


def test_two_sectors_into_one(mb_table: IOTable) -> None:
    one = aggregate(mb_table, {"1": "all", "2": "all"}, names={"all": "Whole economy"})
    assert one.sectors == ("all",)
    assert one.names == ("Whole economy",)
    np.testing.assert_array_equal(one.Z, [[950.0]])  # 150 + 500 + 200 + 100
    np.testing.assert_array_equal(one.output, [3000.0])
    np.testing.assert_array_equal(one.employment, [8000.0 + 12000.0])
    np.testing.assert_array_equal(one.gva, [2050.0])


@settings(max_examples=50, deadline=None)
@given(tables(), st.data())
def test_totals_are_kept(t: IOTable, data: st.DataObject) -> None:
    groups = data.draw(st.lists(st.sampled_from("abc"), min_size=t.n, max_size=t.n))
    agg = aggregate(t, dict(zip(t.sectors, groups, strict=True)))  # validated: still balances
    assert set(agg.sectors) == set(groups)
    for field in ("Z", "final_demand", "primary_inputs", "output", "employment"):
        assert getattr(agg, field).sum() == pytest.approx(getattr(t, field).sum(), rel=1e-12)


def test_mapping_must_cover_every_sector_once(mb_table: IOTable) -> None:
    with pytest.raises(LabelError, match=r"sectors without a group \['2'\]"):
        aggregate(mb_table, {"1": "x"})
    with pytest.raises(LabelError, match=r"codes not in the table \['3'\]"):
        aggregate(mb_table, {"1": "x", "2": "x", "3": "y"})


def test_unnamed_group_is_a_label_error(mb_table: IOTable) -> None:
    import pandas as pd

    with pytest.raises(LabelError, match=r"sectors without a group \['2'\]"):
        aggregate(mb_table, pd.Series({"1": "a", "2": np.nan}))
