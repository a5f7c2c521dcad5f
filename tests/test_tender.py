"""Tenders: bids read from a commissioner's file, compared pair by pair on shared draws, ranked, and lotted."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reporting_cases import DRAWS

import kil_io
from kil_io.appraisal import Appraisal
from kil_io.appraisal.tender import LOTS, LOTS_GAIN, MEASURES, ONE_CONTRACT, tender_of
from kil_io.cli import main
from kil_io.errors import CaseError, RecordsError
from kil_io.records.bids import read_bids, read_lots
from kil_io.records.templates import EXAMPLES
from kil_io.records.tendercase import case_from_bids
from kil_io.uncertainty import simulate

BRISTOL = EXAMPLES / "bristol_home_care"
BRADFORD = EXAMPLES / "bradford_facilities"
COOP = "Bristol Community Care Co-operative"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tender")
    for source in (BRISTOL, BRADFORD):
        shutil.copytree(source, out / source.name)
    return out


@pytest.fixture(scope="module")
def bristol_file(folder: Path) -> Path:
    made = case_from_bids("bristol_home_care", area="Bristol", value=2_000_000, bids=folder / BRISTOL.name / "bids.csv",
                          folder=folder, title="Bristol home care")  # fmt: skip
    path = folder / "bristol_home_care.yaml"
    path.write_text(made.text(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bristol(bristol_file: Path) -> Appraisal:
    return kil_io.appraise(kil_io.case_study(bristol_file), DRAWS, seed=1)


@pytest.fixture(scope="module")
def bradford(folder: Path) -> Appraisal:
    here = folder / BRADFORD.name
    made = case_from_bids("bradford", area="Bradford", value=6_000_000, bids=here / "bids.csv", lots=here / "lots.csv",
                          folder=folder, award="National FM Group plc")  # fmt: skip
    path = folder / "bradford.yaml"
    path.write_text(made.text(), encoding="utf-8")
    return kil_io.appraise(kil_io.case_study(path), DRAWS, seed=1)


# ---------------------------------------------------------------------- the bids file
def test_a_bid_becomes_shares_of_the_contract_by_hand(bristol_file: Path) -> None:
    case = kil_io.case_study(bristol_file)
    assert case.kind == "contract"
    assert case.organisation is None
    assert case.contract is not None
    assert case.contract.value.value == 2_000_000
    coop = next(p for p in case.providers.values() if p.name == COOP)
    # bids.csv: 54 FTE at £28,000, £88,000 overheads, £100,000 surplus kept locally, 90% of pay to local staff
    assert coop.staff_share.value == pytest.approx(54 * 28_000 / 2_000_000)
    assert coop.staff_cost_per_fte.value == 28_000
    assert (coop.staff_cost_per_fte.spread.low, coop.staff_cost_per_fte.spread.high) == (26_500, 29_500)
    assert coop.overheads_share.value == pytest.approx(88_000 / 2_000_000)
    assert coop.surplus_share.value == pytest.approx(0.05)
    assert coop.surplus_local_share.value == 1.0
    assert coop.staff_local_share.value == 0.9
    transport = next(s for s in coop.spending if s.label == "land_transport")
    assert (transport.share, transport.local_share) == (pytest.approx(110_000 / 2_000_000), 0.8)
    assert "records: bids.csv, row 7: bid 'Bristol Community Care Co-operative'" in transport.source
    assert case.contract.bids == tuple(case.providers)  # every bid bids for the whole by default


def test_the_direct_figures_are_the_bids_own(bristol: Appraisal) -> None:
    """Direct FTE are the bid's staff; direct local income its local pay and kept surplus (bids.csv, by hand)."""
    coop = next(p for p in bristol.providers if p.name == COOP)
    assert coop.figures.loc["direct", "fte"] == pytest.approx(54)
    assert coop.figures.loc["direct", "gva"] == pytest.approx((54 * 28_000 + 100_000) / 1e6)
    assert coop.figures.loc["direct", "local_income"] == pytest.approx((0.9 * 54 * 28_000 + 100_000) / 1e6)


