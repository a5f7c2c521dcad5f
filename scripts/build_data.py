"""Regenerate every file in data/ (and the ONS A-matrix test fixture) from the raw official files.

Run from the repository root::

    python scripts/build_data.py                       # raw files in ../shared/data-raw
    python scripts/build_data.py --raw /path/to/data-raw

Writes
    data/about.json
        the manifest, {"kil_io": "<version>"}: kil_io reads only data of its own version
        (kil_io.datasets.files); ``--manifest-only`` writes it alone, after a version bump.
    data/uk_iot_2019.csv, data/uk_iot_2020.csv, data/uk_iot_2022.csv, data/uk_iot_2023.csv
        ONS UK IOAT industry-by-industry tables in kil_io's table CSV format
        (see kil_io.readers.tablecsv), read by kil_io.readers.read_ons_iot. 2023 has 104 industries
        (ONS combines C254 and C25OTHER into C25) and L68A outside the Leontief system (its negative
        input from K64, read as ONS reads it: kil_io.model.negative).
    data/uk_employment_fte.csv
        UK FTE by IOAT industry, 2017-2022 (LFS-based, STAPM), columns code, name, fte_YYYY.
    data/uk_employment_fte_2023.csv
        UK FTE by the 104 industries of 2023: an estimate, 2022's FTE carried to 2023 unchanged
        (C254 + C25OTHER = C25), as no source of 2023 FTE by IOAT industry is among the raw files.
    tests/fixtures/ons_iot_2022_A.csv
        ONS's published A (sheet "A") for the 105 x 105 industry block.
    the regional files (scripts/build_regional_data.py)
        bres_employment_{itl2,gb,scotland}.csv: BRES employment by IOAT industry for ITL2 regions, GB and
        Scotland; bres_la_sections.csv (13 authorities by SIC section, for checks); sg_iot_2019.csv: the
        Scottish Government IxI table 2019; concordance_ioat_ioc098.csv.
    the area files (scripts/build_area_data.py)
        areas.csv: every area kil_io knows; bres_employment_lad.csv: every GB authority by IOAT industry
        (2015, 2016); bres_itl_sections.csv: BRES by section for ITL areas, 2015-2022 (recent years);
        regional_gva_lad.csv: ONS GVA by industry group for every authority.
    the household files (scripts/build_household_data.py)
        household_accounts_lad.csv: GDHI and its components by local authority, 2015-2022;
        commuting_lad.csv: Census 2021 workplace jobs and residents by England and Wales authority;
        commuting_flows_lad.csv.gz: the flows from them to every UK authority.
    the resident-share model's files (scripts/build_commuting_data.py)
        commuting_model_lad.csv: population, BRES employment and catchment shares of every authority;
        postcode_grid_gb.csv.gz: GB postcodes by authority and 1 km square.
    data/onshore_gva_uk.csv (scripts/build_onshore_data.py)
        the UK's regions' GVA in agriculture (A), mining (B) and in total, 1998-2022: onshore, without
        the continental shelf (extra-regio).
    data/delta_calibration.csv (scripts/delta_fit.py, last: it regionalises with the shipped data)
        the FLQ delta's fit against the Scottish Government's tables, every year and delta.
    data/additionality_presets.csv (scripts/build_guidance_data.py)
        low, central and high gross-to-net rates, each labelled with its source (no raw file).
    the household purchase files (scripts/build_household_purchases.py, last: its fit reads the others)
        sg_household_purchases.csv: Scottish households' purchases by product and origin, 1998-2019;
        uk_household_purchases_2017.csv: UK households' UK-made and imported purchases by product;
        household_purchases_fit.csv: each household purchase rule's error against Scotland, 2015-2019.

The output is deterministic (no dates, no absolute paths), so re-running it on the same
raw files reproduces data/ byte for byte; tests/test_datasets.py checks exactly that.
This is the only place in the project that imports ``rdata`` (to read R .rda files).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from build_area_data import build as build_areas
from build_commuting_data import build as build_commuting
from build_guidance_data import build as build_guidance
from build_household_data import build as build_household
from build_household_purchases import build as build_household_purchases
from build_onshore_data import build as build_onshore
from build_regional_data import build as build_regional
from delta_fit import build as build_delta_fit

from kil_io._version import __version__
from kil_io.datasets.files import MANIFEST
from kil_io.errors import LabelError, ReaderError
from kil_io.model.table import IOTable
from kil_io.readers import ONS_COMBINED, normalise_label, read_ons_iot
from kil_io.readers.tablecsv import write_table_csv

REPO = Path(__file__).resolve().parents[1]
OGL = "Contains public sector information licensed under the Open Government Licence v3.0."

#: year -> (file under data-raw, edition named by ONS, repository and commit the copy came from)
IOT_FILES: dict[int, tuple[str, str, str]] = {
    2019: (
        "ons-ioat-2019-ixi/nasu1719in-IOT-only.xlsx",
        (
            "UK Input-Output Analytical Tables, 2019 (consistent with Blue Book 2022 & Pink Book 2022), "
            "workbook nasu1719in.xlsx"
        ),
        "ChristianSpence/gva-model@527d6a048e82ee7041b224d338b2d6866381100d data-raw/nasu1719in.xlsx",
    ),
    2020: (
        "ons-ioat-2020-ixi/iot2020industry-IOT-only.xlsx",
        (
            "UK Input-Output Analytical Tables, 2020 (consistent with Blue Book 2023 & Pink Book 2023), "
            "workbook iot2020industry.xlsx"
        ),
        "STAPM/cdohio.mod@c1dff0122f05738c5907ffd906819a182b1d277d data-raw/data/InputOutput_I_by_I_2020.xlsx",
    ),
    2022: (
        "ons-ioat-2022-ixi/iot_sheet.csv",
        "UK Input-Output Analytical Tables, 2022, workbook iot2022industry.xlsx",
        "PolicyEngine/uk-vatlab@25f2f859f5fd2b7c8bf7a969e1b67ce2cb02bb12 elasticity/iot_sheet.csv (dump of sheet IOT)",
    ),
    2023: (
        "ons-ioat-2023-ixi/iot2023industry.xlsx",
        (
            "UK input-output analytical tables: industry by industry, 2023 (consistent with Blue Book 2025 & "
            "Pink Book 2025), workbook iot2023industry.xlsx"
        ),
        "Emily-coding/supply-chain@3f325765c670d5fcc68226abd27b4596a59764f5 data/iot2023industry.xlsx",
    ),
}
#: Notes ONS gives on an edition's Menu sheet, kept in the table's metadata.
EDITION_NOTES: dict[int, dict[str, str]] = {
    2023: {
        "combined_sectors": (
            "C25 = C254 (weapons and ammunition) + C25OTHER (other fabricated metal products), combined by ONS "
            "for disclosure (Menu sheet, note 3): 104 industries instead of the 105 of 2019-2022"
        ),
        "negative_flows": (
            "L68A (owner-occupiers' housing) buys -£20,771m of K64 (financial services); as ONS does (Menu sheet, "
            "note 4), L68A stays in the table and is left out of the Leontief system: its multipliers are NaN "
            "(ONS's '..'), the other 103 industries' are those of the table without it (kil_io.model.negative)"
        ),
    },
}
#: FTE estimated for a table year without LFS-based FTE: year -> (file, the LFS year carried, how).
FTE_ESTIMATES: dict[int, tuple[str, int]] = {2023: ("uk_employment_fte_2023.csv", 2022)}
LFS_FILE = "stapm-cdohio/lfs_empl_data.rda"
LFS_REPO = "STAPM/cdohio.mod@c1dff0122f05738c5907ffd906819a182b1d277d data/lfs_empl_data.rda"
LFS_YEARS = tuple(range(2017, 2023))
A_FILE = "ons-ioat-2022-ixi/a_sheet.csv"
#: Owner-occupiers' imputed rent, and the real-estate industry its LFS jobs belong to.
IMPUTED_RENT, RENTING = "L68A", "L68BXL683"
A_REPO = "PolicyEngine/uk-vatlab@25f2f859f5fd2b7c8bf7a969e1b67ce2cb02bb12 elasticity/a_sheet.csv"


def build_table(raw: Path, year: int) -> IOTable:
    rel, edition, origin = IOT_FILES[year]
    with warnings.catch_warnings(record=True) as caught:  # 2023: L68A's negative input, said below
        warnings.simplefilter("always")
        table = read_ons_iot(raw / rel, year=year, area="UK")
    for w in caught:
        print(f"{rel}: {w.category.__name__}: {w.message}")
    return table.replace(
        source=f"ONS {edition}; sheet IOT (industry by industry, domestic use, basic prices, £ million)",
        metadata={
            "publisher": "Office for National Statistics (ONS)",
            "licence": "Open Government Licence v3.0",
            "attribution": OGL,
            "prices": "current prices, basic prices; domestic use",
            "raw_file": rel,
            "raw_origin": origin,
            "converted_by": "scripts/build_data.py",
            **EDITION_NOTES.get(year, {}),
        },
    )


def combined(codes: tuple[str, ...]) -> list[str]:
    """The 2019-2022 codes as ONS's 2023 edition lists them: C254 and C25OTHER become C25, in C254's place."""
    return list(dict.fromkeys(ONS_COMBINED.get(c, c) for c in codes))


def estimated_fte(lfs: pd.DataFrame, table: IOTable, carried: int) -> pd.DataFrame:
    """FTE for a table without LFS-based FTE: year ``carried``'s, unchanged, summed onto the table's industries."""
    fte = lfs[f"fte_{carried}"].groupby(lambda c: ONS_COMBINED.get(c, c), sort=False).sum()
    check_codes(f"FTE {carried} on the {table.year} industries", list(fte.index), table.sectors)
    out = pd.DataFrame({"name": list(table.names), f"fte_{table.year}": fte.to_numpy()}, index=fte.index)
    out.index.name = "code"
    return out


def read_lfs(raw: Path) -> pd.DataFrame:
    """STAPM's LFS employment by IOAT industry: index = normalised IOAT code; name, fte_YYYY columns."""
    import rdata  # only this script reads R files

    with warnings.catch_warnings():
        # rdata reads the data.table as a plain data.frame and says so; that is what we want.
        warnings.filterwarnings("ignore", message='Missing constructor for R class "data.table"')
        frame = rdata.read_rda(raw / LFS_FILE)["lfs_empl_data"]
    cols = [f"fte_{y}" for y in LFS_YEARS]
    missing = [c for c in ["SIC", "SIC_Industry", *cols] if c not in frame.columns]
    if missing:
        raise ReaderError(f"{raw / LFS_FILE}: columns {missing} missing (have {list(frame.columns)})")
    out = pd.DataFrame(
        frame[cols].to_numpy(dtype=np.float64),
        index=pd.Index([normalise_label(s) for s in frame["SIC"]], name="code"),
        columns=cols,
    )
    out.insert(0, "name", [normalise_label(s) for s in frame["SIC_Industry"]])
    values = out[cols].to_numpy()
    if not np.isfinite(values).all() or (values < 0).any():
        raise ReaderError(f"{raw / LFS_FILE}: FTE must be finite and non-negative")
    return out


