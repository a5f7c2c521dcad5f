"""``kil-io run`` and ``kil-io list``: case studies executed in batch, and the case list."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from kil_io.reporting import index_page
from kil_io.runner import batch, caselist


def _flow(value: object) -> str:
    """A parameter value as YAML flow text, as ``-p key=value`` reads it back."""
    import yaml

    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).removesuffix("\n...\n").strip()
    )


def _cmd_list(args: argparse.Namespace) -> int:
    cases = batch.load_cases(args.cases)
    rows = [(c.name, c.template.name, " ".join(f"{k}={_flow(v)}" for k, v in c.parameters.items())) for c in cases]
    widths = [max(len(r[i]) for r in [("case", "template", ""), *rows]) for i in range(2)]
    print(f"{'case':<{widths[0]}}  {'template':<{widths[1]}}  parameters")
    for name, template, params in rows:
        print(f"{name:<{widths[0]}}  {template:<{widths[1]}}  {params}")
    print(f"\n{len(cases)} case(s) in {args.cases or batch.default_cases_file()}")
    return 0


def _select(cases: Sequence[batch.Case], names: Sequence[str], everything: bool) -> list[batch.Case]:
    available = ", ".join(c.name for c in cases)
    if everything and names:
        raise batch.BatchError("give case names or --all, not both")
    if everything:
        return list(cases)
    if not names:
        raise batch.BatchError(f"name the cases to run, or use --all; available: {available}")
    by_name = {c.name: c for c in cases}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        files = [f"{n}{s}" for n in unknown for s in (".yaml", ".yml") if Path(f"{n}{s}").is_file()]
        hint = f" (to run your case file, give its name with .yaml: kil-io run {files[0]})" if files else ""
        raise batch.BatchError(f"unknown case(s): {', '.join(unknown)}{hint}; available: {available}")
    return [by_name[n] for n in dict.fromkeys(names)]


def summary_table(results: Sequence[batch.CaseResult]) -> str:
    """The end-of-run table: case, status, seconds, then the headline figures with units, or the error."""
    rows = [("case", "status", "seconds", "headline figures (or error)")]
    for r in results:
        figures = "; ".join(f"{k} = {v}" for k, v in index_page.headline_items(r.headline))
        if r.status == "failed":
            figures = r.error
        elif r.status == "skipped":
            figures = f"({r.error}) {figures}".strip()
        rows.append((r.name, r.status, f"{r.seconds:.1f}" if r.status != "skipped" else "—", figures or "—"))
    width = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        f"{name:<{width[0]}}  {status:<{width[1]}}  {seconds:>{width[2]}}  {figures}"
        for name, status, seconds, figures in rows
    )


def _cases_to_run(args: argparse.Namespace) -> list[batch.Case]:
    """The cases named (of the case list) and the case files given by path (``kil-io run my_centre.yaml``)."""
    from kil_io.appraisal.casefile import is_case_path

    files = [n for n in args.name if is_case_path(n)]
    names = [n for n in args.name if not is_case_path(n)]
    own = [caselist.case_from_file(f) for f in dict.fromkeys(files)]
    if own:
        from kil_io.appraisal.casefile import case_study
        from kil_io.appraisal.portfoliofile import load_portfolio
        from kil_io.records.newcase import changed_records

        for case in own:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # plausibility notes are the notebook's to show
                studies = (
                    [case_study(case.parameters["case"])] if "case" in case.parameters
                    else [e.case for e in load_portfolio(case.parameters["portfolio"]).entries]  # a portfolio file
                )  # fmt: skip
                notes = list(dict.fromkeys(n for study in studies for n in changed_records(study)))
            for note in notes:
                print(f"kil-io: note: {note}", file=sys.stderr)
    if files and not names and not args.all:
        return own
    return [*_select(batch.load_cases(args.cases), names, args.all), *own]


def _cmd_run(args: argparse.Namespace) -> int:
    if args.area:
        if args.all:
            raise batch.BatchError("give --area with case names (or `regional`), not with --all")
        folder = Path(args.cases).parent if args.cases else None
        cases = caselist.area_cases(batch.load_cases(args.cases), args.name, args.area, folder=folder)
    else:
        cases = _cases_to_run(args)
    overrides = dict(batch.parse_parameter(p) for p in args.parameter)
    out = Path(args.out)
    with _runner(args, len(cases)) as runner:
        previous = signal.signal(signal.SIGTERM, _terminate)  # a SIGTERM stops the run like Ctrl-C
        try:
            results = batch.run_cases(
                cases, out, jobs=args.jobs, force=args.force, overrides=overrides, runner=runner, pdf=not args.no_pdf
            )
        except batch.Interrupted as stop:
            print(summary_table(stop.results))  # first: a full disk must not cost the summary
            index = _write_index(out, stop.results)
            print(
                f"\ninterrupted: cases that had not finished were not run to the end; index: {index}", file=sys.stderr
            )
            return 130
        finally:
            signal.signal(signal.SIGTERM, previous)
    print(summary_table(results))  # first: a full disk must not cost the summary
    index = _write_index(out, results)
    counts = {s: sum(r.status == s for r in results) for s in ("done", "skipped", "failed")}
    print(f"\n{counts['done']} done, {counts['skipped']} skipped, {counts['failed']} failed; index: {index}")
    if counts["skipped"]:
        print(
            "skipped cases already have a result made from the same inputs (case file, records, template, "
            "parameters, data); re-run them with --force",
            file=sys.stderr,
        )
    kept = [r for r in results if r.status == "failed" and r.folder is not None and r.folder.is_dir()]
    if kept:
        print(
            f"failed cases keep their partly executed notebook and error in {out}/<case>.failed/ "
            "(failed.ipynb, failed.html, error.txt); an earlier result in <case>/ is untouched",
            file=sys.stderr,
        )
    lost = [r.name for r in results if r.status == "failed" and r not in kept]
    if lost:  # e.g. a full disk: no folder to point to
        print(f"failed cases with nothing kept (see their errors above): {', '.join(lost)}", file=sys.stderr)
    return 1 if counts["failed"] else 0


def _write_index(out: Path, results: Sequence[batch.CaseResult]) -> str:
    """Write the index page; if that fails (a full disk), say so and carry on: the results are in place."""
    try:
        return str(index_page.write_index(out, results))
    except OSError as exc:
        print(f"kil-io: could not write {out / 'index.html'}: {exc.strerror or exc}", file=sys.stderr)
        return "not written"


def _runner(args: argparse.Namespace, cases: int) -> contextlib.AbstractContextManager[batch.Runner | None]:
    """The Dask runner for --dask / --scheduler (started or connected now), else None: local worker processes."""
    if not (args.dask or args.scheduler):
        return contextlib.nullcontext()
    from kil_io.runner import distributed

    return distributed.dask_runner(args.scheduler, workers=min(args.jobs, max(cases, 1)))


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {text!r}")
    return value


def _default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


RUN_EPILOG = """\
Each case runs its template notebook with papermill in a worker process and writes
  OUT/<case>/          notebook.ipynb (executed), notebook.html, case.json and what the
                       notebook writes: results.csv, *.png figures, headline.json
  OUT/<case>.failed/   if it failed: failed.ipynb (partly executed), failed.html, error.txt
  OUT/index.html       every case in OUT with its status, headline figures and links