def test_indirect_jobs_are_the_local_spending_times_the_type_i_effects(bristol: Appraisal) -> None:
    """Each £ bought locally supports the supplier industry's Type I FTE per £1m (kil_io.multipliers, by line)."""
    table = kil_io.datasets.regional_iot("Bristol", 2022)
    with pytest.warns(kil_io.ZeroOutputWarning):  # L68A outside the system, industries absent in Bristol
        effects = kil_io.multipliers(table, "type_i")["employment_effect"]
    coop = next(p for p in bristol.providers if p.name == COOP)
    expected = sum(r.local * effects[r.sector] / 1e6 for r in coop.lines.itertuples())
    assert coop.figures.loc["indirect", "fte"] == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("Co-op,staff_local_share,,1.4,,,,x", r"row 3, column 'amount': '1.4' is a share above 1"),
        ("Co-op,spending,plumbing,100,0.5,,,x", r"row 3, column 'category': 'plumbing' is not a spending category"),
        ("Co-op,staff_fte,,54,,,,x", r"row 3, column 'item': 'staff_fte' is given twice for bid 'Co-op'"),
        ("Co-op,coffee,,1,,,,x", r"row 3, column 'item': 'coffee' is not a bid item"),
        ("Co-op,staff_local_share,,0.9,,0.95,1,x", r"row 3, column 'low': '0.95-1' is not a range \[low, high\]"),
        ("Co-op,overheads,,10,,5,20,x", r"a range is for staff_cost_per_fte, staff_local_share"),
    ],
)
def test_a_bad_bid_row_is_named_by_file_row_and_column(tmp_path: Path, row: str, problem: str) -> None:
    good = ["Co-op,staff_fte,,54,,,,x", "Co-op,staff_cost_per_fte,,28000,,,,x", "Co-op,staff_local_share,,0.9,,,,x",
            "Co-op,overheads,,0,,,,x", "Co-op,surplus,,0,,,,x", "Plc,staff_fte,,5,,,,x", "Plc,staff_costs,,100000,,,,x",
            "Plc,staff_local_share,,0.5,,,,x", "Plc,overheads,,0,,,,x", "Plc,surplus,,0,,,,x"]  # fmt: skip
    path = tmp_path / "bids.csv"
    path.write_text("\n".join(["bid,item,category,amount,local_share,low,high,source", good[0], row, *good[1:]]))
    with pytest.raises(RecordsError, match=problem):
        read_bids(path)


def test_a_bid_missing_a_figure_and_a_file_of_one_bid_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bids.csv"
    path.write_text("bid,item,amount\nCo-op,staff_fte,54\nCo-op,staff_local_share,0.9\n")
    with pytest.raises(RecordsError, match=r"'Co-op' misses overheads, surplus, staff_cost_per_fte"):
        read_bids(path)
    path.write_text("bid,item,amount\nCo-op,staff_fte,5\nCo-op,staff_costs,1\nCo-op,staff_local_share,1\n"
                    "Co-op,overheads,0\nCo-op,surplus,0\n")  # fmt: skip
    with pytest.raises(RecordsError, match=r"holds 1 bid\(s\); a tender compares two or more"):
        read_bids(path)
    path.write_text("bidder,what\nCo-op,staff_fte\n")
    with pytest.raises(RecordsError, match=r"not a bids file.*needs the columns bid, item, amount.*missing: amount"):
        read_bids(path)


def test_lots_must_add_up_and_name_known_bidders(folder: Path, tmp_path: Path) -> None:
    bids = folder / BRADFORD.name / "bids.csv"
    names = [b.name for b in read_bids(bids).bids]
    lots = tmp_path / "lots.csv"
    rows = ["lot,value,bids,award", "A,100,National FM Group plc; Nobody,",
            "B,200,Airedale Facilities Ltd,Manningham Works CIC"]  # fmt: skip
    lots.write_text("\n".join(rows) + "\n")
    with pytest.raises(RecordsError, match=r"(?s)row 2, column 'bids': 'Nobody' are not bids.*row 3, column 'award'"):
        read_lots(lots, names)
    lots.write_text("lot,value,bids\nA,100,National FM Group plc\n")
    with pytest.raises(RecordsError, match=r"the lots add up to £100.00, not the contract's value £6,000,000.00"):
        case_from_bids("x", area="Bradford", value=6_000_000, bids=bids, lots=lots, folder=tmp_path)
    with pytest.raises(RecordsError, match=r"commits £6,000,000.*more than the contract's £1,000,000"):
        case_from_bids("x", area="Bradford", value=1_000_000, bids=bids, folder=tmp_path)


