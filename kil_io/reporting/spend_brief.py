"""The brief of a council's spend impact (``brief.html``, ``brief.pdf``) and the files of its result folder.

Page 1 is for a councillor: the ledger's local share (the CLES headline), what today's local spend
supports and what the shift would add, each with its range, the categories, a chart, the procurement
law in plain words, and caveats. Page 2 is for the officer who checks it: the method and glossary,
how each kind of payment was placed in an industry, the payments in no industry, the shifts, every
input with its source and the local multipliers used. It is printed exactly as the appraisal's brief
is (:mod:`kil_io.reporting.brief`: the same stylesheet, chart file, headless Chromium), and made from
one :class:`~kil_io.records.spend_result.SpendImpact` (nothing is computed here).

Examples
--------
>>> from kil_io.reporting import spend_brief
>>> spend_brief.save_spend(result, "outputs/council_spend")  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from kil_io.files import csv_text, write_text_atomic
from kil_io.records.spend_result import FILE, SpendImpact, read_spend_impact
from kil_io.reporting import brief, plots, procurement_law, spend_pages, spend_plots, spend_wording, wording
from kil_io.reporting import formatting as fmt

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _style() -> str:
    """The appraisal brief's stylesheet, read from its page, so that both briefs look and print alike."""
    css = brief._PAGE.split("<style>", 1)[1].split("</style>", 1)[0]
    return css.replace("{{", "{").replace("}}", "}")


