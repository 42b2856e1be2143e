"""The native typed JSON (``model/_ctyped.c``) against the reference (``typed_json.py``).

Both engines must give the same document for every value, or raise the same exception
(type and message) at the same point: the same ``$ref`` pointers (shared values are
written once, in the same depth-first order), the same charges against ``Limits`` (nodes,
depth, output bytes, the iterators written again at once), the same key order.  Inputs:
random value graphs built from every value class, with shared and cyclic containers;
random payloads of element rows and references, decoded; every corpus payload; each
under default limits and under small random ones, so the budget trips everywhere.
"""

from __future__ import annotations

import enum
import json
import math
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings, strategies as st

from rsc_flight import Limits, _engine, parse
from rsc_flight.model import typed_json
from rsc_flight.model.typed_json import dumps, encode_document, to_typed_json
from rsc_flight.model.values import (
    UNDEFINED,
    ClientReference,
    Element,
    ErrorValue,
    FunctionSource,
    JSAsyncIterable,
    JSBigInt,
    JSBlob,
    JSDate,
    JSFormData,
    JSIterator,
    JSMap,
    JSPromise,
    JSReadableStream,
    JSSet,
    JSSymbol,
    JSTypedArray,
    Lazy,
    Omitted,
    Pending,
    ServerContextProvider,
    ServerReference,
    TemporaryReference,
)

from .conftest import corpus_params

pytestmark = pytest.mark.skipif(
    _engine.ENGINE != "native", reason=f"no native engine: {_engine.ENGINE_NOTE}"
)

ENGINES = ("python", "native")


def outcome(run: Any) -> Any:
    """What ``run()`` gives, as comparable text (key order included), or what it raises."""
    try:
        result = run()
    except Exception as exc:
        return ("raises", type(exc), str(exc))
    return ("ok", dumps(result))


def assert_same(run: Any) -> Any:
    """``run(engine)`` gives the same outcome on both engines; that outcome."""
    python, native = (outcome(lambda e=e: run(e)) for e in ENGINES)
    assert native == python
    return python


# -- random value graphs -----------------------------------------------------------------


class _Level(enum.IntEnum):
    HIGH = 3


class _Tag(Element):
    pass


def _rejected(reason: Any) -> Lazy:
    return Lazy(JSPromise("rejected", None, reason, 7))


LEAVES = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["$", "$x", "a/b", "~1", "\ud800", "x\udc00y", "é😀", ""]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.sampled_from([0.0, -0.0, 1e21, 1e20, 2.5, math.inf, -math.inf, math.nan]),
    st.sampled_from([None, True, False, UNDEFINED, _Level.HIGH]),
    st.integers(-(2**80), 2**80).map(JSBigInt),
    st.sampled_from(
        [
            JSSymbol("react.fragment"),
            JSDate.parse("2020-01-02T03:04:05.000Z"),
            JSDate.parse("nope"),
            ClientReference("./a.js", (), ""),
            ClientReference(12, ("c",), "Button"),
            ErrorValue("boom", "TypeError", "d1", "Server"),
            ErrorValue("plain"),
            JSTypedArray("Uint8Array", b"\x00\x01\xff"),
            JSBlob("text/plain", b"hello" * 3),
            Pending(0x1F),
            Pending(None),
            FunctionSource("function f() {}"),
            ServerContextProvider("ctx"),
            TemporaryReference("t"),
            Omitted("x"),
            frozenset({1}),
        ]
    ),
)
KEYS = st.sampled_from(["a", "b", "children", "$", "$$x", "a/b", "~", "é", "", "\ud800"])


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    items = st.lists(inner, max_size=4)
    return st.one_of(
        items,
        st.dictionaries(KEYS, inner, max_size=4),
        st.builds(Element, inner, inner, st.dictionaries(KEYS, inner, max_size=3), inner),
        st.builds(_Tag, inner, inner, inner),
        st.builds(JSMap, st.lists(st.tuples(inner, inner), max_size=3)),
        st.builds(JSSet, items),
        st.builds(JSFormData, st.lists(st.tuples(KEYS | inner, inner), max_size=3)),
        st.builds(JSIterator, items),
        st.builds(JSReadableStream, st.booleans(), items, st.booleans(), inner | st.none()),
        st.builds(JSAsyncIterable, st.booleans(), items, inner, st.booleans(), inner | st.none()),
        st.builds(ServerReference, KEYS | inner, items | inner | st.none()),
        st.builds(lambda v: JSPromise("fulfilled", v, None, 1), inner),
        st.builds(lambda v: JSPromise("rejected", None, v, 2), inner),
        st.sampled_from(["pending", "halted", "blocked"]).map(lambda s: JSPromise(s, 0, 0, 3)),
        st.builds(ServerReference, KEYS, items.map(lambda v: JSPromise("fulfilled", v, None))),
        st.builds(lambda v: Lazy(JSPromise("fulfilled", v, None, 4)), inner),
        st.builds(_rejected, inner),
    )


