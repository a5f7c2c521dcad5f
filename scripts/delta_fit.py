"""Fit FLQ's delta on every Scottish Government year kil_io has employment for: data/delta_calibration.csv.

For each year, the UK table kil_io ships nearest it is regionalised to Scotland with Scotland's employment
of that year, at every delta on the calibration grid, and its multipliers are compared with the Scottish
Government's own table of the same year (kil_io.regional.calibration.calibrate_delta: weighted absolute
percentage error, WAPE, weights = SG output, over the common sectors of the IOAT/IOC098 concordance):

- Type I output and GVA multipliers for 2015, 2016, 2017 and 2019; Type II output and GVA multipliers for
  2019, the one year whose closure income (£156,241m) SG's published Type II reveals;
- Scotland's employment: BRES by SIC division for 2015 and 2016 (published), the 2016 mix grown by
  section for 2017 (kil_io's estimate), and BRES 2019 for Scotland at 5-digit SIC for 2019. 2018 is left
  out: its estimate counts farm employees that the years before it do not (a break in the source series),
  which moves Scotland's agriculture location quotient six-fold.

Every row of the grid is written, so the fit can be re-read without the raw files
(kil_io.regional.calibration.delta_fit reads it).

    python scripts/delta_fit.py          # raw SG workbook from ../shared/data-raw
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import pandas as pd

from kil_io import datasets
from kil_io.errors import KilIOWarning
from kil_io.readers.sg import read_sg_iot
from kil_io.regional.calibration import FIT_FILE, FIT_YEARS, calibrate_delta

REPO = Path(__file__).resolve().parents[1]
MEASURES = ("output_multiplier", "gva_multiplier")


def fit(raw: Path) -> pd.DataFrame:
    concordance = datasets.ioat_ioc_concordance()
    to_common = concordance.set_index("code").groupby("classification")["common"]
    frames = []
    for year in FIT_YEARS:
        survey = datasets.sg_iot(year) if year == 2019 else read_sg_iot(raw / "sg-io-1998-2019" / "IxI_wide.xlsx", year)
        if year == 2019:
            employment, gb = datasets.scotland_employment(2019), datasets.national_employment(2019)
        else:
            employment = datasets.local_employment("Scotland", year)
            gb = datasets.national_employment(year, area="Scotland")
        national = datasets.uk_iot(datasets.nearest_national_year(year))
        kinds = ("type_i", "type_ii") if survey.household_income is not None else ("type_i",)
        for kind in kinds:
            for measure in MEASURES:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", KilIOWarning)  # sectors without output: NaN, left out
                    cal = calibrate_delta(
                        national, survey, employment, national_to_common=to_common.get_group("ioat"),
                        survey_to_common=to_common.get_group("ioc098"), national_employment=gb,
                        methods=("slq", "cilq", "flq", "aflq"), kind=kind, measure=measure,
                    )  # fmt: skip
                errors = cal.errors.reset_index()
                errors.insert(0, "measure", measure)
                errors.insert(0, "kind", kind)
                errors.insert(0, "year", year)
                errors.insert(3, "national_table", national.label.strip("'"))
                frames.append(errors)
    out = pd.concat(frames, ignore_index=True)
    return out[["year", "kind", "measure", "national_table", "method", "delta", "wape", "mape", "bias"]]


def build(raw: Path, out: Path) -> list[str]:
    """Write ``out/delta_calibration.csv`` from the raw SG workbook; one line of report."""
    frame = fit(raw)
    header = (
        "# FLQ/AFLQ/SLQ/CILQ regionalisation of the UK table to Scotland against the Scottish Government's own "
        "tables (Supply, Use and Input-Output Tables 1998-2019, published 26 October 2022; OGL v3), by year; "
        "WAPE/MAPE/bias in %; made by scripts/delta_fit.py\n"
    )
    path = out / FIT_FILE
    path.write_text(header + frame.to_csv(index=False, float_format="%.6g"), encoding="utf-8")
    return [f"{path.name}: {len(frame)} rows (years {', '.join(map(str, FIT_YEARS))})"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=REPO.parent / "shared" / "data-raw")
    parser.add_argument("--out", type=Path, default=REPO / "data")
    args = parser.parse_args()
    for line in build(args.raw, args.out):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
