"""The systems every method is given: seeded synthetic tables and the real UK 2019 table.

A synthetic system of ``n`` sectors is dense (every sector buys from every other, like a
multi-regional table such as EXIOBASE at 49 regions x 200 products = 9,800), balanced
exactly, with column sums of ``A`` between about 0.13 and 0.45, households buying 35% of
final demand, value added + imports split 50 / 30 / 20 into compensation of employees,
other GVA and imports, and 5-30 FTE per £1m of output. Synthetic regions split each sector's
national employment at random among ``R`` regions and the rest of the nation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kil_io import IOTable, datasets

#: Effects every method computes, in this order (rows of every result array).
MEASURES = ("output", "gva", "income", "employment")


@dataclass(frozen=True)
class RawSystem:
    """Plain arrays, as a user would hold them before choosing a library."""

    Z: np.ndarray  # (n, n) intermediate flows, £m
    households: np.ndarray  # (n,) household final consumption, £m
    other: np.ndarray  # (n,) other final demand, £m
    coe: np.ndarray  # (n,) compensation of employees, £m
    gos: np.ndarray  # (n,) GVA other than CoE (operating surplus, production taxes), £m
    imports: np.ndarray  # (n,) other primary inputs (imports, product taxes), £m
    x: np.ndarray  # (n,) output, £m
    fte: np.ndarray  # (n,) employment, FTE
    sectors: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.sectors)

    @property
    def gva(self) -> np.ndarray:
        return self.coe + self.gos

    def values(self) -> np.ndarray:
        """The four measures' levels by sector, shape (4, n): output, GVA, CoE, FTE."""
        return np.vstack([self.x, self.gva, self.coe, self.fte])

    def table(self) -> IOTable:
        """The same system as a validated kil_io table."""
        return IOTable(
            sectors=self.sectors,
            Z=self.Z,
            final_demand=np.column_stack([self.households, self.other]),
            final_demand_labels=("households", "other"),
            primary_inputs=np.vstack([self.coe, self.gos, self.imports]),
            primary_input_labels=("compensation_of_employees", "gross_operating_surplus", "imports"),
            output=self.x,
            employment=self.fte,
            area="benchmark",
        )


def synthetic(n: int, seed: int = 2026) -> RawSystem:
    """A dense, exactly balanced system of ``n`` sectors (identical for a given seed)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(50.0, 150.0, n)
    Z = rng.random((n, n))
    Z *= 0.5 * x.min() / max(Z.sum(axis=1).max(), Z.sum(axis=0).max())
    f = x - Z.sum(axis=1)
    va = x - Z.sum(axis=0)
    return RawSystem(
        Z=Z,
        households=0.35 * f,
        other=0.65 * f,
        coe=0.5 * va,
        gos=0.3 * va,
        imports=0.2 * va,
        x=x,
        fte=x * rng.uniform(5.0, 30.0, n),
        sectors=tuple(f"s{i:05d}" for i in range(n)),
    )


def uk(year: int = 2019) -> RawSystem:
    """The shipped ONS UK table (105 industries) with LFS FTE, as plain arrays.

    GVA at basic prices and compensation of employees are the table's; imports and product
    taxes are lumped into ``imports`` and final demand other than households into
    ``other``, which changes no effect.
    """
    t = datasets.uk_iot(year)
    coe = t.income
    f = t.final_demand.sum(axis=1)
    return RawSystem(
        Z=np.ascontiguousarray(t.Z),
        households=t.households.copy(),
        other=f - t.households,
        coe=coe.copy(),
        gos=t.gva - coe,
        imports=t.output - t.Z.sum(axis=0) - t.gva,
        x=t.output.copy(),
        fte=t.employment.copy(),
        sectors=t.sectors,
    )


def system(name: str) -> RawSystem:
    """``"uk2019"`` or ``"n<size>"`` (synthetic)."""
    return uk(2019) if name == "uk2019" else synthetic(int(name.removeprefix("n")))


def regional_employment(R: int, seed: int = 2026) -> tuple[pd.DataFrame, pd.Series]:
    """``R`` synthetic regions of the UK 2019 table: (regions x sectors employment, national).

    Each sector's national FTE is split among the regions and a rest of the nation by
    Dirichlet weights, so every region is part of the nation; a few sectors are absent
    from some regions (zero employment), as in real data.
    """
    t = datasets.uk_iot(2019)
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.ones(R + 1), size=t.n).T[:R]  # (R, n); the last share is the rest
    weights[rng.random(weights.shape) < 0.03] = 0.0
    national = pd.Series(t.employment, index=pd.Index(t.sectors, name="sector"))
    frame = pd.DataFrame(weights * t.employment, index=[f"region{r:03d}" for r in range(R)], columns=t.sectors)
    return frame, national


def itl2_employment(year: int = 2021) -> tuple[pd.DataFrame, pd.Series]:
    """The 40 real ITL 2021 ITL2 regions (their own 5-digit BRES) and Great Britain (their sum)."""
    codes = datasets.areas(["itl2", "itl2_2021"])["code"]
    chosen = [c for c in codes if datasets.area(c).bres_region]
    return datasets.employment_table(chosen, year, basis="itl2"), datasets.national_employment(year, basis="itl2")


def lad_employment(year: int = 2021) -> tuple[pd.DataFrame, pd.Series]:
    """Every GB local authority (350, 2023 boundaries) from the shipped data, and Great Britain (their sum)."""
    table = datasets.areas("local_authority")
    codes = list(table.loc[table["nation"] != "N92000002", "code"])
    frame = datasets.employment_table(codes, year, basis="authorities")
    return frame, datasets.national_employment(year, basis="authorities")