VALUES = st.recursive(LEAVES, _containers, max_leaves=30)


def _walk_containers(root: Any) -> list[Any]:
    """Every list, dict and element reachable from ``root`` (no cycles yet), in order."""
    found: list[Any] = []
    stack = [root]
    seen: set[int] = set()
    while stack:
        value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, (list, dict, Element)):
            found.append(value)
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, Element):
            stack.extend([value.type, value.key, value.props])
        elif isinstance(value, (JSSet, JSIterator)):
            stack.extend([value.values])
        elif isinstance(value, JSPromise):
            stack.extend([value.value, value.reason])
        elif isinstance(value, Lazy):
            stack.append(value.promise.value)
    return found


@st.composite
def graphs(draw: st.DrawFn) -> Any:
    """A random value in which some containers are met again, some inside themselves."""
    root = draw(VALUES)
    found = _walk_containers(root)
    if found:
        for _ in range(draw(st.integers(0, 6))):
            target = draw(st.sampled_from(found))
            shared = draw(st.sampled_from(found))
            if isinstance(target, list):
                target.append(shared)
            elif isinstance(target, dict):
                target[draw(KEYS)] = shared
            else:
                target.props = shared
        # the very same items in two iterators, and one iterator's list twice
        items = draw(st.sampled_from(found))
        if isinstance(items, list):
            root = [root, JSIterator(items), JSIterator(list(items)), JSIterator(items)]
    return root


SMALL_LIMITS = st.builds(
    lambda n, d, b: Limits(max_expansion=n, max_depth=d, max_output_bytes=b),
    st.integers(0, 120),
    st.integers(0, 12),
    st.integers(0, 400),
)


@given(graphs(), SMALL_LIMITS | st.just(Limits()))
def test_random_graphs_encode_the_same(value: Any, limits: Limits) -> None:
    assert_same(lambda e: to_typed_json(value, limits=limits, engine=e))


@settings(max_examples=30)
@given(graphs())
def test_every_limit_up_to_what_the_value_needs(value: Any) -> None:
    """Each budget swept from 0 to what encoding the value uses, one unit at a time: the
    engines trip on the same node, at the same byte, at the same depth."""
    reference = typed_json._Encoder(Limits())
    if outcome(lambda: reference.encode(value, "", 0))[0] == "raises":
        return
    budget = reference.budget
    used_bytes = Limits().max_output_bytes - budget.bytes_left
    for n in range(min(budget.used, 300) + 2):
        limits = Limits(max_expansion=n)
        assert_same(lambda e, limits=limits: to_typed_json(value, limits=limits, engine=e))
    for size in range(min(used_bytes, 300) + 2):
        limits = Limits(max_output_bytes=size)
        assert_same(lambda e, limits=limits: to_typed_json(value, limits=limits, engine=e))
    for depth in range(12):
        limits = Limits(max_depth=depth)
        assert_same(lambda e, limits=limits: to_typed_json(value, limits=limits, engine=e))


@given(graphs(), st.integers(0, 3))
def test_random_graphs_at_a_pointer_and_depth(value: Any, depth: int) -> None:
    """The encoder's own arguments: a pointer prefix and a starting depth."""

    def run(engine: str) -> Any:
        encoder = typed_json._new_encoder(Limits(max_depth=8), engine)  # type: ignore[arg-type]
        return encoder.encode(value, "/x~1y", depth)

    assert_same(run)


