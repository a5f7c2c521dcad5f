"""The regional data in data/: BRES employment by IOAT industry, the SG 2019 table, the IOAT-IOC098 concordance.

Called by ``scripts/build_data.py`` (which regenerates every file in data/); not run on its own.
Writes, into the output folder:

    bres_employment_itl2.csv      BRES employment by ITL2 region x year x the 105 IOAT industries
    bres_employment_gb.csv        Great Britain = the sum of the 40 ITL2 regions, by year
    bres_la_sections.csv          13 West & North Yorkshire authorities' BRES employment by SIC section A-U,
                                  2015-2021, as published (2016 codes): checks of the all-authority files
    bres_employment_scotland.csv  Scotland 2019 from Nomis's Scotland 5-digit extract
    sg_iot_2019.csv               the SG domestic industry-by-industry table 2019 (kil_io table CSV)
    concordance_ioat_ioc098.csv   UK IOAT (105) <-> SG IOC098 (98) common sectors via SIC 2007 classes

Every local authority's employment and the area vocabulary are in ``scripts/build_area_data.py``.
Method and measured cross-checks: data/README.md. Only scripts read R files (``rdata``).
"""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from kil_io.errors import LabelError, ReaderError
from kil_io.model.table import IOTable
from kil_io.readers import SG_IOC098, normalise_label, read_sg_iot
from kil_io.readers.tablecsv import write_table_csv

OGL = "Contains public sector information licensed under the Open Government Licence v3.0."
ITL2_FILE = "nomis-bres-itl2/ITL2_Employment_countandpercent5digitSIC_BRESopen15to21.rds"
ITL2_REPO = (
    "DanOlner/ukcompare@10ed2194cfdd689bc92e598ea892f8cd0c772e36 "
    "data/sectors/ITL2_Employment_countandpercent5digitSIC_BRESopen15to21.rds"
)
LOOKUP_FILE = "gva-model/bres_ioat_lookup.csv"
GB_FILE = "gva-model/bres IOAT sic levels.csv"
SCOTLAND_FILE = "gva-model/bres2019scotland.csv"
GVA_MODEL_REPO = "ChristianSpence/gva-model@527d6a048e82ee7041b224d338b2d6866381100d"
LA_FILE = "nomis-bres-wny-la/bres.csv"
LA_REPO = "ChristianSpence/WNYCC-LSIP@a0e00dc3f00b6a02e27b6169b35993bc535c54f7 data/csv/nomis/bres.csv"
SG_DIR = "sg-io-1998-2019"
SG_REPO = f"{GVA_MODEL_REPO} data-raw/Supply_Use_I-O_1998-2019/"
SG_YEAR = 2019
YEARS = tuple(range(2015, 2022))
GB_CODE, SCOTLAND_CODE = "K03000001", "S92000003"
#: BRES's pseudo-class for farm agriculture (DEFRA / Scottish Government agricultural data): no SIC
#: 2007 subclass, so absent from SG's lookup; division 01, hence IOAT A01.
FARM_AGRICULTURE = "01000"
#: Classes outside the 105 IOAT industries (households' own-use production, extraterritorial
#: bodies: SIC 98 and 99, SG IOC098_099/100); allowed only while BRES counts nobody in them.
OUTSIDE_IOAT = ("98100", "98200", "99000")
#: Imputed rent: no SIC class and no employment on either side; linked to each other by definition.
IMPUTED_RENT = ("L68A", "IOC098_071")
#: The local authorities of the section file (2016 ONS codes) -> (name, ITL2 region (NUTS 2016), its name).
LA_ITL2 = {
    "E08000032": ("Bradford", "UKE4", "West Yorkshire"),
    "E08000033": ("Calderdale", "UKE4", "West Yorkshire"),
    "E08000034": ("Kirklees", "UKE4", "West Yorkshire"),
    "E08000035": ("Leeds", "UKE4", "West Yorkshire"),
    "E08000036": ("Wakefield", "UKE4", "West Yorkshire"),
    "E07000163": ("Craven", "UKE2", "North Yorkshire"),
    "E07000164": ("Hambleton", "UKE2", "North Yorkshire"),
    "E07000165": ("Harrogate", "UKE2", "North Yorkshire"),
    "E07000166": ("Richmondshire", "UKE2", "North Yorkshire"),
    "E07000167": ("Ryedale", "UKE2", "North Yorkshire"),
    "E07000168": ("Scarborough", "UKE2", "North Yorkshire"),
    "E07000169": ("Selby", "UKE2", "North Yorkshire"),
    "E06000014": ("York", "UKE2", "North Yorkshire"),
}
SECTIONS = tuple("ABCDEFGHIJKLMNOPQRSTU")


