"""The article's body, and the links to the previous and next articles around it.

Pages ship a body as HTML (``dangerouslySetInnerHTML``, verbatim) or as an element
tree; the second is rendered.  Previous/next links are looked for outside the body, so
that a link inside the text is never taken for the site's navigation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from ...errors import FlightLimitError
from ...nextjs.page import Node
from ...tree.render import render_html
from ..model import Link, Provenance
from ..rules import Candidate, RuleContext
from .components import elements_beside_children, host_tag
from .content import best_container
from .evidence import Evidence
from .scope import is_tag_route, link_nodes

__all__ = ["Body", "body", "neighbours"]

_BODY_CLASS = re.compile(r"content|prose|post|entry|article|markdown|body", re.IGNORECASE)

_PREV_LABELS = ("이전글", "이전", "previous", "prev", "older", "←", "«", "前の記事", "上一篇")
_NEXT_LABELS = ("다음글", "다음", "next", "newer", "→", "»", "次の記事", "下一篇")
#: The labels lower-cased, as the link texts they are compared with are.
_LOWER_LABELS = (
    ("prev", tuple(label.lower() for label in _PREV_LABELS)),
    ("next", tuple(label.lower() for label in _NEXT_LABELS)),
)


class Body(NamedTuple):
    """The body's candidate, the node it was read from, and why it could not be read."""

    candidate: Candidate | None = None
    node: Node | None = None
    warning: str | None = None


def body(context: RuleContext, nodes: Iterable[Node]) -> Body:
    """The container of the page's text, found by its content (:mod:`.content`): a
    ``dangerouslySetInnerHTML`` fragment verbatim, else the container rendered without the
    post's header (its ``h1``, date and tag list) when that leads it."""
    nodes = list(nodes)
    found = best_container(context, nodes)
    if found is None:
        return _by_class(context, nodes)
    node = found.node
    if found.html is not None:
        provenance = Provenance("generic", "inner_html", node.row, "dangerouslySetInnerHTML")
        return Body(Candidate(found.html, provenance), node)
    kept = _without_header(node.children)
    # A client component's text can sit in any element-valued prop (``mdxContent``),
    # not only in ``children``: then render the elements found inside it.
    content: Any = (
        node.props.get("children")
        if len(kept) == len(node.children) and not elements_beside_children(node)
        else [child.element for child in kept]
    )
    try:
        html = render_html(content, limits=context.limits)
    except FlightLimitError as exc:  # a body too deep or too large to render
        return Body(warning=f"the body was not rendered: {exc}")
    if not html.strip():
        return Body()
    context.rendered(html, content)
    detail = "content container" if node.tag is not None else "content fragment"
    provenance = Provenance("generic", "article", node.row, detail)
    return Body(Candidate(html, provenance), node)


def _names_a_body(names: tuple[str, ...]) -> bool:
    """Class names that name a body container (``content``, ``prose``, ``post``…),
    searched joined by spaces (see ``taxonomy._tag_classes``)."""
    return _BODY_CLASS.search(" ".join(names)) is not None


def _by_class(context: RuleContext, nodes: list[Node]) -> Body:
    """Without any text block (a page of bare ``div``s): the container whose class names
    a body (``content``, ``prose``, ``post``…) holding the most elements."""
    containers = [n for n in nodes if n.tag in ("div", "section") and n.class_test(_names_a_body)]
    if not containers:
        return Body()
    node = max(containers, key=lambda n: n.size)
    children = node.props.get("children")
    try:
        html = render_html(children, limits=context.limits)
    except FlightLimitError as exc:  # a body too deep or too large to render
        return Body(warning=f"the body was not rendered: {exc}")
    if not html.strip():
        return Body()
    context.rendered(html, children)
    provenance = Provenance("generic", "article", node.row, "content container")
    return Body(Candidate(html, provenance), node)


