"""The HTML concept map in a real browser: Debian's Chromium driven by Playwright, headless.

Never skipped: ``scripts/test`` (and so CI) installs Chromium with apt. Each test checks what vis.js
holds against the exported graph, that the page raised no error, that no request left
``file://``, and writes a screenshot.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, expect, sync_playwright

from conftest import SAMPLE_VAULT, write_vault
from kg.cli import cli
from kg.export import Selection, select
from kg.vault import load_vault

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
HOSTILE_NAME = "<img src=x onerror=alert(1)>"


def synthetic_vault(count: int, seed: int = 5) -> dict[str, str | bytes]:
    """A vault of ``count`` notes in folders, with tags, aliases, an ``up`` tree, links, embeds and ghosts."""
    rnd = random.Random(seed)
    folders = ["Areas", "Concepts", "Daily", "People", "Projects", "Reading", "Topics", "Work"]
    names = [f"{folders[i % len(folders)]}/Sub {i % 5}/Note {i:04d}" for i in range(count)]
    files: dict[str, str | bytes] = {f"attachments/figure {i}.png": b"\x89PNG\r\n" for i in range(20)}
    for i, name in enumerate(names):
        up = f'up: "[[{names[rnd.randrange(0, i)].rsplit("/", 1)[1]}]]"\n' if i and rnd.random() < 0.9 else ""
        tags = ", ".join(rnd.sample(["ai", "ml", "math", "history", "people", "draft", "idea", "ref"], 2))
        links = " ".join(f"[[Note {rnd.randrange(count):04d}]]" for _ in range(rnd.randint(2, 6)))
        extra = f" [[Missing idea {rnd.randrange(40)}]]" if rnd.random() < 0.05 else ""
        embed = f"\n![[figure {rnd.randrange(20)}.png]]" if rnd.random() < 0.03 else ""
        files[name + ".md"] = (
            f"---\n{up}tags: [{tags}]\naliases: [N{i}]\n---\n# Note {i}\n"
            f"Note {i} is about {folders[i % len(folders)].lower()}.\nSee {links}{extra}.{embed}\n"
        )
    return files


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: run scripts/test, which installs it with apt"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


class Opened:
    """A page with the map loaded, and what it did on the way; ``init`` is script run before the page's own."""

    def __init__(self, browser: Browser, html: Path, timeout: float = 60_000, init: str = "") -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page: Page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.add_init_script("window.__alerts = []; window.alert = (m) => window.__alerts.push(String(m));" + init)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        started = time.perf_counter()
        self.page.goto(html.as_uri())
        self.page.wait_for_selector("body[data-state=ready]", timeout=timeout)
        self.seconds = time.perf_counter() - started

    def held(self) -> tuple[int, int]:
        """Numbers of nodes and edges in vis.js's data sets."""
        return tuple(self.page.evaluate("[kgMap.nodes.length, kgMap.edges.length]"))  # type: ignore[return-value]

    def point(self, node: str) -> tuple[float, float]:
        """Where a node is drawn, in page pixels."""
        box = self.page.locator("#map").bounding_box()
        assert box is not None
        spot = self.page.evaluate("(id) => kgMap.network.canvasToDOM(kgMap.network.getPosition(id))", node)
        return box["x"] + spot["x"], box["y"] + spot["y"]

    def steady_point(self, node: str, tries: int = 100) -> tuple[float, float]:
        """Where a node is drawn once it has stopped moving (the view's glide, the last physics
        steps) and a click there would hit it: a click at a moving node misses it."""
        last = None
        for _ in range(tries):
            spot = self.point(node)
            box = self.page.locator("#map").bounding_box()
            assert box is not None
            hit = self.page.evaluate(
                "([x, y]) => kgMap.network.getNodeAt({x, y}) ?? null", [spot[0] - box["x"], spot[1] - box["y"]]
            )
            on_map = self.page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.tagName === 'CANVAS'", list(spot))
            if not on_map:  # the info panel covers it: pan it to the middle, as a user would
                self.page.evaluate("(id) => kgMap.network.moveTo({position: kgMap.network.getPosition(id)})", node)
            elif spot == last and hit == node and self.page.evaluate("!document.body.dataset.moving"):
                return spot
            last = spot
            self.page.wait_for_timeout(50)
        raise AssertionError(f"{node} never stood still under the pointer")

    def assert_clean(self) -> None:
        assert self.errors == []
        assert [url for url in self.requests if not url.startswith("file://")] == []
        assert self.dialogs == [] and self.page.evaluate("window.__alerts") == []


