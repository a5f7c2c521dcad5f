"""The local area of a records analysis as a set of local authority codes, and authorities by name.

Records are located by postcode, and the ONS Postcode Directory codes every postcode to a local
authority (2025 codes). "Local" means: in one of the authorities of the user's ``--area``.
:func:`local_area` is the one place an area becomes authority codes; it asks the area resolver,
:func:`kil_io.datasets.area`, so ``--area`` takes what every other command takes (an authority, a
region, a nation, a combined authority, a former name, by name or code).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kil_io import datasets
from kil_io.datasets import Area
from kil_io.errors import AreaError

#: Authorities whose code changed between the 2023 codes of kil_io's data and the postcode
#: directory's 2025 codes: Barnsley and Sheffield, after their boundary change of April 2024.
RECODED_2024: dict[str, str] = {"E08000016": "E08000038", "E08000019": "E08000039"}


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
        """The part of a place that is in the area.

        Parameters
        ----------
        shares : mapping
            Authority code -> share of the place in it (e.g. of a postcode's addresses) [share].

        Returns
        -------
        float
            The sum of the shares of the area's authorities [share].
        """
        return float(sum(v for k, v in shares.items() if k in self.codes))


def local_area(area: str | Area) -> LocalArea:
    """The local authorities of ``area``: any area :func:`kil_io.datasets.area` resolves.

    Parameters
    ----------
    area : str or Area
        E.g. ``"Leeds"``, ``"E08000035"``, ``"West Yorkshire"``, ``"Scotland"``.

    Returns
    -------
    LocalArea

    Raises
    ------
    AreaError
        An unknown or ambiguous area (with the closest names).

    Warns
    -----
    AreaWarning
        A former name or code (e.g. ``"Harrogate"``): the authority it became is used, since the
        postcode directory codes postcodes to today's authorities.

    Examples
    --------
    >>> sorted(local_area("Leeds").codes)  # doctest: +SKIP
    ['E08000035']
    """
    where = datasets.area(area)
    return LocalArea(where.name, frozenset(RECODED_2024.get(c, c) for c in where.members))


def authority(text: str) -> tuple[str, str] | None:
    """Name and (2025) code of one local authority named or coded by ``text``; ``None`` if it is none.

    A region or nation is not where one person lives, so only an area of one authority counts.
    """
    try:
        where = datasets.area(text)
    except AreaError:
        return None
    if len(where.members) != 1:
        return None
    code = where.members[0]
    return where.name, RECODED_2024.get(code, code)
