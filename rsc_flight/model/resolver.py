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

Structure
---------
A row's model is revived in two phases: :mod:`._revive` turns its JSON into values with no
chunk state, leaving a tape of the sites that need it (the ``$`` codes come from the one
table in :mod:`._codes`); :func:`._references.replay` performs those sites in the order a
one-pass reviver meets them.  This module keeps the chunk table and takes model rows; the
rest is one module per job: the intake of the other row kinds (:mod:`._intake`, a table
by row kind), chunk states and factories (:mod:`._chunks`), reference following and
listeners (:mod:`._references`), the React 18 and 19 strategies (:mod:`._rules`),
streams (:mod:`._streams`), and what rows and codes build (:mod:`._builders`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal, NoReturn, cast

from ..errors import Diagnostic, FlightError, FlightLimitError, FlightSyntaxError
from ..limits import DEFAULT_LIMITS, Limits
from ..wire.rows import (
    ImportRow,
    ModelRow,
    Row,
    TextRow,
)
from . import _chunks as c
from ._builders import BuildFn, client_reference
from ._chunks import Blocked18, Handler, Reference
from ._intake import intake_of
from ._phase1 import resolver_parts
from ._references import (
    patch_element,
    reject_listeners,
    release,
    replay,
    wake,
    wake_if_initialized,
)
from ._revive import ModelContext, loads, quick_loads
from ._rules import RULES, RuleSet
from ._streams import StreamController
from ._tape import LAZY, Tape, Thrown
from .values import ClientReference, ErrorValue, JSPromise, Pending
from .walk import Budget

__all__ = ["Resolver"]

#: What the native phase 1 gives for a row: ``(holder, tape)``.
Decoded = tuple[dict[str, Any], Tape]
#: The chunk states the native loops set and test: (pending, resolved_model, fulfilled).
_STATUSES = (c.PENDING, c.RESOLVED_MODEL, c.FULFILLED)
#: A phase-1 result that says the native engine left the row to the reference: falsy,
#: where a real result is a 2-tuple.
REFUSED = cast("Decoded", ())


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
        rule_set = RULES.get(rules)
        if rule_set is None:
            raise ValueError(f"rules must be '18' or '19', not {rules!r}")
        self.rules: Literal["18", "19"] = rule_set.name
        self.tag_first = tag_first
        self.limits = limits
        self.strict = strict
        self.chunks: dict[int, JSPromise] = {}
        self.hints: list[list[Any]] = []
        self.debug: dict[int | None, list[Row]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.closed = False
        #: Missing chunks that got a listener after close() began (see _chunks.fill_holes).
        self.reopened: list[JSPromise] = []
        self.dev = False
        self._rules: RuleSet = rule_set
        #: phase 1's context and its native decoder (None: the reference); the chunk
        #: factory (``JSPromise(status, value, reason, id, owner)``, made in C by the
        #: native engine); resolve_all's walk, add_rows's loop, _settle_plain, link_lazies,
        #: the plain sites of _references.replay and release_settled in C, or None
        self._context: ModelContext
        self._native: Callable[[str], Decoded | None] | None
        self._new_chunk: Callable[..., JSPromise]
        self._walk: Callable[..., None] | None
        self._add_rows: Callable[..., None] | None
        self._plain: Callable[..., bool] | None
        self._link: Callable[..., int] | None
        self._replay: Callable[..., int] | None
        self._release: Callable[..., None] | None
        (
            self._context,
            self._native,
            self._new_chunk,
            self._walk,
            self._add_rows,
            self._plain,
            self._link,
            self._replay,
            self._release,
        ) = resolver_parts(rule_set.rules19, tag_first, limits)
        self._handler: Handler | None = None  # React 19's initializingHandler
        self._initializing: JSPromise | None = None  # React 18.3's initializingChunk
        self._blocked18: Blocked18 | None = None  # ... and its initializingChunkBlockedModel
        self._current: JSPromise | None = None  # the chunk whose model is being parsed
        self._built: dict[tuple[Any, BuildFn], tuple[Any, Any]] = {}  # _built_once's
        self._offsets: dict[int, Row] = {}  # the model row of each id (for positions)
        #: the rows add_rows took, by call, and the first model row of each id among them
        #: (indexed up to call _indexed when an error needs a position: _stored_row)
        self._taken_rows: list[tuple[Row, ...]] = []
        self._first_rows: dict[int, Row] = {}
        self._indexed = 0
        self._streams: list[StreamController] = []
        self._init_depth = 0
        #: The chunk each blocked handler fills (``handler.chunk``), for the blocked-cycle
        #: check's search from the waiting end.
        self._handler_of: dict[int, Handler] = {}
        #: The work of following references (cycle checks, lazy hops, waking waiters at
        #: close, entries of built objects), charged against ``limits.max_expansion``.
        self.budget = Budget(limits, "decoding")
        # A consumer awaits the root from the start (``createFromReadableStream`` hands it
        # out at once), so row 0 is parsed the moment it arrives; other rows wait until
        # something reads them.  This order decides where React leaves placeholders.
        self.get_chunk(0).value = [_root_listener]

    # -- chunks ----------------------------------------------------------------------------

    def get_chunk(self, row_id: int) -> JSPromise:
        """The chunk for ``row_id``, created pending on first mention."""
        chunk = self.chunks.get(row_id)
        if chunk is None:
            # (c.pending_chunk, inlined: a chunk per row, and two calls were a tenth of
            # the resolver's time on a page of small rows)
            chunk = self.chunks[row_id] = self._new_chunk(c.PENDING, None, None, row_id, self)
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
        The native engine walks in C (``Reviver.resolve_all``, this loop's twin: the
        loop's own steps were a third of the time on a page of many small rows).
        """
        root = self.chunks.get(0)
        if root is None:
            return
        early = self._init_depth < self.limits.max_depth  # (else initialize raises)
        if early and self._walk is not None:
            self._walk(self, root, self.chunks, self._initialize_read, REFUSED, _STATUSES)
            return
        seen: set[JSPromise] = set()  # (identity: a chunk has no __eq__)
        stack = [root]
        phase1 = self._phase1 if early else None
        resolved = c.RESOLVED_MODEL
        while stack:
            chunk = stack.pop()
            if chunk in seen:
                continue
            seen.add(chunk)
            if chunk.status == resolved:
                decoded = phase1(chunk.value) if phase1 is not None else None
                plain = decoded is not None and bool(decoded)
                plain = plain and self._settle_plain(chunk, cast("Decoded", decoded))
                if not plain:
                    self._initialize_read(chunk, decoded)
            if chunk._links:
                stack.extend(reversed(chunk._links))

    def release_settled(self) -> None:
        """The end of reading: see :func:`._chunks.release_settled` (its twin in C with
        the native engine, ``Reviver.release_settled``: it ran at the end of every parse)."""
        if self._release is not None:
            self._release(self.chunks, c.FULFILLED, c.REJECTED)
        else:
            c.release_settled(self.chunks.values())

    def _initialize_read(self, chunk: JSPromise, decoded: Decoded | None) -> None:
        """:meth:`initialize` for a chunk the walk of :meth:`resolve_all` reads."""
        try:
            self.initialize(chunk, decoded)
        except RecursionError:
            raise _too_deep(None, chunk.id) from None

    def _phase1(self, text: str) -> Decoded:
        """Phase 1 of a model row ahead of its initialisation, or :data:`REFUSED`.

        Phase 1 is pure, so it may run before the chunk state is set up.  Whatever goes
        wrong in it (invalid JSON, a limit, a throw) is left to :meth:`_parse_model`,
        which runs it again where its problems are reported and its throws caught.
        """
        if self._native is not None:
            return self._native(text) or REFUSED
        try:
            return self._context._walk(quick_loads(text))
        except Exception:  # redone in place by _parse_model
            return REFUSED

    def _settle_plain(self, chunk: JSPromise, decoded: Decoded) -> bool:
        """Fulfil ``chunk`` from its phase-1 result when its tape holds lazies only; False
        (nothing done) for any other site.

        What :meth:`initialize` does for such a row under either rule set, without its
        set-up: no site but a lazy can block the chunk, set a handler or add a listener, so
        the chunk is fulfilled at once.  Most rows of a page are like this, and the
        per-row calls were most of the resolver's own time on a page of many rows.
        """
        if self._plain is not None:
            return self._plain(self, chunk, decoded, self.chunks, _STATUSES)
        holder, tape = decoded
        if tape:
            for site in tape:
                if site[0] != LAZY:
                    return False
            chunks = self.chunks
            links = chunk._links  # the mentions, in order, for resolve_all (get_chunk's)
            if links is None:
                links = chunk._links = []
            for site in tape:
                target = chunks.get(site[2])
                if target is None:
                    target = chunks[site[2]] = self._new_chunk(c.PENDING, None, None, site[2], self)
                links.append(target)
                site[1].promise = target
        if tape.dev:  # (an element with development fields, with or without sites)
            self.dev = True
        chunk.status = c.FULFILLED
        chunk.value = holder[""]
        chunk.reason = None
        return True

    def new_model_chunk(self, text: str, row_id: int | None) -> JSPromise:
        return self._new_chunk(c.RESOLVED_MODEL, text, None, row_id, self)  # (c.model_chunk)

    def _problem(self, reason: str, row: Row | None, error: type[FlightError], code: str) -> None:
        offset = row.offset if row is not None else None
        row_id = row.id if row is not None else None
        if self.strict:
            raise error(reason, offset=offset, row_id=row_id)
        self.diagnostics.append(Diagnostic(reason, offset, row_id, b"", "error", code))

    # -- rows ------------------------------------------------------------------------------

    def add_rows(self, rows: Iterable[Row]) -> None:
        """:meth:`add` each row, in stream order.

        The commonest row, a model row for a chunk nothing waits on yet (not mentioned,
        or mentioned and not read), only stores its text: what :meth:`add` does, without
        the calls or noting the row in ``_offsets`` (:meth:`_where` finds it in the rows
        kept here); in C with the native engine, which takes rows others wait on too.
        """
        self._taken_rows.append(rows := tuple(rows))
        if self._add_rows is not None:
            kinds = (ModelRow, ImportRow, client_reference, TextRow, ClientReference)
            wake = (self.initialize, wake_if_initialized, _too_deep)
            self._add_rows(self, rows, self.chunks, self._offsets, kinds, self.add, _STATUSES, wake)
            return
        chunks = self.chunks
        new_chunk = self._new_chunk
        for row in rows:
            if type(row) is ModelRow and row.payload and row.id is not None:
                row_id = row.id
                chunk = chunks.get(row_id)
                if chunk is None:
                    chunks[row_id] = new_chunk(c.RESOLVED_MODEL, row.payload, None, row_id, self)
                    continue
                if chunk.status == c.PENDING and chunk.value is None:  # mentioned, unread
                    chunk.status = c.RESOLVED_MODEL
                    chunk.value = row.payload
                    chunk.reason = None
                    continue
            self.add(row)

    def add(self, row: Row) -> None:
        """Take one row, in stream order (``processFullStringRow`` / ``BinaryRow``)."""
        row_id = 0 if row.id is None else row.id  # React folds no id into 0
        try:
            if type(row) is ModelRow:  # most rows: _add_model's steps, without its call
                self._offsets[row_id] = row
                if row.payload == "" and self._rules.halts_empty_rows:
                    self._halt(row_id)
                else:
                    self._resolve_model(row_id, row.payload, row)
                return
            intake_of(type(row))(self, row, row_id)
        except RecursionError:
            raise _too_deep(row.offset, row.id) from None

    def _add_model(self, row: ModelRow, row_id: int) -> None:
        self._offsets[row_id] = row
        if row.payload == "" and self._rules.halts_empty_rows:
            self._halt(row_id)
        else:
            self._resolve_model(row_id, row.payload, row)

    def _resolve_model(self, row_id: int, text: str, row: Row) -> None:
        chunk = self.chunks.get(row_id)
        if chunk is None:  # (new_model_chunk, inlined)
            self.chunks[row_id] = self._new_chunk(c.RESOLVED_MODEL, text, None, row_id, self)
            return
        if isinstance(chunk.reason, StreamController) and chunk.status == c.FULFILLED:
            chunk.reason.enqueue_model(text)
            return
        if chunk.status != c.PENDING:
            self._problem(
                f"a second model row for chunk {row_id:x}", row, FlightSyntaxError, "duplicate-row"
            )
            return
        listeners, rejecters = chunk.value, chunk.reason
        chunk.status = c.RESOLVED_MODEL
        chunk.value = text
        chunk.reason = None
        if listeners is not None:
            self.initialize(chunk)
            wake_if_initialized(self, chunk, listeners, rejecters)

    def _resolve_value(self, row_id: int, value: Any, row: Row) -> None:
        chunk = self.chunks.get(row_id)
        if chunk is None:  # (c.fulfilled_chunk, inlined)
            self.chunks[row_id] = self._new_chunk(c.FULFILLED, value, None, row_id, self)
            return
        if isinstance(chunk.reason, StreamController) and chunk.status == c.FULFILLED:
            chunk.reason.enqueue_value(value)
            return
        if chunk.status != c.PENDING:
            self._problem(
                f"a second row for chunk {row_id:x}", row, FlightSyntaxError, "duplicate-row"
            )
            return
        listeners = chunk.value
        chunk.status = c.FULFILLED
        chunk.value = value
        chunk.reason = None
        if listeners is not None:
            wake(self, listeners, value)

    def _reject(self, row_id: int, error: Any) -> None:
        chunk = self.chunks.get(row_id)
        if chunk is None:
            self.chunks[row_id] = c.rejected_chunk(self, error, row_id)
            return
        self._trigger_error(chunk, error)

    def _trigger_error(self, chunk: JSPromise, error: Any) -> None:
        if chunk.status not in (c.PENDING, c.BLOCKED, c.CYCLIC):
            if isinstance(chunk.reason, StreamController):
                chunk.reason.error(error)
            return
        rejecters = chunk.reason
        chunk.status = c.REJECTED
        chunk.reason = error
        if rejecters is not None:
            reject_listeners(self, rejecters, error)

    def _halt(self, row_id: int) -> None:
        chunk = self.get_chunk(row_id)
        if chunk.status == c.PENDING:
            chunk.status = c.HALTED

    def close(self) -> None:
        """The stream ended.  Missing rows become :class:`Pending` values."""
        self.closed = True
        try:
            for controller in self._streams:
                controller.materialize()
            c.fill_holes(self)
        except RecursionError:
            raise _too_deep(None, None) from None

    def _fill_hole(self, listener: Any, hole: Pending) -> None:
        """Put ``hole`` where a reference waits, and release what waited on it."""
        if not isinstance(listener, Reference):
            listener(hole)
            return
        handler = listener.handler
        parent = listener.parent
        key = listener.key
        c.store(parent, key, hole)
        if key == "" and handler.value is None:
            handler.value = hole
        patch_element(self, parent, key, handler, hole)
        release(self, handler)

    # -- initialisation --------------------------------------------------------------------

    def initialize(self, chunk: JSPromise, decoded: Decoded | None = None) -> None:
        """Parse a ``resolved_model`` chunk (``initializeModelChunk``); ``decoded``: its
        text's phase-1 result, when the caller already has it."""
        if chunk.status != c.RESOLVED_MODEL:
            return
        self._init_depth += 1
        if self._init_depth > self.limits.max_depth:
            self._init_depth -= 1
            raise FlightLimitError(
                f"references nest deeper than max_depth={self.limits.max_depth}",
                row_id=chunk.id,
            )
        if decoded is None:  # (a row read by a reference)
            native, plain = self._native, self._plain
            if native is not None and plain is not None:  # (_phase1, _settle_plain: in C)
                decoded = native(chunk.value) or REFUSED
                settled = bool(decoded) and plain(self, chunk, decoded, self.chunks, _STATUSES)
            else:
                decoded = self._phase1(chunk.value)
                settled = bool(decoded) and self._settle_plain(chunk, decoded)
            if settled:
                self._init_depth -= 1
                return
        previous = self._current
        self._current = chunk
        try:
            self._rules.initialize(self, chunk, decoded)
        finally:
            self._init_depth -= 1
            self._current = previous

    def _parse_model(
        self, text: str, chunk: JSPromise | None, decoded: Decoded | None = None
    ) -> Any:
        """Parse and revive one model: phase 1 (pure), then the replay of its sites.

        ``decoded`` is the native phase 1's result for ``text`` when the caller has it
        (:data:`REFUSED` when it left the row to the reference).
        """
        if decoded is None and self._native is not None:
            decoded = self._native(text)
        if not decoded:  # the reference engine, or a row the native one leaves to it
            try:
                raw = quick_loads(text)
            except ValueError:  # orjson refused it: JSON.parse may not (see loads)
                raw = self._loads(text, chunk)
        try:
            holder, tape = decoded or self._context._walk(raw)
            if not tape:
                if tape.dev:
                    self.dev = True
                return holder[""]
            if tape.dev:
                self.dev = True
            at = self.link_lazies(tape, 0)  # lazies first, the commonest: linked here
            if at < len(tape):
                return replay(self, holder, tape, at)
            return holder[""]
        except RecursionError:
            raise FlightLimitError("values nest too deeply", row_id=_id(chunk)) from None

    def _loads(self, text: str, chunk: JSPromise | None) -> Any:
        """A model's JSON as ``JSON.parse`` reads it, its problems reported at its row."""
        try:
            return loads(text, self.limits.max_depth)
        except FlightLimitError as exc:  # nested deeper than max_depth: refused unparsed
            raise self._positioned(exc.reason, chunk) from None
        except ValueError as exc:
            self._json_error(text, chunk, exc)
        except RecursionError:
            raise self._positioned("JSON nests too deeply", chunk) from None

    def _positioned(self, reason: str, chunk: JSPromise | None) -> FlightLimitError:
        """A limit error at the row of ``chunk`` (its offset when the row was read here)."""
        offset, row = self._where(chunk)
        return FlightLimitError(reason, offset=offset, row_id=row)

    def _where(self, chunk: JSPromise | None) -> tuple[int | None, int | None]:
        """The offset and the id of the model row of ``chunk``, as far as they are known."""
        row_id = _id(chunk)
        if row_id is None:
            return None, None
        row = self._offsets.get(row_id) or self._stored_row(row_id)
        return (row.offset, row.id) if row is not None else (None, row_id)

    def _stored_row(self, row_id: int) -> Row | None:
        """The model row :meth:`add_rows` stored for chunk ``row_id`` without noting it in
        ``_offsets`` (a dict insert a row was a tenth of an unread row's cost): the chunk
        was pending, and is never again, so it is the first model row of its id taken."""
        taken = self._taken_rows
        first = self._first_rows
        for rows in taken[self._indexed :]:
            for row in rows:
                if type(row) is ModelRow and row.id is not None and row.id not in first:
                    first[row.id] = row
        self._indexed = len(taken)
        return first.get(row_id)

    def _json_error(self, text: str, chunk: JSPromise | None, exc: ValueError) -> NoReturn:
        """A model row that is not JSON: the chunk fails with a ``SyntaxError``, as
        ``JSON.parse`` would make it; the problem is recorded (or raised, strict)."""
        offset, row = self._where(chunk)
        reason = f"model row is not valid JSON: {exc}"
        if self.strict:
            raise FlightSyntaxError(reason, offset=offset, row_id=row) from None
        self.diagnostics.append(
            Diagnostic(reason, offset, row, text[:200].encode(), "error", "json-syntax")
        )
        raise Thrown(ErrorValue(str(exc), "SyntaxError")) from None

    def link_lazies(self, tape: Tape, at: int) -> int:
        """Link the run of lazy sites of ``tape`` from ``at`` to their chunks (each made
        pending if new, mentioned in the links of the chunk being read, as
        :meth:`get_chunk` does); the index of the first site that is not a lazy.

        Most sites of a page are lazies in runs; the native engine links a run in C
        (``Reviver.link_lazies``).
        """
        if self._link is not None:
            return self._link(self, tape, at, self.chunks, self._current, c.PENDING)
        get_chunk = self.get_chunk
        n = len(tape)
        while at < n:
            site = tape[at]
            if site[0] != LAZY:
                break
            site[1].promise = get_chunk(site[2])
            at += 1
        return at

    def _parse_detached(self, text: str) -> Any:
        """Parse a hint or import row: the same reviver, outside any chunk."""
        previous = self._handler
        self._handler = None
        try:
            return self._parse_model(text, None)
        finally:
            self._handler = previous


def _too_deep(offset: int | None, row_id: int | None) -> FlightLimitError:
    """Rows that wake rows that wake rows...: resolving one row ran deeper than the
    recursion limit (React's client would overflow its stack as well)."""
    return FlightLimitError(
        "references wake each other deeper than the recursion limit allows",
        offset=offset,
        row_id=row_id,
    )


def _id(chunk: JSPromise | None) -> int | None:
    return chunk.id if chunk is not None else None


def _root_listener(value: Any) -> None:
    """Stands for the consumer awaiting the root chunk; it needs nothing done."""
