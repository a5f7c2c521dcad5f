"""The area vocabulary: every UK area kil_io knows, by name or code, and groups of them.

One resolver, :func:`area`, turns what a user writes (``"Calderdale"``, ``"E08000033"``, ``"bristol"``,
``"TLE4"``, ``"UKE4"``, ``"Harrogate"``, ``["Leeds", "Bradford"]``) into an :class:`Area`: its code,
name, kind, the 2023 codes of the local authorities it is made of, the areas it lies in, and notes
(e.g. that an old district is now part of a new authority). Every function of :mod:`kil_io.datasets`
that takes an area, the case files and the ``kil-io`` command use it, so they all accept the same things.

Kinds (``data/areas.csv``, written by ``scripts/build_area_data.py`` from ONS's lookups):

* ``local_authority``: the 361 UK local authority districts, unitary authorities, metropolitan and London
  boroughs and Scottish council areas, on 2023 codes (= 2025 codes); 350 in Great Britain;
* ``itl3``, ``itl2``, ``itl1``: ONS's International Territorial Levels, 2025 edition (182, 46, 12);
* ``nation``: England, Wales, Scotland, Northern Ireland, and Great Britain, England and Wales, United Kingdom;
* ``itl2_2021``: the ten ITL 2021 ITL2 regions that ITL 2025 replaced (kept: they have 5-digit BRES);
* ``combined_authority``: the mayoral combined (county) authorities and the Greater London Authority,
  with their member authorities as of May 2025 (codes ``ca:...``: the shipped lookups have no ONS codes);
* ``group``: a list of areas given by the user, as one area.

Former names and codes (districts merged in 2019-2023, codes changed since 2011) resolve to the
authority they became, with an :class:`~kil_io.errors.AreaWarning` and a note.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pandas as pd

from kil_io.datasets.files import data_dir
from kil_io.errors import AreaError, AreaWarning, ReaderError

AREAS_FILE = "areas.csv"
COLUMNS = ["code", "name", "kind", "itl3", "itl2", "itl1", "nation", "bres_itl2", "growth", "members",
           "successor", "aliases", "note"]  # fmt: skip
KINDS = ("local_authority", "itl3", "itl2", "itl1", "nation", "itl2_2021", "combined_authority")
#: Where one name means the same authorities twice (Leeds the district and Leeds the ITL3), the first
#: kind here is returned: a district before its region, ITL2 (which has 5-digit employment) before ITL3.
PRIORITY = ("local_authority", "nation", "itl1", "itl2", "itl2_2021", "itl3", "combined_authority", "group")
KIND_NAMES = {
    "local_authority": "local authority", "itl3": "ITL3 area", "itl2": "ITL2 region", "itl1": "ITL1 region",
    "nation": "nation", "itl2_2021": "ITL2 region (ITL 2021)", "combined_authority": "combined authority",
    "group": "group of areas",
}  # fmt: skip
#: Everyday names that ONS spells otherwise (names that mean two areas are left to "did you mean").
ALIASES = {
    "Hull": "Kingston upon Hull, City of", "BCP": "Bournemouth, Christchurch and Poole",
    "Anglesey": "Isle of Anglesey", "Western Isles": "Na h-Eileanan Siar", "Eilean Siar": "Na h-Eileanan Siar",
    "Orkney": "Orkney Islands", "Shetland": "Shetland Islands", "Rhondda Cynon Taff": "Rhondda Cynon Taf",
    "RCT": "Rhondda Cynon Taf", "Stoke": "Stoke-on-Trent", "Southend": "Southend-on-Sea",
    "Telford": "Telford and Wrekin", "Durham": "County Durham", "UK": "United Kingdom", "GB": "Great Britain",
    "Britain": "Great Britain", "East of England": "East (England)",
    "Newcastle": ("Newcastle upon Tyne", "Newcastle-under-Lyme"),
    "Kingston": ("Kingston upon Hull, City of", "Kingston upon Thames"),
}  # fmt: skip
NORTHERN_IRELAND = (
    "BRES, the employment survey behind local tables, covers Great Britain only (Northern Ireland's is NISRA's "
    "and is not shipped), so Northern Ireland's authorities have no local employment and no regional table"
)


@dataclass(frozen=True)
class Area:
    """An area: one local authority, a region made of authorities, or a group of them.

    Attributes
    ----------
    code : str
        ONS code (``"E08000033"``, ``"TLE44"``, ``"S92000003"``), ``"ca:..."`` for a combined authority, or
        for a group the member authorities' codes joined by ``"+"``.
    name : str
    kind : str
        One of :data:`KINDS` or ``"group"``.
    members : tuple of str
        The 2023 codes of the local authorities it is made of (itself, for an authority), sorted.
    parents : tuple of str
        Codes of the areas it lies in, smallest first (for an authority: ITL3, ITL2, ITL1, nation, and
        its combined authority if any).
    notes : tuple of str
        What a user should know (a former name resolved, a boundary change, approximate membership).
    bres_region : str
        For ITL2 regions with their own 5-digit BRES (the 30 unchanged since ITL 2021 and the ten
        ``itl2_2021`` ones): that region's NUTS 2016 code (``"UKE4"``); ``""`` otherwise.
    growth : str
        For a GB authority: the ITL 2021 area whose BRES section growth carries its 2016 employment to a
        later year (its ITL3 where unchanged since ITL 2021, else its ITL2 region); ``""`` otherwise.
    """

    code: str
    name: str
    kind: str
    members: tuple[str, ...]
    parents: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    bres_region: str = ""
    growth: str = ""

    @property
    def label(self) -> str:
        """``name (code, kind)`` for messages."""
        return f"{self.name} ({self.code}, {KIND_NAMES.get(self.kind, self.kind)})"

    @property
    def in_great_britain(self) -> bool:
        """Every member authority is in Great Britain (so BRES employment exists)."""
        return all(c[0] in "ESW" for c in self.members)


def area(area_or_list: str | Area | Sequence[str | Area], *, name: str | None = None) -> Area:
    """Resolve a name, a code, or a list of them (a group) to an :class:`Area`.

    Parameters
    ----------
    area_or_list : str, Area or sequence of them
        A name or code, case-insensitive and forgiving about punctuation (``"bristol"``,
        ``"Bristol, City of"``, ``"E06000023"``, ``"TLK51"``; ITL 2021 codes ``"TLE4"`` and their NUTS
        2016 form ``"UKE4"``; former names and codes such as ``"Harrogate"`` or ``"E07000165"``, which
        resolve to the authority they became). A list makes one area of several (each may itself be
        a region); none may repeat or overlap another.
    name : str, optional
        Name of the result (default: the area's name; for a group, its members' names).

    Returns
    -------
    Area

    Raises
    ------
    AreaError
        Unknown area (with the closest names and codes), a name that means different areas (lists
        them), an empty group, or a group with a repeated, unknown or overlapping member (named).

    Warns
    -----
    AreaWarning
        A former name or code: which authority is used instead, and since when.

    Examples
    --------
    >>> area("Bristol").code  # doctest: +SKIP
    'E06000023'
    >>> wy = area(["Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"], name="West Yorkshire")  # doctest: +SKIP
    >>> wy.members  # doctest: +SKIP
    ('E08000032', 'E08000033', 'E08000034', 'E08000035', 'E08000036')
    """
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise AreaError(f"name must be non-empty text, got {name!r}")
    if isinstance(area_or_list, Area):
        found = area_or_list
    elif isinstance(area_or_list, str):
        found = _resolve(_table(str(data_dir())), area_or_list)
    elif isinstance(area_or_list, Sequence):
        found = _group(list(area_or_list), name)
    else:
        raise AreaError(f"an area is a name or code (text) or a list of them, got {area_or_list!r}")
    return replace(found, name=name.strip()) if name is not None else found


# ---------------------------------------------------------------------------------------------- internals
@dataclass(frozen=True)
class _Table:
    frame: pd.DataFrame
    by_code: dict[str, Area]  # current areas by upper-case code
    by_key: dict[str, tuple[str, ...]]  # normalised name -> codes of current areas
    by_alias: dict[str, tuple[str, ...]]  # normalised alias -> codes of current areas
    former: dict[str, tuple[str, str]]  # former code or normalised former name -> (successor code, note)


def _key(text: str) -> str:
    """Normalised name: case, '&' / 'and', punctuation and spacing do not matter."""
    text = text.casefold().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


#: How councils call themselves around their area's name ("Leeds City Council", "Royal Borough of
#: Greenwich", "Calderdale MBC"): tried, longest first, when a name is not found as given.
_COUNCIL_PREFIXES = ("royal borough of", "london borough of", "metropolitan borough of", "county borough of",
                     "city and county of", "borough of", "city of", "county of", "council of the", "the")  # fmt: skip
_COUNCIL_SUFFIXES = ("metropolitan borough council", "metropolitan district council", "county borough council",
                     "borough council", "district council", "county council", "city council", "council", "mbc",
                     "mdc", "cbc", "bc", "dc", "cc", "district")  # fmt: skip


def _council_forms(key: str) -> list[str]:
    """A normalised name without a council's words around it: 'leeds city council' -> ['leeds city', 'leeds']."""
    out = []
    suffix = next((s for s in _COUNCIL_SUFFIXES if key.endswith(" " + s)), None)
    prefix = next((p for p in _COUNCIL_PREFIXES if key.startswith(p + " ")), None)
    bare = key.removesuffix(" " + suffix) if suffix else key
    if suffix:
        out.append(bare)
        if suffix == "city council":
            out.append(bare + " city")  # Glasgow City Council is Glasgow City
    if prefix:
        out += [key.removeprefix(prefix + " "), bare.removeprefix(prefix + " ")]
    return list(dict.fromkeys(k for k in out if k and k != key))


