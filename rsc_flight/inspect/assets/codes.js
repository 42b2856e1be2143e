// The `$`-code table of rsc_flight.model._codes, read generically.  Part of the report's
// script: report.py joins codes.js, panes.js and report.js, in that order, into one script
// inside one function scope; this part declares functions only.
//
// The table (model.codes, from to_json()) is the only place that says what a code is; this
// reader knows how tables are written, not which codes exist.  A table entry is
// {code, kind, meaning, char, path, rules}.  A code that ends with the slot "<hex id>" is
// the default for strings that start with what precedes the slot; any other code is
// literal: a string is that code exactly, or starts with the code's first character
// followed by its `char` (the first such entry wins).

  // A row id as the model writes it (lowercase hex, no leading zeros), or null.
  function hexId(text) {
    if (!/^[0-9a-f]{1,16}$/.test(text)) return null;
    return text.replace(/^0+(?=.)/, "");
  }

  function readCodeTable(entries, slot) {
    const table = { exact: new Map(), byChar: new Map(), slots: new Map(), element: null };
    for (const entry of entries) {
      if (entry.code.endsWith(slot)) {
        const lead = entry.code.slice(0, -slot.length);
        if (!table.slots.has(lead)) table.slots.set(lead, entry);
        continue;
      }
      if (!table.exact.has(entry.code)) table.exact.set(entry.code, entry);
      const key = entry.code[0] + entry.char;
      if (entry.char && !table.byChar.has(key)) table.byChar.set(key, entry);
      if (entry.kind === "element" && table.element === null) table.element = entry.code;
    }
    return table;
  }

  // The reader of the model's tables: `classify(text, {rules, tagFirst})` says what a
  // string of a model row is, {code, kind, id, path, rest, meaning}, as
  // rsc_flight.model._codes.classify does (id: the row it names, as hex text, or null);
  // `element` is the element marker of the payload's dialect.  `bareKinds` are the codes
  // that read differently with nothing after them, as the model computed them.
  function codeReader(codes, bareKinds, defaultRules, defaultTagFirst) {
    const slot = "<hex id>";
    const idKinds = new Set(["reference", "built", "lazy", "promise"]);
    const tables = { idFirst: readCodeTable(codes.codes, slot), tagFirst: readCodeTable(codes.tagFirst, slot) };
    const plain = Object.freeze({ code: null, kind: null, id: null, path: [], rest: "", meaning: "" });

    function classify(text, options) {
      const rules = options && options.rules ? options.rules : defaultRules;
      const tagFirst = options && options.tagFirst !== undefined ? options.tagFirst : defaultTagFirst;
      const table = tagFirst ? tables.tagFirst : tables.idFirst;
      if (!text) return plain;
      const entry = table.exact.get(text) || table.byChar.get(text.slice(0, 2)) || table.slots.get(text[0]);
      if (!entry) return plain;
      const slotted = entry.code.endsWith(slot);
      const rest = text.slice(entry.code.length - (slotted ? slot.length : 0));
      const found = { code: entry.code, kind: entry.kind, id: null, path: [], rest: rest, meaning: entry.meaning };
      if (entry.rules !== "both" && entry.rules !== rules) {
        found.kind = "value"; // a code this React client reads as a plain value
        return found;
      }
      if (!idKinds.has(entry.kind)) return found;
      if (rest === "" && bareKinds[entry.code]) found.kind = bareKinds[entry.code];
      const parts = entry.path ? rest.split(":") : [rest];
      found.id = hexId(parts[0]);
      found.path = parts.slice(1);
      return found;
    }

    return { classify: classify, plain: plain, element: (defaultTagFirst ? tables.tagFirst : tables.idFirst).element };
  }
