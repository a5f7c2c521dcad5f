"""Write tests/fixtures/ons_iot_labelled_tiny.xls: a three-product table in the layout of ONS's 2010-2016 workbooks.

ONS published its product-by-product Input-Output Analytical Tables of 2010-2016 as ``.xls`` workbooks whose
``IOT`` sheet names the final uses and primary inputs by label, not code (``2015detailedioatsbb18.xls``, rows 1-7:
title, units, product codes in row 6, names in row 7). The tests read that layout from this tiny made-up table,
so that the ``.xls`` path is tested without ONS's 2.5 MB workbook. Needs ``xlwt`` (``pip install xlwt``)::

    python scripts/ons_layout_fixture.py

The numbers are invented and balance exactly (each product's total use equals its output).
"""

from __future__ import annotations

from pathlib import Path

import xlwt

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "ons_iot_labelled_tiny.xls"
CODES = ["01", "06&07", "94n"]
NAMES = ["Products of agriculture", "Extraction of crude petroleum", "Services of membership organisations NPISH"]
Z = [[10.0, 2.0, 0.5], [3.0, 20.0, 1.5], [0.0, 1.0, 4.0]]
#: final uses by label, per product, in the 2015 workbook's order
FINAL = {
    "Households": [40.0, 5.0, 30.0],
    "Non-Profit Institutions Serving Households": [0.0, 0.0, 12.0],
    "Central Government": [1.0, 0.0, 0.0],
    "Local Authorities": [0.5, 0.0, 0.0],
    "Gross Fixed Capital Formation": [2.0, 6.0, 0.0],
    "Valuables": [0.0, 0.0, 0.0],
    "Changes in Inventories": [-1.5, 0.5, 0.0],
    "Exports of Goods - EU": [6.0, 30.0, 0.0],
    "Exports of Goods - Non EU": [4.0, 12.0, 0.0],
    "Exports of Services - EU": [0.0, 0.0, 1.0],
    "Exports of Services - Non EU": [0.0, 0.0, 1.5],
}
PRIMARY = {  # by label, per product; gross operating surplus closes each column
    "Imports of goods and services": [8.0, 5.0, 2.0],
    "Taxes less subsidies on products": [1.0, 0.5, 0.25],
    "Taxes less subsidies on production": [-0.5, 1.0, 0.25],
    "Compensation of employees": [20.0, 15.0, 30.0],
}


def main() -> None:
    n = len(CODES)
    output = [sum(Z[i]) + sum(v[i] for v in FINAL.values()) for i in range(n)]
    inputs = [sum(Z[i][j] for i in range(n)) + sum(v[j] for v in PRIMARY.values()) for j in range(n)]
    gos = [output[j] - inputs[j] for j in range(n)]
    book = xlwt.Workbook()
    ws = book.add_sheet("IOT")
    ws.write(0, 0, "2015 Input-Output Analytical Tables")
    ws.write(1, 0, "Input-Output table (domestic use, basic prices, product by product)")
    ws.write(2, 0, "£ million")
    ws.write(3, 0, "MENU")
    ws.write(6, 1, "Product")
    right = ["Total Intermediate Demand", *FINAL, "Total Demand for Products at Basic Prices"]
    for j, code in enumerate(CODES):
        ws.write(5, 2 + j, code)
        ws.write(6, 2 + j, NAMES[j])
    for k, label in enumerate(right):
        ws.write(6, 2 + n + k, label)
    for i, code in enumerate(CODES):
        ws.write(7 + i, 0, code)
        ws.write(7 + i, 1, NAMES[i])
        for j in range(n):
            ws.write(7 + i, 2 + j, Z[i][j])
        uses = [sum(Z[i]), *(v[i] for v in FINAL.values())]
        for k, value in enumerate([*uses, sum(uses)]):
            ws.write(7 + i, 2 + n + k, value)
    rows = {"Total Consumption": [sum(Z[i][j] for i in range(n)) for j in range(n)], **PRIMARY}
    rows |= {"Gross operating surplus": gos, "Total Output": output}
    columns = [[sum(Z[i]) for i in range(n)], *FINAL.values()]
    totals = [sum(c) for c in columns]  # the total row also adds up every final use (as in 2015)
    for k, (label, values) in enumerate(rows.items()):
        ws.write(7 + n + k, 1, label)
        for j, value in enumerate(values):
            ws.write(7 + n + k, 2 + j, value)
        ws.write(7 + n + k, 2 + n, sum(values))
        if label == "Total Consumption":
            for m, value in enumerate([*totals[1:], sum(totals)]):
                ws.write(7 + n + k, 3 + n + m, value)
    book.save(str(OUT))


if __name__ == "__main__":
    main()
