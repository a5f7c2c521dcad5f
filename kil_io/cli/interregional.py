"""``kil-io leakage``: where a demand shock's effects go, by place (the interregional model of GB authorities)."""

from __future__ import annotations

import argparse

import pandas as pd

from kil_io.errors import NonNumericError

KINDS = {"type_i": "Type I", "type_ii": "Type II"}


def _demand(items: list[str]) -> dict[str, float]:
    demand: dict[str, float] = {}
    for item in items:
        code, sep, value = item.rpartition("=")
        try:
            amount = float(value)
        except ValueError:
            amount = float("nan")
        if not sep or not code.strip() or amount != amount:
            raise NonNumericError(f"--demand {item!r}: give an industry code and £m as CODE=VALUE, e.g. 'Q87 & Q88=1'")
        demand[code.strip()] = amount
    return demand


def _cmd_leakage(args: argparse.Namespace) -> int:
    from kil_io import interregional

    model = interregional.model(args.year)
    places = interregional.by_place(model, args.area, _demand(args.demand), kind=args.kind)
    units = places.attrs["units"]
    shown = pd.DataFrame({"place": places["place"], "role": places["role"]})
    for m in ("fte", "output", "gva"):
        low, high = places[f"{m}_low"], places[f"{m}_high"]
        shown[f"{m} [{units[m]}]"] = (
            places[m].map("{:,.2f}".format)
            + " ("
            + low.map("{:,.2f}".format)
            + "-"
            + (high.map("{:,.2f}".format) + ")")
        )
    a = places.attrs
    print(f"{a['area']}: {KINDS[a['kind']]} effects of {a['demand']} [£m] by place "
          f"({a['national_table']}, employment {a['year']}; ranges over distance decay {a['betas']})\n")  # fmt: skip
    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(shown.to_string(index=False))
    print("\n" + interregional.sentence(places) + ".")
    if args.csv:
        places.assign(codes=places["codes"].map(" ".join)).to_csv(args.csv, index=False)
        print(f"  written  {args.csv}")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add ``leakage`` to the ``kil-io`` subcommands."""
    p = sub.add_parser(
        "leakage",
        help="where a shock's effects go: the area, its region, its neighbours and the rest of Great Britain",
        description="Final demand for an area's output, solved in the interregional model of every GB authority "
        "(kil_io.interregional): output, GVA and FTE in the area, each other authority of its combined authority "
        "(or ITL2 region), each neighbour, the rest of Great Britain and the national total, each with its range "
        "over the distance decay of trade.",
    )
    p.add_argument("area", help="an authority or a group of them (name or ONS code), e.g. Calderdale")
    p.add_argument("--demand", action="append", required=True, metavar="CODE=VALUE",
                   help="final demand for an industry [£m], e.g. 'Q87 & Q88=1' (repeatable)")  # fmt: skip
    p.add_argument("--kind", choices=("type_i", "type_ii"), default="type_ii", help="default type_ii")
    p.add_argument("--year", type=int, default=None, help="employment year (default 2021)")
    p.add_argument("--csv", default=None, help="also write the table to this CSV file")
    p.set_defaults(func=_cmd_leakage)
