"""Stage 2, rows to values: React's client semantics, the value types, typed JSON.

``parse`` runs stages 1 and 2 and returns a :class:`Payload`.  The value classes mirror
what React's client builds: JavaScript built-ins are prefixed ``JS`` (``JSMap``,
``JSPromise``), React's own notions are not (``Element``, ``Lazy``, ``ClientReference``).
"""

from __future__ import annotations

from .payload import Payload, parse
from .resolver import Resolver
from .typed_json import to_typed_json
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
    unwrap,
)

__all__ = [
    "UNDEFINED",
    "ClientReference",
    "Element",
    "ErrorRaised",
    "ErrorValue",
    "FunctionSource",
    "JSAsyncIterable",
    "JSBigInt",
    "JSBlob",
    "JSDate",
    "JSFormData",
    "JSIterator",
    "JSMap",
    "JSPromise",
    "JSReadableStream",
    "JSSet",
    "JSSymbol",
    "JSTypedArray",
    "Lazy",
    "Omitted",
    "Payload",
    "Pending",
    "Resolver",
    "ServerContextProvider",
    "ServerReference",
    "TemporaryReference",
    "parse",
    "to_typed_json",
    "unwrap",
]
