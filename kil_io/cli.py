"""The ``kil-io`` command."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from kil_io import __version__, datasets, regional
from kil_io.errors import KilIOError, ZeroOutputWarning
from kil_io.files import write_text_atomic
from kil_io.multipliers import multipliers

#: Sectors the Keep it Local case studies turn on: residential care and social work,
#: education, and membership organisations.
HEADLINE_SECTORS: tuple[str, ...] = ("Q87 & Q88", "P85", "S94")


def uk_multiplier_tables(
    out: Path, years: Sequence[int] | None = None, *, force: bool = False
) -> tuple[pd.DataFrame, dict[Path, str]]:
    """Write UK Type I and Type II multiplier tables as CSV, one per year and kind.

    Parameters
    ----------
    out : Path
        Folder for ``uk_<year>_<kind>.csv``.
    years : sequence of int, optional
        Default: every shipped year (:func:`kil_io.datasets.available_years`).
    force : bool
        Replace existing files whose content differs; otherwise they are kept.

    Returns
    -------
    summary : DataFrame
        Headline sectors x (year, kind): output multiplier, GVA effect (£ per £) and
        employment effect (FTE per £1m).
    written : dict
        File -> write status (``written``, ``replaced``, ``unchanged`` or ``kept``).
    """
    years = list(years) if years else list(datasets.available_years())
    rows, written, notes = [], {}, {}
    for year in years:
        table = datasets.uk_iot(year)
        for kind in ("type_i", "type_ii"):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ZeroOutputWarning)
                m = multipliers(table, kind)
            notes.update(dict.fromkeys(str(w.message) for w in caught))
            frame = m.copy()
            frame.insert(0, "name", table.names)
            path = out / f"uk_{year}_{kind}.csv"
            written[path] = write_text_atomic(path, frame.to_csv(float_format="%.10g"), force=force)
            pick = m.loc[list(HEADLINE_SECTORS), ["output_multiplier", "gva_effect", "employment_effect"]]
            rows.append(pick.assign(year=year, kind=kind))
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    summary = pd.concat(rows).reset_index().set_index(["sector", "year", "kind"]).sort_index()
    return summary, written


def local_multiplier_tables(
    out: Path,
    year: int,
    *,
    kind: str = "local_authority",
    method: str = "flq",
    delta: float = 0.3,
    force: bool = False,
) -> tuple[pd.DataFrame, dict[Path, str]]:
    """Write Type I and Type II multipliers of every shipped area of one kind, in one batch.

    Parameters
    ----------
    out : Path
        Folder for ``<kind>_<year>_<type>.csv`` (long: area, sector, multipliers).
    year : int
        Employment year (BRES, 2015-2021); the nearest shipped UK table is regionalised.
    kind : {"local_authority", "itl2"}
    method, delta
        Location-quotient method and FLQ delta (:mod:`kil_io.regional`).
    force : bool
        Replace existing files whose content differs.

    Returns
    -------
    summary : DataFrame
        Headline sectors of every area: Type I and II output multiplier and employment effect.
    written : dict
        File -> write status.
    """
    chosen = datasets.areas().query("kind == @kind")
    employment = pd.DataFrame(
        {row["name"]: datasets.local_employment(row["code"], year) for _, row in chosen.iterrows()}
    ).T
    national = datasets.uk_iot(datasets.national_year_for(year))
    written, parts = {}, {}
    for kind_ in ("type_i", "type_ii"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ZeroOutputWarning)  # absent industries: NaN rows, named in the CSV
            m = regional.regional_multipliers(
                national, employment, kind_, national_employment=datasets.national_employment(year),
                method=method, delta=delta,
            )  # fmt: skip
        path = out / f"{kind}_{year}_{kind_}.csv"
        written[path] = write_text_atomic(path, m.to_csv(float_format="%.10g"), force=force)
        parts[kind_] = m.loc[(slice(None), list(HEADLINE_SECTORS)), ["output_multiplier", "employment_effect"]]
    summary = pd.concat(parts, axis=1).sort_index()
    return summary, written


def _cmd_multipliers(args: argparse.Namespace) -> int:
    summary, written = uk_multiplier_tables(Path(args.out), args.year, force=args.force)
    for path, status in written.items():
        print(f"{status:>9}  {path}")
    print(
        "\nUK multipliers, headline sectors (GVA effect: £ GVA per £1 of final demand; "
        "employment effect: FTE per £1m of final demand)"
    )
    print(summary.round(3).to_string())
    if args.local_year:
        local, more = local_multiplier_tables(
            Path(args.out).parent / "local_multipliers", args.local_year, force=args.force
        )
        for path, status in more.items():
            print(f"{status:>9}  {path}")
        written.update(more)
        print(f"\nLocal multipliers {args.local_year} (FLQ, delta 0.3; employment effect: FTE per £1m of final demand)")
        print(local.round(3).to_string())
    kept = [p for p, s in written.items() if s == "kept"]
    if kept:
        print(
            f"\n{len(kept)} existing file(s) differ from the new results and were kept; "
            "re-run with --force to replace them.",
            file=sys.stderr,
        )
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``kil-io`` (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="kil-io",
        description="Regional input-output multipliers for Keep it Local studies.",
    )
    parser.add_argument("--version", action="version", version=f"kil_io {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser(
        "multipliers",
        help="write UK Type I and Type II multiplier tables (CSV) for the shipped years",
        description="Compute UK Type I and Type II output, GVA, income and employment "
        "multipliers from the shipped ONS tables and write one CSV per year and kind.",
    )
    p.add_argument("--year", type=int, action="append", help="a shipped year (repeatable; default: all)")
    p.add_argument("--out", default="outputs/uk_multipliers", help="output folder (default: %(default)s)")
    p.add_argument("--force", action="store_true", help="replace existing files whose content differs")
    p.add_argument(
        "--local-year",
        type=int,
        metavar="YEAR",
        help="also write FLQ multipliers of the 13 West & North Yorkshire authorities for this BRES year "
        "(2015-2021) to <out>/../local_multipliers",
    )
    p.set_defaults(func=_cmd_multipliers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kil-io`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KilIOError as exc:
        print(f"kil-io: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
