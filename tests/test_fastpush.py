"""The shortcut for plain push scripts gives what the general scanner gives.

:func:`rsc_flight.wire.fastpush.fast_scan` reads the scripts Next.js writes without the
token-by-token JavaScript scanner; whenever it answers, its answer must be the general
scanner's, and it must decline everything it does not read whole.  The properties build
scripts from plain pieces and from near misses (other receivers, spacing, quoting,
escapes JSON does not accept, comments, expressions) and compare both readers, alone and
through :func:`~rsc_flight.read_inline_flight` (pushes, data, diagnostics).
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from rsc_flight import Limits, read_inline_flight
from rsc_flight.errors import FlightError
from rsc_flight.wire import fastpush, sources
from rsc_flight.wire.fastpush import fast_scan
from rsc_flight.wire.jsscan import _STRINGS, _TEMPLATE, ScriptScan, scan_script
from rsc_flight.wire.push_args import _STRING, read_call


def general(text: str, max_depth: int) -> ScriptScan:
    return scan_script(text, lambda script, at: read_call(script, at, max_depth))


PLAIN_HEADS = ["self.__next_f.push(", "(self.__next_f=self.__next_f||[]).push("]
NEAR_HEADS = [
    "window.__next_f.push(",
    "globalThis.__next_f.push(",
    "__next_f.push(",
    "self.__next_f .push(",
    "self . __next_f.push(",
    "(self.__next_f = self.__next_f || []).push(",
    "foo.self.__next_f.push(",
    "if(0)self.__next_f.push(",
    "x=self.__next_f.push(",
    "self.__next_f.push.call(null,",
]
# Strings JSON does not take but JavaScript does (or neither does).
NEAR_STRINGS = [
    '"\\x41"',
    '"\\u{41}"',
    '"a\\\nb"',
    '"a\\\r\nb"',
    '"\\v"',
    '"\\0"',
    "'single'",
    '"raw\ttab"',
    '"raw\nline"',
    '"\\ud800"',
    '"a"+"b"',
    '"unterminated',
    '"\\',
    '"\\u12"',
    "`tpl`",
    '"a\\"b\\\\"',
    '"</script>"',
    '"\\u2028\u2028"',
    '"\ud800"',
    '"\\ud800\\u0041"',
    '"\\ud83d\\ude00"',
    '"a"])//"])',
    '"a"]);x="\\"])"',
    '"a","b"',
]
NEAR_ARGS = [
    "[0]",
    "[2,null]",
    '[2,{"k":[1,2]}]',
    ' [1,"x"] ',
    '[1, "x"]',
    '[01,"x"]',
    '[1,"x",]',
    '[1,"x"],[0]',
    '[1,"x"]+y',
    "[",
    "[[[[1]]]]",
    "[1,x]",
    "",
    '[-1,"x"]',
    '[12,"x"]',
    '[1,"x"]/*c*/',
    '[1,"x"]//c\n',
]
SEPARATORS = [";", ";\n", " ; ", "\t;\r\n", "\n", "", ";;", " ", "/**/", "\u2028", ";\f"]
EDGES = ["", "\n", " \t", "\r\n", "\u00a0", "\f", "\ufeff", "<!--\n", "//x\n", ";"]


def json_string(text: str, ascii_only: bool) -> str:
    return json.dumps(text, ensure_ascii=ascii_only)


plain_args = st.one_of(
    st.just("[0]"),
    st.builds(
        lambda kind, text, ascii_only: f"[{kind},{json_string(text, ascii_only)}]",
        st.integers(0, 9),
        st.text(st.characters(exclude_categories=())),  # lone surrogates too
        st.booleans(),
    ),
)
near_args = st.one_of(
    st.sampled_from(NEAR_ARGS),
    st.builds(
        lambda kind, s: f"[{kind},{s}]", st.sampled_from("0139"), st.sampled_from(NEAR_STRINGS)
    ),
)


@st.composite
def scripts(draw: Any, near: bool) -> str:
    """A script of push statements; with ``near``, some pieces are near misses."""

    def pick(plain: str, other: list[str]) -> str:
        # A near miss one piece in four, so that many scripts have none or only one.
        if near and draw(st.integers(0, 3)) == 0:
            return str(draw(st.sampled_from(other)))
        return plain

    count = draw(st.integers(1, 4))
    parts = [pick("", EDGES)]
    for index in range(count):
        if index:
            parts.append(pick(";", SEPARATORS))
        parts.append(pick(draw(st.sampled_from(PLAIN_HEADS)), NEAR_HEADS))
        parts.append(draw(near_args) if near and draw(st.integers(0, 3)) == 0 else draw(plain_args))
        parts.append(pick(")", [")", " )", "", "))"]))
    parts.append(pick(draw(st.sampled_from(["", ";", "\n", ";\n "])), EDGES))
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(scripts(near=True), st.sampled_from([0, 1, 2, 512]))
def test_fast_scan_is_the_general_scan_when_it_answers(script: str, max_depth: int) -> None:
    fast = fast_scan(script, max_depth)
    if fast is not None:
        assert fast == general(script, max_depth)


@settings(max_examples=300, deadline=None)
@given(scripts(near=False))
def test_plain_push_scripts_take_the_fast_path(script: str) -> None:
    """The shapes Next writes are all read by the shortcut (and as the scanner reads them)."""
    fast = fast_scan(script, 512)
    assert fast is not None
    assert fast == general(script, 512)
    assert all(call.executed for call in fast.calls)


@pytest.mark.parametrize(
    "script",
    [
        'self.__next_f.push([1,"\\x41"])',
        'self.__next_f.push([1,"a\\\nb"])',
        'self.__next_f.push([1,"a"]);/*self.__next_f.push([1,"FAKE"])*/',
        'self.__next_f.push([1,"a"])\nself.__next_f.push([1,"b"])',
        'self.__next_f.push([1,"a"]+x)',
        'window.__next_f.push([1,"a"])',
        "self.__next_f.push([1,'a'])",
        'self.__next_f.push([1,"a"]);function f(){self.__next_f.push([1,"FAKE"])}',
    ],
)
def test_anything_else_goes_to_the_general_scanner(script: str) -> None:
    assert fast_scan(script, 512) is None


@pytest.mark.parametrize("argument", ['[1,"\\ud800"]', '[1,"\ud800"]', '[1,"\\ud83d\\ude00"]'])
def test_what_orjson_refuses_is_read_by_the_string_scanner(argument: str) -> None:
    """orjson refuses lone surrogates, which JSON.parse and json.loads keep."""
    script = f"self.__next_f.push({argument});\n"
    fast = fast_scan(script, 512)
    assert fast is not None
    assert fast == general(script, 512)


def test_max_depth_zero_is_left_to_the_general_reader() -> None:
    assert fast_scan("self.__next_f.push([0])", 0) is None
    assert fast_scan("self.__next_f.push([0])", 1) is not None


def test_the_fast_path_reads_a_large_string_with_escapes() -> None:
    text = '0:["$","p",null,{"children":"a</script>b\\u2028 😀"}]\n' * 2000
    script = f"self.__next_f.push([1,{json.dumps(text)}])"
    fast = fast_scan(script, 512)
    assert fast is not None
    ((_, end, value),) = fast.calls[0].read.args  # type: ignore[union-attr]
    assert value == [1, text]
    assert end == len(script) - 1


# -- the whole page: data, pushes and diagnostics are the same -----------------------------


def _read(html: str, strict: bool, limits: Limits) -> Any:
    try:
        inline = read_inline_flight(html, strict=strict, limits=limits)
    except FlightError as exc:
        return type(exc).__name__, str(exc)
    return inline


@settings(max_examples=200, deadline=None)
@given(
    st.lists(scripts(near=True), min_size=1, max_size=4),
    st.booleans(),
    st.sampled_from([1, 512]),
)
def test_pages_read_the_same_with_and_without_the_fast_path(
    bodies: list[str], strict: bool, max_depth: int
) -> None:
    html = (
        "<html><body>" + "".join(f"<script>{body}</script>" for body in bodies) + "</body></html>"
    )
    limits = Limits(max_depth=max_depth)
    fast = _read(html, strict, limits)
    original = sources.fast_scan
    sources.fast_scan = lambda text, depth: None  # type: ignore[assignment]
    try:
        slow = _read(html, strict, limits)
    finally:
        sources.fast_scan = original
    assert fast == slow


# -- the unrolled literal patterns match what the alternation patterns matched --------------

_OLD_STRINGS = {
    quote: re.compile(quote + r"(?:[^" + quote + r"\\\n\r]|\\(?:\r\n|[\s\S]))*" + quote)
    for quote in "\"'"
}
_OLD_TEMPLATE = re.compile(r"(?:[^`\\$]|\\[\s\S]|\$(?!\{))*")
_OLD_JSON_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\[^\x00-\x1f])*"')


def _extent(pattern: re.Pattern[str], text: str) -> int | None:
    found = pattern.match(text)
    return None if found is None else found.end()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="\"'`\\$\n\r{a\x01\u2028", max_size=30))
def test_literal_patterns_match_the_same_extent(text: str) -> None:
    for quote in "\"'":
        assert _extent(_STRINGS[quote], quote + text) == _extent(_OLD_STRINGS[quote], quote + text)
    assert _extent(_TEMPLATE, text) == _extent(_OLD_TEMPLATE, text)
    assert _extent(_STRING, '"' + text) == _extent(_OLD_JSON_STRING, '"' + text)


# -- a valid UTF-8 page goes to lxml as it came -------------------------------------------


def test_valid_utf8_bytes_are_not_encoded_again() -> None:
    data = '<script>self.__next_f.push([1,"한"])</script>'.encode()
    text, raw = sources._page_text(codecs.BOM_UTF8 + data)
    assert text == data.decode()
    assert raw == data


def test_invalid_utf8_bytes_are_read_as_replaced_text() -> None:
    data = b'<script>self.__next_f.push([1,"a\xffb"])</script>'
    text, raw = sources._page_text(data)
    assert text == data.decode("utf-8", "replace")
    assert raw is None
    assert read_inline_flight(data).data == "a\ufffdb".encode()


def test_orjson_is_tried_once_per_script(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first statement's argument is cut up to the script's end for orjson; doing
    that for every statement would copy the script once per push (quadratic)."""
    tried = []
    original = fastpush._orjson_loads

    def counting(text: str) -> Any:
        tried.append(len(text))
        return original(text)

    monkeypatch.setattr(fastpush, "_orjson_loads", counting)
    script = 'self.__next_f.push([1,"x"]);' * 2000
    fast = fast_scan(script, 512)
    assert fast is not None
    assert len(fast.calls) == 2000
    assert len(tried) == 1
