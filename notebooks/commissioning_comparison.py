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
draws = 10_000  # Monte Carlo draws of the uncertain inputs (at least 100)
seed = 2026  # the same seed gives the same ranges
results_folder = None  # where results.csv, headline.json and the figures go (kil-io run sets "."); None: nowhere

# %%
import warnings

from kil_io import case_study, datasets, uncertainty
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
reports.readable(reports.provider_inputs(study), 3)

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
columns = {
    "fte": ("Local jobs (FTE)", "fte"), "fte_net": ("Net additional local jobs (FTE)", "fte"),
    "gva": ("Workplace GVA", "money_m"), "local_income": ("Local income", "money_m"),
    "lm3": ("LM3 (£ per £1)", "ratio"), "local_spend": ("Spent in the area", "money_m"),
}  # fmt: skip
reports.formatted(comparison.to_frame(), columns)

# %% [markdown]
# ## How sure is the difference?
#
# The providers' assumptions with a `range` in the case file, and the model's own choices (the FLQ delta, spread as in
# the Scotland calibration; the gross-to-net rates; the share of local jobs held by residents; the household income
# closing the model), drawn `draws` times; both providers see the same draw of the model's choices. Central =
# the table above; range = 5th to 95th percentile; `p_positive` = the share of draws in which the local provider
# does better.

# %%
sim = uncertainty.simulate(study, draws, seed=seed, contract_value=contract_value)
gap = sim.difference_key
for measure, what in [("fte", "Extra local jobs, gross"), ("fte_net", "Extra local jobs, net additional"),
                      ("gva", "Extra workplace GVA"), ("local_income", "Extra local income"),
                      ("lm3", "LM3 difference (£ per £1)")]:  # fmt: skip
    row = sim.summary().loc[gap(measure)]
    print(f"{what}: {reports.with_range(sim, gap(measure))}; local provider ahead in {row['p_positive']:.0%} of draws")
reports.readable(sim.summary().loc[[gap(m) for m in ("fte", "fte_net", "gva", "gva_net", "local_income", "lm3")]], 3)

# %%
bars = sim.summary()
names = [p.name for p in study.providers.values()]
fig = plots.provider_bars(
    comparison,
    ranges={
        (p, m): (bars.loc[f"{p}: {m}", "low"], bars.loc[f"{p}: {m}", "high"]) for p in names for m in ("fte", "gva")
    },
)

# %%
swings = uncertainty.drivers(sim, gap("fte"), top=8)
fig_drivers = plots.tornado_chart(swings, title="Extra local jobs with the local provider (FTE): what drives the range")
reports.readable(swings, 3)

# %%
headline = reports.contract_headline(contract_value, comparison.to_frame())
ranges = sim.ranges({label: gap(measure) for label, measure in reports.CONTRACT_HEADLINE.items()})
figures = {"providers": fig, "drivers": fig_drivers}
reports.save_results(comparison.to_frame(), headline, figures, folder=results_folder, ranges=ranges)
reports.headline_table(headline)