def export_html(root: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(cli, ["export", "html", str(root), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def test_sample_vault_map_holds_the_whole_graph(browser: Browser, tmp_path: Path) -> None:
    opened = Opened(browser, export_html(SAMPLE_VAULT, tmp_path / "vault.html"))
    graph = select(load_vault(SAMPLE_VAULT))
    assert opened.held() == (graph.number_of_nodes(), graph.number_of_edges())
    assert opened.page.evaluate("kgMap.network.physics.options.enabled") is False
    legend = opened.page.locator("#legend li").all_inner_texts()
    assert any(text.startswith("Models") for text in legend) and any("ghost" in text for text in legend)
    opened.page.screenshot(path=str(tmp_path / "vault.png"))
    assert (tmp_path / "vault.png").stat().st_size > 50_000
    opened.assert_clean()


def test_filtered_map_holds_the_filtered_graph(browser: Browser, tmp_path: Path) -> None:
    html = export_html(SAMPLE_VAULT, tmp_path / "t.html", "--root", "Transformer", "--depth", "1", "--no-ghosts",
                       "--color-by", "tag")
    opened = Opened(browser, html)
    graph = select(load_vault(SAMPLE_VAULT), Selection(root="Transformer", depth=1, ghosts=False))
    assert opened.held() == (graph.number_of_nodes(), graph.number_of_edges()) and graph.number_of_nodes() < 30
    assert opened.page.evaluate("kgMap.nodes.get({filter: (n) => n.kind === 'ghost'}).length") == 0
    opened.page.screenshot(path=str(tmp_path / "t.png"))
    opened.assert_clean()


def test_hierarchy_layout_puts_parents_above_children(browser: Browser, tmp_path: Path) -> None:
    opened = Opened(browser, export_html(SAMPLE_VAULT, tmp_path / "h.html", "--layout", "hierarchy", "--color-by", "depth"))
    top = opened.page.evaluate("kgMap.network.getPosition('AI-concept.md').y")
    child = opened.page.evaluate("kgMap.network.getPosition('AI-Model.md').y")
    assert top < child
    opened.page.screenshot(path=str(tmp_path / "h.png"))
    opened.assert_clean()


def test_search_click_and_toggles(browser: Browser, tmp_path: Path) -> None:
    opened = Opened(browser, export_html(SAMPLE_VAULT, tmp_path / "vault.html"))
    page = opened.page
    page.fill("#search", "ии модель")  # an alias of AI-Model, typed in another case
    page.press("#search", "Enter")
    assert page.evaluate("kgMap.network.getSelectedNodes()") == ["AI-Model.md"]
    assert page.locator("#info h3").inner_text() == "AI-Model"
    page.mouse.click(*opened.steady_point("Concepts/Transformer.md"))  # the view glides to the note first
    expect(page.locator("#info h3")).to_have_text("Transformer")  # vis handles the tap a moment later
    far = page.evaluate("""() => kgMap.nodes.get().map((n) => n.id).find(
        (id) => id !== 'Concepts/Transformer.md' && !kgMap.network.getConnectedNodes('Concepts/Transformer.md').includes(id))""")
    assert page.evaluate("(id) => kgMap.nodes.get(id).color.background", far) == "#eeeeee"
    page.uncheck("#show-ghosts")
    assert page.evaluate("kgMap.nodes.get('Mixture of Experts').hidden") is True
    page.check("#show-implied")
    assert page.evaluate("kgMap.edges.get({filter: (e) => e.implied && e.hidden}).length") == 0
    page.screenshot(path=str(tmp_path / "clicked.png"))
    opened.assert_clean()


def test_enter_in_the_search_box_starts_one_flight(browser: Browser, tmp_path: Path) -> None:
    # Enter fires "change" and then "submit"; a second flight restarted mid-air made clicks miss
    opened = Opened(browser, export_html(SAMPLE_VAULT, tmp_path / "vault.html"))
    page = opened.page
    page.evaluate("""() => { window.__flights = 0; const network = kgMap.network, focus = network.focus.bind(network);
                             network.focus = (...args) => { window.__flights += 1; return focus(...args); }; }""")
    page.fill("#search", "Transformer")
    page.press("#search", "Enter")
    assert page.evaluate("window.__flights") == 1
    assert page.evaluate("kgMap.network.getSelectedNodes()") == ["Concepts/Transformer.md"]
    opened.assert_clean()


def test_hostile_vault_runs_no_script(browser: Browser, tmp_path: Path) -> None:
    root = write_vault(tmp_path / "<svg onload=alert(2)>", {
        f"{HOSTILE_NAME}.md": (
            '---\naliases: ["\\"><svg onload=alert(3)>", "</script><script>alert(4)</script>"]\n---\n'
            "<script>window.__pwned = 1; alert(5)</script>\n<img src=x onerror=\"alert(6)\">\n[[B]]\n"
        ),
        "B.md": "[[<img src=x onerror=alert(1)>]] [[<b onmouseover=alert(7)>ghost</b>]]\n",
        "<iframe src=javascript:alert(8)>/C.md": "[[B]]",
    })
    opened = Opened(browser, export_html(root, tmp_path / "hostile.html"))
    page = opened.page
    node = f"{HOSTILE_NAME}.md"
    graph = select(load_vault(root))
    assert opened.held() == (graph.number_of_nodes(), graph.number_of_edges()) == (4, 3)
    page.mouse.move(*opened.point(node))
    page.wait_for_selector("div.vis-tooltip", state="visible")
    tooltip = page.locator("div.vis-tooltip").inner_text()
    assert HOSTILE_NAME in tooltip and "<script>window.__pwned = 1; alert(5)</script>" in tooltip
    page.mouse.click(*opened.point(node))
    assert page.locator("#info h3").inner_text() == HOSTILE_NAME
    page.fill("#search", "</script><script>alert(4)</script>")
    page.press("#search", "Enter")
    assert page.evaluate("kgMap.network.getSelectedNodes()") == [node]
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, b, script[src]').length") == 0
    assert page.evaluate("window.__pwned") is None
    assert page.title() == "<svg onload=alert(2)> · concept map"
    page.screenshot(path=str(tmp_path / "hostile.png"))
    opened.assert_clean()


def test_two_thousand_notes_open_and_settle(browser: Browser, tmp_path: Path) -> None:
    root = write_vault(tmp_path / "big", synthetic_vault(2000))
    html = export_html(root, tmp_path / "big.html")
    opened = Opened(browser, html, timeout=90_000)
    graph = select(load_vault(root))
    assert graph.number_of_nodes() > 2000
    assert opened.held() == (graph.number_of_nodes(), graph.number_of_edges())
    assert opened.page.evaluate("kgMap.network.physics.options.enabled") is False
    opened.page.screenshot(path=str(tmp_path / "big.png"))
    opened.assert_clean()
    print(f"2,000-note map ready in {opened.seconds:.1f} s")
