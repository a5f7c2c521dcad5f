"""Published worked examples as table frames, built from their source figures."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kil_io import IOTable

FIXTURES = Path(__file__).parent / "fixtures"
#: Miller & Blair Table 2.3's invented jobs [FTE] (see miller_blair_frames).
JOBS = (8000.0, 12000.0)


def miller_blair_frames() -> dict[str, pd.DataFrame | pd.Series]:
    """Miller & Blair (2009), ch. 2, Table 2.3: the two-sector example.

    Z = [[150, 500], [200, 100]], f = [350, 1700], x = [1000, 2000]. Value added
    (650, 1400) is split here into compensation of employees and operating surplus,
    and 8,000 and 12,000 jobs are invented (the book has no employment for this table), so
    the example can also exercise GVA, income and jobs: read in £m, that is 6.7 FTE per £1m
    of output and £70,000 of pay per FTE, as in a UK table (kil_io.model.units checks both).
    """
    s = ["1", "2"]
    return {
        "Z": pd.DataFrame([[150.0, 500.0], [200.0, 100.0]], index=s, columns=s),
        # the book gives only total final demand (350, 1700); households buy 700 of it here
        "final_demand": pd.DataFrame({"households": [200.0, 500.0], "exports": [150.0, 1200.0]}, index=s),
        "primary_inputs": pd.DataFrame(
            [[400.0, 1000.0], [250.0, 400.0]],
            index=["compensation_of_employees", "gross_operating_surplus"],
            columns=s,
        ),
        "employment": pd.Series(JOBS, index=s),
    }


def local_frames() -> dict[str, pd.DataFrame | pd.Series]:
    """Miller & Blair Table 2.3 read as a local economy (households buy 700 with 1,400 of pay)."""
    return miller_blair_frames()


def big_spender_frames() -> dict[str, pd.DataFrame | pd.Series]:
    """Table 2.3 with households buying 1,800 of domestic output on 1,400 of pay."""
    f = miller_blair_frames()
    f["final_demand"] = pd.DataFrame({"households": [300.0, 1500.0], "exports": [50.0, 200.0]}, index=["1", "2"])
    return f


def with_empty_sector(area: str) -> IOTable:
    """Table 2.3 with a third sector that has no output (a zero row and column)."""
    s = ["1", "2", "3"]
    return IOTable.from_frames(
        pd.DataFrame([[150.0, 500.0, 0.0], [200.0, 100.0, 0.0], [0.0, 0.0, 0.0]], index=s, columns=s),
        pd.DataFrame({"households": [300.0, 1500.0, 0.0], "exports": [50.0, 200.0, 0.0]}, index=s),
        pd.DataFrame([[650.0, 1400.0, 0.0]], index=["compensation_of_employees"], columns=s),
        employment=pd.Series([*JOBS, 0.0], index=s),
        area=area,
    )


def eurostat_frames(*, output_from: str = "P1") -> dict[str, object]:
    """Eurostat Manual (2008) Table 15.4, Germany 1995, six product groups (€m).

    ``output_from="P1"`` takes output from the P1 row (balanced); ``"output_bp"`` takes
    it from the source's output column, whose manufacturing value has a typo (-46).
    """
    raw = pd.read_csv(FIXTURES / "eurostat_manual_germany_1995.csv").set_index("t_rows2")
    products = ["cpa_a", "cpa_c", "cpa_f", "cpa_g_i", "cpa_business", "cpa_other"]
    buyers = list(raw.columns[4:10])
    Z = raw.loc[products, buyers].astype(float)
    Z.columns = products
    fd = (
        raw.loc[products, raw.columns[10:15]]
        .astype(float)
        .rename(
            columns={
                "consumption_expenditure_household": "households",
                "consumption_expenditure_government": "government",
                "gross_capital_formation": "gfcf",
                "inventory_change": "inventories",
                "export_goods_services": "exports",
            }
        )
    )
    row = lambda code: raw.loc[code, buyers].astype(float).to_numpy()  # noqa: E731
    primary = pd.DataFrame(
        {
            "imports": row("P7"),
            "product_taxes": row("D21_M_D31"),
            "compensation_of_employees": row("D1"),
            "production_taxes": row("D29_M_D39"),
            # gross operating surplus = consumption of fixed capital + net operating surplus
            "gross_operating_surplus": row("K1") + row("B2N_B3N"),
        },
        index=products,
    ).T
    if output_from == "P1":
        output = pd.Series(row("P1"), index=products)
    else:
        output = raw.loc[products, "output_bp"].astype(float)
    employment = pd.Series(row("EMP"), index=products)  # thousand persons
    names = dict(zip(products, raw.loc[products, "t_rows2_lab"], strict=True))
    return {
        "Z": Z,
        "final_demand": fd,
        "primary_inputs": primary,
        "output": output,
        "employment": employment,
        "names": names,
        "area": "Germany",
        "year": 1995,
        "units": "€m",
    }


def assert_same_table(a: IOTable, b: IOTable) -> None:
    for field in dataclasses.fields(IOTable):
        left, right = getattr(a, field.name), getattr(b, field.name)
        if isinstance(left, np.ndarray) or isinstance(right, np.ndarray):
            assert left is not None, field.name
            assert right is not None, field.name
            assert (left.dtype, left.shape) == (right.dtype, right.shape), field.name
            assert left.tobytes() == right.tobytes(), field.name  # bit for bit, -0.0 included
        elif field.name == "metadata":
            assert dict(left) == dict(right)
        else:
            assert left == right, field.name


@st.composite
def tables(draw: st.DrawFn) -> IOTable:
    """A balanced table built from a productive A: x = L f, Z = A diag(x), value added = the rest."""
    n = draw(st.integers(2, 8))
    raw = draw(arrays(np.float64, (n, n), elements=st.floats(0.0, 1.0)))
    sparsity = draw(arrays(np.bool_, (n, n)))
    raw = np.where(sparsity, 0.0, raw)
    col_share = draw(arrays(np.float64, n, elements=st.floats(0.05, 0.9)))
    A = raw / np.maximum(raw.sum(axis=0), 1e-12) * col_share  # columns sum to < 0.9
    f = draw(arrays(np.float64, n, elements=st.floats(1.0, 1000.0)))
    x = np.linalg.solve(np.eye(n) - A, f)
    Z = A * x
    va = x - Z.sum(axis=0)
    # pay and jobs per £ of output within a factor of 50 of one another across sectors, as in real
    # tables: a direct coefficient below 2% of the average makes its ratio multiplier NaN
    # (kil_io.model.multipliers.RATIO_MIN_SHARE), tested on its own
    coe_share = draw(arrays(np.float64, n, elements=st.floats(0.3, 0.9)))
    # households buy less than their pay on domestic output, as in every real table
    hh_share = min(draw(st.floats(0.2, 0.8)), 0.9 * float((coe_share * va).sum() / f.sum()))
    # every sector (a region may hold one alone) in kil_io.model.units' bands: £16,000 to £50,000 of pay
    # per FTE, and so 0.6 to 56 FTE per £1m (pay is 3% to 90% of output), jobs per £ within a factor of 47
    pay = draw(st.floats(20_000.0, 40_000.0)) / draw(arrays(np.float64, n, elements=st.floats(0.8, 1.25)))
    fte = coe_share * va * 1e6 / pay
    s = [f"S{i}" for i in range(n)]
    return IOTable.from_frames(
        pd.DataFrame(Z, index=s, columns=s),
        pd.DataFrame({"households": hh_share * f, "exports": (1 - hh_share) * f}, index=s),
        pd.DataFrame(
            [coe_share * va, (1 - coe_share) * va],
            index=["compensation_of_employees", "gross_operating_surplus"],
            columns=s,
        ),
        employment=pd.Series(fte, index=s),
        area="random",
    )
