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
# # What an organisation is worth to its local economy
#
# Local jobs (FTE), value added in the area's workplaces (GVA, £m) and income kept by local people (£m) that an
# organisation supports in its area, from its accounts, **gross** and **net**:
#
# - **direct**: its own staff (FTE); GVA = staff costs + surplus; local income = pay of staff who live locally + the
#   surplus it keeps in the area;
# - **indirect**: its local supply chain (spending bought from local suppliers, through the local Type I model);
# - **induced**: pay re-spent locally by the local residents among its staff and its suppliers' staff (the household
#   closure: household spending per £ of total household income, and only residents' pay, Census 2021 commuting);
# - **enabled**: the businesses it hosts, their own jobs and GVA and their local supply chains.
#
# Net = gross after the Additionality Guide's leakage (benefits to non-residents, from commuting), displacement,
# substitution and deadweight (the reference case); the input-output model is the multiplier, applied once.
#
# The local economy is a table regionalised from the UK input-output table with location quotients of local employment.
# Every input comes from the case file with its source; published study figures are shown beside the model's, never used as inputs.

# %% tags=["parameters"]
case = "halifax_opportunities_trust"  # a shipped case, or the path of your own case file (my_centre.yaml)
area = None  # None: the case file's area; or another area of Great Britain (name or code) to appraise it in
draws = 10_000  # Monte Carlo draws of the uncertain inputs (at least 100)
seed = 2026  # the same seed gives the same ranges
results_folder = None  # where the results and charts go (kil-io run sets "."); None: nowhere

# %%
import pandas as pd

import kil_io
from kil_io.reporting import outputs, pages, places, plots

pd.set_option("display.max_colwidth", None)  # sources in full

result = kil_io.appraise(kil_io.case_study(case, area=area), draws, seed=seed, places=True)
print(f"{result.title}: {result.area}; local table from the UK {result.national_year} table and {result.year} jobs")
print(result.description)

# %% [markdown]
# ## The headline
#
# Central figures are the model at every input's value; ranges run from the 5th to the 95th percentile of the same
# model over draws of every uncertain input (90%).

# %%
pages.headline(result)

# %% [markdown]
# ## Inputs and their sources
#
# Every input with its unit, its basis (a record of the organisation's, official statistics or published guidance, or
# a labelled assumption), its range where it has one, and its source.

# %%
pages.inputs(result)

# %% [markdown]
# ## Local jobs, GVA and income by component, gross and net

# %%
pages.components(result)

# %%
fig = plots.case_chart(result)

# %% [markdown]
# ## How sure? Ranges from the inputs' own uncertainty
#
# Every assumption with a `range` in the case file, and the model's own choices (the FLQ delta, spread as in the
# Scotland calibration; the gross-to-net rates, between the low and high presets; the share of local jobs held by
# residents; the household income that closes the model) are drawn `draws` times, and every figure is recomputed for
# each draw.

# %%
pages.simulated(result)

# %% [markdown]
# ### What drives the range
#
# Each input moved on its own to the 5th and then the 95th percentile of its range (all others at their values), and
# its share of the variance of the draws (squared correlation).

# %%
pages.drivers(result)

# %%
fig_drivers = plots.drivers_chart(result)

# %% [markdown]
# ## From gross to net: the rates
#
# Rates by component. Leakage is the share of each component's benefit going to people who live outside the area: the
# organisation's own staff for its direct jobs, Census 2021 commuting for the rest. The enabled component's deadweight
# is 1 - the hosted businesses' additionality. Every rate is the case file's or a preset's labelled assumption.

# %%
pages.rates(result)

# %% [markdown]
# ## Beside the published figures
#
# A published study's figures, for comparison only: they are never inputs.

# %%
pages.published(result)

# %% [markdown]
# ## Which assumptions matter? One at a time
#
# Jobs and GVA, gross and net, when one assumption at a time takes another value (the case file's `sensitivity`).

# %%
pages.sensitivity(result)

# %% [markdown]
# ## LM3
#
# NEF's Local Multiplier 3: income, plus the part spent locally (local staff pay, local suppliers), plus what they
# re-spend locally, over income. Staff re-spend the same household share as the induced effects.

# %%
pages.lm3(result)

# %% [markdown]
# ## A local or a national provider?
#
# Where the case file describes providers: the same service, of the organisation's income, delivered by each; the last
# row is the difference. A national provider's surplus is GVA in the area's workplace but leaves as income.

# %%
pages.providers(result)

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

# %% [markdown]
# ## Checks on the records and notes on the model

# %%
pages.checks(result)

# %%
figures = {"impact": fig, "drivers": fig_drivers, "places": fig_places}
saved = outputs.save_appraisal(result, results_folder, figures=figures)
