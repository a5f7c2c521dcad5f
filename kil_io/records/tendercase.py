"""Bids in, tender out: a contract's bids file (and lots file) -> a contract case file.

:func:`case_from_bids` reads the bids (:mod:`kil_io.records.bids`) and writes a ``contract`` case
whose ``providers`` are the bids, each described per £1 of the contract as every provider is
(:class:`kil_io.appraisal.organisation.Provider`): staff costs, overheads, surplus and every
spending line as shares of the contract's value, the staff cost per FTE, and the local shares as
the bid commits to them. Each figure's source names the file, row and bid (``records: bids.csv,
row 4: bid 'Bristol Care Co-op', method statement 3.2``), and what a bid leaves of the value is
said as a check (it counts as leaving the area).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kil_io.datasets import Area
from kil_io.records.bids import Bid, BidFigure, BidsFile, LotsFile, check_value, read_bids, read_lots
from kil_io.records.newcase import _case_area, _relative, _sha256, _validate_file, one_line_options
from kil_io.regional import DEFAULT_DELTA
from kil_io.yamlsafe import comment_line


@dataclass(frozen=True)
class TenderCase:
    """A contract case made from bids, with what was found on the way.

    Attributes
    ----------
    name, title : str
    area : str
        As the case file names it.
    data : dict
        The case file's content (money in £ a year).
    bids : BidsFile
    lots : LotsFile or None
    checks : tuple of str
        What the bids leave unallocated, and other notes on the files.
    notes : tuple of str
        Plausibility notes (pay per FTE and the like).
    """

    name: str
    title: str
    area: str
    data: dict[str, Any]
    bids: BidsFile
    lots: LotsFile | None
    checks: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def text(self) -> str:
        """The case file: comments (how it was made, checks), then the YAML."""
        lines = [
            f"# {comment_line(self.title)}: a contract case made by `kil-io new-case --contract` from the bids.",
            '# Money in £ a year; each bid per £1 of the contract. "records:" = read from the files below (row and bid',
            "# named); re-make it with the command under records.command when a file changes.",
            "# What is scored is what a bidder commits to (local hires, local supply-chain spending, staff living",
            "# locally), not where it is based.",
        ]
        for title, items in (("checks", self.checks), ("notes", self.notes)):
            if items:
                lines.append(f"# {title}:")
                lines += [f"#   - {comment_line(i)}" for i in items]
        body = yaml.safe_dump(self.data, sort_keys=False, allow_unicode=True, width=120)
        return "\n".join(lines) + "\n" + body


def _key(name: str, taken: set[str]) -> str:
    """A provider key from a bid's name: lower_snake, unique."""
    base = re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_") or "bid"
    base = base if base[0].isalpha() else f"bid_{base}"
    key, k = base[:40], 2
    while key in taken:
        key, k = f"{base[:36]}_{k}", k + 1
    taken.add(key)
    return key


def _share(figure: BidFigure, value: float) -> dict[str, Any]:
    """A money figure of a bid as a share of the contract's value."""
    return {"value": round(figure.value / value, 9), "source": f"{figure.source} (£{figure.value:,.0f} of the "
            f"£{value:,.0f} contract)"}  # fmt: skip


def _given(figure: BidFigure) -> dict[str, Any]:
    out: dict[str, Any] = {"value": round(figure.value, 6), "source": figure.source}
    if figure.low is not None and figure.high is not None:
        out["range"] = [figure.low, figure.high]
    return out


def _provider(bid: Bid, value: float) -> dict[str, Any]:
    """A bid as a case file's provider: its money as shares of the contract's ``value`` [£ a year]."""
    f = bid.figures
    fte = f["staff_fte"]
    cost = f.get("staff_cost_per_fte")
    staff = bid.staff_costs()
    if cost is not None:
        per_fte = _given(cost)
        staff_source = f"{fte.source} x {cost.source}"
    else:
        per_fte = {"value": round(bid.cost_per_fte(), 2),
                   "source": f"{f['staff_costs'].source} / {fte.value:g} FTE ({fte.source})"}  # fmt: skip
        staff_source = f["staff_costs"].source
    kept = f.get("surplus_local_share")
    spending = []
    for s in bid.spending:
        line: dict[str, Any] = {
            "category": s.category,
            "share": round(s.value / value, 9),
            "local_share": s.local_share,
        }
        if s.low is not None:
            line["local_share_range"] = [s.low, s.high]
        line["source"] = f"{s.source} (£{s.value:,.0f} a year)"
        spending.append(line)
    return {
        "name": bid.name,
        "staff_share": {"value": round(staff / value, 9),
                        "source": f"{staff_source} (£{staff:,.0f} of the £{value:,.0f} contract; {fte.value:g} FTE)"},
        "staff_cost_per_fte": per_fte,
        "staff_local_share": _given(f["staff_local_share"]),
        "overheads_share": _share(f["overheads"], value),
        "surplus_share": _share(f["surplus"], value),
        "surplus_local_share": _given(kept) if kept is not None else {"value": 0.0,
                                                                    "source": f"{f['surplus'].source}: no surplus"},
        "spending": spending,
    }  # fmt: skip


