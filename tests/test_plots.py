"""Report charts carry their units and show Type I and the induced part."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import kil_io
from kil_io import IOTable
from kil_io.reporting import plots, reports


def test_multiplier_bars(mb_table: IOTable) -> None:
    m1, m2 = kil_io.multipliers(mb_table, "type_i"), kil_io.multipliers(mb_table, "type_ii", closure="coe")
    fig = plots.multiplier_bars(m1, m2, "employment_effect", ["2", "1"], names=mb_table.sector_names, title="t")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Jobs per £1m of final demand (FTE)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2: 2", "1: 1"]
    widths = np.array([p.get_width() for p in ax.patches])
    # first the Type I bars (sector 2 then 1), then the induced parts stacked on them
    np.testing.assert_allclose(widths[:2], m1.loc[["2", "1"], "employment_effect"])
    np.testing.assert_allclose(widths[:2] + widths[2:], m2.loc[["2", "1"], "employment_effect"])
    plt.close(fig)


def test_unknown_column(mb_table: IOTable) -> None:
    m = kil_io.multipliers(mb_table, "type_i")
    with pytest.raises(KeyError, match="unknown column 'jobs'"):
        plots.multiplier_bars(m, m, "jobs", ["1"])


def test_delta_curve_and_calibration_charts(mb_table: IOTable) -> None:
    import pandas as pd

    from kil_io.regional import delta_sensitivity, regionalise
    from kil_io.regional.calibration import calibrate_delta

    re = pd.Series([1.0, 0.5], index=["1", "2"], name="R")
    grid = delta_sensitivity(mb_table, re, deltas=[0.0, 0.2, 0.4], national_employment="table")
    fig = plots.delta_curve(grid, "output_multiplier", title="t")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "Output per £1 of final demand (£)"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), grid["output_multiplier"].xs("1", level="sector"))
    plt.close(fig)

    ident = {"1": "1", "2": "2"}
    survey = regionalise(mb_table, re, delta=0.2, national_employment="table")
    cal = calibrate_delta(
        mb_table,
        survey,
        re,
        national_to_common=ident,
        survey_to_common=ident,
        deltas=[0.0, 0.2],
        national_employment="table",
    )
    fig = plots.calibration_curve(cal)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(label.startswith("FLQ (best delta 0.2: 0.0%)") for label in labels)
    assert fig.axes[0].get_ylabel() == "Weighted absolute % error vs survey table (%)"
    plt.close(fig)
    fig = plots.calibration_scatter(cal.comparison("flq"), label="output multiplier")
    assert fig.axes[0].get_xlabel() == "output multiplier, survey table"
    plt.close(fig)


@pytest.fixture(scope="module")
def appraisals() -> dict[str, object]:
    import kil_io

    return {
        "hot": kil_io.appraise(kil_io.case_study("halifax_opportunities_trust"), 300, seed=1),
        "contract": kil_io.appraise(kil_io.case_study("jubilee_childrens_centre"), 300, seed=1,
                                    contract_value=1_000_000),
    }  # fmt: skip


def test_one_chart_of_a_cases_figures_on_screen_and_on_paper(appraisals: dict, tmp_path) -> None:
    """The same chart for a page and a brief, differing only in size: bars add up to the appraisal's figures."""
    from PIL import Image

    hot = appraisals["hot"]
    sizes = {}
    for medium in ("screen", "print"):
        fig = plots.case_chart(hot, medium=medium)
        jobs, gva = fig.axes[:2]
        assert (jobs.get_ylabel(), gva.get_ylabel()) == ("Local jobs (FTE)", "Local GVA (£m)")
        heights = [p.get_height() for p in jobs.patches]
        np.testing.assert_allclose(heights, hot.organisation.figures["fte"].drop("total").to_numpy())
        low, high = hot.simulation.summary.loc["fte", ["low", "high"]]
        [bar] = [c for c in jobs.containers if c.__class__.__name__ == "ErrorbarContainer"]
        np.testing.assert_allclose(bar.lines[2][0].get_segments()[0][:, 1], [low, high])  # the range as it is
        assert any("ONS UK input-output tables" in t.get_text() for t in fig.texts)  # the source line
        fig.canvas.draw()
        legend = fig.legends[0].get_window_extent()
        for ax in (jobs, gva):
            assert not legend.overlaps(ax.get_window_extent())
        sizes[medium] = tuple(fig.get_size_inches())
        if medium == "print":
            png, svg = plots.save_for_print(fig, tmp_path, "chart")
            with Image.open(png) as image:
                assert round(image.info["dpi"][0]) == plots.PRINT_DPI
            assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
        plt.close(fig)
    assert sizes["screen"] != sizes["print"]
    contract = appraisals["contract"]
    fig = plots.case_chart(contract, medium="print")
    gva = fig.axes[1]
    for k, provider in enumerate(contract.providers):
        total = sum(p.get_height() for p in gva.patches if abs(p.get_x() + p.get_width() / 2 - k) < 0.1)
        assert total == pytest.approx(provider.total("gva"))
    plt.close(fig)
    fig = plots.drivers_chart(hot)
    assert "what drives the range" in fig.axes[0].get_title(loc="left")
    plt.close(fig)


def test_local_vs_national_bars(mb_table: IOTable, local: IOTable) -> None:
    from kil_io.model.multipliers import compare

    table = compare({"here": local, "nation": mb_table}, ["1", "2"], closure="coe")
    fig = plots.local_vs_national(table, "output_multiplier", title="t")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "Output per £1 of final demand (£)"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["here, Type I", "here, Type II", "nation, Type I", "nation, Type II"]
    heights = [p.get_height() for p in ax.patches]
    assert heights[:2] == pytest.approx(list(table[("here", "type_i", "output_multiplier")]))
    plt.close(fig)


def test_readable_shows_no_nan() -> None:
    """A ratio that is not meaningful reads '..', as ONS prints it; numbers are rounded."""
    frame = pd.DataFrame({"gva_multiplier": [2.36746, np.nan], "unit": ["ratio", None]}, index=["A01", "H491_2"])
    shown = reports.readable(frame, 2)
    assert shown.loc["A01", "gva_multiplier"] == 2.37
    assert shown.loc["H491_2", "gva_multiplier"] == ".."
    assert shown.loc["H491_2", "unit"] == ".."
    assert frame.isna().sum().sum() == 2  # the input is left as it was


def test_industry_names_are_wrapped_not_cut() -> None:
    name = "Computer programming, consultancy and related activities"
    wrapped = plots.wrap(name)
    assert wrapped.replace("\n", " ") == name
    assert max(len(line) for line in wrapped.splitlines()) <= 34
