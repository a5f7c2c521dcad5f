"""The input-output table: one frozen, validated, labelled object.

Symbols follow Miller & Blair (2009): ``Z`` intermediate flows (``Z[i, j]`` is what
sector ``j`` buys from sector ``i``), ``f`` final demand, ``x`` output, ``A`` the
technical coefficients and ``L = (I - A)^-1`` the Leontief inverse. The checks the table
runs when it is built (labels, finite and signed cells, balance) are in
:mod:`kil_io.model.validation`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kil_io.errors import LabelError, TableError
from kil_io.model.display import table_html
from kil_io.model.negative import NegativeFlows, check_negative_flows, exclude_outside, outside_system
from kil_io.model.validation import (
    NON_NEGATIVE_FINAL_DEMAND,
    NON_NEGATIVE_PRIMARY_INPUTS,
    check_flows,
    check_unique,
    closure_figures,
    fmt,
    frozen_array,
    numeric,
    row_totals,
    same_labels,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kil_io.model.leontief import LeontiefSystem

    FloatArray = NDArray[np.float64]

#: Primary-input rows a table may hold (ONS IOAT rows below the intermediate block).
#: ``imports`` is use of imported products (c.i.f.); ``imports_rest_of_uk`` is what a
#: regional table buys from the rest of the UK.
PRIMARY_INPUTS: tuple[str, ...] = (
    "imports",
    "imports_rest_of_uk",
    "product_taxes",
    "compensation_of_employees",
    "gross_operating_surplus",
    "production_taxes",
)
#: Gross value added at basic prices = D1 + B2G/B3G + D29-D39 (ONS IOAT row ``GVA``).
GVA_COMPONENTS: tuple[str, ...] = (
    "compensation_of_employees",
    "gross_operating_surplus",
    "production_taxes",
)
#: Household final consumption (ONS ``P3 S14``), the column Type II closes the model with.
HOUSEHOLDS = "households"

#: Default relative tolerance for the balance checks. Published ONS tables balance to
#: about 1e-15 of output; 1e-6 leaves room for CSV round trips and still catches a
#: 46-unit typo in a 1,079,446 total (4e-5).
BALANCE_RTOL = 1e-6

# NON_NEGATIVE_* and fmt live with the checks (kil_io.model.validation) and are still importable from here
__all__ = [
    "BALANCE_RTOL", "GVA_COMPONENTS", "HOUSEHOLDS", "NON_NEGATIVE_FINAL_DEMAND", "NON_NEGATIVE_PRIMARY_INPUTS",
    "PRIMARY_INPUTS", "IOTable", "fmt",
]  # fmt: skip


@dataclass(frozen=True, eq=False)
class IOTable:
    """Domestic-use industry-by-industry table for one area and year, at basic prices.

    Build one with :meth:`from_frames`; the constructor is validated the same way but
    takes raw arrays. Derived matrices (``x``, ``A``, ``L``...) are cached properties,
    so they cannot go stale; a scenario is a new object (:meth:`replace`).

    Parameters
    ----------
    sectors : tuple of str
        Unique sector codes, e.g. ``"A01"`` or ``"Q87 & Q88"``.
    Z : ndarray, shape (n, n)
        Intermediate domestic flows, ``Z[i, j]`` = purchases by sector ``j`` from
        sector ``i``, in :attr:`units`. Non-negative, except as ``negative_flows`` allows [£m].
    final_demand : ndarray, shape (n, k)
        Final use of domestic output by category; may be negative (inventories) [£m].
    final_demand_labels : tuple of str
        Category names; ``"households"`` is required for Type II models.
    primary_inputs : ndarray, shape (m, n)
        Rows named from :data:`PRIMARY_INPUTS`; a row that is absent is zero [£m].
    primary_input_labels : tuple of str
    output : ndarray, shape (n,)
        Total output ``x``. Rows ``Z·1 + f`` and columns ``1'Z + primary``
        must both equal it within ``balance_rtol`` [£m].
    employment : ndarray, shape (n,), optional
        Full-time-equivalent jobs by sector; needed for employment effects [FTE].
    names : tuple of str
        Sector descriptions (defaults to the codes).
    area, year, source : str, int, str
        What the table describes and where it comes from.
    units : str
        Money unit of every flow, ``"£m"`` by default (every shipped table); the ``[£m]`` of
        these docstrings means this unit.
    metadata : mapping
        Free-form provenance (e.g. regionalisation method); stored read-only. Where the
        table carries ``household_income`` or ``resident_share``, their sources are
        ``metadata["household_income_source"]`` and ``metadata["resident_share_source"]``.
    balance_rtol : float
        Relative tolerance of the balance checks, a fraction of each sector's output (see
        :data:`BALANCE_RTOL`) [ratio].
    negative_flows : {"exclude", "raise"}
        What a negative cell of ``Z`` means (:mod:`kil_io.model.negative`). ``"exclude"``
        (default, ONS's rule for its 2023 table): its buyer stays in the table and is left out of
        the Leontief system (:attr:`excluded`; its multipliers NaN, with a warning naming the cell);
        ``"raise"``: the table is refused with a ``NegativeFlowError`` naming the cell.
    household_income : float, optional
        Total income of the area's households (e.g. households' total resources), the
        figure the default Type II closure divides household consumption by
        (:mod:`kil_io.model.closure`). ``None``: not known, and the default closure then
        asks for one [£m].
    resident_share : float
        Share of the table's compensation of employees paid to people who live in the
        area (1 for a nation): only their pay feeds local household spending in Type II
        [share].

    Raises
    ------
    LabelError, NonNumericError, NegativeFlowError, BalanceError, ZeroOutputError
        Each names the table, the sector and the numbers.

    References
    ----------
    Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis: Foundations and
    Extensions*, 2nd ed., ch. 2, Table 2.1.
    """

    sectors: tuple[str, ...]
    Z: FloatArray
    final_demand: FloatArray
    final_demand_labels: tuple[str, ...]
    primary_inputs: FloatArray
    primary_input_labels: tuple[str, ...]
    output: FloatArray
    employment: FloatArray | None = None
    names: tuple[str, ...] = ()
    area: str = "unnamed area"
    year: int | None = None
    source: str = ""
    units: str = "£m"
    metadata: Mapping[str, Any] = field(default_factory=dict)
    balance_rtol: float = BALANCE_RTOL
    household_income: float | None = None
    resident_share: float = 1.0
    negative_flows: NegativeFlows = "exclude"

    # ------------------------------------------------------------------ construction
    def __post_init__(self) -> None:
        set_ = object.__setattr__
        sectors = tuple(str(s) for s in self.sectors)
        set_(self, "sectors", sectors)
        n = len(sectors)
        if n == 0:
            raise LabelError(f"table {self.label}: no sectors")
        check_unique(sectors, f"table {self.label}: sector codes")
        names = tuple(str(s) for s in self.names) if self.names else sectors
        if len(names) != n:
            raise LabelError(f"table {self.label}: {len(names)} sector names for {n} sectors")
        set_(self, "names", names)
        fd_labels = tuple(str(s) for s in self.final_demand_labels)
        check_unique(fd_labels, f"table {self.label}: final demand columns")
        set_(self, "final_demand_labels", fd_labels)
        pi_labels = tuple(str(s) for s in self.primary_input_labels)
        check_unique(pi_labels, f"table {self.label}: primary input rows")
        unknown = [p for p in pi_labels if p not in PRIMARY_INPUTS]
        if unknown:
            raise LabelError(
                f"table {self.label}: unknown primary input rows {unknown}; expected names from {list(PRIMARY_INPUTS)}"
            )
        set_(self, "primary_input_labels", pi_labels)

        shapes = {
            "Z": (n, n),
            "final_demand": (n, len(fd_labels)),
            "primary_inputs": (len(pi_labels), n),
            "output": (n,),
        }
        if self.employment is not None:
            shapes["employment"] = (n,)
        for name, shape in shapes.items():
            arr = frozen_array(getattr(self, name), f"table {self.label}: {name}")
            if arr.shape != shape:
                raise LabelError(f"table {self.label}: {name} has shape {arr.shape}, expected {shape} for {n} sectors")
            set_(self, name, arr)
        if not (0 < self.balance_rtol < 1):
            raise TableError(f"table {self.label}: balance_rtol must be in (0, 1), got {self.balance_rtol}")
        set_(self, "metadata", MappingProxyType(dict(self.metadata)))
        check_negative_flows(self.negative_flows, f"table {self.label}: negative_flows")
        income, share = closure_figures(self.label, self.units, self.household_income, self.resident_share)
        set_(self, "household_income", income)
        set_(self, "resident_share", share)
        check_flows(
            self.label,
            sectors=sectors,
            Z=self.Z,
            final_demand=self.final_demand,
            final_demand_labels=fd_labels,
            primary_inputs=self.primary_inputs,
            primary_input_labels=pi_labels,
            output=self.output,
            employment=self.employment,
            units=self.units,
            balance_rtol=self.balance_rtol,
            negative_flows=self.negative_flows,
        )

    @property
    def label(self) -> str:
        """Short description used in messages, e.g. ``'UK 2019'``."""
        return f"'{self.area} {self.year}'" if self.year is not None else f"'{self.area}'"

    @classmethod
    def from_frames(
        cls,
        Z: pd.DataFrame,
        final_demand: pd.DataFrame,
        primary_inputs: pd.DataFrame,
        *,
        output: pd.Series | None = None,
        employment: pd.Series | None = None,
        names: Mapping[str, str] | Sequence[str] | None = None,
        area: str = "unnamed area",
        year: int | None = None,
        source: str = "",
        units: str = "£m",
        metadata: Mapping[str, Any] | None = None,
        balance_rtol: float = BALANCE_RTOL,
        household_income: float | None = None,
        resident_share: float = 1.0,
        negative_flows: NegativeFlows = "exclude",
    ) -> IOTable:
        """Build a validated table from labelled pandas objects.

        Parameters
        ----------
        Z : DataFrame, n x n
            Index == columns == sector codes. Purchases by column sector from row sector [£m].
        final_demand : DataFrame, n x k
            Index == sector codes; columns are categories (``households`` for Type II) [£m].
        primary_inputs : DataFrame, m x n
            Index from :data:`PRIMARY_INPUTS`; columns == sector codes [£m].
        output : Series, optional
            Published total output by sector; if omitted, output is the row total
            ``Z·1 + f`` and only the columns are checked against it [£m].
        employment : Series, optional
            Full-time-equivalent jobs by sector code [FTE].
        names : mapping or sequence, optional
            Sector descriptions by code (or in sector order).
        area, year, source, units, metadata, balance_rtol, household_income, resident_share, negative_flows
            See :class:`IOTable`.

        Returns
        -------
        IOTable

        Raises
        ------
        LabelError
            Labels of the frames do not agree (names the first mismatch).
        NonNumericError, NegativeFlowError, BalanceError, ZeroOutputError
            See :class:`IOTable`.

        Examples
        --------
        >>> import pandas as pd
        >>> s = ["1", "2"]
        >>> Z = pd.DataFrame([[150.0, 500.0], [200.0, 100.0]], index=s, columns=s)
        >>> f = pd.DataFrame({"households": [350.0, 1700.0]}, index=s)
        >>> v = pd.DataFrame([[650.0, 1400.0]], index=["compensation_of_employees"], columns=s)
        >>> IOTable.from_frames(Z, f, v, area="M&B 2.3").output.tolist()
        [1000.0, 2000.0]
        """
        label = f"'{area} {year}'" if year is not None else f"'{area}'"
        for name, frame in (("Z", Z), ("final_demand", final_demand), ("primary_inputs", primary_inputs)):
            if not isinstance(frame, pd.DataFrame):
                raise TableError(f"table {label}: {name} must be a pandas DataFrame, got {type(frame).__name__}")
        sectors = tuple(str(c) for c in Z.index)
        same_labels(Z.columns, sectors, f"table {label}: columns of Z", "its index")
        same_labels(final_demand.index, sectors, f"table {label}: index of final_demand", "Z's sectors")
        same_labels(primary_inputs.columns, sectors, f"table {label}: columns of primary_inputs", "Z's sectors")
        z = numeric(Z, f"table {label}: Z")
        f = numeric(final_demand, f"table {label}: final_demand")
        v = numeric(primary_inputs, f"table {label}: primary_inputs")
        if output is None:
            x = row_totals(z, f)  # an overflow is named by check_flows
        else:
            same_labels(output.index, sectors, f"table {label}: index of output", "Z's sectors")
            x = numeric(output, f"table {label}: output")
        emp = None
        if employment is not None:
            same_labels(employment.index, sectors, f"table {label}: index of employment", "Z's sectors")
            emp = numeric(employment, f"table {label}: employment")
        if names is None:
            name_t: tuple[str, ...] = ()
        elif isinstance(names, Mapping):
            missing = [s for s in sectors if s not in names]
            if missing:
                raise LabelError(f"table {label}: no name for sectors {missing[:5]}")
            name_t = tuple(str(names[s]) for s in sectors)
        else:
            name_t = tuple(str(s) for s in names)
        return cls(
            sectors=sectors,
            Z=z,
            final_demand=f,
            final_demand_labels=tuple(str(c) for c in final_demand.columns),
            primary_inputs=v,
            primary_input_labels=tuple(str(r) for r in primary_inputs.index),
            output=x,
            employment=emp,
            names=name_t,
            area=area,
            year=year,
            source=source,
            units=units,
            metadata=metadata or {},
            balance_rtol=balance_rtol,
            household_income=household_income,
            resident_share=resident_share,
            negative_flows=negative_flows,
        )

    def replace(self, **changes: Any) -> IOTable:
        """Return a new, re-validated table with some fields changed."""
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ derived
    @property
    def n(self) -> int:
        """Number of sectors."""
        return len(self.sectors)

    @property
    def x(self) -> FloatArray:
        """Total output by sector (Miller & Blair's ``x``), in :attr:`units` [£m]."""
        return self.output

    def primary_input(self, name: str) -> FloatArray:
        """One primary-input row by name (zeros if the table has no such row) [£m]."""
        if name not in PRIMARY_INPUTS:
            raise LabelError(f"unknown primary input {name!r}; expected one of {list(PRIMARY_INPUTS)}")
        if name in self.primary_input_labels:
            return self.primary_inputs[self.primary_input_labels.index(name)]
        return np.zeros(self.n)

    @cached_property
    def gva(self) -> FloatArray:
        """Gross value added at basic prices by sector (sum of :data:`GVA_COMPONENTS`) [£m]."""
        return _readonly(sum((self.primary_input(p) for p in GVA_COMPONENTS), np.zeros(self.n)))

    @cached_property
    def income(self) -> FloatArray:
        """Household income from employment: compensation of employees by sector [£m]."""
        return self.primary_input("compensation_of_employees")

    @cached_property
    def households(self) -> FloatArray:
        """Household final consumption of each sector's output [£m]."""
        if HOUSEHOLDS not in self.final_demand_labels:
            from kil_io.errors import ModelError

            raise ModelError(
                f"table {self.label}: no '{HOUSEHOLDS}' final demand column "
                f"(have {list(self.final_demand_labels)}); Type II needs household consumption"
            )
        return self.final_demand[:, self.final_demand_labels.index(HOUSEHOLDS)]

    @cached_property
    def A(self) -> FloatArray:
        """Technical coefficients ``A = Z diag(x)^-1``; columns of zero-output sectors are 0 [£ per £1].

        As published: an :attr:`excluded` sector's column keeps its negative coefficient (ONS's ``A``
        sheet does too); the Leontief system leaves it out (:attr:`system_flows`).
        """
        # Z is validated (finite, non-negative, zero columns for zero-output sectors), so
        # A = Z diag(x)^-1 is one division; dividing those zero columns by 1 keeps them 0.
        return _readonly(self.Z / np.where(self.output == 0, 1.0, self.output))

    @cached_property
    def excluded(self) -> tuple[str, ...]:
        """Sectors left out of the Leontief system: buyers of a negative intermediate input (ONS's rule)."""
        return tuple(s for s, out in zip(self.sectors, outside_system(self.Z), strict=True) if out)

    @cached_property
    def system_flows(self) -> FloatArray:
        """``Z`` with the rows and columns of :attr:`excluded` sectors set to 0: what the Leontief system solves [£m].

        ``Z`` itself when nothing is excluded. Its inverse is block diagonal: the other sectors'
        block is the inverse of the table without the excluded ones (ONS's), the excluded block
        the identity (:mod:`kil_io.model.negative`).
        """
        if not self.excluded:
            return self.Z
        flows = np.array(self.Z)
        exclude_outside(flows)
        return _readonly(flows)

    @cached_property
    def system(self) -> LeontiefSystem:
        """The factorised open (Type I) Leontief system of this table (of :attr:`system_flows`)."""
        from kil_io.model.leontief import LeontiefSystem

        return LeontiefSystem._from_flows(self.system_flows, self.output, label=self.label, sectors=self.sectors)

    @cached_property
    def L(self) -> FloatArray:
        """Leontief inverse ``(I - A)^-1``, output per unit of final demand; formed on request only [£ per £1]."""
        return _readonly(self.system.inverse())

    def per_output(self, values: FloatArray) -> FloatArray:
        """Direct coefficients ``values / x`` (0 where output is 0).

        Parameters
        ----------
        values : ndarray, shape (n,)
            A figure by sector: money in :attr:`units` [£m], or jobs [FTE].

        Returns
        -------
        ndarray, shape (n,)
            ``values`` per unit of output: [£ per £1] for money, [FTE per £1m] for jobs.
        """
        out = np.zeros(self.n)
        np.divide(values, self.output, out=out, where=self.output != 0)
        return out

    # ------------------------------------------------------------------ labelled views
    def to_frames(self) -> dict[str, pd.DataFrame | pd.Series]:
        """The table as labelled pandas objects, the inverse of :meth:`from_frames`.

        Returns
        -------
        dict
            ``Z``, ``final_demand``, ``primary_inputs``, ``output`` and, if present,
            ``employment``, all labelled by sector code.
        """
        idx = pd.Index(self.sectors, name="sector")
        frames: dict[str, pd.DataFrame | pd.Series] = {
            "Z": pd.DataFrame(self.Z, index=idx, columns=idx),
            "final_demand": pd.DataFrame(self.final_demand, index=idx, columns=list(self.final_demand_labels)),
            "primary_inputs": pd.DataFrame(self.primary_inputs, index=list(self.primary_input_labels), columns=idx),
            "output": pd.Series(self.output, index=idx, name="output"),
        }
        if self.employment is not None:
            frames["employment"] = pd.Series(self.employment, index=idx, name="employment_fte")
        return frames

    @property
    def sector_names(self) -> pd.Series:
        """Sector descriptions indexed by sector code."""
        return pd.Series(self.names, index=self.sector_index, name="name")

    @property
    def sector_index(self) -> pd.Index:
        """The sector codes as a pandas ``Index`` named ``sector`` (the index of every result)."""
        return _sector_index(self.sectors).view()  # its own name: renaming one result renames no other

    def frame(self, matrix: FloatArray) -> pd.DataFrame:
        """Label an n x n matrix (e.g. ``table.A`` or ``table.L``) with sector codes."""
        return pd.DataFrame(np.asarray(matrix), index=(idx := pd.Index(self.sectors, name="sector")), columns=idx)

    def __repr__(self) -> str:
        emp = "with" if self.employment is not None else "without"
        out = f", {list(self.excluded)} outside the Leontief system" if self.excluded else ""
        total = f"{self.output.sum():,.0f} {self.units}"
        return f"IOTable({self.label}, {self.n} sectors, output {total}, {emp} employment{out})"

    def _repr_html_(self) -> str:  # Jupyter: area, year, method, delta, national table, resident share
        return table_html(self)


@lru_cache(maxsize=64)
def _sector_index(sectors: tuple[str, ...]) -> pd.Index:
    # the tables of one classification (a national table, its regions and scenarios) share
    # the index's data instead of building a string index each (50 µs for 105 codes);
    # callers get a view, whose name is their own
    return pd.Index(sectors, name="sector")


def _readonly(arr: FloatArray) -> FloatArray:
    arr = np.asarray(arr, dtype=np.float64)
    arr.flags.writeable = False
    return arr
