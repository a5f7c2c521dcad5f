"""Portfolios: many organisations and contracts added up by area and in total, nothing counted twice.

Expected values come from the entries' own appraisals added up by hand here (``kil_io.appraisal.appraise``
of each case, never the portfolio code), from the model itself (a case re-appraised with a line cut by
the shared amount), and from figures the repository publishes (README, data/case_studies/history.csv).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kil_io
from kil_io import datasets
from kil_io.appraisal import Portfolio, PortfolioError, load_portfolio, read_portfolio
from kil_io.appraisal.portfolio import MEASURES

REPO = Path(__file__).resolve().parents[1]
PORTFOLIOS = datasets.data_dir() / "portfolios"
SHIPPED = PORTFOLIOS / "west_yorkshire_example.yaml"
LEEDS = PORTFOLIOS / "cases" / "leeds_community_centre.yaml"
DRAWS, SEED = 2_000, 2026


@pytest.fixture(scope="module")
def shipped() -> Portfolio:
    return kil_io.appraise_portfolio(SHIPPED, DRAWS, seed=SEED)


@pytest.fixture(scope="module")
def own() -> dict[str, kil_io.appraisal.Appraisal]:
    """Each entry's central appraisal, made here without the portfolio code."""
    return {
        "hot": kil_io.appraisal.appraise(kil_io.case_study("halifax_opportunities_trust")),
        "jubilee": kil_io.appraisal.appraise(kil_io.case_study("jubilee_childrens_centre")),
        "leeds": kil_io.appraisal.appraise(kil_io.case_study(LEEDS)),
    }


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------ the shipped example
def test_totals_are_the_included_entries_own_totals_added_by_hand(shipped: Portfolio, own: dict) -> None:
    for m in MEASURES:
        hot, leeds = own["hot"].organisation.total(m), own["leeds"].organisation.total(m)
        assert shipped.total.totals[m] == pytest.approx(hot + leeds, rel=1e-12), m
        assert shipped.area("Calderdale").totals[m] == pytest.approx(hot, rel=1e-12), m
        assert shipped.area("Leeds").totals[m] == pytest.approx(leeds, rel=1e-12), m
    # README's worked example (32.9 FTE gross) and history.csv's HOT at the 2023 table (260.9 FTE gross)
    assert shipped.total.totals["fte"] == pytest.approx(260.9 + 32.9, abs=0.1)


def test_jubilee_is_listed_counted_within_hot_and_its_own_figures_removed(shipped: Portfolio, own: dict) -> None:
    row = shipped.entry("jubilee")
    assert (row.status, row.within, row.rule) == ("counted within", "hot", "part_of")
    assert [r.status for r in shipped.entries] == ["included", "counted within", "included"]
    (removed,) = shipped.removals
    assert (removed.entry, removed.rule, removed.within, removed.money) == ("jubilee", "part_of", "hot", 500_000)
    for m in MEASURES:
        assert removed.removed[m] == pytest.approx(own["jubilee"].organisation.total(m), rel=1e-12), m
        assert row.figures[m] == pytest.approx(own["jubilee"].organisation.total(m), rel=1e-12), m
    assert shipped.total.included == ("hot", "leeds")
    assert shipped.total.listed == ("hot", "jubilee", "leeds")


def test_a_group_of_two_areas_adds_up_to_the_total(shipped: Portfolio) -> None:
    assert [(g.area, g.area_code, g.included) for g in shipped.areas] == [
        ("Calderdale", "E08000033", ("hot",)), ("Leeds", "E08000035", ("leeds",)),
    ]  # fmt: skip
    for m in MEASURES:
        assert sum(g.totals[m] for g in shipped.areas) == pytest.approx(shipped.total.totals[m], rel=1e-12)


