"""Every UK area kil_io knows, and BRES employment by IOAT industry for every GB local authority (2023 codes).

Called by ``scripts/build_data.py``; not run on its own. Writes, into the output folder:

    areas.csv                  every area: the 361 UK local authorities (2023 codes) with their ITL 2025
                               ITL3, ITL2 and ITL1 and nation; ITL3, ITL2, ITL1 areas; nations; the ten ITL 2021
                               ITL2 regions that ITL 2025 replaced; the mayoral combined authorities; and the
                               former authorities (2016-2022 codes and names) with the authority they became
    bres_employment_lad.csv    BRES employment of the 350 GB authorities by the 105 IOAT industries, 2015 and
                               2016: Nomis's 87 SIC divisions, summed into 2023 authorities, divisions split
                               into IOAT industries by their 5-digit mix in the authority's ITL2 region
    bres_itl_sections.csv      BRES employees by SIC section for GB, ITL1, ITL2 and ITL3 (ITL 2021 codes),
                               2015-2022, one basis every year (build_section_breaks.py; estimated cells in
                               bres_itl_sections_notes.csv): the growth of an authority's 2016 mix
    regional_gva_lad.csv       ONS regional GVA (balanced) by industry group, every UK authority, 2015-2023, £m

Method and measured cross-checks: data/README.md ("Every local authority").
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from build_regional_data import OUTSIDE_IOAT, read_itl2, sic_to_ioat
from build_section_breaks import consistent_sections

from kil_io.errors import ReaderError

GEO = "ons-geography-lookups"
MASTER_FILE = f"{GEO}/master_2025_geography_lookup.csv"
ITL2_LOOKUP_FILE = f"{GEO}/itl2_2021_2025_lookup.csv"
LAD_LOOKUP_FILE = f"{GEO}/LAD_(2011)_to_LAD_(2021)_Lookup_for_England_and_Wales.xlsx"
DIVISION_FILE = "nomis-bres-lad-division/bres-employment-by-lad-sic07division-2015-2017.csv"
CHAIN_FILE = "nomis-bres-lad-division/lad_nmcd_changes.csv"
SECTIONS_FILE = "nomis-bres-itl3-sections/BRES.parquet"
GVA_FILE = "ons-rgva-lad/RGVA_LAD.parquet"
#: BRES 2017 in the division file was provisional when extracted and was later revised (Calderdale's
#: section N: 17,100 there, 9,000 in the revised series), so only the final years are shipped.
DIVISION_YEARS = (2015, 2016)
SECTION_YEARS = tuple(range(2015, 2023))
GVA_YEARS = tuple(range(2015, 2024))
SECTIONS = tuple("ABCDEFGHIJKLMNOPQRSTU")
NATIONS = {"E": ("E92000001", "England"), "W": ("W92000004", "Wales"), "S": ("S92000003", "Scotland"),
           "N": ("N92000002", "Northern Ireland")}  # fmt: skip
UNIONS = (("K03000001", "Great Britain", "ESW"), ("K04000001", "England and Wales", "EW"),
          ("K02000001", "United Kingdom", "ESWN"))  # fmt: skip
#: Scotland's code changes after 2016, which the E&W lookups do not cover. Fife and Perth and Kinross
#: (2018) changed code only; Glasgow City and North Lanarkshire (2019) changed code with a boundary change.
SCOTLAND_2023 = {"S12000015": "S12000047", "S12000024": "S12000048", "S12000046": "S12000049",
                 "S12000044": "S12000050"}  # fmt: skip
GLASGOW_NOTE = (
    "2016 boundaries: on 1 February 2019 about 150 homes at Cardowan by Stepps moved from Glasgow City to "
    "North Lanarkshire (both authorities were given new codes); BRES counts workplaces, and there are hardly "
    "any in that housing estate, so the 2016-boundary counts are used for the 2019 authorities unchanged"
)
#: When the successor authorities of 2019-2023 took over (their structural changes orders).
MERGED_ON = {"E06000058": "1 April 2019", "E06000059": "1 April 2019", "E07000244": "1 April 2019",
             "E07000245": "1 April 2019", "E07000246": "1 April 2019", "E06000060": "1 April 2020",
             "E06000061": "1 April 2021", "E06000062": "1 April 2021", "E06000063": "1 April 2023",
             "E06000064": "1 April 2023", "E06000065": "1 April 2023", "E06000066": "1 April 2023"}  # fmt: skip
#: ITL 2025 ITL2 regions made from two ITL 2021 regions: the authorities of the second region named here
#: (the rest are in the first). NUTS 2016 / ITL 2021 put Argyll and Bute's Helensburgh & Lomond in West
#: Central Scotland and the rest in Highlands and Islands; it is given to Highlands and Islands.
ITL2_2021_SPLIT = {
    ("UKC2", "UKC1"): {"E06000047"},  # County Durham in Tees Valley and Durham
    ("UKK2", "UKK1"): {"E06000024"},  # North Somerset in Gloucestershire, Wiltshire and Bristol/Bath area
    ("UKL1", "UKL2"): {"W06000005", "W06000006", "W06000023", "W06000021", "W06000022", "W06000015",
                       "W06000014"},  # East Wales: Flintshire, Wrexham, Powys, Monmouthshire, Newport, Cardiff, Vale
    ("UKM6", "UKM8"): set(),  # all of 2025 Highlands and Islands, Argyll and Bute included, in UKM6
}  # fmt: skip
#: Mayoral combined (county) authorities, and the Greater London Authority: name, short names, founded,
#: member authorities (2023 names). Membership as set by their establishment orders, as of May 2025.
COMBINED = (
    ("ca:greater_manchester", "Greater Manchester Combined Authority", "GMCA", "2011; mayor since 2017",
     "Bolton|Bury|Manchester|Oldham|Rochdale|Salford|Stockport|Tameside|Trafford|Wigan"),
    ("ca:liverpool_city_region", "Liverpool City Region Combined Authority", "LCRCA", "2014; mayor since 2017",
     "Halton|Knowsley|Liverpool|Sefton|St. Helens|Wirral"),
    ("ca:west_midlands", "West Midlands Combined Authority", "WMCA", "2016; mayor since 2017; constituent members",
     "Birmingham|Coventry|Dudley|Sandwell|Solihull|Walsall|Wolverhampton"),
    ("ca:west_yorkshire", "West Yorkshire Combined Authority", "WYCA", "2014; mayor since 2021",
     "Bradford|Calderdale|Kirklees|Leeds|Wakefield"),
    ("ca:south_yorkshire", "South Yorkshire Mayoral Combined Authority", "SYMCA", "2014; mayor since 2018",
     "Barnsley|Doncaster|Rotherham|Sheffield"),
    ("ca:tees_valley", "Tees Valley Combined Authority", "TVCA", "2016; mayor since 2017",
     "Darlington|Hartlepool|Middlesbrough|Redcar and Cleveland|Stockton-on-Tees"),
    ("ca:west_of_england", "West of England Combined Authority", "WECA", "2017; mayor since 2017",
     "Bath and North East Somerset|Bristol, City of|South Gloucestershire"),
    ("ca:cambridgeshire_peterborough", "Cambridgeshire and Peterborough Combined Authority", "CPCA",
     "2017; mayor since 2017",
     "Cambridge|East Cambridgeshire|Fenland|Huntingdonshire|South Cambridgeshire|Peterborough"),
    ("ca:north_east", "North East Combined Authority", "NECA", "2024; mayor since 2024",
     "County Durham|Gateshead|Newcastle upon Tyne|North Tyneside|Northumberland|South Tyneside|Sunderland"),
    ("ca:york_north_yorkshire", "York and North Yorkshire Combined Authority", "YNYCA", "2023; mayor since 2024",
     "York|North Yorkshire"),
    ("ca:east_midlands", "East Midlands Combined County Authority", "EMCCA",
     "2024; mayor since 2024; Derbyshire and Nottinghamshire county councils with their districts",
     ("Derby|Nottingham|Amber Valley|Bolsover|Chesterfield|Derbyshire Dales|Erewash|High Peak|"
      "North East Derbyshire|South Derbyshire|Ashfield|Bassetlaw|Broxtowe|Gedling|Mansfield|Newark and Sherwood|"
      "Rushcliffe")),
    ("ca:greater_lincolnshire", "Greater Lincolnshire Combined County Authority", "GLCCA",
     "2025; mayor since 2025; Lincolnshire county council with its districts",
     ("North Lincolnshire|North East Lincolnshire|Boston|East Lindsey|Lincoln|North Kesteven|South Holland|"
      "South Kesteven|West Lindsey")),
    ("ca:hull_east_yorkshire", "Hull and East Yorkshire Combined Authority", "HEYCA", "2025; mayor since 2025",
     "Kingston upon Hull, City of|East Riding of Yorkshire"),
    ("ca:greater_london", "Greater London Authority", "GLA", "2000; the 32 London boroughs and the City of London",
     "E09*"),
)  # fmt: skip
AREA_COLUMNS = ["code", "name", "kind", "itl3", "itl2", "itl1", "nation", "bres_itl2", "growth", "members",
                "successor", "aliases", "note"]  # fmt: skip
#: ONS regional GVA industry groups kept (sections, or unions of them where ONS publishes no finer
#: split): group -> ONS industry code in RGVA_LAD.parquet. IOAT codes map to these by their section
#: letter (A, B -> AB; D, E -> DE) and L68A (imputed rent) -> L68IMP.
GVA_GROUPS = {"AB": "AB (1-9)", "C": "C (10-33)", "DE": "DE (35-39)", "F": "F (41-43)", "G": "G (45-47)",
              "H": "H (49-53)", "I": "I (55-56)", "J": "J (58-63)", "K": "K (64-66)", "L68IMP": "68IMP",
              "L68": "68", "M": "M (69-75)", "N": "N (77-82)", "O": "O (84)", "P": "P (85)", "Q": "Q (86-88)",
              "R": "R (90-93)", "S": "S (94-96)", "T": "T (97-98)"}  # fmt: skip


def fail(path: Path | str, message: str) -> ReaderError:
    return ReaderError(f"{path}: {message}")


def uk_code(tl: str) -> str:
    """ITL 2021 code (``TLE4``) -> the NUTS 2016 code of the 5-digit BRES file (``UKE4``)."""
    return "UK" + tl[2:]


def geography(raw: Path) -> pd.DataFrame:
    """The 361 UK authorities (2023 codes = LAD 2025 codes) with ITL3, ITL2, ITL1 (2025) and nation."""
    path = raw / MASTER_FILE
    m = pd.read_csv(path, dtype=str)
    cols = {"LAD25CD": "code", "LAD25NM": "name", "ITL325CD": "itl3", "ITL325NM": "itl3_name",
            "ITL225CD": "itl2", "ITL225NM": "itl2_name", "ITL125CD": "itl1", "ITL125NM": "itl1_name"}  # fmt: skip
    lads = m[list(cols)].rename(columns=cols)
    if len(lads) != 361 or lads["code"].duplicated().any() or lads.isna().any(axis=None):
        raise fail(path, "expected 361 authorities, each once, with ITL3, ITL2 and ITL1")
    lads["nation"] = lads["code"].str[0].map(lambda c: NATIONS[c][0])
    for level in ("itl3", "itl2", "itl1"):
        if lads.groupby(level)[f"{level}_name"].nunique().max() != 1:
            raise fail(path, f"an {level.upper()} code has two names")
        parent = {"itl3": "itl2", "itl2": "itl1", "itl1": "nation"}[level]
        if lads.groupby(level)[parent].nunique().max() != 1:
            raise fail(path, f"an {level.upper()} area lies in two {parent}s")
    return lads.sort_values("code", kind="stable").reset_index(drop=True)


def unchanged_itl2(raw: Path) -> set[str]:
    """ITL2 regions that ITL 2025 kept as they were in ITL 2021 (one-to-one in ONS's lookup), NUTS 2016 codes."""
    lookup = pd.read_csv(raw / ITL2_LOOKUP_FILE, dtype=str, encoding="utf-8-sig")
    single = lookup.groupby("ITL221CD")["ITL225CD"].agg(lambda s: len(set(s)) == 1)
    sources = lookup.groupby("ITL225CD")["ITL221CD"].agg(lambda s: len(set(s)) == 1)
    pairs = lookup[lookup["ITL221CD"].map(single) & lookup["ITL225CD"].map(sources)]
    return {uk_code(c) for c, d in zip(pairs["ITL221CD"], pairs["ITL225CD"], strict=True) if c == d}


def bres_itl2_regions(raw: Path, lads: pd.DataFrame) -> pd.Series:
    """GB authority -> the ITL 2021 ITL2 region (NUTS 2016 code) whose 5-digit BRES splits its divisions."""
    path = raw / ITL2_LOOKUP_FILE
    lookup = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    sources = lookup.groupby("ITL225CD")["ITL221CD"].agg(lambda s: tuple(sorted(set(s))))
    out = {}
    for code, itl2 in lads.loc[lads["nation"] != "N92000002", ["code", "itl2"]].itertuples(index=False):
        if itl2 not in sources.index:
            raise fail(path, f"ITL2 2025 region {itl2} (of {code}) is not in the 2021 -> 2025 lookup")
        regions = tuple(uk_code(s) for s in sources[itl2])
        if len(regions) == 1:
            out[code] = regions[0]
            continue
        if regions not in {tuple(sorted(k)) for k in ITL2_2021_SPLIT}:
            raise fail(path, f"ITL2 {itl2} comes from {regions}; say in ITL2_2021_SPLIT which authority is where")
        first, second = next(k for k in ITL2_2021_SPLIT if tuple(sorted(k)) == regions)
        out[code] = second if code in ITL2_2021_SPLIT[(first, second)] else first
    return pd.Series(out, name="bres_itl2").rename_axis("code")


def former_authorities(raw: Path, lads: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """LAD 2016 code -> 2023 code, and every former code/name (2011-2022) with its 2023 successor."""
    chain = pd.read_csv(raw / CHAIN_FILE, dtype=str)
    x11 = pd.read_excel(raw / LAD_LOOKUP_FILE, sheet_name="Local_Authority_District_(2011)", dtype=str)
    x22 = pd.read_excel(raw / LAD_LOOKUP_FILE, sheet_name="Local_Authority_District_(2022)", dtype=str)
    to23 = dict(zip(x11["LAD11CD"], x11["LAD23CD"], strict=True))
    to23.update(zip(x22["LAD22CD"], x22["LAD23CD"], strict=True))
    gb = chain[~chain["lad16cd"].str.startswith("N")]
    from16 = {}
    for lad16, lad11 in zip(gb["lad16cd"], gb["lad11cd"], strict=True):
        from16[lad16] = SCOTLAND_2023.get(lad16, to23.get(lad11, lad16))
    unknown = sorted(set(from16.values()) - set(lads["code"]))
    if unknown:
        raise fail(raw / CHAIN_FILE, f"2016 codes lead to codes that are not 2023 authorities: {unknown}")
    current = dict(zip(lads["code"], lads["name"], strict=True))
    rows = []
    seen = set()
    names = [
        *zip(x11["LAD11CD"], x11["LAD11NM"], x11["LAD23CD"], strict=True),
        *zip(x22["LAD22CD"], x22["LAD22NM"], x22["LAD23CD"], strict=True),
        *zip(gb["lad16cd"], gb["lad16nm"], gb["lad16cd"].map(from16), strict=True),
        *zip(gb["lad18cd"], gb["lad18nm"], gb["lad16cd"].map(from16), strict=True),
    ]
    for code, name, successor in names:
        name = " ".join(str(name).split())
        if (code, name) in seen or (code == successor and name == current[successor]):
            continue
        seen.add((code, name))
        rows.append((code, name, successor))
    former = pd.DataFrame(rows, columns=["code", "name", "successor"]).drop_duplicates()
    return pd.Series(from16, name="code").rename_axis("lad16cd"), former


def read_divisions(raw: Path) -> pd.DataFrame:
    """Nomis BRES 'Employment' of the 380 GB authorities (2016 codes) by SIC division, final years only."""
    path = raw / DIVISION_FILE
    head = path.read_text(encoding="utf-8").splitlines()[:6]
    if "Employment status:,Employment" not in head[4] or "measure    :,Count" not in head[5]:
        raise fail(path, f"expected Nomis BRES 'Employment' counts, title block {head[4:6]}")
    frame = pd.read_csv(path, skiprows=6, dtype={"lad16cd": str, "lad16nm": str})
    divisions = [c for c in frame.columns if c not in ("timestep", "lad16nm", "lad16cd")]
    if len(divisions) != 87 or frame["lad16cd"].nunique() != 380 or sorted(frame["timestep"].unique()) != [
        2015, 2016, 2017,
    ]:  # fmt: skip
        raise fail(path, "expected 380 authorities x 2015-2017 x 87 SIC divisions")
    values = frame[divisions]
    if values.isna().any(axis=None) or (values < 0).any(axis=None) or (values % 1 != 0).any(axis=None):
        raise fail(path, "counts must be whole non-negative numbers")
    frame = frame[frame["timestep"].isin(DIVISION_YEARS)]
    wide = frame.set_index(["lad16cd", "timestep"])[divisions].astype(np.float64)
    wide.columns = [f"{int(d):02d}" for d in divisions]
    wide.index.names = ["lad16cd", "year"]
    for name, year, expected in (("Calderdale", 2016, 98_705), ("Leeds", 2016, 439_170), ("Bradford", 2015, 201_990)):
        code = frame.loc[frame["lad16nm"] == name, "lad16cd"].iloc[0]
        if wide.loc[(code, year)].sum() != expected:
            raise fail(
                path, f"{name} {year} sums to {wide.loc[(code, year)].sum():,.0f}, PROVENANCE.md says {expected:,}"
            )
    return wide


@cache
def itl2_classes(raw: Path, sectors: tuple[str, ...]) -> tuple[pd.DataFrame, pd.Series]:
    long = read_itl2(raw)
    return long, sic_to_ioat(raw, sorted(set(long["sic"])), sectors)


def division_split(raw: Path, sectors: tuple[str, ...]) -> pd.DataFrame:
    """Share of each SIC division's employment in each IOAT industry, by ITL2 region (and GB) and year.

    Index (region, year, division), columns the IOAT industries; rows sum to 1 (or are all 0 where the
    region has nobody in the division). From the 5-digit ITL2 BRES of the same year.
    """
    long, mapping = itl2_classes(raw, sectors)
    inside = long[~long["sic"].isin(OUTSIDE_IOAT) & long["year"].isin(DIVISION_YEARS)].copy()
    inside["division"] = inside["sic"].str[:2]
    inside["ioat"] = inside["sic"].map(mapping)
    inside["count"] = inside["count"].fillna(0.0)  # Scotland's unpublished farm count: other classes of 01 decide
    counts = inside.groupby(["area", "year", "division", "ioat"])["count"].sum()
    gb = counts.groupby(level=["year", "division", "ioat"]).sum()
    gb = pd.concat({"GB": gb}, names=["area"])
    wide = pd.concat([counts, gb]).unstack("ioat", fill_value=0.0).reindex(columns=list(sectors), fill_value=0.0)
    total = wide.sum(axis=1)
    return wide.div(total.where(total > 0), axis=0).fillna(0.0)


def lad_employment(
    divisions: pd.DataFrame, from16: pd.Series, regions: pd.Series, split: pd.DataFrame, sectors: tuple[str, ...]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Employment of 2023 authorities by IOAT industry: divisions summed into 2023 codes, then split.

    Each division's count goes to IOAT industries by its 5-digit mix in the authority's ITL2 region that
    year (GB's where the region has nobody in the division). Returns the table and, for checks, the
    2023 authorities' division counts.
    """
    lad23 = divisions.index.get_level_values("lad16cd").map(from16)
    if lad23.isna().any():
        raise ReaderError(f"{DIVISION_FILE}: 2016 codes without a 2023 code")
    summed = divisions.groupby([lad23.rename("area"), divisions.index.get_level_values("year")]).sum()
    outside = [d for d in summed.columns if d not in set(split.index.get_level_values("division"))]
    if outside != ["98"] or (summed["98"] != 0).any():
        raise ReaderError(f"{DIVISION_FILE}: divisions {outside} have no IOAT industry and must count nobody")
    summed = summed.drop(columns="98")
    gb = {year: split.loc[("GB", year)].reindex(summed.columns).to_numpy() for year in DIVISION_YEARS}
    out = np.empty((len(summed), len(sectors)))
    for k, (area, year) in enumerate(summed.index):
        share = split.loc[(regions[area], year)].reindex(summed.columns).to_numpy()
        empty = share.sum(axis=1) == 0  # the region has nobody in the division: GB's mix
        share[empty] = gb[year][empty]
        counts = summed.iloc[k].to_numpy()
        lost = (share.sum(axis=1) == 0) & (counts > 0)
        if lost.any():
            raise ReaderError(f"{area} {year}: divisions {list(summed.columns[lost])} employ people but nobody in GB")
        out[k] = counts @ share
    return pd.DataFrame(out, index=summed.index, columns=list(sectors)), summed


def itl_sections(raw: Path) -> pd.DataFrame:
    """BRES employees by section for GB and every ITL 2021 area, 2015-2022: index (area, year)."""
    path = raw / SECTIONS_FILE
    b = pd.read_parquet(path)
    if set(b["employment.status.name"]) != {"Employees"}:
        raise fail(path, "expected BRES 'Employees' counts")
    b = b.assign(year=pd.to_datetime(b["dates.date"]).dt.year, area=b["geography.code"].replace({"UK": "K03000001"}))
    if sorted(b["year"].unique()) != list(SECTION_YEARS):
        raise fail(path, f"years {sorted(b['year'].unique())}, expected 2015-2022")
    wide = b.pivot_table(index=["area", "year"], columns="industry.code", values="value", aggfunc="sum")
    wide.columns.name = None
    if sorted(wide.columns) != sorted(["Total", *SECTIONS]) or wide.isna().any(axis=None):
        raise fail(path, "expected Total and sections A-U for every area and year")
    if (wide[list(SECTIONS)].sum(axis=1) - wide["Total"]).abs().max() > 0.01 * wide["Total"].max():
        raise fail(path, "sections do not add up to the total")
    for area, year, expected in (("TLE44", 2022, 248_000), ("TLE42", 2022, 489_925)):
        if wide.loc[(area, year), "Total"] != expected:
            raise fail(
                path, f"{area} {year} total is {wide.loc[(area, year), 'Total']:,.0f}, PROVENANCE.md: {expected:,}"
            )
    return wide[list(SECTIONS)]


def growth_areas(lads: pd.DataFrame, regions: pd.Series, sections: pd.DataFrame, raw: Path) -> pd.Series:
    """GB authority -> the ITL 2021 area whose section growth carries its 2016 mix forward.

    Its ITL3 where the ITL 2025 ITL3 has the same code or the same name in ITL 2021 (the area is
    unchanged), else its ITL2 region (ITL 2021).
    """
    b = pd.read_parquet(raw / SECTIONS_FILE)
    names = b[b["geography.type"] == "nuts 2016 level 3"].drop_duplicates("geography.code")
    itl3_2021 = dict(zip(names["geography.code"], names["geography.name"], strict=True))

    def key(name: str) -> str:
        words = name.casefold().replace("&", "and").replace(",", " ").split()
        return " ".join(sorted(w for w in words if w not in ("cc", "city", "of", "and")))

    by_name = {}
    for code, name in itl3_2021.items():
        by_name.setdefault(key(name), []).append(code)
    out = {}
    for code, itl3, itl3_name in lads[["code", "itl3", "itl3_name"]].itertuples(index=False):
        if code not in regions.index:
            continue
        same = itl3 if itl3_2021.get(itl3) and key(itl3_2021[itl3]) == key(itl3_name) else None
        named = by_name.get(key(itl3_name), [])
        out[code] = same or (named[0] if len(named) == 1 else "TL" + regions[code][2:])
    missing = sorted(set(out.values()) - set(sections.index.get_level_values("area")))
    if missing:
        raise ReaderError(f"growth areas {missing} have no BRES sections")
    return pd.Series(out, name="growth")


def regional_gva(raw: Path) -> pd.DataFrame:
    """ONS regional GVA (balanced), current prices, £m, by industry group: index (area, year)."""
    path = raw / GVA_FILE
    g = pd.read_parquet(path)
    g = g[g["variable.name"] == "GVA Current Prices £m"]
    g = g.assign(year=pd.to_datetime(g["dates.date"]).dt.year)
    g = g[g["year"].isin(GVA_YEARS)]
    missing = sorted(set(GVA_GROUPS.values()) - set(g["industry.code"]))
    if missing:
        raise fail(path, f"industry codes {missing} missing")
    if g.duplicated(["geography.code", "year", "industry.code"]).any():
        raise fail(path, "repeated (authority, year, industry) rows")
    wide = g.pivot(index=["geography.code", "year"], columns="industry.code", values="value")
    total = wide["Total"]
    wide = wide[list(GVA_GROUPS.values())].set_axis(list(GVA_GROUPS), axis=1)
    wide.index.names = ["area", "year"]
    if len(wide) != 361 * len(GVA_YEARS) or total.isna().any():
        raise fail(path, f"expected 361 authorities x {len(GVA_YEARS)} years, each with a total")
    # ONS leaves disclosive cells empty (e.g. Cornwall's and Argyll and Bute's AB and K): kept empty
    complete = wide.notna().all(axis=1)
    gap = (wide[complete].sum(axis=1) - total[complete]).abs()
    if gap.max() > 0.005 * total.max():
        raise fail(path, f"the groups do not add up to the total (gap up to £{gap.max():,.0f}m)")
    checks = (("E08000033", 2019, 5277), ("E08000033", 2023, 5845), ("E08000035", 2023, 36554))
    for area, year, expected in checks:
        if round(total[(area, year)]) != expected:
            raise fail(path, f"{area} {year} GVA £{total[(area, year)]:,.0f}m, PROVENANCE.md says £{expected:,}m")
    uk = total.xs(2023, level="year").sum()
    if round(uk) != 2_434_400:
        raise fail(path, f"UK GVA 2023 sums to £{uk:,.0f}m, PROVENANCE.md says £2,434,400m")
    return wide.assign(total=total)


def combined_authorities(lads: pd.DataFrame) -> list[dict[str, str]]:
    by_name = dict(zip(lads["name"], lads["code"], strict=True))
    rows = []
    for code, name, short, founded, members in COMBINED:
        if members == "E09*":
            codes = sorted(c for c in lads["code"] if c.startswith("E09"))
        else:
            unknown = [m for m in members.split("|") if m not in by_name]
            if unknown:
                raise ReaderError(f"combined authority {name}: no authority named {unknown}")
            codes = sorted(by_name[m] for m in members.split("|"))
        note = f"{name}: established {founded}; membership as of May 2025"
        rows.append({"code": code, "name": name, "kind": "combined_authority", "members": " ".join(codes),
                     "aliases": short, "note": note})  # fmt: skip
    return rows


def area_table(
    lads: pd.DataFrame,
    regions: pd.Series,
    growth: pd.Series,
    former: pd.DataFrame,
    names_2021: pd.Series,
    unchanged: set[str],
) -> pd.DataFrame:
    rows: list[dict[str, str]] = []
    for r in lads.itertuples(index=False):
        note = GLASGOW_NOTE if r.code in ("S12000049", "S12000050") else ""
        rows.append({"code": r.code, "name": r.name, "kind": "local_authority", "itl3": r.itl3, "itl2": r.itl2,
                     "itl1": r.itl1, "nation": r.nation, "bres_itl2": regions.get(r.code, ""),
                     "growth": growth.get(r.code, ""), "note": note})  # fmt: skip
    for level, parents in (("itl3", ("itl2", "itl1", "nation")), ("itl2", ("itl1", "nation")), ("itl1", ("nation",))):
        for code, group in lads.groupby(level, sort=True):
            row = {"code": code, "name": group[f"{level}_name"].iloc[0], "kind": level}
            row.update({p: group[p].iloc[0] for p in parents})
            if level == "itl2" and uk_code(code) in unchanged:
                row["bres_itl2"] = uk_code(code)  # the same region as in ITL 2021: its own 5-digit BRES
                row["note"] = f"unchanged since ITL 2021 (NUTS 2016 code {uk_code(code)})"
            rows.append(row)
    for letter, (code, name) in NATIONS.items():
        rows.append({"code": code, "name": name, "kind": "nation", "members": f"{letter}*"})
    for code, name, letters in UNIONS:
        rows.append({"code": code, "name": name, "kind": "nation", "members": " ".join(f"{c}*" for c in letters)})
    changed = sorted(set(names_2021.index) - {uk_code(c) for c in lads["itl2"]})
    for code in changed:
        members = sorted(regions.index[regions == code])
        successors = sorted(set(lads.set_index("code").loc[members, "itl2"]))
        note = (
            f"ITL 2021 region (NUTS 2016 code {code}), replaced in ITL 2025 by {', '.join(successors)}; "
            "employment from the 5-digit BRES of the region as published"
        )
        if code in ("UKM6", "UKM8"):
            note += "; its authorities are approximate (NUTS 2016 split Argyll and Bute and North Ayrshire)"
        rows.append({"code": "TL" + code[2:], "name": names_2021[code], "kind": "itl2_2021",
                     "members": " ".join(members), "bres_itl2": code, "note": note})  # fmt: skip
    rows.extend(combined_authorities(lads))
    for r in former.itertuples(index=False):
        successor_name = lads.set_index("code").loc[r.successor, "name"]
        if r.code == r.successor:
            note = f"{r.name} is now called {successor_name}"
        elif r.successor in MERGED_ON and r.name != successor_name:
            note = f"{r.name} ({r.code}) became part of {successor_name} ({r.successor}) on {MERGED_ON[r.successor]}"
        else:
            note = f"{r.name}'s former code {r.code}; now {r.successor}"
            if r.successor in ("S12000049", "S12000050"):
                note += " (and a small boundary change, 2019)"
        rows.append({"code": r.code, "name": r.name, "kind": "former_local_authority", "successor": r.successor,
                     "note": note})  # fmt: skip
    table = pd.DataFrame(rows).reindex(columns=AREA_COLUMNS).fillna("")
    return table


def write(frame: pd.DataFrame, path: Path, decimals: int) -> None:
    """Rounded to ``decimals``, written in the shortest form (``1250``, ``33.33``)."""
    frame.round(decimals).to_csv(path, lineterminator="\n", float_format="%.12g")


def build(raw: Path, out: Path, sectors: tuple[str, ...]) -> list[str]:
    """Write the area files into ``out``; return lines of measured cross-checks for the log."""
    lads = geography(raw)
    regions = bres_itl2_regions(raw, lads)
    from16, former = former_authorities(raw, lads)
    divisions = read_divisions(raw)
    split = division_split(raw, sectors)
    employment, summed = lad_employment(divisions, from16, regions, split, sectors)
    if set(employment.index.get_level_values("area")) != set(regions.index):
        raise ReaderError("the 2023 authorities with employment are not the 350 GB authorities")
    sections, section_notes = consistent_sections(itl_sections(raw))
    growth = growth_areas(lads, regions, sections, raw)
    long, _ = itl2_classes(raw, sectors)
    names_2021 = long.drop_duplicates("area").set_index("area")["name"]
    areas = area_table(lads, regions, growth, former, names_2021, unchanged_itl2(raw) & set(names_2021.index))
    gva = regional_gva(raw)

    areas.to_csv(out / "areas.csv", index=False, lineterminator="\n")
    write(employment, out / "bres_employment_lad.csv", decimals=2)
    sections.astype("int64").to_csv(out / "bres_itl_sections.csv", lineterminator="\n")
    section_notes.to_csv(out / "bres_itl_sections_notes.csv", index=False, lineterminator="\n")
    gva.to_csv(out / "regional_gva_lad.csv", lineterminator="\n", float_format="%.10g")

    kinds = areas["kind"].value_counts()
    # division counts preserved by the split: the 2023 authorities' totals are the published sums
    split_gap = float((employment.sum(axis=1) - summed.sum(axis=1)).abs().max())
    gb_itl2 = long[long["year"].isin(DIVISION_YEARS)].groupby("year")["count"].sum()
    gb_lad = employment.groupby(level="year").sum().sum(axis=1)
    by_growth = growth.str.len().value_counts()
    return [
        "areas.csv: " + ", ".join(f"{k} {v}" for k, v in kinds.items()),
        f"bres_employment_lad.csv: {len(regions)} GB authorities x {DIVISION_YEARS}; split keeps totals to "
        f"{split_gap:.2g} jobs; GB sum of authorities (5-digit ITL2 sum without Scotland's unpublished farm count) "
        + ", ".join(f"{y}: {gb_lad[y]:,.0f} ({gb_itl2[y]:,.0f})" for y in DIVISION_YEARS),
        (
            f"bres_itl_sections.csv: {sections.index.get_level_values('area').nunique()} areas x "
            f"{len(SECTION_YEARS)} years; growth of an authority from its ITL3 for {by_growth.get(5, 0)}, "
            f"from its ITL2 for {by_growth.get(4, 0)}; {len(section_notes)} cells estimated across a break"
        ),
        f"regional_gva_lad.csv: {gva.index.get_level_values('area').nunique()} authorities x {len(GVA_YEARS)} years",
    ]
