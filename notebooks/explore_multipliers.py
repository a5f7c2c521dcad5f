# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Explore local multipliers
#
# Pick any area (type to search: authorities, ITL areas, combined authorities, nations), a year, industries, the
# location-quotient method, δ (FLQ and AFLQ only) and a measure: the chart and the table redraw at each change (open
# in JupyterLab; the controls need a live kernel). Run headless (papermill, CI), the notebook shows the chart of the
# parameters below. To explore without changing this template, copy it first: `kil-io notebook explore_multipliers`.

# %% tags=["parameters"]
area = "Calderdale"
year = 2021
sectors = ["Q87 & Q88", "P85", "S94"]
method = "flq"
delta = 0.225
measure = "employment_effect"

# %%
import kil_io

kil_io.explore(area, year, sectors, method=method, delta=delta, measure=measure)
