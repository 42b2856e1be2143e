"""Read React Server Components "Flight" payloads.

Pipeline (each stage a subpackage; a lower stage never imports a higher one)::

    HTML page ──► wire.sources ─┐   self.__next_f.push chunks → the exact flight bytes
    .txt / RSC response ────────┴► wire (FlightDecoder) ─► rows ─► model (Resolver) ─► values
                                                                                      │
        tree (queries, render_html) ◄──────────────────────────────────────────────────┤
        nextjs (render_page, page regions) ◄──────────────────────────────────────────┘
        extract (extract_article: rules, Article) ─► export (html_to_markdown)
        batch, inspect, cli on top

``parse(data)`` runs stages 1 and 2 and returns a :class:`Payload`;
``extract_article(data)`` goes on to the page's article (title, dates, authors, tags, URL,
body) with per-field provenance.

The top level holds the names most programs need.  The rest live in public submodules:
``rsc_flight.wire`` (row kinds, sources), ``rsc_flight.model`` (value classes, ``Resolver``),
``rsc_flight.tree``, ``rsc_flight.nextjs``, ``rsc_flight.extract`` (rules, the article
model), ``rsc_flight.export``, ``rsc_flight.batch``, ``rsc_flight.inspect``,
``rsc_flight.errors`` and ``rsc_flight.limits``.  See ``docs/architecture.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the same names as _PUBLIC below, for type checkers and editors
    # (``X as X`` marks an explicit re-export)
    from ._engine import ENGINE as ENGINE
    from .errors import (
        Diagnostic as Diagnostic,
        FlightError as FlightError,
        FlightLimitError as FlightLimitError,
        FlightStageError as FlightStageError,
        FlightSyntaxError as FlightSyntaxError,
        IncompleteFlightError as IncompleteFlightError,
        NoFlightDataError as NoFlightDataError,
    )
    from .export import html_to_markdown as html_to_markdown
    from .extract import (
        Article as Article,
        extract_article as extract_article,
    )
    from .inspect import inspect_report as inspect_report
    from .limits import (
        DEFAULT_LIMITS as DEFAULT_LIMITS,
        Limits as Limits,
    )
    from .model import (
        Element as Element,
        Payload as Payload,
        parse as parse,
        to_typed_json as to_typed_json,
    )
    from .nextjs import render_page as render_page
    from .tree import render_html as render_html
    from .wire import (
        Dialect as Dialect,
        FlightDecoder as FlightDecoder,
        aiter_rows as aiter_rows,
        flight_from_html as flight_from_html,
        iter_rows as iter_rows,
        load_flight as load_flight,
        read_inline_flight as read_inline_flight,
    )


# The one table of top-level names: name → the module that defines it.  ``import
# rsc_flight`` loads none of these modules: a name's module is imported the first time the
# name is used (PEP 562), so a command that only reads rows never pays for the resolver,
# the extractor or lxml.  ``__all__`` is this table's keys.
_PUBLIC: dict[str, str] = {
    # stage 1: bytes → rows
    "FlightDecoder": ".wire.decoder",
    "iter_rows": ".wire.stream",
    "aiter_rows": ".wire.stream",
    "load_flight": ".wire.sources",
    "read_inline_flight": ".wire.sources",
    "flight_from_html": ".wire.sources",
    "Dialect": ".wire.dialect",
    # stage 2: rows → values
    "parse": ".model.payload",
    "Payload": ".model.payload",
    "Element": ".model.values",
    "to_typed_json": ".model.typed_json",
    # stage 3: trees and pages
    "render_html": ".tree.render",
    "render_page": ".nextjs.segments",
    # stage 4: articles and exports
    "extract_article": ".extract.extractor",
    "Article": ".extract.model",
    "html_to_markdown": ".export.markdown",
    "inspect_report": ".inspect.report",
    # the engine, bounds and errors
    "ENGINE": "._engine",
    "Limits": ".limits",
    "DEFAULT_LIMITS": ".limits",
    "Diagnostic": ".errors",
    "FlightError": ".errors",
    "FlightSyntaxError": ".errors",
    "FlightLimitError": ".errors",
    "IncompleteFlightError": ".errors",
    "NoFlightDataError": ".errors",
    "FlightStageError": ".errors",
}

# Public submodules, importable as attributes too (``rsc_flight.model.JSMap``).
_SUBMODULES = frozenset(
    {"wire", "model", "tree", "nextjs", "extract", "export", "batch", "inspect", "errors"}
    | {"limits", "cli", "dask"}
)


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module, __name__), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC, *_SUBMODULES})


__version__ = "0.1.0.dev0"

__all__ = [*_PUBLIC, "__version__"]
