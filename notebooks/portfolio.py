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
# # Many organisations and contracts, added up without counting any twice
#
# Local jobs (FTE), value added in the areas' workplaces (GVA, £m) and income kept by local people (£m) that several
# organisations and contracts support, by area and in total, as Locality's Keep it Local pilot added up its ten
# organisations (about 1,400 jobs and £120m of GVA). Each entry of the portfolio file is appraised on its own, as its
# own page would show it; what one entry already counts of another is then taken out:
#
# - an organisation **part of** another (the Jubilee Children's Centre is run by Halifax Opportunities Trust) is listed
#   with its own figures but not added: its income, staff and spending are in the other's accounts;
# - a contract **paid to** an organisation already counted is not added either: its value is part of that income;
# - where an entry pays part of its local spending to another entry (a **shared supplier**), the supply-chain jobs and
#   GVA that spending gives the spender are taken off it: the supplier's own appraisal counts them.
#
# Gross figures count every job and £ the spending supports; net figures only what would not otherwise be in the area.
# The two are never added together.

# %% tags=["parameters"]
portfolio = "west_yorkshire_example"  # a shipped portfolio (data/portfolios/), or the path of your own portfolio file
draws = 10_000  # Monte Carlo draws of every entry (at least 100)
seed = 2026  # the same seed gives the same ranges
results_folder = None  # where the results and charts go (kil-io run sets "."); None: nowhere

# %%
import pandas as pd

import kil_io
from kil_io.reporting import plots, portfolio_outputs, portfolio_pages

pd.set_option("display.max_colwidth", None)  # reasons and sources in full

result = kil_io.appraise_portfolio(portfolio, draws, seed=seed)
print(f"{result.title}: {len(result.entries)} entries in {', '.join(g.area for g in result.areas)}")
print(result.description)

# %% [markdown]
# ## The headline
#
# Central figures are the entries' own appraisals added up, less what is counted twice; ranges run from the 5th to the
# 95th percentile of the entries' draws added draw by draw (90%).

# %%
print(portfolio_pages.sentence(result))
for area in result.areas:
    print(portfolio_pages.sentence(result, area))

# %%
portfolio_pages.totals(result)

# %%
fig = plots.portfolio_chart(result)

# %% [markdown]
# ## The entries
#
# Each entry's own figures, from its own appraisal (the same as its own page with its own seed), and whether it is
# added up or counted within another entry.

# %%
portfolio_pages.entries(result)

# %% [markdown]
# ## Counted once: what was taken out, and why

# %%
portfolio_pages.removed(result)

# %% [markdown]
# ## How the ranges treat the entries together, notes and sources

# %%
portfolio_pages.notes(result)

# %%
portfolio_pages.sources(result)

# %%
portfolio_outputs.save_portfolio(result, results_folder, figures={"portfolio": fig})
