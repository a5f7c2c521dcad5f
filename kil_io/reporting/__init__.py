"""What users see: result tables, charts and the batch index page.

:mod:`~kil_io.reporting.reports` (tables), :mod:`~kil_io.reporting.plots` (charts; the only matplotlib
importer), :mod:`~kil_io.reporting.index_page` (``outputs/index.html``). Reporting reads results; it never
runs a case. Import the submodules you need (charts load matplotlib).
"""
