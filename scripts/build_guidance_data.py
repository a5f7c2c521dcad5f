"""Write data/additionality_presets.csv: the low, central and high gross-to-net rates and their sources.

Not a conversion of a raw file: every rate here is kil_io's labelled choice (``basis``
"assumption"), tied to the section of the Additionality Guide that defines it (Homes and
Communities Agency, 4th edition, 2014: reference case p. 17, leakage p. 22, displacement p. 28,
substitution p. 31). A figure the guidance itself gives would have ``basis`` "guidance" and its
page. Change the rates here, never in data/, so each stays with its source;
``scripts/build_data.py`` runs this.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FILE = "additionality_presets.csv"
COLUMNS = ["scenario", "rate", "value", "basis", "source", "edition", "page", "note"]
GUIDE = ("Homes and Communities Agency: Additionality Guide", "4th edition (2014)")
#: rate -> page of the guide's section that defines it
PAGES = {"leakage": "22", "displacement": "28", "substitution": "31", "deadweight": "17"}
LEAKAGE = (
    "benefits to non-residents from commuting: 1 - the organisation's staff local share for its own jobs, "
    "1 - the area's Census 2021 resident share of workplace jobs for the rest"
)
#: (scenario, rate, value, note); every value is kil_io's assumption
RATES = [
    ("low", "leakage", "commuting", LEAKAGE),
    ("low", "displacement", "0.10", ("kil_io's low case: a service few others in the area offer, so little activity "
     "is taken from other local providers")),
    ("low", "substitution", "0.0", "kil_io's low case: no firm swaps one activity for a subsidised one"),
    ("low", "deadweight", "0.10", ("kil_io's low case: a tenth of the activity would happen in the area anyway "
     "(the reference case)")),
    ("central", "leakage", "commuting", LEAKAGE),
    ("central", "displacement", "0.25", ("kil_io's central case: a quarter of the activity is taken from other local "
     "providers")),
    ("central", "substitution", "0.0", ("kil_io's central case: substitution is a concern for business support, not "
     "for delivering a public service")),
    ("central", "deadweight", "0.20", ("kil_io's central case: a fifth of the activity would happen in the area anyway "
     "(the reference case)")),
    ("high", "leakage", "commuting", LEAKAGE),
    ("high", "displacement", "0.50", "kil_io's high case: half of the activity is taken from other local providers"),
    ("high", "substitution", "0.10", "kil_io's high case: a tenth of the activity is a swap for the subsidised one"),
    ("high", "deadweight", "0.50", ("kil_io's high case: half of the activity would happen in the area anyway (the "
     "reference case)")),
]  # fmt: skip


def build(out: Path) -> list[str]:
    """Write the presets into ``out``; return a line saying what was written."""
    rows = [(scenario, rate, value, "assumption", *GUIDE, PAGES[rate], note) for scenario, rate, value, note in RATES]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.to_csv(out / FILE, index=False, lineterminator="\n")
    return [f"{FILE}: {frame['scenario'].nunique()} scenarios, {len(frame)} rates"]
