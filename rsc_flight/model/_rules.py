"""The two React clients whose rules the resolver follows, as strategy objects.

* :data:`RULES_19` — React 19.x (Next 15/16): a chunk being parsed is ``blocked`` and what
  its references wait for is counted by an "initializing handler"; elements open their own
  scope, so an element waiting on a missing row becomes a lazy; references may carry a
  path; an empty model row means "halted".
* :data:`RULES_18` — the React 18.3 canaries vendored by Next 13.4-14.2 (also used for the
  2022 and 2023 dialects): a chunk being parsed is ``cyclic``; one blocked-model record per
  chunk; no element scopes and no paths; ``$Q``/``$W``/``$h`` need their row already there.

Each object answers the questions on which the two differ, so that the resolver asks
``self._rules`` instead of comparing version strings (two of those comparisons used to run
on every element and every object).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

from . import _chunks as c
from ._builders import BuildFn, create_model
from ._chunks import Blocked18, Handler, Reference
from ._references import (
    charge_build,
    close_element,
    follow,
    fulfill_reference,
    outlined_19,
    wake,
)
from ._tape import ELEMENT_18, ELEMENT_19, Thrown
from .values import Element, JSPromise, JSSymbol, Pending

if TYPE_CHECKING:
    from .resolver import Resolver

__all__ = ["RULES", "RULES_18", "RULES_19", "RuleSet"]


class RuleSet(Protocol):
    """What differs between the React clients the resolver can follow."""

    name: Literal["18", "19"]
    rules19: bool  # the phase-1 reading: element scopes, __proto__, $Z<id>, $P
    element: JSSymbol  # what the element marker "$" decodes to
    halts_empty_rows: bool  # an empty model row marks its chunk halted
    #: what the native replay (Reviver.replay) needs: the statuses it reads and the
    #: function it hands a reference it does not follow itself
    replay_env: tuple[Any, ...]

    def initialize(self, r: Resolver, chunk: JSPromise, decoded: Any = None) -> None: ...

    def outlined(
        self,
        r: Resolver,
        row_id: int,
        path: list[str],
        holder: Any,
        key: Any,
        build: BuildFn,
        reference: str,
    ) -> Any: ...

    def close_element(self, r: Resolver, element: Element) -> Any: ...


class _Rules19:
    name: Literal["18", "19"] = "19"
    rules19 = True
    element = ELEMENT_19
    halts_empty_rows = True
    replay_env: tuple[Any, ...] = (c.PENDING, c.RESOLVED_MODEL, c.FULFILLED, follow)

    def initialize(self, r: Resolver, chunk: JSPromise, decoded: Any = None) -> None:
        """``initializeModelChunk``: parse, then settle the chunk or leave it blocked."""
        previous = r._handler
        r._handler = None
        text = chunk.value
        chunk.status = c.BLOCKED
        chunk.value = None
        chunk.reason = None
        try:
            value = r._parse_model(text, chunk, decoded)
            listeners = chunk.value
            if listeners is not None:
                chunk.value = None
                chunk.reason = None
                for listener in listeners:
                    if isinstance(listener, Reference):
                        fulfill_reference(r, listener, value)
                    else:
                        listener(value)
            # (parsing may have set a handler; mypy cannot see that through the call)
            handler = cast("Handler | None", r._handler)
            if handler is not None:
                if handler.errored:
                    raise Thrown(handler.reason)
                if handler.deps > 0:
                    handler.value = value
                    handler.chunk = chunk
                    r._handler_of[id(chunk)] = handler
                    return
            chunk.status = c.FULFILLED
            chunk.value = value
        except Thrown as thrown:
            chunk.status = c.REJECTED
            chunk.reason = thrown.value
        finally:
            r._handler = previous

    def outlined(
        self,
        r: Resolver,
        row_id: int,
        path: list[str],
        holder: Any,
        key: Any,
        build: BuildFn,
        reference: str,
    ) -> Any:
        return outlined_19(r, row_id, path, holder, key, build, reference)

    def __reduce__(self) -> str:
        return "RULES_19"  # one object per rule set, also in an unpickled payload

    def close_element(self, r: Resolver, element: Element) -> Any:
        handler = r._handler
        if handler is None:
            return element
        return close_element(r, element, handler)


class _Rules18:
    name: Literal["18", "19"] = "18"
    rules19 = False
    element = ELEMENT_18
    halts_empty_rows = False
    replay_env: tuple[Any, ...] = ()  # (set below, once _follow_18 is defined)

    def initialize(self, r: Resolver, chunk: JSPromise, decoded: Any = None) -> None:
        """React 18.3's ``initializeModelChunk``: ``cyclic`` while parsing, one blocked
        record for the whole chunk."""
        previous_chunk = r._initializing
        previous_blocked = r._blocked18
        r._initializing = chunk
        r._blocked18 = None
        text = chunk.value
        chunk.status = c.CYCLIC
        chunk.value = None
        chunk.reason = None
        try:
            value = r._parse_model(text, chunk, decoded)
            blocked = cast("Blocked18 | None", r._blocked18)
            if blocked is not None and blocked.deps > 0:
                blocked.value = value
                chunk.status = c.BLOCKED
                chunk.value = None
                chunk.reason = None
            else:
                listeners = chunk.value
                chunk.status = c.FULFILLED
                chunk.value = value
                if listeners is not None:
                    wake(r, listeners, value)
        except Thrown as thrown:
            chunk.status = c.REJECTED
            chunk.reason = thrown.value
        finally:
            r._initializing = previous_chunk
            r._blocked18 = previous_blocked

    def outlined(
        self,
        r: Resolver,
        row_id: int,
        path: list[str],
        holder: Any,
        key: Any,
        build: BuildFn,
        reference: str,
    ) -> Any:
        """React 18.3: plain references wait; ``$Q``/``$W``/``$h`` need the row already.
        Paths do not exist yet: only the id is read."""
        chunk = r.get_chunk(row_id)
        if chunk.status == c.RESOLVED_MODEL:
            r.initialize(chunk)
        return _follow_18(r, chunk, row_id, path, holder, key, build, reference)

    def __reduce__(self) -> str:
        return "RULES_18"

    def close_element(self, r: Resolver, element: Element) -> Any:
        return element  # no element scopes before React 19


def _follow_18(
    r: Resolver,
    chunk: JSPromise,
    row_id: int,
    path: list[str],
    holder: Any,
    key: Any,
    build: BuildFn,
    reference: str,
) -> Any:
    """The rest of :meth:`_Rules18.outlined` once the chunk is read: its value by its
    status (the native replay hands it every case it does not do itself)."""
    status = chunk.status
    if build is not create_model:
        if status == c.FULFILLED:
            charge_build(r, chunk.value, build)  # built anew per reference, as 18.3 does
            return build(chunk.value, holder, key)
        if status == c.PENDING and r.closed:
            return Pending(chunk.id)
        raise Thrown(chunk.reason)
    if status == c.FULFILLED:
        return chunk.value
    if status in (c.PENDING, c.BLOCKED, c.CYCLIC):
        if status == c.PENDING and r.closed:
            return Pending(chunk.id)
        parent_chunk = r._initializing
        cyclic = status == c.CYCLIC
        blocked = r._blocked18
        if blocked is not None:
            if not cyclic:
                blocked.deps += 1
        else:
            blocked = r._blocked18 = Blocked18(0 if cyclic else 1)
        resolve = _model_resolver(r, parent_chunk, holder, key, blocked)
        reject = _model_rejecter(r, parent_chunk)
        _then(r, chunk, resolve, reject)
        return None
    raise Thrown(chunk.reason)


def _model_resolver(
    r: Resolver, chunk: JSPromise | None, parent: Any, key: Any, blocked: Blocked18
) -> Callable[[Any], None]:
    def resolve(value: Any) -> None:
        c.store(parent, key, value)
        blocked.deps -= 1
        if blocked.deps == 0 and chunk is not None and chunk.status == c.BLOCKED:
            listeners = chunk.value
            chunk.status = c.FULFILLED
            chunk.value = blocked.value
            if listeners is not None:
                wake(r, listeners, blocked.value)

    return resolve


def _model_rejecter(r: Resolver, chunk: JSPromise | None) -> Callable[[Any], None]:
    def reject(error: Any) -> None:
        if chunk is not None:
            r._trigger_error(chunk, error)

    return reject


def _then(
    r: Resolver, chunk: JSPromise, resolve: Callable[[Any], None], reject: Callable[[Any], None]
) -> None:
    """``chunk.then(resolve, reject)`` with React's synchronous semantics."""
    if chunk.status == c.RESOLVED_MODEL:
        r.initialize(chunk)
    if chunk.status == c.FULFILLED:
        resolve(chunk.value)
    elif chunk.status in (c.PENDING, c.BLOCKED, c.CYCLIC):
        if chunk.value is None:
            chunk.value = []
        chunk.value.append(resolve)
        if chunk.reason is None:
            chunk.reason = []
        chunk.reason.append(reject)
    elif chunk.status != c.HALTED:
        reject(chunk.reason)


_Rules18.replay_env = (c.PENDING, c.RESOLVED_MODEL, c.FULFILLED, _follow_18)
RULES_19: RuleSet = _Rules19()
RULES_18: RuleSet = _Rules18()
RULES: dict[str, RuleSet] = {"19": RULES_19, "18": RULES_18}
