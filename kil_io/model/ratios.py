"""Ratio multipliers and the frame of :func:`kil_io.model.multipliers.multipliers`: columns, NaN rules, notes.

Effects (totals per unit of final demand) become a frame of :data:`COLUMNS` here, with each ratio
multiplier (total / direct) shown only where its direct coefficient is large enough to divide by:
ONS publishes ``..`` for the others, and so does kil_io (NaN, never ``inf``). The notes say which
sectors are NaN and why, once per table or batch. The maths of the effects is in
:mod:`kil_io.model.multipliers`, which re-exports every public name of this module.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kil_io.errors import KilIOWarning, NegativeFlowWarning, ZeroOutputWarning

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kil_io.model.table import IOTable

    FloatArray = NDArray[np.float64]

#: Measures in the order every internal (4, n) array uses, with their units.
MEASURES: tuple[str, ...] = ("output", "gva", "income", "employment")
UNITS: dict[str, str] = {"output": "£m", "gva": "£m", "income": "£m", "employment": "FTE"}
#: Columns of :func:`kil_io.model.multipliers.multipliers`, in order.
COLUMNS: tuple[str, ...] = (
    "output_multiplier",
    "gva_effect",
    "gva_multiplier",
    "income_effect",
    "income_multiplier",
    "employment_effect",
    "employment_multiplier",
)

#: A ratio multiplier (total / direct) is NaN where its direct coefficient is below this share of the
#: national average (the measure's total per unit of total output in the national table), or negative:
#: ONS publishes ".." for such ratios ("unrealistically high ... due to very small direct input
#: requirements per unit of output in the denominator", UK IOATs 2019, Multipliers sheet notes). 2% leaves
#: every GVA and pay multiplier ONS published for 2019 (the smallest direct coefficient it divides by is
#: 2.4% of its average) and removes 2022's C104 GVA ratio (direct GVA 1.4% of the average: Type I 50,
#: Type II 97). A regionalised table is held to the nation's averages, not its own: its industries have
#: the nation's direct coefficients, and an area whose own average is low (New Forest, with a refinery's
#: low GVA per £ of output) would otherwise show a ratio the nation blanks (C104's GVA multiplier, 28.4).
RATIO_MIN_SHARE = 0.02

_COLUMN_INDEX = pd.Index(COLUMNS)  # data shared by every frame; each gets a view (its own name)


def ratio_floor(direct: FloatArray, output: FloatArray) -> FloatArray:
    """Smallest direct coefficient a ratio multiplier is shown for: :data:`RATIO_MIN_SHARE` of the average.

    Parameters
    ----------
    direct : ndarray, shape (..., 4, n)
        Direct coefficients in :data:`MEASURES` order: output, GVA and income [£ per £1],
        employment [FTE per £1m].
    output : ndarray, shape (..., n)
        Output by sector [£m].

    Returns
    -------
    ndarray, shape (..., 4)
        For each measure, :data:`RATIO_MIN_SHARE` times the table's total of the measure per
        unit of total output, in the unit of ``direct`` [£ per £1] or [FTE per £1m].
    """
    total = np.einsum("...kn,...n->...k", np.nan_to_num(direct), output)
    return RATIO_MIN_SHARE * total / np.sum(output, axis=-1)[..., None]


def table_floor(table: IOTable, direct: FloatArray) -> FloatArray:
    """The ratio floor of a table: the nation's it was regionalised from (``metadata["ratio_floor"]``), else its own.

    Returns
    -------
    ndarray, shape (4,)
        As :func:`ratio_floor` [£ per £1] or [FTE per £1m].
    """
    given = table.metadata.get("ratio_floor")
    if given is not None:
        return np.asarray(given, dtype=np.float64)
    return ratio_floor(direct, table.output)


def effects_frame(
    total: FloatArray, direct: FloatArray, index: pd.Index, floor: FloatArray | None = None
) -> pd.DataFrame:
    """Assemble effects and ratio multipliers, shape (4, m) each, into a :data:`COLUMNS` frame.

    A column whose direct output coefficient is 0 is a sector with zero output: all its
    values are NaN. A ratio whose direct coefficient is 0 is NaN (never ``inf``), and so is
    one whose direct coefficient is negative or below ``floor`` (shape (4,) or (4, m), from
    :func:`ratio_floor`): a total divided by almost nothing is noise, not a multiplier.

    Parameters
    ----------
    total : ndarray, shape (4, m)
        Effects per unit of final demand in :data:`MEASURES` order: output, GVA and income
        [£ per £1], employment [FTE per £1m].
    direct : ndarray, shape (4, m)
        Direct coefficients, in the units of ``total`` [£ per £1] or [FTE per £1m].
    index : Index
        The rows of the frame (sectors, or (area, sector)).
    floor : ndarray, shape (4,) or (4, m), optional
        Smallest direct coefficient a ratio is shown for, in the units of ``direct``.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`: ``output_multiplier``, ``gva_effect`` and ``income_effect``
        [£ per £1], ``employment_effect`` [FTE per £1m], and the ``*_multiplier`` ratios
        [ratio].
    """
    ratio = np.full_like(total, np.nan)
    shown = direct > 0
    if floor is not None:
        shown &= direct >= (floor[:, None] if floor.ndim == 1 else floor)
    np.divide(total, direct, out=ratio, where=shown)
    total = np.where(direct[0] == 0, np.nan, total)
    ratio[:, direct[0] == 0] = np.nan
    # one (m, 7) block in COLUMNS order: a single allocation instead of seven columns
    values = np.stack([total[0], total[1], ratio[1], total[2], ratio[2], total[3], ratio[3]], axis=1)
    return pd.DataFrame(values, index=index, columns=_COLUMN_INDEX.view(), copy=False)


def warn_missing(
    label: str,
    direct: FloatArray,
    zero_output: NDArray[np.bool_],
    names: Sequence[str],
    *,
    has_employment: bool,
    rows: int = 1,
    stacklevel: int = 3,
    floor: FloatArray | None = None,
    outside: NDArray[np.bool_] | None = None,
    outside_text: str = "",
) -> None:
    """Warn once about NaN results: no employment, zero output, zero or tiny direct GVA/income/FTE.

    ``names`` are the sector codes of the columns; with ``rows > 1`` (stacked regions or
    deltas) each sector is named once with the number of rows it is NaN in. ``direct`` and
    ``floor``, ``outside`` and ``outside_text`` as in :func:`missing_notes` ([£ per £1] for money measures,
    [FTE per £1m] for jobs).
    """
    notes = missing_notes(label, direct, zero_output, names, has_employment=has_employment, rows=rows, floor=floor,
                          outside=outside, outside_text=outside_text)  # fmt: skip
    for message, category in notes:
        warnings.warn(message, category, stacklevel=stacklevel)


def missing_notes(
    label: str,
    direct: FloatArray,
    zero_output: NDArray[np.bool_],
    names: Sequence[str],
    *,
    has_employment: bool,
    rows: int = 1,
    floor: FloatArray | None = None,
    outside: NDArray[np.bool_] | None = None,
    outside_text: str = "",
) -> tuple[tuple[str, type[Warning]], ...]:
    """The (message, category) pairs :func:`warn_missing` warns with; empty when nothing is NaN.

    Parameters
    ----------
    label : str
        The table, for messages.
    direct : ndarray, shape (4, m)
        Direct coefficients in :data:`MEASURES` order: output, GVA and income [£ per £1],
        employment [FTE per £1m].
    zero_output : ndarray of bool, shape (m,)
        Columns with zero output.
    names : sequence of str
        Sector code of each column.
    has_employment : bool
        Whether the table has employment (else the employment columns are NaN by design).
    rows : int
        Stacked tables (regions, deltas) the ``m`` columns come from.
    floor : ndarray, shape (4,) or (4, m), optional
        As in :func:`effects_frame`, in the units of ``direct``.
    outside : ndarray of bool, shape (m,), optional
        Columns outside the Leontief system (a negative input, :mod:`kil_io.model.negative`): all NaN,
        said by ``outside_text`` (then the note's first part, and its category
        :class:`~kil_io.errors.NegativeFlowWarning`, a ``ZeroOutputWarning``), not by the parts below.
    outside_text : str
        Which sectors are outside and why (:func:`kil_io.model.negative.outside_note`).

    Returns
    -------
    tuple of (str, type)
        Each message with its warning category.
    """
    notes: list[tuple[str, type[Warning]]] = []
    if not has_employment:
        notes.append(
            (f"table {label} has no employment: employment_effect and employment_multiplier are NaN", KilIOWarning)
        )
    measured = slice(1, 4 if has_employment else 3)
    small = (direct < 0) if floor is None else (direct < (floor[:, None] if floor.ndim == 1 else floor))
    small &= direct != 0
    if outside is not None:  # their own note says why they are NaN
        small &= ~outside
        direct = np.where(outside, 1.0, direct)
    if not (outside_text or zero_output.any() or (direct[measured] == 0).any() or small[measured].any()):
        return tuple(notes)
    codes: NDArray[np.object_] = np.asarray(names, dtype=object)
    parts = [outside_text] if outside_text else []
    if zero_output.any():
        parts.append(f"zero output in {_listing(codes[zero_output], rows)} (all values NaN)")
    for k, measure in enumerate(MEASURES[1:], start=1):
        if measure == "employment" and not has_employment:
            continue
        none = (direct[k] == 0) & ~zero_output
        if none.any():
            parts.append(f"zero direct {measure} in {_listing(codes[none], rows)} ({measure}_multiplier NaN)")
        tiny = small[k] & ~zero_output
        if tiny.any():
            parts.append(
                f"direct {measure} negative or below {RATIO_MIN_SHARE:.0%} of the table's average in "
                f"{_listing(codes[tiny], rows)} ({measure}_multiplier NaN, as ONS's '..'; the effect is kept)"
            )
    if parts:
        notes.append(
            (f"table {label}: " + "; ".join(parts), NegativeFlowWarning if outside_text else ZeroOutputWarning)
        )
    return tuple(notes)


def _listing(names: NDArray[np.object_], rows: int = 1, most: int = 12) -> str:
    if rows == 1:  # one table: each sector is named once already
        shown = [str(c) for c in names]
    else:
        counts = Counter(str(c) for c in names)  # first-seen order
        shown = [f"{c} ({k} of {rows})" for c, k in counts.items()]
    text = str(shown[:most]).replace('"', "'")
    return text if len(shown) <= most else f"{text[:-1]} and {len(shown) - most} more]"
