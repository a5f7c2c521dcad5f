"""Aggregating a table's sectors into groups (e.g. a classification common to two tables)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from kil_io.errors import LabelError
from kil_io.model.table import IOTable


def aggregation_matrix(sectors: tuple[str, ...], mapping: Mapping[str, str] | pd.Series) -> pd.DataFrame:
    """The 0/1 matrix ``S`` (groups x sectors) with ``S[g, j] = 1`` if sector ``j`` is in group ``g``.

    Parameters
    ----------
    sectors : tuple of str
    mapping : mapping or Series
        Sector code -> group label, for every sector exactly once.

    Returns
    -------
    DataFrame
        Rows are the groups in order of first appearance along ``sectors``.

    Raises
    ------
    LabelError
        A sector without a group, or a mapped code that is not a sector.
    """
    groups = pd.Series(mapping, dtype=object) if not isinstance(mapping, pd.Series) else mapping
    groups = groups.set_axis([str(s) for s in groups.index])
    unnamed = [s for s, g in groups.items() if g is None or (isinstance(g, float) and np.isnan(g)) or str(g) == ""]
    if unnamed:
        raise LabelError(f"aggregation mapping: sectors without a group {unnamed[:5]}")
    groups = groups.astype(str)
    missing = [s for s in sectors if s not in groups.index]
    extra = sorted(set(groups.index) - set(sectors))
    if missing or extra:
        raise LabelError(
            f"aggregation mapping: sectors without a group {missing[:5]}; codes not in the table {extra[:5]}"
        )
    if groups.index.has_duplicates:
        raise LabelError(
            f"aggregation mapping: sectors mapped twice {sorted(set(groups.index[groups.index.duplicated()]))}"
        )
    labels = groups.reindex(list(sectors))
    order = list(dict.fromkeys(labels))
    S = (np.asarray(order)[:, None] == labels.to_numpy()[None, :]).astype(float)
    return pd.DataFrame(S, index=pd.Index(order, name="group"), columns=pd.Index(sectors, name="sector"))


def aggregate(
    table: IOTable, mapping: Mapping[str, str] | pd.Series, *, names: Mapping[str, str] | None = None
) -> IOTable:
    """Sum a table's sectors into groups: ``Z' = S Z S'``, ``f' = S f``, ``v' = v S'``, ``x' = S x``.

    Parameters
    ----------
    table : IOTable
    mapping : mapping or Series
        Sector code -> group label, for every sector.
    names : mapping, optional
        Group label -> description (default: the label).

    Returns
    -------
    IOTable
        Same area, year, units, final-demand and primary-input categories; employment
        summed if present. Totals (flows, output, GVA, FTE) are unchanged.

    Raises
    ------
    LabelError
        See :func:`aggregation_matrix`.

    References
    ----------
    Miller & Blair (2009), section 4.3 (aggregation in input-output models).

    Examples
    --------
    >>> aggregate(table, {"A01": "A", "A02": "A", ...})  # doctest: +SKIP
    """
    S = aggregation_matrix(table.sectors, mapping)
    s = S.to_numpy()
    groups = tuple(S.index)
    return table.replace(
        sectors=groups,
        Z=s @ table.Z @ s.T,
        final_demand=s @ table.final_demand,
        primary_inputs=table.primary_inputs @ s.T,
        output=s @ table.output,
        employment=None if table.employment is None else s @ table.employment,
        names=tuple(str((names or {}).get(g, g)) for g in groups),
        metadata={**table.metadata, "aggregated_from": f"{table.n} sectors"},
    )