def fail(path: Path | str, message: str) -> ReaderError:
    return ReaderError(f"{path}: {message}")


@cache
def read_itl2(raw: Path) -> pd.DataFrame:
    """The ITL2 5-digit file, long: area, name, year, sic, count (NaN where Nomis gives none)."""
    import rdata  # only scripts read R files

    path = raw / ITL2_FILE
    with warnings.catch_warnings():
        # rdata reads the tibble as a plain data.frame and says so; that is what we want.
        warnings.filterwarnings("ignore", message='Missing constructor for R class "tbl')
        frame = rdata.read_rds(path)
    cols = ["DATE", "GEOGRAPHY_NAME", "GEOGRAPHY_CODE", "INDUSTRY_NAME", "INDUSTRY_CODE", "COUNT"]
    if list(frame.columns) != cols:
        raise fail(path, f"columns {list(frame.columns)}, expected {cols}")
    out = pd.DataFrame(
        {
            "area": frame["GEOGRAPHY_CODE"].map(normalise_label).to_numpy(),
            "name": frame["GEOGRAPHY_NAME"].map(normalise_label).to_numpy(),
            "year": frame["DATE"].to_numpy(),
            "sic": frame["INDUSTRY_CODE"].map(normalise_label).to_numpy(),
            "count": frame["COUNT"].to_numpy(dtype=np.float64),
        }
    )
    if not (out["year"] % 1 == 0).all() or sorted(out["year"].unique()) != list(YEARS):
        raise fail(path, f"years {sorted(out['year'].unique())}, expected {list(YEARS)}")
    out["year"] = out["year"].astype(int)
    bad_sic = sorted(set(out.loc[~out["sic"].str.fullmatch(r"\d{5}"), "sic"]))
    named = all(n.startswith(f"{c} : ") for n, c in zip(frame["INDUSTRY_NAME"], frame["INDUSTRY_CODE"], strict=True))
    if bad_sic or not named:
        raise fail(path, f"industry codes must be 5 digits and begin their names; odd codes {bad_sic[:5]}")
    if out.duplicated(["area", "year", "sic"]).any() or len(out) != 40 * len(YEARS) * out["sic"].nunique():
        raise fail(path, "expected one row per area x year x SIC class for 40 ITL2 regions")
    if out.groupby("area")["name"].nunique().max() != 1:
        raise fail(path, "an area code has more than one name")
    counts = out["count"].dropna()
    if (counts < 0).any() or (counts % 1 != 0).any():
        raise fail(path, "counts must be non-negative whole numbers")
    missing = out[out["count"].isna()]
    expected = {(a, y) for a in ("UKM5", "UKM6", "UKM7", "UKM8", "UKM9") for y in (2015, 2016, 2017)}
    if set(missing["sic"]) != {FARM_AGRICULTURE} or set(zip(missing["area"], missing["year"], strict=True)) != expected:
        raise fail(path, f"missing counts beyond the known Scottish 01000 gap (2015-2017): {missing.head()}")
    return out


def sic_to_ioat(raw: Path, classes: list[str], sectors: tuple[str, ...]) -> pd.Series:
    """Each 5-digit class -> the IOAT code of the lookup entry (2-4 digit SIC) that contains it."""
    path = raw / LOOKUP_FILE
    lookup = pd.read_csv(path, dtype=str, keep_default_na=False)
    entries = dict(zip(lookup["bres_industry"], lookup["iaot_industry_code"].map(normalise_label), strict=True))
    if len(entries) != len(lookup):
        raise fail(path, "a SIC code appears twice")
    unknown = sorted(set(entries.values()) - set(sectors))
    if unknown:
        raise fail(path, f"IOAT codes {unknown} are not in the UK table")
    mapping, unmapped = {}, []
    for sic in classes:
        hits = [e for e in entries if e.isdigit() and sic.startswith(e)]
        if not hits:
            unmapped.append(sic)
            continue
        if len(hits) > 1:  # then "longest prefix" would decide; the lookup has no nested entries, keep it so
            raise fail(path, f"class {sic} is inside more than one lookup entry: {hits}")
        mapping[sic] = entries[hits[0]]
    if sorted(unmapped) != sorted(OUTSIDE_IOAT):
        raise fail(path, f"5-digit classes {unmapped} map to no IOAT industry (only {OUTSIDE_IOAT} may)")
    no_sic = sorted(set(sectors) - set(mapping.values()))
    if no_sic != [IMPUTED_RENT[0]]:
        raise LabelError(f"{path}: IOAT industries {no_sic} get no SIC class (only {IMPUTED_RENT[0]} may)")
    return pd.Series(mapping, name="ioat").rename_axis("sic")


