"""The explore notebook in a real JupyterLab under headless Chromium: every control moved, every chart checked.

``make lab-test`` (about a minute; not in ``make test``: tests/conftest.py leaves tests/lab/ out of a
plain ``pytest``). JupyterLab runs with its default ``commsOverSubshells: perCommTarget``, so widget
messages reach the kernel on a subshell thread: the setting under which the explorer's pyplot charts
came back blank or half-drawn (issue 27). The test works on ``kil-io notebook`` working copies in a
temporary folder, as a user would: it runs every cell, moves each control in the sequence that broke
(SLQ, CILQ, GVA, FLQ, output, AFLQ), then δ, year, area and industries, and after each move reads the
chart's PNG out of the page and checks that it is new, whole and exactly the chart of the controls'
state. It also checks that the callbacks ran off the kernel's main thread, that nothing prints a raw
``<function ...>``, that a wrong area reads as one short message, and that the organisation template
runs in JupyterLab without an error. The screenshot of the last state goes to ``$KIL_IO_TEST_ARTEFACTS``
(default ``build/test-artefacts/``).
"""

from __future__ import annotations

import ast
import base64
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import chromium
import nbformat
import pytest
from charts import whole_chart
from labserver import ROOT, Lab, jupyterlab, tail

from kil_io import datasets
from kil_io.reporting import explore as ex
from kil_io.runner.workcopy import working_copy

if (skip := chromium.skip_without_chromium()) is not None:
    pytestmark = skip

ARTEFACTS = Path(os.environ.get("KIL_IO_TEST_ARTEFACTS", ROOT / "build" / "test-artefacts"))
#: The template's parameters (notebooks/explore_multipliers.py), the explorer's first state.
START = ex.Choice(ex.area_label("Calderdale"), 2021, ("Q87 & Q88", "P85", "S94"), "flq", 0.225, "employment_effect")
#: A probe appended to the working copy: the name of the thread each control change runs on.
PROBE = """import threading

callback_threads = set()
_.method.observe(lambda change: callback_threads.add(threading.current_thread().name), names="value")"""
#: One notebook's state, from JupyterLab's own models (``window.jupyterapp``: --expose-app-in-browser).
STATE = """
const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
if (!kernel || !panel.context.isReady) return null;
const cells = panel.content.widgets.filter(c => c.model.type === 'code');
return {
  path: panel.context.path, status: kernel.status, subshells: kernel.supportsSubshells,
  comms: kernel.commsOverSubshells, run: cells.every(c => c.model.executionCount !== null),
  outputs: cells.map(c => c.model.outputs.toJSON()), text: panel.content.node.innerText,
};
"""