def _without_header(children: list[Node]) -> list[Node]:
    """``children`` without the leading post header: the ``h1``, a ``header``, and the
    elements holding the date or tag links before the first paragraph."""
    start = 0
    for child in children:
        if not _is_header_part(child):
            break
        start += 1
    return children[start:]


def _is_header_part(node: Node) -> bool:
    if host_tag(node) in ("h1", "header"):
        return True
    if node.tag in ("p", "pre", "blockquote", "ul", "ol", "table", "h2", "h3", "h4"):
        return False
    meta = False
    for inner in node.descendants():
        if inner.tag in ("p", "pre", "blockquote", "h2", "h3"):
            return False
        href = inner.props.get("href")
        if inner.tag in ("time", "h1") or (isinstance(href, str) and is_tag_route(href)):
            meta = True
    return meta


def neighbours(
    context: RuleContext,
    ev: Evidence,
    page_nodes: Iterable[Node],
    body_node: Node | None,
    resolve: Callable[[str], str],
) -> tuple[Candidate | None, Candidate | None]:
    """Previous/next: ``rel`` links in the head or the page, else links next to labels.

    Args:
        page_nodes: the page segment's nodes; links in an ``aside`` are not candidates.
        body_node: the body's node; links inside it are not candidates.
        resolve: resolves a link against the page's URL.
    """
    in_aside = _InAside()
    links = [
        n
        for n in link_nodes(page_nodes)
        if not (body_node is not None and n.below(body_node)) and not in_aside(n)
    ]
    found: dict[str, Candidate] = {}
    for rel in ("prev", "next"):
        href = ev.link(rel)
        if href:
            found[rel] = Candidate(
                Link(resolve(href), None, rel),
                Provenance("generic", "head", None, f"link[rel={rel}]"),
            )
            continue
        for node in links:
            rels = node.props.get("rel")
            if isinstance(rels, str) and rel in rels.split():
                found[rel] = _link(context, node, rel, f"[rel={rel}]", resolve)
                break
    for rel, labels in _LOWER_LABELS:
        if rel not in found:
            labelled = _labelled_link(context, links, rel, labels, found.get("prev"), resolve)
            if labelled is not None:
                found[rel] = labelled
    return found.get("prev"), found.get("next")


def _link(
    context: RuleContext, node: Node, rel: str, detail: str, resolve: Callable[[str], str]
) -> Candidate:
    link = Link(resolve(node.props["href"]), context.text(node) or None, rel)
    return Candidate(link, Provenance("generic", "article", node.row, detail))


def _labelled_link(
    context: RuleContext,
    links: list[Node],
    rel: str,
    labels: tuple[str, ...],
    prev: Candidate | None,
    resolve: Callable[[str], str],
) -> Candidate | None:
    """The first link whose text (or its list item's) starts or ends with a label; a
    "next" that is the "prev" already found is skipped."""
    for node in links:
        holder = (
            node.parent
            if node.parent is not None and node.parent.tag in ("li", "p", "div", "span")
            else node
        )
        text = context.text(holder).lower()
        if not (text.startswith(labels) or text.endswith(labels)):
            continue
        if rel == "next" and prev is not None and prev.value.url == resolve(node.props["href"]):
            continue
        return _link(context, node, rel, "labelled link", resolve)
    return None


class _InAside:
    """Whether a node has an ``aside`` ancestor, remembered per ancestor: the links of a
    page share most of their ancestors, and each link would walk them all again."""

    def __init__(self) -> None:
        self.known: dict[int, bool] = {}

    def __call__(self, node: Node) -> bool:
        known = self.known
        chain: list[Node] = []
        parent = node.parent
        found = False
        while parent is not None:
            answer = known.get(id(parent))
            if answer is not None:
                found = answer
                break
            chain.append(parent)
            if parent.tag == "aside":
                found = True
                break
            parent = parent.parent
        for step in chain:
            # true of a node when it or one of its ancestors is an aside
            known[id(step)] = found
        return found