def by_ioat(long: pd.DataFrame, mapping: pd.Series, sectors: tuple[str, ...]) -> pd.DataFrame:
    """Sum counts by (area, year) x IOAT industry; a sum with a missing count is missing."""
    outside = long[long["sic"].isin(OUTSIDE_IOAT)]
    if (outside["count"] != 0).any():
        raise ReaderError(
            f"BRES counts people in classes outside the IOAT industries: {outside[outside['count'] != 0]}"
        )
    inside = long[~long["sic"].isin(OUTSIDE_IOAT)]
    keys = [inside["area"], inside["year"], inside["sic"].map(mapping).rename("ioat")]
    total = inside["count"].groupby(keys).sum()
    total[inside["count"].isna().groupby(keys).any()] = np.nan
    wide = total.unstack("ioat").reindex(columns=list(sectors))
    wide[IMPUTED_RENT[0]] = 0.0  # owner-occupiers' imputed rent: no SIC class, no employment
    wide.columns.name = None
    return wide


def read_nomis_csv(path: Path, encoding: str = "utf-8") -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    if not frame["OBS_VALUE"].str.fullmatch(r"\d+").all():
        raise fail(path, f"OBS_VALUE must be whole numbers; found {sorted(set(frame['OBS_VALUE']))[:5]}")
    return frame.assign(value=frame["OBS_VALUE"].astype(np.float64))


def scotland_2019(raw: Path, mapping: pd.Series, sectors: tuple[str, ...]) -> pd.DataFrame:
    path = raw / SCOTLAND_FILE
    frame = read_nomis_csv(path, encoding="latin-1")
    frame = frame[frame["EMPLOYMENT_STATUS_NAME"] == "Employment"]  # employees + working owners, as the ITL2 file
    if set(frame["GEOGRAPHY_CODE"]) != {SCOTLAND_CODE} or set(frame["DATE"]) != {str(SG_YEAR)}:
        raise fail(path, "expected Scotland (S92000003), 2019")
    if frame["INDUSTRY_CODE"].duplicated().any() or set(frame["INDUSTRY_CODE"]) != {*mapping.index, *OUTSIDE_IOAT}:
        raise fail(path, "expected each 5-digit class of the ITL2 file exactly once")
    long = pd.DataFrame(
        {"area": SCOTLAND_CODE, "year": SG_YEAR, "sic": frame["INDUSTRY_CODE"], "count": frame["value"]}
    )
    return by_ioat(long, mapping, sectors)


def gb_2021_check(raw: Path, gb: pd.DataFrame, sectors: tuple[str, ...]) -> pd.DataFrame:
    """Nomis's GB 2021 'Employment' at the lookup's SIC levels, by IOAT, beside the ITL2 sum."""
    path = raw / GB_FILE
    frame = read_nomis_csv(path)
    frame = frame[frame["EMPLOYMENT_STATUS_NAME"] == "Employment"]
    lookup = pd.read_csv(raw / LOOKUP_FILE, dtype=str, keep_default_na=False)
    entries = dict(zip(lookup["bres_industry"], lookup["iaot_industry_code"].map(normalise_label), strict=True))
    if set(frame["GEOGRAPHY_NAME"]) != {"Great Britain"} or set(frame["DATE"]) != {"2021"}:
        raise fail(path, "expected Great Britain, 2021")
    if frame["INDUSTRY_CODE"].duplicated().any() or set(frame["INDUSTRY_CODE"]) != set(entries) - {"L68A"}:
        raise fail(path, "expected each SIC code of the lookup exactly once")
    published = frame.groupby(frame["INDUSTRY_CODE"].map(entries))["value"].sum().reindex(sectors, fill_value=0.0)
    return pd.DataFrame({"nomis_gb": published, "sum_itl2": gb.loc[(GB_CODE, 2021)]})


