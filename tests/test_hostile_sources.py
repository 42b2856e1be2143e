"""Hostile HTML pages against the ``__next_f`` reader: injection through text a browser
never runs, regular expressions and recursion on crafted scripts, XHTML, lost bytes."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from rsc_flight import (
    FlightError,
    FlightSyntaxError,
    Limits,
    NoFlightDataError,
    parse,
    read_inline_flight,
)
from rsc_flight.errors import DIAGNOSTIC_CODES
from rsc_flight.wire import jsscan, push_args
from rsc_flight.wire.jsscan import scan_script

REAL = '0:["$","h1",null,{"children":"REAL TITLE"}]\n'
FAKE = '0:["$","h1",null,{"children":"FAKE TITLE"}]\n'


def push_call(text: str, kind: int = 1) -> str:
    return "self.__next_f.push(" + json.dumps([kind, text]).replace("<", "\\u003c") + ")"


def page(*extra: str, real: str = REAL) -> str:
    """A page whose extra markup comes first, then the real bootstrap and data."""
    return (
        "<!DOCTYPE html><html><head>"
        + "".join(extra)
        + "</head><body><script>(self.__next_f=self.__next_f||[]).push([0])</script>"
        f"<script>{push_call(real)}</script></body></html>"
    )


NOT_RUN = {
    "text/plain": '<script type="text/plain">{}</script>',
    "json": '<script type="application/json">{}</script>',
    "ld+json": '<script type="application/ld+json">{}</script>',
    "importmap": '<script type="importmap">{}</script>',
    "type with parameter": '<script type="text/javascript; charset=utf-8">{}</script>',
    "language": '<script language="vbscript">{}</script>',
    "src": '<script src="/a.js">{}</script>',
    "nomodule": "<script nomodule>{}</script>",
    "template": "<template><script>{}</script></template>",
    "nested template": "<template><div><template><script>{}</script></template></div></template>",
    "noscript": "<noscript><script>{}</script></noscript>",
    "math": "<math><script>{}</script></math>",
    "block comment": "<script>/* {} */</script>",
    "line comment": "<script>// {}\n</script>",
    "html comment": "<script><!-- {}\n</script>",
    "html close comment": "<script>\n--> {}\n</script>",
    "string": "<script>var a = '{}'</script>",
    "template literal": "<script>var a = `${{1}}{}`</script>",
    "regexp": "<script>var a = /{}/</script>",
    "function": "<script>function never() {{ {} }}</script>",
    "arrow": "<script>var f = () => {}</script>",
    "condition": "<script>if (0) {}</script>",
    "condition block": "<script>if (0) {{ {} }}</script>",
    "after operator": "<script>0 && {}</script>",
    "member": "<script>foo.{}</script>",
    "unterminated string": "<script>{};'</script>",
    "unterminated comment": "<script>{};/*</script>",
    "unbalanced": "<script>{};(</script>",
}


@pytest.mark.parametrize("wrap", NOT_RUN.values(), ids=NOT_RUN.keys())
def test_a_push_a_browser_never_runs_is_not_data(wrap: str) -> None:
    """Text that only looks like a push, placed before the real one, is a warning."""
    html = page(wrap.format(push_call(FAKE)))
    inline = read_inline_flight(html)
    assert inline.data == REAL.encode()
    assert "push-not-executed" in [d.code for d in inline.diagnostics]
    skipped = [d for d in inline.diagnostics if d.code == "push-not-executed"]
    assert all(d.severity == "warning" and d.raw for d in skipped)
    assert parse(html).root.props["children"] == "REAL TITLE"


RUN = {
    "javascript type": '<script type="text/javascript">{}</script>',
    "upper-case type": '<script type=" Application/JavaScript ">{}</script>',
    "language": '<script language="javascript">{}</script>',
    "window": "<script>{}</script>",
    "after a comment": "<script>/* c */ {}</script>",
    "after a statement": "<script>var a = 1; {}</script>",
    "after a line break": "<script>var a = 1\n{}</script>",
    "after a block": "<script>if (a) {{ b() }} {}</script>",
    "after a regexp": "<script>var r = /[/]x/g; {}</script>",
    "after a template": "<script>var t = `a${{ {{b: '}}'}} }}c`; {}</script>",
    "svg": "<svg><script>{}</script></svg>",
}


@pytest.mark.parametrize("wrap", RUN.values(), ids=RUN.keys())
def test_a_push_a_browser_runs_is_data(wrap: str) -> None:
    """The forms a browser does run are read, in document order."""
    call = push_call(FAKE)
    if "window" in wrap:
        call = call.replace("self.", "window.")
    inline = read_inline_flight(page(wrap.format(call)))
    assert inline.data == (FAKE + REAL).encode()


def test_module_scripts_run_after_classic_scripts() -> None:
    """Inline module scripts are deferred: their pushes come after the classic ones."""
    html = page(f'<script type="module">{push_call(FAKE)}</script>')
    assert read_inline_flight(html).data == (REAL + FAKE).encode()


def test_a_call_with_several_arguments_pushes_each() -> None:
    html = page(f'<script>self.__next_f.push([1, {json.dumps(FAKE)}], [1, "1:2\\n"],)</script>')
    assert read_inline_flight(html).data == (FAKE + "1:2\n" + REAL).encode()


def test_a_call_with_an_expression_pushes_nothing_known() -> None:
    """``push([1,"a"] + x)`` pushes a string, not the list: a bad-push-json error."""
    html = page(f"<script>self.__next_f.push({json.dumps([1, FAKE])} + x)</script>")
    inline = read_inline_flight(html)
    assert inline.data == REAL.encode()
    assert [d.code for d in inline.diagnostics] == ["bad-push-json"]


def test_a_page_of_only_hidden_pushes_says_so() -> None:
    html = f'<html><script type="text/plain">{push_call(FAKE)}</script></html>'
    with pytest.raises(NoFlightDataError, match=r"1 mentions of self\.__next_f are all in"):
        read_inline_flight(html)


def test_every_new_code_is_listed() -> None:
    assert DIAGNOSTIC_CODES["push-not-executed"].startswith("warning:")


# -- linear time, no recursion ------------------------------------------------------------


class _Counting:
    """A compiled pattern that counts its ``match`` calls."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern, self.calls = pattern, 0

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        self.calls += 1
        return self.pattern.match(text, pos)


