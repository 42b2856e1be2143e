"""Row intake: what a row of each kind does to its chunk (``processFullStringRow``).

The resolver takes model rows itself (:meth:`Resolver.add`, the commonest by far); every
other kind is handled by its function here, found by :func:`intake_of` from the row's
class.  Each takes the resolver, the row and its id (``0`` for an id-less row, as React
folds it) and works through the resolver's chunk operations, so the chunk semantics stay
in :mod:`.resolver`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import FlightSyntaxError
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
from . import _chunks as c
from ._builders import client_reference, error_value, hint_call
from ._references import wake
from ._revive import loads
from ._streams import StreamController
from ._tape import Thrown
from .values import ErrorValue, JSSymbol, JSTypedArray, ServerContextProvider

if TYPE_CHECKING:
    from .resolver import Resolver

__all__ = ["Intake", "intake_of"]

#: ``(resolver, row, row id)``: a row taken in.
Intake = Callable[["Resolver", Any, int], None]


def add_model(r: Resolver, row: ModelRow, row_id: int) -> None:
    r._add_model(row, row_id)


def add_text(r: Resolver, row: TextRow, row_id: int) -> None:
    r._resolve_value(row_id, row.payload, row)


def add_binary(r: Resolver, row: BinaryRow, row_id: int) -> None:
    value = JSTypedArray(row.type_name if row.tag != "A" else "ArrayBuffer", row.payload)
    if row.tag == "b":
        chunk = r.chunks.get(row_id)
        if chunk is not None and isinstance(chunk.reason, StreamController):
            chunk.reason.enqueue_value(value)
            return
    r._resolve_value(row_id, value, row)


def add_import(r: Resolver, row: ImportRow, row_id: int) -> None:
    try:
        model = r._parse_detached(row.payload)
    except (ValueError, Thrown) as exc:
        r._problem(f"import row is not valid: {exc}", row, FlightSyntaxError, "invalid-import-row")
        return
    reference = client_reference(model)
    if reference is None:
        r._problem(
            "import row does not describe a module",
            row,
            FlightSyntaxError,
            "import-not-a-module",
        )
        return
    r._resolve_value(row_id, reference, row)


def add_hint(r: Resolver, row: HintRow, row_id: int) -> None:
    try:
        model = r._parse_detached(row.payload)
    except (ValueError, Thrown) as exc:
        r._problem(f"hint row is not valid JSON: {exc}", row, FlightSyntaxError, "invalid-hint-row")
        return
    r.hints.append(hint_call(row.code, model))


def add_error(r: Resolver, row: ErrorRow, row_id: int) -> None:
    try:
        info = loads(row.payload)
    except ValueError as exc:
        r._problem(
            f"error row is not valid JSON: {exc}", row, FlightSyntaxError, "invalid-error-row"
        )
        info = {}
    r._reject(row_id, error_value(info if isinstance(info, dict) else {}))


def add_debug(r: Resolver, row: DebugRow, row_id: int) -> None:
    r.dev = True
    r.debug.setdefault(row.id, []).append(row)


def add_stream(r: Resolver, row: StreamRow, row_id: int) -> None:
    controller = StreamController(r, row.tag)
    r._streams.append(controller)
    chunk = r.chunks.get(row_id)
    if chunk is None:
        r.chunks[row_id] = c.fulfilled_chunk(r, controller.stream, row_id, controller)
    elif chunk.status == c.PENDING:
        listeners = chunk.value
        chunk.status = c.FULFILLED
        chunk.value = controller.stream
        chunk.reason = controller
        if listeners is not None:
            wake(r, listeners, controller.stream)


def add_close(r: Resolver, row: CloseRow, row_id: int) -> None:
    chunk = r.chunks.get(row_id)
    if chunk is not None and isinstance(chunk.reason, StreamController):
        chunk.reason.close(row.payload)


def add_symbol(r: Resolver, row: SymbolRow, row_id: int) -> None:
    try:
        name = loads(row.payload)
    except ValueError:
        name = row.payload
    r._resolve_value(row_id, JSSymbol(str(name)), row)


def add_provider(r: Resolver, row: ProviderRow, row_id: int) -> None:
    r._resolve_value(row_id, ServerContextProvider(row.payload), row)


def add_postpone(r: Resolver, row: PostponeRow, row_id: int) -> None:
    error = ErrorValue("This chunk was postponed (partial prerendering).", "Postpone")
    r._reject(row_id, error)


def add_unknown(r: Resolver, row: Row, row_id: int) -> None:
    """The tokenizer already reported it; React would misread it as a model."""


#: Row intake by row kind (``processFullStringRow``'s switch on the tag).
_INTAKE: dict[type[Row], Intake] = {
    ModelRow: add_model,
    TextRow: add_text,
    BinaryRow: add_binary,
    ImportRow: add_import,
    HintRow: add_hint,
    ErrorRow: add_error,
    DebugRow: add_debug,
    StreamRow: add_stream,
    CloseRow: add_close,
    SymbolRow: add_symbol,
    ProviderRow: add_provider,
    PostponeRow: add_postpone,
    UnknownRow: add_unknown,
}


def intake_of(kind: type[Row]) -> Intake:
    """The intake of a row class: its own, or (not in the table) its nearest listed base's."""
    intake = _INTAKE.get(kind)
    if intake is not None:
        return intake
    for base in kind.__mro__:
        intake = _INTAKE.get(base)
        if intake is not None:
            return intake
    return add_unknown
