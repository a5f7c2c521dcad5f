"""A council's spend impact from its files, in one call: what ``kil-io spend-impact`` and the notebook run.

:func:`council_spend` reads the spend over £500 ledger (and its supplier postcodes), the council's
own category words and shifts, and returns :func:`kil_io.records.spend_impact.spend_impact`'s result.
``"example"`` names the shipped worked example (a constructed Leeds ledger in the published layout,
``kil_io/records/templates/examples/council_spend/``), so the notebook template runs as shipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kil_io import datasets
from kil_io.datasets import Area
from kil_io.records.areas import local_area
from kil_io.records.procurement import read_procurement
from kil_io.records.spend_categories import read_rules
from kil_io.records.spend_impact import DRAWS, spend_impact
from kil_io.records.spend_result import SpendImpact
from kil_io.records.spend_shifts import read_shifts, shifts_from_text
from kil_io.records.templates import EXAMPLES

#: The name of the shipped worked example, for ``spend``.
EXAMPLE = "example"
#: The worked example's ledger and its supplier -> postcode file.
EXAMPLE_FILES: tuple[Path, Path] = (
    EXAMPLES / "council_spend" / "spend_over_500.csv",
    EXAMPLES / "council_spend" / "supplier_postcodes.csv",
)


def council_spend(
    spend: str | Path,
    area: str | Area,
    *,
    postcodes: str | Path | None = None,
    year: int | None = None,
    categories: str | Path | None = None,
    shifts: Sequence[str | Sequence[Any]] = (),
    shifts_file: str | Path | None = None,
    draws: int | None = DRAWS,
    seed: int | None = None,
    title: str = "",
    option: str = "--shift",
) -> SpendImpact:
    """The local jobs, GVA and income a council's ledger's local spend supports, and a shift's extra.

    Parameters
    ----------
    spend : str or Path
        The spend over £500 file (``.csv`` or ``.xlsx``), or ``"example"`` for the shipped Leeds one
        (with its supplier postcodes unless ``postcodes`` is given).
    area : str or Area
        The local area (any authority, region or nation :func:`kil_io.datasets.area` knows).
    postcodes : str or Path, optional
        Supplier -> postcode file, for a ledger without postcodes ("" or ``None``: none).
    year : int, optional
        BRES year of the regional table (default the latest shipped for the area).
    categories : str or Path, optional
        The council's own words -> categories (:func:`kil_io.records.spend_categories.read_rules`).
    shifts : sequence
        ``"WHAT=SHARE"`` or ``[WHAT, SHARE]`` each (:func:`kil_io.records.spend_shifts.shifts_from_text`).
    shifts_file : str or Path, optional
        More shifts, one a row (:func:`kil_io.records.spend_shifts.read_shifts`).
    draws, seed, title
        As :func:`kil_io.records.spend_impact.spend_impact`.
    option : str
        What messages call ``shifts`` (``--shift`` on the command line, ``shifts`` in a notebook).

    Returns
    -------
    SpendImpact

    Raises
    ------
    RecordsError
        A file of the wrong shape or with bad rows, or a shift naming nothing in the ledger (naming
        the file, row, column and value).

    Warns
    -----
    UnusedColumnWarning
        The ledger has columns the reader does not use (each named).
    """
    if str(spend) == EXAMPLE:
        spend, postcodes = EXAMPLE_FILES[0], postcodes or EXAMPLE_FILES[1]
    where = area if isinstance(area, Area) else datasets.area(area)
    ledger = read_procurement(spend, local_area(where), lookup=postcodes or None)
    year = int(year) if year is not None else int(max(datasets.employment_years(where)))
    table = datasets.regional_iot(where, year)
    rules = read_rules(categories, table.sectors) if categories else ()
    specs = shifts_from_text(list(shifts), option=option) + (read_shifts(shifts_file) if shifts_file else ())
    return spend_impact(ledger, area=where, year=year, table=table, rules=rules, shifts=specs, draws=draws,
                        seed=seed, title=title)  # fmt: skip


__all__ = ["EXAMPLE", "EXAMPLE_FILES", "council_spend"]
