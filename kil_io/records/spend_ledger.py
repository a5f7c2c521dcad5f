"""What a council's spend ledger says before any model, as frames of the spend impact.

Its period, totals and local shares by £, and the payments no rule places in an industry
(:class:`~kil_io.records.spend_result.SpendImpact`'s ``ledger``, ``unmapped``, ``placements``, ``unplaced``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kil_io.records.spend_categories import UNMAPPED

if TYPE_CHECKING:
    from kil_io.records.procurement import Procurement


def floats(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as floats, so that the result reads back from JSON exactly as it was."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype.kind in "iub":
            out[column] = out[column].astype(float)
    return out


def period(dates: pd.Series) -> tuple[str, str]:
    """First and last payment dates (ISO), read day first as UK councils write them; "" when there are none."""
    text = dates.astype(str).str.strip()
    text = text[text != ""]
    if not len(text):
        return "", ""
    iso = text.str.match(r"\d{4}-\d{2}-\d{2}")  # a spreadsheet's own dates, read back as text
    parsed = pd.concat([
        pd.to_datetime(text[iso].str[:10], format="%Y-%m-%d", errors="coerce"),
        pd.to_datetime(text[~iso], dayfirst=True, errors="coerce", format="mixed"),
    ]).dropna()  # fmt: skip
    if not len(parsed):
        return "", ""
    return parsed.min().date().isoformat(), parsed.max().date().isoformat()


def ledger(procurement: Procurement, pay: pd.DataFrame) -> dict[str, object]:
    """The ledger's period, payments, totals [£] and shares by £, placed and not placed in an industry."""
    mapped = pay["category"] != UNMAPPED
    local = pay["amount"] * pay["local"]
    first, last = period(pay["date"]) if "date" in pay else ("", "")
    return {
        "first_date": first, "last_date": last,
        "file": procurement.path.name, "rows": int(procurement.rows), "payments": len(pay),
        "total": procurement.total, "local_value": procurement.local_value, "local_share": procurement.local_share,
        "unweighted_share": procurement.unweighted_share, "supplier_share": procurement.supplier_share,
        "lm3_round2": procurement.lm3_round2, "unplaced": len(procurement.unplaced),
        "unplaced_spend": float(sum(u.amount for u in procurement.unplaced)), "unused": list(procurement.unused),
        "mapped_spend": float(pay.loc[mapped, "amount"].sum()), "mapped_local": float(local[mapped].sum()),
        "unmapped_spend": float(pay.loc[~mapped, "amount"].sum()), "unmapped_local": float(local[~mapped].sum()),
    }  # fmt: skip


def unmapped(pay: pd.DataFrame) -> pd.DataFrame:
    """Expense types no rule places in an industry, with their service areas, spend [£] and why, largest first."""
    rows = pay[pay["category"] == UNMAPPED]
    frame = rows.assign(local_spend=rows["amount"] * rows["local"]).groupby("expense_type", sort=False).agg(
        service_areas=("service_area", lambda s: ", ".join(dict.fromkeys(map(str, s)))),
        spend=("amount", "sum"), local_spend=("local_spend", "sum"), payments=("amount", "size"),
        why=("how", "first"),
    )  # fmt: skip
    return floats(frame.sort_values("spend", ascending=False))


def placements(pay: pd.DataFrame) -> pd.DataFrame:
    """How each expense type and service area was placed (category, industry, rule), with its spend [£]."""
    keys = ["expense_type", "service_area", "category_given", "category", "sector", "how"]
    frame = pay.groupby(keys, sort=False).agg(payments=("amount", "size"), spend=("amount", "sum"))
    return floats(frame.reset_index().sort_values("spend", ascending=False).reset_index(drop=True))


def unplaced(procurement: Procurement) -> pd.DataFrame:
    """Payments whose supplier could not be placed in or out of the area: row, column, value, amount [£], why."""
    rows = [(u.row, u.column, u.value, u.amount, u.why) for u in procurement.unplaced]
    frame = pd.DataFrame(rows, columns=["row", "column", "value", "amount", "why"])
    return floats(frame)
