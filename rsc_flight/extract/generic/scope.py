"""Where the generic rule looks: the article's element tree, else the page segment's.

The page's own markup (its ``h1``, ``<time>``, tag lists, body) is read inside the
page's ``<article>`` (the largest), else its ``<main>``, else anywhere in the page
segment; layouts' markup (sidebars, footers) is left to the navigation rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import attrs

from ...nextjs.page import Node, Region
from ..rules import RuleContext
from ..urls import join, split

__all__ = [
    "Scope",
    "first",
    "is_tag_route",
    "link_nodes",
    "only",
    "origin",
    "resolver",
    "subtree",
]

# A route that lists the posts filed under one tag or topic: ``/tags/next-js``,
# ``/blog/tag/react/``, ``/topics/ai``, ``/categories/notes``.
_TAG_ROUTE = re.compile(
    r"(?:^|/)(?:tags?|topics?|categories|category|labels?|keywords?)/[^/?#]", re.IGNORECASE
)


@attrs.frozen
class Scope:
    """The nodes the page's own fields are read from.

    Attributes:
        article: the page's ``<article>`` (the largest), else its ``<main>``, if any.
        in_article: the article and every node inside it, in document order.
        page_nodes: the page segment's content nodes (no layouts, no head).
        page_links: those of them with a non-empty string ``href``.
        nodes: ``in_article`` when there is an article, else ``page_nodes``.
    """

    article: Node | None
    in_article: tuple[Node, ...]
    page_nodes: tuple[Node, ...]
    #: ``link_nodes(page_nodes)``, read from the context's links (fewer nodes to test).
    page_links: tuple[Node, ...] = ()

    @property
    def nodes(self) -> tuple[Node, ...]:
        return self.in_article or self.page_nodes

    @classmethod
    def read(cls, context: RuleContext) -> Scope:
        page = Region.PAGE  # read once: enum members are slow to look up
        page_nodes = tuple([n for n in context.content_nodes if n.region is page])
        article = _article_root(page_nodes)
        in_article = subtree(context.page.nodes, article) if article is not None else ()
        page_links = tuple([n for n in context.links if n.region is page])
        return cls(article, in_article, page_nodes, page_links)


def _article_root(page_nodes: tuple[Node, ...]) -> Node | None:
    """The page's ``<article>`` (the largest one), else its ``<main>``."""
    articles = [n for n in page_nodes if n.tag == "article"]
    nodes = articles or [n for n in page_nodes if n.tag == "main"]
    if nodes:
        return max(nodes, key=lambda n: n.size)  # the largest, by elements held
    return None


def subtree(nodes: Sequence[Node], root: Node) -> tuple[Node, ...]:
    """``root`` and every node below it, in document order.

    A slice of the page's nodes: :func:`~rsc_flight.nextjs.page.read_page` numbers
    them depth first, so a subtree is the run of ``size`` nodes from its root on (read
    through :meth:`~rsc_flight.nextjs.page.Node.descendants` when ``nodes`` is not
    numbered so).
    """
    start = root.order
    if start < len(nodes) and nodes[start] is root:
        return tuple(nodes[start : start + root.size])
    return (root, *root.descendants())


def first(nodes: Iterable[Node], test: Callable[[Node], bool]) -> Node | None:
    """The first node that passes ``test``."""
    return next((n for n in nodes if test(n)), None)


def only(nodes: Iterable[Node], test: Callable[[Node], bool]) -> Node | None:
    """The node that passes ``test`` when exactly one does."""
    found = [n for n in nodes if test(n)]
    return found[0] if len(found) == 1 else None


def link_nodes(nodes: Iterable[Node]) -> list[Node]:
    """The nodes with a non-empty string ``href``."""
    return [n for n in nodes if (href := n.props.get("href")) and isinstance(href, str)]


def is_tag_route(href: str) -> bool:
    """Whether a link goes to the list of a tag's (or topic's, category's) posts."""
    return _TAG_ROUTE.search(href.split("?", 1)[0]) is not None


def origin(url: str | None) -> str | None:
    """``scheme://host`` of an http(s) URL."""
    if not url:
        return None
    parts = split(url)
    if parts is None:
        return None
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def resolver(base: object) -> Callable[[str], str]:
    """A function resolving links against ``base`` (the page's URL, when a string)."""
    text = base if isinstance(base, str) else None
    return lambda href: join(text, href)
