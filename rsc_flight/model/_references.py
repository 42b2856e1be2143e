"""Phase 2 of the reviver: references to other chunks, followed with React's semantics.

:func:`replay` walks the tape phase 1 (:mod:`._revive`) left for a row and performs each
stateful step as React's reviver does at that point: a reference reads its chunk (parsing it
first if its row is stored but unread), and if the chunk is not ready leaves ``None`` and a
listener (``waitForReference``) that patches the parent when it resolves; an element's scope
(React 19) collects what its fields wait for, so that only the element becomes a lazy.

The functions take the :class:`~rsc_flight.model.resolver.Resolver` whose chunk table and
"initializing handler" they read and change; they are its reference-following job, kept
here so that the resolver keeps only the chunk table and the row intake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import Diagnostic, FlightLimitError
from . import _chunks as c
from ._builders import BuildFn, blob_size, create_blob, create_model
from ._chunks import Handler, Reference
from ._tape import (
    DICT_ELEMENT,
    ENTER,
    EXIT,
    LAZY,
    LIST_ELEMENT,
    LIST_MAYBE,
    PROMISE,
    REF,
    THROW,
    WARN,
    Tape,
    Thrown,
    build_element,
    dict_fields,
)
from .values import UNDEFINED, Element, ErrorValue, JSPromise, Lazy, Pending

if TYPE_CHECKING:
    from .resolver import Resolver

__all__ = [
    "charge_build",
    "close_element",
    "follow",
    "fulfill_reference",
    "outlined_19",
    "patch_element",
    "reject_listeners",
    "reject_reference",
    "release",
    "replay",
    "wait",
    "wake",
    "wake_if_initialized",
]


# -- the replay ----------------------------------------------------------------------------


def replay(r: Resolver, holder: dict[str, Any], tape: Tape, start: int = 0) -> Any:
    """Perform the stateful sites of one row in order, from ``start`` (the caller did those
    before); the row's value."""
    rules = r._rules
    at = start
    n = len(tape)
    fast = r._replay
    while at < n:
        if fast is not None:  # the plain sites in C (Reviver.replay), this loop's twin
            at = fast(r, tape, at, rules.replay_env)
            if at >= n:
                break
        site = tape[at]
        op = site[0]
        if op == LAZY:  # a run of lazies, linked at once
            at = r.link_lazies(tape, at)
            continue
        at += 1
        if op == REF:
            _, parent, key, row_id, path, build, reference = site
            value = rules.outlined(r, row_id, path, parent, key, build, reference)
            if type(parent) is list:  # (_put's commonest case: a field or a list item)
                parent[key] = value
            else:
                _put(parent, key, value, rules.rules19)
        elif op == ENTER:
            if r._handler is not None:
                r._handler = Handler(r._handler, 0)
        elif op == EXIT:
            _exit(r, site)
        elif op == PROMISE:
            _put(site[1], site[2], r.get_chunk(site[3]), r._rules.rules19)
        elif op == WARN:
            r.diagnostics.append(
                Diagnostic(
                    f"not a row reference: {site[1][:40]!r}",
                    None,
                    None,
                    b"",
                    "warning",
                    code="not-a-row-reference",
                )
            )
        elif op == THROW:
            raise Thrown(site[1])
        else:
            raise site[1]  # RAISE: a limit
    return holder.get("", UNDEFINED)


def _put(parent: Any, key: Any, value: Any, drop_proto: bool) -> None:
    """Store a site's value where its text was: ``undefined`` removes an object's key, and
    under React 19 an object never keeps a ``__proto__`` key."""
    if type(parent) is list:
        parent[key] = value
    elif value is UNDEFINED:
        parent.pop(key, None)
    elif not (drop_proto and key == "__proto__"):
        parent[key] = value


