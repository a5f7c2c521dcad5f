"""The README's table of Type II / Type I output multipliers under each household closure.

Run ``python scripts/closure_ratios.py`` to print it (markdown); ``tests/test_readme.py`` checks
that the README shows what this prints.
"""

from __future__ import annotations

import warnings

import kil_io
from kil_io import ZeroOutputWarning, datasets

YEAR = 2019
#: The industries shown: UK IOAT code, the Scottish Government's IOC098 code, and a name.
INDUSTRIES = (
    ("Q87 & Q88", "IOC098_090", "Residential care and social work"),
    ("P85", "IOC098_088", "Education"),
    ("S94", "IOC098_095", "Membership organisations"),
)


def ratios() -> list[tuple[str, str, float, float, float, float]]:
    """(area, industry, resident share, coe, household income, household income + commuting) rows."""
    uk = datasets.uk_iot(YEAR)
    areas = (
        ("UK", uk, 0),
        ("Scotland (SG's own table)", datasets.sg_iot(YEAR), 1),
        ("Calderdale", datasets.regional_iot("Calderdale", YEAR, national_year=YEAR), 0),  # like for like: 2019
    )
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZeroOutputWarning)
        warnings.simplefilter("ignore", kil_io.KilIOWarning)
        for name, table, which in areas:
            type_i = kil_io.multipliers(table, "type_i")["output_multiplier"]
            coe = kil_io.multipliers(table, "type_ii", closure="coe", resident_share=1.0)["output_multiplier"]
            income = kil_io.multipliers(table, "type_ii", resident_share=1.0)["output_multiplier"]
            commuting = kil_io.multipliers(table, "type_ii")["output_multiplier"]
            for codes in INDUSTRIES:
                code = codes[which]
                rows.append(
                    (
                        name,
                        f"{codes[2]} ({code})",
                        table.resident_share,
                        coe[code] / type_i[code],
                        income[code] / type_i[code],
                        commuting[code] / type_i[code],
                    )
                )
    return rows


def markdown() -> str:
    """The table as the README shows it."""
    lines = [
        "| area | industry | `coe` | `household_income` | `household_income` + commuting (default) |",
        "|---|---|---|---|---|",
    ]
    for area, industry, share, coe, income, commuting in ratios():
        lines.append(f"| {area} | {industry} | {coe:.3f} | {income:.3f} | {commuting:.3f} (share {share:.3f}) |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
