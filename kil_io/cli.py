"""The ``kil-io`` command."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import signal
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from kil_io import __version__, datasets, regional
from kil_io.errors import KilIOError, ZeroOutputWarning
from kil_io.files import write_atomic, write_text_atomic
from kil_io.model.multipliers import multipliers
from kil_io.reporting import index_page
from kil_io.runner import batch

#: Sectors the Keep it Local case studies turn on: residential care and social work,
#: education, and membership organisations.
HEADLINE_SECTORS: tuple[str, ...] = ("Q87 & Q88", "P85", "S94")


#: Units of the multiplier columns, written beside every multiplier CSV.
UNITS_NOTE = {
    "output_multiplier": "£ of output per £1 of final demand",
    "gva_effect": "£ of GVA per £1 of final demand",
    "income_effect": "£ of compensation of employees per £1 of final demand",
    "employment_effect": "FTE jobs per £1m of final demand",
    "*_multiplier": "total / direct change in the same variable (ratio)",
}


def _json(obj: object) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


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
    about = {
        "what": "UK Type I and Type II multipliers by IOAT industry (kil_io.multipliers)",
        "tables": {str(y): datasets.uk_iot(y).source for y in years},
        "employment": "LFS-based FTE by IOAT industry, same year (data/README.md)",
        "household_closure": "Scottish Government method; household income = total compensation of employees",
        "units": UNITS_NOTE,
    }
    written[out / "uk_about.json"] = write_text_atomic(out / "uk_about.json", _json(about), force=force)
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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZeroOutputWarning)  # absent industries: NaN rows, named in the CSV
        both = regional.regional_multipliers_by_kind(
            national, employment, national_employment=datasets.national_employment(year), method=method, delta=delta
        )
    for kind_, m in both.items():
        path = out / f"{kind}_{year}_{kind_}.csv"
        written[path] = write_text_atomic(path, m.to_csv(float_format="%.10g"), force=force)
        parts[kind_] = m.loc[(slice(None), list(HEADLINE_SECTORS)), ["output_multiplier", "employment_effect"]]
    about = {
        "what": f"Type I and Type II multipliers of every {kind} area, regionalised (kil_io.regional)",
        "employment": f"BRES open-access employment {year}, each area against Great Britain (sum of ITL2)",
        "national_table": national.source,
        "method": method,
        "delta": delta if method in ("flq", "aflq") else None,
        "units": UNITS_NOTE,
    }
    path = out / f"{kind}_{year}_about.json"
    written[path] = write_text_atomic(path, _json(about), force=force)
    summary = pd.concat(parts, axis=1).sort_index()
    return summary, written


def case_study_outputs(
    out: Path, names: Sequence[str] | None = None, *, force: bool = False
) -> tuple[pd.DataFrame, dict[Path, str]]:
    """Write every table (CSV) and chart (PNG) of the named case studies.

    Parameters
    ----------
    out : Path
        Folder; each case writes ``<out>/<name>/<table>.csv`` and its charts.
    names : sequence of str, optional
        Case studies (default all shipped, :func:`kil_io.datasets.case_studies`).
    force : bool
        Replace existing files whose content differs.

    Returns
    -------
    summary : DataFrame
        One row per organisation or contract case: total local FTE and GVA (£m), LM3,
        and the published figures beside them.
    written : dict
        File -> write status.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from kil_io.appraisal.casefile import case_study
    from kil_io.appraisal.commissioning import compare_providers
    from kil_io.appraisal.impact import organisation_impact
    from kil_io.reporting import plots
    from kil_io.reporting.reports import case_results, published_figures

    written, rows = {}, {}
    for name in names or datasets.case_studies():
        case = case_study(name)
        folder = out / case.name
        results = case_results(case)
        for key, frame in results.items():
            written[folder / f"{key}.csv"] = write_text_atomic(
                folder / f"{key}.csv", frame.to_csv(float_format="%.10g"), force=force
            )
        figures = {}
        if case.organisation is not None:
            table = datasets.regional_iot(case.area, case.year, method=case.method, delta=case.delta)  # type: ignore[arg-type]
            published = {k: v for k, v in published_figures(case).items() if k != "lm3"}
            figures["impact"] = plots.impact_bars(organisation_impact(case.organisation, table), published=published)
            if case.providers:
                comparison = compare_providers(case.organisation.income.value, case.providers, table)
                figures["providers"] = plots.provider_bars(comparison)
            p = results["published"]
            rows[case.title] = {
                "fte": p.loc["fte", "model"],
                "gva_m": p.loc["gva", "model"],
                "lm3": p.loc["lm3", "model"],
                "published_fte": p.loc["fte", "published"],
                "published_gva_m": p.loc["gva", "published"],
                "published_lm3": p.loc["lm3", "published"],
            }
        for key, fig in figures.items():
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
            plt.close(fig)
            written[folder / f"{key}.png"] = write_atomic(folder / f"{key}.png", buffer.getvalue(), force=force)
    summary = pd.DataFrame(rows).T
    summary.index.name = "case"
    return summary, written