def case_from_bids(
    name: str,
    *,
    area: str | Area,
    value: float,
    bids: str | Path,
    lots: str | Path | None = None,
    folder: str | Path = ".",
    title: str | None = None,
    service: str | None = None,
    year: int | None = None,
    award: str | None = None,
    command: str = "",
) -> TenderCase:
    """Read a contract's bids (and lots) and make its case file's content.

    Parameters
    ----------
    name : str
        The case's name (its file is ``NAME.yaml``).
    area : str or Area
        The area the contract serves (any :func:`kil_io.datasets.area` resolves, with local employment).
    value : float
        The contract's value [£ a year].
    bids, lots : str or Path
        The bids file and, optionally, the lots file (``.csv`` or ``.xlsx``, as the templates).
    folder : str or Path
        Where the case file will be written; the files are written relative to it.
    title, service : str, optional
        Default: the name with spaces; the title.
    year : int, optional
        BRES year of the regional table (default: the latest shipped for the area).
    award : str, optional
        The bid that won the whole contract, if known.
    command : str
        The command line that made it, recorded in the case file.

    Returns
    -------
    TenderCase

    Raises
    ------
    RecordsError
        A bad file (each problem named by file, row, column and value), a bid committing more than the
        value, lots that do not add up to it, an award that is not a bid, or a case that does not validate.
    AreaError
        An unknown or ambiguous area, or one with no local employment (Northern Ireland).
    """
    from kil_io.errors import RecordsError

    folder = Path(folder)
    if not (isinstance(value, int | float) and not isinstance(value, bool) and value > 0):
        raise RecordsError(f"--value must be the contract's value in £ a year (above 0), got {value!r}")
    resolved, shipped, years = _case_area(area)
    one_line_options(title=title, service=service, award=award)
    made = read_bids(bids)
    names = [b.name for b in made.bids]
    lotted = read_lots(lots, names) if lots is not None else None
    if award is not None and award not in names:
        raise RecordsError(f"--award {award!r} is not a bid of {made.path.name} ({'; '.join(names)})")
    checks = [
        *check_value(made, value),
        *(r.unused.replace(str(r.path), r.path.name, 1) for r in (made, lotted) if r is not None and r.unused),
    ]
    if lotted is not None:
        total = sum(lot.value for lot in lotted.lots)
        if abs(total - value) > 1.0:
            raise RecordsError(f"{lotted.path}: the lots add up to £{total:,.2f}, not the contract's value "
                               f"£{value:,.2f} (--value)")  # fmt: skip
    taken: set[str] = set()
    keys = {b.name: _key(b.name, taken) for b in made.bids}
    providers = {keys[bid.name]: _provider(bid, value) for bid in made.bids}
    pretty = title or name.replace("_", " ").strip().capitalize()
    contract: dict[str, Any] = {
        "value": {"value": float(value), "source": "given with --value: the contract's value a year"},
        "service": service or pretty,
        "bids": list(keys.values()),
    }
    if award is not None:
        contract["award"] = keys[award]
    if lotted is not None:
        contract["lots"] = [
            {"name": lot.name, "value": lot.value, "bids": [keys[b] for b in lot.bids],
             **({"award": keys[lot.award]} if lot.award else {}), "source": lot.source}
            for lot in lotted.lots
        ]  # fmt: skip
    files = [{"role": "bids", "file": _relative(made.path, folder), "rows": made.rows, "sha256": _sha256(made.path)}]
    if lotted is not None:
        files.append({"role": "lots", "file": _relative(lotted.path, folder), "rows": lotted.rows,
                      "sha256": _sha256(lotted.path)})  # fmt: skip
    data: dict[str, Any] = {
        "kind": "contract",
        "title": pretty,
        "area": shipped,
        "year": int(year if year is not None else max(years)),
        "description": f"{pretty}, {resolved.name}: {len(made.bids)} bids for a £{value:,.0f} a year contract, as "
        "each bid commits (kil-io new-case --contract).",
        "regional_table": {"method": "flq", "delta": DEFAULT_DELTA,
                           "source": "kil_io default: fitted on the Scottish Government's tables 2015-2019"},
        "contract": contract,
        "providers": providers,
        "additionality": {"scenario": "central"},
        "records": {"command": command, "files": files, "checks": checks},
    }  # fmt: skip
    case = TenderCase(name, pretty, shipped, data, made, lotted, tuple(checks))
    notes = _validate_file(name, case.text(), [str(f["file"]) for f in files])
    return TenderCase(name, pretty, shipped, data, made, lotted, tuple(checks), notes)


__all__ = ["TenderCase", "case_from_bids"]
