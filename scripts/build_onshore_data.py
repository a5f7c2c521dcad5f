"""The UK regions' GVA in agriculture and mining: what is onshore, so the rest of mining is offshore.

Called by ``scripts/build_data.py``; not run on its own. Writes, into the output folder:

    onshore_gva_uk.csv    year, agriculture_a, mining_b, total: the sums over the UK's 41 ITL2 regions
                          (ITL 2021, Northern Ireland included) of ONS's regional GVA (balanced), sections
                          A (1-3) and B (5-9) and all industries, current prices, £m, 1998-2022

ONS's regional accounts leave out **extra-regio** GVA, chiefly oil and gas extraction on the UK
continental shelf: it belongs to no region. The local-authority file (``regional_gva_lad.csv``) has A and
B together (``AB``); this table (ITL2, 2024 release) has them apart, so the UK's onshore mining GVA is
known and ``kil_io.datasets.levels.onshore_share`` can tell how much of the national table's oil and gas
industry (``B06 & B07``) is onshore. Method and measured checks: data/README.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kil_io.errors import ReaderError

ITL2_GVA_FILE = "ons-regional-gva-itl/Table 2c ITL2 current price estimates pounds million 2024.csv"
ITL2_GVA_REPO = (
    "DanOlner/RegionalEconomicTools@f9ba6e2e4dff4dd5222bcccbe90c1827ad7b0345 "
    "data/Table 2c ITL2 current price estimates pounds million 2024.csv"
)
YEARS = tuple(range(1998, 2023))
#: ONS SIC07 codes of the rows kept -> column names of the output.
ROWS = {"A (1-3)": "agriculture_a", "B (5-9)": "mining_b", "Total": "total"}
#: Checks typed from the raw file (column 2020): North Eastern Scotland's mining (TLM5, B (5-9)) and the
#: sum of the 41 regions' mining.
CHECKS = {("TLM5", "B (5-9)", 2020): 1008}
MINING_2020 = 3534


def fail(path: Path | str, message: str) -> ReaderError:
    return ReaderError(f"{path}: {message}")


def onshore_gva(raw: Path) -> pd.DataFrame:
    """The 41 ITL2 regions' GVA in sections A and B and in total, summed by year [£m]."""
    path = raw / ITL2_GVA_FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    head = ["ITL code", "Region name", "SIC07 code", "SIC07 description", *map(str, YEARS)]
    if list(frame.columns) != head:
        raise fail(path, f"columns {list(frame.columns)}, expected {head}")
    regions = sorted(frame["ITL code"].unique())
    if len(regions) != 41 or not all(r.startswith("TL") and len(r) == 4 for r in regions):
        raise fail(path, f"expected the UK's 41 ITL2 regions (TLxn), got {len(regions)}: {regions[:5]}")
    rows = frame[frame["SIC07 code"].isin(list(ROWS))]
    if rows.duplicated(["ITL code", "SIC07 code"]).any() or len(rows) != 41 * len(ROWS):
        raise fail(path, f"expected rows {list(ROWS)} once for every region")
    text = rows[list(map(str, YEARS))].apply(lambda c: c.str.replace(",", "", regex=False))
    if not text.apply(lambda c: c.str.fullmatch(r"-?\d+")).all(axis=None):
        raise fail(path, "values must be whole £m (with thousands separators), none suppressed")
    values = text.astype(np.float64).set_axis(pd.MultiIndex.from_frame(rows[["ITL code", "SIC07 code"]]))
    for (region, code, year), expected in CHECKS.items():
        if values.loc[(region, code), str(year)] != expected:
            raise fail(path, f"{region} {code} {year} is {values.loc[(region, code), str(year)]}, expected {expected}")
    out = values.groupby(level="SIC07 code").sum().T.rename(columns=ROWS)[list(ROWS.values())]
    out.index = pd.Index([int(y) for y in out.index], name="year")
    if out.loc[2020, "mining_b"] != MINING_2020:
        raise fail(path, f"the regions' mining GVA in 2020 sums to {out.loc[2020, 'mining_b']}, expected {MINING_2020}")
    return out


def build(raw: Path, out: Path) -> list[str]:
    """Write ``onshore_gva_uk.csv`` into ``out``; return lines for the build log."""
    table = onshore_gva(raw)
    path = out / "onshore_gva_uk.csv"
    table.astype("int64").to_csv(path, lineterminator="\n")
    last = table.loc[YEARS[-1]]
    line = (
        f"{path.name}: {len(table)} years; {YEARS[-1]}: agriculture £{last['agriculture_a']:,.0f}m, mining "
        f"£{last['mining_b']:,.0f}m, all industries £{last['total']:,.0f}m (41 ITL2 regions, {ITL2_GVA_REPO})"
    )
    return [line]
