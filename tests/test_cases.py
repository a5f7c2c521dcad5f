"""Case files: strict schema, every figure sourced, safe YAML, clear errors naming the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kil_io import case_study, datasets
from kil_io.appraisal.casefile import CATEGORIES, load_case
from kil_io.errors import CaseError, DatasetError, MissingFileError

SECTORS = datasets.uk_iot(2022).sectors
CASES = Path(__file__).resolve().parents[1] / "data" / "case_studies"


def write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = (CASES / "jubilee_childrens_centre.yaml").read_text(encoding="utf-8")
    assert old in text
    return write(tmp_path, text.replace(old, new, 1))


def test_shipped_cases_load() -> None:
    assert datasets.case_studies() == (
        "bradford_facilities",
        "bristol_home_care",
        "calderdale",
        "halifax_opportunities_trust",
        "jubilee_childrens_centre",
    )
    hot = case_study("halifax_opportunities_trust")
    assert hot.kind == "organisation"
    assert hot.organisation is not None
    assert hot.organisation.staff_fte.source.startswith("assumption: about 180 staff in 2023")
    assert hot.published["fte"].value == 300
    assert hot.organisation.enterprises
    jub = case_study("jubilee_childrens_centre")
    assert set(jub.providers) == {"local", "national"}
    assert jub.published["lm3"].value == 2.43
    cal = case_study("calderdale")
    assert cal.sectors == ("Q87 & Q88", "P85", "S94")


def test_every_shipped_figure_has_a_source() -> None:
    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            if "value" in node and not isinstance(node["value"], dict):  # a figure (a contract's block is not)
                assert str(node.get("source", "")).strip(), f"{where} has no source"
            for k, v in node.items():
                walk(v, f"{where}.{k}")
        elif isinstance(node, list):
            for k, v in enumerate(node):
                walk(v, f"{where}[{k}]")

    for path in CASES.glob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.stem)


def test_categories_are_real_sectors() -> None:
    assert set(CATEGORIES.values()) <= set(SECTORS)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("local_share: {value: 0.9, source: \"assumption: staff recruited", "local_share: {value: 1.9, source: \"x",
         r"organisation.staff.local_share.value: a share must be in \[0, 1\], got 1.9"),
        ("{category: energy, value: 15000,", "{category: energy, value: -15000,",
         r"organisation.spending\[1\]: spending line 'energy': value must be a non-negative number of £"),
        ("{category: energy, value: 15000,", "{sector: X99, value: 15000,",
         r"organisation.spending\[1\].sector: unknown IOAT sector code 'X99'"),
        ("{category: energy, value: 15000,", "{category: fuel, value: 15000,",
         r"organisation.spending\[1\].category: unknown category 'fuel'"),
        ("{category: energy, value: 15000,", "{category: energy, value: 900000,",
         r"staff costs and spending \(£1,365,000\) exceed income less surplus .* by £875,000"),
        ("  surplus: {value: 10000, source: \"assumption: 2% reinvested by HOT\"}\n", "",
         r"organisation: missing required fields \['surplus'\]"),
        ("  name: Jubilee Children's Centre (HOT)\n", "  name: Jubilee Children's Centre (HOT)\n  colour: blue\n",
         r"organisation: unknown keys \['colour'\]"),
        ("{value: 500000, source: \"assumption: annual contract value for one children's centre\"}",
         "{value: 500000}", r"organisation.income: missing required fields \['source'\]"),
        ("year: 2021", "year: twenty", "year: expected a year"),
        ("    staff_share: {value: 0.62,", "    staff_share: {value: 0.92,",
         r"providers.national: provider 'National provider': staff, spending, overheads and surplus add to 1.300"),
        # what cannot be negative has no range below zero; a rate's range lies in [0, 1]
        ("fte: {value: 12, range: [10, 14],", "fte: {value: 12, range: [-5, 14],",
         r"staff_fte: the range \[-5, 14\] must start at zero or above: it cannot be negative"),
        ("costs: {value: 360000,", "costs: {value: 360000, range: [-100000, 400000],",
         r"staff_costs: the range \[-100000, 400000\] must start at zero or above"),
        ("staff_cost_per_fte: {value: 30000, range: [27000, 33000]",
         "staff_cost_per_fte: {value: 30000, range: [-1, 33000]",
         r"provider 'Local community organisation \(HOT\)': staff_cost_per_fte: the range \[-1, 33000\] must start"),
        ("    staff_share: {value: 0.62,", "    staff_share: {value: 0.62, range: [0.5, 1.2],",
         r"providers.national.staff_share.range: a share's range must lie in \[0, 1\]"),
        # user text is one line without control characters
        ("title: Jubilee Children's Centre", 'title: "Centre\\nsensitivity: {delta: [0.01, 0.02]}"',
         r"title: .* holds a line break \(U\+000A\) at character 7: one line only"),
        ("  name: Jubilee Children's Centre (HOT)", '  name: "Trust\\a Ltd"',
         r"organisation.name: 'Trust\\x07 Ltd' holds the control character U\+0007 at character 6"),
        ('name: "National provider"', 'name: "National\\u2028provider"',
         r"providers.national.name: .* line break \(U\+2028\)"),
    ],
)  # fmt: skip
def test_bad_case_files_name_the_field(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(CaseError, match=message):
        load_case(edited(tmp_path, old, new), sectors=SECTORS)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("income: {value: 500000,", "income: {value: 0500000,", r"value: expected a finite number, got '0500000'"),
        ("income: {value: 500000,", "income: {value: .inf,", r"organisation.income.value: expected a finite number"),
        ("kind: contract\n", "kind: contract\nkind: area\n", r"keys given more than once: \['kind'\]"),
        ("published:\n", "published:\n  jobs: {value: 3, source: x}\n", r"published: unknown keys \['jobs'\]"),
        ("  method: flq\n", "  method: lq\n", r"regional_table: unknown location-quotient method 'lq'"),
        ("  delta: [0.125, 0.3]\n", "  delta: [0.125, 1.2]\n", r"sensitivity.delta: .*1.2 is not in \[0, 1\)"),
        ("kind: contract\n", "kind: contract\nsectors: [P85]\n", "only an 'area' case lists sectors"),
    ],
)  # fmt: skip
def test_strict_yaml_and_schema(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(CaseError, match=message):
        load_case(edited(tmp_path, old, new), sectors=SECTORS)


def test_message_names_the_case_once(tmp_path: Path) -> None:
    with pytest.raises(CaseError) as info:
        load_case(
            edited(
                tmp_path,
                'local_share: {value: 0.9, source: "assumption: staff recruited',
                'local_share: {value: 2, source: "x',
            ),
            sectors=SECTORS,
        )
    assert str(info.value).count("case 'case'") == 1


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes("title: caf\xe9\n".encode("latin-1"))
    with pytest.raises(CaseError, match="not UTF-8"):
        load_case(path, sectors=SECTORS)


def test_area_case_sectors_must_be_a_list(tmp_path: Path) -> None:
    text = (
        (CASES / "calderdale.yaml")
        .read_text(encoding="utf-8")
        .replace('sectors: ["Q87 & Q88", "P85", "S94"]', 'sectors: "P85"')
    )
    with pytest.raises(CaseError, match="sectors: expected a list of IOAT codes"):
        load_case(write(tmp_path, text), sectors=SECTORS)


def test_loading_never_runs_code(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = write(tmp_path, f'kind: !!python/object/apply:os.system ["touch {marker}"]\n')
    with pytest.raises(CaseError, match="not valid YAML"):
        load_case(path, sectors=SECTORS)
    assert not marker.exists()


def test_missing_and_unknown_cases(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError):
        load_case(tmp_path / "none.yaml", sectors=SECTORS)
    with pytest.raises(DatasetError, match="shipped case studies: bradford_facilities, bristol_home_care, calderdale"):
        case_study("secrets")
    with pytest.raises(MissingFileError, match="no such case file"):  # a path is a case file, never a shipped name
        case_study("../secrets")


def test_a_case_file_of_ones_own_is_read_by_path(tmp_path: Path) -> None:
    text = (
        (CASES / "jubilee_childrens_centre.yaml")
        .read_text(encoding="utf-8")
        .replace("title: Jubilee Children's Centre", "title: My centre")
    )
    path = write(tmp_path, text)
    for given in (path, str(path)):
        case = case_study(given)
        assert (case.title, case.path, case.organisation.income.value) == ("My centre", path, 500_000)
    bad = write(tmp_path, text.replace("area: Calderdale", "area: Atlantis"), name="atlantis.yaml")
    with pytest.raises(CaseError, match="unknown area 'Atlantis'"):
        case_study(bad)


def test_area_case_rejects_organisation_fields(tmp_path: Path) -> None:
    text = (CASES / "calderdale.yaml").read_text(encoding="utf-8") + "providers: {}\n"
    with pytest.raises(CaseError, match="providers: not allowed in an 'area' case"):
        load_case(write(tmp_path, text), sectors=SECTORS)


def test_published_figures_in_model_units() -> None:
    from kil_io.appraisal import appraise

    for name, expected in (("halifax_opportunities_trust", {"fte": 300.0, "gva": 14.0}),
                           ("jubilee_childrens_centre", {"lm3": 2.43})):  # fmt: skip
        published = appraise(case_study(name)).published
        assert published is not None
        assert published["published"].to_dict() == expected
        assert set(published["unit"]) <= {"FTE", "£m", "£ per £1"}


def test_additionality_rates_come_from_the_case_file(tmp_path: Path) -> None:
    """A preset scenario, with rates of the case's own (each with a source) over it."""
    block = (
        "  scenario: high\n"
        '  displacement: {value: 0.3, source: "survey: a third of families would use another centre in the area"}\n'
    )
    case = load_case(edited(tmp_path, "  scenario: central\n", block), sectors=SECTORS)
    assert case.rates is not None
    assert case.rates.scenario == "high + case file"
    assert case.rates.displacement.value == 0.3
    assert case.rates.displacement.source.startswith("survey:")
    assert case.rates.deadweight.value == 0.5  # the high preset's
    assert case.rates.deadweight.source.startswith("assumption (high preset)")
    assert load_case(CASES / "jubilee_childrens_centre.yaml", sectors=SECTORS).rates.scenario == "central"  # type: ignore[union-attr]
    bad = edited(tmp_path, "  scenario: central\n", '  leakage: {value: 1.2, source: "x"}\n')
    with pytest.raises(CaseError, match=r"additionality.leakage"):
        load_case(bad, sectors=SECTORS)
    unknown = edited(tmp_path, "  scenario: central\n", "  scenario: medium\n")
    with pytest.raises(CaseError, match=r"additionality.scenario.*unknown additionality scenario 'medium'"):
        load_case(unknown, sectors=SECTORS)
