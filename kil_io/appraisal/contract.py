"""A tender: one contract, its bids, and the lots it may be split into (the ``contract:`` block of a case file).

A commissioner compares bids for the same service: what each bidder commits to (staff, where they
live, what it buys locally, what leaves the area as overheads or profit) turns into local jobs, GVA
and income through the area's table, the same model as every case (:mod:`kil_io.appraisal.model`).
Each bid is a :class:`~kil_io.appraisal.organisation.Provider` (its commitments per £1 of the
contract, under ``providers:``); the ``contract:`` block says what is bought:

.. code-block:: yaml

    contract:
      value: {value: 2000000, source: "council: tender notice, annual contract value"}
      service: "Home care, Bristol"
      rank_by: fte_net            # the figure bids are ranked on (default: net additional local jobs)
      bids: [coop, charity, national]   # who bids for the whole contract (default: every provider)
      award: national             # optional: who won the whole contract (default: the top-ranked bid)
      lots:                       # optional: the same service split into lots, each with its own bidders
        - {name: "North", value: 1000000, bids: [coop, national], award: coop, source: "council: lotting plan"}
        - {name: "South", value: 1000000, bids: [charity, national], source: "council: lotting plan"}

The lots' values add up to the contract's (to £1). A lot without ``award`` goes to its top-ranked
bid, so the lots' total is what the lotting would give if each lot went to the bid that supports
most of the ranked figure; the whole contract likewise (``award`` says who won, if known).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from kil_io.appraisal.organisation import Figure, check_range
from kil_io.errors import CaseError

#: Figures a tender's bids may be ranked on (:data:`kil_io.appraisal.model.PROVIDER_TOTALS` but the £ spent).
RANK_MEASURES: Final = ("fte", "fte_net", "gva", "gva_net", "local_income", "local_income_net", "lm3")
#: The default: net additional local jobs, what a commissioner's social-value question is about.
DEFAULT_RANK: Final = "fte_net"
#: Lots must add up to the contract's value within this [£] (rounding in a lotting plan).
LOTS_TOLERANCE: Final = 1.0


@dataclass(frozen=True)
class Lot:
    """One lot: a part of the contract, of ``value`` [£ a year], and the bids (provider keys) made for it."""

    name: str
    value: float
    bids: tuple[str, ...]
    award: str | None
    source: str


@dataclass(frozen=True)
class Contract:
    """What a tender buys (read-only; see the module notes).

    Attributes
    ----------
    value : Figure
        The contract's value [£ a year], with its source.
    service : str
        What is bought, in words.
    bids : tuple of str
        Provider keys bidding for the whole contract.
    award : str or None
        Who won the whole contract, if known (a key of ``bids``).
    lots : tuple of Lot
    rank_by : str
        One of :data:`RANK_MEASURES`.
    """

    value: Figure
    service: str
    bids: tuple[str, ...]
    award: str | None = None
    lots: tuple[Lot, ...] = ()
    rank_by: str = DEFAULT_RANK

    def __post_init__(self) -> None:
        if not self.value.value > 0:
            raise CaseError(f"contract.value: must be a positive number of £, got {self.value.value:,.2f}")
        if len(self.bids) < 2 and not self.lots:
            raise CaseError(f"contract.bids: a tender compares two or more bids, got {list(self.bids)}")
        if self.award is not None and self.award not in self.bids:
            raise CaseError(f"contract.award: '{self.award}' did not bid for the whole contract {list(self.bids)}")
        if self.rank_by not in RANK_MEASURES:
            raise CaseError(f"contract.rank_by: must be one of {list(RANK_MEASURES)}, got {self.rank_by!r}")
        if self.lots:
            names = [lot.name for lot in self.lots]
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise CaseError(f"contract.lots: two lots named {twice}")
            total = sum(lot.value for lot in self.lots)
            if abs(total - self.value.value) > LOTS_TOLERANCE:
                raise CaseError(
                    f"contract.lots: the lots add up to £{total:,.2f}, not the contract's value "
                    f"£{self.value.value:,.2f} ({', '.join(f'{lot.name} £{lot.value:,.2f}' for lot in self.lots)})"
                )

    @property
    def lotted(self) -> bool:
        """Whether the contract is also split into lots."""
        return bool(self.lots)


class _Reading(Protocol):
    """What :func:`read_contract` needs of the case file's reader (:class:`kil_io.appraisal.casefile._Reader`)."""

    def fail(self, where: str, message: str) -> CaseError: ...
    def mapping(self, raw: Any, where: str, required: set[str], optional: set[str] | frozenset[str] = ...
                ) -> dict[str, Any]: ...  # fmt: skip
    def items(self, raw: Any, where: str) -> list[Any]: ...
    def text(self, raw: Any, where: str) -> str: ...
    def optional_text(self, raw: Any, where: str) -> str: ...
    def number(self, raw: Any, where: str) -> float: ...
    def figure(self, raw: Any, where: str, *, share: bool = False, positive: bool = False) -> Figure: ...


