"""Chunks and the records that wait on them.

A chunk is React's promise-like record of one row (:class:`~rsc_flight.JSPromise` here).
Its ``status`` moves from ``pending`` (mentioned, no row yet) to ``resolved_model`` (JSON
text stored, parsed when first read), then ``blocked`` (parsed, waiting on references) or,
under React 18.3's rules, ``cyclic`` (being parsed), and ends ``fulfilled``, ``rejected`` or
``halted`` (React said the row will never come).  While a chunk is pending or blocked its
``value`` holds the listeners to call when it resolves and its ``reason`` those to call if it
fails, as in React.

The factories below are React's ``createPendingChunk``, ``createResolvedModelChunk``...:
they attach the owning resolver, which :attr:`JSPromise.result` needs to parse a
``resolved_model`` chunk on first read.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .values import UNDEFINED, JSPromise, Pending

if TYPE_CHECKING:
    from .resolver import Resolver

__all__ = [
    "BLOCKED",
    "CYCLIC",
    "FULFILLED",
    "HALTED",
    "PENDING",
    "REJECTED",
    "RESOLVED_MODEL",
    "Blocked18",
    "Handler",
    "Reference",
    "blocked_chunk",
    "fill_holes",
    "fulfilled_chunk",
    "listen",
    "model_chunk",
    "pending_chunk",
    "rejected_chunk",
    "release_settled",
    "store",
]

PENDING = "pending"
BLOCKED = "blocked"
CYCLIC = "cyclic"  # React 18.3: being parsed
RESOLVED_MODEL = "resolved_model"
FULFILLED = "fulfilled"
REJECTED = "rejected"
HALTED = "halted"


def _chunk(owner: object, status: str, value: Any, reason: Any, row_id: int | None) -> JSPromise:
    return JSPromise(status, value, reason, row_id, owner)


def pending_chunk(owner: object, row_id: int) -> JSPromise:
    """A row mentioned before it arrived (``createPendingChunk``)."""
    return _chunk(owner, PENDING, None, None, row_id)


def model_chunk(owner: object, text: str, row_id: int | None) -> JSPromise:
    """A model row's text, parsed when first read (``createResolvedModelChunk``)."""
    return _chunk(owner, RESOLVED_MODEL, text, None, row_id)


def fulfilled_chunk(owner: object, value: Any, row_id: int | None, reason: Any = None) -> JSPromise:
    """A row whose value needs no parsing (text, binary, import, symbol rows; streams keep
    their controller in ``reason``)."""
    return _chunk(owner, FULFILLED, value, reason, row_id)


def rejected_chunk(owner: object, error: Any, row_id: int | None) -> JSPromise:
    """An error row, or a postponed one (``createErrorChunk``)."""
    return _chunk(owner, REJECTED, None, error, row_id)


def blocked_chunk() -> JSPromise:
    """The chunk of an element still waiting for references (``createBlockedChunk``).

    It has no row, so no reference ever waits on it and it is never initialised: it needs
    no resolver, and holding none keeps it out of the payload's reference cycles (see
    :meth:`~rsc_flight.model.resolver.Resolver.release_settled`)."""
    return _chunk(None, BLOCKED, None, None, None)


def release_settled(chunks: Iterable[JSPromise]) -> None:
    """Drop what settled chunks keep only while the payload is read.

    A chunk keeps its resolver (``_owner``) so that it can be initialised when it is
    first read, and the resolver keeps every chunk: a reference cycle through the whole
    payload.  A chunk also lists the chunks its model mentions (``_links``), for the walk
    of ``Resolver.resolve_all``, and a row that mentions the root closes another; React
    18.3 leaves a fulfilled chunk's rejecters in its ``reason``, closures that hold the
    resolver.  A fulfilled or rejected chunk needs none of these again, so after this a
    payload whose chunks all settled and whose values hold no cycle of their own is freed
    by reference counting the moment it is dropped, its memory reused hot by the next
    parse, instead of waiting for the cycle collector (never, in a batch job that turns it
    off).  A row nothing read keeps its resolver, to be read on demand.
    """
    for chunk in chunks:
        status = chunk.status
        if status in (FULFILLED, REJECTED):
            chunk._owner = None
            chunk._links = None
            # (a stream's controller stays; a rejected chunk's reason is what it threw)
            if status == FULFILLED and type(chunk.reason) is list:
                chunk.reason = None


class Handler:
    """React's "initializing handler": the references an element or chunk waits for."""

    __slots__ = ("chunk", "deps", "errored", "parent", "reason", "value", "waits")

    def __init__(self, parent: Handler | None, deps: int) -> None:
        self.parent = parent
        self.chunk: JSPromise | None = None
        self.value: Any = None
        self.reason: Any = None
        self.deps = deps
        self.errored = False
        #: Every chunk one of its references listened on (some may have resolved since):
        #: what the blocked-cycle check searches from the other end.
        self.waits: list[JSPromise] | None = None


