"""Install kil_io as a user would, from its wheel, and run it outside the repository (``make wheel-test``).

1. In a fresh virtual environment with ``build``, build the sdist and then the wheel from the sdist
   (``python -m build``), so the sdist is checked to hold what the wheel ships; the wheel must hold the
   data (``kil_io/_data``), the notebook templates and case list (``kil_io/_notebooks``) and the record
   templates, and none of the repository's tests, scripts or published notebooks.
2. In another fresh virtual environment, install the wheel with its run-time dependencies only (from the
   package index, or pip's cache).
3. From an empty folder outside the repository, with no ``PYTHONPATH`` or ``KIL_IO_DATA``: ``kil-io
   --version``, ``kil-io multipliers --area Leeds``, ``kil-io templates --examples``, ``kil-io new-case`` from
   the example records, and ``kil-io run`` of that case and of the shipped ``jubilee_commissioning``
   (``--no-pdf``: the PDF needs Chromium, which is not Python's to install); each one's files are checked.
4. A data folder of another version (``KIL_IO_DATA``) and an install whose data are gone end in one line
   naming the versions or the folder and how to reinstall (exit status 2), never a traceback.

Prints the sizes of the wheel, the sdist and the installed environment, and each step's time. Everything
runs in a temporary folder (``--keep`` keeps it); every step has a timeout.

Run from anywhere::

    python3 scripts/wheel_test.py            # or: make wheel-test
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Seconds: building (two isolated builds), installing the dependencies, and any one kil-io command.
BUILD_TIMEOUT, INSTALL_TIMEOUT, COMMAND_TIMEOUT = 600, 900, 900
#: What the wheel must hold (inside the package) and must not.
MUST_SHIP = (
    "kil_io/_data/about.json",
    "kil_io/_data/uk_iot_2023.csv",
    "kil_io/_data/case_studies/jubilee_childrens_centre.yaml",
    "kil_io/_notebooks/case_studies.yaml",
    "kil_io/_notebooks/organisation_impact.ipynb",
    "kil_io/_notebooks/commissioning_comparison.ipynb",
    "kil_io/records/templates/accounts.xlsx",
    "kil_io/records/templates/examples/leeds_community_centre/staff.csv",
)
MUST_NOT_SHIP = ("tests/", "scripts/", "benchmarks/", "notebooks/", "data/", "kil_io/_notebooks/published/")


class Failed(Exception):
    """A step did not do what a user would need."""


def step(
    what: str, cmd: list[str], *, cwd: Path, env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run one command; fail with its output if it fails or runs over ``timeout`` seconds."""
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise Failed(f"{what}: no answer within {timeout:.0f} s ({' '.join(cmd)})") from None
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise Failed(
            f"{what}: exit status {done.returncode}\n$ {' '.join(cmd)}\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
    TIMES.append((what, seconds))
    print(f"  {seconds:6.1f} s  {what}", flush=True)
    return done


TIMES: list[tuple[str, float]] = []


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


def size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def clean_env() -> dict[str, str]:
    """The caller's environment without what would point kil_io back at the repository."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KIL_IO_DATA", "VIRTUAL_ENV")}
    env["PYTHONNOUSERSITE"] = "1"  # a user site-packages kil_io must not stand in for the wheel's
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def build(tmp: Path, env: dict[str, str]) -> tuple[Path, Path]:
    tools = tmp / "build-venv"
    step("venv for build", [sys.executable, "-m", "venv", str(tools)], cwd=tmp, env=env, timeout=120)
    python = str(tools / "bin" / "python")
    step(
        "pip install build",
        [python, "-m", "pip", "install", "--quiet", "build"],
        cwd=tmp,
        env=env,
        timeout=INSTALL_TIMEOUT,
    )
    dist = tmp / "dist"
    step(
        "python -m build (sdist, then the wheel from it)",
        [python, "-m", "build", "--outdir", str(dist), str(REPO)],
        cwd=tmp,
        env=env,
        timeout=BUILD_TIMEOUT,
    )
    (wheel,) = dist.glob("kil_io-*.whl")
    (sdist,) = dist.glob("kil_io-*.tar.gz")
    return wheel, sdist


def check_wheel(wheel: Path) -> str:
    """The wheel's version, after checking what it holds."""
    names = zipfile.ZipFile(wheel).namelist()
    missing = [n for n in MUST_SHIP if n not in names]
    check(not missing, f"{wheel.name} lacks {missing}")
    stray = sorted({n for n in names for p in MUST_NOT_SHIP if n.startswith(p)})
    check(not stray, f"{wheel.name} ships what stays in the repository: {stray[:10]}")
    check(not any("__pycache__" in n for n in names), f"{wheel.name} ships __pycache__")
    return wheel.name.split("-")[1]


def kil_io(venv: Path, *args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return step(
        f"kil-io {' '.join(args)}", [str(venv / "bin" / "kil-io"), *args], cwd=cwd, env=env, timeout=COMMAND_TIMEOUT
    )


def refused(venv: Path, env: dict[str, str], cwd: Path, *expected: str) -> None:
    """``kil-io multipliers --area Leeds`` must end in exit status 2 and one error line holding ``expected``."""
    cmd = [str(venv / "bin" / "kil-io"), "multipliers", "--area", "Leeds", "--areas-out", "refused"]
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False)
    err = done.stderr.strip()
    check(done.returncode == 2, f"bad data: exit status {done.returncode}, expected 2\n{done.stdout}{err}")
    check("Traceback" not in err and err.startswith("kil-io: error: "), f"bad data: not one error line:\n{err}")
    for text in expected:
        check(text in err, f"bad data: the message does not say {text!r}:\n{err}")
    print(f"           refused: {err[:150]}...")


def use(venv: Path, version: str, work: Path, env: dict[str, str]) -> None:
    python = str(venv / "bin" / "python")
    out = kil_io(venv, "--version", cwd=work, env=env).stdout.strip()
    check(out == f"kil_io {version}", f"kil-io --version says {out!r}, the wheel is {version}")
    ask = "from kil_io import datasets; print(datasets.data_dir())"
    where = step("where kil_io reads its data", [python, "-c", ask], cwd=work, env=env, timeout=120).stdout.strip()
    check(Path(where).is_relative_to(venv) and where.endswith("kil_io/_data"), f"data read from {where}")

    shown = kil_io(venv, "multipliers", "--area", "Leeds", "--areas-out", "tables/areas", cwd=work, env=env).stdout
    check("Leeds" in shown, "kil-io multipliers --area Leeds does not show Leeds")
    check(any((work / "tables" / "areas").glob("*_multipliers.csv")), "no multipliers CSV in tables/areas")

    kil_io(venv, "templates", "my_centre", "--examples", cwd=work, env=env)
    example = work / "my_centre" / "leeds_community_centre"
    for name in ("accounts.csv", "staff.csv", "suppliers.csv"):
        check((example / name).is_file(), f"kil-io templates --examples wrote no {example / name}")
    check((work / "my_centre" / "accounts.xlsx").is_file(), "kil-io templates wrote no accounts.xlsx")
    records = ("--accounts", "accounts.csv", "--staff", "staff.csv", "--suppliers", "suppliers.csv")
    title = ("--title", "Leeds community centre")
    kil_io(venv, "new-case", "leeds_community_centre", "--area", "Leeds", *title, *records, cwd=example, env=env)
    check((example / "leeds_community_centre.yaml").is_file(), "kil-io new-case wrote no case file")

    cases = ("jubilee_commissioning", "leeds_community_centre/leeds_community_centre.yaml")  # shipped, own
    kil_io(venv, "run", *cases, "--out", str(work / "results"), "--no-pdf", cwd=work / "my_centre", env=env)
    results = work / "results"
    check((results / "index.html").is_file(), "kil-io run wrote no index.html")
    for case in ("jubilee_commissioning", "leeds_community_centre"):
        folder = results / case
        for name in ("notebook.ipynb", "notebook.html", "case.json", "headline.json", "appraisal.json", "brief.html"):
            check((folder / name).is_file(), f"kil-io run wrote no {case}/{name}")
        check(any(folder.glob("*.xlsx")), f"kil-io run wrote no workbook in {case}/")
        headline = json.loads((folder / "headline.json").read_text(encoding="utf-8"))
        check(headline.get("kil_io") == version, f"{case}/headline.json names kil_io {headline.get('kil_io')}")
        check(
            f"Made with kil_io {version}" in (folder / "brief.html").read_text(encoding="utf-8"),
            f"{case}/brief.html does not name kil_io {version}",
        )

    # bad data: another version's folder, then an install whose data are gone
    old = work / "old-data"
    old.mkdir()
    (old / "about.json").write_text(json.dumps({"kil_io": "0.0.1"}), encoding="utf-8")
    said = f"holds the data of kil_io 0.0.1, but this is kil_io {version}", f"a data folder of kil_io {version}"
    refused(venv, {**env, "KIL_IO_DATA": str(old)}, work, *said)
    packaged = Path(where)
    packaged.rename(packaged.with_name("_data.moved"))
    try:
        refused(
            venv,
            env,
            work,
            f"{packaged} not found",
            f"reinstall kil_io {version}",
            f"pip install --force-reinstall --no-deps kil_io=={version}",
        )
    finally:
        packaged.with_name("_data.moved").rename(packaged)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="kil_io-wheel-test-"))
    env = clean_env()
    print(f"wheel test in {tmp}", flush=True)
    try:
        wheel, sdist = build(tmp, env)
        version = check_wheel(wheel)
        venv = tmp / "venv"
        step("fresh venv", [sys.executable, "-m", "venv", str(venv)], cwd=tmp, env=env, timeout=120)
        step(
            f"pip install {wheel.name}",
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
            cwd=tmp,
            env=env,
            timeout=INSTALL_TIMEOUT,
        )
        work = tmp / "work"  # outside the repository: nothing of it is importable or readable from here
        work.mkdir()
        use(venv, version, work, env)
        print(
            f"\nwheel test passed in {time.perf_counter() - start:.0f} s: {wheel.name} {mb(size(wheel))}, "
            f"{sdist.name} {mb(size(sdist))}; run-time environment {mb(size(venv))} (kil_io and its dependencies)"
        )
        return 0
    except Failed as exc:
        print(f"\nwheel test FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
