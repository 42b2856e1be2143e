"""Typed JSON: a lossless, JSON-able form of decoded values.

This is the format of the corpus oracles (what React's own client decoded, written out by
the corpus generator), so ``rsc-flight decode`` can be compared with React byte for byte:

* JSON values stand for themselves; an object with a key starting with ``$`` is wrapped as
  ``{"$type": "object", "value": {...}}`` so it cannot be mistaken for a marker;
* everything else is ``{"$type": ..., ...}`` (``undefined``, ``number`` for NaN/±Infinity/-0,
  ``bigint``, ``symbol``, ``Date``, ``Map``, ``Set``, typed arrays, ``element``,
  ``clientReference``, ``Promise``, ``Error``, ...);
* an object, array, Map, Set, element, promise, stream or async iterable met a second
  time — shared or cyclic — is ``{"$ref": "<JSON Pointer>"}`` to its first occurrence in
  depth-first order.  Streams and async iterables are rows (``R``, ``r``, ``X``, ``x``):
  every ``"$<id>"`` naming one is the same object in React's client, and Next 16 names
  its empty ``X`` row from every segment of the tree.  Iterators (``$i``), Blobs and
  FormData are not shared: React's client builds a new one at each reference;
* lazies are transparent: they encode as what they resolve to, or
  ``{"$type": "thrown", "reason": ...}``.

Two extensions cover what React's client never shows because it reports "Connection
closed." instead: a value whose row never arrived is ``{"$type": "pending", "id": "<hex>"}``,
and such a promise is ``{"$type": "Promise", "status": "pending"}``.

:func:`dumps` writes a document as ``JSON.stringify`` would: a lone surrogate, which a JSON
string may hold (``"\\ud800"``) and Python's UTF-8 codec refuses, is written as the escape
``\\ud800``, so the text always encodes.

Each type's encoder is a small function in a ``{type: encoder}`` table, pickle's
``dispatch`` pattern, and each visit is charged to a :class:`~rsc_flight.model.walk.Budget`.
The walk recurses, its depth bounded by ``Limits.max_depth``, and is linear in the size of
the *graph*: shared values are written once, so a "billion laughs" payload does not
expand.

This module is the reference.  The native engine (:mod:`rsc_flight._engine`) runs its C
twin, ``rsc_flight._ctyped`` (``model/_ctyped.c``), which walks with an explicit stack,
makes a pointer only for a shared value, and writes the hot types itself; it reads this
module's table (:func:`_native_table`), hands every leaf type to this module's encoder for
it, and raises the same errors at the same node (``tests/test_native_typed_json.py``).
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Callable
from typing import Any, Protocol

from .. import _engine
from ..limits import DEFAULT_LIMITS, Limits, recursion_room
from ._hint_json import plain_json
from .js_strings import stringify_surrogates
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
from .walk import Budget

__all__ = ["dumps", "to_typed_json"]

#: The compiled twin of :class:`_Encoder`.
NATIVE_MODULE = "rsc_flight._ctyped"

_MAX_SAFE = 2**53


#: An encoding written again: ``(items, encoded, depth, nodes, bytes)``.
_Reused = tuple[list[Any], list[Any], int, int, int]


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class _Encoder:
    """One encoding: the budget, and where each shared value was first written.

    :meth:`encode` charges the value, checks its depth, answers a shared value met again
    with ``{"$ref": ...}``, and hands the rest to the encoder :data:`_TABLE` holds for its
    type.  Encoders get the depth of the value's children.
    """

    def __init__(self, limits: Limits) -> None:
        #: ``{"$ref": pointer}`` of each shared value written, by id: one object per value,
        #: however often it is referred to.
        self.seen: dict[int, dict[str, str]] = {}
        self.keep: list[Any] = []  # keeps encoded objects alive so their ids stay unique
        self.budget = Budget(limits, "typed JSON")
        #: Encodings of unshared sequences (iterators) by the identities of their items:
        #: see :meth:`items_once`.
        self.reused: dict[tuple[int, ...], _Reused] = {}
        self.reused_lists: dict[int, _Reused] = {}  # the same, by the list's own id

    def encode(self, value: Any, pointer: str, depth: int) -> Any:
        """The typed JSON of ``value``, found at ``pointer``, ``depth`` levels down."""
        budget = self.budget
        budget.left -= 1
        if budget.left < 0:
            raise budget.exceeded()
        if depth > budget.max_depth:
            raise budget.too_deep()
        kind = type(value)
        if kind is str:
            # Strings are written at every occurrence (React's format repeats them): a
            # shared 64 KiB text row met 20,000 times is 1.3 GB, so the bytes are charged.
            budget.bytes_left -= len(value)
            if budget.bytes_left < 0:
                raise budget.too_big()
            return value
        if kind is int or kind is bool or value is None:
            return value  # JSON's own: most of a payload
        entry = _TABLE.get(kind)
        if entry is None:
            entry = _entry_for_subclass(kind)
        encoder, shared = entry
        if shared:
            ref = self.seen.get(id(value))
            if ref is not None:
                # Charged as the text it is, `{"$ref": "<pointer>"}`: a row reached by
                # many paths is written as many references, and the bytes bound them.
                budget.bytes_left -= len(ref["$ref"]) + 12
                if budget.bytes_left < 0:
                    raise budget.too_big()
                return ref
            self.seen[id(value)] = {"$ref": pointer}
            self.keep.append(value)
        return encoder(self, value, pointer, depth + 1)

    def items(self, values: list[Any], pointer: str, depth: int) -> list[Any]:
        """A list of values, each at ``pointer/<index>``."""
        encode = self.encode
        return [encode(v, f"{pointer}/{i}", depth) for i, v in enumerate(values)]

    def items_once(self, values: list[Any], pointer: str, depth: int) -> list[Any]:
        """:meth:`items` for a sequence that is not shared but is rebuilt from the same
        items at each reference (React's client makes a new iterator per ``$i`` path).

        Written in full each time, a row of N entries reached by N paths is N² nodes:
        output quadratic in the input, and the node budget then takes seconds to trip.
        So when a sequence of the very same items was encoded before without meeting a
        shared value for the first time (its encoding is then all ``$ref`` and plain
        values, the same wherever it is written), the earlier encoding is written again
        as it is, and its known nodes and bytes are charged at once: the time per node
        is one ``id()``, and the budget trips in time linear in the input.
        """
        budget = self.budget
        key: tuple[int, ...] | None = None
        known = self.reused_lists.get(id(values))  # the very same list: no need to look
        if known is None or known[0] is not values:
            key = tuple(map(id, values))
            known = self.reused.get(key)
        if known is not None and depth <= known[2]:  # fits: it fitted deeper down
            budget.charge(known[3])
            budget.charge_bytes(known[4])
            return known[1]
        seen, left, bytes_left = len(self.seen), budget.left, budget.bytes_left
        encoded = self.items(values, pointer, depth)
        if len(self.seen) == seen:
            if key is None:  # the same list met again deeper than it was first written
                key = tuple(map(id, values))
            nodes, size = left - budget.left, bytes_left - budget.bytes_left
            self.reused[key] = self.reused_lists[id(values)] = (values, encoded, depth, nodes, size)
        return encoded


#: An encoder: ``(encoder, value, pointer, depth of its children) -> typed JSON``.
_Encode = Callable[[_Encoder, Any, str, int], Any]

#: Encoders by exact type, and whether values of the type are shared (written once, then
#: ``{"$ref": ...}``), as pickle's ``dispatch`` table is.  A subclass is encoded as its
#: nearest base here (:func:`_entry_for_subclass`).
_TABLE: dict[type, tuple[_Encode, bool]] = {}


def _encodes(*kinds: type, shared: bool = False) -> Callable[[_Encode], _Encode]:
    """Register the decorated function as the encoder of ``kinds``."""

    def register(encoder: _Encode) -> _Encode:
        for kind in kinds:
            _TABLE[kind] = (encoder, shared)
        return encoder

    return register


@_encodes(dict, shared=True)
def _dict(enc: _Encoder, value: dict[str, Any], pointer: str, depth: int) -> Any:
    encode = enc.encode
    if any(k.startswith("$") for k in value):
        inner = {k: encode(v, f"{pointer}/value/{_escape(k)}", depth) for k, v in value.items()}
        return {"$type": "object", "value": inner}
    return {k: encode(v, f"{pointer}/{_escape(k)}", depth) for k, v in value.items()}


@_encodes(list, shared=True)
def _list(enc: _Encoder, value: list[Any], pointer: str, depth: int) -> Any:
    return enc.items(value, pointer, depth)


@_encodes(float)
def _float(enc: _Encoder, value: float, pointer: str, depth: int) -> Any:
    return _number(value)


@_encodes(Lazy)
def _lazy(enc: _Encoder, value: Lazy, pointer: str, depth: int) -> Any:
    """Lazies are transparent: what they resolve to, or what reading them threw."""
    try:
        resolved = value.result
    except ErrorRaised as thrown:
        return {"$type": "thrown", "reason": enc.encode(thrown.value, f"{pointer}/reason", depth)}
    return enc.encode(resolved, pointer, depth)


@_encodes(Element, shared=True)
def _element(enc: _Encoder, value: Element, pointer: str, depth: int) -> Any:
    out = {
        "$type": "element",
        "type": enc.encode(value.type, f"{pointer}/type", depth),
        "key": enc.encode(value.key, f"{pointer}/key", depth),
        "props": enc.encode(value.props, f"{pointer}/props", depth),
    }
    if value.ref is not None and value.ref is not UNDEFINED:
        out["ref"] = enc.encode(value.ref, f"{pointer}/ref", depth)
    return out


@_encodes(type(UNDEFINED))
def _undefined(enc: _Encoder, value: Any, pointer: str, depth: int) -> Any:
    return {"$type": "undefined"}


@_encodes(JSBigInt)
def _bigint(enc: _Encoder, value: JSBigInt, pointer: str, depth: int) -> Any:
    return {"$type": "bigint", "value": str(int(value))}


def _int_subclass(enc: _Encoder, value: int, pointer: str, depth: int) -> Any:
    return int(value)  # an IntEnum and the like: the number


@_encodes(JSSymbol)
def _symbol(enc: _Encoder, value: JSSymbol, pointer: str, depth: int) -> Any:
    return {"$type": "symbol", "key": value.key}


@_encodes(JSDate)
def _date(enc: _Encoder, value: JSDate, pointer: str, depth: int) -> Any:
    iso = value.isoformat()
    return None if iso is None else {"$type": "Date", "value": iso}  # invalid: as JSON writes


@_encodes(JSMap, shared=True)
def _map(enc: _Encoder, value: JSMap, pointer: str, depth: int) -> Any:
    encode = enc.encode
    entries = [
        [encode(k, f"{pointer}/entries/{i}/0", depth), encode(v, f"{pointer}/entries/{i}/1", depth)]
        for i, (k, v) in enumerate(value.entries)
    ]
    return {"$type": "Map", "entries": entries}


@_encodes(JSSet, shared=True)
def _set(enc: _Encoder, value: JSSet, pointer: str, depth: int) -> Any:
    return {"$type": "Set", "values": enc.items(value.values, f"{pointer}/values", depth)}


@_encodes(ClientReference)
def _client_reference(enc: _Encoder, value: ClientReference, pointer: str, depth: int) -> Any:
    return {"$type": "clientReference", "id": str(value.id), "name": value.name or "default"}


@_encodes(JSPromise, shared=True)
def _promise(enc: _Encoder, value: JSPromise, pointer: str, depth: int) -> Any:
    value._settle()
    if value.status == "fulfilled":
        return {
            "$type": "Promise",
            "status": "fulfilled",
            "value": enc.encode(value.value, f"{pointer}/value", depth),
        }
    if value.status == "rejected":
        return {
            "$type": "Promise",
            "status": "rejected",
            "reason": enc.encode(value.reason, f"{pointer}/reason", depth),
        }
    return {"$type": "Promise", "status": "pending"}


@_encodes(ErrorValue)
def _error_value(enc: _Encoder, value: ErrorValue, pointer: str, depth: int) -> Any:
    return _error(value)


@_encodes(JSTypedArray)
def _typed_array(enc: _Encoder, value: JSTypedArray, pointer: str, depth: int) -> Any:
    return {"$type": value.type_name, "base64": _base64(enc, value.data)}


@_encodes(JSBlob)
def _blob(enc: _Encoder, value: JSBlob, pointer: str, depth: int) -> Any:
    return {"$type": "Blob", "type": value.type, "base64": _base64(enc, value.data)}


def _base64(enc: _Encoder, data: bytes) -> str:
    """``data`` in base64, charged before it is encoded (written at every occurrence)."""
    enc.budget.charge_bytes((len(data) + 2) // 3 * 4)
    return base64.b64encode(data).decode()


@_encodes(JSFormData)
def _form_data(enc: _Encoder, value: JSFormData, pointer: str, depth: int) -> Any:
    encode = enc.encode
    entries = [
        [
            name if isinstance(name, str) else encode(name, f"{pointer}/entries/{i}/0", depth),
            encode(v, f"{pointer}/entries/{i}/1", depth),
        ]
        for i, (name, v) in enumerate(value.entries)
    ]
    return {"$type": "FormData", "entries": entries}


@_encodes(ServerReference)
def _server_reference(enc: _Encoder, value: ServerReference, pointer: str, depth: int) -> Any:
    bound: Any = []
    if isinstance(value.bound, JSPromise):
        value.bound._settle()
        if value.bound.status == "fulfilled" and isinstance(value.bound.value, list):
            bound = enc.items(value.bound.value, f"{pointer}/bound", depth)
    elif isinstance(value.bound, list):
        bound = enc.items(value.bound, f"{pointer}/bound", depth)
    ref_id = value.id if isinstance(value.id, str) else enc.encode(value.id, f"{pointer}/id", depth)
    return {"$type": "serverReference", "id": ref_id, "bound": bound}


@_encodes(JSIterator)
def _iterator(enc: _Encoder, value: JSIterator, pointer: str, depth: int) -> Any:
    values = enc.items_once(value.values, f"{pointer}/values", depth)
    return {"$type": "Iterator", "values": values}


@_encodes(JSReadableStream, shared=True)
def _stream(enc: _Encoder, value: JSReadableStream, pointer: str, depth: int) -> Any:
    out = {
        "$type": "ReadableStream",
        "chunks": enc.items(value.chunks, f"{pointer}/chunks", depth),
    }
    if value.error is not None:
        out["error"] = enc.encode(value.error, f"{pointer}/error", depth)
    return out


@_encodes(JSAsyncIterable, shared=True)
def _async_iterable(enc: _Encoder, value: JSAsyncIterable, pointer: str, depth: int) -> Any:
    out = {
        "$type": "AsyncIterator" if value.iterator else "AsyncIterable",
        "values": enc.items(value.values, f"{pointer}/values", depth),
        "return": enc.encode(value.return_value, f"{pointer}/return", depth),
    }
    if value.error is not None:
        out["error"] = enc.encode(value.error, f"{pointer}/error", depth)
    return out


@_encodes(Pending)
def _pending(enc: _Encoder, value: Pending, pointer: str, depth: int) -> Any:
    return {"$type": "pending", "id": None if value.id is None else format(value.id, "x")}


@_encodes(FunctionSource)
def _function(enc: _Encoder, value: FunctionSource, pointer: str, depth: int) -> Any:
    return {"$type": "function", "source": value.source}


@_encodes(ServerContextProvider)
def _context(enc: _Encoder, value: ServerContextProvider, pointer: str, depth: int) -> Any:
    return {"$type": "serverContextProvider", "name": value.name}


@_encodes(TemporaryReference)
def _temporary(enc: _Encoder, value: TemporaryReference, pointer: str, depth: int) -> Any:
    return {"$type": "temporaryReference", "key": value.key}


@_encodes(Omitted)
def _omitted(enc: _Encoder, value: Omitted, pointer: str, depth: int) -> Any:
    return {"$type": "omitted"}


#: A memory address in a repr (``<function f at 0x7f...>``), left out of the document so
#: that the same payload always gives the same document.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _unknown(enc: _Encoder, value: Any, pointer: str, depth: int) -> Any:
    return {"$type": "unknown", "repr": _ADDRESS.sub("", repr(value)[:200])}


#: JSON's own types stand for themselves only when exact: a ``str`` or ``dict`` subclass
#: is not something the decoder makes, and is written as unknown.
_EXACT_ONLY = frozenset({str, float, dict, list, bool, type(None)})
_BY_SUBCLASS: dict[type, tuple[_Encode, bool]] = {}


def _entry_for_subclass(kind: type) -> tuple[_Encode, bool]:
    """The encoder of the nearest base of ``kind`` in :data:`_TABLE` (an ``int`` subclass
    is its number), else unknown; remembered per type."""
    entry = _BY_SUBCLASS.get(kind)
    if entry is not None:
        return entry
    entry = (_unknown, False)
    for base in kind.__mro__[1:]:
        if base is int:
            entry = (_int_subclass, False)
            break
        if base not in _EXACT_ONLY and base in _TABLE:
            entry = _TABLE[base]
            break
    _BY_SUBCLASS[kind] = entry
    return entry


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


def to_typed_json(
    value: Any, *, limits: Limits = DEFAULT_LIMITS, engine: _engine.Engine | None = None
) -> Any:
    """Encode a decoded value as typed JSON (a structure ``json.dumps`` accepts).

    Shared and cyclic values become ``{"$ref": pointer}``; lazies and promises are read,
    so the whole graph is written.  ``engine`` (default :data:`rsc_flight._engine.ENGINE`)
    picks the C twin or this module's reference; both give the same result.

    Raises:
        FlightLimitError: the output would pass ``limits.max_expansion`` nodes,
            ``limits.max_depth`` levels or ``limits.max_output_bytes`` bytes of strings
            and base64.
    """
    with recursion_room(limits):
        return _new_encoder(limits, engine).encode(value, "", 0)


def encode_document(
    root: Any,
    root_error: Any,
    hints: list[list[Any]],
    *,
    limits: Limits = DEFAULT_LIMITS,
    engine: _engine.Engine | None = None,
    failed: bool | None = None,
) -> dict[str, Any]:
    """The whole decode document: ``{"value": ...}`` or ``{"rootError": ...}``, plus hints.

    ``failed`` says whether the root threw; left out, a ``root_error`` other than ``None``
    means it did.  It is needed because JavaScript can throw ``null`` (React 18.3 throws a
    pending chunk's reason, which may be ``null``), and a root that threw ``null`` is not
    a root whose value is ``null``.
    """
    encoder = _new_encoder(limits, engine)
    doc: dict[str, Any]
    if failed is None:
        failed = root_error is not None
    if failed:
        doc = {"rootError": encoder.encode(root_error, "", 0)}
    else:
        doc = {"value": encoder.encode(root, "", 0)}

    def encode(value: Any) -> Any:
        return encoder.encode(value, "", 0)

    doc["hints"] = [[plain_json(x, encode, limits) for x in hint] for hint in hints]
    return doc


class _Encodes(Protocol):
    """An encoding in progress: :class:`_Encoder`, or its C twin."""

    def encode(self, value: Any, pointer: str, depth: int) -> Any: ...


def _new_encoder(limits: Limits, engine: _engine.Engine | None) -> _Encodes:
    """An encoder of ``engine`` (default: the process's); its budget is ``limits``."""
    if _engine.resolve(engine) != "native":
        return _Encoder(limits)
    encoder: _Encodes = _engine.native_module(NATIVE_MODULE).Encoder(
        _native_table(), Budget(limits, "typed JSON")
    )
    return encoder


#: How the C twin writes each encoder's values: the encoders it writes itself, by code
#: (the ``C_*`` enum of ``_ctyped.c``); every other encoder is a leaf (code 0) that it
#: calls, as :meth:`_Encoder.encode` does.
_NATIVE_ORDER: tuple[_Encode, ...] = (_dict, _list, _float, _lazy, _element, _undefined, _map)
_NATIVE_ORDER += (_set, _promise, _form_data, _server_reference, _iterator, _stream)
_NATIVE_ORDER += (_async_iterable,)
_NATIVE_CODES: dict[_Encode, int] = {enc: code for code, enc in enumerate(_NATIVE_ORDER, 1)}
#: The C twin calls a leaf encoder with the budget synced both ways (``_LEAF``: it may
#: charge it, as :func:`_base64` does), or not at all (``_PURE_LEAF``: these never do).
#: ``_date`` is a pure leaf the C twin also writes itself when the text is canonical.
_LEAF, _PURE_LEAF, _DATE = 0, len(_NATIVE_ORDER) + 1, len(_NATIVE_ORDER) + 2
_PURE_LEAVES = {_bigint, _int_subclass, _symbol, _client_reference, _error_value}
_PURE_LEAVES |= {_pending, _function, _context, _temporary, _omitted, _unknown}
#: ``{type: (code, encoder, shared)}`` as the C twin met them, filled by :func:`_native_entry`.
_NATIVE_BY_TYPE: dict[type, tuple[int, _Encode, bool]] = {}
_NATIVE_TABLE: list[tuple[Any, ...]] = []


def _native_entry(kind: type) -> tuple[int, _Encode, bool]:
    """The C twin's entry for ``kind``: the one :meth:`_Encoder.encode` uses, and its code."""
    entry = _TABLE.get(kind)
    if entry is None:
        entry = _entry_for_subclass(kind)
    encoder, shared = entry
    leaf = _DATE if encoder is _date else _PURE_LEAF if encoder in _PURE_LEAVES else _LEAF
    return _NATIVE_CODES.get(encoder, leaf), encoder, shared


def _key_pointer(pointer: str, key: Any) -> str:
    """The pointer of the value under ``key`` when it is not a ``str`` (as :func:`_dict`
    makes it, raising what it raises)."""
    return f"{pointer}/{_escape(key)}"


def _unpack2(entry: Any) -> tuple[Any, Any]:
    """A Map or FormData entry that is not a pair tuple, unpacked as the encoders do."""
    first, second = entry
    return first, second


def _native_table() -> tuple[Any, ...]:
    """What the C twin is built from, made once: its type table and this module's helpers."""
    if not _NATIVE_TABLE:
        codes = _engine.native_module(NATIVE_MODULE).CODES
        if codes != tuple(encoder.__name__ for encoder in _NATIVE_ORDER):
            raise RuntimeError(f"{NATIVE_MODULE} writes {codes}, not _NATIVE_ORDER: rebuild it")
        for kind in _TABLE:
            _NATIVE_BY_TYPE[kind] = _native_entry(kind)
        helpers = (_native_entry, _key_pointer, _unpack2, ErrorRaised, JSPromise, UNDEFINED)
        _NATIVE_TABLE.append((_NATIVE_BY_TYPE, *helpers, Element, Lazy, JSDate))
    return _NATIVE_TABLE[0]


def dumps(document: Any, *, indent: int | None = None) -> str:
    """``document`` as JSON text whose UTF-8 encoding never fails.

    Non-ASCII text is written as itself, as ``json.dumps(..., ensure_ascii=False)`` does,
    except lone surrogates: a decoded string may hold one (``"\\ud800"`` is legal JSON and
    legal in JavaScript), and Python's UTF-8 codec raises on it.  They are written as
    ``\\udXXX`` escapes, lower-case, as ``JSON.stringify`` writes them since ES2019; the
    text reads back to the same string.
    """
    return stringify_surrogates(json.dumps(document, ensure_ascii=False, indent=indent))
