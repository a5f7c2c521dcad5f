# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
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
# # What an organisation is worth to its local economy
#
# Local jobs (FTE) and value added (GVA, £m) that an organisation supports in its area, from its accounts:
#
# - **direct**: its own staff (FTE), and GVA = staff costs + surplus;
# - **indirect**: its local supply chain (spending bought from local suppliers, through the local Type I model);
# - **induced**: wages re-spent locally, by its local staff and by its suppliers' staff (local Type II less Type I);
# - **enabled**: the businesses it hosts, their own jobs and GVA and their local supply chains (scaled by additionality).
#
# The local economy is a table regionalised from the UK input-output table with location quotients of local employment.
# Every input comes from the case file with its source; published study figures are shown beside the model's, never used as inputs.

# %% tags=["parameters"]
case = "halifax_opportunities_trust"
results_folder = None  # where results.csv, headline.json and the figures go (kil-io run sets "."); None: nowhere

# %%
import warnings

import pandas as pd

import kil_io
from kil_io import datasets
from kil_io.reporting import plots, reports

pd.set_option("display.max_colwidth", None)  # sources in full
# kil_io explains NaN results with warnings; show them as one-line notes
warnings.formatwarning = lambda message, category, *args, **kwargs: f"{category.__name__}: {message}\n"

study = kil_io.case_study(case)
local = datasets.regional_iot(study.area, study.year, method=study.method, delta=study.delta)
print(f"{study.title}: {study.area}, BRES {study.year}, {study.method.upper()} delta {study.delta}")
print(study.description)

# %% [markdown]
# ## Inputs and their sources

# %%
reports.formatted_inputs(study)

# %% [markdown]
# ## Local jobs and GVA by component
#
# Jobs in FTE, GVA in £ a year; the ratios are per £1m (jobs) and per £1 (GVA) of the organisation's income.

# %%
result = kil_io.organisation_impact(study.organisation, local)
table = reports.case_results(study)
columns = {
    "fte": ("Local jobs (FTE)", "fte"), "gva": ("Local GVA", "money_m"),
    "fte_per_1m_income": ("FTE per £1m of income", "ratio"), "gva_per_1_income": ("GVA per £1 of income (£)", "ratio"),
}  # fmt: skip
reports.formatted(table["impact"], columns)

# %%
published = {k: v for k, v in reports.published_figures(study).items() if k != "lm3"}
fig = plots.impact_bars(result, published=published)

# %% [markdown]
# ## Beside the published figures

# %%
reports.formatted_by_unit(table["published"], ("model", "published"))

# %% [markdown]
# ## Which assumptions drive the difference?
#
# Total local FTE and GVA (£m) when one assumption at a time takes another value (the case file's `sensitivity`).

# %%
reports.formatted_sensitivity(table["sensitivity"]) if len(table["sensitivity"]) else "No sensitivity in this case file."

# %% [markdown]
# ## LM3
#
# NEF's Local Multiplier 3: income, plus the part spent locally (local staff pay, local suppliers), plus what they re-spend
# locally, over income. The source column says which rounds are surveyed and which modelled from the local table.

# %%
reports.formatted_by_unit(table["lm3"])

# %% [markdown]
# ## A local or a national provider?
#
# For a contract, the same contract delivered by each provider in the case file: local jobs (FTE), local GVA (£m), LM3,
# and the £m of the contract spent in the area; the last row is the difference.

# %%
providers = {
    "fte": ("Local jobs (FTE)", "fte"), "gva": ("Local GVA", "money_m"), "lm3": ("LM3 (£ per £1)", "ratio"),
    "local_spend": ("Spent in the area", "money_m"),
}  # fmt: skip
reports.formatted(table["providers"], providers) if "providers" in table else "No providers to compare in this case file."

# %%
frame = table["impact"]
headline = {
    "Local jobs (FTE)": frame.loc["total", "fte"],
    "Local GVA (£m)": frame.loc["total", "gva"],
    "LM3 (£ per £1 of income)": table["lm3"].loc["lm3", "value"],
}
reports.save_results(frame, headline, {"impact": fig}, folder=results_folder)
reports.headline_table(headline)