def read_la(raw: Path) -> pd.DataFrame:
    """Local authorities' BRES employment by SIC section: index (area, year), columns A..U."""
    path = raw / LA_FILE
    frame = read_nomis_csv(path)
    names = dict(zip(frame["GEOGRAPHY_CODE"], frame["GEOGRAPHY_NAME"], strict=False))
    if names != {code: name for code, (name, _, _) in LA_ITL2.items()}:
        raise fail(path, f"local authorities {names} differ from the expected 13 (LA_ITL2)")
    frame = frame.assign(year=frame["DATE"].astype(int))
    if frame.duplicated(["GEOGRAPHY_CODE", "year", "INDUSTRY_CODE"]).any() or set(frame["year"]) != set(YEARS):
        raise fail(path, "expected one value per authority x year x section, 2015-2021")
    wide = frame.pivot_table(index=["GEOGRAPHY_CODE", "year"], columns="INDUSTRY_CODE", values="value", aggfunc="sum")
    wide.index.names, wide.columns.name = ["area", "year"], None
    if list(wide.columns) != list(SECTIONS) or wide.isna().any(axis=None):
        raise fail(path, f"sections {list(wide.columns)}, expected all of A-U for every authority and year")
    return wide


def concordance(raw: Path, mapping: pd.Series, uk: IOTable, sg: IOTable) -> tuple[pd.DataFrame, pd.DataFrame]:
    """IOAT and IOC098 industries linked by shared 5-digit SIC classes; connected components = common sectors."""
    path = raw / SG_DIR / "_SIC(2007)_to_IOC098.xlsx"
    lookup = pd.read_excel(path, sheet_name="SIC(2007) to IOC098", dtype=object)
    pairs = lookup[["IOC098_long", "IOC098_SIC"]].drop_duplicates().map(normalise_label)
    pairs = dict(zip(pairs["IOC098_long"], pairs["IOC098_SIC"], strict=True))
    if {k: v for k, v in pairs.items() if k in SG_IOC098} != SG_IOC098:
        raise fail(path, "IOC098 codes and SIC labels differ from kil_io.readers.SG_IOC098")
    no_sic = lookup[lookup["SIC"].isna()]
    if list(no_sic["IOC098_long"]) != [IMPUTED_RENT[1]]:
        raise fail(path, f"rows without a SIC class: {list(no_sic['IOC098_long'])}; expected only imputed rent")
    lookup = lookup[lookup["SIC"].notna()]
    sic = lookup["SIC"].map(lambda v: f"{int(v):05d}")
    if sic.duplicated().any() or set(sic) != {*mapping.index, *OUTSIDE_IOAT} - {FARM_AGRICULTURE}:
        raise fail(path, "expected each 5-digit class of BRES (but its pseudo-class 01000) exactly once")
    ioc = lookup["IOC098_long"].to_numpy()
    if set(ioc[sic.isin(OUTSIDE_IOAT).to_numpy()]) & set(SG_IOC098):
        raise fail(path, f"classes {OUTSIDE_IOAT} fall in one of the 98 industries")
    links = pd.DataFrame({"sic": sic, "ioat": sic.map(mapping), "ioc098": ioc})[~sic.isin(OUTSIDE_IOAT)]
    edges = links.groupby(["ioat", "ioc098"]).size().rename("sic_classes").reset_index()
    edges.loc[len(edges)] = [*IMPUTED_RENT, 0]
    nodes = [*uk.sectors, *sg.sectors]
    at = {code: k for k, code in enumerate(nodes)}
    graph = coo_array(
        (np.ones(len(edges)), (edges["ioat"].map(at), edges["ioc098"].map(at))), shape=(len(nodes), len(nodes))
    )
    _, label = connected_components(graph, directed=False)
    members = pd.Series(nodes).groupby(label).agg(list)
    uk_names, sg_names = dict(zip(uk.sectors, uk.names, strict=True)), dict(zip(sg.sectors, sg.names, strict=True))
    common, common_name = {}, {}
    for group in members:
        ioat = [c for c in group if c in uk_names]
        iocs = [c for c in group if c in sg_names]
        if not ioat or not iocs:
            raise LabelError(f"{path}: industries {group} share no SIC class with the other classification")
        name = sg_names[iocs[0]] if len(iocs) == 1 else "; ".join(uk_names[c] for c in ioat)
        for code in group:
            common[code], common_name[code] = " + ".join(ioat), name
    degree = pd.concat([edges.groupby("ioat")["sic_classes"].sum(), edges.groupby("ioc098")["sic_classes"].sum()])
    out = pd.DataFrame(
        {
            "classification": ["ioat"] * uk.n + ["ioc098"] * sg.n,
            "code": nodes,
            "name": [*uk.names, *sg.names],
            "sic_classes": degree.reindex(nodes).astype(int).to_numpy(),
            "common": [common[c] for c in nodes],
            "common_name": [common_name[c] for c in nodes],
        }
    )
    return out, edges