def _exit(r: Resolver, site: tuple[Any, ...]) -> None:
    """An element's fields are all read: build it (``parseModelTuple``), close its scope."""
    _, parent, key, container, shape = site
    if shape == LIST_ELEMENT and len(container) == 4:  # the commonest: no dev fields
        element = Element(container[1], container[2], container[3])
        if r._handler is not None:  # (no scope open: no rule set has anything to close)
            element = r._rules.close_element(r, element)
        if type(parent) is list:
            parent[key] = element
        else:
            _put(parent, key, element, r._rules.rules19)
        return
    if shape == LIST_ELEMENT:
        fields = container[1:]
    elif shape == DICT_ELEMENT:
        fields = dict_fields(container)
    elif shape == LIST_MAYBE:
        if container[0] is not r._rules.element:
            return
        fields = container[1:]
    else:
        if container.get("0") is not r._rules.element:
            return
        fields = dict_fields(container)
    element, dev = build_element(fields)
    if dev:
        r.dev = True
    _put(parent, key, r._rules.close_element(r, element), r._rules.rules19)


def close_element(r: Resolver, element: Element, handler: Handler) -> Any:
    """Leave an element's scope.  If something inside failed or is still missing, the
    element becomes a lazy, so that only it waits (React 19's element scoping)."""
    r._handler = handler.parent
    if handler.errored:
        return Lazy(JSPromise(c.REJECTED, None, handler.reason))
    if handler.deps > 0:
        blocked = c.blocked_chunk()
        handler.value = element
        handler.chunk = blocked
        r._handler_of[id(blocked)] = handler
        return Lazy(blocked)
    return element


# -- following a reference (React 19) ------------------------------------------------------


def outlined_19(
    r: Resolver,
    row_id: int,
    path: list[str],
    holder: Any,
    key: Any,
    build: BuildFn,
    reference: str,
) -> Any:
    """A reference to another chunk's value (``getOutlinedModel``); the hop and each step
    of its path are charged to the resolver's budget."""
    budget = r.budget
    budget.left -= len(path)
    if budget.left < 0:
        raise budget.exceeded()
    chunk = r.get_chunk(row_id)
    if chunk.status == c.RESOLVED_MODEL:
        r.initialize(chunk)
    return follow(r, chunk, row_id, path, holder, key, build, reference)


def follow(
    r: Resolver,
    chunk: JSPromise,
    row_id: int,
    path: list[str],
    holder: Any,
    key: Any,
    build: BuildFn,
    reference: str,
) -> Any:
    """The rest of :func:`outlined_19` once the hop is charged and the chunk read: its
    value by its status.  The native replay (``Reviver.replay``) does the plain cases
    itself and hands every other one to this function."""
    status = chunk.status
    if status == c.FULFILLED:
        value = chunk.value
        for i in range(1, len(path)):
            hops = 0
            while isinstance(value, Lazy):
                hops = _hop(hops)
                inner = value.promise
                if inner.status == c.RESOLVED_MODEL:
                    r.initialize(inner)
                if inner.status == c.FULFILLED:
                    value = inner.value
                elif inner.status in (c.BLOCKED, c.PENDING):
                    if inner.status == c.PENDING and r.closed:
                        return Pending(inner.id)
                    return wait(r, inner, holder, key, build, path[i - 1 :])
                elif inner.status == c.HALTED:
                    _add_dependency(r)
                    return None
                else:
                    _error_dependency(r, inner.reason)
                    return None
            value = _step(value, path[i])
        value = _unwrap_lazies(r, value)
        if build is create_model:
            return value
        return _built_once(r, reference, value, holder, key, build)
    if status in (c.PENDING, c.BLOCKED):
        if status == c.PENDING and r.closed:
            return Pending(row_id)
        return wait(r, chunk, holder, key, build, path)
    if status == c.HALTED:
        if r.closed:
            return Pending(row_id)
        _add_dependency(r)
        return None
    _error_dependency(r, chunk.reason)
    return None


