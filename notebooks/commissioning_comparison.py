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
# # The same contract, a local or a national provider
#
# A council can buy a service from a local community organisation or from a national provider. The contract is the same;
# what differs is how much of it stays in the area: wages of staff who live locally, local suppliers, and what leaves as
# head-office overheads or profit. Local jobs in FTE, local GVA in £m a year.

# %% tags=["parameters"]
case = "jubilee_childrens_centre"
contract_value = 1_000_000
results_folder = None  # where results.csv, headline.json and the figures go (kil-io run sets "."); None: nowhere

# %%
import warnings

from kil_io import case_study, datasets
from kil_io.appraisal import commissioning
from kil_io.reporting import plots, reports

# kil_io explains NaN results with warnings; show them as one-line notes
warnings.formatwarning = lambda message, category, *args, **kwargs: f"{category.__name__}: {message}\n"

study = case_study(case)
local = datasets.regional_iot(study.area, study.year, method=study.method, delta=study.delta)
print(f"{study.title}: a £{contract_value:,.0f} contract in {study.area} (BRES {study.year}, {study.method.upper()})")

# %% [markdown]
# ## How each provider spends £1 of the contract

# %%
reports.provider_inputs(study).round(3)

# %% [markdown]
# ## Local jobs, GVA and LM3 by provider
#
# The last row is the difference: what commissioning locally adds to the local economy.

# %%
comparison = commissioning.compare_providers(contract_value, study.providers, local)
columns = {
    "fte": ("Local jobs (FTE)", "fte"), "gva": ("Local GVA", "money_m"), "lm3": ("LM3 (£ per £1)", "ratio"),
    "local_spend": ("Spent in the area", "money_m"),
}  # fmt: skip
reports.formatted(comparison.to_frame(), columns)

# %%
fig = plots.provider_bars(comparison)

# %%
difference = comparison.to_frame().iloc[-1]
headline = {
    "Contract value (£)": contract_value,
    "Extra local jobs with the local provider (FTE)": difference["fte"],
    "Extra local GVA with the local provider (£m)": difference["gva"],
    "LM3 difference (£ per £1)": difference["lm3"],
}
reports.save_results(comparison.to_frame(), headline, {"providers": fig}, folder=results_folder)
reports.headline_table(headline)
