"""Objects the hot paths build by filling slots directly are the objects their classes'
own constructors build: client references, text and binary rows, and the dialect ranks
read by value."""

from __future__ import annotations

import pickle

from hypothesis import given, strategies as st

from rsc_flight.limits import DEFAULT_LIMITS, recursion_room
from rsc_flight.model._builders import client_reference
from rsc_flight.model.values import ClientReference
from rsc_flight.wire import Dialect, FlightDecoder
from rsc_flight.wire.dialect import _RANK
from rsc_flight.wire.rows import BinaryRow, TextRow

module_ids = st.integers() | st.text(max_size=8)
chunk_lists = st.lists(st.text(max_size=8), max_size=4) | st.none() | st.integers()
extras = st.lists(st.booleans() | st.integers(0, 2) | st.none(), max_size=2)


@given(module_ids, chunk_lists, st.text(max_size=8) | st.integers(), extras)
def test_client_reference_is_the_constructor_s(module_id, chunks, name, more):
    made = client_reference([module_id, chunks, name, *more])
    listed = chunks if isinstance(chunks, list) else []
    expected = ClientReference(module_id, tuple(listed), str(name), len(more) > 0 and bool(more[0]))
    assert made == expected
    assert hash(made) == hash(expected)
    assert repr(made) == repr(expected)
    assert pickle.loads(pickle.dumps(made)) == expected


def test_text_and_binary_rows_are_the_constructor_s():
    rows = FlightDecoder(engine="python").feed(b"1:T3,abc2:o2,xy")
    assert rows == [TextRow(1, "T", 0, 8, "abc"), BinaryRow(2, "o", 8, 7, b"xy")]
    assert [type(row) for row in rows] == [TextRow, BinaryRow]


def test_a_text_row_dates_the_stream_f2_at_least():
    decoder = FlightDecoder(engine="python")
    decoder.feed(b"1:T1,a")
    assert decoder.dialect is Dialect.F2
    decoder = FlightDecoder(engine="python")
    decoder.feed(b':HL["a"]\n1:T1,a')
    assert decoder.dialect is Dialect.R19_1


def test_every_dialect_has_a_rank():
    assert {d.value for d in Dialect} == set(_RANK)
    assert [d.rank for d in Dialect] == [0, 0, 1, 2, 3, 4, 5, 6, 7]


def test_recursion_room_is_a_reentrant_context_manager():
    with recursion_room(DEFAULT_LIMITS), recursion_room(DEFAULT_LIMITS):
        pass
