"""Stage 2: rows to values, the way React's own client does it.

Theory of operation
-------------------
React's Flight client keeps one *chunk* per row id: a promise-like record whose status
moves from ``pending`` (referenced, no row yet) to ``resolved_model`` (JSON text stored,
parsed lazily), ``blocked`` (parsed, waiting on references), ``fulfilled`` or ``rejected``.
A model is parsed with ``JSON.parse`` and a reviver that visits every value *after* its
children.  Strings starting with ``$`` are decoded there; a reference to a chunk that is not
ready writes ``null`` as a placeholder and registers a listener that patches the parent
when the chunk resolves.  An element whose props are still waiting becomes a lazy wrapper,
so a missing row only blocks the nearest element.

This module reproduces that machinery (:class:`Resolver`), including the order in which
chunks are initialised, so the decoded graph is the one React builds: the same sharing,
the same cycles, the same placeholders — down to React's quirks, such as a ``Map`` that
contains itself ending up with ``null`` inside.  Two families of rules are implemented:

* ``"19"`` — React 19.x (Next 15/16), with path references, element scoping and blocked
  elements turned into lazies;
* ``"18"`` — the React 18.3 canaries vendored by Next 13.4–14.2 (``cyclic`` status,
  outlined ``$Q``/``$W``/``$h`` that must already be there), also used for the
  2022 tag-first and 2023 newline-only dialects with their own string codes.

Where it differs from React on purpose:

* React rejects every chunk still missing at the end of the stream ("Connection closed.");
  here they stay explicit :class:`~rsc_flight.Pending` values, because holes are normal in
  Next's partial (prerendered, PPR) payloads.
* A ``T`` or binary row that arrives after a reference to it resolves that reference;
  React would replace the chunk and leave its readers waiting.
* Nothing is executed, imported or fetched: client references stay descriptions, server
  references are never called, hints are recorded, not dispatched.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, cast

from ..errors import Diagnostic, FlightError, FlightLimitError, FlightSyntaxError
from ..limits import DEFAULT_LIMITS, Limits
from ..wire.rows import (
    BinaryRow,
    CloseRow,
    DebugRow,
    ErrorRow,
    HintRow,
    ImportRow,
    ModelRow,
    PostponeRow,
    ProviderRow,
    Row,
    StreamRow,
    SymbolRow,
    TextRow,
    UnknownRow,
)
from .values import (
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

__all__ = ["ELEMENT_MARKERS", "Resolver"]

# The element marker "$" decodes to React's element symbol.
_ELEMENT_19 = JSSymbol("react.transitional.element")
_ELEMENT_18 = JSSymbol("react.element")
ELEMENT_MARKERS = (_ELEMENT_19, _ELEMENT_18)

_PROD_MESSAGE = (
    "An error occurred in the Server Components render. The specific message is omitted in "
    "production builds to avoid leaking sensitive details. A digest property is included on "
    "this error instance which may provide additional details about the nature of the error."
)

_HEX_DIGITS = frozenset("0123456789abcdef")

_PENDING = "pending"
_BLOCKED = "blocked"
_CYCLIC = "cyclic"  # React 18.3: being parsed
_RESOLVED_MODEL = "resolved_model"
_RESOLVED_MODULE = "resolved_module"
_FULFILLED = "fulfilled"
_REJECTED = "rejected"
_HALTED = "halted"


def _reject_constant(name: str) -> Any:
    # JSON.parse rejects NaN and Infinity; Python's json accepts them unless told not to.
    raise ValueError(f"invalid JSON literal {name}")


_JSON = json.JSONDecoder(parse_constant=_reject_constant)
_scan_once = _JSON.scan_once  # type: ignore[attr-defined]  # set in __init__, not in typeshed
_JSON_SPACE = " \t\n\r"


def _loads_stdlib(text: str) -> Any:
    """``json.loads`` as ``JSON.parse`` reads it, without the wrapper's per-call cost.

    Most rows are small, and ``JSONDecoder.decode`` spends more on its Python wrapper than
    the C scanner spends on them, so the scanner is called directly.
    """
    start = 0
    if text[:1] in _JSON_SPACE:  # also "" (then the scanner reports the error)
        start = len(text) - len(text.lstrip(_JSON_SPACE))
    try:
        value, end = _scan_once(text, start)
    except StopIteration as stop:
        raise json.JSONDecodeError("Expecting value", text, stop.value) from None
    if end != len(text) and text[end:].strip(_JSON_SPACE):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


try:
    from orjson import JSONDecodeError as _OrjsonError
    from orjson import loads as _orjson_loads
except ImportError:  # pragma: no cover - orjson has wheels for every common platform
    _loads = _loads_stdlib
else:

    def _loads(text: str) -> Any:
        """Parse with orjson (2-3x faster than the standard library on flight rows).

        orjson is stricter than ``JSON.parse`` in two ways: it refuses escaped lone
        surrogates and integers beyond 64 bits.  Whatever it refuses goes through the
        standard library, which reads both as JavaScript does and rejects everything else
        ``JSON.parse`` rejects (``NaN``, trailing commas...), so the accepted language is
        exactly JavaScript's.
        """
        try:
            return _orjson_loads(text)
        except _OrjsonError:
            return _loads_stdlib(text)


class _Thrown(Exception):  # noqa: N818 - a JavaScript `throw`, carried through the reviver
    def __init__(self, value: Any) -> None:
        super().__init__(value)
        self.value = value


class _Handler:
    """React's "initializing handler": the references an element or chunk waits for."""

    __slots__ = ("chunk", "deps", "errored", "parent", "reason", "value")

    def __init__(self, parent: _Handler | None, deps: int) -> None:
        self.parent = parent
        self.chunk: JSPromise | None = None
        self.value: Any = None
        self.reason: Any = None
        self.deps = deps
        self.errored = False


class _Reference:
    """A listener: when ``chunk`` resolves, walk ``path``, ``map`` it, store it at
    ``parent[key]``."""

    __slots__ = ("handler", "key", "map", "parent", "path")

    def __init__(
        self, handler: _Handler, parent: Any, key: Any, map: _MapFn, path: list[str]
    ) -> None:
        self.handler = handler
        self.parent = parent
        self.key = key
        self.map = map
        self.path = path


_MapFn = Callable[[Any, Any, Any], Any]


