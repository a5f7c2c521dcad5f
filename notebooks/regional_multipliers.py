# ---
# jupyter:
#   jupytext:
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
# # Local Type I and Type II multipliers
#
# No official input-output table exists for a local authority, so this notebook estimates one: the UK table is *regionalised* with
# location quotients of local employment (BRES), and the local multipliers are compared with the UK's. A local economy buys much of what
# it needs from elsewhere, so its multipliers are smaller: the difference is spending that leaks out of the area.
#
# Units: GVA effects in £ per £1 of final demand; employment effects in FTE jobs per £1m of final demand.

# %% tags=["parameters"]
# Parameters: papermill replaces this cell's values.
area = "Calderdale"
year = 2021
method = "flq"
delta = 0.225  # FLQ delta: kil_io's default, fitted on the Scottish Government's tables
sectors = ["Q87 & Q88", "P85", "S94"]
draws = 10_000  # draws of δ for the headline's 90% range (FLQ only)
seed = 2026
results_folder = None  # where results.csv, headline.json and the figures go (kil-io run sets "."); None: nowhere

# %%
import warnings

from kil_io import datasets, uncertainty
from kil_io.errors import ZeroOutputWarning
from kil_io.model.multipliers import compare
from kil_io.reporting import plots, reports

# sectors with no figure ('..') are explained once, in words, under the multipliers table
warnings.simplefilter("ignore", ZeroOutputWarning)

local = datasets.regional_iot(area, year, method=method, delta=delta)
uk = datasets.uk_iot(datasets.national_year_for(year))
name = local.area  # the area's official name ("Bristol" -> "Bristol, City of")
local

# %% [markdown]
# How the local table was made (location-quotient method, FLQ's δ and λ*, the area's share of GB employment):

# %%
reports.table_metadata(local)

# %% [markdown]
# ## Local and UK multipliers for the headline sectors

# %%
table = compare({name: local, "UK": uk}, sectors)
for note in table.attrs["notes"]:
    print("Not shown ('..'):", note)
reports.readable(table.T, 3)

# %%
output = plots.local_vs_national(
    table, "output_multiplier", title=f"{name} ({year}) and the UK: output per £1 of final demand"
)

# %%
gva = plots.local_vs_national(table, "gva_effect", title=f"{name} ({year}) and the UK: GVA per £1 of final demand")

# %%
ours = table[name].droplevel("name")
jobs = plots.multiplier_bars(
    ours["type_i"], ours["type_ii"], "employment_effect", sectors,
    names=local.sector_names, title=f"{name} ({year}): local jobs per £1m of final demand",
)

# %% [markdown]
# ## How much does δ matter?
#
# The FLQ's δ sets how strongly a small area's purchases leak out. It is uncertain for small areas (about 0.1 to 0.3 in published
# calibrations; see the Scotland calibration notebook), so the multipliers are shown over a range.

# %%
grid = datasets.delta_grid(local, sectors=sectors, kind="type_ii")  # everything else as the table above
grid["output_multiplier"].unstack("sector").round(3)

# %%
curve = plots.delta_curve(grid, "employment_effect", title=f"{name} ({year}): Type II jobs per £1m against δ")

# %%
first = sectors[0]
headline = {
    f"{first}: local Type I output multiplier": ours.loc[first, ("type_i", "output_multiplier")],
    f"{first}: local Type II output multiplier": ours.loc[first, ("type_ii", "output_multiplier")],
    f"{first}: local Type II jobs per £1m (FTE)": ours.loc[first, ("type_ii", "employment_effect")],
}
if method == "flq":  # δ drawn from the Scotland calibration's spread of well-fitting values
    spread = uncertainty.multiplier_ranges(area, year, draws=draws, seed=seed, delta=delta).loc[(slice(None), first), :]
    where = {"local Type I output multiplier": ("type_i", "output_multiplier"),
             "local Type II output multiplier": ("type_ii", "output_multiplier"),
             "local Type II jobs per £1m (FTE)": ("type_ii", "employment_effect")}  # fmt: skip
    ranges = {
        f"{first}: {what}": {**{k: float(spread.loc[(kind, first), f"{column}_{k}"]) for k in ("low", "median", "high")},
                             "level": 0.9, "draws": draws}
        for what, (kind, column) in where.items()
    }  # fmt: skip
    print(f"90% ranges over δ ({spread.attrs['distribution']}, {draws:,} draws):")
    for key, r in ranges.items():
        print(f"  {key}: {headline[key]:.3f} ({r['low']:.3f}–{r['high']:.3f}, 90% range)")
else:
    ranges = {key: f"no range: {method} has no δ to vary" for key in headline}
reports.save_results(
    table, headline, {"output": output, "gva": gva, "jobs": jobs, "delta": curve}, folder=results_folder,
    ranges=ranges,
)  # fmt: skip
