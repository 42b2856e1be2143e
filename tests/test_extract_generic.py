"""The generic rule's per-field rules, each called alone with explicit inputs."""

from __future__ import annotations

from typing import Any

from rsc_flight import parse
from rsc_flight.extract import GENERIC_RULE, Category, NavEntry, RuleContext
from rsc_flight.extract.generic import Evidence, Scope, body, dates, identity, taxonomy
from rsc_flight.extract.generic.rule import generic_fields
from rsc_flight.extract.generic.scope import resolver
from rsc_flight.nextjs.page import read_page

from .next_pages import el, meta, next15
from .test_article import NAV, PAGE_HEAD, SEGMENTS, SITE_HEAD, article_page


def context_of(head: list[Any], *, url: str | None = None) -> RuleContext:
    payload = next15(article_page(), head, segments=SEGMENTS, nav=NAV)
    return RuleContext(read_page(parse(payload).root), url)


def test_the_rule_leaves_context_found_alone() -> None:
    """Fields are returned, never written into ``context.found`` mid-rule."""
    context = context_of(SITE_HEAD)
    fields = generic_fields(context)
    assert context.found == {}
    assert fields["url"].value == "https://journal.example.org/notes/second-post/"
    # Links were still resolved against the page's URL, passed explicitly.
    assert fields["prev"].value.url == "https://journal.example.org/notes/first-post/"
    assert GENERIC_RULE.hook is generic_fields


def test_evidence_judges_the_site_defaults_once() -> None:
    site = Evidence.read(context_of(SITE_HEAD))
    assert (site.canonical_site, site.og_site) == (True, True)
    assert site.canonical == "https://journal.example.org/"
    assert site.warnings[0].startswith("canonical URL https://journal.example.org/ is not")
    page = Evidence.read(context_of(PAGE_HEAD))
    assert (page.canonical_site, page.og_site, page.warnings) == (False, False, ())
    assert page.site_name == "Flight Journal"


def test_title_and_description_take_the_site_name_as_input() -> None:
    context = context_of(SITE_HEAD)
    ev, scope = Evidence.read(context), Scope.read(context)
    found = identity.title(context, ev, scope)
    assert found is not None
    assert (found.value, found.provenance.detail) == ("The Second Post", "h1")
    # The head's description is the layout's when the title is the site's name...
    assert identity.description(ev, "Flight Journal") is None
    assert identity.site_description(ev, "Flight Journal") == "Notes on streaming React payloads."
    # ...and the page's own when the site is named otherwise.
    own = identity.description(ev, "Another Site")
    assert own is not None
    assert own.value == "Notes on streaming React payloads."
    assert identity.site_description(ev, "Another Site") is None


def test_page_url_resolves_a_relative_canonical_with_the_given_resolver() -> None:
    head = [el("link", {"rel": "canonical", "href": "/notes/second-post/"})]
    context = context_of(head)
    ev = Evidence.read(context)
    found = identity.page_url(context, ev, None, resolver("https://mirror.example/"))
    assert found is not None
    assert found.value == "https://mirror.example/notes/second-post/"
    unresolved = identity.page_url(context, ev, None, resolver(None))
    assert unresolved is not None
    assert unresolved.value == "/notes/second-post/"


def test_category_from_the_navigation_depends_on_the_page_url_given() -> None:
    context = context_of(SITE_HEAD)
    ev = Evidence.read(context)
    nav = [NavEntry("Notes", "https://journal.example.org/notes/", "Writing", 12)]
    found = taxonomy.categories(ev, nav, "https://journal.example.org/notes/second-post/")
    assert found is not None
    assert found.value == [Category("Notes", "https://journal.example.org/notes/", "Writing")]
    assert taxonomy.categories(ev, nav, "https://journal.example.org/misc/post/") is None
    assert taxonomy.categories(ev, nav, None) is None
    # The navigation itself is read with links resolved by the resolver it is given.
    scope = Scope.read(context)
    read = taxonomy.navigation(context, scope.article, resolver("https://other.example/x"))
    assert read == [NavEntry("Notes", "https://other.example/notes/", "Writing", 12)]


def test_dates_from_markup_and_from_the_route() -> None:
    context = context_of(SITE_HEAD)
    ev, scope = Evidence.read(context), Scope.read(context)
    published = dates.published(ev, scope, route_path=None)
    assert published is not None
    assert published.value.raw == "2025-05-06 18:20:00+0900"
    modified = dates.modified(context, ev, scope)
    assert modified is not None
    assert modified.provenance.detail == "updated label"
    from_route = dates.slug_date("/posts/2024-02-29-leap")
    assert from_route is not None
    assert str(from_route.value.value) == "2024-02-29"


def test_neighbours_use_the_resolver_and_skip_the_body() -> None:
    context = context_of([meta("og:title", "x")])
    ev, scope = Evidence.read(context), Scope.read(context)
    found_body = body.body(context, scope.nodes)
    assert found_body.candidate is not None
    assert found_body.warning is None
    prev, nxt = body.neighbours(
        context, ev, scope.page_nodes, found_body.node, resolver("https://a.example/b/")
    )
    assert prev is not None
    assert nxt is not None
    assert (prev.value.url, nxt.value.url) == (
        "https://a.example/notes/first-post/",
        "https://a.example/notes/third-post/",
    )
