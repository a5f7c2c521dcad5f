"""Report charts carry their units and show Type I and the induced part."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import kil_io
from kil_io import IOTable, plots


def test_multiplier_bars(mb_table: IOTable) -> None:
    m1, m2 = kil_io.multipliers(mb_table, "type_i"), kil_io.multipliers(mb_table, "type_ii")
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
