"""How much of their spending households buy in their own region: Scotland's survey-based tables against kil_io's rules.

Called by ``scripts/build_data.py`` after every other file is written (the fit reads them back through
``kil_io.datasets``). On its own, into a folder that holds the other data files already::

    python scripts/build_household_purchases.py --raw ../shared/data-raw --out data

Writes, into the output folder:

    sg_household_purchases.csv      Scottish households' purchases by IOC098 product, 1998-2019, at basic
                                    prices (£m): of Scottish output (SG's domestic product-by-product table),
                                    from the rest of the UK and from the rest of the world (SG publishes the
                                    two totals; split by product here, see below)
    uk_household_purchases_2017.csv UK households' purchases by product (105 CPA products, IOAT codes) of UK
                                    output and of imports, 2017, basic prices (£m): ONS product-by-product
                                    tables (the only shipped year with an imports use table)
    household_purchases_fit.csv     error of each household purchase rule against Scotland, by year 2015-2019
                                    and pooled (the rules: kil_io.regional.quotients.household_purchase_coefficients)

Method (also in data/README.md, "Households' local purchases"):

- SG publishes households' purchases of Scottish output by product, but their purchases from the rest of the UK
  (RUK) and of the world (RoW) as two totals only (rows ``RUKImp`` and ``RoWImp`` of the ``HOUSEHOLD`` column).
  By product: Scottish residents' spending outside Scotland (``NDom_*`` of SG's imports detail) goes to
  households whole; the other imports of a product go to households in proportion to their share of the
  product's Scottish output used in Scotland (import proportionality); the proportional part is then scaled so
  that the products add up to SG's published total (factor printed, 0.78-0.98 over 1998-2019).
- kil_io's household coefficient is a share of purchases of *UK-made* output. A good bought from an RUK supplier
  is not always RUK-made (a car imported through an English distributor), so for goods (SIC A-F) the
  comparable Scottish share is Scottish / UK-made, the UK-made part of Scottish households' purchases of the
  good (from Scotland, RUK and RoW) taken at UK households' UK-made share of it (ONS 2017); a service bought
  from an RUK supplier (a hotel in England, an English insurer) is RUK output: Scottish / (Scottish + RUK).
  That is basis ``origin``. Basis ``supplier`` counts every RUK purchase as RUK output (SG as published).
- The model side: each rule's coefficients for Scotland (BRES employment of the year against Great Britain's,
  as ``kil_io.datasets.regional_iot``; UK 2019 table), before the supply cap (no sector of Scotland is capped
  under the default rule), summed to the sectors the two classifications share
  (``concordance_ioat_ioc098.csv``) with UK households' purchases as weights. Error: weighted mean absolute
  difference of the shares, in percentage points, weights = the survey's purchases (UK-made or Scottish + RUK);
  bias: weighted mean difference (model's local share minus the survey's on the survey's weights). A rule with a
  parameter is fitted on a grid (0 to 0.95 by 0.025): by year, leave-one-year-out (fitted on the other four
  years, scored on this one); pooled, on all five.
- From Scotland to a local authority (printed, no file; data/README.md quotes it): :func:`small_area`, how much of
  their purchases Calderdale's households buy locally in its 2021 table under ``local_services`` and
  ``as_industry``, at basic prices and counted the way a staff survey counts pay "spent locally".
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kil_io import datasets
from kil_io.datasets.files import DATA_ENV
from kil_io.errors import ReaderError
from kil_io.readers import SG_IOC098, normalise_label
from kil_io.regional.quotients import (
    DEFAULT_DELTA,
    HouseholdRule,
    _slq,
    flq_lambda,
    household_purchase_coefficients,
    household_services,
)

REPO = Path(__file__).resolve().parents[1]
SG_DIR = "sg-io-1998-2019"
SG_YEARS = tuple(range(1998, 2020))
FIT_YEARS = tuple(range(2015, 2020))
UK_2017 = "ons-ioat-2017-pxp/nasu1719pr.xlsx"
#: 2017 CPA product codes that the 2019-2022 IOAT writes differently
UK_2017_CODES = {"C241_3": "C241T243", "C11.01-6 & C12": "C1101T1106 & C12", "H493_5": "H493T495"}
GRID = tuple(float(d) for d in np.round(np.arange(0.0, 0.9501, 0.025), 3))
TABLE_DELTA = DEFAULT_DELTA  # kil_io's FLQ delta, which "as_industry" and "local_services" use for goods
#: rule -> (description, fitted?)
RULES = {
    "as_industry": (
        f"min(1, lambda* SLQ_i) for every product (delta {TABLE_DELTA:g}): kil_io's rule before local_services"
    ),
    "slq": "min(1, SLQ_i) for every product",
    "household_delta": "min(1, lambda_h SLQ_i) for every product, households' own delta fitted",
    "local_services": (
        f"services (SIC G-U) min(1, SLQ_i), goods min(1, lambda* SLQ_i) (delta {TABLE_DELTA:g}): the default"
    ),
    "local_services_goods_delta": "services min(1, SLQ_i), goods min(1, lambda_h SLQ_i), goods' own delta fitted",
}
FITTED = ("household_delta", "local_services_goods_delta")
#: the local authority data/README.md carries the rule to: the shipped cases' area and year
SMALL_AREA = ("Calderdale", 2021)
#: its upper and lower bound (data/README.md)
SMALL_AREA_RULES: tuple[HouseholdRule, ...] = ("local_services", "as_industry")
#: share of their pay commuters into an area spend there, low and high (data/README.md) [share]
COMMUTER_SPEND = (0.0, 0.2)


def fail(path: Path | str, message: str) -> ReaderError:
    return ReaderError(f"{path}: {message}")


def _wide(raw: Path, name: str, columns: list[str]) -> pd.DataFrame:
    path = raw / SG_DIR / name
    frame = pd.read_excel(path, dtype={"ioc098_sic": str})
    missing = sorted({"year", "ioc098_sic", *columns} - set(frame.columns))
    if missing:
        raise fail(path, f"columns {missing} missing")
    if sorted(set(frame["year"])) != list(SG_YEARS):
        raise fail(path, f"years {sorted(set(frame['year']))} differ from {SG_YEARS[0]}-{SG_YEARS[-1]}")
    return frame.set_index(["year", "ioc098_sic"])[columns]


def sg_household_purchases(raw: Path) -> tuple[pd.DataFrame, dict[int, dict[str, float]]]:
    """Scottish households' purchases by IOC098 product and year (£m), and the scale factors by year."""
    pxp = _wide(raw, "PxP_wide.xlsx", ["HOUSEHOLD", "TOT_IU", "TOT_FC", "TOT_GCF"])
    imports = _wide(raw, "Imports_Detail_wide.xlsx", ["NDom_RUK", "NDom_RoW", "Other_Imports_RUK", "Other_Imports_RoW"])
    rows = list(SG_IOC098.values())
    parts, factors = [], {}
    for year in SG_YEARS:
        table, detail = pxp.loc[year], imports.loc[year]
        missing = sorted(set(rows) - set(table.index)) + sorted(set(rows) - set(detail.index))
        if missing:
            raise fail(raw / SG_DIR, f"{year}: IOC098 rows {missing[:5]} missing")
        households = table.loc[rows, "HOUSEHOLD"]
        used_here = table.loc[rows, ["TOT_IU", "TOT_FC", "TOT_GCF"]].sum(axis=1)  # Scottish output used in Scotland
        out = {"scottish": households.to_numpy()}
        factors[year] = {}
        for source, row in (("RUK", "RUKImp"), ("RoW", "RoWImp")):
            published = float(table.loc[row, "HOUSEHOLD"])
            abroad = detail.loc[rows, f"NDom_{source}"]
            share = (households / used_here.where(used_here > 0)).fillna(0.0)
            proportional = share * detail.loc[rows, f"Other_Imports_{source}"]
            k = (published - abroad.sum()) / proportional.sum()
            if not 0.5 < k < 1.5:
                raise fail(raw / SG_DIR, f"{year}: households' {source} imports by product need a factor of {k:.3f}")
            factors[year][source] = k
            out["rest_of_uk" if source == "RUK" else "rest_of_world"] = (abroad + k * proportional).to_numpy()
        frame = pd.DataFrame({"year": year, "code": list(SG_IOC098), **out})
        parts.append(frame)
    return pd.concat(parts, ignore_index=True), factors


