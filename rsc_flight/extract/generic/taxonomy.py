"""How the article is filed: its tags, its categories, and the site's navigation.

The navigation (sidebar categories with their counts) describes the site at crawl time
and goes to the site snapshot; the article's category is the navigation entry whose
URL path is the longest prefix of the page's, unless metadata names one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ...nextjs.page import Node
from ..model import Category, NavEntry, Provenance
from ..rules import Candidate, RuleContext
from ..urls import path as url_path
from .evidence import Evidence, candidate, first_found, ld_list, norm_path
from .scope import Scope, is_tag_route

__all__ = ["categories", "navigation", "tag_list", "tags"]

_COUNT = re.compile(r"^(?P<name>.*?)\s*\(\s*(?P<count>\d[\d,]*)\s*\)$")
_TAG_CLASS = re.compile(r"tag|taxonomy|keyword", re.IGNORECASE)
# Classes of syntax highlighters' tokens (Prism, highlight.js, Shiki): never tags.
_CODE_CLASSES = frozenset({"token", "hljs-keyword", "keyword-token"})


def tags(context: RuleContext, ev: Evidence, scope: Scope) -> Candidate | None:
    """JSON-LD ``keywords``, ``article:tag``, the article's tag list, then ``keywords``
    meta unless the head is the site's."""
    article_tags = ev.metas("article:tag")
    keywords = ev.from_meta(("keywords",), lambda v: [t.strip() for t in v.split(",") if t.strip()])
    if ev.og_site:
        keywords = None
    # The tag list is looked for only when the metadata names no tags (``a or b`` is
    # ``first_found`` over both lists: it gives a candidate or ``None``).
    return first_found(
        ev.from_ld("keywords", ld_list),
        candidate(article_tags, "head", "article:tag") if article_tags else None,
    ) or first_found(tag_list(context, scope.nodes), keywords)


def _tag_nodes(nodes: Iterable[Node]) -> list[Node]:
    """The nodes that mark a tag: a ``rel=tag``, a link to a tag route, or tag class names.

    Asked of every node of the article, so written out in one loop: the class test
    first (most nodes have a ``className``, and the answer is remembered per string; a
    node whose ``className`` is absent has no names to ask about), then ``rel`` and
    ``href``, looked up only when present.
    """
    found = []
    test = _tag_classes
    for node in nodes:
        props = node.props
        if "className" in props:
            info = node._classes
            if info is None:
                info = node.class_info
            known = info.tests.get(test)
            if known is None:
                known = node.class_test(test)
            if known:
                found.append(node)
                continue
        if "rel" in props:
            rel = props["rel"]
            if isinstance(rel, str) and "tag" in rel.split():
                found.append(node)
                continue
        if "href" in props:
            href = props["href"]
            if isinstance(href, str) and is_tag_route(href):
                found.append(node)
    return found


def _tag_classes(names: tuple[str, ...]) -> bool:
    """Class names that mark a tag link (and not a code token).

    The names are searched joined by spaces, in one call: they hold no whitespace and
    the words searched for none, so a match never spans two names.
    """
    return _TAG_CLASS.search(" ".join(names)) is not None and _CODE_CLASSES.isdisjoint(names)


def _in_text(context: RuleContext, node: Node) -> bool:
    """Whether a node sits in code, or in running text (a paragraph saying more than
    the link): then it is the body's, not a tag list's."""
    holder = None
    for ancestor in node.ancestors():
        if ancestor.tag in ("code", "pre", "svg", "math"):
            return True
        if holder is None and ancestor.tag in ("p", "blockquote", "td"):
            holder = ancestor
    return holder is not None and len(context.text(holder)) > 2 * len(context.text(node)) + 8


def tag_list(context: RuleContext, nodes: Iterable[Node]) -> Candidate | None:
    """Tag lists: ``a[rel=tag]``, links to tag routes (``/tags/x``), ``tag``/``taxonomy``
    classes; the innermost matches, text without a leading ``#``.  Never highlighted
    code (``span.token.keyword``) nor a link in a paragraph of the body."""
    matches = _tag_nodes(nodes)
    chosen = {id(n) for n in matches}
    leaves = [
        n
        for n in matches
        if not any(id(d) in chosen for d in n.descendants()) and not _in_text(context, n)
    ]
    found: list[str] = []
    for node in leaves:
        text = context.text(node).lstrip("#").strip()
        if node.key and node.key.lstrip("#") == text:
            text = node.key
        if text and len(text) <= 100 and text not in found:
            found.append(text)
    if not found:
        return None
    return Candidate(found, Provenance("generic", "article", leaves[0].row, "tag list"))


