"""The article body found by its content, readability-style, on the React tree.

Class names say little on sites built from utility CSS (``x:container``, ``mb-32``), and
MDX output is many elements straight inside the page, with no ``post-content`` wrapper.
What a body looks like is stable: paragraphs and headings with text, few links.  So, as
the established readability-style extractors do, every text block (``p``, ``li``,
``pre``, ``h2``…) scores its text for the containers above it (its parent fully, the
grandparent half, the next one a third), a container's score is discounted by its link
density, and the best container is the body.  Unlike an HTML extractor this runs on the
page segment's own elements, so a layout's header and footer never compete, and a
``dangerouslySetInnerHTML`` fragment is parsed (once) and scored as the blocks it holds.

Never a body: anything inside ``nav``, ``aside``, ``footer``, ``form``, an ``svg`` or a
code block (a highlighted code block is one big fragment, but it is not the article).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from ...nextjs.page import Node
from ..rules import RuleContext

__all__ = ["SHARE", "Scored", "best_container", "inner_html"]

_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset({"p", "pre", "blockquote", "li", "td", "dd", "figcaption"}) | _HEADINGS
# Never the body, nor inside it as a scoring block.
_NEVER = frozenset(
    {
        "nav",
        "aside",
        "footer",
        "form",
        "button",
        "select",
        "svg",
        "math",
        "code",
        "pre",
        "script",
        "style",
        "template",
        "noscript",
        "head",
        "title",
    }
)
# Blocks inside these still score (a code block is part of a body), but the element is
# never the body itself.
# A block's score passes through these to the container above.
_NOT_CONTAINERS = frozenset(
    {"code", "pre", "h1", *_HEADINGS, "p", "a", "span", "li", "ul", "ol", "dl", "dd", "dt"}
    | {"table", "thead", "tbody", "tr", "td", "th", "figure", "blockquote", "em", "strong"}
)
#: The share of the page's block score the body's container must hold.
SHARE = 2 / 3


class Scored(NamedTuple):
    """The body's container, its score, and the parsed fragment when it is one."""

    node: Node
    score: float
    html: str | None = None


def inner_html(node: Node) -> str | None:
    """A node's ``dangerouslySetInnerHTML`` string, if it has a non-blank one."""
    inner = node.props.get("dangerouslySetInnerHTML")
    html = inner.get("__html") if isinstance(inner, dict) else None
    return html if isinstance(html, str) and html.strip() else None


def _block_score(text: str) -> float:
    """A block's worth: one, plus its length (up to three hundred characters), plus its
    commas (prose has them, menus do not)."""
    if not text:
        return 0.0
    return 1.0 + min(len(text) / 100.0, 3.0) + text.count(",")


def _excluded(nodes: Sequence[Node]) -> set[Node]:
    """The nodes that are, or sit inside, something never read as body text."""
    out: set[Node] = set()
    for node in nodes:  # document order: a parent comes before its children
        if node.tag in _NEVER or (node.parent is not None and node.parent in out):
            out.add(node)
    return out


def _links_text(context: RuleContext, node: Node) -> int:
    """How many characters of a node's text are link text."""
    linked = 0
    stack = list(node.children)
    while stack:
        child = stack.pop()
        if isinstance(child.props.get("href"), str):
            linked += len(context.text(child))
        else:
            stack.extend(child.children)
    return linked


def _scored_block(context: RuleContext, node: Node) -> float:
    """A block's score, discounted by the share of its text that is link text (a list
    of links is navigation, however long)."""
    text = context.text(node)
    if not text:
        return 0.0
    linked = _links_text(context, node) if node.children else 0
    score = _block_score(text) if node.tag != "pre" else 1.0 + min(len(text) / 100.0, 3.0)
    return score * max(0.0, 1.0 - linked / len(text))


def _fragment_score(root: Any) -> float:
    total = 0.0
    for element in root.iter(*_BLOCKS):
        if any(a.tag in ("pre", "code", "nav", "aside") for a in element.iterancestors()):
            continue
        text = " ".join(element.text_content().split())
        if not text:
            continue
        linked = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
        total += _block_score(text) * max(0.0, 1.0 - linked / len(text))
    return total


def best_container(context: RuleContext, nodes: Iterable[Node]) -> Scored | None:
    """The container of the page's text among ``nodes`` (in document order), or ``None``
    when they hold no text block.

    Every block's score counts for each container above it; the body is the deepest
    container holding at least :data:`SHARE` of the page's block score.  (Crediting
    only the nearest containers, as readability does, lets a long list inside a
    ``section`` of the body win over the body; the share keeps the whole body.)
    """
    nodes = list(nodes)
    excluded = _excluded(nodes)
    own: dict[Node, float] = {}  # the score of the blocks (or fragment) directly inside
    fragments: dict[Node, str] = {}
    for node in nodes:
        tag = node.tag
        if "dangerouslySetInnerHTML" in node.props:
            html = inner_html(node)
            if html is not None and tag not in ("script", "style") and node not in excluded:
                root = context.fragment(html)
                score = _fragment_score(root) if root is not None else 0.0
                if score > 0:
                    fragments[node] = html
                    own[node] = own.get(node, 0.0) + score
                continue
        if tag in _BLOCKS:
            parent = node.parent
            if (
                parent is not None
                and (tag == "pre" or node not in excluded)
                and parent not in excluded
            ):
                own[parent] = own.get(parent, 0.0) + _scored_block(context, node)
    # Children come after their parent: one pass backwards sums each subtree.
    scores: dict[Node, float] = {}
    scored: list[Node] = []  # in reverse document order
    total = 0.0
    inside = set(nodes)
    for node in reversed(nodes):
        score = scores.get(node, 0.0) + own.get(node, 0.0)
        if not score or node in excluded:
            continue
        scores[node] = score
        scored.append(node)
        parent = node.parent
        if parent is not None and parent in inside:
            scores[parent] = scores.get(parent, 0.0) + score
        else:
            total += score
    if total <= 0:
        return None
    # The deepest container holding the share; the first in document order of those.
    best: Node | None = None
    for node in reversed(scored):
        if (
            node.tag not in _NOT_CONTAINERS
            and scores[node] >= total * SHARE
            and (best is None or node.depth > best.depth)
        ):
            best = node
    if best is None:
        return None
    return Scored(best, scores[best], fragments.get(best))