def _table(frame: pd.DataFrame, css: str, *, index: str = "") -> str:
    """A text table of :mod:`kil_io.reporting.spend_pages` as HTML: numbers right-aligned, every cell escaped."""
    numeric = {c for c in frame.columns if frame[c].astype(str).str.match(r"^-?£?[\d.,]+[km]?( FTE)?%?$|^$").all()}
    names = [str(n) for n in (frame.index.names if isinstance(frame.index, pd.MultiIndex) else [frame.index.name])]
    head = "".join(f"<th>{escape(index or n or '')}</th>" for n in names)
    head += "".join(f"<th{' class=num' if c in numeric else ''}>{escape(str(c))}</th>" for c in frame.columns)
    body = []
    for key, row in frame.iterrows():
        keys = key if isinstance(key, tuple) else (key,)
        cells = "".join(f"<th>{escape(str(k))}</th>" for k in keys)
        cells += "".join(f"<td{' class=num' if c in numeric else ''}>{escape(str(v))}</td>" for c, v in row.items())
        body.append(f"<tr>{cells}</tr>")
    return f"<table class='{css}'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figures(r: SpendImpact) -> str:
    rows = []
    for h in r.headline:
        rows.append(
            f"<tr><th>{escape(fmt.label_for(h.label).text)}</th><td class='num'>{escape(fmt.of(h.value, h.unit))}</td>"
            f"<td class='range'>{escape(wording.range_text(h))}</td><td>{escape(h.basis or 'record')}</td></tr>"
        )
    return (
        "<table class='figures'><thead><tr><th>Figure</th><th class='num'>Central</th><th>Range</th><th>Basis</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _cell(r: SpendImpact, key: str) -> str:
    """``1.1 FTE (1.1–1.2)``: a figure and its range, for the summary table (its heading names the range)."""
    h = r.figure(key)
    text = fmt.of(h.value, h.unit)
    return text + (f" ({wording.range_text(h).split(', ')[0]})" if h.range is not None else "")


def _summary(r: SpendImpact) -> str:
    """Jobs, GVA and income: today gross and net, and the shift's extra gross and net, each with its range."""
    columns = [("", "Today, gross"), ("_net", "Today, net")]
    if r.shifted:
        columns += [("extra: ", "Extra with the shift, gross"), ("extra: _net", "Extra with the shift, net")]
    rows = []
    for measure, label in (("fte", "Local jobs"), ("gva", "Local GVA"), ("local_income", "Local income")):
        cells = []
        for key, _ in columns:
            prefix, _, suffix = key.partition("_")
            cells.append(f"<td class='num'>{escape(_cell(r, f'{prefix}{measure}' + (f'_{suffix}' if suffix else '')))}"
                         "</td>")  # fmt: skip
        rows.append(f"<tr><th>{label}</th>{''.join(cells)}</tr>")
    level = f"{r.level:.0%}" if r.draws else ""
    head = "".join(f"<th class='num'>{escape(name)}</th>" for _, name in columns)
    note = f"central figure ({level} range)" if level else "central figure (not simulated)"
    return (
        f"<table class='figures summary'><thead><tr><th>a year, {escape(note)}</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _categories(r: SpendImpact) -> str:
    """Page 1's categories: the industry under each, spend, local share, local jobs and GVA (and the shift's)."""
    heads = ["Category (industry)", "Spend", "Local share", "Local jobs, gross", "Local GVA, gross"]
    if r.shifted:
        heads += ["Local share, shifted", "Extra jobs, gross"]
    rows = []
    for code, row in r.categories.iterrows():
        cells = [fmt.money(row["spend"]), fmt.share(row["local_share"]), fmt.fte(row["fte"]),
                 fmt.money(row["gva"], unit="£m")]  # fmt: skip
        if r.shifted:
            cells += [fmt.share(row["shifted_local_spend"] / row["spend"]), fmt.fte(row["extra_fte"])]
        name = (f"{escape(str(row['label']))}<br><span class='code'>{escape(str(row['industry']))} "
                f"({escape(str(code if row['sector'] == code else row['sector']))})</span>")  # fmt: skip
        rows.append(f"<tr><td>{name}</td>" + "".join(f"<td class='num'>{escape(c)}</td>" for c in cells) + "</tr>")
    led = r.ledger
    if led["unmapped_spend"]:
        share = fmt.share(led["unmapped_local"] / led["unmapped_spend"])
        blank = "<td class='num'>not counted</td>" * (len(heads) - 3)
        rows.append(f"<tr><td>in no industry<br><span class='code'>grants, refunds and the like (page 2)</span></td>"
                    f"<td class='num'>{escape(fmt.money(led['unmapped_spend']))}</td><td class='num'>{share}</td>"
                    f"{blank}</tr>")  # fmt: skip
    total = [fmt.money(led["total"]), fmt.share(led["local_share"]), fmt.fte(r.total("today", "fte")),
             fmt.money(r.total("today", "gva"), unit="£m")]  # fmt: skip
    if r.shifted:
        total += ["", fmt.fte(r.total("extra", "fte"))]
    rows.append("<tr><td>all payments</td>" + "".join(f"<td class='num'>{escape(c)}</td>" for c in total) + "</tr>")
    head = "".join(f"<th{'' if k == 0 else ' class=num'}>{escape(h)}</th>" for k, h in enumerate(heads))
    return f"<table class='categories'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _law() -> str:
    points = "".join(f"<li>{escape(p)}</li>" for p in procurement_law.POINTS)
    return f"<ul class='caveats'>{points}</ul>"


def _list(items: list[str]) -> str:
    return "<ul class='caveats'>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def render_html(r: SpendImpact, *, finished: str = "") -> str:
    """The brief as a self-contained HTML page (its chart is the SVG file beside it)."""
    led = r.ledger
    subtitle = (
        f"{r.area} · the council's spend over £500 ({led['file']}, {led['payments']:,} payments, "
        f"{fmt.money(led['total'])}) · {r.year} local data"
    )
    shift = ""
    if r.shifted:
        shift = f"<p class='per-pound'>{escape(spend_wording.shift_sentence(r))}</p>"
    sections = {
        "Every figure": _figures(r),
        "How each kind of payment was placed in an industry": _table(spend_pages.placements(r), "inputs"),
        "Payments in no industry (in the local share, not in the jobs)": _table(spend_pages.unmapped(r), "mult"),
        "The shift": _table(spend_pages.shifts(r).drop(columns=["spend", "given at"]), "mult") if r.shifted else "",
        "By service area (the ledger, weighted by £)": _table(spend_pages.service_areas(r), "mult"),
        "Local jobs, GVA and income by component": _table(spend_pages.components(r), "mult"),
        "Inputs and their sources": _table(spend_pages.inputs(r), "inputs"),
        f"Local multipliers used ({r.area})": _table(spend_pages.multipliers(r), "mult"),
    }
    appendix = "".join(f"<h2>{escape(title)}</h2>{html}" for title, html in sections.items() if html)
    glossary = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in wording.GLOSSARY.items())
    references = "".join(f"<li>{escape(ref)}</li>" for ref in procurement_law.REFERENCES)
    return _PAGE.format(
        style=_style(),
        title=escape(r.title),
        subtitle=escape(subtitle),
        headline=escape(spend_wording.ledger_sentence(r)),
        impact=escape(spend_wording.impact_sentence(r)),
        shift=shift,
        figures=_summary(r),
        categories=_categories(r),
        chart=escape(f"{brief.CHART}.svg"),
        law=_law(),
        law_shift=escape(procurement_law.shift_words(r.area)),
        law_caveat=escape(procurement_law.CAVEAT),
        caveats=_list(spend_wording.caveats(r)),
        method=escape(spend_wording.method_paragraph(r)),
        glossary=glossary,
        appendix=appendix,
        references=references,
        vintage=escape(spend_wording.vintage_line(r, finished)),
    )


def write_spend_brief(r: SpendImpact, folder: str | Path, *, pdf: bool = True, finished: str = "") -> brief.BriefFiles:
    """Write ``brief.html``, its chart (``brief-chart.png`` and ``.svg``) and ``brief.pdf`` into ``folder``.

    Parameters
    ----------
    r : SpendImpact
    folder : str or Path
    pdf : bool
        Print the PDF with headless Chromium (:func:`kil_io.reporting.brief.print_pdf`); without a
        browser, or when printing fails, the HTML is still written and the note says why.
    finished : str
        When the result was made, for the vintage line; default today.

    Returns
    -------
    BriefFiles
    """
    return brief.save_brief(folder, spend_plots.spend_chart(r, medium="print"), render_html(r, finished=finished),
                            pdf=pdf)  # fmt: skip


def save_spend(
    r: SpendImpact,
    folder: str | Path | None = ".",
    *,
    figures: Mapping[str, Figure] | None = None,
    pdf: bool = True,
    finished: str = "",
) -> list[Path]:
    """Write a spend impact's result folder: JSON, ``headline.json``, CSV tables, charts and the brief.

    Parameters
    ----------
    r : SpendImpact
    folder : str or Path or None
        Where to write; ``None`` writes nothing (a notebook re-run without files).
    figures : mapping, optional
        File stem -> matplotlib figure, written as PNG beside the results.
    pdf : bool
        Print ``brief.pdf`` too.
    finished : str

    Returns
    -------
    list of Path
        The files written (atomically, replacing an earlier run's). Text from the council's ledger
        is made inert in every CSV (:func:`kil_io.files.csv_text`).
    """
    if folder is None:
        return []
    folder = Path(folder)
    written = []
    for name, text in (
        (FILE, r.to_json()),
        ("headline.json", json.dumps(r.headline_json(), indent=2, ensure_ascii=False) + "\n"),
        ("results.csv", csv_text(r.categories)),
    ):
        write_text_atomic(folder / name, text, force=True)
        written.append(folder / name)
    written += list(spend_pages.write_csv(r, folder))
    for stem, fig in (figures or {}).items():
        written += plots.save_figure(fig, folder, stem)
    made = write_spend_brief(r, folder, pdf=pdf, finished=finished)
    written += [made.html, *made.charts, *([made.pdf] if made.pdf else [])]
    if made.note and pdf:
        write_text_atomic(folder / "reports-error.txt", made.note + "\n", force=True)
    return written


def rerender(folder: str | Path, *, pdf: bool = True) -> brief.BriefFiles:
    """The brief of a result folder, from its ``spend_impact.json`` (``kil-io brief FOLDER``); nothing runs again."""
    return write_spend_brief(read_spend_impact(folder), folder, pdf=pdf)


_EXTRA_STYLE = """
table.categories { font-size: 7.5pt; table-layout: fixed; }
table.categories th:first-child { width: 38%; }
table.categories th { white-space: normal; }
table.summary { table-layout: fixed; }
table.summary th:first-child { width: 16%; }
table.summary th, table.summary td.num { white-space: normal; }
table.categories tbody tr:last-child th, table.categories tbody tr:last-child td { font-weight: bold;
  border-top: 0.8pt solid #555; }
.law { font-size: 8pt; }
"""

_PAGE = (
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: brief</title>
<style>
{style}"""
    + _EXTRA_STYLE.replace("{", "{{").replace("}", "}}")
    + """
</style>
</head>
<body>
<section class="page" id="brief">
<h1>{title}</h1>
<p class="subtitle">{subtitle}</p>
<p class="headline">{headline}</p>
<p class="per-pound">{impact}</p>
{shift}
{figures}
<h2>By category</h2>
{categories}
<img class="chart" src="{chart}" alt="Chart: local jobs by category today and with the shift, and the totals">
<h2>What can be scored: procurement law in words</h2>
<div class="law">{law}<p>{law_shift} <span class="small">{law_caveat}</span></p></div>
<h2>What the figures do and do not say</h2>
{caveats}
</section>
<section class="appendix" id="inputs">
<h1>{title}: how the figures are made</h1>
<h2>Method</h2>
<p>{method}</p>
<h2>Glossary</h2>
<dl class="glossary">{glossary}</dl>
{appendix}
<h2>Procurement law: sources</h2>
<ul class="caveats small">{references}</ul>
<p class="vintage">{vintage}</p>
</section>
</body>
</html>
"""
)

__all__ = ["render_html", "rerender", "save_spend", "write_spend_brief"]