def _generated_aliases(name: str) -> list[str]:
    """'Bristol, City of' -> 'Bristol', 'City of Bristol', 'Bristol City'; 'Glasgow City' -> 'Glasgow'; ..."""
    out = []
    for suffix in (", City of", ", County of"):
        if name.endswith(suffix):
            base = name.removesuffix(suffix)
            out += [base, f"{suffix[2:]} {base}", f"{base} {suffix[2:].split()[0]}"]
    if name.startswith("City of ") and name != "City of London":
        out.append(name.removeprefix("City of "))
    if name.endswith(" City"):
        out.append(name.removesuffix(" City"))
    if name.endswith(" (England)"):
        out.append(name.removesuffix(" (England)"))
    if name.endswith(" Combined Authority") or name.endswith(" Combined County Authority"):
        out.append(re.sub(r" (Mayoral )?Combined (County )?Authority$", "", name))
    return out


@cache
def _table(folder: str) -> _Table:
    path = Path(folder) / AREAS_FILE
    if not path.is_file():
        raise AreaError(f"{path}: dataset file missing; rebuild data/ with scripts/build_data.py")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) != COLUMNS:
        raise ReaderError(f"{path}: columns {list(frame.columns)}, expected {COLUMNS}")
    current = frame[frame["kind"] != "former_local_authority"]
    if current["code"].str.upper().duplicated().any():
        raise ReaderError(f"{path}: repeated codes {sorted(current['code'][current['code'].duplicated()])}")
    lads = current[current["kind"] == "local_authority"]
    members: dict[str, list[str]] = {}
    for r in lads.itertuples(index=False):
        for parent in (r.itl3, r.itl2, r.itl1, r.nation):
            members.setdefault(parent, []).append(r.code)
    combined: dict[str, list[str]] = {}
    for r in current[current["kind"] == "combined_authority"].itertuples(index=False):
        for code in r.members.split():
            combined.setdefault(code, []).append(r.code)
    by_code: dict[str, Area] = {}
    codes: tuple[str, ...]
    parents: tuple[str, ...]
    for r in current.itertuples(index=False):
        if r.kind == "local_authority":
            codes = (r.code,)
            parents = (r.itl3, r.itl2, r.itl1, r.nation, *combined.get(r.code, ()))
        elif r.members:
            codes = tuple(sorted(_expand(r.members, lads["code"])))
            parents = tuple(p for p in (r.itl1, r.nation) if p)
        else:
            codes = tuple(sorted(members.get(r.code, ())))
            parents = tuple(p for p in (r.itl2, r.itl1, r.nation) if p)
        if not codes:
            raise ReaderError(f"{path}: area {r.code} ({r.name}) has no local authorities")
        notes = (r.note,) if r.note else ()
        by_code[r.code.upper()] = Area(code=r.code, name=r.name, kind=r.kind, members=codes, parents=parents,
                                       notes=notes, bres_region=r.bres_itl2 if r.kind != "local_authority" else "",
                                       growth=r.growth)  # fmt: skip
    by_key: dict[str, set[str]] = {}
    for a in by_code.values():
        by_key.setdefault(_key(a.name), set()).add(a.code)
    generated: dict[str, set[str]] = {}
    for a in by_code.values():
        extra = _generated_aliases(a.name) + [
            s for s in frame.loc[frame["code"] == a.code, "aliases"].iloc[0].split("|") if s
        ]
        for alias in extra:
            generated.setdefault(_key(alias), set()).add(a.code)
    by_name: dict[str, str] = {}
    for a in by_code.values():
        by_name.setdefault(a.name, a.code)
    for alias, target in ALIASES.items():
        targets = (target,) if isinstance(target, str) else target
        generated.setdefault(_key(alias), set()).update(by_name[t] for t in targets if t in by_name)
    former: dict[str, tuple[str, str]] = {}
    for r in frame[frame["kind"] == "former_local_authority"].itertuples(index=False):
        former[r.code.upper()] = (r.successor, r.note)
        if _key(r.name) not in by_key and _key(r.name) not in generated:
            former.setdefault(_key(r.name), (r.successor, r.note))
    return _Table(frame=frame, by_code=by_code, by_key={k: tuple(sorted(v)) for k, v in by_key.items()},
                  by_alias={k: tuple(sorted(v)) for k, v in generated.items() if v}, former=former)  # fmt: skip