@given(graphs(), st.lists(st.lists(LEAVES | st.lists(LEAVES, max_size=2), max_size=3), max_size=3))
def test_documents_with_hints(value: Any, hints: list[list[Any]]) -> None:
    """``encode_document``: the root, then hints through the same encoder."""
    assert_same(lambda e: encode_document(value, None, hints, engine=e))
    assert_same(lambda e: encode_document(None, value, hints, engine=e))


def test_iterators_written_again_charge_at_once() -> None:
    """The reused encoding of an iterator's items charges its nodes and bytes at once,
    in both engines, and trips on the same charge."""
    items = [{"a": "x" * 10}, [1, 2]]
    shared: list[Any] = [items]
    value = [shared, *(JSIterator(list(items)) for _ in range(50))]
    for n in (10, 60, 200, 400, 10_000):
        for size in (30, 500, 5000):
            limits = Limits(max_expansion=n, max_output_bytes=size)
            assert_same(lambda e, limits=limits: to_typed_json(value, limits=limits, engine=e))


def test_odd_keys_and_entries() -> None:
    """What the decoder never makes, done as the reference does: a key that is not a
    str, an entry that is not a pair tuple."""
    cases: list[Any] = [
        {1: "x"},
        {"$a": 1, 2: "y"},
        JSMap([["k", "v"]]),  # type: ignore[list-item]
        JSMap([("k",)]),  # type: ignore[list-item]
        JSFormData([("a", 1, 2)]),  # type: ignore[list-item]
        JSSet((1, 2)),  # type: ignore[arg-type]
        JSSet(None),  # type: ignore[arg-type]
    ]
    for case in cases:
        assert_same(lambda e, case=case: to_typed_json(case, engine=e))


def test_a_deep_chain_needs_no_recursion() -> None:
    """100,000 levels: the native walk has no recursion, and stops at max_depth as the
    reference does; with room, it writes the whole chain."""
    value: Any = "end"
    for _ in range(100_000):
        value = [value]
    expected = outcome(lambda: to_typed_json(value, engine="python"))
    assert expected[0] == "raises"
    assert outcome(lambda: to_typed_json(value, engine="native")) == expected
    deep = Limits(max_depth=200_000)
    written = to_typed_json(value, limits=deep, engine="native")
    for _ in range(100_000):
        assert type(written) is list
        assert len(written) == 1
        written = written[0]
    assert written == "end"


def test_a_dict_changed_while_written() -> None:
    """A promise whose settling adds a key to the dict being written: RuntimeError, as
    iterating a dict that changed size raises in Python."""

    class Growing(JSPromise):
        __slots__ = ("target",)

        def _settle(self) -> None:
            self.target["new"] = 1

    def make() -> dict[str, Any]:
        promise = Growing("fulfilled", 1, None)
        target: dict[str, Any] = {"a": Lazy(promise), "b": 2}
        promise.target = target
        return target

    assert assert_same(lambda e: to_typed_json(make(), engine=e))[1] is RuntimeError


DATE_TEXTS = st.one_of(
    st.builds(
        lambda y, mo, d, h, mi, s, ms: (
            f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.{ms:03d}Z"
        ),
        st.sampled_from([0, 1, 1900, 1970, 2000, 2023, 2024, 2100, 9999]) | st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 25),
        st.integers(0, 61),
        st.integers(0, 61),
        st.integers(0, 999),
    ),
    st.sampled_from(
        [
            "2024-02-29T00:00:00.000Z",
            "2021-02-29T00:00:00.000Z",
            "2100-02-29T00:00:00.000Z",
            "2020-06-31T00:00:00.000Z",
            "2020-13-01T00:00:00.000Z",
            "2020-00-10T00:00:00.000Z",
            "2020-01-00T00:00:00.000Z",
            "2020-01-01T23:60:00.000Z",
            "2020-01-01T23:00:60.000Z",
            "2023-02-29T00:00:00.000Z",
            "1900-02-29T00:00:00.000Z",
            "2000-02-29T23:59:59.999Z",
            "2020-04-31T00:00:00.000Z",
            "2020-01-01T24:00:00.000Z",
            "+275760-09-13T00:00:00.000Z",
            "2020-01-01T00:00:00Z",
            "2020-01-01T00:00:00.000+01:00",
            "٢٠٢٠-01-01T00:00:00.000Z",
            "2020-01-01T00:00:00.000z",
            "",
        ]
    ),
    st.text(max_size=26),
)