def uk_household_purchases(raw: Path) -> pd.DataFrame:
    """UK households' purchases of UK output and of imports by product, 2017 (£m, basic prices)."""
    path = raw / UK_2017
    columns = {}
    for sheet, name in (("IOT", "uk_output"), ("Imports use pxp", "imports")):
        frame = pd.read_excel(path, sheet_name=sheet, header=None)
        header = [str(v).strip() for v in frame.iloc[3]]
        if "P3 S14" not in header:
            raise fail(path, f"sheet {sheet!r}: no households' column P3 S14 on row 4")
        codes = [normalise_label(str(c)).removeprefix("CPA_") for c in frame.iloc[6:111, 0]]
        codes = [UK_2017_CODES.get(c, c) for c in codes]
        columns[name] = pd.Series(frame.iloc[6:111, header.index("P3 S14")].to_numpy(float), index=codes)
    out = pd.DataFrame(columns)
    out.index.name = "code"
    return out


@dataclass(frozen=True)
class _Year:
    """One fit year: Scotland's quotients and size, UK households' purchases, the survey's shares."""

    slq: np.ndarray  # (n,) Scotland's SLQ by IOAT industry
    size: float  # Scotland's employment / Great Britain's
    services: np.ndarray  # (n,) bool
    consumption: pd.Series  # UK households' purchases of UK output by IOAT industry (£m)
    to_common: pd.Series  # IOAT industry -> common sector
    survey: dict[str, tuple[pd.Series, pd.Series]]  # basis -> (bought in Scotland, bought in the UK) by common sector


