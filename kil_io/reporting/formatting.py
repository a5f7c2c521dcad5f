"""How figures are written for readers: the one place that says how many digits a user sees.

Money to the £k (under £1m) or the £0.1m; FTE whole, or to 1 dp under 100; ratios to 2 dp;
shares as whole percentages. A missing value is said in words ("not available"), never
``NaN``. Headline keys get their labels from :data:`LABELS`; a key it does not know is shown
as it is (the templates' keys already carry their unit, e.g. ``"Local jobs (FTE)"``).

Examples
--------
>>> money(5_600_000)
'£5.6m'
>>> money(48_250)
'£48k'
>>> fte(301.46)
'301 FTE'
>>> ratio(2.4349)
'2.43'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

Kind = Literal["money", "money_m", "fte", "ratio", "share", "count"]

MISSING = "not available"


def _missing(value: object) -> bool:
    if value is None or isinstance(value, bool):
        return True
    try:
        return not math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def money(value: float | None, *, unit: Literal["£", "£m"] = "£") -> str:
    """Pounds for readers: ``£480`` under £1k, ``£48k`` under £1m, ``£5.6m`` from £1m (``unit``: of ``value``)."""
    if _missing(value):
        return MISSING
    pounds = float(value) * (1e6 if unit == "£m" else 1.0)  # type: ignore[arg-type]
    sign, pounds = ("-" if pounds < 0 else ""), abs(pounds)
    if round(pounds, -5) >= 1e6:  # £999,960 reads as £1.0m, not £1,000k
        return f"{sign}£{pounds / 1e6:,.1f}m"
    if pounds >= 1e3:
        return f"{sign}£{pounds / 1e3:,.0f}k"
    return f"{sign}£{pounds:,.0f}"


def fte(value: float | None, *, unit: bool = True, like: float | None = None) -> str:
    """Full-time-equivalent jobs: whole from 10, to 1 dp below (``6.9 FTE``).

    ``like``: take the precision of this figure instead (a range's ends are written as its
    central value is, so ``96 FTE (62–109)``, never ``96 FTE (62.1–109)``).
    """
    if _missing(value):
        return MISSING
    v = float(value)  # type: ignore[arg-type]
    whole = abs(float(like) if like is not None and not _missing(like) else v) >= 10
    text = f"{v:,.0f}" if whole else f"{v:,.1f}"
    return f"{text} FTE" if unit else text


def ratio(value: float | None) -> str:
    """A ratio (multiplier, LM3, £ per £1) to 2 dp."""
    if _missing(value):
        return MISSING
    return f"{float(value):,.2f}"  # type: ignore[arg-type]


def share(value: float | None) -> str:
    """A fraction as a whole percentage (``0.9`` -> ``90%``)."""
    if _missing(value):
        return MISSING
    return f"{float(value) * 100:.0f}%"  # type: ignore[arg-type]


def count(value: float | None) -> str:
    """A whole number with thousands separated."""
    if _missing(value):
        return MISSING
    return f"{float(value):,.0f}"  # type: ignore[arg-type]


def place(name: str) -> str:
    """An area's name as a sentence says it: ONS's ``"Bristol, City of"`` -> ``"City of Bristol"``.

    ONS lists a few authorities with their status after a comma (``"Kingston upon Hull, City of"``,
    ``"Herefordshire, County of"``); every other name is returned as it is.
    """
    head, sep, tail = name.rpartition(", ")
    if sep and tail in ("City of", "County of"):
        return f"{tail} {head}"
    return name


def number(value: float | None, kind: Kind) -> str:
    """Format ``value`` as ``kind`` (``money`` in £, ``money_m`` in £m, ``fte``, ``ratio``, ``share``, ``count``)."""
    if kind == "money":
        return money(value)
    if kind == "money_m":
        return money(value, unit="£m")
    if kind == "fte":
        return fte(value)
    if kind == "ratio":
        return ratio(value)
    if kind == "share":
        return share(value)
    if kind == "count":
        return count(value)
    raise ValueError(f"unknown kind of figure {kind!r}; expected money, money_m, fte, ratio, share or count")


#: Excel number formats of the same rules (openpyxl ``number_format``); £m figures take :func:`excel_format`'s
#: size-fitted format.
EXCEL_FORMATS: dict[Kind, str] = {
    "money": '"£"#,##0',
    "money_m": '"£"#,##0.0"m"',
    "fte": "#,##0.0",
    "ratio": "0.00",
    "share": "0%",
    "count": "#,##0",
}

#: The one unit -> kind-of-number registry: every figure that carries a unit is written by it (page,
#: brief, workbook, index page, command line). A unit it does not know is an error, never a guess.
UNITS: dict[str, Kind] = {
    "£": "money",
    "£m": "money_m",
    "FTE": "fte",
    "share": "share",
    "£ per £1": "ratio",
    "£ per £1 of income": "ratio",
    "ratio": "ratio",
    "": "ratio",
    "count": "count",
}


def kind_of(unit: str) -> Kind:
    """The kind of number of a unit (:data:`UNITS`); ``ValueError`` naming the unit for one it does not know."""
    kind = UNITS.get(str(unit).strip())
    if kind is None:
        raise ValueError(f"no number format for the unit {unit!r}; known: {sorted(UNITS)}")
    return kind


def of(value: float | None, unit: str) -> str:
    """``value`` written by its unit (:data:`UNITS`): ``of(0.433, "£m")`` -> ``"£433k"``."""
    return number(value, kind_of(unit))


def excel_format(unit: str, value: float | None = None) -> str:
    """The Excel number format of a unit; £m figures to the £k: 3 decimals under £1m, 2 under £10m, else 1.

    Examples
    --------
    >>> excel_format("£m", 0.433)
    '"£"#,##0.000"m"'
    """
    kind = kind_of(unit)
    if kind == "money_m" and value is not None and not _missing(value):
        v = abs(float(value))
        return '"£"#,##0.000"m"' if v < 1 else '"£"#,##0.00"m"' if v < 10 else '"£"#,##0.0"m"'
    return EXCEL_FORMATS[kind]


@dataclass(frozen=True)
class Label:
    """How a headline key reads: its label, the kind of number, and whether it is gross or net."""

    text: str
    kind: Kind
    basis: Literal["gross", "net", ""] = ""
    estimate: bool = True  # False: an input repeated in the headline, or a figure with no range (see why)
    why: str = ""  # why a figure has no range, e.g. "exact: ONS's published table"


def label_with_basis(label: Label) -> str:
    """``"Local jobs supported (gross)"``; a label that already says its basis ("Net additional ...") is kept."""
    said = label.basis and label.basis in label.text.casefold()
    return label.text + (f" ({label.basis})" if label.basis and not said else "")


#: Key of ``headline.json`` that names the kil_io version which computed the figures (not a figure).
VERSION_KEY = "kil_io"

#: Labels of headline keys (``headline.json``). Templates key by a label that carries the unit;
#: net figures (additionality applied) carry "net" in the key. One table, used by the brief,
#: the workbook and the index page.
LABELS: dict[str, Label] = {
    "fte": Label("Local jobs supported", "fte", "gross"),
    "gva_m": Label("Local GVA", "money_m", "gross"),
    "output_m": Label("Local output", "money_m", "gross"),
    "lm3": Label("LM3 (£ per £1 of income)", "ratio"),
    "net_fte": Label("Net local jobs supported", "fte", "net"),
    "net_gva_m": Label("Net local GVA", "money_m", "net"),
    "Local jobs (FTE)": Label("Local jobs supported", "fte", "gross"),
    "Local GVA (£m)": Label("Local GVA", "money_m", "gross"),
    "Net local jobs (FTE)": Label("Net local jobs supported", "fte", "net"),
    "Net local GVA (£m)": Label("Net local GVA", "money_m", "net"),
    "Net additional local jobs (FTE)": Label("Net additional local jobs supported", "fte", "net"),
    "Net additional local GVA (£m)": Label("Net additional local GVA", "money_m", "net"),
    "Local income (£m)": Label("Local income (pay and surplus kept in the area)", "money_m", "gross"),
    "LM3 (£ per £1 of income)": Label("LM3 (£ per £1 of income)", "ratio"),
    "Contract value (£)": Label("Contract value", "money", estimate=False),
    "Extra local jobs with the local provider (FTE)": Label("Extra local jobs with the local provider", "fte", "gross"),
    "Extra local GVA with the local provider (£m)": Label(
        "Extra local GVA with the local provider", "money_m", "gross"
    ),
    "Extra local income with the local provider (£m)": Label(
        "Extra local income with the local provider", "money_m", "gross"
    ),
    "Extra net additional local jobs (FTE)": Label("Extra net additional local jobs", "fte", "net"),
    "LM3 difference (£ per £1)": Label("LM3 difference (£ per £1)", "ratio"),
}

_UNIT_IN_KEY = re.compile(r"\(([^()]*)\)\s*$")


def label_for(key: str, units: Mapping[str, str] | None = None) -> Label:
    """The :class:`Label` of a headline key: from :data:`LABELS`, else read from the key's unit.

    A key not in :data:`LABELS` keeps its text; its kind follows ``units[key]`` or the unit in
    brackets at its end (``(FTE)``, ``(£m)``, ``(£)``; anything else is a ratio), and it is
    net when the key says so.
    """
    if key in LABELS:
        return LABELS[key]
    unit = (units or {}).get(key)
    found = _UNIT_IN_KEY.search(key)
    if unit is None and found:
        unit = found.group(1)
    text = _UNIT_IN_KEY.sub("", key).strip() if found else key.replace("_", " ")
    # a key's own unit reads through the one registry, case-blind; a unit it does not know (a template's
    # "(FTE per £1m)", "(ratio)") is a ratio, written to 2 dp
    known = {u.casefold(): k for u, k in UNITS.items()}
    kind = known.get(str(unit).strip().casefold(), "ratio") if unit is not None else "ratio"
    if kind == "money" and re.search(r"per £1\b", key):  # "GVA per £1 (£)": pounds per pound, a ratio
        kind = "ratio"
    basis: Literal["gross", "net", ""] = "net" if re.search(r"\bnet\b", key, re.IGNORECASE) else ""
    return Label(text, kind, basis)


def headline_figures(headline: Mapping[str, Any]) -> list[tuple[str, Label, float | None, dict[str, Any] | None]]:
    """Every figure of a ``headline.json``: ``(key, label, central value, range or None)``.

    ``units`` and ``ranges`` are read, not shown as figures, and ``kil_io`` (the version) is skipped; a range is
    ``{"low", "high", "median", "level", "draws"}`` (issue 12's contract), or ``{"none": why}``
    for a figure that has no range by nature (its label then has ``estimate=False`` and ``why``).
    """
    units = headline.get("units") if isinstance(headline.get("units"), Mapping) else {}
    ranges = headline.get("ranges") if isinstance(headline.get("ranges"), Mapping) else {}
    out = []
    for key, value in headline.items():
        if key in ("units", "ranges", VERSION_KEY):
            continue
        if isinstance(value, Mapping) and "value" in value:
            value = value["value"]
        central = None if _missing(value) else float(value)
        found = ranges.get(key) if isinstance(ranges, Mapping) else None
        spread = found if isinstance(found, Mapping) else None
        label = label_for(key, units)
        if spread and "none" in spread:
            label, spread = replace(label, estimate=False, why=str(spread["none"])), None
        out.append((key, label, central, dict(spread) if spread else None))
    return out


def range_text(spread: Mapping[str, Any] | None, kind: Kind, central: float | None = None) -> str:
    """``"160–245, 90% range"``, or ``"range not yet estimated"`` when there is none.

    ``central``: the figure the range belongs to; FTE ends are then written to its precision, or to
    1 dp where that would write both ends alike.
    """
    if not spread or _missing(spread.get("low")) or _missing(spread.get("high")):
        return "range not yet estimated"
    level = spread.get("level")
    level_text = f"{float(level) * 100:.0f}% range" if level is not None and not _missing(level) else "range"
    low, high = float(spread["low"]), float(spread["high"])
    if kind == "fte":
        like = central if central is not None else max(abs(low), abs(high))
        ends = fte(low, unit=False, like=like), fte(high, unit=False, like=like)
        if ends[0] == ends[1] and low != high:  # a narrow range keeps its width: 19.8–20.3, never 20–20
            ends = fte(low, unit=False, like=1.0), fte(high, unit=False, like=1.0)
        return f"{ends[0]}–{ends[1]}, {level_text}"
    return f"{number(low, kind)}–{number(high, kind)}, {level_text}"


def figure_with_range(value: float | None, spread: Mapping[str, Any] | None, kind: Kind) -> str:
    """``"202 FTE (160–245, 90% range)"`` or ``"202 FTE (range not yet estimated)"``."""
    return f"{number(value, kind)} ({range_text(spread, kind, value)})"
