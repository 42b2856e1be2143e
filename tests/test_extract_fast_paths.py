"""Issue 16 (speed): the shortcuts extraction takes read the same as the walks they stand
for: the body's text through XSLT or the walk in Python, a subtree as a slice of the
page, node sizes set by the walk, the one-string text fast path, the meta index, the
JSON depth scan skipped for shallow text, the per-node loops written out, the markup
not read for what the metadata gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from hypothesis import given, settings, strategies as st

from rsc_flight import FlightLimitError, Limits, parse
from rsc_flight.extract import body_text as body_text_module
from rsc_flight.extract.body_text import BLOCKS, body_text
from rsc_flight.extract.generic import Scope, body, dates, identity, people, taxonomy
from rsc_flight.extract.generic.evidence import Evidence
from rsc_flight.extract.generic.scope import is_tag_route, subtree
from rsc_flight.extract.json_text import JSONTooDeepError, load_json
from rsc_flight.extract.rules import RuleContext
from rsc_flight.extract.urls import join
from rsc_flight.model.walk import Budget
from rsc_flight.nextjs.page import read_page
from rsc_flight.tree import document
from rsc_flight.tree.document import top_level_html
from rsc_flight.tree.fragment import parse_fragment
from rsc_flight.tree.query import text_and_cost

from .next_pages import el

DATA = Path(__file__).parent / "data"


def payload(tree: Any) -> bytes:
    return b"0:" + json.dumps(tree).encode() + b"\n"


# -- the body's text -------------------------------------------------------------------


def walked(html: str) -> str | None:
    """The body's text as the walk in Python reads it (the reference)."""
    root = parse_fragment(html)
    if root is None:
        return None
    walk = body_text_module._Walk()
    walk.run(root)
    return "\n\n".join(walk.blocks) or None


def read(html: str) -> str | None:
    root = parse_fragment(html)
    return body_text(root) if root is not None else None


@pytest.mark.parametrize(
    "html",
    [
        "<p>One</p><p>Two <b>bold</b>\nline</p>tail",
        "<div>a<br>b<br/>c</div><ul><li>x</li><li>y</li></ul>",
        "<pre>\n  code <b>x</b>\n</pre>after<pre></pre><p>p</p>",
        "<table><tr><td>1</td><th>2</th></tr></table><caption>c</caption>",
        "<p>a<script>s()</script>b<style>q{}</style>c<template>t</template>d</p>",
        "lead text<h2>Head</h2>  <p>  spaced   out  </p>",
        "<p>&amp; &lt;x&gt; &nbsp; caf\u00e9</p>",
    ],
)
def test_the_transform_reads_as_the_walk(html: str) -> None:
    root = parse_fragment(html)
    assert root is not None
    assert body_text_module._transformed(root) is not None  # the XSLT path was taken
    assert read(html) == walked(html)


@pytest.mark.parametrize(
    "html",
    [
        "<p>a<!-- a comment -->b</p>",  # a comment's text counts, as it always has
        "<?pi x?>hello<p>p1</p>",
        "<p>marker \ue000 in the text</p><p>and \ue002</p>",
        "<p>a reference &#xe001; to one</p>",
    ],
)
def test_comments_and_marker_characters_take_the_walk(html: str) -> None:
    root = parse_fragment(html)
    assert root is not None
    assert body_text_module._transformed(root) is None
    assert read(html) == walked(html)


def test_a_marker_character_in_the_text_is_text() -> None:
    assert read("<p>x \ue000 y</p><p>z</p>") == "x \ue000 y\n\nz"


