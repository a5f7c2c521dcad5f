"""The input-output table: one frozen, validated, labelled object.

Symbols follow Miller & Blair (2009): ``Z`` intermediate flows (``Z[i, j]`` is what
sector ``j`` buys from sector ``i``), ``f`` final demand, ``x`` output, ``A`` the
technical coefficients and ``L = (I - A)^-1`` the Leontief inverse.
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

from kil_io.errors import (
    BalanceError,
    LabelError,
    NegativeFlowError,
    NonNumericError,
    TableError,
    ZeroOutputError,
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
#: Primary inputs that cannot be negative: pay, and imports (a negative import is a unit or sign
#: error; net taxes and operating surplus may be negative).
NON_NEGATIVE_PRIMARY_INPUTS: frozenset[str] = frozenset({"imports", "imports_rest_of_uk", "compensation_of_employees"})
#: Final-demand columns that cannot be negative (the ONS and SG readers' names); inventories,
#: valuables and capital formation may be (disposals, run-downs), and so may a residual column
#: such as a regional table's ``exports_and_other``.
NON_NEGATIVE_FINAL_DEMAND: frozenset[str] = frozenset(
    {
        "households", "npish", "government", "government_central", "government_local", "exports",
        "exports_goods_eu", "exports_goods_row", "exports_services", "exports_non_residents", "exports_rest_of_uk",
        "exports_rest_of_world",
    }
)  # fmt: skip
#: Household final consumption (ONS ``P3 S14``), the column Type II closes the model with.
HOUSEHOLDS = "households"

#: Default relative tolerance for the balance checks. Published ONS tables balance to
#: about 1e-15 of output; 1e-6 leaves room for CSV round trips and still catches a
#: 46-unit typo in a 1,079,446 total (4e-5).
BALANCE_RTOL = 1e-6


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
        sector ``i`` (£m). Non-negative.
    final_demand : ndarray, shape (n, k)
        Final use of domestic output by category (£m); may be negative (inventories).
    final_demand_labels : tuple of str
        Category names; ``"households"`` is required for Type II models.
    primary_inputs : ndarray, shape (m, n)
        Rows named from :data:`PRIMARY_INPUTS` (£m); a row that is absent is zero.
    primary_input_labels : tuple of str
    output : ndarray, shape (n,)
        Total output ``x`` (£m). Rows ``Z·1 + f`` and columns ``1'Z + primary``
        must both equal it within ``balance_rtol``.
    employment : ndarray, shape (n,), optional
        Full-time-equivalent jobs by sector (FTE); needed for employment effects.
    names : tuple of str
        Sector descriptions (defaults to the codes).
    area, year, source : str, int, str
        What the table describes and where it comes from.
    units : str
        Money unit of every flow, ``"£m"`` by default.
    metadata : mapping
        Free-form provenance (e.g. regionalisation method); stored read-only.
    balance_rtol : float
        Relative tolerance of the balance checks (see :data:`BALANCE_RTOL`).

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

    # ------------------------------------------------------------------ construction
    def __post_init__(self) -> None:
        set_ = object.__setattr__
        sectors = tuple(str(s) for s in self.sectors)
        set_(self, "sectors", sectors)
        n = len(sectors)
        if n == 0:
            raise LabelError(f"table {self.label}: no sectors")
        _check_unique(sectors, f"table {self.label}: sector codes")
        names = tuple(str(s) for s in self.names) if self.names else sectors
        if len(names) != n:
            raise LabelError(f"table {self.label}: {len(names)} sector names for {n} sectors")
        set_(self, "names", names)
        fd_labels = tuple(str(s) for s in self.final_demand_labels)
        _check_unique(fd_labels, f"table {self.label}: final demand columns")
        set_(self, "final_demand_labels", fd_labels)
        pi_labels = tuple(str(s) for s in self.primary_input_labels)
        _check_unique(pi_labels, f"table {self.label}: primary input rows")
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
            arr = self._frozen_array(name, getattr(self, name))
            if arr.shape != shape:
                raise LabelError(f"table {self.label}: {name} has shape {arr.shape}, expected {shape} for {n} sectors")
            set_(self, name, arr)
        if not (0 < self.balance_rtol < 1):
            raise TableError(f"table {self.label}: balance_rtol must be in (0, 1), got {self.balance_rtol}")
        set_(self, "metadata", MappingProxyType(dict(self.metadata)))
        self._validate()

    def _frozen_array(self, name: str, values: Any) -> FloatArray:
        try:
            arr = np.array(values, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise NonNumericError(f"table {self.label}: {name} holds non-numeric values ({exc})") from None
        arr.flags.writeable = False
        return arr

    def _validate(self) -> None:
        s = self.sectors
        for name in ("Z", "final_demand", "primary_inputs", "output", "employment"):
            arr = getattr(self, name)
            if arr is None:
                continue
            bad = np.argwhere(~np.isfinite(arr))
            if bad.size:
                where = self._cell(name, tuple(bad[0]))
                raise NonNumericError(
                    f"table {self.label}: {name} {where} is {float(arr[tuple(bad[0])])}; "
                    f"every cell must be a finite number ({len(bad)} such cells)"
                )
        for name in ("Z", "output", "employment"):
            arr = getattr(self, name)
            if arr is None:
                continue
            neg = np.argwhere(arr < 0)
            if neg.size:
                cell = tuple(neg[0])
                raise NegativeFlowError(
                    f"table {self.label}: {name} {self._cell(name, cell)} is {arr[cell]:g} "
                    f"{self._unit(name)}; it must be non-negative ({len(neg)} negative cells)"
                )

        signed = [
            ("primary_inputs", k, label) for k, label in enumerate(self.primary_input_labels)
            if label in NON_NEGATIVE_PRIMARY_INPUTS
        ] + [
            ("final_demand", k, label) for k, label in enumerate(self.final_demand_labels)
            if label in NON_NEGATIVE_FINAL_DEMAND
        ]  # fmt: skip
        for name, k, label in signed:
            values = self.primary_inputs[k] if name == "primary_inputs" else self.final_demand[:, k]
            neg = np.flatnonzero(values < 0)
            if neg.size:
                cell = (k, neg[0]) if name == "primary_inputs" else (neg[0], k)
                raise NegativeFlowError(
                    f"table {self.label}: {name} {self._cell(name, cell)} is {values[neg[0]]:g} {self.units}; "
                    f"'{label}' cannot be negative ({neg.size} negative cells; only net taxes, operating surplus, "
                    "inventories, valuables and capital formation may be)"
                )

        x = self.output
        tol = self.balance_rtol * np.maximum(np.abs(x), np.finfo(float).eps * x.sum())
        rows = self.Z.sum(axis=1) + self.final_demand.sum(axis=1)
        cols = self.Z.sum(axis=0) + self.primary_inputs.sum(axis=0)
        for kind, total, formula in (("row", rows, "Z·1 + f"), ("column", cols, "1'Z + primary inputs")):
            gap = total - x
            bad = np.flatnonzero(np.abs(gap) > tol)
            if bad.size:
                j = bad[np.argmax(np.abs(gap[bad]))]
                rel = f" = {gap[j] / x[j]:.3g} of output" if x[j] else ""
                raise BalanceError(
                    f"table {self.label}: {kind} '{s[j]}' does not balance: {formula} = "
                    f"{fmt(total[j])} but output x = {fmt(x[j])} {self.units} (gap {fmt(gap[j])}"
                    f"{rel}; tolerance {self.balance_rtol:g} of output; {bad.size} sector(s) off)"
                )

        for j in np.flatnonzero(x == 0):
            parts = {
                "intermediate sales (row of Z)": np.abs(self.Z[j]).sum(),
                "intermediate purchases (column of Z)": np.abs(self.Z[:, j]).sum(),
                "primary inputs": np.abs(self.primary_inputs[:, j]).sum(),
                "final demand": np.abs(self.final_demand[j]).sum(),
            }
            if self.employment is not None:
                parts["employment (FTE)"] = self.employment[j]
            nonzero = {k: v for k, v in parts.items() if v != 0}
            if nonzero:
                k, v = next(iter(nonzero.items()))
                raise ZeroOutputError(
                    f"table {self.label}: sector '{s[j]}' has zero output but its {k} "
                    f"total {fmt(v)}; a zero-output sector must have a zero row and column"
                )

    def _cell(self, name: str, index: tuple[int, ...]) -> str:
        if name == "Z":
            return f"cell (supplier '{self.sectors[index[0]]}', buyer '{self.sectors[index[1]]}')"
        if name == "final_demand":
            return f"cell (sector '{self.sectors[index[0]]}', '{self.final_demand_labels[index[1]]}')"
        if name == "primary_inputs":
            return f"cell ('{self.primary_input_labels[index[0]]}', sector '{self.sectors[index[1]]}')"
        return f"sector '{self.sectors[index[0]]}'"

    def _unit(self, name: str) -> str:
        return "FTE" if name == "employment" else self.units

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
    ) -> IOTable:
        """Build a validated table from labelled pandas objects.

        Parameters
        ----------
        Z : DataFrame, n x n
            Index == columns == sector codes. Purchases by column sector from row sector.
        final_demand : DataFrame, n x k
            Index == sector codes; columns are categories (``households`` for Type II).
        primary_inputs : DataFrame, m x n
            Index from :data:`PRIMARY_INPUTS`; columns == sector codes.
        output : Series, optional
            Published total output by sector; if omitted, output is the row total
            ``Z·1 + f`` and only the columns are checked against it.
        employment : Series, optional
            FTE by sector code.
        names : mapping or sequence, optional
            Sector descriptions by code (or in sector order).
        area, year, source, units, metadata, balance_rtol
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
        _same_labels(Z.columns, sectors, f"table {label}: columns of Z", "its index")
        _same_labels(final_demand.index, sectors, f"table {label}: index of final_demand", "Z's sectors")
        _same_labels(primary_inputs.columns, sectors, f"table {label}: columns of primary_inputs", "Z's sectors")
        z = _numeric(Z, f"table {label}: Z")
        f = _numeric(final_demand, f"table {label}: final_demand")
        v = _numeric(primary_inputs, f"table {label}: primary_inputs")
        if output is None:
            x = z.sum(axis=1) + f.sum(axis=1)
        else:
            _same_labels(output.index, sectors, f"table {label}: index of output", "Z's sectors")
            x = _numeric(output, f"table {label}: output")
        emp = None
        if employment is not None:
            _same_labels(employment.index, sectors, f"table {label}: index of employment", "Z's sectors")
            emp = _numeric(employment, f"table {label}: employment")
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
        """Total output by sector (Miller & Blair's ``x``), in :attr:`units`."""
        return self.output

    def primary_input(self, name: str) -> FloatArray:
        """One primary-input row by name (zeros if the table has no such row)."""
        if name not in PRIMARY_INPUTS:
            raise LabelError(f"unknown primary input {name!r}; expected one of {list(PRIMARY_INPUTS)}")
        if name in self.primary_input_labels:
            return self.primary_inputs[self.primary_input_labels.index(name)]
        return np.zeros(self.n)

    @cached_property
    def gva(self) -> FloatArray:
        """Gross value added at basic prices by sector (sum of :data:`GVA_COMPONENTS`)."""
        return _readonly(sum(self.primary_input(p) for p in GVA_COMPONENTS))

    @cached_property
    def income(self) -> FloatArray:
        """Household income from employment: compensation of employees by sector."""
        return self.primary_input("compensation_of_employees")

    @cached_property
    def households(self) -> FloatArray:
        """Household final consumption of each sector's output."""
        if HOUSEHOLDS not in self.final_demand_labels:
            from kil_io.errors import ModelError

            raise ModelError(
                f"table {self.label}: no '{HOUSEHOLDS}' final demand column "
                f"(have {list(self.final_demand_labels)}); Type II needs household consumption"
            )
        return self.final_demand[:, self.final_demand_labels.index(HOUSEHOLDS)]

    @cached_property
    def A(self) -> FloatArray:
        """Technical coefficients ``A = Z diag(x)^-1``; columns of zero-output sectors are 0."""
        # Z is validated (finite, non-negative, zero columns for zero-output sectors), so
        # A = Z diag(x)^-1 is one division; dividing those zero columns by 1 keeps them 0.
        return _readonly(self.Z / np.where(self.output == 0, 1.0, self.output))

    @cached_property
    def system(self) -> LeontiefSystem:
        """The factorised open (Type I) Leontief system of this table."""
        from kil_io.model.leontief import LeontiefSystem

        return LeontiefSystem._from_flows(self.Z, self.output, label=self.label, sectors=self.sectors)

    @cached_property
    def L(self) -> FloatArray:
        """Leontief inverse ``(I - A)^-1``, formed explicitly on request only."""
        return _readonly(self.system.inverse())

    def per_output(self, values: FloatArray) -> FloatArray:
        """Direct coefficients ``values / x`` (0 where output is 0)."""
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
        idx = pd.Index(self.sectors, name="sector")
        return pd.DataFrame(np.asarray(matrix), index=idx, columns=idx)

    def __repr__(self) -> str:
        emp = "with" if self.employment is not None else "without"
        return (
            f"IOTable({self.label}, {self.n} sectors, output {self.output.sum():,.0f} {self.units}, {emp} employment)"
        )


