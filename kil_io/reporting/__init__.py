"""What users see: result tables, charts, the one-page brief, the workbook and the batch index page.

:mod:`~kil_io.reporting.formatting` (how every figure is written), :mod:`~kil_io.reporting.reports`
(tables), :mod:`~kil_io.reporting.plots` (charts; the only matplotlib importer),
:mod:`~kil_io.reporting.casereport` (a case's result folder read for its brief and workbook),
:mod:`~kil_io.reporting.brief` and :mod:`~kil_io.reporting.wording` (``brief.html``/``brief.pdf``),
:mod:`~kil_io.reporting.workbook` (``<case>.xlsx``), :mod:`~kil_io.reporting.notebook_page` (notebook
pages with code hidden), :mod:`~kil_io.reporting.index_page` (``outputs/index.html``) and
:mod:`~kil_io.reporting.results` (the result folder's file names). Reporting reads results; it never
runs a case, and never imports the runner. Import the submodules you need (charts load matplotlib).
"""
