"""Frames and numbers in JSON: how result objects (:mod:`kil_io.appraisal.result`, tenders) write and read them.

A frame is ``{"frame": true, "columns", "index", "index_names", "data"}``; NaN and infinities are
written as ``null`` and read back as NaN; whole numbers read back as float.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
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


def read_result_json(
    path: str | Path, file: str, error: type[Exception], *, what: str, missing: str, again: str
) -> tuple[Path, dict[str, Any]]:
    """The JSON object of a result file: ``path`` itself, or ``path / file`` when ``path`` is a result folder.

    Parameters
    ----------
    path : str or Path
    file : str
        The result's file name in a result folder (``appraisal.json``, ``portfolio.json``, ...).
    error : exception class
        Raised for every problem (a ``KilIOError`` subclass), naming the file.
    what : str
        What the file holds, for messages ("an appraisal").
    missing, again : str
        What to say when there is no such file, and how to make it again.

    Returns
    -------
    (Path, dict)
        The file read and its object.
    """
    p = Path(path)
    if p.is_dir():
        p = p / file
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{p}: {missing}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{p}: cannot be read ({exc})") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise error(f"{p}: not JSON ({exc}); {again}") from None
    if not isinstance(data, dict):
        raise error(f"{p}: not {what} (a JSON {type(data).__name__}, not an object)")
    return p, data


__all__ = ["frame_from_json", "frame_json", "json_number", "json_round", "read_result_json"]
