"""An organisation's own records: accounts, staff, supplier ledgers, postcodes, council procurement."""