def _expand(members: str, authorities: pd.Series) -> set[str]:
    """Space-separated codes, where ``E*`` means every authority whose code starts with E."""
    out = set()
    for item in members.split():
        out |= {c for c in authorities if c.startswith(item[:-1])} if item.endswith("*") else {item}
    return out


def _parent_levels(table: _Table, a: Area) -> tuple[str, str, str, str]:
    if a.kind == "local_authority":
        itl3, itl2, itl1, nation = a.parents[:4]  # then any combined authorities
        return itl3, itl2, itl1, nation
    levels = {"itl3": "", "itl2": "", "itl1": "", "nation": ""}
    for p in a.parents:
        parent = table.by_code.get(p.upper())
        if parent is not None and parent.kind in levels:
            levels[parent.kind] = parent.code
    return levels["itl3"], levels["itl2"], levels["itl1"], levels["nation"]


def _resolve(table: _Table, text: str) -> Area:
    given = text.strip()
    if not given:
        raise AreaError("an area name or code is empty")
    code = given.upper()
    if code in table.by_code:
        return table.by_code[code]
    if re.fullmatch(r"UK[C-N]\d", code) and "TL" + code[2:] in table.by_code:  # NUTS 2016 / ITL 2021 code form
        return table.by_code["TL" + code[2:]]
    key = _key(given)
    hits = [table.by_code[c.upper()] for c in table.by_key.get(key, ())]
    aliased = [table.by_code[c.upper()] for c in table.by_alias.get(key, ())]
    # a real name wins over an alias, but an alias for the same authorities may take precedence by kind
    hits += [a for a in aliased if not hits or a.members in {h.members for h in hits}]
    if hits:
        distinct: dict[tuple[str, ...], Area] = {}
        for a in sorted(hits, key=lambda a: PRIORITY.index(a.kind)):
            distinct.setdefault(a.members, a)  # the same authorities twice: the first kind of PRIORITY
        if len(distinct) == 1:
            return next(iter(distinct.values()))
        listed = "; ".join(a.label for a in distinct.values())
        raise AreaError(
            f"area {text!r} is ambiguous: it names {len(distinct)} different areas: {listed}; give the code"
        )
    successor = table.former.get(code) or table.former.get(key)
    if successor is None:  # "Leeds City Council", "Royal Borough of Greenwich": a council is one local authority
        councils = {table.by_code[c.upper()].code: table.by_code[c.upper()] for k in _council_forms(key)
                    for c in (*table.by_key.get(k, ()), *table.by_alias.get(k, ()))
                    if table.by_code[c.upper()].kind == "local_authority"}  # fmt: skip
        if len(councils) == 1:
            return next(iter(councils.values()))
        successor = next((table.former[k] for k in _council_forms(key) if k in table.former), None)
    if successor is not None:
        new, note = successor
        found = table.by_code[new.upper()]
        warnings.warn(f"area {text!r}: {note}; using {found.label}", AreaWarning, stacklevel=3)
        return replace(found, notes=(*found.notes, f"given as {text!r}: {note}"))
    raise AreaError(f"unknown area {text!r}{_did_you_mean(table, given)}; list areas with kil_io.datasets.areas() "
                    "or `kil-io areas TEXT`")  # fmt: skip


