r"""The resident share of areas without census commuting flows: a logit-linear model fitted on England and Wales.

The resident share ``s`` (share of an area's workplace jobs held by its residents) closes a local Type II
model. England and Wales authorities have it from Census 2021 (ODWP01EW); Scotland's 2022 census flows are
not shipped. For Scottish authorities (and groups of them) kil_io estimates ``s`` from characteristics
every GB authority has, by ordinary least squares on the logit of the 318 England and Wales authorities'
shares (Census 2021, people travelling to a workplace):

.. math::

    \operatorname{logit} s = b_0 + b_1 \ln(1 - c_5 + 0.01) + b_2 \ln(1 - c_{30} + 0.01)
        + b_3 \ln(E / P) + b_4 \ln P + u, \qquad u \sim N(0, \sigma^2)

* :math:`c_d`, the **catchment share** at radius :math:`d` km: for a postcode of the area, the share of
  the postcodes within :math:`d` km that are in the area, averaged over the area's postcodes (ONS
  Postcode Directory, counted on a 1 km grid). It is the share of the area's own in the pool a worker
  there is drawn from if workers lived anywhere within :math:`d` km of their job: low for a suburb
  beside a city, 1 for an island. 5 and 30 km are the bands of Scotland's census distance-to-work
  tables (NRS, 2011: 36% of those travelling to work travelled under 5 km, 8% 30 km or more). Each
  enters as the log of the outside share :math:`1 - c_d`, floored at 0.01 because an island's is 0 (for
  the 5 km term the residual sum of squares is flat for floors from 0.003 to 0.03). A regional term
  linear in :math:`c_{30}` fits England and Wales a little better (:math:`R^2` 0.87 against 0.86) but
  puts Orkney at 0.90 (90% interval 0.85-0.94), below the 95% or more that Scotland's 2011 census
  found on its islands and in Highland; the log form puts them at 0.94-0.95.
* :math:`E / P`: jobs per resident, BRES employment (2016, the latest year by authority) over the ONS
  mid-2021 population; an area with more jobs than workers draws them from elsewhere.
* :math:`P`: population (mid-2021); a larger area holds more of its commuting.

The share of an area's *residents* working in it would predict better but is what Scotland lacks. The
fit (:func:`fit_logit_linear`) reports :math:`R^2`, the residual standard deviation and leave-one-out
errors (from the hat matrix: :math:`e_i / (1 - h_{ii})`); the range of an estimate is the 90% prediction
interval :math:`\hat y_0 \pm t_{0.95, n-k}\, \hat\sigma \sqrt{1 + x_0' (X'X)^{-1} x_0}` on the logit
scale, mapped to shares.

Files read (written by ``scripts/build_commuting_data.py``; provenance in ``data/README.md``):

* ``commuting_model_lad.csv``: every UK authority's population (mid-2021) and, for Great Britain, its
  BRES employment (2016) and catchment shares at 5 and 30 km.
* ``postcode_grid_gb.csv.gz``: GB postcodes by authority and 1 km grid square (what the catchment of a
  group of authorities is computed from).

References
----------
Miller, R. E. and Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed., section 2.5 (closing the model
with households). Greene, W. H. (2012). *Econometric Analysis*, 7th ed., section 4.8 (prediction
intervals). National Records of Scotland (2014), *Origin destination - key points*, Census 2011
(https://www.scotlandscensus.gov.uk/origin-destination-key-points).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import signal, stats

from kil_io.errors import DatasetError, ModelError, ReaderError

FloatArray = NDArray[np.float64]

MODEL_FILE = "commuting_model_lad.csv"
GRID_FILE = "postcode_grid_gb.csv.gz"
#: Catchment radii [km]: the local and the regional pool of workers.
RADII_KM: tuple[int, int] = (5, 30)
#: Floor of the outside shares in their logs [share].
FLOOR = 0.01
#: Coverage of the prediction interval that is an estimate's range.
LEVEL = 0.90
TERMS: tuple[str, ...] = (
    "intercept",
    "log(outside share within 5 km + 0.01)",
    "log(outside share within 30 km + 0.01)",
    "log(jobs per resident)",
    "log(population)",
)


@dataclass(frozen=True)
class Characteristics:
    """What the model knows of an area (an authority or a group of them).

    Attributes
    ----------
    population : float
        Residents, ONS mid-2021 estimate [persons].
    employment : float
        BRES employment, 2016 [jobs].
    catchment_5km, catchment_30km : float
        Catchment shares at 5 and 30 km (see the module notes) [share].
    """

    population: float
    employment: float
    catchment_5km: float
    catchment_30km: float

    def design(self) -> FloatArray:
        """The model's row of regressors, in the order of :data:`TERMS`."""
        return design_matrix([self])[0]


