"""``outputs/index.html``: every case-study result of a batch, with its headline figures and links.

Regenerated from the case folders present (those a run made: they hold ``case.json``), so it
lists earlier runs' results too. Self-contained (no external resources), relative links only.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from kil_io import datasets
from kil_io._version import __version__
from kil_io.datasets.areas import KIND_NAMES
from kil_io.errors import AreaWarning, KilIOError
from kil_io.files import write_text_atomic
from kil_io.reporting import formatting as fmt
from kil_io.reporting.results import FAILED_SUFFIX, NAME, read_headline, read_json


class CaseResult(Protocol):
    """What the index needs of a run's result (the runner's ``CaseResult`` has it)."""

    @property
    def name(self) -> str:
        """The case's name (its folder)."""

    @property
    def status(self) -> str:
        """``done``, ``skipped`` or ``failed``."""

    @property
    def error(self) -> str:
        """Why it failed (or was skipped)."""


_headline = read_headline  # old private name, kept for callers
_read_json = read_json


def headline_items(headline: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(label, value)`` pairs of a ``headline.json``, written by the brief's rules (units, ranges, gross/net).

    >>> headline_items({"Local jobs (FTE)": 251.9, "ranges": {"Local jobs (FTE)": {"low": 237.4, "high": 268.5,
    ...                 "median": 253.3, "level": 0.9, "draws": 10000}}})
    [('Local jobs supported (gross)', '252 FTE (237–269, 90% range)')]
    """
    items = []
    for _key, label, value, spread in fmt.headline_figures(headline):
        text = fmt.label_with_basis(label)
        shown = fmt.number(value, label.kind)
        if spread:
            shown = fmt.figure_with_range(value, spread, label.kind)
        items.append((text, shown))
    return items


def _range_cell(label: fmt.Label, value: float | None, spread: Mapping[str, Any] | None) -> str:
    return fmt.range_text(spread, label.kind, value) if label.estimate else label.why


def write_index(out: str | Path, results: Iterable[CaseResult] = ()) -> Path:
    """Write ``<out>/index.html``: every case folder in ``out`` with status, headline figures and links.

    The page is regenerated from the folders present (those with a ``case.json`` written by
    :func:`run_cases`), so it lists results of earlier runs too; ``results`` adds this run's
    statuses (e.g. *skipped*). Self-contained (no external resources), relative links only.

    Parameters
    ----------
    out : str or Path
    results : iterable of CaseResult, optional

    Returns
    -------
    Path
        The index file (written atomically).
    """
    out = Path(out)
    latest = {r.name: r for r in results}
    found: dict[str, dict[str, Path]] = {}
    for child in sorted(out.iterdir()) if out.is_dir() else []:
        name = child.name.removesuffix(FAILED_SUFFIX)
        if child.is_dir() and NAME.fullmatch(name) and (child / "case.json").is_file():
            found.setdefault(name, {})["failed" if child.name.endswith(FAILED_SUFFIX) else "done"] = child
    rows = [_index_row(name, found.get(name, {}), latest.get(name)) for name in sorted(set(found) | set(latest))]
    done = sum(1 for f in found.values() if "done" in f)
    failed = sum(1 for f in found.values() if "failed" in f)
    page = _PAGE.format(
        version=escape(__version__),
        summary=escape(f"{len(rows)} case(s): {done} with a result, {failed} with a failed latest attempt."),
        rows="\n".join(rows),
        areas=areas_table(out, {n: f["done"] for n, f in found.items() if "done" in f}),
    )
    path = out / "index.html"
    write_text_atomic(path, page, force=True)
    return path


def areas_table(out: Path, done: Mapping[str, Path]) -> str:
    """Every area with local employment in the shipped data, searchable, linking the cases run for it.

    A case's ``area`` parameter (a name, code or former name) is resolved with
    :func:`kil_io.datasets.area`, so ``"Calderdale"`` and ``"E08000033"`` both link from Calderdale's row.
    """
    try:
        table = datasets.areas()
    except KilIOError as exc:
        return f"<p>No areas table: {escape(str(exc))}</p>"
    by_code: dict[str, list[str]] = {}
    for name, folder in done.items():
        info = read_json(folder / "case.json")
        code = _area_code((info.get("parameters") or {}).get("area"))
        if code:
            by_code.setdefault(code, []).append(_link(folder, "notebook.html", info.get("title") or name))
    table = table[table["years"].map(len) > 0]  # Northern Ireland has no BRES: no local tables
    names = dict(zip(table["code"], table["name"], strict=True))
    rows = []
    for r in table.itertuples(index=False):
        kind = KIND_NAMES.get(str(r.kind), str(r.kind))
        within = next((names.get(c, c) for c in (r.itl2, r.itl1, r.nation) if c and c != r.code), "")
        years = f"{min(r.years)}–{max(r.years)}"
        cases = by_code.get(str(r.code), [])
        rows.append(
            f"<tr><td>{escape(str(r.name))}</td><td><code>{escape(str(r.code))}</code></td><td>{escape(kind)}</td>"
            f"<td>{escape(str(within)) or '—'}</td><td>{escape(years)}</td><td>{' · '.join(cases) or '—'}</td></tr>"
        )
    return _AREAS.format(count=len(rows), rows="\n".join(rows))


def _area_code(given: object) -> str:
    """The code of a case's ``area`` parameter, or ``""`` when it names no one area."""
    if not isinstance(given, str):
        return ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AreaWarning)  # a former name: the notebook says what it became
            return datasets.area(given).code
    except KilIOError:
        return ""


