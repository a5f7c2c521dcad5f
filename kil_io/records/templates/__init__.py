"""Templates of an organisation's records and of a council's spend file (CSV, xlsx): ``kil-io templates``."""

from pathlib import Path

#: The folder holding the templates.
FOLDER = Path(__file__).resolve().parent
#: Filled worked examples: a Leeds community centre's three records, a council's spend over £500 file, three bids
#: for a Bristol home-care contract, and a Bradford facilities contract as one contract or three lots.
EXAMPLES = FOLDER / "examples"
#: Template stem -> what it is, as ``kil-io templates`` lists them.
TEMPLATES: dict[str, str] = {
    "accounts": "income and expenditure under the Charities SORP headings, staff costs, FTE (--accounts)",
    "staff": "one row per person or group: role, FTE, pay (£ a year), home postcode/district/authority (--staff)",
    "suppliers": "one row per invoice or supplier: supplier, amount (£), postcode, category or SIC code (--suppliers)",
    "spend": "a council's spend over £500 file: date, supplier, amount, service area, expense type, postcode",
    "supplier_postcodes": "supplier -> postcode, for a spend file without postcodes (kil-io procurement --postcodes)",
    "bids": "one row per figure of a bid: bid, item (staff_fte, staff_cost_per_fte, staff_local_share, spending, "
    "overheads, surplus, surplus_local_share), category, amount, local_share, low, high, source (new-case --contract)",
    "lots": "one row per lot: lot, value (£ a year), bids (the bidders, separated by ;), award, source (--lots)",
}
