"""The kil-io command: the main job writes UK multiplier tables and never loses a result."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import kil_io
from kil_io.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_multipliers_writes_tables_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "multipliers", "--year", "2019", "--out", str(tmp_path))
    assert status == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["uk_2019_type_i.csv", "uk_2019_type_ii.csv", "uk_about.json"]
    about = json.loads((tmp_path / "uk_about.json").read_text())
    assert about["units"]["employment_effect"] == "FTE jobs per £1m of final demand"
    assert "Q87 & Q88" in out
    assert "FTE per £1m" in out
    assert "L68A" in err  # zero direct jobs and pay: NaN multipliers are reported, not hidden
    written = pd.read_csv(tmp_path / "uk_2019_type_ii.csv", index_col="sector")
    with pytest.warns(kil_io.ZeroOutputWarning):
        expected = kil_io.multipliers(kil_io.datasets.uk_iot(2019), "type_ii")
    pd.testing.assert_frame_equal(written.drop(columns="name"), expected, check_exact=False, rtol=1e-9)
    assert written.loc["P85", "name"] == "Education"


def test_rerun_keeps_a_different_result_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("multipliers", "--year", "2022", "--out", str(tmp_path))
    assert run(capsys, *args)[0] == 0
    status, out, _ = run(capsys, *args)
    assert status == 0
    assert out.count("unchanged") == 3
    target = tmp_path / "uk_2022_type_i.csv"
    target.write_text("edited by hand\n")
    status, out, err = run(capsys, *args)
    assert status == 1
    assert "kept" in out
    assert "--force" in err
    assert target.read_text() == "edited by hand\n"
    status, out, _ = run(capsys, *args, "--force")
    assert status == 0
    assert "replaced" in out
    assert target.read_text().startswith("sector,name,output_multiplier")


def test_unknown_year_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "multipliers", "--year", "1990", "--out", str(tmp_path))
    assert status == 2
    assert "available years: 2019, 2020, 2022" in err
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert kil_io.__version__ in capsys.readouterr().out


def test_local_multipliers_for_every_authority(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "uk"
    status, text, _ = run(capsys, "multipliers", "--year", "2022", "--out", str(out), "--local-year", "2021")
    assert status == 0
    local = pd.read_csv(tmp_path / "local" / "all_areas_2021_multipliers.csv")
    assert local["area_code"].nunique() == 350  # every GB authority
    with pytest.warns(kil_io.ZeroOutputWarning, match="zero output in"):
        calderdale = kil_io.multipliers(kil_io.datasets.regional_iot("Calderdale", 2021), "type_ii")
    mine = local[(local["area_name"] == "Calderdale") & (local["kind"] == "type_ii")].set_index("sector")
    pd.testing.assert_frame_equal(mine[calderdale.columns], calderdale, check_exact=False, rtol=1e-9,
                                  check_names=False)  # fmt: skip
    assert "Local multipliers 2021" in text
    about = json.loads((tmp_path / "local" / "all_areas_2021_about.json").read_text())
    assert (about["method"], about["delta"]) == ("flq", 0.225)
    assert about["national_table"] == "UK 2023"  # the default table, whatever --year the UK tables take
    # --method and --delta reach the local table too
    status, text, _ = run(capsys, "multipliers", "--year", "2022", "--out", str(out), "--local-year", "2021",
                          "--delta", "0.25", "--force")  # fmt: skip
    assert status == 0
    about = json.loads((tmp_path / "local" / "all_areas_2021_about.json").read_text())
    assert about["delta"] == 0.25


def test_case_studies_write_tables_charts_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, text, _ = run(capsys, "cases", "--out", str(tmp_path))
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "jubilee_childrens_centre").iterdir()) == [
        "appraisal.json", "by_place.csv", "drivers.csv", "drivers.png", "headline.json", "impact.png", "inputs.csv",
        "lm3.csv", "places.png", "providers.csv", "published.csv", "ranges.csv", "rates.csv", "results.csv",
        "sensitivity.csv",
    ]  # fmt: skip
    assert sorted(p.name for p in (tmp_path / "calderdale").iterdir()) == ["all_sectors.csv", "multipliers.csv"]
    assert "Halifax Opportunities Trust" in text
    published = pd.read_csv(tmp_path / "halifax_opportunities_trust" / "published.csv", index_col="measure")
    assert published.loc["fte", "published"] == 300
    case = kil_io.case_study("halifax_opportunities_trust")
    impact = kil_io.organisation_impact(case, rates=case.rates).to_frame()
    assert published.loc["fte", "model (gross)"] == pytest.approx(impact.loc["total", "fte"])
    assert published.loc["fte", "model (net)"] == pytest.approx(impact.loc["total", "fte_net"])
    # a second run changes nothing, a hand-edited result is kept
    status, text, _ = run(capsys, "cases", "calderdale", "--out", str(tmp_path))
    assert status == 0
    assert "written" not in text
    assert text.count("unchanged") == 2