def fmt(value: float) -> str:
    """Format a figure for a message: thousands separators, no spurious exponent."""
    if value != 0 and (abs(value) >= 1e4 or abs(value) < 1e-3):
        return f"{value:,.2f}" if abs(value) >= 1e4 else f"{value:.3e}"
    return f"{value:.6g}"


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


def _check_unique(labels: tuple[str, ...], what: str) -> None:
    seen: set[str] = set()
    dupes = [s for s in labels if s in seen or seen.add(s)]  # type: ignore[func-returns-value]
    if dupes:
        raise LabelError(f"{what} are not unique: {sorted(set(dupes))}")


def _same_labels(labels: pd.Index, expected: tuple[str, ...], what: str, against: str) -> None:
    got = tuple(str(c) for c in labels)
    if got == expected:
        return
    if len(got) != len(expected):
        raise LabelError(f"{what} has {len(got)} labels but {against} has {len(expected)}")
    i = next(k for k, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
    extra = sorted(set(got) - set(expected))
    missing = sorted(set(expected) - set(got))
    detail = f"; not in {against}: {extra[:5]}; missing: {missing[:5]}" if extra or missing else " (order differs)"
    raise LabelError(f"{what} differ from {against} at position {i}: {got[i]!r} vs {expected[i]!r}{detail}")


def _is_real(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_)


def _numeric(obj: pd.DataFrame | pd.Series, what: str) -> FloatArray:
    """Convert to float64, naming the first cell that is not a real number (text, bool, complex...)."""
    if not isinstance(obj, pd.DataFrame | pd.Series):
        raise TableError(f"{what} must be a pandas DataFrame or Series, got {type(obj).__name__}")
    frame = obj.to_frame() if isinstance(obj, pd.Series) else obj
    if all(pd.api.types.is_float_dtype(t) or pd.api.types.is_integer_dtype(t) for t in frame.dtypes):
        return np.asarray(obj.to_numpy(dtype=np.float64, na_value=np.nan))
    bad = ~frame.map(lambda v: _is_real(v) or v is None or v is pd.NA)
    if not bad.to_numpy().any():
        return np.asarray(frame.astype(np.float64).to_numpy()).reshape(obj.shape)
    r, c = np.argwhere(bad.to_numpy())[0]
    raise NonNumericError(
        f"{what}: cell (row {frame.index[r]!r}, column {frame.columns[c]!r}) is {frame.iat[r, c]!r}, not a number"
    )
