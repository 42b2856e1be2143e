"""``inspect_report``: one self-contained HTML file to look inside a payload.

The report is for a person debugging a payload in a browser, offline: a rows table, the
rows' JSON as a collapsible tree with references as links, the rendered page and the
extracted article side by side, and size statistics.

How it stays safe and fast, whatever the payload holds:

* Everything taken from the payload travels in ONE ``<script type="application/json">``
  block, with ``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\u`` escapes, so no text
  in it can close the block.  The page's script builds the DOM with ``textContent`` and
  ``createElement`` only.  The rendered page and the article body sit in ``srcdoc``
  attributes of ``sandbox=""`` frames (no scripts, no same-origin).
* A Content-Security-Policy allows only the report's own script (by hash), inline styles
  and ``data:`` images: no request leaves the file, and frames inherit the policy.
* The browser does the expensive part lazily: tree nodes render their children when first
  opened and the rows table renders a page at a time.  Python does the whole-payload work
  the page cannot do cheaply (reference counts, cycles, pending ids, statistics).
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import html
import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from typing import Any

import orjson

from ..extract.extractor import extract_article
from ..model.payload import Payload, parse
from ..nextjs import next_seed_data, render_document
from ..wire.dialect import Dialect
from ..wire.rows import BinaryRow, ImportRow, Row, TextRow, UnknownRow, row_json

__all__ = ["inspect_report"]

#: Row kinds whose JSON is a model: their ``$``-strings are references (``I`` rows too,
#: whose chunk lists hold import-string references from React 19.3 on).
_MODEL_KINDS = frozenset({"model", "debug", "close", "postpone", "stream", "import"})
#: Deeper values are not embedded: the page could show them, but Python's and the browser's
#: JSON (de)serialisers recurse, and such nesting is a sign of a hostile payload anyway.
_MAX_DEPTH = 400
#: Chunk states worth a badge (``resolved_model`` only means nothing read the chunk yet).
_SHOWN_STATUSES = frozenset({"pending", "blocked", "rejected", "halted"})
#: How many rows "referenced from" keeps per target: enough to navigate, bounded in size.
_MAX_SOURCES = 20
#: Codes of ``$``-strings that are values, not references (``$undefined``, ``$NaN``...).
_VALUE_CODES = frozenset("$SIN-uDnTEYPwH")
#: Codes followed by a row id with no path.
_PLAIN_REF_CODES = frozenset("L@")
#: Codes followed by a row id and maybe a ``:``-path.
_PATH_REF_CODES = frozenset("QWKBihFZ")

_ASSETS = resources.files(__package__) / "assets"
_SCRIPT = (_ASSETS / "report.js").read_text(encoding="utf-8")
_STYLE = (_ASSETS / "report.css").read_text(encoding="utf-8")
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode()
#: What the report may load: its own script and styles, ``data:`` images; nothing else.
#: The sandboxed frames inherit it, so the rendered page cannot fetch its images either.
_POLICY = (
    f"default-src 'none'; script-src 'sha256-{_SCRIPT_HASH}'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
)
_FRAME_POLICY = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "style-src 'unsafe-inline'; img-src data:; font-src data:\">"
)

_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def _hex_id(text: str) -> int | None:
    """A row id as React writes it (lowercase hex), or ``None``."""
    if 0 < len(text) <= 16 and text.isalnum() and (text.isdigit() or text.islower()):
        try:
            return int(text, 16)
        except ValueError:
            return None
    return None


def reference_target(text: str, *, tag_first: bool = False) -> int | None:
    """The row a ``$``-string points at, or ``None`` when the string is a value.

    Mirrors the resolver's reading of strings (``_resolver.py``), but only to find links:
    ``$L1f``, ``$@1f``, ``$1f``, ``$1f:a:b``, ``$Q1f``... point at row ``0x1f``; ``$$x`` is a
    literal; ``$undefined``, ``$NaN``, ``$D...``, ``$n...``, ``$S...`` are values.  In the
    2022 tag-first dialect ``@1f`` is the reference and ``$@`` escapes it.  The page's
    script has the same rules (``classify`` in ``_inspect.js``).
    """
    if len(text) < 2:
        return None
    head = text[0]
    if tag_first:
        if head == "@":
            return _hex_id(text[1:])
        if head != "$" or text[1] in "$@":
            return None
        return _hex_id(text[1:].split(":", 1)[0])
    if head != "$":
        return None
    code = text[1]
    if code in _VALUE_CODES:
        return None
    if code in _PLAIN_REF_CODES:
        return _hex_id(text[2:])
    if code in _PATH_REF_CODES:
        return _hex_id(text[2:].split(":", 1)[0])
    return _hex_id(text[1:].split(":", 1)[0])


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"number out of range: {text[:40]}")
    return number


#: The stdlib reader, for what orjson refuses but is JSON (lone surrogate escapes, integers
#: past 64 bits); it too must refuse NaN and overflowing numbers, which it would accept and
#: then write into a model the browser's ``JSON.parse`` cannot read.
_STDLIB_JSON = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite)


def _loads(text: str) -> Any:
    """Strict JSON, as the browser's ``JSON.parse`` reads it."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return _STDLIB_JSON.decode(text)


