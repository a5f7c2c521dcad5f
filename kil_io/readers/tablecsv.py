r"""kil_io's own compact CSV format for an :class:`~kil_io.model.table.IOTable` (``data/*.csv``).

One wide, human-readable file per table::

    # kil_io table v1
    # area: "UK"
    # year: 2022
    # source: "ONS UK Input-Output Analytical Tables 2022, ..."
    # units: "£m"
    # balance_rtol: 1e-06
    # metadata: {"publisher": "Office for National Statistics (ONS)", ...}
    code,name,A01,...,T97,government,...,exports_services,output[,employment_fte]
    A01,"Crop And Animal Production, ...",4829.314239874965,...,38337.0
    ...
    imports,,1634.0,...,,
    ...

Header values are JSON; ``household_income`` (£m) and ``resident_share`` (see
:class:`~kil_io.model.table.IOTable`) are optional lines, written when set. Sector rows
hold the ``Z`` row, final demand, output and (optionally) FTE; then come the primary-input
rows, with only the sector columns filled.
Floats are written with their shortest round-trip representation and read back by
pandas 3's round-trip float parser, so a write/read round trip is exact.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from kil_io import limits
from kil_io.errors import LabelError, NonNumericError, ReaderError, TableError
from kil_io.model.table import PRIMARY_INPUTS, IOTable

#: First line of a kil_io table CSV; a new version of the format changes the number.
TABLE_CSV_TAG: Final = "# kil_io table v1"
_HEADER_TYPES: Final[dict[str, tuple[type, ...]]] = {
    "area": (str,),
    "year": (int, type(None)),
    "source": (str,),
    "units": (str,),
    "balance_rtol": (float,),
    "household_income": (float, int),
    "resident_share": (float, int),
    "metadata": (dict,),
}
_REQUIRED: Final = ("area", "year", "source", "units")
_RESERVED: Final = frozenset({"code", "name", "output", "employment_fte", *PRIMARY_INPUTS})


def write_table_csv(table: IOTable, path: str | Path) -> Path:
    r"""Write a table in kil_io's CSV format (see the module docstring), exactly.

    Parameters
    ----------
    table : IOTable
    path : str or Path
        Destination (UTF-8, ``\\n`` line endings); overwritten.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    LabelError
        A sector code or final-demand label equal to a reserved name (``code``, ``name``,
        ``output``, ``employment_fte``, a primary input) or to one another.
    TableError
        ``metadata`` that JSON cannot hold.
    """
    labels = [*table.sectors, *table.final_demand_labels]
    clashes = sorted((set(labels) & _RESERVED) | (set(table.sectors) & set(table.final_demand_labels)))
    if clashes:
        raise LabelError(f"table {table.label}: labels {clashes} clash with the CSV layout's reserved names")
    header = {
        "area": table.area,
        "year": table.year,
        "source": table.source,
        "units": table.units,
        "balance_rtol": table.balance_rtol,
        # written only when set, so files of tables without them keep their bytes
        **({"household_income": table.household_income} if table.household_income is not None else {}),
        **({"resident_share": table.resident_share} if table.resident_share != 1 else {}),
        "metadata": dict(table.metadata),
    }
    try:
        lines = [TABLE_CSV_TAG, *(f"# {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in header.items())]
    except (TypeError, ValueError) as exc:
        raise TableError(f"table {table.label}: metadata cannot be written as JSON ({exc})") from None

    frames = table.to_frames()
    body = pd.concat([frames["Z"], frames["final_demand"], frames["output"]], axis=1)
    if "employment" in frames:
        body["employment_fte"] = frames["employment"]
    body = pd.concat([body, frames["primary_inputs"]])
    body.insert(0, "name", [*table.names, *[""] * len(table.primary_input_labels)])
    body.index.name = "code"
    path = Path(path)
    text = "\n".join(lines) + "\n" + body.to_csv(lineterminator="\n", na_rep="")
    path.write_text(text, encoding="utf-8", newline="")
    return path


def read_table_csv(path: str | Path) -> IOTable:
    """Read a table written by :func:`write_table_csv`.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    IOTable
        Flows in the file's ``units`` (£m for every shipped file), employment in full-time
        equivalents: [£m] and [FTE].

    Raises
    ------
    ReaderError
        Missing file, wrong first line, unknown, repeated or malformed header lines, or
        values where the layout has none.
    NonNumericError
        A cell that should hold a number and does not (names its row and column).
    TableError
        The values do not make a valid table (see :class:`~kil_io.model.table.IOTable`).

    Examples
    --------
    >>> read_table_csv("data/uk_iot_2022.csv").n  # doctest: +SKIP
    105
    """
    path = Path(path)
    # bounded, strict UTF-8 (a byte-order mark dropped); Windows line endings read as the file's own
    lines = limits.read_text(limits.check_file(path, what="file"), what="table file").replace("\r\n", "\n").split("\n")
    if lines[0] != TABLE_CSV_TAG:
        raise ReaderError(f"{path}: first line is {lines[0][:60]!r}, expected {TABLE_CSV_TAG!r}")
    header, k = _header(path, lines)
    try:
        body = pd.read_csv(
            io.StringIO("\n".join(lines[k:])),
            index_col="code",
            dtype={"code": str, "name": str},
            keep_default_na=False,
            na_values=[""],
        )
    except (ValueError, pd.errors.ParserError) as exc:
        raise ReaderError(f"{path}: the table below line {k} cannot be parsed as CSV ({exc})") from exc
    _check_rows(path, lines, k, body)
    if list(body.columns[:1]) != ["name"] or "output" not in body.columns:
        raise ReaderError(f"{path}: header line {k + 1} must be 'code,name,<sectors>,<final demand>,output'")
    for column in body.columns[1:]:
        if not pd.api.types.is_numeric_dtype(body[column]):  # a cell that is not a number made it text
            values = pd.to_numeric(body[column], errors="coerce")
            bad = values.isna() & body[column].notna()
            if bad.any():
                row = bad.index[bad.to_numpy().argmax()]
                raise NonNumericError(
                    f"{path}: cell (row '{row}', column '{column}') is {body[column][bad].iloc[0]!r}, not a number"
                )
            body[column] = values
    is_primary = body.index.isin(PRIMARY_INPUTS)
    sectors = list(body.index[~is_primary])
    rows, primary = body.loc[~is_primary], body.loc[is_primary]
    after = list(body.columns[body.columns.get_loc("output") + 1 :])
    if after not in ([], ["employment_fte"]):
        raise ReaderError(f"{path}: unexpected columns after 'output': {after}")
    final = [c for c in body.columns[1 + len(sectors) : body.columns.get_loc("output")]]
    extra = primary.drop(columns=sectors, errors="ignore").drop(columns="name").notna().any(axis=1)
    if extra.any() or primary["name"].notna().any():
        raise ReaderError(
            f"{path}: primary-input row '{primary.index[extra.to_numpy()][0] if extra.any() else primary.index[0]}' "
            "must fill the sector columns only"
        )
    return IOTable.from_frames(
        rows.loc[:, list(body.columns[1 : 1 + len(sectors)])],
        rows.loc[:, final],
        primary.loc[:, list(body.columns[1 : 1 + len(sectors)])],
        output=rows["output"],
        employment=rows["employment_fte"] if after else None,
        names=[str(s) for s in rows["name"].fillna("")],
        metadata=header.get("metadata", {}),
        **{key: header[key] for key in _REQUIRED},
        **{key: header[key] for key in ("balance_rtol", "household_income", "resident_share") if key in header},
    )


def _header(path: Path, lines: list[str]) -> tuple[dict[str, Any], int]:
    header: dict[str, Any] = {}
    k = 1
    while k < len(lines) and lines[k].startswith("#"):
        key, sep, text = lines[k][1:].strip().partition(": ")
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = ...
        if not sep or key in header or not isinstance(value, _HEADER_TYPES.get(key, ())):
            raise ReaderError(
                f"{path}: line {k + 1} {lines[k][:60]!r} is not '# key: <JSON value>' with a new key and a "
                f"value of the right type; keys {list(_HEADER_TYPES)}"
            )
        header[key] = value
        k += 1
    missing = [key for key in _REQUIRED if key not in header]
    if missing:
        raise ReaderError(f"{path}: header lines {missing} are missing")
    return header, k


def _check_rows(path: Path, lines: list[str], k: int, body: pd.DataFrame) -> None:
    """Name a sector row with fewer fields than the heading, or an empty cell, before pandas' NaN reaches a check."""
    width = len(body.columns) + 1  # with the code
    records = csv.reader(lines[k:])
    next(records, None)
    for record in records:
        if record and len(record) < width and record[0] not in PRIMARY_INPUTS:
            columns = ["code", *body.columns]
            raise ReaderError(
                f"{path}: line {k + records.line_num} (row {record[0]!r}) has {len(record)} fields but the heading "
                f"(line {k + 1}) has {width}: no value for {columns[len(record) :][:5]}; a field is missing (or a "
                "name with a comma is not in quotes)"
            )
    sectors = body.loc[body.index.isin(body.columns) & ~body.index.isin(PRIMARY_INPUTS), body.columns[1:]]
    if sectors.isna().to_numpy().any():
        r, c = np.argwhere(sectors.isna().to_numpy())[0]
        raise NonNumericError(
            f"{path}: cell (row {sectors.index[r]!r}, column {sectors.columns[c]!r}) is empty; a sector row fills "
            "every column (0 for none)"
        )
