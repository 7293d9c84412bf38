"""The HTML concept map in a real browser: Debian's Chromium driven by Playwright, headless.

Never skipped: ``scripts/test`` (and so CI) installs Chromium with apt. Each test checks what the
map draws against the exported graph (the overview, a group opened, the local view, the search
listing, the info panel and its ``obsidian://`` link), that the page raised no error, that no
request left ``file://``, and that the only links are ``obsidian://open`` ones.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import networkx as nx
import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, expect, sync_playwright

from conftest import SAMPLE_VAULT, write_vault
from kg.cli import cli
from kg.export import Selection, select
from kg.load import load_vault

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

    def __init__(self, browser: Browser, html: Path, timeout: float = 60_000, init: str = "",
                 viewport: tuple[int, int] = (1400, 900)) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page: Page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        self.page.add_init_script("window.__alerts = []; window.alert = (m) => window.__alerts.push(String(m));" + init)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        started = time.perf_counter()
        self.page.goto(html.as_uri())
        self.page.wait_for_function("window.kgMap && kgMap.ready", timeout=timeout)
        self.seconds = time.perf_counter() - started
        assert self.page.evaluate("document.body.dataset.state") == "ready"

    def shown(self) -> list:
        """The graph nodes drawn now (groups left out)."""
        return self.page.evaluate("kgMap.shown()")  # type: ignore[no-any-return]

    def point(self, node: object) -> tuple[float, float]:
        """Where a node (a graph node, or a group's item number) is drawn, in page pixels."""
        box = self.page.locator("#map").bounding_box()
        assert box is not None
        spot = self.page.evaluate(
            "(id) => { const item = typeof id === 'number' && kgMap.item(id) === undefined ? id : kgMap.item(id);"
            " return kgMap.network.canvasToDOM(kgMap.network.getPosition(item)); }", node)
        return box["x"] + spot["x"], box["y"] + spot["y"]

    def steady_point(self, node: object, tries: int = 100) -> tuple[float, float]:
        """Where a node is drawn once the view has stopped gliding, and a click there would hit it."""
        last = None
        for _ in range(tries):
            spot = self.point(node)
            box = self.page.locator("#map").bounding_box()
            assert box is not None
            on_map = self.page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.tagName === 'CANVAS'", list(spot))
            if not on_map:  # a panel covers it: pan it to the middle, as a user would
                self.page.evaluate("(id) => kgMap.network.moveTo({position: kgMap.network.getPosition(kgMap.item(id) ?? id)})", node)
            elif spot == last and self.page.evaluate("!document.body.dataset.moving"):
                return spot
            last = spot
            self.page.wait_for_timeout(50)
        raise AssertionError(f"{node} never stood still under the pointer")

    def idle(self) -> None:
        """Wait until the page has done what a click started (the loading indicator is gone)."""
        self.page.wait_for_function("!document.body.dataset.busy")
        assert self.page.locator("#loading").is_hidden()

    def assert_clean(self) -> None:
        assert self.errors == []
        assert [url for url in self.requests if not url.startswith("file://")] == []
        assert self.dialogs == [] and self.page.evaluate("window.__alerts") == []
        links = self.page.evaluate("[...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))")
        assert all(link.startswith("obsidian://open?vault=") for link in links)


def export_html(root: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(cli, ["export", "html", str(root), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def neighbourhood(graph, node: str, depth: int) -> set:  # type: ignore[no-untyped-def]
    return set(nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), node, cutoff=depth))


DRAWN_AT_PYTHONS_PLACES = """() => { const data = JSON.parse(document.getElementById('kg-data').textContent);
  const at = []; for (let i = 0; i < data.start.length; i += 3) at.push([data.start[i], data.start[i + 1], data.start[i + 2]]);
  return at.every(([item, x, y]) => { const p = kgMap.network.getPosition(item); return p.x === x && p.y === y; }) && at.length; }"""
"""Every item of the overview stands where Python placed it (the page lays nothing out)."""


def test_sample_vault_opens_on_the_whole_hierarchy_legibly(browser: Browser, tmp_path: Path) -> None:
    opened = Opened(browser, export_html(SAMPLE_VAULT, tmp_path / "vault.html"), viewport=(1280, 800))
    page = opened.page
    graph = select(load_vault(SAMPLE_VAULT))
    assert sorted(opened.shown()) == sorted(graph)
    assert page.evaluate("kgMap.network.physics.options.enabled") is False
    assert page.evaluate(DRAWN_AT_PYTHONS_PLACES) == graph.number_of_nodes() + 1  # and the one group
    assert page.evaluate("kgMap.network.getScale()") * 19 >= 11  # labels at least 11 px high at fit, on a laptop
    y = {node: opened.point(node)[1] for node in ("AI-concept.md", "AI-Model.md", "Models/Generative/Generative model.md")}
    assert y["AI-concept.md"] < y["AI-Model.md"] < y["Models/Generative/Generative model.md"]  # parents above children
    assert page.evaluate("kgMap.edges.get({filter: (e) => e.kind === 'up'}).every((e) => e.smooth === false && e.width === 3)")
    assert page.evaluate("kgMap.edges.get({filter: (e) => e.kind === 'link'}).every((e) => e.smooth.enabled && e.width === 1)")
    legend = page.locator("#legend li").all_inner_texts()
    assert any(text.startswith("Models") for text in legend)
    keys = page.locator("#keys li").all_inner_texts()
    assert any("ghost" in text for text in keys) and any(text.startswith("up") for text in keys)
    assert "The up hierarchy" in page.locator("#mode-note").inner_text()
    page.uncheck("#show-ghosts")
    opened.idle()
    assert "Mixture of Experts" not in opened.shown() and len(opened.shown()) == graph.number_of_nodes() - 1
    page.screenshot(path=str(tmp_path / "vault.png"))
    assert (tmp_path / "vault.png").stat().st_size > 50_000
    opened.assert_clean()


def test_filtered_map_holds_the_filtered_graph(browser: Browser, tmp_path: Path) -> None:
    html = export_html(SAMPLE_VAULT, tmp_path / "t.html", "--root", "Transformer", "--depth", "1", "--no-ghosts",
                       "--color-by", "tag")
    opened = Opened(browser, html)
    graph = select(load_vault(SAMPLE_VAULT), Selection(root="Transformer", depth=1, ghosts=False))
    assert sorted(opened.shown()) == sorted(graph) and graph.number_of_nodes() < 30
    assert opened.page.evaluate("kgMap.nodes.get({filter: (n) => n.kind === 'ghost'}).length") == 0
    opened.assert_clean()


def test_search_lists_every_match_and_enter_selects_the_best(browser: Browser, tmp_path: Path) -> None:
    opened = Opened(browser, export_html(SAMPLE_VAULT, tmp_path / "vault.html"))
    page = opened.page
    page.fill("#search", "model")
    labels = page.locator("#matches li button").all_inner_texts()
    assert len(labels) > 5 and {"AI-Model", "Foundation model", "Generative model"} <= set(labels)
    assert page.locator("#result-count").inner_text() == f"{len(labels)} matches"
    page.fill("#search", "#moc")
    assert "AI-concept" in page.locator("#matches li button").all_inner_texts()
    page.fill("#search", "ии модель")  # an alias of AI-Model, typed in another case
    assert page.locator("#matches li").first.inner_text().startswith("AI-Model")
    page.press("#search", "Enter")
    assert page.evaluate("kgMap.network.getSelectedNodes()") == [page.evaluate("kgMap.item('AI-Model.md')")]
    assert page.locator("#info h3").inner_text() == "AI-Model"
    opened.assert_clean()


def test_panel_separates_relations_and_links_to_obsidian(browser: Browser, tmp_path: Path) -> None:
    opened = Opened(browser, export_html(SAMPLE_VAULT, tmp_path / "vault.html"))
    page = opened.page
    assert page.evaluate("kgMap.select('AI-Model.md')") is True
    info = page.locator("#info")
    assert info.locator("ul.parents button").all_inner_texts() == ["AI-concept"]
    children = info.locator("ul.children button").all_inner_texts()
    assert {"Discriminative model", "Generative model"} <= set(children) and "AI-concept" not in children
    assert "AI-Model-Sizes" in info.locator("ul.links-out button").all_inner_texts()
    assert len(info.locator("ul.backlinks button").all_inner_texts()) > 3
    assert info.locator("a.obsidian").get_attribute("href") == "obsidian://open?vault=vault&file=AI-Model"
    excerpt = info.locator(".excerpt").inner_text()
    assert "%%" not in excerpt and "[[" not in excerpt and "---" not in excerpt
    info.locator("ul.children button", has_text="Generative model").click()
    expect(page.locator("#info h3")).to_have_text("Generative model")
    page.mouse.click(*opened.steady_point("Concepts/Transformer.md"))
    expect(page.locator("#info h3")).to_have_text("Transformer")
    page.screenshot(path=str(tmp_path / "panel.png"))
    opened.assert_clean()


def test_local_view_shows_the_neighbourhood_to_the_chosen_depth(browser: Browser, tmp_path: Path) -> None:
    opened = Opened(browser, export_html(SAMPLE_VAULT, tmp_path / "vault.html"))
    page = opened.page
    graph = select(load_vault(SAMPLE_VAULT))
    page.evaluate("kgMap.select('Concepts/Transformer.md')")
    page.select_option("#depth", "1")
    shown = page.evaluate("""() => { document.getElementById('local').click();
                                     return getComputedStyle(document.getElementById('loading')).display; }""")
    assert shown == "block"  # the indicator is up before the work starts
    opened.idle()
    assert set(opened.shown()) == neighbourhood(graph, "Concepts/Transformer.md", 1)
    assert "Local view of Transformer, depth 1" in page.locator("#mode-note").inner_text()
    page.select_option("#depth", "2")
    opened.idle()
    assert set(opened.shown()) == neighbourhood(graph, "Concepts/Transformer.md", 2)
    page.screenshot(path=str(tmp_path / "local.png"))
    page.click("#overview")
    opened.idle()
    assert sorted(opened.shown()) == sorted(graph)
    opened.assert_clean()


def test_enter_in_the_search_box_starts_one_flight(browser: Browser, tmp_path: Path) -> None:
    opened = Opened(browser, export_html(SAMPLE_VAULT, tmp_path / "vault.html"))
    page = opened.page
    page.evaluate("""() => { window.__flights = 0; const network = kgMap.network, focus = network.focus.bind(network);
                             network.focus = (...args) => { window.__flights += 1; return focus(...args); }; }""")
    page.fill("#search", "Transformer")
    page.press("#search", "Enter")
    assert page.evaluate("window.__flights") == 1
    assert page.evaluate("kgMap.network.getSelectedNodes()") == [page.evaluate("kgMap.item('Concepts/Transformer.md')")]
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
    assert sorted(opened.shown()) == sorted(graph) and graph.number_of_nodes() == 4
    page.mouse.move(*opened.point(node))
    page.wait_for_selector("div.vis-tooltip", state="visible")
    tooltip = page.locator("div.vis-tooltip").inner_text()
    assert HOSTILE_NAME in tooltip and "window.__pwned = 1; alert(5)" in tooltip
    page.mouse.click(*opened.point(node))
    assert page.locator("#info h3").inner_text() == HOSTILE_NAME
    page.fill("#search", "</script><script>alert(4)</script>")
    page.press("#search", "Enter")
    assert page.evaluate("kgMap.network.getSelectedNodes()") == [page.evaluate("(id) => kgMap.item(id)", node)]
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, b, script[src]').length") == 0
    assert page.evaluate("window.__pwned") is None
    assert page.title() == "<svg onload=alert(2)> · concept map"
    href = page.locator("#info a.obsidian").get_attribute("href")
    assert href == "obsidian://open?vault=" + quote("<svg onload=alert(2)>", safe="()") + "&file=" + quote(HOSTILE_NAME, safe="()")
    opened.assert_clean()


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated vault of 2,000 notes and its map."""
    folder = tmp_path_factory.mktemp("large")
    root = write_vault(folder / "big", synthetic_vault(2000))
    return root, export_html(root, folder / "big.html")


def test_large_vault_opens_on_an_overview_and_expands(browser: Browser, large: tuple[Path, Path]) -> None:
    root, html = large
    opened = Opened(browser, html, timeout=90_000, viewport=(1280, 800))
    page = opened.page
    graph = select(load_vault(root))
    assert graph.number_of_nodes() > 2000
    drawn = page.evaluate("kgMap.nodes.length")
    assert 20 <= drawn <= 120 and page.evaluate("kgMap.network.getScale()") * 19 >= 11
    assert page.evaluate(DRAWN_AT_PYTHONS_PLACES) == drawn and page.evaluate(OVERLAPS) == []
    group = page.evaluate("kgMap.nodes.get({filter: (n) => n.kind === 'group' && n.label.includes('▸')})[0].id")
    before = set(opened.shown())
    page.mouse.click(*opened.steady_point(group))
    page.wait_for_function("(n) => kgMap.nodes.length > n", arg=drawn)
    assert before < set(opened.shown())
    assert page.evaluate(DRAWN_AT_PYTHONS_PLACES) == drawn  # opening a group moves nothing already drawn
    band = page.evaluate("""(group) => { const bottom = JSON.parse(document.getElementById('kg-data').textContent).bottom;
        return kgMap.network.getConnectedNodes(group).filter((id) => kgMap.network.getPosition(id).y > bottom).length; }""", group)
    assert band == page.evaluate("kgMap.nodes.length") - drawn  # its children, in a band under the overview
    deep = max(graph, key=lambda n: (str(n).count("/"), str(n)))  # selecting a hidden note opens the way to it
    assert deep not in opened.shown() and page.evaluate("(id) => kgMap.select(id)", deep)
    assert deep in opened.shown() and page.locator("#info h3").inner_text() == graph.nodes[deep]["title"]
    page.screenshot(path=str(html.with_suffix(".png")))
    opened.assert_clean()
    print(f"2,000-note map ready in {opened.seconds:.1f} s")


def test_large_vault_search_and_local_view(browser: Browser, large: tuple[Path, Path]) -> None:
    root, html = large
    opened = Opened(browser, html, timeout=90_000)
    page = opened.page
    graph = select(load_vault(root))
    tagged = [n for n, tags in graph.nodes(data="tags") if tags and "math" in tags]
    page.fill("#search", "#math")
    assert page.locator("#result-count").inner_text() == f"{len(tagged):,} matches"
    assert page.locator("#matches li").count() == min(len(tagged), 300) + (len(tagged) > 300)
    note = "Concepts/Sub 1/Note 0001.md"
    page.evaluate("(id) => kgMap.local(id, 1)", note)
    assert set(opened.shown()) == neighbourhood(graph, note, 1)
    page.evaluate("(id) => kgMap.local(id, 3)", note)
    assert page.evaluate("kgMap.nodes.length") == 150  # the nearest 150 of thousands
    assert page.evaluate(OVERLAPS) == []
    opened.assert_clean()


OVERLAPS = """() => { const boxes = kgMap.nodes.getIds().map((id) => [id, kgMap.network.getBoundingBox(id)]), out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, p] = boxes[i], [b, q] = boxes[j];
    if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) out.push([a, b]);
  }
  return out; }"""
"""Pairs of drawn boxes that cover each other."""


def test_an_empty_vault_opens_and_answers(browser: Browser, tmp_path: Path) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    opened = Opened(browser, export_html(root, tmp_path / "empty.html"))
    assert opened.shown() == [] and opened.page.evaluate("kgMap.search('x')") == []
    assert opened.page.evaluate("kgMap.select('nothing.md')") is False
    opened.assert_clean()
