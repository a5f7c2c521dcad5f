"""One appraisal result: computed once, round-tripped through appraisal.json, rendered without the model."""

from __future__ import annotations

import ast
import json
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from reporting_cases import DRAWS

import kil_io
from kil_io.appraisal import Appraisal, AppraisalFileError, read_appraisal
from kil_io.appraisal.commissioning import compare_providers
from kil_io.records.newcase import case_from_records
from kil_io.reporting import formatting as fmt

EXAMPLE = Path(kil_io.__file__).parent / "records" / "templates" / "examples" / "leeds_community_centre"


@pytest.fixture(scope="module")
def hot() -> Appraisal:
    return kil_io.appraise(kil_io.case_study("halifax_opportunities_trust"), DRAWS, seed=1)


@pytest.fixture(scope="module")
def contract() -> Appraisal:
    return kil_io.appraise(kil_io.case_study("jubilee_childrens_centre"), DRAWS, seed=1, contract_value=1_000_000)


@pytest.fixture(scope="module")
def leeds(tmp_path_factory: pytest.TempPathFactory) -> Appraisal:
    """The README's worked example: a case made from an organisation's records."""
    folder = tmp_path_factory.mktemp("leeds")
    for f in ("accounts.csv", "staff.csv", "suppliers.csv"):
        shutil.copy(EXAMPLE / f, folder / f)
    made = case_from_records("leeds_community_centre", area="Leeds", folder=folder, accounts=folder / "accounts.csv",
                             staff=folder / "staff.csv", suppliers=folder / "suppliers.csv")  # fmt: skip
    path = folder / "leeds_community_centre.yaml"
    path.write_text(made.text(), encoding="utf-8")
    return kil_io.appraise(kil_io.case_study(path), DRAWS, seed=1)


def _frames(a: Appraisal) -> list[pd.DataFrame | None]:
    out = [a.multipliers, a.comparison, a.sensitivity, a.published]
    for e in a.entities:
        out += [e.figures, e.rates, e.detail, e.lines, e.lm3]
    if a.simulation is not None:
        out += [a.simulation.summary, a.simulation.drivers]
    return out


@pytest.mark.parametrize("which", ["hot", "contract", "leeds"])
def test_appraisal_round_trips_through_json_exactly(which: str, request: pytest.FixtureRequest) -> None:
    a = request.getfixturevalue(which)
    text = a.to_json()
    b = Appraisal.from_dict(json.loads(text))
    assert b.to_json() == text
    for x, y in zip(_frames(a), _frames(b), strict=True):
        if x is None:
            assert y is None
        else:
            pd.testing.assert_frame_equal(x, y)
    assert b.headline == a.headline
    assert b.inputs == a.inputs


