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


def test_organisation_and_provider_charts(local: IOTable) -> None:
    from kil_io.appraisal.commissioning import Provider, ProviderSpend, compare_providers
    from kil_io.appraisal.impact import organisation_impact
    from kil_io.appraisal.organisation import Figure, Organisation, Spend

    f = Figure
    org = Organisation("Trust", "here", 2019, f(1e6, "t"), f(20, "t"), f(6e5, "t"), f(0.5, "t"), f(5e4, "t"),
                       (Spend("1", 2e5, 0.5, "t"),))  # fmt: skip
    result = organisation_impact(org, local, closure="coe")
    fig = plots.impact_bars(result, published={"fte": 30.0})
    left, right = fig.axes[:2]
    assert left.get_ylabel() == "Local jobs (FTE)"
    assert right.get_ylabel() == "Local GVA (£m)"
    heights = [p.get_height() for p in left.patches]
    np.testing.assert_allclose(heights, result.to_frame()["fte"].drop("total"))
    plt.close(fig)
    p = Provider("P", f(0.6, "t"), f(3e4, "t"), f(0.8, "t"), (ProviderSpend("2", 0.2, 0.5, "t"),), f(0.1, "t"),
                 f(0.05, "t"), f(1.0, "t"))  # fmt: skip
    cmp = compare_providers(1e6, [p], local, closure="coe")
    fig = plots.provider_bars(cmp)
    total = sum(patch.get_height() for patch in fig.axes[1].patches)
    assert total == pytest.approx(cmp.to_frame().loc["P", "gva"])
    assert fig.axes[1].get_ylabel() == "Local GVA (£m)"
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


def test_print_charts_carry_units_source_error_bars_and_keep_the_legend_off_the_data(tmp_path) -> None:
    import pandas as pd
    from PIL import Image

    components = pd.DataFrame(
        {"fte": [140.0, 20.0, 15.0, 27.0], "gva": [4.3, 0.9, 0.6, 1.0]},
        index=["direct", "indirect", "induced", "enabled"],
    )
    fig = plots.component_chart(
        components, title="t", footer="Source: ONS input-output tables 2022; BRES 2021", ranges={"fte": (160.0, 245.0)}
    )
    jobs, gva = fig.axes[:2]
    assert (jobs.get_ylabel(), gva.get_ylabel()) == ("Local jobs (FTE)", "Local GVA (£m)")
    assert any("BRES 2021" in t.get_text() for t in fig.texts)
    [bar] = [c for c in jobs.containers if c.__class__.__name__ == "ErrorbarContainer"]
    np.testing.assert_allclose(bar.lines[2][0].get_segments()[0][:, 1], [160.0, 245.0])
    assert not gva.containers[-1].__class__.__name__ == "ErrorbarContainer"  # no range given for GVA
    fig.canvas.draw()
    legend = fig.legends[0].get_window_extent()
    for ax in (jobs, gva):
        assert not legend.overlaps(ax.get_window_extent())
    png, svg = plots.save_for_print(fig, tmp_path, "chart")
    plt.close(fig)
    with Image.open(png) as image:
        assert round(image.info["dpi"][0]) == plots.PRINT_DPI
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_industry_names_are_wrapped_not_cut() -> None:
    name = "Computer programming, consultancy and related activities"
    wrapped = plots.wrap(name)
    assert wrapped.replace("\n", " ") == name
    assert max(len(line) for line in wrapped.splitlines()) <= 34