@contextmanager
def _reading(out: Path) -> Iterator[None]:
    """Read ``kil_io.datasets`` from ``out``: the files just written (every dataset cache is per folder)."""
    before = os.environ.get(DATA_ENV)
    os.environ[DATA_ENV] = str(out)
    try:
        yield
    finally:
        if before is None:
            del os.environ[DATA_ENV]
        else:
            os.environ[DATA_ENV] = before


def _fit_inputs(out: Path) -> dict[int, _Year]:
    """Scotland's quotients and the survey's purchases by common sector, for each fit year (read from ``out``)."""
    concordance = datasets.ioat_ioc_concordance().set_index("code")
    to_common = {k: g["common"] for k, g in concordance.groupby("classification")}
    purchases = pd.read_csv(out / "sg_household_purchases.csv")
    uk17 = pd.read_csv(out / "uk_household_purchases_2017.csv", index_col="code").groupby(to_common["ioat"]).sum()
    uk_made = uk17["uk_output"] / uk17.sum(axis=1)
    scotland = datasets.area("Scotland")
    inputs = {}
    for year in FIT_YEARS:
        national = datasets.uk_iot(datasets.nearest_national_year(year))
        sectors = list(national.sectors)
        re = datasets.local_employment(scotland, year).reindex(sectors).to_numpy()[None, :]
        ne = datasets.national_employment(year, area=scotland).reindex(sectors).to_numpy()
        sg = purchases[purchases["year"] == year].set_index("code").groupby(to_common["ioc098"]).sum()
        total = sg[["scottish", "rest_of_uk", "rest_of_world"]].sum(axis=1)
        goods = ~household_services([c.split(" + ")[0] for c in sg.index])
        # a good from a rest-of-UK supplier may be made abroad; a service from one is rest-of-UK output
        made = pd.Series(
            np.where(
                goods, np.maximum(sg["scottish"], uk_made.reindex(sg.index) * total), sg["scottish"] + sg["rest_of_uk"]
            ),
            index=sg.index,
        )
        inputs[year] = _Year(
            slq=_slq(re, ne)[0],
            size=float(re.sum() / ne.sum()),
            services=household_services(sectors),
            consumption=pd.Series(national.households, index=sectors),
            to_common=to_common["ioat"].reindex(sectors),
            survey={"origin": (sg["scottish"], made), "supplier": (sg["scottish"], sg["scottish"] + sg["rest_of_uk"])},
        )
    return inputs


def _coefficients(year: _Year, rule: str, delta: float | None) -> np.ndarray:
    if rule in ("as_industry", "slq", "local_services"):  # kil_io's own rules, at the table's delta
        lam = np.atleast_1d(flq_lambda(year.size, 1.0, TABLE_DELTA))
        return household_purchase_coefficients(year.slq[None, :], lam, rule, "flq", year.services)[0]
    own = np.minimum(1.0, flq_lambda(year.size, 1.0, float(delta or 0.0)) * year.slq)
    return own if rule == "household_delta" else np.where(year.services, np.minimum(1.0, year.slq), own)


def _score(year: _Year, rule: str, delta: float | None, basis: str) -> tuple[float, float, float, float]:
    """Error and bias (pp), the survey's local share and the model's on the survey's weights."""
    rpc = _coefficients(year, rule, delta)
    model = (year.consumption * rpc).groupby(year.to_common).sum() / year.consumption.groupby(year.to_common).sum()
    local, bought = year.survey[basis]
    ok = (bought > 0) & model.reindex(bought.index).notna()
    w = bought[ok] / bought[ok].sum()
    gap = model.reindex(bought.index)[ok] - (local / bought)[ok]
    survey_share = float(local[ok].sum() / bought[ok].sum())
    bias = float((w * gap).sum())
    return 100 * float((w * gap.abs()).sum()), 100 * bias, survey_share, survey_share + bias


