"""Estimated employment stays on one basis: no series break in BRES becomes a jump in an area's jobs.

Until 0.3.0, Scotland's section A employees (the growth of every authority's 2016 employment) counted
farm agriculture only from 2018, while the 2016 base counted it: Fife's A01 went from 3,000 (2016) to
60,000 (2021). The expected values below are BRES as Nomis published it, read from the shipped files
that hold it unchanged (data/README.md), never recomputed by the estimate.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import kil_io
from kil_io import datasets
from kil_io.datasets.employment import BRES_FILES, _load_bres
from kil_io.datasets.files import DATA_ENV
from kil_io.datasets.jumps import KNOWN_JUMPS

SCOTLAND_ITL2 = ("UKM5", "UKM6", "UKM7", "UKM8", "UKM9")  # NUTS 2016 regions: Scotland whole


def _published_itl2(region: str, year: int) -> pd.Series:
    return _load_bres(str(datasets.data_dir()), BRES_FILES["itl2"]).loc[(region, year)]


@pytest.mark.parametrize("where", ["Fife", "Angus", "Scotland"])
def test_farm_jobs_do_not_jump_across_scotlands_section_a_break(where: str) -> None:
    """A01 from 2016 (published) to the default year 2021 (estimated) moves as farming can: not x20."""
    before, after = (datasets.local_employment(where, y)["A01"] for y in (2016, 2021))
    assert 0.8 < after / before < 1.3, (where, before, after)


def test_great_britain_farm_jobs_do_not_jump() -> None:
    before, after = (datasets.national_employment(y, basis="authorities")["A01"] for y in (2016, 2021))
    assert 0.9 < after / before < 1.1  # was 445,905 -> 806,748


def test_scotland_estimate_matches_what_nomis_published() -> None:
    """Scotland 2019: Nomis's own 5-digit Scotland extract (total 2,601,890) and 2021: its five ITL2 regions."""
    published = datasets.scotland_employment(2019)
    estimate = datasets.local_employment("Scotland", 2019)
    assert estimate.sum() == pytest.approx(published.sum(), rel=0.01)  # was 2,970,675: +14%
    assert estimate["A01"] == pytest.approx(published["A01"], rel=0.10)  # 74,525 published; was 402,251
    farms_2021 = sum(_published_itl2(r, 2021)["A01"] for r in SCOTLAND_ITL2)  # 75,500
    assert datasets.local_employment("Scotland", 2021)["A01"] == pytest.approx(farms_2021, rel=0.05)


def test_every_region_section_and_year_against_its_published_bres() -> None:
    """Every ITL2 region with its own BRES (and Scotland whole), every section, 2017-2021: the sum of its
    authorities' estimates is within a factor 2 of the published count for sections of 5,000+ jobs
    (measured: 0.56 to 1.31, BRES's own reclassifications between areas) and its total within 3%."""
    regions = [datasets.area(c) for c in datasets.areas(["itl2", "itl2_2021"])["code"]]
    pairs = [(a, [a.bres_region]) for a in regions if a.bres_region and not a.bres_region.startswith("UKM")]
    pairs.append((datasets.area("Scotland"), list(SCOTLAND_ITL2)))  # NUTS 2016 split two Scottish authorities
    checked = 0
    for where, codes in pairs:
        for year in range(2017, 2022):
            if where.code == "S92000003" and year == 2017:
                continue  # Scotland's farm count unpublished at ITL2 before 2018
            published = sum(_published_itl2(c, year) for c in codes)
            estimate = datasets.employment_table([where], year, basis="authorities").iloc[0]
            pub, est = (s.groupby(lambda code: code[0]).sum() for s in (published, estimate))
            assert est.sum() == pytest.approx(pub.sum(), rel=0.03), (where.label, year)
            big = pub[pub >= 5000].index
            ratio = est[big] / pub[big]
            assert ratio.between(0.5, 2.0).all(), (where.label, year, ratio[~ratio.between(0.5, 2.0)].to_dict())
            checked += len(big)
    assert checked > 2500


def test_the_estimate_says_where_it_crossed_the_break() -> None:
    fife = datasets.local_employment("Fife", 2021)
    assert fife.attrs["estimated"]
    note = fife.attrs["notes"]["A01"]
    assert note.startswith("estimate: growth of section A 2016-2021 uses TLM72 2016")
    assert "farm agriculture (SIC 01000)" in note
    assert set(fife.attrs["notes"]) == {"A01", "A02", "A03"}  # section A only
    assert datasets.local_employment("Calderdale", 2021).attrs["notes"] == {}
    assert "32 of the 350 authorities" in datasets.national_employment(2021, basis="authorities").attrs["notes"]["A01"]
    # the published years have no estimate and no note
    assert datasets.local_employment("Fife", 2016).attrs["notes"] == {}


def test_the_notes_file_keeps_the_published_figure() -> None:
    notes = pd.read_csv(datasets.data_dir() / "bres_itl_sections_notes.csv")
    scotland_2016 = notes[(notes["area"] == "TLM") & (notes["year"] == 2016)].iloc[0]
    # published 10,000 (PROVENANCE.md's BRES.parquet); estimated as 2018's 41,000 x GB 212,000 / 216,000
    assert scotland_2016["published"] == 10_000
    assert scotland_2016["estimate"] == round(41_000 * 212_000 / 216_000)
    assert set(notes["area"].str[:3]) == {"TLM"}
    assert set(notes["year"]) == {2015, 2016, 2017}


def test_no_missing_data_warning_for_the_estimated_years() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", kil_io.MissingDataWarning)
        datasets.local_employment("Scotland", 2021)


# ---------------------------------------------------------------------- the sweep that would have caught it
def test_every_jump_in_the_shipped_employment_is_known_and_every_known_one_is_there() -> None:
    jumps = datasets.employment_jumps()
    unknown = jumps[jumps["known"] == ""]
    assert unknown.empty, unknown.to_string()
    listed = {(a, s, y) for a, s, y, _ in KNOWN_JUMPS}
    assert set(zip(jumps["area"], jumps["section"], jumps["year"], strict=True)) == listed  # none stale


def test_the_sweep_catches_scotlands_farm_break(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped data with Scotland's section A as Nomis published it (farms left out before 2018)."""
    shipped = datasets.data_dir()
    for path in shipped.iterdir():
        if path.name != "bres_itl_sections.csv":
            (tmp_path / path.name).symlink_to(path)
    sections = pd.read_csv(shipped / "bres_itl_sections.csv")
    notes = pd.read_csv(shipped / "bres_itl_sections_notes.csv")
    published = notes.set_index(["area", "year"])["published"]
    at = sections.set_index(["area", "year"]).index.isin(published.index)
    sections.loc[at, "A"] = published.reindex(sections.loc[at].set_index(["area", "year"]).index).to_numpy()
    sections.to_csv(tmp_path / "bres_itl_sections.csv", index=False, lineterminator="\n")
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    jumps = datasets.employment_jumps()
    unknown = jumps[jumps["known"] == ""]
    fife = datasets.area("Fife").code
    assert ((unknown["area"] == fife) & (unknown["section"] == "A")).any()
    assert set(unknown["section"]) == {"A"}
    assert unknown["area"].str.startswith("S").all()
    assert len(unknown) >= 20  # most of Scotland's 32 authorities
    assert datasets.local_employment("Fife", 2021)["A01"] == 60_000  # the figure the issue found
