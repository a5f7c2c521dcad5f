"""SIC 2007 codes -> the ONS input-output (IOAT) industry they belong to (``data/sic_ioat.csv``).

The lookup's entries are SIC divisions (2 digits), groups (3) or classes (4); a code belongs to
the one entry that begins it (``81210`` -> ``812`` ... -> entry ``81`` -> ``N81``). Written by
``scripts/build_regional_data.py`` from the BRES SIC -> IOAT lookup; provenance in ``data/README.md``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd

from kil_io.datasets.uk import available_years, data_dir, uk_iot
from kil_io.errors import DatasetError
from kil_io.model.validation import suggest_sectors

SIC_FILE = "sic_ioat.csv"
_CODE = re.compile(r"\d{2,5}")

#: What people call an organisation -> the IOAT industries it is most likely in, best first, from the
#: SIC 2007 classes that hold it (ONS, *UK SIC 2007: structure and explanatory notes*): a community
#: centre or a charity is 94.99 (other membership organisations) or 88.99 (other social work); a
#: day nursery 88.91; a care home 87.x; a leisure centre or gym 93.11/93.13; a library or museum 91.x;
#: a café, pub or restaurant 56.x; a school or college 85.x; a GP practice or clinic 86.x. For
#: "did you mean": the case file still takes a code.
EVERYDAY_INDUSTRIES: dict[str, tuple[str, ...]] = {
    "community centre": ("S94", "Q87 & Q88", "R93"), "community center": ("S94", "Q87 & Q88", "R93"),
    "community group": ("S94", "Q87 & Q88"), "village hall": ("S94", "R93"), "charity": ("S94", "Q87 & Q88"),
    "church": ("S94",), "faith": ("S94",), "food bank": ("S94", "Q87 & Q88"), "foodbank": ("S94", "Q87 & Q88"),
    "trade union": ("S94",), "youth club": ("Q87 & Q88", "S94"), "nursery": ("Q87 & Q88", "P85"),
    "childcare": ("Q87 & Q88",), "care home": ("Q87 & Q88",), "home care": ("Q87 & Q88",),
    "social care": ("Q87 & Q88",), "hospice": ("Q86", "Q87 & Q88"), "gp": ("Q86",), "clinic": ("Q86",),
    "hospital": ("Q86",), "school": ("P85",), "college": ("P85",), "university": ("P85",),
    "academy": ("P85",), "leisure centre": ("R93",), "gym": ("R93",), "sports club": ("R93",),
    "swimming pool": ("R93",), "library": ("R91",), "museum": ("R91",), "gallery": ("R91", "R90"),
    "theatre": ("R90",), "arts": ("R90",), "cafe": ("I56",), "café": ("I56",), "restaurant": ("I56",),
    "pub": ("I56",), "catering": ("I56",), "hotel": ("I55",), "hostel": ("I55",), "council": ("O84",),
    "cleaning": ("N81",), "security": ("N80",),
}  # fmt: skip


def sector_hint(text: str) -> str:
    """What a message adds after an unknown sector: ``" (did you mean: S94 (Activities Of ...); ...?)"``.

    Codes and names of the latest shipped UK table close to ``text``, or everyday words of
    :data:`EVERYDAY_INDUSTRIES` in it; else where to list the codes.
    """
    names = uk_iot(available_years()[-1]).sector_names
    close = suggest_sectors(names, text, everyday=EVERYDAY_INDUSTRIES)
    if not close:
        return "; list the codes with kil_io.datasets.uk_iot(year).sector_names"
    return f" (did you mean: {'; '.join(f'{c} ({names[c]})' for c in close)}?)"


def sic_industries() -> pd.DataFrame:
    """The SIC -> IOAT lookup: columns ``sic`` (2-4 digit code, text), ``ioat`` (industry code), ``name``.

    Returns
    -------
    DataFrame
        A fresh copy, sorted by ``sic``.
    """
    return _lookup(str(data_dir())).copy()


def ioat_for_sic(code: str) -> str:
    """The IOAT industry of a SIC 2007 code of 2 to 5 digits (dots allowed: ``"81.21"``).

    Parameters
    ----------
    code : str
        E.g. ``"81210"`` (a class), ``"8121"``, ``"56.10"`` or ``"85"`` (a division).

    Returns
    -------
    str
        An IOAT industry code of the UK table, e.g. ``"N81"``.

    Raises
    ------
    DatasetError
        Not 2-5 digits, a code no IOAT industry contains (e.g. 98, 99: households' own use,
        extraterritorial bodies), or a code too short to name one industry (``"10"``: food
        products are split into nine IOAT industries), naming the industries it spans.

    Examples
    --------
    >>> ioat_for_sic("81210")  # doctest: +SKIP
    'N81'
    """
    digits = str(code).strip().replace(".", "")
    if not _CODE.fullmatch(digits):
        raise DatasetError(f"SIC code {code!r} is not 2 to 5 digits (e.g. 81210 or 81.21)")
    lookup = _lookup(str(data_dir()))
    hits = lookup[[digits.startswith(s) for s in lookup["sic"]]]
    if len(hits) == 1:
        return str(hits["ioat"].iloc[0])
    inside = lookup[lookup["sic"].str.startswith(digits)]
    if len(set(inside["ioat"])) == 1:
        return str(inside["ioat"].iloc[0])
    if inside.empty:
        raise DatasetError(f"SIC code {code!r} is in no input-output industry (the UK tables leave out 98 and 99)")
    spans = ", ".join(dict.fromkeys(inside["ioat"]))
    raise DatasetError(f"SIC code {code!r} spans several input-output industries ({spans}); give the 4 or 5 digits")


@cache
def _lookup(folder: str) -> pd.DataFrame:
    path = Path(folder) / SIC_FILE
    if not path.is_file():
        raise DatasetError(f"{path}: dataset file missing; rebuild data/ with scripts/build_data.py")
    return pd.read_csv(path, dtype=str, keep_default_na=False)
