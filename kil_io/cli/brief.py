"""``kil-io brief FOLDER``: the brief and workbook of a result folder, re-rendered from its ``appraisal.json``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _cmd_brief(args: argparse.Namespace) -> int:
    from kil_io.appraisal.result import FILE
    from kil_io.records.spend_result import FILE as SPEND_FILE
    from kil_io.reporting.outputs import Reports, write_reports
    from kil_io.reporting.spend_brief import rerender

    status = 0
    for folder in args.folder:
        if not (Path(folder) / FILE).is_file() and (Path(folder) / SPEND_FILE).is_file():  # a council's spend impact
            files = rerender(folder, pdf=not args.no_pdf)
            made = Reports((files.html, *files.charts, *([files.pdf] if files.pdf else [])), files.note)
        else:
            made = write_reports(Path(folder), pdf=not args.no_pdf)
        for path in made.files:
            print(f"written  {path}")
        if made.note:
            print(f"kil-io: note: {made.note}", file=sys.stderr)
            status = max(status, 0 if args.no_pdf else 1)
    return status


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add ``brief`` to the ``kil-io`` subcommands."""
    p = sub.add_parser(
        "brief",
        help="re-render the brief (HTML, PDF) and workbook of a result folder from its appraisal.json",
        description="Write brief.html, brief.pdf (with headless Chromium) and <case>.xlsx into each result folder "
        "of an organisation or contract case, from the appraisal.json its run saved. Nothing is computed again.",
    )
    p.add_argument("folder", nargs="+", help="result folder(s), e.g. outputs/halifax_opportunities_trust")
    p.add_argument("--no-pdf", action="store_true", help="write the HTML brief and the workbook only")
    p.set_defaults(func=_cmd_brief)
