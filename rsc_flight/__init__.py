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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Where each public name lives.  ``import rsc_flight`` loads none of these modules: a
# name's module is imported the first time the name is used (PEP 562), so a command that
# only reads rows never pays for the resolver, the extractor or lxml.
_SOURCES: dict[str, str] = {
    "Payload": "._api",
    "parse": "._api",
    "Article": "._article",
    "Category": "._article",
    "Link": "._article",
    "NavEntry": "._article",
    "Person": "._article",
    "Provenance": "._article",
    "RouteInfo": "._article",
    "SiteSnapshot": "._article",
    "PAGE_EXTENSIONS": "._batch",
    "BatchInput": "._batch",
    "expand_paths": "._batch",
    "extract_bytes": "._batch",
    "extract_input": "._batch",
    "find_inputs": "._batch",
    "inputs_of_path": "._batch",
    "Precision": "._dates",
    "Timestamp": "._dates",
    "parse_date": "._dates",
    "Dialect": "._dialect",
    "Diagnostic": "._errors",
    "FlightError": "._errors",
    "FlightLimitError": "._errors",
    "FlightSyntaxError": "._errors",
    "IncompleteFlightError": "._errors",
    "NoFlightDataError": "._errors",
    "BUILTIN_RULES": "._extract",
    "GENERIC_RULE": "._extract",
    "default_rules": "._extract",
    "extract_article": "._extract",
    "render_html": "._html",
    "inspect_report": "._inspect",
    "DEFAULT_LIMITS": "._limits",
    "Limits": "._limits",
    "next_seed_data": "._next",
    "render_page": "._next",
    "Resolver": "._resolver",
    "BINARY_TYPES": "._rows",
    "BinaryRow": "._rows",
    "CloseRow": "._rows",
    "DebugRow": "._rows",
    "ErrorRow": "._rows",
    "HintRow": "._rows",
    "ImportRow": "._rows",
    "ModelRow": "._rows",
    "PostponeRow": "._rows",
    "ProviderRow": "._rows",
    "Row": "._rows",
    "StreamRow": "._rows",
    "SymbolRow": "._rows",
    "TextRow": "._rows",
    "UnknownRow": "._rows",
    "row_json": "._rows",
    "FieldSpec": "._rules",
    "Rule": "._rules",
    "RuleContext": "._rules",
    "entry_point_rules": "._rules",
    "rule_from_dict": "._rules",
    "SITE_RULES": "._sites",
    "InlineFlight": "._sources",
    "detect_source": "._sources",
    "flight_from_html": "._sources",
    "load_flight": "._sources",
    "read_inline_flight": "._sources",
    "aiter_rows": "._stream",
    "iter_rows": "._stream",
    "FlightDecoder": "._tokenizer",
    "Found": "._tree",
    "element_type": "._tree",
    "find": "._tree",
    "find_all": "._tree",
    "iter_elements": "._tree",
    "text_content": "._tree",
    "to_typed_json": "._typed_json",
    "UNDEFINED": "._values",
    "AsyncIterable": "._values",
    "BigInt": "._values",
    "Blob": "._values",
    "ClientReference": "._values",
    "Element": "._values",
    "ErrorRaised": "._values",
    "ErrorValue": "._values",
    "FormData": "._values",
    "FunctionSource": "._values",
    "Iterator": "._values",
    "JSDate": "._values",
    "JSMap": "._values",
    "JSSet": "._values",
    "Lazy": "._values",
    "Omitted": "._values",
    "Pending": "._values",
    "Promise": "._values",
    "ReadableStream": "._values",
    "ServerContextProvider": "._values",
    "ServerReference": "._values",
    "Symbol": "._values",
    "TemporaryReference": "._values",
    "TypedArray": "._values",
}


def __getattr__(name: str) -> Any:
    module = _SOURCES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_SOURCES})


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
    "row_json",
    "rule_from_dict",
    "text_content",
    "to_typed_json",
)