def _link(folder: Path, file: str, text: str | None = None) -> str:
    href = quote(f"{folder.name}/{file}")
    return f'<a href="{escape(href)}">{escape(text or file)}</a>'


def _index_row(name: str, folders: Mapping[str, Path], result: CaseResult | None) -> str:
    done, failed = folders.get("done"), folders.get("failed")
    either = done or failed
    info = _read_json(either / "case.json") if either is not None else {}
    links, notes = [], []
    if done:
        reports = [("brief.html", "brief"), ("brief.pdf", "brief (PDF)"), (f"{name}.xlsx", "workbook (Excel)")]
        links += [_link(done, f, text) for f, text in reports if (done / f).is_file()]
        links += [_link(done, f) for f in ("notebook.html", "results.csv") if (done / f).is_file()]
        if (done / "reports-error.txt").is_file():
            # name what is missing: a workbook that failed is not a missing brief
            gone = [what for f, what in (("brief.html", "brief"), (f"{name}.xlsx", "workbook"))
                    if not (done / f).is_file()]  # fmt: skip
            why = f"why the {' and '.join(gone)} {'is' if len(gone) == 1 else 'are'} missing" if gone else (
                "why the brief has no PDF"
            )  # fmt: skip
            links.append(_link(done, "reports-error.txt", why))
        links += [_link(done, p.name) for p in sorted(done.glob("*.png")) if not p.name.startswith("brief-")]
        notes.append(f"run {info.get('finished_utc', '?')} in {info.get('seconds', '?')} s")
    if result is not None and result.status == "skipped":
        notes.append("skipped in the latest run (exists; use --force to re-run)")
    if failed:
        fail = _read_json(failed / "case.json")
        links += [_link(failed, f, f"failed: {f}") for f in ("failed.html", "error.txt") if (failed / f).is_file()]
        notes.append(f"failed {fail.get('finished_utc', '?')}: {fail.get('error', '')}")
    if failed:
        status = "failed (previous result kept)" if done else "failed"
    elif done:
        status = "done"
    else:  # no folder: the worker process died
        status = result.status if result else "—"
        notes.append(result.error if result else "")
    figures = "".join(
        f"<tr><th>{escape(fmt.label_with_basis(label))}</th>"
        f"<td>{escape(fmt.number(value, label.kind))}</td>"
        f"<td class='small'>{escape(_range_cell(label, value, spread))}</td></tr>"
        for _key, label, value, spread in fmt.headline_figures(read_headline(done) if done else {})
    )
    title = info.get("title") or name
    heading = _link(done, "notebook.html", title) if done and (done / "notebook.html").is_file() else escape(title)
    return _ROW.format(
        cls=status.split()[0].strip("—") or "none",
        heading=heading,
        name=escape(name),
        template=escape(str(info.get("template", ""))),
        params=escape(", ".join(f"{k} = {v!r}" for k, v in info.get("parameters", {}).items())),
        status=escape(status),
        figures=f'<table class="fig">{figures}</table>' if figures else "—",
        links=" · ".join(links) or "—",
        notes="<br>".join(escape(n) for n in notes if n),
    )


_ROW = """<tr class="{cls}">
<td>{heading}<div class="small"><code>{name}</code>: {template}<br>{params}</div></td>
<td class="status">{status}</td>
<td>{figures}</td>
<td class="small">{links}<br>{notes}</td>
</tr>"""

_AREAS = """<h2 id="areas">Areas with local data ({count})</h2>
<p class="small">Local multipliers can be made for each of these areas from the shipped data (BRES employment years
shown): local authorities, combined authorities, ITL regions and nations of Great Britain. Type to filter
by name, code or region.</p>
<p><input id="area-filter" type="search" placeholder="Filter areas, e.g. Calderdale or E08" aria-label="Filter areas"
 oninput="filterAreas(this.value)"></p>
<table class="cases" id="areas-table">
<thead><tr><th>Area</th><th>Code</th><th>Kind</th><th>Lies in</th><th>BRES years</th><th>Cases run</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<script>
function filterAreas(text) {{
  const q = text.trim().toLowerCase();
  for (const row of document.querySelectorAll("#areas-table tbody tr")) {{
    row.hidden = q !== "" && !row.textContent.toLowerCase().includes(q);
  }}
}}
</script>"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Keep it Local case studies</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 80em; }}
table.cases {{ border-collapse: collapse; width: 100%; }}
table.cases > tbody > tr > td, table.cases > thead > tr > th {{
  border-bottom: 1px solid #ccc; padding: .5em; vertical-align: top; text-align: left; }}
table.fig {{ width: 100%; }}
table.fig th {{ font-weight: normal; text-align: left; padding-right: 1em; }}
table.fig td {{ text-align: right; font-variant-numeric: tabular-nums; }}
.small {{ font-size: .85em; color: #555; }}
tr.failed .status {{ color: #b00020; font-weight: bold; }}
tr.done .status {{ color: #1b5e20; }}
</style>
</head>
<body>
<h1>Keep it Local case studies</h1>
<p>{summary} Each case links to its executed notebook; figures are the case's headline results
(FTE = full-time-equivalent jobs; £m = millions of pounds). Written by <code>kil-io run</code> (kil_io {version}).</p>
<table class="cases">
<thead><tr><th>Case</th><th>Status</th><th>Headline figures</th><th>Files and notes</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
{areas}
</body>
</html>
"""
