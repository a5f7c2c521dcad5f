"""Exploring in Jupyter: controls that always redraw, names and units on display, short errors, tidy namespaces."""

from __future__ import annotations

import threading
import warnings
from dataclasses import replace

import pytest
from charts import whole_chart

import kil_io
from kil_io import datasets
from kil_io.errors import KilIOError, SectorError, ZeroOutputWarning
from kil_io.model import display
from kil_io.reporting import explore as ex

SECTORS = ("Q87 & Q88", "P85", "S94")


@pytest.fixture(scope="module")
def explorer() -> ex.Explorer:
    return ex.explore("Calderdale", 2021, SECTORS)


def test_moving_every_control_in_turn_redraws_a_whole_chart_on_any_thread(explorer: ex.Explorer) -> None:
    """The sequence that left JupyterLab 4.6 with blank charts, then every measure, each change on its own thread."""
    moves: list[tuple[object, object]] = [
        (explorer.method, "slq"), (explorer.method, "cilq"), (explorer.measure, "gva_effect"),
        (explorer.method, "flq"), (explorer.measure, "output_multiplier"), (explorer.method, "aflq"),
        (explorer.delta, 0.1), (explorer.year, 2019), (explorer.sectors, ("P85", "C101")),
        *[(explorer.measure, m) for m in ex.MEASURES],
    ]  # fmt: skip
    seen = set()
    for i, (control, value) in enumerate(moves):
        before, same = explorer.image.value, control.value == value  # type: ignore[attr-defined]

        def move(control: object = control, value: object = value) -> None:
            control.value = value  # type: ignore[attr-defined]

        if i % 2:  # a comm thread, as JupyterLab's subshells
            thread = threading.Thread(target=move)
            thread.start()
            thread.join(timeout=30)
        else:
            move()
        assert explorer.message.value == "", (control, value, explorer.message.value)
        whole_chart(explorer.image.value)
        seen.add(bytes(explorer.image.value))
        assert (explorer.image.value == before) is same, (control, value)  # redrawn for every real move
    assert len(seen) >= len(moves) - 2


def test_redraws_from_many_threads_at_once_are_each_whole() -> None:
    explorer = ex.explore("Leeds", 2021, ("P85",))
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(explorer.redraw())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results == [True] * 4
    whole_chart(explorer.image.value)


def test_delta_is_live_only_for_methods_that_use_it(explorer: ex.Explorer) -> None:
    for method, disabled in (("slq", True), ("cilq", True), ("flq", False), ("aflq", False)):
        explorer.method.value = method
        assert explorer.delta.disabled is disabled
    explorer.method.value = "slq"
    a = explorer.image.value
    explorer.delta.value = 0.4  # no effect on SLQ: same chart
    assert explorer.image.value == a


def test_controls_offer_every_area_measure_and_industry_by_name(explorer: ex.Explorer) -> None:
    options = ex.area_options()
    kinds = set(datasets.areas()["kind"])
    assert len(options) >= 600
    assert {"local_authority", "combined_authority", "nation"} <= kinds
    assert any(label.startswith("Bristol, City of (local authority") for label in options)
    assert [v for _, v in explorer.measure.options] == list(kil_io.model.multipliers.COLUMNS)
    assert all("(" in label and "_" not in label for label, _ in explorer.measure.options)  # units, no snake_case
    labels = dict((v, k) for k, v in explorer.sectors.options)
    assert labels["Q87 & Q88"] == "Q87 & Q88: Residential Care & Social Work Activities"
    explorer.find.value = "educ"
    assert ("P85: Education", "P85") in explorer.sectors.options
    assert len(explorer.sectors.options) < 10
    explorer.find.value = ""
    bristol = next(label for label in options if label.startswith("Bristol, City of"))
    explorer.area.value = bristol
    assert explorer.choice.area == bristol
    assert explorer.message.value == ""
    assert "Bristol" in ex.view(explorer.choice)[2]