def _built_once(
    r: Resolver, reference: str, value: Any, holder: Any, key: Any, build: BuildFn
) -> Any:
    """Build a Map, Set, FormData, Blob or iterator once per row value it is built from.

    React builds a new object each time ``"$Q1"`` is read.  A server never writes the
    same ``$Q`` twice (it writes a reference to the first Map instead), so only a
    hostile payload does — and there a fresh copy per reference doubles the graph at
    every level (``1:[["a","$Q0"],["b","$Q0"]]``...), or copies one row's thousand entries
    for each of a thousand paths that reach it (``"$Q2:0"``, ``"$Q2:1"``...).  So one
    object is built per array or object it is built from (per reference text for other
    values), and what building costs is charged to the resolver's budget: an entry a
    node, a Blob's bytes to ``max_output_bytes`` (a Blob listing an earlier Blob twice
    doubles per row, which sharing cannot help).
    """
    kind = type(value)
    slot: tuple[Any, BuildFn] = (
        (id(value), build) if kind is list or kind is dict else (reference, build)
    )
    memo = r._built.get(slot)
    if memo is not None:
        return memo[1]
    charge_build(r, value, build)
    built = build(value, holder, key)
    r._built[slot] = (value, built)  # the value kept alive: its id stays its own
    return built


def charge_build(r: Resolver, value: Any, build: BuildFn) -> None:
    """Charge what building from ``value`` costs: a node per entry, a Blob's bytes."""
    budget = r.budget
    kind = type(value)
    budget.charge(len(value) if kind is list or kind is dict else 1)
    if build is create_blob:
        budget.charge_bytes(blob_size(value))


def _unwrap_lazies(r: Resolver, value: Any) -> Any:
    hops = 0
    while isinstance(value, Lazy):
        hops = _hop(hops)
        inner = value.promise
        if inner.status == c.RESOLVED_MODEL:
            r.initialize(inner)
        if inner.status != c.FULFILLED:
            break
        value = inner.value
    return value


def _add_dependency(r: Resolver) -> None:
    if r._handler is not None:
        r._handler.deps += 1
    else:
        r._handler = Handler(None, 1)


def _error_dependency(r: Resolver, reason: Any) -> None:
    handler = r._handler
    if handler is None:
        handler = r._handler = Handler(None, 0)
    else:
        handler.value = None
    handler.errored = True
    handler.reason = reason


def wait(
    r: Resolver, chunk: JSPromise, holder: Any, key: Any, build: BuildFn, path: list[str]
) -> None:
    """Leave a ``None`` placeholder and listen for ``chunk`` (``waitForReference``)."""
    handler = r._handler
    if handler is not None:
        handler.deps += 1
    else:
        handler = r._handler = Handler(None, 1)
    c.listen(chunk, Reference(handler, holder, key, build, path))


# -- when a chunk resolves -----------------------------------------------------------------


def _read_now(r: Resolver, chunk: JSPromise, handler: Handler) -> tuple[bool, Any]:
    """Whether a lazy's chunk can be read now, and its value: the element being
    blocked by ``handler`` reads as that element, a stored row is parsed first."""
    if chunk is handler.chunk:
        return True, handler.value
    if chunk.status == c.RESOLVED_MODEL:
        r.initialize(chunk)
    if chunk.status == c.FULFILLED:
        return True, chunk.value
    return False, None


