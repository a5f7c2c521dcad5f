"""Readers of official input-output files into :class:`~kil_io.model.table.IOTable`.

- :mod:`kil_io.readers.ons`: the ONS UK Input-Output Analytical Tables (``IOT`` sheet, xlsx, xls
  or CSV dump; every edition 2010-2023, :mod:`kil_io.readers.ons_layout`), found by code or label
  and checked against the sheet's own totals;
- :mod:`kil_io.readers.sg`: the Scottish Government's industry-by-industry tables.

kil_io's own compact CSV format is in :mod:`kil_io.readers.tablecsv`.
"""

from kil_io.readers.ons import (
    ONS_COMBINED,
    ONS_FINAL_DEMAND,
    ONS_PRIMARY_CODES,
    ONS_PRIMARY_LABELS,
    normalise_label,
    read_ons_iot,
)
from kil_io.readers.sg import SG_BALANCE_RTOL, SG_FINAL_DEMAND, SG_IOC098, SG_PRIMARY, read_sg_iot

__all__ = [
    "ONS_COMBINED",
    "ONS_FINAL_DEMAND",
    "ONS_PRIMARY_CODES",
    "ONS_PRIMARY_LABELS",
    "SG_BALANCE_RTOL",
    "SG_FINAL_DEMAND",
    "SG_IOC098",
    "SG_PRIMARY",
    "normalise_label",
    "read_ons_iot",
    "read_sg_iot",
]
