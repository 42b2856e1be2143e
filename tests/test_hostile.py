"""Hostile input: every attack of the security notes, with loose time and memory bounds.

Bounds are deliberately generous (a slow CI machine must pass them); their job is to tell
"bounded" from "exponential" or "allocates what the header claims".  Exact times and peak
memory are printed by ``benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import contextlib
import json
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, strategies as st

from rsc_flight import (
    FlightDecoder,
    FlightError,
    FlightLimitError,
    FlightSyntaxError,
    IncompleteFlightError,
    Limits,
    extract_article,
    parse,
    read_inline_flight,
    render_html,
    render_page,
    to_typed_json,
)
from rsc_flight.extract.rules import RuleContext
from rsc_flight.model import JSReadableStream, Pending
from rsc_flight.model.resolver import Resolver
from rsc_flight.nextjs.page import read_page
from rsc_flight.tree import iter_elements, text_content
from rsc_flight.wire import ModelRow

from .conftest import DATA, corpus_files
from .helpers import assert_every_byte_accounted, split_at

SECONDS = 10.0
MEGABYTES = 200


def bounded(work: Callable[[], Any]) -> Any:
    """Run ``work`` and check it stayed within the loose time and memory bounds."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = work()
    finally:
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert peak < MEGABYTES * 2**20, f"peaked at {peak / 2**20:.0f} MB"
    return result


def bounded_error(work: Callable[[], Any], error: type[BaseException]) -> BaseException:
    def expect() -> BaseException:
        with pytest.raises(error) as info:
            work()
        return info.value

    return bounded(expect)


# -- limits --------------------------------------------------------------------------------


def test_huge_declared_length_allocates_nothing():
    """A text row claiming ~2**64 bytes fails at once, without allocating the claim."""
    bounded_error(lambda: parse(b"0:Tffffffffffffffff,abc"), FlightLimitError)


def test_billion_laughs_decodes_and_encodes_linearly():
    """60 rows, each doubling the previous: 2**60 leaves, decoded and written linearly."""
    rows = ['1:["lol"]'] + [f'{i:x}:["${i - 1:x}","${i - 1:x}"]' for i in range(2, 62)]
    data = ("\n".join([*rows, '0:{"bomb":"$3d"}']) + "\n").encode()
    text = bounded(lambda: json.dumps(parse(data).to_typed_json()))
    assert len(text) < 20_000


def test_billion_laughs_through_maps_stays_linear():
    """Maps built from shared rows are built once per reference, so they do not double."""
    rows = ['1:[["x",1]]'] + [
        f'{i:x}:[["a","$Q{i - 1:x}"],["b","$Q{i - 1:x}"]]' for i in range(2, 62)
    ]
    data = ("\n".join([*rows, '0:"$Q3d"']) + "\n").encode()
    text = bounded(lambda: json.dumps(parse(data).to_typed_json()))
    assert len(text) < 50_000


def test_expansion_limit_on_typed_json():
    """An expansion that is real (distinct objects) is cut by max_expansion."""
    data = b"0:[" + b",".join([b"[1,2,3,4,5,6,7,8,9]"] * 2000) + b"]\n"
    bounded_error(
        lambda: to_typed_json(parse(data).root, limits=Limits(max_expansion=5000)),
        FlightLimitError,
    )


@pytest.mark.parametrize("depth", [600, 5_000, 200_000])
def test_deep_nesting_never_escapes_as_recursion_error(depth):
    """Arrays or objects nested at any depth give FlightLimitError, never RecursionError."""
    arrays = b"0:" + b"[" * depth + b"]" * depth + b"\n"
    objects = b"0:" + b'{"a":' * depth + b"1" + b"}" * depth + b"\n"
    for data in (arrays, objects):
        bounded_error(lambda data=data: parse(data), FlightLimitError)
        bounded_error(lambda data=data: parse(data, strict=True), FlightLimitError)


def test_long_reference_chains():
    """Rows that each refer to the one before: deep chains are a limit, not a crash."""
    rows = ['1:"end"'] + [f'{i:x}:["${i - 1:x}"]' for i in range(2, 5000)]
    data = ("\n".join([*rows, f'0:"${4999:x}"']) + "\n").encode()
    bounded_error(lambda: parse(data), FlightLimitError)
    short = ("\n".join([*rows[:200], f'0:"${199:x}"']) + "\n").encode()
    assert bounded(lambda: parse(short)).root is not None