def fit(out: Path) -> pd.DataFrame:
    """The error table: basis x rule x (each year, leave-one-year-out where fitted; pooled)."""
    with _reading(out):
        inputs = _fit_inputs(out)
    rows = []
    for basis in ("origin", "supplier"):
        for rule, what in RULES.items():
            fitted = rule in FITTED

            def mean_error(delta: float, years: tuple[int, ...], r: str = rule, b: str = basis) -> float:
                return float(np.mean([_score(inputs[y], r, delta, b)[0] for y in years]))

            pooled = min(GRID, key=lambda d: mean_error(d, FIT_YEARS)) if fitted else None
            scores = []
            for year in FIT_YEARS:
                others = tuple(y for y in FIT_YEARS if y != year)
                delta = min(GRID, key=lambda d: mean_error(d, others)) if fitted else None
                wae, bias, survey, model = _score(inputs[year], rule, delta, basis)
                scores.append((wae, bias, survey, model))
                rows.append((basis, rule, str(year), delta, wae, bias, survey, model, what))
            wae, bias, survey, model = (
                np.mean([_score(inputs[y], rule, pooled, basis)[k] for y in FIT_YEARS]) for k in range(4)
            )
            rows.append((basis, rule, "pooled", pooled, wae, bias, survey, model, what))
    frame = pd.DataFrame(
        rows,
        columns=["basis", "rule", "year", "delta", "error_pp", "bias_pp", "survey_local_share",
                 "model_local_share", "rule_description"],
    )  # fmt: skip
    for column in ("error_pp", "bias_pp"):
        frame[column] = frame[column].round(2)
    for column in ("survey_local_share", "model_local_share"):
        frame[column] = frame[column].round(4)
    return frame


@dataclass(frozen=True)
class SmallArea:
    """How much a local authority's households buy locally under one household rule (see :func:`small_area`)."""

    area: str
    year: int
    rule: HouseholdRule
    lam: float  # the table's FLQ lambda* [ratio]
    retail: float  # retail's (G47) purchase coefficient, the shops' local share [share]
    uk_made: float  # of their purchases of UK output, basic prices, the rule's coefficients (before the cap) [share]
    uk_made_table: float  # the same in the area's table, after the supply cap [share]
    outlets: float  # of their spending, UK-made and imported, at local outlets: a survey's "spent locally" [share]
    resident_share: float  # workplace jobs held by residents (Census 2021) [share]
    staff: tuple[float, float]  # all staff's pay spent in the area, commuters spending COMMUTER_SPEND [share]


def small_area(area: str, year: int, rule: HouseholdRule) -> SmallArea:
    """A local authority's households' local purchases under ``rule``, at basic prices and a survey's way.

    Parameters
    ----------
    area : str
        A local authority (or any area :func:`kil_io.datasets.regional_iot` takes).
    year : int
        Employment year; the UK table is the shipped year nearest to it (2021: UK 2022), whose 105 products
        are those of ONS's 2017 household imports.
    rule : {"local_services", "as_industry"}
        Household purchase rule (:func:`kil_io.regional.quotients.household_purchase_coefficients`).

    Returns
    -------
    SmallArea
        ``uk_made``: the rule's coefficients (before the supply cap, as in the Scottish fit) on the area's
        quotients and the table's lambda*, weighted by UK households' purchases of UK output (the national
        table's households column); ``uk_made_table``: the same from the area's table (after the cap): its
        households' purchases per £ of pay over the nation's. ``outlets``, counted as a survey of "pay spent
        locally" counts, at purchasers' prices and with imports: UK households' imports by product (ONS 2017,
        ``uk_household_purchases_2017.csv``) scaled to the national table's households' total, services'
        UK-made purchases at their own coefficients, goods (SIC A-F) UK-made and imported at retail's (the
        shops' local share: a good bought in a local shop counts whole), imported services (bought abroad or
        from a foreign supplier) not locally. ``staff``: residents at ``outlets``, commuters at
        ``COMMUTER_SPEND``, by the area's resident share (:func:`kil_io.datasets.commuting`).
    """
    national_year = datasets.nearest_national_year(year)
    table = datasets.regional_iot(area, year, household_rule=rule, national_year=national_year)
    national = datasets.uk_iot(national_year)
    where = datasets.area(area)
    sectors = list(national.sectors)
    re = datasets.local_employment(where, year).reindex(sectors).to_numpy()[None, :]
    ne = datasets.national_employment(year, area=where).reindex(sectors).to_numpy()
    services = household_services(sectors)
    lam = float(table.metadata["lambda"])
    rpc = household_purchase_coefficients(_slq(re, ne), np.array([lam]), rule, "flq", services)[0]
    bought = national.households
    uk17 = pd.read_csv(datasets.data_dir() / "uk_household_purchases_2017.csv", index_col="code")
    if sorted(uk17.index) != sorted(sectors):
        raise fail("uk_household_purchases_2017.csv", f"products differ from {national.label}'s sectors")
    imports = uk17["imports"].reindex(sectors).to_numpy() * bought.sum() / uk17["uk_output"].sum()
    shops = rpc[sectors.index("G47")]
    local = (rpc * bought)[services].sum() + shops * (bought + imports)[~services].sum()
    outlets = float(local / (bought.sum() + imports.sum()))
    resident = datasets.commuting(where).resident_share
    return SmallArea(
        area=where.name,
        year=year,
        rule=rule,
        lam=lam,
        retail=float(shops),
        uk_made=float((rpc * bought).sum() / bought.sum()),
        uk_made_table=float((table.households.sum() / table.income.sum()) / (bought.sum() / national.income.sum())),
        outlets=outlets,
        resident_share=resident,
        staff=(
            resident * outlets + (1 - resident) * COMMUTER_SPEND[0],
            resident * outlets + (1 - resident) * COMMUTER_SPEND[1],
        ),
    )