def read_contract(reader: _Reading, raw: Any, providers: Sequence[str]) -> Contract:
    """The ``contract:`` block, checked against the case's providers (the bids).

    Raises
    ------
    CaseError
        Unknown keys, a bid or award that is not a provider, a provider named twice in a list, lots that do
        not add up to the contract's value, two lots of one name (the message names the field).
    """
    m = reader.mapping(raw, "contract", {"value", "service"}, {"bids", "award", "lots", "rank_by"})
    value = reader.figure(m["value"], "contract.value", positive=True)
    check_range(value, "contract.value")
    bids = _keys(reader, m.get("bids", list(providers)), "contract.bids", providers)
    award = _award(reader, m.get("award"), "contract.award", bids)
    lots = []
    for k, item in enumerate(reader.items(m.get("lots"), "contract.lots")):
        where = f"contract.lots[{k}]"
        lot = reader.mapping(item, where, {"name", "value", "bids", "source"}, {"award"})
        lot_bids = _keys(reader, lot["bids"], f"{where}.bids", providers)
        lot_value = reader.number(lot["value"], f"{where}.value")
        if not lot_value > 0:
            raise reader.fail(f"{where}.value", f"must be a positive number of £, got {lot_value:,.2f}")
        lots.append(Lot(reader.text(lot["name"], f"{where}.name"), lot_value, lot_bids,
                        _award(reader, lot.get("award"), f"{where}.award", lot_bids),
                        reader.text(lot["source"], f"{where}.source")))  # fmt: skip
    try:
        return Contract(value=value, service=reader.text(m["service"], "contract.service"), bids=bids, award=award,
                        lots=tuple(lots), rank_by=reader.optional_text(m.get("rank_by"), "contract.rank_by")
                        or DEFAULT_RANK)  # fmt: skip
    except CaseError as exc:
        raise reader.fail("contract", str(exc).removeprefix("contract.")) from None


def _keys(reader: _Reading, raw: Any, where: str, providers: Sequence[str]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise reader.fail(where, f"expected a list of bids (keys under providers: {list(providers)}), got {raw!r}")
    keys = tuple(reader.text(k, where) for k in raw)
    unknown = [k for k in keys if k not in providers]
    if unknown:
        raise reader.fail(where, f"{unknown} are not bids of this case; its bids (under providers:) are "
                                 f"{list(providers)}")  # fmt: skip
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise reader.fail(where, f"{twice} named twice")
    return keys


def _award(reader: _Reading, raw: Any, where: str, bids: tuple[str, ...]) -> str | None:
    if raw is None:
        return None
    key = reader.text(raw, where)
    if key not in bids:
        raise reader.fail(where, f"'{key}' did not bid for it; its bids are {list(bids)}")
    return key


__all__ = ["DEFAULT_RANK", "RANK_MEASURES", "Contract", "Lot", "read_contract"]
