"""``kil-io new-case``, ``kil-io procurement`` and ``kil-io templates``: an organisation's own records."""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
from pathlib import Path

from kil_io.cli.areas import area_noted
from kil_io.cli.common import warnings_to_stderr
from kil_io.errors import RecordsError
from kil_io.files import csv_text, write_text_atomic
from kil_io.records.areas import local_area
from kil_io.records.newcase import DEFAULT_SECTOR, case_from_records
from kil_io.records.procurement import TOP, read_procurement
from kil_io.records.templates import EXAMPLES, FOLDER, TEMPLATES
from kil_io.records.tendercase import case_from_bids
from kil_io.reporting.index_page import NAME


def _print_rows(title: str, items: tuple) -> None:
    if items:
        print(f"\n{title} ({len(items)}):")
        for item in items:
            print(f"  {item}")


def _cmd_new_case(args: argparse.Namespace) -> int:
    if not NAME.fullmatch(args.name):
        raise RecordsError(
            f"case name {args.name!r} is not lower_snake ([a-z][a-z0-9_]*, at most 64 characters): it becomes the "
            "file NAME.yaml and the folder of its results, e.g. leeds_community_centre"
        )
    if args.contract:
        return _new_contract(args)
    if args.bids or args.lots or args.value is not None or args.award or args.service:
        raise RecordsError("--bids, --lots, --value, --award and --service make a contract case: add --contract")
    folder = Path(args.out)
    target = folder / f"{args.name}.yaml"
    given = [("--area", args.area), ("--accounts", args.accounts), ("--staff", args.staff),
             ("--suppliers", args.suppliers), ("--title", args.title), ("--year", args.year),
             ("--sector", None if args.sector == DEFAULT_SECTOR else args.sector), ("--out", args.out)]  # fmt: skip
    options = [str(x) for option, value in given if value is not None for x in (option, value)]
    command = shlex.join(["kil-io", "new-case", args.name, *options])
    area = area_noted(args.area)
    made = case_from_records(
        args.name, area=area, folder=folder, accounts=args.accounts, staff=args.staff, suppliers=args.suppliers,
        title=args.title, year=args.year, sector=args.sector, command=command,
    )  # fmt: skip
    status = write_text_atomic(target, made.text(), force=args.force)
    org = made.data["organisation"]
    staff = org["staff"]
    print(f"{status:>9}  {target}")
    print(f"\n{made.title}, {made.area.name}: figures and where they came from")
    rows = [
        ("income", f"£{org['income']['value']:,.0f}", org["income"]["source"]),
        ("staff FTE", f"{staff['fte']['value']:g} FTE", staff["fte"]["source"]),
        ("staff costs", f"£{staff['costs']['value']:,.0f}", staff["costs"]["source"]),
        ("local share of pay", f"{staff['local_share']['value']:.1%}", staff["local_share"]["source"]),
        ("surplus", f"£{org['surplus']['value']:,.0f}", org["surplus"]["source"]),
    ]
    if made.suppliers is not None:
        ledger = made.suppliers
        source = f"records: {ledger.path.name}, £{ledger.local_value:,.0f} of £{ledger.total:,.0f} by £"
        rows.append(("local share of spending", f"{ledger.local_share:.1%}", f"{source}, {len(ledger.lines)} lines"))
    for what, value, source in rows:
        print(f"  {what:<24} {value:>12}  {source}")
    _print_rows("checks", made.checks)
    _print_rows("rows placed outside the area (not dropped: counted as not local)", made.unplaced)
    _print_rows("notes", made.notes)
    if status == "kept":
        print(f"\n{target} exists and differs; it was kept: re-run with --force to replace it", file=sys.stderr)
        return 1
    print(f"\nnext: kil-io run {target}   (or kil-io cases {target} for the tables without a notebook)")
    return 0


