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
# # The same contract, a local or a national provider
#
# A council can buy a service from a local community organisation or from a national provider. The contract is the same;
# what differs is how much of it stays in the area: wages of staff who live locally, local suppliers, and what leaves as
# head-office overheads or profit. Local jobs in FTE; workplace GVA (value added in the area, the provider's surplus
# included wherever its owner is) and local income (pay of local residents and the surplus kept in the area) in £m a
# year; each gross and net of leakage, displacement, substitution and deadweight (the case file's rates or the central
# preset's labelled assumptions).

# %% tags=["parameters"]
case = "jubilee_childrens_centre"  # a shipped case with providers, or the path of your own case file
contract_value = 1_000_000  # £ a year
draws = 10_000  # Monte Carlo draws of the uncertain inputs (at least 100)
seed = 2026  # the same seed gives the same ranges
results_folder = None  # where the results and charts go (kil-io run sets "."); None: nowhere

# %%
import pandas as pd

import kil_io
from kil_io.reporting import outputs, pages, plots

pd.set_option("display.max_colwidth", None)  # sources in full

result = kil_io.appraise(kil_io.case_study(case), draws, seed=seed, contract_value=contract_value)
print(f"{result.title}: a £{contract_value:,.0f} contract in {result.area}")

# %% [markdown]
# ## The headline: what the local provider adds
#
# Each difference with its 90% range, from draws in which both providers see the same draw of the model's own choices;
# "above zero in" is the share of draws in which the local provider does better.

# %%
pages.headline(result)

# %% [markdown]
# ## How each provider spends £1 of the contract

# %%
pages.inputs(result)

# %% [markdown]
# ## Local jobs, GVA, local income and LM3 by provider
#
# The last row is the difference. A national provider's profit is value added in the area (GVA) but leaves as income,
# so most of the difference between the providers' surpluses shows in local income, not in GVA.

# %%
pages.providers(result)

# %%
fig = plots.case_chart(result)

# %% [markdown]
# ## How sure is the difference?

# %%
pages.simulated(result)

# %%
pages.drivers(result)

# %%
fig_drivers = plots.drivers_chart(result)

# %% [markdown]
# ## What moved, and why
#
# Where kil_io published this case's figures before, each change of a headline figure between releases with its
# reason (a new default, a corrected rule, newer data); the full list is in the changelog.

# %%
pages.history(result)

# %%
outputs.save_appraisal(result, results_folder, figures={"providers": fig, "drivers": fig_drivers})