class _Blocked18:
    """React 18.3's ``initializingChunkBlockedModel``."""

    __slots__ = ("deps", "value")

    def __init__(self, deps: int) -> None:
        self.deps = deps
        self.value: Any = None


class _StreamController:
    """What a stream chunk's ``reason`` holds in React: where its items go."""

    __slots__ = ("closed", "items", "kind", "resolver", "return_chunk", "stream")

    def __init__(self, resolver: Resolver, kind: str) -> None:
        self.resolver = resolver
        self.kind = kind
        self.items: list[JSPromise] = []
        self.closed = False
        self.return_chunk: JSPromise | None = None
        self.stream: JSReadableStream | JSAsyncIterable
        if kind in ("R", "r"):
            self.stream = JSReadableStream(byte_stream=kind == "r")
        else:
            self.stream = JSAsyncIterable(iterator=kind == "x")

    def enqueue_value(self, value: Any) -> None:
        if not self.closed:
            self.items.append(JSPromise(_FULFILLED, value, None))

    def enqueue_model(self, text: str) -> None:
        if self.closed:
            return
        chunk = self.resolver.new_model_chunk(text, None)
        if isinstance(self.stream, JSReadableStream):
            # A ReadableStream parses each item when it arrives; an async iterable when
            # it is read.
            self.resolver.initialize(chunk)
        self.items.append(chunk)

    def close(self, text: str) -> None:
        if self.closed:
            return
        self.closed = True
        self.stream.done = True
        if isinstance(self.stream, JSAsyncIterable):
            self.return_chunk = self.resolver.new_model_chunk(text or '"$undefined"', None)

    def error(self, error: Any) -> None:
        if self.closed:
            return
        self.closed = True
        self.stream.done = True
        self.stream.error = error

    def materialize(self) -> None:
        """Fill the stream's public fields from its item chunks (after the payload ends)."""
        values = []
        for chunk in self.items:
            if chunk.status in (_RESOLVED_MODEL, _RESOLVED_MODULE):
                self.resolver.initialize(chunk)
            if chunk.status == _FULFILLED:
                values.append(chunk.value)
            elif chunk.status == _REJECTED:
                self.stream.error = chunk.reason
                break
            else:
                values.append(Pending(None))
        if isinstance(self.stream, JSReadableStream):
            self.stream.chunks = values
        else:
            self.stream.values = values
            if self.return_chunk is not None:
                self.resolver.initialize(self.return_chunk)
                if self.return_chunk.status == _FULFILLED:
                    self.stream.return_value = self.return_chunk.value


