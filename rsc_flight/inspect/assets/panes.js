// The report's panes besides the rows table and the tree: problems, summary and dialect,
// rendered page, article, statistics (part of report.js: the report joins codes.js,
// panes.js and report.js into one script, in that order, inside one function scope; this
// part declares functions only, which use report.js's constants when they run).

  function buildProblems() {
    const box = document.getElementById("diagnostics");
    const list = el("ul");
    for (const d of model.diagnostics) {
      const item = el("li", d[3], d[3] + ": " + d[0]);
      if (d[1] !== null) item.append(" (offset " + d[1] + ")");
      if (d[2] !== null) item.append(" ", rowLink(d[2], "row " + d[2]));
      list.append(item);
    }
    for (const index of Object.keys(bad)) {
      const row = rows[index];
      const item = el("li", "error", "row " + (row[0] === null ? "(no id)" : row[0]) + ": " + bad[index]);
      if (row[0] !== null) item.append(" ", rowLink(row[0], "show"));
      list.append(item);
    }
    for (const id of model.pending) {
      const item = el("li", "pending", "row " + id + " never arrived (a pending reference, " + refs[id] + "×), referenced from ");
      (model.from[id] || []).forEach((source, n) => {
        if (n) item.append(", ");
        item.append(source === "" ? "an id-less row" : rowLink(source, "row " + source));
      });
      list.append(item);
    }
    if (list.children.length) box.append(list);
    else box.append(el("p", "hint empty", "No diagnostics: every row was read and every JSON row parsed, and every reference names a row that arrived."));
  }

  function buildSummary() {
    const parts = [rows.length + " rows", bytes(model.bytes), "dialect " + model.dialect];
    if (model.diagnostics.length) parts.push(model.diagnostics.length + " diagnostics");
    if (model.pending.length) parts.push(model.pending.length + " missing rows");
    parts.push(model.shared.length + " shared rows", model.cycles.length + " rows in cycles");
    document.getElementById("summary").textContent = parts.join(" · ");
    const toc = document.getElementById("toc");
    for (const [target, text] of [["about", "Dialect"], ["problems", "Diagnostics"], ["rows", "Rows"], ["tree", "Tree"], ["page-and-article", "Page and article"], ["stats", "Size"]]) {
      const a = el("a", "", text);
      a.href = "#" + target;
      toc.append(a, " ");
    }
    const about = document.getElementById("dialect");
    about.append(el("strong", "", "Dialect " + model.dialect + ": "), model.dialectNote, " " + model.guess);
    document.getElementById("rules").textContent = model.rulesNote;
  }

  function buildPage() {
    const note = document.getElementById("page-note");
    const page = model.page;
    const frame = document.getElementById("page-frame");
    if (page.error) {
      note.textContent = "Nothing to show: rendering failed with " + page.error;
      frame.hidden = true;
    } else if (page.chars === 0) {
      note.textContent = "Nothing to show: the payload renders to no HTML (its root holds no element or text).";
      frame.hidden = true;
    } else if (page.kind === "next") {
      note.textContent = "The Next.js page, " + page.chars + " characters, in a sandboxed frame (no scripts, no network).";
    } else {
      note.textContent = "No Next.js page tree in this payload (its root holds no segment seed data), so this is its root rendered as HTML, " + page.chars + " characters, in a sandboxed frame.";
    }
    buildArticle();
  }

  function provenanceView(found) {
    const box = el("span", "prov");
    if (!found) {
      box.append(el("span", "hint", "—"));
      return box;
    }
    box.append(el("span", "rule", found.rule), " · " + found.source);
    if (found.detail) box.append(" · " + found.detail);
    if (found.row !== undefined) box.append(" · ", rowLink(found.row, "row " + found.row));
    if (found.replaced) box.append(" (over " + found.replaced.join(", ") + ")");
    return box;
  }

  // A field's value: text; a list of texts joined; anything else a tree that opens.
  function articleValue(value) {
    if (!isContainer(value)) return String(value);
    if (Array.isArray(value) && value.every((item) => !isContainer(item))) return value.join(", ");
    const ctx = { refs: false };
    const node = collapsible([summary(value, ctx)], (kids) => fillEntries(kids, entriesOf(value, ctx), ctx));
    node.classList.add("value");
    return node;
  }

  function buildArticle() {
    const box = document.getElementById("article-meta");
    const frame = document.getElementById("article-frame");
    const article = model.article;
    if (!article) {
      box.append(el("p", "hint empty", "No article: extraction failed with " + model.articleError));
      frame.hidden = true;
      return;
    }
    box.append(el("h4", "", article.title || "(untitled)"));
    const status = el("p", "status");
    status.append(badge(article.status, "status " + article.status), " " + article.statusNote);
    box.append(status);
    if (article.warnings.length) {
      const list = el("ul", "warnings");
      for (const warning of article.warnings) list.append(el("li", "warn", warning));
      box.append(list);
    } else {
      box.append(el("p", "hint", "No warnings."));
    }
    if (article.fields.length) {
      const fields = table(["field", "value", "provenance"], article.fields.map(([name, value, found]) => [
        el("span", "field", name),
        articleValue(value),
        provenanceView(found),
      ]));
      fields.id = "article-fields";
      box.append(fields);
    } else {
      box.append(el("p", "hint empty", "No field was found: no rule recognised anything in this payload."));
    }
    if (!article.fields.some((entry) => entry[0] === "body")) {
      box.append(el("p", "hint empty", "No article body, so no frame: " + article.statusNote));
      frame.hidden = true;
    }
  }

  function table(headers, body) {
    const t = el("table");
    const head = el("tr");
    for (const h of headers) head.append(el("th", "", h));
    t.append(el("thead"), el("tbody"));
    t.firstChild.append(head);
    for (const cells of body) {
      const tr = el("tr");
      for (const cell of cells) {
        const td = el("td");
        td.append(cell);
        tr.append(td);
      }
      t.lastChild.append(tr);
    }
    return t;
  }

  function buildStats() {
    const box = document.getElementById("stats-body");
    if (!rows.length) {
      box.append(el("p", "hint empty", "No rows, so no sizes to show."));
      return;
    }
    const total = Math.max(model.bytes, 1);
    box.append(el("h3", "", "Bytes by row kind"));
    box.append(table(["kind", "rows", "bytes", "share"], model.stats.kinds.map(([kind, n, size]) => {
      const bar = el("span", "bar");
      const fill = el("span", "fill");
      fill.style.width = (100 * size / total).toFixed(1) + "%";
      bar.append(fill);
      const share = el("span");
      share.append(bar, " " + (100 * size / total).toFixed(1) + "%");
      return [kind, String(n), bytes(size), share];
    })));
    box.append(el("h3", "", "Largest rows"));
    box.append(table(["row", "tag", "kind", "size", "preview"], model.stats.largest.map((i) => {
      const row = rows[i];
      return [row[0] === null ? "—" : rowLink(row[0]), row[1] || "·", row[2], bytes(row[4]), el("span", "preview", cut(preview(i), 80))];
    })));
  }

  // Jump targets get the sticky header's height as scroll margin (in report.css), so a row
  // that is jumped to is not hidden under the header, however tall the title makes it.
  function fitHeader() {
    const height = document.querySelector("body > header").getBoundingClientRect().height;
    document.documentElement.style.setProperty("--header", Math.ceil(height) + "px");
  }