def build(raw: Path, out: Path) -> list[str]:
    purchases, factors = sg_household_purchases(raw)
    purchases.round(4).to_csv(out / "sg_household_purchases.csv", index=False, lineterminator="\n")
    uk = uk_household_purchases(raw)
    uk.round(4).to_csv(out / "uk_household_purchases_2017.csv", lineterminator="\n")
    errors = fit(out)
    errors.to_csv(out / "household_purchases_fit.csv", index=False, lineterminator="\n")
    by_year = purchases.groupby("year")[["scottish", "rest_of_uk"]].sum()
    supplier = by_year["scottish"] / by_year.sum(axis=1)
    pooled = errors[errors["year"] == "pooled"].set_index(["basis", "rule"])
    ruk = [f["RUK"] for f in factors.values()]
    sg_line = (
        f"sg_household_purchases.csv: {len(purchases)} rows; Scottish households' Scottish / (Scottish + RUK), "
        f"basic prices: {supplier.min():.3f}-{supplier.max():.3f} over {SG_YEARS[0]}-{SG_YEARS[-1]} "
        f"(2019 {supplier[2019]:.3f}); by-product scale factors RUK {min(ruk):.2f}-{max(ruk):.2f}"
    )
    made = uk["uk_output"].sum() / uk.sum().sum()
    uk_line = f"uk_household_purchases_2017.csv: UK households' UK-made share {made:.3f}"
    lines = [sg_line, uk_line]
    for basis in ("origin", "supplier"):
        part = pooled.loc[basis]
        shown = ", ".join(
            f"{rule} {row.error_pp:.1f}" + (f" (delta {row.delta:g})" if rule in FITTED else "")
            for rule, row in part.iterrows()
        )
        lines.append(f"household_purchases_fit.csv, {basis}: pooled error (pp) {shown}")
    with _reading(out):
        small = [small_area(*SMALL_AREA, rule) for rule in SMALL_AREA_RULES]
    first = small[0]
    lines.append(
        f"data/README.md, {first.area} {first.year} (lambda* {first.lam:.3f}, retail {first.retail:.3f}, resident "
        f"share {first.resident_share:.3f}), households' local share of UK-made purchases (before the supply cap; "
        "in the table), at local outlets, all staff with commuters spending "
        f"{COMMUTER_SPEND[0]:g}-{COMMUTER_SPEND[1]:g}: "
        + "; ".join(
            f"{s.rule} {s.uk_made:.3f} ({s.uk_made_table:.3f}), {s.outlets:.3f}, {s.staff[0]:.3f}-{s.staff[1]:.3f}"
            for s in small
        )
    )
    return lines


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--raw", type=Path, default=REPO.parent / "shared" / "data-raw", help="raw files")
    parser.add_argument("--out", type=Path, default=REPO / "data", help="data folder, holding the other files")
    args = parser.parse_args()
    for line in build(args.raw.resolve(), args.out):
        print(line)