A case is built in a temporary folder and renamed into place only when complete. An
existing OUT/<case> made from the same inputs is never replaced without --force (the case
is skipped, nothing runs); one whose inputs changed since (case file, its records, template,
parameters, shipped data, kil_io version: case.json keeps their hash) is re-run and
replaced, as with --force, only after the new run succeeded. A failure never touches
OUT/<case>; the other cases carry on. Parameters are checked against the template's
parameters cell and the shipped data (areas, case studies) before any kernel starts.

A notebook cell running longer than 10 minutes fails its case; a worker process that
dies (e.g. killed for memory) gets its cases one more try. Ctrl-C or SIGTERM stops the
run, writes the index and the summary, and exits 130. One run at a time writes to OUT.

On a Dask cluster (needs Dask: pip install -e ".[dask]"), with the same outputs and rules:
--dask starts a Dask cluster of --jobs worker processes on this machine; --scheduler
ADDRESS uses a running cluster, whose workers may be other machines:
  dask scheduler                                  # on one machine; listens on port 8786
  dask worker tcp://HOST:8786 --nthreads 1        # on each worker machine (--nworkers N: N at once)
  kil-io run --all --scheduler tcp://HOST:8786    # here
Every worker needs the same kil_io as this machine (a clone of the repository at the same
commit, pip install -e ".[dask]"), which is checked when connecting, but none of this
machine's files: a worker executes each case in a folder of its own and sends the files
back, and this process moves them into OUT. Give workers one thread each: a worker runs
one notebook at a time. Dask sets OMP_NUM_THREADS, MKL_NUM_THREADS and
OPENBLAS_NUM_THREADS to 1 in its workers and the kernels inherit them, so N workers on a
machine with N cores do not oversubscribe it. A worker that dies under a case counts as a
dying worker process (a scheduler you started first retries on its own, up to its
distributed.scheduler.allowed-failures, default 3). A scheduler that cannot be reached
within 10 s, or workers with another kil_io version, stop the run before it starts (exit
status 2).

