"""The brief of a portfolio: ``brief.html`` and ``brief.pdf``, on the same page as an organisation's brief.

Page 1 is for a councillor: the pilot's sentence ("N organisations support about X FTE and £Y of
GVA in their areas", gross, with the net figures beside it and every range), the totals by area and
in all, a chart, what was counted twice and taken out (and why), and what the ranges assume. Page 2
is for the officer who checks it: every entry with its own figures and status, how the rules work,
the glossary, the sources and the data vintage. The page and its print rules are the organisation
brief's (:func:`kil_io.reporting.brief.page_style`, printed by :func:`kil_io.reporting.brief.print_pdf`);
every number passes through :mod:`kil_io.reporting.formatting`; everything comes from one
:class:`~kil_io.appraisal.portfolio.Portfolio`.

Examples
--------
>>> import kil_io
>>> from kil_io.reporting import portfolio_brief
>>> p = kil_io.appraise_portfolio("data/portfolios/west_yorkshire_example.yaml", 10_000, seed=2026)  # doctest: +SKIP
>>> portfolio_brief.write_brief(p, "outputs/portfolio")  # doctest: +SKIP
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from pathlib import Path
from urllib.parse import quote

from kil_io.appraisal.portfolio import MEASURES, Portfolio
from kil_io.appraisal.result import Range
from kil_io.reporting import brief, plots, wording
from kil_io.reporting import formatting as fmt
from kil_io.reporting import portfolio_pages as pages

#: File stem of the portfolio brief's chart (PNG and SVG).
CHART = brief.CHART


def write_brief(
    p: Portfolio, folder: str | Path, *, pdf: bool = True, finished: str = "", workbook: str | None = None
) -> brief.BriefFiles:
    """Write ``brief.html``, its chart (``brief-chart.png`` and ``.svg``) and ``brief.pdf`` into ``folder``.

    Parameters
    ----------
    p : Portfolio
        From :func:`kil_io.appraise_portfolio` (or :func:`kil_io.appraisal.read_portfolio` of a result folder).
    folder : str or Path
    pdf : bool
        Print the PDF with headless Chromium; without a browser, or when printing fails, the HTML is
        still written and :attr:`~kil_io.reporting.brief.BriefFiles.note` says why there is no PDF.
    finished : str
        When the portfolio was run (``case.json``'s ``finished_utc``), for the vintage line; default today.
    workbook : str, optional
        The workbook's file name beside the brief, for the brief's link (default ``<portfolio>.xlsx``).

    Returns
    -------
    BriefFiles
    """
    return brief.save_brief(folder, plots.portfolio_chart(p, medium="print"),
                            render_html(p, finished=finished, workbook=workbook), pdf=pdf)  # fmt: skip


def _cell(value: float, unit: str, r: Range | None, *, level: bool = True) -> str:
    """A figure's cell: the central value, and its range beneath it in smaller type (``level``: say its level)."""
    central = escape(fmt.of(value, unit))
    if r is None:
        return f"<td class='num'>{central}</td>"
    spread = fmt.range_text({"low": r.low, "high": r.high, "level": r.level}, fmt.kind_of(unit), value)
    spread = spread if level else spread.rsplit(", ", 1)[0]  # "244–275, 90% range" -> "244–275"
    return f"<td class='num'>{central}<br><span class='range small'>{escape(spread)}</span></td>"


def _totals_table(p: Portfolio) -> str:
    groups = [*p.areas, p.total] if len(p.areas) > 1 else list(p.areas)
    heads = "".join(f"<th class='num'>{escape(g.area)}</th>" for g in groups)
    rows = "".join(
        f"<tr><th>{escape(words)} ({escape(unit)})</th>"
        + "".join(_cell(g.totals[m], unit, g.ranges.get(m)) for g in groups)
        + "</tr>"
        for m, (words, unit, _) in MEASURES.items()
    )
    added = "".join(
        f"<td class='num small'>{escape(', '.join(p.entry(n).title for n in g.included))}</td>" for g in groups
    )
    return (
        f"<table class='figures'><thead><tr><th>Figure</th>{heads}</tr></thead><tbody>{rows}"
        f"<tr><th>Entries added up</th>{added}</tr></tbody></table>"
    )


def _removals(p: Portfolio) -> str:
    if not p.removals:
        return "<p>Nothing is counted twice: no entry holds another's figures.</p>"
    items = "".join(
        f"<li>{escape(pages.reason(p, r))} Net, that is {escape(fmt.fte(r.removed['fte_net']))} and "
        f"{escape(fmt.money(r.removed['gva_net'], unit='£m'))} of GVA.</li>"
        for r in p.removals
    )
    return f"<ul class='caveats'>{items}</ul>"


def _removal_sources(p: Portfolio) -> str:
    return "".join(
        f"<li>{escape(p.entry(r.entry).title)} ({escape(pages.RULE_WORDS[r.rule])}, {escape(fmt.money(r.money))} a "
        f"year): {escape(r.source)}</li>"
        for r in p.removals
    )


def _entries_table(p: Portfolio) -> str:
    rows = []
    for e in p.entries:
        status = "added up" if e.status == "included" else f"counted within {p.entry(e.within).title}"
        money = "income" if e.kind == "organisation" else "contract"
        shown = ("fte", "fte_net", "gva", "gva_net")
        cells = "".join(_cell(e.figures[m], MEASURES[m][1], e.ranges.get(m), level=False) for m in shown)
        rows.append(
            f"<tr><td>{escape(e.title)}<br><span class='code'>{escape(e.organisation)}; {escape(e.source)}</span></td>"
            f"<td>{escape(e.area)}</td><td class='num'>{escape(fmt.money(e.income))}<br>"
            f"<span class='small'>{money}</span></td>"
            f"<td>{escape(status)}</td>{cells}</tr>"
        )
    heads = ["Entry (organisation; case)", "Area", "Income or contract", "Status", "Jobs, gross", "Jobs, net",
             "GVA, gross", "GVA, net"]  # fmt: skip
    return (
        "<table class='entries'><thead><tr>"
        + "".join(f"<th{' class=num' if k > 1 and k != 3 else ''}>{h}</th>" for k, h in enumerate(heads))
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _caveats(p: Portfolio) -> str:
    items = [_GROSS_NET, _RANGES if p.draws else p.dependence]
    items += [f"{g.area}: {n}" for g in (*p.areas, p.total) for n in g.notes]
    return "".join(f"<li>{escape(i)}</li>" for i in items)


_GROSS_NET = (
    "Gross figures count every job and £ of GVA the entries' spending supports; net figures count only what would "
    "not otherwise be in the area (after leakage, displacement, substitution and deadweight). Never add one to the "
    "other."
)
_RANGES = (
    "Ranges add the entries' draws draw by draw: each organisation's own figures vary on their own, while the "
    "model's assumptions they share (how much local firms buy locally, the gross-to-net rates) move together; "
    "page 2 says exactly how."
)
_METHOD = (
    "Each entry is appraised on its own (its case file, its area's local table: the method of each organisation's "
    "brief), once. Entries counted within another are listed with their own figures but not added: an organisation "
    "part of another (its income, staff and spending are in the other's accounts) and a contract paid to an "
    "organisation counted here (its value is part of that income). Where an entry pays part of its local spending to "
    "another entry, the part of its supply-chain jobs, GVA and income that follows that spending (the line's own "
    "Type I effect, and the re-spending of the pay it puts in the supply chain) is taken off the spender, since the "
    "supplier's own appraisal counts it. Totals by area add that area's entries; the total adds every area."
)


def _links(p: Portfolio, workbook: str | None) -> str:
    links = [("notebook.html", "full analysis (notebook)"), (workbook or f"{p.name}.xlsx", "workbook (Excel)"),
             ("brief.pdf", "this brief as PDF")]  # fmt: skip
    return " · ".join(f"<a href='{quote(href)}'>{escape(text)}</a>" for href, text in links)


def render_html(p: Portfolio, *, finished: str = "", workbook: str | None = None) -> str:
    """The portfolio's brief as a self-contained HTML page (its chart is the SVG file beside it)."""
    areas = ", ".join(g.area for g in p.areas)
    sim = f"{p.draws:,} draws, seed {p.seed}" if p.draws else "no ranges"
    subtitle = f"{len(p.entries)} entries in {len(p.areas)} area{'s' if len(p.areas) != 1 else ''} ({areas}) · {sim}"
    when = finished[:10] or datetime.now(UTC).strftime("%Y-%m-%d")
    glossary = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in wording.GLOSSARY.items())
    sources = "".join(f"<li>{escape(s)}</li>" for s in p.sources)
    return _PAGE.format(
        style=brief.page_style(), title=escape(p.title), subtitle=escape(subtitle),
        description=escape(p.description), headline=escape(pages.sentence(p)), totals=_totals_table(p),
        chart=escape(f"{CHART}.svg"), removals=_removals(p), caveats=_caveats(p), links=_links(p, workbook),
        method=escape(_METHOD), entries=_entries_table(p), glossary=glossary, sources=sources,
        dependence=escape(p.dependence), relations=_removal_sources(p),
        vintage=escape(f"Made with kil_io {p.version} on {when}; portfolio file {p.source}."),
    )  # fmt: skip


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: brief</title>
<style>{style}
.small {{ font-size: 7pt; }}
table.entries {{ font-size: 7.5pt; }}
table.entries td:first-child {{ width: 30%; }}
table.entries th.num {{ white-space: normal; }}
</style>
</head>
<body>
<section class="page" id="brief">
<h1>{title}</h1>
<p class="subtitle">{subtitle}</p>
<p class="headline">{headline}</p>
{totals}
<img class="chart" src="{chart}" alt="Chart: local jobs and GVA by area, gross and net, with their ranges">
<h2>Counted once: what was taken out, and why</h2>
{removals}
<h2>What the figures do and do not say</h2>
<ul class="caveats">{caveats}</ul>
<p class="links">{links}</p>
</section>
<section class="appendix" id="entries">
<h1>{title}: the entries and how they are added up</h1>
<p>{description}</p>
<h2>Method</h2>
<p>{method}</p>
<h2>How the ranges treat the entries together</h2>
<p>{dependence}</p>
<ul class="caveats">{relations}</ul>
<h2>Entries and their own figures</h2>
<p class="small">Each entry's own appraisal, whether it is added up or not; the 90% range of each figure beneath it.</p>
{entries}
<h2>Glossary</h2>
<dl class="glossary">{glossary}</dl>
<h2>Sources</h2>
<ul class="caveats small">{sources}</ul>
<p class="vintage">{vintage}</p>
</section>
</body>
</html>
"""

__all__ = ["CHART", "render_html", "write_brief"]
