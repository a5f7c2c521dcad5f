"""Scotland's purchases from the rest of the UK: the interregional model against the Scottish Government (README).

Prints the check (:func:`kil_io.datasets.interregional_check.scotland_check`) at the distance decays of a
case's ranges, and the industries with the largest purchases, for the README's table.

    python scripts/interregional_check.py
"""

from __future__ import annotations

from kil_io.datasets.interregional_check import scotland_check
from kil_io.regional.interregional.gravity import BETA_RANGE


def main() -> None:
    print("| beta | correlation | per £ of output | weighted error | model / SG |")
    print("|---:|---:|---:|---:|---:|")
    for beta in BETA_RANGE:
        a = scotland_check(beta=beta).attrs
        print(f"| {beta:g} | {a['correlation']:.3f} | {a['coefficient_correlation']:.3f} | {a['wape']:.1f}% | "
              f"{a['ratio']:.2f} |")  # fmt: skip
    check = scotland_check()
    print()
    print(check.nlargest(10, "sg")[["name", "model", "sg"]].round(0).to_string())


if __name__ == "__main__":
    main()