_TAGS = sorted(BLOCKS | {"br", "span", "b", "a", "script", "style", "template", "img"})
_PIECES = st.one_of(
    st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(["a", " b ", "\n", "c\nd", "\t", "x, y", "&amp;", "<!-- c -->", "\ue001"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_any_fragment_reads_as_the_walk(html: str) -> None:
    assert read(html) == walked(html)


# -- subtrees and sizes ------------------------------------------------------------------


def fixture_pages() -> list[Any]:
    pages = []
    for path in sorted((DATA / "articles").glob("*.rsc")):
        pages.append(read_page(parse(path.read_bytes()).root))
    assert pages
    return pages


def test_a_subtree_is_its_run_of_the_page_and_sizes_add_up() -> None:
    for page in fixture_pages():
        for node in page.nodes:
            assert page.nodes[node.order] is node
            assert node.size == 1 + sum(child.size for child in node.children)
            assert subtree(page.nodes, node) == (node, *node.descendants())


def test_a_subtree_of_nodes_not_numbered_as_the_page_walks_them() -> None:
    page = fixture_pages()[0]
    root = page.nodes[0]
    assert subtree(page.nodes[1:], root) == (root, *root.descendants())


# -- text ------------------------------------------------------------------------------


def test_one_string_is_charged_as_the_walk_charges_it() -> None:
    page = read_page(parse(payload(el("article", None, el("h1", None, "Title")))).root)
    h1 = next(n for n in page.nodes if n.tag == "h1")
    assert text_and_cost(h1.element) == ("Title", 2)
    budget = Budget(Limits(max_expansion=1), "text")
    with pytest.raises(FlightLimitError):
        text_and_cost(h1.element, budget=budget)
    with pytest.raises(FlightLimitError, match="max_output_bytes"):
        text_and_cost(h1.element, limits=Limits(max_output_bytes=3))


# -- head metadata -----------------------------------------------------------------------


def test_meta_entries_are_found_by_name_and_by_property_in_head_order() -> None:
    head = el(
        "head",
        None,
        el("meta", {"name": "author", "content": "Ada"}),
        el("meta", {"property": "author", "content": "Grace"}),
        el("meta", {"name": "og:title", "property": "og:title", "content": "T"}),
        el("meta", {"name": "author", "content": ""}),
        el("meta", {"name": "author", "content": "Alan"}),
    )
    page = read_page(parse(payload(el("html", None, head, el("body", None, "x")))).root)
    ev = Evidence.read(RuleContext(page))
    assert ev.metas("author") == ["Ada", "Grace", "Alan"]
    assert ev.metas("og:title") == ["T"]
    assert ev.meta("missing", "og:title") == "T"
    assert ev.meta("nothing") is None


# -- JSON --------------------------------------------------------------------------------


def test_shallow_json_with_many_brackets_is_scanned_and_read() -> None:
    text = json.dumps([[i] for i in range(600)])  # 601 brackets, two deep
    assert load_json(text, 512) == [[i] for i in range(600)]
    with pytest.raises(JSONTooDeepError):
        load_json("[" * 600 + "]" * 600, 512)


def test_json_with_fewer_brackets_than_the_bound_is_not_scanned(monkeypatch) -> None:
    import rsc_flight.extract.json_text as json_text

    def refuse(text: str, stop_above: int) -> int:
        raise AssertionError("scanned")

    monkeypatch.setattr(json_text, "json_depth", refuse)
    assert load_json('{"a": [1, {"b": 2}]}', 512) == {"a": [1, {"b": 2}]}


# -- per-node loops written out ------------------------------------------------------------


def corpus_pages() -> list[Any]:
    """The fixture articles and the corpus's real-world captures (when present)."""
    pages = fixture_pages()
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "realworld"
    for path in sorted(corpus.glob("*/captured/**/*.html"))[:12]:
        pages.append(read_page(parse(path.read_bytes()).root))
    return pages


def reference_is_tag(node: Any) -> bool:
    """The tag test as first written, one node at a time (the reference)."""
    props = node.props
    rel = props.get("rel")
    if isinstance(rel, str) and "tag" in rel.split():
        return True
    href = props.get("href")
    if isinstance(href, str) and is_tag_route(href):
        return True
    return "className" in props and taxonomy._tag_classes(node.classes)


def test_tag_nodes_are_the_nodes_the_tag_test_passes() -> None:
    page = read_page(
        parse(
            payload(
                el(
                    "article",
                    None,
                    [
                        el("a", {"rel": "tag", "href": "/x"}, "a"),
                        el("a", {"href": "/tags/b"}, "b"),
                        el("span", {"className": "post-tag"}, "c"),
                        el("span", {"className": "token keyword"}, "no"),
                        el("a", {"rel": None, "href": None, "className": None}, "no"),
                        el("p", {}, "no"),
                    ],
                )
            )
        ).root
    )
    tags = taxonomy._tag_nodes(page.nodes)
    assert [n.props.get("children") for n in tags] == ["a", "b", "c"]
    for each in corpus_pages():
        assert taxonomy._tag_nodes(each.nodes) == [n for n in each.nodes if reference_is_tag(n)]


def test_the_aside_test_remembered_per_ancestor_is_the_ancestor_walk() -> None:
    for page in corpus_pages():
        in_aside = body._InAside()
        for node in page.nodes:
            assert in_aside(node) == any(a.tag == "aside" for a in node.ancestors())


def test_top_level_html_without_the_walk_answers_as_the_walk() -> None:
    client = b'1:I["9",[],"Shell"]\n'
    tree = [
        el("p", None, "x"),
        "text",
        None,
        ["$", "$L1", None, {"children": el("html", None, el("body", None, "y"))}],
    ]
    root = parse(client + payload(tree)).root
    assert top_level_html(root) is True
    assert top_level_html(root[:3]) is False
    assert top_level_html(root[0]) is False
    for page in corpus_pages():
        for node in page.nodes:
            value = node.props.get("children")
            assert top_level_html(value) == document._top_level_walk(value)
            assert top_level_html(node.element) == document._top_level_walk(node.element)


def test_the_markup_is_not_read_for_what_the_metadata_gives(monkeypatch) -> None:
    """Dates, authors, tags and the title from JSON-LD: the markup's rules are not asked."""
    ld = {
        "@type": "BlogPosting",
        "dateModified": "2025-01-02",
        "datePublished": "2025-01-01",
        "author": "Ada",
        "keywords": "a, b",
        "headline": "From JSON-LD",
    }
    script = el(
        "script", {"type": "application/ld+json", "dangerouslySetInnerHTML": {"__html": ""}}
    )
    script[3]["dangerouslySetInnerHTML"]["__html"] = json.dumps(ld)
    page = read_page(parse(payload(el("article", None, [script, el("p", {}, "x")]))).root)
    context = RuleContext(page)
    ev, scope = Evidence.read(context), Scope.read(context)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("asked")

    for module, name in (
        (dates, "time_element"),
        (dates, "labelled_date"),
        (people, "byline"),
        (people, "date_byline"),
        (people, "author_card"),
        (taxonomy, "tag_list"),
        (identity, "first"),
        (identity, "only"),
    ):
        monkeypatch.setattr(module, name, refuse)
    assert str(dates.modified(context, ev, scope).value.value) == "2025-01-02"
    assert str(dates.published(ev, scope, None).value.value) == "2025-01-01"
    assert [p.name for p in people.authors(context, ev, scope).value] == ["Ada"]
    assert taxonomy.tags(context, ev, scope).value == ["a", "b"]
    assert identity.title(context, ev, scope).value == "From JSON-LD"


# -- URLs ----------------------------------------------------------------------------------


def reference_join(base: str | None, href: str) -> str:
    if base is None:
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return href


URL_PARTS = st.sampled_from(
    [
        "http://",
        "https://",
        "HTTPS://",
        "a.example",
        "/",
        "//",
        "?",
        "#",
        ";",
        "x",
        "[",
        "]",
        ":8080",
        "@",
        "\t",
        "\n",
        " ",
        "é",
        "%20",
        "..",
        "ﹰ",
        "＃",
        "ß",
    ]
)


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(URL_PARTS, max_size=8).map("".join),
    st.lists(URL_PARTS, max_size=8).map("".join),
)
def test_join_skips_urljoin_only_where_it_gives_the_link_back(base: str, href: str) -> None:
    for b in (base, "https://" + base, "http://" + base):
        for h in (href, "https://" + href, "http://" + href):
            assert join(b, h) == reference_join(b, h)


@pytest.mark.parametrize(
    "href",
    [
        "https://a.example",
        "https://a.example/p/q",
        "https://a.example/?",
        "https://a.example#",
        "https://a.example/p;",
        "https://a.example/\tp",
        "https:///p",
        "http://b.example/x",
        "https://[::1/x",
        "https://a.example:80/x y",
    ],
)
def test_join_of_absolute_links(href: str) -> None:
    for base in ("https://base.example/dir/page", "http://base.example/", None):
        assert join(base, href) == reference_join(base, href)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "tag",
                "Tag-x",
                "ta",
                "g",
                "keyword",
                "token",
                "x",
                "content",
                "prose",
                "author",
                "by",
                "line",
                "ß",
                "İ",
                "-",
            ]
        ),
        max_size=5,
    ).map(
        lambda parts: " ".join("".join(parts[i : i + 2]) for i in range(0, len(parts), 2)).split()
    )
)
def test_class_tests_on_joined_names_read_as_name_by_name(names: list[str]) -> None:
    """The class-name tests search the names joined: same answers as name by name."""
    words = tuple(names)
    assert taxonomy._tag_classes(words) == (
        any(taxonomy._TAG_CLASS.search(c) for c in words)
        and not any(c in taxonomy._CODE_CLASSES for c in words)
    )
    assert body._names_a_body(words) == any(body._BODY_CLASS.search(c) for c in words)
    assert people._names_a_byline(words) == any(c in people._BYLINE_CLASSES for c in words)
