"""Products of every authority's block with its own columns at once: the interregional solve's inner step."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np
from threadpoolctl import threadpool_limits

if TYPE_CHECKING:
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]

#: Right-hand sides from which block products run on every core with one BLAS thread each.
THREADED_FROM = 16


def block_product(blocks: FloatArray, x: FloatArray) -> FloatArray:
    """``out[r] = blocks[r] @ x[r]`` for every authority: stacked for few columns, else one BLAS thread per block."""
    R = blocks.shape[0]
    if x.shape[2] == 1:
        return np.einsum("rij,rjk->rik", blocks, x)
    if x.shape[2] < THREADED_FROM:  # einsum's loops are ten times slower than stacked matmul from two columns
        return np.matmul(blocks, x)
    out = np.empty((R, blocks.shape[1], x.shape[2]))

    def part(rows: range) -> None:
        for r in rows:
            np.matmul(blocks[r], x[r], out=out[r])

    workers = max(1, min(os.cpu_count() or 1, 8))
    chunks = [range(k, R, workers) for k in range(workers)]
    with threadpool_limits(1), ThreadPoolExecutor(workers) as pool:
        list(pool.map(part, chunks))
    return out
