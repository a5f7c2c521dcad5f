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
# head-office overheads or profit. Local jobs in FTE; workplace GVA (value added in the area, the provider's surplus
# included wherever its owner is) and local income (pay of local residents and the surplus kept in the area) in £m a
# year; each gross and net of leakage, displacement, substitution and deadweight (the case file's rates or the central
# preset's labelled assumptions).

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
# ## Local jobs, GVA, local income and LM3 by provider
#
# The last row is the difference: what commissioning locally adds to the local economy. A national provider's profit
# is value added in the area (GVA) but leaves as income, so most of the difference between the providers' surpluses
# shows in local income, not in GVA. Earlier versions of kil_io left that surplus out of the national provider's GVA,
# which put about a quarter of the GVA difference down to where profit goes rather than to what is produced locally.
# The induced effects and LM3's third round re-spend the same household share.

# %%
comparison = commissioning.compare_providers(
    contract_value, study.providers, local, rates=study.rates, respend_share=study.respend_share
)
comparison.to_frame().round(3)

# %%
fig = plots.provider_bars(comparison)

# %%
difference = comparison.to_frame().iloc[-1]
headline = {
    "Contract value (£)": contract_value,
    "Extra local jobs with the local provider (FTE)": difference["fte"],
    "Extra local GVA with the local provider (£m)": difference["gva"],
    "Extra local income with the local provider (£m)": difference["local_income"],
    "Extra net additional local jobs (FTE)": difference["fte_net"],
    "LM3 difference (£ per £1)": difference["lm3"],
}
reports.save_results(comparison.to_frame(), headline, {"providers": fig}, folder=results_folder)
