"""Typed JSON: a lossless, JSON-able form of decoded values.

This is the format of the corpus oracles (what React's own client decoded, written out by
the corpus generator), so ``rsc-flight decode`` can be compared with React byte for byte:

* JSON values stand for themselves; an object with a key starting with ``$`` is wrapped as
  ``{"$type": "object", "value": {...}}`` so it cannot be mistaken for a marker;
* everything else is ``{"$type": ..., ...}`` (``undefined``, ``number`` for NaN/±Infinity/-0,
  ``bigint``, ``symbol``, ``Date``, ``Map``, ``Set``, typed arrays, ``element``,
  ``clientReference``, ``Promise``, ``Error``, ...);
* an object, array, Map, Set, element or promise met a second time — shared or cyclic —
  is ``{"$ref": "<JSON Pointer>"}`` to its first occurrence in depth-first order;
* lazies are transparent: they encode as what they resolve to, or
  ``{"$type": "thrown", "reason": ...}``.

Two extensions cover what React's client never shows because it reports "Connection
closed." instead: a value whose row never arrived is ``{"$type": "pending", "id": "<hex>"}``,
and such a promise is ``{"$type": "Promise", "status": "pending"}``.

The walk is iterative-safe in depth (bounded by ``Limits.max_depth``) and linear in the
size of the *graph*: shared values are written once, so a "billion laughs" payload does
not expand.
"""

from __future__ import annotations

import base64
import math
from typing import Any