def _dollar_strings(value: Any, prefixes: str, found: list[str], depth: int = 0) -> None:
    """Append to ``found`` the string values (not keys) of a JSON value that start with one
    of ``prefixes``.  Recursive for speed; the depth is bounded well below Python's limit."""
    if depth >= _MAX_DEPTH:
        raise ValueError(f"nested more than {_MAX_DEPTH} levels deep")
    for item in value.values() if type(value) is dict else value:
        kind = type(item)
        if kind is str:
            if item and item[0] in prefixes:
                found.append(item)
        elif kind is list or kind is dict:
            _dollar_strings(item, prefixes, found, depth + 1)


def _check_depth(value: Any, depth: int = 0) -> None:
    """Raise when a JSON value nests deeper than the report embeds."""
    if depth >= _MAX_DEPTH:
        raise ValueError(f"nested more than {_MAX_DEPTH} levels deep")
    for item in value.values() if type(value) is dict else value:
        if type(item) is list or type(item) is dict:
            _check_depth(item, depth + 1)


def _client(value: Any) -> list[Any] | None:
    """``[module id, export name, chunk count, async]`` of an ``I`` row's JSON."""
    if isinstance(value, list) and len(value) >= 3:
        chunks = value[1] if isinstance(value[1], list) else []
        return [value[0], str(value[2]), len(chunks), len(value) > 3 and bool(value[3])]
    if isinstance(value, dict) and "id" in value:
        listed = value.get("chunks")
        return [
            value["id"],
            str(value.get("name", "")),
            len(listed) if isinstance(listed, list) else 0,
            bool(value.get("async", False)),
        ]
    return None


def _cycles(edges: dict[int, set[int]]) -> set[int]:
    """Rows that can reach themselves: members of a strongly connected component of more
    than one row, or with an edge to themselves (Tarjan's algorithm, without recursion)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    found: set[int] = set()
    for start in edges:
        if start in index:
            continue
        work: list[tuple[int, Iterator[int]]] = [(start, iter(edges.get(start, ())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            advanced = False
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(edges.get(target, ()))))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    found.update(component)
    return found


def _row_fields(row: Row) -> list[Any]:
    """The rows-table entry: ``rsc-flight rows``' object as a compact array."""
    fields = row_json(row)
    return [
        fields["id"],
        fields["tag"],
        fields["kind"],
        fields["offset"],
        fields["length"],
        fields["preview"],
    ]


def _row_value(row: Row, kind: str) -> tuple[bool, Any, str | None]:
    """``(has value, value, error)`` of a row for the tree."""
    if isinstance(row, (BinaryRow, UnknownRow)):
        return False, None, None
    text: str = getattr(row, "payload", "")
    if isinstance(row, TextRow) or kind == "provider":
        return True, text, None
    if not text:
        return False, None, None  # an empty model row is a halted chunk; stream rows are empty
    try:
        return True, _loads(text), None
    except (ValueError, RecursionError) as exc:
        return False, None, f"not JSON: {exc}"[:300]


def _render(payload: Payload) -> tuple[str, str | None, str | None]:
    """The rendered page, how it was rendered (``next`` or ``root``) and any failure.

    Unsanitised on purpose (the report shows the page as it is), which is why it is only
    ever shown in a sandboxed frame.  A failure must not cost the rest of the report.
    """
    try:
        kind = "next" if next_seed_data(payload.root) is not None else "root"
        return render_document(payload, sanitize=False), kind, None
    except Exception as exc:
        return "", None, f"{type(exc).__name__}: {exc}"[:500]


def _article(payload: Payload) -> tuple[dict[str, Any] | None, str | None]:
    """The article as a dict, or why there is none (a payload that is no page has none;
    a rule that fails must not cost the rest of the report either)."""
    try:
        return extract_article(payload).to_dict(), None
    except Exception as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]