def fulfill_reference(r: Resolver, reference: Reference, value: Any) -> None:
    """A chunk a reference waited for resolved: walk, map, patch (``fulfillReference``)."""
    handler = reference.handler
    parent = reference.parent
    key = reference.key
    path = reference.path
    r.budget.charge(len(path))
    try:
        for i in range(1, len(path)):
            hops = 0
            while isinstance(value, Lazy):
                hops = _hop(hops)
                inner = value.promise
                ready, read = _read_now(r, inner, handler)
                if ready:
                    value = read
                    continue
                if inner.status == c.BLOCKED:
                    cyclic = blocked_cycle(r, inner, reference)
                    if cyclic is not None:
                        value = cyclic.value
                        continue
                if inner.status in (c.BLOCKED, c.PENDING):
                    del path[: i - 1]
                    c.listen(inner, reference)
                    return
                if inner.status == c.HALTED:
                    return
                reject_reference(r, reference, inner.reason)
                return
            value = _own_step(value, path[i])
        hops = 0
        while isinstance(value, Lazy):
            hops = _hop(hops)
            ready, read = _read_now(r, value.promise, handler)
            if not ready:
                break
            value = read
        mapped = reference.map(value, parent, key)
        if key != "__proto__":
            c.store(parent, key, mapped)
        if key == "" and handler.value is None:
            handler.value = mapped
        patch_element(r, parent, key, handler, mapped)
    except Thrown as thrown:
        reject_reference(r, reference, thrown.value)
        return
    release(r, handler)


def patch_element(r: Resolver, parent: Any, key: Any, handler: Handler, value: Any) -> None:
    """A reference inside an element tuple patched the discarded tuple; mirror it onto the
    element object the tuple became (React's ``fulfillReference`` does the same)."""
    if (
        isinstance(parent, list)
        and parent
        and parent[0] is r._rules.element
        and isinstance(handler.value, Element)
    ):
        if key == 3:
            handler.value.props = value
        elif key == 4 and r.dev:
            handler.value.owner = value
        elif key == 5 and r.dev:
            handler.value.stack = value


def release(r: Resolver, handler: Handler) -> None:
    """One reference a handler waited for is in; at zero its chunk is fulfilled."""
    handler.deps -= 1
    if handler.deps == 0:
        chunk = handler.chunk
        if chunk is not None and chunk.status == c.BLOCKED:
            listeners = chunk.value
            chunk.status = c.FULFILLED
            chunk.value = handler.value
            chunk.reason = handler.reason
            if listeners is not None:
                wake(r, listeners, handler.value)


def reject_reference(r: Resolver, reference: Reference, error: Any) -> None:
    handler = reference.handler
    if handler.errored:
        return
    handler.errored = True
    handler.value = None
    handler.reason = error
    chunk = handler.chunk
    if chunk is not None and chunk.status == c.BLOCKED:
        r._trigger_error(chunk, error)


def wake(r: Resolver, listeners: list[Any], value: Any) -> None:
    for listener in listeners:
        if isinstance(listener, Reference):
            fulfill_reference(r, listener, value)
        else:
            listener(value)


def reject_listeners(r: Resolver, listeners: list[Any], error: Any) -> None:
    for listener in listeners:
        if isinstance(listener, Reference):
            reject_reference(r, listener, error)
        else:
            listener(error)


def wake_if_initialized(
    r: Resolver, chunk: JSPromise, listeners: list[Any], rejecters: list[Any] | None
) -> None:
    """A row arrived for a chunk others waited on, and was parsed: tell them, or keep them
    waiting (``wakeChunkIfInitialized``).  Under React 19's rules a listener that is part of
    a cycle through this blocked chunk is fulfilled with the value being built."""
    status = chunk.status
    if status == c.FULFILLED:
        wake(r, listeners, chunk.value)
        return
    if status == c.BLOCKED and r._rules.rules19:
        i = 0
        while i < len(listeners):
            listener = listeners[i]
            if isinstance(listener, Reference):
                cyclic = blocked_cycle(r, chunk, listener)
                if cyclic is not None:
                    fulfill_reference(r, listener, cyclic.value)
                    del listeners[i]
                    if rejecters is not None and listener in rejecters:
                        rejecters.remove(listener)
                    if chunk.status == c.FULFILLED:
                        wake(r, listeners, chunk.value)
                        return
                    if chunk.status == c.REJECTED:
                        if rejecters is not None:
                            reject_listeners(r, rejecters, chunk.reason)
                        return
                    continue
            i += 1
    if status in (c.PENDING, c.BLOCKED, c.CYCLIC):
        if chunk.value:
            chunk.value.extend(listeners)
        else:
            chunk.value = listeners
        if chunk.reason:
            if rejecters:
                chunk.reason.extend(rejecters)
        else:
            chunk.reason = rejecters
    elif status == c.REJECTED and rejecters:
        reject_listeners(r, rejecters, chunk.reason)


