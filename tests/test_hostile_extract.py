"""Hostile pages for extraction, selectors and Markdown: bounded, linear, FlightError only.

Each test is the family of the security issue at a size that took many seconds (or
raised) before its fix and runs well under a second after; the assertions are on
outputs, structure and errors, never on time.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, strategies as st

from rsc_flight import FlightLimitError, extract_article, html_to_markdown, parse
from rsc_flight.export.markdown import _inline
from rsc_flight.extract import compile_selector, select
from rsc_flight.extract.json_text import JSONTooDeepError, json_depth, load_json
from rsc_flight.extract.model import Article
from rsc_flight.nextjs.page import read_page
from rsc_flight.tree.fragment import strip_tags


def flight(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def el(tag: str, children: Any = None, **props: Any) -> list[Any]:
    if children is not None:
        props["children"] = children
    return ["$", tag, None, props]


def ld_script(text: str) -> list[Any]:
    return el("script", type="application/ld+json", dangerouslySetInnerHTML={"__html": text})


# -- JSON-LD ------------------------------------------------------------------------------


def test_deep_json_ld_is_a_warning_not_a_recursion_error():
    depth = 100_000
    text = '{"@type":"Article","headline":"T","author":' + "[" * depth + "]" * depth + "}"
    data = flight(f"0:{json.dumps(el('article', [ld_script(text), el('h1', 'T')]))}")
    article = extract_article(data)
    assert article.title == "T"
    assert any("deeper than max_depth=512" in w for w in article.warnings)
    article.to_dict()
    article.to_markdown()


def test_json_ld_nested_within_max_depth_is_read_and_copied():
    """500 levels: read (under max_depth) and copied by to_dict without recursion."""
    author = "[" * 500 + '"Ann"' + "]" * 500
    text = '{"@type":"Article","headline":"T","author":' + author + "}"
    data = flight(f"0:{json.dumps(el('article', [ld_script(text), el('h1', 'T')]))}")
    article = extract_article(data)
    plain = article.to_dict()
    value = plain["json_ld"][0]["author"]
    for _ in range(499):
        value = value[0]
    assert value == ["Ann"]


def test_a_long_json_ld_list_is_walked_once():
    items = [{"@type": "Thing", "name": f"x{i}"} for i in range(60_000)]
    text = json.dumps([*items, {"@type": "Article", "headline": "From LD"}])
    data = flight(f"0:{json.dumps(el('article', [ld_script(text), el('p', 'body')]))}")
    article = extract_article(data)
    assert len(article.json_ld) == 60_001
    assert article.json_ld[-1]["headline"] == "From LD"


def test_json_depth_skips_strings_and_stops_early():
    assert json_depth('{"a":"[[[{{{","b":[1,[2]]}', 10) == 3
    assert json_depth('["\\"[[["]', 10) == 1
    assert json_depth("[" * 1_000_000, 5) == 6
    assert json_depth('"\\' * 300_000, 5) == 0  # an unterminated string ends the scan
    with pytest.raises(JSONTooDeepError):
        load_json("[" * 600 + "]" * 600, 512)
    assert load_json("[" * 512 + "]" * 512, 512) is not None


@given(st.recursive(st.none() | st.integers() | st.text(), st.lists, max_leaves=20))
def test_json_depth_agrees_with_the_value(value):
    def depth(v: Any) -> int:
        return 1 + max(map(depth, v), default=0) if isinstance(v, list) else 0

    assert json_depth(json.dumps(value), 1000) == depth(value)


# -- numbers, classes, navigation ---------------------------------------------------------


def test_integers_beyond_a_double_in_extraction():
    big = "9" * 309
    unit = f'["$","p",null,{{"data-n":{big},"children":{big}}}]'
    row = f'0:["$","article",null,{{"children":[["$","h1",null,{{"children":"T"}}],{unit}]}}]'
    article = extract_article(flight(row))
    assert article.body_text is not None
    assert "Infinity" in article.body_text
    article.to_dict()


def test_a_shared_class_name_is_split_once():
    """Elements sharing one className row share one Classes: the string is split once
    (it was split, and scanned, per element)."""
    classes = " ".join(f"c{i:x}" for i in range(50_000)) + " body-text"
    nodes = ",".join(['["$","p",null,{"className":"$1","children":"x"}]'] * 3_000)
    payload = parse(
        flight(f"1:{json.dumps(classes)}", f'0:["$","article",null,{{"children":[{nodes}]}}]')
    )
    page = read_page(payload.root)
    paragraphs = [n for n in page.nodes if n.tag == "p"]
    assert len({id(n.class_info) for n in paragraphs}) == 1
    assert paragraphs[0].has_class("body-text")
    assert len(select("p.c1f", paragraphs)) == 3_000
    assert select("p.zzz", paragraphs) == []
    assert len(select("p[className~=body-text]", paragraphs)) == 3_000
    extract_article(payload)


def test_navigation_groups_of_many_links():
    links = [el("a", f"Topic {i} (3)", href=f"/t/{i}") for i in range(20_000)]
    nav = el("nav", [el("h2", "Topics"), el("ul", [el("li", link) for link in links])])
    data = flight(f"0:{json.dumps(el('div', [nav, el('article', [el('h1', 'T')])]))}")
    site = extract_article(data).site
    assert len(site.navigation) == 20_000
    assert {entry.parent for entry in site.navigation} == {"Topics"}
    assert site.navigation[7].count == 3


# -- the tag fallback and selectors --------------------------------------------------------


@given(st.text(alphabet="<>ab /", max_size=30))
def test_strip_tags_is_the_regular_expression_it_replaces(text):
    assert strip_tags(text) == re.sub(r"<[^>]*>", "", text)


def test_strip_tags_on_a_run_of_unclosed_tags():
    assert strip_tags("x<a>y" + "<a" * 1_000_000) == "xy" + "<a" * 1_000_000


def nested_divs(n: int) -> tuple[Any, ...]:
    """The page nodes of divs nested ``n`` deep, each in its own row, a span last."""
    rows = [f'{i:x}:["$","div",null,{{"children":["x","$L{i + 1:x}"]}}]' for i in range(n)]
    payload = parse(flight(*rows, f'{n:x}:["$","span",null,{{"children":"end"}}]'))
    return read_page(payload.root).nodes


def test_text_pseudo_classes_outside_an_extraction_have_a_budget():
    with pytest.raises(FlightLimitError, match="a selector would read more than"):
        select(compile_selector("div:has-text(zzz)"), nested_divs(3_000))
    nodes = nested_divs(300)
    assert len(select("span:has-text(end)", nodes)) == 1
    assert len(select("div:text-starts(xxx)", nodes)) == 298  # 3 or more x before "end"


def test_descendant_selectors_are_linear():
    assert select("section div div div", nested_divs(3_000)) == []
    assert len(select("div div div span", nested_divs(300))) == 1


# -- Markdown -----------------------------------------------------------------------------


def _merge_text_before(items: list[Any]) -> list[Any]:
    """The pairwise join the fix replaced, as the oracle."""
    out: list[Any] = []
    for item in items:
        if item.kind == _inline._TEXT and out and out[-1].kind == _inline._TEXT:
            joined = out[-1].text + item.text
            out[-1] = _inline._Item(
                _inline._TEXT, joined.replace("  ", " ") if "  " in joined else joined
            )
        elif item.kind != _inline._TEXT or item.text:
            out.append(item)
    return out


_items = st.lists(
    st.one_of(
        st.builds(
            lambda t: _inline._Item(_inline._TEXT, t),
            st.from_regex(r"( ?[ab]){0,3} ?", fullmatch=True),  # no double spaces: _collapse
        ),
        st.just(_inline._Item(_inline._BREAK)),
    ),
    max_size=12,
)


@given(_items)
def test_text_merge_joins_runs_as_the_pairwise_join_did(items):
    got = [(i.kind, i.text) for i in _inline._merge_text(items)]
    assert got == [(i.kind, i.text) for i in _merge_text_before(items)]


def test_a_paragraph_of_many_text_nodes():
    html = "<p>" + "a <span></span>" * 70_000 + "</p>"
    assert html_to_markdown(html) == ("a " * 70_000).strip() + "\n"


def test_a_table_padded_beyond_its_size_stays_html():
    wide = "<tr>" + "<td>x</td>" * 5_000 + "</tr>"
    html = f"<table>{wide}{'<tr><td>a</td></tr>' * 5_000}</table>"
    markdown = html_to_markdown(html)
    assert markdown.startswith("<table>")
    assert len(markdown) < 2 * len(html)
    ragged = html_to_markdown("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>")
    assert ragged == "|  |  |\n| --- | --- |\n| a | b |\n| c |  |\n"


def test_article_copies_a_value_that_contains_itself_within_a_bound():
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(FlightLimitError):
        Article(extras={"loop": loop}).to_dict()
