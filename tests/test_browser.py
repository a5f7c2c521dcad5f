"""The batch outputs as a reader sees them: every page loads, every figure shows, every link resolves.

Runs headless Chromium (tests/chromium.py) through selenium against a loopback HTTP server.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlparse

import chromium
import pytest

from kil_io.cli import main

if (skip := chromium.skip_without_chromium()) is not None:
    pytestmark = skip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Two real cases run by the batch runner, served on 127.0.0.1."""
    out = tmp_path_factory.mktemp("outputs")
    assert main(["run", "calderdale", "jubilee_commissioning", "--out", str(out), "--jobs", "2"]) == 0
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    driver = chromium.start(tmp_path_factory.mktemp("chromium-profile"))
    # a page of the loopback site loads in well under a second: a page or script that hangs fails its test
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def page_report(driver: object, url: str) -> dict[str, object]:
    driver.get(url)  # type: ignore[attr-defined]
    return driver.execute_script(  # type: ignore[attr-defined,no-any-return]
        """
        const imgs = Array.from(document.images);
        return {
          title: document.title,
          text: document.body ? document.body.innerText.slice(0, 2000) : "",
          images: imgs.length,
          broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80)),
          links: Array.from(document.querySelectorAll("a[href]")).map(a => a.getAttribute("href")),
        };
        """
    )


def test_index_and_case_pages(site: str, browser: object) -> None:
    index = page_report(browser, site + "index.html")
    assert "calderdale" in str(index["text"]).lower()
    links = [str(h) for h in index["links"]]  # type: ignore[union-attr]
    assert any("calderdale" in h for h in links)
    assert any("jubilee_commissioning" in h for h in links)
    visited = 0
    for href in links:
        url = urljoin(site + "index.html", href)
        if urlparse(url).netloc != urlparse(site).netloc:
            continue  # the pages link nothing outside; an external link would not be checked here
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200, href
        if url.endswith(".html"):
            page = page_report(browser, url)
            assert page["broken"] == [], f"{href}: images that did not load {page['broken']}"
            assert "Traceback" not in str(page["text"]), href
            visited += 1
    assert visited >= 2
    notebook = page_report(browser, site + "calderdale/notebook.html")
    assert int(notebook["images"]) >= 2  # type: ignore[call-overload]  # the jobs chart and the delta curve
    assert notebook["broken"] == []


#: Where the brief's screenshot is kept for people to look at (``build/`` is git-ignored).
ARTEFACTS = Path(
    os.environ.get("KIL_IO_TEST_ARTEFACTS", Path(__file__).resolve().parents[1] / "build" / "test-artefacts")
)


def test_brief_fits_one_a4_page_with_its_figures_links_and_headline(site: str, browser: object) -> None:
    """The contract case's brief as the batch run wrote it: page 1 on one A4 sheet, the PDF printed, nothing broken."""
    import base64
    import json
    import re

    from kil_io.reporting import formatting as fmt
    from kil_io.reporting import pdfprint

    case = site + "jubilee_commissioning/"
    page = page_report(browser, case + "brief.html")
    assert page["images"] >= 1
    assert page["broken"] == []
    for href in page["links"]:  # type: ignore[union-attr]
        with urllib.request.urlopen(urljoin(case, str(href)), timeout=30) as response:
            assert response.status == 200, href
    text = browser.execute_script("return document.body.innerText")  # type: ignore[attr-defined]
    with urllib.request.urlopen(case + "headline.json", timeout=30) as response:
        headline = json.loads(response.read())
    figures = fmt.headline_figures(headline)
    for _key, label, value, spread in figures:
        assert fmt.number(value, label.kind) in text, label.text
        if spread:  # the run's Monte Carlo range, beside its figure
            assert fmt.range_text(spread, label.kind) in text, label.text
    assert sum(spread is not None for *_, spread in figures) >= 3  # jobs, GVA and LM3 differences at least
    assert not re.search(r"\bNaN\b|\bnan\b|\bNone\b|\d\.\d{4,}", text)

    shots = ARTEFACTS
    shots.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(794, 1123)  # type: ignore[attr-defined]  # A4 at 96 dpi
    assert browser.save_screenshot(str(shots / "brief.png"))  # type: ignore[attr-defined]
    assert (shots / "brief.png").stat().st_size > 10_000
    print(f"brief screenshot: {shots / 'brief.png'}")

    # the brief's first page alone prints on one A4 page, as Chromium prints it
    browser.execute_script("document.querySelector('section.appendix').remove()")  # type: ignore[attr-defined]
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})  # type: ignore[attr-defined]
    assert pdfprint.pdf_pages(base64.b64decode(printed["data"])) == 1

    with urllib.request.urlopen(case + "brief.pdf", timeout=30) as response:
        pdf = response.read()
    assert pdf.startswith(b"%PDF")
    assert pdfprint.pdf_pages(pdf) >= 2  # page 1 and the inputs with their sources
    boxes = {
        tuple(round(float(v)) for v in m) for m in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    }
    assert boxes == {(595, 842)}, boxes  # A4 in points


def test_notebook_page_hides_code_until_asked(site: str, browser: object) -> None:
    browser.get(site + "jubilee_commissioning/notebook.html")  # type: ignore[attr-defined]
    hidden = (
        "return Array.from(document.querySelectorAll('.jp-CodeCell .jp-Cell-inputWrapper'))"
        ".map(e => e.offsetParent === null)"
    )
    assert all(browser.execute_script(hidden))  # type: ignore[attr-defined]
    browser.find_element("id", "kil-io-code-toggle").click()  # type: ignore[attr-defined]
    assert not any(browser.execute_script(hidden))  # type: ignore[attr-defined]
