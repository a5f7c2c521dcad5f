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
# Move the sliders to see how the location-quotient method and the FLQ's δ change an area's multipliers (open in
# JupyterLab; the controls need a live kernel). Run headless (papermill, CI) the notebook executes with the defaults.

# %% tags=["parameters"]
area = "Calderdale"
year = 2021
sectors = ["Q87 & Q88", "P85", "S94"]

# %%
import warnings

import ipywidgets as widgets

from kil_io import datasets
from kil_io.model.multipliers import compare
from kil_io.reporting import plots, reports

warnings.formatwarning = lambda message, category, *args, **kwargs: f"{category.__name__}: {message}\n"
uk = datasets.uk_iot(datasets.national_year_for(year))


def show(method: str = "flq", delta: float = 0.225, measure: str = "employment_effect") -> None:
    """Local Type I and II multipliers of the chosen sectors for one method and delta."""
    local = datasets.regional_iot(area, year, method=method, delta=delta)
    table = compare({area: local, "UK": uk}, sectors)
    display(reports.readable(table.T, 3))  # noqa: F821 (IPython's display)
    ours = table[area].droplevel("name")
    plots.multiplier_bars(ours["type_i"], ours["type_ii"], measure, sectors, names=local.sector_names,
                          title=f"{area} ({year}), {method.upper()} delta {delta:g}")


widgets.interact(
    show,
    method=widgets.Dropdown(options=["slq", "cilq", "flq", "aflq"], value="flq"),
    delta=widgets.FloatSlider(value=0.225, min=0.0, max=0.5, step=0.025),
    measure=widgets.Dropdown(options=["employment_effect", "gva_effect", "output_multiplier"], value="employment_effect"),
)
