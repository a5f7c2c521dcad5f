"""``kil-io multipliers`` and ``kil-io cases``: multiplier and case-study tables as files."""

from __future__ import annotations

import argparse
from pathlib import Path

from tqdm.auto import tqdm

from kil_io import datasets
from kil_io.cli.common import kept_status, print_written
from kil_io.errors import AreaError, CaseError, KilIOError
from kil_io.regional import DEFAULT_DELTA
from kil_io.runner.tables import (
    area_multiplier_range_table,
    area_multiplier_table,
    multiplier_range_tables,
    uk_multiplier_tables,
)


def _cmd_cases(args: argparse.Namespace) -> int:
    from kil_io.runner.cases import case_study_outputs

    summary, written = case_study_outputs(Path(args.out), args.name, force=args.force)
    print_written(written)
    print("\nCase studies: local jobs (FTE), local GVA (£m) and LM3 (£ per £1 of income), model and published")
    print(summary.round(2).to_string(na_rep="-"))
    return kept_status(written)


def _cmd_multipliers(args: argparse.Namespace) -> int:
    if args.draws is not None and not (args.area or args.all_areas):
        raise CaseError("--draws goes with --area or --all-areas (the areas whose multipliers get a range over delta)")
    if args.area or args.all_areas:
        if args.area and args.all_areas:
            raise AreaError("give --area or --all-areas, not both")
        folder = Path(args.areas_out)
        areas = None if args.all_areas else args.area
        with tqdm(total=1, desc="areas: regionalise and solve (one batch)", disable=None) as bar:
            summary, written = area_multiplier_table(
                folder, args.area_year, areas, method=args.method, delta=args.delta, force=args.force
            )
            bar.update()
        if args.draws is not None and args.all_areas:
            with tqdm(total=len(summary.index.unique("area_name")), desc=f"ranges over delta ({args.draws:,} draws)",
                      unit="area", disable=None) as bar:  # fmt: skip
                ranges, more = area_multiplier_range_table(
                    folder / "ranges", args.area_year, None, delta=args.delta, draws=args.draws, seed=args.seed,
                    force=args.force, progress=bar.update,
                )  # fmt: skip
            written.update(more)
            print(
                f"\nEvery GB authority {args.area_year}: FLQ multipliers at delta {args.delta:g} with their 90% "
                f"range over delta ({args.draws:,} draws, the same for every area); first rows of {len(ranges):,}:"
            )
            print(ranges.head(12).round(3).to_string())
        elif args.draws is not None:
            for name in tqdm(args.area, desc=f"ranges over delta ({args.draws:,} draws)", disable=None):
                ranges, more = multiplier_range_tables(
                    folder / "ranges",
                    name,
                    args.area_year,
                    delta=args.delta,
                    draws=args.draws,
                    seed=args.seed,
                    force=args.force,
                )
                written.update(more)
                print(
                    f"\n{ranges.attrs['area']} {args.area_year}: FLQ multipliers at delta {args.delta:g} with their "
                    f"90% range over delta ({args.draws:,} draws from the Scotland calibration's spread; employment "
                    "effect: FTE per £1m of final demand)"
                )
                print(ranges.round(3).to_string())
        print_written(written)
        print(
            f"\nLocal multipliers {args.area_year} ({args.method}, delta {args.delta}), headline sectors "
            "(employment effect: FTE per £1m of final demand)"
        )
        shown = summary if len(summary) <= 60 else summary.head(60)
        print(shown.round(3).to_string())
        if len(summary) > len(shown):
            print(f"... {len(summary) - len(shown)} more rows in the CSV")
        return kept_status(written)
    summary, written = uk_multiplier_tables(Path(args.out), args.year, force=args.force)
    print_written(written)
    print(
        "\nUK multipliers, headline sectors (GVA effect: £ GVA per £1 of final demand; "
        "employment effect: FTE per £1m of final demand)"
    )
    print(summary.round(3).to_string())
    if args.local_year:
        local, more = area_multiplier_table(
            Path(args.out).parent / "local", args.local_year, None, method=args.method, delta=args.delta,
            force=args.force,
        )  # fmt: skip
        print_written(more)
        written.update(more)
        print(f"\nLocal multipliers {args.local_year} ({args.method.upper()}, delta {args.delta:g}; employment "
              "effect: FTE per £1m of final demand), headline sectors, first rows:")  # fmt: skip
        print(local.head(60).round(3).to_string())
    return kept_status(written)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add ``multipliers`` and ``cases`` to the ``kil-io`` subcommands."""
    p = sub.add_parser(
        "multipliers",
        help="write UK Type I and Type II multiplier tables (CSV) for the shipped years",
        description="Compute UK Type I and Type II output, GVA, income and employment "
        "multipliers from the shipped ONS tables and write one CSV per year and kind.",
    )
    p.add_argument("--year", type=int, action="append", help="a shipped year (repeatable; default: all)")
    p.add_argument("--out", default="outputs/tables/uk", help="output folder (default: %(default)s)")
    p.add_argument("--force", action="store_true", help="replace existing files whose content differs")
    p.add_argument(
        "--local-year",
        type=int,
        metavar="YEAR",
        help="also write the multipliers of every GB local authority for this BRES year (2015-2022), by --method "
        "and --delta, to <out>/../local (one tidy CSV, as --all-areas)",
    )
    p.add_argument(
        "--area", action="append", metavar="AREA",
        help="instead of the UK tables: Type I and II multipliers of this area (name or code; repeatable; see "
        "`kil-io areas`) and every industry, in one tidy CSV in --areas-out",
    )  # fmt: skip
    p.add_argument(
        "--all-areas", action="store_true",
        help="instead of the UK tables: every GB local authority (2023 boundaries) in one tidy CSV, one batched call",
    )  # fmt: skip
    p.add_argument("--area-year", type=int, default=2021, metavar="YEAR",
                   help="employment year for --area / --all-areas (2015-2022; default %(default)s)")  # fmt: skip
    p.add_argument("--method", default="flq", choices=["slq", "cilq", "flq", "aflq"],
                   help="location-quotient method for --area / --all-areas (default %(default)s)")  # fmt: skip
    p.add_argument("--delta", type=float, default=DEFAULT_DELTA,
                   help="FLQ/AFLQ delta (default %(default)s: fitted on the Scottish Government's tables)")  # fmt: skip
    p.add_argument("--areas-out", default="outputs/tables/areas", metavar="DIR",
                   help="folder for --area / --all-areas (default: %(default)s)")  # fmt: skip
    p.add_argument("--draws", type=int, metavar="N",
                   help="with --area or --all-areas: also write the multipliers with their 90%% range over delta "
                   "from N draws (at least 100) to --areas-out/ranges")  # fmt: skip
    p.add_argument("--seed", type=int, default=2026, help="random seed of the draws (default: %(default)s)")
    p.set_defaults(func=_cmd_multipliers)
    c = sub.add_parser(
        "cases",
        help="compute the shipped case studies (jobs, GVA, LM3, providers) into CSV and PNG",
        description="Local FTE jobs and GVA by component, LM3, sensitivity and the local-vs-national "
        "provider comparison for each case study in data/case_studies.",
    )
    try:
        shipped = ", ".join(datasets.case_studies())
    except KilIOError:  # no data folder: --help and --version still work, the command says why
        shipped = "those in the data folder"
    c.add_argument("name", nargs="*", help=f"case studies (default all: {shipped})")
    c.add_argument("--out", default="outputs/tables/case_studies", help="output folder (default: %(default)s)")
    c.add_argument("--force", action="store_true", help="replace existing files whose content differs")
    c.set_defaults(func=_cmd_cases)