SPACES = [" ", "\t", "\n", "\r\n", "\u2028", "\u00a0", " \n", "/**/"]


@pytest.mark.parametrize("space", SPACES, ids=repr)
def test_a_megabyte_of_spaces_is_one_pass(space: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The old ``__next_f\\s*(...)?\\s*\\.push`` regex took 7.9 s on 64 KB of spaces
    (quadratic); the tokenizer makes one match per token, and a run of spaces is one
    token."""
    counter = _Counting(jsscan._TOKEN)
    monkeypatch.setattr(jsscan, "_TOKEN", counter)
    filler = space * (1_000_000 // len(space))
    for script in (
        "self.__next_f" + filler,
        "self.__next_f" + filler + ".push([1,'x'])",
        "(self.__next_f=" + filler + "self.__next_f||[])" + filler + ".push([0])",
    ):
        counter.calls = 0
        scan = scan_script(script, lambda text, at: push_args.read_call(text, at, 512))
        assert scan.error is None or "push" not in script
        runs = script.count(filler)
        # Spaces are one token per run; line breaks and comments one per character
        # group at most: never more than a few tokens per filler unit.
        assert counter.calls <= 64 + runs * (len(filler) // len(space) + 1) * 2


def test_the_push_regex_family_is_linear_on_a_page() -> None:
    """A page of 1 MB of whitespace after ``self.__next_f`` reads (no push: no data)."""
    html = page("<script>self.__next_f" + " \t\n" * 350_000 + "</script>")
    assert read_inline_flight(html).data == REAL.encode()


@pytest.mark.parametrize(
    "argument",
    [
        "[1," + "[" * 100_000 + "]" * 100_000 + "]",
        "[2," + '{"a":' * 50_000 + "1" + "}" * 50_000 + "]",
    ],
    ids=["array", "form state"],
)
def test_a_deep_push_argument_is_a_diagnostic(argument: str) -> None:
    """``json.raw_decode`` recursed and raised RecursionError; the depth is counted first."""
    html = page(f"<script>self.__next_f.push({argument})</script>")
    inline = read_inline_flight(html)
    assert inline.data == REAL.encode()
    (problem,) = inline.diagnostics
    assert problem.code == "bad-push"
    assert "max_depth=512" in problem.reason
    with pytest.raises(FlightSyntaxError, match="max_depth"):
        read_inline_flight(html, strict=True)


def test_form_state_within_max_depth_is_kept() -> None:
    state = '{"a":' * 20 + "1" + "}" * 20
    html = page(f"<script>self.__next_f.push([2,{state}])</script>")
    assert read_inline_flight(html).form_state == (json.loads(state),)
    limited = read_inline_flight(html, limits=Limits(max_depth=10))
    assert [d.code for d in limited.diagnostics] == ["bad-push"]


# -- XHTML and what lxml raises -----------------------------------------------------------


@pytest.mark.parametrize("encoding", ["UTF-8", "ISO-8859-1", "bogus"])
@pytest.mark.parametrize("as_bytes", [True, False])
def test_xhtml_with_an_encoding_declaration(encoding: str, as_bytes: bool) -> None:
    """lxml raised ValueError on a str starting with an encoding declaration; the page
    is handed over as UTF-8 bytes, so the declaration cannot change how it is read."""
    title = "한글 REAL"
    html = f'<?xml version="1.0" encoding="{encoding}"?>\n' + page(
        real=f'0:["$","h1",null,{{"children":"{title}"}}]\n'
    )
    data = html.encode() if as_bytes else html
    assert title.encode() in read_inline_flight(data).data


@pytest.mark.parametrize(
    "html", ["", "\x00", "<?xml?>", "<?xml encoding='x'?>", "\ud800__next_f", "<" * 5000]
)
def test_odd_pages_raise_only_flight_errors(html: str) -> None:
    with pytest.raises(FlightError):
        read_inline_flight(html + "__next_f")


# -- nothing lost silently, nothing kept without bound ------------------------------------


def test_diagnostic_raw_is_bounded_and_counts_the_rest() -> None:
    bad = "!" * 200_000
    html = page(f"<script>self.__next_f.push([3,{json.dumps(bad)}])</script>")
    (problem,) = read_inline_flight(html, limits=Limits(max_diagnostic_bytes=1000)).diagnostics
    assert problem.code == "bad-base64"
    assert problem.raw == b"!" * 1000
    assert "199000 more bytes not kept" in problem.reason


def test_every_unused_push_is_reported_with_its_text() -> None:
    """Bad kinds, bad base64, non-JSON and empty calls each leave a diagnostic with raw."""
    html = page(
        "<script>self.__next_f.push([9,'x'])</script>",
        '<script>self.__next_f.push([7,"x"])</script>',
        '<script>self.__next_f.push([3,"***"])</script>',
        "<script>self.__next_f.push()</script>",
    )
    inline = read_inline_flight(html)
    codes = [d.code for d in inline.diagnostics]
    assert codes == ["bad-push-json", "unknown-push", "bad-base64", "bad-push"]
    assert [bool(d.raw) for d in inline.diagnostics] == [True, True, True, False]


# -- properties ---------------------------------------------------------------------------

_FRAGMENTS = [
    "self.__next_f",
    ".push(",
    push_call(FAKE),
    "(self.__next_f=self.__next_f||[])",
    "[1,",
    '"x"',
    "'",
    '"',
    "`",
    "${",
    "}",
    "{",
    "(",
    ")",
    "[",
    "]",
    "/*",
    "*/",
    "//",
    "\n",
    "/",
    "<!--",
    "-->",
    "\\",
    " ",
    ";",
    "=",
    "if(0)",
    "function(){",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40))
def test_random_scripts_raise_only_flight_errors(parts: list[str]) -> None:
    html = page("<script>" + "".join(parts) + "</script>")
    with contextlib.suppress(FlightError):
        read_inline_flight(html)


_HIDERS = [v for k, v in NOT_RUN.items() if not k.startswith(("unterminated", "unbalanced"))]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_HIDERS), min_size=1, max_size=4), st.data())
def test_nested_hiding_places_never_run(hiders: list[str], data: Any) -> None:
    """A fake push hidden in any nesting of places a browser does not run stays hidden."""
    script = push_call(FAKE)
    for wrap in hiders:
        inner = wrap.format(script)
        if inner.startswith("<script"):  # a script inside a script is text: unwrap it
            inner = inner.split(">", 1)[1].rsplit("</script>", 1)[0]
        script = inner
    html = page(data.draw(st.sampled_from(_HIDERS)).format(script))
    assert b"FAKE" not in read_inline_flight(html).data