def blocked_cycle(r: Resolver, chunk: JSPromise, reference: Reference) -> Handler | None:
    """React's ``resolveBlockedCycle``: is ``reference`` (transitively) what ``chunk`` waits on?

    React walks from the chunk ``reference`` fills to the chunks waiting on it, and on,
    until it meets ``chunk``; asked once per row that arrives, on a long chain that is
    quadratic.  The question is whether ``chunk`` waits (transitively) on that chunk, so
    the search also runs from ``chunk``'s end, over the chunks its handlers listened on
    (:attr:`Handler.waits`, a superset of what they still wait on), one step of each in
    turn: when that side runs out without meeting the other chunk there is no cycle, and a
    chain of rows waiting on rows not yet sent ends the search at once.  The answer is
    React's: only the first side decides that there is a cycle.  Every step is charged to
    the resolver's budget.
    """
    start = reference.handler.chunk
    if start is None:
        return None
    if start is chunk:
        return reference.handler
    budget = r.budget
    seen: set[int] = {id(start)}
    stack: list[Reference] = _waiting_on(start)
    back_seen: set[int] = {id(chunk)}
    back: list[JSPromise] | None = [chunk]
    handler_of = r._handler_of
    while stack:
        ref = stack.pop()
        budget.left -= 1
        if budget.left < 0:
            raise budget.exceeded()
        referenced = ref.handler.chunk
        if referenced is None:
            continue
        if referenced is chunk:
            return ref.handler
        if id(referenced) not in seen:
            seen.add(id(referenced))
            stack.extend(_waiting_on(referenced))
        if back is not None:
            if not back:
                return None  # chunk waits on nothing that could lead to `start`
            waiter = handler_of.get(id(back.pop()))
            if waiter is not None and waiter.waits:
                for waited in waiter.waits:
                    if waited is start:
                        back = None  # perhaps a cycle: the first side decides
                        break
                    if id(waited) not in back_seen:
                        back_seen.add(id(waited))
                        back.append(waited)
    return None


def _waiting_on(chunk: JSPromise) -> list[Reference]:
    """The references listening on ``chunk``, the first last (React visits them in order)."""
    listeners = chunk.value
    if not isinstance(listeners, list):
        return []
    return [x for x in reversed(listeners) if isinstance(x, Reference)]


# -- paths ---------------------------------------------------------------------------------

#: Lazies that resolve to lazies: React follows them in a loop.  A payload can make one
#: resolve to itself, so the chain is cut after this many steps.
_MAX_HOPS = 1000


def _hop(count: int) -> int:
    count += 1
    if count > _MAX_HOPS:
        raise FlightLimitError("lazy references lead to each other in a circle")
    return count


_ELEMENT_FIELDS = {"type": "type", "key": "key", "props": "props", "ref": "ref", "_owner": "owner"}


def _step(value: Any, segment: str) -> Any:
    """One step of a path reference: dict keys, list indexes, element fields — nothing else."""
    if isinstance(value, dict):
        return value.get(segment, UNDEFINED)
    if isinstance(value, list):
        if segment.isdigit() and segment.isascii():
            index = int(segment)
            if index < len(value):
                return value[index]
        return UNDEFINED
    if isinstance(value, Element):
        field = _ELEMENT_FIELDS.get(segment)
        if field is not None:
            return getattr(value, field)  # a fixed field name, never one from the payload
    return UNDEFINED


def _own_step(value: Any, segment: str) -> Any:
    """A path step that must find an own property (hardened clients: "Invalid reference.")."""
    found = _step(value, segment)
    if found is UNDEFINED and not (isinstance(value, dict) and segment in value):
        raise Thrown(ErrorValue("Invalid reference."))
    return found
