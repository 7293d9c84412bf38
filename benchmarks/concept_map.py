"""The concept map in headless Chromium: how fast it is written, opens and answers (issue 13).

For each vault: ``kg export html`` (cold cache, then warm, then warm after one note was edited), the file size, and in Debian's
Chromium driven by Playwright: the time from navigation to ``kgMap.ready``, the longest main-thread
block while loading (``PerformanceObserver`` long tasks), the slowest of five ``kgMap.select()``
calls on notes the overview does not show, a click on a drawn note until the info panel changed,
and typing a search until its matches are listed. Latencies are measured inside the page with
``performance.now()`` and end after the next frame. Screenshots of the overview and of a local
view are written next to the HTML.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

OBSERVE = """
window.__longest = 0;
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
  .observe({ type: "longtask", buffered: true });
window.__downAt = null; window.__infoAt = null;
addEventListener("pointerdown", () => { window.__downAt = performance.now(); window.__infoAt = null; }, true);
addEventListener("DOMContentLoaded", () => new MutationObserver(() => { window.__infoAt = window.__infoAt ?? performance.now(); })
  .observe(document.getElementById("info"), { childList: true, subtree: true, attributes: true }));
"""
"""Run before the page's own script: long tasks, and when a press and the info panel's change happen."""

NEXT_FRAME = "new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))"

TIMED_SELECT = f"async (id) => {{ const t = performance.now(); kgMap.select(id); await {NEXT_FRAME}; return performance.now() - t; }}"
TIMED_SEARCH = f"""async (text) => {{
  const box = document.getElementById("search"), t = performance.now();
  box.value = text; box.dispatchEvent(new Event("input"));
  await {NEXT_FRAME};
  return [performance.now() - t, document.getElementById("result-count").textContent];
}}"""

NEAREST_NOTE = """([x, y]) => {
  const network = kgMap.network, spots = kgMap.nodes.get({ filter: (n) => n.kind === "note" })
    .map((n) => network.canvasToDOM(network.getPosition(n.id)));
  spots.sort((a, b) => Math.hypot(a.x - x, a.y - y) - Math.hypot(b.x - x, b.y - y));
  return [spots[0].x, spots[0].y];
}"""
"""Where the drawn note nearest the middle of the map is, in map pixels: a click there hits it."""

TARGETS = {
    "export_s": ("< 3 s", 3.0), "export_edited_s": ("< 3 s", 3.0), "ready_s": ("< 3 s", 3.0), "longest_block_ms": ("< 1000 ms", 1000.0),
    "select_ms": ("< 150 ms", 150.0), "click_ms": ("< 150 ms", 150.0), "search_ms": ("< 300 ms", 300.0),
    "file_mb": ("< 15 MB", 15.0),
}
"""The issue's bounds, per figure."""


