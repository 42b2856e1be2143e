"""``extract_article``: a decoded page through the rules into an :class:`Article`.

Rules run in order (the generic rule first); each field keeps the last value a rule
gave, with the names of the rules it replaced in its provenance.  Values are then made
uniform: URLs absolute, dates :class:`Timestamp`, authors :class:`Person`, categories
:class:`Category`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from typing import Literal

import attrs

from ..limits import DEFAULT_LIMITS, Limits
from ..model.payload import Payload, parse
from ..nextjs.page import read_page
from ..tree.guard import stage_boundary
from ..wire.inputs import read_input
from ..wire.rows import TextRow
from .body_text import body_text
from .fields import EXTRAS, FIELDS, coerce, enrich_categories
from .generic import generic_fields
from .model import Article, Link, RouteInfo, SiteSnapshot
from .rules import Candidate, Rule, RuleContext, entry_point_rules
from .sites import SITE_RULES
from .status import status

__all__ = ["BUILTIN_RULES", "GENERIC_RULE", "default_rules", "extract_article"]

#: The generic extractor as a rule: it reads any Next.js page, and goes first.
GENERIC_RULE = Rule(name="generic", hook=generic_fields)
#: The generic rule and the site rules shipped with the library.
BUILTIN_RULES: tuple[Rule, ...] = (GENERIC_RULE, *SITE_RULES)


@functools.cache
def default_rules() -> tuple[Rule, ...]:
    """The built-in rules, then those installed packages offer (``rsc_flight.rules``).

    Looked up once per process: asking the installed packages costs more than
    extracting a page.  ``default_rules.cache_clear()`` looks again.
    """
    return (*BUILTIN_RULES, *entry_point_rules())


@stage_boundary("extract_article")
def extract_article(
    data: bytes | str | os.PathLike[str] | Payload,
    *,
    url: str | None = None,
    rules: Iterable[Rule] | None = None,
    source: Literal["auto", "flight", "html"] = "auto",
    limits: Limits = DEFAULT_LIMITS,
    strict: bool = False,
) -> Article:
    """The article a Next.js page or payload holds.

    Args:
        data: a raw payload, an HTML page with inline flight data, or a parsed
            :class:`~rsc_flight.Payload`; a :class:`~pathlib.Path` (any ``os.PathLike``)
            is a file to read (plain, gzipped, brotli or WARC).  A ``str`` is payload
            text, never a file name: ``rsc_flight.wire.read_input`` reads names and URLs.
        url: the URL the page was fetched from; used when the page does not say its own.
        rules: the rules to apply, in order (default: :func:`default_rules`).  Include
            :data:`GENERIC_RULE` first unless you mean to replace it.
        source: as for :func:`~rsc_flight.parse`.
        limits: as for :func:`~rsc_flight.parse`.
        strict: as for :func:`~rsc_flight.parse`.

    Raises:
        FlightError: the input is not a readable payload (in strict mode, or when no
            flight data is found at all).

    Example::

        >>> from rsc_flight import extract_article
        >>> page = b'0:["$","article",null,{"children":["$","h1",null,{"children":"Hi"}]}]\\n'
        >>> extract_article(page).title
        'Hi'
    """
    if isinstance(data, os.PathLike):
        found = read_input(data)
        data, url = found.data, url or found.url
    payload = (
        data
        if isinstance(data, Payload)
        else parse(data, source=source, limits=limits, strict=strict)
    )
    page = read_page(payload.root, limits=limits)
    context = RuleContext(page, url, limits)
    for rule in default_rules() if rules is None else rules:
        for name, candidate in rule.run(context).items():
            _merge(context, name, candidate)
    return _article(payload, context)


def _merge(context: RuleContext, name: str, candidate: Candidate) -> None:
    """Set a field from a rule's candidate: coerced, with the rules it replaces named.

    Categories are enriched here, once, for every rule: one named without a URL takes
    the URL and group the site's navigation or an earlier rule gave it.
    """
    value = coerce(name, candidate.value, context.absolute)
    if value is None:
        return
    provenance = candidate.provenance
    previous = context.found.get(name)
    if previous is not None and previous.provenance.rule != provenance.rule:
        replaced = (*previous.provenance.replaced, previous.provenance.rule)
        provenance = attrs.evolve(provenance, replaced=replaced)
    if name == "categories":
        site = context.shared.get("site")
        known = [*site.navigation] if isinstance(site, SiteSnapshot) else []
        if previous is not None and isinstance(previous.value, tuple):
            known.extend(previous.value)
        value = enrich_categories(value, known)
    context.found[name] = Candidate(value, provenance)


def _article(payload: Payload, context: RuleContext) -> Article:
    found = context.found
    shared = context.shared
    values = {name: c.value for name, c in found.items()}
    provenance = {name: c.provenance for name, c in found.items()}
    body = values.get("body_html")
    if isinstance(body, str) and "body_html" in provenance:
        row = _text_row_of(payload, body)
        if row is not None:
            provenance["body_html"] = attrs.evolve(provenance["body_html"], row=row)
    page = context.page
    warnings = list(shared.get("warnings", ()))
    tree = context.tree_body(body) if isinstance(body, str) else None
    if tree is not None:  # rendered here from a tree read as the parse would read it
        body_text: str | None = tree.text
        links = tuple(Link(context.absolute(href), text, rel) for href, text, rel in tree.links)
    elif isinstance(body, str):
        body_text = _body_text(body, context)
        links = _body_links(body, context)
    else:
        body_text, links = None, ()
    article_status = status(payload, page, body_text, warnings)
    return Article(
        **{name: value for name, value in values.items() if name in FIELDS},
        canonical_url=shared.get("canonical"),
        body_text=body_text,
        links=links,
        json_ld=shared.get("json_ld", ()),
        head=shared.get("head", ()),
        extras={
            name[len(EXTRAS) :]: c.value for name, c in found.items() if name.startswith(EXTRAS)
        },
        site=shared.get("site", SiteSnapshot(build_id=page.build_id)),
        route=RouteInfo(page.form, page.route_pattern, page.route_path, page.params),
        provenance=provenance,
        warnings=tuple(warnings),
        status=article_status,
    )


def _text_row_of(payload: Payload, text: str) -> int | None:
    """The id of the text row a string was decoded from (the body usually is one)."""
    for row in payload.rows:
        if isinstance(row, TextRow) and row.id is not None:
            chunk = payload.chunk(row.id)
            if chunk is not None and chunk.value is text:
                return row.id
    return None


def _body_text(html: str, context: RuleContext) -> str | None:
    """The body's text (see :mod:`.body_text`)."""
    root = context.fragment(html)
    return body_text(root) if root is not None else None


def _body_links(html: str, context: RuleContext) -> tuple[Link, ...]:
    root = context.fragment(html)
    if root is None:
        return ()
    links = []
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if href and not href.startswith(("javascript:", "#")):
            text = " ".join(anchor.text_content().split()) or None
            links.append(Link(context.absolute(href), text, anchor.get("rel")))
    return tuple(links)
