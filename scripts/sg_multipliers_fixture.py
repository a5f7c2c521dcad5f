"""Write tests/fixtures/sg_type_ii_multipliers_2019.csv from the Scottish Government's published Type II multipliers.

The Scottish Government's ``Mult2_wide.xlsx`` (Supply, Use and Input-Output Tables 1998-2019,
published 26 October 2022) is held out of ``../shared/data-raw`` on purpose: it is what kil_io's
Type II is checked against, never an input. Run with the path of a copy of that file::

    python scripts/sg_multipliers_fixture.py path/to/Mult2_wide.xlsx

The fixture keeps the 2019 rows and the columns that need no employment series: Type II output
multiplier, income and GVA effects and multipliers, at the precision SG publishes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "sg_type_ii_multipliers_2019.csv"
COLUMNS = {
    "Output_M": "output_multiplier",
    "Income_E": "income_effect",
    "Income_M": "income_multiplier",
    "GVA_E": "gva_effect",
    "GVA_M": "gva_multiplier",
}
HEADER = (
    "# Scottish Government, Supply, Use and Input-Output Tables 1998-2019 (published 26 October 2022), "
    "Mult2_wide.xlsx: Type II multipliers and effects, 2019, 98 industries (IOC098 order)\n"
    "# Copy used: ChristianSpence/gva-model, data-raw/Supply_Use_I-O_1998-2019/Mult2_wide.xlsx, "
    "commit 527d6a048e82ee7041b224d338b2d6866381100d. Open Government Licence v3.0\n"
)


def main(path: str) -> None:
    """Convert SG's ``Mult2_wide.xlsx`` at ``path`` to the fixture."""
    frame = pd.read_excel(path, dtype={"ioc098_sic": str})
    frame = frame[(frame["table"] == "Mult2") & (frame["year"] == 2019)]
    if len(frame) != 98:
        raise SystemExit(f"{path}: expected 98 industries for 2019, found {len(frame)}")
    out = frame[["ioc098_sic", "ioc098_short_description", *COLUMNS]].rename(
        columns={"ioc098_sic": "sic", "ioc098_short_description": "industry", **COLUMNS}
    )
    out.insert(0, "sector", [f"IOC098_{k:03d}" for k in range(1, 99)])
    with OUT.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(HEADER)
        out.to_csv(fh, index=False, lineterminator="\n")


if __name__ == "__main__":
    main(sys.argv[1])
