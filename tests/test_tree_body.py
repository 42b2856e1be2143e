"""The body's text and links read from the tree it was rendered from (extract/tree_body.py)
against the reference: the rendered HTML parsed again with lxml."""

from __future__ import annotations

import lxml.etree
import lxml.html
from hypothesis import given, settings, strategies as st

from rsc_flight.extract.body_text import body_text
from rsc_flight.extract.tree_body import CLOSES, TAGS, read_tree_body
from rsc_flight.model.values import ClientReference, Element, JSSymbol
from rsc_flight.tree.fragment import parse_fragment
from rsc_flight.tree.render import render_html

_VOID = {"br", "img", "hr", "input", "source"}


def _reference(content: object) -> tuple[str | None, list[tuple[str, str | None, str | None]]]:
    root = parse_fragment(render_html(content))
    if root is None:
        return None, []
    links = []
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if href and not href.startswith(("javascript:", "#")):
            links.append((href, " ".join(anchor.text_content().split()) or None, anchor.get("rel")))
    return body_text(root), links


def test_closes_is_what_the_parser_does() -> None:
    """CLOSES lists exactly the pairs whose child start tag makes lxml close the parent."""
    measured: dict[str, set[str]] = {}
    for parent in ["body", *sorted(TAGS - _VOID)]:
        for child in sorted(TAGS):
            inner = f"<{child}/>" if child in _VOID else f"<{child}>x</{child}>"
            html = f"t{inner}y" if parent == "body" else f"<{parent}>t{inner}y</{parent}>"
            root = lxml.html.fragment_fromstring(html, create_parent="div")
            got = (root.text or "") + "".join(
                lxml.etree.tostring(c, encoding=str, with_tail=False) + (c.tail or "") for c in root
            )
            if got != html:
                measured.setdefault(parent, set()).add(child)
    assert measured == {parent: set(children) for parent, children in CLOSES.items()}


_TEXT = st.text(
    st.sampled_from([*"ab ,\n\t\xa0é<&>'\"", "\r", "\x01", "\ue000", "\u2028"]), max_size=6
)


# Besides host tags: a client component and a fragment (both render their children).
_KINDS = [*sorted(TAGS), ClientReference("m", (), "Box"), JSSymbol("react.fragment")]


def _element(kind: object, children: list[object], href: str | None) -> Element:
    props: dict[str, object] = {"children": children}
    if kind == "a" and href is not None:
        props["href"] = href
    return Element(kind, None, props)


_TREES = st.recursive(
    _TEXT | st.integers(-5, 5) | st.none(),
    lambda inner: (
        st.builds(
            _element,
            st.sampled_from(_KINDS),
            st.lists(inner, max_size=4),
            st.sampled_from([None, "/x", "#top", "javascript:x", " /y ", "http://e.org/?a=1&b=2"]),
        )
        | st.lists(inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(_TREES)
def test_the_walk_reads_what_the_parse_reads(tree: object) -> None:
    """Wherever the walk answers, it answers as the reference does."""
    fast = read_tree_body(tree, render_html(tree), 10_000)
    if fast is not None:
        assert (fast.text, fast.links) == _reference(tree)


def test_plain_trees_are_read_by_the_walk() -> None:
    """A body of paragraphs, a list, code and links is read without a parse, and the
    same as the parse reads it; a paragraph holding a div is left to the parse."""
    a = Element("a", None, {"href": "/n", "rel": "next", "children": ["next ", "post"]})
    li = [Element("li", None, {"children": ["one"]}), Element("li", None, {"children": ["two"]})]
    tree = [
        Element("h2", None, {"children": "Title"}),
        Element(
            "p", None, {"children": ["Some ", Element("em", None, {"children": "text"}), "\n"]}
        ),
        Element("ul", None, {"children": li}),
        Element("pre", None, {"children": Element("code", None, {"children": "\nx = 1\n  y\n"})}),
        Element("p", None, {"children": ["a", Element("br", None, {}), "b ", a]}),
    ]
    fast = read_tree_body(tree, render_html(tree), 10_000)
    assert fast is not None
    assert fast.text == "Title\n\nSome text\n\none\n\ntwo\n\nx = 1\n  y\n\na\nb next post"
    assert (fast.text, fast.links) == _reference(tree)
    bad = Element("p", None, {"children": ["x", Element("div", None, {"children": "y"}), "z"]})
    assert read_tree_body([bad, "w"], render_html([bad, "w"]), 10_000) is None


def test_extract_article_skips_the_parse_for_a_rendered_body(monkeypatch) -> None:
    """The article's body text and links come from the tree: no fragment is parsed."""
    from rsc_flight import extract_article
    from rsc_flight.extract import rules

    page = (
        b'0:["$","article",null,{"children":[["$","h1",null,{"children":"Hi"}],'
        b'["$","p",null,{"children":["A first paragraph, with text, long enough.",'
        b'["$","a",null,{"href":"/x","children":"link"}]]}],'
        b'["$","p",null,{"children":"A second paragraph, with more text, and more."}]]}]\n'
    )
    reference = extract_article(page)

    def refuse(html: str) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(rules, "parse_fragment", refuse)
    fast = extract_article(page)
    assert fast.body_text == reference.body_text
    assert fast.links == reference.links
    assert fast.body_text
    assert fast.links


def test_a_cycle_is_left_to_the_parse() -> None:
    """A tree holding itself renders a cycle comment: the walk (which keeps no record of
    the containers it is in) is not used on it."""
    loop: list[object] = ["a"]
    tree = Element("p", None, {"children": loop})
    loop.append(tree)
    html = render_html(tree)
    assert "<!--" in html
    assert read_tree_body(tree, html, 10_000) is None


def test_a_link_attribute_in_other_case_is_left_to_the_parse() -> None:
    """The parser folds attribute names to lower case: ``HREF`` is the link's ``href``
    there, and the walk, reading props, would miss it."""
    link = Element("a", None, {"HREF": "/x", "children": "x"})
    html = render_html(link)
    assert read_tree_body(link, html, 10_000) is None
    assert _reference(link)[1] == [("/x", "x", None)]
