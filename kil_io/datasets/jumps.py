"""A sweep of every authority's employment for year-on-year jumps no industry makes in a year.

A section of an authority's employment that grows or falls by more than :data:`JUMP_FACTOR` in one year,
by at least :data:`JUMP_MIN_JOBS` jobs, is either a business moved or reclassified in BRES (real, and
published) or a break in a series (not real: Scotland's section A before 2018, repaired by the build,
see :mod:`kil_io.datasets.sections`). The sweep runs over every GB authority, every SIC section and every
pair of consecutive years of :func:`kil_io.datasets.local_employment` (2015-2016 as published, 2016-2022
estimated). Sections, not the 105 industries: within a section every estimated industry moves by the
same growth, and BRES's published industry counts jump by a few thousand jobs (one large business) far
more often. Each jump found in the shipped data is listed in :data:`KNOWN_JUMPS` with what the published
data show; a jump not listed is what ``tests/test_employment_breaks.py`` fails on.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from kil_io.datasets.employment import _authority_matrix, _authority_years, _sectors
from kil_io.datasets.files import data_dir

#: A section does not triple, or fall to a third, in a year [ratio]
JUMP_FACTOR = 3.0
#: ... by at least this many jobs: below it, Nomis's rounding (to 5, 25, 50 ... 1,000) moves small cells [jobs]
JUMP_MIN_JOBS = 1000.0
_DIVISIONS = "BRES by SIC division as published (Nomis, 2015 and 2016): one business's workplace or class"
_GROWTH = "estimated: the authority follows its growth area's BRES employees as published"
#: (authority code, section, year, why): every jump the shipped data hold, each checked by hand.
KNOWN_JUMPS: tuple[tuple[str, str, int, str], ...] = (
    ("E07000041", "D", 2016, f"Exeter 200 -> 1,250: {_DIVISIONS}"),
    ("E07000078", "O", 2016, f"Cheltenham 6,000 -> 800: {_DIVISIONS}"),
    ("E07000234", "H", 2016, f"Bromsgrove 875 -> 9,375: {_DIVISIONS}"),
    ("E08000013", "E", 2016, f"St. Helens 525 -> 1,725: {_DIVISIONS}"),
    ("E06000016", "D", 2017, f"Leicester: {_GROWTH}, TLF21 section D 4,000 -> 600"),
    ("E06000054", "K", 2017, f"Wiltshire: {_GROWTH}, TLK15 section K 8,000 -> 2,500"),
    ("E08000027", "L", 2017, f"Dudley: {_GROWTH}, TLG36 section L 1,000 -> 3,500"),
    ("E07000212", "D", 2018, f"Runnymede: {_GROWTH}, TLJ25 section D 5,000 -> 1,500"),
    ("E08000028", "D", 2018, f"Sandwell: {_GROWTH}, TLG37 section D 4,500 -> 1,000"),
    ("W06000020", "J", 2018, f"Torfaen: {_GROWTH}, TLL16 section J 4,000 -> 1,250"),
    ("E06000047", "D", 2019, f"County Durham: {_GROWTH}, TLC14 section D 450 -> 1,750"),
    ("E06000057", "D", 2019, f"Northumberland: {_GROWTH}, TLC21 section D 300 -> 1,500"),
    ("E06000015", "D", 2021, f"Derby: {_GROWTH}, TLF11 section D 200 -> 3,000, and back to 200 in 2022"),
    ("E06000046", "A", 2021, f"Isle of Wight: {_GROWTH}, TLJ34 section A 1,250 -> 300"),
    ("E07000115", "E", 2021, f"Tonbridge and Malling: {_GROWTH}, TLJ46 section E 1,000 -> 4,000"),
    ("E06000015", "D", 2022, f"Derby: {_GROWTH}, TLF11 section D 3,000 -> 200 (the 2021 spike ends)"),
    ("E06000047", "K", 2022, f"County Durham: {_GROWTH}, TLC14 section K 1,250 -> 6,000"),
    ("E06000059", "A", 2022, f"Dorset: {_GROWTH}, TLK22 section A 3,000 -> 400 while TLK21's rises 100 -> 3,500"),
    ("E07000067", "K", 2022, f"Braintree: {_GROWTH}, TLH34 section K 4,000 -> 14,000"),
    ("E07000071", "K", 2022, f"Colchester: {_GROWTH}, TLH34 section K 4,000 -> 14,000"),
)


def employment_jumps(*, factor: float = JUMP_FACTOR, min_jobs: float = JUMP_MIN_JOBS) -> pd.DataFrame:
    """Every authority's SIC sections that jump between consecutive years, and why where known.

    Parameters
    ----------
    factor : float
        A jump: the later year's count over the earlier's above ``factor`` or below ``1 / factor`` [ratio].
    min_jobs : float
        ... and a change of at least this many jobs [jobs].

    Returns
    -------
    DataFrame
        One row a jump: ``area`` (authority code), ``section``, ``year`` (the later year), ``before``,
        ``after`` [jobs], ``ratio`` and ``known`` (the reason from :data:`KNOWN_JUMPS`, ``""`` if none).

    Examples
    --------
    >>> jumps = employment_jumps()  # doctest: +SKIP
    >>> (jumps["known"] == "").sum()  # doctest: +SKIP
    0
    """
    folder = str(data_dir())
    years = _authority_years(folder)
    sectors = _sectors(folder)
    letters = sorted({s[0] for s in sectors})
    to_section = np.array([[s[0] == letter for letter in letters] for s in sectors], dtype=np.float64)
    known = {(a, s, y): why for a, s, y, why in KNOWN_JUMPS}
    codes = _authority_matrix(folder, years[0])[0]
    by_year = {y: _authority_matrix(folder, y)[1] @ to_section for y in years}
    rows = []
    for before_year, year in itertools.pairwise(years):
        before, after = by_year[before_year], by_year[year]
        low, high = np.minimum(before, after), np.maximum(before, after)
        for i, j in zip(*np.nonzero((high > factor * low) & (high - low >= min_jobs)), strict=True):
            b, a = float(before[i, j]), float(after[i, j])
            why = known.get((codes[i], letters[j], year), "")
            rows.append({"area": codes[i], "section": letters[j], "year": year, "before": b, "after": a,
                         "ratio": a / b if b else np.inf, "known": why})  # fmt: skip
    return pd.DataFrame(rows, columns=["area", "section", "year", "before", "after", "ratio", "known"])