class Resolver:
    """Feed rows in stream order with :meth:`add`, then :meth:`close`; read chunks after.

    Args:
        rules: ``"19"`` or ``"18"`` (see the module notes); :func:`~rsc_flight.parse`
            picks one from the dialect.
        tag_first: the payload uses the 2022 tag-first dialect (``@hex`` lazies).
        limits: bounds on depth, path length and BigInt digits.
        strict: raise on the first bad row instead of recording a diagnostic.
    """

    def __init__(
        self,
        *,
        rules: str = "19",
        tag_first: bool = False,
        limits: Limits = DEFAULT_LIMITS,
        strict: bool = False,
    ) -> None:
        if rules not in ("18", "19"):
            raise ValueError(f"rules must be '18' or '19', not {rules!r}")
        self.rules = rules
        self.tag_first = tag_first
        self.limits = limits
        self.strict = strict
        self.chunks: dict[int, JSPromise] = {}
        self.hints: list[list[Any]] = []
        self.debug: dict[int | None, list[Row]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.closed = False
        self.dev = False
        self._handler: _Handler | None = None
        self._initializing: JSPromise | None = None  # React 18.3's initializingChunk
        self._current: JSPromise | None = None  # the chunk whose model is being parsed
        self._built: dict[tuple[str, _MapFn], Any] = {}  # see _built_once
        self._blocked18: _Blocked18 | None = None
        self._element = _ELEMENT_19 if rules == "19" else _ELEMENT_18
        # First characters of strings that need decoding ("@hex" lazies in 2022 payloads).
        self._prefixes = "$@" if tag_first else "$"
        # The element fast path reads "$" as the marker; the 2022 dialect does too, but
        # keeps the generic walk so its escapes are handled in one place.
        self._fast_elements = not tag_first
        self._max_depth = limits.max_depth
        self._offsets: dict[int, tuple[int, int | None]] = {}
        self._streams: list[_StreamController] = []
        self._init_depth = 0
        # A consumer awaits the root from the start (``createFromReadableStream`` hands it
        # out at once), so row 0 is parsed the moment it arrives; other rows wait until
        # something reads them.  This order decides where React leaves placeholders.
        self.get_chunk(0).value = [_root_listener]

    # -- chunks ----------------------------------------------------------------------------

    def get_chunk(self, row_id: int) -> JSPromise:
        """The chunk for ``row_id``, created pending on first mention."""
        chunk = self.chunks.get(row_id)
        if chunk is None:
            chunk = JSPromise(_PENDING, None, None, row_id)
            chunk._owner = self
            self.chunks[row_id] = chunk
        current = self._current
        if current is not None:
            # Remember the mention, in document order, for resolve_all().
            if current._links is None:
                current._links = [chunk]
            else:
                current._links.append(chunk)
        return chunk

    def resolve_all(self) -> None:
        """Parse every chunk reachable from the root, in the order a reader would.

        React parses a row when something first reads it.  A reader walking the root
        depth-first meets references in document order, so visiting the chunks each model
        mentions, in that order, depth-first, parses them in the order React would.
        """
        root = self.chunks.get(0)
        if root is None:
            return
        seen: set[int] = set()
        stack = [root]
        while stack:
            chunk = stack.pop()
            if id(chunk) in seen:
                continue
            seen.add(id(chunk))
            if chunk.status == _RESOLVED_MODEL or chunk.status == _RESOLVED_MODULE:
                self.initialize(chunk)
            if chunk._links:
                stack.extend(reversed(chunk._links))

    def new_model_chunk(self, text: str, row_id: int | None) -> JSPromise:
        chunk = JSPromise(_RESOLVED_MODEL, text, None, row_id)
        chunk._owner = self
        return chunk

    def _problem(self, reason: str, row: Row | None, error: type[FlightError]) -> None:
        offset = row.offset if row is not None else None
        row_id = row.id if row is not None else None
        if self.strict:
            raise error(reason, offset=offset, row_id=row_id)
        self.diagnostics.append(Diagnostic(reason, offset, row_id, b"", "error"))

    # -- rows ------------------------------------------------------------------------------

    def add(self, row: Row) -> None:
        """Take one row, in stream order (``processFullStringRow`` / ``BinaryRow``)."""
        row_id = row.id
        if isinstance(row, ModelRow):
            if row_id is None:
                row_id = 0  # React folds an empty id into 0
            self._offsets[row_id] = (row.offset, row.id)
            if row.payload == "" and self.rules == "19":
                self._halt(row_id)
            else:
                self._resolve_model(row_id, row.payload, row)
        elif isinstance(row, TextRow):
            self._resolve_value(0 if row_id is None else row_id, row.payload, row)
        elif isinstance(row, BinaryRow):
            self._resolve_binary(0 if row_id is None else row_id, row)
        elif isinstance(row, ImportRow):
            self._resolve_import(0 if row_id is None else row_id, row)
        elif isinstance(row, HintRow):
            self._resolve_hint(row)
        elif isinstance(row, ErrorRow):
            self._resolve_error(0 if row_id is None else row_id, row)
        elif isinstance(row, DebugRow):
            self.dev = True
            self.debug.setdefault(row_id, []).append(row)
        elif isinstance(row, StreamRow):
            self._start_stream(0 if row_id is None else row_id, row.tag)
        elif isinstance(row, CloseRow):
            chunk = self.chunks.get(0 if row_id is None else row_id)
            if chunk is not None and isinstance(chunk.reason, _StreamController):
                chunk.reason.close(row.payload)
        elif isinstance(row, SymbolRow):
            try:
                name = _loads(row.payload)
            except ValueError:
                name = row.payload
            self._resolve_value(0 if row_id is None else row_id, JSSymbol(str(name)), row)
        elif isinstance(row, ProviderRow):
            self._resolve_value(
                0 if row_id is None else row_id, ServerContextProvider(row.payload), row
            )
        elif isinstance(row, PostponeRow):
            error = ErrorValue("This chunk was postponed (partial prerendering).", "Postpone")
            self._reject(0 if row_id is None else row_id, error)
        elif isinstance(row, UnknownRow):
            pass  # the tokenizer already reported it; React would misread it as a model

    def _resolve_model(self, row_id: int, text: str, row: Row) -> None:
        chunk = self.chunks.get(row_id)
        if chunk is None:
            self.chunks[row_id] = self.new_model_chunk(text, row_id)
            return
        if isinstance(chunk.reason, _StreamController) and chunk.status == _FULFILLED:
            chunk.reason.enqueue_model(text)
            return
        if chunk.status != _PENDING:
            self._problem(f"a second model row for chunk {row_id:x}", row, FlightSyntaxError)
            return
        listeners, rejecters = chunk.value, chunk.reason
        chunk.status = _RESOLVED_MODEL
        chunk.value = text
        chunk.reason = None
        if listeners is not None:
            self.initialize(chunk)
            self._wake_if_initialized(chunk, listeners, rejecters)

    def _resolve_value(self, row_id: int, value: Any, row: Row) -> None:
        chunk = self.chunks.get(row_id)
        if chunk is None:
            chunk = JSPromise(_FULFILLED, value, None, row_id)
            chunk._owner = self
            self.chunks[row_id] = chunk
            return
        if isinstance(chunk.reason, _StreamController) and chunk.status == _FULFILLED:
            chunk.reason.enqueue_value(value)
            return
        if chunk.status != _PENDING:
            self._problem(f"a second row for chunk {row_id:x}", row, FlightSyntaxError)
            return
        listeners = chunk.value
        chunk.status = _FULFILLED
        chunk.value = value
        chunk.reason = None
        if listeners is not None:
            self._wake(listeners, value, chunk)

    def _resolve_binary(self, row_id: int, row: BinaryRow) -> None:
        value = JSTypedArray(row.type_name if row.tag != "A" else "ArrayBuffer", row.payload)
        if row.tag == "b":
            chunk = self.chunks.get(row_id)
            if chunk is not None and isinstance(chunk.reason, _StreamController):
                chunk.reason.enqueue_value(value)
                return
        self._resolve_value(row_id, value, row)

    def _resolve_import(self, row_id: int, row: ImportRow) -> None:
        try:
            model = self._parse_detached(row.payload)
        except (ValueError, _Thrown) as exc:
            self._problem(f"import row is not valid: {exc}", row, FlightSyntaxError)
            return
        reference = _client_reference(model)
        if reference is None:
            self._problem("import row does not describe a module", row, FlightSyntaxError)
            return
        self._resolve_value(row_id, reference, row)

    def _resolve_hint(self, row: HintRow) -> None:
        try:
            model = self._parse_detached(row.payload)
        except (ValueError, _Thrown) as exc:
            self._problem(f"hint row is not valid JSON: {exc}", row, FlightSyntaxError)
            return
        self.hints.append(_hint_call(row.code, model))

    def _resolve_error(self, row_id: int, row: ErrorRow) -> None:
        try:
            info = _loads(row.payload)
        except ValueError as exc:
            self._problem(f"error row is not valid JSON: {exc}", row, FlightSyntaxError)
            info = {}
        self._reject(row_id, _error_value(info if isinstance(info, dict) else {}))

    def _reject(self, row_id: int, error: Any) -> None:
        chunk = self.chunks.get(row_id)
        if chunk is None:
            chunk = JSPromise(_REJECTED, None, error, row_id)
            chunk._owner = self
            self.chunks[row_id] = chunk
            return
        self._trigger_error(chunk, error)

    def _trigger_error(self, chunk: JSPromise, error: Any) -> None:
        if chunk.status not in (_PENDING, _BLOCKED, _CYCLIC):
            if isinstance(chunk.reason, _StreamController):
                chunk.reason.error(error)
            return
        rejecters = chunk.reason
        chunk.status = _REJECTED
        chunk.reason = error
        if rejecters is not None:
            self._reject_listeners(rejecters, error)

    def _halt(self, row_id: int) -> None:
        chunk = self.get_chunk(row_id)
        if chunk.status == _PENDING:
            chunk.status = _HALTED

    def _start_stream(self, row_id: int, tag: str) -> None:
        controller = _StreamController(self, tag)
        self._streams.append(controller)
        chunk = self.chunks.get(row_id)
        if chunk is None:
            chunk = JSPromise(_FULFILLED, controller.stream, controller, row_id)
            chunk._owner = self
            self.chunks[row_id] = chunk
        elif chunk.status == _PENDING:
            listeners = chunk.value
            chunk.status = _FULFILLED
            chunk.value = controller.stream
            chunk.reason = controller
            if listeners is not None:
                self._wake(listeners, controller.stream, chunk)

    def close(self) -> None:
        """The stream ended.  Missing rows become :class:`Pending` values."""
        self.closed = True
        for controller in self._streams:
            controller.materialize()
        # Resolving a hole may wake chunks that then wait on other holes: repeat until done.
        changed = True
        while changed:
            changed = False
            for chunk in list(self.chunks.values()):
                if chunk.status in (_PENDING, _HALTED) and chunk.value:
                    listeners = chunk.value
                    chunk.value = None
                    chunk.reason = None
                    changed = True
                    for listener in listeners:
                        self._fill_hole(listener, Pending(chunk.id))

    def _fill_hole(self, listener: Any, hole: Pending) -> None:
        """Put ``hole`` where a reference waits, and release what waited on it."""
        if not isinstance(listener, _Reference):
            listener(hole)
            return
        handler = listener.handler
        parent = listener.parent
        key = listener.key
        _store(parent, key, hole)
        if key == "" and handler.value is None:
            handler.value = hole
        self._patch_element(parent, key, handler, hole)
        self._release(handler)

    # -- initialisation --------------------------------------------------------------------

    def initialize(self, chunk: JSPromise) -> None:
        """Parse a ``resolved_model`` chunk (``initializeModelChunk``)."""
        if chunk.status == _RESOLVED_MODULE:
            chunk.status = _FULFILLED
            return
        if chunk.status != _RESOLVED_MODEL:
            return
        self._init_depth += 1
        if self._init_depth > self.limits.max_depth:
            self._init_depth -= 1
            raise FlightLimitError(
                f"references nest deeper than max_depth={self.limits.max_depth}",
                row_id=chunk.id,
            )
        previous = self._current
        self._current = chunk
        try:
            if self.rules == "19":
                self._initialize_19(chunk)
            else:
                self._initialize_18(chunk)
        finally:
            self._init_depth -= 1
            self._current = previous

    def _initialize_19(self, chunk: JSPromise) -> None:
        previous = self._handler
        self._handler = None
        text = chunk.value
        chunk.status = _BLOCKED
        chunk.value = None
        chunk.reason = None
        try:
            value = self._parse_model(text, chunk)
            listeners = chunk.value
            if listeners is not None:
                chunk.value = None
                chunk.reason = None
                for listener in listeners:
                    if isinstance(listener, _Reference):
                        self._fulfill_reference(listener, value)
                    else:
                        listener(value)
            # (parsing may have set a handler; mypy cannot see that through the call)
            handler = cast("_Handler | None", self._handler)
            if handler is not None:
                if handler.errored:
                    raise _Thrown(handler.reason)
                if handler.deps > 0:
                    handler.value = value
                    handler.chunk = chunk
                    return
            chunk.status = _FULFILLED
            chunk.value = value
        except _Thrown as thrown:
            chunk.status = _REJECTED
            chunk.reason = thrown.value
        finally:
            self._handler = previous

    def _initialize_18(self, chunk: JSPromise) -> None:
        previous_chunk = self._initializing
        previous_blocked = self._blocked18
        self._initializing = chunk
        self._blocked18 = None
        text = chunk.value
        chunk.status = _CYCLIC
        chunk.value = None
        chunk.reason = None
        try:
            value = self._parse_model(text, chunk)
            blocked = cast("_Blocked18 | None", self._blocked18)
            if blocked is not None and blocked.deps > 0:
                blocked.value = value
                chunk.status = _BLOCKED
                chunk.value = None
                chunk.reason = None
            else:
                listeners = chunk.value
                chunk.status = _FULFILLED
                chunk.value = value
                if listeners is not None:
                    self._wake(listeners, value, chunk)
        except _Thrown as thrown:
            chunk.status = _REJECTED
            chunk.reason = thrown.value
        finally:
            self._initializing = previous_chunk
            self._blocked18 = previous_blocked

    def _parse_model(self, text: str, chunk: JSPromise | None) -> Any:
        try:
            raw = _loads(text)
        except ValueError as exc:
            offset, row_id = (
                self._offsets.get(chunk.id, (None, chunk.id))
                if chunk and chunk.id is not None
                else (None, None)
            )
            if self.strict:
                raise FlightSyntaxError(
                    f"model row is not valid JSON: {exc}", offset=offset, row_id=row_id
                ) from None
            self.diagnostics.append(
                Diagnostic(
                    f"model row is not valid JSON: {exc}",
                    offset,
                    row_id,
                    text[:200].encode(),
                    "error",
                )
            )
            raise _Thrown(ErrorValue(str(exc), "SyntaxError")) from None
        except RecursionError:
            raise FlightLimitError(
                "JSON nests too deeply", row_id=chunk.id if chunk else None
            ) from None
        holder = {"": raw}
        try:
            return self._revive(holder, "", raw, 0)
        except RecursionError:
            raise FlightLimitError(
                "values nest too deeply", row_id=chunk.id if chunk else None
            ) from None

    def _parse_detached(self, text: str) -> Any:
        """Parse a hint or import row: the same reviver, outside any chunk."""
        previous = self._handler
        self._handler = None
        try:
            return self._parse_model(text, None)
        finally:
            self._handler = previous

    # -- the reviver -------------------------------------------------------------------------

    def _revive(self, holder: Any, key: Any, value: Any, depth: int) -> Any:
        """``JSON.parse``'s reviver walk: children first, then the value itself."""
        kind = type(value)
        if kind is str:
            if value and value[0] in self._prefixes:
                return self._parse_string(holder, key, value)
            return value
        if kind is list:
            return self._revive_list(value, depth)
        if kind is dict:
            return self._revive_dict(value, depth)
        return value

    def _revive_list(self, value: list[Any], depth: int) -> Any:
        if depth >= self._max_depth:
            raise FlightLimitError(f"values nest deeper than max_depth={self._max_depth}")
        depth += 1
        n = len(value)
        if n >= 4 and value[0] == "$" and self._fast_elements:
            return self._revive_element(value, n, depth)
        prefixes = self._prefixes
        for index in range(n):
            item = value[index]
            t = type(item)
            if t is str:
                if item and item[0] in prefixes:
                    # `undefined` leaves a hole, which reads as UNDEFINED
                    value[index] = self._parse_string(value, index, item)
            elif t is dict:
                value[index] = self._revive_dict(item, depth)
            elif t is list:
                value[index] = self._revive_list(item, depth)
        if n and value[0] is self._element:
            return self._make_element(value[1:])
        return value

    def _revive_element(self, value: list[Any], n: int, depth: int) -> Any:
        """An element tuple ``["$", type, key, props, ...]``: the commonest array by far.

        Same steps as the generic walk — the marker first (entering the element's scope),
        then each field in order, then the element — unrolled for the usual 4-tuple.
        Revived fields are written back into the tuple because a reference waiting there
        patches the tuple (and, through it, the element) when its row arrives.
        """
        if self._handler is not None:
            self._handler = _Handler(self._handler, 0)
        value[0] = self._element
        prefixes = self._prefixes
        kind = value[1]
        t = type(kind)
        if t is str:
            if kind and kind[0] in prefixes:
                kind = value[1] = self._parse_string(value, 1, kind)
        elif t is dict or t is list:
            kind = value[1] = self._revive(value, 1, kind, depth)
        key = value[2]
        t = type(key)
        if t is str:
            if key and key[0] in prefixes:
                key = value[2] = self._parse_string(value, 2, key)
        elif t is dict or t is list:
            key = value[2] = self._revive(value, 2, key, depth)
        props = value[3]
        t = type(props)
        if t is dict:
            props = value[3] = self._revive_dict(props, depth)
        elif t is str:
            if props and props[0] in prefixes:
                props = value[3] = self._parse_string(value, 3, props)
        elif t is list:
            props = value[3] = self._revive_list(props, depth)
        if n == 4:
            element = Element(kind, key, props)
        else:
            for index in range(4, n):
                value[index] = self._revive(value, index, value[index], depth)
            return self._make_element(value[1:])
        handler = self._handler
        if handler is None or self.rules == "18":
            return element
        return self._close_element(element, handler)

    def _revive_dict(self, value: dict[str, Any], depth: int) -> Any:
        if depth >= self._max_depth:
            raise FlightLimitError(f"values nest deeper than max_depth={self._max_depth}")
        depth += 1
        prefixes = self._prefixes
        drop = None
        for k, item in value.items():
            t = type(item)
            if t is str:
                if item and item[0] in prefixes:
                    new = self._parse_string(value, k, item)
                    if new is UNDEFINED:
                        drop = [k] if drop is None else [*drop, k]
                    else:
                        value[k] = new
            elif t is dict:
                value[k] = self._revive_dict(item, depth)
            elif t is list:
                value[k] = self._revive_list(item, depth)
        if drop is not None:
            for k in drop:
                del value[k]
        if "__proto__" in value and self.rules == "19":
            del value["__proto__"]
        if "0" in value and value["0"] is self._element:
            return self._make_element([value.get(str(i), UNDEFINED) for i in range(1, 7)])
        return value

    def _make_element(self, fields: list[Any]) -> Any:
        n = len(fields)
        element = Element(
            fields[0] if n > 0 else UNDEFINED,
            fields[1] if n > 1 else UNDEFINED,
            fields[2] if n > 2 else UNDEFINED,
        )
        if n > 3:
            self.dev = True
            element.owner = fields[3]
            element.stack = fields[4] if n > 4 else None
            element.validated = fields[5] if n > 5 else None
        handler = self._handler
        if handler is None or self.rules == "18":
            return element
        return self._close_element(element, handler)

    def _close_element(self, element: Element, handler: _Handler) -> Any:
        """Leave an element's scope.  If something inside failed or is still missing, the
        element becomes a lazy, so that only it waits (React 19's element scoping)."""
        self._handler = handler.parent
        if handler.errored:
            return Lazy(JSPromise(_REJECTED, None, handler.reason))
        if handler.deps > 0:
            blocked = JSPromise(_BLOCKED, None, None)
            blocked._owner = self
            handler.value = element
            handler.chunk = blocked
            return Lazy(blocked)
        return element

    def _parse_string(self, holder: Any, key: Any, value: str) -> Any:
        """Decode one ``$``-string (``parseModelString``)."""
        if self.tag_first:
            return self._parse_string_f0(holder, key, value)
        if value == "$":
            if self.rules == "19" and self._handler is not None and (key == 0 or key == "0"):
                self._handler = _Handler(self._handler, 0)  # entering an element
            return self._element
        code = value[1]
        if code in _HEX_DIGITS:
            # The commonest code: a reference to a row, maybe with a path.
            return self._outlined(value[1:], holder, key, _create_model, value)
        rest = value[2:]
        if code == "L":
            row_id = self._hex(rest, value)
            return value if row_id is None else Lazy(self.get_chunk(row_id))
        if code == "$":
            return value[1:]
        if code == "@":
            if not rest:
                return JSPromise(_HALTED, None, None)  # a promise that never settles
            row_id = self._hex(rest, value)
            return value if row_id is None else self.get_chunk(row_id)
        if code == "S":
            return JSSymbol(rest)
        if code in "hF":
            return self._outlined(rest, holder, key, self._server_reference, value)
        if code == "Q":
            return self._outlined(rest, holder, key, _create_map, value)
        if code == "W":
            return self._outlined(rest, holder, key, _create_set, value)
        if code == "K":
            return self._outlined(rest, holder, key, _create_form_data, value)
        if code == "B":
            return self._outlined(rest, holder, key, _create_blob, value)
        if code == "i":
            return self._outlined(rest, holder, key, _create_iterator, value)
        if code == "I":
            return float("inf")
        if code == "-":
            return -0.0 if value == "$-0" else float("-inf")
        if code == "N":
            return float("nan")
        if code == "u":
            return UNDEFINED
        if code == "D":
            return JSDate.parse(rest)
        if code == "n":
            if len(rest) > self.limits.max_bigint_digits:
                raise FlightLimitError(
                    f"BigInt of {len(rest)} digits, over max_bigint_digits="
                    f"{self.limits.max_bigint_digits}"
                )
            try:
                return JSBigInt(int(rest))
            except ValueError:
                raise _Thrown(
                    ErrorValue(f"Cannot convert {rest} to a BigInt", "SyntaxError")
                ) from None
        if code == "T":
            return TemporaryReference(value[1:])
        if code == "Z":
            if rest and self.rules == "19":
                return self._outlined(rest, holder, key, _create_error, value)
            return ErrorValue(_PROD_MESSAGE)
        if code == "E":
            return FunctionSource(rest)
        if code == "Y":
            return Omitted(rest)
        if code == "P":
            if self.rules == "18":
                return ServerContextProvider(rest)
            return UNDEFINED  # 19.2 dev: a prototype marker; the key is dropped
        if code in "wH":
            return UNDEFINED
        # Anything else is a reference to a row, maybe with a path.
        return self._outlined(value[1:], holder, key, _create_model, value)

    def _parse_string_f0(self, holder: Any, key: Any, value: str) -> Any:
        """The 2022 dialect: ``@hex`` lazies, ``$``/``@`` escaped by a leading ``$``."""
        if value[0] == "@":
            row_id = self._hex(value[1:], value)
            return value if row_id is None else Lazy(self.get_chunk(row_id))
        if value == "$":
            return self._element
        if value[1] in "$@":
            return value[1:]
        return self._outlined(value[1:], holder, key, _create_model, value)

    def _hex(self, text: str, whole: str) -> int | None:
        # Lowercase hex, as React writes ids (isalnum + islower/isdigit is much cheaper than
        # a regex; int() then rejects the non-hex letters and digits that pass it).
        if len(text) <= 16 and text.isalnum() and (text.isdigit() or text.islower()):
            try:
                return int(text, 16)
            except ValueError:
                pass
        self.diagnostics.append(
            Diagnostic(f"not a row reference: {whole[:40]!r}", None, None, b"", "warning")
        )
        return None

    # -- references --------------------------------------------------------------------------

    def _outlined(self, reference: str, holder: Any, key: Any, map: _MapFn, whole: str) -> Any:
        """A reference to another chunk's value (``getOutlinedModel``)."""
        path = reference.split(":")
        row_id = self._hex(path[0], whole)
        if row_id is None:
            return whole  # not a reference after all: keep the text, nothing is lost
        if len(path) - 1 > self.limits.max_path_length:
            raise FlightLimitError(
                f"path reference of {len(path) - 1} steps, over max_path_length="
                f"{self.limits.max_path_length}",
                row_id=row_id,
            )
        chunk = self.get_chunk(row_id)
        if self.rules == "18":
            return self._outlined_18(chunk, holder, key, map)
        status = chunk.status
        if status in (_RESOLVED_MODEL, _RESOLVED_MODULE):
            self.initialize(chunk)
            status = chunk.status
        if status == _FULFILLED:
            value = chunk.value
            for i in range(1, len(path)):
                hops = 0
                while isinstance(value, Lazy):
                    hops = _hop(hops)
                    inner = value.promise
                    if inner.status in (_RESOLVED_MODEL, _RESOLVED_MODULE):
                        self.initialize(inner)
                    if inner.status == _FULFILLED:
                        value = inner.value
                    elif inner.status in (_BLOCKED, _PENDING):
                        if inner.status == _PENDING and self.closed:
                            return Pending(inner.id)
                        return self._wait(inner, holder, key, map, path[i - 1 :])
                    elif inner.status == _HALTED:
                        self._add_dependency()
                        return None
                    else:
                        self._error_dependency(inner.reason)
                        return None
                value = _step(value, path[i])
            value = self._unwrap_lazies(value)
            if map is _create_model:
                return value
            return self._built_once(reference, value, holder, key, map)
        if status in (_PENDING, _BLOCKED):
            if status == _PENDING and self.closed:
                return Pending(row_id)
            return self._wait(chunk, holder, key, map, path)
        if status == _HALTED:
            if self.closed:
                return Pending(row_id)
            self._add_dependency()
            return None
        self._error_dependency(chunk.reason)
        return None

    def _built_once(self, reference: str, value: Any, holder: Any, key: Any, map: _MapFn) -> Any:
        """Build a Map, Set, FormData, Blob or iterator once per reference text.

        React builds a new object each time ``"$Q1"`` is read.  A server never writes the
        same ``$Q`` twice (it writes a reference to the first Map instead), so only a
        hostile payload does — and there a fresh copy per reference doubles the graph at
        every level (``1:[["a","$Q0"],["b","$Q0"]]``...).  Sharing the one object keeps
        decoding and typed JSON linear.
        """
        slot = (reference, map)
        built = self._built.get(slot)
        if built is None:
            built = self._built[slot] = map(value, holder, key)
        return built

    def _outlined_18(self, chunk: JSPromise, holder: Any, key: Any, map: _MapFn) -> Any:
        """React 18.3: plain references wait; ``$Q``/``$W``/``$h`` need the row already."""
        if chunk.status == _RESOLVED_MODEL or (
            chunk.status == _RESOLVED_MODULE and map is _create_model
        ):
            self.initialize(chunk)
        status = chunk.status
        if map is not _create_model:
            if status == _FULFILLED:
                return map(chunk.value, holder, key)
            if status == _PENDING and self.closed:
                return Pending(chunk.id)
            raise _Thrown(chunk.reason)
        if status == _FULFILLED:
            return chunk.value
        if status in (_PENDING, _BLOCKED, _CYCLIC):
            if status == _PENDING and self.closed:
                return Pending(chunk.id)
            parent_chunk = self._initializing
            cyclic = status == _CYCLIC
            blocked = self._blocked18
            if blocked is not None:
                if not cyclic:
                    blocked.deps += 1
            else:
                blocked = self._blocked18 = _Blocked18(0 if cyclic else 1)
            resolve = self._model_resolver_18(parent_chunk, holder, key, blocked)
            reject = self._model_rejecter_18(parent_chunk)
            self._then(chunk, resolve, reject)
            return None
        raise _Thrown(chunk.reason)

    def _model_resolver_18(
        self, chunk: JSPromise | None, parent: Any, key: Any, blocked: _Blocked18
    ) -> Callable[[Any], None]:
        def resolve(value: Any) -> None:
            _store(parent, key, value)
            blocked.deps -= 1
            if blocked.deps == 0 and chunk is not None and chunk.status == _BLOCKED:
                listeners = chunk.value
                chunk.status = _FULFILLED
                chunk.value = blocked.value
                if listeners is not None:
                    self._wake(listeners, blocked.value, chunk)

        return resolve

    def _model_rejecter_18(self, chunk: JSPromise | None) -> Callable[[Any], None]:
        def reject(error: Any) -> None:
            if chunk is not None:
                self._trigger_error(chunk, error)

        return reject

    def _then(
        self, chunk: JSPromise, resolve: Callable[[Any], None], reject: Callable[[Any], None]
    ) -> None:
        """``chunk.then(resolve, reject)`` with React's synchronous semantics."""
        if chunk.status in (_RESOLVED_MODEL, _RESOLVED_MODULE):
            self.initialize(chunk)
        if chunk.status == _FULFILLED:
            resolve(chunk.value)
        elif chunk.status in (_PENDING, _BLOCKED, _CYCLIC):
            if chunk.value is None:
                chunk.value = []
            chunk.value.append(resolve)
            if chunk.reason is None:
                chunk.reason = []
            chunk.reason.append(reject)
        elif chunk.status != _HALTED:
            reject(chunk.reason)

    def _unwrap_lazies(self, value: Any) -> Any:
        hops = 0
        while isinstance(value, Lazy):
            hops = _hop(hops)
            inner = value.promise
            if inner.status in (_RESOLVED_MODEL, _RESOLVED_MODULE):
                self.initialize(inner)
            if inner.status != _FULFILLED:
                break
            value = inner.value
        return value

    def _add_dependency(self) -> None:
        if self._handler is not None:
            self._handler.deps += 1
        else:
            self._handler = _Handler(None, 1)

    def _error_dependency(self, reason: Any) -> None:
        handler = self._handler
        if handler is not None:
            handler.errored = True
            handler.value = None
            handler.reason = reason
        else:
            handler = self._handler = _Handler(None, 0)
            handler.reason = reason
            handler.errored = True

    def _wait(self, chunk: JSPromise, holder: Any, key: Any, map: _MapFn, path: list[str]) -> None:
        """Leave a ``None`` placeholder and listen for ``chunk`` (``waitForReference``)."""
        handler = self._handler
        if handler is not None:
            handler.deps += 1
        else:
            handler = self._handler = _Handler(None, 1)
        _listen(chunk, _Reference(handler, holder, key, map, path))
        return None

    def _read_now(self, chunk: JSPromise, handler: _Handler) -> tuple[bool, Any]:
        """Whether a lazy's chunk can be read now, and its value: the element being
        blocked by ``handler`` reads as that element, a stored row is parsed first."""
        if chunk is handler.chunk:
            return True, handler.value
        if chunk.status in (_RESOLVED_MODEL, _RESOLVED_MODULE):
            self.initialize(chunk)
        if chunk.status == _FULFILLED:
            return True, chunk.value
        return False, None

    def _fulfill_reference(self, reference: _Reference, value: Any) -> None:
        """A chunk a reference waited for resolved: walk, map, patch (``fulfillReference``)."""
        handler = reference.handler
        parent = reference.parent
        key = reference.key
        path = reference.path
        try:
            for i in range(1, len(path)):
                hops = 0
                while isinstance(value, Lazy):
                    hops = _hop(hops)
                    inner = value.promise
                    ready, read = self._read_now(inner, handler)
                    if ready:
                        value = read
                        continue
                    if inner.status == _BLOCKED:
                        cyclic = _blocked_cycle(inner, reference)
                        if cyclic is not None:
                            value = cyclic.value
                            continue
                    if inner.status in (_BLOCKED, _PENDING):
                        del path[: i - 1]
                        _listen(inner, reference)
                        return
                    if inner.status == _HALTED:
                        return
                    self._reject_reference(reference, inner.reason)
                    return
                value = _own_step(value, path[i])
            hops = 0
            while isinstance(value, Lazy):
                hops = _hop(hops)
                ready, read = self._read_now(value.promise, handler)
                if not ready:
                    break
                value = read
            mapped = reference.map(value, parent, key)
            if key != "__proto__":
                _store(parent, key, mapped)
            if key == "" and handler.value is None:
                handler.value = mapped
            self._patch_element(parent, key, handler, mapped)
        except _Thrown as thrown:
            self._reject_reference(reference, thrown.value)
            return
        self._release(handler)

    def _patch_element(self, parent: Any, key: Any, handler: _Handler, value: Any) -> None:
        # A reference inside an element tuple patched the discarded tuple; mirror it onto
        # the element object the tuple became.
        if (
            isinstance(parent, list)
            and parent
            and parent[0] is self._element
            and isinstance(handler.value, Element)
        ):
            if key == 3:
                handler.value.props = value
            elif key == 4 and self.dev:
                handler.value.owner = value
            elif key == 5 and self.dev:
                handler.value.stack = value

    def _release(self, handler: _Handler) -> None:
        handler.deps -= 1
        if handler.deps == 0:
            chunk = handler.chunk
            if chunk is not None and chunk.status == _BLOCKED:
                listeners = chunk.value
                chunk.status = _FULFILLED
                chunk.value = handler.value
                chunk.reason = handler.reason
                if listeners is not None:
                    self._wake(listeners, handler.value, chunk)

    def _reject_reference(self, reference: _Reference, error: Any) -> None:
        handler = reference.handler
        if handler.errored:
            return
        handler.errored = True
        handler.value = None
        handler.reason = error
        chunk = handler.chunk
        if chunk is not None and chunk.status == _BLOCKED:
            self._trigger_error(chunk, error)

    def _wake(self, listeners: list[Any], value: Any, chunk: JSPromise) -> None:
        for listener in listeners:
            if isinstance(listener, _Reference):
                self._fulfill_reference(listener, value)
            else:
                listener(value)

    def _reject_listeners(self, listeners: list[Any], error: Any) -> None:
        for listener in listeners:
            if isinstance(listener, _Reference):
                self._reject_reference(listener, error)
            else:
                listener(error)

    def _wake_if_initialized(
        self, chunk: JSPromise, listeners: list[Any], rejecters: list[Any] | None
    ) -> None:
        status = chunk.status
        if status == _FULFILLED:
            self._wake(listeners, chunk.value, chunk)
            return
        if status == _BLOCKED and self.rules == "19":
            i = 0
            while i < len(listeners):
                listener = listeners[i]
                if isinstance(listener, _Reference):
                    cyclic = _blocked_cycle(chunk, listener)
                    if cyclic is not None:
                        self._fulfill_reference(listener, cyclic.value)
                        del listeners[i]
                        if rejecters is not None and listener in rejecters:
                            rejecters.remove(listener)
                        if chunk.status == _FULFILLED:
                            self._wake(listeners, chunk.value, chunk)
                            return
                        if chunk.status == _REJECTED:
                            if rejecters is not None:
                                self._reject_listeners(rejecters, chunk.reason)
                            return
                        continue
                i += 1
        if status in (_PENDING, _BLOCKED, _CYCLIC):
            if chunk.value:
                chunk.value.extend(listeners)
            else:
                chunk.value = listeners
            if chunk.reason:
                if rejecters:
                    chunk.reason.extend(rejecters)
            else:
                chunk.reason = rejecters
        elif status == _REJECTED and rejecters:
            self._reject_listeners(rejecters, chunk.reason)

    def _server_reference(self, meta: Any, holder: Any, key: Any) -> Any:
        if key == "then" or not isinstance(meta, dict):
            return None
        ref_id = meta.get("id")
        if self.rules == "19" and not isinstance(ref_id, str):
            return None
        bound = meta.get("bound")
        return ServerReference(ref_id, None if bound is None else bound)


#: Lazies that resolve to lazies: React follows them in a loop.  A payload can make one
#: resolve to itself, so the chain is cut after this many steps.
_MAX_HOPS = 1000


def _hop(count: int) -> int:
    count += 1
    if count > _MAX_HOPS:
        raise FlightLimitError("lazy references lead to each other in a circle")
    return count


def _listen(chunk: JSPromise, reference: _Reference) -> None:
    """Register a reference on both listener lists of a chunk, as React does."""
    if chunk.value is None:
        chunk.value = [reference]
    else:
        chunk.value.append(reference)
    if chunk.reason is None:
        chunk.reason = [reference]
    else:
        chunk.reason.append(reference)


def _root_listener(value: Any) -> None:
    """Stands for the consumer awaiting the root chunk; it needs nothing done."""


def _blocked_cycle(chunk: JSPromise, reference: _Reference) -> _Handler | None:
    """React's ``resolveBlockedCycle``: is ``reference`` (transitively) what ``chunk`` waits on?"""
    seen: set[int] = set()
    stack = [reference]
    while stack:
        ref = stack.pop()
        referenced = ref.handler.chunk
        if referenced is None:
            continue
        if referenced is chunk:
            return ref.handler
        if id(referenced) in seen:
            continue
        seen.add(id(referenced))
        listeners = referenced.value
        if isinstance(listeners, list):
            stack.extend(reversed([x for x in listeners if isinstance(x, _Reference)]))
    return None


def _store(parent: Any, key: Any, value: Any) -> None:
    if isinstance(parent, list):
        if isinstance(key, int) and 0 <= key < len(parent):
            parent[key] = value
    elif isinstance(parent, dict):
        if value is UNDEFINED:
            parent.pop(key, None)
        else:
            parent[key] = value


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
        raise _Thrown(ErrorValue("Invalid reference."))
    return found


def _create_model(value: Any, holder: Any, key: Any) -> Any:
    if key == "then" and isinstance(value, ServerReference):
        return None
    return value


def _create_map(value: Any, holder: Any, key: Any) -> JSMap:
    return JSMap.from_entries(value)


def _create_set(value: Any, holder: Any, key: Any) -> JSSet:
    return JSSet.from_values(value)


def _create_form_data(value: Any, holder: Any, key: Any) -> JSFormData:
    entries = []
    for pair in value if isinstance(value, list) else ():
        if isinstance(pair, list) and len(pair) >= 2:
            entries.append((pair[0], pair[1]))
    return JSFormData(entries)


def _create_blob(value: Any, holder: Any, key: Any) -> JSBlob:
    if not isinstance(value, list) or not value:
        return JSBlob("", b"")
    parts = []
    for part in value[1:]:
        if isinstance(part, JSTypedArray):
            parts.append(part.data)
        elif isinstance(part, str):
            parts.append(part.encode("utf-8", "surrogatepass"))
        elif isinstance(part, JSBlob):
            parts.append(part.data)
    return JSBlob(str(value[0]), b"".join(parts))


def _create_iterator(value: Any, holder: Any, key: Any) -> JSIterator:
    return JSIterator(list(value) if isinstance(value, list) else [])


def _create_error(value: Any, holder: Any, key: Any) -> ErrorValue:
    return _error_value(value if isinstance(value, dict) else {})


def _error_value(info: dict[str, Any]) -> ErrorValue:
    """An ``E`` row's JSON (or a ``$Z`` row's model) as an error value."""
    digest = info.get("digest")
    if "message" not in info:
        return ErrorValue(_PROD_MESSAGE, digest=digest if isinstance(digest, str) else None)
    known = {"message", "name", "digest", "env", "stack"}
    return ErrorValue(
        str(info.get("message")),
        str(info.get("name") or "Error"),
        digest if isinstance(digest, str) else None,
        info.get("env") if isinstance(info.get("env"), str) else None,
        info.get("stack"),
        {k: v for k, v in info.items() if k not in known},
    )


def _client_reference(model: Any) -> ClientReference | None:
    """Module metadata of an ``I`` row: ``[id, chunks, name, async?]`` or the 13.x object."""
    if isinstance(model, list) and len(model) >= 3:
        chunks: list[Any] = model[1] if isinstance(model[1], list) else []
        return ClientReference(
            model[0], tuple(chunks), str(model[2]), len(model) > 3 and bool(model[3])
        )
    if isinstance(model, dict) and "id" in model:
        listed = model.get("chunks")
        return ClientReference(
            model["id"],
            tuple(listed) if isinstance(listed, list) else (),
            str(model.get("name", "")),
            bool(model.get("async", False)),
        )
    return None


def _hint_call(code: str, model: Any) -> list[Any]:
    """The ReactDOM call a hint row stands for, as ``[code, *arguments]``."""
    if code in ("C", "m", "X", "M", "I") and isinstance(model, list):
        return [code, *model[:2]]
    if code == "L" and isinstance(model, list):
        return [code, *model[:3]] if len(model) == 3 else [code, *model[:2]]
    if code == "S" and isinstance(model, list):
        precedence = None if len(model) < 2 or model[1] == 0 else model[1]
        return [
            code,
            model[0] if model else None,
            precedence,
            model[2] if len(model) == 3 else None,
        ]
    return [code, model]
