"""The selector language rules are written in."""

from __future__ import annotations

import pytest

from rsc_flight import parse
from rsc_flight.extract.select import SelectorError, compile_selector, select
from rsc_flight.nextjs.page import read_page

PAYLOAD = (
    b'1:I[7,[],"Share"]\n'
    b'0:["$","article",null,{"className":"page post","children":['
    b'["$","h1",null,{"id":"t","className":"page__title","children":"Title"}],'
    b'["$","ul",null,{"children":[["$","li","a",{"children":"Previous: A"}],'
    b'["$","li","b",{"children":["Next: ",["$","a",null,{"href":"/b/","children":"B"}]]}]]}],'
    b'["$","$L1",null,{"permalink":"/p/","count":3}]]}]\n'
)


@pytest.fixture(scope="module")
def nodes() -> list:
    return list(read_page(parse(PAYLOAD).root).nodes)


@pytest.mark.parametrize(
    ("selector", "found"),
    [
        ("h1", ["h1"]),
        ("*", ["article", "h1", "ul", "li", "li", "a", "Share"]),
        ("article.page.post > h1#t", ["h1"]),
        (".page__title", ["h1"]),
        ("article > li", []),
        ("article li", ["li", "li"]),
        ("li:key(b) a[href='/b/']", ["a"]),
        ("li:text-starts('Next:')", ["li"]),
        ("li:has-text(A)", ["li"]),
        ("$Share[permalink^=/p]", ["Share"]),
        ("$*[count=3]", ["Share"]),
        ("$Other", []),
        ("[href$='/']", ["a"]),
        ("article[className~=post]", ["article"]),
        ("[className*=title], a", ["h1", "a"]),
        ("[permalink]", ["Share"]),
    ],
)
def test_selectors(nodes: list, selector: str, found: list[str]) -> None:
    names = [n.tag or n.client.name for n in select(selector, nodes)]
    assert names == found


@pytest.mark.parametrize(
    "bad", ["", "h1 >", "> h1", "h1,", "h1 ~ p", "h1[", ":nth-child(1)", "a,,b"]
)
def test_bad_selectors(bad: str) -> None:
    with pytest.raises(SelectorError):
        compile_selector(bad)


SELECTORS = [
    "h1",
    "h1.page__title",
    "#t",
    ".post h1",
    "article > ul li",
    "li:has-text('Next')",
    "article a, h1",
    "$Share",
    "[href]",
    ".page .post li > a",
]


@pytest.mark.parametrize("selector", SELECTORS)
def test_the_context_tests_only_the_rightmost_bucket_and_finds_the_same(selector: str) -> None:
    """Issue 16: ``RuleContext.select`` tests only the nodes the rightmost tag, id or
    class names, and finds what testing every node finds."""
    from rsc_flight.extract.rules import RuleContext

    context = RuleContext(read_page(parse(PAYLOAD).root))
    brute = [n for n in context.content_nodes if compile_selector(selector).matches(n)]
    assert context.select(selector) == brute


def test_selectors_name_the_bucket_of_their_rightmost_compound() -> None:
    assert compile_selector("div.a > h1#x.y").keys == (("tag", "h1"),)
    assert compile_selector(".a #x.y").keys == (("id", "x"),)
    assert compile_selector("a, .b, [href]").keys == (("tag", "a"), ("class", "b"), None)


def test_descendant_matches_are_memoised_per_run() -> None:
    """``A B`` over many B under one deep chain asks each ancestor once per run."""
    depth = 300
    rows = [b'0:["$","section",null,{"className":"top","children":"$L1"}]\n']
    for i in range(1, depth):
        rows.append(
            f'{i:x}:["$","div",null,{{"children":["$L{i + 1:x}",["$","p",null,{{}}]]}}]\n'.encode()
        )
    rows.append(f'{depth:x}:"end"\n'.encode())
    page = read_page(parse(b"".join(rows)).root)
    calls = 0
    selector = compile_selector(".top p")
    original = selector.alternatives[0].compounds[0].tests[0]

    def counting(node, run):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return original(node, run)

    compound = selector.alternatives[0].compounds[0]
    patched = type(compound)((counting,), compound.key)
    alternative = type(selector.alternatives[0])(
        (patched, selector.alternatives[0].compounds[1]), selector.alternatives[0].combinators
    )
    found = type(selector)(selector.text, (alternative,)).filter(page.nodes)
    assert len(found) == depth - 1
    assert calls <= 2 * len(page.nodes)  # linear, not quadratic


def test_text_pseudo_classes_spend_the_extraction_text_budget() -> None:
    from rsc_flight.errors import FlightLimitError
    from rsc_flight.extract.rules import RuleContext
    from rsc_flight.limits import Limits

    context = RuleContext(read_page(parse(PAYLOAD).root), limits=Limits(max_expansion=20))
    with pytest.raises(FlightLimitError, match="values of text"):
        context.select("*:has-text('nothing')")
