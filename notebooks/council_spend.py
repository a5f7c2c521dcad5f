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
# # The council's own spend: what its local suppliers support, and what a shift would add
#
# A council publishes every payment over £500. Where its suppliers are (their postcodes) gives the share of its spend
# that stays in the area, weighted by £ (CLES's spend analysis): the headline of the ledger. Each payment's expense type
# says which industry it buys from, so the local part of the spend can be followed through the area's input-output
# table: the local suppliers' own jobs and those of their local supply chains (Type I), and local households'
# re-spending of the pay (Type II). Local jobs in FTE; workplace GVA and local income in £m a year; each gross and net
# of leakage, displacement, substitution and deadweight (the central preset's labelled assumptions), with 90% ranges.
# A shift moves a share of chosen categories' spend from suppliers outside the area to suppliers inside it.

# %% tags=["parameters"]
spend_file = "example"  # a spend over £500 file (.csv or .xlsx); "example": the shipped Leeds one, with its postcodes
postcodes_file = ""  # supplier -> postcode file, if the spend file has no postcodes ("": none, or the example's)
area = "Leeds"  # the local area: an authority, region or nation (kil-io areas)
year = 2022  # BRES year of the local table
shifts = [["Repairs and maintenance", 0.25], ["Home care", 0.25]]  # [WHAT, SHARE]; WHAT a category or expense type
categories_file = ""  # the council's own expense-type words -> categories (columns words, category); "": kil_io's
draws = 10_000  # Monte Carlo draws of the uncertain inputs (at least 100)
seed = 2026  # the same seed gives the same ranges
title = ""  # "": "<area>: the council's spend with local suppliers"
pdf = True  # print brief.pdf with headless Chromium (when results are saved)
results_folder = None  # where the results, charts and brief go (kil-io run sets "."); None: nowhere

# %%
import pandas as pd

from kil_io.records.council_spend import council_spend
from kil_io.reporting import procurement_law, spend_brief, spend_pages, spend_plots, spend_wording

pd.set_option("display.max_colwidth", None)  # sources in full

result = council_spend(
    spend_file, area, postcodes=postcodes_file, year=year, categories=categories_file or None, shifts=shifts,
    draws=draws, seed=seed, title=title, option="shifts",
)
print(spend_wording.ledger_sentence(result))

# %% [markdown]
# ## The ledger: where the money went, weighted by £
#
# The local share is weighted by £; the plain mean of the service areas' shares is not the same figure and never
# stands in for it.

# %%
spend_pages.service_areas(result)

# %% [markdown]
# ## What today's local spend supports

# %%
print(spend_wording.impact_sentence(result))
spend_pages.headline(result)

# %% [markdown]
# ## By category
#
# Each category is the industry its payments buy from; the last rows are the payments in no industry (grants, refunds
# and expense types no rule places: in the local share, not in the jobs) and the whole ledger.

# %%
spend_pages.categories(result)

# %%
fig = spend_plots.spend_chart(result)

# %%
spend_pages.unmapped(result)

# %% [markdown]
# ## The shift
#
# Each shift moves its share of the spend now with suppliers outside the area to suppliers inside it; today and the
# shifted ledger are simulated over the same draws, so the extra is a like-for-like difference.

# %%
print(spend_wording.shift_sentence(result) or "No shift given: today's spend only.")
spend_pages.shifts(result)

# %%
spend_pages.components(result)

# %% [markdown]
# ## What can be scored: procurement law in words

# %%
print(procurement_law.law_text(result.area))

# %% [markdown]
# ## How each payment was placed, every input and what the figures do not say

# %%
spend_pages.placements(result)

# %%
spend_pages.inputs(result)

# %%
spend_pages.notes(result)

# %%
spend_brief.save_spend(result, results_folder, figures={"spend": fig}, pdf=pdf);
