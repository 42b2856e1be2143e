"""Hostile element trees: rendering, text and queries raise nothing but FlightError.

Regression tests for the families of the security issue that reach the tree stage
(a list that contains itself, lists nested through lazies, integers beyond a double, a
shared props or text row written many times), then a property over generated hostile
trees, run once and from four threads at once.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from rsc_flight import (
    FlightError,
    FlightLimitError,
    Limits,
    extract_article,
    html_to_markdown,
    parse,
    render_html,
    render_page,
)
from rsc_flight.errors import FlightStageError
from rsc_flight.tree import find_all, text_content
from rsc_flight.tree.attributes import DEFAULT_MAX_OUTPUT_BYTES, max_output_bytes, to_string


@attrs.frozen
class OutputLimits(Limits):
    """Limits with ``max_output_bytes``, as the lead adds it to :class:`Limits`."""

    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES


def flight(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


# -- exceptions other than FlightError -------------------------------------------------------


def test_self_containing_list_attribute_renders_as_javascript_joins_it():
    """``a = ["a"]; a.push(a); String(a)`` is ``"a,"``: the cycle is empty, no recursion."""
    divs = ",".join(['["$","div",null,{"className":"$1","children":"x"}]'] * 300)
    root = parse(flight('1:["a","$1"]', f"0:[{divs}]")).root
    html = render_html(root)
    assert html == '<div class="a,">x</div>' * 300
    assert text_content(root) == "x" * 300


def test_lists_nested_through_lazies_are_a_limit_not_a_recursion_error():
    """Ten thousand lists nested through lazies: FlightLimitError from the explicit
    nesting bound, not RecursionError from the Python stack."""
    n = 10_000
    rows = ['0:"$L1"', *(f'{i:x}:["$L{i + 1:x}"]' for i in range(1, n)), f'{n:x}:"end"']
    root = parse(flight(*rows)).root
    with pytest.raises(FlightLimitError, match="nest deeper"):
        render_html(root)
    assert text_content(root) == "end"  # the text walk is iterative and reads it all
    shallow = parse(flight('0:"$L1"', '1:["$L2"]', '2:["$L3"]', '3:"end"')).root
    assert render_html(shallow) == "end"


def test_deep_elements_keep_the_elements_message():
    n = 2_000
    rows = [f'{i:x}:["$","div",null,{{"children":"$L{i + 1:x}"}}]' for i in range(n)]
    root = parse(flight(*rows, f'{n:x}:"end"')).root
    with pytest.raises(FlightLimitError, match="elements nest deeper than max_depth=512"):
        render_html(root)
    assert render_html(root, limits=Limits(max_depth=4000)).count("<div>") == n


def test_integers_beyond_a_double_render_as_infinity():
    """JSON.parse makes a 309-digit integer Infinity; float() of it raises OverflowError."""
    big = "9" * 309
    row = f'0:["$","p",null,{{"data-n":{big},"title":[{big},-{big}],"children":[{big},-{big}]}}]'
    root = parse(flight(row)).root
    assert (
        render_html(root) == '<p data-n="Infinity" title="Infinity,-Infinity">Infinity-Infinity</p>'
    )
    assert text_content(root) == "Infinity-Infinity"
    style = parse(flight(f'0:["$","p",null,{{"style":{{"width":{big}}}}}]')).root
    assert render_html(style) == '<p style="width:Infinitypx"></p>'


# -- amplification: output bytes -----------------------------------------------------------


def test_shared_props_row_is_escaped_once_and_output_is_bounded():
    """One props row of 2,000 attributes shared by 2,000 divs: 40 MB of HTML, written
    from one start tag worked out once; a smaller max_output_bytes stops it."""
    props = {f"data-a{i:x}": "v" for i in range(2_000)}
    divs = ",".join(['["$","div",null,"$1"]'] * 2_000)
    root = parse(flight(f"1:{json.dumps(props)}", f"0:[{divs}]")).root
    html = render_html(root)
    one = render_html(parse(flight(f"1:{json.dumps(props)}", '0:["$","div",null,"$1"]')).root)
    assert len(one) > 20_000
    assert html == one * 2_000
    with pytest.raises(FlightLimitError, match="max_output_bytes=1000000"):
        render_html(root, limits=OutputLimits(max_output_bytes=1_000_000))


def test_shared_text_row_stops_at_max_output_bytes():
    """A 128 KiB text row referenced 4,000 times would be 512 MB of HTML and text."""
    text = b"x" * (128 * 1024)
    refs = ",".join(['"$1"'] * 4_000)
    data = b"1:T%x," % len(text) + text + flight(f'0:["$","div",null,{{"children":[{refs}]}}]')
    root = parse(data).root
    with pytest.raises(FlightLimitError, match=f"max_output_bytes={DEFAULT_MAX_OUTPUT_BYTES}"):
        render_html(root)
    with pytest.raises(FlightLimitError, match="max_output_bytes"):
        text_content(root)
    small = OutputLimits(max_output_bytes=10 * len(text))
    with pytest.raises(FlightLimitError):
        render_html(root, limits=small)


def test_max_output_bytes_is_read_from_limits_when_it_has_the_field():
    assert max_output_bytes(Limits()) == getattr(Limits(), "max_output_bytes", 256 * 2**20)
    assert max_output_bytes(OutputLimits(max_output_bytes=7)) == 7


def test_to_string_joins_without_recursion_and_within_a_bound():
    """Array.prototype.join: cycles empty, shared arrays joined once, output bounded."""
    cyclic: list[Any] = ["a"]
    cyclic.append(cyclic)
    assert to_string(cyclic) == "a,"
    assert to_string([1, [2, [3, None]], "x", 1.5, True]) == "1,2,3,,x,1.5,true"
    deep: list[Any] = ["end"]
    for _ in range(20_000):
        deep = [deep]
    assert to_string(deep) == "end"
    doubling: list[Any] = ["ab"]
    for _ in range(60):
        doubling = [doubling, doubling]  # 2**60 copies of "ab"
    with pytest.raises(FlightLimitError, match="max_output_bytes"):
        to_string(doubling)
    shared: list[Any] = ["ab"]
    for _ in range(10):
        shared = [shared, shared]
    assert to_string(shared) == ",".join(["ab"] * 1024)


# -- the last net --------------------------------------------------------------------------


def test_an_unexpected_exception_reaches_the_caller_as_a_flight_error():
    root = parse(flight('0:["$","div",null,{"dangerouslySetInnerHTML":{"__html":"<b>x</b>"}}]'))

    def broken(html: str) -> str:
        raise OverflowError("from a cleaner")

    with pytest.raises(FlightStageError, match="render_html failed: OverflowError") as info:
        render_html(root.root, sanitize=broken)
    assert isinstance(info.value, FlightError)
    assert isinstance(info.value.__cause__, OverflowError)


# -- the property --------------------------------------------------------------------------

ROWS = 6
_refs = st.builds(
    lambda i, kind: f"${kind}{i:x}", st.integers(0, ROWS + 1), st.sampled_from(["", "L", "@"])
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["<b>x</b>", "$undefined", "$NaN", "$-Infinity", "a  b", "<html></html><a"]),
)
_prop_names = st.sampled_from(
    [
        "children",
        "className",
        "style",
        "dangerouslySetInnerHTML",
        "data-x",
        "href",
        "title",
        "value",
        "checked",
        "id",
        "onClick",
        "key",
    ]
)
_tags = st.sampled_from(["div", "p", "a", "html", "head", "title", "meta", "script", "svg", "$1"])


def _element(tag: str, props: dict[str, Any]) -> list[Any]:
    return ["$", tag, None, props]


def _values(leaves: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.builds(_element, _tags, st.dictionaries(_prop_names, inner, max_size=4)),
            st.dictionaries(st.sampled_from(["__html", "a", "color"]), inner, max_size=3),
        ),
        max_leaves=24,
    )


@st.composite
def hostile_payloads(draw: st.DrawFn) -> bytes:
    """Rows of elements with odd props that share, contain and chain each other."""
    values = _values(st.one_of(_scalars, _refs))
    rows = [f"{i:x}:{json.dumps(draw(values))}" for i in range(1, ROWS + 2)]
    root = draw(values)
    chain = draw(st.sampled_from([0, 0, 0, 3, 600, 1_500]))
    if chain:
        first = 0x100
        kind = draw(st.sampled_from(["list", "element"]))
        for i in range(first, first + chain):
            child = f"$L{i + 1:x}"
            row = [child] if kind == "list" else _element("div", {"children": child})
            rows.append(f"{i:x}:{json.dumps(row)}")
        rows.append(f'{first + chain:x}:"end"')
        root = [root, f"$L{first:x}"]
    return flight(*rows, f"0:{json.dumps(root)}")


def _stages(data: bytes) -> list[Callable[[], object]]:
    payload = parse(data)
    root = payload.root
    return [
        lambda: render_html(root),
        lambda: render_page(root),
        lambda: text_content(root),
        lambda: find_all(root, "div"),
        lambda: html_to_markdown(render_html(root)),
        lambda: _article(payload),
    ]


def _article(payload: Any) -> None:
    article = extract_article(payload)
    article.to_dict()
    article.to_markdown()


def _only_flight_errors(data: bytes) -> None:
    try:
        stages = _stages(data)
    except FlightError:  # parse refusing the payload (a circle of lazies) is allowed
        return
    for stage in stages:
        with contextlib.suppress(FlightError):
            stage()


def test_a_payload_parse_refuses_is_not_a_failure() -> None:
    """Found by hypothesis: a lazy that is its own row, behind an element type."""
    data = b'1:"$L1"\n2:null\n0:["$", "$1", null, {}]\n'
    _only_flight_errors(data)


@settings(max_examples=80)
@given(hostile_payloads())
def test_hostile_trees_raise_nothing_but_flight_error(data):
    _only_flight_errors(data)


@settings(max_examples=10)
@given(st.lists(hostile_payloads(), min_size=4, max_size=4))
def test_hostile_trees_from_four_threads_at_once(payloads):
    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(_only_flight_errors, data) for data in payloads]:
            future.result()


def test_the_issue_families_from_four_threads_at_once():
    """The fixed families, each rendered and extracted from four threads together."""
    big = "9" * 309
    n = 6_000
    payloads = [
        flight('1:["a","$1"]', '0:[["$","div",null,{"className":"$1","children":"x"}]]'),
        flight('0:"$L1"', *(f'{i:x}:["$L{i + 1:x}"]' for i in range(1, n)), f'{n:x}:"end"'),
        flight(f'0:["$","article",null,{{"data-n":{big},"children":[{big}]}}]'),
        flight(*(f'{i:x}:["$","div",null,{{"children":"$L{i + 1:x}"}}]' for i in range(n))),
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(_only_flight_errors, data) for data in payloads * 2]:
            future.result()