@dataclass
class MapResult:
    """The concept map figures of one vault."""

    vault: str
    nodes: int
    export_cold_s: float
    export_s: float
    """Warm cache (an unchanged vault: the CLI may answer from its memo of the files it wrote)."""
    export_edited_s: float
    """Warm cache, after one note was edited: the vault read again (the cache then spares the
    unchanged notes, their resolutions and excerpts), the map laid out and written anew."""
    file_mb: float
    ready_s: float
    longest_block_ms: float
    select_ms: float
    click_ms: float
    search_ms: float
    search_matches: str
    shown: int
    """Nodes drawn on opening."""
    error: str | None = None

    def misses(self) -> list[str]:
        """The figures over the issue's bounds."""
        return [name for name, (_, bound) in TARGETS.items() if getattr(self, name) >= bound]


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def browse(html: Path, query: str) -> dict:
    """Open the map in Chromium and time it; screenshots beside ``html``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.add_init_script(OBSERVE)
        page.goto(html.resolve().as_uri())
        page.wait_for_function("window.kgMap && kgMap.ready", timeout=120_000)
        page.wait_for_timeout(300)
        out = {"ready_s": page.evaluate("kgMap.readyAt") / 1000, "longest_block_ms": page.evaluate("window.__longest"),
               "shown": page.evaluate("kgMap.nodes.length")}
        page.screenshot(path=str(html.with_suffix(".png")))
        hidden = page.evaluate("""() => { const shown = new Set(kgMap.shown());
            const all = JSON.parse(document.getElementById('kg-data').textContent).nodes.map((n) => n.id);
            const rest = all.filter((id) => !shown.has(id)); return (rest.length ? rest : all).filter((_, i) => i % 97 === 0).slice(0, 5); }""")
        out["select_ms"] = max(page.evaluate(TIMED_SELECT, node) for node in hidden)
        page.evaluate("kgMap.overview()")
        page.evaluate("document.getElementById('info').hidden = true")
        box = page.locator("#map").bounding_box()
        spot = page.evaluate(NEAREST_NOTE, [box["width"] / 2, box["height"] / 2])
        page.mouse.click(box["x"] + spot[0], box["y"] + spot[1])
        page.wait_for_function("window.__infoAt !== null", timeout=10_000)
        page.evaluate(NEXT_FRAME)
        out["click_ms"] = page.evaluate("window.__infoAt - window.__downAt")
        out["search_ms"], out["search_matches"] = page.evaluate(TIMED_SEARCH, query)
        page.evaluate("(id) => kgMap.local(id, 2)", hidden[0])
        page.screenshot(path=str(html.with_name(html.stem + "-local.png")))
        browser.close()
    return out


def measure(name: str, vault: Path, html: Path, export: Callable[[], None], warm: Callable[[], None],
            edited: Callable[[], None]) -> MapResult:
    """Every figure for one vault; ``export`` writes ``html`` on a cold cache, ``warm`` again on a
    warm one, ``edited`` again after editing a note (see :attr:`MapResult.export_edited_s`)."""
    try:
        cold = _timed(export)
        warm_s = _timed(warm)
        edited_s = _timed(edited)
        data = json.loads(html.read_text(encoding="utf-8").split('id="kg-data">', 1)[1].split("</script>", 1)[0])
        query = data["nodes"][0]["label"].split()[0][:5]
        figures = browse(html, query)
        return MapResult(name, len(data["nodes"]), cold, warm_s, edited_s, html.stat().st_size / 1e6, **figures)
    except Exception as error:  # noqa: BLE001  (a failed measurement is a row, not a crash)
        return MapResult(name, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", 0, error=f"{type(error).__name__}: {error}")


def format_table(rows: list[MapResult]) -> str:
    """The figures as a plain-text table, the issue's bound beside each column's name."""
    columns = [("vault", "vault", "{}"), ("nodes", "nodes", "{:,}"), ("export cold", "export_cold_s", "{:.2f} s"),
               ("export", "export_s", "{:.2f} s"), ("after edit", "export_edited_s", "{:.2f} s"), ("file", "file_mb", "{:.1f} MB"), ("ready", "ready_s", "{:.2f} s"),
               ("longest block", "longest_block_ms", "{:.0f} ms"), ("select", "select_ms", "{:.0f} ms"),
               ("click", "click_ms", "{:.0f} ms"), ("search", "search_ms", "{:.0f} ms"), ("matches", "search_matches", "{}"),
               ("drawn", "shown", "{}")]
    header = [title + (f" ({TARGETS[field][0]})" if field in TARGETS else "") for title, field, _ in columns]
    lines = [header]
    for row in rows:
        if row.error:
            lines.append([row.vault, f"FAILED: {row.error}"] + [""] * (len(columns) - 2))
        else:
            lines.append([form.format(getattr(row, field)) for _, field, form in columns])
    widths = [max(len(line[i]) for line in lines) for i in range(len(columns))]
    text = "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in lines)
    misses = [f"{row.vault}: {', '.join(row.misses())}" for row in rows if not row.error and row.misses()]
    return text + ("\nover the bound: " + "; ".join(misses) if misses else "\nevery figure within the issue's bounds")