def test_every_range_holds_its_central_sum(shipped: Portfolio) -> None:
    for g in (*shipped.areas, shipped.total):
        assert set(g.ranges) == set(MEASURES)
        for m, r in g.ranges.items():
            assert r.holds(g.totals[m]), (g.area, m, r, g.totals[m])
            assert (r.level, r.draws) == (0.9, DRAWS)
    # an area's range is the sum of draws, so it is narrower than the sum of its entries' widths
    width = shipped.total.ranges["fte"].high - shipped.total.ranges["fte"].low
    assert width < sum(g.ranges["fte"].high - g.ranges["fte"].low for g in shipped.areas)


def test_the_model_inputs_entries_share_are_drawn_once_and_said(shipped: Portfolio) -> None:
    # HOT and the Leeds centre both take the central gross-to-net preset and the default delta
    assert {"model.delta", "additionality.displacement", "additionality.deadweight"} <= set(shipped.shared_inputs)
    assert "model.resident_share" not in shipped.shared_inputs  # Calderdale's and Leeds's are different facts
    assert "drawn independently" in shipped.dependence
    assert "once per draw" in shipped.dependence


def test_an_entrys_own_ranges_are_its_appraisal_with_its_seed(shipped: Portfolio) -> None:
    row = shipped.entry("leeds")
    again = kil_io.appraise(kil_io.case_study(LEEDS), DRAWS, seed=row.seed)
    for key in ("fte", "fte_net", "gva", "gva_net", "local_income"):
        r = again.figure(key).range
        assert (row.ranges[key].low, row.ranges[key].high) == pytest.approx((r.low, r.high), rel=1e-12)


def test_the_same_seed_gives_the_same_portfolio(shipped: Portfolio) -> None:
    assert kil_io.appraise_portfolio(SHIPPED, DRAWS, seed=SEED).to_json() == shipped.to_json()


def test_json_round_trip(shipped: Portfolio, tmp_path: Path) -> None:
    text = shipped.to_json()
    assert Portfolio.from_dict(json.loads(text)).to_json() == text
    (tmp_path / "portfolio.json").write_text(text, encoding="utf-8")
    assert read_portfolio(tmp_path).to_json() == text
    headline = shipped.headline_json()
    assert headline["Local jobs (FTE)"] == pytest.approx(shipped.total.totals["fte"], abs=1e-6)
    assert headline["ranges"]["Net additional local jobs (FTE)"]["draws"] == DRAWS
    assert all(not s.startswith(str(REPO)) for s in (shipped.source, *(r.source for r in shipped.entries)))


def test_a_file_of_another_layout_is_refused(tmp_path: Path) -> None:
    (tmp_path / "portfolio.json").write_text('{"schema": 99}', encoding="utf-8")
    with pytest.raises(kil_io.appraisal.PortfolioFileError, match="layout 99"):
        read_portfolio(tmp_path)


def test_shipped_leeds_case_is_what_new_case_makes_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """data/portfolios/leeds_community_centre.yaml is README's new-case command on the shipped example records."""
    from kil_io.cli import main

    examples = REPO / "kil_io" / "records" / "templates" / "examples" / "leeds_community_centre"
    for name in ("accounts.csv", "staff.csv", "suppliers.csv"):
        shutil.copy(examples / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)  # as README: in the records' folder, which the case file names its files from
    status = main(["new-case", "leeds_community_centre", "--area", "Leeds", "--title", "Leeds community centre",
                   "--accounts", "accounts.csv", "--staff", "staff.csv", "--suppliers", "suppliers.csv"])  # fmt: skip
    assert status == 0, capsys.readouterr().err
    made = tmp_path / "leeds_community_centre.yaml"
    assert made.read_text(encoding="utf-8") == LEEDS.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------ the other two rules
CATERER = """\
    kind: organisation
    title: Halifax community caterer
    area: Calderdale
    year: 2021
    organisation:
      name: Halifax community caterer
      sector: {code: I56, source: "assumption: a caterer for the test"}
      income: {value: 300000, source: "assumption: the test's"}
      staff:
        fte: {value: 10, source: "assumption"}
        costs: {value: 250000, source: "assumption"}
        local_share: {value: 0.9, source: "assumption"}
      surplus: {value: 5000, source: "assumption"}
      spending:
        - {category: groceries_and_retail, value: 40000, local_share: 0.5, source: "assumption"}
"""


