"""A case's executed notebook as a page for readers: code hidden until asked for, warnings as one-line notes.

The notebook stays the full analysis; the page opens on its text, tables and charts. A button
shows the code (and papermill's injected parameters) for those who check it. Works offline
(inline CSS and a few lines of script); printed, the code stays hidden.
"""

from __future__ import annotations

_STYLE = """<style id="kil-io-reader">
body:not(.kil-io-show-code) .jp-CodeCell .jp-Cell-inputWrapper { display: none; }
body:not(.kil-io-show-code) .jp-OutputPrompt { visibility: hidden; }
.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"] {
  background: none; color: #5a4a00; font-size: 85%; border-left: 3px solid #e0a800; padding: 0 0 0 .6em; }
.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"] pre { white-space: pre-wrap; }
#kil-io-code-toggle { position: fixed; top: .6em; right: .8em; z-index: 10; font: 13px system-ui, sans-serif;
  padding: .3em .8em; border: 1px solid #1f5f8b; border-radius: 3px; background: #fff; color: #1f5f8b;
  cursor: pointer; }
@media print { #kil-io-code-toggle { display: none; } }
</style>"""

_TOGGLE = """<button id="kil-io-code-toggle" type="button" aria-pressed="false"
 onclick="const on = document.body.classList.toggle('kil-io-show-code'); this.setAttribute('aria-pressed', on);
 this.textContent = on ? 'Hide code' : 'Show code';">Show code</button>"""


def readable(html: str) -> str:
    """The nbconvert HTML of a notebook with code hidden by default, a show-code button and quiet warnings.

    Parameters
    ----------
    html : str
        A page from nbconvert's ``HTMLExporter`` (the ``lab`` template).

    Returns
    -------
    str
        The same page; unchanged if already made readable or if it has no ``<head>``/``<body>``.
    """
    if 'id="kil-io-reader"' in html or "</head>" not in html or "<body" not in html:
        return html
    html = html.replace("</head>", f"{_STYLE}\n</head>", 1)
    start = html.index("<body")
    end = html.index(">", start) + 1
    return html[:end] + "\n" + _TOGGLE + html[end:]