def wait_for(what: str, check: Callable[[], Any], timeout: float = 60) -> Any:
    """``check()`` once it is truthy; fails naming ``what`` after ``timeout`` [s]."""
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not after {timeout:g} s")
        time.sleep(0.2)
    return value


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab on a folder with working copies of the explore and organisation templates."""
    home = tmp_path_factory.mktemp("jupyterlab")
    folder = home / "work"
    explore = working_copy("explore_multipliers", folder)
    working_copy("organisation_impact", folder)
    nb = nbformat.read(explore, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    nbformat.write(nb, explore)
    with jupyterlab(home, folder) as server:
        yield server


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, lab: Lab) -> Iterator[Any]:
    driver = chromium.start(tmp_path_factory.mktemp("chromium-profile"), window=(1400, 1500))
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def open_and_run(driver: Any, lab: Lab, notebook: str, timeout: float = 120) -> dict[str, Any]:
    """Open ``notebook``, wait for its kernel, run every cell (JupyterLab's Run All) and wait until all have run."""
    driver.get(lab.page(notebook))
    wait_for(
        f"{notebook}'s kernel",
        lambda: (s := driver.execute_script(STATE)) and s["path"] == notebook and s["status"] == "idle",
        90,
    )
    driver.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    try:
        return wait_for(  # type: ignore[no-any-return]
            f"{notebook}: every cell run",
            lambda: (
                (s := driver.execute_script(STATE))
                and s["path"] == notebook
                and s["run"]
                and s["status"] == "idle"
                and s
            ),
            timeout,
        )
    except AssertionError:
        raise AssertionError(f"{notebook} did not finish: {driver.execute_script(STATE)}\n{tail(lab.log)}") from None


def run_cell(driver: Any, source: str) -> list[dict[str, Any]]:
    """Add a cell at the end of the open notebook, run it and return its outputs (as nbformat has them)."""
    driver.execute_script(
        """
        const source = arguments[0], app = window.jupyterapp, panel = app.shell.currentWidget;
        panel.content.activeCellIndex = panel.content.widgets.length - 1;
        app.commands.execute('notebook:insert-cell-below').then(() => {
          panel.content.activeCell.model.sharedModel.setSource(source);
          return app.commands.execute('notebook:run-cell');
        });
        """,
        source,
    )

    def outputs() -> list[dict[str, Any]] | None:
        state = driver.execute_script(STATE)
        cells = driver.execute_script(
            "const p = window.jupyterapp.shell.currentWidget.content;"
            "const c = p.widgets[p.widgets.length - 1].model;"
            "return [c.sharedModel.getSource(), c.executionCount, c.outputs.toJSON()];"
        )
        done = cells[0] == source and cells[1] is not None and state["status"] == "idle"
        return cells[2] if done else None

    return wait_for(f"cell {source!r}", outputs, 60)  # type: ignore[no-any-return]


def control(driver: Any, label: str, tag: str) -> Any:
    """The input of the explorer's control labelled ``label``."""
    return driver.find_element("xpath", f"//label[normalize-space()='{label}']/following-sibling::*//{tag} | "
                                        f"//label[normalize-space()='{label}']/following-sibling::{tag}")  # fmt: skip


def chart(driver: Any, before: str | None) -> tuple[str, bytes]:
    """The chart's image address once it differs from ``before``, and its PNG bytes as the page holds them."""
    src = wait_for(
        "a new chart",
        lambda: (
            (s := driver.execute_script("const i = document.querySelector('img.widget-image'); return i && i.src"))
            and s != before
            and s
        ),
    )
    data = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch(arguments[0]).then(r => r.arrayBuffer()).then(buffer => {
          const bytes = new Uint8Array(buffer);
          let text = '';
          for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          done(btoa(text));
        }).catch(err => done('error: ' + err));
        """,
        src,
    )
    assert not data.startswith("error"), data
    return src, base64.b64decode(data)


@pytest.mark.timeout(300)
def test_every_control_redraws_a_whole_chart_in_jupyterlab(lab: Lab, browser: Any) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.select import Select

    state = open_and_run(browser, lab, "explore_multipliers.ipynb")
    assert state["comms"] == "perCommTarget", "JupyterLab's default, the setting that broke the charts"
    assert state["subshells"] is True, "the kernel (ipykernel 7) takes comm messages on subshells"
    errors = [o for cell in state["outputs"] for o in cell if o["output_type"] == "error"]
    assert not errors, errors

    def pick(label: str, value: str) -> None:
        Select(control(browser, label, "select")).select_by_value(value)

    def toggle(code: str) -> None:
        box = Select(control(browser, "Industries", "select"))
        option = next(o for o in box.options if o.get_attribute("value").startswith(f"{code}: "))
        browser.execute_script("arguments[0].scrollIntoView({block: 'nearest'})", option)
        option.click()  # in a multiple select a click adds or removes that one industry

    def area(name: str) -> None:
        field = control(browser, "Area", "input")
        field.clear()
        field.send_keys(ex.area_label(name), Keys.ENTER)

    def delta_left() -> None:
        control(browser, "δ", "div[contains(@class, 'noUi-handle')]").send_keys(Keys.ARROW_LEFT)

    # the industries list's order, which a selection comes back in
    order = list(datasets.uk_iot(datasets.national_year_for(START.year)).sector_names.keys())

    def industries(choice: ex.Choice, code: str) -> ex.Choice:
        chosen = set(choice.sectors) ^ {code}
        return replace(choice, sectors=tuple(c for c in order if c in chosen))

    moves: list[tuple[str, Callable[[], None], Callable[[ex.Choice], ex.Choice]]] = [
        *[(f"method {m}", lambda m=m: pick("Method", ex.METHODS[m]), lambda c, m=m: replace(c, method=m))
          for m in ("slq", "cilq")],
        ("measure gva_effect", lambda: pick("Measure", ex.MEASURES["gva_effect"]),
         lambda c: replace(c, measure="gva_effect")),
        ("method flq", lambda: pick("Method", ex.METHODS["flq"]), lambda c: replace(c, method="flq")),
        ("measure output_multiplier", lambda: pick("Measure", ex.MEASURES["output_multiplier"]),
         lambda c: replace(c, measure="output_multiplier")),
        ("method aflq", lambda: pick("Method", ex.METHODS["aflq"]), lambda c: replace(c, method="aflq")),
        ("δ 0.2", delta_left, lambda c: replace(c, delta=0.2)),
        ("year 2019", lambda: pick("Year", "2019"), lambda c: replace(c, year=2019)),
        ("area Bristol", lambda: area("Bristol"), lambda c: replace(c, area=ex.area_label("Bristol"))),
        ("add C101", lambda: toggle("C101"), lambda c: industries(c, "C101")),
        ("drop S94", lambda: toggle("S94"), lambda c: industries(c, "S94")),
        ("drop C101", lambda: toggle("C101"), lambda c: industries(c, "C101")),
        ("measure employment_effect", lambda: pick("Measure", ex.MEASURES["employment_effect"]),
         lambda c: replace(c, measure="employment_effect")),
    ]  # fmt: skip

    choice = START
    src, png = chart(browser, None)
    assert png == ex.view(choice)[0], "the first chart is not the template's parameters"
    seen = {hashlib.sha256(png).hexdigest()}
    timings = []
    for name, move, expect in moves:
        started = time.monotonic()
        move()
        src, png = chart(browser, src)
        timings.append(time.monotonic() - started)
        whole_chart(png)
        choice = expect(choice)
        assert png == ex.view(choice)[0], f"after {name}: the chart is not the one of {choice}"
        seen.add(hashlib.sha256(png).hexdigest())
    assert len(seen) == len(moves) + 1, "a move that did not change the chart"
    print(f"{len(moves)} controls moved, {len(seen)} charts verified; redraws {min(timings):.1f}-{max(timings):.1f} s")

    layout = browser.execute_script(
        """
        const controls = document.querySelector('.widget-vbox .widget-hbox');
        const boxes = [controls, ...controls.querySelectorAll('.widget-box')];
        return {
          overflow: boxes.filter(b => b.scrollWidth > b.clientWidth + 1)
            .map(b => `${b.className}: ${b.scrollWidth} px in ${b.clientWidth} px`),
          readout: Array.from(controls.querySelectorAll('.widget-readout')).map(r => r.innerText.trim()),
        };
        """
    )
    assert layout["overflow"] == [], "controls cut off, scrolling sideways"
    assert layout["readout"] == [f"{choice.delta:.3f}"], "δ beside the slider is not the chart's"

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / "explore_bristol.png"
    browser.execute_script("document.querySelector('.widget-vbox').scrollIntoView()")
    assert browser.save_screenshot(str(shot))
    print(f"explore screenshot: {shot}")

    threads = run_cell(browser, "print(sorted(callback_threads))")
    names = ast.literal_eval("".join(o.get("text", "") for o in threads))
    # JupyterLab opens the widgets' subshell while the first messages go to the main shell: both ran callbacks
    assert [n for n in names if n != "MainThread"], f"callbacks ran on {names} only: no subshell was exercised"
    print(f"method changes ran on {names}")

    wrong = run_cell(browser, 'kil_io.explore("Bristoll", 2021, ["P85"])')
    assert [o["output_type"] for o in wrong] == ["error"], wrong
    lines = "\n".join(wrong[0]["traceback"])
    assert "did you mean" in lines
    assert len(lines.splitlines()) <= 3, f"a page of traceback for a wrong area:\n{lines}"
    assert "File " not in lines
    assert "Traceback" not in lines

    # saving the explored copy (Ctrl+S) writes that copy alone: no .py twin, the repository's templates as they were
    templates = {p.name: p.read_bytes() for p in (ROOT / "notebooks").glob("*.*")}
    browser.execute_script("window.jupyterapp.commands.execute('docmanager:save')")
    saved = lab.folder / "explore_multipliers.ipynb"
    wait_for("the explored copy saved", lambda: "image/png" in saved.read_text(encoding="utf-8"))
    assert sorted(p.name for p in lab.folder.iterdir() if not p.name.startswith(".")) == [
        "explore_multipliers.ipynb", "organisation_impact.ipynb",
    ]  # fmt: skip
    assert {p.name: p.read_bytes() for p in (ROOT / "notebooks").glob("*.*")} == templates

    text = browser.execute_script(STATE)["text"]
    assert "<function" not in text
    assert "Traceback" not in text
    assert "kil_io bug" not in text


@pytest.mark.timeout(240)
def test_organisation_template_runs_in_jupyterlab_without_errors_or_reprs(lab: Lab, browser: Any) -> None:
    state = open_and_run(browser, lab, "organisation_impact.ipynb")
    outputs = [o for cell in state["outputs"] for o in cell]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"], "warnings printed on the page"
    text = state["text"]
    for raw in ("<function", "Traceback", "dtype:", "Name: ", "{'"):
        assert raw not in text, raw
    assert len([o for o in outputs if "image/png" in o.get("data", {})]) >= 1
