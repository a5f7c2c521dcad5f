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
case = "halifax_opportunities_trust"
draws = 10_000  # Monte Carlo draws of the uncertain inputs (at least 100)
seed = 2026  # the same seed gives the same ranges
results_folder = None  # where results.csv, headline.json and the figures go (kil-io run sets "."); None: nowhere

# %%
import warnings

import pandas as pd

import kil_io
from kil_io import datasets, uncertainty
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
# ## Local jobs, GVA and income by component, gross and net
#
# Jobs in FTE, workplace GVA and local income in £ a year, each gross and net additional; the ratios are per
# £1m (jobs) and per £1 (GVA) of the organisation's income.

# %%
result = kil_io.organisation_impact(study.organisation, local, rates=study.rates, respend_share=study.respend_share)
table = reports.case_results(study)
columns = {
    "fte": ("Local jobs (FTE)", "fte"), "fte_net": ("Net additional jobs (FTE)", "fte"),
    "gva": ("Workplace GVA", "money_m"), "gva_net": ("Net additional GVA", "money_m"),
    "local_income": ("Local income", "money_m"), "local_income_net": ("Net additional income", "money_m"),
    "fte_per_1m_income": ("FTE per £1m of income", "ratio"), "gva_per_1_income": ("GVA per £1 of income (£)", "ratio"),
}  # fmt: skip
reports.formatted(table["impact"], columns)

# %% [markdown]
# ## How sure? Ranges from the inputs' own uncertainty
#
# Every assumption with a `range` in the case file, and the model's own choices (the FLQ delta, spread as in the
# Scotland calibration; the gross-to-net rates, between the low and high presets; the share of local jobs held by
# residents; the household income that closes the model), are drawn `draws` times and every figure is recomputed
# for each draw. The central value is the deterministic result above; the range runs from the 5th to the 95th
# percentile of the draws (90%). `p_positive` is the share of draws in which the local provider does better.

# %%
sim = uncertainty.simulate(study, draws, seed=seed)
for key, what in [("fte", "Local jobs, gross"), ("fte_net", "Local jobs, net additional"),
                  ("gva", "Workplace GVA, gross"), ("gva_net", "Workplace GVA, net additional"),
                  ("local_income", "Local income, gross"), ("lm3", "LM3 (£ per £1 of income)")]:  # fmt: skip
    print(f"{what}: {reports.with_range(sim, key)}")
reports.readable(sim.summary().dropna(axis=1, how="all"), 3)

# %%
published = {k: v for k, v in reports.published_figures(study).items() if k != "lm3"}
bars = sim.summary()
fig = plots.impact_bars(
    result, published=published, ranges={m: (bars.loc[m, "low"], bars.loc[m, "high"]) for m in ("fte", "gva")}
)

# %% [markdown]
# ### What drives the range
#
# Each input moved on its own to the 5th and then the 95th percentile of its range (all others at their values), and
# its share of the variance of the draws (squared correlation), for net additional jobs.

# %%
swings = uncertainty.drivers(sim, "fte_net", top=8)
reports.readable(swings, 3)

# %%
fig_drivers = plots.tornado_chart(swings, title="Net additional local jobs (FTE): what drives the range")

# %% [markdown]
# The inputs drawn, with their ranges and sources:

# %%
spec = sim.specification
reports.readable(spec[spec["distribution"] != "fixed"], 3)

# %% [markdown]
# ## From gross to net: the rates and where each comes from
#
# Rates by component (shares). Leakage is the share of each component's jobs held by people who live outside the area:
# the organisation's own staff share for its direct jobs, Census 2021 commuting for the rest. The enabled component's
# deadweight is 1 - the hosted businesses' additionality. Every rate is the case file's or a preset's labelled
# assumption, never an official default.

# %%
reports.readable(table["additionality"], 3)

# %%
table["assumptions"]

# %% [markdown]
# ## What moved, and why
#
# Earlier versions of kil_io reported gross figures only, closed the household sector on pay alone (households
# re-spending £0.90 of domestic output per £1 of pay), counted every worker as a resident, and scaled the hosted
# businesses' activity by their additionality inside the gross figure. Now the household spending is per £ of total
# household income (the Scottish Government's closure), only residents' pay is re-spent, all hosted activity is
# gross and its additionality is the enabled component's reference case in the net. Below, the gross totals under the
# old closure beside today's, so the change of closure alone can be seen.

# %%
old = kil_io.organisation_impact(
    study.organisation, local, closure="coe", resident_share=1.0, rates=study.rates
).to_frame()
moved = table["impact"][["fte", "gva"]].join(old[["fte", "gva"]].add_suffix(" (pay-only closure, no commuting)"))
reports.readable(moved, 2)

# %% [markdown]
# ## Beside the published figures

# %%
reports.formatted_by_unit(
    table["published"], tuple(c for c in ("model (gross)", "model (net)", "published") if c in table["published"])
)

# %% [markdown]
# ## Which assumptions drive the difference?
#
# Total local FTE and GVA (£m) when one assumption at a time takes another value (the case file's `sensitivity`).

# %%
reports.formatted_sensitivity(table["sensitivity"]) if len(
    table["sensitivity"]
) else "No sensitivity in this case file."

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
# For a contract, the same contract delivered by each provider in the case file: local jobs (FTE), workplace GVA and
# local income (£m), gross and net, LM3, and the £m of the contract spent in the area; the last row is the difference.
# A national provider's surplus is GVA in the area's workplace but leaves as income: the difference between the
# providers shows in local income more than in GVA.

# %%
providers = {
    "fte": ("Local jobs (FTE)", "fte"), "fte_net": ("Net additional jobs (FTE)", "fte"),
    "gva": ("Workplace GVA", "money_m"), "local_income": ("Local income", "money_m"),
    "lm3": ("LM3 (£ per £1)", "ratio"), "local_spend": ("Spent in the area", "money_m"),
}  # fmt: skip
reports.formatted(
    table["providers"], providers
) if "providers" in table else "No providers to compare in this case file."

# %%
frame = table["impact"]
headline = reports.organisation_headline(table)
ranges = sim.ranges(reports.ORGANISATION_HEADLINE)
reports.save_results(frame, headline, {"impact": fig, "drivers": fig_drivers}, folder=results_folder, ranges=ranges)
reports.headline_table(headline)
