"""Hand-written YAML (case files, case lists) cannot exhaust the machine, and bad values are quoted short."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kil_io import datasets, yamlsafe
from kil_io.appraisal.casefile import load_case
from kil_io.errors import BatchError, CaseError, KilIOError
from kil_io.runner.caselist import load_cases

CASES = datasets.data_dir() / "case_studies"


@pytest.fixture(scope="module")
def sectors() -> tuple[str, ...]:
    return datasets.uk_iot(datasets.available_years()[-1]).sectors


def _laughs(levels: int = 9) -> str:
    """Nested aliases: each level repeats the one below nine times (9**9 = 387 million strings)."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_aliases_are_refused_before_they_expand(tmp_path: Path, sectors: tuple[str, ...]) -> None:
    (tmp_path / "case.yaml").write_text((CASES / "calderdale.yaml").read_text() + _laughs())  # 4 KB
    (tmp_path / "cases.yaml").write_text(_laughs() + "cases: []\n")  # 0.5 KB
    start = time.perf_counter()
    with pytest.raises(CaseError, match=r"alias \*l0 is not allowed"):
        load_case(tmp_path / "case.yaml", sectors=sectors)
    with pytest.raises(BatchError, match=r"alias \*l0 is not allowed"):
        load_cases(tmp_path / "cases.yaml")
    assert time.perf_counter() - start < 1.0  # was 20 s and a MemoryError past 0.9 GB
    with pytest.raises(yaml.YAMLError, match="merge keys are refused"):
        yamlsafe.load("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert yamlsafe.load("a: [1, 2]\nb: {c: text}\n") == {"a": [1, 2], "b": {"c": "text"}}


def test_bad_values_are_quoted_as_short_excerpts(tmp_path: Path, sectors: tuple[str, ...]) -> None:
    huge = ["x" * 200] * 200
    base = yaml.safe_load((CASES / "calderdale.yaml").read_text())
    for key, value in [("year", huge), ("title", huge), ("kind", "k" * 50_000), ("sectors", {"a": huge})]:
        path = tmp_path / f"{key}.yaml"
        path.write_text(yaml.safe_dump({**base, key: value}))
        with pytest.raises(CaseError, match=key) as info:
            load_case(path, sectors=sectors)
        assert len(str(info.value)) < 400, str(info.value)
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump({"cases": [{"name": "x", "template": huge}]}))
    with pytest.raises(BatchError, match="template") as info:
        load_cases(path)
    assert len(str(info.value)) < 400


def test_description_and_labels_must_be_text(tmp_path: Path, sectors: tuple[str, ...]) -> None:
    base = yaml.safe_load((CASES / "jubilee_childrens_centre.yaml").read_text())
    for value in ([1, 2], {"a": 1}, 12):
        path = tmp_path / "case.yaml"
        path.write_text(yaml.safe_dump({**base, "description": value}))
        with pytest.raises(CaseError, match=r"description: expected text, got"):
            load_case(path, sectors=sectors)
    line = base["organisation"]["spending"][0]
    base["organisation"]["spending"][0] = {**line, "label": ["a"]}
    path.write_text(yaml.safe_dump(base))
    with pytest.raises(CaseError, match=r"spending\[0\]\.label: expected text"):
        load_case(path, sectors=sectors)


def test_a_thousands_comma_inside_braces_is_explained(tmp_path: Path, sectors: tuple[str, ...]) -> None:
    text = (CASES / "jubilee_childrens_centre.yaml").read_text()
    text = text.replace('income: {value: 500000, source: "', 'income: {value: £500,000, source: "')
    (tmp_path / "case.yaml").write_text(text)
    with pytest.raises(CaseError, match=r"unknown keys \['000'\].*thousands separator\? write 500000"):
        load_case(tmp_path / "case.yaml", sectors=sectors)


def test_unreadable_case_lists_and_files_are_named(tmp_path: Path, sectors: tuple[str, ...]) -> None:
    (tmp_path / "latin1.yaml").write_bytes("cases:\n  - name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(BatchError, match=r"latin1.yaml: line 2 .* not UTF-8 text"):
        load_cases(tmp_path / "latin1.yaml")
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(BatchError, match=r"folder.yaml: is a folder, not a case list"):
        load_cases(tmp_path / "folder.yaml")
    with pytest.raises(CaseError, match=r"line 2 .* not UTF-8 text"):
        load_case(tmp_path / "latin1.yaml", sectors=sectors)
    (tmp_path / "big.yaml").write_text("# " + "x" * yamlsafe.MAX_YAML_BYTES)
    with pytest.raises(CaseError, match=r"over kil_io's limit of 1.0 MB"):
        load_case(tmp_path / "big.yaml", sectors=sectors)


# --- fuzzing: any structure either loads or raises a KilIOError, quickly ---------------------------

_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _paths(value: Any, trail: tuple = ()) -> list[tuple]:
    found = [trail]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*trail, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*trail, i))
    return found


def _replace(value: Any, trail: tuple, new: Any) -> Any:
    if not trail:
        return new
    head, rest = trail[0], trail[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    return [_replace(v, rest, new) if i == head else v for i, v in enumerate(value)]


_BASE = yaml.safe_load((CASES / "jubilee_childrens_centre.yaml").read_text())
_PATHS = _paths(_BASE)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(_PATHS), new=_values)
def test_fuzzed_case_files_load_or_raise_a_kil_io_error(
    tmp_path: Path, sectors: tuple[str, ...], where: tuple, new: Any
) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(_replace(_BASE, where, new), allow_unicode=True))
    start = time.perf_counter()
    message = ""
    try:
        load_case(path, sectors=sectors)
    except KilIOError as exc:
        message = str(exc)
    assert len(message) < 1000
    assert time.perf_counter() - start < 2.0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(st.dictionaries(st.sampled_from(["name", "template", "parameters", "title", "x"]), _values)))
def test_fuzzed_case_lists_load_or_raise_a_kil_io_error(tmp_path: Path, cases: list) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump({"cases": cases}, allow_unicode=True))
    message = ""
    try:
        load_cases(path)
    except KilIOError as exc:
        message = str(exc)
    assert len(message) < 1000


@pytest.mark.parametrize(("where", "message"), [
    (("providers", "local", "spending"), r"providers.local.spending: must be a list of lines, got 606"),
    (("organisation", "spending"), r"organisation.spending: must be a list of lines, got 606"),
])  # fmt: skip
def test_a_list_given_as_a_number_names_its_field(
    tmp_path: Path, sectors: tuple[str, ...], where: tuple, message: str
) -> None:
    """Found by fuzzing: a number where the spending lines go was a TypeError."""
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(_replace(_BASE, where, 606), allow_unicode=True))
    with pytest.raises(CaseError, match=message):
        load_case(path, sectors=sectors)
