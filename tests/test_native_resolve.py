"""The native walk of ``Resolver.resolve_all`` (``Reviver.resolve_all`` in C) and the
resolver's inlined row intake against the reference: the same values, diagnostics, chunk
states and links, on payloads of rows that name each other every way a row can (lazies,
plain and path references, promises, cycles, missing and duplicated rows, import and
error rows), under both rule sets.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from rsc_flight import FlightError, parse
from rsc_flight._engine import ENGINE
from rsc_flight.limits import DEFAULT_LIMITS
from rsc_flight.model import _phase1
from rsc_flight.model._revive import ModelContext
from rsc_flight.model.resolver import Resolver

from .helpers import assert_no_leak, record_adds

pytestmark = pytest.mark.skipif(ENGINE != "native", reason="no native engine")

ROW_IDS = range(8)

references = st.sampled_from(ROW_IDS).flatmap(
    lambda i: st.sampled_from([f"$L{i:x}", f"${i:x}", f"$@{i:x}", f"${i:x}:a", f"$Q{i:x}"])
)
leaves = st.none() | st.integers(-5, 5) | st.sampled_from(["x", "é", "$$y", "$undefined"])
values = st.recursive(
    leaves | references,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["a", "b", "children"]), inner, max_size=3)
        | st.builds(lambda props: ["$", "div", None, props], st.dictionaries(
            st.sampled_from(["a", "children"]), inner, max_size=2))
    ),
    max_leaves=8,
)  # fmt: skip


def _row(row_id: int, kind: str, value: Any) -> str:
    if kind == "I":
        return f'{row_id:x}:I["{row_id}",[],"x"]'
    if kind == "I{":
        return f'{row_id:x}:I{{"id":"{row_id}","chunks":[],"name":""}}'
    if kind == "I?":  # not a module, a site in it, not JSON
        return f"{row_id:x}:I" + ['"x"', '["$L1",[],""]', "[1,", '[1,[],"",true]'][row_id % 4]
    if kind == "E":
        return f'{row_id:x}:E{{"digest":"d"}}'
    if kind == "T":
        return f"{row_id:x}:T1,z"
    return f"{row_id:x}:{json.dumps(value, ensure_ascii=False)}"


rows = st.lists(
    st.tuples(
        st.sampled_from(ROW_IDS), st.sampled_from(["", "", "", "I", "I{", "I?", "E", "T"]), values
    ),
    min_size=1,
    max_size=10,
)


def outcome(data: bytes, engine: str, monkeypatch: pytest.MonkeyPatch, rules: str) -> Any:
    monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
    monkeypatch.setattr(Resolver, "release_settled", lambda self: None)  # (links as read)
    payload = parse(data, source="flight", rules=rules)
    resolver = payload._resolver
    chunks = {
        key: (chunk.status, [link.id for link in chunk._links or []])
        for key, chunk in resolver.chunks.items()
    }
    try:
        document = payload.to_typed_json()
    except FlightError as exc:  # (a lazy naming its own row nests without end)
        document = (type(exc), str(exc))
    return document, payload.diagnostics, resolver.dev, chunks


@settings(max_examples=300)
@given(rows, st.sampled_from(["19", "18"]))
def test_payloads_resolve_alike_in_both_engines(specs, rules):
    data = "\n".join(_row(i, kind, value) for i, kind, value in specs).encode() + b"\n"
    with pytest.MonkeyPatch.context() as monkeypatch:
        native = outcome(data, "native", monkeypatch, rules)
        python = outcome(data, "python", monkeypatch, rules)
    assert native == python


def test_the_walk_reads_rows_in_document_order(monkeypatch):
    """Row 1 is read through row 0's lazy before row 2: the cycle 1 -> 0 sees row 0
    fulfilled, and the chain 3 -> 4 -> missing 5 stays pending at its end."""
    data = b'0:["$L1","$L2","$L3"]\n1:["$L0","a"]\n2:{"x":"$1"}\n3:["$L4"]\n4:["$L5"]\n'
    monkeypatch.setattr(Resolver, "release_settled", lambda self: None)  # (links as read)
    payload = parse(data)
    chunks = payload._resolver.chunks
    assert [chunks[i].status for i in range(6)] == ["fulfilled"] * 5 + ["pending"]
    assert [link.id for link in chunks[0]._links] == [1, 2, 3]


@pytest.mark.parametrize("engine", ["native", "python"])
def test_the_walk_initializes_rows_depth_first_in_document_order(engine, monkeypatch):
    """Rows with a reference (not only lazies) are initialised in the order a reader
    meets them: depth first, in document order."""
    from rsc_flight.model.resolver import Resolver

    order: list[int] = []
    initialize = Resolver.initialize

    def recording(self: Resolver, chunk: Any, decoded: Any = None) -> None:
        order.append(chunk.id)
        initialize(self, chunk, decoded)

    monkeypatch.setattr(Resolver, "initialize", recording)
    monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
    data = b'0:["$L1","$L2","$L3"]\n1:["$L4","$9"]\n2:["$9"]\n3:["$9"]\n4:["$9"]\n'
    parse(data)
    assert order == [0, 1, 4, 2, 3]


def test_the_native_walk_checks_its_arguments():
    reviver = _phase1._build(ModelContext.of(rules19=True, tag_first=False, limits=DEFAULT_LIMITS))
    with pytest.raises(TypeError):
        reviver.resolve_all(None, None, {}, None, ())  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        reviver.resolve_all(None, None, [], None, (), ("a", "b", "c"))
    with pytest.raises(TypeError):
        reviver.resolve_all(None, None, {}, None, (), ("a", "b"))


def test_the_native_row_intake_checks_its_arguments():
    reviver = _phase1._build(ModelContext.of(rules19=True, tag_first=False, limits=DEFAULT_LIMITS))
    statuses = ("pending", "resolved_model", "fulfilled")
    with pytest.raises(TypeError):
        reviver.add_rows(None, [], {}, {}, (int, int, print, int, int), print)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        reviver.add_rows(None, 5, {}, {}, (int, int, print, int, int), print, statuses)
    with pytest.raises(TypeError):
        reviver.settle_plain(None, None, (), {}, statuses)
    with pytest.raises(TypeError):
        reviver.settle_plain(None, None, ({}, []), {}, statuses[:2])


@pytest.mark.parametrize("engine", ["native", "python"])
def test_a_plain_row_read_by_a_reference_keeps_the_reference_links(engine, monkeypatch):
    """A row settled through initialize (read by a plain reference) gets links only when
    its tape has sites, as Resolver._settle_plain does."""
    monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
    monkeypatch.setattr(Resolver, "release_settled", lambda self: None)  # (links as read)
    payload = parse(b'0:["$1","$L2"]\n1:{"a":1}\n2:["$L3"]\n3:"x"\n')
    chunks = payload._resolver.chunks
    assert chunks[1]._links is None  # read by "$1" during row 0's initialisation
    assert [link.id for link in chunks[2]._links] == [3]
    assert not chunks[3]._links  # read by the walk


def test_rows_the_native_intake_passes_on_are_added_in_order(monkeypatch):
    """Rows other than new or unread model rows and new import and text rows go to the
    Python intake, in stream order."""
    seen = record_adds(monkeypatch)
    data = b'1:"a"\n2:E{}\n0:["$L1"]\n1:"dup"\n3:T1,x:HL["a"]\n4:\n'
    payload = parse(data)
    # (3, a text row for a new chunk, is taken in C; so is 0, a model row others wait on)
    assert seen == [2, 1, None, 4]
    assert [d.code for d in payload.diagnostics] == ["duplicate-row"]


def test_link_lazies_links_a_run_as_get_chunk_does():
    reviver = _phase1._build(ModelContext.of(rules19=True, tag_first=False, limits=DEFAULT_LIMITS))
    _holder, tape = reviver('["$L1","$L2","$1","$L1","$L3"]')
    current = reviver.chunk("cyclic", None, None, 0, None)
    old = reviver.chunk("fulfilled", "x", None, 2, None)
    chunks = {0: current, 2: old}
    assert reviver.link_lazies(None, tape, 0, chunks, current, "pending") == 2
    assert [link.id for link in current._links] == [1, 2]
    assert chunks[2] is old
    assert (chunks[1].status, chunks[1].id, chunks[1].value) == ("pending", 1, None)
    assert tape[0][1].promise is chunks[1]
    assert reviver.link_lazies(None, tape, 3, chunks, None, "pending") == len(tape)
    assert [link.id for link in current._links] == [1, 2]  # no chunk read: no mention
    assert tape[4][1].promise is chunks[3]
    with pytest.raises(TypeError):
        reviver.link_lazies(None, (), 0, chunks, None, "pending")
    with pytest.raises(ValueError, match="at < 0"):
        reviver.link_lazies(None, tape, -1, chunks, None, "pending")


def test_an_error_in_initialize_reaches_the_caller():
    reviver = _phase1._build(ModelContext.of(rules19=True, tag_first=False, limits=DEFAULT_LIMITS))
    root = reviver.chunk("resolved_model", '["$1"]', None, 0, None)

    def initialize(chunk: object, decoded: object) -> None:
        raise ValueError("from initialize")

    with pytest.raises(ValueError, match="from initialize"):
        reviver.resolve_all(None, root, {0: root}, initialize, (), ("p", "resolved_model", "f"))


def test_no_references_leak_in_the_walk():
    data = b'0:["$L1","$L2",{"a":"$3"}]\n1:["$L0","$L9"]\n2:I["2",[],"x"]\n3:["$1:1"]\n4:"$L4"\n'

    def run() -> None:
        for rules in ("18", "19"):
            parse(data, rules=rules).to_typed_json()

    assert_no_leak(run, runs=50, slack=50, warmups=10, tries=5)


IMPORT_MODELS = [
    '["7",[],""]',
    '[7,["1","a.js"],"default"]',
    '["7",{"a":1},"x"]',
    '["7",[],5]',
    '["7",[],null,true]',
    '["7",[],"x",0]',
    '["7",[],"x",""]',
    '["7",[],"x","yes"]',
    '["7",[],"x",[1]]',
    '["7",[],"x",1,2]',
    '[["n"],[[1]],{"k":"v"}]',
    '{"id":"7","chunks":["c"],"name":"n","async":true}',
    '["7",[]]',
    '"x"',
]


@pytest.mark.parametrize("model", IMPORT_MODELS)
def test_import_rows_make_the_reference_s_client_references(model, monkeypatch):
    data = f'1:I{model}\n0:["$L1","$1"]\n'.encode()
    results = []
    for engine in ("native", "python"):
        monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
        payload = parse(data, source="flight")
        value = payload._resolver.chunks[1].value
        fields = [(type(v), v) for v in attrs.astuple(value, recurse=False)] if value else None
        results.append((value, fields, payload.to_typed_json(), payload.diagnostics))
    assert results[0] == results[1]


@pytest.mark.parametrize("engine", ["native", "python"])
def test_a_plain_row_with_development_fields_marks_the_payload_dev(engine, monkeypatch):
    """A row with no sites whose element carries development fields (owner, stack) makes
    the payload a development one in both engines, however the row is read (by the walk,
    or by a plain reference during another row's initialisation)."""
    monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
    element = '["$","div",null,{},null,[],1]'
    walked = parse(f'0:["$L1"]\n1:{element}\n'.encode(), source="flight")
    referenced = parse(f'1:{element}\n0:["$1"]\n'.encode(), source="flight")
    assert walked._resolver.dev
    assert referenced._resolver.dev