# ---------------------------------------------------------------------- bids compared
def test_every_pair_on_shared_draws(bristol_file: Path, bristol: Appraisal) -> None:
    """A pair's range and P(ahead) are those of the two bids' own draws in one simulation."""
    tender = bristol.tender
    assert tender is not None
    sim = simulate(kil_io.case_study(bristol_file), DRAWS, 1)
    names = tender.names
    assert len(tender.pairs) == 3 * len(MEASURES)  # each of the three pairs once
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            d = sim.draws[f"{a}: fte_net"] - sim.draws[f"{b}: fte_net"]
            row = tender.pairs.loc[(a, b, "fte_net")]
            assert row["p_ahead"] == pytest.approx((d > 0).mean())
            assert (row["low"], row["high"]) == pytest.approx(tuple(np.quantile(d, [0.05, 0.95])))
            central = tender.figure(a, "fte_net")["value"] - tender.figure(b, "fte_net")["value"]
            assert row["value"] == pytest.approx(central)
            assert tender.pair(b, a, "fte_net")["p_ahead"] == pytest.approx(1 - row["p_ahead"])
    for h in bristol.headline[1:]:
        assert h.range is not None
        assert h.range.holds(h.value), h.label


def test_ranking_says_when_two_bids_cannot_be_told_apart() -> None:
    figures = {b: dict.fromkeys(MEASURES, v) for b, v in (("A", 30.0), ("B", 20.0), ("C", 19.0))}
    tender = tender_of(1e6, figures)
    assert list(tender.ranking["rank"]) == [1.0, 2.0, 3.0]  # central figures only: ordered, not how sure
    rng = np.random.default_rng(0)
    noise = rng.normal(size=4000)
    draws = {}
    for b, centre, spread in (("A", 30.0, 1.0), ("B", 20.0, 3.0), ("C", 19.0, 3.0)):
        own = rng.normal(size=4000)
        for m in MEASURES:
            draws[f"{b}: {m}"] = centre + spread * (0.5 * noise + own)
    ranked = tender.with_draws(draws, 0.9).ranking
    assert list(ranked.index) == ["A", "B", "C"]
    assert list(ranked["rank"]) == [1.0, 2.0, 2.0]
    assert ranked.loc["B", "tied_with"] == "C"
    assert ranked.loc["A", "ahead_of"] == "B; C"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=2, max_size=5), st.floats(0.1, 3.0))
def test_ranks_agree_with_who_is_ahead(centres: list[float], spread: float) -> None:
    names = [f"bid{k}" for k in range(len(centres))]
    tender = tender_of(1e6, {n: dict.fromkeys(MEASURES, c) for n, c in zip(names, centres, strict=True)})
    rng = np.random.default_rng(1)
    draws = {f"{n}: {m}": c + spread * rng.normal(size=500) for n, c in zip(names, centres, strict=True)
             for m in MEASURES}  # fmt: skip
    ranking = tender.with_draws(draws, 0.9).ranking
    for n in names:
        for other in filter(None, ranking.loc[n, "ahead_of"].split("; ")):
            assert ranking.loc[n, "rank"] < ranking.loc[other, "rank"]
            assert n in ranking.loc[other, "behind"].split("; ")
        for other in filter(None, ranking.loc[n, "tied_with"].split("; ")):
            assert n in ranking.loc[other, "tied_with"].split("; ")
    assert set(ranking["rank"]) <= set(range(1, len(names) + 1))


