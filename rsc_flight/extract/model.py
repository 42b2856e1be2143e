"""The article model: what a page says about itself, with where each value came from.

Archivists re-check extractions long after the crawl, so an :class:`Article` keeps more
than answers: every field's :class:`Provenance` (the rule, the source in the page, the
row), the raw head entries and JSON-LD objects (to go around our choices), and warnings
(for example "the head carries site-wide values").  What describes the *site* at crawl
time (sidebar category counts, the site's name and tagline) goes in a separate
:class:`SiteSnapshot`, so it never pollutes article fields.

``to_dict()`` gives JSON-safe data; ``to_markdown()`` the front-matter-plus-Markdown form
static-site generators read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ..errors import FlightLimitError
from ..tree.guard import stage_boundary
from .dates import Timestamp

__all__ = [
    "STATUSES",
    "Article",
    "Category",
    "Link",
    "NavEntry",
    "Person",
    "Provenance",
    "RouteInfo",
    "SiteSnapshot",
]


#: How far an extraction can be trusted (see :attr:`Article.status`).
Status = Literal["ok", "partial", "empty", "not_found"]
#: Every status, best first.
STATUSES: tuple[Status, ...] = ("ok", "partial", "empty", "not_found")


@attrs.frozen
class Provenance:
    """Where a field's value came from.

    Attributes:
        rule: the rule that gave it (``"generic"``, ``"theme.minimal-mistakes"``…).
        source: the kind of evidence: ``head``, ``layout_head``, ``hoisted``, ``json_ld``,
            ``time``, ``article``, ``inner_html``, ``client_props``, ``route``, ``nav``,
            ``derived``, ``caller``, ``selector``.
        row: the flight row the evidence was decoded from, when known.
        detail: what exactly (a meta name, a selector, a JSON-LD key).
        replaced: rules whose value for this field this one overrode.
    """

    rule: str
    source: str
    row: int | None = None
    detail: str | None = None
    replaced: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "source": self.source}
        if self.row is not None:
            out["row"] = f"{self.row:x}"
        if self.detail is not None:
            out["detail"] = self.detail
        if self.replaced:
            out["replaced"] = list(self.replaced)
        return out


@attrs.frozen
class Link:
    """A link: its absolute URL and text."""

    url: str
    text: str | None = None
    rel: str | None = None


@attrs.frozen
class Person:
    """An author (or another role: ``creator``, ``publisher``)."""

    name: str
    url: str | None = None
    role: str = "author"


@attrs.frozen
class Category:
    """A category or section, with its URL and parent group when the page shows them."""

    name: str
    url: str | None = None
    parent: str | None = None


@attrs.frozen
class NavEntry:
    """A navigation link of the site (a category in a sidebar) and the count shown with it."""

    name: str
    url: str | None = None
    parent: str | None = None
    count: int | None = None


@attrs.frozen
class SiteSnapshot:
    """Site-wide state seen on the page: true of the site at crawl time, not of the article.

    Attributes:
        name: the site's name (``og:site_name``, or a head title judged site-wide).
        origin: ``scheme://host`` of the site.
        description: the site's tagline, when the head carries it instead of the page's.
        build_id: the Next.js build id.
        navigation: the site's navigation links, with their group and the counts shown
            beside them (``Review (2215)``).
    """

    name: str | None = None
    origin: str | None = None
    description: str | None = None
    build_id: str | None = None
    navigation: tuple[NavEntry, ...] = ()


@attrs.frozen
class RouteInfo:
    """What the Next.js router says about the page."""

    form: str = "plain"
    pattern: str | None = None
    path: str | None = None
    params: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen(repr=False)
class Article:
    """An article extracted from a page.  Every field may be missing (``None`` or empty).

    Attributes:
        url: the page's own URL (page-level canonical, or derived from the route).
        canonical_url: the canonical URL as the head declares it, even when it is wrong
            (a site root on every page).
        title, description, site_name, language: as named; ``language`` is BCP 47.
        authors: the article's authors.
        published, modified: :class:`~rsc_flight.Timestamp` values with raw text and precision.
        tags, categories: in page order.
        image: the main image's absolute URL.
        robots: the robots directives the head declares (``"index, follow"``).
        body_html: the article body as HTML (verbatim when the page ships it as HTML).
        body_text: the body's text, blocks separated by blank lines.
        prev, next: the neighbouring articles, when the page links them.
        links: the links inside the body.
        json_ld: the JSON-LD objects found anywhere in the page.
        head: the head entries (``title``, ``meta``, ``link``) in order, with their source.
        extras: values rules give beyond the standard fields.
        site: what the page shows of the site.
        route: what the router says.
        provenance: for each field set, where it came from.
        warnings: what the extractor noticed and could not settle, the payload's decoder
            diagnostics (``payload: …``), and the reason for a status other than ``ok``.
        status: how far the extraction can be trusted: ``"ok"`` (read in full, a body
            found), ``"partial"`` (parts of the payload could not be read or rows never
            arrived: the warnings say which), ``"empty"`` (read in full, no body), or
            ``"not_found"`` (Next's not-found page, not an article).  An ``Article``
            built by hand is ``"ok"``.
    """

    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    description: str | None = None
    site_name: str | None = None
    language: str | None = None
    authors: tuple[Person, ...] = ()
    published: Timestamp | None = None
    modified: Timestamp | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[Category, ...] = ()
    image: str | None = None
    robots: str | None = None
    body_html: str | None = None
    body_text: str | None = None
    prev: Link | None = None
    next: Link | None = None
    links: tuple[Link, ...] = ()
    json_ld: tuple[Any, ...] = ()
    head: tuple[Mapping[str, str], ...] = ()
    extras: Mapping[str, Any] = attrs.field(factory=dict)
    site: SiteSnapshot = attrs.field(factory=SiteSnapshot)
    route: RouteInfo = attrs.field(factory=RouteInfo)
    provenance: Mapping[str, Provenance] = attrs.field(factory=dict)
    warnings: tuple[str, ...] = ()
    status: Status = "ok"

    @stage_boundary("Article.to_dict")
    def __repr__(self) -> str:
        """One line a person can read: the status and the main fields, not the body."""
        published = self.published.value.isoformat() if self.published else None
        body = f"{len(self.body_text)} chars" if self.body_text else None
        return (
            f"<Article {self.status} title={self.title!r} published={published} "
            f"authors={len(self.authors)} tags={len(self.tags)} url={self.url!r} body={body}>"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe data: dates as ``{"value", "precision", "raw"}``, links as dicts."""
        out = {
            field.name: _plain(getattr(self, field.name))
            for field in attrs.fields(Article)
            if field.name != "provenance"
        }
        out["provenance"] = {name: p.to_dict() for name, p in self.provenance.items()}
        return out

    @stage_boundary("Article.to_markdown")
    def to_markdown(self) -> str:
        """YAML front matter and a Markdown body, the form a static-site generator reads.

        The export stage writes both (:func:`rsc_flight.export.front_matter` from
        :meth:`to_dict`, :func:`rsc_flight.html_to_markdown` for the body), so the same
        conventions serve anyone who has the fields without an ``Article``.
        """
        from ..export import front_matter, html_to_markdown

        front = front_matter(self.to_dict())
        if not self.body_html:
            return front
        return front + html_to_markdown(self.body_html)


#: Deepest nesting :meth:`Article.to_dict` writes: above the JSON-LD the extractor keeps
#: under the default ``max_depth`` (512), and shallow enough that ``json.dumps`` of the
#: result (which recurses) stays within Python's default recursion limit of 1000.
MAX_PLAIN_DEPTH = 768
#: Most values :meth:`Article.to_dict` writes: a value reached again through itself (a
#: hook may return anything) would otherwise never end.
MAX_PLAIN_VALUES = 10_000_000


def _plain(value: Any) -> Any:
    """A JSON-safe copy of a model value, built with an explicit stack (JSON-LD can nest
    hundreds of levels; the copy must not cost a Python frame per level).

    Raises:
        FlightLimitError: the value nests deeper than :data:`MAX_PLAIN_DEPTH` or holds
            more than :data:`MAX_PLAIN_VALUES` values.
    """
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any, int]] = [(value, root, 0, 0)]
    left = MAX_PLAIN_VALUES
    while stack:
        item, target, key, depth = stack.pop()
        left -= 1
        if left < 0 or depth > MAX_PLAIN_DEPTH:
            raise FlightLimitError(
                f"article data nests deeper than {MAX_PLAIN_DEPTH} levels"
                if left >= 0
                else f"article data holds more than {MAX_PLAIN_VALUES} values"
            )
        children: list[tuple[Any, Any]]
        if isinstance(item, Timestamp):
            target[key] = item.to_dict()
            continue
        if attrs.has(type(item)):
            out: Any = {f.name: None for f in attrs.fields(type(item))}
            children = [(name, getattr(item, name)) for name in out]
        elif isinstance(item, Mapping):
            out = {str(k): None for k in item}
            children = [(str(k), v) for k, v in item.items()]
        elif isinstance(item, (list, tuple)):
            out = [None] * len(item)
            children = list(enumerate(item))
        else:
            target[key] = _scalar(item)
            continue
        target[key] = out
        stack.extend((child, out, name, depth + 1) for name, child in reversed(children))
    return root[0]


def _scalar(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    return str(value)
