"""Put BRES employees by section (``bres_itl_sections.csv``) on one basis in every year.

Called by ``scripts/build_area_data.py``; not run on its own. The growth of a section in an area from
2016 to a later year carries every authority's 2016 employment forward, so a series that changes what
it counts between those years gives a growth that is no growth. One such break is known and measured:

* **Scotland's section A, 2018.** Nomis's BRES employees at ITL1, ITL2 and ITL3 in Scotland (codes
  ``TLM…``) leave out farm agriculture (SIC 01000, the farm labour BRES takes from the agricultural census)
  in 2015-2017 and count it from 2018: Scotland's section A is 8,000-10,000 in 2015-2017 and 41,000 in 2018,
  the ITL3 area TLM76 10 in 2017 and 200 in 2018. Great Britain's own figure counts Scotland's farms in every
  year: it is 212,000-216,000 throughout, and it exceeds the sum of its ITL1 regions by 27,500-30,000 in 2015-2017 (the
  Scottish farms missing below GB) but by no more than 2,000 from 2018. The authorities' 2016 base (BRES
  employment by division) does count Scotland's farms (Scotland's division 01: 66,865 in 2016), so growth
  measured from the 2016 figure without farms multiplied Fife's A01 by 20 by 2021.

  Each Scottish area's section A for 2015-2017 is therefore **estimated on the 2018 basis**: its 2018 figure
  times Great Britain's section A in that year over GB's in 2018 (GB's series is one basis throughout).
  Growth from 2016 to 2018 and later is then GB's to 2018 and the area's own after. Each estimated cell,
  with the published figure it replaces, is listed in ``bres_itl_sections_notes.csv``.

The script checks the evidence for every break before repairing it (the jump in the areas, the gap below
GB closing), so a later extract without the break stops the build rather than being "repaired".
"""

from __future__ import annotations

import pandas as pd

from kil_io.errors import ReaderError

GB = "K03000001"
#: (area code prefix, section, first year on the new basis, ITL1 code of the areas, what changed).
BREAKS = (
    (
        "TLM",
        "A",
        2018,
        "TLM",
        "Nomis's BRES employees in Scotland's ITL areas leave out farm agriculture (SIC 01000) before 2018",
    ),
)
#: Evidence a break must show: the ITL1 area's section at least doubles across the break, and the gap
#: between GB and the sum of its ITL1 regions falls to under this share of its size before the break.
MIN_JUMP = 2.0
GAP_CLOSED = 0.2


def consistent_sections(wide: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sections on one basis, and the estimated cells.

    Parameters
    ----------
    wide : DataFrame
        BRES employees by section ``A`` … ``U``, index (area, year), GB as ``K03000001`` [jobs].

    Returns
    -------
    (DataFrame, DataFrame)
        The sections with every known break's earlier years estimated on the later basis (whole jobs),
        and the notes: ``area, year, section, published, estimate, note``.

    Raises
    ------
    ReaderError
        A listed break that the data do not show.
    """
    out = wide.copy()
    notes = []
    itl1 = [a for a in wide.index.get_level_values("area").unique() if len(a) == 3 and a.startswith("TL")]
    for prefix, section, first, region, why in BREAKS:
        series = wide[section].unstack("year")
        before, years = first - 1, [y for y in series.columns if y < first]
        jump = series.at[region, first] / series.at[region, before]
        gap = series.loc[GB] - series.loc[itl1].sum()
        if jump < MIN_JUMP or abs(gap[first]) > GAP_CLOSED * gap[before]:
            raise ReaderError(
                f"BRES sections: the break listed for {region} section {section} in {first} is not in the data "
                f"({region} x{jump:.2f} from {before}; GB minus its ITL1 regions {gap[before]:,.0f} -> "
                f"{gap[first]:,.0f}); update scripts/build_section_breaks.py"
            )
        gb = series.loc[GB]
        for area in (a for a in series.index if a.startswith(prefix)):
            for year in years:
                estimate = round(series.at[area, first] * gb[year] / gb[first])
                out.loc[(area, year), section] = estimate
                notes.append({
                    "area": area, "year": year, "section": section, "published": int(series.at[area, year]),
                    "estimate": estimate,
                    "note": f"estimate on the {first} basis: {why}; {area}'s {first} figure x GB's section "
                    f"{section} {year}/{first} ({gb[year]:,.0f}/{gb[first]:,.0f})",
                })  # fmt: skip
    return out, pd.DataFrame(notes, columns=["area", "year", "section", "published", "estimate", "note"])
