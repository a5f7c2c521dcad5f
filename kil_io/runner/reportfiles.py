"""A batch result's brief and workbook, made after its notebook ran: why one is missing is written, never raised."""

from __future__ import annotations

from pathlib import Path

#: Written instead of a case's brief and workbook when they could not be made (the result stands).
REPORTS_ERROR = "reports-error.txt"


def write_reports(folder: Path, *, pdf: bool = True) -> None:
    """Write the brief (HTML, and PDF if ``pdf``) and workbook of a case whose notebook saved an appraisal or portfolio.

    Reporting reads the folder's ``appraisal.json``; nothing runs again. A folder without one (an area's
    multipliers) has no brief. A report that cannot be written never fails the case: why goes to
    ``reports-error.txt`` (listed on the index page), as does why a brief has no PDF.
    """
    from kil_io.appraisal.portfolio import FILE as PORTFOLIO_FILE
    from kil_io.appraisal.result import FILE
    from kil_io.reporting.outputs import write_reports as render

    if not (folder / FILE).is_file() and not (folder / PORTFOLIO_FILE).is_file():
        return
    try:
        made = render(folder, pdf=pdf)
    except Exception as exc:  # the notebook's result stands; say why its brief is missing
        missing = [f for f in ("brief.html", "the workbook") if f != "brief.html" or not (folder / f).is_file()]
        why = " ".join(str(exc).split())  # one line, and not a whole document echoed back
        why = why if len(why) <= 500 else f"{why[:500]}... ({len(why):,} characters in all)"
        (folder / REPORTS_ERROR).write_text(
            f"{' and '.join(missing)} could not be made from the case's result: {type(exc).__name__}: {why}\n",
            encoding="utf-8",
        )
        return
    if made.note and pdf:
        (folder / REPORTS_ERROR).write_text(f"{made.note}\n", encoding="utf-8")
