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
# # The same contract, different providers: what stays in the local economy
#
# A council can buy a service from a local community organisation, a national provider, or any of several bidders.
# The contract is the same; what differs is how much of it stays in the area: wages of staff who live locally, local
# suppliers, and what leaves as head-office overheads or profit. Local jobs in FTE; workplace GVA (value added in the
# area, the provider's surplus included wherever its owner is) and local income (pay of local residents and the surplus
# kept in the area) in £m a year; each gross and net of leakage, displacement, substitution and deadweight (the case
# file's rates or the central preset's labelled assumptions).
#
# A tender (a case made with `kil-io new-case --contract` from a bids file) compares its bids pair by pair, ranks them,
# and, where it is split into lots, compares one contract with the lots. What is scored in a procurement is what a
# bidder commits to deliver, not where it is based (the last section).

# %% tags=["parameters"]
case = "jubilee_childrens_centre"  # a shipped case with providers or bids, or the path of your own case file
contract_value = None  # £ a year; None: the case's own contract value (a tender's), else the organisation's income
area = None  # None: the case file's area; or another area of Great Britain (name or code) to appraise it in
draws = 10_000  # Monte Carlo draws of the uncertain inputs (at least 100)
seed = 2026  # the same seed gives the same ranges
results_folder = None  # where the results and charts go (kil-io run sets "."); None: nowhere

# %%
import pandas as pd

import kil_io
from kil_io.reporting import outputs, pages, places, plots, tender, wording

pd.set_option("display.max_colwidth", None)  # sources in full

result = kil_io.appraise(kil_io.case_study(case, area=area), draws, seed=seed, contract_value=contract_value,
                        places=True)
print(f"{result.title}: a £{result.contract_value:,.0f} a year contract in {result.area}")
print(wording.headline_sentence(result))

# %% [markdown]
# ## The headline
#
# With two providers of an organisation's service: what the first adds over the last. With bids: each bid's figures.
# Every figure with its 90% range, from draws in which every provider sees the same draw of the model's own choices;
# "above zero in" is the share of draws in which the first provider does better.

# %%
pages.headline(result)

# %% [markdown]
# ## Each bid or provider, with its range, and how they rank
#
# A bid ranks ahead of another when it supports more net additional local jobs in at least 90% of the shared draws;
# otherwise the two cannot be told apart and share a rank.

# %%
tender.bids(result)

# %%
tender.ranking(result)

# %%
tender.pairs(result)

# %% [markdown]
# ## One contract or lots
#
# Where the contract is split into lots: each lot's bids, who it goes to, and the lots together against the whole
# contract to its winner.

# %%
tender.lot_totals(result)

# %%
tender.lots(result)

# %% [markdown]
# ## How each provider spends £1 of the contract

# %%
pages.inputs(result)

# %% [markdown]
# ## Local jobs, GVA, local income and LM3 by provider
#
# A national provider's profit is value added in the area (GVA) but leaves as income, so most of the difference
# between the providers' surpluses shows in local income, not in GVA.

# %%
pages.providers(result)

# %%
fig = plots.case_chart(result)

# %% [markdown]
# ## How sure are the figures?

# %%
pages.simulated(result)

# %%
pages.drivers(result)

# %%
fig_drivers = plots.drivers_chart(result)

# %% [markdown]
# ## What may be scored

# %%
print(tender.LAW)

# %% [markdown]
# ## Where the jobs are: every authority in Great Britain
#
# The local table says what stays in the area; the interregional model of every GB authority says where the rest goes
# (gross, with households' re-spending): what is not bought locally is bought from other authorities in proportion to
# their output of it and a decay with distance, staff who live elsewhere spend their pay where they live, and the
# authorities' supply chains buy from each other. Each figure's range is over the distance decay (0.6-1.5); the
# total is the national table's. The area's own figure is at least the local table's: some of what leaks comes back.

# %%
print("\n".join(places.sentences(result)))
places.table(result)

# %%
fig_places = places.chart(result)

# %% [markdown]
# ## What moved, and why
#
# Where kil_io published this case's figures before, each change of a headline figure between releases with its
# reason (a new default, a corrected rule, newer data); the full list is in the changelog.

# %%
pages.history(result)

# %%
figures = {"providers": fig, "drivers": fig_drivers, "places": fig_places}
saved = outputs.save_appraisal(result, results_folder, figures=figures)