# ---------------------------------------------------------------------- lots
def test_a_bid_on_a_lot_is_the_model_at_the_lots_value(bradford: Appraisal) -> None:
    """The model is proportional to the value delivered: a lot's central figures (the model at the lot's value)
    are the bid's at the contract's value times the lot's share; LM3 is the same."""
    tender = bradford.tender
    assert tender is not None
    assert tender.lots is not None
    assert tender.lot_values is not None
    for (lot, bid, measure), row in tender.lots.iterrows():
        share = tender.lot_values.loc[lot, "value"] / 6_000_000
        whole = tender.figure(bid, measure)["value"]
        assert row["value"] == pytest.approx(whole if measure == "lm3" else whole * share, rel=1e-9, abs=1e-12)
        assert row["low"] <= row["value"] + 1e-9 or measure.endswith("_net")


def test_lots_add_up_by_hand_and_each_goes_to_its_top_bid(bradford: Appraisal) -> None:
    tender = bradford.tender
    assert tender is not None
    assert tender.lots is not None
    assert tender.lot_values is not None
    assert tender.totals is not None
    net = tender.lots.xs("fte_net", level="measure")["value"]
    for lot, row in tender.lot_values.iterrows():
        assert row["award"] == net.loc[lot].idxmax()  # no award given: the lot's top-ranked bid
        assert row["award_source"] == "top-ranked"
    awarded = tender.lots[tender.lots["awarded"] == 1]
    for measure in ("fte", "fte_net", "gva", "local_income"):
        by_hand = awarded.xs(measure, level="measure")["value"].sum()
        assert tender.totals.loc[(LOTS, measure), "value"] == pytest.approx(by_hand)
        whole = tender.figure("National FM Group plc", measure)["value"]
        assert tender.totals.loc[(ONE_CONTRACT, measure), "value"] == pytest.approx(whole)
        assert tender.totals.loc[(LOTS_GAIN, measure), "value"] == pytest.approx(by_hand - whole)
    lm3 = awarded.xs("lm3", level="measure")
    values = tender.lot_values["value"].reindex(lm3.index.get_level_values("lot"))
    assert tender.totals.loc[(LOTS, "lm3"), "value"] == pytest.approx((lm3["value"].to_numpy() * values).sum() / 6e6)
    gain = bradford.figure("lots: fte_net")
    assert gain.value == pytest.approx(tender.totals.loc[(LOTS_GAIN, "fte_net"), "value"])
    assert gain.range is not None
    assert gain.range.p_ahead is not None


def test_a_tender_round_trips_through_json(bradford: Appraisal) -> None:
    again = Appraisal.from_dict(bradford.to_dict())
    assert again.to_json() == bradford.to_json()
    assert again.tender is not None
    pd.testing.assert_frame_equal(again.tender.totals, bradford.tender.totals)  # type: ignore[union-attr]


def test_contract_block_checks(bristol_file: Path, tmp_path: Path) -> None:
    text = bristol_file.read_text(encoding="utf-8")
    for old, new, problem in [
        ("  bids:\n  - bristol_community_care_co_operative\n", "  bids:\n  - nobody\n", r"\['nobody'\] are not bids"),
        ("  service: Bristol home care\n", "  service: Bristol home care\n  award: careco\n", r"'careco' did not bid"),
        ("  service: Bristol home care\n", "  service: Bristol home care\n  rank_by: jobs\n", r"rank_by: must be one"),
        ("  service: Bristol home care\n",
         "  service: Bristol home care\n  lots:\n  - {name: A, value: 5, bids: [careco_uk_ltd], source: x}\n",
         r"the lots add up to £5.00, not the contract's value £2,000,000.00"),
    ]:  # fmt: skip
        assert old in text
        path = tmp_path / "case.yaml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(CaseError, match=problem):
            kil_io.case_study(path)


