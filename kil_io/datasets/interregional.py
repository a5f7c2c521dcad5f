"""``model()``: the interregional model of every Great Britain authority, from the data kil_io ships.

Each authority's own block is the FLQ local table :func:`kil_io.datasets.regional_iot` makes for it
(the same location quotients, output levels from ONS regional GVA, supply cap and household rule,
computed for all authorities at once by :func:`kil_io.regional.regioninputs._regions`); places and
distances come from the postcode grid (:mod:`~kil_io.regional.interregional.geography`), trade shares
from gravity (:mod:`~kil_io.regional.interregional.gravity`), where workers live from Census 2021 and
kil_io's commuting model (:mod:`~kil_io.regional.interregional.commuting`); the arrays and solve are
:mod:`kil_io.regional.interregional`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kil_io import datasets
from kil_io.datasets.commuting_model import model_characteristics, postcode_grid
from kil_io.datasets.files import data_dir
from kil_io.datasets.gva import DEFAULT_OUTPUT, Output, _check_output
from kil_io.datasets.household import _commuting as census_totals
from kil_io.datasets.household import _flows as census_flows
from kil_io.datasets.uk import on_sectors
from kil_io.errors import AreaError
from kil_io.model.closure import household_income_total
from kil_io.model.multipliers import direct_coefficients
from kil_io.regional.interregional import geography
from kil_io.regional.interregional.commuting import CommutingFit, commuting_matrix, fit_commuting_decay
from kil_io.regional.interregional.economy import Interregional
from kil_io.regional.interregional.gravity import DEFAULT_BETA, check_beta, decay_matrices, locality_index
from kil_io.regional.interregional.system import InterregionalSystem
from kil_io.regional.quotients import DEFAULT_DELTA, HouseholdRule, Method, check_household_rule, check_method
from kil_io.regional.regioninputs import _employment_matrix, _output_scale, _regions

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kil_io.model.table import IOTable

    FloatArray = NDArray[np.float64]

#: Employment year of the model by default: the year of the shipped cases' local tables.
DEFAULT_YEAR = 2021


def model(
    year: int | None = None,
    *,
    national_year: int | None = None,
    method: Method = "flq",
    delta: float = DEFAULT_DELTA,
    beta: float = DEFAULT_BETA,
    areas: Sequence[Any] | None = None,
    output: Output = DEFAULT_OUTPUT,
    household_rule: HouseholdRule = "local_services",
) -> Interregional:
    """The interregional model of Great Britain's authorities (Chenery-Moses; see :mod:`kil_io.interregional`).

    Parameters
    ----------
    year : int, optional
        Employment year of the local tables, 2015-2022 (default :data:`DEFAULT_YEAR`, 2021).
    national_year : int, optional
        UK table (default :func:`kil_io.datasets.national_year_for`: 2023).
    method : {"slq", "cilq", "flq", "aflq"}
        Location quotients of the authorities' own blocks.
    delta : float
        FLQ/AFLQ delta in [0, 1) (default 0.225, kil_io's Scotland fit) [ratio].
    beta : float
        Distance decay of trade, in [0, 5] (default 1.0; :mod:`~kil_io.regional.interregional.gravity`) [ratio].
    areas : sequence, optional
        Build the model of these areas' authorities only (a closed economy of them, for checks and
        tests); default every GB authority (350).
    output : {"gva", "employment"}
        Output levels, as :func:`kil_io.datasets.regional_iot`.
    household_rule : {"local_services", "as_industry", "slq"}
        Households' local purchases, as :func:`kil_io.datasets.regional_iot`.

    Returns
    -------
    Interregional
        Cached: the same arguments give the same object.

    Raises
    ------
    RegionError
        ``method``, ``delta`` or ``beta`` outside its domain (the message says which and why).
    AreaError
        An area that is not a GB authority or a group of them (Northern Ireland has no local tables).
    DatasetError
        A year without employment or GVA.

    Examples
    --------
    >>> import kil_io
    >>> m = kil_io.interregional.model()  # doctest: +SKIP
    >>> m.effects("Calderdale", {"Q87 & Q88": 1.0}, kind="type_ii")  # doctest: +SKIP
    """
    year = DEFAULT_YEAR if year is None else year
    check_method(method, delta)
    beta = check_beta(beta)
    _check_output(output)
    rule = check_household_rule(household_rule)
    nat_year = datasets.national_year_for(year) if national_year is None else national_year
    return _model(int(year), int(nat_year), method, float(delta), beta, _authority_codes(areas), output, rule)


@dataclass(frozen=True, eq=False)
class _Inputs:
    """What the model needs that does not depend on delta or beta."""

    national: IOTable
    re: FloatArray
    ne: FloatArray
    scale: FloatArray
    names: tuple[str, ...]


def _authority_codes(areas: Sequence[Any] | None) -> tuple[str, ...]:
    table = datasets.areas("local_authority")
    gb = tuple(sorted(table.loc[~table["code"].str.startswith("N"), "code"]))
    if areas is None:
        return gb
    if isinstance(areas, str):
        areas = [areas]
    codes: set[str] = set()
    for a in areas:
        where = datasets.area(a)
        ni = [c for c in where.members if c.startswith("N")]
        if ni:
            raise AreaError(f"{where.label}: Northern Ireland has no local tables (BRES does not cover it); an "
                            "interregional model is of Great Britain's authorities")  # fmt: skip
        codes.update(where.members)
    if len(codes) < 2:
        raise AreaError(f"an interregional model needs at least two authorities; {list(areas)} give {len(codes)}")
    return tuple(c for c in gb if c in codes)


@cache
def _inputs(year: int, national_year: int, codes: tuple[str, ...], output: str) -> _Inputs:
    national = datasets.uk_iot(national_year)
    group = [datasets.area(c) for c in codes]
    employment = datasets.employment_table(group, year, basis="authorities")
    gb = datasets.national_employment(year, basis="authorities")
    # each authority's output levels exactly as regional_iot makes them (by default ONS's GVA by industry group),
    # from copies on the table's industries without attrs (pandas deep-copies attrs at every step: 6x slower)
    rows, total = on_sectors(employment, national.sectors).copy(), on_sectors(gb, national.sectors).copy()
    rows.attrs, total.attrs = {}, {}
    scales = pd.DataFrame(
        [datasets.output_scale(a, year, national, output=output, local=rows.iloc[k], gb=total)  # type: ignore[arg-type]
         for k, a in enumerate(group)],
        index=employment.index,
    )  # fmt: skip
    re, ne, _ = _employment_matrix(national.sectors, employment, gb)
    return _Inputs(national, re, ne, _output_scale(national.sectors, scales), tuple(a.name for a in group))


@cache
def _places(codes: tuple[str, ...]) -> tuple[pd.DataFrame, FloatArray, NDArray[np.bool_]]:
    grid = postcode_grid(str(data_dir()))
    places = geography.centroids(grid, codes)
    return places, geography.distances(places), geography.neighbours(grid, codes)


@cache
def commuting(codes: tuple[str, ...]) -> tuple[FloatArray, CommutingFit, tuple[str, ...]]:
    """The workplace -> home matrix of these authorities, its decay fit and notes (:mod:`.commuting`).

    Returns
    -------
    P : ndarray, shape (R, R)
        ``P[h, s]``, share of workplace ``s``'s workers living in ``h`` [share].
    fit : CommutingFit
    notes : tuple of str
    """
    folder = str(data_dir())
    at = {c: k for k, c in enumerate(codes)}
    flows = census_flows(folder)
    flows = flows[flows["home"].isin(at) & flows["work"].isin(at)]
    R = len(codes)
    counts = np.zeros((R, R))
    home, work = flows["home"].map(at).to_numpy(np.intp), flows["work"].map(at).to_numpy(np.intp)
    counts[home, work] = flows["count"].to_numpy(float)
    totals = census_totals(folder).set_index("area")
    covered = np.array([c in totals.index for c in codes])
    traits = model_characteristics(folder).reindex(list(codes))
    population = traits["population"].to_numpy(dtype=np.float64)
    _, distance, _ = _places(codes)
    fit = fit_commuting_decay(counts, covered, population, distance)
    jobs = traits["employment"].to_numpy(dtype=np.float64)
    ew = totals.index[totals.index.str[0].isin(["E", "W"])]
    per_job = float(totals.loc[ew, "workplace_jobs"].sum() / model_characteristics(folder).loc[ew, "employment"].sum())
    share = np.array([datasets.commuting(c).resident_share if not covered[k] else np.nan for k, c in enumerate(codes)])
    P = commuting_matrix(counts, covered, share, jobs * per_job, population, distance, fit.gamma, codes=codes)
    notes = (
        (f"pay routed from workplace to home by Census 2021 ODWP01EW for the {int(covered.sum())} England and Wales "
         "workplaces (people travelling to a workplace)"),
        (f"{int((~covered).sum())} Scottish workplaces: kil_io's modelled resident share, the census's commuters from "
         f"England and Wales (over BRES jobs x {per_job:.3f} people travelling to a workplace per job), the rest in "
         f"other Scottish authorities by population x distance^-{fit.gamma:.2f} (fitted on England and Wales's "
         f"{fit.flows:,} commuters between authorities)"),
    )  # fmt: skip
    return P, fit, notes


@cache
def _model(year: int, national_year: int, method: Method, delta: float, beta: float, codes: tuple[str, ...],
           output: str, rule: HouseholdRule) -> Interregional:  # fmt: skip
    base = _base(year, national_year, method, delta, codes, output, rule)
    return base if beta == base.about["beta"] else base.with_beta(beta)


@cache
def _base(year: int, national_year: int, method: Method, delta: float, codes: tuple[str, ...], output: str,
          rule: HouseholdRule) -> Interregional:  # fmt: skip
    """The model at :data:`DEFAULT_BETA`; other betas reuse its authorities' blocks."""
    inputs = _inputs(year, national_year, codes, output)
    national = inputs.national
    reg = _regions(national, inputs.re, inputs.ne, method, np.full(len(codes), delta), None, inputs.scale, rule)
    n = national.n
    outside = np.array([s in national.excluded for s in national.sectors])
    A = national.system_flows / np.where(national.output == 0, 1.0, national.output)
    local = reg.A
    local[:, outside, :] = 0.0  # the sectors outside the national Leontief system stay outside everywhere
    local[:, :, outside] = 0.0
    places, distance, near = _places(codes)
    P, fit, notes = commuting(codes)
    income = household_income_total(national)
    system = InterregionalSystem(
        A=A, local=np.minimum(local, A[None]), supply=reg.share * national.output,
        decay=decay_matrices(distance, DEFAULT_BETA), groups=locality_index(national.sectors),
        direct=np.asarray(direct_coefficients(national)), consumption=national.households / income,
        local_consumption=reg.rpc, commuting=P, codes=codes, sectors=national.sectors,
    )  # fmt: skip
    about = {
        "year": year, "national_year": national_year, "national_table": national.label.strip("'"), "method": method,
        "delta": delta if method in ("flq", "aflq") else None, "beta": DEFAULT_BETA, "household_rule": rule,
        "output": output, "authorities": len(codes), "industries": n, "commuting_gamma": fit.gamma,
        "household_income": income, "outside_system": list(national.excluded),
        "notes": [*notes,
                  f"{list(national.excluded)} outside the Leontief system in every authority, as in the national table",
                  ("the national table is the UK's; Northern Ireland has no local tables, so the UK's technology "
                   "and demand are those of Great Britain's authorities")],
    }  # fmt: skip
    return Interregional(
        system=system, codes=codes, names=inputs.names, sectors=national.sectors, sector_names=national.names,
        places=places, neighbours=near, distance=distance, resolve=_resolve, about=about, region=_region,
    )  # fmt: skip


def _resolve(area: Any) -> tuple[str, tuple[str, ...]]:
    where = datasets.area(area)
    return where.name, where.members


def _region(codes: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    """The region an area's places are named in: its first authority's combined authority, else its ITL2 region.

    None when the area already holds the whole region (a combined authority, an ITL2 region or larger).
    """
    parents = [datasets.area(p) for p in datasets.area(codes[0]).parents]
    for kind in ("combined_authority", "itl2"):
        found = [p for p in parents if p.kind == kind]
        if found:
            if set(found[0].members) <= set(codes):
                return None
            return found[0].name, found[0].members
    return None
