"""Issue 16: the body found by its content, tags from tag lists only, authors from cards
and bylines beside the date, and the article's status; on hand-made fixtures
(``tests/data/articles/``, see its README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rsc_flight import FlightError, FlightLimitError, Limits, extract_article, parse
from rsc_flight.extract import Article
from rsc_flight.extract.generic import content
from rsc_flight.extract.rules import RuleContext
from rsc_flight.extract.status import missing_rows, not_found_signal
from rsc_flight.nextjs.page import read_page

from .next_pages import el, next15

ARTICLES = Path(__file__).parent / "data" / "articles"


def article(name: str) -> Article:
    return extract_article((ARTICLES / name).read_bytes())


def test_an_mdx_body_straight_in_the_page_segment_is_found_by_content() -> None:
    found = article("mdx-body.rsc")
    assert found.status == "ok"
    assert found.body_text is not None
    assert found.body_text.startswith("Flight rows can arrive in any order")
    assert "const x = 1" in found.body_text
    assert found.body_text.endswith("once the order is understood.")
    # The post header (title, byline, date, tag list) is not part of the body.
    assert "Rows Out of Order" not in found.body_text
    assert "Grace Hopper" not in found.body_text
    assert found.provenance["body_html"].detail == "content fragment"


def test_tags_come_from_the_tag_list_not_from_code_or_body_links() -> None:
    found = article("mdx-body.rsc")
    # Not "const" (a highlighter's span.token.keyword), not "other posts on streaming"
    # (a link to the tag route inside a paragraph).
    assert found.tags == ("streaming",)


def test_names_written_before_the_date_are_the_authors() -> None:
    found = article("mdx-body.rsc")
    assert [p.name for p in found.authors] == ["Grace Hopper", "Alan Kay"]
    assert found.provenance["authors"].detail == "byline by date"


def test_prose_beats_a_larger_highlighted_code_fragment() -> None:
    found = article("prose-and-code.rsc")
    assert found.body_text is not None
    assert found.body_text.startswith("Types catch mistakes")
    assert "Editors read the types" in found.body_text
    assert found.provenance["body_html"].source == "article"  # rendered, not the fragment


def test_an_avatar_named_beside_it_is_an_author_card() -> None:
    found = article("author-card.rsc")
    assert [p.name for p in found.authors] == ["Joan Clarke"]
    assert found.provenance["authors"].detail == "author card"
    # The body's figure caption sits beside an image too, but in the body.
    assert found.body_html is not None
    assert found.body_html.startswith("<p>Preview mode")


def test_nextjs_not_found_page_is_reported_as_such() -> None:
    found = article("not-found.rsc")
    assert found.status == "not_found"
    assert found.warnings == (
        "not found: row 2 is Next's not-found error (NEXT_HTTP_ERROR_FALLBACK;404)",
    )
    assert found.to_dict()["status"] == "not_found"


def test_the_unkeyed_noindex_meta_alone_marks_the_not_found_page() -> None:
    data = (ARTICLES / "not-found.rsc").read_bytes().replace(b"2:E", b"9:E")
    data = data.replace(b"NEXT_HTTP_ERROR_FALLBACK;404", b"SOMETHING_ELSE")
    payload = parse(data)
    reason = not_found_signal(payload, read_page(payload.root))
    assert reason is not None
    assert "noindex" in reason
    # The Metadata API's own robots tag is keyed: a page that asks not to be indexed is
    # still an article.
    keyed = data.replace(b'["$","meta",null,{"name":"robots"', b'["$","meta","1",{"name":"robots"')
    payload = parse(keyed)
    assert not_found_signal(payload, read_page(payload.root)) is None


def test_a_page_with_missing_rows_or_unreadable_bytes_is_partial() -> None:
    found = article("partial.rsc")
    assert found.status == "partial"
    assert found.warnings[0].startswith("payload: error: bad length header")
    assert "partial: rows 5 are referenced but never arrived" in found.warnings
    payload = parse((ARTICLES / "partial.rsc").read_bytes())
    assert missing_rows(read_page(payload.root).nodes) == [5]


def test_a_page_without_a_body_is_empty() -> None:
    found = article("empty.rsc")
    assert (found.status, found.title, found.body_html) == ("empty", "Gallery", None)
    assert found.warnings == ("empty: no article body was found",)


def test_a_post_is_ok() -> None:
    found = article("author-card.rsc")
    assert (found.status, found.warnings) == ("ok", ())


@pytest.mark.parametrize("tag", ["nav", "aside", "footer", "svg"])
def test_the_body_is_never_in_navigation_or_an_icon(tag: str) -> None:
    many = [el("p", {}, f"Link list entry number {i}, long enough to count.") for i in range(9)]
    page = el(
        "div",
        {},
        el(tag, {}, *many),
        el("article", {}, el("p", {}, "The only paragraph of the post, and its text.")),
    )
    data = next15(page, [], segments=["x"])
    context = RuleContext(read_page(parse(data).root))
    found = content.best_container(context, context.content_nodes)
    assert found is not None
    assert found.node.tag == "article"


def test_the_body_holds_a_long_list_inside_it() -> None:
    """Crediting only the nearest containers would pick the section with the list."""
    items = [el("li", {}, f"item {i}") for i in range(6)]
    body = el(
        "div",
        {"className": "x"},
        el("p", {}, "An opening paragraph, with a comma, says what the list is about."),
        el("section", {}, el("ol", {}, *items)),
    )
    data = next15(el("article", {}, el("h1", {}, "T"), body), [], segments=["x"])
    context = RuleContext(read_page(parse(data).root))
    found = content.best_container(context, context.content_nodes)
    assert found is not None
    assert found.node.classes == ("x",)


def test_a_list_of_links_scores_nothing() -> None:
    links = [el("li", {}, el("a", {"href": f"/p/{i}"}, f"Post number {i}")) for i in range(9)]
    page = el(
        "div",
        {},
        el("ul", {"className": "related"}, *links),
        el("div", {"className": "text"}, el("p", {}, "A short paragraph, but prose.")),
    )
    context = RuleContext(read_page(parse(next15(page, [], segments=["x"])).root))
    found = content.best_container(context, context.content_nodes)
    assert found is not None
    assert found.node.classes == ("text",)


def test_an_updated_label_in_the_body_is_not_the_modified_date() -> None:
    body = el(
        "div",
        {},
        el("p", {}, "Updated: March 3, 2021"),
        el("p", {}, "The rest of the text, long enough, with a comma, to be the body."),
    )
    page = el("article", {}, el("h1", {}, "T"), el("span", {}, "Updated: May 8, 2025"), body)
    found = extract_article(next15(page, [], segments=["x"]))
    assert found.modified is not None
    assert found.modified.raw == "May 8, 2025"
    inside = el("article", {}, el("h1", {}, "T"), body)
    assert extract_article(next15(inside, [], segments=["x"])).modified is None


@pytest.mark.parametrize("name", sorted(p.name for p in ARTICLES.glob("*.rsc")))
def test_below_agrees_with_a_walk_of_the_descendants(name: str) -> None:
    # ``Node.below`` reads the subtree from document order (the rules use it instead of
    # collecting descendants): it must say exactly what walking the children says.
    nodes = read_page(parse((ARTICLES / name).read_bytes()).root).nodes
    assert any(n.children for n in nodes)
    for top in nodes:
        inside = {id(n) for n in top.descendants()}
        assert [n.below(top) for n in nodes] == [id(n) in inside for n in nodes]


def test_node_text_is_bounded_by_the_contexts_output_limit() -> None:
    # The text walks share one budget of values; the characters one text may have are
    # still the caller's max_output_bytes, not the default.
    data = next15(el("article", {}, el("p", {}, "x" * 5000)), [], segments=["p"])
    page = read_page(parse(data).root)
    node = next(n for n in page.nodes if n.tag == "p")
    assert len(RuleContext(page).text(node)) == 5000
    with pytest.raises(FlightLimitError):
        RuleContext(page, limits=Limits(max_output_bytes=1000)).text(node)


def _page_with_label(label: object) -> bytes:
    body = el(
        "div",
        {},
        el("p", {}, "The text of the post, long enough, with a comma, to be the body."),
        el("p", {}, "A second paragraph, so that the container reads as prose."),
    )
    return next15(el("article", {}, el("h1", {}, "T"), label, body), [], segments=["x"])


def test_a_wrapped_updated_label_is_found_from_its_leading_string(monkeypatch) -> None:
    label = el("span", {}, el("b", {}, "Updated:"), " May 8, 2025")
    found = extract_article(_page_with_label(label))
    assert found.modified is not None
    assert found.modified.raw == "May 8, 2025"
    # An element that starts with another string (through a wrapper) is not read whole.
    read: list[str] = []
    original = RuleContext.text

    def text(self: RuleContext, node: object) -> str:
        value = original(self, node)
        read.append(value)
        return value

    monkeypatch.setattr(RuleContext, "text", text)
    other = el("span", {}, el("b", {}, "Written by"), " Grace, May 8, 2025")
    assert extract_article(_page_with_label(other)).modified is None
    assert not any(value.startswith("Written by") for value in read)


def test_a_small_element_holding_a_page_of_html_is_not_parsed_for_a_label(monkeypatch) -> None:
    from rsc_flight.tree import query

    parsed: list[str] = []
    original = query._html_text

    def html_text(html: str) -> str:
        parsed.append(html)
        return original(html)

    monkeypatch.setattr(query, "_html_text", html_text)
    html = "<p>Updated: May 8, 2025</p>" + "<!-- padding -->" * 40
    label = el("div", {"dangerouslySetInnerHTML": {"__html": html}})
    extract_article(_page_with_label(label))
    assert html not in parsed
    short = el("div", {"dangerouslySetInnerHTML": {"__html": "<p>Updated: May 8, 2025</p>"}})
    found = extract_article(_page_with_label(short))
    assert found.modified is not None
    assert found.modified.raw == "May 8, 2025"


def test_pending_rows_names_the_rows_that_never_arrived() -> None:
    payload = parse(b'0:["$","div",null,{"children":["$L1","$L5","$@3"]}]\n1:"here"\n')
    assert payload.pending_rows == [3, 5]
    assert parse(b'0:["$","div",null,{"children":"$L1"}]\n1:"here"\n').pending_rows == []


@pytest.mark.parametrize(
    "path",
    sorted(ARTICLES.glob("*.rsc")) + sorted((Path(__file__).parent / "data").glob("**/*.txt")),
    ids=lambda p: p.name,
)
def test_missing_rows_are_pending_rows(path: Path) -> None:
    # status() skips the node scan when the payload has no pending row: that is only
    # right if every row the scan can find is a pending row of the payload.
    try:
        payload = parse(path.read_bytes())
        nodes = read_page(payload.root).nodes
    except FlightError:
        return
    assert set(missing_rows(nodes)) <= set(payload.pending_rows)
