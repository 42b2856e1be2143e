"""Read React Server Components "Flight" payloads.

Pipeline (each stage usable alone; a lower stage never imports a higher one)::

    HTML page ──► sources ──┐   self.__next_f.push chunks → the exact flight bytes
    .txt / RSC response ────┴► FlightDecoder ─► rows ─► Resolver ─► values ─┬► typed JSON
                               (sans-I/O feed/close;    (React's own client ├► tree queries
                                frozen attrs Row kinds)  rules)             └► render_html

``parse(data)`` runs the whole pipeline and returns a :class:`Payload`.

See ``docs/`` for the format as implemented and the security notes.
"""

from __future__ import annotations

from ._api import Payload, parse
from ._dialect import Dialect
from ._errors import (
    Diagnostic,
    FlightError,
    FlightLimitError,
    FlightSyntaxError,
    IncompleteFlightError,
    NoFlightDataError,
)
from ._html import render_html
from ._limits import DEFAULT_LIMITS, Limits
from ._next import next_seed_data, render_page
from ._resolver import Resolver
from ._rows import (
    BINARY_TYPES,
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
from ._sources import (
    InlineFlight,
    detect_source,
    flight_from_html,
    load_flight,
    read_inline_flight,
)
from ._stream import aiter_rows, iter_rows
from ._tokenizer import FlightDecoder
from ._tree import Found, element_type, find, find_all, iter_elements, text_content
from ._typed_json import to_typed_json
from ._values import (
    UNDEFINED,
    AsyncIterable,
    BigInt,
    Blob,
    ClientReference,
    Element,
    ErrorRaised,
    ErrorValue,
    FormData,
    FunctionSource,
    Iterator,
    JSDate,
    JSMap,
    JSSet,
    Lazy,
    Omitted,
    Pending,
    Promise,
    ReadableStream,
    ServerContextProvider,
    ServerReference,
    Symbol,
    TemporaryReference,
    TypedArray,
)

__version__ = "0.1.0.dev0"

__all__ = (
    "BINARY_TYPES",
    "DEFAULT_LIMITS",
    "UNDEFINED",
    "AsyncIterable",
    "BigInt",
    "BinaryRow",
    "Blob",
    "ClientReference",
    "CloseRow",
    "DebugRow",
    "Diagnostic",
    "Dialect",
    "Element",
    "ErrorRaised",
    "ErrorRow",
    "ErrorValue",
    "FlightDecoder",
    "FlightError",
    "FlightLimitError",
    "FlightSyntaxError",
    "FormData",
    "Found",
    "FunctionSource",
    "HintRow",
    "ImportRow",
    "IncompleteFlightError",
    "InlineFlight",
    "Iterator",
    "JSDate",
    "JSMap",
    "JSSet",
    "Lazy",
    "Limits",
    "ModelRow",
    "NoFlightDataError",
    "Omitted",
    "Payload",
    "Pending",
    "PostponeRow",
    "Promise",
    "ProviderRow",
    "ReadableStream",
    "Resolver",
    "Row",
    "ServerContextProvider",
    "ServerReference",
    "StreamRow",
    "Symbol",
    "SymbolRow",
    "TemporaryReference",
    "TextRow",
    "TypedArray",
    "UnknownRow",
    "__version__",
    "aiter_rows",
    "detect_source",
    "element_type",
    "find",
    "find_all",
    "flight_from_html",
    "iter_elements",
    "iter_rows",
    "load_flight",
    "next_seed_data",
    "parse",
    "read_inline_flight",
    "render_html",
    "render_page",
    "text_content",
    "to_typed_json",
)