def build_model(payload: Payload, *, title: str) -> tuple[dict[str, Any], str]:
    """The data the report's page shows, as JSON-ready values, and the rendered page.

    Keys are short because a large payload has tens of thousands of rows: ``rows`` are
    ``[id hex, tag, kind, offset, length, preview]`` (preview ``None`` when the page can
    make it from the value); ``values`` maps a row's index to its parsed JSON (or text);
    ``refs`` counts the references to the shared and pending ids (the only counts the page
    shows); ``shared`` are the ids referenced more than once, ``pending`` those no row has,
    ``cycles`` those that reach themselves; ``from`` lists, per target, up to 20 rows that
    refer to it; ``clients`` holds the ``I`` rows' ``[module, export, chunks, async]``.
    """
    tag_first = payload.dialect is Dialect.F0
    prefixes = "$@" if tag_first else "$"
    rows: list[list[Any]] = []
    values: dict[str, Any] = {}
    bad: dict[str, str] = {}
    clients: dict[str, list[Any]] = {}
    present: dict[int, int] = {}
    counts: Counter[int] = Counter()
    edges: dict[int, set[int]] = {}
    sources: dict[int, list[str]] = {}
    kinds: dict[str, list[int]] = {}
    for index, row in enumerate(payload.rows):
        fields = _row_fields(row)
        kind: str = fields[2]
        rows.append(fields)
        tally = kinds.setdefault(kind, [0, 0])
        tally[0] += 1
        tally[1] += row.size
        if row.id is not None:
            present.setdefault(row.id, index)
        has_value, value, error = _row_value(row, kind)
        if error is not None:
            bad[str(index)] = error
        if not has_value:
            continue
        if kind in _MODEL_KINDS:
            candidates: list[str] = []
            try:
                if isinstance(value, (list, dict)):
                    _dollar_strings(value, prefixes, candidates)
                elif isinstance(value, str) and value[:1] in prefixes:
                    candidates.append(value)
            except ValueError as exc:
                bad[str(index)] = str(exc)
                continue
            targets = [
                target
                for text in candidates
                if (target := reference_target(text, tag_first=tag_first)) is not None
            ]
            counts.update(targets)
            if row.id is not None:
                edges.setdefault(row.id, set()).update(targets)
            source = "" if row.id is None else format(row.id, "x")
            for target in targets:
                listed = sources.setdefault(target, [])
                if len(listed) < _MAX_SOURCES and source not in listed:
                    listed.append(source)
            fields[5] = None  # the page makes the preview from the value
        elif isinstance(value, (list, dict)):
            try:
                _check_depth(value)
            except ValueError as exc:
                bad[str(index)] = str(exc)
                continue
        elif isinstance(row, TextRow):
            fields[5] = None
        if isinstance(row, ImportRow) and row.id is not None:
            client = _client(value)
            if client is not None:
                clients[format(row.id, "x")] = client
        values[str(index)] = value

    status: dict[str, str] = {}
    for row_id in present:
        chunk = payload.chunk(row_id)
        if chunk is not None and chunk.status in _SHOWN_STATUSES:
            status[format(row_id, "x")] = chunk.status

    diagnostics = []
    by_offset = {row.offset: index for index, row in enumerate(payload.rows)}
    for problem in payload.diagnostics:
        if problem.row_id is not None and problem.row_id in present:
            where: int | None = present[problem.row_id]
        else:
            where = by_offset.get(problem.offset) if problem.offset is not None else None
        diagnostics.append(
            [
                problem.reason,
                problem.offset,
                None if problem.row_id is None else format(problem.row_id, "x"),
                problem.severity,
                where,
            ]
        )

    page, page_kind, page_error = _render(payload)
    article, article_error = _article(payload)
    largest = heapq.nlargest(10, range(len(payload.rows)), key=lambda i: payload.rows[i].size)
    hexed = {row_id: format(row_id, "x") for row_id in counts}
    return {
        "title": title,
        "dialect": payload.dialect.value,
        "tagFirst": tag_first,
        "bytes": max((row.end for row in payload.rows), default=0),
        "rows": rows,
        "values": values,
        "bad": bad,
        "clients": clients,
        "refs": {hexed[r]: n for r, n in counts.items() if n > 1 or r not in present},
        "from": {format(row_id, "x"): listed for row_id, listed in sources.items()},
        "shared": sorted((hexed[r] for r, n in counts.items() if n > 1), key=lambda h: int(h, 16)),
        "pending": sorted((hexed[r] for r in counts if r not in present), key=lambda h: int(h, 16)),
        "cycles": [format(r, "x") for r in sorted(_cycles(edges))],
        "status": status,
        "diagnostics": diagnostics,
        "stats": {
            "kinds": sorted(([k, n, size] for k, (n, size) in kinds.items()), key=lambda e: -e[2]),
            "largest": largest,
        },
        "page": {"kind": page_kind, "chars": len(page), "error": page_error},
        "article": article,
        "articleError": article_error,
    }, page


