"""Who wrote the article: structured metadata, checked against the article's byline.

A layout's ``authors`` metadata is inherited by every page that does not set its own,
so a ``meta name=author`` is believed only when the byline in the article (if there is
one) names the same people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ...nextjs.page import Node
from ..model import Person, Provenance
from ..rules import Candidate, RuleContext
from .evidence import Evidence, first_found, ld_people
from .scope import Scope

__all__ = ["author_card", "authors", "byline", "date_byline"]

_BY = re.compile(
    r"^(?:(?:written\s+)?by|von|par|por|작성자|글쓴이|글|著者|作者)\s*[:：]?\s+", re.IGNORECASE
)
_NAME_SEPARATORS = re.compile(r"\s*(?:,|&|\band\b|·|、|및)\s*")
_BYLINE_CLASSES = frozenset({"author", "byline", "p-author", "author-name"})


def byline(context: RuleContext, nodes: Iterable[Node]) -> tuple[Candidate, Node] | None:
    """Authors named in a byline (``rel=author``, class ``author``/``byline``), with the
    node they came from; names of several people are split."""
    test = _names_a_byline
    for node in nodes:
        # Asked of every node of the article: the class test (remembered per className
        # string) first, the rel looked up only when present.
        props = node.props
        marked = False
        if "className" in props:
            info = node._classes
            if info is None:
                info = node.class_info
            known = info.tests.get(test)
            marked = node.class_test(test) if known is None else known
        if not marked and "rel" in props:
            rel = props["rel"]
            marked = isinstance(rel, str) and "author" in rel.split()
        if not marked:
            continue
        text = _BY.sub("", context.text(node)).strip()
        names = [name for name in _NAME_SEPARATORS.split(text) if name] if text else []
        if names and all(len(name) <= 80 for name in names):
            people = tuple(Person(name) for name in names)
            return Candidate(people, Provenance("generic", "article", node.row, "byline")), node
    return None


def _names_a_byline(names: tuple[str, ...]) -> bool:
    """Class names that mark a byline (``author``, ``byline``…)."""
    return not _BYLINE_CLASSES.isdisjoint(names)


def _names(text: str) -> list[str] | None:
    """The people a short byline text names, or ``None`` when it does not read as names
    (digits, a sentence, a name of more than five words)."""
    text = _BY.sub("", text.strip()).strip(" ,;·•|-–—")
    if not text or len(text) > 80 or any(ch.isdigit() for ch in text):
        return None
    names = [name.strip() for name in _NAME_SEPARATORS.split(text) if name.strip()]
    if not names or any(len(name.split()) > 5 for name in names):
        return None
    return names


def author_card(context: RuleContext, nodes: Iterable[Node]) -> Candidate | None:
    """An author card: an avatar image whose ``alt`` is the name written beside it
    (``<img alt="Ada Lovelace"> <div>Ada Lovelace</div>``)."""
    for node in nodes:
        alt = node.props.get("alt")
        parent = node.parent
        if not isinstance(alt, str) or not alt.strip() or parent is None:
            continue
        name = " ".join(alt.split())
        beside = any(
            sibling is not node and context.text(sibling) == name for sibling in parent.children
        )
        if beside and _names(name) == [name]:
            provenance = Provenance("generic", "article", node.row, "author card")
            return Candidate((Person(name),), provenance)
    return None


def date_byline(nodes: Iterable[Node]) -> Candidate | None:
    """Names written beside the date, in the element that holds the ``<time>``
    (``Ada Lovelace, <time>June 28</time>``): the text before the date."""
    for node in nodes:
        if node.tag != "time" or node.parent is None:
            continue
        children = node.parent.props.get("children")
        if not isinstance(children, list):
            continue
        before: list[str] = []
        for child in children:
            if child is node.element:
                break
            if isinstance(child, str):
                before.append(child)
        names = _names("".join(before))
        if names:
            people = tuple(Person(name) for name in names)
            return Candidate(people, Provenance("generic", "article", node.row, "byline by date"))
    return None


def authors(context: RuleContext, ev: Evidence, scope: Scope) -> Candidate | None:
    """JSON-LD ``author``, ``meta name=author`` (unless the byline contradicts it or the
    head is the site's), ``article:author``, then the byline itself, an author card,
    names beside the date."""
    from_ld = first_found(ev.from_ld("author", ld_people))
    if from_ld is not None:
        return from_ld  # the byline and the rest are looked for only when needed
    found = byline(context, scope.in_article)
    from_meta = None
    names = ev.metas("author")
    if names and not ev.og_site:
        from_meta = ev.from_meta(("author",), lambda _: tuple(Person(name) for name in names))
        byline_text = context.text(found[1]) if found is not None else ""
        if found is not None and not any(name in byline_text for name in names):
            from_meta = None
    return (
        first_found(
            from_meta,
            ev.from_meta(("article:author",), lambda v: (Person(v),)),
            found[0] if found is not None else None,
        )
        or first_found(date_byline(scope.nodes))
        or first_found(author_card(context, _post_header(scope.nodes)))
    )


def _post_header(nodes: Iterable[Node]) -> Iterator[Node]:
    """The nodes before the body starts (its first paragraph, section heading or HTML
    fragment): where a post's header puts its author card; an image in the body with a
    caption beside it is not one."""
    for node in nodes:
        if node.tag in ("p", "h2") or "dangerouslySetInnerHTML" in node.props:
            return
        yield node
