"""Safe export (issue 7): the HTML map of a vault full of markup runs none of it in a real browser.

Every payload calls ``kgpwned(N)`` (lower case: kg lower-cases tags), a function the test defines
before the page's own scripts run; the page must end with no call recorded, no dialog opened, no
request leaving ``file://`` and no script error, and must still work: every node drawn, tooltips,
the info panel and the search showing the hostile text as text; its only links are ``obsidian://open``
ones, their parts percent-encoded.
"""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Browser

from conftest import write_vault
from kg.export import select
from kg.load import load_vault
from test_browser import Opened, browser, export_html  # noqa: F401  (the browser fixture)

HOOK = "window.__pwned = []; window.kgpwned = (n) => window.__pwned.push(String(n));"

PAYLOADS = [
    "<script>kgpwned(1)</script>",
    "<img src=x onerror=kgpwned(2)>",
    '"><svg onload=kgpwned(3)>',
    "'><img src=x onerror='kgpwned(4)'>",
    "</script><script>kgpwned(5)</script>",
    "</SCRIPT ><script>kgpwned(6)</script >",
    "<!--<script>kgpwned(7)//-->",
    "javascript:kgpwned(8)",
    "{{constructor.constructor('kgpwned(9)')()}}",
    "${kgpwned(10)}",
    "\u2028');kgpwned(11);//",
    '<iframe src="javascript:kgpwned(12)"></iframe>',
    "<a href=\"javascript:kgpwned(13)\">x</a>",
    "<details open ontoggle=kgpwned(14)>",
    "<style>@import 'http://example.com/x.css';</style>",
    "<img src=x onerror=confirm(15)>",
    "]]><![CDATA[<script>kgpwned(16)</script>",
    "&lt;script&gt;kgpwned(17)&lt;/script&gt;",
]
"""Markup that runs ``kgpwned`` (or opens a dialog, or fetches from the network) if a page treats
text as HTML, breaks out of a script or an attribute, or evaluates a template."""

NAME_SAFE = [p for p in PAYLOADS if "/" not in p and "\u2028" not in p]
"""The payloads a file name can hold (no ``/``)."""


def hostile_files() -> dict[str, str]:
    """A vault with a payload in every place the map shows text: file and folder names, aliases, tags,
    headings, body text (the tooltip excerpt), link targets (ghost nodes) and display texts."""
    aliases = json.dumps(PAYLOADS)
    body = "\n".join(f"# {p}\n{p} [[{p}]] [[Hub|{p}]] [{p}](Hub.md)" for p in PAYLOADS)
    files = {"Hub.md": f"---\naliases: {aliases}\ntags: {json.dumps(PAYLOADS)}\n---\n{body}\n"}
    for index, payload in enumerate(NAME_SAFE):
        files[f"{payload}/{payload} {index}.md"] = f"---\nup: \"[[Hub]]\"\naliases: [\"{index}\"]\n---\n# {payload}\n{payload}\n"
    return files


def test_hostile_map_runs_no_payload_and_still_works(browser: Browser, tmp_path: Path) -> None:  # noqa: F811
    root = write_vault(tmp_path / "<svg onload=kgpwned(0)>", hostile_files())
    opened = Opened(browser, export_html(root, tmp_path / "map.html"), init=HOOK)
    page = opened.page
    graph = select(load_vault(root))
    assert sorted(opened.shown()) == sorted(graph) and graph.number_of_nodes() >= 15
    assert page.evaluate("typeof window.kgpwned") == "function"  # the hook was there before the page ran
    for node in ["Hub.md", *[n for n in graph if n != "Hub.md"][:12]]:
        page.mouse.move(*opened.point(node))
        page.mouse.click(*opened.point(node))
    assert page.locator("#info h3").count() == 1
    page.fill("#search", PAYLOADS[4])  # a ghost's name (and an alias of Hub): found, shown as text
    page.press("#search", "Enter")
    assert page.evaluate("kgMap.network.getSelectedNodes()") == [page.evaluate("(id) => kgMap.item(id)", PAYLOADS[4])]
    assert page.locator("#info h3").inner_text() == PAYLOADS[4]
    page.mouse.click(*opened.steady_point("Hub.md"))  # the view glides to the ghost first
    assert PAYLOADS[0] in page.locator("#info").inner_text()  # aliases listed as text
    assert page.evaluate("window.__pwned") == []
    assert page.evaluate("document.querySelectorAll('#panel *, #info *').length") > 0
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, details, style:not(head style)').length") == 0
    assert page.evaluate("document.querySelectorAll('a[href]:not([href^=\"obsidian://open?vault=\"])').length") == 0
    assert page.title() == "<svg onload=kgpwned(0)> · concept map"
    opened.assert_clean()
    # the control: the same markup, put into the page as HTML, does call the hook
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=kgpwned(2)>')")
    page.wait_for_function("window.__pwned.length > 0")
    assert page.evaluate("window.__pwned") == ["2"]