def navigation(
    context: RuleContext, article: Node | None, resolve: Callable[[str], str]
) -> list[NavEntry]:
    """Navigation links outside the article, with a parent group and a shown count.

    Args:
        article: the article's root; links inside it are not navigation.
        resolve: resolves a link against the page's URL.
    """
    out: list[NavEntry] = []
    groups = _Groups()
    for node in context.links:  # link_nodes(context.content_nodes), made once
        if (article is not None and node.below(article)) or not groups.in_nav(node):
            continue
        text = context.text(node)
        match = _COUNT.match(text)
        name, count = (
            (match["name"], int(match["count"].replace(",", ""))) if match else (text, None)
        )
        if not name:
            continue
        heading = groups.heading(node)
        parent = (context.text(heading) or None) if heading is not None else None
        out.append(NavEntry(name, resolve(node.props["href"]), parent, count))
    return out


_NAV = ("nav", "aside")
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")


class _Groups:
    """Where navigation links stand, worked out once per node for all the links.

    Asked link by link, "is it inside a ``nav``" and "which heading names its group"
    walk the ancestors and scan the siblings each time: quadratic in a ``nav`` of many
    links.  Here each answer is remembered per node (and each parent's children indexed
    once), so all the links together cost time linear in the page.
    """

    def __init__(self) -> None:
        self.nav: dict[int, bool] = {}
        self.group: dict[int, Node | None] = {}
        self.before: dict[int, tuple[dict[int, int], list[Node | None]]] = {}

    def in_nav(self, node: Node) -> bool:
        """Whether an ancestor of ``node`` is a ``nav`` or ``aside``."""
        chain: list[Node] = []
        parent = node.parent
        found = False
        while parent is not None:
            known = self.nav.get(id(parent))
            if known is not None:
                found = known
                break
            chain.append(parent)
            if parent.tag in _NAV:
                found = True
                break
            parent = parent.parent
        for step in chain:
            # A node is "in a nav" when it or an ancestor is one.
            self.nav[id(step)] = found
        return found

    def heading_before(self, parent: Node, child: Node) -> Node | None:
        """The nearest heading among ``parent``'s children before ``child``."""
        info = self.before.get(id(parent))
        if info is None:
            index: dict[int, int] = {}
            before: list[Node | None] = []
            last: Node | None = None
            for i, sibling in enumerate(parent.children):
                index.setdefault(id(sibling), i)
                before.append(last)
                if sibling.tag in _HEADINGS:
                    last = sibling
            info = self.before[id(parent)] = (index, before)
        position = info[0].get(id(child), 0)
        return info[1][position] if position < len(info[1]) else None

    def heading(self, node: Node) -> Node | None:
        """The heading that names the group a navigation link sits in: the nearest
        heading before the link's branch, looking outwards up to the ``nav``/``aside``."""
        chain: list[Node] = []
        branch: Node | None = node
        found: Node | None = None
        while branch is not None and branch.parent is not None:
            if id(branch) in self.group:
                found = self.group[id(branch)]
                break
            chain.append(branch)
            parent = branch.parent
            found = self.heading_before(parent, branch)
            if found is not None or parent.tag in _NAV:
                break
            branch = parent
        for step in chain:
            self.group[id(step)] = found
        return found


def categories(ev: Evidence, nav: Iterable[NavEntry], page_url: object) -> Candidate | None:
    """JSON-LD ``articleSection``, ``article:section`` meta, else the navigation entry
    whose URL is the longest prefix of ``page_url``.

    A named category the navigation shows gets its URL and group when the extractor
    merges the field (``fields.enrich_categories``), for every rule alike.
    """
    return first_found(
        ev.from_ld("articleSection", lambda v: [Category(s) for s in (ld_list(v) or [])]),
        ev.from_meta(("article:section", "category"), lambda v: [Category(v)]),
        _nav_category(nav, page_url),
    )


def _nav_category(nav: Iterable[NavEntry], page_url: object) -> Candidate | None:
    """The navigation entry whose URL path is the longest prefix of the page's."""
    if not isinstance(page_url, str):
        return None
    path = norm_path(url_path(page_url))
    best: NavEntry | None = None
    for entry in nav:
        entry_path = norm_path(url_path(entry.url or ""))
        if (
            entry_path != "/"
            and path.startswith(entry_path + "/")
            and (best is None or len(entry_path) > len(norm_path(url_path(best.url or ""))))
        ):
            best = entry
    if best is None:
        return None
    category = Category(best.name, best.url, best.parent)
    return Candidate([category], Provenance("generic", "nav", None, "navigation prefix of the URL"))
