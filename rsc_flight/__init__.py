"""Read React Server Components "Flight" payloads.

Pipeline (each stage usable alone; a lower stage never imports a higher one)::

    HTML page ──► sources ──┐   self.__next_f.push chunks → the exact flight bytes
    .txt / RSC response ────┴► FlightDecoder ─► rows ─► Resolver ─► values ─┬► typed JSON
                               (sans-I/O feed/close;    (React's own client ├► tree queries
                                frozen attrs Row kinds)  rules)             └► render_html

``extract_article(data)`` goes one stage further: the page's article (title, dates,
authors, tags, URL, body) with per-field provenance, through ordered rules.

``parse(data)`` runs the whole pipeline and returns a :class:`Payload`.

See ``docs/`` for the format as implemented and the security notes.
"""

from __future__ import annotations

from ._api import Payload, parse
from ._article import (
    Article,
    Category,
    Link,
    NavEntry,
    Person,
    Provenance,
    RouteInfo,
    SiteSnapshot,
)
from ._batch import (
    PAGE_EXTENSIONS,
    BatchInput,
    expand_paths,
    extract_bytes,
    extract_input,
    find_inputs,
    inputs_of_path,
)
from ._dates import Precision, Timestamp, parse_date
from ._dialect import Dialect
from ._errors import (
    Diagnostic,
    FlightError,
    FlightLimitError,
    FlightSyntaxError,
    IncompleteFlightError,
    NoFlightDataError,
)
from ._extract import BUILTIN_RULES, GENERIC_RULE, default_rules, extract_article
from ._html import render_html
from ._inspect import inspect_report
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
from ._rules import FieldSpec, Rule, RuleContext, entry_point_rules, rule_from_dict
from ._sites import SITE_RULES
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
    "BUILTIN_RULES",
    "DEFAULT_LIMITS",
    "GENERIC_RULE",
    "PAGE_EXTENSIONS",
    "SITE_RULES",
    "UNDEFINED",
    "Article",
    "AsyncIterable",
    "BatchInput",
    "BigInt",
    "BinaryRow",
    "Blob",
    "Category",
    "ClientReference",
    "CloseRow",
    "DebugRow",
    "Diagnostic",
    "Dialect",
    "Element",
    "ErrorRaised",
    "ErrorRow",
    "ErrorValue",
    "FieldSpec",
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
    "Link",
    "ModelRow",
    "NavEntry",
    "NoFlightDataError",
    "Omitted",
    "Payload",
    "Pending",
    "Person",
    "PostponeRow",
    "Precision",
    "Promise",
    "Provenance",
    "ProviderRow",
    "ReadableStream",
    "Resolver",
    "RouteInfo",
    "Row",
    "Rule",
    "RuleContext",
    "ServerContextProvider",
    "ServerReference",
    "SiteSnapshot",
    "StreamRow",
    "Symbol",
    "SymbolRow",
    "TemporaryReference",
    "TextRow",
    "Timestamp",
    "TypedArray",
    "UnknownRow",
    "__version__",
    "aiter_rows",
    "default_rules",
    "detect_source",
    "element_type",
    "entry_point_rules",
    "expand_paths",
    "extract_article",
    "extract_bytes",
    "extract_input",
    "find",
    "find_all",
    "find_inputs",
    "flight_from_html",
    "inputs_of_path",
    "inspect_report",
    "iter_elements",
    "iter_rows",
    "load_flight",
    "next_seed_data",
    "parse",
    "parse_date",
    "read_inline_flight",
    "render_html",
    "render_page",
    "rule_from_dict",
    "text_content",
    "to_typed_json",
)
