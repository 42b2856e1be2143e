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
  the page cannot do cheaply (reference counts, cycles, missing rows, statistics).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from typing import Any

import orjson

from ..model.payload import Payload, parse
from ..tree.guard import stage_boundary
from .model import build_model, build_report_model

__all__ = ["build_model", "inspect_report"]

_ASSETS = resources.files(__package__) / "assets"
_SCRIPT_PARTS = ("codes.js", "panes.js", "report.js")
#: The page's script: its parts joined into one function scope (see ``assets/report.js``).
_SCRIPT = "".join(
    [
        '"use strict";\n(function () {\n',
        *((_ASSETS / part).read_text(encoding="utf-8") + "\n" for part in _SCRIPT_PARTS),
        "})();\n",
    ]
)
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


def _not_json(value: object) -> str:
    """What the report shows for a value the model should not hold but a hostile payload
    put there (an ``I`` row whose module id is an element): its type, never an error."""
    return f"<{type(value).__name__}>"


def _json_block(model: dict[str, Any]) -> str:
    """The model as JSON that is safe inside ``<script>``: nothing in it can end the block,
    and lone surrogates (which JSON allows and UTF-8 does not) are escaped."""
    try:
        text = orjson.dumps(model, default=_not_json).decode("utf-8")
    except TypeError:  # an integer past 64 bits, or a lone surrogate: the stdlib writes them
        text = json.dumps(
            model, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_not_json
        )
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


def _article_document(body: str) -> str:
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
<section id="about"><h2>Dialect</h2><p id="dialect"></p><p id="rules" class="hint"></p>
</section>
<section id="problems"><h2>Diagnostics and missing rows</h2>
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


@stage_boundary("inspect_report")
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
    model, page, body = build_report_model(payload, title=heading)
    return _PAGE.format(
        policy=_attribute(_POLICY),
        title=_attribute(heading),
        style=_STYLE,
        page=_attribute(_framed(page)),
        article=_attribute(_framed(_article_document(body))),
        model=_json_block(model),
        script=_SCRIPT,
    )
