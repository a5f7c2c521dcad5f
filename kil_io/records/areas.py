"""The local area of a records analysis as a set of local authority codes, and authorities by name.

Records are located by postcode, and the ONS Postcode Directory codes every postcode to a local
authority (2025 codes). "Local" means: in one of the authorities of the user's ``--area``.
:func:`local_area` is the one place an area becomes authority codes; it resolves names and codes
through :mod:`kil_io.datasets` (every UK authority, 2023 codes, and the nations), and will ask the
area resolver of :mod:`kil_io.datasets` instead once there is one.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from kil_io import datasets
from kil_io.datasets import household
from kil_io.errors import DatasetError, RecordsError

#: Authorities whose code changed between the 2023 codes of kil_io's data and the postcode
#: directory's 2025 codes: Barnsley and Sheffield, after their boundary change of April 2024.
RECODED_2024: dict[str, str] = {"E08000016": "E08000038", "E08000019": "E08000039"}
#: The North Yorkshire districts that became North Yorkshire Council (E06000065) in April 2023.
MERGED_2023: dict[str, str] = {f"E0700016{k}": "E06000065" for k in range(3, 10)}


@dataclass(frozen=True)
class LocalArea:
    """An area as the postcode directory's local authorities.

    Attributes
    ----------
    name : str
        E.g. ``"Leeds"``.
    codes : frozenset of str
        ONS codes of its authorities, as the postcode directory writes them (2025 codes).
    """

    name: str
    codes: frozenset[str]

    def share(self, shares: Mapping[str, float]) -> float:
        """The part of a place (authority code -> share) that is in the area."""
        return float(sum(v for k, v in shares.items() if k in self.codes))


def local_area(area: str) -> LocalArea:
    """The local authorities of ``area``, a local authority or a nation, by name or ONS code.

    Parameters
    ----------
    area : str
        E.g. ``"Leeds"``, ``"E08000035"``, ``"Scotland"``.

    Returns
    -------
    LocalArea

    Raises
    ------
    RecordsError
        An unknown area, a district abolished in 2023 (postcodes are coded to today's authorities),
        or a region that is not yet broken down into authorities (ITL2).

    Examples
    --------
    >>> sorted(local_area("Leeds").codes)  # doctest: +SKIP
    ['E08000035']
    """
    try:
        name, codes = household._authorities(area)
    except DatasetError:
        raise RecordsError(_not_an_authority(area)) from None
    return LocalArea(name, frozenset(RECODED_2024.get(c, c) for c in codes))


def authority(text: str) -> tuple[str, str] | None:
    """Name and (2025) code of one local authority named or coded by ``text``; ``None`` if it is none."""
    try:
        name, codes = household._authorities(text)
    except DatasetError:
        return None
    if len(codes) != 1:
        return None  # a nation is not where one person lives
    return name, RECODED_2024.get(codes[0], codes[0])


def _not_an_authority(area: object) -> str:
    shipped = datasets.areas()
    key = str(area).strip().casefold()
    row = shipped[(shipped["name"].str.casefold() == key) | (shipped["code"].str.casefold() == key)]
    if len(row) and row["code"].iloc[0] in MERGED_2023:
        name, code = row["name"].iloc[0], row["code"].iloc[0]
        return (
            f"area {area!r}: {name} ({code}) became part of North Yorkshire ({MERGED_2023[code]}) in April 2023, and "
            "the ONS Postcode Directory codes postcodes to today's authorities, so records cannot tell its postcodes "
            "from the rest of North Yorkshire's"
        )
    if len(row) and row["kind"].iloc[0] == "itl2":
        return (
            f"area {area!r} is an ITL2 region; records are located by local authority: give one authority "
            "(e.g. 'Leeds') or a nation"
        )
    names = list(household._accounts(str(datasets.data_dir()))["name"].unique())
    close = difflib.get_close_matches(str(area), names, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"area {area!r} is not a UK local authority or nation{hint}; give its name or ONS code (Leeds, E08000035)"
