"""The concept map page: HTML skeleton, style and script (kept in Python so every install ships them).

The script reads the graph from a ``<script type="application/json">`` block and puts every piece
of vault text into the page as text (``textContent``, DOM properties, canvas labels), never as
markup, so a note named ``<img src=x onerror=...>`` stays a name.
"""

from __future__ import annotations

__all__ = ["PAGE", "SCRIPT", "STYLE"]

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kg">
<title>@TITLE@ · concept map</title>
<style>@VIS_CSS@</style>
<style>@STYLE@</style>
</head>
<body data-state="loading">
<div id="map" aria-label="concept map"></div>
<aside id="panel">
  <h1 id="heading"></h1>
  <p id="summary"></p>
  <form id="find" autocomplete="off">
    <input id="search" type="search" list="notes" placeholder="Find a note, alias or tag" aria-label="find a note">
    <datalist id="notes"></datalist>
  </form>
  <div id="toggles"></div>
  <h2>Colour: <span id="color-by"></span></h2>
  <ul id="legend" class="legend"></ul>
  <h2>Shapes and lines</h2>
  <ul id="keys" class="legend"></ul>
  <p class="hint">Click a node to highlight its neighbours; click the background to clear. Scroll to zoom.</p>
</aside>
<aside id="info" hidden></aside>
<script>@VIS_JS@</script>
<script type="application/json" id="kg-data">@DATA@</script>
<script>@SCRIPT@</script>
</body>
</html>
"""
"""The page; ``@NAME@`` placeholders are filled by :func:`kg.export.html.generate_html`."""

STYLE = """
html, body { margin: 0; height: 100%; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
  background: #fbfbf8; }
#map { position: fixed; top: 0; right: 0; bottom: 0; left: 272px; }
@media (max-width: 700px) { #map { left: 0; } }
aside { position: fixed; background: rgba(255,255,255,0.94); border: 1px solid #ddd; border-radius: 8px;
  box-shadow: 0 2px 8px rgba(0,0,0,0.08); padding: 10px 12px; overflow: auto; }
#panel { top: 10px; left: 10px; width: 250px; max-height: calc(100% - 42px); }
#info { top: 10px; right: 10px; width: 300px; max-height: calc(100% - 42px); }
h1 { font-size: 16px; margin: 0 0 2px; word-break: break-word; }
h2 { font-size: 12px; margin: 10px 0 4px; color: #555; text-transform: uppercase; letter-spacing: .04em; }
#summary { margin: 0 0 8px; color: #666; }
#search { width: 100%; box-sizing: border-box; padding: 5px 7px; border: 1px solid #bbb; border-radius: 5px; font: inherit; }
#toggles { margin-top: 6px; display: flex; flex-wrap: wrap; gap: 2px 10px; }
#toggles label { white-space: nowrap; cursor: pointer; }
.legend { list-style: none; margin: 0; padding: 0; }
.legend li { display: flex; align-items: center; gap: 7px; margin: 2px 0; }
.legend li.off { opacity: .35; }
.legend li[data-category] { cursor: pointer; }
.swatch { width: 12px; height: 12px; border-radius: 50%; border: 1px solid rgba(0,0,0,.35); flex: none; box-sizing: border-box; }
.swatch.square { border-radius: 2px; }
.swatch.diamond { border-radius: 2px; transform: rotate(45deg) scale(.85); }
.swatch.ghost { border: 1.5px dashed #777; background: #fff; }
.line { width: 24px; height: 0; flex: none; }
.count { color: #888; margin-left: auto; }
.hint { color: #777; font-size: 12px; margin: 10px 0 0; }
#info h3 { font-size: 15px; margin: 0 0 2px; word-break: break-word; }
#info .path { color: #666; font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
#info .excerpt { white-space: pre-wrap; background: #f5f5f0; border-radius: 5px; padding: 6px; margin: 6px 0; font-size: 12px; }
#info button { font: inherit; border: 0; background: none; color: #2b5da8; cursor: pointer; padding: 0; text-align: left; }
#info ul { padding-left: 16px; margin: 4px 0; }
div.vis-tooltip { max-width: 360px; white-space: normal; font: 12px/1.4 system-ui, sans-serif; padding: 6px 8px;
  background: #fff; border: 1px solid #ccc; border-radius: 6px; box-shadow: 0 2px 6px rgba(0,0,0,.15); }
.tip-title { font-weight: 600; font-size: 13px; }
.tip-path { color: #666; font-family: ui-monospace, monospace; font-size: 11px; word-break: break-all; }
.tip-excerpt { white-space: pre-wrap; color: #333; margin-top: 4px; border-top: 1px solid #eee; padding-top: 4px; }
"""
"""The page's own style (vis-network's comes before it)."""

SCRIPT = r"""
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const $ = (id) => document.getElementById(id);
  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children || []) node.append(child);
    return node;
  }
  const DIM = { background: "#eeeeee", border: "#dddddd" };
  const byId = new Map(data.nodes.map((n) => [n.id, n]));

  function tooltip(n) {
    const parts = [el("div", { className: "tip-title", textContent: n.label }),
                   el("div", { className: "tip-path", textContent: n.kind === "ghost" ? "no file: unresolved link target" : n.id })];
    if (n.aliases.length) parts.push(el("div", { textContent: "aliases: " + n.aliases.join(", ") }));
    if (n.tags.length) parts.push(el("div", { textContent: "tags: " + n.tags.map((t) => "#" + t).join(" ") }));
    if (n.excerpt) parts.push(el("div", { className: "tip-excerpt", textContent: n.excerpt }));
    return el("div", {}, parts);
  }
  const nodes = new vis.DataSet(data.nodes.map((n) => Object.assign({}, n, { title: tooltip(n) })));
  const edges = new vis.DataSet(data.edges.map((e) => Object.assign({}, e, { title: el("div", { textContent: e.title }) })));
  const network = new vis.Network($("map"), { nodes, edges }, data.options);
  const state = { ghosts: true, attachments: true, implied: false, hiddenCategories: new Set(), selected: null };

  function settled() {
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    document.body.dataset.state = "ready";
  }
  if (data.options.physics && data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", settled);
  } else {
    network.once("afterDrawing", settled);
  }

  function nodeHidden(n) {
    return (n.kind === "ghost" && !state.ghosts) || (n.kind === "attachment" && !state.attachments)
      || state.hiddenCategories.has(n.category);
  }
  function refresh() {
    const hidden = new Set();
    nodes.update(data.nodes.map((n) => {
      const off = nodeHidden(n);
      if (off) hidden.add(n.id);
      return { id: n.id, hidden: off };
    }));
    edges.update(data.edges.map((e) => ({ id: e.id, hidden: (e.implied && !state.implied) || hidden.has(e.from) || hidden.has(e.to) })));
    if (state.selected !== null) highlight(state.selected);
  }

  function highlight(id) {
    state.selected = id;
    const near = new Set(network.getConnectedNodes(id).concat([id]));
    nodes.update(data.nodes.map((n) => near.has(n.id)
      ? { id: n.id, color: n.color, font: n.font || { color: "#222222" } }
      : { id: n.id, color: DIM, font: { color: "#cccccc" } }));
    edges.update(data.edges.map((e) => (e.from === id || e.to === id)
      ? { id: e.id, color: e.color } : { id: e.id, color: { color: "#eeeeee", opacity: 0.6 } }));
    showInfo(id, near);
  }
  function clearHighlight() {
    state.selected = null;
    nodes.update(data.nodes.map((n) => ({ id: n.id, color: n.color, font: n.font || { color: "#222222" } })));
    edges.update(data.edges.map((e) => ({ id: e.id, color: e.color })));
    $("info").hidden = true;
  }
  function focusNode(id) {
    if (!byId.has(id)) return false;
    const n = byId.get(id);
    if (nodeHidden(n)) { state.hiddenCategories.delete(n.category); if (n.kind === "ghost") setToggle("ghosts", true); if (n.kind === "attachment") setToggle("attachments", true); refresh(); buildLegend(); }
    // Enter in the search box fires "change" and then "submit": one flight, not a second one
    // restarted from mid-air (a click landing then would miss what it aimed at)
    if (state.selected === id && document.body.dataset.moving) return true;
    network.selectNodes([id]);
    document.body.dataset.moving = "true";
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 400 } });
    highlight(id);
    return true;
  }

  function showInfo(id, near) {
    const n = byId.get(id);
    const info = $("info");
    info.replaceChildren();
    info.append(el("h3", { textContent: n.label }),
                el("div", { className: "path", textContent: n.kind === "ghost" ? "unresolved link target (no file)" : n.id }));
    if (n.aliases.length) info.append(el("div", { textContent: "aliases: " + n.aliases.join(", ") }));
    if (n.tags.length) info.append(el("div", { textContent: "tags: " + n.tags.map((t) => "#" + t).join(" ") }));
    if (n.excerpt) info.append(el("div", { className: "excerpt", textContent: n.excerpt }));
    const others = [...near].filter((x) => x !== id).sort((a, b) => byId.get(a).label.localeCompare(byId.get(b).label));
    info.append(el("h2", { textContent: others.length + " connected" }));
    info.append(el("ul", {}, others.map((other) => el("li", {}, [
      el("button", { type: "button", textContent: byId.get(other).label, title: other, onclick: () => focusNode(other) })]))));
    info.hidden = false;
  }

  network.on("animationFinished", () => { delete document.body.dataset.moving; });
  network.on("click", (params) => {
    if (params.nodes.length) highlight(params.nodes[0]); else clearHighlight();
  });

  // search: exact path, then title or alias, then a tag, then any title containing the text
  const fold = (s) => s.normalize("NFC").toLowerCase();
  function find(text) {
    const q = fold(text.trim());
    if (!q) return null;
    const visible = data.nodes;
    const exact = visible.find((n) => fold(n.id) === q) || visible.find((n) => fold(n.label) === q)
      || visible.find((n) => n.aliases.some((a) => fold(a) === q));
    if (exact) return exact.id;
    const tag = q.replace(/^#/, "");
    const tagged = visible.find((n) => n.tags.some((t) => t === tag || t.startsWith(tag + "/")));
    if (tagged) return tagged.id;
    const part = visible.find((n) => fold(n.label).includes(q) || n.aliases.some((a) => fold(a).includes(q)));
    return part ? part.id : null;
  }
  const list = $("notes");
  for (const n of data.nodes) {
    list.append(el("option", { value: n.label, label: n.kind === "ghost" ? "(no file)" : n.id }));
    for (const alias of n.aliases) list.append(el("option", { value: alias, label: "alias of " + n.id }));
  }
  // Enter submits; picking from the list fires "change". So does leaving the box, say by clicking a
  // node: that must not fly back to the note already found, under the user's pointer.
  let searched = null;
  $("find").addEventListener("submit", (event) => {
    event.preventDefault();
    searched = $("search").value;
    const id = find(searched);
    $("search").setCustomValidity(id === null ? "no such note" : "");
    if (id !== null) focusNode(id); else $("search").reportValidity();
  });
  $("search").addEventListener("change", () => {
    if ($("search").value === searched) return;
    searched = $("search").value;
    const id = find(searched);
    if (id !== null) focusNode(id);
  });

  // toggles
  const toggles = {};
  function setToggle(name, on) { state[name] = on; if (toggles[name]) toggles[name].checked = on; }
  function addToggle(name, text, on, onChange) {
    const box = el("input", { type: "checkbox", checked: on, id: "show-" + name });
    box.addEventListener("change", () => onChange(box.checked));
    toggles[name] = box;
    $("toggles").append(el("label", {}, [box, " " + text]));
  }
  const kinds = data.counts;
  if (kinds.ghost) addToggle("ghosts", "ghosts", true, (on) => { state.ghosts = on; refresh(); });
  if (kinds.attachment) addToggle("attachments", "attachments", true, (on) => { state.attachments = on; refresh(); });
  if (data.edges.some((e) => e.implied)) addToggle("implied", "implied edges", false, (on) => { state.implied = on; refresh(); });
  addToggle("physics", "physics", false, (on) => network.setOptions({ physics: { enabled: on } }));

  // legend
  function swatch(color, extra) {
    const s = el("span", { className: "swatch" + (extra ? " " + extra : "") });
    s.style.background = color;
    return s;
  }
  function buildLegend() {
    const legend = $("legend");
    legend.replaceChildren();
    for (const [category, color, count] of data.legend) {
      const item = el("li", { title: "click to hide or show" }, [
        swatch(color, category === data.ghostCategory ? "ghost" : ""), el("span", { textContent: category }),
        el("span", { className: "count", textContent: String(count) })]);
      item.dataset.category = category;
      if (state.hiddenCategories.has(category)) item.className = "off";
      item.addEventListener("click", () => {
        if (state.hiddenCategories.has(category)) state.hiddenCategories.delete(category); else state.hiddenCategories.add(category);
        buildLegend(); refresh();
      });
      legend.append(item);
    }
  }
  buildLegend();
  const keys = $("keys");
  for (const [text, shape] of data.shapes) keys.append(el("li", {}, [swatch(shape === "ghost" ? "#ffffff" : "#9e9e9e", shape), el("span", { textContent: text })]));
  for (const [text, style] of data.lines) {
    const line = el("span", { className: "line" });
    line.style.borderTop = style;
    keys.append(el("li", {}, [line, el("span", { textContent: text })]));
  }
  $("heading").textContent = data.title;
  $("color-by").textContent = data.colorBy;
  $("summary").textContent = data.summary;
  window.kgMap = { network, nodes, edges, focusNode, find };
})();
"""
"""The page's behaviour: legend, search, toggles, neighbourhood highlight, info panel."""