def _cmd_cases(args: argparse.Namespace) -> int:
    summary, written = case_study_outputs(Path(args.out), args.name, force=args.force)
    for path, status in written.items():
        print(f"{status:>9}  {path}")
    print("\nCase studies: local jobs (FTE), local GVA (£m) and LM3 (£ per £1 of income), model and published")
    print(summary.round(2).to_string(na_rep="-"))
    return _kept_status(written)


def _kept_status(written: dict[Path, str]) -> int:
    kept = [p for p, s in written.items() if s == "kept"]
    if kept:
        print(
            f"\n{len(kept)} existing file(s) differ from the new results and were kept; "
            "re-run with --force to replace them.",
            file=sys.stderr,
        )
        return 1
    return 0


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
        local, more = local_multiplier_tables(Path(args.out).parent / "local", args.local_year, force=args.force)
        for path, status in more.items():
            print(f"{status:>9}  {path}")
        written.update(more)
        print(f"\nLocal multipliers {args.local_year} (FLQ, delta 0.3; employment effect: FTE per £1m of final demand)")
        print(local.round(3).to_string())
    return _kept_status(written)


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
        raise batch.BatchError(f"unknown case(s): {', '.join(unknown)}; available: {available}")
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


def _cmd_run(args: argparse.Namespace) -> int:
    cases = _select(batch.load_cases(args.cases), args.name, args.all)
    overrides = dict(batch.parse_parameter(p) for p in args.parameter)
    out = Path(args.out)
    with _runner(args, len(cases)) as runner:
        previous = signal.signal(signal.SIGTERM, _terminate)  # a SIGTERM stops the run like Ctrl-C
        try:
            results = batch.run_cases(cases, out, jobs=args.jobs, force=args.force, overrides=overrides, runner=runner)
        except batch.Interrupted as stop:
            index = index_page.write_index(out, stop.results)
            print(summary_table(stop.results))
            print(
                f"\ninterrupted: cases that had not finished were not run to the end; index: {index}", file=sys.stderr
            )
            return 130
        finally:
            signal.signal(signal.SIGTERM, previous)
    index = index_page.write_index(out, results)
    print(summary_table(results))
    counts = {s: sum(r.status == s for r in results) for s in ("done", "skipped", "failed")}
    print(f"\n{counts['done']} done, {counts['skipped']} skipped, {counts['failed']} failed; index: {index}")
    if counts["skipped"]:
        print("skipped cases already have a result in the output folder; re-run them with --force", file=sys.stderr)
    if counts["failed"]:
        print(
            f"failed cases keep their partly executed notebook and error in {out}/<case>.failed/ "
            "(failed.ipynb, failed.html, error.txt); an earlier result in <case>/ is untouched",
            file=sys.stderr,
        )
    return 1 if counts["failed"] else 0


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
existing OUT/<case> is never replaced without --force (the case is skipped, nothing runs);
with --force it is replaced only after the new run succeeded. A failure never touches
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
  kil-io run --all --dask --jobs 4
  kil-io run --all --scheduler tcp://10.0.0.5:8786
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``kil-io`` (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="kil-io",
        description="Regional input-output multipliers for Keep it Local studies.",
        epilog="Main job: `kil-io run --all` executes every case study notebook into outputs/ with an index "
        "page. `kil-io COMMAND --help` explains each command.",
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
    p.add_argument("--out", default="outputs/tables/uk", help="output folder (default: %(default)s)")
    p.add_argument("--force", action="store_true", help="replace existing files whose content differs")
    p.add_argument(
        "--local-year",
        type=int,
        metavar="YEAR",
        help="also write FLQ multipliers of the 13 West & North Yorkshire authorities for this BRES year "
        "(2015-2021) to <out>/../local",
    )
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
    cases_help = "case list (YAML; default: notebooks/case_studies.yaml of this repository)"
    r = sub.add_parser(
        "run",
        help="execute case-study notebooks with papermill into OUT/<case>/ and write OUT/index.html",
        description="Execute case studies of the case list (template notebook + parameters) with papermill,\n"
        "in parallel worker processes with a progress bar; write an index page and print a summary\n"
        "table (case, status, seconds, headline figures such as local jobs (FTE) and GVA (£m), or the error).",
        epilog=RUN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument("name", nargs="*", metavar="NAME", help="cases to run (see `kil-io list`)")
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
