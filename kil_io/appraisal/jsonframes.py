"""Frames and numbers in JSON: how result objects (:mod:`kil_io.appraisal.result`, tenders) write and read them.

A frame is ``{"frame": true, "columns", "index", "index_names", "data"}``; NaN and infinities are
written as ``null`` and read back as NaN; whole numbers read back as float.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd


def json_round(value: float) -> float | None:
    """``value`` to 6 decimals, or ``None`` where it is not finite (JSON has no NaN)."""
    return None if value is None or not math.isfinite(float(value)) else round(float(value), 6)


def json_number(value: Any) -> Any:
    """A numpy or Python scalar as a plain JSON value (bool, int, float, or ``None`` for NaN); others unchanged."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(float(value)) else None
    return value


def frame_json(frame: pd.DataFrame) -> dict[str, Any]:
    """A frame as a JSON-able dict (see the module notes); :func:`frame_from_json` reads it back."""
    index = frame.index
    names = list(index.names) if isinstance(index, pd.MultiIndex) else [index.name]
    rows = [list(map(json_number, i)) if isinstance(i, tuple) else json_number(i) for i in index]
    data = [[json_number(v) for v in row] for row in frame.astype(object).itertuples(index=False, name=None)]
    return {"frame": True, "columns": [str(c) for c in frame.columns], "index": rows, "index_names": names,
            "data": data}  # fmt: skip


def frame_from_json(d: Mapping[str, Any]) -> pd.DataFrame:
    """The frame :func:`frame_json` wrote (numbers as float; null as NaN)."""
    names = d["index_names"]
    if len(names) > 1:
        index = pd.MultiIndex.from_tuples([tuple(i) for i in d["index"]], names=names)
    else:
        index = pd.Index(d["index"], name=names[0])
    frame = pd.DataFrame(d["data"], columns=d["columns"], index=index)
    for column in frame.columns:  # numbers are float (a whole number written as 3 reads back as 3.0)
        if frame[column].dtype.kind in "iu" or frame[column].isna().all():
            frame[column] = frame[column].astype(float)
    return frame


__all__ = ["frame_from_json", "frame_json", "json_number", "json_round"]
