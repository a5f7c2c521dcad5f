"""A case written for the 2019-2022 industries still runs on 2023's, where ONS combines C254 and C25OTHER into C25."""

from __future__ import annotations

from pathlib import Path

import pytest

import kil_io
from kil_io import datasets
from kil_io.appraisal import appraise

CASES = Path(kil_io.datasets.data_dir()) / "case_studies"
LINE = (
    '    - {sector: "C25OTHER", value: 50000, local_share: 0.5, source: "assumption: metal shelving from a local '
    'fabricator"}\n'
)


def case_file(tmp_path: Path) -> Path:
    text = (CASES / "halifax_opportunities_trust.yaml").read_text(encoding="utf-8")
    anchor = "  spending:\n"
    path = tmp_path / "metal_buyer.yaml"
    path.write_text(text.replace(anchor, anchor + LINE, 1), encoding="utf-8")
    return path


def test_c25other_on_2023_is_counted_in_c25_with_a_note(tmp_path: Path) -> None:
    case = kil_io.case_study(case_file(tmp_path))
    assert case.organisation is not None
    assert case.organisation.spending[0].sector == "C25OTHER"  # the file as written
    result = appraise(case)
    assert result.national_year == 2023
    assert any("organisation.spending[0] names 'C25OTHER', counted in 'C25'" in n for n in result.notes)
    assert "C25" in result.multipliers.index


def test_the_same_case_on_2022_keeps_its_code(tmp_path: Path) -> None:
    case = kil_io.case_study(case_file(tmp_path))
    table = datasets.regional_iot(case.area, case.year, national_year=2022)
    result = appraise(case, table=table)
    assert result.national_year == 2022
    assert not any("C25OTHER" in n for n in result.notes)
    assert "C25OTHER" in result.multipliers.index


def test_organisation_impact_moves_the_code_with_a_warning(tmp_path: Path) -> None:
    case = kil_io.case_study(case_file(tmp_path))
    with pytest.warns(kil_io.KilIOWarning, match=r"names 'C25OTHER', counted in 'C25' on this table"):
        impact = kil_io.organisation_impact(case)
    assert impact is not None
