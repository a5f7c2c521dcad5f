"""The growth of BRES employees by SIC section that carries each authority's 2016 employment forward.

``bres_itl_sections.csv`` holds BRES employees by section ``A`` … ``U`` for Great Britain and every ITL 2021
area, 2015-2022, on one basis in every year: where Nomis's series changes what it counts (Scotland's
section A counts farm agriculture only from 2018), the earlier years are estimated on the later basis by
the build (``scripts/build_section_breaks.py``) and each such cell is listed, with the published figure
and how it was estimated, in ``bres_itl_sections_notes.csv``. An authority's figure whose growth uses
such a cell carries that note (see data/README.md, "Every local authority").
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from kil_io.errors import DatasetError, ReaderError

SECTIONS_FILE = "bres_itl_sections.csv"
SECTION_NOTES_FILE = "bres_itl_sections_notes.csv"
GB_CODE = "K03000001"


@cache
def _sections(folder: str) -> pd.DataFrame:
    path = Path(folder) / SECTIONS_FILE
    if not path.is_file():
        raise DatasetError(f"{path}: dataset file missing; rebuild data/ with scripts/build_data.py")
    frame = pd.read_csv(path, dtype={"area": str}).set_index(["area", "year"])
    if frame.isna().any(axis=None) or (frame < 0).any(axis=None):
        raise ReaderError(f"{path}: section counts must be non-negative numbers")
    return frame.astype(np.float64)


@cache
def _section_notes(folder: str) -> dict[tuple[str, int, str], str]:
    """(area, year, section) -> how that cell was estimated; empty where no cell is."""
    path = Path(folder) / SECTION_NOTES_FILE
    if not path.is_file():
        raise DatasetError(f"{path}: dataset file missing; rebuild data/ with scripts/build_data.py")
    notes = pd.read_csv(path, dtype={"area": str, "section": str, "note": str}, keep_default_na=False)
    missing = {"area", "year", "section", "note"} - set(notes.columns)
    if missing:
        raise ReaderError(f"{path}: columns {sorted(missing)} missing")
    return {(a, int(y), s): n for a, y, s, n in notes[["area", "year", "section", "note"]].itertuples(index=False)}


def section_growth(
    folder: str, chain: list[np.ndarray], letters: list[str], base_year: int, year: int
) -> tuple[np.ndarray, list[dict[str, str]]]:
    """Growth of each section from ``base_year`` to ``year`` for each authority, and its notes.

    Parameters
    ----------
    folder : str
        The data folder.
    chain : list of arrays of str
        For each authority (same order in every array), the areas to try in turn: the first with
        employees in the section in the base year gives the growth (its ITL3, its ITL2, GB).
    letters : list of str
        The sections, in column order of the result.
    base_year, year : int

    Returns
    -------
    (ndarray, list of dict)
        Growth (authorities x sections; 1 where nobody in GB works in the section) [ratio], and for
        each authority the notes of the sections whose growth uses an estimated cell.
    """
    sections, notes = _sections(folder), _section_notes(folder)
    ratio = np.full((len(chain[0]), len(letters)), np.nan)
    source = np.full(ratio.shape, "", dtype=object)
    for codes in chain:  # the first area of the chain with employees in the section in the base year
        before = sections.reindex(pd.MultiIndex.from_arrays([codes, np.full(len(codes), base_year)]))[letters]
        after = sections.reindex(pd.MultiIndex.from_arrays([codes, np.full(len(codes), year)]))[letters]
        b, a = before.to_numpy(), after.to_numpy()
        found = np.isnan(ratio) & (b > 0)
        ratio[found] = a[found] / b[found]
        source[found] = np.repeat(np.asarray(codes, dtype=object)[:, None], len(letters), axis=1)[found]
    ratio[np.isnan(ratio)] = 1.0  # nobody in GB in that section (T, U): the base figure, 0, stays
    flagged: list[dict[str, str]] = [{} for _ in range(len(ratio))]
    for (area, cell_year, letter), note in notes.items():
        if cell_year in (base_year, year) and letter in letters:
            for row in np.flatnonzero(source[:, letters.index(letter)] == area):
                flagged[row][letter] = f"growth of section {letter} {base_year}-{year} uses {area} {cell_year}, {note}"
    return ratio, flagged


def sector_notes(flagged: list[dict[str, str]], rows: list[int], sectors: tuple[str, ...]) -> dict[str, str]:
    """Sector -> note for the sum of the authorities in ``rows`` (one note per section, for its industries)."""
    by_letter: dict[str, list[str]] = {}
    for row in rows:
        for letter, note in flagged[row].items():
            by_letter.setdefault(letter, []).append(note)
    out = {}
    for letter, found in by_letter.items():
        text = found[0] if len(rows) == 1 else f"{len(found)} of the {len(rows)} authorities: e.g. {found[0]}"
        out.update({s: f"estimate: {text}" for s in sectors if s[0] == letter})
    return out