def check_codes(what: str, got: list[str], expected: tuple[str, ...]) -> None:
    if list(got) != list(expected):
        extra, missing = sorted(set(got) - set(expected)), sorted(set(expected) - set(got))
        first = next((i for i, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b), None)
        raise LabelError(
            f"{what}: codes differ from the IOT codes (not in IOT {extra}, missing {missing}, first "
            f"difference at position {first}; lengths {len(got)} vs {len(expected)})"
        )


def reassign_imputed_rent(lfs: pd.DataFrame, tables: dict[int, IOTable]) -> pd.DataFrame:
    """Move the FTE filed under owner-occupiers' housing (L68A) to L68BXL683.

    L68A is the imputed rent of owner-occupied dwellings: households produce it for
    themselves with no paid labour, and ONS's tables show zero compensation of
    employees for it in every year. The LFS-based file nevertheless puts 138-192
    thousand FTE there, who can only be people renting and operating real estate
    (SIC 68.1-68.2, IOAT L68BXL683). Left in place they would give imputed rent, which
    households buy a great deal of, a large employment effect and inflate every Type II
    jobs figure. The real-estate total (L683 + L68A + L68BXL683) is unchanged.
    """
    for year, table in tables.items():
        pay = table.income[table.sectors.index(IMPUTED_RENT)]
        if pay != 0:
            raise ReaderError(f"IOT {year}: {IMPUTED_RENT} has compensation of employees {pay}; expected 0")
    out = lfs.copy()
    cols = [c for c in out.columns if c.startswith("fte_")]
    out.loc[RENTING, cols] += out.loc[IMPUTED_RENT, cols]
    out.loc[IMPUTED_RENT, cols] = 0.0
    return out


