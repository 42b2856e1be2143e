"""When the article was published and modified.

Structured metadata first (JSON-LD, then ``article:*`` meta), then the article's own
markup: a ``<time dateTime>``, a date after an "Updated:" label, a date in the URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...model.values import Element, unwrap
from ...nextjs.page import Node
from ..dates import parse_date
from ..model import Provenance
from ..rules import Candidate, RuleContext
from .evidence import Evidence, first_found, ld_date
from .scope import Scope

__all__ = ["labelled_date", "modified", "published", "slug_date", "time_element"]

_UPDATED_LABELS = re.compile(
    r"^(?:last\s+)?(?:updated|modified|edited|수정(?:일)?|업데이트|更新(?:日)?|最終更新日?|"
    r"mis\s+à\s+jour|aktualisiert|actualizado)\s*[:：]?\s*",
    re.IGNORECASE,
)
_SLUG_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_LABEL_TAGS = ("span", "p", "div", "small", "time", "li", "em")
#: How far down first children the leading string is looked for (labels are small).
_LEAD_DEPTH = 6
#: Past this much inner HTML an element is not read as a label: a label and its date
#: take a few dozen characters, and a label's text is at most 80 (``labelled_date``).
_LABEL_HTML = 512
#: Tags whose text is not part of the text of the page (the lead must be that text's).
_NO_TEXT_TAGS = frozenset({"script", "style", "template"})


def published(ev: Evidence, scope: Scope, route_path: str | None) -> Candidate | None:
    """JSON-LD ``datePublished``, ``article:published_time``, a ``<time>`` (a marked one,
    else the article's first), a date in the URL."""
    # The markup is read only when the metadata says nothing (``a or b`` is
    # ``first_found`` over both lists: it gives a candidate or ``None``).
    return first_found(
        ev.from_ld("datePublished", ld_date),
        ev.from_meta(("article:published_time", "og:published_time", "date"), parse_date),
    ) or first_found(
        time_element(scope.nodes, ("datePublished", "pubdate", "published")),
        slug_date(route_path),
    )


def modified(
    context: RuleContext, ev: Evidence, scope: Scope, body: Node | None = None
) -> Candidate | None:
    """JSON-LD ``dateModified``, ``article:modified_time``, a ``<time>`` marked as the
    update, a date after an "Updated:" label outside the ``body`` (a sentence of the
    text is not the post's metadata)."""
    # The markup is read only when the metadata says nothing, the label search only
    # when no <time> is marked (see published).
    return (
        first_found(
            ev.from_ld("dateModified", ld_date),
            ev.from_meta(("article:modified_time", "og:updated_time", "last-modified"), parse_date),
        )
        or first_found(
            time_element(scope.nodes, ("dateModified", "updated", "modified"), strict=True)
        )
        or first_found(labelled_date(context, _outside(scope.nodes, body)))
    )


def _outside(nodes: Iterable[Node], body: Node | None) -> Iterable[Node]:
    if body is None:
        return nodes
    start, end = body.order, body.order + body.size  # Node.below, inlined: asked per node
    return (n for n in nodes if not start < n.order < end)


def time_element(
    nodes: Iterable[Node], hints: tuple[str, ...], *, strict: bool = False
) -> Candidate | None:
    """A ``<time dateTime>``: one marked with a hint (itemProp, class) first; unless
    ``strict``, else the first of ``nodes``."""
    times = [n for n in nodes if n.tag == "time" and isinstance(n.props.get("dateTime"), str)]
    marked = [
        n
        for n in times
        if n.props.get("itemProp") in hints
        or any(h.lower() in n.class_info.folded for h in hints)
        or any(h in n.props for h in hints if h == "pubdate")
    ]
    chosen = marked[0] if marked else (None if strict else (times[0] if times else None))
    if chosen is None:
        return None
    stamp = parse_date(chosen.props["dateTime"])
    if stamp is None:
        return None
    return Candidate(stamp, Provenance("generic", "time", chosen.row, "time[dateTime]"))


def labelled_date(context: RuleContext, nodes: Iterable[Node]) -> Candidate | None:
    """A date after an "Updated:" label ("수정: 2025년 10월 21일") near the title."""
    for node in nodes:
        # A label and its date are a small element; large ones are not read (cost).
        if node.tag not in _LABEL_TAGS or node.size > 4:
            continue
        lead = _first_string(node.props.get("children"))
        if lead is not None and not _could_be_label(lead):
            continue  # the element's text starts otherwise: no need to read all of it
        if lead is None and _inner_html_size(node) > _LABEL_HTML:
            continue  # a small element holding a page of HTML (the body) is no label
        text = context.text(node)
        match = _UPDATED_LABELS.match(text)
        if match is None or len(text) > 80:
            continue
        stamp = parse_date(text[match.end() :], search=True)
        if stamp is not None:
            return Candidate(stamp, Provenance("generic", "article", node.row, "updated label"))
    return None


def _first_string(children: object) -> str | None:
    """The element's leading text, when it starts with a non-blank string: its first child
    if that is a string, else the leading string of its first child when that is a plain
    host element (a label is often wrapped: ``<span><b>Updated:</b> …</span>``).  ``None``
    when the lead cannot be known this way; the caller then reads the whole text."""
    first = children
    for _ in range(_LEAD_DEPTH):
        first = unwrap(first)
        if isinstance(first, list):
            if not first:
                return None
            first = first[0]
            continue
        if isinstance(first, Element):
            kind, props = first.type, unwrap(first.props)
            if type(kind) is not str or kind in _NO_TEXT_TAGS or not isinstance(props, dict):
                return None  # a component, or a tag whose text the page text leaves out
            if "dangerouslySetInnerHTML" in props:
                return None
            first = props.get("children")
            continue
        break
    return first if isinstance(first, str) and first.strip() else None


def _inner_html_size(node: Node) -> int:
    """How much HTML ``node`` and the few nodes below it hold as ``dangerouslySetInnerHTML``
    (reading its text means parsing it)."""
    size = 0
    for inner in (node, *node.descendants()):
        html = inner.props.get("dangerouslySetInnerHTML")
        if isinstance(html, dict) and isinstance(html.get("__html"), str):
            size += len(html["__html"])
    return size


def _could_be_label(lead: str) -> bool:
    """Whether text starting with ``lead`` (the element's first string) starts with an
    "Updated:" label.  A label split over strings must be whole in the first one:
    testing the leading string first keeps this rule from reading the text of every
    small element (a formula's hundreds of spans)."""
    return _UPDATED_LABELS.match(lead.lstrip()) is not None


def slug_date(route_path: str | None) -> Candidate | None:
    """A ``YYYY-MM-DD`` date in the route's path."""
    match = _SLUG_DATE.search(route_path or "")
    if match is None:
        return None
    stamp = parse_date(match[0])
    if stamp is None:
        return None
    return Candidate(stamp, Provenance("generic", "route", 0, "date in the URL"))
