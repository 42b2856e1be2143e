"""The post itself, as a page hands it to a client component.

On sites built from component libraries or content layers (Contentlayer, MDX bundlers,
a CMS client), the visible header (title, date, tags, byline) is drawn by a client
component: its markup is not in the payload, only its props are.  Those props usually
carry the post whole: a ``post``, ``frontmatter``, ``meta`` or ``content`` object with a
title, dates, tags, authors, a summary, sometimes the raw Markdown (``body.raw``).  No HTML
extractor sees them; the payload has them verbatim, so they are read here, each value with
the component (``module#export``), the prop path and the row it came from.

Which object is the post: one found in a client element of the *page* segment (a
layout's are the site's), under a post-like key or as the props themselves, holding a
title and at least one of a date, tags, authors or a body.  A component repeated with
different titles is a list of cards (related posts), not the post; an object whose slug
or URL is not this page's route is another post's.  Among the rest, the one wrapping the
most of the page wins.  How its values weigh against the markup's is :mod:`.prefer`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ...model.values import ClientReference, JSDate, unwrap
from ...nextjs.page import Node, Region
from ..dates import Timestamp, parse_date
from ..model import Category, Person, Provenance
from ..rules import Candidate, RuleContext
from ..urls import path as url_path
from .evidence import norm_path

__all__ = ["Post", "find_post", "post_fields"]

# Props that hold the post (in this order of preference); searched two levels deep.
_CONTAINERS = (
    "post",
    "frontmatter",
    "frontMatter",
    "meta",
    "article",
    "content",
    "doc",
    "document",
    "entry",
    "page",
    "data",
)
_DEPTH = 3
_TITLE = ("title", "headline", "name")
_PUBLISHED: tuple[str, ...] = ("date", "publishedAt", "published", "datePublished")
_PUBLISHED += ("publishDate", "pubDate", "createdAt")
_MODIFIED = ("lastmod", "updatedAt", "modified", "dateModified", "lastModified", "updated")
_TAGS = ("tags", "keywords")
_CATEGORIES = ("categories", "category")
_AUTHORS = ("authors", "author")
_DESCRIPTION = ("summary", "description", "excerpt")
_URL = ("canonicalUrl", "canonical", "url", "permalink")
_ROUTE_KEYS = ("slug", "path", "permalink", "url", "canonicalUrl", "canonical")
_IMAGE = ("image", "coverImage", "cover", "heroImage", "thumbnail", "banner", "images")
_RAW_BODY = ("raw", "markdown", "body", "content")
# A post needs a title and one of these.
_POST_EVIDENCE = (*_PUBLISHED, *_TAGS, *_AUTHORS, "body", "raw", "markdown")
# Compiled MDX (``body.code``, a bundler's output) is a program, not the post's text.
_CODE = re.compile(
    r"_createMdxContent|\b_jsxs?\(|jsx_runtime|\bvar\s+Component\s*=|^\s*\"use strict\""
)


@attrs.frozen
class Post:
    """A post-like object passed to a client component.

    Attributes:
        data: the object (the component's props themselves, or one of them).
        node: the client element.
        path: the prop path to ``data`` (``("content",)``; empty for the props).
        component: the component as ``module#export``.
    """

    data: Mapping[str, Any]
    node: Node
    path: tuple[str, ...]
    component: str

    def candidate(self, value: Any, *keys: str) -> Candidate:
        """A candidate for ``value``, read at ``keys`` inside :attr:`data`."""
        where = ".".join((*self.path, *keys)) or "props"
        detail = f"{self.component} {where}"
        return Candidate(value, Provenance("generic", "client_props", self.node.row, detail))

    def first(self, keys: Iterable[str]) -> tuple[str, Any] | None:
        """The first of ``keys`` holding a non-empty value, and that value."""
        data = self.data
        for key in keys:
            value = data.get(key)
            if value is None:
                continue
            value = unwrap(value)
            if value not in (None, "", [], {}) and not isinstance(value, bool):
                return key, value
        return None

    @property
    def title(self) -> str | None:
        found = self.first(_TITLE)
        return _text(found[1]) if found is not None else None


def find_post(context: RuleContext) -> Post | None:
    """The post a client element of the page segment carries, if one does."""
    page = Region.PAGE  # read once: enum members are slow to look up
    found = [
        post
        for node in context.page.nodes
        # a host element's tag is a string: asked first, it spares most nodes the rest
        if node.tag is None and node.region is page and isinstance(node.kind, ClientReference)
        for post in (_post_of(node, node.kind),)
        if post is not None
    ]
    titles: dict[str, set[str | None]] = {}
    for post in found:
        titles.setdefault(post.component, set()).add(post.title)
    route = context.page.route_path
    kept = [post for post in found if len(titles[post.component]) == 1 and _on_route(post, route)]
    if not kept:
        return None
    return max(kept, key=lambda p: (p.node.size, len(p.data), -p.node.order))


def _post_of(node: Node, client: ClientReference) -> Post | None:
    """The post-like object in a client element's props: under a post-like key (two
    levels deep at most), else the props themselves."""
    component = f"{client.id}#{client.name or 'default'}"
    level: list[tuple[tuple[str, ...], Mapping[str, Any]]] = [((), node.props)]
    for _ in range(_DEPTH):
        deeper: list[tuple[tuple[str, ...], Mapping[str, Any]]] = []
        for path, holder in level:
            for key in _CONTAINERS:
                value = holder.get(key)
                if value is None:
                    continue
                if type(value) is not dict:
                    value = unwrap(value)
                if isinstance(value, dict):
                    deeper.append(((*path, key), value))
        for path, value in deeper:
            post = Post(value, node, path, component)
            if _is_post(post):
                return post
        level = deeper
    post = Post(node.props, node, (), component)
    return post if _is_post(post) else None


def _is_post(post: Post) -> bool:
    return post.title is not None and post.first(_POST_EVIDENCE) is not None


def _on_route(post: Post, route: str | None) -> bool:
    """Whether the post's slug (or path, URL) is the page's route, when both are known."""
    if route is None:
        return True
    found = post.first(_ROUTE_KEYS)
    if found is None or not isinstance(found[1], str):
        return True
    own = norm_path(url_path(found[1]))
    page = norm_path(route)
    return own == "/" or page == own or page.endswith(own)


def post_fields(post: Post, resolve: Callable[[str], str]) -> dict[str, Candidate]:
    """Every field the post states, as candidates with the post's provenance.

    ``extras.body_markdown`` is the raw Markdown/MDX source when the post carries it.

    Args:
        resolve: makes a URL absolute (against the page's URL).
    """
    readers: tuple[tuple[str, tuple[str, ...], Callable[[Any], Any]], ...] = (
        ("title", _TITLE, _text),
        ("published", _PUBLISHED, _date),
        ("modified", _MODIFIED, _date),
        ("tags", _TAGS, _names),
        ("categories", _CATEGORIES, lambda v: _names(v, Category)),
        ("authors", _AUTHORS, _people),
        ("description", _DESCRIPTION, _text),
        ("url", _URL, lambda v: _absolute(v, resolve)),
        ("image", _IMAGE, lambda v: _absolute(v, resolve)),
    )
    out: dict[str, Candidate] = {}
    for name, keys, read in readers:
        for key in keys:
            value = read(unwrap(post.data.get(key)))
            if value not in (None, "", ()):
                out[name] = post.candidate(value, key)
                break
    people = _author_details(post)
    if people is not None:
        out["authors"] = people
    raw = _raw_body(post)
    if raw is not None:
        out["extras.body_markdown"] = post.candidate(raw[1], *raw[0])
    return out


def _text(value: Any) -> str | None:
    return (" ".join(value.split()) or None) if isinstance(value, str) else None


def _date(value: Any) -> Timestamp | None:
    if isinstance(value, JSDate):  # a Date object sent as "$D…"
        iso = value.isoformat()
        return parse_date(iso) if iso is not None else None
    return parse_date(value) if isinstance(value, str) else None


def _name(item: Any) -> str | None:
    """A string, or an object's ``name`` (else ``title``, ``slug``)."""
    item = unwrap(item)
    if isinstance(item, dict):
        item = next((unwrap(item.get(k)) for k in ("name", "title", "slug") if item.get(k)), None)
    return _text(item)


def _names(value: Any, kind: Callable[[str], Any] = str) -> tuple[Any, ...] | None:
    """Tags or categories: a list of strings or named objects, or a comma-joined string."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        items = [items]
    names: list[str] = []
    for item in items:
        name = _name(item)
        if name is not None and name not in names and len(name) <= 100:
            names.append(name)
    return tuple(kind(name) for name in names) or None


def _people(value: Any) -> tuple[Person, ...] | None:
    """Authors: names, or objects with a ``name`` (and maybe a ``url``)."""
    items = value if isinstance(value, list) else [value]
    people: list[Person] = []
    for item in items:
        item = unwrap(item)
        name = _name(item)
        if name is None or len(name) > 100:
            continue
        url = unwrap(item.get("url")) if isinstance(item, dict) else None
        people.append(Person(name, url if isinstance(url, str) and url else None))
    return tuple(people) or None


def _author_details(post: Post) -> Candidate | None:
    """People the component gets beside the post (``authorDetails``, ``authors``) as
    objects with names: what a post's author slugs (``["default"]``) stand for."""
    for key, value in post.node.props.items():
        if "author" not in key.lower() or (key,) == post.path[:1]:
            continue
        value = unwrap(value)
        items = value if isinstance(value, list) else [value]
        if items and all(isinstance(unwrap(item), dict) for item in items):
            people = _people(value)
            if people is not None:
                return attrs.evolve(post, path=()).candidate(people, key)
    return None


def _absolute(value: Any, resolve: Callable[[str], str]) -> str | None:
    """An http(s) URL: a string, an object's ``url``/``src``, a list's first."""
    value = unwrap(value)
    if isinstance(value, list) and value:
        value = unwrap(value[0])
    if isinstance(value, dict):
        value = unwrap(value.get("url") or value.get("src"))
    if not isinstance(value, str) or not value.strip():
        return None
    url = resolve(value.strip())
    return url if url.startswith(("http://", "https://")) else None


def _raw_body(post: Post) -> tuple[tuple[str, ...], str] | None:
    """The post's Markdown/MDX source: ``body.raw``, ``raw``, ``markdown``, or a
    ``body``/``content`` string of several lines; never compiled code (``body.code``)."""
    body = unwrap(post.data.get("body"))
    if isinstance(body, dict):
        raw = unwrap(body.get("raw"))
        if _is_source(raw, multiline=False):
            return ("body", "raw"), raw
    for key in _RAW_BODY:
        value = unwrap(post.data.get(key))
        if _is_source(value, multiline=key in ("body", "content")):
            return (key,), value
    return None


def _is_source(value: Any, *, multiline: bool) -> bool:
    if not isinstance(value, str) or not value.strip():
        return False
    if multiline and "\n" not in value.strip():
        return False
    return _CODE.search(value[:2000]) is None
