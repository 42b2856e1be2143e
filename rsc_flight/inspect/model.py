"""The report's JSON model: everything its page shows, computed once in Python.

Keys are short because a large payload has tens of thousands of rows (see
:func:`build_model`).  Python does the whole-payload work the page cannot do cheaply
(reference counts, cycles, missing ids, statistics, the rendered page, the article); the
page does the rest lazily.  What the model says about ``$``-strings comes from the one code
table (:mod:`rsc_flight.model._codes`), which the model also carries for the page's
script, and what it says about client modules from the resolver's own reading of the
``I`` rows.
"""

from __future__ import annotations

import heapq
from typing import Any, Literal

import attrs

from ..model._codes import CODES, classify, to_json
from ..model._revive import loads
from ..model.payload import Payload
from ..model.values import ClientReference
from ..nextjs import next_seed_data, render_document
from ..wire.dialect import Dialect
from ..wire.rows import BinaryRow, ImportRow, Row, TextRow, UnknownRow, hex_id, row_json
from .article import article_pane
from .explain import DIALECTS, GUESS, RULES
from .graph import References, check_value, reference_strings

__all__ = ["build_model", "build_report_model", "classify_for"]

#: Row kinds whose JSON is a model: their ``$``-strings are references (``I`` rows too,
#: whose chunk lists hold import-string references from React 19.3 on).
_MODEL_KINDS = frozenset({"model", "debug", "close", "postpone", "stream", "import"})
#: Chunk states worth a badge (``resolved_model`` only means nothing read the chunk yet).
_SHOWN_STATUSES = frozenset({"pending", "blocked", "rejected", "halted"})


def _row_value(row: Row, kind: str) -> tuple[bool, Any, str | None]:
    """``(has value, value, error)`` of a row for the tree, read with the resolver's JSON
    reader (the language ``JSON.parse`` accepts)."""
    if isinstance(row, (BinaryRow, UnknownRow)):
        return False, None, None
    text: str = getattr(row, "payload", "")
    if isinstance(row, TextRow) or kind == "provider":
        return True, text, None
    if not text:
        return False, None, None  # an empty model row is a halted chunk; stream rows are empty
    try:
        return True, loads(text), None
    except (ValueError, RecursionError) as exc:
        return False, None, f"not JSON: {exc}"[:300]


@attrs.define
class _Rows:
    """The rows part of the model, filled row by row by :func:`_scan_rows`."""

    table: list[list[Any]] = attrs.field(factory=list)
    values: dict[str, Any] = attrs.field(factory=dict)
    bad: dict[str, str] = attrs.field(factory=dict)
    present: dict[int, int] = attrs.field(factory=dict)  # row id -> index of its first row
    kinds: dict[str, list[int]] = attrs.field(factory=dict)  # kind -> [rows, bytes]


def _scan_rows(payload: Payload, references: References) -> _Rows:
    """Every row's table entry and value, recording its references as it goes.

    Table entries are ``rsc-flight rows``' objects as compact arrays; the preview becomes
    ``None`` when the page can make it from the value the model holds anyway.
    """
    out = _Rows()
    prefixes = references.prefixes
    for index, row in enumerate(payload.rows):
        fields = row_json(row)
        kind: str = fields["kind"]
        entry = [fields[key] for key in ("id", "tag", "kind", "offset", "length", "preview")]
        out.table.append(entry)
        tally = out.kinds.setdefault(kind, [0, 0])
        tally[0] += 1
        tally[1] += row.size
        if row.id is not None:
            out.present.setdefault(row.id, index)
        has_value, value, error = _row_value(row, kind)
        if error is not None:
            out.bad[str(index)] = error
        if not has_value:
            continue
        try:
            if kind in _MODEL_KINDS:
                references.add(row.id, reference_strings(value, prefixes))
            else:
                check_value(value)
        except ValueError as exc:
            out.bad[str(index)] = str(exc)
            continue
        if kind in _MODEL_KINDS or isinstance(row, TextRow):
            entry[5] = None  # the page makes the preview from the value
        out.values[str(index)] = value
    return out


def _clients(payload: Payload, present: dict[int, int]) -> dict[str, list[Any]]:
    """The ``I`` rows' ``[module, export, chunk count, async]``, as the resolver read them."""
    out: dict[str, list[Any]] = {}
    for row_id, index in present.items():
        if not isinstance(payload.rows[index], ImportRow):
            continue
        chunk = payload.chunk(row_id)
        found = None if chunk is None else chunk.value
        if isinstance(found, ClientReference):
            out[hex_id(row_id)] = [found.id, found.name, len(found.chunks), found.is_async]
    return out


def _statuses(payload: Payload, present: dict[int, int]) -> dict[str, str]:
    """The chunk states worth a badge, by row id."""
    out: dict[str, str] = {}
    for row_id in present:
        chunk = payload.chunk(row_id)
        if chunk is not None and chunk.status in _SHOWN_STATUSES:
            out[hex_id(row_id)] = chunk.status
    return out


