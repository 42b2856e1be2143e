"""Walking and querying element trees: lxml-like helpers over decoded payloads."""

from __future__ import annotations

import pytest

from rsc_flight import FlightLimitError, Limits, parse
from rsc_flight.model import ClientReference, JSSymbol
from rsc_flight.tree import element_type, find, find_all, iter_elements, text_content

from .conftest import DATA

PAGE = (
    b'1:I["./Nav.js",["c1","nav.js"],"Nav"]\n'
    b'2:"$Sreact.suspense"\n'
    b'3:"$Sreact.fragment"\n'
    b'0:["$","main",null,{"className":"page wide","children":['
    b'["$","$L1",null,{"items":[["$","a","x",{"href":"/x","children":"X"}]],'
    b'"children":["$","nav",null,{"children":"menu"}]}],'
    b'["$","$2",null,{"fallback":["$","i",null,{"children":"wait"}],"children":"$L4"}],'
    b'["$","$3","k",{"children":[["$","p",null,{"children":["a ",1," b"]}],"$L5"]}]'
    b"]}]\n"
    b'4:["$","h1",null,{"className":"title","children":"Hello"}]\n'
    b'5:["$","div",null,{"dangerouslySetInnerHTML":{"__html":"<p>raw <b>html</b></p>"}}]\n'
)


def tags(value):
    return [found.tag for found in iter_elements(value)]


def test_walk_reaches_every_element_in_document_order():
    """Through client components, props, Suspense, fragments and lazies, in order."""
    root = parse(PAGE).root
    assert tags(root) == ["main", None, "a", "nav", None, "i", "h1", None, "p", "div"]


def test_paths_lead_to_the_element():
    """Each element comes with the path of keys and indexes that reaches it."""
    root = parse(PAGE).root
    h1 = find(root, "h1")
    assert h1.path == ("props", "children", 1, "props", "children")
    assert h1.parent is not None
    assert element_type(h1.parent) == JSSymbol("react.suspense")


def test_client_component_ancestry():
    """Elements rendered inside a client component know which one (module and export)."""
    root = parse(PAGE).root
    nav = find(root, "nav")
    assert nav.client == ClientReference("./Nav.js", ("c1", "nav.js"), "Nav", False)
    assert find(root, "h1").client is None


def test_find_by_class_prop_and_predicate():
    """Queries by tag, class, prop value and predicate."""
    root = parse(PAGE).root
    assert find(root, class_name="wide").tag == "main"
    assert find(root, "a", href="/x").element.key == "x"
    assert [f.tag for f in find_all(root, predicate=lambda f: f.tag in ("i", "p"))] == ["i", "p"]
    assert find(root, "h2") is None


def test_find_stops_at_the_first_match():
    """find() does not walk on once it has its element (it used to build find_all())."""
    root = parse(PAGE).root
    seen = []

    def test(found):
        seen.append(found.tag)
        return found.tag == "a"

    assert find(root, predicate=test).element.key == "x"
    assert seen == ["main", None, "a"]


def test_walk_skips_leaves_but_finds_elements_behind_lazies_in_props():
    """Strings and numbers are not visited; an element behind a lazy in any prop is."""
    root = parse(
        b'0:["$","div",null,{"title":"t","n":1,"slot":"$L1","children":["x",2,null]}]\n'
        b'1:["$","b",null,{}]\n'
    ).root
    assert tags(root) == ["div", "b"]
    # Three visits: the div, the lazy (read through to the b), the children list; the
    # leaves ("t", 1, "x", 2, null) would have taken the walk over this budget.
    three = Limits(max_expansion=3)
    assert [f.tag for f in iter_elements(root, limits=three)] == ["div", "b"]


def test_text_content():
    """Text of a subtree: children text, numbers, and the text of inner HTML."""
    root = parse(PAGE).root
    assert text_content(find(root, "p").element) == "a 1 b"
    assert text_content(find(root, "div").element) == "raw html"
    # As rendered: the Suspense fallback and non-children props are not text.
    assert text_content(root) == "menuHelloa 1 braw html"


def test_shared_and_cyclic_graphs_are_walked_once():
    """A shared subtree is reported once; a cycle ends; the budget bounds the work."""
    rows = ['1:["$","b",null,{}]'] + [f'{i:x}:["${i - 1:x}","${i - 1:x}"]' for i in range(2, 60)]
    data = ("\n".join([*rows, '0:["$","div",null,{"children":"$3b"}]']) + "\n").encode()
    assert tags(parse(data).root) == ["div", "b"]
    cyclic = parse(b'0:["$","div",null,{"children":["$0"]}]\n').root
    assert tags(cyclic) == ["div"]
    with pytest.raises(FlightLimitError):
        list(iter_elements(parse(PAGE).root, limits=Limits(max_expansion=5)))


def test_works_on_every_dialect_fixture():
    """The helpers only use public values, so every dialect's trees can be walked."""
    for name in ("f0-next13.1.txt", "f2-next13.4.txt", "f3-next14.txt", "r19.1-devrows.txt"):
        root = parse((DATA / "handmade" / name).read_bytes()).root
        assert list(iter_elements(root)), name


def test_text_of_inner_html_with_control_characters():
    """Inner HTML with NUL bytes or lone surrogates still gives its text (found by
    hypothesis: lxml refuses such strings)."""
    root = parse(
        b'0:["$","div",null,{"dangerouslySetInnerHTML":{"__html":"<p>a\\u0000b\\ud800c</p>"}}]\n'
    ).root
    assert text_content(root) == "abc"
