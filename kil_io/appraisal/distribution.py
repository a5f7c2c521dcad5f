"""How uncertain a figure is: a range and the shape of the distribution over it.

A case-file figure may carry ``range: [low, high]`` beside its value, and optionally a
``distribution``; the figure's own value is the most likely one (the mode) and the
deterministic result is always computed at it. The vocabulary is kept small:

- ``triangular`` (default): density rising linearly from ``low`` to the value and falling to
  ``high``; the usual choice for a three-point estimate (low, most likely, high);
- ``pert``: the beta-PERT distribution over the same three points, smoother and with less
  weight in the tails than the triangular: ``low + (high - low) Beta(a, b)`` with
  ``a = 1 + 4 (mode - low) / (high - low)``, ``b = 1 + 4 (high - mode) / (high - low)``
  (mean ``(low + 4 mode + high) / 6``);
- ``uniform``: every value in the range equally likely (the value need not be its middle).

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
        """Raise ``CaseError`` unless ``low <= value <= high`` (the value is the mode)."""
        if not self.low <= value <= self.high:
            raise CaseError(f"{what}: the range [{self.low:g}, {self.high:g}] excludes the value {value:g}")

    def sample(self, rng: np.random.Generator, mode: float, size: int) -> FloatArray:
        """``size`` independent draws, with ``mode`` the figure's value.

        The random stream is used in a fixed way per shape (one generator call), so the
        same generator state gives the same draws.
        """
        if self.shape == "uniform":
            return rng.uniform(self.low, self.high, size)
        if self.shape == "triangular":
            return rng.triangular(self.low, mode, self.high, size)
        a, b = self._pert(mode)
        return self.low + (self.high - self.low) * rng.beta(a, b, size)

    def ppf(self, q: ArrayLike, mode: float) -> FloatArray:
        """The ``q`` quantiles (inverse distribution function), with ``mode`` the figure's value."""
        q = np.asarray(q, dtype=np.float64)
        lo, hi, width = self.low, self.high, self.high - self.low
        if self.shape == "uniform":
            return lo + q * width
        if self.shape == "triangular":
            c = (mode - lo) / width
            return np.where(q < c, lo + np.sqrt(q * width * (mode - lo)), hi - np.sqrt((1 - q) * width * (hi - mode)))
        from scipy.stats import beta

        a, b = self._pert(mode)
        return lo + width * beta.ppf(q, a, b)

    def mean(self, mode: float) -> float:
        """The mean, with ``mode`` the figure's value."""
        if self.shape == "uniform":
            return (self.low + self.high) / 2
        if self.shape == "triangular":
            return (self.low + mode + self.high) / 3
        return (self.low + 4 * mode + self.high) / 6

    def _pert(self, mode: float) -> tuple[float, float]:
        width = self.high - self.low
        return 1 + 4 * (mode - self.low) / width, 1 + 4 * (self.high - mode) / width

    def describe(self, mode: float) -> str:
        """E.g. ``"triangular 0.6-0.95 (mode 0.8)"``."""
        return f"{self.shape} {self.low:g}-{self.high:g}" + ("" if self.shape == "uniform" else f" (mode {mode:g})")


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
