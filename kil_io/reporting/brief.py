"""The brief of an organisation or contract case: ``brief.html`` and ``brief.pdf`` for a committee paper.

Page 1 is for a councillor reading for two minutes, in plain words: the headline (net and gross,
each with its range), what each £1 does locally, the provider comparison where there is one, a
chart, the gross-to-net rates, and caveats written from the appraisal (how many inputs are
records and how many assumptions, what the records disagree on, commuting). Page 2 is for the
officer who checks it: the method and a glossary, every input with its source, the local
multipliers used, the data vintage and licence. Every number passes through
:mod:`kil_io.reporting.formatting`; everything comes from one
:class:`~kil_io.appraisal.result.Appraisal` (nothing is computed here). The PDF is printed by
headless Chromium, so the PDF is the page a browser shows; links show on screen only.

Examples
--------
>>> import kil_io
>>> from kil_io.reporting import brief
>>> result = kil_io.appraise(kil_io.case_study("jubilee_childrens_centre"), 10_000, seed=2026)  # doctest: +SKIP
>>> brief.write_brief(result, "outputs/jubilee")  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from kil_io.appraisal.inputs import Input
from kil_io.appraisal.result import Appraisal
from kil_io.files import write_text_atomic
from kil_io.reporting import formatting as fmt
from kil_io.reporting import places, plots, tender, wording
from kil_io.reporting.pdfprint import (  # the brief's printing, public here as before
    BriefError,
    chromium,
    print_pdf,
)

#: File stem of the brief's chart (PNG and SVG).
CHART = "brief-chart"


@dataclass(frozen=True)
class BriefFiles:
    """What :func:`write_brief` wrote: ``html``, ``pdf`` (None when no browser was found) and the chart files."""

    html: Path
    pdf: Path | None
    charts: tuple[Path, ...]
    note: str = ""


def write_brief(
    a: Appraisal, folder: str | Path, *, pdf: bool = True, finished: str = "", workbook: str | None = None
) -> BriefFiles:
    """Write ``brief.html``, its chart (``brief-chart.png`` at 200 dpi and ``.svg``) and ``brief.pdf`` into ``folder``.

    Parameters
    ----------
    a : Appraisal
        From :func:`kil_io.appraise` (or :func:`kil_io.appraisal.read_appraisal` of a result folder).
    folder : str or Path
    pdf : bool
        Print the PDF with headless Chromium. Without a browser, or when printing fails, the HTML is
        still written and :attr:`BriefFiles.note` says why there is no PDF.
    finished : str
        When the case was run (``case.json``'s ``finished_utc``), for the vintage line; default today.
    workbook : str, optional
        The workbook's file name beside the brief, for the brief's link (default ``<case>.xlsx``).

    Returns
    -------
    BriefFiles
    """
    return save_brief(folder, plots.case_chart(a, medium="print"),
                      render_html(a, finished=finished, workbook=workbook), pdf=pdf)  # fmt: skip


def save_brief(folder: str | Path, fig: Figure, html_text: str, *, pdf: bool = True) -> BriefFiles:
    """Write a brief's chart (``brief-chart.png`` and ``.svg``, then closed), ``brief.html`` and ``brief.pdf``.

    Every brief (a case's, a portfolio's, a council's spend) is saved here. Without a browser, or when
    printing fails, the HTML stands and :attr:`BriefFiles.note` says why there is no PDF.
    """
    folder = Path(folder)
    try:
        charts = plots.save_for_print(fig, folder, CHART)
    finally:
        plt.close(fig)
    html = folder / "brief.html"
    write_text_atomic(html, html_text, force=True)
    if not pdf:
        return BriefFiles(html, None, charts)
    browser = chromium()
    if browser is None:
        return BriefFiles(html, None, charts, "no PDF: headless Chromium not found (install chromium)")
    try:
        return BriefFiles(html, print_pdf(html, folder / "brief.pdf", browser=browser), charts)
    except BriefError as exc:  # the HTML brief stands; say why there is no PDF
        return BriefFiles(html, None, charts, f"no PDF: {exc}")


def page_style() -> str:
    """The brief's CSS (its page's ``<style>`` rules: A4 margins, type, tables, headline box), for other briefs.

    A portfolio's brief (:mod:`kil_io.reporting.portfolio_brief`) prints on the same page with the same rules.
    """
    start, end = _PAGE.index("<style>") + len("<style>"), _PAGE.index("</style>")
    return _PAGE[start:end].replace("{{", "{").replace("}}", "}")


# --- HTML ---------------------------------------------------------------------------------------


def _figures_table(a: Appraisal) -> str:
    rows = []
    for h in a.headline:
        label = fmt.label_for(h.label)
        rows.append(
            f"<tr><th>{escape(label.text)}</th><td class='num'>{escape(fmt.of(h.value, h.unit))}</td>"
            f"<td class='range'>{escape(wording.range_text(h))}</td><td>{escape(h.basis)}</td></tr>"
        )
    return (
        "<table class='figures'><thead><tr><th>Figure</th><th class='num'>Central</th><th>Range</th><th>Basis</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _providers_table(a: Appraisal) -> str:
    if a.comparison is None:
        return ""
    rows = []
    for name, r in a.comparison.iterrows():
        diff = " - " in str(name)
        label = f"Difference ({name})" if diff else str(name)
        sign = "+" if diff else ""
        cells = [
            f"{sign if r['fte'] >= 0 else ''}{fmt.fte(r['fte'])}",
            f"{sign if r['fte_net'] >= 0 else ''}{fmt.fte(r['fte_net'])}",
            f"{sign if r['gva'] >= 0 else ''}{fmt.money(r['gva'], unit='£m')}",
            f"{sign if r['local_income'] >= 0 else ''}{fmt.money(r['local_income'], unit='£m')}",
            fmt.ratio(r["lm3"]),
            fmt.money(r["local_spend"], unit="£m"),
        ]
        rows.append(
            f"<tr{' class=diff' if diff else ''}><th>{escape(label)}</th>"
            + "".join(f"<td class='num'>{escape(c)}</td>" for c in cells)
            + "</tr>"
        )
    heads = ["Local jobs (gross)", "Local jobs (net)", "Local GVA", "Local income", "LM3 (£ per £1)",
             "Spent in the area"]  # fmt: skip
    return (
        f"<h2>Local or national provider: the same {escape(fmt.money(a.contract_value))} contract</h2>"
        "<table class='providers'><thead><tr><th>Provider</th>"
        + "".join(f"<th class='num'>{h}</th>" for h in heads)
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _value(value: float, unit: str) -> str:
    return fmt.of(value, unit) if unit else f"{value:g}"


def _range(i: Input) -> str:
    if i.spread is None:
        return ""
    return f"{_value(i.spread.low, i.unit)} to {_value(i.spread.high, i.unit)}"


def _inputs_table(a: Appraisal) -> str:
    """Every input but the spending lines, by group: label, value, range, basis, source (and the range's)."""
    rows: dict[str, list[str]] = {}
    for i in a.inputs:
        if ".spending[" in i.name:
            continue
        note = i.source + (f" Range: {i.range_source}." if i.range_source and i.range_source != "case file" else "")
        rows.setdefault(i.group, []).append(
            f"<tr><td>{escape(i.label)}</td><td class='num'>{escape(_value(i.value, i.unit))}</td>"
            f"<td class='num'>{escape(_range(i))}</td><td>{escape(i.basis)}</td>"
            f"<td class='src'>{escape(note)}</td></tr>"
        )
    body = "".join(
        f"<tr class='group'><th colspan='5'>{escape(group)}</th></tr>" + "".join(items) for group, items in rows.items()
    )
    return (
        "<table class='inputs'><thead><tr><th>Input</th><th class='num'>Value</th><th class='num'>Range</th>"
        f"<th>Basis</th><th>Source</th></tr></thead><tbody>{body}</tbody></table>"
    )


def _spending_table(a: Appraisal) -> str:
    """The spending lines of each organisation or provider, one row each: £ a year and the share bought locally."""
    by_name = {i.name: i for i in a.inputs}
    parts = []
    for e in a.entities:
        if not len(e.lines):
            continue
        rows = []
        for k, line in e.lines.iterrows():
            local = by_name.get(f"{e.key}.spending[{k}].local_share")
            shown = fmt.share(line["local_share"]) + (f" ({_range(local)})" if local and local.spread else "")
            basis = local.basis if local else ""
            rows.append(
                f"<tr><td>{escape(str(line['label']))} <span class='code'>({escape(str(line['sector']))})</span></td>"
                f"<td class='num'>{escape(fmt.money(line['value']))}</td><td class='num'>{escape(shown)}</td>"
                f"<td>{escape(basis)}</td><td class='src'>{escape(str(line['source']))}</td></tr>"
            )
        parts.append(
            f"<h3>{escape(e.name)}: spending{' (for the contract value)' if e.role == 'provider' else ''}</h3>"
            "<table class='inputs'><thead><tr><th>Spending line (industry)</th><th class='num'>£ a year</th>"
            "<th class='num'>Bought locally</th><th>Basis</th><th>Source</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    return "".join(parts)


def _multipliers_table(a: Appraisal) -> str:
    m = a.multipliers
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
        f"<h2>Local multipliers used ({escape(a.area)})</h2>"
        "<table class='mult'><thead><tr><th>Industry bought from</th><th class='num'>Output I</th>"
        "<th class='num'>Output II</th><th class='num'>FTE per £1m, I</th><th class='num'>FTE per £1m, II</th>"
        "<th class='num'>GVA per £1, I</th><th class='num'>GVA per £1, II</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        "<p class='small'>Type I: direct and indirect (local supply chain); Type II adds induced effects of local "
        "households' re-spending. Per £1 or £1m of local final demand for the industry's output; output and GVA in "
        "£ per £1.</p>"
    )


def _checks_list(a: Appraisal) -> str:
    parts = []
    if a.checks:
        items = "".join(f"<li>{escape(c)}</li>" for c in a.checks)
        parts.append(f"<h2>What the records disagree on, or leave to assumption</h2><ul class='caveats'>{items}</ul>")
    notes = [h for h in a.headline if h.note]
    if notes:
        items = "".join(f"<li>{escape(fmt.label_for(h.label).text)}: {escape(h.note)}</li>" for h in notes)
        parts.append(f"<h2>Central figures and their ranges</h2><ul class='caveats'>{items}</ul>")
    return "".join(parts)


def _history_table(a: Appraisal) -> str:
    """How a shipped case's headline figures moved between kil_io releases (nothing for a case of your own)."""
    if a.history is None or not len(a.history):
        return ""
    units = {h.label: h.unit for h in a.headline}
    rows = "".join(
        f"<tr><td>{escape(fmt.label_for(r['figure']).text)}</td><td>{escape(str(r['release']))}</td>"
        f"<td class='num'>{escape(fmt.of(r['before'], units[r['figure']]))}</td>"
        f"<td class='num'>{escape(fmt.of(r['after'], units[r['figure']]))}</td><td>{escape(str(r['why']))}</td></tr>"
        for _, r in a.history.iterrows()
    )
    return (
        "<h2>What moved since kil_io's earlier release, and why</h2><table class='mult'><thead><tr><th>figure</th>"
        "<th>release</th><th class='num'>before</th><th class='num'>after</th><th>why</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _law(a: Appraisal) -> str:
    """What may be scored in a procurement: for every contract that compares providers."""
    return f"<h2>What may be scored</h2><p>{escape(tender.LAW)}</p>" if a.focus == "contract" else ""


def _glossary() -> str:
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in wording.GLOSSARY.items())
    return f"<h2>Glossary</h2><dl class='glossary'>{items}</dl>"


def _links(a: Appraisal, workbook: str | None) -> str:
    links = [("notebook.html", "full analysis (notebook)"), (workbook or f"{a.case}.xlsx", "workbook (Excel)"),
             ("brief.pdf", "this brief as PDF")]  # fmt: skip
    return " · ".join(f"<a href='{quote(href)}'>{escape(text)}</a>" for href, text in links)


def render_html(a: Appraisal, *, finished: str = "", workbook: str | None = None) -> str:
    """The brief as a self-contained HTML page (its chart is the SVG file beside it)."""
    subtitle = f"{a.area} · {'contract' if a.focus == 'contract' else a.kind} · {a.year} local data"
    if a.contract_value is not None:
        subtitle += f" · contract {fmt.money(a.contract_value)} a year"
    caveat_items = "".join(f"<li>{escape(c)}</li>" for c in wording.caveats(a))
    return _PAGE.format(
        title=escape(a.title),
        page_class=" with-providers" if a.comparison is not None else "",
        subtitle=escape(subtitle),
        headline=escape(wording.headline_sentence(a)),
        per_pound=escape(wording.per_pound(a)),
        places=f'<p class="places">{escape(" ".join(lines))}</p>' if (lines := places.sentences(a)) else "",
        figures="" if a.is_tender else _figures_table(a),
        providers=tender.page_one(a) if a.is_tender else _providers_table(a),
        tender=tender.appendix(a) if a.is_tender else _law(a),
        chart=escape(f"{CHART}.svg"),
        chart_alt=escape(f"Chart: local jobs and GVA by component{' and provider' if a.focus == 'contract' else ''}"),
        net=escape(wording.gross_to_net(a)),
        caveats=caveat_items,
        method=escape(wording.method_paragraph(a)),
        glossary=_glossary(),
        checks=_checks_list(a),
        history=_history_table(a),
        vintage=escape(wording.vintage_line(a, finished)),
        links=_links(a, workbook),
        inputs=_inputs_table(a),
        spending=_spending_table(a),
        multipliers=_multipliers_table(a),
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
h3 {{ font-size: 8.5pt; margin: 2mm 0 0.5mm; }}
.subtitle {{ color: #555; margin: 0 0 2mm; }}
.headline {{ font-size: 10.5pt; font-weight: bold; margin: 1mm 0 1mm; padding: 2mm 3mm; background: #eef4f8;
  border-left: 3px solid #1f5f8b; }}
.per-pound {{ margin: 0 0 2mm; }}
p.places {{ margin: 0 0 1mm; font-size: 8.5pt; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: 0.6mm 1.5mm; vertical-align: top; border-bottom: 0.3pt solid #ccc; }}
thead th {{ border-bottom: 0.8pt solid #555; font-size: 8pt; }}
.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
.range {{ color: #444; }}
tr.diff th, tr.diff td {{ font-weight: bold; border-top: 0.8pt solid #555; }}
img.chart {{ width: 100%; max-height: 70mm; object-fit: contain; display: block; margin: 1mm 0; }}
.with-providers img.chart {{ max-height: 44mm; }}
table.providers {{ font-size: 8pt; }}
ul.caveats {{ margin: 0; padding-left: 4.5mm; }}
ul.caveats li {{ margin-bottom: 0.8mm; }}
p {{ margin: 1mm 0; }}
.small, .vintage {{ font-size: 7.5pt; color: #555; }}
.links {{ font-size: 8pt; }}
section.appendix {{ break-before: page; }}
table.inputs {{ font-size: 7.5pt; table-layout: fixed; }}
table.inputs th:nth-child(1) {{ width: 24%; }}
table.inputs th:nth-child(2) {{ width: 9%; }}
table.inputs th:nth-child(3) {{ width: 17%; }}
table.inputs th:nth-child(4) {{ width: 10%; }}
table.providers th:first-child {{ width: 26%; }}
table.inputs td.src {{ font-size: 7pt; color: #444; }}
table.inputs tr.group th {{ background: #eef4f8; }}
table.mult {{ font-size: 7.5pt; }}
table.mult td:first-child {{ width: 45%; }}
dl.glossary {{ display: grid; grid-template-columns: 22mm 1fr 22mm 1fr; gap: 0.4mm 2mm; margin: 0;
  font-size: 7.5pt; }}
dl.glossary dt {{ font-weight: bold; }}
dl.glossary dd {{ margin: 0; }}
.code {{ color: #777; font-size: 7pt; }}
@media print {{ .links {{ display: none; }} }}
@media screen {{ body {{ padding: 1em; }} section.appendix {{ margin-top: 2em; border-top: 1px solid #ccc; }} }}
</style>
</head>
<body>
<section class="page{page_class}" id="brief">
<h1>{title}</h1>
<p class="subtitle">{subtitle}</p>
<p class="headline">{headline}</p>
<p class="per-pound">{per_pound}</p>
{places}
{figures}
{providers}
<img class="chart" src="{chart}" alt="{chart_alt}">
<h2>Gross and net</h2>
<p>{net}</p>
<h2>What the figures do and do not say</h2>
<ul class="caveats">{caveats}</ul>
<p class="links">{links}</p>
</section>
<section class="appendix" id="inputs">
<h1>{title}: how the figures are made</h1>
<h2>Method</h2>
<p>{method}</p>
{glossary}
{checks}
{tender}
{history}
<h2>Inputs and their sources</h2>
{inputs}
{spending}
{multipliers}
<p class="vintage">{vintage}</p>
</section>
</body>
</html>
"""
