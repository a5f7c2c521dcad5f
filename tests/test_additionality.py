"""Gross to net additional impact (kil_io.additionality) and its preset rates."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import kil_io
from kil_io import CaseError, datasets
from kil_io.appraisal.additionality import RATES, Rates, net, net_additional, preset, reference_case
from kil_io.appraisal.organisation import Figure
from kil_io.errors import ReaderError


def test_worked_example() -> None:
    """GI 100, leakage 10%, displacement 25%, no substitution, reference case 20: 100 x 0.9 x 0.75 - 20 = 47.5."""
    assert net(100, leakage=0.1, displacement=0.25, substitution=0, reference=20) == pytest.approx(47.5)
    assert kil_io.additionality.net is net


def test_reference_case_is_deadweight_adjusted_the_same_way() -> None:
    # English Partnerships (2008) section 5.2: AI = GI (1-L)(1-Dp)(1-S) - GI* (1-L*)(1-Dp*)(1-S*)
    assert reference_case(200, deadweight=0.2, leakage=0.1, displacement=0.25) == pytest.approx(27.0)
    assert net_additional(200, leakage=0.1, displacement=0.25, deadweight=0.2) == pytest.approx(135.0 - 27.0)
    assert net_additional(200) == 200.0


def test_vectorised_over_draws() -> None:
    """Rates as arrays (one per Monte Carlo draw) broadcast against the gross figure."""
    draws = np.array([0.0, 0.25, 0.5])
    out = net_additional(np.array([[10.0], [20.0]]), displacement=draws, deadweight=0.5)
    np.testing.assert_allclose(out, np.array([[10.0], [20.0]]) * (1 - draws) * 0.5)
    assert out.shape == (2, 3)


@pytest.mark.parametrize(("rate", "value"), [("leakage", 1.5), ("displacement", -0.1), ("substitution", "x")])
def test_rates_must_be_shares(rate: str, value: object) -> None:
    with pytest.raises(CaseError, match=f"additionality {rate} must be a share in"):
        net(1.0, **{rate: value})  # type: ignore[arg-type]
    with pytest.raises(CaseError, match="gross impact must be a finite number"):
        net(np.nan)


def test_presets_are_labelled_with_their_source() -> None:
    frame = datasets.additionality_presets()
    assert sorted(set(frame["scenario"])) == ["central", "high", "low"]
    assert all(sorted(rates) == sorted(RATES) for rates in frame.groupby("scenario")["rate"].apply(list))
    assert set(frame["basis"]) <= {"guidance", "assumption"}
    assert (frame[["source", "edition", "page", "note"]] != "").all().all()
    central = preset("central")
    assert central.leakage is None  # from commuting, component by component
    for name in ("displacement", "substitution", "deadweight"):
        fig = getattr(central, name)
        row = frame[(frame["scenario"] == "central") & (frame["rate"] == name)].iloc[0]
        assert fig.value == float(row["value"])
        # a kil_io pick is never presented as an official default
        assert fig.source.startswith("assumption") == (row["basis"] == "assumption")
    # low adjusts least, high most
    low, high = preset("low"), preset("high")
    for name in ("displacement", "substitution", "deadweight"):
        assert getattr(low, name).value <= getattr(central, name).value <= getattr(high, name).value
    with pytest.raises(CaseError, match=r"unknown additionality scenario 'medium'; presets: \['central'"):
        preset("medium")


def test_rates_replace_and_validate() -> None:
    rates = preset("central").replace(displacement=Figure(0.4, "survey of local providers, 2024"))
    assert rates.displacement.value == 0.4
    assert rates.table()["displacement"] == (0.4, "survey of local providers, 2024")
    with pytest.raises(CaseError, match="unknown additionality rates"):
        rates.replace(multiplier=Figure(1.5, "x"))
    with pytest.raises(CaseError, match="must be a share in"):
        Rates(displacement=Figure(1.2, "x"), substitution=Figure(0, "x"), deadweight=Figure(0, "x"))


def test_bad_preset_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    source = datasets.data_dir() / "additionality_presets.csv"
    text = source.read_text(encoding="utf-8").replace("central,displacement,0.25", "central,displacement,1.25")
    (folder / "additionality_presets.csv").write_text(text, encoding="utf-8")
    monkeypatch.setenv(datasets.DATA_ENV, str(folder))
    with pytest.raises(ReaderError, match=r"additionality_presets.csv: row \d+ \(central, displacement\).*1.25"):
        datasets.additionality_presets()
    shutil.rmtree(folder)