def ons_a_matrix(raw: Path, sectors: tuple[str, ...]) -> pd.DataFrame:
    """ONS's published A for the industry block, labelled by code, found by code not position."""
    cells = pd.read_csv(raw / A_FILE, header=None, dtype=str, keep_default_na=False)
    labels = cells.map(normalise_label)
    wanted = set(sectors)
    header = [r for r in range(len(labels)) if wanted <= set(labels.iloc[r])]
    code_col = [c for c in labels.columns if wanted <= set(labels[c])]
    if len(header) != 1 or len(code_col) != 1:
        raise ReaderError(f"{raw / A_FILE}: header row {header} or code column {code_col} not found once")
    head, codes = labels.iloc[header[0]], labels[code_col[0]]
    col_of = {code: c for c, code in head.items() if code in wanted}
    row_of = {code: r for r, code in codes.items() if code in wanted and r > header[0]}
    rows, cols = [row_of[s] for s in sectors], [col_of[s] for s in sectors]
    values = cells.iloc[rows, cols].astype(np.float64).to_numpy()
    return pd.DataFrame(values, index=pd.Index(sectors, name="sector"), columns=list(sectors))


def write_fixture(A: pd.DataFrame, path: Path) -> None:
    header = [
        "# ONS UK Input-Output Analytical Tables 2022 (workbook iot2022industry.xlsx), sheet A: matrix of",
        "# coefficients (industry by industry), direct input requirements per unit of output; the",
        "# 105 x 105 industry block as published (rows: supplying industry, columns: buying industry).",
        f"# Raw copy: data-raw/{A_FILE} from {A_REPO}.",
        f"# Publisher ONS, Open Government Licence v3.0. {OGL}",
        "# Written by scripts/build_data.py; numbers are the published values (shortest round-trip text).",
    ]
    path.write_text("\n".join(header) + "\n" + A.to_csv(lineterminator="\n"), encoding="utf-8", newline="")