class Reference:
    """A listener: when ``chunk`` resolves, walk ``path``, ``map`` it, store it at
    ``parent[key]`` (``waitForReference``'s closure in React)."""

    __slots__ = ("handler", "key", "map", "parent", "path")

    def __init__(self, handler: Handler, parent: Any, key: Any, map: Any, path: list[str]) -> None:
        self.handler = handler
        self.parent = parent
        self.key = key
        self.map = map
        self.path = path


class Blocked18:
    """React 18.3's ``initializingChunkBlockedModel``."""

    __slots__ = ("deps", "value")

    def __init__(self, deps: int) -> None:
        self.deps = deps
        self.value: Any = None


def listen(chunk: JSPromise, reference: Reference) -> None:
    """Register a reference on both listener lists of a chunk, as React does (and the
    chunk on the reference's handler, for the blocked-cycle check)."""
    handler = reference.handler
    if handler.waits is None:
        handler.waits = [chunk]
    else:
        handler.waits.append(chunk)
    if chunk.value is None:
        chunk.value = [reference]
    else:
        chunk.value.append(reference)
    if chunk.reason is None:
        chunk.reason = [reference]
    else:
        chunk.reason.append(reference)
    owner = chunk._owner
    if owner is not None and owner.closed and chunk.status in (PENDING, HALTED):
        owner.reopened.append(chunk)  # a missing row waited on after close(): fill it too


def store(parent: Any, key: Any, value: Any) -> None:
    """Write a resolved reference where it was waiting (an absent key for ``undefined``)."""
    if isinstance(parent, list):
        if isinstance(key, int) and 0 <= key < len(parent):
            parent[key] = value
    elif isinstance(parent, dict):
        if value is UNDEFINED:
            parent.pop(key, None)
        else:
            parent[key] = value


# -- the end of the stream ---------------------------------------------------------------


def fill_holes(r: Resolver) -> None:
    """Fill every reference waiting on a missing row with :class:`Pending`, in passes over
    the chunks in table order, as long as filling wakes references that then wait on other
    missing rows.

    A pass visits only the chunks with listeners: those found at the start, and those
    that get one while filling (:func:`listen` reports them in
    :attr:`Resolver.reopened`): one later in the table is filled in this pass, one earlier
    (or new) in the next, which is the order of rescanning the whole table until nothing
    changes, without the rescans (quadratic when each pass woke one chunk).
    """
    todo = _with_waiters(r)
    if not todo:  # (the common case: nothing waits on a missing row)
        return
    chunks = list(r.chunks.values())
    position: dict[int, int] = {}  # id(chunk) -> index in chunks, made when first needed
    budget = r.budget
    while todo:
        queued = set(todo)
        later: set[int] = set()
        while todo:
            i = heapq.heappop(todo)
            queued.discard(i)
            chunk = chunks[i]
            if not _has_waiters(chunk):
                continue
            listeners = chunk.value
            chunk.value = None
            chunk.reason = None
            for listener in listeners:
                budget.charge()
                r._fill_hole(listener, Pending(chunk.id))
            if r.reopened and not position:
                position.update((id(chunk), at) for at, chunk in enumerate(chunks))
            for woken in r.reopened:
                at = position.get(id(woken), -1)
                if at > i and at not in queued:
                    heapq.heappush(todo, at)
                    queued.add(at)
                elif at >= 0:
                    later.add(at)
            if r.reopened and len(r.chunks) > len(chunks):  # new chunks: the next pass
                for chunk in itertools.islice(r.chunks.values(), len(chunks), None):
                    position[id(chunk)] = len(chunks)
                    chunks.append(chunk)
                later.update(position[id(woken)] for woken in r.reopened)
            r.reopened.clear()
        todo = sorted(later)
        if not todo:  # what `reopened` reported should be all: make sure, in one scan
            if len(r.chunks) > len(chunks) and not position:
                position.update((id(chunk), at) for at, chunk in enumerate(chunks))
            for chunk in itertools.islice(r.chunks.values(), len(chunks), None):
                position[id(chunk)] = len(chunks)
                chunks.append(chunk)
            todo = [i for i, chunk in enumerate(chunks) if _has_waiters(chunk)]


_WAITING = (PENDING, HALTED)


def _with_waiters(r: Resolver) -> list[int]:
    """The positions in :attr:`Resolver.chunks` of the chunks that wait on a missing row
    and have listeners, ascending (the native engine finds them in C: the loop over every
    chunk was most of :meth:`Resolver.close` on a page of many rows)."""
    native = getattr(r._native, "with_waiters", None)
    if native is not None:
        found: list[int] = native(r.chunks, _WAITING)
        return found
    return [i for i, chunk in enumerate(r.chunks.values()) if _has_waiters(chunk)]


def _has_waiters(chunk: JSPromise) -> bool:
    return chunk.status in _WAITING and bool(chunk.value)