def test_delta_readout_and_table_read_as_the_chart_and_dropdowns_do(explorer: ex.Explorer) -> None:
    """δ 0.225 reads 0.225 beside the slider (not 0.23); the table's rows are the dropdown's labels, not snake_case."""
    assert format(0.225, explorer.delta.readout_format) == "0.225"  # d3's ".3f" is Python's
    _png, table, title = ex.view(replace(explorer.choice, method="flq", delta=0.225))
    assert "δ 0.225" in title
    kinds, measures = (list(dict.fromkeys(table.index.get_level_values(level))) for level in ("kind", "measure"))
    assert kinds == ["Type I", "Type II"]
    assert measures == list(ex.MEASURES.values())
    assert "employment_effect" not in explorer.table.value
    assert "Jobs per £1m of final demand (FTE)" in explorer.table.value


def test_unknown_sector_area_or_year_says_what_was_meant() -> None:
    with pytest.raises(SectorError, match=r"no sector 'Q87' \(did you mean .*'Q87 & Q88' \(Residential Care"):
        ex.explore("Bristol", 2021, ["Q87"])
    with pytest.raises(KeyError):  # still a KeyError for code that caught pandas' one
        kil_io.model.multipliers.compare({"UK": datasets.uk_iot(2022)}, ["Q87"])
    with pytest.raises(KilIOError, match="did you mean"):
        ex.explore("Bristl", 2021, ["P85"])
    with pytest.raises(KilIOError, match="years: 2015"):
        ex.explore("Bristol", 2031, ["P85"])


def test_kil_io_errors_render_as_their_message_in_ipython() -> None:
    try:
        datasets.area("Bristl")
    except KilIOError as err:
        lines = err._render_traceback_()
    assert lines[0].startswith("AreaError: unknown area 'Bristl' (did you mean")
    assert len(lines) <= 2
    assert "File" not in "\n".join(lines)


def test_table_shows_its_facts_as_html() -> None:
    t = datasets.regional_iot("Bristol", 2021, method="slq")
    page = t._repr_html_()
    for text in ("Bristol", "2021", "SLQ location quotients", "not used by this method", "UK 2023",
                 f"{t.resident_share:.1%}", "Largest sectors"):  # fmt: skip
        assert text in page, text
    assert "δ (FLQ/AFLQ)</th><td style='text-align:left;padding:2px 10px 2px 0'>0.225" in (
        datasets.regional_iot("Bristol", 2021)._repr_html_()
    )


def test_multiplier_frames_read_with_names_units_and_dots() -> None:
    t = datasets.regional_iot("Calderdale", 2021)  # sectors with no output here: all '..'
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZeroOutputWarning)
        m = kil_io.multipliers(t, "type_ii")
    assert display.is_multipliers(m)
    assert display.is_multipliers(m.loc[["P85"], ["employment_effect"]])
    view = display.multipliers_view(m)
    assert view.index[0] == (t.sectors[0], t.names[0])
    assert "Jobs [FTE per £1m]" in view.columns
    assert "GVA effect [£ per £1]" in view.columns
    jobs = view["Jobs [FTE per £1m]"]
    assert jobs.loc["P85"].iloc[0] == f"{m.loc['P85', 'employment_effect']:,.1f}"
    assert (view == "..").any().any()
    assert not view.isin(["nan", "inf"]).any().any()
    dots = view.index.get_level_values("code")[(view == "..").all(axis=1).to_numpy()]
    assert len(dots) >= 1
    assert list(view.index.get_level_values("code")[-len(dots) :]) == list(dots)  # NaN rows last, not first
    html = display.multipliers_html(m)
    assert "Type II" in html
    assert "Education" in html
    assert "not meaningful" in html


def test_warnings_print_as_one_line_without_a_path() -> None:
    from kil_io._notebook import format_warning

    line = format_warning(ZeroOutputWarning("sectors with zero output:\n  B06 & B07"), ZeroOutputWarning)
    assert line == "ZeroOutputWarning: sectors with zero output: B06 & B07\n"


def test_tab_completion_lists_what_a_user_calls() -> None:
    names = dir(kil_io)
    assert "multipliers" in names
    assert "explore" in names
    assert "errors" in names
    assert "datasets" in names
    assert not [n for n in names if n.endswith(("Error", "Warning"))]
    assert kil_io.KilIOError is KilIOError  # still importable
    assert "importlib" not in dir(datasets)
    assert "warnings" not in dir(datasets)
    assert "regional_iot" in dir(datasets)
    assert "areas" in dir(datasets)
    assert kil_io.explore is ex.explore
