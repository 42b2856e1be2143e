// The page script of `rsc-flight inspect` reports (rsc_flight/inspect/report.py embeds it).
//
// Everything shown comes from the JSON block #model and is put in the DOM with textContent
// and createElement only, never innerHTML: payload text can hold any markup.  Work is lazy
// so that a payload of tens of thousands of rows does not freeze the tab: tree nodes build
// their children when first opened, the tree's rows come in groups built on demand, and the
// rows table shows one page at a time.
//
// What a `$`-string means comes from the model too: `model.codes` is the one code table of
// rsc_flight.model._codes (to_json()), and this script only knows how to read a table.
//
// report.py joins codes.js, panes.js and this file, in that order, into one script inside
// one function scope ("use strict"); this file runs last and starts everything.
  const model = JSON.parse(document.getElementById("model").textContent);
  const rows = model.rows; // [id hex | null, tag, kind, offset, length, preview]
  const values = model.values;
  const bad = model.bad;
  const clients = model.clients;
  const shared = new Set(model.shared);
  const cycles = new Set(model.cycles);
  const refs = model.refs;
  const MODEL_KINDS = new Set(model.modelKinds);
  const STRING_CUT = 300;
  const TEXT_CUT = 3000;
  const CHILD_PAGE = 200;
  const TABLE_PAGE = 500;
  const GROUP = 250;

  const firstIndex = new Map();
  rows.forEach((row, i) => {
    if (row[0] !== null && !firstIndex.has(row[0])) firstIndex.set(row[0], i);
  });
  // The model leaves out the preview of rows whose value it holds: made here, when shown.
  function preview(i) {
    const row = rows[i];
    if (row[5] === null) {
      const value = values[i];
      const text = typeof value === "string" && !MODEL_KINDS.has(row[2]) ? value : JSON.stringify(value);
      row[5] = text.length > 80 ? text.slice(0, 80) + "…" : text;
    }
    return row[5];
  }

  const diagnosed = new Map(); // row index -> diagnostics about it
  for (const d of model.diagnostics) {
    if (d[4] === null) continue;
    if (!diagnosed.has(d[4])) diagnosed.set(d[4], []);
    diagnosed.get(d[4]).push(d);
  }

  // -- small DOM helpers ------------------------------------------------------------------

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function badge(text, cls, title) {
    const node = el("span", "badge " + (cls || ""), text);
    if (title) node.title = title;
    return node;
  }

  function bytes(n) {
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + " KB";
    return (n / 1024 / 1024).toFixed(2) + " MB";
  }

  function cut(text, limit) {
    return text.length > limit ? text.slice(0, limit) + "…" : text;
  }

  // A link to a row that is in the payload; a row that never arrived gets no link (there
  // is nothing to go to), only a mark saying so.
  function rowLink(id, label) {
    if (!firstIndex.has(id)) {
      const span = el("span", "ref missing", label === undefined ? id : label);
      span.dataset.row = id;
      span.title = "row " + id + " never arrived: the payload has no row with this id";
      return span;
    }
    const a = el("a", "ref", label === undefined ? id : label);
    a.href = "#row-" + id;
    a.dataset.row = id;
    return a;
  }

  // The one code table (rsc_flight.model._codes), read by codes.js.
  const codes = codeReader(model.codes, model.bareKinds, model.rules, model.tagFirst);
  const classify = codes.classify;
  const PLAIN = codes.plain;
  // For the browser tests: the same reading as rsc_flight.model._codes.classify.
  window.rscFlightReport = Object.freeze({ classify: classify });

  // -- values ---------------------------------------------------------------------------

  // A string, cut at `limit` characters with a button for the rest.  `raw` shows it as
  // text (a T row's HTML, say) rather than as a quoted JSON string.
  function stringView(text, limit, raw) {
    const show = (part) => (raw ? part : JSON.stringify(part));
    const span = el(raw ? "pre" : "span", raw ? "full" : "str");
    if (text.length <= limit) {
      span.textContent = show(text);
      return span;
    }
    span.textContent = show(text.slice(0, limit)) + "…";
    const more = el("button", "more", "show all " + text.length + " characters");
    more.type = "button";
    more.addEventListener("click", (event) => {
      event.stopPropagation();
      span.replaceWith(el("pre", "full", raw ? text : JSON.stringify(text)));
      more.remove();
    });
    const box = el(raw ? "div" : "span");
    box.append(span, " ", more);
    return box;
  }

  function refView(text, found) {
    const box = el("span", "refbox");
    const link = rowLink(found.id, cut(text, 60));
    box.append(link);
    if (!firstIndex.has(found.id)) {
      box.append(badge("missing", "pending", "row " + found.id + " never arrived (" + found.meaning + ")"));
      return box;
    }
    link.title = found.meaning + " → row " + found.id + (found.path.length ? " at ." + found.path.join(".") : "");
    if (found.path.length) link.dataset.path = found.path.join(":");
    if (shared.has(found.id)) box.append(badge("×" + refs[found.id], "shared", "row " + found.id + " is referenced " + refs[found.id] + " times"));
    if (cycles.has(found.id)) box.append(badge("cycle", "cycle", "row " + found.id + " can reach itself through references"));
    return box;
  }

  function scalarView(value, ctx) {
    if (value === null) return el("span", "null", "null");
    if (typeof value === "string") {
      if (ctx.refs) {
        const found = classify(value);
        if (found.id !== null) return refView(value, found);
        if (found.kind === "escape") return stringView(value.slice(1), STRING_CUT);
        if (found.kind === "value") {
          const span = el("span", "special", cut(value, STRING_CUT));
          span.title = found.meaning;
          return span;
        }
      }
      return stringView(value, STRING_CUT);
    }
    return el("span", typeof value === "number" ? "num" : "bool", String(value));
  }

  function isElement(value, ctx) {
    return ctx.refs && Array.isArray(value) && value.length >= 4 &&
      value[0] === codes.element;
  }

  function isContainer(value) {
    return value !== null && typeof value === "object";
  }

  // The name an element's type stands for, and what to add after it (client, link).
  function typeView(type, ctx) {
    const parts = [];
    if (typeof type !== "string") {
      parts.push(el("span", "tname", JSON.stringify(type)));
      return parts;
    }
    const found = ctx.refs ? classify(type) : PLAIN;
    if (found.id !== null) {
      const client = clients[found.id];
      const index = firstIndex.get(found.id);
      if (client) {
        parts.push(el("span", "tname client", cut(client[1] || "default", 60)));
        parts.push(badge(cut("client " + client[0] + "#" + (client[1] || "default"), 80), "clientmod",
          "client component: module " + client[0] + ", export " + (client[1] || "default") +
          ", " + client[2] + " chunk(s)" + (client[3] ? ", async" : "")));
      } else if (index !== undefined && typeof values[index] === "string") {
        const target = classify(values[index]);
        parts.push(el("span", "tname", target.kind === "value" && target.rest ? target.rest : values[index]));
      } else {
        parts.push(el("span", "tname", "?"));
      }
      parts.push(refView(type, found));
      return parts;
    }
    if (found.kind === "value" && found.rest) {
      const name = el("span", "tname symbol", found.rest);
      name.title = found.meaning;
      parts.push(name);
      return parts;
    }
    parts.push(el("span", "tname", type));
    return parts;
  }

  function elementHead(value, ctx) {
    const head = el("span", "elem");
    head.append("<", ...typeView(value[1], ctx));
    if (value[2] !== null && value[2] !== undefined) {
      head.append(el("span", "attr", " key="), el("span", "str", JSON.stringify(cut(String(value[2]), 60))));
    }
    const props = value[3];
    if (props && typeof props === "object" && !Array.isArray(props)) {
      let shown = 0;
      for (const name of ["id", "className", "href", "src", "name", "lang"]) {
        if (typeof props[name] === "string" && shown < 3) {
          head.append(el("span", "attr", " " + name + "="), el("span", "str", JSON.stringify(cut(props[name], 40))));
          shown += 1;
        }
      }
    }
    head.append(">");
    return head;
  }

  function summary(value, ctx) {
    if (isElement(value, ctx)) return elementHead(value, ctx);
    if (Array.isArray(value)) return el("span", "sum", "Array(" + value.length + ")");
    return el("span", "sum", "{" + Object.keys(value).length + " keys}");
  }

  function entriesOf(value, ctx) {
    if (isElement(value, ctx)) {
      const out = [];
      const props = value[3];
      if (props && typeof props === "object" && !Array.isArray(props)) {
        for (const name of Object.keys(props)) out.push([name, props[name]]);
      } else {
        out.push(["props", props]);
      }
      for (let i = 4; i < value.length; i++) out.push(["[" + i + "]", value[i]]);
      return out;
    }
    if (Array.isArray(value)) return value.map((item, i) => [i, item]);
    return Object.keys(value).map((name) => [name, value[name]]);
  }

  // A collapsible node: `fill(kids)` builds its children the first time it opens.
  function collapsible(headParts, fill, cls) {
    const box = el("div", "node " + (cls || ""));
    const line = el("div", "line");
    line.tabIndex = -1;
    const toggle = el("button", "tog", "▸");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-label", "expand");
    line.append(toggle, ...headParts);
    const kids = el("div", "kids");
    kids.hidden = true;
    box.append(line, kids);
    box._fill = fill;
    line.addEventListener("click", (event) => {
      if (event.target.closest("a, button.more")) return;
      setOpen(box, kids.hidden);
    });
    return box;
  }

  function setOpen(box, open) {
    const kids = box.lastChild;
    const toggle = box.firstChild.firstChild;
    if (open && box._fill) {
      const fill = box._fill;
      box._fill = null;
      fill(kids);
    }
    kids.hidden = !open;
    toggle.textContent = open ? "▾" : "▸";
    toggle.setAttribute("aria-expanded", String(open));
    toggle.setAttribute("aria-label", open ? "collapse" : "expand");
  }

  function fillEntries(kids, entries, ctx) {
    let next = 0;
    const more = el("button", "more");
    more.type = "button";
    function page() {
      const end = Math.min(next + CHILD_PAGE, entries.length);
      const frag = document.createDocumentFragment();
      for (; next < end; next++) frag.append(entryView(entries[next][0], entries[next][1], ctx));
      more.before(frag);
      more.textContent = "show " + Math.min(CHILD_PAGE, entries.length - next) + " more (" + (entries.length - next) + " left)";
      more.hidden = next >= entries.length;
    }
    more.addEventListener("click", page);
    kids.append(more);
    page();
  }

  function entryView(label, value, ctx) {
    const key = el("span", "key", String(label) + ": ");
    if (!isContainer(value)) {
      const line = el("div", "leaf");
      line.dataset.key = String(label);
      line.append(key, scalarView(value, ctx));
      return line;
    }
    const node = collapsible([key, summary(value, ctx)], (kids) => fillEntries(kids, entriesOf(value, ctx), ctx));
    node.dataset.key = String(label);
    if (isElement(value, ctx)) node.dataset.element = "1";
    return node;
  }

  // -- the tree's rows ----------------------------------------------------------------------

  function rowBadges(i) {
    const row = rows[i];
    const id = row[0];
    const out = [];
    if (id === "0") out.push(badge("root", "root"));
    if (id !== null && shared.has(id)) out.push(badge("shared ×" + refs[id], "shared", "referenced " + refs[id] + " times"));
    if (id !== null && cycles.has(id)) out.push(badge("cycle", "cycle", "can reach itself through references"));
    if (id !== null && model.status[id]) out.push(badge(model.status[id], "status", "chunk status after decoding"));
    if (bad[i] !== undefined) out.push(badge("bad JSON", "error", bad[i]));
    if (diagnosed.has(i)) out.push(badge("diagnostic", "error", diagnosed.get(i).map((d) => d[0]).join("\n")));
    return out;
  }

  function rowHeadline(i) {
    const row = rows[i];
    const value = values[i];
    const ctx = { refs: MODEL_KINDS.has(row[2]) };
    if (row[2] === "import" && row[0] !== null && clients[row[0]]) {
      const client = clients[row[0]];
      return el("span", "sum", cut("client module " + client[0] + ", export " + (client[1] || "default"), 120));
    }
    if (value !== undefined && isContainer(value)) return summary(value, ctx);
    if (value !== undefined && ctx.refs) return scalarView(typeof value === "string" ? cut(value, 100) : value, ctx);
    return el("span", "preview", cut(preview(i), 100));
  }

  function fillRow(kids, i) {
    const row = rows[i];
    const ctx = { refs: MODEL_KINDS.has(row[2]) };
    const info = el("div", "info");
    info.append(row[2] + " row, tag " + JSON.stringify(row[1]) + ", " + bytes(row[4]) + " at offset " + row[3]);
    kids.append(info);
    for (const d of diagnosed.get(i) || []) kids.append(el("div", "problem", d[3] + ": " + d[0]));
    if (bad[i] !== undefined) kids.append(el("div", "problem", bad[i]));
    const id = row[0];
    if (id !== null && model.from[id]) {
      const from = el("div", "info", "referenced from: ");
      model.from[id].forEach((source, n) => {
        if (n) from.append(", ");
        from.append(source === "" ? "an id-less row" : rowLink(source, "row " + source));
      });
      kids.append(from);
    }
    const value = values[i];
    if (value === undefined) {
      if (row[2] === "binary" || row[2] === "unknown") {
        kids.append(el("div", "leaf", bytes(row[4]) + " on the wire: " + preview(i)));
      } else if (bad[i] === undefined) {
        kids.append(el("div", "leaf", "empty payload" + (row[2] === "model" ? " (a halted chunk)" : "")));
      }
      return;
    }
    if (typeof value === "string" && !ctx.refs) {
      kids.append(stringView(value, TEXT_CUT, true));
      return;
    }
    if (!isContainer(value)) {
      kids.append(entryView("value", value, ctx));
      return;
    }
    fillEntries(kids, entriesOf(value, ctx), ctx);
  }

  function rowNode(i) {
    const row = rows[i];
    const id = row[0];
    const head = [el("span", "rowid", id === null ? "row (no id)" : "row " + id), badge(row[1] || "·", "tag", "tag")];
    head.push(...rowBadges(i), rowHeadline(i));
    const node = collapsible(head, (kids) => fillRow(kids, i), "row");
    node.id = id !== null && firstIndex.get(id) === i ? "row-" + id : "rowi-" + i;
    node.dataset.index = String(i);
    if (isElement(values[i], { refs: MODEL_KINDS.has(row[2]) })) node.dataset.element = "1";
    if (diagnosed.has(i) || bad[i] !== undefined) node.classList.add("flagged");
    return node;
  }

  const treeOrder = [];
  if (firstIndex.has("0")) treeOrder.push(firstIndex.get("0"));
  rows.forEach((_, i) => { if (i !== treeOrder[0]) treeOrder.push(i); });
  const position = new Int32Array(rows.length);
  treeOrder.forEach((index, pos) => { position[index] = pos; });
  const groups = [];

  function buildTree() {
    const body = document.getElementById("tree-body");
    if (!rows.length) {
      body.append(el("p", "hint empty", "No rows: the input held no flight rows."));
      return;
    }
    if (treeOrder.length <= 2 * GROUP) {
      const frag = document.createDocumentFragment();
      for (const i of treeOrder) frag.append(rowNode(i));
      body.append(frag);
      return;
    }
    for (let start = 0; start < treeOrder.length; start += GROUP) {
      const end = Math.min(start + GROUP, treeOrder.length);
      const label = el("span", "sum", "rows " + (start + 1) + "–" + end + " of " + treeOrder.length);
      const group = collapsible([label], (kids) => {
        const frag = document.createDocumentFragment();
        for (let p = start; p < end; p++) frag.append(rowNode(treeOrder[p]));
        kids.append(frag);
      }, "group");
      groups.push(group);
      body.append(group);
    }
    setOpen(groups[0], true);
  }

  // -- following references ---------------------------------------------------------------

  let lit = null;
  const toast = el("div", "toast");
  toast.setAttribute("role", "status");

  function say(text) {
    toast.textContent = text;
    toast.hidden = false;
    clearTimeout(say.timer);
    say.timer = setTimeout(() => { toast.hidden = true; }, 4000);
  }

  function reveal(id, path) {
    const index = firstIndex.get(id);
    if (index === undefined) {
      say("row " + id + " never arrived: the payload has no row with this id");
      return false;
    }
    if (groups.length) setOpen(groups[Math.floor(position[index] / GROUP)], true);
    let node = document.getElementById("row-" + id);
    if (!node) return false;
    setOpen(node, true);
    for (const segment of path || []) {
      const kids = node.lastChild;
      let next = null;
      for (const child of kids.children) {
        if (child.dataset && child.dataset.key === segment) { next = child; break; }
      }
      if (!next && segment === "props" && node.dataset.element) continue;
      if (!next) break;
      node = next;
      if (node.classList.contains("node")) setOpen(node, true);
    }
    if (lit) lit.classList.remove("hit");
    lit = node;
    node.classList.add("hit");
    // The head line, not the node: an open node can be taller than the window.  Its
    // scroll-margin-top (the sticky header's height, see fitHeader) keeps it in sight.
    (node.classList.contains("node") ? node.firstChild : node).scrollIntoView({ block: "start" });
    (node.firstChild.tabIndex === -1 ? node.firstChild : node).focus({ preventScroll: true });
    return true;
  }

  function revealHash() {
    const match = /^#row-([0-9a-f]{1,16})$/.exec(location.hash);
    if (match) reveal(match[1], []);
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.ref");
    if (!link) return;
    event.preventDefault();
    const id = link.dataset.row;
    const path = link.dataset.path ? link.dataset.path.split(":") : [];
    if (reveal(id, path) && location.hash !== "#row-" + id) history.pushState(null, "", "#row-" + id);
  });
  window.addEventListener("popstate", revealHash);
  window.addEventListener("hashchange", revealHash);

  // -- the rows table ---------------------------------------------------------------------

  let filtered = [];
  let shownRows = 0;
  const tbody = document.querySelector("#rows-table tbody");
  const moreRows = el("button", "more", "");
  moreRows.type = "button";
  moreRows.id = "rows-more-button";
  const counter = el("span", "counter");

  function tableRow(i) {
    const row = rows[i];
    const tr = el("tr");
    tr.dataset.tag = row[1];
    tr.dataset.index = String(i);
    const idCell = el("td", "id");
    if (row[0] === null) idCell.textContent = "—";
    else idCell.append(rowLink(row[0]));
    if (row[0] !== null && shared.has(row[0])) idCell.append(badge("×" + refs[row[0]], "shared"));
    if (row[0] !== null && cycles.has(row[0])) idCell.append(badge("cycle", "cycle"));
    tr.append(idCell, el("td", "tag", row[1] || "·"), el("td", "", row[2]),
      el("td", "num", row[3]), el("td", "num", row[4]), el("td", "preview", preview(i)));
    if (diagnosed.has(i) || bad[i] !== undefined) {
      tr.classList.add("flagged");
      tr.title = (diagnosed.get(i) || []).map((d) => d[0]).concat(bad[i] === undefined ? [] : [bad[i]]).join("\n");
    }
    return tr;
  }

  function showMoreRows() {
    const end = Math.min(shownRows + TABLE_PAGE, filtered.length);
    const frag = document.createDocumentFragment();
    for (; shownRows < end; shownRows++) frag.append(tableRow(filtered[shownRows]));
    tbody.append(frag);
    const left = filtered.length - shownRows;
    moreRows.hidden = left === 0;
    moreRows.textContent = "show " + Math.min(TABLE_PAGE, left) + " more rows (" + left + " left)";
    counter.textContent = "showing " + shownRows + " of " + filtered.length + " rows";
  }

  function filterRows(tag) {
    filtered = [];
    rows.forEach((row, i) => { if (tag === null || row[1] === tag) filtered.push(i); });
    shownRows = 0;
    tbody.textContent = "";
    showMoreRows();
  }

  function buildTable() {
    const tools = document.getElementById("rows-tools");
    const label = el("label", "", "tag ");
    const select = el("select");
    select.id = "tag-filter";
    const tags = new Map();
    for (const row of rows) tags.set(row[1], (tags.get(row[1]) || 0) + 1);
    const all = el("option", "", "all (" + rows.length + ")");
    all.value = "*";
    select.append(all);
    for (const [tag, n] of [...tags].sort((a, b) => b[1] - a[1])) {
      const option = el("option", "", (tag === "" ? "untagged" : tag) + " (" + n + ")");
      option.value = "=" + tag;
      select.append(option);
    }
    select.addEventListener("change", () => filterRows(select.value === "*" ? null : select.value.slice(1)));
    label.append(select);
    tools.append(label, " ", counter);
    moreRows.addEventListener("click", showMoreRows);
    document.getElementById("rows-more").append(moreRows);
    filterRows(null);
    if (!rows.length) document.getElementById("rows-more").append(el("p", "hint empty", "No rows: the input held no flight rows."));
  }

  document.body.append(toast);
  toast.hidden = true;
  buildSummary();
  buildProblems();
  buildTable();
  buildTree();
  buildPage();
  buildStats();
  fitHeader();
  window.addEventListener("resize", fitHeader);
  document.body.dataset.ready = "1";
  revealHash();