def test_reference_cycles_terminate():
    """Rows referring to each other, promises and lazies of themselves: no hang."""
    for data in (
        b'0:"$1"\n1:"$0"\n',
        b'0:{"p":"$@0","l":"$L0","s":"$0"}\n',
        b'1:"$@1"\n0:["$1","$@1","$L1"]\n',
        b'0:["$","div",null,{"children":"$0:props"}]\n',
    ):
        payload = bounded(lambda data=data: parse(data))
        bounded(lambda payload=payload: json.dumps(payload.to_typed_json()))


def test_bigint_digits_and_path_length():
    """A 1,000,000-digit BigInt and a 100,000-step path are limit errors, quickly."""
    bounded_error(lambda: parse(b'0:"$n' + b"7" * 1_000_000 + b'"\n'), FlightLimitError)
    bounded_error(lambda: parse(b'1:{}\n0:"$1' + b":a" * 100_000 + b'"\n'), FlightLimitError)


def test_row_count_and_push_limits():
    """max_rows and max_html_pushes bound what is read."""
    bounded_error(lambda: parse(b"1:2\n" * 100, limits=Limits(max_rows=50)), FlightLimitError)
    page = "<html><body>" + "<script>self.__next_f.push([1,'x'])</script>" * 20 + "</body></html>"
    bounded_error(
        lambda: read_inline_flight(page, limits=Limits(max_html_pushes=10)), FlightLimitError
    )


# -- no execution, no attributes -----------------------------------------------------------


def test_paths_only_walk_data():
    """Dunder and prototype names in paths are missing keys, never attributes."""
    payload = parse(
        b'1:{"a":{"b":1}}\n2:["$","div",null,{}]\n'
        b'0:{"x":"$1:__class__:__init__:__globals__","y":"$1:constructor:constructor",'
        b'"z":"$1:__proto__:then","w":"$2:__dict__","ok":"$1:a:b"}\n'
    )
    assert payload.root == {"ok": 1}


def test_proto_keys_are_dropped_and_then_is_plain():
    """`__proto__` keys are dropped (React 19 does); `then` has no special meaning."""
    root = parse(b'0:{"__proto__":{"polluted":1},"then":"$1","v":1}\n1:"just data"\n').root
    assert root == {"then": "just data", "v": 1}
    assert not hasattr({}, "polluted")


def test_nothing_named_is_imported_or_called():
    """Client and server references stay descriptions; function source stays text."""
    payload = parse(
        b'1:I["os",[],"system"]\n2:{"id":"os#system","bound":null}\n'
        b'0:{"c":"$L1","s":"$h2","f":"$Eimport(\\"os\\").system(\\"echo pwned\\")"}\n'
    )
    root = payload.root
    assert root["c"].result.id == "os"
    assert not callable(root["s"])
    assert root["f"].source.startswith("import")


# -- bad bytes -----------------------------------------------------------------------------


def test_invalid_utf8_nul_and_surrogates():
    """Invalid UTF-8, NUL bytes and escaped lone surrogates each decode with a record."""
    payload = parse(b'1:T4,a\xff\x00b0:{"t":"$1","n":"a\\u0000b","s":"\\ud800"}\n')
    assert payload.root == {"t": "a\ufffd\x00b", "n": "a\x00b", "s": "\ud800"}
    assert any("invalid UTF-8" in d.reason for d in payload.diagnostics)
    with pytest.raises(FlightSyntaxError, match="invalid UTF-8"):
        parse(b"1:T4,a\xff\x00b0:1\n", strict=True)


def test_truncated_stream_and_truncated_row():
    """A stream that never closes keeps what arrived; a cut text row is reported."""
    root = parse(b'0:"$1"\n1:R\n1:{"a":1}\n').root
    assert isinstance(root, JSReadableStream)
    assert (root.chunks, root.done) == ([{"a": 1}], False)
    payload = parse(b'0:"$1"\n1:T10,abc')
    assert isinstance(payload.root, Pending)
    assert payload.diagnostics[0].raw == b"1:T10,abc"
    with pytest.raises(IncompleteFlightError):
        parse(b'0:"$1"\n1:T10,abc', strict=True)


def test_duplicated_ids():
    """A second model row for an id keeps the first and says so."""
    payload = parse(b'0:"$1"\n1:"first"\n1:"second"\n')
    assert payload.root == "first"
    assert any("second model row for chunk 1" in d.reason for d in payload.diagnostics)


