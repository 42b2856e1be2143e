"""Stage 1, bytes to rows: the sans-I/O tokenizer, the row kinds, and the sources.

Nothing here decodes a row's JSON: a row is framing (id, tag, offset, length) and its raw
payload.  ``sources`` finds the flight bytes inside a Next.js HTML page; ``dialect`` names
the framing and features seen.  This stage never imports the resolver or lxml at import time.
"""

from __future__ import annotations

from .decoder import FlightDecoder
from .dialect import Dialect
from .inputs import Input, InputError, read_input
from .rows import (
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
    row_json,
)
from .sources import InlineFlight, detect_source, flight_from_html, load_flight, read_inline_flight
from .stream import aiter_rows, iter_rows

__all__ = [
    "BINARY_TYPES",
    "BinaryRow",
    "CloseRow",
    "DebugRow",
    "Dialect",
    "ErrorRow",
    "FlightDecoder",
    "HintRow",
    "ImportRow",
    "InlineFlight",
    "Input",
    "InputError",
    "ModelRow",
    "PostponeRow",
    "ProviderRow",
    "Row",
    "StreamRow",
    "SymbolRow",
    "TextRow",
    "UnknownRow",
    "aiter_rows",
    "detect_source",
    "flight_from_html",
    "iter_rows",
    "load_flight",
    "read_inline_flight",
    "read_input",
    "row_json",
]