def _did_you_mean(table: _Table, given: str) -> str:
    key = _key(given)
    known = {**table.by_alias, **table.by_key}
    keys = list(known)
    close = [k for k in _council_forms(key) if k in known]  # Kent County Council: Kent, the ITL area
    close += difflib.get_close_matches(key, keys, n=5, cutoff=0.75)
    close += [k for k in keys if key and len(key) >= 4 and key in k and k not in close][: 5 - len(close)]
    codes = difflib.get_close_matches(given.upper(), list(table.by_code), n=3, cutoff=0.8)
    found = [table.by_code[c.upper()] for k in close for c in known[k]]
    found += [table.by_code[c] for c in codes]
    best: dict[tuple[str, tuple[str, ...]], Area] = {}
    for a in found:  # one suggestion per place: Leeds the district, not also Leeds the ITL3
        key_ = (a.name, a.members)
        if key_ not in best or PRIORITY.index(a.kind) < PRIORITY.index(best[key_].kind):
            best[key_] = a
    labels = list(dict.fromkeys(a.label for a in best.values()))[:6]
    return f" (did you mean: {'; '.join(labels)}?)" if labels else ""


def _group(items: list[str | Area], name: str | None) -> Area:
    if not items:
        raise AreaError("a group of areas needs at least one area")
    seen: dict[str, str] = {}
    parts = []
    for item in items:
        text = item.code if isinstance(item, Area) else item
        if not isinstance(text, str):
            raise AreaError(f"group member {item!r} is not an area name or code")
        if text.strip().casefold() in seen:
            raise AreaError(f"group member {text!r} is given twice")
        try:
            part = area(item)
        except AreaError as exc:
            raise AreaError(f"group member {text!r}: {exc}") from None
        for code in part.members:
            if code in seen:
                raise AreaError(
                    f"group member {text!r} overlaps {seen[code]!r}: both contain authority {code}; "
                    "each authority may be in a group once"
                )
            seen[code] = text
        seen[text.strip().casefold()] = text
        parts.append(part)
    if len(parts) == 1:
        return parts[0]
    members = tuple(sorted(c for p in parts for c in p.members))
    default = " + ".join(p.name for p in parts) if len(parts) <= 3 else f"{parts[0].name} + {len(parts) - 1} more"
    notes = [n for p in parts for n in p.notes if n.startswith("given as")]
    same = [a for a in _table(str(data_dir())).by_code.values() if a.members == members]
    if same:
        notes.append(f"the same authorities as {min(same, key=lambda a: PRIORITY.index(a.kind)).label}")
    return Area(code="+".join(members), name=name or default, kind="group", members=members,
                notes=(f"group of {', '.join(p.name for p in parts)}", *notes))  # fmt: skip
