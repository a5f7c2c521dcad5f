"""Local versus national provider: the same contract, more local spending, more local jobs."""

from __future__ import annotations

import numpy as np
import pytest
from examples import local_frames
from hypothesis import given, settings
from hypothesis import strategies as st

from kil_io import IOTable, case_study, datasets
from kil_io.appraisal.commissioning import Provider, ProviderSpend, compare_providers
from kil_io.appraisal.organisation import Figure
from kil_io.errors import CaseError


def provider(
    name: str, *, staff_local: float = 0.8, supplier_local: float = 0.5, surplus_local: float = 1.0
) -> Provider:
    return Provider(
        name=name,
        staff_share=Figure(0.6, "t"),
        staff_cost_per_fte=Figure(30_000, "t"),
        staff_local_share=Figure(staff_local, "t"),
        spending=(ProviderSpend("1", 0.2, supplier_local, "t"), ProviderSpend("2", 0.1, supplier_local, "t")),
        overheads_share=Figure(0.05, "t"),
        surplus_share=Figure(0.05, "t"),
        surplus_local_share=Figure(surplus_local, "t"),
    )


def test_difference_row_and_components(local: IOTable) -> None:
    cmp = compare_providers(
        1_000_000, [provider("Local"), provider("National", supplier_local=0.1)], local, closure="coe"
    )
    table = cmp.to_frame()
    assert list(table.index) == ["Local", "National", "Local - National"]
    np.testing.assert_allclose(table.loc["Local - National"], table.loc["Local"] - table.loc["National"])
    assert list(table.columns) == [
        "fte", "fte_net", "gva", "gva_net", "local_income", "local_income_net", "lm3", "local_spend",
    ]  # fmt: skip
    # direct jobs are the same staff for both: £600k / £30k = 20 FTE
    assert cmp.components.loc[("Local", "direct"), "fte"] == pytest.approx(20.0)
    assert cmp.components.loc[("National", "direct"), "fte"] == pytest.approx(20.0)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.floats(0.0, 0.5), st.floats(0.0, 0.5))
def test_more_local_spending_means_more_local_jobs(staff: float, supplier: float, d1: float, d2: float) -> None:
    """Sign of the Keep it Local argument: raising local shares never lowers local FTE or GVA."""
    table = IOTable.from_frames(**local_frames())
    a = provider("a", staff_local=staff, supplier_local=supplier)
    b = provider("b", staff_local=min(1.0, staff + d1), supplier_local=min(1.0, supplier + d2))
    out = compare_providers(500_000, [a, b], table, closure="coe").to_frame()
    for column in ("fte", "gva", "local_income", "fte_net", "gva_net", "local_income_net"):
        assert out.loc["b", column] >= out.loc["a", column] - 1e-9, column
    assert 1 <= out.loc["a", "lm3"] <= 3


def test_profit_leaving_the_area_is_workplace_gva_but_not_local_income(local: IOTable) -> None:
    kept = compare_providers(1_000_000, [provider("kept", surplus_local=1.0)], local, closure="coe").to_frame()
    left = compare_providers(1_000_000, [provider("left", surplus_local=0.0)], local, closure="coe").to_frame()
    # GVA is counted where production happens, whoever owns the surplus
    assert kept.loc["kept", "gva"] == pytest.approx(left.loc["left", "gva"])
    # £50k of surplus, in £m, is local income only when it stays
    assert kept.loc["kept", "local_income"] - left.loc["left", "local_income"] == pytest.approx(0.05)


def test_bad_providers(local: IOTable) -> None:
    with pytest.raises(CaseError, match=r"add to 1\.250 of each £1"):
        Provider("x", Figure(0.9, "t"), Figure(1.0, "t"), Figure(1.0, "t"), (), Figure(0.3, "t"), Figure(0.05, "t"),
                 Figure(1.0, "t"))  # fmt: skip
    with pytest.raises(CaseError, match=r"different names; repeated: \['a'\]"):
        compare_providers(1.0, [provider("a"), provider("a")], local)
    with pytest.raises(CaseError, match="at least one provider"):
        compare_providers(1.0, [], local)
    with pytest.raises(CaseError, match="contract value must be a positive number"):
        compare_providers(-1.0, [provider("a")], local)
    with pytest.raises(CaseError, match="baseline 'c' is not one of the providers"):
        compare_providers(1.0, [provider("a")], local, baseline="c")


def test_shipped_contract_local_beats_national() -> None:
    case = case_study("jubilee_childrens_centre")
    cmp = compare_providers(1_000_000, case.providers, datasets.regional_iot("Calderdale", 2021))
    diff = cmp.to_frame().iloc[-1]
    for column in ("fte", "gva", "local_income", "fte_net", "gva_net", "local_income_net", "lm3"):
        assert diff[column] > 0, column
    # the national provider's profit leaves: more of the local provider's edge is local income than GVA
    assert diff["local_income"] > diff["gva"]
