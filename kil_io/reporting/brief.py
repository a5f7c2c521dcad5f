"""The one-page brief of an organisation or contract case: ``brief.html`` and ``brief.pdf`` for a committee paper.

Page 1 holds the headline (gross and net as the run estimated them, each with its range or
"range not yet estimated"), the provider comparison where there is one, a chart, caveats
written from the case (what is recorded and what assumed, commuting, additionality), the
method in one paragraph, and the data vintage and licence. Page 2 lists every input with its
source and the local multipliers used. Every number passes through
:mod:`kil_io.reporting.formatting`. The PDF is printed by headless Chromium, so the PDF is the
page a browser shows.

Examples
--------
>>> from kil_io.reporting import brief, casereport
>>> report = casereport.load_report("outputs/halifax_opportunities_trust")  # doctest: +SKIP
>>> brief.write_brief(report)  # doctest: +SKIP
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote

import matplotlib.pyplot as plt
import pandas as pd

from kil_io.errors import KilIOError
from kil_io.files import write_text_atomic
from kil_io.reporting import formatting as fmt
from kil_io.reporting import plots
from kil_io.reporting.casereport import CaseReport
from kil_io.reporting.wording import caveats, footer_text, headline_sentence, method_paragraph, vintage_line

#: Seconds headless Chromium may take to print one brief.
PRINT_TIMEOUT = 120
#: File stem of the brief's chart (PNG and SVG).
CHART = "brief-chart"
#: Command-line flags for printing; no network, no first-run chatter, no header or footer lines.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


class BriefError(KilIOError, RuntimeError):
    """A brief could not be printed (no browser, or the browser failed)."""


def chromium() -> str | None:
    """Path of a Chromium to print with (``KIL_IO_CHROMIUM``, else ``chromium``/``chromium-browser`` on PATH)."""
    given = os.environ.get("KIL_IO_CHROMIUM")
    if given:
        return given
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@dataclass(frozen=True)
class BriefFiles:
    """What :func:`write_brief` wrote: ``html``, ``pdf`` (None when no browser was found) and the chart files."""

    html: Path
    pdf: Path | None
    charts: tuple[Path, ...]
    note: str = ""


def write_brief(report: CaseReport, *, pdf: bool = True) -> BriefFiles:
    """Write ``brief.html``, its chart (``brief-chart.png`` at 200 dpi and ``.svg``) and ``brief.pdf``.

    Parameters
    ----------
    report : CaseReport
        From :func:`kil_io.reporting.casereport.load_report`.
    pdf : bool
        Print the PDF with headless Chromium. Without a browser the HTML is still written and
        :attr:`BriefFiles.note` says why there is no PDF.

    Returns
    -------
    BriefFiles

    Raises
    ------
    BriefError
        Chromium was found but failed to print.
    """
    folder = report.folder
    fig = chart(report)
    try:
        charts = plots.save_for_print(fig, folder, CHART)
    finally:
        plt.close(fig)
    html = folder / "brief.html"
    write_text_atomic(html, render_html(report), force=True)
    if not pdf:
        return BriefFiles(html, None, charts)
    browser = chromium()
    if browser is None:
        return BriefFiles(html, None, charts, "no PDF: headless Chromium not found (install chromium)")
    return BriefFiles(html, print_pdf(html, folder / "brief.pdf", browser=browser), charts)


def write_case_reports(folder: str | Path, *, pdf: bool = True) -> list[Path]:
    """The brief (HTML, chart, PDF) and the workbook of an organisation or contract case's result folder.

    Parameters
    ----------
    folder : str or Path
        A successful run's folder (``case.json``, ``headline.json``, ``results.csv``).
    pdf : bool
        Print ``brief.pdf`` too (needs headless Chromium; without it the HTML is still written).

    Returns
    -------
    list of Path
        The files written; empty when the folder is not an organisation or contract case (e.g.
        multipliers of an area), which has no brief.

    Raises
    ------
    CaseError, BriefError
        See :func:`kil_io.reporting.casereport.load_report` and :func:`print_pdf`.
    """
    from kil_io.reporting.casereport import load_report, reported_case
    from kil_io.reporting.workbook import write_workbook

    if reported_case(folder) is None:
        return []
    report = load_report(folder)
    files = write_brief(report, pdf=pdf)
    written = [files.html, *files.charts, *([files.pdf] if files.pdf else [])]
    return [*written, write_workbook(report)]


def print_pdf(html: Path, pdf: Path, *, browser: str | None = None, timeout: float = PRINT_TIMEOUT) -> Path:
    """Print an HTML file to PDF with headless Chromium (A4 from the page's ``@page`` rule); atomic.

    Raises
    ------
    BriefError
        No browser, a browser error or time-out, or an empty PDF.
    """
    browser = browser or chromium()
    if browser is None:
        raise BriefError(
            "headless Chromium not found: install chromium (apt-get install chromium) or set KIL_IO_CHROMIUM"
        )
    with tempfile.TemporaryDirectory(prefix="kil-io-print-") as tmp:
        out = Path(tmp) / "out.pdf"
        command = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}",
                   Path(html).resolve().as_uri()]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BriefError(f"printing {html} with {browser} failed: {exc}") from None
        if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise BriefError(f"printing {html} with {browser} failed (exit {done.returncode}): {' / '.join(tail)}")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        tmp_pdf = pdf.with_name(f".{pdf.name}.tmp")
        shutil.copyfile(out, tmp_pdf)
        os.replace(tmp_pdf, pdf)
    return pdf


def pdf_pages(pdf: Path | bytes) -> int:
    """Pages of a PDF (counts ``/Type /Page`` objects; enough for the PDFs Chromium writes)."""
    import re

    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


# --- chart ----------------------------------------------------------------------------------------


def chart(report: CaseReport) -> plt.Figure:
    """The brief's chart: providers side by side for a contract, else the organisation's components."""
    s = report.study
    if report.comparison is not None and report.components is None:
        title = f"The same {fmt.money(report.contract_value)} contract in {s.area}, by provider"
        return plots.provider_chart(report.comparison.components, title=title, footer=footer_text(report))
    assert report.components is not None
    ranges = _total_ranges(report)
    title = f"{report.title}: local jobs and GVA supported in {s.area} (gross)"
    return plots.component_chart(report.components, title=title, footer=footer_text(report), ranges=ranges)


def _total_ranges(report: CaseReport) -> dict[str, tuple[float, float]]:
    """The ranges of the gross total jobs and GVA, when the run estimated them."""
    out = {}
    for _key, label, _value, spread in fmt.headline_figures(report.headline):
        if spread and label.basis != "net" and label.kind in ("fte", "money_m"):
            column = "fte" if label.kind == "fte" else "gva"
            out.setdefault(column, (float(spread["low"]), float(spread["high"])))
    return out


# --- HTML ---------------------------------------------------------------------------------------


def _figures_table(report: CaseReport) -> str:
    rows = []
    for _key, label, value, spread in fmt.headline_figures(report.headline):
        basis = {"gross": "gross", "net": "net", "": ""}[label.basis]
        rng = fmt.range_text(spread, label.kind, value) if label.estimate else (label.why or "input")
        rows.append(
            f"<tr><th>{escape(label.text)}</th><td class='num'>{escape(fmt.number(value, label.kind))}</td>"
            f"<td class='range'>{escape(rng)}</td><td>{escape(basis)}</td></tr>"
        )
    return (
        "<table class='figures'><thead><tr><th>Figure</th><th class='num'>Central</th><th>Range</th><th>Basis</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _providers_table(report: CaseReport) -> str:
    if report.comparison is None:
        return ""
    t = report.comparison.to_frame()
    rows = []
    for name, r in t.iterrows():
        diff = " - " in str(name)
        label = f"Difference ({name})" if diff else str(name)
        sign = "+" if diff else ""
        rows.append(
            f"<tr{' class=diff' if diff else ''}><th>{escape(label)}</th>"
            f"<td class='num'>{sign if r['fte'] >= 0 else ''}{escape(fmt.fte(r['fte']))}</td>"
            f"<td class='num'>{sign if r['gva'] >= 0 else ''}{escape(fmt.money(r['gva'], unit='£m'))}</td>"
            f"<td class='num'>{escape(fmt.ratio(r['lm3']))}</td>"
            f"<td class='num'>{escape(fmt.money(r['local_spend'], unit='£m'))}</td></tr>"
        )
    return (
        f"<h2>Local or national provider: the same {escape(fmt.money(report.contract_value))} contract</h2>"
        "<table class='providers'><thead><tr><th>Provider</th><th class='num'>Local jobs</th>"
        "<th class='num'>Local GVA</th><th class='num'>LM3 (£ per £1)</th><th class='num'>Spent in the area</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _value_text(value: float, unit: str) -> str:
    if unit == "£":
        return f"£{value:,.0f}"
    if unit == "share":
        return fmt.share(value)
    if unit == "FTE":
        return fmt.fte(value)
    return fmt.ratio(value)


def _inputs_table(report: CaseReport) -> str:
    rows = []
    for group, frame in report.inputs.groupby("group", sort=False):
        rows.append(f"<tr class='group'><th colspan='3'>{escape(str(group))}</th></tr>")
        for _, r in frame.iterrows():
            rows.append(
                f"<tr><td>{escape(str(r['input']))}</td>"
                f"<td class='num'>{escape(_value_text(r['value'], r['unit']))}</td>"
                f"<td class='src'>{escape(str(r['source']))}</td></tr>"
            )
    s = report.study
    rows.append("<tr class='group'><th colspan='3'>Local economy</th></tr>")
    rows.append(
        f"<tr><td>regional table</td><td class='num'>{escape(s.method.upper())} δ = {s.delta:g}</td>"
        f"<td class='src'>{escape(_table_source(report))}</td></tr>"
    )
    return (
        "<table class='inputs'><thead><tr><th>Input</th><th class='num'>Value</th><th>Source</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _table_source(report: CaseReport) -> str:
    s = report.study
    return (
        f"UK input-output analytical tables {report.national_year} (ONS), regionalised to {s.area} with BRES {s.year} "
        "employment; δ from the case file's regional_table"
    )


def _multipliers_table(report: CaseReport) -> str:
    m = report.multipliers
    rows = "".join(
        f"<tr><td>{escape(str(r['industry']))} <span class='code'>({escape(str(code))})</span></td>"
        f"<td class='num'>{fmt.ratio(r['output_type_i'])}</td><td class='num'>{fmt.ratio(r['output_type_ii'])}</td>"
        f"<td class='num'>{fmt.fte(r['fte_per_1m_type_i'], unit=False)}</td>"
        f"<td class='num'>{fmt.fte(r['fte_per_1m_type_ii'], unit=False)}</td>"
        f"<td class='num'>{fmt.ratio(r['gva_per_1_type_i'])}</td>"
        f"<td class='num'>{fmt.ratio(r['gva_per_1_type_ii'])}</td></tr>"
        for code, r in m.iterrows()
    )
    return (
        f"<h2>Local multipliers used ({escape(report.study.area)})</h2>"
        "<table class='mult'><thead><tr><th>Industry bought from</th><th class='num'>Output I</th>"
        "<th class='num'>Output II</th><th class='num'>FTE per £1m, I</th><th class='num'>FTE per £1m, II</th>"
        "<th class='num'>GVA per £1, I</th><th class='num'>GVA per £1, II</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        "<p class='small'>Type I: direct and indirect (local supply chain); Type II adds induced effects of "
        "households' re-spending. Per £1 or £1m of local final demand for the industry's output.</p>"
    )


def _links(report: CaseReport) -> str:
    links = [("notebook.html", "full analysis (notebook)"), (f"{report.name}.xlsx", "workbook (Excel)"),
             ("brief.pdf", "this brief as PDF")]  # fmt: skip
    return " · ".join(f"<a href='{quote(href)}'>{escape(text)}</a>" for href, text in links)


def render_html(report: CaseReport) -> str:
    """The brief as a self-contained HTML page (its chart is the file beside it)."""
    s = report.study
    subtitle = f"{s.area} · {s.kind} case · {s.year} data"
    if report.contract_value is not None:
        subtitle += f" · contract {fmt.money(report.contract_value)} a year"
    caveat_items = "".join(f"<li>{escape(c)}</li>" for c in caveats(report))
    chart_alt = f"Chart: {'providers' if report.components is None else 'components'} of local jobs and GVA"
    return _PAGE.format(
        title=escape(report.title),
        page_class=" with-providers" if report.comparison is not None else "",
        subtitle=escape(subtitle),
        headline=escape(headline_sentence(report)),
        figures=_figures_table(report),
        providers=_providers_table(report),
        chart=escape(f"{CHART}.svg"),
        chart_alt=escape(chart_alt),
        caveats=caveat_items,
        method=escape(method_paragraph(report)),
        vintage=escape(vintage_line(report)),
        links=_links(report),
        inputs=_inputs_table(report),
        multipliers=_multipliers_table(report),
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: brief</title>
<style>
@page {{ size: A4; margin: 12mm 13mm 11mm 13mm; }}
html {{ font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9pt; color: #1a1a1a; }}
body {{ margin: 0 auto; max-width: 184mm; line-height: 1.3; }}
h1 {{ font-size: 14pt; margin: 0 0 1mm; }}
h2 {{ font-size: 10pt; margin: 3mm 0 1mm; color: #1f5f8b; }}
.subtitle {{ color: #555; margin: 0 0 2mm; }}
.headline {{ font-size: 10.5pt; font-weight: bold; margin: 1mm 0 2mm; padding: 2mm 3mm; background: #eef4f8;
  border-left: 3px solid #1f5f8b; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: 0.6mm 1.5mm; vertical-align: top; border-bottom: 0.3pt solid #ccc; }}
thead th {{ border-bottom: 0.8pt solid #555; font-size: 8pt; }}
.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
.range {{ color: #444; }}
tr.diff th, tr.diff td {{ font-weight: bold; border-top: 0.8pt solid #555; }}
img.chart {{ width: 100%; max-height: 74mm; object-fit: contain; display: block; margin: 1mm 0; }}
.with-providers img.chart {{ max-height: 60mm; }}
ul.caveats {{ margin: 0; padding-left: 4.5mm; }}
ul.caveats li {{ margin-bottom: 0.8mm; }}
p {{ margin: 1mm 0; }}
.small, .vintage {{ font-size: 7.5pt; color: #555; }}
.links {{ font-size: 8pt; }}
section.appendix {{ break-before: page; }}
table.inputs td.src {{ font-size: 7.5pt; color: #444; }}
table.inputs tr.group th {{ background: #eef4f8; }}
table.inputs, table.mult {{ font-size: 8pt; }}
.code {{ color: #777; font-size: 7pt; }}
@media screen {{ body {{ padding: 1em; }} section.appendix {{ margin-top: 2em; border-top: 1px solid #ccc; }} }}
</style>
</head>
<body>
<section class="page{page_class}" id="brief">
<h1>{title}</h1>
<p class="subtitle">{subtitle}</p>
<p class="headline">{headline}</p>
{figures}
{providers}
<img class="chart" src="{chart}" alt="{chart_alt}">
<h2>What the figures do and do not say</h2>
<ul class="caveats">{caveats}</ul>
<h2>Method</h2>
<p>{method}</p>
<p class="vintage">{vintage}</p>
<p class="links">{links}</p>
</section>
<section class="appendix" id="inputs">
<h1>{title}: inputs and their sources</h1>
{inputs}
{multipliers}
</section>
</body>
</html>
"""


def inputs_frame(report: CaseReport) -> pd.DataFrame:
    """The inputs as the brief lists them (values formatted), for other reports."""
    frame = report.inputs.copy()
    frame["value"] = [_value_text(v, u) for v, u in zip(frame["value"], frame["unit"], strict=True)]
    return frame
