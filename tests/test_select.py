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