# ---------------------------------------------------------------------- from the command line, any area
def test_new_case_contract_from_an_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    assert main(["templates", "--examples", "."]) == 0
    assert main(["new-case", "home_care", "--contract", "--area", "Bristol", "--value", "2000000", "--bids",
                 "bristol_home_care/bids.csv"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "3 bids" in out
    assert "next: kil-io run home_care.yaml" in out
    case = kil_io.case_study(tmp_path / "home_care.yaml")
    assert next(p.name for p in case.providers.values()) == COOP
    from kil_io.runner.caselist import case_from_file

    assert case_from_file(tmp_path / "home_care.yaml").template.name == "commissioning_comparison.ipynb"
    assert main(["new-case", "wrong", "--contract", "--area", "Bristol", "--bids", "bristol_home_care/bids.csv"]) == 2
    assert "needs --value" in capsys.readouterr().err
    assert main(["new-case", "wrong", "--area", "Bristol", "--bids", "bristol_home_care/bids.csv"]) == 2
    assert "add --contract" in capsys.readouterr().err


def test_a_case_in_another_area(bristol_file: Path) -> None:
    jubilee = kil_io.case_study("jubilee_childrens_centre", area="Bristol")
    assert (jubilee.area, jubilee.moved_from) == ("Bristol", "Calderdale")
    a = kil_io.appraise(jubilee, None, contract_value=1_000_000)
    assert a.area == "Bristol"
    assert a.history is None  # its published history is Calderdale's
    with pytest.raises(CaseError, match=r"area: .*Atlantis"):
        kil_io.case_study(bristol_file, area="Atlantis")


# ---------------------------------------------------------------------- what a commissioner reads
def test_the_brief_of_a_tender_names_the_bids_the_ranking_and_the_law(bristol: Appraisal) -> None:
    import html as html_module

    from kil_io.reporting import brief, tender
    from kil_io.reporting import formatting as fmt

    page = html_module.unescape(brief.render_html(bristol))
    one = page[: page.index('<section class="appendix')]
    t = bristol.tender
    assert t is not None
    for name in t.names:
        assert name in one
    top, second = t.ranking.index[0], t.ranking.index[1]
    p = float(t.pair(top, second, "fte_net")["p_ahead"])
    assert f"{top} would support the most net additional local jobs" in one
    assert f"ahead of {second} in {fmt.share(p)}" in one
    assert "City of Bristol" in one  # ONS's "Bristol, City of" as a sentence says it
    appendix = page[page.index('<section class="appendix') :]
    assert "Procurement Act 2023" in appendix
    assert "Every pair of bids" in appendix
    for text in (one, appendix):
        assert not re.search(r"\bnan\b", text, flags=re.IGNORECASE)
    table = tender.bids(bristol)
    assert list(table.index) == t.names
    assert table.loc[top, "Local jobs, net additional"].startswith(fmt.fte(float(t.figure(top, "fte_net")["value"])))


def test_the_lots_tables_say_who_wins_each_lot(bradford: Appraisal) -> None:
    from kil_io.reporting import tender

    lots = tender.lots(bradford)
    assert bradford.tender is not None
    assert bradford.tender.lot_values is not None
    for lot, row in bradford.tender.lot_values.iterrows():
        assert lots.loc[(lot, row["award"]), "award"] == "awarded (top-ranked)"
    totals = tender.lot_totals(bradford)
    assert list(totals.index) == ["one contract, to National FM Group plc", "lots, each to its winner",
                                  "lots against one contract"]  # fmt: skip
    assert "Split into 3 lots" in tender.sentence(bradford)


def test_an_area_named_as_ons_lists_it_reads_as_a_sentence_says_it() -> None:
    from kil_io.reporting import formatting as fmt

    assert fmt.place("Bristol, City of") == "City of Bristol"
    assert fmt.place("Herefordshire, County of") == "County of Herefordshire"
    assert fmt.place("Leeds") == "Leeds"
    assert fmt.place("Kingston upon Hull, City of") == "City of Kingston upon Hull"


@pytest.mark.parametrize("name", ["bristol_home_care", "bradford_facilities"])
def test_the_shipped_tenders_are_what_new_case_makes_of_the_examples(name: str) -> None:
    import runpy

    script = runpy.run_path(str(Path(__file__).resolve().parents[1] / "scripts" / "make_templates.py"), run_name="x")
    shipped = kil_io.datasets.data_dir() / "case_studies" / f"{name}.yaml"
    assert script["tender_case"](name) == shipped.read_text(encoding="utf-8")
    assert name in kil_io.datasets.case_studies()