SCOTLAND_ITL2 = ("UKM5", "UKM6", "UKM7", "UKM8", "UKM9")


def estimate_gb_farming(itl2: pd.DataFrame, gb: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Estimate GB A01 where Scotland's farm count (01000) is unpublished; return GB and notes.

    Ratio estimate: GB A01 = A01 of the 35 other ITL2 regions x (GB / other) in the first
    year with every region published (2018). Location quotients need a GB denominator for
    every industry; Scotland's ITL2 regions keep their empty A01 cells.
    """
    rest = itl2.drop(index=list(SCOTLAND_ITL2), level="area")["A01"].groupby(level="year").sum()
    gb = gb.copy()
    gaps = sorted(y for (_, y), v in gb["A01"].items() if np.isnan(v))
    if not gaps:
        return gb, pd.DataFrame(columns=["area", "year", "sector", "note"])
    full = [y for (_, y), v in gb["A01"].items() if not np.isnan(v)]
    ref = min(y for y in full if y > max(gaps))
    ratio = gb.loc[(GB_CODE, ref), "A01"] / rest[ref]
    notes = []
    for year in gaps:
        gb.loc[(GB_CODE, year), "A01"] = round(rest[year] * ratio)
        note = (
            f"estimate: Scotland's farm agriculture (SIC {FARM_AGRICULTURE}) unpublished; "
            f"A01 of the other 35 ITL2 regions x {ratio:.6f}, the GB/other ratio of {ref}"
        )
        notes.append((GB_CODE, year, "A01", note))
    return gb, pd.DataFrame(notes, columns=["area", "year", "sector", "note"])


def write_wide(frame: pd.DataFrame, path: Path, integer: bool) -> None:
    out = frame.astype("Int64") if integer else frame
    if integer and not (frame.dropna() % 1 == 0).all(axis=None):
        raise ReaderError(f"{path.name}: counts must be whole numbers")
    out.to_csv(path, lineterminator="\n")


def build(raw: Path, out: Path, uk: IOTable) -> list[str]:
    """Write the regional files into ``out``; return lines of measured cross-checks for the log."""
    sectors = uk.sectors
    long = read_itl2(raw)
    mapping = sic_to_ioat(raw, sorted(set(long["sic"])), sectors)
    itl2 = by_ioat(long, mapping, sectors)
    names = long.drop_duplicates("area").set_index("area")["name"]
    for _, region, region_name in LA_ITL2.values():
        if names.get(region) != region_name:
            raise ReaderError(f"ITL2 {region} is {names.get(region)!r} in {ITL2_FILE}, expected {region_name!r}")
    gb = itl2.groupby(level="year").sum(min_count=40).assign(area=GB_CODE).set_index("area", append=True)
    gb = gb.reorder_levels(["area", "year"])
    gb, notes = estimate_gb_farming(itl2, gb)
    la_sections = read_la(raw)
    scotland = scotland_2019(raw, mapping, sectors)
    sg = read_sg_iot(raw / SG_DIR / "IxI_wide.xlsx", SG_YEAR)
    sg = sg.replace(
        metadata={
            **sg.metadata,
            "attribution": OGL,
            "raw_file": f"{SG_DIR}/IxI_wide.xlsx",
            "raw_origin": f"{SG_REPO}IxI_wide.xlsx",
            "converted_by": "scripts/build_data.py (scripts/build_regional_data.py)",
        },
    )
    conc, edges = concordance(raw, mapping, uk, sg)

    write_wide(itl2, out / "bres_employment_itl2.csv", integer=True)
    write_wide(gb, out / "bres_employment_gb.csv", integer=True)
    notes.to_csv(out / "bres_notes.csv", index=False, lineterminator="\n")
    write_wide(scotland, out / "bres_employment_scotland.csv", integer=True)
    write_wide(la_sections, out / "bres_la_sections.csv", integer=True)
    write_table_csv(sg, out / f"sg_iot_{SG_YEAR}.csv")
    conc.to_csv(out / "concordance_ioat_ioc098.csv", index=False, lineterminator="\n")

    check = gb_2021_check(raw, gb, sectors)
    diff = check["sum_itl2"] - check["nomis_gb"]
    rel = (diff / check["nomis_gb"]).dropna()
    scot = pd.DataFrame(
        {
            "file": scotland.iloc[0],
            "itl2": itl2.loc[["UKM5", "UKM6", "UKM7", "UKM8", "UKM9"]].xs(SG_YEAR, level=1).sum(),
        }
    )
    srel = ((scot["itl2"] - scot["file"]) / scot["file"]).dropna()
    la_vs_itl2 = {}
    for region in ("UKE4", "UKE2"):
        codes = [c for c, v in LA_ITL2.items() if v[1] == region]
        total_la = la_sections.loc[codes].groupby(level="year").sum().sum(axis=1)
        total_itl2 = itl2.loc[region].sum(axis=1)
        la_vs_itl2[region] = ((total_la - total_itl2) / total_itl2).abs().max()
    x = sg.output
    rows = np.abs(sg.Z.sum(axis=1) + sg.final_demand.sum(axis=1) - x)
    cols = np.abs(sg.Z.sum(axis=0) + sg.primary_inputs.sum(axis=0) - x)
    worst = int(np.argmax(np.where(x > 0, rows / np.where(x > 0, x, 1), 0)))
    sizes = conc.groupby("common")["classification"].value_counts().unstack(fill_value=0)
    gb_line = (
        f"GB 2021 = sum of ITL2 {check['sum_itl2'].sum():,.0f} vs Nomis GB {check['nomis_gb'].sum():,.0f} "
        f"(diff {diff.sum():+,.0f}, {diff.sum() / check['nomis_gb'].sum():+.4%}); industries: sum |diff| "
        f"{diff.abs().sum():,.0f}, largest relative {rel.abs().max():.2%} ({rel.abs().idxmax()}), "
        f"largest absolute {diff.abs().max():,.0f} ({diff.abs().idxmax()})"
    )
    scotland_line = (
        f"Scotland 2019: Nomis Scotland file {scot['file'].sum():,.0f} vs sum of UKM5-UKM9 "
        f"{scot['itl2'].sum():,.0f} (diff {scot['itl2'].sum() - scot['file'].sum():+,.0f}); largest relative "
        f"{srel.abs().max():.2%} ({srel.abs().idxmax()}), sum |diff| {(scot['itl2'] - scot['file']).abs().sum():,.0f}"
    )
    la_line = "bres_la_sections.csv: the 13 authorities' sums vs ITL2 totals: " + ", ".join(
        f"{k} within {v:.2%}" for k, v in la_vs_itl2.items()
    )
    sg_line = (
        f"SG {SG_YEAR}: output {x.sum():,.6f} £m; max row gap {rows[worst]:.6f} £m ({sg.sectors[worst]}, "
        f"{rows[worst] / x[worst]:.3g} of output); max column gap {cols.max():.3g} £m"
    )
    concordance_line = (
        f"concordance: {len(sizes)} common sectors from {len(edges) - 1} IOAT-IOC098 links; largest has "
        f"{sizes['ioat'].max()} IOAT and {sizes['ioc098'].max()} IOC098 industries"
    )
    missing_line = (
        f"BRES ITL2: {len(names)} regions x {len(YEARS)} years x {long['sic'].nunique()} classes; no count for "
        f"{FARM_AGRICULTURE} (farm agriculture) in UKM5-UKM9 2015-2017, so A01 is empty there and estimated for GB "
        f"({', '.join(f'{y}: {v:,.0f}' for (_, y), v in gb['A01'].items() if y in set(notes['year']))})"
    )
    return [missing_line, gb_line, scotland_line, la_line, sg_line, concordance_line]
