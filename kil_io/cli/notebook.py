"""``kil-io notebook NAME``: a working copy of a template notebook to explore in JupyterLab."""

from __future__ import annotations

import argparse
import shlex

from kil_io.runner.workcopy import DEFAULT_FOLDER, templates, working_copy


def _cmd_notebook(args: argparse.Namespace) -> int:
    if args.name is None:
        print("templates: " + ", ".join(templates()))
        return 0
    parameters: dict[str, object] = {}
    if args.area is not None:
        parameters["area"] = args.area
    if args.year is not None:
        parameters["year"] = args.year
    if args.sectors:
        parameters["sectors"] = list(args.sectors)
    out = working_copy(args.name, args.out, parameters, force=args.force)
    print(f"written  {out}")
    print(f"open it: jupyter lab {shlex.quote(str(out))}  (saving there never changes the templates in notebooks/)")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add ``notebook`` to the ``kil-io`` subcommands."""
    p = sub.add_parser(
        "notebook",
        help="copy a template notebook (e.g. explore_multipliers) into a working folder to explore in JupyterLab",
        description="Write a template notebook, with the parameters given, into a working folder (default "
        f"{DEFAULT_FOLDER}/) and print how to open it. The templates in notebooks/ are left as they are, so "
        "saving or autosaving the copy never changes them. Without NAME, list the templates.",
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="template, e.g. explore_multipliers")
    p.add_argument("--area", help="area by name or code (templates with an area parameter)")
    p.add_argument("--year", type=int, help="employment year (templates with a year parameter)")
    p.add_argument("--sectors", nargs="+", metavar="CODE", help='industry codes, e.g. "Q87 & Q88" P85')
    p.add_argument(
        "--out", default=str(DEFAULT_FOLDER), metavar="DIR", help=f"working folder (default {DEFAULT_FOLDER})"
    )
    p.add_argument("--force", action="store_true", help="replace a working copy already there")
    p.set_defaults(func=_cmd_notebook)
