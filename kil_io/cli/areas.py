"""``kil-io areas``: find an area by name or code, and see what kil_io knows about it."""

from __future__ import annotations

import argparse
import warnings

import pandas as pd

from kil_io import datasets
from kil_io.datasets.areas import KIND_NAMES, NORTHERN_IRELAND, _key
from kil_io.errors import AreaError, AreaWarning


def _span(years: tuple[int, ...]) -> str:
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0]) if years else "none (not in GB)"


def _describe(where: datasets.Area) -> None:
    print(f"{where.name}  ({where.code}, {KIND_NAMES.get(where.kind, where.kind)})")
    known = datasets.areas(former=False).set_index("code")["name"]
    if where.parents:
        print("  lies in:     " + "; ".join(f"{known.get(p, p)} ({p})" for p in where.parents))
    if where.kind != "local_authority":
        names = [known.get(c, c) for c in where.members]
        shown = ", ".join(names[:12]) + (f", ... ({len(names)} in all)" if len(names) > 12 else "")
        print(f"  authorities: {shown}")
    years = _span(datasets.employment_years(where))
    if where.bres_region:
        print(f"  employment:  {years}; 2015-2021 from the region's own 5-digit BRES ({where.bres_region})")
    elif where.in_great_britain:
        print(f"  employment:  {years}; 2015-2016 BRES by division, later years estimated (see data/README.md)")
    else:
        print(f"  employment:  none: {NORTHERN_IRELAND}")
    for note in where.notes:
        print(f"  note:        {note}")


def _cmd_areas(args: argparse.Namespace) -> int:
    text = " ".join(args.text).strip()
    table = datasets.areas(args.kind or None, former=args.former)
    if text:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", AreaWarning)
                where = datasets.area(text)
            for w in caught:
                print(f"note: {w.message}")
            if not args.kind or where.kind in args.kind:
                _describe(where)
                return 0
        except AreaError as exc:
            if "ambiguous" in str(exc):
                print(f"note: {exc}\n")
        key = _key(text)
        hit = table["name"].map(_key).str.contains(key, regex=False) | table["code"].str.casefold().str.startswith(
            text.casefold()
        )
        table = table[hit]
        if table.empty:
            datasets.area(text)  # raises the "did you mean" error
    if table.empty:
        raise AreaError(f"no area of kind {args.kind} matches {text!r}")
    shown = table[["code", "name", "kind", "itl2", "authorities"]].assign(
        kind=table["kind"].map(lambda k: KIND_NAMES.get(k, k)),
        years=table["years"].map(_span),
    )
    with pd.option_context("display.max_rows", None, "display.width", 200, "display.max_colwidth", 60):
        print(shown.to_string(index=False))
    print(f"\n{len(shown)} area(s); give one by name or code to kil_io.datasets.regional_iot, `kil-io multipliers "
          "--area` or `kil-io run regional --area`")  # fmt: skip
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add ``areas`` to the ``kil-io`` subcommands."""
    a = sub.add_parser(
        "areas",
        help="find areas by name or code (local authorities, ITL3/ITL2/ITL1, nations, combined authorities)",
        description="With TEXT naming one area (name or ONS code, any case; former names and codes too), show "
        "it: its authorities, the areas it lies in, the years with employment and notes. Otherwise list "
        "the areas whose name contains TEXT or whose code starts with it (all areas without TEXT).",
    )
    a.add_argument("text", nargs="*", metavar="TEXT", help="a name, part of one, or a code (e.g. Hackney, E08000033)")
    a.add_argument("--kind", action="append", choices=datasets.KINDS, help="only areas of this kind (repeatable)")
    a.add_argument("--former", action="store_true", help="also list former authorities (merged or renamed)")
    a.set_defaults(func=_cmd_areas)
