"""The concept map page: HTML skeleton, style and script (kept in Python so every install ships them).

The script reads the graph from a ``<script type="application/json">`` block and puts every piece
of vault text into the page as text (``textContent``, DOM properties, canvas labels), never as
markup, so a note named ``<img src=x onerror=...>`` stays a name. The only links it makes are
``obsidian://open`` URIs, their parts percent-encoded.
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
<div id="loading" role="status">Working…</div>
<aside id="panel">
  <h1 id="heading"></h1>
  <p id="summary"></p>
  <p id="mode-note"></p>
  <form id="find" autocomplete="off">
    <input id="search" type="search" placeholder="Find a note, alias or #tag" aria-label="find a note">
  </form>
  <div id="results" hidden><p id="result-count"></p><ul id="matches"></ul></div>
  <div id="view">
    <button type="button" id="overview">Overview</button>
    <button type="button" id="local" disabled>Local view</button>
    <label>depth <select id="depth"><option>1</option><option selected>2</option><option>3</option></select></label>
  </div>
  <div id="toggles"></div>
  <h2>Colour: <span id="color-by"></span></h2>
  <ul id="legend" class="legend"></ul>
  <h2>Shapes and lines</h2>
  <ul id="keys" class="legend"></ul>
  <p class="hint">Click a note to select it and open what lies under it; click a group to open it. Scroll to zoom.</p>
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
#map .vis-network:focus { outline: none; }
#loading { position: fixed; top: 14px; left: 50%; transform: translateX(-50%); background: #2f3b52; color: #fff;
  padding: 6px 14px; border-radius: 14px; font-size: 13px; display: none; z-index: 10; }
body[data-state=loading] #loading, body[data-busy] #loading { display: block; }
aside { position: fixed; background: rgba(255,255,255,0.95); border: 1px solid #ddd; border-radius: 8px;
  box-shadow: 0 2px 8px rgba(0,0,0,0.08); padding: 10px 12px; overflow: auto; }
#panel { top: 10px; left: 10px; width: 250px; max-height: calc(100% - 42px); }
#info { top: 10px; right: 10px; width: 310px; max-height: calc(100% - 42px); }
h1 { font-size: 16px; margin: 0 0 2px; word-break: break-word; }
h2 { font-size: 12px; margin: 10px 0 4px; color: #555; text-transform: uppercase; letter-spacing: .04em; }
#summary, #mode-note { margin: 0 0 6px; color: #666; }
#search { width: 100%; box-sizing: border-box; padding: 5px 7px; border: 1px solid #bbb; border-radius: 5px; font: inherit; }
#results { max-height: 260px; overflow: auto; border-bottom: 1px solid #eee; margin-top: 4px; }
#result-count { margin: 2px 0; color: #666; font-size: 12px; }
#matches { list-style: none; margin: 0; padding: 0; }
#matches .why, #info .why { color: #888; font-size: 11px; margin-left: 4px; }
#view { margin-top: 8px; display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; }
#view button { font: inherit; padding: 2px 8px; border: 1px solid #bbb; border-radius: 5px; background: #fff; cursor: pointer; }
#view button.on { background: #2f3b52; color: #fff; border-color: #2f3b52; }
#toggles { margin-top: 6px; display: flex; flex-wrap: wrap; gap: 2px 10px; }
#toggles label { white-space: nowrap; cursor: pointer; }
.legend { list-style: none; margin: 0; padding: 0; }
.legend li { display: flex; align-items: center; gap: 7px; margin: 2px 0; }
.swatch { width: 14px; height: 10px; border-radius: 3px; border: 1px solid rgba(0,0,0,.35); flex: none; box-sizing: border-box; }
.swatch.ghost, .swatch.group { border: 1.5px dashed #777; background: #fff; }
.swatch.group { background: #ecebe4; }
.line { width: 24px; height: 0; flex: none; }
.count { color: #888; margin-left: auto; }
.hint { color: #777; font-size: 12px; margin: 10px 0 0; }
#info h3 { font-size: 15px; margin: 0 0 2px; word-break: break-word; }
#info .path { color: #666; font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
#info .excerpt { white-space: pre-wrap; background: #f5f5f0; border-radius: 5px; padding: 6px; margin: 6px 0; font-size: 12px; }
#info button, #matches button { font: inherit; border: 0; background: none; color: #2b5da8; cursor: pointer; padding: 0; text-align: left; }
#info ul { padding-left: 16px; margin: 2px 0 4px; }
#info a { color: #7c3aed; }
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
  const fold = (s) => String(s).normalize("NFC").toLowerCase();
  const plural = (n, word) => n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s");

  // --- the graph, by item number: nodes 0..N-1, then the display tree's groups
  const N = data.nodes.length;
  const ITEMS = N + data.groups.length;
  const nodeOf = data.nodes;
  const itemOf = new Map(nodeOf.map((n, i) => [n.id, i]));
  const EK = data.edgeKinds, UP = EK.indexOf("up"), DOWN = EK.indexOf("down");
  const E = data.edges;
  const outs = Array.from({ length: N }, () => []), ins = Array.from({ length: N }, () => []);
  for (let e = 0; e < E.length; e += 4) { outs[E[e]].push(e); ins[E[e + 1]].push(e); }
  const kids = data.children;
  const treeParent = new Int32Array(ITEMS).fill(-1);
  kids.forEach((list, item) => { for (const kid of list) treeParent[kid] = item; });
  const under = new Int32Array(ITEMS);  // graph nodes under each item, itself included
  (function count() {
    const order = [], stack = data.roots.slice();
    while (stack.length) { const item = stack.pop(); order.push(item); for (const kid of kids[item]) stack.push(kid); }
    for (let i = order.length - 1; i >= 0; i--) {
      const item = order[i];
      under[item] = (item < N ? 1 : 0) + kids[item].reduce((sum, kid) => sum + under[kid], 0);
    }
  })();
  const isGroup = (item) => item >= N;
  const KIND = ["note", "attachment", "ghost", "canvas"];
  const kindOf = (item) => isGroup(item) ? "group" : KIND[nodeOf[item].kind];
  const nameOf = (item) => isGroup(item) ? data.groups[item - N][0] : nodeOf[item].label;

  function unique(list) { return [...new Set(list)].sort((a, b) => fold(nameOf(a)).localeCompare(fold(nameOf(b))) || a - b); }
  function relations(item) {
    const parents = [], children = [], linksOut = [], backlinks = [];
    for (const e of outs[item]) {
      const kind = E[e + 2], implied = E[e + 3];
      if (kind === UP) parents.push(E[e + 1]); else if (kind === DOWN) children.push(E[e + 1]); else if (!implied && E[e + 1] !== item) linksOut.push(E[e + 1]);
    }
    for (const e of ins[item]) {
      const kind = E[e + 2], implied = E[e + 3];
      if (kind === UP) children.push(E[e]); else if (kind === DOWN) parents.push(E[e]); else if (!implied && E[e] !== item) backlinks.push(E[e]);
    }
    return { parents: unique(parents), children: unique(children), linksOut: unique(linksOut), backlinks: unique(backlinks) };
  }

  // --- what is drawn: the overview (positions from Python), and below it one band of children per
  // item opened on the way down (state.path: each a child of the one before, the first drawn in the overview)
  const START = new Map();
  for (let i = 0; i < data.start.length; i += 3) START.set(data.start[i], [data.start[i + 1], data.start[i + 2]]);
  const startOpen = new Set(data.open);
  const state = { mode: "map", path: [], at: new Map(), selected: -1, center: -1, depth: 2,
                  ghosts: true, attachments: true, links: true, implied: false, note: "" };
  const LOCAL_MAX = 150, LINKS_MAX = 2000, BAND_GAP = 90;
  const isOpen = (item) => state.path.includes(item) || (startOpen.has(item) && START.has(item));
  function hiddenKind(item) {
    const kind = kindOf(item);
    return (kind === "ghost" && !state.ghosts) || (kind === "attachment" && !state.attachments);
  }
  function mapPlaces() {
    const at = new Map();
    for (const [item, spot] of START) if (!hiddenKind(item)) at.set(item, spot);
    let top = data.bottom + BAND_GAP;
    for (const item of state.path) {
      const middle = at.has(item) ? at.get(item)[0] : 0;
      for (const kid of kids[item]) if (!hiddenKind(kid)) at.set(kid, [middle + data.offsets[2 * kid], top + data.offsets[2 * kid + 1]]);
      top += data.bands[item] + BAND_GAP;
    }
    return at;
  }
  function openPath(item) {
    // the bands that show item's children: the way down from the overview to item
    const way = [item];
    while (!START.has(way[way.length - 1]) && treeParent[way[way.length - 1]] >= 0) way.push(treeParent[way[way.length - 1]]);
    return way.reverse();
  }
  function localItems() {
    const dist = new Map([[state.center, 0]]);
    let frontier = [state.center];
    for (let d = 1; d <= state.depth && frontier.length && dist.size < LOCAL_MAX; d++) {
      const next = [];
      for (const item of frontier) {
        for (const e of outs[item]) next.push(E[e + 1]);
        for (const e of ins[item]) next.push(E[e]);
      }
      for (const item of unique(next)) {
        if (dist.has(item) || hiddenKind(item)) continue;
        if (dist.size >= LOCAL_MAX) { state.note = "showing the nearest " + LOCAL_MAX + " notes"; break; }
        dist.set(item, d);
      }
      frontier = [...dist.keys()].filter((item) => dist.get(item) === d);
    }
    return dist;
  }

  // the local view's geometry (it depends on the note and the depth chosen, so it is made here): the
  // centre in the middle and around it rectangular rings of cells a box wide and a box high, so that no
  // two boxes overlap; each depth starts a ring, parents at the top, children at the bottom
  const CELL_W = 232, CELL_H = 70, TALL = 2;
  function ringCells(k) {
    // the border of a grid k cells out sideways and TALL * k up and down, clockwise from the top middle
    const w = k, h = TALL * k, out = [];
    for (let x = 0; x <= w; x++) out.push([x, -h]);
    for (let y = 1 - h; y <= h; y++) out.push([w, y]);
    for (let x = w - 1; x >= -w; x--) out.push([x, h]);
    for (let y = h - 1; y >= -h; y--) out.push([-w, y]);
    for (let x = 1 - w; x < 0; x++) out.push([x, -h]);
    return out.map(([x, y]) => [x * CELL_W, y * CELL_H]);
  }
  function rings(dist) {
    const at = new Map([[state.center, [0, 0]]]);
    const rel = relations(state.center);
    const rank = (item) => rel.parents.includes(item) ? 0 : rel.children.includes(item) ? 2 : 1;
    const byName = (a, b) => fold(nameOf(a)).localeCompare(fold(nameOf(b))) || a - b;
    const byDepth = [];
    for (const [item, d] of dist) if (d) (byDepth[d] = byDepth[d] || []).push(item);
    let k = 1;
    for (const list of byDepth) {
      if (!list) continue;
      list.sort((a, b) => rank(a) - rank(b) || byName(a, b));
      const others = list.filter((item) => rank(item) === 1), half = Math.ceil(others.length / 2);
      // clockwise from the top: parents, half the rest, children (at the bottom), the other half
      const order = [...list.filter((item) => rank(item) === 0), ...others.slice(0, half),
                     ...list.filter((item) => rank(item) === 2), ...others.slice(half)];
      for (let start = 0; start < order.length; k++) {
        const cells = ringCells(k), count = Math.min(cells.length, order.length - start);
        const shift = Math.floor(Math.min(count, list.filter((item) => rank(item) === 0).length) / 2);
        for (let i = 0; i < count; i++) {
          const cell = Math.floor(i * cells.length / count) - shift * Math.floor(cells.length / count);
          at.set(order[start + i], cells[(cell + cells.length) % cells.length]);
        }
        start += count;
      }
    }
    return at;
  }

  // --- vis-network data
  function textColor(hex) {
    const v = parseInt(hex.slice(1), 16), r = v >> 16, g = (v >> 8) & 255, b = v & 255;
    return (r * 299 + g * 587 + b * 114) / 1000 > 150 ? "#1d1d1d" : "#ffffff";
  }
  function tooltip(item) {
    const n = nodeOf[item];
    const parts = [el("div", { className: "tip-title", textContent: n.label }),
                   el("div", { className: "tip-path", textContent: n.kind === 2 ? "no file: unresolved link target" : String(n.id) })];
    if (n.excerpt) parts.push(el("div", { className: "tip-excerpt", textContent: n.excerpt }));
    return el("div", {}, parts);
  }
  function visNode(item, x, y, near) {
    const closed = kids[item].length && !isOpen(item) && state.mode === "map";
    const opacity = near && !near.has(item) ? 0.2 : 1;
    if (isGroup(item)) {
      return { id: item, x, y, opacity, label: short(nameOf(item)) + (closed ? " ▸ " + under[item].toLocaleString("en") : " ▾"), shape: "box", kind: "group",
               color: { background: "#ecebe4", border: "#8d8d86", highlight: { background: "#e2e1d8", border: "#333" } },
               shapeProperties: { borderDashes: [5, 4] }, font: { color: "#222222", size: 22 } };
    }
    const n = nodeOf[item], fill = data.legend[n.cat][1];
    const color = n.kind === 2 ? { background: "#ffffff", border: "#8a8a8a" } : { background: fill, border: "#4d4d4d" };
    color.highlight = { background: color.background, border: "#111111" };
    color.hover = color.highlight;
    const font = { color: n.kind === 2 ? "#666666" : textColor(color.background) };
    return { id: item, x, y, opacity, label: short(n.label + (n.hint ? " · " + n.hint : "")) + (closed ? " ▸" : ""), shape: "box", kind: KIND[n.kind],
             color, font,
             shapeProperties: n.kind === 2 ? { borderDashes: [4, 3] } : { borderRadius: n.kind === 1 || n.kind === 3 ? 0 : 6 },
             ...(n.kind === 3 ? { borderWidth: 3 } : {}) };
  }
  const short = (text) => text.length > 48 ? text.slice(0, 47) + "…" : text;
  const MEMBER = { color: { color: "#b8b8b0", opacity: 1 }, width: 1, dashes: [2, 3], arrows: "", smooth: false };
  const FADED = { color: "#e4e4e4", opacity: 0.5 };
  function visEdges(shown, tree, selected) {
    const visible = new Set(shown), out = [], seen = new Set();
    function add(edge) {
      const key = edge.from + ">" + edge.to + ">" + edge.kind;
      if (seen.has(key)) return;
      seen.add(key);
      edge.id = key;
      if (selected >= 0 && edge.from !== selected && edge.to !== selected) edge.color = FADED;
      out.push(edge);
    }
    const style = (kind) => { const s = data.edgeStyles[kind]; return { color: { color: s.color, opacity: kind === UP || kind === DOWN ? 0.9 : 0.4 }, width: s.width, dashes: s.dashes }; };
    if (tree) for (const item of shown) {
      const parent = treeParent[item];
      if (parent < 0 || !visible.has(parent)) continue;
      if (isGroup(item) || isGroup(parent)) add(Object.assign({ from: parent, to: item, kind: "in group" }, MEMBER));
      else add(Object.assign({ from: item, to: parent, kind: "up", arrows: "to", smooth: false }, style(UP)));
    }
    let links = 0;
    for (const item of shown) {
      if (isGroup(item)) continue;
      for (const e of outs[item]) {
        const to = E[e + 1], kind = E[e + 2], implied = E[e + 3];
        if (!visible.has(to) || to === item) continue;
        if (kind === UP || kind === DOWN) {
          const [child, parent] = kind === UP ? [item, to] : [to, item];
          add(Object.assign({ from: child, to: parent, kind: "up", arrows: "to", smooth: false }, style(UP)));
        } else if (state.links && (!implied || state.implied) && links < LINKS_MAX) {
          links += 1;
          add(Object.assign({ from: item, to, kind: EK[kind], arrows: { to: { enabled: true, scaleFactor: 0.4 } },
                              smooth: { enabled: true, type: "curvedCW", roundness: 0.2 } }, style(kind)));
        }
      }
    }
    return out;
  }

  const nodes = new vis.DataSet([]);
  const edges = new vis.DataSet([]);
  const options = {
    autoResize: true, physics: { enabled: false }, layout: { randomSeed: 7, improvedLayout: false },
    nodes: { shape: "box", margin: 7, borderWidth: 1, borderWidthSelected: 3, widthConstraint: { maximum: 205 },
             font: { size: 19, face: "system-ui, sans-serif" } },
    edges: { selectionWidth: 1.5, hoverWidth: 0.5, color: { inherit: false } },
    interaction: { hover: true, tooltipDelay: 200, dragNodes: true, keyboard: { enabled: true, bindToWindow: false },
                   hideEdgesOnDrag: false, zoomSpeed: 0.8 },
  };
  const network = new vis.Network($("map"), { nodes, edges }, options);

  // vis-network draws the whole map again, at once, after every change of its data while physics is
  // off (the change starts the simulation, which draws): a click made half a dozen full redraws. Changes
  // go in with drawing held back, and the map is drawn once, in the next frame (with a flight, if any).
  function batch(work) {
    network.body.emitter.emit("_blockRedraw");
    try { work(); } finally { network.body.emitter.emit("_allowRedraw"); network.body.emitter.emit("_requestRedraw"); }
  }
  function replace(set, items, finish) {
    // only what changed goes to vis-network: it measures the label of every node it is handed again
    const was = new Map(set.get({ fields: ["id", "sig"] }).map((item) => [item.id, item.sig]));
    const keep = new Set(), changed = [];
    for (const item of items) {
      keep.add(item.id);
      item.sig = JSON.stringify(item);
      if (was.get(item.id) !== item.sig) changed.push(finish ? finish(item) : item);
    }
    set.remove([...was.keys()].filter((id) => !keep.has(id)));
    set.update(changed);
  }
  const withTooltip = (spec) => isGroup(spec.id) ? spec : Object.assign(spec, { title: tooltip(spec.id) });
  function refresh() {
    // the shown items as they should look now (the selection's neighbourhood bright, the rest dimmed)
    const near = state.selected >= 0 && state.at.has(state.selected) ? neighbours(state.selected) : null;
    const shown = [...state.at.keys()];
    replace(nodes, shown.map((item) => visNode(item, ...state.at.get(item), near)), withTooltip);
    replace(edges, visEdges(shown, state.mode === "map", near ? state.selected : -1));
    if (near) network.selectNodes([state.selected]); else network.unselectAll();
  }
  function draw() {
    state.note = "";
    if (state.mode === "local" && state.center >= 0) {
      state.at = rings(localItems());
    } else {
      state.mode = "map";
      state.at = mapPlaces();
    }
    const at = state.at, shown = [...at.keys()];
    const band = state.mode === "map" && state.path.length ? state.path[state.path.length - 1] : -1;
    batch(() => {
      refresh();
      network.body.emitter.emit("_resizeNodes");  // labels measured, not drawn: fit needs their boxes
      network.fit({ nodes: band >= 0 ? [band, ...kids[band].filter((kid) => at.has(kid))] : [], animation: false });
    });
    buildLegend(shown);
    $("overview").className = state.mode === "map" ? "on" : "";
    $("local").className = state.mode === "local" ? "on" : "";
    $("local").disabled = state.selected < 0 && state.center < 0;
    $("mode-note").textContent = modeNote(shown);
  }
  function modeNote(shown) {
    const count = plural(shown.filter((item) => !isGroup(item)).length, "note") + " shown";
    if (state.mode === "local") return "Local view of " + nameOf(state.center) + ", depth " + state.depth + ": " + count + (state.note ? " (" + state.note + ")" : "") + ".";
    const base = data.hierarchy ? "The up hierarchy, parents above children" : (data.layout === "folders" ? "Notes by folder" : "No up hierarchy in this vault: notes grouped by folder");
    return base + "; " + count + ". Click a node with ▸ to open it.";
  }

  // --- selection
  function neighbours(item) {
    const near = new Set([item]);
    if (isGroup(item)) { for (const kid of kids[item]) near.add(kid); } else {
      for (const e of outs[item]) near.add(E[e + 1]);
      for (const e of ins[item]) near.add(E[e]);
    }
    if (treeParent[item] >= 0) near.add(treeParent[item]);
    for (const kid of kids[item]) near.add(kid);
    return near;
  }
  function clearHighlight() {
    state.selected = -1;
    batch(refresh);
    $("info").hidden = true;
  }
  function reveal(item) {
    if (state.mode === "local") {
      if (nodes.get(item)) return false;
      state.center = item;
      return true;
    }
    let changed = false;
    if (hiddenKind(item)) { setToggle(kindOf(item) === "ghost" ? "ghosts" : "attachments", true); changed = true; }
    if (!START.has(item) && !state.path.includes(treeParent[item])) { state.path = openPath(treeParent[item]); changed = true; }
    return changed;
  }
  function selectItem(item, fly) {
    if (!(item >= 0 && item < ITEMS)) return false;
    state.selected = item;
    if (reveal(item)) draw(); else batch(refresh);
    if (!isGroup(item)) showInfo(item); else $("info").hidden = true;
    $("local").disabled = isGroup(item);
    if (fly) {
      document.body.dataset.moving = "true";
      network.focus(item, { scale: Math.max(network.getScale(), 0.9), animation: { duration: 300 } });
    }
    return true;
  }
  function toggle(item) {
    // open: the way down to item, one band per level; close: item's band and those under it
    const at = state.path.indexOf(item);
    state.path = at >= 0 ? state.path.slice(0, at) : openPath(item);
    draw();
  }
  network.on("animationFinished", () => { delete document.body.dataset.moving; });
  network.on("click", (params) => {
    if (!params.nodes.length) { clearHighlight(); return; }
    const item = params.nodes[0];
    if (state.mode === "local" && !isGroup(item) && item !== state.center) {
      later(() => { state.center = item; state.selected = item; draw(); selectItem(item, false); });
      return;
    }
    if (state.mode === "map" && kids[item].length && !(startOpen.has(item) && START.has(item))
        && (isGroup(item) || !isOpen(item) || state.selected === item)) {
      if (!isGroup(item)) showInfo(item);  // the panel answers at once; the band follows, the indicator up meanwhile
      later(() => { state.selected = item; toggle(item); selectItem(item, false); });
      return;
    }
    selectItem(item, false);
  });

  // --- the info panel
  function itemButton(item) {
    const n = nodeOf[item];
    const text = n.label + (n.hint ? " · " + n.hint : "");
    return el("button", { type: "button", textContent: text, title: String(n.id), onclick: () => selectItem(item, true) });
  }
  function section(title, list, cls) {
    const shown = list.slice(0, 80);
    const out = [el("h2", { textContent: title + " (" + list.length + ")" })];
    if (!list.length) return out;
    const items = shown.map((item) => el("li", {}, [itemButton(item)]));
    if (list.length > shown.length) items.push(el("li", { textContent: "… and " + (list.length - shown.length) + " more" }));
    out.push(el("ul", { className: cls }, items));
    return out;
  }
  function obsidianLink(n) {
    if (!data.vault || n.kind === 2) return null;
    const file = String(n.id).replace(/\.md$/i, "");
    return el("a", { className: "obsidian", textContent: "Open in Obsidian",
                     href: "obsidian://open?vault=" + encodeURIComponent(data.vault) + "&file=" + encodeURIComponent(file) });
  }
  function showInfo(item) {
    const n = nodeOf[item], info = $("info"), rel = relations(item);
    info.replaceChildren();
    info.append(el("h3", { textContent: n.label }),
                el("div", { className: "path", textContent: n.kind === 2 ? "unresolved link target (no file)" : String(n.id) }));
    const link = obsidianLink(n);
    if (link) info.append(el("div", {}, [link]));
    if (n.aliases) info.append(el("div", { textContent: "aliases: " + n.aliases.join(", ") }));
    if (n.tags) info.append(el("div", { textContent: "tags: " + n.tags.map((t) => "#" + t).join(" ") }));
    if (n.excerpt) info.append(el("div", { className: "excerpt", textContent: n.excerpt }));
    info.append(...section("Parents", rel.parents, "parents"), ...section("Children", rel.children, "children"),
                ...section("Links out", rel.linksOut, "links-out"), ...section("Backlinks", rel.backlinks, "backlinks"));
    info.hidden = false;
  }

  // --- search: every match by name, alias, or #tag
  const index = nodeOf.map((n) => [fold(n.label), (n.aliases || []).map(fold), n.tags || [], fold(n.id)]);
  function search(text) {
    const q = fold(text.trim());
    if (!q) return [];
    const found = [];
    if (q.startsWith("#") && q.length > 1) {
      const tag = q.slice(1);
      index.forEach(([, , tags], item) => {
        const hit = tags.find((t) => t === tag || t.startsWith(tag + "/")) || tags.find((t) => t.startsWith(tag));
        if (hit !== undefined) found.push([hit === tag ? 0 : 1, item, "#" + hit]);
      });
    } else {
      index.forEach(([label, aliases, , path], item) => {
        const rank = label === q ? 0 : label.startsWith(q) ? 2 : label.includes(q) ? 4 : -1;
        if (rank >= 0) { found.push([rank, item, ""]); return; }
        const alias = aliases.findIndex((a) => a === q);
        const part = alias >= 0 ? alias : aliases.findIndex((a) => a.includes(q));
        if (part >= 0) { found.push([alias >= 0 ? 1 : 5, item, "alias: " + nodeOf[item].aliases[part]]); return; }
        if (path.includes(q)) found.push([6, item, String(nodeOf[item].id)]);
      });
    }
    found.sort((a, b) => a[0] - b[0] || index[a[1]][0].localeCompare(index[b[1]][0]) || a[1] - b[1]);
    return found.map(([, item, why]) => ({ item, why }));
  }
  const LIST_MAX = 300;
  function listMatches(text) {
    const matches = search(text), list = $("matches");
    $("results").hidden = !text.trim();
    $("result-count").textContent = matches.length.toLocaleString("en") + (matches.length === 1 ? " match" : " matches");
    list.replaceChildren(...matches.slice(0, LIST_MAX).map(({ item, why }) =>
      el("li", {}, [itemButton(item), el("span", { className: "why", textContent: why })])));
    if (matches.length > LIST_MAX) list.append(el("li", { textContent: "… and " + (matches.length - LIST_MAX) + " more: type more of the name" }));
    return matches;
  }
  $("search").addEventListener("input", () => listMatches($("search").value));
  $("find").addEventListener("submit", (event) => {
    event.preventDefault();
    const matches = listMatches($("search").value);
    $("search").setCustomValidity(matches.length ? "" : "no such note");
    if (matches.length) selectItem(matches[0].item, true); else $("search").reportValidity();
  });

  // --- views and toggles
  // a local view or a whole new overview can take a while on a slow machine: the loading
  // indicator is painted first, then the work done
  function later(work) {
    document.body.dataset.busy = "true";
    requestAnimationFrame(() => setTimeout(() => { try { work(); } finally { delete document.body.dataset.busy; } }, 0));
  }
  $("overview").addEventListener("click", () => later(() => { state.mode = "map"; draw(); }));
  $("local").addEventListener("click", () => {
    if (state.selected < 0 || isGroup(state.selected)) return;
    later(() => { state.mode = "local"; state.center = state.selected; draw(); selectItem(state.center, false); });
  });
  $("depth").addEventListener("change", () => {
    state.depth = Number($("depth").value);
    if (state.mode === "local") later(() => { draw(); selectItem(state.center, false); });
  });
  const toggles = {};
  function setToggle(name, on) { state[name] = on; if (toggles[name]) toggles[name].checked = on; }
  function addToggle(name, text, on) {
    const box = el("input", { type: "checkbox", checked: on, id: "show-" + name });
    box.addEventListener("change", () => { state[name] = box.checked; later(draw); });
    toggles[name] = box;
    $("toggles").append(el("label", {}, [box, " " + text]));
  }
  if (data.counts.ghost) addToggle("ghosts", "ghosts", true);
  if (data.counts.attachment) addToggle("attachments", "attachments", true);
  addToggle("links", "links", true);
  let anyImplied = false;
  for (let e = 3; e < E.length; e += 4) if (E[e]) { anyImplied = true; break; }
  if (anyImplied) addToggle("implied", "implied links", false);

  // --- legend: what is drawn now
  function swatch(color, extra) {
    const s = el("span", { className: "swatch" + (extra ? " " + extra : "") });
    if (color) s.style.background = color;
    return s;
  }
  const LINES = { up: ["up: child → parent", "3px solid #2f3b52"], "in group": ["in group", "1px dashed #b8b8b0"],
                  link: ["link", "1px solid #8a8a8a"], embed: ["embed", "2px dashed #3a9c96"], same: ["same", "2px dotted #b07aa1"],
                  next: ["next / prev", "2px dashed #e8871e"], prev: ["next / prev", "2px dashed #e8871e"] };
  function buildLegend(shown) {
    const counts = new Map();
    const kinds = new Set();
    for (const item of shown) {
      kinds.add(kindOf(item));
      if (!isGroup(item) && nodeOf[item].kind !== 2) counts.set(nodeOf[item].cat, (counts.get(nodeOf[item].cat) || 0) + 1);
    }
    $("legend").replaceChildren(...data.legend.map(([category, color], cat) => counts.has(cat)
      ? el("li", {}, [swatch(color), el("span", { textContent: category }), el("span", { className: "count", textContent: String(counts.get(cat)) })])
      : null).filter(Boolean));
    const keys = [];
    for (const [kind, text, cls] of [["note", "note", ""], ["canvas", "canvas (thick square frame)", ""], ["attachment", "attachment (square corners)", ""], ["ghost", "ghost: no file yet", "ghost"], ["group", "group: click to open", "group"]]) {
      if (kinds.has(kind)) keys.push(el("li", {}, [swatch(cls ? "" : "#9e9e9e", cls), el("span", { textContent: text })]));
    }
    const lines = new Map();
    for (const e of edges.get()) if (LINES[e.kind]) lines.set(LINES[e.kind][0], LINES[e.kind][1]);
    for (const [text, style] of lines) {
      const line = el("span", { className: "line" });
      line.style.borderTop = style;
      keys.push(el("li", {}, [line, el("span", { textContent: text })]));
    }
    $("keys").replaceChildren(...keys);
  }

  $("heading").textContent = data.title;
  $("color-by").textContent = data.colorBy;
  $("summary").textContent = data.summary;
  const api = {
    network, nodes, edges, ready: false, readyAt: null, state,
    select: (id) => itemOf.has(id) && selectItem(itemOf.get(id), true),
    focusNode: (id) => itemOf.has(id) && selectItem(itemOf.get(id), true),
    find: (text) => { const m = search(text); return m.length ? nodeOf[m[0].item].id : null; },
    search: (text) => search(text).map(({ item }) => nodeOf[item].id),
    shown: () => nodes.getIds().filter((item) => !isGroup(item)).map((item) => nodeOf[item].id),
    item: (id) => itemOf.get(id),
    toggle,
    local: (id, depth) => { state.depth = depth || state.depth; $("depth").value = String(state.depth); state.mode = "local"; state.center = itemOf.get(id); draw(); selectItem(state.center, false); },
    overview: () => { state.mode = "map"; draw(); },
  };
  window.kgMap = api;
  network.once("afterDrawing", () => { api.ready = true; api.readyAt = performance.now(); document.body.dataset.state = "ready"; });
  draw();
})();
"""
"""The page's behaviour: the overview and its groups, the local view, search, the info panel, the legend."""
