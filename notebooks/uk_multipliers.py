# ---
# jupyter:
#   jupytext:
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
# # UK Type I and Type II multipliers
#
# How much output, value added (GVA) and employment does £1 (or £1m) of extra final demand for a sector's output support across the UK economy?
# This notebook reads the shipped ONS Input-Output Analytical Tables (industry by industry, £m, basic prices) with FTE employment, and shows
# **Type I** effects (direct + indirect: the supply chain) and **Type II** effects (+ induced: employees re-spending their wages).
#
# Vocabulary as the ONS and the Scottish Government use it: an *effect* is the total change per unit of final demand (GVA in £ per £1, jobs in FTE per £1m);
# a *multiplier* is that total divided by the direct change in the same variable.

# %% tags=["parameters"]
# Parameters: papermill replaces this cell's values.
year = 2019
sectors = ["Q87 & Q88", "P85", "S94"]
results_folder = None  # where results.csv, headline.json and the figures go (kil-io run sets "."); None: nowhere

# %%
import warnings

import pandas as pd

import kil_io
from kil_io import datasets
from kil_io.reporting import plots, reports

# kil_io explains NaN results with warnings; show them as one-line notes
warnings.formatwarning = lambda message, category, *args, **kwargs: f"{category.__name__}: {message}\n"

uk = datasets.uk_iot(year)
type_i = kil_io.multipliers(uk, "type_i")
type_ii = kil_io.multipliers(uk, "type_ii")
uk

# %% [markdown]
# Sectors with no direct jobs or pay (owner-occupiers' imputed rent, `L68A`) have no ratio *multiplier* (NaN, as the warning says); their *effects* are still computed.
#
# ## Headline sectors

# %%
columns = ["output_multiplier", "gva_effect", "gva_multiplier", "employment_effect", "employment_multiplier"]
headline_table = pd.concat({"Type I": type_i.loc[sectors, columns], "Type II": type_ii.loc[sectors, columns]}, axis=1)
headline_table.index = pd.MultiIndex.from_arrays([sectors, uk.sector_names[sectors]], names=["sector", "name"])
reports.readable(headline_table.T, 3)

# %% [markdown]
# Jobs supported per £1m of final demand (FTE). The dark bar is the supply-chain (Type I) effect including the sector's own jobs; the light bar adds the induced jobs from household spending.

# %%
jobs = plots.multiplier_bars(
    type_i, type_ii, "employment_effect", sectors, names=uk.sector_names,
    title=f"UK {year}: jobs supported per £1m of final demand",
)

# %%
gva = plots.multiplier_bars(
    type_i, type_ii, "gva_effect", sectors, names=uk.sector_names,
    title=f"UK {year}: GVA supported per £1 of final demand",
)

# %% [markdown]
# ## All sectors
#
# The full tables (105 industries) are what `kil-io multipliers` writes to `outputs/tables/uk/`. The ten sectors with the largest Type II employment effect:

# %%
top = type_ii.nlargest(10, "employment_effect")[["employment_effect", "gva_effect", "output_multiplier"]]
top.insert(0, "name", uk.sector_names[top.index])
top.round(2)

# %% [markdown]
# **Reading Type II with care.** The household column is household consumption of UK output divided by households' total
# income (primary and secondary resources, the UK household accounts): the Scottish Government's closure, and kil_io's default.
# Closing on employee pay alone (`closure="coe"`) makes UK households re-spend about £0.90 of domestic output per £1 and
# doubles the Type I effects; the README's closure table compares the two. Figures are for the UK economy; local
# (regional) multipliers are smaller because more spending leaks out of the area.

# %%
first = sectors[0]
headline = {
    f"{first}: Type II output multiplier": type_ii.loc[first, "output_multiplier"],
    f"{first}: Type II jobs per £1m (FTE)": type_ii.loc[first, "employment_effect"],
    f"{first}: Type II GVA per £1 (£)": type_ii.loc[first, "gva_effect"],
}
ranges = {  # a national table has no regionalisation to vary: say so rather than show no range
    key: "exact: ONS's published table" if "Type I " in key else "national table; Type II rests on the household closure"
    for key in headline
}
reports.save_results(headline_table, headline, {"jobs": jobs, "gva": gva}, folder=results_folder, ranges=ranges)
