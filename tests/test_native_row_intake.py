"""The native paths of the resolver's row intake and of ``close`` against their references:
``Reviver.add_rows`` taking a model row others wait on as ``Resolver.add`` does, and
``Reviver.with_waiters`` finding the chunks ``_chunks.fill_holes`` fills, as the Python
comprehension does.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from rsc_flight import FlightError, FlightLimitError, parse
from rsc_flight._engine import ENGINE
from rsc_flight.limits import DEFAULT_LIMITS
from rsc_flight.model import _chunks, _phase1
from rsc_flight.model._revive import ModelContext
from rsc_flight.model.resolver import Resolver
from rsc_flight.model.values import Pending
from rsc_flight.wire.decoder import FlightDecoder

from .helpers import record_adds

pytestmark = pytest.mark.skipif(ENGINE != "native", reason="no native engine")

STATUSES = ("pending", "resolved_model", "fulfilled")


def _reviver() -> Any:
    return _phase1._build(ModelContext.of(rules19=True, tag_first=False, limits=DEFAULT_LIMITS))


def _outcome(data: bytes, engine: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
    payload = parse(data, source="flight")
    chunks = {key: chunk.status for key, chunk in payload._resolver.chunks.items()}
    return payload.to_typed_json(), payload.diagnostics, chunks


@pytest.mark.parametrize(
    "data",
    [
        b'0:["$1","$L2"]\n1:{"a":"$2"}\n2:[1,2]\n',  # rows others wait on, in a chain
        b'0:["$1"]\n1:[1,\n',  # one that is not JSON: the diagnostic's position
        b'0:["$1"]\n1:"a"\n1:"b"\n',  # then a second row for it
        b'0:["$W1","$Q2"]\n1:["t0","all"]\n2:[["k","v"]]\n',  # built codes
        b'0:["$1"]\n1:["$0"]\n',  # a cycle through the root
        b'0:["$@1"]\n1:"$3"\n3:"x"\n',  # a promise, a row waiting on a later one
    ],
)
def test_rows_others_wait_on_are_taken_alike_in_both_engines(data, monkeypatch):
    with pytest.MonkeyPatch.context() as patch:
        native = _outcome(data, "native", patch)
    with pytest.MonkeyPatch.context() as patch:
        python = _outcome(data, "python", patch)
    assert native == python


def test_a_row_others_wait_on_does_not_go_through_add(monkeypatch):
    """Row 0 (the root's reader waits on it) and row 1 (row 0 waits on it) are taken in
    C; the duplicate goes to the Python intake."""
    seen = record_adds(monkeypatch)
    payload = parse(b'0:["$1"]\n1:"a"\n1:"b"\n')
    assert seen == [1]
    assert payload.root == ["a"]
    assert [d.code for d in payload.diagnostics] == ["duplicate-row"]


@pytest.mark.parametrize("engine", ["native", "python"])
def test_rows_that_wake_each_other_too_deep_fail_at_the_last_row(engine, monkeypatch):
    """Each row waits on the next; the last one wakes them all, deeper than the recursion
    limit: the error names that row, and hides the RecursionError (``from None``)."""
    monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
    n = 20_000
    data = b"".join(b'%x:["$%x"]\n' % (i, i + 1) for i in range(n)) + b'%x:"end"\n' % n
    with pytest.raises(FlightLimitError, match="wake each other") as caught:
        parse(data)
    assert caught.value.row_id == n
    assert caught.value.offset == len(data) - len(b'%x:"end"\n' % n)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__
    assert isinstance(caught.value.__context__, RecursionError)


def test_the_native_intake_checks_its_wake_arguments():
    reviver = _reviver()
    kinds = (int, int, print, int, int)
    with pytest.raises(TypeError):
        reviver.add_rows(None, [], {}, {}, kinds, print, STATUSES, (print, print))


class _Chunk:
    """A chunk of another class: its slots are read as attributes."""

    def __init__(self, status: str, value: Any) -> None:
        self.status = status
        self.value = value


chunk_specs = st.lists(
    st.tuples(
        st.sampled_from(["pending", "halted", "resolved_model", "fulfilled", "blocked"]),
        st.sampled_from([None, [], ["listener"], 0, 1]),
        st.booleans(),
    ),
    max_size=30,
)


@settings(max_examples=200)
@given(chunk_specs)
def test_with_waiters_finds_what_the_comprehension_finds(specs):
    resolver = Resolver()
    chunks = resolver.chunks
    chunks.clear()
    for i, (status, value, foreign) in enumerate(specs):
        status = "".join(status)  # (equal, not the same object: compared by value)
        if foreign:
            chunks[i] = _Chunk(status, value)  # type: ignore[assignment]
        else:
            chunks[i] = resolver._new_chunk(status, value, None, i, resolver)
    native = _chunks._with_waiters(resolver)
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(resolver, "_native", None)
    try:
        python = _chunks._with_waiters(resolver)
    finally:
        monkeypatch.undo()
    assert native == python
    assert native == [i for i, (s, v, _) in enumerate(specs) if s in ("pending", "halted") and v]


def test_with_waiters_checks_its_arguments():
    reviver = _reviver()
    with pytest.raises(TypeError):
        reviver.with_waiters([], ("pending",))
    with pytest.raises(TypeError):
        reviver.with_waiters({}, ["pending"])
    with pytest.raises(AttributeError):
        reviver.with_waiters({1: object()}, ("pending",))


def test_close_fills_the_holes_found_in_c(monkeypatch):
    """Row 1 is missing and read (a hole filled at close); row 2 is missing and only
    lazily named (no listener: nothing to fill)."""
    calls: list[list[int]] = []
    find = _chunks._with_waiters

    def recording(r: Resolver) -> list[int]:
        found = find(r)
        calls.append(list(found))  # (fill_holes pops from the list it gets)
        return found

    monkeypatch.setattr(_chunks, "_with_waiters", recording)
    payload = parse(b'0:["$1","$L2"]\n')
    assert isinstance(payload.root[0], Pending)
    assert payload.root[0].id == 1
    assert calls == [[1]]


#: Payloads with rows that are not JSON, and the diagnostics (code, offset, row id) and the
#: strict error's (offset, row id) they give: the position is the last model row taken
#: for the chunk when the error happens (a duplicate taken later wins), whether the row
#: was stored unread, made a new chunk, or woke readers; looked up once in the middle of
#: the rows, then again at their end.
POSITIONS = [
    (b'0:["$L1"]\n1:[1,\n', [("json-syntax", 10, 1)], (10, 1)),
    (b'1:[1,\n0:["$1"]\n', [("json-syntax", 0, 1)], (0, 1)),
    (b'1:[1,\n1:"x"\n0:["$1"]\n', [("duplicate-row", 6, 1), ("json-syntax", 6, 1)], (6, 1)),
    (b'0:["$1"]\n1:[1,\n', [("json-syntax", 9, 1)], (9, 1)),
    (b'1:[1,\n:[2,\n0:["$1"]\n', [("json-syntax", 6, None), ("duplicate-row", 11, 0)], (6, None)),
    (b'0:["$1","$L2"]\n1:[1,\n2:[2,\n', [("json-syntax", 15, 1), ("json-syntax", 21, 2)], (15, 1)),
    (
        b'0:["$1","$L2"]\n1:[1,\n2:[2,\n2:"x"\n',
        [("json-syntax", 15, 1), ("duplicate-row", 27, 2), ("json-syntax", 27, 2)],
        (15, 1),
    ),
]


@pytest.mark.parametrize("engine", ["native", "python"])
@pytest.mark.parametrize(("data", "diagnostics", "strict"), POSITIONS)
def test_errors_are_placed_at_the_last_model_row_of_their_chunk(
    engine, data, diagnostics, strict, monkeypatch
):
    monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
    payload = parse(data)
    assert [(d.code, d.offset, d.row_id) for d in payload.diagnostics] == diagnostics
    with pytest.raises(FlightError) as caught:
        parse(data, strict=True)
    assert (caught.value.offset, caught.value.row_id) == strict


@pytest.mark.parametrize("engine", ["native", "python"])
def test_rows_stored_unread_are_found_in_the_rows_taken(engine, monkeypatch):
    """Rows 1 ("a", a new chunk) and 2 (named, unread) are stored without being noted in
    ``_offsets``; row 0 (read at once) and the second row 1 (a duplicate) are noted.  The
    position of chunk 2's row is found in the rows taken; chunk 1's is the last noted."""
    monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
    data = b'1:"a"\n0:["$1","$L2"]\n2:"b"\n1:"c"\n'
    resolver = parse(data)._resolver
    assert set(resolver._offsets) == {0, 1}
    assert resolver._where(resolver.chunks[2]) == (data.index(b"2:"), 2)
    assert resolver._where(resolver.chunks[1]) == (data.index(b'1:"c"'), 1)
    assert resolver._stored_row(1).payload == '"a"'
    assert resolver._stored_row(7) is None


@pytest.mark.parametrize("engine", ["native", "python"])
def test_the_rows_taken_are_kept_as_they_were_taken(engine, monkeypatch):
    """The caller's list may change later (``Payload.rows`` is theirs): positions do not."""
    monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
    rows = FlightDecoder().feed(b'1:[1,\n0:"x"\n')
    resolver = Resolver()
    resolver.add_rows(rows)
    rows.clear()
    assert resolver._where(resolver.chunks[1]) == (0, 1)
