"""How kil_io is packaged: one version, what the wheel ships, and installs that say what they need."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest

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
    """Let kil_io.datasets.files find the package at ``package`` (a site-packages/kil_io of a wheel install)."""
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
    installed_as(monkeypatch, tmp_path / "empty" / "kil_io")  # no _data, no data/ beside it
    with pytest.raises(DatasetError, match=r"kil_io data folder .*empty/data not found: in a clone"):
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