from ..errors import FlightLimitError
from ..limits import DEFAULT_LIMITS, Limits, recursion_room
from .values import (
    UNDEFINED,
    ClientReference,
    Element,
    ErrorRaised,
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

__all__ = ["to_typed_json"]

_MAX_SAFE = 2**53


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class _Encoder:
    def __init__(self, limits: Limits) -> None:
        self.seen: dict[int, str] = {}
        self.keep: list[Any] = []  # keeps encoded objects alive so their ids stay unique
        self.nodes = 0
        self.limits = limits

    def encode(self, value: Any, pointer: str, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_expansion:
            raise FlightLimitError(
                f"typed JSON would exceed max_expansion={self.limits.max_expansion} nodes"
            )
        if depth > self.limits.max_depth:
            raise FlightLimitError(f"values nest deeper than max_depth={self.limits.max_depth}")
        kind = type(value)
        if value is None or kind is bool or kind is str:
            return value
        if kind is int:
            return value
        if kind is float:
            return _number(value)
        if isinstance(value, Lazy):
            return self._lazy(value, pointer, depth)
        if kind is dict or kind is list or isinstance(value, (Element, JSMap, JSSet, JSPromise)):
            ref = self.seen.get(id(value))
            if ref is not None:
                return {"$ref": ref}
            self.seen[id(value)] = pointer
            self.keep.append(value)
        depth += 1
        if kind is dict:
            if any(k.startswith("$") for k in value):
                inner = {
                    k: self.encode(v, f"{pointer}/value/{_escape(k)}", depth)
                    for k, v in value.items()
                }
                return {"$type": "object", "value": inner}
            return {k: self.encode(v, f"{pointer}/{_escape(k)}", depth) for k, v in value.items()}
        if kind is list:
            return [self.encode(v, f"{pointer}/{i}", depth) for i, v in enumerate(value)]
        if isinstance(value, Element):
            out = {
                "$type": "element",
                "type": self.encode(value.type, f"{pointer}/type", depth),
                "key": self.encode(value.key, f"{pointer}/key", depth),
                "props": self.encode(value.props, f"{pointer}/props", depth),
            }
            if value.ref is not None and value.ref is not UNDEFINED:
                out["ref"] = self.encode(value.ref, f"{pointer}/ref", depth)
            return out
        if value is UNDEFINED:
            return {"$type": "undefined"}
        if isinstance(value, JSBigInt):
            return {"$type": "bigint", "value": str(int(value))}
        if isinstance(value, int):
            return int(value)
        if isinstance(value, JSSymbol):
            return {"$type": "symbol", "key": value.key}
        if isinstance(value, JSDate):
            iso = value.isoformat()
            return None if iso is None else {"$type": "Date", "value": iso}
        if isinstance(value, JSMap):
            return {
                "$type": "Map",
                "entries": [
                    [
                        self.encode(k, f"{pointer}/entries/{i}/0", depth),
                        self.encode(v, f"{pointer}/entries/{i}/1", depth),
                    ]
                    for i, (k, v) in enumerate(value.entries)
                ],
            }
        if isinstance(value, JSSet):
            return {
                "$type": "Set",
                "values": [
                    self.encode(v, f"{pointer}/values/{i}", depth)
                    for i, v in enumerate(value.values)
                ],
            }
        if isinstance(value, ClientReference):
            return {
                "$type": "clientReference",
                "id": str(value.id),
                "name": value.name or "default",
            }
        if isinstance(value, JSPromise):
            return self._promise(value, pointer, depth)
        if isinstance(value, ErrorValue):
            return _error(value)
        if isinstance(value, JSTypedArray):
            return {"$type": value.type_name, "base64": base64.b64encode(value.data).decode()}
        if isinstance(value, JSBlob):
            return {
                "$type": "Blob",
                "type": value.type,
                "base64": base64.b64encode(value.data).decode(),
            }
        if isinstance(value, JSFormData):
            return {
                "$type": "FormData",
                "entries": [
                    [
                        name
                        if isinstance(name, str)
                        else self.encode(name, f"{pointer}/entries/{i}/0", depth),
                        self.encode(v, f"{pointer}/entries/{i}/1", depth),
                    ]
                    for i, (name, v) in enumerate(value.entries)
                ],
            }
        if isinstance(value, ServerReference):
            bound: Any = []
            if isinstance(value.bound, JSPromise):
                value.bound._settle()
                if value.bound.status == "fulfilled" and isinstance(value.bound.value, list):
                    bound = [
                        self.encode(v, f"{pointer}/bound/{i}", depth)
                        for i, v in enumerate(value.bound.value)
                    ]
            elif isinstance(value.bound, list):
                bound = [
                    self.encode(v, f"{pointer}/bound/{i}", depth) for i, v in enumerate(value.bound)
                ]
            ref_id = (
                value.id
                if isinstance(value.id, str)
                else self.encode(value.id, f"{pointer}/id", depth)
            )
            return {"$type": "serverReference", "id": ref_id, "bound": bound}
        if isinstance(value, JSIterator):
            return {
                "$type": "Iterator",
                "values": [
                    self.encode(v, f"{pointer}/values/{i}", depth)
                    for i, v in enumerate(value.values)
                ],
            }
        if isinstance(value, JSReadableStream):
            out = {
                "$type": "ReadableStream",
                "chunks": [
                    self.encode(v, f"{pointer}/chunks/{i}", depth)
                    for i, v in enumerate(value.chunks)
                ],
            }
            if value.error is not None:
                out["error"] = self.encode(value.error, f"{pointer}/error", depth)
            return out
        if isinstance(value, JSAsyncIterable):
            out = {
                "$type": "AsyncIterator" if value.iterator else "AsyncIterable",
                "values": [
                    self.encode(v, f"{pointer}/values/{i}", depth)
                    for i, v in enumerate(value.values)
                ],
                "return": self.encode(value.return_value, f"{pointer}/return", depth),
            }
            if value.error is not None:
                out["error"] = self.encode(value.error, f"{pointer}/error", depth)
            return out
        if isinstance(value, Pending):
            return {"$type": "pending", "id": None if value.id is None else format(value.id, "x")}
        if isinstance(value, FunctionSource):
            return {"$type": "function", "source": value.source}
        if isinstance(value, ServerContextProvider):
            return {"$type": "serverContextProvider", "name": value.name}
        if isinstance(value, TemporaryReference):
            return {"$type": "temporaryReference", "key": value.key}
        if isinstance(value, Omitted):
            return {"$type": "omitted"}
        return {"$type": "unknown", "repr": repr(value)[:200]}

    def _lazy(self, value: Lazy, pointer: str, depth: int) -> Any:
        try:
            resolved = value.result
        except ErrorRaised as thrown:
            return {
                "$type": "thrown",
                "reason": self.encode(thrown.value, f"{pointer}/reason", depth + 1),
            }
        if isinstance(resolved, Pending):
            return self.encode(resolved, pointer, depth + 1)
        return self.encode(resolved, pointer, depth + 1)

    def _promise(self, value: JSPromise, pointer: str, depth: int) -> Any:
        value._settle()
        if value.status == "fulfilled":
            return {
                "$type": "Promise",
                "status": "fulfilled",
                "value": self.encode(value.value, f"{pointer}/value", depth),
            }
        if value.status == "rejected":
            return {
                "$type": "Promise",
                "status": "rejected",
                "reason": self.encode(value.reason, f"{pointer}/reason", depth),
            }
        return {"$type": "Promise", "status": "pending"}


def _number(value: float) -> Any:
    if math.isnan(value):
        return {"$type": "number", "value": "NaN"}
    if math.isinf(value):
        return {"$type": "number", "value": "Infinity" if value > 0 else "-Infinity"}
    if value == 0 and math.copysign(1.0, value) < 0:
        return {"$type": "number", "value": "-0"}
    if value.is_integer() and abs(value) < 1e21:
        return int(value)  # JavaScript prints integral numbers without a fraction
    return value


def _error(value: ErrorValue) -> dict[str, Any]:
    out: dict[str, Any] = {"$type": "Error", "name": value.name, "message": value.message}
    if value.digest is not None:
        out["digest"] = value.digest
    if value.environment_name is not None:
        out["environmentName"] = value.environment_name
    return out


def to_typed_json(value: Any, *, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Encode a decoded value as typed JSON (a structure ``json.dumps`` accepts).

    Shared and cyclic values become ``{"$ref": pointer}``; lazies and promises are read,
    so the whole graph is written.

    Raises:
        FlightLimitError: the output would pass ``limits.max_expansion`` nodes or
            ``limits.max_depth`` levels.
    """
    with recursion_room(limits):
        return _Encoder(limits).encode(value, "", 0)


def encode_document(
    root: Any, root_error: Any, hints: list[list[Any]], *, limits: Limits = DEFAULT_LIMITS
) -> dict[str, Any]:
    """The whole decode document: ``{"value": ...}`` or ``{"rootError": ...}``, plus hints."""
    encoder = _Encoder(limits)
    doc: dict[str, Any]
    if root_error is not None:
        doc = {"rootError": encoder.encode(root_error, "", 0)}
    else:
        doc = {"value": encoder.encode(root, "", 0)}
    doc["hints"] = [[_plain(x, encoder) for x in hint] for hint in hints]
    return doc


def _plain(value: Any, encoder: _Encoder) -> Any:
    """Hint arguments as ``JSON.stringify`` writes them: ``undefined``, NaN and infinities
    become ``null``, dates their ISO text.  Values JSON has no form for (only a hostile
    payload puts them in a hint) fall back to their typed-JSON form."""
    if value is UNDEFINED:
        return None
    kind = type(value)
    if value is None or kind is bool or kind is str or kind is int:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is list:
        return [_plain(v, encoder) for v in value]
    if kind is dict:
        return {k: _plain(v, encoder) for k, v in value.items() if v is not UNDEFINED}
    if isinstance(value, JSDate):
        return value.isoformat()
    return encoder.encode(value, "", 0)
