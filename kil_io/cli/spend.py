"""``kil-io spend-impact``: a council's spend ledger -> the local jobs, GVA and income its local spend supports.

A command of its own rather than ``kil-io procurement --impact``: ``procurement`` stays the fast
reading of the ledger (no input-output table, no draws), while this one takes the table's year, the
council's own category words, the shift scenario, the draws and a result folder with its brief.
It prints the ledger's local share first (the CLES headline), then what the local spend supports.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kil_io.cli.areas import area_noted
from kil_io.cli.common import warnings_to_stderr
from kil_io.records.council_spend import council_spend
from kil_io.records.spend_impact import DRAWS
from kil_io.records.spend_result import FILE

#: The seed unless told: the same command prints the same ranges.
SEED = 2026


def _cmd_spend_impact(args: argparse.Namespace) -> int:
    from kil_io.reporting import spend_pages
    from kil_io.reporting.spend_brief import save_spend

    with warnings_to_stderr():
        result = council_spend(args.spend, area_noted(args.area), postcodes=args.postcodes, year=args.year,
                               categories=args.categories, shifts=args.shift or (), shifts_file=args.shifts,
                               draws=args.draws, seed=args.seed, title=args.title or "")  # fmt: skip
    print(spend_pages.summary(result))
    if not args.out:
        return 0
    out = Path(args.out)
    if (out / FILE).is_file() and (out / FILE).read_text(encoding="utf-8") != result.to_json() and not args.force:
        print(f"\n{out / FILE} exists and differs; it was kept: re-run with --force to replace the folder's results",
              file=sys.stderr)  # fmt: skip
        return 1
    written = save_spend(result, out, pdf=not args.no_pdf)
    print()
    for path in written:
        print(f"  written  {path}")
    note = out / "reports-error.txt"
    if not args.no_pdf and note.is_file() and not any(p.name == "brief.pdf" for p in written):
        print(f"kil-io: note: {note.read_text(encoding='utf-8').strip()}", file=sys.stderr)
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add ``spend-impact`` to the ``kil-io`` subcommands."""
    p = sub.add_parser(
        "spend-impact",
        help="local jobs, GVA and income supported by a council's spend with local suppliers, and a shift scenario",
        description="Read a council's spend over £500 file as `kil-io procurement` does (the local share weighted by "
        "£ stays the headline), place each payment in the industry it buys from by its expense type, and follow the "
        "local spend through the area's input-output table: local FTE, workplace GVA and local income, gross and net, "
        "Type I and II, with 90%% ranges. --shift moves a share of a category's, expense type's or service area's "
        "spend outside the area to local suppliers and gives the extra. Payments in no industry (grants, refunds) "
        "are listed with their £, never dropped.",
        epilog="examples:\n  kil-io spend-impact council_spend/spend_over_500.csv --area Leeds "
        "--postcodes council_spend/supplier_postcodes.csv\n  kil-io spend-impact SPEND.csv --area Leeds "
        '--shift "Repairs and maintenance=0.25" --shift "service area: Housing=10%" --out results/spend',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("spend", metavar="SPEND", help="spend over £500 file (.csv or .xlsx), or 'example' for the "
                                                  "shipped Leeds example")  # fmt: skip
    p.add_argument("--area", required=True, help="local area: an authority, region or nation (see `kil-io areas`)")
    p.add_argument("--postcodes", metavar="FILE", help="supplier -> postcode file (template supplier_postcodes.csv)")
    p.add_argument("--year", type=int, help="BRES year of the regional table (default: the latest shipped)")
    p.add_argument(
        "--categories", metavar="FILE",
        help="the council's own words -> categories (columns words, category [, note]; category: a kil_io spending "
        "category, an IOAT code or 'unmapped'), tried before kil_io's",
    )  # fmt: skip
    p.add_argument(
        "--shift", action="append", metavar="WHAT=SHARE",
        help="move SHARE (0.25 or 25%%) of WHAT's spend outside the area to local suppliers; WHAT is a category, "
        "expense type or service area of the ledger ('service area: Housing=0.1' to say which); repeatable",
    )  # fmt: skip
    p.add_argument("--shifts", metavar="FILE", help="shifts file (columns what, share [, kind, source])")
    p.add_argument("--draws", type=int, default=DRAWS, help="Monte Carlo draws for the ranges (0: none; default "
                                                            "%(default)s)")  # fmt: skip
    p.add_argument("--seed", type=int, default=SEED, help="seed of the draws (default %(default)s)")
    p.add_argument("--title", help="title in reports (default: '<area>: the council's spend with local suppliers')")
    p.add_argument("--out", metavar="DIR", help="write spend_impact.json, headline.json, CSV tables, a chart and the "
                                                "brief (HTML, PDF) into DIR")  # fmt: skip
    p.add_argument("--no-pdf", action="store_true", help="with --out: the HTML brief only")
    p.add_argument("--force", action="store_true", help="replace results in DIR that differ")
    p.set_defaults(func=_cmd_spend_impact)