exit status: 0 all cases done or skipped, 1 some case failed, 2 bad arguments or case
list (unknown case, a -p parameter no selected template has, an unusable OUT, a Dask
scheduler that cannot be reached), 130 stopped

examples:
  kil-io run --all --jobs 4
  kil-io run calderdale regional_leeds -p year=2019 -p 'sectors=[P85, Q86]'
  kil-io run halifax_opportunities_trust --force --out reports
  kil-io run my_centre.yaml --out results     # a case file of your own, from any folder
  kil-io run my_portfolio.yaml --out results  # a portfolio file: many organisations added up
  kil-io run --all --dask --jobs 4
  kil-io run --all --scheduler tcp://10.0.0.5:8786
"""


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add ``run`` and ``list`` to the ``kil-io`` subcommands."""
    cases_help = "case list (YAML; default: the shipped notebooks/case_studies.yaml, see `kil-io list`)"
    r = sub.add_parser(
        "run",
        help="execute case-study notebooks with papermill into OUT/<case>/ and write OUT/index.html",
        description="Execute case studies of the case list (template notebook + parameters) with papermill,\n"
        "in parallel worker processes with a progress bar; write an index page and print a summary\n"
        "table (case, status, seconds, headline figures such as local jobs (FTE) and GVA (£m), or the error).",
        epilog=RUN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument(
        "name", nargs="*", metavar="NAME",
        help="cases to run (see `kil-io list`), or case or portfolio files of your own (PATH/case.yaml, e.g. from "
        "kil-io new-case)",
    )  # fmt: skip
    r.add_argument("--all", action="store_true", help="run every case of the case list")
    r.add_argument(
        "-j", "--jobs", type=_jobs, default=_default_jobs(), metavar="N",
        help="worker processes running cases at the same time (default: the CPUs available, %(default)s); "
        "with --dask, the local cluster's workers; with --scheduler, the cluster's workers decide",
    )  # fmt: skip
    where = r.add_mutually_exclusive_group()
    where.add_argument(
        "--dask", action="store_true",
        help='run the cases on a Dask cluster of --jobs worker processes started on this machine '
        '(needs pip install -e ".[dask]")',
    )  # fmt: skip
    where.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="run the cases on the running Dask cluster whose scheduler is at ADDRESS, e.g. tcp://10.0.0.5:8786 "
        "(see below)",
    )  # fmt: skip
    r.add_argument("--out", default="outputs", metavar="DIR", help="output folder (default: %(default)s)")
    r.add_argument(
        "--force", action="store_true",
        help="re-run cases whose result exists in DIR, replacing it only if the new run succeeds",
    )  # fmt: skip
    r.add_argument(
        "-p", "--parameter", action="append", default=[], metavar="KEY=VALUE",
        help="set a template parameter in every selected case (repeatable); VALUE is read as YAML: "
        "year=2019, delta=0.2, area=Leeds, 'sectors=[P85, S94]'",
    )  # fmt: skip
    r.add_argument(
        "--area", action="append", metavar="AREA",
        help="run the named cases (or `regional`: the local multipliers template) for this area instead, as "
        "cases <name>_<area> (repeatable; any GB area by name or code, see `kil-io areas`)",
    )  # fmt: skip
    r.add_argument(
        "--no-pdf", action="store_true",
        help="write the briefs as HTML only (no headless Chromium; saves a few seconds a case)",
    )  # fmt: skip
    r.add_argument("--cases", metavar="FILE", help=cases_help)
    r.set_defaults(func=_cmd_run)
    ls = sub.add_parser(
        "list",
        help="show the case studies of the case list (name, template, parameters)",
        description="Show every case of the case list: its name (the folder under OUT), its template "
        "notebook and the parameters it sets (as `kil-io run -p` takes them).",
    )
    ls.add_argument("--cases", metavar="FILE", help=cases_help)
    ls.set_defaults(func=_cmd_list)
