r"""Negative intermediate flows: a sector left out of the Leontief system, as ONS does.

ONS's 2023 industry-by-industry table shows owner-occupiers' housing (``L68A``) buying
-£20,771m of financial services (``K64``): a negative intermediate use. ONS keeps ``L68A`` in
its ``IOT`` and ``A`` sheets and leaves it out of its ``Leontief``, ``Effects`` and
``Multipliers`` sheets ("negative intermediate use values create unrealistic interdependencies
in the supply chain", note 4 of the workbook's Menu sheet): its Leontief inverse is that of
the table without ``L68A``'s row and column.

kil_io's rule, ``negative_flows="exclude"`` (the default of :class:`~kil_io.model.table.IOTable`
and of the readers):

- a sector whose column of ``Z`` holds a negative cell (a buyer with a negative input) is
  *outside* the Leontief system; it stays in the table (its flows, output, GVA and jobs are
  kept and balance as published);
- the system is built from ``Z`` with the outside sectors' rows and columns set to zero. Its
  inverse is block diagonal: the block of the other sectors is :math:`(I - A_{KK})^{-1}`, the
  inverse of the table without the outside sectors (ONS's), so their multipliers are ONS's; the
  outside block is the identity: demand for an outside sector is met by its own output, and no
  other sector's supply chain runs through it. Every solve (impacts, Type II closure, regional
  tables, the batched and simulated paths) uses this system;
- an outside sector's multipliers and effects are NaN (ONS's ``..``), with a
  :class:`~kil_io.errors.NegativeFlowWarning` naming the cell.

``negative_flows="raise"`` refuses such a table with a
:class:`~kil_io.errors.NegativeFlowError` naming the cell (the strict mode).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from kil_io.errors import TableError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]

NegativeFlows = Literal["exclude", "raise"]
NEGATIVE_FLOWS: tuple[NegativeFlows, ...] = ("exclude", "raise")


def check_negative_flows(option: object, what: str = "negative_flows") -> NegativeFlows:
    """Return ``option`` if it is ``"exclude"`` or ``"raise"``, else raise ``TableError`` naming ``what``."""
    if option not in NEGATIVE_FLOWS:
        raise TableError(f"{what} must be one of {list(NEGATIVE_FLOWS)}, got {option!r}")
    return option


def outside_system(M: FloatArray) -> NDArray[np.bool_]:
    """Sectors outside the Leontief system: the buyers (columns) with a negative intermediate input.

    Parameters
    ----------
    M : ndarray, shape (..., n, n)
        Flows ``Z`` [£m] or coefficients ``A`` [£ per £1], ``M[..., i, j]`` bought by ``j`` from ``i``;
        stacked tables allowed.

    Returns
    -------
    ndarray of bool, shape (..., n)
        True for a column holding a negative cell.
    """
    return np.asarray((M < 0).any(axis=-2))


def exclude_outside(M: FloatArray) -> NDArray[np.bool_]:
    """Set, in place, the rows and columns of the sectors outside the system to zero.

    Parameters
    ----------
    M : ndarray, shape (..., n, n)
        Flows [£m] or coefficients [£ per £1], writeable; stacked tables allowed.

    Returns
    -------
    ndarray of bool, shape (..., n)
        The outside sectors (:func:`outside_system`), found before the zeroing.

    Examples
    --------
    >>> Z = np.array([[1.0, -2.0], [3.0, 4.0]])
    >>> exclude_outside(Z), Z
    (array([False,  True]), array([[1., 0.],
           [0., 0.]]))
    """
    outside = outside_system(M)
    if outside.any():
        M *= ~(outside[..., :, None] | outside[..., None, :])
    return outside


def outside_note(sectors: Sequence[str], Z: FloatArray, units: str) -> str:
    """Words for the sectors outside a table's Leontief system: which, the negative cells, and what follows.

    Parameters
    ----------
    sectors : sequence of str
        Sector codes of ``Z``'s rows and columns.
    Z : ndarray, shape (n, n)
        Intermediate flows [£m].
    units : str
        Money unit of ``Z``.

    Returns
    -------
    str
        Empty when no sector is outside.
    """
    outside = [int(j) for j in np.flatnonzero(outside_system(Z))]
    if not outside:
        return ""
    cells = []
    for j in outside:
        for i in map(int, np.flatnonzero(Z[:, j] < 0)):
            cells.append(f"'{sectors[j]}' buys {Z[i, j]:,.6g} {units} from '{sectors[i]}'")
    names = [sectors[j] for j in outside]
    return (
        f"{names} left out of the Leontief system, as ONS does: {'; '.join(cells)} (a negative intermediate flow; "
        "all values NaN, as ONS's '..', and the other sectors' are those of the table without them; "
        "negative_flows='raise' refuses such a table)"
    )
