"""Read React Server Components "Flight" payloads.

Pipeline (each stage usable alone; a lower stage never imports a higher one)::

    HTML page ──► sources ──┐   self.__next_f.push chunks → the exact flight bytes
    .txt / RSC response ────┴► FlightDecoder ─► rows
                               (sans-I/O feed/close; frozen attrs Row kinds)

See ``docs/`` for the format as implemented and the security notes.
"""

from __future__ import annotations

from ._dialect import Dialect
from ._errors import (
    Diagnostic,
    FlightError,
    FlightLimitError,
    FlightSyntaxError,
    IncompleteFlightError,
    NoFlightDataError,
)
from ._limits import DEFAULT_LIMITS, Limits
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

__version__ = "0.1.0.dev0"

__all__ = (
    "BINARY_TYPES",
    "DEFAULT_LIMITS",
    "BinaryRow",
    "CloseRow",
    "DebugRow",
    "Diagnostic",
    "Dialect",
    "ErrorRow",
    "FlightDecoder",
    "FlightError",
    "FlightLimitError",
    "FlightSyntaxError",
    "HintRow",
    "ImportRow",
    "IncompleteFlightError",
    "InlineFlight",
    "Limits",
    "ModelRow",
    "NoFlightDataError",
    "PostponeRow",
    "ProviderRow",
    "Row",
    "StreamRow",
    "SymbolRow",
    "TextRow",
    "UnknownRow",
    "__version__",
    "aiter_rows",
    "detect_source",
    "flight_from_html",
    "iter_rows",
    "load_flight",
    "read_inline_flight",
)
