"""Reading flight data out of Next.js HTML pages, and telling pages from payloads."""

from __future__ import annotations

import base64
import json

import pytest

from rsc_flight import (
    FlightDecoder,
    FlightLimitError,
    FlightSyntaxError,
    Limits,
    NoFlightDataError,
    flight_from_html,
    load_flight,
    read_inline_flight,
)
from rsc_flight.errors import DIAGNOSTIC_CODES
from rsc_flight.wire import detect_source


def push(*arg: object) -> str:
    """A push script as Next writes it: JSON, then <, >, &, U+2028/9 escaped."""
    text = json.dumps(list(arg), ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"<script>self.__next_f.push({text})</script>"


def page(*scripts: str, head: str = "") -> str:
    bootstrap = "<script>(self.__next_f=self.__next_f||[]).push([0])</script>"
    return (
        f"<!DOCTYPE html><html><head>{head}</head><body><main>hi</main>"
        f"{bootstrap}{''.join(scripts)}</body></html>"
    )


def test_pushes_are_joined_in_order():
    """`[1]` strings become UTF-8 bytes, concatenated in document order."""
    html = page(push(1, '0:["$","p",null,{"children":"a</script>b"}]\n'), push(1, "1:null\n"))
    assert flight_from_html(html) == (b'0:["$","p",null,{"children":"a</script>b"}]\n1:null\n')


def test_row_and_text_split_across_pushes():
    """A T row whose bytes span several pushes is whole again once joined."""
    body = "한글 텍스트 😀 " * 20
    encoded = body.encode()
    row = f'2:T{len(encoded):x},{body}0:"$2"\n'
    pieces = [row[:1], row[1:5], row[5:40], row[40:41], row[41:]]
    html = page(*(push(1, p) for p in pieces))
    data = flight_from_html(html)
    assert data == row.encode()
    decoder = FlightDecoder()
    rows = decoder.feed(data) + decoder.close()
    assert rows[0].payload == body


def test_base64_chunks_are_raw_bytes():
    """`[3, base64]` pushes carry binary chunks, joined with the text ones."""
    binary = b"1:o3,\xff\n\x00"
    html = page(push(1, '0:"$1"\n'), push(3, base64.b64encode(binary).decode()))
    assert flight_from_html(html) == b'0:"$1"\n' + binary


def test_form_state_push_is_not_flight_data():
    """`[2, state]` (server-action form state) is kept apart."""
    html = page(
        "<script>(self.__next_f=self.__next_f||[]).push([0]);"
        'self.__next_f.push([2,{"k":1}])</script>',
        push(1, "0:1\n"),
    )
    inline = read_inline_flight(html)
    assert inline.data == b"0:1\n"
    assert inline.form_state == ({"k": 1},)
    assert inline.pushes == 4  # two bootstraps, the form state and the data


def test_nonce_and_escapes():
    """Script attributes do not matter; \\u003c and U+2028 escapes are undone."""
    text = '0:{"a":"<b>&\u2028"}\n'
    html = page(push(1, text).replace("<script>", '<script nonce="abc123">'))
    assert flight_from_html(html) == text.encode()


def test_lone_surrogate_becomes_replacement_character():
    """Like TextEncoder, a lone surrogate in a push string encodes as U+FFFD."""
    html = page('<script>self.__next_f.push([1,"0:\\"\\ud800x\\"\\n"])</script>')
    assert flight_from_html(html) == '0:"\ufffdx"\n'.encode()


def test_malformed_pushes_are_reported_not_fatal():
    """A push that is not JSON, or not base64, is a diagnostic; the rest is kept."""
    html = page(
        "<script>self.__next_f.push([1, nope])</script>",
        push(3, "!!!"),
        push(7, "x"),
        push(1, "0:1\n"),
    )
    inline = read_inline_flight(html)
    assert inline.data == b"0:1\n"
    reasons = [d.reason for d in inline.diagnostics]
    assert len(reasons) == 3
    assert "not JSON" in reasons[0]
    assert "base64" in reasons[1]
    assert "unknown push form" in reasons[2]
    assert [d.code for d in inline.diagnostics] == ["bad-push-json", "bad-base64", "unknown-push"]


def test_push_diagnostics_name_their_script_not_a_flight_offset():
    """A push problem has no flight-byte offset; its reason names the script and character.

    The character index counts in the script's text, a unit no flight offset shares, so it
    must not sit in ``offset`` where a reader (the inspector) would take it for a byte.
    """
    html = page(push(1, "0:1\n"), "<script>self.__next_f.push([true])</script>")
    (problem,) = read_inline_flight(html).diagnostics
    assert problem.offset is None
    assert problem.code == "bad-push"
    assert problem.reason == "push argument is not [kind, ...] (script 3, character 19)"
    assert str(problem) == "error: " + problem.reason
    with pytest.raises(FlightSyntaxError) as info:
        read_inline_flight(html, strict=True)
    assert info.value.offset is None
    assert "(script 3, character 19)" in str(info.value)


def test_every_push_problem_has_a_listed_code():
    """Each kind of malformed push carries its stable code and a matching severity."""
    html = (
        f"<html><body>{push(1, '0:1' + chr(10))}"
        "<script>self.__next_f.push(nope)</script><script>self.__next_f.push({})</script>"
        f"{push(5)}{push(3, '*')}</body></html>"
    )
    problems = read_inline_flight(html).diagnostics
    codes = ["push-before-bootstrap", "bad-push-json", "bad-push", "unknown-push", "bad-base64"]
    assert [p.code for p in problems] == codes
    for problem in problems:
        assert problem.offset is None
        assert DIAGNOSTIC_CODES[problem.code].startswith(problem.severity + ":")


def test_data_before_bootstrap_is_flagged():
    """A `[1]` before any `[0]` is malformed: kept, with a warning."""
    html = f"<html><body>{push(1, '0:1' + chr(10))}</body></html>"
    inline = read_inline_flight(html)
    assert inline.data == b"0:1\n"
    assert [d.severity for d in inline.diagnostics] == ["warning"]


def test_pages_router_page_has_no_flight_data():
    """A page with __NEXT_DATA__ and no pushes gets a clear error."""
    html = (
        '<html><body><script id="__NEXT_DATA__" type="application/json">'
        '{"props":{}}</script><script>self.__next_s=[]; __next_s.push(1)</script></body></html>'
    )
    with pytest.raises(NoFlightDataError, match="no flight data"):
        flight_from_html(html)


def test_bytes_input_is_utf8():
    """A page given as bytes is read as UTF-8 (BOM allowed)."""
    html = page(push(1, '0:"é"\n'))
    assert flight_from_html(b"\xef\xbb\xbf" + html.encode()) == '0:"é"\n'.encode()


def test_push_limit():
    """max_html_pushes bounds the pushes read from one page."""
    html = page(*(push(1, "0:1\n") for _ in range(5)))
    with pytest.raises(FlightLimitError):
        flight_from_html(html, limits=Limits(max_html_pushes=3))


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b'0:["$","div",null,{}]\n', "flight"),
        (b':HL["/a.css","style"]\n0:1\n', "flight"),
        (b'1:I[1,[],""]\n', "flight"),
        (b'J0:["$","@1",null,{}]\n', "flight"),
        ("\ufeff<!DOCTYPE html><html></html>", "html"),
        (b"  \n<html lang=en>", "html"),
    ],
)
def test_detect_source(data, kind):
    """Raw payloads and HTML pages are told apart by how they start."""
    assert detect_source(data) == kind


@pytest.mark.parametrize("data", [b"---\ntitle: x\n---\n", b'{"a":1}', b"", b"hello"])
def test_detect_source_rejects_other_text(data):
    """Markdown, JSON or prose is neither: a clear NoFlightDataError."""
    with pytest.raises(NoFlightDataError, match="neither a flight payload"):
        detect_source(data)


def test_load_flight_handles_both_kinds():
    """load_flight returns the flight bytes of a payload or of a page."""
    assert load_flight(b"0:1\n") == b"0:1\n"
    assert load_flight(page(push(1, "0:1\n"))) == b"0:1\n"
    assert load_flight("0:1\n", source="flight") == b"0:1\n"
    with pytest.raises(ValueError, match="source must be"):
        load_flight(b"0:1\n", source="xml")  # type: ignore[arg-type]


def test_malformed_push_in_strict_mode_raises():
    """Strict mode stops at the first malformed push."""
    html = page("<script>self.__next_f.push([1, nope])</script>", push(1, "0:1\n"))
    with pytest.raises(FlightSyntaxError, match="not JSON"):
        read_inline_flight(html, strict=True)