def _new_contract(args: argparse.Namespace) -> int:
    """``new-case --contract``: a tender case from a bids file (and a lots file)."""
    if args.accounts or args.staff or args.suppliers or args.sector != DEFAULT_SECTOR:
        raise RecordsError("--accounts, --staff, --suppliers and --sector describe an organisation; a contract case "
                           "is made from --bids (and --lots)")  # fmt: skip
    if not args.bids or args.value is None:
        raise RecordsError("a contract case needs --value (the contract's £ a year) and --bids FILE (template "
                           "bids.csv: kil-io templates)")  # fmt: skip
    folder = Path(args.out)
    target = folder / f"{args.name}.yaml"
    value = f"{args.value:.2f}".rstrip("0").rstrip(".")
    given = [("--area", args.area), ("--value", value), ("--bids", args.bids), ("--lots", args.lots),
             ("--award", args.award), ("--service", args.service), ("--title", args.title), ("--year", args.year),
             ("--out", args.out)]  # fmt: skip
    options = [str(x) for option, value in given if value is not None for x in (option, value)]
    command = shlex.join(["kil-io", "new-case", args.name, "--contract", *options])
    made = case_from_bids(args.name, area=area_noted(args.area), value=args.value, bids=args.bids, lots=args.lots,
                          folder=folder, title=args.title, service=args.service, year=args.year, award=args.award,
                          command=command)  # fmt: skip
    status = write_text_atomic(target, made.text(), force=args.force)
    print(f"{status:>9}  {target}")
    print(f"\n{made.title}, {made.area}: a £{args.value:,.0f} a year contract, {len(made.bids.bids)} bids")
    for key, p in made.data["providers"].items():
        fte = p["staff_share"]["value"] * args.value / p["staff_cost_per_fte"]["value"]
        spent = sum(line["share"] * line["local_share"] for line in p["spending"]) * args.value
        print(f"  {p['name']:<40} {fte:>7.1f} FTE, {p['staff_local_share']['value']:.0%} of pay to local staff, "
              f"£{spent:,.0f} a year with local suppliers  ({key})")  # fmt: skip
    if made.lots is not None:
        print(f"\nlots ({len(made.lots.lots)}):")
        for lot in made.lots.lots:
            print(f"  {lot.name:<40} £{lot.value:>12,.0f}  bids: {'; '.join(lot.bids)}")
    _print_rows("checks", made.checks)
    _print_rows("notes", made.notes)
    if status == "kept":
        print(f"\n{target} exists and differs; it was kept: re-run with --force to replace it", file=sys.stderr)
        return 1
    print(f"\nnext: kil-io run {target}")
    return 0


def _cmd_procurement(args: argparse.Namespace) -> int:
    area = local_area(area_noted(args.area))
    with warnings_to_stderr():  # a column the reader does not use is named, never ignored silently
        result = read_procurement(args.spend, area, lookup=args.postcodes)
    print(f"{result.path}: {len(result.payments)} payments, £{result.total:,.2f}; local = in {area.name}")
    print(f"\nlocal share, weighted by £:            {result.local_share:.1%} (£{result.local_value:,.0f})")
    print(f"mean of service areas' shares (unweighted, not the local share): {result.unweighted_share:.1%}")
    print(f"share of suppliers in {area.name} (by count): {result.supplier_share:.1%}")
    print(f"LM3 round 2: £{result.local_value:,.0f} re-spent locally of £{result.total:,.0f}, "
          f"(R1 + R2) / R1 = {result.lm3_round2:.2f}")  # fmt: skip
    pounds = {"spend": "{:,.0f}".format, "local_spend": "{:,.0f}".format, "local_share": "{:.1%}".format}
    table = result.by_service_area.rename_axis("service area")
    print("\nby service area (spend and local spend in £):")
    print(table.to_string(formatters=pounds))
    print(f"\ntop {TOP} suppliers (£):")
    print(result.top_suppliers().to_string(formatters=pounds))
    _print_rows("payments placed outside the area (not dropped: counted as not local)", result.unplaced)
    if args.out:
        out = Path(args.out)
        # service areas and supplier names are the council's text: a spreadsheet must not run them as formulas
        files = {
            "by_service_area.csv": csv_text(table, float_format="%.12g"),
            "top_suppliers.csv": csv_text(result.top_suppliers(), float_format="%.12g"),
        }
        written = {out / name: write_text_atomic(out / name, text, force=args.force) for name, text in files.items()}
        for path, status in written.items():
            print(f"{status:>9}  {path}")
        if "kept" in written.values():
            return 1
    return 0


