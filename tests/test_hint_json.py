"""Hints in typed JSON: plain JSON for real pages, bounded and recursion-free for hostile ones.

A hint row is read with the reviver, so a hostile payload can make its arguments a list
that holds itself, a chain of rows deeper than Python's stack, or a value shared so often
that writing it out as a tree would be exponential (the fuzzer found the first one:
``tests/data/fuzz_regressions/hint-cycle.bin``).
"""

from __future__ import annotations

import contextlib
import math

import pytest
from hypothesis import given, strategies as st

from rsc_flight import FlightError, FlightLimitError, Limits, parse
from rsc_flight.model._hint_json import plain_json
from rsc_flight.model.typed_json import encode_document
from rsc_flight.model.values import UNDEFINED, JSDate


def _document(rows: list[str], limits: Limits | None = None) -> dict:
    payload = parse(("\n".join(rows) + "\n").encode(), limits=limits or Limits())
    return payload.to_typed_json()


def test_a_plain_hint_is_written_as_json() -> None:
    doc = _document(['0:"x"', ':HL["/a.css","style",{"crossOrigin":""}]'])
    assert doc["hints"] == [["L", "/a.css", "style", {"crossOrigin": ""}]]


def test_a_hint_that_holds_itself_is_written_with_a_ref() -> None:
    # 1 is a list whose only item is 1 itself: a cycle through a row reference.
    doc = _document(['0:"x"', '1:["$1"]', ':HX["$1"]'])
    (hint,) = doc["hints"]
    assert hint[0] == "X"
    assert hint[1] == [{"$ref": ""}]  # the argument itself, the root of its encoding


def test_a_hint_sharing_one_row_everywhere_is_not_expanded() -> None:
    # Each row lists the next one twice: written as a tree, 40 rows would be 2**40 nodes.
    rows = ['0:"x"']
    rows += [f'{i:x}:["${i + 1:x}","${i + 1:x}"]' for i in range(1, 40)]
    rows += ['28:"leaf"', ':HX["$1"]']
    doc = _document(rows)
    text = str(doc["hints"])
    assert "$ref" in text
    assert len(text) < 10_000


def test_a_hint_deeper_than_max_depth_raises_a_flight_error() -> None:
    # The decoder refuses such a hint row already; a value built by other means is
    # written by the encoder, whose depth limit applies, without Python recursion.
    deep: list[object] = []
    for _ in range(5_000):
        deep = [deep]
    with pytest.raises(FlightLimitError):
        encode_document(None, None, [["X", deep]], limits=Limits(max_depth=64))
    doc = encode_document(None, None, [["X", deep]], limits=Limits(max_depth=6_000))
    assert doc["hints"][0][0] == "X"


def test_the_pinned_fuzz_case_encodes() -> None:
    from .conftest import DATA

    data = (DATA / "fuzz_regressions" / "hint-cycle.bin").read_bytes()[1:]
    doc = parse(data).to_typed_json()
    assert "$ref" in str(doc["hints"])


def test_leaves_follow_json_stringify() -> None:
    seen: list[object] = []

    def encode(value: object) -> object:
        seen.append(value)
        return {"$type": "other"}

    date = JSDate.parse("2024-01-02T03:04:05.000Z")
    value = [UNDEFINED, math.nan, math.inf, 1.5, date, {"a": UNDEFINED, "b": 2}, object]
    got = plain_json(value, encode, Limits())
    assert got == [None, None, None, 1.5, date.isoformat(), {"b": 2}, {"$type": "other"}]
    assert seen == [object]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4)
    ),
    max_leaves=40,
)


def _recursive_reference(value: object) -> object:
    """The recursive definition ``plain_json`` replaced, for trees only."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        return [_recursive_reference(v) for v in value]
    if isinstance(value, dict):
        return {k: _recursive_reference(v) for k, v in value.items()}
    return value


@given(json_values)
def test_plain_trees_equal_the_recursive_definition(value: object) -> None:
    def encode(value: object) -> object:
        raise AssertionError(f"a plain tree needs no encoder: {value!r}")

    got = plain_json(value, encode, Limits())
    want = _recursive_reference(value)
    assert repr(got) == repr(want)


@given(st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=3))
def test_hostile_hints_raise_nothing_but_flight_error(length: int, fan: int) -> None:
    # Chains of rows, each listing the next ``fan`` times, closing on the first row.
    rows = ['0:"x"']
    for i in range(1, length + 1):
        nxt = i + 1 if i < length else 1
        rows.append(f"{i:x}:[" + ",".join([f'"${nxt:x}"'] * fan) + "]")
    rows.append(':HX["$1"]')
    with contextlib.suppress(FlightError):
        _document(rows, Limits(max_depth=32, max_expansion=5_000))
