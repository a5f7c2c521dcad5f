"""What a whole multiplier chart looks like, for the explorer's tests (in-process and in JupyterLab)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image


def whole_chart(png: bytes) -> np.ndarray:
    """The PNG as an RGB array, after checking it is a whole chart, not a blank or half-drawn one."""
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    height, width, _ = image.shape
    assert width >= 600
    assert height >= 250
    text = (image.sum(axis=2) < 200).mean()  # black: labels, ticks, title, values (the bars are blue)
    bars = (np.abs(image - [0x1F, 0x5F, 0x8B]).sum(axis=2) < 30).mean()
    induced = (np.abs(image - [0x8F, 0xBC, 0xD4]).sum(axis=2) < 30).mean()
    assert bars > 0.02, f"no Type I bars ({bars:.3f} of the pixels)"
    assert induced > 0.0005, f"no induced part ({induced:.4f})"
    assert text > 0.005, f"bars without labels or title ({text:.4f} of the pixels are text)"
    left = image[:, : width // 4]  # the industry labels are drawn left of the axis
    assert (left.sum(axis=2) < 300).mean() > 0.002, "no industry labels"
    top = image[: height // 12]
    assert (top.sum(axis=2) < 300).mean() > 0.002, "no title"
    return image
