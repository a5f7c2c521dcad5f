"""``outputs/index.html``: every case-study result of a batch, with its headline figures and links.

Regenerated from the case folders present (those a run made: they hold ``case.json``), so it
lists earlier runs' results too. Self-contained (no external resources), relative links only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from kil_io import __version__
from kil_io.files import write_text_atomic
from kil_io.reporting.results import FAILED_SUFFIX, NAME, read_headline, read_json


class CaseResult(Protocol):
    """What the index needs of a run's result (the runner's ``CaseResult`` has it)."""

    name: str
    status: str
    error: str


_headline = read_headline  # old private name, kept for callers
_read_json = read_json


#: Labels (with units) of headline keys the templates use; other keys are shown as they are.
HEADLINE_LABELS = {"fte": "Jobs (FTE)", "gva_m": "GVA (£m)", "lm3": "LM3 (£ per £1)", "output_m": "Output (£m)"}


def format_value(value: object) -> str:
    """A headline figure for display: 4 significant figures, thousands separated."""
    if isinstance(value, Mapping) and "value" in value:
        unit = value.get("unit")
        return format_value(value["value"]) + (f" {unit}" if unit else "")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if value != value:  # NaN
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def headline_items(headline: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(label, value)`` pairs of a ``headline.json``; an optional ``units`` mapping adds units to labels."""
    units = headline.get("units") if isinstance(headline.get("units"), Mapping) else {}
    items = []
    for key, value in headline.items():
        if key == "units" and units:
            continue
        label = HEADLINE_LABELS.get(key, key)
        if key in units:
            label = f"{label} ({units[key]})"
        items.append((label, format_value(value)))
    return items


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
    )
    path = out / "index.html"
    write_text_atomic(path, page, force=True)
    return path


def _link(folder: Path, file: str, text: str | None = None) -> str:
    href = quote(f"{folder.name}/{file}")
    return f'<a href="{escape(href)}">{escape(text or file)}</a>'


def _index_row(name: str, folders: Mapping[str, Path], result: CaseResult | None) -> str:
    done, failed = folders.get("done"), folders.get("failed")
    info = _read_json((done or failed) / "case.json") if (done or failed) else {}
    links, notes = [], []
    if done:
        links += [_link(done, f) for f in ("notebook.html", "results.csv") if (done / f).is_file()]
        links += [_link(done, p.name) for p in sorted(done.glob("*.png"))]
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
        f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in headline_items(_headline(done) if done else {})
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
</body>
</html>
"""