def _json_block(model: dict[str, Any]) -> str:
    """The model as JSON that is safe inside ``<script>``: nothing in it can end the block,
    and lone surrogates (which JSON allows and UTF-8 does not) are escaped."""
    try:
        text = orjson.dumps(model).decode("utf-8")
    except TypeError:  # an integer past 64 bits, or a lone surrogate: the stdlib writes them
        text = json.dumps(model, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in _JSON_ESCAPES:
        text = text.replace(char, escape)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _attribute(text: str) -> str:
    """Text for a double-quoted attribute; lone surrogates become U+FFFD."""
    return html.escape(_SURROGATE.sub("\ufffd", text), quote=True)


def _framed(document: str) -> str:
    """A document for a ``srcdoc`` frame, with its own no-network policy first (the frame
    also inherits the report's; this one holds if the file is opened some other way)."""
    doctype = re.match(r"\s*<!doctype[^>]*>", document, re.IGNORECASE)
    if doctype is None:  # React writes none; the page would be in standards mode as served
        return "<!DOCTYPE html>" + _FRAME_POLICY + document
    return doctype.group() + _FRAME_POLICY + document[doctype.end() :]


def _article_document(article: dict[str, Any] | None) -> str:
    body = "" if article is None else str(article.get("body_html") or "")
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{font:15px/1.5 '
        "system-ui,sans-serif;margin:1em;max-width:48em}img{max-width:100%}</style></head>"
        f"<body>{body}</body></html>"
    )


_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header><h1>{title}</h1><p id="summary"></p><nav id="toc"></nav></header>
<noscript><p class="warn">The tree and the tables need JavaScript; the rendered page and
the article below work without it.</p></noscript>
<section id="problems" hidden><h2>Diagnostics and pending references</h2>
<div id="diagnostics"></div></section>
<section id="rows"><h2>Rows</h2><div id="rows-tools"></div>
<table id="rows-table"><thead><tr><th>id</th><th>tag</th><th>kind</th><th>offset</th>
<th>size</th><th>preview</th></tr></thead><tbody></tbody></table>
<div id="rows-more"></div></section>
<section id="tree"><h2>Tree</h2><p class="hint">Rows in stream order, the root first.
Click &#9656; to expand; references are links to their row.</p><div id="tree-body"></div>
</section>
<section id="page-and-article"><h2>Rendered page and article</h2>
<div class="side"><div><h3>Rendered page</h3><p id="page-note" class="hint"></p>
<iframe id="page-frame" title="rendered page" sandbox="" referrerpolicy="no-referrer"
 srcdoc="{page}"></iframe></div>
<div><h3>Article</h3><div id="article-meta"></div>
<iframe id="article-frame" title="article body" sandbox="" referrerpolicy="no-referrer"
 srcdoc="{article}"></iframe></div></div></section>
<section id="stats"><h2>Size</h2><div id="stats-body"></div></section>
<script type="application/json" id="model">{model}</script>
<script>{script}</script>
</body>
</html>
"""


def inspect_report(data: bytes | str | Payload, *, title: str | None = None) -> str:
    """A self-contained HTML report of a payload (see ``docs/inspect.md``).

    Args:
        data: a payload or an HTML page (read as :func:`~rsc_flight.parse` reads it), or a
            parsed :class:`~rsc_flight.Payload`.
        title: the report's title (default: "Flight payload").

    Returns:
        The HTML document: no network access, no external script, style or font.
    """
    payload = data if isinstance(data, Payload) else parse(data)
    heading = title or "Flight payload"
    model, page = build_model(payload, title=heading)
    return _PAGE.format(
        policy=_attribute(_POLICY),
        title=_attribute(heading),
        style=_STYLE,
        page=_attribute(_framed(page)),
        article=_attribute(_framed(_article_document(model["article"]))),
        model=_json_block(model),
        script=_SCRIPT,
    )