def test_an_appraisal_file_that_cannot_be_read_says_what_to_do(hot: Appraisal, tmp_path: Path) -> None:
    with pytest.raises(AppraisalFileError, match=r"no appraisal here.*re-run the case"):
        read_appraisal(tmp_path)
    (tmp_path / "appraisal.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(AppraisalFileError, match="not JSON"):
        read_appraisal(tmp_path)
    (tmp_path / "appraisal.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(AppraisalFileError, match="not an appraisal"):
        read_appraisal(tmp_path)
    newer = {**json.loads(hot.to_json()), "schema": 99, "version": "9.9.9"}
    (tmp_path / "appraisal.json").write_text(json.dumps(newer), encoding="utf-8")
    with pytest.raises(AppraisalFileError, match=r"kil_io 9\.9\.9 in layout 99.*reads layout 1.*--force"):
        read_appraisal(tmp_path)
    broken = json.loads(hot.to_json())
    del broken["headline"]
    (tmp_path / "appraisal.json").write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(AppraisalFileError, match=r"not a complete appraisal.*headline"):
        read_appraisal(tmp_path / "appraisal.json")


def test_central_figures_are_organisation_impact_and_provider_comparison(hot: Appraisal, contract: Appraisal) -> None:
    """Every route to a central figure is the one model: the public functions agree with the appraisal."""
    case = kil_io.case_study("halifax_opportunities_trust")
    impact = kil_io.organisation_impact(case).to_frame()
    pd.testing.assert_frame_equal(hot.organisation.figures, impact, check_names=False, rtol=1e-12)
    jubilee = kil_io.case_study("jubilee_childrens_centre")
    table = kil_io.datasets.regional_iot(jubilee.area, jubilee.year)
    comparison = compare_providers(1_000_000, jubilee.providers, table, rates=jubilee.rates).to_frame()
    pd.testing.assert_frame_equal(contract.comparison, comparison, check_names=False, rtol=1e-12)


def test_every_headline_has_a_unit_a_reader_can_be_shown_and_a_range(hot: Appraisal, contract: Appraisal) -> None:
    for a in (hot, contract):
        for h in a.headline:
            fmt.kind_of(h.unit)  # raises for a unit without a number format
            assert h.range is not None or h.no_range, h.key
        assert set(a.headline_json()["ranges"]) == {h.label for h in a.headline}
    ahead = contract.figure("difference: fte").range
    assert ahead is not None
    assert ahead.p_ahead is not None
    assert 0 <= ahead.p_ahead <= 1


def test_inputs_say_truly_whether_records_publications_or_assumptions(hot: Appraisal, leeds: Appraisal) -> None:
    counts = hot.basis_counts()
    assert counts["record"] == 0  # every organisation figure of HOT's case file is a labelled assumption
    assert counts["publication"] >= 2  # the Census resident share and ONS household income are not
    made = leeds.basis_counts()
    assert made["record"] >= 20  # the accounts, staff list and ledger
    assert made["assumption"] >= 3  # the gross-to-net rates and delta are assumptions, whatever the records say
    rates = {i.name: i.basis for i in leeds.inputs if i.name.startswith("additionality.")}
    assert set(rates.values()) == {"assumption"}
    assert any("short of" in c or "ledger totals" in c for c in leeds.checks), leeds.checks  # records checks travel


def test_a_headline_whose_central_figure_is_off_its_range_says_so() -> None:
    from kil_io.appraisal.result import Range
    from kil_io.uncertainty.ranged import _off_centre

    r = Range(low=10.0, high=20.0, median=15.0, level=0.9, draws=1000)
    assert _off_centre(15.5, r) == ""
    assert "above its 90% range" in _off_centre(21.0, r)
    assert "higher than most draws" in _off_centre(18.5, r)


def test_renderers_never_run_the_model(hot: Appraisal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A brief and a workbook are made from appraisal.json alone, with every route to the model cut."""
    from kil_io.reporting import outputs

    outputs.save_appraisal(hot, tmp_path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a renderer ran the model")

    cut = {"kil_io.datasets": ("regional_iot", "uk_iot"), "kil_io.datasets.local": ("regional_iot",),
           "kil_io.appraisal.model": ("evaluate", "effect_tables"), "kil_io.appraisal.central": ("appraise",),
           "kil_io.uncertainty.simulate": ("simulate", "run_chunk")}  # fmt: skip
    for module, names in cut.items():
        for name in names:
            monkeypatch.setattr(sys.modules[module], name, refuse)
    made = outputs.write_reports(tmp_path, pdf=False)
    names = {p.name for p in made.files}
    assert {"brief.html", "brief-chart.svg"} <= names
    assert any(n.endswith(".xlsx") for n in names)


def test_reporting_imports_no_model_and_no_simulation() -> None:
    """Nothing under kil_io/reporting imports the appraisal's computations or the Monte Carlo: renderers only format."""
    # the result object and its parts: inputs, and a tender's bids, pairs and lots (Appraisal.tender)
    allowed = {"kil_io.appraisal.result", "kil_io.appraisal.inputs", "kil_io.appraisal.tender",
               "kil_io.appraisal.portfolio"}  # fmt: skip
    folder = Path(kil_io.__file__).parent / "reporting"
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = node.module
                if module.startswith("kil_io.uncertainty") or (
                    module.startswith("kil_io.appraisal") and module not in allowed
                ):
                    pytest.fail(f"{path.name} imports {module}: a renderer must take an Appraisal, not recompute")


def test_delta_grid_at_the_tables_delta_is_the_tables_multipliers() -> None:
    """The regional page's table over delta keeps every other choice of the table (its resident share, its levels)."""
    table = kil_io.datasets.regional_iot("Bristol", 2021)
    with pytest.warns(kil_io.ZeroOutputWarning):
        grid = kil_io.datasets.delta_grid(table, [0.1, table.metadata["delta"]], sectors=["Q87 & Q88"], kind="type_ii")
    with pytest.warns(kil_io.ZeroOutputWarning):
        own = kil_io.multipliers(table, "type_ii")
    assert grid.loc[(table.metadata["delta"], "Q87 & Q88"), "output_multiplier"] == pytest.approx(
        own.loc["Q87 & Q88", "output_multiplier"], rel=1e-12
    )
    assert np.isfinite(grid.loc[(0.1, "Q87 & Q88"), "output_multiplier"])


def test_with_simulation_keeps_the_central_figures(hot: Appraisal) -> None:
    plain = replace(hot, simulation=None)
    assert [h.value for h in plain.headline] == [h.value for h in hot.headline]


def test_a_surveyed_supplier_share_reaches_the_central_figures_as_it_does_the_draws(tmp_path: Path) -> None:
    """LM3's round 3 uses a surveyed supplier re-spend share in the central figures and in every draw alike."""
    text = (
        Path(kil_io.__file__).parent.parent / "data" / "case_studies" / "halifax_opportunities_trust.yaml"
    ).read_text(encoding="utf-8")
    text += 'lm3_survey:\n  supplier_respend_share: {value: 0.9, source: "survey: a test"}\n'
    path = tmp_path / "surveyed.yaml"
    path.write_text(text, encoding="utf-8")
    case = kil_io.case_study(path)
    a = kil_io.appraise(case, DRAWS, seed=1)
    plain = kil_io.appraise(kil_io.case_study("halifax_opportunities_trust"), DRAWS, seed=1)
    assert a.organisation.lm3.loc["round2: suppliers", "share"] == 0.9
    assert "surveyed" in a.organisation.lm3.loc["round2: suppliers", "source"]
    assert a.figure("lm3").value > plain.figure("lm3").value
    assert a.simulation.summary.loc["lm3", "central"] == pytest.approx(a.figure("lm3").value, rel=1e-9)


@pytest.mark.parametrize("which", ["hot", "contract"])
def test_a_shipped_case_history_ends_at_the_figures_it_gives_now(which: str, request: pytest.FixtureRequest) -> None:
    """data/case_studies/history.csv is kept by hand: a figure that moves without a new row fails here."""
    a = request.getfixturevalue(which)
    assert a.history is not None
    latest = a.history.groupby("figure").tail(1).set_index("figure")["after"]
    now = {h.label: h.value for h in a.headline if h.label in latest.index}
    assert len(now) == len(latest) >= 5
    for label, after in latest.items():
        assert now[label] == pytest.approx(after, rel=1e-5), label


def test_a_case_of_your_own_has_no_history(leeds: Appraisal) -> None:
    assert leeds.history is None
