"""Issue 16, client components: the post read from a client component's props, the body
from an element-valued prop, and a library's heading component taken for the ``h1``; on
hand-made fixtures (``tests/data/articles/props-*.rsc``, see its README) and small pages
built here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rsc_flight import extract_article
from rsc_flight.extract import Article
from rsc_flight.extract.generic.components import host_tag
from rsc_flight.model.values import ClientReference, Element
from rsc_flight.nextjs.page import Node, Region

from .next_pages import el, meta, next15

ARTICLES = Path(__file__).parent / "data" / "articles"
SEGMENTS: list[Any] = ["blog", ["slug", "a-post", "d"]]
PARAGRAPHS = [
    el("p", {}, "Every row of a payload is a value the client can rebuild on its own terms."),
    el("p", {}, "References point at rows that may arrive later, so the reader has to wait."),
]


def article(name: str) -> Article:
    return extract_article((ARTICLES / name).read_bytes())


def page(tree: Any, head: list[Any], imports: dict[str, str]) -> Article:
    """A Next 15 page whose client components are ``imports`` (row id → export name)."""
    rows = "".join(
        f"{rid}:I{json.dumps([900 + i, [], name])}\n"
        for i, (rid, name) in enumerate(imports.items())
    )
    return extract_article(rows.encode() + next15(tree, head, segments=SEGMENTS))


# Contentlayer/pliny style: a client PostLayout gets the document, MDX as children.


def test_a_content_layer_post_is_read_from_the_layout_props() -> None:
    found = article("props-content-layer.rsc")
    assert found.status == "ok"
    # Not "Getting started", the body's first heading (the header is drawn on the client).
    assert found.title == "Shipping Static Sites"
    title = found.provenance["title"]
    assert (title.source, title.detail, title.row) == (
        "client_props",
        "200#PostLayout content.title",
        2,
    )
    assert found.published is not None
    assert found.published.isoformat() == "2024-01-15T00:00:00+00:00"
    assert found.modified is not None
    assert found.modified.isoformat() == "2024-02-01"
    assert found.provenance["modified"].detail == "200#PostLayout content.lastmod"
    assert found.tags == ("next-js", "static")
    assert found.description == "What a static export gives and what it takes away."


def test_author_slugs_give_way_to_the_author_details_beside_the_post() -> None:
    found = article("props-content-layer.rsc")
    assert [(p.name, p.url) for p in found.authors] == [("Jo Example", "https://jo.example/")]
    assert found.provenance["authors"].detail == "200#PostLayout authorDetails"


def test_the_server_rendered_mdx_is_the_body_not_the_compiled_code() -> None:
    found = article("props-content-layer.rsc")
    assert found.body_text is not None
    assert found.body_text.startswith("Static export turns every route into a file")
    assert "Getting started" in found.body_text  # a heading of the body, kept there
    assert "_createMdxContent" not in (found.body_html or "")
    assert "body_markdown" not in found.extras  # the page has a body to show


# MUI style: Typography component="h1", the body an element-valued prop.


def test_typography_told_to_render_an_h1_is_the_title() -> None:
    found = article("props-mui.rsc")
    assert found.title == "Styling Without Tears"  # not the MDX's "Background"
    assert (found.provenance["title"].source, found.provenance["title"].detail) == (
        "article",
        "h1",
    )


def test_an_element_valued_prop_of_a_client_component_is_the_body() -> None:
    found = article("props-mui.rsc")
    assert found.status == "ok"
    assert found.body_text is not None
    assert found.body_text.startswith("Theme tokens keep spacing")
    assert "Background" in found.body_text
    assert found.body_text.endswith("scattered.")
    assert found.provenance["body_html"].detail == "content fragment"


# Chakra style: Heading as="h1", the post's fields as a client component's own props.


def test_heading_as_h1_is_the_title_and_leads_no_body() -> None:
    found = article("props-chakra.rsc")
    assert found.title == "Tokens All the Way Down"
    # The markup says the same as the props: its own evidence stays.
    assert found.provenance["title"].detail == "h1"
    assert found.body_text is not None
    assert found.body_text.startswith("A first section")


def test_a_components_own_props_can_be_the_post() -> None:
    found = article("props-chakra.rsc")
    assert found.tags == ("design-systems", "css")  # objects with a name
    assert [p.name for p in found.authors] == ["Lin Example"]
    assert found.published is not None
    assert found.published.isoformat() == "2024-05-06"
    assert found.provenance["tags"].detail == "401#PostMeta tags"
    assert found.provenance["tags"].source == "client_props"


# Precedence and which object is the post.


def test_json_ld_is_kept_and_a_disagreeing_prop_is_a_warning() -> None:
    ld = json.dumps({"@type": "BlogPosting", "headline": "Rows", "datePublished": "2024-03-01"})
    tree = el(
        "article",
        {},
        el("script", {"type": "application/ld+json", "dangerouslySetInnerHTML": {"__html": ld}}),
        el("$L9", {"post": {"title": "Rows", "date": "2024-02-28", "tags": ["flight"]}}),
        *PARAGRAPHS,
    )
    found = page(tree, [], {"9": "PostHeader"})
    assert found.published is not None
    assert found.published.isoformat() == "2024-03-01"
    assert found.provenance["published"].source == "json_ld"
    assert found.tags == ("flight",)  # the page states none: the props fill it in
    assert found.warnings == (
        "published: the client props (900#PostHeader post.date) say 2024-02-28, the json_ld"
        " evidence (datePublished) says 2024-03-01; kept the latter",
    )


def test_a_date_in_the_url_gives_way_to_the_props() -> None:
    tree = el(
        "article",
        {},
        el("$L9", {"frontmatter": {"title": "T", "date": "$D2024-03-02T10:00:00.000Z"}}),
        *PARAGRAPHS,
    )
    data = next15(tree, [], segments=["blog", ["slug", "2024-01-01-a-post", "d"]])
    found = extract_article(b'9:I[900,[],"Header"]\n' + data)
    assert found.published is not None
    assert found.published.isoformat() == "2024-03-02T10:00:00+00:00"  # a Date prop
    assert found.provenance["published"].detail == "900#Header frontmatter.date"


def test_cards_of_other_posts_are_not_the_post() -> None:
    card = "9"
    tree = el(
        "article",
        {},
        el("h1", {}, "The Post"),
        *PARAGRAPHS,
        el("$L9", {"post": {"title": "Older", "date": "2020-01-01", "tags": ["a"]}}),
        el("$L9", {"post": {"title": "Newer", "date": "2021-01-01", "tags": ["b"]}}),
    )
    found = page(tree, [], {card: "PostCard"})
    assert found.title == "The Post"
    assert found.published is None
    assert found.tags == ()


def test_a_post_whose_slug_is_another_page_is_not_this_one() -> None:
    tree = el(
        "article",
        {},
        *PARAGRAPHS,
        el("$L9", {"post": {"title": "Next up", "date": "2020-01-01", "slug": "other-post"}}),
    )
    assert page(tree, [], {"9": "NextPost"}).title is None
    tree[3]["children"][2][3]["post"]["slug"] = "a-post"
    assert page(tree, [], {"9": "NextPost"}).title == "Next up"


def test_without_a_body_the_raw_markdown_is_kept_never_compiled_code() -> None:
    body = {"raw": "# Rows\n\nEvery row is a value.\n", "code": "return _jsx('p', {})"}
    tree = el("div", {}, el("$L9", {"doc": {"title": "Rows", "date": "2024-01-01", "body": body}}))
    found = page(tree, [], {"9": "MdxPage"})
    assert found.body_html is None
    assert found.extras["body_markdown"] == "# Rows\n\nEvery row is a value.\n"
    assert found.provenance["extras.body_markdown"].detail == "900#MdxPage doc.body.raw"
    compiled = {"title": "Rows", "date": "2024-01-01", "body": {"code": "var Component=1"}}
    tree = el("div", {}, el("$L9", {"doc": compiled}))
    assert "body_markdown" not in page(tree, [], {"9": "MdxPage"}).extras


def test_a_head_title_stays_and_the_markup_title_fills_from_props_only_when_missing() -> None:
    tree = el(
        "article", {}, el("$L9", {"meta": {"title": "From Props", "tags": ["x"]}}), *PARAGRAPHS
    )
    head = [el("title", {}, "From the Head | Site"), meta("og:site_name", "Site")]
    found = page(tree, head, {"9": "Meta"})
    assert found.title == "From the Head"
    assert found.warnings == (
        "title: the client props (900#Meta meta.title) say 'From Props', the head evidence"
        " (title) says 'From the Head'; kept the latter",
    )
    assert page(tree, [], {"9": "Meta"}).title == "From Props"


# What a library component renders as.


def _client(props: dict[str, Any], name: str = "Typography") -> Node:
    kind = ClientReference(1, (), name)
    return Node(Element(kind, None, props), kind, props, None, Region.PAGE, 2)


@pytest.mark.parametrize(
    ("props", "name", "tag"),
    [
        ({"component": "h1"}, "Typography", "h1"),
        ({"variant": "h2"}, "Typography", "h2"),
        ({"variant": "h1", "component": "div"}, "Typography", "div"),
        ({"as": "h1"}, "Heading", "h1"),
        ({"order": 1}, "Title", "h1"),
        ({"order": 1}, "Stepper", None),
        ({"variant": "body1"}, "Typography", None),
        ({"component": "$L4"}, "Box", None),
        ({}, "Heading", None),
    ],
)
def test_host_tag_of_a_library_component(props: dict[str, Any], name: str, tag: str | None) -> None:
    assert host_tag(_client(props, name)) == tag
