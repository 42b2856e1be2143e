"""A decoded payload is freed when it is dropped, not left to the cycle collector.

The resolver keeps every chunk, and a chunk kept its resolver (to be initialised when first
read) and the chunks its model mentions (for the walk of ``resolve_all``): every payload was
one reference cycle, so its memory came back only when the cycle collector ran, never in a
batch job that turns the collector off, and the next parse got cold memory.  Once every
chunk has settled, ``parse`` drops both links (``Resolver.release_settled``); what stays
cyclic is what the data itself makes cyclic, and the rows nobody read.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from rsc_flight import FlightError, parse
from rsc_flight.model.resolver import Resolver
from rsc_flight.model.values import JSPromise

from .conftest import DATA, corpus_params
from .helpers import assert_no_leak

#: A page as Next writes it: import and hint rows, a text row, a model row naming a row
#: that comes later (a lazy), a Set row, a date, and a row that mentions the root again.
PAGE = (
    b'1:I["./Nav.js",["chunk-nav","static/chunks/nav.js"],"default"]\n'
    b'2:"$Sreact.suspense"\n'
    b"3:Tb,\xed\x95\x9c\xea\xb8\x80 \xf0\x9f\x8e\x89\n"
    b'0:["$","main",null,{"children":[["$","$L1",null,{"title":"$3"}],"$L4",'
    b'["$","$2",null,{"children":"$L5"}]]}]\n'
    b'4:["$","ul",null,{"children":["$","li",null,{"tags":"$W6","at":"$D2024-01-01"}]}]\n'
    b'6:["a","b"]\n'
    b'5:["$","p",null,{"children":"$0:0"}]\n'
)


@contextmanager
def cyclic_garbage() -> Iterator[list[object]]:
    """What the cycle collector finds of the objects dropped inside the block."""
    was_enabled = gc.isenabled()
    gc.disable()
    gc.collect()
    found: list[object] = []
    try:
        yield found
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found.extend(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()


def ours(garbage: list[object]) -> list[object]:
    return [o for o in garbage if isinstance(o, (Resolver, JSPromise))]


def test_a_settled_page_leaves_no_cyclic_garbage() -> None:
    parse(PAGE)  # (the first parse may import modules, whose own garbage is not ours)
    with cyclic_garbage() as garbage:
        payload = parse(PAGE)
        assert payload.pending_rows == []
        item = payload.root.props["children"][1].result.props["children"]
        assert item.props["tags"].values == ["a", "b"]
        del payload
    assert garbage == []


def test_settled_chunks_keep_neither_resolver_nor_links() -> None:
    payload = parse(PAGE)
    chunks = payload._resolver.chunks
    assert chunks
    assert all(c.status == "fulfilled" for c in chunks.values())
    assert all(c._owner is None and c._links is None for c in chunks.values())


def test_an_unread_row_keeps_its_resolver_and_can_still_be_read() -> None:
    """A row nothing reaches stays ``resolved_model`` and is read on demand, as before."""
    payload = parse(b'0:"root"\n7:{"later":"$D2024-01-01"}\n')
    chunk = payload.chunk(7)
    assert chunk is not None
    assert chunk.status == "resolved_model"
    assert chunk._owner is payload._resolver
    assert payload.value(7)["later"].raw == "2024-01-01"
    assert chunk.status == "fulfilled"


def test_a_blocked_element_chunk_holds_no_resolver() -> None:
    """React 19 wraps an element still waiting for a row in a lazy of a chunk with no row:
    nothing initialises that chunk, so it holds no resolver either."""
    data = b'0:["$","div",null,{"children":"$1:x"}]\n1:{"x":"late"}\n'
    parse(data)
    with cyclic_garbage() as garbage:
        payload = parse(data)
        assert payload.root.result.props["children"] == "late"
        del payload
    assert ours(garbage) == []


def test_data_cycles_stay_cycles_but_not_through_the_resolver() -> None:
    """A model that contains itself is cyclic by its own making; the resolver is not in it."""
    data = b'0:{"self":"$0"}\n'
    parse(data)
    with cyclic_garbage() as garbage:
        payload = parse(data)
        root = payload.root
        assert root["self"] is root
        del payload, root
    assert garbage
    assert ours(garbage) == []


def _flight_fixtures() -> list[Path]:
    return sorted(p for p in DATA.rglob("*.txt") if "golden" not in p.parts)


@pytest.mark.parametrize("path", _flight_fixtures(), ids=lambda p: str(p.relative_to(DATA)))
def test_fixtures_settled_chunks_release_their_resolver(path: Path) -> None:
    _check_release(path)


@pytest.mark.parametrize("path", corpus_params("real/**/*.txt", "seeds/*.txt"))
def test_corpus_settled_chunks_release_their_resolver(path: Path) -> None:
    _check_release(path)


def _check_release(path: Path) -> None:
    """Every settled chunk let go of its resolver and links; when every chunk of a payload
    with no streams settled, dropping it leaves neither resolver nor chunk to the collector."""
    data = path.read_bytes()
    try:
        payload = parse(data)
    except FlightError:  # (a seed of bad input, refused: nothing was built to release)
        return
    chunks = list(payload._resolver.chunks.values())
    for chunk in chunks:
        if chunk.status in ("fulfilled", "rejected"):
            assert chunk._owner is None
            assert chunk._links is None
    unsettled = any(c.status not in ("fulfilled", "rejected") for c in chunks)
    streams = any(type(c.reason).__name__ == "StreamController" for c in chunks)
    del payload, chunks
    if unsettled or streams:
        return
    with cyclic_garbage() as garbage:
        del_me = parse(data)
        del del_me
    assert ours(garbage) == []


def test_the_leak_check_fails_on_a_leak() -> None:
    """``helpers.assert_no_leak`` (the native tests' reference-leak check) catches what it
    is there to catch: every run keeping one more object alive."""
    kept: list[object] = []

    def leaking() -> None:
        kept.extend(object() for _ in range(10))

    with pytest.raises(AssertionError, match="a reference leaks"):
        assert_no_leak(leaking, runs=20, slack=50)
    assert_no_leak(lambda: [object() for _ in range(10)], runs=20, slack=50)
