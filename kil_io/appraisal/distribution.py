"""How uncertain a figure is: a range and the shape of the distribution over it.

A case-file figure may carry ``range: [low, high]`` beside its value, and optionally a
``distribution``. The figure's own value is the **median** of the draws (half lie below it, half
above) and their most likely value, and the deterministic result is always computed at it: the
central figure of a headline is then the model at every input's median, so it sits inside its
range and near the median of the draws even where an input's range is lopsided. Each half of the
range keeps the shape named, scaled to hold half of the draws (a two-piece, or split,
distribution):

- ``triangular`` (default): density rising linearly from ``low`` to the value and falling to
  ``high``; the usual choice for a three-point estimate (low, most likely, high);
- ``pert``: the beta-PERT distribution over the same three points, smoother and with less
  weight in the tails than the triangular: ``low + (high - low) Beta(a, b)`` with
  ``a = 1 + 4 (mode - low) / (high - low)``, ``b = 1 + 4 (high - mode) / (high - low)``;
- ``uniform``: flat on each side of the value (flat over the whole range when the value is its
  middle).

With a lopsided range (``[0.6, 0.95]`` around 0.8) the plain triangular puts its median at 0.79 and
more of its draws on the long side; the two-piece keeps the value at the median, and says the
range's ends are as likely to be reached as each other. (Before kil_io 0.3 the value was the mode
only: a case whose ranges leaned one way gave a central figure at an edge of its own range.)

References
----------
Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley: sections 10.2
(triangular, uniform) and 14.3.2 (PERT).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from kil_io.errors import CaseError
from kil_io.limits import excerpt

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    FloatArray = NDArray[np.float64]

Shape = Literal["triangular", "pert", "uniform"]
#: The distributions a figure may carry, and what each means.
SHAPES: dict[str, str] = {
    "triangular": "three-point estimate: low, the value (most likely), high (the default)",
    "pert": "beta-PERT over low, the value (most likely), high: smoother, thinner tails than triangular",
    "uniform": "every value between low and high equally likely",
}


@dataclass(frozen=True)
class Distribution:
    """A range ``[low, high]`` and the shape of the distribution over it; the mode is the figure's value.

    Parameters
    ----------
    low, high : float
        The range, ``low < high``, in the figure's unit.
    shape : {"triangular", "pert", "uniform"}

    Raises
    ------
    CaseError
        An unknown shape, or a range that is not two finite numbers with ``low < high``.
    """

    low: float
    high: float
    shape: Shape = "triangular"

    def __post_init__(self) -> None:
        if not isinstance(self.shape, str) or self.shape not in SHAPES:  # a YAML list or mapping is not a name
            raise CaseError(f"unknown distribution {excerpt(self.shape)}; known: {sorted(SHAPES)}")
        for bound in (self.low, self.high):
            if isinstance(bound, bool) or not isinstance(bound, int | float | np.integer | np.floating):
                raise CaseError(f"a range must be two numbers [low, high], got [{self.low!r}, {self.high!r}]")
        try:  # a YAML integer may be larger than any machine integer: as a float it is still a number
            low, high = float(self.low), float(self.high)
        except OverflowError:
            low = high = float("inf")
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise CaseError(
                f"a range must be two finite numbers with low < high, got [{excerpt(self.low)}, {excerpt(self.high)}]"
            )
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def check_value(self, value: float, what: str = "the value") -> None:
        """Raise ``CaseError`` unless ``low <= value <= high`` (the value is the median and the mode)."""
        if not self.low <= value <= self.high:
            raise CaseError(f"{what}: the range [{self.low:g}, {self.high:g}] excludes the value {value:g}")

    def sample(self, rng: np.random.Generator, mode: float, size: int) -> FloatArray:
        """``size`` independent draws, with ``mode`` the figure's value (their median and mode).

        One uniform draw per value through :meth:`ppf`, so the same generator state gives the same draws.
        """
        return self.ppf(rng.random(size), mode)

    def ppf(self, q: ArrayLike, mode: float) -> FloatArray:
        """The ``q`` quantiles (inverse distribution function), with ``mode`` the figure's value (the median).

        ``q < 0.5`` falls in ``[low, mode]``, ``q >= 0.5`` in ``[mode, high]``, each half the named shape
        restricted to its side: ``F^-1(2 q F(m))`` and ``F^-1(F(m) + (2 q - 1) (1 - F(m)))`` for the shape's
        own distribution function ``F`` with mode ``m``.
        """
        q = np.asarray(q, dtype=np.float64)
        lo, hi, m = self.low, self.high, float(mode)
        left, right = np.clip(2 * q, 0, 1), np.clip(2 * q - 1, 0, 1)
        if self.shape == "uniform":
            return np.where(q < 0.5, lo + left * (m - lo), m + right * (hi - m))
        if self.shape == "triangular":
            return np.where(q < 0.5, lo + (m - lo) * np.sqrt(left), hi - (hi - m) * np.sqrt(1 - right))
        from scipy.stats import beta

        a, b = self._pert(m)
        at = beta.cdf((m - lo) / (hi - lo), a, b)
        u = np.where(q < 0.5, left * at, at + right * (1 - at))
        return lo + (hi - lo) * beta.ppf(u, a, b)

    def mean(self, mode: float) -> float:
        """The mean, with ``mode`` the figure's value: the mean of the two halves' means."""
        lo, hi, m = self.low, self.high, float(mode)
        if self.shape == "uniform":
            return ((lo + m) / 2 + (m + hi) / 2) / 2
        if self.shape == "triangular":
            return ((lo + 2 * m) / 3 + (2 * m + hi) / 3) / 2
        return float(np.mean(self.ppf((np.arange(20_000) + 0.5) / 20_000, m)))  # midpoint rule: to 1e-8

    def _pert(self, mode: float) -> tuple[float, float]:
        width = self.high - self.low
        return 1 + 4 * (mode - self.low) / width, 1 + 4 * (self.high - mode) / width

    def describe(self, mode: float) -> str:
        """E.g. ``"triangular 0.6-0.95 (median and mode 0.8)"``."""
        return (
            f"{self.shape} {self.low:g}-{self.high:g} (median {'' if self.shape == 'uniform' else 'and mode '}{mode:g})"
        )


def distribution_from(raw_range: object, shape: object = None, *, what: str = "range") -> Distribution:
    """A :class:`Distribution` from a case file's ``range: [low, high]`` and ``distribution:`` (default triangular).

    Raises
    ------
    CaseError
        ``range`` is not a list of two numbers, or as :class:`Distribution` (the message names ``what``).
    """
    if not isinstance(raw_range, list | tuple) or len(raw_range) != 2:
        raise CaseError(f"{what}: expected [low, high], got {excerpt(raw_range)}")
    try:
        return Distribution(raw_range[0], raw_range[1], "triangular" if shape is None else shape)  # type: ignore[arg-type]
    except CaseError as exc:
        raise CaseError(f"{what}: {exc}") from None
