"""The native end of reading (``Reviver.release_settled`` in C) against its reference,
:func:`rsc_flight.model._chunks.release_settled`: the same chunks let go of the same
links (``_owner``, ``_links``, a fulfilled chunk's list of rejecters), on random payloads
of rows that name each other every way, under both rule sets, and on odd chunks.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from rsc_flight import parse
from rsc_flight._engine import ENGINE
from rsc_flight.limits import DEFAULT_LIMITS
from rsc_flight.model import _chunks as c, _phase1
from rsc_flight.model._revive import ModelContext
from rsc_flight.model.resolver import Resolver
from rsc_flight.model.values import JSPromise

from .test_native_resolve import _row, rows

pytestmark = pytest.mark.skipif(ENGINE != "native", reason="no native engine")


def _reviver() -> Any:
    return _phase1._build(ModelContext.of(rules19=True, tag_first=False, limits=DEFAULT_LIMITS))


def state(chunks: dict[int, Any], owner: object) -> dict[int, tuple[Any, ...]]:
    """What release_settled reads and writes of each chunk, comparable across payloads."""

    def reason(value: Any) -> Any:
        return (type(value).__name__, len(value)) if isinstance(value, list) else type(value)

    return {
        key: (
            chunk.status,
            "owner" if chunk._owner is owner else chunk._owner,
            None if chunk._links is None else [link.id for link in chunk._links],
            reason(chunk.reason),
        )
        for key, chunk in chunks.items()
    }


def _data(specs: list[tuple[int, str, Any]]) -> bytes:
    return "\n".join(_row(i, kind, value) for i, kind, value in specs).encode() + b"\n"


@settings(max_examples=300)
@given(rows, st.sampled_from(["19", "18"]))
def test_both_engines_release_the_same_links(specs, rules):
    data = _data(specs)
    found = []
    with pytest.MonkeyPatch.context() as monkeypatch:
        for engine in ("native", "python"):
            monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
            resolver = parse(data, source="flight", rules=rules)._resolver
            assert (resolver._release is not None) == (engine == "native")
            found.append(state(resolver.chunks, resolver))
    assert found[0] == found[1]


@settings(max_examples=200)
@given(rows, st.sampled_from(["19", "18"]))
def test_the_native_release_is_the_reference_s_on_the_same_chunks(specs, rules):
    """Two native parses of one payload, kept as read; one released in C, the other by
    the reference."""
    data = _data(specs)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(Resolver, "release_settled", lambda self: None)
        native = parse(data, source="flight", rules=rules)._resolver
        python = parse(data, source="flight", rules=rules)._resolver
    assert state(native.chunks, native) == state(python.chunks, python)
    assert native._release is not None
    native._release(native.chunks, c.FULFILLED, c.REJECTED)
    c.release_settled(python.chunks.values())
    assert state(native.chunks, native) == state(python.chunks, python)


class OtherPromise(JSPromise):
    """A chunk of another class: read and written by attribute."""

    __slots__ = ("extra",)


class Tagged(list):  # type: ignore[type-arg]
    """A list subclass: not exactly a list, so a fulfilled chunk keeps it."""


OWNER = object()


def _odd_chunks() -> dict[int, JSPromise]:
    fulfilled = "".join(["ful", "filled"])  # equal to FULFILLED, not the same object
    specs: list[tuple[type[JSPromise], str, Any]] = [
        (JSPromise, c.FULFILLED, [print]),
        (JSPromise, fulfilled, [print]),
        (JSPromise, c.FULFILLED, Tagged([print])),
        (JSPromise, c.FULFILLED, (print,)),
        (JSPromise, c.FULFILLED, None),
        (JSPromise, c.REJECTED, [ValueError("x")]),
        (OtherPromise, c.FULFILLED, [print]),
        (OtherPromise, c.REJECTED, "why"),
        (JSPromise, c.PENDING, [print]),
        (JSPromise, c.BLOCKED, [print]),
        (JSPromise, c.HALTED, None),
        (JSPromise, c.RESOLVED_MODEL, None),
        (JSPromise, c.CYCLIC, [print]),
    ]
    chunks: dict[int, JSPromise] = {}
    for i, (cls, status, reason) in enumerate(specs):
        chunk = cls(status, None, reason, i, OWNER)
        chunk._links = [chunk]
        chunks[i] = chunk
    return chunks


def test_odd_chunks_are_released_as_the_reference_releases_them():
    native, python = _odd_chunks(), _odd_chunks()
    _reviver().release_settled(native, c.FULFILLED, c.REJECTED)
    c.release_settled(python.values())
    assert state(native, OWNER) == state(python, OWNER)
    assert [chunk._owner is None for chunk in native.values()] == [True] * 8 + [False] * 5
    assert type(native[2].reason) is Tagged
    assert native[3].reason == (print,)


def test_the_native_release_checks_its_arguments():
    reviver = _reviver()
    with pytest.raises(TypeError):
        reviver.release_settled({}, c.FULFILLED)
    with pytest.raises(TypeError):
        reviver.release_settled([], c.FULFILLED, c.REJECTED)
    chunk = JSPromise(c.FULFILLED, None, None)
    del chunk.status  # (an unset slot: the attribute error of the reference)
    with pytest.raises(AttributeError):
        reviver.release_settled({0: chunk}, c.FULFILLED, c.REJECTED)
    with pytest.raises(AttributeError):
        c.release_settled([chunk])
