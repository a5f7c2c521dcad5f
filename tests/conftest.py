"""Shared fixtures: published worked examples as validated tables."""

from __future__ import annotations

import pytest
from examples import eurostat_frames, local_frames, miller_blair_frames

from kil_io import IOTable


@pytest.fixture
def mb_table() -> IOTable:
    return IOTable.from_frames(**miller_blair_frames(), area="Miller & Blair Table 2.3")


@pytest.fixture
def eurostat_table() -> IOTable:
    return IOTable.from_frames(**eurostat_frames())


@pytest.fixture
def local() -> IOTable:
    """Miller & Blair Table 2.3 as a local economy (see examples.local_frames)."""
    return IOTable.from_frames(**local_frames(), area="local")