def test_malformed_pushes():
    """Pushes that are not JSON, not base64 or of an unknown form are reported."""
    page = (
        "<script>(self.__next_f=self.__next_f||[]).push([0])</script>"
        "<script>self.__next_f.push([1, oops])</script>"
        '<script>self.__next_f.push([3,"%%%"])</script>'
        '<script>self.__next_f.push([1,"0:1\\n"])</script>'
    )
    payload = parse(page, source="html")
    assert payload.root == 1
    assert len([d for d in payload.diagnostics if d.severity == "error"]) == 2


# -- JSON as JavaScript reads it -----------------------------------------------------------

SUITE = json.loads((DATA / "json_suite" / "cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", SUITE, ids=lambda c: c["name"])
def test_model_rows_accept_exactly_what_json_parse_accepts(case):
    """Each JSONTestSuite input, as a model row: accepted iff JavaScript's JSON.parse
    accepts it (recorded by scripts/node/json-suite)."""
    text = case["input"]
    resolver = Resolver(rules="19")
    try:
        resolver.add(ModelRow(0, "", 0, len(text) + 3, text))
        resolver.close()
        chunk = resolver.chunks[0]
        resolver.initialize(chunk)
    except FlightLimitError:
        accepted = False  # nested past max_depth: refused, like JSON.parse's stack limit
    else:
        accepted = chunk.status == "fulfilled"
    if text == "":
        # Not JSON to React either: an empty model row is its "halted" marker.
        assert chunk.status == "halted"
        return
    assert accepted == case["accepts"]


def test_json_suite_is_present():
    """The recorded suite is committed and complete (318 cases)."""
    assert len(SUITE) == 318


# -- properties ----------------------------------------------------------------------------

SPLITS = st.lists(st.integers(min_value=0, max_value=1 << 20), max_size=20)
LIMITS = Limits(max_row_bytes=1 << 16, max_rows=5_000, max_expansion=200_000)


def _decode_everything(chunks: list[bytes], strict: bool) -> None:
    decoder = FlightDecoder(limits=LIMITS, strict=strict)
    rows = []
    for chunk in chunks:
        rows += decoder.feed(chunk)
    rows += decoder.close()
    resolver = Resolver(limits=LIMITS, strict=strict)
    for row in rows:
        resolver.add(row)
    resolver.close()
    resolver.resolve_all()
    for chunk in list(resolver.chunks.values()):
        resolver.initialize(chunk)
        if chunk.status == "fulfilled":
            json.dumps(to_typed_json(chunk.value, limits=LIMITS))
            list(iter_elements(chunk.value, limits=LIMITS))
            text_content(chunk.value, limits=LIMITS)
            render_html(chunk.value, limits=LIMITS)
            render_page(chunk.value, limits=LIMITS)


@given(st.binary(max_size=300), SPLITS, st.booleans())
def test_arbitrary_bytes_only_flight_errors(data, cuts, strict):
    """On any bytes, in any chunking and both modes, only FlightError escapes."""
    with contextlib.suppress(FlightError):
        _decode_everything(split_at(data, [c % (len(data) + 1) for c in cuts]), strict)


def _seed_payloads() -> list[bytes]:
    paths = corpus_files("real/react19/*.txt", "real/next15/posts/*.txt", "seeds/00[013]*.txt")
    own = sorted(Path(DATA).glob("handmade/*.txt")) + sorted(Path(DATA).glob("generated/*/*.txt"))
    return [p.read_bytes() for p in paths + own if p.stat().st_size < 20_000]


SEEDS = _seed_payloads()
MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "dup", "cut"]),
        st.integers(min_value=0, max_value=1 << 16),
        st.binary(min_size=1, max_size=8) | st.sampled_from([b"$", b'"$1', b"$L", b":", b"\n"]),
    ),
    min_size=1,
    max_size=6,
)


def mutate(data: bytes, steps: list[tuple[str, int, bytes]]) -> bytes:
    buf = bytearray(data)
    for op, where, blob in steps:
        at = where % (len(buf) + 1)
        if op == "flip" and buf:
            buf[min(at, len(buf) - 1)] ^= blob[0] or 1
        elif op == "insert":
            buf[at:at] = blob
        elif op == "delete":
            del buf[at : at + len(blob)]
        elif op == "dup":
            buf[at:at] = buf[at : at + 16 * len(blob)]
        elif op == "cut":
            del buf[at:]
    return bytes(buf)