def design_matrix(areas: Sequence[Characteristics]) -> FloatArray:
    """Regressors of several areas, one row each, columns as :data:`TERMS`.

    Parameters
    ----------
    areas : sequence of Characteristics

    Returns
    -------
    ndarray, shape (len(areas), 5)

    Raises
    ------
    ModelError
        A population or employment that is not positive, or a catchment share outside [0, 1].
    """
    c = np.array([[a.population, a.employment, a.catchment_5km, a.catchment_30km] for a in areas], dtype=np.float64)
    c = c.reshape(-1, 4)
    bad = ~np.isfinite(c).all(axis=1) | (c[:, 0] <= 0) | (c[:, 1] <= 0) | (c[:, 2:] < 0).any(axis=1)
    bad |= (c[:, 2:] > 1).any(axis=1)
    if bad.any():
        raise ModelError(f"characteristics out of range: {areas[int(np.argmax(bad))]}")
    population, employment, local, regional = c.T
    logs = [
        np.log(1 - local + FLOOR),
        np.log(1 - regional + FLOOR),
        np.log(employment / population),
        np.log(population),
    ]
    return np.column_stack([np.ones(len(c)), *logs])


@dataclass(frozen=True, eq=False)
class ResidentShareFit:
    r"""A fitted logit-linear model of a share: coefficients, fit statistics and prediction intervals.

    Attributes
    ----------
    terms : tuple of str
        Names of the regressors.
    coefficients, standard_errors : ndarray
        OLS estimates on the logit scale and their standard errors.
    n : int
        Observations fitted.
    r_squared : float
        On the logit scale.
    residual_sd : float
        :math:`\hat\sigma`, on the logit scale.
    loo_rmse, loo_mae : float
        Leave-one-out root mean square and mean absolute error of the share [share].
    loo_rmse_logit : float
        Leave-one-out root mean square error on the logit scale.
    level : float
        Coverage of the prediction intervals :meth:`predict` gives.
    """

    terms: tuple[str, ...]
    coefficients: FloatArray
    standard_errors: FloatArray
    n: int
    r_squared: float
    residual_sd: float
    loo_rmse: float
    loo_mae: float
    loo_rmse_logit: float
    level: float
    xtx_inverse: FloatArray

    def predict(self, X: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Shares predicted for rows of regressors, with the ends of their prediction intervals.

        Parameters
        ----------
        X : ndarray, shape (m, k)

        Returns
        -------
        share, low, high : ndarray, shape (m,)
            The fitted share and the :attr:`level` prediction interval [share].
        """
        X = np.atleast_2d(np.asarray(X, dtype=np.float64))
        centre = X @ self.coefficients
        spread = self.residual_sd * np.sqrt(1 + np.einsum("ij,jk,ik->i", X, self.xtx_inverse, X))
        t = float(stats.t.ppf(0.5 + self.level / 2, self.n - len(self.terms)))
        return _expit(centre), _expit(centre - t * spread), _expit(centre + t * spread)

    def summary(self) -> str:
        """One line: the fit and its coefficients (standard errors)."""
        coefs = "; ".join(
            f"{name} {b:+.3f} ({se:.3f})"
            for name, b, se in zip(self.terms, self.coefficients, self.standard_errors, strict=True)
        )
        return (
            f"R² {self.r_squared:.2f} (logit scale), residual sd {self.residual_sd:.3f}, leave-one-out error "
            f"{self.loo_rmse:.3f} RMSE / {self.loo_mae:.3f} MAE (share), n = {self.n}; coefficients {coefs}"
        )


def fit_logit_linear(
    X: FloatArray, shares: FloatArray, *, terms: Sequence[str], level: float = LEVEL
) -> ResidentShareFit:
    """Ordinary least squares of ``logit(shares)`` on ``X``, with leave-one-out errors.

    Parameters
    ----------
    X : ndarray, shape (n, k)
        Regressors, a column of ones included.
    shares : ndarray, shape (n,)
        Observed shares, each strictly between 0 and 1 [share].
    terms : sequence of str
        Names of the ``k`` columns.
    level : float
        Coverage of the prediction intervals, in (0, 1).

    Returns
    -------
    ResidentShareFit

    Raises
    ------
    ModelError
        A share outside (0, 1), shapes that disagree, fewer observations than regressors plus one, or
        regressors that are not linearly independent.

    Examples
    --------
    >>> fit = fit_logit_linear(np.array([[1.0, 0], [1, 1], [1, 2]]), _expit(np.array([0.0, 2, 1])), terms=("a", "x"))
    >>> fit.coefficients.round(6).tolist(), round(fit.r_squared, 6)
    ([0.5, 0.5], 0.25)
    """
    X = np.asarray(X, dtype=np.float64)
    s = np.asarray(shares, dtype=np.float64)
    n, k = X.shape if X.ndim == 2 else (0, 0)
    if X.ndim != 2 or s.shape != (n,) or len(terms) != k:
        raise ModelError(f"X is {X.shape}, shares {s.shape} and {len(terms)} terms: they must agree")
    if not (np.isfinite(X).all() and np.isfinite(s).all()) or ((s <= 0) | (s >= 1)).any():
        raise ModelError("shares must be finite and strictly between 0 and 1, regressors finite")
    if n <= k or np.linalg.matrix_rank(X) < k:
        raise ModelError(f"{n} observations of {k} regressors: too few, or the regressors are collinear")
    if not 0 < level < 1:
        raise ModelError(f"level must be in (0, 1), got {level!r}")
    y = np.log(s / (1 - s))
    inverse = np.asarray(np.linalg.inv(X.T @ X), dtype=np.float64)
    beta = inverse @ X.T @ y
    resid = y - X @ beta
    sigma2 = float(resid @ resid) / (n - k)
    hat = np.einsum("ij,jk,ik->i", X, inverse, X)
    loo = resid / (1 - hat)  # y_i minus its prediction from the other n - 1 observations
    loo_share = _expit(y - loo) - s
    centred = y - y.mean()
    return ResidentShareFit(
        terms=tuple(terms), coefficients=beta, standard_errors=np.sqrt(sigma2 * np.diag(inverse)), n=n,
        r_squared=1 - float(resid @ resid) / float(centred @ centred), residual_sd=float(np.sqrt(sigma2)),
        loo_rmse=float(np.sqrt(np.mean(loo_share**2))), loo_mae=float(np.mean(np.abs(loo_share))),
        loo_rmse_logit=float(np.sqrt(np.mean(loo**2))), level=float(level), xtx_inverse=inverse,
    )  # fmt: skip


def catchment_shares(
    grid: pd.DataFrame,
    members: Iterable[str],
    radii: Sequence[int] = RADII_KM,
    *,
    totals: dict[int, FloatArray] | None = None,
) -> tuple[float, ...]:
    """Catchment shares of a set of authorities: the area's own share of the postcodes near its postcodes.

    For each 1 km square holding postcodes of the area, the share of the postcodes in squares within
    ``d`` km (centre to centre) that are the area's, averaged over the area's postcodes.

    Parameters
    ----------
    grid : DataFrame
        Columns ``area`` (authority code), ``x_km``, ``y_km`` (non-negative integer grid square) and
        ``postcodes`` (a count), every authority of the landmass.
    members : iterable of str
        The area's authorities.
    radii : sequence of int
        Radii [km].
    totals : dict, optional
        ``radius -> ndarray``: every postcode's neighbourhood totals (:func:`neighbourhood_totals`),
        to reuse over many areas.

    Returns
    -------
    tuple of float
        One share per radius [share].

    Raises
    ------
    DatasetError
        None of ``members`` is in the grid.
    """
    codes = set(members)
    own = grid[grid["area"].isin(codes)]
    if own.empty:
        raise DatasetError(f"no postcodes in the grid for {sorted(codes)[:5]}")
    totals = totals if totals is not None else neighbourhood_totals(grid, radii)
    x, y, n = (own[c].to_numpy(dtype=np.int64) for c in ("x_km", "y_km", "postcodes"))
    out = []
    for d in radii:
        # the area's own postcodes all lie in its bounding box, so the box needs no margin
        x0, y0 = int(x.min()), int(y.min())
        box = np.zeros((int(x.max()) - x0 + 1, int(y.max()) - y0 + 1))
        np.add.at(box, (x - x0, y - y0), n)
        near = _disk_sum(box, d)[x - x0, y - y0]
        out.append(float(np.sum(n * near / totals[d][x, y]) / n.sum()))
    return tuple(out)


def neighbourhood_totals(grid: pd.DataFrame, radii: Sequence[int] = RADII_KM) -> dict[int, FloatArray]:
    """All postcodes within each radius of every grid square: ``radius -> array[x_km, y_km]``."""
    x, y, n = (grid[c].to_numpy(dtype=np.int64) for c in ("x_km", "y_km", "postcodes"))
    counts = np.zeros((int(x.max()) + 1, int(y.max()) + 1))
    np.add.at(counts, (x, y), n)
    return {d: _disk_sum(counts, d) for d in radii}


def _disk_sum(counts: FloatArray, d: int) -> FloatArray:
    """Sum of ``counts`` over the squares within ``d`` of each square (exact: counts are whole numbers)."""
    i, j = np.mgrid[-d : d + 1, -d : d + 1]
    disk = (i**2 + j**2 <= d * d).astype(np.float64)
    # an FFT convolution of whole numbers is whole up to rounding error far below 0.5
    return np.rint(signal.fftconvolve(counts, disk, mode="same"))


def _expit(z: FloatArray) -> FloatArray:
    return np.asarray(1 / (1 + np.exp(-z)), dtype=np.float64)


@cache
def model_characteristics(folder: str) -> pd.DataFrame:
    """``commuting_model_lad.csv``: one row per UK authority (``area``), Northern Ireland's with population only."""
    path = Path(folder) / MODEL_FILE
    if not path.is_file():
        raise DatasetError(f"{path}: dataset file missing; rebuild data/ with scripts/build_data.py")
    frame = pd.read_csv(path, dtype={"area": str, "name": str}).set_index("area")
    expected = ["name", "population", "employment", "catchment_5km", "catchment_30km"]
    if list(frame.columns) != expected or frame.index.duplicated().any():
        raise ReaderError(f"{path}: expected one row per area with columns area, {', '.join(expected)}")
    gb = ~frame.index.str.startswith("N")
    values = frame[expected[1:]]
    if values.loc[gb].isna().any(axis=None) or frame["population"].isna().any():
        raise ReaderError(f"{path}: a Great Britain authority without every characteristic")
    shares = values.loc[gb, ["catchment_5km", "catchment_30km"]]
    if (values.loc[gb] <= 0).any(axis=None) or (shares > 1).any(axis=None):
        raise ReaderError(f"{path}: populations and jobs must be positive, catchment shares in (0, 1]")
    return frame


@cache
def postcode_grid(folder: str) -> pd.DataFrame:
    """``postcode_grid_gb.csv.gz``: GB postcodes by authority and 1 km square."""
    path = Path(folder) / GRID_FILE
    if not path.is_file():
        raise DatasetError(f"{path}: dataset file missing; rebuild data/ with scripts/build_data.py")
    frame = pd.read_csv(path, dtype={"area": str})
    if list(frame.columns) != ["area", "x_km", "y_km", "postcodes"] or (frame[["x_km", "y_km"]] < 0).any(axis=None):
        raise ReaderError(f"{path}: expected columns area, x_km, y_km, postcodes with non-negative squares")
    if (frame["postcodes"] <= 0).any():
        raise ReaderError(f"{path}: a grid square with no postcodes")
    return frame


@cache
def _totals(folder: str) -> dict[int, FloatArray]:
    return neighbourhood_totals(postcode_grid(folder))


def characteristics(folder: str, members: Sequence[str]) -> Characteristics:
    """The model's characteristics of an authority or a group of them (catchments from the grid for a group).

    Raises
    ------
    DatasetError
        A member without them (Northern Ireland: no BRES employment, a grid of its own).
    """
    frame = model_characteristics(folder)
    missing = [c for c in members if c not in frame.index or pd.isna(frame.at[c, "employment"])]
    if missing:
        raise DatasetError(
            f"no resident-share model characteristics for {', '.join(missing[:5])}: the model needs BRES employment "
            "and a place on the Great Britain postcode grid (Northern Ireland has neither here)"
        )
    rows = frame.loc[list(members)]
    if len(members) == 1:
        local, regional = float(rows["catchment_5km"].iloc[0]), float(rows["catchment_30km"].iloc[0])
    else:
        local, regional = catchment_shares(postcode_grid(folder), members, totals=_totals(folder))
    return Characteristics(
        population=float(rows["population"].sum()), employment=float(rows["employment"].sum()),
        catchment_5km=local, catchment_30km=regional,
    )  # fmt: skip