def gaps(table: IOTable) -> tuple[float, float]:
    """Largest relative row and column balance gaps (Z·1 + f vs x, 1'Z + v vs x)."""
    x = table.output
    rows = table.Z.sum(axis=1) + table.final_demand.sum(axis=1) - x
    cols = table.Z.sum(axis=0) + table.primary_inputs.sum(axis=0) - x
    return float(np.max(np.abs(rows) / x)), float(np.max(np.abs(cols) / x))


def write_manifest(out: Path) -> Path:
    """``about.json``: the kil_io version whose data these are (first: the later steps read ``out``)."""
    path = out / MANIFEST
    path.write_text(json.dumps({"kil_io": __version__}, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--raw",
        type=Path,
        default=REPO.parent / "shared" / "data-raw",
        help="folder of raw official files (default: ../shared/data-raw from the repo root)",
    )
    parser.add_argument("--out", type=Path, default=REPO / "data", help="output folder (default: data/)")
    parser.add_argument(
        "--fixtures",
        type=Path,
        default=REPO / "tests" / "fixtures",
        help="folder for the ONS A fixture (default: tests/fixtures/)",
    )
    parser.add_argument(
        "--manifest-only",
        action="store_true",
        help=f"write only {MANIFEST} (the kil_io version, after a version bump; needs no raw files)",
    )
    args = parser.parse_args(argv)
    if args.manifest_only:
        args.out.mkdir(parents=True, exist_ok=True)
        print(f"{write_manifest(args.out)}: kil_io {__version__}")
        return 0
    raw: Path = args.raw.resolve()
    if not raw.is_dir():
        parser.error(f"raw data folder {raw} not found")
    args.out.mkdir(parents=True, exist_ok=True)
    args.fixtures.mkdir(parents=True, exist_ok=True)
    print(f"{write_manifest(args.out).name}: kil_io {__version__}")

    tables = {year: build_table(raw, year) for year in IOT_FILES}
    codes = tables[2022].sectors
    for year, table in tables.items():
        check_codes(f"IOT {year}", list(table.sectors), tuple(combined(codes)) if year == 2023 else codes)
    lfs = read_lfs(raw)
    check_codes(f"{LFS_FILE} column SIC", list(lfs.index), codes)
    moved = lfs.loc[IMPUTED_RENT, "fte_2019"]
    lfs = reassign_imputed_rent(lfs, tables)
    print(f"moved {IMPUTED_RENT} FTE to {RENTING} (2019: {moved:,.0f} FTE)")

    for year, table in tables.items():
        if year in FTE_ESTIMATES:
            name, carried = FTE_ESTIMATES[year]
            estimate = estimated_fte(lfs, table, carried)
            estimate.to_csv(args.out / name, lineterminator="\n")
            fte = estimate[f"fte_{year}"].to_numpy()
            print(f"{name}: FTE {carried} carried to {year} on {table.n} industries ({fte.sum():,.0f} FTE)")
        else:
            fte = lfs[f"fte_{year}"].to_numpy()
        table.replace(employment=fte)  # validates: no FTE in a zero-output sector, no negative FTE
        path = write_table_csv(table, args.out / f"uk_iot_{year}.csv")
        row_gap, col_gap = gaps(table)
        zero = [s for s, v in zip(table.sectors, fte, strict=True) if v == 0]
        no_pay = [s for s, v, w in zip(table.sectors, table.income, fte, strict=True) if v == 0 and w > 0]
        print(
            f"{path.name}: {table.n} sectors, output {table.output.sum():,.0f}, GVA {table.gva.sum():,.0f}, "
            f"D1 {table.income.sum():,.0f} £m; max balance gap rows {row_gap:.1e} columns {col_gap:.1e}; "
            f"FTE {fte.sum():,.0f}; zero-FTE sectors {zero}; FTE but zero D1 {no_pay}"
        )
    employment = args.out / "uk_employment_fte.csv"
    lfs.to_csv(employment, lineterminator="\n")
    print(f"{employment.name}: {len(lfs)} sectors x {len(LFS_YEARS)} years")

    A = ons_a_matrix(raw, codes)
    ours = tables[2022].per_output(np.ones(len(codes)))[None, :] * tables[2022].Z
    diff = float(np.max(np.abs(ours - A.to_numpy())))
    if diff > 1e-12:
        raise ReaderError(f"{raw / A_FILE}: ONS's A differs from Z / P1 by up to {diff:.3g}")
    fixture = args.fixtures / "ons_iot_2022_A.csv"
    write_fixture(A, fixture)
    print(f"{fixture.name}: {A.shape}, max |A_ONS - Z/x| = {diff:.1e}")
    for line in build_regional(raw, args.out, tables[2019]):
        print(line)
    for line in build_areas(raw, args.out, codes):
        print(line)
    for line in build_household(raw, args.out):
        print(line)
    for line in build_commuting(raw, args.out):
        print(line)
    for line in build_onshore(raw, args.out):
        print(line)
    for line in build_guidance(args.out):
        print(line)
    for line in build_household_purchases(raw, args.out):
        print(line)
    for line in build_delta_fit(raw, args.out):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
