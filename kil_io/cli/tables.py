"""``kil-io multipliers`` and ``kil-io cases``: multiplier and case-study tables as files."""

from __future__ import annotations

import argparse
from pathlib import Path

from kil_io import datasets
from kil_io.cli.common import kept_status, print_written
from kil_io.errors import CaseError
from kil_io.reporting.tables import (
    case_study_outputs,
    local_multiplier_tables,
    multiplier_range_tables,
    uk_multiplier_tables,
)

#: The latest BRES employment year shipped (the default year of ``--area``).
LATEST_BRES_YEAR = 2021


def _cmd_cases(args: argparse.Namespace) -> int:
    summary, written = case_study_outputs(Path(args.out), args.name, force=args.force)
    print_written(written)
    print("\nCase studies: local jobs (FTE), local GVA (£m) and LM3 (£ per £1 of income), model and published")
    print(summary.round(2).to_string(na_rep="-"))
    return kept_status(written)


def _cmd_multipliers(args: argparse.Namespace) -> int:
    if args.draws is not None and not args.area:
        raise CaseError("--draws goes with --area (the area whose multipliers get a range over delta)")
    summary, written = uk_multiplier_tables(Path(args.out), args.year, force=args.force)
    print_written(written)
    print(
        "\nUK multipliers, headline sectors (GVA effect: £ GVA per £1 of final demand; "
        "employment effect: FTE per £1m of final demand)"
    )
    print(summary.round(3).to_string())
    if args.local_year:
        local, more = local_multiplier_tables(Path(args.out).parent / "local", args.local_year, force=args.force)
        print_written(more)
        written.update(more)
        print(f"\nLocal multipliers {args.local_year} (FLQ, delta 0.3; employment effect: FTE per £1m of final demand)")
        print(local.round(3).to_string())
    if args.area:
        year = args.local_year or LATEST_BRES_YEAR
        ranges, more = multiplier_range_tables(
            Path(args.out).parent / "ranges",
            args.area,
            year,
            draws=args.draws or 1000,
            seed=args.seed,
            force=args.force,
        )
        print_written(more)
        written.update(more)
        print(
            f"\n{args.area} {year}: FLQ multipliers at delta 0.3 with their 90% range over delta "
            f"({args.draws or 1000:,} draws from the Scotland calibration's spread; employment effect: FTE per £1m "
            "of final demand)"
        )
        print(ranges.round(3).to_string())
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
        help="also write FLQ multipliers of the 13 West & North Yorkshire authorities for this BRES year "
        "(2015-2021) to <out>/../local",
    )
    p.add_argument(
        "--area",
        metavar="NAME",
        help="also write this area's FLQ multipliers with their 90%% range over delta (BRES year: --local-year, "
        "default the latest) to <out>/../ranges",
    )
    p.add_argument("--draws", type=int, metavar="N", help="draws of delta for --area (default 1000; at least 100)")
    p.add_argument("--seed", type=int, default=2026, help="random seed of the draws (default: %(default)s)")
    p.set_defaults(func=_cmd_multipliers)
    c = sub.add_parser(
        "cases",
        help="compute the shipped case studies (jobs, GVA, LM3, providers) into CSV and PNG",
        description="Local FTE jobs and GVA by component, LM3, sensitivity and the local-vs-national "
        "provider comparison for each case study in data/case_studies.",
    )
    c.add_argument("name", nargs="*", help=f"case studies (default all: {', '.join(datasets.case_studies())})")
    c.add_argument("--out", default="outputs/tables/case_studies", help="output folder (default: %(default)s)")
    c.add_argument("--force", action="store_true", help="replace existing files whose content differs")
    c.set_defaults(func=_cmd_cases)
