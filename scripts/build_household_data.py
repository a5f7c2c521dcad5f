"""Household income (GDHI accounts) and Census 2021 commuting by local authority, on 2023 codes.

Called by ``scripts/build_data.py``; not run on its own. Writes, into the output folder:

    household_accounts_lad.csv  ONS regional gross disposable household income by local authority
                                (361 UK authorities, 2023 codes), 2015-2022, every component, £m, and
                                GDHI per head (£)
    commuting_lad.csv           Census 2021 ODWP01EW (usual residents aged 16+ in work), per England and
                                Wales authority on 2023 codes: workplace jobs of people travelling to a
                                workplace, how many of them live in the authority, home workers and employed
                                residents
    commuting_flows_lad.csv.gz  the same census's flows of people travelling to a workplace from England and
                                Wales authorities to any UK authority (2023 codes): home, work, count (gzip;
                                what a group of authorities needs to know how many of its jobs its own
                                residents hold, and how many people from England and Wales work in Scotland
                                and Northern Ireland)

Method and cross-checks: data/README.md.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pandas as pd

from kil_io.errors import ReaderError

GDHI_FILE = "ons-gdhi-lad/RGDHI.parquet"
CENSUS_FILE = "census2021-commuting/ODWP01EW_LTLA.csv.gz"
LOOKUP_FILE = "ons-geography-lookups/LAD_(2011)_to_LAD_(2021)_Lookup_for_England_and_Wales.xlsx"
GDHI_YEARS = tuple(range(2015, 2023))
#: ONS transaction name -> column of household_accounts_lad.csv (all £m, residence basis)
TRANSACTIONS = {
    "Compensation of employees": "coe",
    "Operating surplus": "operating_surplus",
    "Mixed income": "mixed_income",
    "Property income, received": "property_income_received",
    "Primary resources total": "primary_resources",
    "Property income, paid": "property_income_paid",
    "Balance of primary incomes": "balance_of_primary_incomes",
    "Imputed social contributions/Social benefits received": "social_benefits_received",
    "Other current transfers, received": "other_transfers_received",
    "Secondary resources total": "secondary_resources",
    "Current taxes on income, wealth etc": "taxes_on_income_and_wealth",
    "Social contributions/Social benefits paid": "social_contributions_paid",
    "Other current transfers, paid": "other_transfers_paid",
    "Secondary uses total": "secondary_uses",
    "Gross Disposable Income": "gdhi",
}
TOTAL, PER_HEAD = "GDHI total (£m) current prices", "GDHI per capita (£) current prices"


def fail(path: Path | str, message: str) -> ReaderError:
    return ReaderError(f"{path}: {message}")


def household_accounts(raw: Path) -> pd.DataFrame:
    path = raw / GDHI_FILE
    long = pd.read_parquet(path)
    long["year"] = pd.to_datetime(long["dates.date"]).dt.year
    long = long[long["year"].isin(GDHI_YEARS)]
    totals = long[long["variable.name"] == TOTAL]
    unknown = sorted(set(totals["transaction.name"]) - set(TRANSACTIONS) - {"Primary uses total"})
    unknown = [u for u in unknown if u != "Balance of secondary income"]
    if unknown:
        raise fail(path, f"transactions not in the expected list: {unknown}")
    totals = totals[totals["transaction.name"].isin(TRANSACTIONS)]
    wide = totals.pivot_table(
        index=["geography.code", "geography.name", "year"], columns="transaction.name", values="value", aggfunc="sum"
    )[list(TRANSACTIONS)].rename(columns=TRANSACTIONS)
    head = long[long["variable.name"] == PER_HEAD]
    head = head[head["transaction.name"] == "Gross Disposable Income"].set_index(
        ["geography.code", "geography.name", "year"]
    )["value"]
    wide["gdhi_per_head"] = head.reindex(wide.index)
    wide.index = wide.index.set_names(["area", "name", "year"])
    wide = wide.reset_index().sort_values(["area", "year"], kind="stable")
    if wide.isna().any(axis=None) or len(wide) != 361 * len(GDHI_YEARS):
        raise fail(path, f"expected 361 authorities x {len(GDHI_YEARS)} years with every component, got {len(wide)}")
    # the components add up (ONS rounds each to £1m): B.6g = primary + secondary resources - uses
    gap = (wide["primary_resources"] - wide["property_income_paid"] + wide["secondary_resources"]
           - wide["secondary_uses"] - wide["gdhi"]).abs()  # fmt: skip
    if gap.max() > 3:
        raise fail(path, f"B.6g differs from resources less uses by up to £{gap.max():.0f}m")
    for name, year, expected in (("Calderdale", 2022, 4047), ("Leeds", 2022, 16387)):
        got = wide.loc[(wide["name"] == name) & (wide["year"] == year), "gdhi"].item()
        if got != expected:
            raise fail(path, f"{name} GDHI {year} is £{got:,.0f}m, PROVENANCE.md says £{expected:,}m")
    uk = wide.loc[wide["year"] == 2022, "gdhi"].sum()
    if uk != 1_540_635:
        raise fail(path, f"UK GDHI 2022 sums to £{uk:,.0f}m, PROVENANCE.md says £1,540,635m")
    return wide


def lad_2023(raw: Path) -> pd.Series:
    """England and Wales LAD 2021/2022 code -> LAD 2023 code (the 2023 mergers)."""
    sheet = pd.read_excel(raw / LOOKUP_FILE, sheet_name="Local_Authority_District_(2022)", dtype=str)
    return sheet.set_index("LAD22CD")["LAD23CD"]


def commuting(raw: Path, to_2023: pd.Series, names: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = raw / CENSUS_FILE
    flows = pd.read_csv(path, dtype={"Lower tier local authorities code": str, "LTLA of workplace code": str})
    flows.columns = ["home", "home_name", "work", "work_name", "indicator", "indicator_name", "count"]
    if flows["count"].sum() != 48_566_232:
        raise fail(path, f"total {flows['count'].sum():,} differs from the 48,566,232 of PROVENANCE.md")
    cal = flows[(flows["work"] == "E08000033") & (flows["indicator"] == 3)]
    if cal["count"].sum() != 50_518 or cal.loc[cal["home"] == "E08000033", "count"].sum() != 33_319:
        raise fail(path, "Calderdale's flows differ from PROVENANCE.md (50,518 in, 33,319 of them residents)")
    missing = sorted(set(flows["home"]) - set(to_2023.index))
    if missing:
        raise fail(path, f"residence codes without a 2023 code: {missing[:5]}")
    flows["home"] = flows["home"].map(to_2023)
    inside = flows["work"].isin(to_2023.index)
    flows.loc[inside, "work"] = flows.loc[inside, "work"].map(to_2023)
    travel = flows[flows["indicator"] == 3]
    out = pd.DataFrame(
        {
            "workplace_jobs": travel.groupby("work")["count"].sum(),
            "held_by_residents": travel[travel["home"] == travel["work"]].groupby("work")["count"].sum(),
            "home_workers": flows[flows["indicator"] == 1].groupby("home")["count"].sum(),
            "employed_residents": flows[flows["indicator"].isin([1, 2, 3])].groupby("home")["count"].sum(),
        }
    )
    out = out.loc[sorted(set(flows["home"]))].astype("int64")
    out.index.name = "area"
    out.insert(0, "name", names.reindex(out.index))
    if out["name"].isna().any():
        raise fail(path, f"authorities without a name in the GDHI file: {list(out.index[out['name'].isna()])[:5]}")
    # workplaces in Scotland and Northern Ireland too: how many England and Wales residents travel there
    kept = travel["work"].isin(out.index) | travel["work"].str.match(r"[SN]\d{8}$")
    pairs = travel[kept].groupby(["home", "work"])["count"].sum().astype("int64")
    return out.reset_index(), pairs.reset_index()


def write_gzip_csv(frame: pd.DataFrame, path: Path) -> None:
    """Deterministic gzip (no file name, no time stamp) of the CSV text."""
    text = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        out.write(text)
    path.write_bytes(buffer.getvalue())


def build(raw: Path, out: Path) -> list[str]:
    accounts = household_accounts(raw)
    accounts.to_csv(out / "household_accounts_lad.csv", index=False, lineterminator="\n", float_format="%.10g")
    names = accounts.drop_duplicates("area").set_index("area")["name"]
    flows, pairs = commuting(raw, lad_2023(raw), names)
    flows.to_csv(out / "commuting_lad.csv", index=False, lineterminator="\n")
    write_gzip_csv(pairs, out / "commuting_flows_lad.csv.gz")
    inside = pairs[pairs["home"] == pairs["work"]].set_index("work")["count"]
    if not inside.reindex(flows["area"], fill_value=0).eq(flows.set_index("area")["held_by_residents"]).all():
        raise fail(raw / CENSUS_FILE, "flows within an authority differ from held_by_residents")
    scot = accounts[(accounts["area"].str.startswith("S")) & (accounts["year"] == 2019)]
    total = (scot["primary_resources"] + scot["secondary_resources"]).sum()
    cal = flows.set_index("area").loc["E08000033"]
    share = cal["held_by_residents"] / cal["workplace_jobs"]
    accounts_line = (
        f"household_accounts_lad.csv: {accounts['area'].nunique()} authorities x {len(GDHI_YEARS)} years; "
        f"Scotland 2019 total resources £{total:,.0f}m, CoE £{scot['coe'].sum():,.0f}m"
    )
    flows_line = (
        f"commuting_lad.csv: {len(flows)} authorities; Calderdale {cal['held_by_residents']:,} of "
        f"{cal['workplace_jobs']:,} workplace jobs held by residents ({share:.1%})"
    )
    pairs_line = f"commuting_flows_lad.csv.gz: {len(pairs):,} home -> work pairs, {pairs['count'].sum():,} people"
    return [accounts_line, flows_line, pairs_line]