class _Day(JSDate):
    __slots__ = ()

    def isoformat(self) -> str | None:
        return "subclass"


@given(st.lists(DATE_TEXTS, max_size=8))
def test_dates_are_written_as_to_iso_string_writes_them(texts: list[str]) -> None:
    """The canonical text of a valid date is written as it is, everything else (an
    invalid day, hour 24, offsets, other digits, a subclass) as the reference writes it."""
    value = [JSDate.parse(t) for t in texts] + [_Day.parse(t) for t in texts[:1]]
    assert_same(lambda e: to_typed_json(value, engine=e))


def test_lone_surrogates_are_written_as_json_stringify_writes_them() -> None:
    value = {"\ud800": ["x\udc00", "\ud83d\ude00"]}
    for engine in ENGINES:
        assert dumps(to_typed_json(value, engine=engine)) == '{"\\ud800": ["x\\udc00", "😀"]}'


# -- decoded payloads ----------------------------------------------------------------------

ROW_IDS = range(6)
CODES = st.sampled_from(
    [
        *(f"${i:x}" for i in ROW_IDS),
        *(f"$L{i:x}" for i in ROW_IDS),
        *(f"$@{i:x}" for i in ROW_IDS),
        *(f"$Q{i:x}" for i in ROW_IDS),
        *(f"$W{i:x}" for i in ROW_IDS),
        *(f"$i{i:x}" for i in ROW_IDS),
        *("$undefined", "$NaN", "$-0", "$Infinity", "$n123", "$D2020-01-02T03:04:05.000Z"),
        *("$Sreact.suspense", "$$", "$1:props:children", "$Z", "$9"),
    ]
)
JSON_LEAVES = st.one_of(CODES, st.text(max_size=4), st.integers(-5, 5), st.none(), st.booleans())


def _json_containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["a", "children", "$k", "x/y"]), inner, max_size=3),
        st.builds(
            lambda t, k, p: ["$", t, k, p],
            st.sampled_from(["div", "p", "$L1", "$2"]),
            st.none() | st.just("k"),
            st.dictionaries(st.sampled_from(["children", "id"]), inner, max_size=2),
        ),
    )


ROWS = st.lists(st.recursive(JSON_LEAVES, _json_containers, max_leaves=12), min_size=1, max_size=6)


def _payload(rows: list[Any], errors: list[int]) -> bytes:
    lines = []
    for i, row in enumerate(rows):
        if i in errors:
            lines.append(f'{i:x}:E{{"message":"no {i}","digest":"d"}}')
        else:
            lines.append(f"{i:x}:{json.dumps(row)}")
    return ("\n".join(lines) + "\n").encode()


def _document(data: bytes, limits: Limits, engine: str) -> Any:
    with mock.patch.object(_engine, "ENGINE", "python"):
        try:
            payload = parse(data)
        except Exception as exc:  # not a payload (a Markdown seed)
            return ("raises", type(exc), str(exc))
    with mock.patch.object(_engine, "ENGINE", engine):
        doc = outcome(payload.to_typed_json)
    if limits != Limits():
        with mock.patch.object(_engine, "ENGINE", engine):
            small = outcome(lambda: to_typed_json(payload.root, limits=limits))
        return doc, small
    return doc


@given(ROWS, st.lists(st.integers(1, 5), max_size=2), SMALL_LIMITS | st.just(Limits()))
def test_random_payloads_decode_to_the_same_document(
    rows: list[Any], errors: list[int], limits: Limits
) -> None:
    data = _payload(rows, errors)
    assert _document(data, limits, "native") == _document(data, limits, "python")


@pytest.mark.parametrize("path", corpus_params("**/*.txt", "**/*.html", "**/*.rsc"))
def test_corpus_payloads_decode_to_the_same_document(path: Any) -> None:
    data = path.read_bytes()
    for limits in (Limits(), Limits(max_expansion=500), Limits(max_output_bytes=2000)):
        docs = [_document(data, limits, engine) for engine in ENGINES]
        assert docs[0] == docs[1], limits