def test_a_shared_supplier_removes_what_the_spenders_model_gives_that_spending(tmp_path: Path) -> None:
    """£50,000 of HOT's local catering (£84,000: £120,000 at 70%) goes to another entry: the removal is what HOT's
    own appraisal loses when that £50,000 is not spent locally (the model re-run, not the rule's arithmetic)."""
    write(tmp_path, "caterer.yaml", CATERER)
    path = write(tmp_path, "p.yaml", """\
        title: HOT and its caterer
        entries:
          - name: hot
            case: halifax_opportunities_trust
            suppliers:
              - {entry: caterer, line: catering, value: 50000, source: "test ledger: HOT's invoices from the caterer"}
          - name: caterer
            case: caterer.yaml
    """)  # fmt: skip
    p = kil_io.appraise_portfolio(path, 1_000, seed=1)
    hot_text = (datasets.data_dir() / "case_studies" / "halifax_opportunities_trust.yaml").read_text(encoding="utf-8")
    line = "{category: catering, value: 120000,"
    assert line in hot_text
    less = write(
        tmp_path, "hot_less.yaml", hot_text.replace(line, f"{{category: catering, value: {120000 - 50000 / 0.7!r},")
    )
    hot = kil_io.appraisal.appraise(kil_io.case_study("halifax_opportunities_trust")).organisation
    cut = kil_io.appraisal.appraise(kil_io.case_study(less)).organisation
    caterer = kil_io.appraisal.appraise(kil_io.case_study(tmp_path / "caterer.yaml")).organisation
    (removal,) = p.removals
    assert (removal.entry, removal.rule, removal.within, removal.money) == ("hot", "shared supplier", "caterer", 50_000)
    assert removal.detail["line_local"] == pytest.approx(84_000)
    for m in MEASURES:
        assert removal.removed[m] == pytest.approx(hot.total(m) - cut.total(m), rel=1e-9), m
        assert p.total.totals[m] == pytest.approx(hot.total(m) + caterer.total(m) - removal.removed[m], rel=1e-12)
        assert p.total.ranges[m].holds(p.total.totals[m]), m
    assert removal.removed["fte"] > 0.5  # not a rounding: about 0.9 FTE of catering jobs and their re-spending


def test_a_contract_paid_to_an_organisation_adds_nothing_and_a_contract_on_its_own_adds_its_provider(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "p.yaml", """\
        title: HOT and two contracts
        entries:
          - name: hot
            case: halifax_opportunities_trust
          - name: centre
            case: jubilee_childrens_centre
            contract_value: {value: 500000, source: "council contract register"}
            paid_to: {entry: hot, source: "HOT delivers it"}
          - name: other_centre
            case: jubilee_childrens_centre
            contract_value: {value: 300000, source: "council contract register"}
            provider: national
    """)  # fmt: skip
    p = kil_io.appraise_portfolio(path, 0)
    jubilee = kil_io.case_study("jubilee_childrens_centre")
    hot = kil_io.appraisal.appraise(kil_io.case_study("halifax_opportunities_trust")).organisation
    paid = kil_io.appraisal.appraise(jubilee, contract_value=500_000).providers[0]
    national = kil_io.appraisal.appraise(jubilee, contract_value=300_000).providers[1]
    assert national.name == "National provider"
    (removal,) = p.removals
    assert (removal.entry, removal.rule, removal.within, removal.money) == ("centre", "paid_to", "hot", 500_000)
    for m in MEASURES:
        assert removal.removed[m] == pytest.approx(paid.total(m), rel=1e-12)
        assert p.total.totals[m] == pytest.approx(hot.total(m) + national.total(m), rel=1e-12)
    assert p.entry("other_centre").organisation == "National provider"
    assert p.total.ranges == {}  # no draws, no ranges, said so
    assert p.dependence.startswith("no ranges")


