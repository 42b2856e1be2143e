"""Who wrote the article: structured metadata, checked against the article's byline.

A layout's ``authors`` metadata is inherited by every page that does not set its own,
so a ``meta name=author`` is believed only when the byline in the article (if there is
one) names the same people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...nextjs.page import Node
from ..model import Person, Provenance
from ..rules import Candidate, RuleContext
from .evidence import Evidence, first_found, ld_people
from .scope import Scope

__all__ = ["authors", "byline"]

_BY = re.compile(
    r"^(?:(?:written\s+)?by|von|par|por|작성자|글쓴이|글|著者|作者)\s*[:：]?\s+", re.IGNORECASE
)
_NAME_SEPARATORS = re.compile(r"\s*(?:,|&|\band\b|·|、|및)\s*")
_BYLINE_CLASSES = ("author", "byline", "p-author", "author-name")


def byline(context: RuleContext, nodes: Iterable[Node]) -> tuple[Candidate, Node] | None:
    """Authors named in a byline (``rel=author``, class ``author``/``byline``), with the
    node they came from; names of several people are split."""
    for node in nodes:
        rel = node.props.get("rel")
        if not (
            (isinstance(rel, str) and "author" in rel.split())
            or any(c in _BYLINE_CLASSES for c in node.classes)
        ):
            continue
        text = _BY.sub("", context.text(node)).strip()
        names = [name for name in _NAME_SEPARATORS.split(text) if name] if text else []
        if names and all(len(name) <= 80 for name in names):
            people = tuple(Person(name) for name in names)
            return Candidate(people, Provenance("generic", "article", node.row, "byline")), node
    return None


def authors(context: RuleContext, ev: Evidence, scope: Scope) -> Candidate | None:
    """JSON-LD ``author``, ``meta name=author`` (unless the byline contradicts it or the
    head is the site's), ``article:author``, then the byline itself."""
    found = byline(context, scope.in_article)
    from_meta = None
    names = ev.metas("author")
    if names and not ev.og_site:
        from_meta = ev.from_meta(("author",), lambda _: tuple(Person(name) for name in names))
        byline_text = context.text(found[1]) if found is not None else ""
        if found is not None and not any(name in byline_text for name in names):
            from_meta = None
    return first_found(
        ev.from_ld("author", ld_people),
        from_meta,
        ev.from_meta(("article:author",), lambda v: (Person(v),)),
        found[0] if found is not None else None,
    )
