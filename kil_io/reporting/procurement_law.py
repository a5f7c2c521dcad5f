"""Procurement law in words: what a council may score when it buys, and what it may not.

Every commissioning output of kil_io (a council's spend and its shift scenario, a contract's bids)
says it the same way, from here: a bid is scored on what the bidder commits to deliver (local
hires, spending with local suppliers, staff living locally), not on where it is based; above the
thresholds, a procurement may not favour suppliers on geography alone. The words are a plain
summary with their sources, not legal advice.

References
----------
Procurement Act 2023 (c. 54), sections 12 (covered procurement: objectives), 18 (lots), 19 (award
to the most advantageous tender), 23 (award criteria) and 90 (treaty state suppliers:
non-discrimination); https://www.legislation.gov.uk/ukpga/2023/54.
The Local Government (Exclusion of Non-commercial Considerations) (England) Order 2026 (SI 2026/94),
in force 4 February 2026, disapplying section 17(5)(e) of the Local Government Act 1988 for
below-threshold contracts; Ministry of Housing, Communities and Local Government (3 December 2025),
*Guidance on reserving competitions for below-threshold contracts*.
"""

from __future__ import annotations

#: The points, in plain words, each ending with its authority.
POINTS: tuple[str, ...] = (
    (
        "A bid is scored on what the bidder commits to deliver under the contract (hiring local people, buying from "
        "local suppliers, staff who live in the area), not on where the bidder is based. Such commitments can be award "
        "criteria when they relate to what the contract buys and are clear, measurable and proportionate, and the "
        "contract then checks they are kept (Procurement Act 2023, s. 23)."
    ),
    (
        "Above the procurement thresholds a council must treat suppliers the same unless a difference between them "
        "justifies treating them differently (s. 12(2)), award the contract to the most advantageous tender against "
        "its published criteria (s. 19), and not discriminate against suppliers from the UK's trade-agreement partners "
        "(s. 90): it may not favour a supplier on geography alone. A local address is not a score."
    ),
    (
        "Below the thresholds, English councils may since 4 February 2026 reserve a competition to suppliers in a "
        "defined local area, or in the UK, if the tender notice says so (SI 2026/94, which lifts s. 17(5)(e) of the "
        "Local Government Act 1988 for below-threshold contracts; MHCLG guidance of 3 December 2025)."
    ),
    (
        "Other lawful routes to local suppliers: dividing a contract into lots (s. 18) and removing the barriers small "
        "firms face (s. 12(4))."
    ),
)
#: Where the points come from, for a reader who checks them.
REFERENCES: tuple[str, ...] = (
    "Procurement Act 2023 (c. 54), ss. 12, 18, 19, 23, 90: https://www.legislation.gov.uk/ukpga/2023/54",
    "The Local Government (Exclusion of Non-commercial Considerations) (England) Order 2026, SI 2026/94",
    "MHCLG (2025), Guidance on reserving competitions for below-threshold contracts, 3 December 2025",
)
#: What a reader must not take the words for.
CAVEAT = "A plain summary, not legal advice: thresholds and guidance change, so check the current rules."


def shift_words(area: str) -> str:
    """What a shift scenario of a council's spend is, in law's terms (one sentence)."""
    return (
        f"A shift of spend to suppliers in {area} is a commissioning aim, reached by these routes and by scoring "
        "bidders' commitments; it is never a reason to score a bidder's address."
    )


def law_text(area: str | None = None) -> str:
    """The points as one text (paragraphs separated by blank lines), the shift sentence and the caveat."""
    parts = list(POINTS) + ([shift_words(area)] if area else []) + [CAVEAT]
    return "\n\n".join(parts)


__all__ = ["CAVEAT", "POINTS", "REFERENCES", "law_text", "shift_words"]