# ------------------------------------------------------------------------------------------ bad input
BAD = {
    "the same case twice": (
        """\
        - {name: hot, case: halifax_opportunities_trust}
        - {name: hot_again, case: halifax_opportunities_trust}
    """,
        "entries[1] (hot_again): case: the same organisation as entry 'hot'",
        "counted twice",
    ),
    "part_of in a loop": (
        """\
        - {name: jubilee, case: jubilee_childrens_centre, part_of: {entry: hot, source: s}}
        - {name: hot, case: halifax_opportunities_trust, part_of: {entry: jubilee, source: s}}
    """,
        "entries[0] (jubilee): part_of: counted within itself (jubilee -> hot -> jubilee)",
        "counted twice",
    ),
    "an unknown entry": (
        """\
        - {name: hot, case: halifax_opportunities_trust}
        - {name: jubilee, case: jubilee_childrens_centre, part_of: {entry: trust, source: s}}
    """,
        "entries[1] (jubilee): part_of.entry: no entry 'trust' in this portfolio",
        "['hot', 'jubilee']",
    ),
    "itself": (
        """\
        - {name: hot, case: halifax_opportunities_trust, part_of: {entry: hot, source: s}}
    """,
        "entries[0] (hot): part_of.entry: an entry cannot refer to itself",
        "",
    ),
    "a supplier amount above the line's local spending": (
        """\
        - name: hot
          case: halifax_opportunities_trust
          suppliers: [{entry: jubilee, line: catering, value: 90000, source: s}]
        - {name: jubilee, case: jubilee_childrens_centre}
    """,
        "entries[0] (hot): suppliers[0].value: £90,000 is more than the £84,000",
        "line 'catering'",
    ),
    "a line the entry does not have": (
        """\
        - name: hot
          case: halifax_opportunities_trust
          suppliers: [{entry: jubilee, line: printing, value: 100, source: s}]
        - {name: jubilee, case: jubilee_childrens_centre}
    """,
        "entries[0] (hot): suppliers[0].line: 'printing' is not a spending line",
        "'catering'",
    ),
    "a missing case file": (
        """\
        - {name: centre, case: my_centre.yaml}
    """,
        "entries[0] (centre): case: case file",
        "my_centre.yaml not found",
    ),
    "a shipped case that is not": (
        """\
        - {name: centre, case: my_centre}
    """,
        "entries[0] (centre): case: no case study 'my_centre'",
        "",
    ),
    "an organisation inside a smaller one": (
        """\
        - {name: jubilee, case: jubilee_childrens_centre}
        - {name: hot, case: halifax_opportunities_trust, part_of: {entry: jubilee, source: s}}
    """,
        "entries[1] (hot): part_of: its income £5,600,000 is more than the £500,000 income of 'jubilee'",
        "",
    ),
    "inside an organisation of another area": (
        """\
        - {name: hot, case: halifax_opportunities_trust}
        - {name: jubilee, case: jubilee_childrens_centre, area: Leeds, year: 2022, part_of: {entry: hot, source: s}}
    """,
        "entries[1] (jubilee): part_of: entry 'jubilee' is in Leeds and 'hot' in Calderdale",
        "",
    ),
    "paid_to from an organisation": (
        """\
        - {name: hot, case: halifax_opportunities_trust}
        - {name: jubilee, case: jubilee_childrens_centre, paid_to: {entry: hot, source: s}}
    """,
        "entries[1] (jubilee): paid_to: paid_to is for a contract entry",
        "part_of",
    ),
    "an unknown key": (
        """\
        - {name: hot, case: halifax_opportunities_trust, counted_in: jubilee}
    """,
        "entries[0]: unknown keys ['counted_in']",
        "allowed",
    ),
    "an unknown area": (
        """\
        - {name: hot, case: halifax_opportunities_trust, area: Atlantis}
    """,
        "entries[0] (hot): area:",
        "Atlantis",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_input_names_the_file_entry_and_field(case: str, tmp_path: Path) -> None:
    entries, where, more = BAD[case]
    path = write(tmp_path, "bad.yaml", "title: bad\nentries:\n" + textwrap.indent(textwrap.dedent(entries), "  "))
    with pytest.raises(PortfolioError) as caught:
        load_portfolio(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert where in message, message
    assert more in message, message
    assert isinstance(caught.value, kil_io.KilIOError)


def test_a_missing_portfolio_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PortfolioError, match=r"portfolio file .*nothing\.yaml"):
        load_portfolio(tmp_path / "nothing.yaml")


# ------------------------------------------------------------------------------------------ property
@st.composite
def parts(draw: st.DrawFn) -> tuple[str, str, int]:
    """An organisation case inside HOT or the Leeds centre (income below theirs), and where it is listed."""
    whole = draw(st.sampled_from(["hot", "leeds"]))
    area, year = ("Calderdale", 2021) if whole == "hot" else ("Leeds", 2022)
    income = draw(st.integers(100_000, 1_000_000))
    costs = round(income * draw(st.floats(0.4, 0.75)))
    fte = round(costs / draw(st.floats(22_000, 40_000)), 1)
    categories = draw(st.lists(st.sampled_from(["catering", "energy", "it_services", "cleaning_and_facilities"]),
                               max_size=3, unique=True))  # fmt: skip
    left = income - costs - 1_000
    lines = "".join(
        f"    - {{category: {c}, value: {round(left * draw(st.floats(0.05, 0.3)))}, "
        f"local_share: {draw(st.floats(0, 1)):.3f}, source: assumption}}\n"
        for c in categories
    )  # fmt: skip
    spending = f"  spending:\n{lines}" if lines else "  spending: []\n"
    case = (
        f"kind: organisation\ntitle: A part\narea: {area}\nyear: {year}\norganisation:\n  name: A part\n"
        f"  income: {{value: {income}, source: assumption}}\n  staff:\n    fte: {{value: {fte}, source: assumption}}\n"
        f"    costs: {{value: {costs}, source: assumption}}\n    local_share: {{value: 0.8, source: assumption}}\n"
        f"  surplus: {{value: 1000, source: assumption}}\n{spending}"
    )
    return case, whole, draw(st.integers(0, 2))


@settings(max_examples=5, deadline=None)
@given(part=parts())
def test_adding_an_entry_part_of_another_never_changes_the_totals(part: tuple[str, str, int]) -> None:
    case, whole, at = part
    base_entries = ["  - {name: hot, case: halifax_opportunities_trust}\n", f"  - {{name: leeds, case: {LEEDS}}}\n"]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "part.yaml").write_text(case, encoding="utf-8")
        base = Path(folder) / "base.yaml"
        base.write_text("title: base\nentries:\n" + "".join(base_entries), encoding="utf-8")
        entries = list(base_entries)
        entries.insert(at, f"  - {{name: part, case: part.yaml, part_of: {{entry: {whole}, source: test}}}}\n")
        more = Path(folder) / "more.yaml"
        more.write_text("title: more\nentries:\n" + "".join(entries), encoding="utf-8")
        before = kil_io.appraise_portfolio(base, 200, seed=7)
        after = kil_io.appraise_portfolio(more, 200, seed=7)
    assert after.entry("part").status == "counted within"
    assert after.total.totals == before.total.totals
    assert after.total.ranges == before.total.ranges
    assert [(g.area, g.totals, g.ranges) for g in after.areas] == [(g.area, g.totals, g.ranges) for g in before.areas]


def test_the_readme_portfolio_file_is_one_the_reader_reads(tmp_path: Path) -> None:
    """README's example portfolio loads as written, given the two case files it names beside it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "entries:" in b]
    (tmp_path / "cases").mkdir()
    shutil.copy(LEEDS, tmp_path / "cases" / LEEDS.name)
    leeds_caterer = CATERER.replace("area: Calderdale", "area: Leeds").replace("year: 2021", "year: 2022")
    write(tmp_path, "leeds_caterer.yaml", leeds_caterer)
    p = load_portfolio(write(tmp_path, "mine.yaml", block))
    assert [e.name for e in p.included] == ["hot", "leeds", "caterer"]
    within = [(e.name, e.within.rule) for e in p.entries if e.within is not None]
    assert within == [("jubilee", "part_of"), ("centre_contract", "paid_to")]