@given(st.sampled_from(SEEDS), MUTATIONS, SPLITS, st.booleans())
def test_mutated_payloads_only_flight_errors(seed, steps, cuts, strict):
    """Real payloads, damaged at random, in any chunking and both modes: only FlightError."""
    data = mutate(seed, steps)
    with contextlib.suppress(FlightError):
        _decode_everything(split_at(data, [c % (len(data) + 1) for c in cuts]), strict)


@given(st.sampled_from(SEEDS), MUTATIONS)
def test_mutated_payloads_lose_no_byte(seed, steps):
    """In lenient mode every byte of a damaged payload is in a row or a diagnostic."""
    data = mutate(seed, steps)
    decoder = FlightDecoder(limits=LIMITS)
    try:
        rows = decoder.feed(data) + decoder.close()
    except FlightLimitError:
        return
    assert_every_byte_accounted(data, rows, decoder.diagnostics)


def test_self_resolving_promises_and_lazies_terminate():
    """A promise or lazy that resolves to itself is reported, never followed forever."""
    document = bounded(lambda: parse(b'0:"$@1"\n1:"$@1"\n').to_typed_json())
    assert document["rootError"]["message"] == "Chaining cycle detected for promise #<Promise>"
    for data in (b'0:"$L0"\n', b'0:["$L1"]\n1:"$L1"\n', b'0:{"a":"$L1"}\n1:"$@1"\n'):
        payload = bounded(lambda data=data: parse(data))
        bounded(lambda payload=payload: render_html(payload.root))
        bounded(lambda payload=payload: text_content(payload.root))
        with contextlib.suppress(FlightLimitError):
            bounded(lambda payload=payload: payload.to_typed_json())


ARTICLE_SEEDS = SEEDS + [
    p.read_bytes() for p in sorted(Path(DATA).glob("next_blog/next1[456]/*/*.txt"))
]


@given(st.sampled_from(ARTICLE_SEEDS), MUTATIONS, st.booleans())
def test_mutated_pages_extract_or_raise_flight_errors(seed, steps, strict):
    """Article extraction of damaged pages: an Article that serialises, or a FlightError."""
    data = mutate(seed, steps)
    try:
        article = extract_article(data, limits=LIMITS, strict=strict)
    except FlightError:
        return
    json.dumps(article.to_dict())
    article.to_markdown()


def _row_chain(depth: int) -> bytes:
    """An article whose content nests ``depth`` levels through rows (JSON depth stays 3)."""
    head = b'0:["$","article",null,{"children":["$","div",null,{"className":"post tag",'
    rows = [head + b'"children":"$L1"}]}]\n']
    for i in range(1, depth):
        props = f'{{"className":"tag content","children":["x","$L{i + 1:x}"]}}'
        rows.append(f'{i:x}:["$","div",null,{props}]\n'.encode())
    rows.append(f'{depth:x}:"end"\n'.encode())
    return b"".join(rows)


def test_deep_pages_extract_in_bounded_time():
    """Nesting through rows has no JSON depth to stop it: the page walk stops at
    max_depth and all text walks of an extraction share one budget."""
    article = bounded(lambda: extract_article(_row_chain(100)))
    assert article.body_text is not None
    assert article.body_text.count("x") == 99
    article = bounded(lambda: extract_article(_row_chain(3_000)))
    assert any("deeper than max_depth=512" in w for w in article.warnings)
    assert any("body was not rendered" in w for w in article.warnings)
    shallow = Limits(max_depth=40)
    article = bounded(lambda: extract_article(_row_chain(100), limits=shallow))
    assert any("deeper than max_depth=40" in w for w in article.warnings)


def test_text_walks_of_an_extraction_share_one_budget():
    page = read_page(parse(_row_chain(300)).root)
    context = RuleContext(page, limits=Limits(max_expansion=50_000))
    outer = next(node for node in page.nodes if node.tag == "div")
    assert context.text(outer).count("x") == 299

    def every_text() -> None:  # quadratic without the budget
        for node in page.nodes:
            context.text(node)

    with pytest.raises(FlightLimitError, match="values of text"):
        every_text()
    assert context.text(outer).count("x") == 299  # read before: still there
