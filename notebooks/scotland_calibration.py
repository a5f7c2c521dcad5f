# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Which location-quotient method and δ? Calibration against Scotland's own table
#
# Location quotients estimate a regional table from a national one. To trust them for Calderdale we check them where the truth is
# known: Scotland has a survey-based input-output table (Scottish Government, 98 industries, 2019). The UK table is regionalised to
# Scotland with Scottish employment, both tables are aggregated to the industries they share (94 common sectors, matched through SIC
# 2007), and each method's multipliers are compared with Scotland's own. The error is the weighted absolute percentage error (WAPE),
# weighted by Scottish output.

# %% tags=["parameters"]
# Parameters: papermill replaces this cell's values.
kind = "type_i"
measure = "output_multiplier"
year = 2019
results_folder = None  # where results.csv, headline.json and the figures go (kil-io run sets "."); None: nowhere

# %%
import warnings

from kil_io import datasets
from kil_io.regional.calibration import calibrate_delta
from kil_io.reporting import plots, reports

# kil_io explains NaN results with warnings; show them as one-line notes
warnings.formatwarning = lambda message, category, *args, **kwargs: f"{category.__name__}: {message}\n"

calibration = calibrate_delta(**datasets.scotland_calibration_inputs(year), kind=kind, measure=measure)
calibration.best().round(3)

# %% [markdown]
# `wape` and `mape` are in %; `bias` is the weighted mean of estimate / survey − 1 (%): positive means the method overstates
# Scotland's multipliers. SLQ and CILQ have no δ.

# %%
curve = plots.calibration_curve(calibration)

# %% [markdown]
# Each point is a common sector, sized by its Scottish output; points on the dashed line are estimated exactly.

# %%
best = calibration.comparison("flq")
scatter = plots.calibration_scatter(best, label=measure.replace("_", " "), title="FLQ at its best δ")

# %%
best.assign(error_pct=best["error_pct"].round(1)).sort_values("weight", ascending=False).head(10).round(3)

# %% [markdown]
# **Reading it.** SLQ and CILQ ignore regional size and overstate a region's self-sufficiency; FLQ and AFLQ correct for it through δ.
# Scotland is a large region (about 8% of GB employment); for a much smaller area such as Calderdale the FLQ literature suggests a
# similar or somewhat larger δ. The δ-sensitivity chart in the regional multipliers notebook shows what that range means for local figures.

# %%
summary = calibration.best()
headline = {
    "FLQ best delta": summary.loc["flq", "delta"],
    "FLQ weighted error (%)": summary.loc["flq", "wape"],
    "CILQ weighted error (%)": summary.loc["cilq", "wape"],
}
reports.save_results(calibration.errors, headline, {"calibration": curve, "scatter": scatter}, folder=results_folder)