def _diagnostics(payload: Payload, present: dict[int, int]) -> list[list[Any]]:
    """``[reason, offset, row id, severity, row index]`` per diagnostic; the index is the
    row the diagnostic is about (by id, else by offset), or ``None``."""
    out: list[list[Any]] = []
    by_offset = {row.offset: index for index, row in enumerate(payload.rows)}
    for problem in payload.diagnostics:
        if problem.row_id is not None and problem.row_id in present:
            where: int | None = present[problem.row_id]
        else:
            where = by_offset.get(problem.offset) if problem.offset is not None else None
        row_id = None if problem.row_id is None else hex_id(problem.row_id)
        out.append([problem.reason, problem.offset, row_id, problem.severity, where])
    return out


def _render(payload: Payload) -> tuple[str, dict[str, Any]]:
    """The rendered page and what the page says of it: ``kind`` (``next`` for a Next.js
    page, ``root`` for any other payload's root), its size, and any failure.

    Unsanitised on purpose (the report shows the page as it is), which is why it is only
    ever shown in a sandboxed frame.  A failure must not cost the rest of the report.
    """
    try:
        kind = "next" if next_seed_data(payload.root) is not None else "root"
        page = render_document(payload, sanitize=False)
    except Exception as exc:
        return "", {"kind": None, "chars": 0, "error": f"{type(exc).__name__}: {exc}"[:500]}
    return page, {"kind": kind, "chars": len(page), "error": None}


def _about(payload: Payload) -> dict[str, Any]:
    """The dialect and the React rules, with what they mean."""
    return {
        "dialect": payload.dialect.value,
        "dialectNote": DIALECTS[payload.dialect],
        "guess": GUESS,
        "rules": payload.rules,
        "rulesNote": RULES[payload.rules],
    }


def _bare_kinds(rules: Literal["18", "19"]) -> dict[str, str]:
    """The codes that name a row but read as something else with nothing after them
    (``"$@"`` alone is a promise that never settles), as :func:`classify` reads them: the
    page's script reads the table generically and takes these exceptions from here."""
    out: dict[str, str] = {}
    for info in CODES.values():
        kind = classify(info.code, rules=rules).kind
        if "<" not in info.code and kind is not None and kind != info.kind:
            out[info.code] = kind
    return out


def build_report_model(payload: Payload, *, title: str) -> tuple[dict[str, Any], str, str]:
    """:func:`build_model`'s model and rendered page, and the article body's HTML."""
    tag_first = payload.dialect is Dialect.F0
    references = References(payload.rules, tag_first)
    rows = _scan_rows(payload, references)
    page, page_info = _render(payload)
    article, article_error, body = article_pane(payload)
    sizes = [row.size for row in payload.rows]
    model = {
        "title": title,
        **_about(payload),
        "tagFirst": tag_first,
        "codes": to_json(),
        "bareKinds": _bare_kinds(payload.rules),
        "modelKinds": sorted(_MODEL_KINDS),
        "bytes": max((row.end for row in payload.rows), default=0),
        "rows": rows.table,
        "values": rows.values,
        "bad": rows.bad,
        "clients": _clients(payload, rows.present),
        **references.summary(rows.present),
        "status": _statuses(payload, rows.present),
        "diagnostics": _diagnostics(payload, rows.present),
        "stats": {
            "kinds": sorted(([k, n, size] for k, (n, size) in rows.kinds.items()), key=_by_size),
            "largest": heapq.nlargest(10, range(len(sizes)), key=sizes.__getitem__),
        },
        "page": page_info,
        "article": article,
        "articleError": article_error,
    }
    return model, page, body


def _by_size(entry: list[Any]) -> int:
    return -int(entry[2])


def build_model(payload: Payload, *, title: str) -> tuple[dict[str, Any], str]:
    """The data the report's page shows, as JSON-ready values, and the rendered page.

    Keys are short because a large payload has tens of thousands of rows: ``rows`` are
    ``[id hex, tag, kind, offset, length, preview]`` (preview ``None`` when the page can
    make it from the value); ``values`` maps a row's index to its parsed JSON (or text);
    ``refs`` counts the references to the shared and missing ids (the only counts the page
    shows); ``shared`` are the ids referenced more than once, ``pending`` those no row has
    (references to rows that never arrived), ``cycles`` those that reach themselves;
    ``from`` lists, per target, up to 20 rows that refer to it; ``clients`` holds the ``I``
    rows' ``[module, export, chunks, async]``; ``codes`` is the ``$``-code table
    (:func:`rsc_flight.model._codes.to_json`) and ``rules`` the React rules it is read
    with; ``article`` the article pane (its fields with provenance, status and warnings).
    """
    model, page, _ = build_report_model(payload, title=title)
    return model, page


def classify_for(model: dict[str, Any], text: str) -> tuple[Any, ...]:
    """How the report reads a string of a model row: ``(code, kind, row id hex, path)``.

    The same reading the page's script makes from ``model["codes"]``; the tests compare
    the two.
    """
    found = classify(text, rules=model["rules"], tag_first=model["tagFirst"])
    row = None if found.row_id is None else hex_id(found.row_id)
    return found.code, found.kind, row, list(found.path)
