r"""Where authorities are: centroids, distances and neighbours from the postcode grid kil_io ships.

``postcode_grid_gb.csv.gz`` counts Great Britain's postcodes by authority and 1 km square of the British
National Grid (ONS Postcode Directory; ``data/README.md``). Every figure here is computed from it at run
time, in a fraction of a second, so no file of distances is shipped:

* the **centroid** of an authority: the postcode-weighted mean easting and northing of its squares'
  centres [km] (where its addresses are, not the middle of its moors);
* the **distance** between two authorities: the root-mean-square distance between their postcodes,

  .. math:: d_{rs} = \sqrt{\lVert c_r - c_s \rVert^2 + \sigma_r^2 + \sigma_s^2},

  exact for postcodes at their squares' centres, with :math:`\sigma^2` the mean squared distance of an
  authority's postcodes from its centroid. Unlike the distance between centroids it is never near zero
  for an authority beside or around another (the centroids of two such authorities can be 0.4 km apart),
  and for distant pairs it is the distance between centroids;
* **neighbours**: authorities with postcodes in the same or an adjacent 1 km square (touching boundaries,
  seen through where people live).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kil_io.errors import AreaError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]


def centroids(grid: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Postcode-weighted centroid and spread of each authority.

    Parameters
    ----------
    grid : DataFrame
        Columns ``area``, ``x_km``, ``y_km`` (the square's south-west corner) and ``postcodes``.
    codes : sequence of str
        The authorities, in the order wanted.

    Returns
    -------
    DataFrame
        Index ``code``; columns ``x_km``, ``y_km`` (centroid: easting, northing of the squares' centres) and
        ``spread_km`` (root-mean-square distance of the postcodes from the centroid) [km], ``postcodes``.

    Raises
    ------
    AreaError
        An authority with no postcode in the grid (Northern Ireland's are on the Irish Grid).
    """
    g = grid[grid["area"].isin(set(codes))]
    w = g["postcodes"].to_numpy(dtype=np.float64)
    x, y = g["x_km"].to_numpy(dtype=np.float64) + 0.5, g["y_km"].to_numpy(dtype=np.float64) + 0.5
    frame = pd.DataFrame({"area": g["area"].to_numpy(), "w": w, "wx": w * x, "wy": w * y, "wxx": w * (x * x + y * y)})
    sums = frame.groupby("area").sum()
    missing = [c for c in codes if c not in sums.index]
    if missing:
        raise AreaError(f"no postcodes on the Great Britain grid for {missing[:5]}: an interregional model needs "
                        "where each authority is (Northern Ireland's postcodes are on the Irish Grid)")  # fmt: skip
    sums = sums.loc[list(codes)]
    cx, cy = sums["wx"] / sums["w"], sums["wy"] / sums["w"]
    var = np.maximum(sums["wxx"] / sums["w"] - cx**2 - cy**2, 0.0)
    out = pd.DataFrame(
        {"x_km": cx.to_numpy(), "y_km": cy.to_numpy(), "spread_km": np.sqrt(var.to_numpy()),
         "postcodes": sums["w"].to_numpy()},
        index=pd.Index(list(codes), name="code"),
    )  # fmt: skip
    return out


def distances(places: pd.DataFrame) -> FloatArray:
    """Root-mean-square distance between the postcodes of every pair of authorities (see the module notes).

    Parameters
    ----------
    places : DataFrame
        :func:`centroids`.

    Returns
    -------
    ndarray, shape (R, R)
        [km]; the diagonal is the RMS distance between two postcodes of the same authority.
    """
    x, y, s = (places[c].to_numpy(dtype=np.float64) for c in ("x_km", "y_km", "spread_km"))
    squared = (x[:, None] - x[None, :]) ** 2 + (y[:, None] - y[None, :]) ** 2 + s[:, None] ** 2 + s[None, :] ** 2
    return np.asarray(np.sqrt(squared), dtype=np.float64)


def neighbours(grid: pd.DataFrame, codes: Sequence[str]) -> NDArray[np.bool_]:
    """Which authorities have postcodes in the same or an edge- or corner-adjacent 1 km square.

    Parameters
    ----------
    grid : DataFrame
        As :func:`centroids`.
    codes : sequence of str
        The authorities.

    Returns
    -------
    ndarray of bool, shape (R, R)
        Symmetric, False on the diagonal.
    """
    at = {c: k for k, c in enumerate(codes)}
    g = grid[grid["area"].isin(set(codes))]
    squares = pd.DataFrame({"x": g["x_km"].to_numpy(), "y": g["y_km"].to_numpy(),
                            "k": g["area"].map(at).to_numpy()}).drop_duplicates()  # fmt: skip
    R = len(codes)
    out = np.zeros((R, R), dtype=bool)
    for dx in (0, 1):
        for dy in (-1, 0, 1) if dx else (0, 1):
            moved = squares.assign(x=squares["x"] + dx, y=squares["y"] + dy)
            pairs = squares.merge(moved, on=["x", "y"], suffixes=("", "_other"))
            out[pairs["k"].to_numpy(), pairs["k_other"].to_numpy()] = True
    out |= out.T
    np.fill_diagonal(out, False)
    return out