def _cmd_templates(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise RecordsError(f"{out} is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)
    pairs = [(FOLDER / f"{stem}{suffix}", out / f"{stem}{suffix}", what if suffix == ".xlsx" else "")
             for stem, what in TEMPLATES.items() for suffix in (".csv", ".xlsx")]  # fmt: skip
    if args.examples:
        pairs += [(f, out / f.relative_to(EXAMPLES), "") for f in sorted(EXAMPLES.glob("*/*")) if f.is_file()]
    kept = 0
    for source, target, what in pairs:
        if target.exists() and not args.force:
            status = "kept"
            kept += 1
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            status = "written"
        print(f"{status:>9}  {target}" + (f"\n           {target.stem}: {what}" if what else ""))
    if kept:
        print(f"\n{kept} file(s) exist and were kept; --force replaces them", file=sys.stderr)
    return 1 if kept else 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add ``new-case``, ``procurement`` and ``templates`` to the ``kil-io`` subcommands."""
    t = sub.add_parser(
        "templates",
        help="copy the templates of accounts, staff and supplier records (CSV and xlsx) into a folder",
        description="Copy the templates of an organisation's records (accounts, staff list, supplier ledger) and of "
        "a council's spend over £500 file into OUT, as CSV and xlsx. Fill them in, then run kil-io new-case.",
    )
    t.add_argument("out", nargs="?", default=".", metavar="OUT", help="folder (default: the current one)")
    t.add_argument(
        "--examples", action="store_true",
        help="also copy the filled worked examples: leeds_community_centre/ (accounts, staff, suppliers), "
        "bristol_home_care/ (three bids), bradford_facilities/ (bids and lots) and "
        "council_spend/ (a spend over £500 file and its supplier postcodes)",
    )  # fmt: skip
    t.add_argument("--force", action="store_true", help="replace files of the same names")
    t.set_defaults(func=_cmd_templates)
    n = sub.add_parser(
        "new-case",
        help="make a case file (YAML) from an organisation's accounts, staff list and supplier ledger, or (--contract) "
        "from a contract's bids",
        description="Read the organisation's records (the templates of kil-io templates, CSV or xlsx) and write "
        "OUT/NAME.yaml: every figure with its source ('records: suppliers.csv, ...' or 'assumption: ...'), the "
        "local shares of pay and spending weighted by £, and at the top the checks (ledger against accounts) and "
        "the rows whose location is unknown. Postcodes are placed through the ONS Postcode Directory.",
        epilog="examples:\n  kil-io new-case leeds_community_centre --area Leeds --accounts accounts.csv "
        "--staff staff.csv --suppliers suppliers.csv\n  kil-io new-case bristol_home_care --contract --area Bristol "
        "--value 2000000 --bids bids.csv\n  kil-io run leeds_community_centre.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    n.add_argument("name", metavar="NAME", help="case name, lower_snake (the file is OUT/NAME.yaml)")
    n.add_argument(
        "--area", required=True,
        help="local area: an authority, region or nation of Great Britain, by name or code (see `kil-io areas`), "
        "e.g. Leeds",
    )  # fmt: skip
    n.add_argument("--accounts", metavar="FILE", help="accounts (.csv or .xlsx, template accounts.csv)")
    n.add_argument("--staff", metavar="FILE", help="staff list (.csv or .xlsx, template staff.csv)")
    n.add_argument("--suppliers", metavar="FILE", help="supplier ledger (.csv or .xlsx, template suppliers.csv)")
    n.add_argument("--title", help="title in reports (default: the name with spaces)")
    n.add_argument("--year", type=int, help="BRES year of the regional table (default: the latest shipped)")
    n.add_argument("--sector", default=DEFAULT_SECTOR, help="the organisation's IOAT industry (default %(default)s)")
    n.add_argument("--out", default=".", metavar="DIR", help="folder of the case file (default: the current one)")
    n.add_argument("--force", action="store_true", help="replace an existing case file of the same name")
    n.add_argument("--contract", action="store_true",
                   help="make a contract case from bids (--value, --bids, optional --lots) instead of an "
                   "organisation's records")  # fmt: skip
    n.add_argument("--value", type=float, metavar="POUNDS", help="with --contract: the contract's value, £ a year")
    n.add_argument("--bids", metavar="FILE", help="with --contract: the bids (.csv or .xlsx, template bids.csv)")
    n.add_argument("--lots", metavar="FILE", help="with --contract: the lots and who bids for each (template lots.csv)")
    n.add_argument("--award", metavar="BID", help="with --contract: the bid that won the whole contract, if known")
    n.add_argument("--service", help="with --contract: what the contract buys, in words (default: the title)")
    n.set_defaults(func=_cmd_new_case)
    p = sub.add_parser(
        "procurement",
        help="local share of a council's spend over £500 file, weighted by £: overall, by service area, top suppliers",
        description="Read a council's published spend over £500 file (date, supplier, amount, service area, expense "
        "type; supplier postcodes in the file or in --postcodes FILE) and report the local share of spend weighted "
        "by £ overall, by service area and for the top suppliers, the unweighted mean beside it, and LM3's round 2.",
    )
    p.add_argument("spend", metavar="SPEND", help="spend over £500 file (.csv or .xlsx)")
    p.add_argument(
        "--area", required=True,
        help="local area: any UK authority, region or nation, by name or code (see `kil-io areas`), e.g. Leeds",
    )  # fmt: skip
    p.add_argument("--postcodes", metavar="FILE", help="supplier -> postcode file (template supplier_postcodes.csv)")
    p.add_argument("--out", metavar="DIR", help="also write by_service_area.csv and top_suppliers.csv to DIR")
    p.add_argument("--force", action="store_true", help="replace files in DIR whose content differs")
    p.set_defaults(func=_cmd_procurement)
